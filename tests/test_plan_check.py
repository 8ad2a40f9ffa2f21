"""Did it work? An action checked against its scope's measured usage: the scope's series, the
verdict, the effect and its interval, the counterfactual, months earlier, the sentences, what the
plan keeps, and the chart."""

from __future__ import annotations

import datetime as dt
import math
import re

import numpy as np
import pandas as pd
import pytest
from bench_gbm import PERIODS, division

from readiness.errors import InputError
from readiness.evidence.drivers import DivisionMap, DivisionPair
from readiness.fitting import (
    GeneralizedBassModel,
    Observations,
    bass_fraction,
    model_for,
    shock_integral,
)
from readiness.fitting.bands import Z95
from readiness.plan.check import (
    HORIZON_YEARS,
    MIN_MONTHS_AFTER,
    START_EARLIER_MONTHS,
    START_LATER_MONTHS,
    ActionCheck,
    check_action,
    robust_stderr,
    scope_observations,
    scope_series,
    to_measured_effect,
)
from readiness.plan.check_chart import WITH_ACTION, WITHOUT_ACTION, check_chart, check_frames
from readiness.plan.kinds import load_action_kinds
from readiness.plan.model import MeasuredEffect, PlanAction
from readiness.usage.measure import MeasuredAdoption

KINDS = load_action_kinds()
TRAINING = KINDS.get("training")  # exponential
CHAMPIONS = KINDS.get("champions")  # rectangular, lasting
#: The bench's divisions have their shock at month 12: 1 January 2026.
ACTION_DAY = dt.date(2026, 1, 1)
SALES = PlanAction(
    kind="training", start=ACTION_DAY, divisions=("Sales",), staff_share=0.2, note=""
)
CAMPAIGN = PlanAction(kind="champions", start=ACTION_DAY, end=dt.date(2026, 7, 1))


@pytest.fixture(scope="module")
def trained() -> ActionCheck:
    """A division whose exponential shock (c = 1 fading at b = -2 per year) is at the date."""
    obs = division(np.random.default_rng(1), "exponential")
    return check_action(obs, SALES, TRAINING, assumed_effect=0.4)


@pytest.fixture(scope="module")
def campaigned() -> ActionCheck:
    """A division with a six-month campaign (c = 1) from the date."""
    obs = division(np.random.default_rng(2), "rectangular")
    return check_action(obs, CAMPAIGN, CHAMPIONS, assumed_effect=0.4)


# --- the verdict, the effect and the sentence ---------------------------------------------------


def test_a_real_effect_is_supported_with_its_interval_and_sentence(trained: ActionCheck) -> None:
    assert trained.verdict == "supported"
    assert trained.shape == "exponential"
    assert trained.start == 2026.0
    assert not trained.start_estimated
    assert trained.months_after == 23  # months after 1 Jan 2026 (the date is the 13th month)
    assert trained.effect is not None
    assert trained.effect_low is not None
    assert trained.effect_high is not None
    assert trained.effect_low < 1.0 < trained.effect_high  # the truth
    assert trained.multiplier == pytest.approx(1 + trained.effect)
    assert trained.multiplier_interval == (1 + trained.effect_low, 1 + trained.effect_high)
    assert trained.fit is not None
    c, se = trained.fit.params["c1"], robust_stderr(trained.fit)
    assert se is not None
    assert trained.effect == c.value
    assert trained.effect_low == pytest.approx(c.value - Z95 * se)
    assert trained.effect_high == pytest.approx(c.value + Z95 * se)
    assert trained.fit.params["a1"].fixed
    b = trained.fit.params["b1"].value
    assert trained.duration == "half-life"
    assert trained.duration_months == pytest.approx(math.log(2) / -b * 12)
    assert trained.comparison is not None
    assert trained.comparison.verdict == "supported"
    assert trained.interval_method.startswith("Wald, with a standard error robust to noise")
    growth = f"{1 + trained.effect:.1f}x"
    interval = f"{1 + trained.effect_low:.1f}-{1 + trained.effect_high:.1f}"
    assert trained.sentence.startswith(
        f"Training in Sales from Jan 2026: growth about {growth} ({interval}) at first, its extra"
        " halving in about "
    )
    assert re.search(r"; 50% reached about \d+ months? earlier than without\.$", trained.sentence)


