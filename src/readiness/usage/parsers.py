"""One parser per recognised usage export (:data:`readiness.usage.formats.FORMATS`): a file's
rows become activity, who was active in which month, with every skipped row named by file, row
and field.

- The per-user reports (Viva Engage and Teams user detail, Slack members) give (user, month)
  pairs: the user as the export writes it, the month as its first day.
- The daily count reports (Viva Engage and Teams user counts) name nobody: they give, per
  month, at least how many users were active (the largest day).
- An event log (CSV or Parquet, of any size) is read by DuckDB in place; its distinct
  (user, month) pairs are left in DuckDB, never a pandas frame.

Which actions count is the caller's choice (``actions``, see
:data:`~readiness.usage.formats.ACTIONS`). Identifiers are pseudonymised by the import
(:class:`readiness.usage.measure.UsageImport`) as soon as a parser has returned.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from readiness.errors import InputError
from readiness.textfiles import open_regular_file
from readiness.usage.formats import (
    MAX_PERIOD_DAYS,
    SLACK_ID_COLUMNS,
    SLACK_LAST_ACTIVE,
    action_kind,
    normalise,
)
from readiness.usage.reading import (
    FIRST_YEAR,
    LAST_YEAR,
    ROWS_LISTED,
    csv_columns,
    dates,
    first_line,
    listed,
)

if TYPE_CHECKING:
    import duckdb

#: More than this many actions (or users) in one row of a report cannot be real activity:
#: a billion posts in a month is hundreds a second. Larger counts mark a damaged row.
MAX_COUNT = 1_000_000_000
#: Longest reporting period taken as a period at all (Microsoft's longest is 180 days).
MAX_REPORT_DAYS = 366
COUNT_PROBLEM = f"a count is not a number from 0 to {MAX_COUNT:,}"
#: The first bytes of a Parquet file (read as an event log).
PARQUET_MAGIC = b"PAR1"
#: The DuckDB table an event log's distinct (user text ``u``, ``month``) pairs are left in.
STAGED = "stage"


@dataclass(frozen=True)
class Activity:
    """What one export says: its rows, the rows skipped and why (one line each), and either
    ``pairs`` (``user`` as written, ``month`` a date: the first day) or ``daily`` (``month``, and
    ``users``: at least that many were active). An event log's pairs are in DuckDB instead
    (:data:`STAGED`)."""

    rows: int
    skipped: int
    problems: tuple[str, ...] = ()
    pairs: pd.DataFrame | None = None
    daily: pd.DataFrame | None = None


# --- reports read whole: per-user detail, Slack members, daily counts --------------------------


def _counts(frame: pd.DataFrame, columns: Sequence[str]) -> tuple[pd.DataFrame, pd.Series]:
    """Numbers 0..MAX_COUNT of ``columns`` (missing columns are zero) and rows that are not."""
    values = pd.DataFrame(index=frame.index)
    bad = pd.Series(False, index=frame.index)
    for column in columns:
        if column not in frame.columns:
            values[column] = 0.0
            continue
        text = frame[column].str.strip()
        numbers = pd.to_numeric(text.where(text != "", "0"), errors="coerce")
        bad |= numbers.isna() | (numbers < 0) | (numbers > MAX_COUNT)
        values[column] = numbers.fillna(0.0)
    return values, bad


def _pairs(users: pd.Series, months: pd.Series) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "user": pd.Series(users.tolist(), dtype=object),
            "month": pd.Series(months.tolist(), dtype=object),
        }
    )


def _user_detail(
    frame: pd.DataFrame, name: str, kinds: Mapping[str, str], actions: frozenset[str]
) -> Activity:
    """Users with a counted action in a Microsoft per-user detail export (``kinds``: count
    column -> kind of action), each dated to the month in which the report's period mostly
    lies (its midpoint)."""
    values, bad_number = _counts(frame, list(kinds))
    counted = [c for c, kind in kinds.items() if kind in actions]
    active = (values[counted] > 0).any(axis=1) if counted else pd.Series(False, frame.index)
    if "other" in actions and "has other action" in frame.columns:
        active |= frame["has other action"].str.strip().str.lower().isin(("yes", "true", "1"))
    user_column = "user principal name"
    if "user id" in frame.columns:
        blank = frame[user_column].str.strip() == ""
        users = frame[user_column].where(~blank, frame["user id"])
    else:
        users = frame[user_column]
    end_text = (
        frame["report refresh date"].str.strip()
        if "report refresh date" in frame.columns
        else frame["last activity date"].str.strip()
    )
    ends = dates(end_text)
    period_text = (
        frame["report period"].str.strip()
        if "report period" in frame.columns
        else pd.Series("30", frame.index)
    )
    periods = pd.to_numeric(period_text.str.removeprefix("D"), errors="coerce")
    problems: list[str] = []
    # inf, NaN, 0, negative, fractional or absurd: not a period; each such row is skipped.
    bad_period = ~(periods.between(1, MAX_REPORT_DAYS) & (periods % 1 == 0)).fillna(False)
    too_long = ~bad_period & (periods > MAX_PERIOD_DAYS)
    if too_long.any():
        days = int(periods[too_long].iloc[0])
        row = int(too_long.to_numpy().argmax()) + 2
        raise InputError(
            f"{name}: row {row}: field Report Period: a {days}-day report "
            f"spans several months; export the 7- or 30-day report once a month"
        )
    bad_date = ends.isna()
    no_user = users.str.strip() == ""
    skip = bad_date | bad_period | bad_number | no_user
    field_of = [
        (
            bad_date,
            "Report Refresh Date"
            if "report refresh date" in frame.columns
            else "Last Activity Date",
            "not a date",
        ),
        (
            bad_period & ~bad_date,
            "Report Period",
            f"not a whole number of days from 1 to {MAX_REPORT_DAYS}",
        ),
        (bad_number & ~bad_date & ~bad_period, "counts", COUNT_PROBLEM),
        (no_user & ~bad_date & ~bad_period & ~bad_number, "User Principal Name", "empty"),
    ]
    for mask, column, what in field_of:
        for row in (mask[mask].index + 2).tolist():
            problems.append(f"{name}: row {row}: field {column}: {what}; row skipped")
    problems = listed(problems, int(skip.sum()), name, "problems")
    keep = active & ~skip
    middle = ends[keep] - pd.to_timedelta(periods[keep] / 2, unit="D")
    months = middle.dt.to_period("M").dt.start_time.dt.date
    return Activity(len(frame), int(skip.sum()), tuple(problems), pairs=_pairs(users[keep], months))


def yammer_user_detail(frame: pd.DataFrame, name: str, actions: frozenset[str]) -> Activity:
    """Viva Engage (Yammer) activity user detail: posted, liked and read counts per user."""
    kinds = {"posted count": "post", "liked count": "react", "read count": "read"}
    return _user_detail(frame, name, kinds, actions)


def teams_user_detail(frame: pd.DataFrame, name: str, actions: frozenset[str]) -> Activity:
    """Teams user activity user detail: messages, replies, calls and meetings per user."""
    kinds = {
        "team chat message count": "post",
        "private chat message count": "post",
        "post messages": "post",
        "reply messages": "comment",
        "call count": "meet",
        "meeting count": "meet",
    }
    return _user_detail(frame, name, kinds, actions)


def slack_members(frame: pd.DataFrame, name: str, actions: frozenset[str]) -> Activity:
    """Slack member analytics: members who posted (or reacted, or were active at all when
    reading counts), dated to the month of their last activity."""
    id_column = next(c for c in SLACK_ID_COLUMNS if c in frame.columns)
    last_column = next((c for c in SLACK_LAST_ACTIVE if c in frame.columns), None)
    if last_column is None:
        raise InputError(f"{name}: row 1: missing column 'Last active (UTC)'")
    kinds = {"messages posted": "post", "reactions added": "react", "days active": "read"}
    values, bad_number = _counts(frame, list(kinds))
    counted = [c for c, kind in kinds.items() if kind in actions]
    active = (values[counted] > 0).any(axis=1) if counted else pd.Series(False, frame.index)
    text = frame[last_column].str.strip()
    last = dates(text)
    never = text.str.lower().isin(("", "never", "-"))
    bad_date = last.isna() & ~never
    users = frame[id_column].str.strip()
    skip = bad_date | bad_number | (users == "")
    problems: list[str] = []
    for row in (bad_date[bad_date].index + 2).tolist():
        problems.append(f"{name}: row {row}: field {last_column}: not a date; row skipped")
    for row in (bad_number[bad_number & ~bad_date].index + 2).tolist():
        problems.append(f"{name}: row {row}: field counts: {COUNT_PROBLEM}; row skipped")
    problems = listed(problems, int((bad_date | bad_number).sum()), name, "problems")
    keep = active & ~skip & last.notna()
    months = last[keep].dt.to_period("M").dt.start_time.dt.date
    return Activity(len(frame), int(skip.sum()), tuple(problems), pairs=_pairs(users[keep], months))


def _user_counts(
    frame: pd.DataFrame, name: str, kinds: Mapping[str, str], actions: frozenset[str]
) -> Activity:
    """A daily count report (``kinds``: column of unique users per day -> kind of action): per
    month, the largest day's count of a counted kind, a lower bound of its active users."""
    columns = [c for c, kind in kinds.items() if kind in actions and c in frame.columns]
    problems: list[str] = []
    days = dates(frame["report date"].str.strip())
    bad = days.isna()
    for row in (bad[bad].index[:ROWS_LISTED] + 2).tolist():
        problems.append(f"{name}: row {row}: field Report Date: not a date; row skipped")
    values = pd.DataFrame(index=frame.index)
    for column in columns:
        numbers = pd.to_numeric(frame[column].str.strip(), errors="coerce")
        wrong = numbers.isna() | (numbers < 0) | (numbers > MAX_COUNT)
        for row in (wrong[wrong & ~bad].index[:ROWS_LISTED] + 2).tolist():
            problems.append(
                f"{name}: row {row}: field {column}: not a count of users from 0 to "
                f"{MAX_COUNT:,}; row skipped"
            )
        bad |= wrong
        values[column] = numbers
    good = ~bad
    monthly = None
    if columns and good.any():
        # Unique users per day: the month's active users are at least its largest day.
        daily = values[good].max(axis=1)
        months = days[good].dt.to_period("M").dt.start_time.dt.date
        monthly = (
            pd.DataFrame({"month": months, "users": daily})
            .groupby("month", as_index=False)
            .agg(users=("users", "max"))
        )
    return Activity(len(frame), int(bad.sum()), tuple(problems), daily=monthly)


