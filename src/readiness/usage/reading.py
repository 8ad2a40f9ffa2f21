"""Reading usage exports and rosters as text: the header, the cells, dates and counts as
written, and problems listed by file, row and field.

Every reader of :mod:`readiness.usage` shares these, so the same mistake in two files gets the
same message. Rows are numbered as in a spreadsheet: the header is row 1.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from readiness.errors import InputError
from readiness.textfiles import decode_text, file_kind
from readiness.usage.formats import normalise

#: Dates outside these years are typing mistakes (0001-01-01, 9999-12-31), not activity.
FIRST_YEAR, LAST_YEAR = 1990, 2100
#: Problem rows listed one by one before the rest are only counted.
ROWS_LISTED = 10
#: A time of day followed by its UTC offset (Z, UTC, +01:00, -0500), which is dropped.
UTC_OFFSET = r"(?i)(\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)\s*(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)$"


def listed(problems: list[str], total: int, name: str, what: str) -> list[str]:
    """The first :data:`ROWS_LISTED` of ``problems``, then one line counting the rest of
    ``total``."""
    shown = problems[:ROWS_LISTED]
    if total > len(shown):
        shown.append(f"{name}: {total - len(shown):,} more rows with {what}")
    return shown


def header_row(text: str, name: str) -> list[str]:
    """The first CSV record of ``text``; an :class:`InputError` when there is none."""
    try:
        first = next(csv.reader(io.StringIO(text)), [])
    except csv.Error as error:
        raise InputError(f"{name}: row 1: not a CSV header ({error})") from None
    if not [c for c in first if c.strip()]:
        raise InputError(f"{name}: row 1: no header row")
    return first


def check_header(header: Sequence[str], name: str) -> None:
    """Refuse a header naming one column twice (case and surrounding spaces ignored)."""
    columns = [normalise(c) for c in header]
    repeated = sorted({c for c in columns if c and columns.count(c) > 1})
    if repeated:
        raise InputError(
            f"{name}: row 1: column {repeated[0]!r} appears more than once (case and surrounding"
            " spaces ignored)"
        )


def read_frame(text: str, name: str) -> pd.DataFrame:
    """A small CSV (a report or a roster) as a frame of text cells, empty where a row is short;
    only empty cells are missing ("NA" is a division)."""
    header = header_row(text, name)
    check_header(header, name)
    width = len(header)
    # Only a line with more commas than the header can hold a cell beyond it (str.count is
    # fast; the csv module's scan is not, and runs only then).
    if max(line.count(",") for line in text.splitlines()) >= width:
        _check_long_rows(text, width, name)
    try:
        # index_col=False and usecols: rows ending in a comma (as some exports write every
        # row) are read as the header names them, not with the first column as the index.
        frame = pd.read_csv(
            io.StringIO(text),
            dtype=str,
            keep_default_na=False,
            skipinitialspace=False,
            index_col=False,
            usecols=range(width),
        )
    except (pd.errors.ParserError, ValueError) as error:
        raise InputError(f"{name}: not a readable CSV ({first_line(error)})") from None
    return frame.fillna("")  # a short row's missing cells are empty, as in a spreadsheet


def _check_long_rows(text: str, width: int, name: str) -> None:
    """Cells beyond the header's are dropped when empty (a trailing comma); a row with text
    there is an error naming it, not data moved into the wrong columns."""
    for row, cells in enumerate(csv.reader(io.StringIO(text)), start=1):
        if len(cells) > width and any(c.strip() for c in cells[width:]):
            raise InputError(f"{name}: row {row}: {len(cells)} cells where the header has {width}")


def csv_columns(head: bytes, name: str) -> list[str]:
    """The header of a CSV file from its first bytes, read as text (DuckDB's sniffer could take a
    ragged row for it)."""
    kind = file_kind(head)
    first = head.split(b"\n", 1)[0]
    text = decode_text(head if kind is not None or not first.strip() else first, name)
    header = header_row(text, name)
    check_header(header, name)
    return header


def dates(text: pd.Series) -> pd.Series:
    """Dates of text cells as written, a UTC offset dropped; unparseable ones, and years
    outside FIRST_YEAR..LAST_YEAR, are NaT.

    "2026-01-31T23:30:00-02:00" is 31 January: the day the file shows is the day meant (a
    roster's start, a report's date), and DuckDB reads an event log's times the same way.
    One column may mix offsets (daylight saving time, exports from two regions).
    """
    # Each distinct cell once: an export repeats a few dates over every row.
    codes, distinct = pd.factorize(text)
    written = pd.Series(distinct, dtype=str).str.replace(UTC_OFFSET, r"\1", regex=True)
    # utc=True: any offset the pattern does not cover is converted instead of raising.
    once = pd.to_datetime(written, errors="coerce", format="mixed", utc=True).dt.tz_convert(None)
    # Missing cells have code -1: the NaT appended last.
    known = once.to_numpy()  # in pandas' own unit: 9999-12-31 does not fit nanoseconds
    values = np.append(known, np.array(["NaT"], dtype=known.dtype))
    parsed = pd.Series(values[codes], index=text.index)
    years = parsed.dt.year
    return parsed.where((years >= FIRST_YEAR) & (years <= LAST_YEAR))


def month_text(value: Any) -> str:
    """A date as its month, "2026-03"."""
    return pd.Timestamp(value).strftime("%Y-%m")


def first_line(error: BaseException) -> str:
    """An error's first line, cut to 200 characters (its type when it has no message)."""
    return str(error).strip().splitlines()[0][:200] if str(error).strip() else type(error).__name__
