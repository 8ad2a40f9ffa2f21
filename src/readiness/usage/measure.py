"""Measured adoption: usage exports in, monthly active share per division out.

Definitions (stated on every surface):

- **Active** in a month: at least one counted action in that month. Which actions count is a
  setting (:data:`~readiness.usage.formats.DEFAULT_ACTIONS`: posting, editing, commenting,
  reacting; reading is off by default).
- **Monthly active share** of a division: its active users / its roster users employed that
  month (a roster row is employed in a month when it starts before the month ends and does not
  end before it begins). Active users missing from the roster, or not employed that month, are
  counted as "not in roster", never dropped.
- **Privacy**: user identifiers are pseudonymised with a salted SHA-256 as they are read (the
  salt is drawn per import and never stored or shown); only monthly aggregates leave this
  module. A division with fewer than ``min_group`` roster users in any month is never shown on
  its own: it is merged into "other divisions" by the rule of :mod:`readiness.groups` (joined by
  the next smallest when alone or still below the minimum).

Aggregation runs in DuckDB (embedded, in memory, spilling to disk when needed): an event log of
tens of millions of rows is reduced to distinct (user, month) pairs without ever becoming a
pandas frame.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import secrets
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from readiness.errors import InputError
from readiness.groups import OTHER_DIVISIONS, merge_small_groups, min_group_size
from readiness.settings import DEFAULT_MIN_GROUP_SIZE
from readiness.textfiles import decode_text, file_kind, open_regular_file, read_file_bytes
from readiness.usage.formats import (
    ACTIONS,
    DEFAULT_ACTIONS,
    MAX_PERIOD_DAYS,
    SLACK_ID_COLUMNS,
    SLACK_LAST_ACTIVE,
    UsageFormat,
    action_kind,
    detect_format,
    normalise,
)

if TYPE_CHECKING:
    import duckdb

#: The documented default of the minimum group size; the one in use is the setting
#: (READINESS_MIN_GROUP_SIZE, :func:`readiness.groups.min_group_size`).
MIN_GROUP_SIZE = DEFAULT_MIN_GROUP_SIZE
ALL_STAFF = "all staff"
#: Dates outside these years are typing mistakes (0001-01-01, 9999-12-31), not activity.
FIRST_YEAR, LAST_YEAR = 1990, 2100
#: Problem rows listed one by one before the rest are only counted.
ROWS_LISTED = 10
#: More than this many actions (or users) in one row of a report cannot be real activity:
#: a billion posts in a month is hundreds a second. Larger counts mark a damaged row.
MAX_COUNT = 1_000_000_000
#: Longest reporting period taken as a period at all (Microsoft's longest is 180 days).
MAX_REPORT_DAYS = 366
PARQUET_MAGIC = b"PAR1"
#: A time of day followed by its UTC offset (Z, UTC, +01:00, -0500), which is dropped.
UTC_OFFSET = r"(?i)(\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)\s*(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)$"
COUNT_PROBLEM = f"a count is not a number from 0 to {MAX_COUNT:,}"

#: Told the fraction done (0-1) and what is happening; its return value is ignored.
Progress = Callable[[float, str], object]


@dataclass(frozen=True)
class ImportedFile:
    """What one file gave: its format, rows read, rows skipped and why (one line each)."""

    name: str
    format: UsageFormat
    rows: int
    skipped: int
    problems: tuple[str, ...] = ()


@dataclass(frozen=True)
class MeasuredAdoption:
    """Monthly aggregates only: no user identifier, no group below the minimum.

    ``series`` has one row per month and group: ``month`` ("2026-03"), ``group`` (a division,
    "other divisions" or "all staff"), ``roster`` (people employed that month, or the
    headcount), ``active`` (active users), ``share`` (0-1) and ``basis`` (how ``active`` was
    measured). ``not_in_roster`` has ``month`` and ``users`` (active users the roster does not
    list as employed that month).
    """

    series: pd.DataFrame
    not_in_roster: pd.DataFrame
    files: tuple[ImportedFile, ...]
    actions: frozenset[str]
    min_group: int
    merged: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def overall(self) -> pd.DataFrame:
        """The whole organization's rows of :attr:`series`."""
        return self.series[self.series["group"] == ALL_STAFF].reset_index(drop=True)

    @property
    def divisions(self) -> list[str]:
        """The groups shown per division, in order of size (largest first)."""
        rows = self.series[self.series["group"] != ALL_STAFF]
        order = rows.groupby("group")["roster"].max().sort_values(ascending=False, kind="stable")
        return [str(g) for g in order.index]

    def monthly_series(self) -> pd.DataFrame:
        """The series as downloaded and printed: month, group, roster, active, share (0-1,
        4 decimals), basis, and on the whole organization's rows ``not_in_roster``."""
        frame = self.series[["month", "group", "roster", "active", "share", "basis"]]
        outside = self.not_in_roster.rename(columns={"users": "not_in_roster"})
        frame = frame.assign(share=frame["share"].astype("float64").round(4)).merge(
            outside.astype({"month": str}), on="month", how="left"
        )
        frame["not_in_roster"] = frame["not_in_roster"].astype("Int64")
        frame.loc[frame["group"] != ALL_STAFF, "not_in_roster"] = pd.NA
        return frame

    def definitions(self) -> list[str]:
        """The definitions behind the numbers, in words."""
        actions = ", ".join(a for a in ACTIONS if a in self.actions) or "none"
        return [
            f"Active: at least one counted action in the month (counted: {actions}).",
            "Monthly active share: active users / roster users employed that month.",
            f"Groups smaller than {self.min_group} people are merged into "
            f"'{OTHER_DIVISIONS}'; user identifiers are pseudonymised and never kept.",
        ]


