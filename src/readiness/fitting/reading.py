"""Reading an adoption history (a ``period,value`` CSV, or a table of its cells) into
:class:`~readiness.fitting.observations.Observations`, with every problem named by file, row and
field.

Units: periods are **decimal calendar years** (dates are converted: 2009-07-02 is about 2009.5).
Values, once read, are **shares 0-1** (percent is divided by 100, counts by the population size),
or **counts** when counts are given without a population: then the ceiling ``m`` is the market
potential in counts (the classic Bass fit of yearly sales).

The file is read with the ``csv`` module, as pandas reads it (``skipinitialspace``, blank lines
left out, only empty cells missing: "NA" is text), so that a command-line fit loads no pandas;
pandas parses the periods only when they are dates.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from readiness.errors import InputError
from readiness.fitting.observations import FloatArray, Kind, Observations, Unit
from readiness.textfiles import read_text_file

if TYPE_CHECKING:
    import pandas as pd

#: Largest value read (a count): squared residuals must stay within floating point.
MAX_COUNT = 1e150
#: Smallest share of a population read: below it shares lose precision in floating point.
MIN_SHARE = 1e-300

#: Periods given as numbers are years (or period numbers) within this distance of year 0.
MAX_PERIOD = 10_000.0
#: Periods given as dates must fall within these calendar years (0001-01-01 is a placeholder).
DATED_YEARS = (1800, 2200)
#: Periods closer than a day (in years) are refused: the forecast steps by the history's spacing.
MIN_PERIOD_STEP = 1.0 / 366.0

#: A number as a cell may write it: ASCII digits, a point, an exponent (no "1_000", no "0x10").
_NUMBER = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_INFINITY = re.compile(r"[+-]?inf(?:inity)?", re.IGNORECASE)


@dataclass(frozen=True)
class HistoryTable:
    """The cells of a history file as text: ``columns`` the header row's names as written,
    ``rows`` one tuple per data row (blank lines and row names left out; a short row is padded
    with empty cells to the header's width)."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]

    @classmethod
    def of_frame(cls, frame: pd.DataFrame) -> HistoryTable:
        """A pandas DataFrame's cells as text (``str`` of each: a missing number is "nan")."""
        text = frame.astype(str)
        return cls(
            tuple(str(c) for c in text.columns),
            tuple(tuple(row) for row in text.itertuples(index=False, name=None)),
        )


def _is_blank(line: str) -> bool:
    return not line.strip(" \t\r\n")


def _ends_in_quotes(text: str) -> bool:
    """Whether a record's text ends inside a quoted field (never closed): the ``csv`` reader
    keeps the rest of the file as that field."""
    state = "start"
    for char in text:
        if state == "quoted":
            state = "quote" if char == '"' else "quoted"
        elif state == "quote":  # a quote inside quotes: doubled, the end of the field, or text
            state = "quoted" if char == '"' else "start" if char in ",\r\n" else "field"
        elif state == "start":
            if char == '"':
                state = "quoted"
            elif char not in " ,\r\n":
                state = "field"
        elif char in ",\r\n":
            state = "start"
    return state == "quoted"


def read_history_text(text: str, name: str) -> HistoryTable:
    """The cells of a history CSV's text as strings (only empty cells are missing);
    :class:`InputError` naming ``name`` when it is not a CSV with a header row."""
    lines = io.StringIO(text, newline="").readlines()
    reader = csv.reader(lines, skipinitialspace=True)
    records: list[list[str]] = []
    first_line: list[int] = []  # where each record starts, to find an unclosed quote
    start = 0
    try:
        for record in reader:
            # A line of nothing but spaces is blank, as for pandas; '""' is an empty cell.
            if len(record) > 1 or not all(map(_is_blank, lines[start : reader.line_num])):
                records.append(record)
                first_line.append(start)
            start = reader.line_num
    except csv.Error as error:
        raise InputError(f"{name}: not a valid CSV file ({error})") from None
    if records and _ends_in_quotes("".join(lines[first_line[-1] :])):
        raise InputError(
            f"{name}: not a valid CSV file (a quote opened in row {len(records)} is never closed)"
        )
    if not records:
        raise InputError(f"{name}: the file holds no header row (expected period,value)")
    header, *data = records
    seen: set[str] = set()
    for column in header:
        key = column.strip().lower()
        if key in seen and key in ("period", "value"):
            raise InputError(
                f"{name}: row 1: column {key!r} appears more than once (case and surrounding"
                " spaces ignored)"
            )
        seen.add(key)
    # A first row longer than the header starts with row names (R's write.table writes them
    # so, and pandas reads them so): those columns are left out.
    names = max(len(data[0]) - len(header), 0) if data else 0
    width = len(header) + names
    rows = []
    for number, record in enumerate(data, start=2):
        if len(record) > width:
            above = f"the rows above have {width}" if names else f"the header has {width}"
            raise InputError(
                f"{name}: not a valid CSV file (row {number} has {len(record)} fields, {above})"
            )
        rows.append((*record[names:], *([""] * (width - len(record)))))
    return HistoryTable(tuple(header), tuple(rows))


def _numbers(texts: Sequence[str]) -> FloatArray:
    """Each text as a number (NaN where it is none): decimal notation or ``inf``/``infinity``."""
    values = np.full(len(texts), np.nan)
    for i, text in enumerate(texts):
        if _NUMBER.fullmatch(text):
            values[i] = float(text)
        elif _INFINITY.fullmatch(text):
            values[i] = -math.inf if text.startswith("-") else math.inf
    return values


def dated_years(texts: Sequence[str]) -> FloatArray:
    """ISO 8601 dates and times as decimal years (NaN where a text is none); a time with an
    offset is taken in UTC."""
    import pandas as pd  # only dated histories need its ISO 8601 parser

    # utc=True: one column may mix offsets (+01:00 in winter, +02:00 in summer).
    stamps = pd.to_datetime(
        pd.Series(texts, dtype=object), errors="coerce", format="ISO8601", utc=True
    ).dt.tz_convert(None)
    # From the calendar fields, not by subtracting timestamps: works for any year pandas parses.
    years = stamps.dt.year.to_numpy(dtype=np.float64)
    days = np.where(stamps.dt.is_leap_year.to_numpy(), 366.0, 365.0)
    seconds = (
        stamps.dt.hour.to_numpy(dtype=np.float64) * 3600.0
        + stamps.dt.minute.to_numpy(dtype=np.float64) * 60.0
        + stamps.dt.second.to_numpy(dtype=np.float64)
    )
    offset = stamps.dt.day_of_year.to_numpy(dtype=np.float64) - 1.0 + seconds / 86400.0
    return np.asarray(years + offset / days, dtype=np.float64)


def _table(source: Any) -> HistoryTable:
    if isinstance(source, HistoryTable):
        return source
    if isinstance(source, str | PurePath):
        path = Path(source)
        return read_history_text(read_text_file(path), str(path))
    return HistoryTable.of_frame(source)  # a pandas DataFrame


def read_observations(
    source: str | PurePath | HistoryTable | pd.DataFrame,
    *,
    kind: Kind = "cumulative",
    unit: Unit = "share",
    population: float | None = None,
    name: str | None = None,
) -> Observations:
    """Read and validate a history with columns ``period`` and ``value``.

    ``source`` is a CSV path, the cells of one (:func:`read_history_text`) or a pandas DataFrame
    (a table is named ``name`` in messages, else "data"). Periods are years (``2009``,
    ``2009.5``) or dates (``2009-06-30``); values are shares 0-1, percent 0-100 or counts (of
    users out of ``population``, or of adopters in a market whose size the fit estimates when
    no population is given). Every problem is reported at once as an :class:`InputError` naming
    the source, the row (numbered as in a spreadsheet: the header is row 1) and the field.
    """
    if name is None:
        name = str(source) if isinstance(source, str | PurePath) else "data"
    table = _table(source)
    columns = [str(c).strip().lower() for c in table.columns]
    repeated = sorted({c for c in ("period", "value") if columns.count(c) > 1})
    if repeated:
        raise InputError(
            f"{name}: row 1: column {repeated[0]!r} appears more than once (case and surrounding"
            " spaces ignored)"
        )
    missing = [c for c in ("period", "value") if c not in columns]
    if missing:
        raise InputError(
            f"{name}: missing column(s) {', '.join(missing)}; expected a header row with"
            " period,value"
        )
    if population is not None and not population > 0:
        raise InputError(f"{name}: the population size must be positive (got {population:g})")
    if not table.rows:
        raise InputError(f"{name}: no data rows after the header")

    problems: list[tuple[int, str]] = []
    period_at, value_at = columns.index("period"), columns.index("value")
    period_text = [row[period_at].strip() for row in table.rows]
    value_text = [row[value_at].strip() for row in table.rows]
    rows = np.arange(2, len(table.rows) + 2)  # spreadsheet numbering: the header is row 1

    periods = _numbers(period_text)
    dated = bool(np.isnan(periods).any())
    if dated:
        periods = dated_years(period_text)
        bad = np.isnan(periods)
        problems.extend(
            (r, f"{name}: row {r}, field period: {_cell(t)} is not a year or a date (YYYY-MM-DD)")
            for r, t in _where(bad, rows, period_text)
        )
        outside = ~bad & ~((periods >= DATED_YEARS[0]) & (periods < DATED_YEARS[1] + 1))
        where = f"outside the years {DATED_YEARS[0]}-{DATED_YEARS[1]}"
    else:
        outside = ~(np.abs(periods) <= MAX_PERIOD)
        where = f"not a year or period number between -{MAX_PERIOD:g} and {MAX_PERIOD:g}"
    problems.extend(
        (r, f"{name}: row {r}, field period: {_cell(t)} is {where}")
        for r, t in _where(outside, rows, period_text)
    )

    values = _numbers(value_text)
    bad_value = ~np.isfinite(values)
    problems.extend(
        (r, f"{name}: row {r}, field value: {_cell(t)} is not a number")
        for r, t in _where(bad_value, rows, value_text)
    )
    negative = ~bad_value & (values < 0)
    problems.extend(
        (r, f"{name}: row {r}, field value: {v:g} is negative")
        for r, v in _where(negative, rows, values)
    )
    upper = {"share": 1.0, "percent": 100.0, "count": population or math.inf}[unit]
    label = {
        "share": "a share must be at most 1",
        "percent": "a percent must be at most 100",
        "count": f"above the population size {population or 0:g}",
    }[unit]
    too_big = ~bad_value & (values > upper)
    problems.extend(
        (r, f"{name}: row {r}, field value: {v:g} is too large ({label})")
        for r, v in _where(too_big, rows, values)
    )
    # Squares of residuals must stay in floating point: counts up to 1e150, shares from 1e-300.
    huge = ~bad_value & ~too_big & (values > MAX_COUNT)
    problems.extend(
        (r, f"{name}: row {r}, field value: {v:g} is too large (at most {MAX_COUNT:g})")
        for r, v in _where(huge, rows, values)
    )
    if population is not None:
        with np.errstate(all="ignore"):
            tiny = ~bad_value & (values > 0) & (values / population < MIN_SHARE)
        problems.extend(
            (
                r,
                f"{name}: row {r}, field value: {v:g} is too small a share of the population"
                f" size {population:g} (below {MIN_SHARE:g})",
            )
            for r, v in _where(tiny, rows, values)
        )
    if not problems:
        order = np.argsort(periods, kind="stable")
        dup = np.zeros(len(periods), dtype=bool)
        dup[order[1:]] = np.diff(periods[order]) == 0
        problems.extend(
            (r, f"{name}: row {r}, field period: {t} appears more than once")
            for r, t in _where(dup, rows, period_text)
        )
    if not problems:
        problems.extend(_spacing_problems(name, periods, period_text, rows))
    if not problems and kind == "per-period" and math.isfinite(upper):
        limit = {
            "share": "a share of 1",
            "percent": "100 percent",
            "count": f"the population size {population or 0:g}",
        }[unit]
        problems.extend(_overflow_problems(name, periods, values, period_text, rows, upper, limit))
    if problems:
        raise InputError([message for _, message in sorted(problems, key=lambda p: p[0])])

    order = np.argsort(periods, kind="stable")
    scale = {"share": 1.0, "percent": 100.0, "count": float(population or 1.0)}[unit]
    return Observations(
        periods=tuple(float(v) for v in periods[order]),
        values=tuple(float(v) for v in values[order] / scale),
        kind=kind,
        unit=unit,
        population=population,
        source=name,
    )


def _where(
    mask: npt.NDArray[np.bool_], rows: npt.NDArray[np.int_], cells: Iterable[Any]
) -> list[tuple[int, Any]]:
    """The row numbers and cells where ``mask`` is true."""
    return [(int(r), c) for r, c, m in zip(rows, cells, mask, strict=True) if m]


def _spacing_problems(
    name: str, periods: FloatArray, texts: Sequence[str], rows: npt.NDArray[np.int_]
) -> list[tuple[int, str]]:
    """The first period less than a day after the one before: the forecast steps by the
    history's spacing, so minutes apart would mean millions of points per draw."""
    order = np.argsort(periods, kind="stable")
    close = np.flatnonzero(np.diff(periods[order]) < MIN_PERIOD_STEP)
    if not close.size:
        return []
    here, before = order[close[0] + 1], order[close[0]]
    more = f" ({close.size - 1:,} more like it)" if close.size > 1 else ""
    return [
        (
            int(rows[here]),
            f"{name}: row {rows[here]}, field period: {_cell(texts[here])} is less than a"
            f" day after {_cell(texts[before])} (row {rows[before]}){more}; periods must"
            " be at least a day apart: add the values up by day, month or year",
        )
    ]


def _overflow_problems(
    name: str,
    periods: FloatArray,
    values: FloatArray,
    texts: Sequence[str],
    rows: npt.NDArray[np.int_],
    upper: float,
    limit: str,
) -> list[tuple[int, str]]:
    """Per-period values whose running total first exceeds what can adopt (the population,
    a share of 1, 100 percent): the period where it does."""
    order = np.argsort(periods, kind="stable")
    total = np.cumsum(values[order])
    over = np.flatnonzero(total > upper * (1 + 1e-9))
    if not over.size:
        return []
    here = order[over[0]]
    return [
        (
            int(rows[here]),
            f"{name}: row {rows[here]}, field value: new adopters up to period"
            f" {_cell(texts[here])} add up to {total[over[0]]:g}, more than {limit}"
            " (per-period values are the adopters new in each period; running totals are"
            " cumulative values)",
        )
    ]


def _cell(text: str) -> str:
    """A cell's text for a message: quoted, control characters escaped, long text shortened."""
    shown = text if len(text) <= 40 else f"{text[:20]}...{text[-8:]} ({len(text)} characters)"
    return repr(shown)
