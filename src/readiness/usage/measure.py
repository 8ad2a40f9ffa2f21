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

An import (:class:`UsageImport`) recognises each file's format (:mod:`readiness.usage.formats`),
reads it with that format's parser (:mod:`readiness.usage.parsers`), pseudonymises the users it
names, and measures with the one aggregation (:mod:`readiness.usage.aggregate`). It runs in
DuckDB (embedded, in memory, spilling to disk when needed): an event log of tens of millions of
rows is reduced to distinct (user, month) pairs without ever becoming a pandas frame.
"""

from __future__ import annotations

import os
import secrets
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from readiness.errors import InputError
from readiness.groups import OTHER_DIVISIONS, min_group_size
from readiness.settings import DEFAULT_MIN_GROUP_SIZE
from readiness.textfiles import decode_text, open_regular_file, read_file_bytes
from readiness.usage.aggregate import ALL_STAFF, measured_months, monthly_shares
from readiness.usage.formats import ACTIONS, DEFAULT_ACTIONS, UsageFormat, detect_format, normalise
from readiness.usage.parsers import (
    PARQUET_MAGIC,
    REPORT_PARSERS,
    STAGED,
    Activity,
    event_log,
    file_schema,
)
from readiness.usage.reading import csv_columns, dates, header_row, listed, read_frame

if TYPE_CHECKING:
    import duckdb

#: The documented default of the minimum group size; the one in use is the setting
#: (READINESS_MIN_GROUP_SIZE, :func:`readiness.groups.min_group_size`).
MIN_GROUP_SIZE = DEFAULT_MIN_GROUP_SIZE

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

    # --- reading: which format, then its parser ----------------------------------------------

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
            text = decode_text(data, label)
            fmt = detect_format(header_row(text, label), label)
            if fmt.key == "event_log":
                imported = self._add_event_log(data, label, fmt, "csv")
            else:
                imported = self._add_report(text, label, fmt)
        self.files.append(imported)
        return imported

    def _add_path(self, path: Path, name: str) -> ImportedFile | None:
        """An event log file read in place (CSV or Parquet of any size); None for the other
        formats, which are small and read whole."""
        with open_regular_file(path) as handle:
            head = handle.read(1 << 20)
        if head[:4] == PARQUET_MAGIC:
            fmt = detect_format(list(file_schema(self._con, str(path), "parquet", name)), name)
            if fmt.key != "event_log":
                raise InputError(f"{name}: Parquet is read as an event log only (user, timestamp)")
            return self.add_event_log_path(str(path), name, "parquet", fmt)
        if not head.strip():
            return None
        fmt = detect_format(csv_columns(head, name), name)
        if fmt.key != "event_log":
            return None
        return self.add_event_log_path(str(path), name, "csv", fmt)

    def _add_parquet(self, data: bytes, name: str) -> ImportedFile:
        columns = self._with_temp(
            data, ".parquet", lambda path: list(file_schema(self._con, path, "parquet", name))
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

    def _add_event_log(self, data: bytes, name: str, fmt: UsageFormat, kind: str) -> ImportedFile:
        imported: ImportedFile = self._with_temp(
            data, f".{kind}", lambda path: self.add_event_log_path(path, name, kind, fmt)
        )
        return imported

    def add_event_log_path(
        self, path: str, name: str, kind: str = "csv", fmt: UsageFormat | None = None
    ) -> ImportedFile:
        """Read an event log file (CSV or Parquet) straight into DuckDB
        (:func:`readiness.usage.parsers.event_log`): rows with an unparseable timestamp are
        counted and listed by row, the rest imported; users are pseudonymised once per distinct
        user."""
        schema = file_schema(self._con, path, kind, name)
        if fmt is None:
            fmt = detect_format(list(schema), name)
        if fmt.key != "event_log":
            raise InputError(f"{name}: not an event log (user, timestamp)")
        activity = event_log(self._con, path, name, kind, schema, self.actions)
        self._keep_staged()
        return ImportedFile(name, fmt, activity.rows, activity.skipped, activity.problems)

    def _add_report(self, text: str, name: str, fmt: UsageFormat) -> ImportedFile:
        """A report read whole (per-user detail, Slack members, daily counts) by its parser."""
        frame = read_frame(text, name).rename(columns=normalise)
        activity = REPORT_PARSERS[fmt.key](frame, name, self.actions)
        self._keep(activity)
        return ImportedFile(name, fmt, activity.rows, activity.skipped, activity.problems)

    def _keep(self, activity: Activity) -> None:
        """Keep a report's activity: its (user, month) pairs pseudonymised, its daily counts."""
        con = self._con
        if activity.pairs is not None:
            con.register("incoming", activity.pairs)
            try:
                con.execute(
                    f"CREATE OR REPLACE TEMP TABLE {STAGED} AS SELECT CAST(user AS VARCHAR) "
                    "AS u, CAST(month AS DATE) AS month FROM incoming"
                )
            finally:
                con.unregister("incoming")
            self._keep_staged()
        if activity.daily is not None:
            con.register("incoming", activity.daily)
            try:
                con.execute(
                    "INSERT INTO daily SELECT CAST(month AS DATE), CAST(users AS BIGINT) "
                    "FROM incoming"
                )
            finally:
                con.unregister("incoming")

    def _keep_staged(self) -> None:
        """Pseudonymise the staged (user, month) pairs into ``pairs`` (each distinct user once;
        empty users left out), then drop the identifiers."""
        self._con.execute(
            "INSERT INTO pairs WITH keys AS ("
            f"SELECT u, {pseudonym_sql('$1', 'u')} AS user_key FROM "
            f"(SELECT DISTINCT u FROM {STAGED}) WHERE trim(u) <> '') "
            f"SELECT DISTINCT user_key, month FROM {STAGED} JOIN keys USING (u)",
            [self._salt],
        )
        self._con.execute(f"DROP TABLE {STAGED}")

    # --- measuring -------------------------------------------------------------------------

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
        months = measured_months(self._con)
        if not months:
            names = ", ".join(f.name for f in self.files) or "the files"
            counted = ", ".join(a for a in ACTIONS if a in self.actions) or "nothing"
            raise InputError(
                f"{names}: no counted activity (counted: {counted}): nothing to measure"
            )
        if roster is not None:
            self._keep_roster(roster)
        shares = monthly_shares(
            self._con,
            months,
            headcount=None if roster is not None else headcount,
            min_group=min_group,
        )
        return MeasuredAdoption(
            series=shares.series,
            not_in_roster=shares.not_in_roster,
            files=tuple(self.files),
            actions=self.actions,
            min_group=min_group,
            merged=shares.merged,
            notes=shares.notes,
        )

    def _keep_roster(self, roster: Roster) -> None:
        """The roster as the aggregation reads it: users pseudonymised with this import's salt."""
        con = self._con
        con.register("roster_raw", roster.frame.copy())
        try:
            con.execute(
                f"CREATE OR REPLACE TEMP TABLE roster AS SELECT {pseudonym_sql('$1', 'user')} "
                "AS user_key, division, CAST(start_date AS DATE) AS start_date, "
                "CAST(end_date AS DATE) AS end_date FROM roster_raw",
                [self._salt],
            )
        finally:
            con.unregister("roster_raw")

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
    frame = read_frame(decode_text(data, label), label).rename(columns=normalise)
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
        parsed = dates(text.where(text != ""))
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
        raise InputError(listed(problems, len(problems), label, "problems"))
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