def pseudonym_sql(salt_param: str, column: str) -> str:
    """The SQL of a user's pseudonym: the first 64 bits of the salted SHA-256 of the trimmed,
    lower-case identifier (an integer: joins stay fast; a collision among a million people has
    odds of about 3 in 100 million)."""
    digest = f"sha256({salt_param} || lower(trim({column})))"
    return f"CAST(('0x' || substr({digest}, 1, 16)) AS UBIGINT)"


def _connect() -> duckdb.DuckDBPyConnection:
    import duckdb

    con = duckdb.connect(":memory:")
    con.execute("SET TimeZone = 'UTC'")
    con.execute("SET preserve_insertion_order = false")
    return con


def _listed(problems: list[str], total: int, name: str, what: str) -> list[str]:
    shown = problems[:ROWS_LISTED]
    if total > len(shown):
        shown.append(f"{name}: {total - len(shown):,} more rows with {what}")
    return shown


class UsageImport:
    """One import session: a salt, a DuckDB connection holding pseudonymised (user, month)
    pairs and daily-count lower bounds, and what each file gave. Nothing is written to disk
    except a temporary copy of an uploaded event log, removed once read."""

    def __init__(self, actions: Iterable[str] = DEFAULT_ACTIONS) -> None:
        chosen = frozenset(actions)
        unknown = sorted(chosen - set(ACTIONS))
        if unknown:
            raise InputError(
                f"unknown action(s) {', '.join(unknown)}; choose from {', '.join(ACTIONS)}"
            )
        self.actions = chosen
        self._salt = secrets.token_hex(16)  # per session: never stored, never shown
        self._con = _connect()
        self._con.execute("CREATE TABLE pairs (user_key UBIGINT, month DATE)")
        self._con.execute("CREATE TABLE daily (month DATE, users BIGINT)")
        self.files: list[ImportedFile] = []

    # --- reading ----------------------------------------------------------------------------

    def add(self, source: bytes | Path, name: str | None = None) -> ImportedFile:
        """Read one export (bytes of an upload, or a path) and keep its monthly activity."""
        label = name or str(source)
        if not isinstance(source, bytes):
            imported = self._add_path(Path(source), label)
            if imported is not None:  # an event log, read from disk without a copy
                self.files.append(imported)
                return imported
        data = source if isinstance(source, bytes) else read_file_bytes(Path(source))
        if data[:4] == PARQUET_MAGIC:
            imported = self._add_parquet(data, label)
        else:
            text = _decode(data, label)
            header = _header(text, label)
            fmt = detect_format(header, label)
            if fmt.key == "event_log":
                imported = self._add_event_log(data, label, fmt, "csv")
            else:
                frame = _frame(text, label)
                imported = self._add_frame(frame, label, fmt)
        self.files.append(imported)
        return imported

    def _add_path(self, path: Path, name: str) -> ImportedFile | None:
        """An event log file read in place (CSV or Parquet of any size); None for the other
        formats, which are small and read whole."""
        with open_regular_file(path) as handle:
            head = handle.read(1 << 20)
        if head[:4] == PARQUET_MAGIC:
            fmt = detect_format(self._columns(str(path), "parquet", name), name)
            if fmt.key != "event_log":
                raise InputError(f"{name}: Parquet is read as an event log only (user, timestamp)")
            return self.add_event_log_path(str(path), name, "parquet", fmt)
        if not head.strip():
            return None
        columns = _csv_columns(head, name)
        fmt = detect_format(columns, name)
        if fmt.key != "event_log":
            return None
        return self.add_event_log_path(str(path), name, "csv", fmt)

    def _add_parquet(self, data: bytes, name: str) -> ImportedFile:
        columns = self._with_temp(
            data, ".parquet", lambda path: self._columns(path, "parquet", name)
        )
        fmt = detect_format(columns, name)
        if fmt.key != "event_log":
            raise InputError(f"{name}: Parquet is read as an event log only (user, timestamp)")
        return self._add_event_log(data, name, fmt, "parquet")

    def _with_temp(self, data: bytes, suffix: str, work: Callable[[str], Any]) -> Any:
        handle, path = tempfile.mkstemp(suffix=suffix, prefix="readiness-usage-")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            return work(path)
        finally:
            os.unlink(path)

    def _schema(self, path: str, kind: str, name: str) -> dict[str, str]:
        """Column name -> DuckDB type of a CSV (all text) or Parquet file."""
        import duckdb

        if kind == "csv":
            with open_regular_file(Path(path)) as handle:
                head = handle.read(1 << 20)
            return dict.fromkeys(_csv_columns(head, name), "VARCHAR")
        try:
            rows = self._con.execute(f"DESCRIBE SELECT * FROM {_reader(kind)}", [path]).fetchall()
        except duckdb.Error as error:
            raise InputError(f"{name}: cannot be read as {kind} ({_first_line(error)})") from None
        return {str(r[0]): str(r[1]) for r in rows}

    def _columns(self, path: str, kind: str, name: str | None = None) -> list[str]:
        return list(self._schema(path, kind, name or path))

    def _add_event_log(self, data: bytes, name: str, fmt: UsageFormat, kind: str) -> ImportedFile:
        imported: ImportedFile = self._with_temp(
            data, f".{kind}", lambda path: self.add_event_log_path(path, name, kind, fmt)
        )
        return imported

    def add_event_log_path(
        self, path: str, name: str, kind: str = "csv", fmt: UsageFormat | None = None
    ) -> ImportedFile:
        """Read an event log file (CSV or Parquet) straight into DuckDB: rows with an
        unparseable timestamp are counted and listed by row, the rest imported.

        The file is scanned for its distinct actions, then once for the distinct (user, month)
        pairs of counted actions; only then are users pseudonymised (once per distinct user).
        """
        import duckdb

        schema = self._schema(path, kind, name)
        by_name = {normalise(c): c for c in schema}
        if fmt is None:
            fmt = detect_format(list(schema), name)
        if fmt.key != "event_log":
            raise InputError(f"{name}: not an event log (user, timestamp)")
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
        source = _reader(kind, list(schema))
        con = self._con
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
                chosen = [str(v) for v in values if action_kind(str(v)) in self.actions]
                if schema[by_name["action"]].upper() != "VARCHAR":
                    action = f"CAST({action} AS VARCHAR)"
                # Literals, not a list parameter: DuckDB then filters dictionary pages directly.
                literals = ", ".join("'" + v.replace("'", "''") + "'" for v in chosen)
                counted_filter = f"{action} IN ({literals})" if chosen else "FALSE"
            totals = con.execute(
                f"SELECT count(*), count(*) - count({when}) FROM {source}", [path]
            ).fetchone()
            con.execute(
                "CREATE OR REPLACE TEMP TABLE stage AS "
                f"SELECT DISTINCT CAST({user} AS VARCHAR) AS u, "
                f"CAST(date_trunc('month', {when}) AS DATE) AS month FROM {source} "
                f"WHERE {when} IS NOT NULL AND {counted_filter}",
                [path],
            )
            empty = con.execute(
                "SELECT count(*) FROM stage WHERE u IS NULL OR trim(u) = ''"
            ).fetchone()
            con.execute(
                "INSERT INTO pairs WITH keys AS ("
                f"SELECT u, {pseudonym_sql('$1', 'u')} AS user_key FROM "
                "(SELECT DISTINCT u FROM stage) WHERE trim(u) <> '') "
                "SELECT DISTINCT user_key, month FROM stage JOIN keys USING (u)",
                [self._salt],
            )
            con.execute("DROP TABLE stage")
        except duckdb.Error as error:
            raise InputError(_csv_error(error, name)) from None
        assert totals is not None
        assert empty is not None
        rows, bad_dates = int(totals[0]), int(totals[1])
        problems: list[str] = []
        if bad_dates:
            listed = con.execute(
                f"SELECT row FROM (SELECT row_number() OVER () + 1 AS row, {when} AS ts "
                f"FROM {source}) WHERE ts IS NULL ORDER BY row LIMIT {ROWS_LISTED}",
                [path],
            ).fetchall()
            problems += _listed(
                [
                    f"{name}: row {r[0]}: field timestamp: not a date or time between "
                    f"{FIRST_YEAR} and {LAST_YEAR}; row skipped"
                    for r in listed
                ],
                bad_dates,
                name,
                "an unparseable timestamp",
            )
        if empty[0]:
            problems.append(f"{name}: events with an empty user were skipped")
        return ImportedFile(name, fmt, rows, bad_dates, tuple(problems))

    def _add_frame(self, frame: pd.DataFrame, name: str, fmt: UsageFormat) -> ImportedFile:
        frame = frame.rename(columns=normalise)
        if fmt.key in ("yammer_user_counts", "teams_user_counts"):
            return self._add_counts(frame, name, fmt)
        if fmt.key == "slack_members":
            users, months, problems, skipped = _slack_rows(frame, name, self.actions)
        else:
            users, months, problems, skipped = _detail_rows(frame, name, fmt, self.actions)
        pairs = pd.DataFrame(
            {"u": pd.Series(users, dtype=object), "month": pd.Series(months, dtype=object)}
        )
        self._con.register("incoming", pairs)
        try:
            self._con.execute(
                f"INSERT INTO pairs SELECT {pseudonym_sql('$1', 'CAST(u AS VARCHAR)')}, "
                "CAST(month AS DATE) "
                "FROM incoming",
                [self._salt],
            )
        finally:
            self._con.unregister("incoming")
        return ImportedFile(name, fmt, len(frame), skipped, tuple(problems))

    def _add_counts(self, frame: pd.DataFrame, name: str, fmt: UsageFormat) -> ImportedFile:
        kinds = (
            {"posted": "post", "liked": "react", "read": "read"}
            if fmt.key == "yammer_user_counts"
            else {
                "team chat messages": "post",
                "private chat messages": "post",
                "calls": "meet",
                "meetings": "meet",
                "other actions": "other",
            }
        )
        columns = [c for c, kind in kinds.items() if kind in self.actions and c in frame.columns]
        problems: list[str] = []
        days = _dates(frame["report date"].str.strip())
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
        if columns and good.any():
            # Unique users per day: the month's active users are at least its largest day.
            daily = values[good].max(axis=1)
            months = days[good].dt.to_period("M").dt.start_time.dt.date
            monthly = (
                pd.DataFrame({"month": months, "users": daily})
                .groupby("month", as_index=False)["users"]
                .max()
            )
            self._con.register("incoming", monthly)
            try:
                self._con.execute(
                    "INSERT INTO daily SELECT CAST(month AS DATE), CAST(users AS BIGINT) "
                    "FROM incoming"
                )
            finally:
                self._con.unregister("incoming")
        return ImportedFile(name, fmt, len(frame), int(bad.sum()), tuple(problems))

    # --- aggregation ------------------------------------------------------------------------

    def measure(
        self,
        roster: Roster | None = None,
        headcount: int | None = None,
        min_group: int | None = None,
    ) -> MeasuredAdoption:
        """Monthly active users and share, per division (with a roster) and overall; no group
        under ``min_group`` people (default: the setting READINESS_MIN_GROUP_SIZE)."""
        if min_group is None:
            min_group = min_group_size()
        if roster is None and headcount is None:
            raise InputError("give a roster (user, division) or the headcount of the organization")
        if headcount is not None and headcount <= 0:
            raise InputError(f"the headcount must be a positive number (got {headcount})")
        if min_group < 1:
            raise InputError(f"the minimum group size must be at least 1 (got {min_group})")
        con = self._con
        months = [
            r[0]
            for r in con.execute(
                "SELECT DISTINCT month FROM (SELECT month FROM pairs UNION SELECT month FROM daily)"
                " ORDER BY month"
            ).fetchall()
        ]
        if not months:
            names = ", ".join(f.name for f in self.files) or "the files"
            counted = ", ".join(a for a in ACTIONS if a in self.actions) or "nothing"
            raise InputError(
                f"{names}: no counted activity (counted: {counted}): nothing to measure"
            )
        con.execute(
            "CREATE OR REPLACE TEMP TABLE months AS SELECT unnest($1::DATE[]) AS month", [months]
        )
        con.execute(
            "CREATE OR REPLACE TEMP TABLE measured AS SELECT DISTINCT user_key, month FROM pairs"
        )
        daily = con.execute("SELECT month, max(users) FROM daily GROUP BY month").df()
        daily.columns = ["month", "users"]
        if roster is not None:
            series, outside, merged, notes = self._by_division(roster, min_group)
        else:
            assert headcount is not None
            series, outside, merged, notes = self._by_headcount(headcount, min_group)
        series = _fill_from_daily(series, daily)
        series["share"] = series["active"] / series["roster"]
        return MeasuredAdoption(
            series=series.sort_values(["group", "month"], kind="stable").reset_index(drop=True),
            not_in_roster=outside,
            files=tuple(self.files),
            actions=self.actions,
            min_group=min_group,
            merged=tuple(merged),
            notes=tuple(notes),
        )

    def _by_headcount(
        self, headcount: int, min_group: int
    ) -> tuple[pd.DataFrame, pd.DataFrame, list[str], list[str]]:
        frame = self._con.execute(
            "SELECT m.month, count(p.user_key) AS active FROM months m "
            "LEFT JOIN measured p USING (month) GROUP BY m.month ORDER BY m.month"
        ).df()
        over = frame[frame["active"] > headcount]
        if not over.empty:
            raise InputError(
                [
                    f"{_month(r.month)}: {r.active:,} active users, more than the headcount "
                    f"{headcount:,}: check the headcount"
                    for r in over.itertuples()
                ]
            )
        notes: list[str] = []
        if headcount < min_group:
            notes.append(f"fewer than {min_group} people: nothing is shown")
            frame = frame.iloc[0:0]
        series = pd.DataFrame(
            {
                # As text even when empty: an empty map keeps the dates' type.
                "month": frame["month"].map(_month).astype(str),
                "group": ALL_STAFF,
                "roster": headcount,
                "active": frame["active"].astype("Int64"),
                "basis": "users",
            }
        )
        outside = pd.DataFrame(
            {"month": pd.Series([], dtype=str), "users": pd.Series([], dtype="int64")}
        )
        return series, outside, [], notes

    def _by_division(
        self, roster: Roster, min_group: int
    ) -> tuple[pd.DataFrame, pd.DataFrame, list[str], list[str]]:
        con = self._con
        people = roster.frame.copy()
        con.register("roster_raw", people)
        try:
            con.execute(
                f"CREATE OR REPLACE TEMP TABLE roster AS SELECT {pseudonym_sql('$1', 'user')} "
                "AS user_key, division, CAST(start_date AS DATE) AS start_date, "
                "CAST(end_date AS DATE) AS end_date FROM roster_raw",
                [self._salt],
            )
        finally:
            con.unregister("roster_raw")
        con.execute(
            "CREATE OR REPLACE TEMP TABLE employed AS SELECT m.month, r.user_key, r.division "
            "FROM months m JOIN roster r ON (r.start_date IS NULL OR r.start_date < "
            "m.month + INTERVAL 1 MONTH) AND (r.end_date IS NULL OR r.end_date >= m.month)"
        )
        counts = con.execute(
            "SELECT e.month, e.division, count(*) AS roster, count(p.user_key) AS active "
            "FROM employed e LEFT JOIN measured p USING (user_key, month) "
            "GROUP BY ALL ORDER BY ALL"
        ).df()
        outside = con.execute(
            "SELECT m.month, count(p.user_key) AS users FROM months m LEFT JOIN "
            "(SELECT * FROM measured ANTI JOIN employed USING (user_key, month)) p USING (month) "
            "GROUP BY m.month ORDER BY m.month"
        ).df()
        outside["month"] = outside["month"].map(_month)
        series, merged, notes = _groups(counts, min_group)
        return series, outside, merged, notes

    def close(self) -> None:
        """Drop every pair and the connection (the session's data goes with it)."""
        self._con.close()


