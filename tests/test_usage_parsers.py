"""The usage parsers (readiness.usage.parsers), one per recognised export, and the one
aggregation (readiness.usage.aggregate), each on its own."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from readiness.errors import InputError
from readiness.usage.aggregate import ALL_STAFF, measured_months, monthly_shares
from readiness.usage.formats import DEFAULT_ACTIONS, FORMATS, detect_format, normalise
from readiness.usage.parsers import REPORT_PARSERS, STAGED, event_log, file_schema
from readiness.usage.reading import read_frame

DATA = Path(__file__).parent / "data" / "usage"


def report(name: str) -> pd.DataFrame:
    return read_frame((DATA / name).read_text(encoding="utf-8-sig"), name).rename(columns=normalise)


def test_every_recognised_format_has_one_parser() -> None:
    keys = [f.key for f in FORMATS]
    assert sorted([*REPORT_PARSERS, "event_log"]) == sorted(keys)


@pytest.mark.parametrize(
    ("name", "key", "user"),
    [
        ("yammer-activity-user-detail-2026-01-31.csv", "yammer_user_detail", "user principal name"),
        ("teams-user-activity-user-detail.csv", "teams_user_detail", "user principal name"),
        ("slack-members.csv", "slack_members", "user id"),
    ],
)
def test_a_per_user_report_gives_users_and_months(name: str, key: str, user: str) -> None:
    frame = report(name)
    assert detect_format(list(frame.columns), name).key == key
    activity = REPORT_PARSERS[key](frame, name, DEFAULT_ACTIONS)
    assert activity.rows == len(frame)
    assert activity.daily is None
    assert activity.pairs is not None
    assert list(activity.pairs.columns) == ["user", "month"]
    assert not activity.pairs.empty
    assert all(isinstance(m, dt.date) and m.day == 1 for m in activity.pairs["month"])
    assert set(activity.pairs["user"]) <= set(frame[user].str.strip())


def test_reading_only_counts_nobody_in_a_report_of_posts_and_reads() -> None:
    name = "yammer-activity-user-detail-2026-01-31.csv"
    activity = REPORT_PARSERS["yammer_user_detail"](report(name), name, frozenset({"meet"}))
    assert activity.pairs is not None
    assert activity.pairs.empty


def test_a_daily_count_report_gives_a_lower_bound_per_month_and_names_nobody() -> None:
    name = "yammer-activity-user-counts.csv"
    frame = report(name)
    activity = REPORT_PARSERS["yammer_user_counts"](frame, name, DEFAULT_ACTIONS)
    assert activity.pairs is None
    assert activity.daily is not None
    assert list(activity.daily.columns) == ["month", "users"]
    days = pd.to_datetime(frame["report date"])
    biggest = frame.assign(month=days.dt.to_period("M")).astype({"posted": int, "liked": int})
    expected = (
        biggest.assign(users=biggest[["posted", "liked"]].max(axis=1))
        .groupby("month")["users"]
        .max()
    )
    assert list(activity.daily["users"]) == list(expected)


def test_a_bad_row_is_named_by_file_row_and_field_and_skipped() -> None:
    name = "engage.csv"
    frame = report("yammer-activity-user-detail-2026-01-31.csv")
    frame.loc[3, "report refresh date"] = "someday"
    activity = REPORT_PARSERS["yammer_user_detail"](frame, name, DEFAULT_ACTIONS)
    assert activity.skipped == 1
    assert activity.problems == (
        "engage.csv: row 5: field Report Refresh Date: not a date; row skipped",
    )


def test_a_report_spanning_months_is_refused() -> None:
    frame = report("yammer-activity-user-detail-2026-01-31.csv")
    frame["report period"] = "90"
    with pytest.raises(InputError, match=r"row 2: field Report Period: a 90-day report"):
        REPORT_PARSERS["yammer_user_detail"](frame, "engage.csv", DEFAULT_ACTIONS)


def test_an_event_log_is_staged_in_duckdb_as_distinct_users_and_months() -> None:
    con = duckdb.connect(":memory:")
    path = str(DATA / "events.csv")
    schema = file_schema(con, path, "csv", "events.csv")
    activity = event_log(con, path, "events.csv", "csv", schema, DEFAULT_ACTIONS)
    events = pd.read_csv(path, keep_default_na=False)
    assert activity.rows == len(events)
    assert activity.pairs is None
    staged = con.execute(f"SELECT u, month FROM {STAGED}").df()
    assert not staged.empty
    assert not staged.duplicated().any()
    assert set(staged["u"]) <= set(events["user"])


def test_the_aggregation_merges_small_divisions_and_counts_all_staff() -> None:
    con = duckdb.connect(":memory:")
    con.execute("CREATE TABLE pairs (user_key UBIGINT, month DATE)")
    con.execute("CREATE TABLE daily (month DATE, users BIGINT)")
    people = [(k, "Sales" if k < 6 else "Legal" if k < 9 else "Tax") for k in range(11)]
    con.execute(
        "CREATE TABLE roster (user_key UBIGINT, division VARCHAR, start_date DATE, end_date DATE)"
    )
    con.executemany("INSERT INTO roster VALUES (?, ?, NULL, NULL)", people)
    con.executemany("INSERT INTO pairs VALUES (?, DATE '2026-01-01')", [(0,), (1,), (6,), (9,)])
    months = measured_months(con)
    assert months == [dt.date(2026, 1, 1)]
    shares = monthly_shares(con, months, headcount=None, min_group=5)
    rows = {r.group: (r.roster, r.active) for r in shares.series.itertuples()}
    assert rows == {"Sales": (6, 2), "other divisions": (5, 2), ALL_STAFF: (11, 4)}
    assert set(shares.merged) == {"Legal", "Tax"}
    assert shares.series["share"].tolist() == [
        rows[g][1] / rows[g][0] for g in shares.series["group"]
    ]
