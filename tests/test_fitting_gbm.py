"""The Generalized Bass Model with shocks: its curve, fits that recover what made the data, the
comparison with plain Bass, ``readiness fit --model gbm``, and (marked full) the simulations of
coverage, false effects and backtests that bench/bench_gbm.py runs in full."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from bench_gbm import (
    ACTION,
    CAR_STOCK,
    OIL_CRISIS,
    SHOCKS,
    TARGET_COVERAGE,
    backtest,
    car_stock_backtest,
    coverage,
    division,
    false_effects,
    split,
)
from fitting_fixtures import run

from readiness.cli import project as cli_project
from readiness.errors import InputError
from readiness.fitting import (
    FIT_MODELS,
    MAX_SHOCKS,
    SHOCK_MODELS,
    SHOCK_SHAPES,
    BassModel,
    GeneralizedBassModel,
    Observations,
    ShockShape,
    bass_fraction,
    compare_with_bass,
    fit_auto,
    fit_bass,
    fit_gbm,
    fit_model,
    read_observations,
    shock_integral,
)
from readiness.fitting.bands import Z95

EXIT_BAD_INPUT = 2
MONTHS = 2024.0 + np.arange(48) / 12.0
LAUNCH = 2024.0 - 3 / 12
BASS = {"p": 0.02, "q": 1.6, "m": 0.7}
Shock = tuple[ShockShape, float, float, float]  # shape, a, b, c


def gbm_values(x: np.ndarray, shocks: list[Shock], **bass: float) -> np.ndarray:
    """The GBM's cumulative share at ``x`` written out: the Bass curve at X = s + integrals."""
    p, q, m = (bass.get(k, BASS[k]) for k in ("p", "q", "m"))
    growth = x - LAUNCH
    for shape, a, b, c in shocks:
        growth = growth + shock_integral(shape, a, b, c, x)
    return np.asarray(m * bass_fraction(growth, p, q))


def observations(values: np.ndarray, x: np.ndarray = MONTHS, **kwargs: Any) -> Observations:
    return Observations(periods=tuple(x.tolist()), values=tuple(values.tolist()), **kwargs)


# --- the curve ----------------------------------------------------------------------------------


def test_the_model_names_its_parameters_bounds_and_their_meanings() -> None:
    model = GeneralizedBassModel(
        2024.0, 2027.0, 1 / 12, 1.5, anchored=True, shocks=("exponential", "rectangular")
    )
    assert model.name == "gbm"
    assert model.parameters == ("p", "q", "m", "f_start", "a1", "b1", "c1", "a2", "b2", "c2")
    lower, upper = model.bounds()
    assert len(lower) == len(upper) == len(model.parameters)
    assert np.all(lower < upper)
    bounds = dict(zip(model.parameters, zip(lower, upper, strict=True), strict=True))
    assert bounds["a1"] == bounds["a2"] == bounds["b2"] == (2024.0, 2027.0)
    assert bounds["c1"][0] == bounds["c2"][0] == -1.0  # at most growth stopped
    assert bounds["b1"][0] < 0 < bounds["b1"][1]
    assert set(model.parameter_meanings()) == {"a1", "b1", "c1", "a2", "b2", "c2"}
    assert "fades" in model.parameter_meanings()["b1"]
    assert "end" in model.parameter_meanings()["b2"]
    unanchored = GeneralizedBassModel(1.0, 20.0, 1.0, math.inf, anchored=False)
    assert unanchored.parameters == ("p", "q", "m", "launch", "a1", "b1", "c1")
    assert BassModel(1.0, 20.0, 1.0, 1.0, anchored=False).parameter_meanings() == {}


@pytest.mark.parametrize("shocks", [(), ("exponential",) * 4, ("step",)])
def test_one_to_three_shocks_of_the_two_shapes(shocks: tuple[ShockShape, ...]) -> None:
    with pytest.raises(InputError):
        GeneralizedBassModel(0.0, 10.0, 1.0, 1.0, anchored=True, shocks=shocks)


