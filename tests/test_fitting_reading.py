"""Reading histories: numbers, dates, units, and every problem named by file, row and field."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from readiness.errors import InputError
from readiness.fitting import Observations, read_observations


def test_percent_and_count_values_are_read_as_shares(tmp_path: Path) -> None:
    path = tmp_path / "h.csv"
    path.write_text("period,value\n2009,25\n2008,12.5\n")
    obs = read_observations(path, unit="percent")
    assert obs.periods == (2008.0, 2009.0)
    assert obs.values == (0.125, 0.25)
    path.write_text("period,value\n2008,50\n2009,100\n")
    obs = read_observations(path, unit="count", population=400)
    assert obs.values == (0.125, 0.25)
    np.testing.assert_allclose(obs.in_unit([0.5]), [200.0])


def test_dates_become_decimal_years(tmp_path: Path) -> None:
    path = tmp_path / "h.csv"
    path.write_text("period,value\n2009-01-01,0.1\n2009-07-02,0.2\n")
    obs = read_observations(path)
    assert obs.periods[0] == 2009.0
    assert obs.periods[1] == pytest.approx(2009.5, abs=0.01)


def test_dates_far_from_1970_become_decimal_years() -> None:
    frame = pd.DataFrame({"period": ["1850-07-02", "2150-01-01"], "value": [0.1, 0.2]})
    obs = read_observations(frame)
    assert obs.periods[0] == pytest.approx(1850.5, abs=0.01)
    assert obs.periods[1] == 2150.0


def test_row_level_problems_are_all_reported_by_row_and_field(tmp_path: Path) -> None:
    path = tmp_path / "h.csv"
    path.write_text("period,value\n2008,abc\nlast year,0.2\n2010,-0.1\n2011,1.5\n")
    with pytest.raises(InputError) as error:
        read_observations(path)
    assert error.value.problems == [
        f"{path}: row 2, field value: 'abc' is not a number",
        f"{path}: row 3, field period: 'last year' is not a year or a date (YYYY-MM-DD)",
        f"{path}: row 4, field value: -0.1 is negative",
        f"{path}: row 5, field value: 1.5 is too large (a share must be at most 1)",
    ]


def test_duplicate_periods_are_an_error(tmp_path: Path) -> None:
    path = tmp_path / "h.csv"
    path.write_text("period,value\n2008,0.1\n2009,0.2\n2008,0.3\n")
    with pytest.raises(InputError) as error:
        read_observations(path)
    assert error.value.problems == [f"{path}: row 4, field period: 2008 appears more than once"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b"period,value\n", "no data rows after the header"),
        (b"year,share\n2008,0.1\n", "missing column(s) period, value; expected a header row"),
        (
            b"period,value\n2008,0.1\xff\n",
            "not UTF-8 text (byte 0xff at position 21); save the file as UTF-8",
        ),
        (b"\xef\xbb\xbf", "the file holds no header row (expected period,value)"),
        (
            b"period,value,Value \n2008,0.1,0.2\n",
            "row 1: column 'value' appears more than once (case and surrounding spaces ignored)",
        ),
        (
            b"period,value,value\n2008,0.1,0.2\n",
            "row 1: column 'value' appears more than once (case and surrounding spaces ignored)",
        ),
        (
            b"period,value\n2008,0.1\n0001-01-01,0.2\n",
            "row 3, field period: '0001-01-01' is outside the years 1800-2200",
        ),
        (
            b"period,value\n2008,0.1\n9999-12-31,0.2\n",
            "row 3, field period: '9999-12-31' is outside the years 1800-2200",
        ),
        (
            b"period,value\n2008,0.1\n1" + b"0" * 400 + b",0.2\n",
            "row 3, field period: '10000000000000000000...00000000 (401 characters)' is not a year",
        ),
        (b"period,value\n2008,0.1\ninf,0.2\n", "row 3, field period: 'inf' is not a year"),
        (b"period,value\n2008,0.1\n2009,nan\n", "row 3, field value: 'nan' is not a number"),
    ],
)
def test_unreadable_files_get_one_clear_message(
    tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "h.csv"
    path.write_bytes(content)
    with pytest.raises(InputError) as error:
        read_observations(path)
    assert error.value.problems[0].startswith(f"{path}: {message}")


def test_a_history_frame_with_a_column_twice_after_stripping_is_refused() -> None:
    frame = pd.DataFrame([[2008, 0.1, 0.2]], columns=["period", "value", " value "])
    with pytest.raises(InputError) as error:
        read_observations(frame)
    assert error.value.problems == [
        "data: row 1: column 'value' appears more than once (case and surrounding spaces ignored)"
    ]


def test_a_missing_file_is_named() -> None:
    with pytest.raises(InputError) as error:
        read_observations("no/such/file.csv")
    assert error.value.problems == ["no/such/file.csv: file not found"]


# --- the file as pandas reads it ----------------------------------------------------------------

#: Files read the same by the csv module here and by pandas' read_csv (the oracle): blank and
#: space-only lines, spaces after commas, quotes, Windows line ends, short rows, row names.
AS_PANDAS_READS = {
    "blank lines": "period,value\n\n2008,0.1\n  \n2009,0.2\n\t\n2010,0.35\n\n",
    "blank lines before the header": "\n\nperiod,value\n2008,0.1\n2009,0.2\n",
    "spaces and quotes": ' Period , VALUE \n 2008, "0.1"\n"2009","0.2"\n"20""10",0.3\n',
    "Windows line ends": "period,value\r\n2008,0.1\r\n2009,0.2\r\n",
    "columns in any order": "note,value,period\nx,0.1,2008\n,0.2,2009\ny,0.3,2010\n",
    "a short row": "period,value,note\n2008,0.1\n2009,0.2,x\n",
    "row names (R's write.table)": '"period","value"\n"1",2008,0.1\n"2",2009,0.2\n"3",2010\n',
    "numbers as written": "period,value\n+2008,+.1\n2009.,2e-1\n2.01e3,3.5E-1\n",
    "quoted line break and words": 'period,value\n"20\n08",0.1\n2009,NA\n2010,inf\n',
    "empty cells": "period,value\n,\n2009,\n,0.2\n",
}


def outcome(source: Path | pd.DataFrame, name: str) -> Observations | list[str]:
    """What reading ``source`` gives: the observations, or the problems named."""
    try:
        return read_observations(source, name=name)
    except InputError as error:
        return error.problems


@pytest.mark.parametrize("text", AS_PANDAS_READS.values(), ids=AS_PANDAS_READS.keys())
def test_a_file_is_read_as_pandas_reads_it(tmp_path: Path, text: str) -> None:
    path = tmp_path / "h.csv"
    path.write_text(text, newline="")
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, skipinitialspace=True)
    assert outcome(path, str(path)) == outcome(frame, str(path))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("period,value\n2008,0.1\n2009,0.2,3\n", "row 3 has 3 fields, the header has 2"),
        ("period,value\n1,2008,0.1\n2,2009,0.2,3\n", "row 3 has 4 fields, the rows above have 3"),
        (
            'period,value\n2008,0.1\n"2009,0.2\n2010,0.3\n',
            "a quote opened in row 3 is never closed",
        ),
        ('period,"value\n2008,0.1\n', "a quote opened in row 1 is never closed"),
    ],
)
def test_a_row_longer_than_the_header_or_an_open_quote_is_not_a_csv_file(
    tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "h.csv"
    path.write_text(content)
    with pytest.raises(InputError) as error:
        read_observations(path)
    assert error.value.problems == [f"{path}: not a valid CSV file ({message})"]


def test_only_plain_numbers_are_numbers(tmp_path: Path) -> None:
    path = tmp_path / "h.csv"
    path.write_text("period,value\n2_008,0.1\n2009,\uff10.2\n2010,Infinity\n2011,0x1\n")
    with pytest.raises(InputError) as error:
        read_observations(path)
    assert error.value.problems == [
        f"{path}: row 2, field period: '2_008' is not a year or a date (YYYY-MM-DD)",
        f"{path}: row 3, field value: '\uff10.2' is not a number",
        f"{path}: row 4, field value: 'Infinity' is not a number",
        f"{path}: row 5, field value: '0x1' is not a number",
    ]
