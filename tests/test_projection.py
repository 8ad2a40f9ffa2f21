"""Projection engine: scenarios, vectorised curves, calibration, milestones and presets."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from property_budget import examples
from pydantic import ValidationError

from readiness.errors import InputError
from readiness.fitting import BassModel, bass_fraction
from readiness.projection import (
    Scenario,
    adopter_split,
    bass_peak_time,
    calibrate_growth,
    calibrated_scenario,
    curves_frame,
    evaluate,
    evaluate_one,
    load_presets,
    milestones,
    rogers_category,
)

# DOMAIN.md section 3, worked scenarios through 12.5% (2008) and 25% (2009), ceiling 100%.
DOMAIN_YEARS = [2009, 2010, 2011, 2012, 2013]
DOMAIN_TABLE = {
    "doubling": [25.0, 50.0, 100.0, 100.0, 100.0],
    "logistic": [25.0, 43.8, 64.5, 80.9, 90.8],
    "gompertz": [25.0, 39.7, 54.0, 66.3, 76.0],
    "bass": [25.0, 41.8, 60.0, 75.6, 86.3],
}


def scenario(**changes: object) -> Scenario:
    base: dict[str, object] = {
        "model": "bass",
        "start_year": 2009,
        "start_share": 0.25,
        "p": 0.03,
        "q": 0.38,
    }
    base.update(changes)
    return Scenario.model_validate(base)


@pytest.mark.parametrize("model", ["doubling", "logistic", "gompertz", "bass"])
def test_calibrated_scenarios_reproduce_the_domain_worked_table(model: str) -> None:
    s = calibrated_scenario(model, 2008, 0.125, 2009, 0.25)  # type: ignore[arg-type]
    shares = evaluate([s], DOMAIN_YEARS).shares[0] * 100
    np.testing.assert_allclose(shares, DOMAIN_TABLE[model], atol=0.1)


def test_bass_literature_mean_from_25_percent_reproduces_the_domain_table() -> None:
    shares = evaluate([scenario()], DOMAIN_YEARS).shares[0] * 100
    np.testing.assert_allclose(shares, [25.0, 35.0, 45.9, 56.9, 66.9], atol=0.1)


def test_calibration_solves_the_literature_growth_parameters() -> None:
    assert calibrate_growth("doubling", 2008, 0.125, 2009, 0.25)["g"] == pytest.approx(2.0)
    assert calibrate_growth("logistic", 2008, 0.125, 2009, 0.25)["r"] == pytest.approx(
        math.log(7 / 3)
    )
    bass = calibrate_growth("bass", 2008, 0.125, 2009, 0.25, p=0.03)
    assert bass["p"] == 0.03
    assert bass["q"] == pytest.approx(0.677, abs=0.001)


def test_calibration_needs_an_earlier_smaller_observation() -> None:
    with pytest.raises(InputError) as error:
        calibrate_growth("logistic", 2010, 0.1, 2009, 0.25)
    assert error.value.problems == ["the calibration year 2010 must be before the start year 2009"]
    with pytest.raises(InputError) as error:
        calibrate_growth("logistic", 2008, 0.3, 2009, 0.25)
    assert error.value.problems == [
        "the calibration share 0.3 must be above 0 and below the start share 0.25:"
        " a growth rate needs growth"
    ]


def test_bass_calibration_says_when_p_alone_grows_too_fast() -> None:
    with pytest.raises(InputError) as error:
        calibrate_growth("bass", 2008, 0.2, 2009, 0.25, p=0.5)
    assert error.value.problems == [
        "with p = 0.5 Bass grows faster than the observations even without imitation: lower p"
    ]


def test_bass_peak_time_is_the_closed_form() -> None:
    p, q = 0.03, 0.38
    t_star = bass_peak_time(p, q)
    assert t_star == pytest.approx(math.log(q / p) / (p + q))
    t = np.linspace(0, 30, 300_001)
    rate = np.gradient(bass_fraction(t, p, q), t)
    assert t[np.argmax(rate)] == pytest.approx(t_star, abs=1e-3)


def test_bass_peak_year_is_reported_in_calendar_years() -> None:
    (ms,) = milestones([scenario(start_share=0.0)])
    assert ms.peak_year == pytest.approx(2009 + math.log(0.38 / 0.03) / 0.41)


def test_logistic_midpoint_is_at_half_the_ceiling() -> None:
    s = scenario(model="logistic", p=None, q=None, r=0.8, ceiling=0.8, start_share=0.1)
    (ms,) = milestones([s], thresholds=[0.4])
    assert ms.peak_year == pytest.approx(ms.crossings[0.4])
    assert evaluate([s], [ms.crossings[0.4]]).shares[0, 0] == pytest.approx(0.4)


def test_milestones_give_crossing_years_within_the_horizon_only() -> None:
    s = calibrated_scenario("logistic", 2008, 0.125, 2009, 0.25, horizon=2)
    (ms,) = milestones([s], thresholds=[0.5, 0.8], material_change=0.3)
    assert ms.crossings[0.3] is not None
    assert 2009 < ms.crossings[0.3] < 2010
    assert ms.crossings[0.5] == pytest.approx(2009 + math.log(3) / math.log(7 / 3))
    assert ms.crossings[0.8] is None  # reached in 2011.9, after the two-year horizon
    assert ms.rogers_at_start == "early majority"


def test_doubling_reaches_its_ceiling_but_s_curves_never_do() -> None:
    doubling = scenario(model="doubling", p=None, q=None, g=2.0)
    logistic = scenario(model="logistic", p=None, q=None, r=0.9)
    ms_doubling, ms_logistic = milestones([doubling, logistic], thresholds=[1.0])
    assert ms_doubling.crossings[1.0] == pytest.approx(2011.0)
    assert ms_logistic.crossings[1.0] is None


def test_thresholds_below_the_start_share_are_already_reached() -> None:
    (ms,) = milestones([scenario()], thresholds=[0.1, 0.5])
    assert ms.crossings[0.1] == 2009
    assert ms.already_reached == [0.1]


def test_rogers_categories_follow_the_definitional_cuts() -> None:
    assert rogers_category(0.02) == "innovators"
    assert rogers_category(0.10) == "early adopters"
    assert rogers_category(0.25) == "early majority"
    assert rogers_category(0.60) == "late majority"
    assert rogers_category(0.95) == "laggards"
    (ms,) = milestones([scenario(start_share=0.0, horizon=40)])
    assert list(ms.rogers_entered) == [
        "early adopters",
        "early majority",
        "late majority",
        "laggards",
    ]


def test_innovators_and_imitators_add_up_to_the_adopted_share() -> None:
    s = scenario(start_share=0.0, horizon=20)
    split = adopter_split(s)
    share = evaluate([s], [s.end_year]).shares[0, 0]
    assert split.innovators + split.imitators == pytest.approx(share)
    # Numerical check of the closed form: integrate p (m - F) over time.
    t = np.linspace(0, 20, 200_001)
    innovators = np.trapezoid(0.03 * (1 - bass_fraction(t, 0.03, 0.38)), t)
    assert split.innovators == pytest.approx(innovators, rel=1e-6)
    assert 0 < split.innovator_fraction < 0.5


def test_adopter_split_needs_a_bass_scenario() -> None:
    with pytest.raises(InputError) as error:
        adopter_split(scenario(model="doubling", p=None, q=None, g=2))
    assert error.value.problems == [
        "the innovator/imitator split needs a Bass scenario, not doubling"
    ]


def test_a_start_share_above_the_ceiling_is_an_error() -> None:
    with pytest.raises(ValidationError, match=r"start share 0\.5 is above the ceiling 0\.4"):
        scenario(start_share=0.5, ceiling=0.4)


def test_a_scenario_rejects_parameters_its_model_does_not_use() -> None:
    with pytest.raises(ValidationError, match="model doubling does not use parameter"):
        Scenario(model="doubling", start_year=2009, start_share=0.25, g=2, r=0.5)
    with pytest.raises(ValidationError, match="model logistic needs parameter"):
        Scenario(model="logistic", start_year=2009, start_share=0.25)


def test_growth_factor_one_is_flat() -> None:
    years, shares = evaluate_one(scenario(model="doubling", p=None, q=None, g=1.0))
    assert np.all(shares == 0.25)
    assert len(years) == 11


def test_bass_with_p_near_zero_still_starts_at_the_start_share_and_grows() -> None:
    _, shares = evaluate_one(scenario(p=1e-9, q=0.5))
    assert shares[0] == pytest.approx(0.25)
    assert np.all(np.isfinite(shares))
    assert shares[-1] > 0.9


def test_bass_with_the_smallest_positive_p_stays_finite() -> None:
    _, shares = evaluate_one(scenario(p=5e-324, q=0.5, horizon=200))
    assert shares[0] == pytest.approx(0.25)
    assert np.all(np.isfinite(shares))
    assert np.all((shares >= 0) & (shares <= 1))


def test_the_bass_curve_broadcasts_one_time_axis_against_many_parameters() -> None:
    p = np.array([[0.01], [0.03]])
    values = bass_fraction(np.arange(5.0)[None, :], p, 0.4)
    assert values.shape == (2, 5)
    assert values[1, 4] > values[0, 4]


def test_a_bass_scenario_is_the_fitted_bass_curve_through_its_start_share() -> None:
    """One Bass curve: a projection from 25% in 2009 is the fitting's Bass model anchored there."""
    s = scenario(start_share=0.25, ceiling=0.9, horizon=20)
    years, shares = evaluate_one(s)
    model = BassModel(2009.0, 2029.0, 1.0, 1.0, anchored=True)
    fitted = model.cumulative({"p": 0.03, "q": 0.38, "m": 0.9, "f_start": 0.25}, years)
    np.testing.assert_allclose(shares, fitted, rtol=1e-12)