def _integral(shape: ShockShape, a: float, b: float, c: float, x: float) -> float:
    """The integral of x(t) - 1 from 0 to ``x``, by the trapezoid rule on a fine grid."""
    t = np.linspace(0.0, x, 400_001)
    if shape == "rectangular":
        pulse = np.where((t >= a) & (t <= b), c, 0.0)
    else:
        pulse = np.where(t >= a, c * np.exp(b * (t - a)), 0.0)
    return float(np.sum((pulse[1:] + pulse[:-1]) / 2 * np.diff(t)))


@pytest.mark.parametrize(
    ("shape", "b"),
    [("rectangular", 2.5), ("exponential", -2.0), ("exponential", 0.7), ("exponential", 0.0)],
)
@pytest.mark.parametrize("x", [0.5, 1.7, 3.0, 6.0])
def test_a_shock_adds_the_integral_of_its_pulse(shape: ShockShape, b: float, x: float) -> None:
    a, c = 1.0, 0.8
    assert float(shock_integral(shape, a, b, c, x)) == pytest.approx(
        _integral(shape, a, b, c, x), abs=1e-5
    )


def test_the_exponential_shock_is_continuous_as_its_rate_goes_to_zero() -> None:
    x = np.linspace(0.0, 10.0, 41)
    at_zero = shock_integral("exponential", 2.0, 0.0, 0.5, x)
    assert at_zero == pytest.approx(0.5 * np.maximum(x - 2.0, 0.0), abs=1e-15)
    for rate in (1e-14, -1e-14, 1e-9, -1e-9, 1e-6):
        near = shock_integral("exponential", 2.0, rate, 0.5, x)
        assert near == pytest.approx(at_zero, rel=1e-5, abs=1e-12)
        assert np.all(np.isfinite(near))


def test_a_slowing_effect_that_grows_stops_growth_and_never_reverses_it() -> None:
    """x = 1 - 0.5 e^(0.7 (t - 1)) reaches 0 at t0 = 1 + ln 2 / 0.7; from there x is 0."""
    stop = 1.0 + math.log(2.0) / 0.7
    for x in (0.5, 1.5, stop - 1e-9, stop + 0.5, 4.0, 9.0):
        pulse = _integral("exponential", 1.0, 0.7, -0.5, min(x, stop)) - max(x - stop, 0.0)
        assert float(shock_integral("exponential", 1.0, 0.7, -0.5, x)) == pytest.approx(
            pulse, abs=1e-5
        )
    t = np.linspace(0.0, 12.0, 200)
    growth = t + shock_integral("exponential", 1.0, 0.7, -0.5, t)
    assert np.all(np.diff(growth) >= -1e-12)


def test_a_rectangle_that_ends_before_it_starts_is_no_shock() -> None:
    x = np.linspace(0.0, 10.0, 11)
    assert np.all(shock_integral("rectangular", 5.0, 3.0, 2.0, x) == 0.0)


def test_without_an_effect_the_gbm_is_the_bass_curve() -> None:
    x = MONTHS
    for anchored, place in ((True, {"f_start": 0.01}), (False, {"launch": LAUNCH})):
        bass = BassModel(x[0], x[-1], 1 / 12, 1.5, anchored=anchored)
        gbm = GeneralizedBassModel(
            x[0], x[-1], 1 / 12, 1.5, anchored=anchored, shocks=("exponential", "rectangular")
        )
        params = {**BASS, **place}
        shocks = {"a1": 2025.0, "b1": -1.0, "c1": 0.0, "a2": 2025.5, "b2": 2026.0, "c2": 0.0}
        assert gbm.cumulative({**params, **shocks}, x) == pytest.approx(
            bass.cumulative(params, x), rel=1e-15
        )
        with_effect = {**params, **shocks, "c1": 1.0}
        assert gbm.without_shocks(with_effect, x) == pytest.approx(bass.cumulative(params, x))
        assert np.all(gbm.cumulative(with_effect, x) >= bass.cumulative(params, x) - 1e-15)