def yammer_user_counts(frame: pd.DataFrame, name: str, actions: frozenset[str]) -> Activity:
    """Viva Engage (Yammer) activity user counts: users who posted, liked and read per day."""
    kinds = {"posted": "post", "liked": "react", "read": "read"}
    return _user_counts(frame, name, kinds, actions)


def teams_user_counts(frame: pd.DataFrame, name: str, actions: frozenset[str]) -> Activity:
    """Teams user activity user counts: users who chatted, called, met or acted per day."""
    kinds = {
        "team chat messages": "post",
        "private chat messages": "post",
        "calls": "meet",
        "meetings": "meet",
        "other actions": "other",
    }
    return _user_counts(frame, name, kinds, actions)


#: The parser of each report read whole, by format key: a frame of text cells (columns as
#: :func:`~readiness.usage.formats.normalise` writes them), the file's name, the counted actions.
REPORT_PARSERS: dict[str, Callable[[pd.DataFrame, str, frozenset[str]], Activity]] = {
    "yammer_user_detail": yammer_user_detail,
    "teams_user_detail": teams_user_detail,
    "yammer_user_counts": yammer_user_counts,
    "teams_user_counts": teams_user_counts,
    "slack_members": slack_members,
}


# --- event logs read by DuckDB in place -------------------------------------------------------


