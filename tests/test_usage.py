"""Usage importers and the monthly aggregation: every recognised export, definitions, privacy,
bad input; property tests of the invariants (active never above the roster, order-free and
idempotent merging, no small group in any output)."""

from __future__ import annotations

import io
import random
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from property_budget import examples

from readiness.errors import InputError
from readiness.months import month_midpoint
from readiness.usage import (
    ALL_STAFF,
    OTHER_DIVISIONS,
    MeasuredAdoption,
    UsageImport,
    measure_files,
    read_roster,
)
from readiness.usage.forecast import fit_groups, latest_share

DATA = Path(__file__).parent / "data" / "usage"
ROSTER = DATA / "roster.csv"
YAMMER_DEC = DATA / "yammer-activity-user-detail-2026-01-01.csv"
YAMMER_JAN = DATA / "yammer-activity-user-detail-2026-01-31.csv"


def _measure(*names: str, **options: object) -> MeasuredAdoption:
    files = [(DATA / n, n) for n in names]
    if "headcount" not in options:
        options.setdefault("roster", read_roster(ROSTER))
    return measure_files(files, **options)  # type: ignore[arg-type]


def _row(measured: MeasuredAdoption, month: str, group: str = ALL_STAFF) -> pd.Series:
    series = measured.series
    rows = series[(series["month"] == month) & (series["group"] == group)]
    assert len(rows) == 1, rows
    return rows.iloc[0]


# --- formats ---------------------------------------------------------------------------------


def test_the_event_log_gives_a_monthly_series_per_division_with_small_divisions_merged() -> None:
    measured = _measure("events.csv")
    assert set(measured.series["group"]) == {"Sales", "Engineering", OTHER_DIVISIONS, ALL_STAFF}
    assert measured.merged == ("Finance", "Legal", "Support")
    assert list(measured.overall["month"]) == [f"2025-{m:02d}" for m in range(1, 13)]
    shares = measured.overall["share"].astype(float)
    assert shares.is_monotonic_increasing
    assert shares.iloc[0] < 0.1
    assert shares.iloc[-1] > 0.7
    # One person starts in March: 39 people employed in January and February, 40 after.
    assert list(measured.overall["roster"][:3]) == [39, 39, 40]


def test_readers_only_count_when_reading_is_chosen() -> None:
    contributors = _row(_measure("events.csv"), "2025-01")
    readers = _row(_measure("events.csv", actions={"post", "comment", "read"}), "2025-01")
    assert readers["active"] == contributors["active"] + 5


def test_an_unparseable_timestamp_is_reported_by_row_and_the_rest_imported() -> None:
    measured = _measure("events.csv")
    (events,) = measured.files
    assert events.skipped == 1
    assert events.problems == (
        "events.csv: row 370: field timestamp: not a date or time between 1990 and 2100;"
        " row skipped",
    )


def test_users_missing_from_the_roster_are_counted_not_dropped() -> None:
    measured = _measure("events.csv")
    outside = dict(
        zip(measured.not_in_roster["month"], measured.not_in_roster["users"], strict=True)
    )
    # December: the contractor (never listed) and the person whose contract ended in October.
    assert outside["2025-12"] == 2
    assert outside["2025-06"] == 0


def test_viva_engage_monthly_exports_are_dated_to_the_month_their_period_covers() -> None:
    measured = _measure(YAMMER_DEC.name, YAMMER_JAN.name)
    assert list(measured.overall["month"]) == ["2025-12", "2026-01"]
    assert _row(measured, "2026-01")["active"] == 36 - 1  # the leaver is not employed
    assert measured.files[0].format.key == "yammer_user_detail"


def test_an_export_overlapping_the_event_log_is_merged_without_double_counting() -> None:
    alone = _row(_measure("events.csv"), "2025-12")
    both = _row(_measure("events.csv", YAMMER_DEC.name), "2025-12")
    assert both["active"] == alone["active"]


def test_concealed_user_names_are_counted_with_a_headcount() -> None:
    measured = _measure("yammer-activity-user-detail-concealed.csv", headcount=40)
    assert _row(measured, "2026-01")["active"] == 36
    assert _row(measured, "2026-01")["share"] == pytest.approx(0.9)