@dataclass(frozen=True)
class Roster:
    """Who works where: ``user`` (as in the exports), ``division``, optional ``start_date`` and
    ``end_date`` (ISO dates; empty = open). Read with :func:`read_roster`."""

    frame: pd.DataFrame
    name: str


def read_roster(source: bytes | Path, name: str | None = None) -> Roster:
    """A roster CSV validated row by row; every problem named by file, row and field."""
    label = name or str(source)
    data = source if isinstance(source, bytes) else read_file_bytes(Path(source))
    frame = _frame(_decode(data, label), label).rename(columns=normalise)
    missing = [c for c in ("user", "division") if c not in frame.columns]
    if missing:
        raise InputError(
            f"{label}: row 1: missing column(s) {', '.join(missing)}; a roster has "
            "user, division[, start_date, end_date]"
        )
    problems: list[str] = []
    out = pd.DataFrame(
        {
            "user": frame["user"].str.strip(),
            "division": frame["division"].str.strip(),
        }
    )
    for column in ("start_date", "end_date"):
        text = frame[column].str.strip() if column in frame.columns else pd.Series("", frame.index)
        parsed = _dates(text.where(text != ""))
        bad = (text != "") & parsed.isna()
        for row in (bad[bad].index + 2).tolist():
            problems.append(f"{label}: row {row}: field {column}: not a date (YYYY-MM-DD)")
        out[column] = parsed
    for column in ("user", "division"):
        empty = out[column] == ""
        for row in (empty[empty].index + 2).tolist():
            problems.append(f"{label}: row {row}: field {column}: empty")
    backwards = out["end_date"].notna() & out["start_date"].notna()
    backwards &= out["end_date"] < out["start_date"]
    for row in (backwards[backwards].index + 2).tolist():
        problems.append(f"{label}: row {row}: field end_date: before start_date")
    key = out["user"].str.lower()
    repeated = key.duplicated(keep="first") & (key != "")
    for row in (repeated[repeated].index + 2).tolist():
        problems.append(f"{label}: row {row}: field user: listed twice (each person once)")
    if problems:
        raise InputError(_listed(problems, len(problems), label, "problems"))
    if out.empty:
        raise InputError(f"{label}: no people after the header")
    return Roster(out, label)