def reader_sql(kind: str, columns: Sequence[str] = ()) -> str:
    """The DuckDB table function reading ``$1``: Parquet as typed, CSV as text with the given
    header (strict: a row with another number of cells is an error naming its line)."""
    if kind == "parquet":
        return "read_parquet($1)"
    struct = ", ".join("'" + c.replace("'", "''") + "': 'VARCHAR'" for c in columns)
    return (
        "read_csv($1, auto_detect = false, header = true, delim = ',', quote = '\"', "
        f"escape = '\"', columns = {{{struct}}})"
    )


def file_schema(con: duckdb.DuckDBPyConnection, path: str, kind: str, name: str) -> dict[str, str]:
    """Column name -> DuckDB type of a CSV (all text) or Parquet file."""
    import duckdb

    if kind == "csv":
        with open_regular_file(Path(path)) as handle:
            head = handle.read(1 << 20)
        return dict.fromkeys(csv_columns(head, name), "VARCHAR")
    try:
        rows = con.execute(f"DESCRIBE SELECT * FROM {reader_sql(kind)}", [path]).fetchall()
    except duckdb.Error as error:
        raise InputError(f"{name}: cannot be read as {kind} ({first_line(error)})") from None
    return {str(r[0]): str(r[1]) for r in rows}


def _csv_error(error: BaseException, name: str) -> str:
    """DuckDB's CSV error as one line naming the row."""
    text = str(error)
    line = re.search(r"CSV Error on Line: (\d+)", text)
    cells = re.search(r"Expected Number of Columns: (\d+) Found: (\d+)", text)
    if line and cells:
        return (
            f"{name}: row {line.group(1)}: {cells.group(2)} cells where the header has "
            f"{cells.group(1)}"
        )
    if line:
        return f"{name}: row {line.group(1)}: not readable CSV ({first_line(error)})"
    return f"{name}: cannot be read ({first_line(error)})"