def test_concealed_user_names_cannot_match_a_roster_and_are_shown_as_not_in_roster() -> None:
    measured = _measure("yammer-activity-user-detail-concealed.csv")
    assert _row(measured, "2026-01")["active"] == 0
    assert list(measured.not_in_roster["users"]) == [36]


def test_teams_counts_messages_and_replies_but_not_meetings_by_default() -> None:
    measured = _measure("teams-user-activity-user-detail.csv", headcount=40)
    # Chat messages from every second person (20); replies add the odd fifths (5, 15, 25, 35).
    assert _row(measured, "2026-01")["active"] == 24
    meetings = _measure("teams-user-activity-user-detail.csv", headcount=40, actions={"meet"})
    assert _row(meetings, "2026-01")["active"] == 40


def test_slack_members_are_active_in_the_month_of_their_last_activity() -> None:
    measured = _measure("slack-members.csv", headcount=40)
    assert list(measured.overall["month"]) == ["2026-01"]
    assert _row(measured, "2026-01")["active"] == 30


def test_daily_user_counts_give_a_lower_bound_for_months_without_per_user_data() -> None:
    measured = _measure(YAMMER_JAN.name, "yammer-activity-user-counts.csv", headcount=40)
    february = _row(measured, "2026-02")
    # The largest day: 16 posters (10 + 6); the month had at least that many active users.
    assert february["active"] == 16
    assert february["basis"] == "daily counts (at least)"
    assert _row(measured, "2026-01")["basis"] == "users"


def test_parquet_event_logs_are_read(tmp_path: Path) -> None:
    frame = pd.read_csv(DATA / "events.csv", dtype=str, keep_default_na=False)
    path = tmp_path / "events.parquet"
    frame.to_parquet(path)
    from_csv = _measure("events.csv").series
    from_parquet = measure_files([(path, "events.parquet")], roster=read_roster(ROSTER)).series
    pd.testing.assert_frame_equal(from_csv, from_parquet)


def test_a_month_of_activity_above_the_headcount_is_refused() -> None:
    with pytest.raises(InputError, match=r"2026-01: 36 active users, more than the headcount 30"):
        _measure("yammer-activity-user-detail-concealed.csv", headcount=30)


# --- bad input --------------------------------------------------------------------------------


def test_an_unknown_format_lists_the_recognised_ones() -> None:
    session = UsageImport()
    with pytest.raises(InputError) as error:
        session.add(b"name,score\nA,3\n", "scores.csv")
    (message,) = error.value.problems
    assert message.startswith("scores.csv: row 1: not a recognised usage export.")
    for title in ("Viva Engage", "Teams", "Slack", "Event log"):
        assert title in message


def test_a_roster_given_as_an_export_is_named_as_such() -> None:
    with pytest.raises(InputError, match="looks like a roster"):
        UsageImport().add(ROSTER.read_bytes(), "roster.csv")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b"\xff\xfe\x00", "not UTF-8"),
        (b"\n\n", "the file is empty"),
        (b"PAR1garbage", "cannot be read as parquet"),
    ],
)
def test_unreadable_files_get_one_line(content: bytes, message: str) -> None:
    with pytest.raises(InputError, match=message):
        UsageImport().add(content, "x.csv")


def test_a_90_day_report_is_refused_with_the_export_to_make_instead() -> None:
    text = YAMMER_JAN.read_text().replace(",30\n", ",90\n")
    with pytest.raises(InputError, match=r"row 2: field Report Period: a 90-day report spans"):
        UsageImport().add(text.encode(), "engage.csv")


def test_bad_counts_and_dates_in_an_export_are_reported_by_row_and_field() -> None:
    lines = YAMMER_JAN.read_text().splitlines()
    lines[1] = lines[1].replace("2026-01-31", "soon", 1)
    header = lines[0].split(",")
    third = lines[3].split(",")
    third[header.index("Posted Count")] = "many"
    lines[3] = ",".join(third)
    imported = UsageImport().add("\n".join(lines).encode(), "engage.csv")
    assert imported.skipped == 2
    assert imported.problems == (
        "engage.csv: row 2: field Report Refresh Date: not a date; row skipped",
        "engage.csv: row 4: field counts: a count is not a number from 0 to 1,000,000,000;"
        " row skipped",
    )


# --- unusual files that real tools write ----------------------------------------------------


