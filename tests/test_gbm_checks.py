"""The statistical checks of the Generalized Bass Model as "Did it work?" uses it: a campaign's
end held at its date, noise-free recovery of every parameter for each shape as the check fits it
(extending tests/test_fitting_gbm.py's recovery, which estimates the starts), and (marked full)
the simulations bench/bench_gbm.py runs in full: coverage of the effect's interval with the start
held and estimated, backtests against plain Bass and no invented effects."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from bench_gbm import (
    ACTION,
    PERIODS,
    SHOCKS,
    TARGET_COVERAGE,
    M,
    P,
    Q,
    action_for,
    check_backtest,
    check_coverage,
    check_false_effects,
    speeds,
)
from bench_gbm import (
    LAUNCH as LAUNCH_BENCH,
)

from readiness.errors import InputError
from readiness.fitting import (
    GeneralizedBassModel,
    Observations,
    ShockShape,
    bass_fraction,
    compare_with_bass,
    fit_bass,
    model_for,
    shock_integral,
)
from readiness.organization import decimal_year
from readiness.plan.check import check_action, robust_stderr
from readiness.plan.kinds import load_action_kinds

MONTHS = 2024.0 + np.arange(48) / 12.0
LAUNCH = 2024.0 - 3 / 12
BASS = {"p": 0.02, "q": 1.6, "m": 0.7}
KINDS = load_action_kinds()


def gbm_values(
    shape: ShockShape, a: float, b: float, c: float, x: np.ndarray = MONTHS
) -> np.ndarray:
    """The GBM's cumulative share at ``x`` written out: the Bass curve at X = s + integral."""
    growth = x - LAUNCH + shock_integral(shape, a, b, c, x)
    return np.asarray(BASS["m"] * bass_fraction(growth, BASS["p"], BASS["q"]))


def observations(values: np.ndarray, x: np.ndarray = MONTHS) -> Observations:
    return Observations(periods=tuple(x.tolist()), values=tuple(values.tolist()))


# --- a campaign's end held ----------------------------------------------------------------------


def test_a_rectangular_shocks_end_may_be_held_and_is_then_no_change_point() -> None:
    rng = np.random.default_rng(11)
    obs = observations(rng.binomial(2000, gbm_values("rectangular", 2025.21, 2025.80, 0.7)) / 2000)
    model = model_for("gbm", obs, shocks=("rectangular",))
    fit = model.fit(obs, fixed={"a1": 2025.21, "b1": 2025.80})
    assert fit.params["b1"].fixed
    assert fit.params["b1"].value == 2025.80
    assert fit.free == ("p", "q", "m", "f_start", "c1")
    comparison = compare_with_bass(fit, fit_bass(obs))
    assert comparison.change_points == 0
    assert comparison.penalised_delta_aic == comparison.delta_aic
    assert comparison.f_df == (1, len(obs.periods) - 5)
    # The start estimated before a held end: one change point, the start before the end.
    searched = model.fit(obs, fixed={"b1": 2025.80})
    assert searched.params["a1"].value < 2025.80
    assert compare_with_bass(searched, fit_bass(obs)).change_points == 1


@pytest.mark.parametrize(
    ("shocks", "fixed", "message"),
    [
        (("exponential",), {"b1": -1.0}, r"b1 cannot be held \(only a start, and a rectangular"),
        (("rectangular",), {"c1": 0.5}, "c1 cannot be held"),
        (("rectangular",), {"a1": 2025.5, "b1": 2025.2}, "shock 1 ends at 2025.2, not after"),
        (("rectangular",), {"a1": 2025.5, "b1": math.nan}, "shock 1 ends at nan, not after"),
    ],
)
def test_only_a_start_and_a_campaigns_end_may_be_held(
    shocks: tuple[ShockShape, ...], fixed: dict[str, float], message: str
) -> None:
    obs = observations(gbm_values("rectangular", 2025.21, 2025.80, 0.7))
    model = GeneralizedBassModel(MONTHS[0], MONTHS[-1], 1 / 12, 1.5, anchored=True, shocks=shocks)
    with pytest.raises(InputError, match=message):
        model.fit(obs, fixed=fixed)


# --- the effect's standard error, robust to noise that differs by month -----------------------


def _hc3_written_out(fit: Any, name: str) -> float:
    """HC3 of one parameter, written out observation by observation with forward differences
    on the history's own values (shares): an independent computation of the same estimator."""
    obs = fit.observations
    curve = fit.curve_model()
    free = list(fit.free)
    values = {k: p.value for k, p in fit.params.items()}

    def predicted(theta: np.ndarray) -> np.ndarray:
        return np.asarray(
            curve.cumulative({**values, **dict(zip(free, theta, strict=True))}, obs.x)
        )

    theta = np.array([values[k] for k in free])
    errors = obs.y - predicted(theta)
    columns = []
    for j in range(len(free)):
        step = 1e-7 * max(abs(theta[j]), 1e-2)
        moved = theta.copy()
        moved[j] += step
        columns.append((predicted(moved) - predicted(theta)) / step)
    x = np.column_stack(columns)
    inverse = np.linalg.inv(x.T @ x)
    meat = np.zeros_like(inverse)
    for i in range(len(errors)):
        row = x[i : i + 1]
        leverage = float((row @ inverse @ row.T)[0, 0])
        meat += row.T @ row * errors[i] ** 2 / (1 - leverage) ** 2
    j = free.index(name)
    return float(np.sqrt((inverse @ meat @ inverse)[j, j]))