def test_a_campaign_holds_from_its_start_to_its_end(campaigned: ActionCheck) -> None:
    assert campaigned.shape == "rectangular"  # an end makes any kind a campaign
    assert campaigned.verdict == "supported"
    assert campaigned.fit is not None
    end = campaigned.fit.params["b1"]
    assert end.fixed
    assert end.value == pytest.approx(2026 + 181 / 365)  # 1 July 2026
    assert campaigned.duration == "to its end"
    assert campaigned.duration_months == pytest.approx(181 / 365 * 12)
    assert campaigned.comparison is not None
    assert campaigned.comparison.change_points == 0  # a dated start and end
    assert campaigned.effect_low is not None
    assert campaigned.effect_high is not None
    assert campaigned.effect_low < 1.0 < campaigned.effect_high
    assert "Champions network across the whole organization from Jan 2026: growth about" in (
        campaigned.sentence
    )
    assert " for about 6 months; 50% reached about " in campaigned.sentence


def test_a_lasting_action_holds_to_the_last_measured_month() -> None:
    obs = division(np.random.default_rng(3), "rectangular")
    lasting = PlanAction(kind="champions", start=ACTION_DAY)
    check = check_action(obs, lasting, CHAMPIONS)
    assert check.shape == "rectangular"
    assert check.fit is not None
    assert check.fit.params["b1"].value == obs.periods[-1]
    assert check.duration == "to the last measured month"
    assert check.duration_months == pytest.approx((obs.periods[-1] - 2026.0) * 12)
    # Past the measured months a lasting action keeps its effect: the gap keeps growing while
    # the curves are still far from their ceiling.
    ahead = check.curves[check.curves["year"] > obs.periods[-1]]
    assert not ahead.empty
    assert np.all(ahead["with_action"].to_numpy() >= ahead["without_action"].to_numpy())


def test_without_an_effect_the_data_cannot_tell_it_from_none() -> None:
    obs = division(np.random.default_rng(9), None)
    check = check_action(obs, CAMPAIGN, CHAMPIONS)
    assert check.verdict == "not supported"
    assert check.effect is not None
    assert check.effect_low is not None
    assert check.effect_high is not None
    assert check.effect_low < 0 < check.effect_high
    interval = f"{1 + check.effect_low:.1f}-{1 + check.effect_high:.1f}"
    assert check.sentence == (
        "Champions network across the whole organization from Jan 2026: the data cannot tell"
        f" its effect from no effect: growth about {1 + check.effect:.1f}x ({interval}) for"
        " about 6 months."
    )


def test_too_early_to_tell_claims_no_effect() -> None:
    obs = division(np.random.default_rng(4), "exponential")
    late = PlanAction(kind="training", start=dt.date(2027, 9, 15))
    check = check_action(obs, late, TRAINING, assumed_effect=0.4)
    assert check.months_after == MIN_MONTHS_AFTER - 1
    assert check.verdict == "too early to tell"
    assert check.effect is None
    assert check.effect_low is None
    assert check.multiplier is None
    assert check.months_earlier is None
    assert check.fit is None
    assert check.comparison is None
    assert check.sentence == (
        "Training across the whole organization from Sep 2027: too early to tell (3 measured"
        " months since the start; at least 4 needed)."
    )
    assert check.plan_sentence == "the plan assumed 1.4x; too early to tell"
    assert check.consistent is None
    assert check.curves["observed"].tolist() == list(obs.values)
    assert check.curves["with_action"].isna().all()
    with pytest.raises(InputError, match="No measured effect with an interval to keep"):
        to_measured_effect(check)