def measure_files(
    files: Sequence[tuple[bytes | Path, str]],
    *,
    roster: Roster | None = None,
    headcount: int | None = None,
    actions: Iterable[str] = DEFAULT_ACTIONS,
    min_group: int | None = None,
    progress: Progress | None = None,
) -> MeasuredAdoption:
    """Import ``files`` (source, name) in one session and measure them; ``progress`` is told
    the fraction done and what is happening."""
    session = UsageImport(actions)
    try:
        problems: list[str] = []
        for k, (source, name) in enumerate(files):
            if progress:
                progress(k / (len(files) + 1), f"Reading {name}")
            try:
                session.add(source, name)
            except InputError as error:
                problems.extend(error.problems)
        if problems:
            raise InputError(problems)
        if progress:
            progress(len(files) / (len(files) + 1), "Counting active users per month")
        return session.measure(roster=roster, headcount=headcount, min_group=min_group)
    finally:
        session.close()


# --- shared by the formats: decoding, headers, dates, counts, groups ----------------------------


def _decode(data: bytes, name: str) -> str:
    return decode_text(data, name)


def _header(text: str, name: str) -> list[str]:
    try:
        first = next(csv.reader(io.StringIO(text)), [])
    except csv.Error as error:
        raise InputError(f"{name}: row 1: not a CSV header ({error})") from None
    if not [c for c in first if c.strip()]:
        raise InputError(f"{name}: row 1: no header row")
    return first