def _cell_replaced(path: Path, column: str, rows: dict[int, str]) -> bytes:
    """``path``'s text with the cells of ``column`` in the given rows (spreadsheet numbering)
    replaced."""
    lines = path.read_text().splitlines()
    at = lines[0].split(",").index(column)
    for row, value in rows.items():
        cells = lines[row - 1].split(",")
        cells[at] = value
        lines[row - 1] = ",".join(cells)
    return ("\n".join(lines) + "\n").encode()


def test_a_viva_engage_export_with_a_comma_ending_every_row_reads_as_without() -> None:
    plain = _measure(YAMMER_JAN.name, headcount=40)
    trailing = _measure("yammer-activity-user-detail-trailing-comma.csv", headcount=40)
    pd.testing.assert_frame_equal(trailing.series, plain.series)
    assert _row(trailing, "2026-01")["active"] == 36
    assert trailing.files[0].skipped == 0


def test_text_beyond_the_header_s_columns_is_refused_by_row() -> None:
    lines = YAMMER_JAN.read_text().splitlines()
    lines[3] += ",surplus"
    with pytest.raises(InputError, match=r"^engage.csv: row 4: 12 cells where the header has 11$"):
        UsageImport().add("\n".join(lines).encode(), "engage.csv")


def test_a_roster_with_mixed_utc_offsets_counts_each_date_as_written() -> None:
    plain = _measure("events.csv")
    offsets = _measure("events.csv", roster=read_roster(DATA / "roster-mixed-offsets.csv"))
    # Starting at midnight +01:00 on 1 March is a start in March, not on 28 February in UTC.
    pd.testing.assert_frame_equal(offsets.series, plain.series)
    assert list(offsets.overall["roster"][:3]) == [39, 39, 40]


@pytest.mark.parametrize(
    ("name", "column", "stamps"),
    [
        (
            YAMMER_JAN.name,
            "Report Refresh Date",
            ["2026-01-31T10:00:00+01:00", "2026-01-31T10:00:00+02:00"],
        ),
        (
            "teams-user-activity-user-detail.csv",
            "Report Refresh Date",
            ["2026-01-31T08:00:00-05:00", "2026-01-31T08:00:00+05:30"],
        ),
        (
            "slack-members.csv",
            "Last active (UTC)",
            ["2026-01-27T10:00:00+01:00", "2026-01-27T10:00:00+02:00"],
        ),
    ],
)
def test_exports_with_mixed_utc_offsets_in_a_column_are_read(
    name: str, column: str, stamps: list[str]
) -> None:
    mixed = _cell_replaced(DATA / name, column, {row: stamps[row % 2] for row in range(2, 42)})
    plain = _measure(name, headcount=40).series
    measured = measure_files([(mixed, name)], headcount=40)
    pd.testing.assert_frame_equal(measured.series, plain)


def test_daily_counts_and_event_times_with_offsets_are_dated_as_written() -> None:
    counts = DATA / "yammer-activity-user-counts.csv"
    days = {2: "2026-02-28T23:30:00-02:00", 3: "2026-02-28T23:30:00+01:00"}
    imported = UsageImport()
    imported.add(_cell_replaced(counts, "Report Date", days), "counts.csv")
    events = b"user,timestamp\na,2026-01-31T23:30:00-02:00\nb,2026-01-31T23:30:00+02:00\n"
    imported.add(events, "events.csv")
    measured = imported.measure(headcount=40)
    # The day the file shows, not the day in UTC (1 February, 1 March for the -02:00 ones).
    assert list(measured.overall["month"]) == ["2026-01", "2026-02"]
    assert _row(measured, "2026-01")["active"] == 2


@pytest.mark.parametrize("period", ["inf", "-inf", "NaN", "-7", "0", "7.5", "1e300", "D0"])
def test_a_report_period_that_is_no_number_of_days_skips_its_row_by_name(period: str) -> None:
    export = _cell_replaced(YAMMER_JAN, "Report Period", {5: period})
    imported = UsageImport().add(export, "engage.csv")
    assert imported.skipped == 1
    assert imported.problems == (
        "engage.csv: row 5: field Report Period: not a whole number of days from 1 to 366;"
        " row skipped",
    )