def test_an_action_after_the_last_month_is_too_early_too() -> None:
    obs = division(np.random.default_rng(4), None)
    check = check_action(obs, PlanAction(kind="training", start=dt.date(2031, 1, 1)), TRAINING)
    assert check.verdict == "too early to tell"
    assert check.months_after == 0


def test_too_few_months_before_the_start_is_refused_by_name() -> None:
    obs = division(np.random.default_rng(4), "exponential")
    early = PlanAction(
        kind="training", start=dt.date(2025, 2, 10), divisions=("Sales",), staff_share=0.3
    )
    with pytest.raises(InputError) as error:
        check_action(obs, early, TRAINING)
    assert error.value.problems == [
        "Training in Sales from Feb 2025: 2 measured months before the start (at least 3"
        " needed: the curve without the action rests on them)"
    ]


def test_only_monthly_active_shares_are_checked() -> None:
    obs = division(np.random.default_rng(4), "exponential")
    counts = Observations(
        periods=obs.periods, values=tuple(v * 2000 for v in obs.values), unit="count"
    )
    with pytest.raises(InputError, match="monthly active shares 0-1"):
        check_action(counts, SALES, TRAINING)


# --- the counterfactual and months earlier ------------------------------------------------------


def test_the_counterfactual_is_the_fitted_curve_with_the_effect_at_zero(
    trained: ActionCheck,
) -> None:
    assert trained.fit is not None
    curve = trained.fit.curve_model()
    assert isinstance(curve, GeneralizedBassModel)
    params = {name: p.value for name, p in trained.fit.params.items()}
    curves = trained.curves
    assert list(curves.columns) == ["year", "observed", "with_action", "without_action"]
    years = curves["year"].to_numpy()
    assert curves["without_action"].to_numpy() == pytest.approx(
        curve.without_shocks(params, years), rel=1e-12
    )
    measured = curves.dropna(subset=["observed"])
    assert measured["observed"].tolist() == list(trained.fit.observations.values)
    assert measured["with_action"].to_numpy() == pytest.approx(
        trained.fit.predict(measured["year"].to_numpy()), rel=1e-12
    )
    # Monthly past the last measured month, for at least a year and at most the horizon.
    last = trained.fit.observations.periods[-1]
    ahead = curves["year"].to_numpy()[len(measured) :]
    assert ahead[0] == pytest.approx(last + 1 / 12)
    assert np.diff(ahead) == pytest.approx(np.full(ahead.size - 1, 1 / 12))
    assert last + 1 - 1e-9 <= ahead[-1] <= last + HORIZON_YEARS


def _crossing(years: np.ndarray, shares: np.ndarray, level: float) -> float:
    """Where a rising curve on a fine grid first reaches ``level`` (linear between points)."""
    i = int(np.argmax(shares >= level))
    return float(np.interp(level, shares[i - 1 : i + 1], years[i - 1 : i + 1]))


def test_months_earlier_is_where_each_curve_reaches_half(trained: ActionCheck) -> None:
    assert trained.fit is not None
    curve = trained.fit.curve_model()
    assert isinstance(curve, GeneralizedBassModel)
    params = {name: p.value for name, p in trained.fit.params.items()}
    years = np.linspace(2025.0, 2035.0, 200_001)
    with_action = _crossing(years, curve.cumulative(params, years), 0.5)
    without = _crossing(years, curve.without_shocks(params, years), 0.5)
    assert trained.target == "50%"
    assert trained.target_share == 0.5
    assert trained.months_earlier == pytest.approx((without - with_action) * 12, abs=0.01)
    assert trained.months_earlier is not None
    assert trained.months_earlier > 0
    months = round(trained.months_earlier)
    assert f"50% reached about {months} month" in trained.sentence