def _dates(text: pd.Series) -> pd.Series:
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


def _check_header(header: Sequence[str], name: str) -> None:
    columns = [normalise(c) for c in header]
    repeated = sorted({c for c in columns if c and columns.count(c) > 1})
    if repeated:
        raise InputError(
            f"{name}: row 1: column {repeated[0]!r} appears more than once (case and surrounding"
            " spaces ignored)"
        )


def _frame(text: str, name: str) -> pd.DataFrame:
    header = _header(text, name)
    _check_header(header, name)
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
        raise InputError(f"{name}: not a readable CSV ({_first_line(error)})") from None
    return frame.fillna("")  # a short row's missing cells are empty, as in a spreadsheet


def _check_long_rows(text: str, width: int, name: str) -> None:
    """Cells beyond the header's are dropped when empty (a trailing comma); a row with text
    there is an error naming it, not data moved into the wrong columns."""
    for row, cells in enumerate(csv.reader(io.StringIO(text)), start=1):
        if len(cells) > width and any(c.strip() for c in cells[width:]):
            raise InputError(f"{name}: row {row}: {len(cells)} cells where the header has {width}")


def _csv_columns(head: bytes, name: str) -> list[str]:
    """The header of a CSV file from its first bytes, read as text (DuckDB's sniffer could take a
    ragged row for it)."""
    kind = file_kind(head)
    first = head.split(b"\n", 1)[0]
    text = _decode(head if kind is not None or not first.strip() else first, name)
    header = _header(text, name)
    _check_header(header, name)
    return header