def _quoted(column: str) -> str:
    return '"' + column.replace('"', '""') + '"'


def event_log(
    con: duckdb.DuckDBPyConnection,
    path: str,
    name: str,
    kind: str,
    schema: Mapping[str, str],
    actions: frozenset[str],
) -> Activity:
    """An event log (``user``, ``timestamp``, optionally ``action``) read straight into DuckDB:
    its distinct (user, month) pairs of counted actions are left in the table :data:`STAGED`;
    rows with an unparseable timestamp are counted and listed by row.

    The file is scanned for its distinct actions, then once for the distinct (user, month)
    pairs, then, only when some timestamps are bad, once more to list their rows.
    """
    import duckdb

    by_name = {normalise(c): c for c in schema}
    user, stamp = _quoted(by_name["user"]), _quoted(by_name["timestamp"])
    if schema[by_name["timestamp"]].upper().startswith(("TIMESTAMP", "DATE")):
        parsed = f"CAST({stamp} AS TIMESTAMP)"  # typed (Parquet): nothing to parse
    else:
        parsed = (
            f"coalesce(try_cast({stamp} AS TIMESTAMP), "
            f"CAST(try_cast({stamp} AS TIMESTAMPTZ) AS TIMESTAMP))"
        )
    when = (
        f"(CASE WHEN {parsed} >= TIMESTAMP '{FIRST_YEAR}-01-01' AND {parsed} < "
        f"TIMESTAMP '{LAST_YEAR + 1}-01-01' THEN {parsed} END)"
    )
    source = reader_sql(kind, list(schema))
    try:
        counted_filter = "TRUE"
        if "action" in by_name:
            action = _quoted(by_name["action"])
            values = [
                r[0]
                for r in con.execute(
                    f"SELECT DISTINCT {action} FROM {source} WHERE {action} IS NOT NULL",
                    [path],
                ).fetchall()
            ]
            chosen = [str(v) for v in values if action_kind(str(v)) in actions]
            if schema[by_name["action"]].upper() != "VARCHAR":
                action = f"CAST({action} AS VARCHAR)"
            # Literals, not a list parameter: DuckDB then filters dictionary pages directly.
            literals = ", ".join("'" + v.replace("'", "''") + "'" for v in chosen)
            counted_filter = f"{action} IN ({literals})" if chosen else "FALSE"
        totals = con.execute(
            f"SELECT count(*), count(*) - count({when}) FROM {source}", [path]
        ).fetchone()
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE {STAGED} AS "
            f"SELECT DISTINCT CAST({user} AS VARCHAR) AS u, "
            f"CAST(date_trunc('month', {when}) AS DATE) AS month FROM {source} "
            f"WHERE {when} IS NOT NULL AND {counted_filter}",
            [path],
        )
        empty = con.execute(
            f"SELECT count(*) FROM {STAGED} WHERE u IS NULL OR trim(u) = ''"
        ).fetchone()
    except duckdb.Error as error:
        raise InputError(_csv_error(error, name)) from None
    assert totals is not None
    assert empty is not None
    rows, bad_dates = int(totals[0]), int(totals[1])
    problems: list[str] = []
    if bad_dates:
        found = con.execute(
            f"SELECT row FROM (SELECT row_number() OVER () + 1 AS row, {when} AS ts "
            f"FROM {source}) WHERE ts IS NULL ORDER BY row LIMIT {ROWS_LISTED}",
            [path],
        ).fetchall()
        problems += listed(
            [
                f"{name}: row {r[0]}: field timestamp: not a date or time between "
                f"{FIRST_YEAR} and {LAST_YEAR}; row skipped"
                for r in found
            ],
            bad_dates,
            name,
            "an unparseable timestamp",
        )
    if empty[0]:
        problems.append(f"{name}: events with an empty user were skipped")
    return Activity(rows, bad_dates, tuple(problems))