def _gbm_series(m: float, c: float, months: int = 36) -> Observations:
    """A noise-free division like the bench's (shock at 2026.0, fading at b = -2 per year)."""
    x = PERIODS[:months]
    growth = x - (2025.0 - 3 / 12) + shock_integral("exponential", 2026.0, -2.0, c, x)
    shares = m * bass_fraction(growth, 0.02, 2.0)
    return Observations(periods=tuple(x.tolist()), values=tuple(shares.tolist()))


def test_when_half_is_out_of_reach_the_last_measured_share_is_dated() -> None:
    check = check_action(_gbm_series(0.3, 1.0), SALES, TRAINING)
    assert check.verdict == "supported"
    assert check.target == "last measured share"
    assert check.fit is not None
    last = check.fit.observations.periods[-1]
    assert check.target_share == pytest.approx(float(check.fit.predict([last])[0]))
    assert check.months_earlier is not None
    assert check.months_earlier > 0
    assert f"; {check.target_share:.0%} (the last measured share) reached about " in (
        check.sentence
    )


def test_an_action_that_slows_growth_reaches_half_later() -> None:
    check = check_action(_gbm_series(0.7, -0.5), SALES, TRAINING)
    assert check.verdict == "supported"
    assert check.effect == pytest.approx(-0.5, rel=1e-3)
    assert check.months_earlier is not None
    assert check.months_earlier < 0
    assert "growth about 0.5x" in check.sentence
    assert re.search(r"50% reached about \d+ months? later than without\.$", check.sentence)


# --- against the plan ---------------------------------------------------------------------------


def test_the_plans_assumption_within_the_interval_is_consistent(trained: ActionCheck) -> None:
    assert trained.effect_low is not None
    assert trained.effect_high is not None
    inside = (trained.effect_low + trained.effect_high) / 2
    obs = trained.fit.observations if trained.fit else None
    assert obs is not None
    check = check_action(obs, SALES, TRAINING, assumed_effect=inside)
    measured = (
        f"measured {check.multiplier:.1f}x"
        f" ({1 + trained.effect_low:.1f}-{1 + trained.effect_high:.1f})"
    )
    assert check.consistent is True
    assert check.plan_sentence == f"the plan assumed {1 + inside:.1f}x; {measured}: consistent"


def test_an_assumption_outside_the_interval_offers_the_measured_effect(
    campaigned: ActionCheck,
) -> None:
    assert campaigned.effect_low is not None
    assert campaigned.effect_low > 0.4
    assert campaigned.consistent is False
    assert campaigned.plan_sentence is not None
    assert campaigned.plan_sentence.startswith("the plan assumed 1.4x; measured ")
    assert campaigned.plan_sentence.endswith(
        ": the plan's assumption is outside; keep the measured effect in the plan?"
    )


def test_a_kept_measured_effect_replaces_the_assumption(trained: ActionCheck) -> None:
    assert trained.fit is not None
    kept = MeasuredEffect(effect=3.0, low=2.5, high=3.5, note="Sales, earlier")
    check = check_action(
        trained.fit.observations, SALES, TRAINING, assumed_effect=0.9, measured_effect=kept
    )
    assert check.kept_effect == kept
    assert check.consistent is False
    assert check.plan_sentence is not None
    assert check.plan_sentence.startswith("the plan keeps a measured 4.0x; measured ")
    assert check.plan_sentence.endswith(
        "the plan's kept effect is outside; keep the measured effect in the plan?"
    )


def test_without_a_plan_effect_there_is_no_plan_sentence(trained: ActionCheck) -> None:
    assert trained.fit is not None
    check = check_action(trained.fit.observations, SALES, TRAINING)
    assert check.plan_sentence is None
    assert check.consistent is None


def test_the_measured_effect_the_plan_keeps(trained: ActionCheck, campaigned: ActionCheck) -> None:
    kept = to_measured_effect(trained)
    assert (kept.effect, kept.low, kept.high) == (
        trained.effect,
        trained.effect_low,
        trained.effect_high,
    )
    assert kept.half_life_months == pytest.approx(trained.duration_months)
    assert kept.note == "Sales, Jan 2026 - Dec 2027 (23 months measured since the start)"
    campaign = to_measured_effect(campaigned)
    assert campaign.half_life_months is None  # a campaign does not fade
    assert campaign.note.startswith("the whole organization, Jan 2026 - Dec 2027")