def _reader(kind: str, columns: Sequence[str] = ()) -> str:
    """The DuckDB table function reading ``$1``: Parquet as typed, CSV as text with the given
    header (strict: a row with another number of cells is an error naming its line)."""
    if kind == "parquet":
        return "read_parquet($1)"
    struct = ", ".join("'" + c.replace("'", "''") + "': 'VARCHAR'" for c in columns)
    return (
        "read_csv($1, auto_detect = false, header = true, delim = ',', quote = '\"', "
        f"escape = '\"', columns = {{{struct}}})"
    )


def _csv_error(error: BaseException, name: str) -> str:
    """DuckDB's CSV error as one line naming the row."""
    import re

    text = str(error)
    line = re.search(r"CSV Error on Line: (\d+)", text)
    cells = re.search(r"Expected Number of Columns: (\d+) Found: (\d+)", text)
    if line and cells:
        return (
            f"{name}: row {line.group(1)}: {cells.group(2)} cells where the header has "
            f"{cells.group(1)}"
        )
    if line:
        return f"{name}: row {line.group(1)}: not readable CSV ({_first_line(error)})"
    return f"{name}: cannot be read ({_first_line(error)})"


def _quoted(column: str) -> str:
    return '"' + column.replace('"', '""') + '"'


def _first_line(error: BaseException) -> str:
    return str(error).strip().splitlines()[0][:200] if str(error).strip() else type(error).__name__