def test_the_curve_broadcasts_draws_against_periods() -> None:
    gbm = GeneralizedBassModel(2024.0, 2027.0, 1 / 12, 1.5, anchored=False)
    draws = {"c1": np.linspace(0.0, 1.0, 5)[:, None]}
    params = {**BASS, "launch": LAUNCH, "a1": 2025.0, "b1": -2.0, **draws}
    paths = gbm.cumulative(params, MONTHS[None, :])
    assert paths.shape == (5, MONTHS.size)
    single = gbm.cumulative({**params, "c1": 1.0}, MONTHS[7])
    assert float(single) == pytest.approx(paths[4, 7])


# --- fits recover what made the data ------------------------------------------------------------

RECOVERY = {
    "exponential, start estimated": ([("exponential", 2025.04, -2.0, 1.0)], False),
    "exponential that slows growth, start estimated": (
        [("exponential", 2025.37, -1.0, -0.5)],
        False,
    ),
    "rectangular, start estimated": ([("rectangular", 2024.96, 2025.55, 0.8)], False),
    "rectangular that slows growth, start held": ([("rectangular", 2025.21, 2025.80, -0.6)], True),
    "two shocks, starts held": (
        [("exponential", 2024.71, -3.0, 1.0), ("rectangular", 2025.54, 2026.1, -0.5)],
        True,
    ),
}


def _relative_errors(fit: Any, shocks: list[Shock], first: float) -> dict[str, float]:
    """Relative error of each parameter; starts and ends as distances from the first period."""
    errors = {k: abs(fit.params[k].value / v - 1) for k, v in BASS.items()}
    for i, (shape, a, b, c) in enumerate(shocks, start=1):
        errors[f"a{i}"] = abs((fit.params[f"a{i}"].value - first) / (a - first) - 1)
        offset = first if shape == "rectangular" else 0.0
        errors[f"b{i}"] = abs((fit.params[f"b{i}"].value - offset) / (b - offset) - 1)
        errors[f"c{i}"] = abs(fit.params[f"c{i}"].value / c - 1)
    return errors


@pytest.mark.parametrize("case", list(RECOVERY))
def test_noise_free_series_recover_every_parameter_within_1_percent(case: str) -> None:
    shocks, held = RECOVERY[case]
    obs = observations(gbm_values(MONTHS, shocks))
    fit = fit_gbm(obs, [s[0] for s in shocks], shock_starts=[s[1] for s in shocks] if held else [])
    errors = _relative_errors(fit, shocks, MONTHS[0])
    assert max(errors.values()) < 0.01, errors
    assert fit.converged
    assert fit.warnings == ()
    assert all(fit.params[f"a{i}"].fixed is held for i in range(1, len(shocks) + 1))


def test_per_period_values_recover_the_shock_with_the_launch_held() -> None:
    # Yearly sales from the launch on (one period before the first), a slowdown in year 6.
    x = LAUNCH + np.arange(1.0, 25.0)
    shocks: list[Shock] = [("exponential", LAUNCH + 6.5, -0.3, -0.4)]
    cumulative = gbm_values(np.concatenate([[LAUNCH], x]), shocks, p=0.01, q=0.5, m=0.9)
    obs = observations(np.diff(cumulative), x, kind="per-period")
    fit = fit_gbm(obs, ["exponential"])
    assert fit.params["launch"].fixed
    assert fit.params["launch"].value == LAUNCH
    assert fit.params["c1"].value == pytest.approx(-0.4, rel=1e-6)
    assert fit.params["a1"].value - LAUNCH == pytest.approx(6.5, rel=1e-6)