# --- the start estimated ------------------------------------------------------------------------


def test_an_estimated_start_is_searched_near_the_date_and_counted_as_a_change_point() -> None:
    obs = division(np.random.default_rng(5), "exponential")
    check = check_action(obs, SALES, TRAINING, estimate_start=True)
    held = check_action(obs, SALES, TRAINING)
    assert check.start_estimated
    assert 2026 - START_EARLIER_MONTHS / 12 <= check.start <= 2026 + START_LATER_MONTHS / 12
    assert check.fit is not None
    assert held.fit is not None
    assert not check.fit.params["a1"].fixed
    assert "a1" in check.fit.free
    assert check.comparison is not None
    assert check.comparison.change_points == 1
    assert check.interval_method.startswith("profile likelihood over the start")
    # The profile over the start is at least as wide as the best start's own interval.
    best = model_for("gbm", obs, shocks=("exponential",)).fit(obs, fixed={"a1": check.start})
    assert best.params["c1"].value == check.fit.params["c1"].value
    se = robust_stderr(best)
    assert se is not None
    low, high = check.fit.params["c1"].value - Z95 * se, check.fit.params["c1"].value + Z95 * se
    assert check.effect_low is not None
    assert check.effect_high is not None
    assert check.effect_low <= low + 1e-12
    assert check.effect_high >= high - 1e-12
    # The search is over starts held one by one: the best of them fits at least as well as
    # the action's date.
    assert check.fit.sse <= held.fit.sse + 1e-15
    assert check.sentence.startswith(
        f"Training in Sales from Jan 2026 (start estimated at {check.sentence.split('at ')[1][:8]})"
    )
    assert to_measured_effect(check).note.endswith("since the start, start estimated)")


# --- the scope's series -------------------------------------------------------------------------


Groups = dict[str, tuple[list[int], list[int]]]


def _measured(groups: Groups, merged: tuple[str, ...] = ()) -> MeasuredAdoption:
    """Measured adoption with ``groups``: name -> (roster per month, active per month), from
    January 2026; "all staff" is their sum."""
    rows = []
    months = [f"2026-{m:02d}" for m in range(1, 13)]
    total_roster = np.zeros(12, dtype=int)
    total_active = np.zeros(12, dtype=int)
    for name, (roster, active) in groups.items():
        for month, r, a in zip(months, roster, active, strict=False):
            rows.append({"month": month, "group": name, "roster": r, "active": a})
        total_roster[: len(roster)] += roster
        total_active[: len(active)] += active
    for month, r, a in zip(months, total_roster, total_active, strict=True):
        rows.append({"month": month, "group": "all staff", "roster": int(r), "active": int(a)})
    series = pd.DataFrame(rows)
    series["active"] = series["active"].astype("Int64")
    series["share"] = series["active"] / series["roster"]
    series["basis"] = "users"
    return MeasuredAdoption(
        series=series,
        not_in_roster=pd.DataFrame({"month": [], "users": []}),
        files=(),
        actions=frozenset({"post"}),
        min_group=5,
        merged=merged,
    )


MEASURED = _measured(
    {
        "Sales & Marketing": ([100] * 12, list(range(10, 34, 2))),
        "Support": ([50] * 12, list(range(5, 17))),
        "Engineering": ([200] * 12, [40] * 12),
    },
    merged=("Legal",),
)


def test_the_whole_organization_is_all_staff() -> None:
    found = scope_series(MEASURED, PlanAction(kind="training", start=ACTION_DAY))
    assert found.groups == ("all staff",)
    assert found.reason == ""
    obs = found.observations
    assert obs is not None
    assert obs.periods[0] == pytest.approx(2026 + 0.5 / 12)  # months at their middle
    assert obs.values[0] == pytest.approx((10 + 5 + 40) / 350)
    assert obs.unit == "share"
    assert obs.kind == "cumulative"