def test_importing_projections_loads_no_scipy_or_pandas() -> None:
    """Projecting (and the store, which imports it) starts without them: only a Bass
    calibration needs scipy's root finder, only a chart's frame pandas."""
    code = "import json, sys, readiness.projection; print(json.dumps(sorted(sys.modules)))"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = {name.split(".")[0] for name in json.loads(run.stdout)}
    assert loaded.isdisjoint({"scipy", "pandas"})


def test_monthly_steps_give_twelve_points_a_year() -> None:
    years, _ = evaluate_one(scenario(step="month", horizon=2))
    assert len(years) == 25
    assert years[1] - years[0] == pytest.approx(1 / 12)


def test_evaluate_masks_points_outside_each_scenarios_own_window() -> None:
    curves = evaluate([scenario(horizon=2), scenario(start_year=2010, horizon=3)])
    assert curves.years.tolist() == [2009, 2010, 2011, 2012, 2013]
    assert np.isnan(curves.shares[0, 3:]).all()
    assert np.isnan(curves.shares[1, 0])


def test_curves_frame_is_long_with_one_row_per_scenario_and_year() -> None:
    frame = curves_frame([scenario(horizon=2, name="a"), scenario(horizon=4, name="b")])
    assert list(frame.columns) == ["scenario", "model", "year", "share"]
    assert frame.groupby("scenario").size().to_dict() == {"a": 3, "b": 5}