@pytest.mark.parametrize("count", [str(2**63 + 1), str(2**64 + 5), "1e30", "9" * 400])
@pytest.mark.parametrize(
    ("name", "column", "field"),
    [
        (YAMMER_JAN.name, "Posted Count", "counts"),
        ("teams-user-activity-user-detail.csv", "Team Chat Message Count", "counts"),
        ("slack-members.csv", "Messages posted", "counts"),
        ("yammer-activity-user-counts.csv", "Posted", "posted"),
    ],
)
def test_a_count_that_cannot_be_real_skips_its_row_by_name(
    name: str, column: str, field: str, count: str
) -> None:
    imported = UsageImport()
    added = imported.add(_cell_replaced(DATA / name, column, {6: count}), name)
    assert added.skipped == 1
    (problem,) = added.problems
    assert problem.startswith(f"{name}: row 6: field {field}: ")
    assert problem.endswith("from 0 to 1,000,000,000; row skipped")
    assert imported.measure(headcount=40).series["active"].max() <= 40


def test_a_headcount_below_the_minimum_group_shows_nothing_and_says_so() -> None:
    events = b"user,timestamp,action\na,2026-01-03,post\nb,2026-02-04,post\n"
    measured = measure_files([(events, "events.csv")], headcount=3)
    assert measured.series.empty
    assert measured.notes == ("fewer than 5 people: nothing is shown",)
    (fit,) = fit_groups(measured)
    assert fit.problem == "all staff: no measured month is shown, so there is nothing to fit"
    frame = measured.monthly_series()
    assert frame.empty
    assert list(frame.columns) == [
        "month",
        "group",
        "roster",
        "active",
        "share",
        "basis",
        "not_in_roster",
    ]


def test_roster_problems_are_named_by_row_and_field() -> None:
    text = "user,division,start_date,end_date\na,Sales,2025-01-01,2024-01-01\n,Sales,,\nA,IT,x,\n"
    with pytest.raises(InputError) as error:
        read_roster(text.encode(), "roster.csv")
    assert error.value.problems == [
        "roster.csv: row 4: field start_date: not a date (YYYY-MM-DD)",
        "roster.csv: row 3: field user: empty",
        "roster.csv: row 2: field end_date: before start_date",
        "roster.csv: row 4: field user: listed twice (each person once)",
    ]


def test_a_division_named_like_a_group_readiness_makes_stays_apart_from_it() -> None:
    text = ROSTER.read_text().replace(",Sales,", ",All Staff,")
    measured = measure_files(
        [(DATA / "events.csv", "events.csv")], roster=read_roster(text.encode(), "roster.csv")
    )
    assert "All Staff (division)" in measured.divisions
    assert (measured.series["group"] == ALL_STAFF).sum() == 12


def test_a_division_called_na_is_kept() -> None:
    roster = read_roster(b"user,division\na,NA\nb,None\n", "roster.csv")
    assert list(roster.frame["division"]) == ["NA", "None"]


def test_unknown_actions_are_refused() -> None:
    with pytest.raises(InputError, match="unknown action"):
        UsageImport(actions={"post", "browse"})


# --- privacy ------------------------------------------------------------------------------------


def test_no_user_identifier_reaches_any_output() -> None:
    measured = _measure("events.csv", YAMMER_JAN.name, "slack-members.csv")
    text = measured.series.to_csv() + measured.not_in_roster.to_csv() + repr(measured)
    assert "example.com" not in text
    assert "p01" not in text


def test_the_salt_differs_per_import_but_the_series_does_not() -> None:
    first, second = UsageImport(), UsageImport()
    assert first._salt != second._salt
    pd.testing.assert_frame_equal(_measure("events.csv").series, _measure("events.csv").series)


# --- fits ---------------------------------------------------------------------------------------


def test_the_overall_series_fits_an_s_curve_marked_as_measured() -> None:
    measured = _measure("events.csv")
    fits = {fit.group: fit for fit in fit_groups(measured)}
    overall = fits[ALL_STAFF].fitted
    assert overall is not None
    assert overall.origin == "measured"
    assert overall.label.startswith("your measured usage (")
    assert overall.r2 > 0.95
    assert overall.observed["year"].iloc[0] == pytest.approx(month_midpoint("2025-01"))
    latest = latest_share(measured)
    assert latest is not None
    assert latest[0] == "2025-12"
    assert latest[1] == pytest.approx(32 / 39)


