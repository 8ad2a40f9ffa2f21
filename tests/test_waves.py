"""Survey waves (readiness.waves, readiness.waves_chart): a wave's summary from a respondents
table, its date from real survey tools' exports, comparing two waves (Welch intervals, Holm),
the frame and the charts; property tests of the comparison, and the known truth of a seeded
simulation (bench/bench_waves.py, a smaller run)."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from property_budget import examples
from scipy import stats as scipy_stats
from survey_fixtures import forms_survey_csv, survey_csv

from readiness.charts import MAX_CHART_ROWS, for_display
from readiness.errors import InputError
from readiness.groups import OTHER_DIVISIONS
from readiness.plan.kinds import load_action_kinds
from readiness.plan.model import Plan, PlanAction
from readiness.questionnaire import load_questionnaire
from readiness.rules import load_rulebook
from readiness.scoring import score_respondents
from readiness.survey import parse_respondents_csv
from readiness.waves import (
    EVERYONE,
    DimensionStats,
    WaveSummary,
    compare_waves,
    completion_date,
    holm_adjusted,
    mean_interval,
    wave_summary,
    waves_frame,
    welch_change,
)
from readiness.waves_chart import WAVES_ROW, timeline_chart, timeline_frame, waves_chart

ROOT = Path(__file__).resolve().parents[1]
SURVEYS = ROOT / "tests" / "data" / "surveys"
Q = load_questionnaire()
RULES = load_rulebook()
NAMES = {d.id: d.name for d in Q.dimensions}
MARCH = dt.date(2027, 3, 15)
SEPTEMBER = dt.date(2027, 9, 15)


def table_of(data: bytes, name: str = "wave.csv"):  # type: ignore[no-untyped-def]
    return parse_respondents_csv(Q, data.decode("utf-8-sig"), name)


def stats(n: int, mean: float | None, sd: float | None) -> DimensionStats:
    return DimensionStats(n=n, mean=mean, sd=sd)


def wave(
    label: str, date: dt.date, groups: dict[str, dict[str, DimensionStats]], version: str = "1"
) -> WaveSummary:
    size = max(s.n for g in groups.values() for s in g.values())
    return WaveSummary(
        label=label,
        surveyed_on=date,
        respondents=size,
        groups=groups,
        questionnaire_version=version,
    )


# --- the date of a wave ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("file", "column"),
    [
        ("microsoft_forms.csv", "Completion time"),
        ("google_forms.csv", "Timestamp"),
        ("limesurvey_codes.csv", "submitdate"),
        ("limesurvey_full.csv", "Date submitted"),
        ("qualtrics.csv", "EndDate"),
    ],
)
def test_a_survey_tools_export_is_dated_by_its_completion_column(file: str, column: str) -> None:
    text = (SURVEYS / file).read_text(encoding="utf-8-sig")
    found = completion_date(text, file)
    assert found is not None
    assert found.date == dt.date(2026, 11, 2)
    assert found.column == column
    # LimeSurvey's third response never submitted: an empty cell is an undated response
    assert found.dated == (2 if file.startswith("limesurvey") else 3)


def test_the_median_date_is_one_respondents_date() -> None:
    text = "Completion time,division\n3/1/27 9:00,A\n3/20/27 9:00,A\n3/2/27 10:00,A\n4/30/27,A\n"
    found = completion_date(text, "w.csv")
    assert found is not None
    assert found.date == dt.date(2027, 3, 2)  # the lower middle of four, a real response's date
    assert not found.month_first  # 3/20/27 says month first


def test_day_first_dates_are_recognised_by_a_day_above_12() -> None:
    text = "Timestamp,division\n15/03/2027 09:00,A\n02/03/2027 10:00,A\n16/03/2027,A\n"
    found = completion_date(text, "w.csv")
    assert found is not None
    assert found.date == dt.date(2027, 3, 15)
    dotted = completion_date("Timestamp\n01.03.2027 9:00\n", "w.csv")
    assert dotted is not None
    assert dotted.date == dt.date(2027, 3, 1)


def test_ambiguous_dates_are_read_month_first_and_say_so() -> None:
    found = completion_date("Completion time\n3/4/27 9:00\n", "w.csv")
    assert found is not None
    assert found.date == dt.date(2027, 3, 4)
    assert found.month_first
    assert "read as month/day/year" in found.note("w.csv")


def test_a_start_column_dates_a_file_without_a_completion_column() -> None:
    found = completion_date("Start time,division\n2027-03-15 9:00,A\n", "w.csv")
    assert found is not None
    assert found.column == "Start time"


def test_completion_is_preferred_to_start() -> None:
    text = "Start time,Completion time\n2027-03-14 23:50,2027-03-15 00:10\n"
    found = completion_date(text, "w.csv")
    assert found is not None
    assert found.date == dt.date(2027, 3, 15)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Timestamp\nyesterday\n", "w.csv: row 2, column 'Timestamp': 'yesterday' is not a date"),
        ("Timestamp\n2027-02-30\n", "w.csv: row 2, column 'Timestamp': 2027-02-30 is not a date"),
        ("Timestamp\n13/1/27\n1/13/27\n", "mixes day/month and month/day"),
    ],
)
def test_a_column_that_cannot_date_the_wave_is_named(text: str, message: str) -> None:
    with pytest.raises(InputError) as error:
        completion_date(text, "w.csv")
    assert message in str(error.value)
    assert "give the date the wave was surveyed" in str(error.value)


def test_no_dating_column_or_no_dated_row_gives_none() -> None:
    assert completion_date("division,su_lead\nA,it\n", "w.csv") is None
    assert completion_date("division,Timestamp\nA,\n", "w.csv") is None


def test_qualtrics_rows_are_numbered_as_in_the_file() -> None:
    text = (SURVEYS / "qualtrics.csv").read_text(encoding="utf-8-sig")
    lines = text.splitlines()
    lines[4] = "soon" + lines[4][lines[4].index(",") :].replace("2026-11-02 09:12:00", "soon", 1)
    with pytest.raises(InputError, match=r"row 5, column 'EndDate': 'soon'"):
        completion_date("\n".join(lines), "q.csv")


# --- a wave's summary --------------------------------------------------------------------------


def test_a_waves_statistics_are_its_respondents_scores() -> None:
    data = survey_csv({"Sales": 12, "Support": 9, "Legal": 3, "Audit": 3}, seed=3)
    table = table_of(data)
    summary = wave_summary(Q, RULES, table, "March wave", MARCH, min_group_size=5)
    batch = score_respondents(Q, RULES, table, min_group_size=5)
    scores = batch.respondents
    assert summary.label == "March wave"
    assert summary.surveyed_on == MARCH
    assert summary.respondents == 27
    assert summary.questionnaire_version == Q.version
    assert list(summary.groups) == [EVERYONE, "Sales", "Support", OTHER_DIVISIONS]
    assert summary.group_note is not None
    assert "merged" in summary.group_note
    groups = {"Sales": ["Sales"], "Support": ["Support"], OTHER_DIVISIONS: ["Legal", "Audit"]}
    everyone = [name for members in groups.values() for name in members]
    for group, names in [(EVERYONE, everyone), *groups.items()]:
        rows = scores[scores["division"].isin(names)]
        for dimension in NAMES:
            values = rows[dimension].dropna().to_numpy()
            got = summary.groups[group][dimension]
            assert got.n == len(values)
            assert got.mean == pytest.approx(values.mean(), abs=1e-12)
            assert got.sd == pytest.approx(values.std(ddof=1), abs=1e-12)


def test_respondents_without_a_dimension_score_are_not_counted() -> None:
    data = survey_csv({"Sales": 10}, seed=4, blanks=0.7)
    summary = wave_summary(Q, RULES, table_of(data), "w", MARCH, min_group_size=5)
    counts = [s.n for s in summary.groups[EVERYONE].values()]
    assert min(counts) < 10  # most answers blank: some respondents have no score


def test_a_wave_is_dated_by_its_completion_column_unless_a_date_is_given() -> None:
    data = forms_survey_csv({"Sales": 6}, seed=5)
    text = data.decode("utf-8-sig")
    table = parse_respondents_csv(Q, text, "forms.csv")
    found = completion_date(text, "forms.csv")
    dated = wave_summary(Q, RULES, table, "w", completion=found)
    assert dated.surveyed_on == dt.date(2026, 11, 2)
    given_date = wave_summary(Q, RULES, table, "w", MARCH, completion=found)
    assert given_date.surveyed_on == MARCH


def test_a_wave_without_a_date_asks_for_one() -> None:
    table = table_of(survey_csv({"Sales": 6}))
    with pytest.raises(InputError, match=r"wave.csv: when was this wave surveyed\?.*give the date"):
        wave_summary(Q, RULES, table, "w", source="wave.csv")


@pytest.mark.parametrize("label", ["", "   ", "x" * 101, "two\nlines"])
def test_a_bad_label_is_refused(label: str) -> None:
    table = table_of(survey_csv({"Sales": 6}))
    with pytest.raises(InputError, match="label is 1 to 100 characters"):
        wave_summary(Q, RULES, table, label, MARCH)


def test_a_table_with_problems_is_refused_naming_them() -> None:
    text = "division,su_lead\nSales,maybe\n"
    table = parse_respondents_csv(Q, text, "bad.csv")
    with pytest.raises(InputError, match=r"bad\.csv: row 2"):
        wave_summary(Q, RULES, table, "w", MARCH)


def test_a_wave_survives_the_plan_file() -> None:
    from readiness.plan.model import plan_text, read_plan_bytes

    table = table_of(survey_csv({"Sales": 8, "Support": 7}, seed=6))
    summary = wave_summary(Q, RULES, table, "March wave", MARCH, min_group_size=5)
    plan = Plan(waves=(summary,))
    for fmt in ("yaml", "json"):
        back = read_plan_bytes(plan_text(plan, fmt).encode(), f"plan.{fmt}")
        assert back.waves == (summary,)


# --- Welch and Holm ----------------------------------------------------------------------------


@pytest.mark.parametrize("sizes", [(30, 30), (12, 45), (2, 3), (5, 200)])
def test_welch_equals_scipys_unequal_variance_t_test(sizes: tuple[int, int]) -> None:
    rng = np.random.default_rng(sum(sizes))
    before = rng.normal(50, 12, sizes[0]).clip(0, 100)
    after = rng.normal(58, 20, sizes[1]).clip(0, 100)
    got = welch_change(
        stats(len(before), before.mean(), before.std(ddof=1)),
        stats(len(after), after.mean(), after.std(ddof=1)),
    )
    reference = scipy_stats.ttest_ind(after, before, equal_var=False)
    low, high = reference.confidence_interval(0.95)
    assert got is not None
    assert got.change == pytest.approx(after.mean() - before.mean(), abs=1e-12)
    assert got.low == pytest.approx(low, abs=1e-9)
    assert got.high == pytest.approx(high, abs=1e-9)
    assert got.p_value == pytest.approx(reference.pvalue, rel=1e-9)
    assert got.df == pytest.approx(reference.df, rel=1e-12)


def test_welch_needs_two_scores_on_each_side() -> None:
    assert welch_change(stats(1, 50, None), stats(10, 60, 5)) is None
    assert welch_change(stats(10, 50, 5), stats(0, None, None)) is None


def test_welch_without_any_spread_is_the_change_itself() -> None:
    same = welch_change(stats(5, 50, 0), stats(5, 50, 0))
    moved = welch_change(stats(5, 50, 0), stats(5, 75, 0))
    assert same is not None
    assert (same.low, same.high, same.p_value) == (0, 0, 1)
    assert moved is not None
    assert (moved.low, moved.high, moved.p_value) == (25, 25, 0)


def test_holm_matches_its_definition() -> None:
    # R: p.adjust(c(0.01, 0.04, 0.03, 0.005), "holm") = 0.03 0.06 0.06 0.02
    assert holm_adjusted([0.01, 0.04, 0.03, 0.005]) == pytest.approx([0.03, 0.06, 0.06, 0.02])
    assert holm_adjusted([0.5, 0.9]) == pytest.approx([1.0, 1.0])
    assert holm_adjusted([]) == []


# --- comparing waves ---------------------------------------------------------------------------


def two_waves(
    support_change: float = 12.0, n: int = 40, sd: float = 10.0
) -> tuple[WaveSummary, WaveSummary]:
    def groups(shift: float) -> dict[str, dict[str, DimensionStats]]:
        return {
            EVERYONE: {d: stats(4 * n, 50 + shift / 4 * (d == "support"), sd) for d in NAMES},
            "Sales": {d: stats(n, 40 + shift * (d == "support"), sd) for d in NAMES},
            "Legal": {d: stats(n, 60, sd) for d in NAMES},
        }

    return (
        wave("March wave", MARCH, groups(0.0)),
        wave("September wave", SEPTEMBER, groups(support_change)),
    )


def test_a_change_is_named_with_its_interval_and_the_rest_are_noise() -> None:
    earlier, later = two_waves()
    comparison = compare_waves(earlier, later, min_group_size=5)
    called = comparison.called
    assert [(c.group, c.dimension) for c in called] == [("Sales", "support")]
    change = called[0]
    assert change.change == pytest.approx(12.0)
    assert change.low is not None
    assert change.high is not None
    assert change.low < 12 < change.high
    assert comparison.sentence == (
        f"Support +12 ({change.low:.0f} to {change.high:.0f}) in Sales since the March wave; "
        "other changes within noise."
    )
    assert len(comparison.compared) == 9
    assert comparison.changes[0].group == EVERYONE  # everyone first
    assert "across all 9 comparisons" in comparison.method_text


def test_no_change_says_so() -> None:
    earlier, later = two_waves(support_change=0.0)
    comparison = compare_waves(earlier, later, min_group_size=5)
    assert comparison.sentence == "No change beyond noise since the March wave."
    assert {c.reading for c in comparison.changes} == {"within noise"}


def test_a_pointwise_change_that_does_not_hold_across_the_family_is_noise() -> None:
    # +5 with se about 2.24: p about 0.03 alone, above 0.05 / 9 after Holm
    earlier, later = two_waves(support_change=5.0)
    comparison = compare_waves(earlier, later, min_group_size=5)
    sales = next(c for c in comparison.changes if (c.group, c.dimension) == ("Sales", "support"))
    assert sales.p_value is not None
    assert sales.p_adjusted is not None
    assert sales.p_value < 0.05 < sales.p_adjusted
    assert sales.low is not None
    assert sales.low > 0  # its own interval excludes 0 ...
    assert sales.reading == "within noise"  # ... but it does not survive the family


def test_groups_too_small_in_either_wave_are_too_few_to_tell() -> None:
    earlier, later = two_waves()
    small = {d: stats(3, 70, 10) for d in NAMES}
    earlier = earlier.model_copy(update={"groups": {**earlier.groups, "Audit": small}})
    later = later.model_copy(update={"groups": {**later.groups, "Audit": small}})
    comparison = compare_waves(earlier, later, min_group_size=5)
    audit = [c for c in comparison.changes if c.group == "Audit"]
    assert {c.reading for c in audit} == {"too few to tell"}
    assert all(c.change is None and c.p_adjusted is None for c in audit)
    assert len(comparison.compared) == 9  # not in the family
    assert "Too few respondents to tell for Audit (fewer than 5 with a score in a wave)." in (
        comparison.notes
    )
    # the same groups with a minimum of 3 are compared
    assert len(compare_waves(earlier, later, min_group_size=3).compared) == 12


def test_everything_too_few_says_so() -> None:
    small = {EVERYONE: {d: stats(3, 50, 5) for d in NAMES}}
    comparison = compare_waves(
        wave("March wave", MARCH, small), wave("later", SEPTEMBER, small), min_group_size=5
    )
    assert comparison.sentence == "Too few respondents to tell any change since the March wave."
    assert "for all respondents" in comparison.notes[-1]


def test_the_minimum_defaults_to_the_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    earlier, later = two_waves(n=8)
    monkeypatch.setenv("READINESS_MIN_GROUP_SIZE", "10")
    assert compare_waves(earlier, later).min_group_size == 10
    assert [c.group for c in compare_waves(earlier, later).compared] == [EVERYONE] * 3


def test_a_wave_is_not_compared_with_itself_or_out_of_order() -> None:
    earlier, later = two_waves()
    with pytest.raises(InputError, match=r"both waves .* are dated 2027-03-15"):
        compare_waves(earlier, earlier)
    with pytest.raises(InputError, match=r"the earlier wave 'September wave' .* give the earlier"):
        compare_waves(later, earlier)


def test_other_divisions_and_groups_of_one_wave_are_left_out_and_named() -> None:
    earlier, later = two_waves()
    extra = {d: stats(20, 50, 10) for d in NAMES}
    earlier = earlier.model_copy(
        update={"groups": {**earlier.groups, OTHER_DIVISIONS: extra, "Finance": extra}}
    )
    later = later.model_copy(update={"groups": {**later.groups, OTHER_DIVISIONS: extra}})
    comparison = compare_waves(earlier, later, min_group_size=5)
    assert {c.group for c in comparison.changes} == {EVERYONE, "Sales", "Legal"}
    assert (
        "'other divisions' is not compared: it may hold different divisions in each wave."
        in comparison.notes
    )
    assert "In one wave only, not compared: Finance." in comparison.notes


def test_different_questionnaire_versions_compare_the_dimensions_both_have() -> None:
    earlier, later = two_waves()
    old = earlier.model_copy(
        update={
            "questionnaire_version": "2025.1",
            "groups": {
                g: {d: s for d, s in dims.items() if d != "tooling"}
                for g, dims in earlier.groups.items()
            },
        }
    )
    comparison = compare_waves(old, later, min_group_size=5)
    assert comparison.dimensions == ("grassroots", "support")
    assert comparison.left_out_dimensions == ("tooling",)
    assert {c.dimension for c in comparison.changes} == {"grassroots", "support"}
    assert comparison.notes[0] == (
        "The waves answered different questionnaire versions (2025.1 and 1): only the "
        "dimensions both have are compared (Grassroots activity and Support); Tooling in one "
        "wave only."
    )
    # the same dimensions, other versions: compared, and said
    renamed = earlier.model_copy(update={"questionnaire_version": "2025.1"})
    same = compare_waves(renamed, later, min_group_size=5)
    assert same.left_out_dimensions == ()
    assert same.notes[0].startswith("The waves answered different questionnaire versions")


def test_several_changes_are_listed_and_a_fall_is_signed() -> None:
    earlier, later = two_waves()
    groups = {g: dict(d) for g, d in later.groups.items()}
    groups["Legal"]["tooling"] = stats(40, 41.6, 10)
    later = later.model_copy(update={"groups": groups})
    comparison = compare_waves(earlier, later, min_group_size=5)
    sentence = comparison.sentence
    assert sentence.startswith("Support +12 (")
    assert ") in Sales and Tooling -18 (" in sentence
    assert sentence.endswith(") in Legal since the March wave; other changes within noise.")


def test_the_json_holds_the_sentence_and_every_comparison() -> None:
    earlier, later = two_waves()
    payload = compare_waves(earlier, later, min_group_size=5).to_json()
    assert payload["sentence"].startswith("Support +12")
    assert payload["earlier_on"] == "2027-03-15"
    assert len(payload["changes"]) == 9
    assert {"group", "dimension", "low", "high", "p_adjusted", "reading"} <= set(
        payload["changes"][0]
    )


# --- properties --------------------------------------------------------------------------------

dimension_stats = st.builds(
    DimensionStats,
    n=st.integers(0, 300),
    mean=st.floats(0, 100),
    sd=st.floats(0, 50),
).map(lambda s: s if s.n else DimensionStats(n=0))
group_stats = st.fixed_dictionaries(dict.fromkeys(NAMES, dimension_stats))
wave_groups = st.dictionaries(
    st.sampled_from([EVERYONE, "Sales", "Legal", "R&D", OTHER_DIVISIONS]),
    group_stats,
    min_size=1,
)


@settings(max_examples=examples(60), deadline=None)
@given(first=wave_groups, second=wave_groups)
def test_swapping_the_waves_flips_every_change(
    first: dict[str, dict[str, DimensionStats]], second: dict[str, dict[str, DimensionStats]]
) -> None:
    forward = compare_waves(wave("a", MARCH, first), wave("b", SEPTEMBER, second), min_group_size=5)
    backward = compare_waves(
        wave("b", MARCH, second), wave("a", SEPTEMBER, first), min_group_size=5
    )
    key = {(c.group, c.dimension): c for c in backward.changes}
    assert len(key) == len(forward.changes)
    for change in forward.changes:
        other = key[(change.group, change.dimension)]
        assert change.reading == other.reading
        if change.change is None:
            assert other.change is None
            continue
        assert other.change is not None
        assert change.change == pytest.approx(-other.change, abs=1e-9)
        assert change.low == pytest.approx(-(other.high or 0), abs=1e-9)
        assert change.high == pytest.approx(-(other.low or 0), abs=1e-9)
        assert change.p_value == pytest.approx(other.p_value, rel=1e-9)


@settings(max_examples=examples(60), deadline=None)
@given(groups=wave_groups, days=st.integers(1, 3650))
def test_a_wave_against_a_later_copy_of_itself_shows_no_change(
    groups: dict[str, dict[str, DimensionStats]], days: int
) -> None:
    first = wave("March wave", MARCH, groups)
    copy = first.model_copy(update={"surveyed_on": MARCH + dt.timedelta(days=days)})
    comparison = compare_waves(first, copy, min_group_size=5)
    assert not comparison.called
    assert all(c.change in (None, 0.0) for c in comparison.changes)
    assert comparison.sentence in (
        "No change beyond noise since the March wave.",
        "Too few respondents to tell any change since the March wave.",
    )


# --- waves for a chart -------------------------------------------------------------------------


def test_the_waves_frame_has_each_waves_means_and_intervals_oldest_first() -> None:
    earlier, later = two_waves()
    frame = waves_frame([later, earlier], "Sales")
    assert list(frame.columns) == ["wave", "date", "dimension", "mean", "low", "high", "n"]
    assert list(frame["wave"]) == ["March wave"] * 3 + ["September wave"] * 3
    assert frame["date"].iloc[0] == pd.Timestamp(MARCH)
    row = frame.iloc[4]  # September, support
    half = scipy_stats.t.ppf(0.975, 39) * 10 / math.sqrt(40)
    assert (row["mean"], row["low"], row["high"]) == pytest.approx((52, 52 - half, 52 + half))


def test_intervals_stay_within_the_scale_and_need_two_scores() -> None:
    assert mean_interval(stats(3, 99, 20)) == pytest.approx(
        (99 - scipy_stats.t.ppf(0.975, 2) * 20 / math.sqrt(3), 100.0)
    )
    assert mean_interval(stats(1, 50, None)) is None
    frame = waves_frame([wave("w", MARCH, {EVERYONE: {"support": stats(1, 50, None)}})])
    assert frame["low"].isna().all()
    assert waves_frame([wave("w", MARCH, {EVERYONE: {"support": stats(0, None, None)}})]).empty
    assert waves_frame([], "Sales").empty


def test_the_waves_chart_draws_each_dimension_with_its_interval() -> None:
    earlier, later = two_waves()
    chart = waves_chart([earlier, later], "Sales", NAMES)
    spec = chart.to_dict()
    marks = [layer["mark"]["type"] for layer in spec["layer"]]
    assert marks == ["rule", "line", "point"]
    assert len(spec["datasets"][next(iter(spec["datasets"]))]) == 6
    shown, alt_text = for_display(chart)
    assert alt_text.startswith(
        "Mean dimension scores out of 100, with their 95% intervals, for Sales"
    )
    assert "March wave (15 Mar 2027), September wave (15 Sep 2027)" in alt_text
    assert "Support 40 to 52" in alt_text
    assert "description" not in shown.to_dict()


def test_the_waves_chart_of_a_group_in_no_wave_says_so() -> None:
    earlier, later = two_waves()
    chart = waves_chart([earlier, later], "Nowhere", NAMES)
    assert "no wave has scores for this group" in str(chart.description)
    chart.to_dict()


def test_user_text_in_the_charts_stays_text() -> None:
    label = "<img src=x onerror=alert(1)> **wave**"
    groups = {EVERYONE: {"support": stats(10, 50, 5)}}
    chart = waves_chart([wave(label, MARCH, groups)], EVERYONE, NAMES)
    data = next(iter(chart.to_dict()["datasets"].values()))
    assert data[0]["wave"] == label  # as given: Altair draws it as text


def plan_with_everything() -> Plan:
    earlier, later = two_waves()
    return Plan(
        actions=(
            PlanAction(
                kind="champions", start=dt.date(2027, 3, 1), divisions=("Sales",), staff_share=0.2
            ),
            PlanAction(kind="training", start=dt.date(2027, 6, 1), end=dt.date(2027, 9, 30)),
        ),
        waves=(later, earlier),
    )


def test_the_timeline_puts_actions_and_waves_on_one_time_axis() -> None:
    kinds = load_action_kinds()
    frame = timeline_frame(plan_with_everything(), kinds)
    assert list(frame["row"]) == [
        "Champions network: Sales (20% of staff)",
        "Training: the whole organization",
        WAVES_ROW,
        WAVES_ROW,
    ]
    assert list(frame["label"][2:]) == ["March wave", "September wave"]  # oldest first
    assert frame["end"].isna().tolist() == [True, False, True, True]
    chart = timeline_chart(plan_with_everything(), kinds)
    spec = chart.to_dict()
    marks = [layer["mark"]["type"] for layer in spec["layer"]]
    assert marks == ["bar", "rule", "point", "point", "point", "text"]
    assert spec["layer"][3]["mark"]["shape"] == "triangle-right"  # the open-ended arrow
    description = str(chart.description)
    assert "Champions network for Sales (20% of staff) from Mar 2027, open-ended" in description
    assert "Training for the whole organization from Jun 2027 to Sep 2027" in description
    assert "March wave (15 Mar 2027), September wave (15 Sep 2027)" in description


def test_an_open_ended_arrow_reaches_past_the_last_date() -> None:
    frame = timeline_frame(plan_with_everything(), load_action_kinds())
    chart = timeline_chart(plan_with_everything(), load_action_kinds())
    data = pd.DataFrame(next(iter(chart.to_dict()["datasets"].values())))
    reach = pd.Timestamp(str(data.loc[0, "reach"]))
    assert reach > frame["start"].max()
    assert reach > frame["end"].max()


def test_an_empty_plan_has_a_timeline_that_says_so() -> None:
    chart = timeline_chart(Plan(), load_action_kinds())
    assert chart.to_dict()["mark"]["type"] == "text"
    assert "0 actions" in str(chart.description)


def test_the_charts_stay_small() -> None:
    assert len(waves_frame(list(plan_with_everything().waves))) < MAX_CHART_ROWS


# --- the known truth (a smaller run of bench/bench_waves.py) -----------------------------------


@pytest.mark.full
def test_the_comparison_calls_few_false_changes_and_finds_a_true_one() -> None:
    import bench_waves

    null = bench_waves.run(80, bench_waves.Setting(), seed=5)
    true = bench_waves.run(80, bench_waves.Setting(change=bench_waves.TRUE_CHANGE), seed=6)
    assert null.any_change / null.sims <= 0.10
    assert true.found / true.sims >= 0.80
    covered = sum(null.covered.values()) + sum(true.covered.values())
    intervals = sum(null.intervals.values()) + sum(true.intervals.values())
    assert 0.93 <= covered / intervals <= 0.97
    # the true change is where the simulation put it, and the truth is the exact one
    assert bench_waves.expected_score(0.0, 0.4) == pytest.approx(50.0)
    shift = bench_waves.level_shift(12.0, 0.3, 0.4)
    assert bench_waves.expected_score(0.3 + shift, 0.4) - bench_waves.expected_score(
        0.3, 0.4
    ) == pytest.approx(12.0)


def test_the_simulations_expected_score_is_its_average_score() -> None:
    import bench_waves

    rng = np.random.default_rng(1)
    levels = {"Sales": {"grassroots": 0.5, "support": -0.3, "tooling": 0.0}}
    setting = bench_waves.Setting(respondents=4000)
    table = bench_waves.simulated_table(rng, levels, setting)
    summary = wave_summary(Q, RULES, table, "w", MARCH, min_group_size=5)
    for dimension, level in levels["Sales"].items():
        expected = bench_waves.expected_score(level, setting.person_sd)
        got = summary.groups[EVERYONE][dimension]
        assert got.mean is not None
        assert got.sd is not None
        assert abs(got.mean - expected) < 4 * got.sd / math.sqrt(got.n)