def test_results_do_not_depend_on_units() -> None:
    shocks: list[Shock] = [("rectangular", 2025.21, 2025.80, 0.7)]
    rng = np.random.default_rng(4)
    shares = rng.binomial(2000, gbm_values(MONTHS, shocks)) / 2000
    fits = [
        fit_gbm(observations(shares), ["rectangular"], shock_starts=[2025.21]),
        fit_gbm(
            observations(shares, unit="count", population=2000.0),  # read as shares
            ["rectangular"],
            shock_starts=[2025.21],
        ),
        fit_gbm(observations(shares * 2000, unit="count"), ["rectangular"], shock_starts=[2025.21]),
    ]
    for fit in fits[1:]:
        scale = 2000.0 if fit.observations.in_counts else 1.0
        for name, reference in fits[0].params.items():
            factor = scale if name in ("m", "f_start") else 1.0
            assert fit.params[name].value == pytest.approx(reference.value * factor, rel=1e-6)
            if reference.stderr is not None:
                assert fit.params[name].stderr == pytest.approx(reference.stderr * factor, rel=1e-4)


def test_a_start_outside_the_history_or_a_held_effect_is_refused() -> None:
    obs = observations(gbm_values(MONTHS, []))
    with pytest.raises(InputError, match="outside the history"):
        fit_gbm(obs, ["exponential"], shock_starts=[2030.0])
    with pytest.raises(InputError, match="2 shock starts for 1 shock"):
        fit_gbm(obs, ["exponential"], shock_starts=[2025.0, 2025.5])
    model = GeneralizedBassModel(MONTHS[0], MONTHS[-1], 1 / 12, 1.5, anchored=True)
    with pytest.raises(InputError, match="c1 cannot be held"):
        model.fit(obs, fixed={"c1": 0.0})


def test_fit_model_gbm_fits_one_exponential_shock_and_auto_ranks_the_plain_models() -> None:
    obs = observations(gbm_values(MONTHS, [("exponential", 2025.04, -2.0, 1.0)]))
    fit = fit_model("gbm", obs)
    assert fit.curve_model().shocks == ("exponential",)
    assert fit.params["c1"].value == pytest.approx(1.0, rel=1e-6)
    assert FIT_MODELS == ("logistic", "gompertz", "bass")
    assert SHOCK_MODELS == ("gbm",)
    assert {r.model for r in fit_auto(obs).ranking} == {"logistic", "gompertz", "bass"}


def test_the_summary_names_each_shocks_parameters_with_wald_intervals() -> None:
    rng = np.random.default_rng(5)
    shocks: list[Shock] = [("exponential", 2025.04, -2.0, 1.0)]
    obs = observations(rng.binomial(2000, gbm_values(MONTHS, shocks)) / 2000)
    fit = fit_gbm(obs, ["exponential"], shock_starts=[2025.04])
    summary = fit.summary().set_index("parameter")
    assert list(summary.index) == ["p", "q", "m", "f_start", "a1", "b1", "c1"]
    assert summary.loc["a1", "fixed"]
    assert summary.loc["c1", "meaning"].startswith("shock 1: effect")
    c1 = fit.params["c1"]
    assert c1.stderr is not None
    assert summary.loc["c1", "low 95%"] == pytest.approx(c1.value - Z95 * c1.stderr)
    text = fit.summary_text()
    assert "a1: shock 1 (exponential): start, decimal year" in text
    assert text.startswith("model: gbm")


@pytest.mark.parametrize("method", ["covariance", "bootstrap"])
def test_bands_stay_within_shares_and_contain_the_forecast(method: str) -> None:
    rng = np.random.default_rng(6)
    shocks: list[Shock] = [("rectangular", 2025.21, 2025.80, 0.7)]
    obs = observations(rng.binomial(2000, gbm_values(MONTHS, shocks)) / 2000)
    fit = fit_gbm(obs, ["rectangular"], shock_starts=[2025.21])
    band = fit.uncertainty(fit.forecast_periods(3.0), method)  # type: ignore[arg-type]
    assert band.method == method
    assert np.all((band.low95 >= 0) & (band.high95 <= 1))
    assert np.all((band.low95 <= band.fit + 1e-12) & (band.fit <= band.high95 + 1e-12))