model_params = st.one_of(
    st.builds(lambda g: {"model": "doubling", "g": g}, st.floats(1.0, 10.0)),
    st.builds(lambda r: {"model": "logistic", "r": r}, st.floats(0.01, 5.0)),
    st.builds(lambda c: {"model": "gompertz", "c": c}, st.floats(0.01, 5.0)),
    st.builds(
        lambda p, q: {"model": "bass", "p": p, "q": q},
        st.floats(1e-6, 1.0),
        st.floats(0.0, 3.0),
    ),
)


@settings(max_examples=examples(200), deadline=None)
@given(
    params=model_params,
    ceiling=st.floats(0.05, 1.0),
    fraction=st.floats(0.001, 1.0),
    step=st.sampled_from(["year", "month"]),
)
def test_curves_never_decrease_and_never_exceed_the_ceiling(
    params: dict[str, object], ceiling: float, fraction: float, step: str
) -> None:
    s = Scenario.model_validate(
        {
            **params,
            "start_year": 2009,
            "start_share": ceiling * fraction,
            "ceiling": ceiling,
            "horizon": 30,
            "step": step,
        }
    )
    _, shares = evaluate_one(s)
    assert np.all(np.isfinite(shares))
    assert np.all(np.diff(shares) >= -1e-12)
    assert np.all(shares <= ceiling + 1e-12)
    assert shares[0] == pytest.approx(s.start_share)


def test_evaluate_handles_many_mixed_scenarios_in_one_call() -> None:
    scenarios = [
        scenario(q=q) if i % 2 else scenario(model="logistic", p=None, q=None, r=q)
        for i, q in enumerate(np.linspace(0.1, 1.0, 100))
    ]
    curves = evaluate(scenarios, np.linspace(2009, 2059, 601))
    assert curves.shares.shape == (100, 601)
    for i in (0, 1, 50, 99):
        _, single = evaluate_one(scenarios[i].model_copy(update={"horizon": 50, "step": "month"}))
        np.testing.assert_allclose(curves.shares[i], single)


def test_presets_load_with_sources_and_reproduce_the_seed_scenarios() -> None:
    presets = {p.id: p for p in load_presets()}
    assert all(p.source for p in presets.values())
    assert {"doubling-2009", "bass-literature-mean", "analogy-cell-phone"} <= set(presets)
    doubling = evaluate([presets["doubling-2009"].scenario()], [2011]).shares[0, 0]
    assert doubling == 1.0
    bass = presets["bass-aiim-2008-2009"].scenario()
    assert bass.q == pytest.approx(0.677, abs=0.001)


def test_a_broken_preset_file_names_the_entry_and_field(tmp_path: Path) -> None:
    path = tmp_path / "presets.yaml"
    path.write_text(
        "presets:\n"
        "  - id: bad\n    label: Bad\n    level: market\n    source: none\n"
        "    model: bass\n    p: 0.03\n    start_year: 2009\n    start_share: 1.5\n"
    )
    with pytest.raises(InputError) as error:
        load_presets(path)
    assert error.value.problems == [
        f"{path}, preset bad: field start_share: Input should be less than or equal to 1"
    ]


def test_a_preset_missing_its_growth_parameter_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "presets.yaml"
    path.write_text(
        "presets:\n"
        "  - id: no-q\n    label: No q\n    level: market\n    source: none\n"
        "    model: bass\n    p: 0.03\n    start_year: 2009\n    start_share: 0.25\n"
    )
    with pytest.raises(InputError) as error:
        load_presets(path)
    assert error.value.problems == [f"{path}, preset no-q: model bass needs parameter(s) q"]