def test_named_divisions_are_pooled_by_their_people_through_the_map() -> None:
    action = PlanAction(
        kind="training", start=ACTION_DAY, divisions=("Sales", "support"), staff_share=0.4
    )
    names = DivisionMap(pairs=(DivisionPair(survey="Sales", measured="Sales & Marketing"),))
    found = scope_series(MEASURED, action, names)
    assert found.groups == ("Sales & Marketing", "Support")
    obs = scope_observations(MEASURED, action, names)
    assert obs is not None
    assert obs == found.observations
    # Pooled by people: (active in both) / (people in both), not the mean of two shares.
    assert obs.values[0] == pytest.approx((10 + 5) / 150)
    assert obs.values[-1] == pytest.approx((32 + 16) / 150)
    assert len(obs.values) == 12
    assert "Sales and support" in obs.source


def test_a_month_one_division_misses_is_left_out_of_the_pool() -> None:
    measured = _measured({"A": ([10] * 12, [1] * 12), "B": ([10] * 10, [2] * 10)})
    action = PlanAction(kind="training", start=ACTION_DAY, divisions=("A", "B"), staff_share=0.5)
    obs = scope_observations(measured, action)
    assert obs is not None
    assert len(obs.values) == 10
    assert set(obs.values) == {0.15}


@pytest.mark.parametrize(
    ("divisions", "reason"),
    [
        (("Legal",), "division 'Legal' is merged into 'other divisions' in the usage"),
        (
            ("Finance",),
            "division 'Finance' is not in the usage (its divisions: 'Engineering',"
            " 'Sales & Marketing', 'Support'); a division map pairs names that differ",
        ),
    ],
)
def test_a_division_not_in_the_usage_is_none_with_the_reason(
    divisions: tuple[str, ...], reason: str
) -> None:
    action = PlanAction(kind="training", start=ACTION_DAY, divisions=divisions, staff_share=0.1)
    found = scope_series(MEASURED, action)
    assert found.observations is None
    assert found.reason.startswith(reason)
    assert scope_observations(MEASURED, action) is None


def test_usage_without_divisions_names_none() -> None:
    headcount = _measured({})
    action = PlanAction(kind="training", start=ACTION_DAY, divisions=("Sales",), staff_share=0.2)
    found = scope_series(headcount, action)
    assert found.observations is None
    assert "its divisions: none: measured with a headcount" in found.reason


# --- the chart ----------------------------------------------------------------------------------


def test_the_chart_shows_measured_points_both_curves_and_the_start(trained: ActionCheck) -> None:
    chart = check_chart(trained)
    spec = chart.to_dict()
    marks = [
        layer["mark"] if isinstance(layer["mark"], str) else layer["mark"]["type"]
        for layer in spec["layer"]
    ]
    assert marks == ["line", "point", "rule"]
    lines, observed, start = check_frames(trained)
    assert set(lines["curve"]) == {WITH_ACTION, WITHOUT_ACTION}
    assert len(observed) == 36
    assert start["year"].tolist() == [2026.0]
    dashes = spec["layer"][0]["encoding"]["strokeDash"]["scale"]["range"]
    assert dashes[1] != [1, 0]  # the counterfactual is dashed
    assert chart.description.startswith("Organization level: share of your people")
    assert trained.sentence in chart.description
    assert "Organization level" in spec["title"]


def test_the_chart_of_a_check_too_early_has_no_curves() -> None:
    obs = division(np.random.default_rng(4), None)
    check = check_action(obs, PlanAction(kind="training", start=dt.date(2027, 11, 1)), TRAINING)
    lines, observed, _ = check_frames(check)
    assert lines.empty
    assert len(observed) == 36
    assert "solid line" not in check_chart(check).description