# --- the comparison with plain Bass -------------------------------------------------------------


def test_a_real_shock_is_supported_and_the_tests_follow_their_formulas() -> None:
    rng = np.random.default_rng(7)
    shocks: list[Shock] = [("exponential", 2025.04, -2.0, 1.0)]
    obs = observations(rng.binomial(2000, gbm_values(MONTHS, shocks)) / 2000)
    gbm = fit_gbm(obs, ["exponential"], shock_starts=[2025.04])
    bass = fit_bass(obs)
    comparison = compare_with_bass(gbm, bass)
    assert comparison.verdict == "supported"
    assert comparison.sentence.startswith("the shock model is supported (AIC -")
    n, extra, dof = gbm.n, 2, gbm.n - 6
    assert comparison.f_df == (extra, dof)
    assert comparison.delta_aic == pytest.approx(gbm.aic - bass.aic)
    assert comparison.change_points == 0
    assert comparison.penalised_delta_aic == comparison.delta_aic
    f = (bass.sse - gbm.sse) / extra / (gbm.sse / dof)
    assert comparison.f_statistic == pytest.approx(f)
    assert comparison.lr_statistic == pytest.approx(n * math.log(bass.sse / gbm.sse))
    # A likelihood ratio is the AIC difference plus twice the extra parameters.
    assert comparison.lr_statistic == pytest.approx(-comparison.delta_aic + 2 * extra)
    from scipy import stats

    assert comparison.f_p_value == pytest.approx(stats.f.sf(f, extra, dof))
    assert comparison.lr_p_value == pytest.approx(stats.chi2.sf(comparison.lr_statistic, extra))
    assert comparison.after_start == (int(np.sum(MONTHS > 2025.04)),)


def test_each_estimated_start_and_rectangular_end_counts_as_a_change_point() -> None:
    rng = np.random.default_rng(8)
    shocks: list[Shock] = [("rectangular", 2024.96, 2025.55, 0.8)]
    obs = observations(rng.binomial(2000, gbm_values(MONTHS, shocks)) / 2000)
    comparison = compare_with_bass(fit_gbm(obs, ["rectangular"]), fit_bass(obs))
    assert comparison.change_points == 2
    assert comparison.penalised_delta_aic == pytest.approx(comparison.delta_aic + 8)
    assert "with its 2 change points" in comparison.sentence


def test_plain_bass_data_do_not_support_a_shock() -> None:
    rng = np.random.default_rng(9)
    obs = observations(rng.binomial(2000, gbm_values(MONTHS, [])) / 2000)
    comparison = compare_with_bass(
        fit_gbm(obs, ["exponential"], shock_starts=[2025.5]), fit_bass(obs)
    )
    assert comparison.verdict == "not supported"
    assert comparison.sentence.startswith("the shock model is not supported: plain Bass fits")


def test_fewer_than_four_observations_after_the_start_is_too_early_to_tell() -> None:
    obs = observations(gbm_values(MONTHS, [("exponential", MONTHS[-3], -2.0, 1.0)]))
    start = float(MONTHS[-4])  # three observations after it
    comparison = compare_with_bass(
        fit_gbm(obs, ["exponential"], shock_starts=[start]), fit_bass(obs)
    )
    assert comparison.after_start == (3,)
    assert comparison.verdict == "too early to tell"
    assert comparison.sentence == (
        "too early to tell: 3 observations after the shock's start (at least 4 needed)"
    )