def _month(value: Any) -> str:
    return pd.Timestamp(value).strftime("%Y-%m")


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


def _detail_rows(
    frame: pd.DataFrame, name: str, fmt: UsageFormat, actions: frozenset[str]
) -> tuple[list[str], list[dt.date], list[str], int]:
    """Users with a counted action in a Microsoft per-user detail export, each dated to the
    month in which the report's period mostly lies (its midpoint)."""
    if fmt.key == "yammer_user_detail":
        kinds = {"posted count": "post", "liked count": "react", "read count": "read"}
    else:
        kinds = {
            "team chat message count": "post",
            "private chat message count": "post",
            "post messages": "post",
            "reply messages": "comment",
            "call count": "meet",
            "meeting count": "meet",
        }
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
    ends = _dates(end_text)
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
    problems = _listed(problems, int(skip.sum()), name, "problems")
    keep = active & ~skip
    middle = ends[keep] - pd.to_timedelta(periods[keep] / 2, unit="D")
    months = middle.dt.to_period("M").dt.start_time.dt.date.tolist()
    return users[keep].tolist(), months, problems, int(skip.sum())


def _slack_rows(
    frame: pd.DataFrame, name: str, actions: frozenset[str]
) -> tuple[list[str], list[dt.date], list[str], int]:
    """Members who posted (or reacted, or were active at all when reading counts), dated to
    the month of their last activity."""
    id_column = next(c for c in SLACK_ID_COLUMNS if c in frame.columns)
    last_column = next((c for c in SLACK_LAST_ACTIVE if c in frame.columns), None)
    if last_column is None:
        raise InputError(f"{name}: row 1: missing column 'Last active (UTC)'")
    kinds = {"messages posted": "post", "reactions added": "react", "days active": "read"}
    values, bad_number = _counts(frame, list(kinds))
    counted = [c for c, kind in kinds.items() if kind in actions]
    active = (values[counted] > 0).any(axis=1) if counted else pd.Series(False, frame.index)
    text = frame[last_column].str.strip()
    last = _dates(text)
    never = text.str.lower().isin(("", "never", "-"))
    bad_date = last.isna() & ~never
    users = frame[id_column].str.strip()
    skip = bad_date | bad_number | (users == "")
    problems: list[str] = []
    for row in (bad_date[bad_date].index + 2).tolist():
        problems.append(f"{name}: row {row}: field {last_column}: not a date; row skipped")
    for row in (bad_number[bad_number & ~bad_date].index + 2).tolist():
        problems.append(f"{name}: row {row}: field counts: {COUNT_PROBLEM}; row skipped")
    problems = _listed(problems, int((bad_date | bad_number).sum()), name, "problems")
    keep = active & ~skip & last.notna()
    months = last[keep].dt.to_period("M").dt.start_time.dt.date.tolist()
    return users[keep].tolist(), months, problems, int(skip.sum())