def test_a_group_with_too_few_months_says_why_it_has_no_fit() -> None:
    measured = _measure(YAMMER_JAN.name, headcount=40)
    (only,) = fit_groups(measured)
    assert only.fitted is None
    assert only.problem


# --- properties ---------------------------------------------------------------------------------

USERS = [f"u{k}@x.org" for k in range(24)]
events = st.lists(
    st.tuples(
        st.sampled_from([*USERS, "stranger@x.org"]),
        st.integers(1, 6),
        st.sampled_from(["post", "view", "comment", "like"]),
    ),
    min_size=1,
    max_size=60,
)
divisions = st.lists(st.sampled_from(["A", "B", "C", "D"]), min_size=len(USERS), max_size=24)
ends = st.lists(st.sampled_from(["", "2025-02-15", "2025-04-30"]), min_size=24, max_size=24)


def _log(rows: list[tuple[str, int, str]]) -> bytes:
    out = io.StringIO()
    out.write("user,timestamp,action\n")
    for user, month, action in rows:
        out.write(f"{user},2025-{month:02d}-10 12:00:00,{action}\n")
    return out.getvalue().encode()


def _roster(divs: list[str], ended: list[str]) -> bytes:
    lines = ["user,division,start_date,end_date"]
    lines += [f"{u},{d},,{e}" for u, d, e in zip(USERS, divs, ended, strict=True)]
    return ("\n".join(lines) + "\n").encode()


PROPERTY = settings(
    max_examples=examples(25), deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@PROPERTY
@given(events, divisions, ends, st.integers(1, 8))
def test_monthly_active_never_exceeds_the_roster(
    rows: list[tuple[str, int, str]], divs: list[str], ended: list[str], min_group: int
) -> None:
    roster = read_roster(_roster(divs, ended), "roster.csv")
    try:
        measured = measure_files([(_log(rows), "log.csv")], roster=roster, min_group=min_group)
    except InputError:
        return  # nothing counted at all
    active = measured.series["active"].fillna(0).astype(int)
    assert (active <= measured.series["roster"]).all()
    assert (measured.series["share"].fillna(0).astype(float) <= 1.0).all()


@PROPERTY
@given(events, events, divisions, st.randoms(use_true_random=False))
def test_the_same_files_in_any_order_or_twice_give_the_same_series(
    first: list[tuple[str, int, str]],
    second: list[tuple[str, int, str]],
    divs: list[str],
    rng: object,
) -> None:
    roster = read_roster(_roster(divs, [""] * len(USERS)), "roster.csv")
    files = [(_log(first), "a.csv"), (_log(second), "b.csv"), (_log(first[::-1]), "c.csv")]
    shuffled = [*list(files), files[0]]
    rng.shuffle(shuffled)  # type: ignore[attr-defined]

    def series(chosen: list[tuple[bytes, str]]) -> pd.DataFrame | None:
        try:
            return measure_files(chosen, roster=roster).series
        except InputError:
            return None

    expected, got = series(files), series(shuffled)
    if expected is None:
        assert got is None
    else:
        assert got is not None
        pd.testing.assert_frame_equal(expected, got)


@PROPERTY
@given(events, divisions, ends, st.integers(1, 10))
def test_groups_below_the_minimum_never_appear_in_any_output(
    rows: list[tuple[str, int, str]], divs: list[str], ended: list[str], min_group: int
) -> None:
    roster = read_roster(_roster(divs, ended), "roster.csv")
    try:
        measured = measure_files([(_log(rows), "log.csv")], roster=roster, min_group=min_group)
    except InputError:
        return
    assert (measured.series["roster"] >= min_group).all()
    sizes = pd.Series(divs).value_counts()
    for group in set(measured.series["group"]) - {ALL_STAFF, OTHER_DIVISIONS}:
        assert sizes[group] >= min_group


def test_exports_of_every_format_merge_the_same_in_any_order_or_twice() -> None:
    names = [
        "events.csv",
        YAMMER_DEC.name,
        YAMMER_JAN.name,
        "slack-members.csv",
        "teams-user-activity-user-detail.csv",
        "yammer-activity-user-counts.csv",
    ]
    expected = _measure(*names).series
    rng = random.Random(7)
    for _ in range(4):
        order = names + rng.sample(names, 3)
        rng.shuffle(order)
        pd.testing.assert_frame_equal(_measure(*order).series, expected)