def test_the_comparison_takes_fits_of_one_history() -> None:
    obs = observations(gbm_values(MONTHS, [("exponential", 2025.04, -2.0, 1.0)]))
    other = observations(gbm_values(MONTHS, []))
    with pytest.raises(ValueError, match="different histories"):
        compare_with_bass(fit_gbm(obs), fit_bass(other))
    with pytest.raises(ValueError, match="a gbm fit and a bass fit"):
        compare_with_bass(fit_bass(obs), fit_bass(obs))


# --- the command line ---------------------------------------------------------------------------


def _history(tmp_path: Path, dated: bool = True) -> Path:
    """A division of the bench with its exponential shock at the action's date (month 12,
    2026-01-01), dated months or decimal years."""
    obs = division(np.random.default_rng(10), "exponential")
    if dated:
        months = [f"{2025 + i // 12}-{i % 12 + 1:02d}-01" for i in range(len(obs.values))]
    else:
        months = [repr(x) for x in obs.periods]
    path = tmp_path / "history.csv"
    path.write_text(
        "period,value\n" + "".join(f"{m},{v}\n" for m, v in zip(months, obs.values, strict=True))
    )
    return path


def test_fit_gbm_prints_each_shocks_parameters_beside_the_plain_bass_fit(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = _history(tmp_path)
    argv = ["fit", str(path), "--model", "gbm", "--shock", "exponential"]
    code, out, err = run([*argv, "--shock-start", "2026-01-01", "--horizon", "1"], capsys)
    assert code == 0, err
    payload = json.loads(out)
    assert payload["model"] == "gbm"
    assert list(payload["parameters"]) == ["p", "q", "m", "f_start", "a1", "b1", "c1"]
    a1, c1 = payload["parameters"]["a1"], payload["parameters"]["c1"]
    assert a1 == {"value": 2026.0, "se": None, "low": None, "high": None, "at_bound": False,
                  "fixed": True}  # fmt: skip
    assert c1["low"] == pytest.approx(c1["value"] - Z95 * c1["se"])
    assert set(c1) == {"value", "se", "low", "high", "at_bound", "fixed"}
    assert payload["shocks"] == [
        {"shock": 1, "shape": "exponential", "parameters": ["a1", "b1", "c1"], "start_fixed": True}
    ]
    bass = fit_bass(read_observations(path))
    assert payload["bass"]["aic"] == pytest.approx(bass.aic)
    assert payload["comparison"]["verdict"] == "supported"
    assert payload["comparison"]["delta_aic"] == pytest.approx(payload["aic"] - bass.aic)
    assert len(payload["forecast"]) > 36  # the history and a year ahead
    code, out, _ = run([*argv, "--format", "table"], capsys)
    assert code == 0
    assert "c1: shock 1: effect" in out
    assert f"plain Bass: AIC = {bass.aic:.2f}" in out
    assert "shock model: the shock model is " in out
    code, out, _ = run([*argv, "--format", "csv", "--horizon", "0"], capsys)
    assert code == 0
    assert out.splitlines()[0] == "period,value,low,high,low80,high80"


def test_shocks_of_both_shapes_with_one_start_left_to_estimate(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = _history(tmp_path, dated=False)
    argv = ["fit", str(path), "--model", "gbm", "--shock", "exponential, rectangular"]
    code, out, err = run([*argv, "--shock-start", f"{ACTION!r},", "--horizon", "0"], capsys)
    assert code == 0, err
    payload = json.loads(out)
    assert [s["start_fixed"] for s in payload["shocks"]] == [True, False]
    assert payload["parameters"]["a1"]["value"] == ACTION
    assert payload["comparison"]["change_points"] == 2


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--shock", "exponential"], "--shock only applies with --model gbm (got --model auto)"),
        (
            ["--model", "bass", "--shock-start", "2026-01-01"],
            "--shock-start only applies with --model gbm (got --model bass)",
        ),
        (
            ["--model", "gbm", "--shock", "exponential,step"],
            "--shock: 'step' is not a shock shape (rectangular or exponential)",
        ),
        (
            ["--model", "gbm", "--shock", ",".join(["exponential"] * 4)],
            "--shock: at most 3 shocks (got 4)",
        ),
        (
            ["--model", "gbm", "--shock-start", "2026-01-01,2026-06-01"],
            "--shock-start: 2 starts for 1 shock (--shock)",
        ),
        (
            ["--model", "gbm", "--shock-start", "March 2026"],
            "--shock-start: 'March 2026' is not a date (YYYY-MM-DD) or a period as in the history",
        ),
        (
            ["--model", "gbm", "--shock-start", "nan"],
            "--shock-start: 'nan' is not a date (YYYY-MM-DD) or a period as in the history",
        ),
    ],
)
def test_bad_shock_options_are_one_named_line(
    options: list[str], message: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, err = run(["fit", str(_history(tmp_path)), *options], capsys)
    assert code == EXIT_BAD_INPUT
    assert out == ""
    assert err == f"error: {message}\n"


def test_a_start_outside_the_history_names_the_option_and_the_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = _history(tmp_path)
    argv = ["fit", str(path), "--model", "gbm", "--shock-start", "2030-01-01"]
    code, _, err = run(argv, capsys)
    assert code == EXIT_BAD_INPUT
    assert err.startswith(f"error: --shock-start '2030-01-01' is outside the history {path}")
    assert err.count("\n") == 1


def test_the_help_figures_equal_their_owners() -> None:
    assert cli_project.SHOCK_MODELS == SHOCK_MODELS
    assert cli_project.SHOCK_SHAPES == SHOCK_SHAPES
    assert cli_project.MAX_SHOCKS == MAX_SHOCKS


# --- simulations (bench/bench_gbm.py runs them in full) -----------------------------------------


def test_the_held_out_months_are_the_last_quarter() -> None:
    train, test = split(division(np.random.default_rng(0), None))
    assert (len(train.periods), len(test.periods)) == (27, 9)
    assert train.periods[-1] < test.periods[0]


@pytest.mark.full  # a long simulation
def test_the_interval_of_the_effect_covers_the_truth() -> None:
    """100 divisions (the bench runs 300): a true coverage of 95% gives 90 or more with
    probability 0.97, one of 80% with probability 0.002."""
    result = coverage(100, held=True)
    assert result.refused == 0
    assert result.intervals == 100
    assert result.rate >= TARGET_COVERAGE


@pytest.mark.full  # a long simulation
@pytest.mark.parametrize("shape", list(SHOCKS))
def test_no_invented_effects(shape: ShockShape) -> None:
    """100 divisions without a shock (the bench runs 300): a shock at the action's date is
    supported (its AIC lower by more than 2, change points counted as three parameters, and the
    F test at 5%) in at most 10."""
    result = false_effects(100, shape=shape)
    assert result.supported <= 10, result


@pytest.mark.full  # a long simulation
@pytest.mark.parametrize("shape", list(SHOCKS))
def test_with_a_real_shock_the_gbm_forecasts_the_held_out_months_no_worse(
    shape: ShockShape,
) -> None:
    result = backtest(20, shape=shape)
    assert result.gbm <= result.bass, result


@pytest.mark.full  # fits a published series
@pytest.mark.parametrize("shape", list(SHOCKS))
def test_the_car_stock_forecast_with_the_oil_crisis_stays_a_stock(shape: ShockShape) -> None:
    """The published series' backtest (its figures are the bench's): a slowing shock may stop
    growth, never turn the cumulative stock down."""
    gbm, bass = car_stock_backtest(shape)
    assert math.isfinite(gbm)
    assert math.isfinite(bass)
    obs = read_observations(CAR_STOCK, kind="cumulative", unit="count")
    fit = fit_gbm(split(obs)[0], (shape,), shock_starts=[OIL_CRISIS])
    forecast = fit.predict(fit.forecast_periods(20.0))
    assert np.all(np.diff(forecast) >= -1e-9)