def _groups(counts: pd.DataFrame, min_group: int) -> tuple[pd.DataFrame, list[str], list[str]]:
    """Per-division rows with small divisions merged (:func:`readiness.groups.merge_small_groups`),
    plus the whole organization."""
    reserved = {ALL_STAFF, OTHER_DIVISIONS}
    # A division named like one of the groups readiness makes keeps its rows apart from it.
    renamed = counts["division"].map(
        lambda d: f"{d} (division)" if str(d).strip().lower() in reserved else d
    )
    counts = counts.assign(month=counts["month"].map(_month), division=renamed.astype(str))
    smallest = counts.groupby("division")["roster"].min()
    months_seen = counts.groupby("division")["month"].nunique()
    all_months = counts["month"].nunique()
    # A division's size is its smallest month (absent in some month: 0 people that month), so
    # "other divisions" reaches the minimum in every month.
    sizes = {
        str(d): int(smallest[d]) if months_seen[d] == all_months else 0 for d in smallest.index
    }
    plan = merge_small_groups(sizes, min_group)
    notes: list[str] = []
    note = plan.note("people")
    if note:
        notes.append(note)
    shown = counts[counts["division"].isin(plan.shown)].rename(columns={"division": "group"})
    parts = [shown[["month", "group", "roster", "active"]]]
    if plan.merged:
        other = (
            counts[counts["division"].isin(plan.merged)]
            .groupby("month", as_index=False)[["roster", "active"]]
            .sum()
            .assign(group=OTHER_DIVISIONS)
        )
        parts.append(other)
    overall = counts.groupby("month", as_index=False)[["roster", "active"]].sum()
    small_months = overall["roster"] < min_group
    if small_months.any():
        notes.append(
            f"{int(small_months.sum())} month(s) with fewer than {min_group} people employed "
            "left out"
        )
    parts.append(overall[~small_months].assign(group=ALL_STAFF))
    series = pd.concat(parts, ignore_index=True)
    series = series[series["month"].isin(overall.loc[~small_months, "month"])]
    series = series.assign(
        roster=series["roster"].astype("int64"),
        active=series["active"].astype("Int64"),
        basis="users",
    )
    return series, list(plan.merged), notes


def _fill_from_daily(series: pd.DataFrame, daily: pd.DataFrame) -> pd.DataFrame:
    """Months with no per-user data take the daily-count lower bound, organization-wide only
    (capped at the roster: a count above it says the roster is incomplete)."""
    if daily.empty:
        return series
    bound = pd.Series(
        daily["users"].to_numpy(dtype="int64"), index=daily["month"].map(_month).to_numpy()
    )
    # A month with any per-user activity keeps its exact count.
    per_user = set(series.loc[series["active"].fillna(0) > 0, "month"])
    only_daily = series["month"].isin(bound.index) & ~series["month"].isin(per_user)
    overall = series["group"] == ALL_STAFF
    series = series.copy()
    fill = only_daily & overall
    lower = series.loc[fill, "month"].map(bound).astype("int64")
    series.loc[fill, "active"] = lower.clip(upper=series.loc[fill, "roster"].astype("int64"))
    series.loc[fill, "basis"] = "daily counts (at least)"
    series.loc[only_daily & ~overall, "active"] = pd.NA  # daily counts have no division
    series.loc[only_daily & ~overall, "basis"] = "no per-user data"
    return series
