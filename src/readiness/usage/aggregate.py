"""The one aggregation of measured adoption: monthly active users and share per division and
for all staff, with small divisions merged by the rule of :mod:`readiness.groups`.

It reads only pseudonymised tables of an import's DuckDB connection (see
:class:`readiness.usage.measure.UsageImport`): ``pairs`` (``user_key``, ``month``: who was active
when), ``daily`` (``month``, ``users``: at least that many active, from daily count reports) and,
with a roster, ``roster`` (``user_key``, ``division``, ``start_date``, ``end_date``). No user
identifier reaches it, and only monthly counts leave it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from readiness.errors import InputError
from readiness.groups import OTHER_DIVISIONS, merge_small_groups
from readiness.usage.reading import month_text

if TYPE_CHECKING:
    import duckdb

#: The group of the whole organization.
ALL_STAFF = "all staff"


@dataclass(frozen=True)
class MonthlyShares:
    """Monthly aggregates: ``series`` (``month`` "2026-03", ``group``, ``roster``, ``active``,
    ``share`` 0-1, ``basis``), ``not_in_roster`` (``month``, ``users``), the divisions merged into
    "other divisions", and notes in words."""

    series: pd.DataFrame
    not_in_roster: pd.DataFrame
    merged: tuple[str, ...]
    notes: tuple[str, ...]


def measured_months(con: duckdb.DuckDBPyConnection) -> list[dt.date]:
    """The months with any activity (per user or from daily counts), in order."""
    return [
        r[0]
        for r in con.execute(
            "SELECT DISTINCT month FROM (SELECT month FROM pairs UNION SELECT month FROM daily)"
            " ORDER BY month"
        ).fetchall()
    ]


def monthly_shares(
    con: duckdb.DuckDBPyConnection,
    months: list[dt.date],
    *,
    headcount: int | None,
    min_group: int,
) -> MonthlyShares:
    """Active users and share in each of ``months``: per division of the ``roster`` table (people
    employed that month), or for all staff out of ``headcount``; no group under ``min_group``
    people. Months with no per-user data take the daily counts' lower bound."""
    con.execute(
        "CREATE OR REPLACE TEMP TABLE months AS SELECT unnest($1::DATE[]) AS month", [months]
    )
    con.execute(
        "CREATE OR REPLACE TEMP TABLE measured AS SELECT DISTINCT user_key, month FROM pairs"
    )
    daily = con.execute("SELECT month, max(users) FROM daily GROUP BY month").df()
    daily.columns = ["month", "users"]
    if headcount is None:
        series, outside, merged, notes = _by_division(con, min_group)
    else:
        series, outside, merged, notes = _by_headcount(con, headcount, min_group)
    series = _fill_from_daily(series, daily)
    series["share"] = series["active"] / series["roster"]
    return MonthlyShares(
        series=series.sort_values(["group", "month"], kind="stable").reset_index(drop=True),
        not_in_roster=outside,
        merged=tuple(merged),
        notes=tuple(notes),
    )


def _by_headcount(
    con: duckdb.DuckDBPyConnection, headcount: int, min_group: int
) -> tuple[pd.DataFrame, pd.DataFrame, list[str], list[str]]:
    frame = con.execute(
        "SELECT m.month, count(p.user_key) AS active FROM months m "
        "LEFT JOIN measured p USING (month) GROUP BY m.month ORDER BY m.month"
    ).df()
    over = frame[frame["active"] > headcount]
    if not over.empty:
        raise InputError(
            [
                f"{month_text(r.month)}: {r.active:,} active users, more than the headcount "
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
            "month": frame["month"].map(month_text).astype(str),
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
    con: duckdb.DuckDBPyConnection, min_group: int
) -> tuple[pd.DataFrame, pd.DataFrame, list[str], list[str]]:
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
    outside["month"] = outside["month"].map(month_text)
    series, merged, notes = _groups(counts, min_group)
    return series, outside, merged, notes


def _groups(counts: pd.DataFrame, min_group: int) -> tuple[pd.DataFrame, list[str], list[str]]:
    """Per-division rows with small divisions merged (:func:`readiness.groups.merge_small_groups`),
    plus the whole organization."""
    reserved = {ALL_STAFF, OTHER_DIVISIONS}
    # A division named like one of the groups readiness makes keeps its rows apart from it.
    renamed = counts["division"].map(
        lambda d: f"{d} (division)" if str(d).strip().lower() in reserved else d
    )
    counts = counts.assign(month=counts["month"].map(month_text), division=renamed.astype(str))
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
        daily["users"].to_numpy(dtype="int64"), index=daily["month"].map(month_text).to_numpy()
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