@pytest.mark.parametrize("shape", list(SHOCKS))
def test_the_robust_standard_error_is_hc3(shape: ShockShape) -> None:
    rng = np.random.default_rng(12)
    b = 2025.80 if shape == "rectangular" else -2.0
    obs = observations(rng.binomial(2000, gbm_values(shape, 2025.21, b, 0.8)) / 2000)
    fixed = {"a1": 2025.21, **({"b1": 2025.80} if shape == "rectangular" else {})}
    fit = model_for("gbm", obs, shocks=(shape,)).fit(obs, fixed=fixed)
    robust = robust_stderr(fit)
    assert robust is not None
    assert robust == pytest.approx(_hc3_written_out(fit, "c1"), rel=1e-3)
    # The same in counts: the standard error of an effect has no unit.
    counts = Observations(
        periods=obs.periods, values=tuple(v * 2000 for v in obs.values), unit="count"
    )
    in_counts = model_for("gbm", counts, shocks=(shape,)).fit(counts, fixed=fixed)
    assert robust_stderr(in_counts) == pytest.approx(robust, rel=1e-4)
    assert robust_stderr(fit, "a1") is None  # held


# --- recovery as the check fits -----------------------------------------------------------------

#: Shapes and truths the check's own fits must recover: the start held at the action's date
#: (and a campaign's end at its end), and a start estimated near the date.
CHECKED = {
    "exponential, start held": ("exponential", 2025.04, -2.0, 1.0, True),
    "exponential that slows growth, start held": ("exponential", 2025.37, -1.0, -0.5, True),
    "rectangular, start and end held": ("rectangular", 2025.04, 2025.62, 0.8, True),
    "rectangular, end held, start estimated": ("rectangular", 2025.04, 2025.62, 0.8, False),
}


@pytest.mark.parametrize("case", list(CHECKED))
def test_noise_free_series_recover_every_parameter_within_1_percent(case: str) -> None:
    shape, a, b, c, held = CHECKED[case]
    obs = observations(gbm_values(shape, a, b, c))
    fixed = {"a1": a} if held else {}
    if shape == "rectangular":
        fixed["b1"] = b
    fit = model_for("gbm", obs, shocks=(shape,)).fit(obs, fixed=fixed)
    errors = {k: abs(fit.params[k].value / v - 1) for k, v in BASS.items()}
    errors["a1"] = abs((fit.params["a1"].value - MONTHS[0]) / (a - MONTHS[0]) - 1)
    errors["b1"] = abs(fit.params["b1"].value / b - 1)
    errors["c1"] = abs(fit.params["c1"].value / c - 1)
    assert max(errors.values()) < 0.01, errors
    assert fit.converged


@pytest.mark.parametrize("shape", list(SHOCKS))
def test_the_check_recovers_the_effect_and_its_duration_from_a_noise_free_division(
    shape: ShockShape,
) -> None:
    """Through :func:`check_action`: the bench's division without noise, its shock from the
    action's date (a campaign to its end date)."""
    action, kind = action_for(shape)
    rate_or_months, effect = SHOCKS[shape]
    b = rate_or_months if action.end is None else decimal_year(action.end)
    growth = PERIODS - LAUNCH_BENCH + shock_integral(shape, ACTION, b, effect, PERIODS)
    obs = observations(M * bass_fraction(growth, P, Q), PERIODS)
    check = check_action(obs, action, KINDS.get(kind))
    assert check.shape == shape
    assert check.verdict == "supported"
    assert check.effect == pytest.approx(effect, rel=0.01)
    truth = (b - ACTION) * 12 if action.end is not None else math.log(2) / -b * 12
    assert check.duration_months == pytest.approx(truth, rel=0.01)
    assert check.fit is not None
    for name, value in (("m", M), ("p", P), ("q", Q)):
        assert check.fit.params[name].value == pytest.approx(value, rel=0.01)


def test_the_speed_benchmark_times_the_check_against_plain_bass() -> None:
    held, estimated, bass = speeds(repeat=1)
    assert 0 < bass < held < estimated


# --- simulations (bench/bench_gbm.py runs them in full) -----------------------------------------


@pytest.mark.full  # a long simulation
@pytest.mark.parametrize("shape", list(SHOCKS))
@pytest.mark.parametrize(("estimate_start", "sims"), [(False, 300), (True, 100)])
def test_the_checks_interval_of_the_effect_covers_the_truth(
    shape: ShockShape, estimate_start: bool, sims: int
) -> None:
    """Divisions of 2,000 people, 36 months, binomial noise: with the start held at the
    action's date (the product's default) 300 of them, as the bench; estimated near the date,
    100 (ten times slower each; the bench runs 300). With 100, a true coverage of 95% gives 90
    or more with probability 0.97, one of 80% with probability 0.002."""
    result = check_coverage(sims, shape=shape, estimate_start=estimate_start)
    assert result.intervals == sims
    assert result.rate >= TARGET_COVERAGE, result


@pytest.mark.full  # a long simulation
@pytest.mark.parametrize("shape", list(SHOCKS))
def test_the_check_invents_no_effect(shape: ShockShape) -> None:
    """100 divisions without a shock: the check calls the action supported in at most 10."""
    result = check_false_effects(100, shape=shape)
    assert result.supported <= 10, result


@pytest.mark.full  # a long simulation
@pytest.mark.parametrize("shape", list(SHOCKS))
def test_with_a_real_effect_the_checks_fit_forecasts_the_held_out_months_no_worse(
    shape: ShockShape,
) -> None:
    result = check_backtest(30, shape=shape)
    assert result.gbm <= result.bass, result
