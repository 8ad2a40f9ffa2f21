"""Curve models as classes, and their fits: parameters recovered, results independent of units,
R's information criteria, honest failure."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from fitting_fixtures import (
    AIR_CONDITIONERS,
    KINDS,
    PROPERTIES,
    YEARS,
    frame,
    gompertz,
    history,
    logistic,
    run,
    sales_history,
    write,
)
from hypothesis import given
from hypothesis import strategies as st

from readiness.cli import EXIT_BAD_INPUT
from readiness.errors import InputError
from readiness.fitting import (
    FIT_MODELS,
    BassModel,
    FitModelName,
    FitParameter,
    FitResult,
    GompertzModel,
    Kind,
    LogisticModel,
    bass_fraction,
    curve_model,
    fit_bass,
    fit_gompertz,
    fit_logistic,
    fit_model,
    read_observations,
)


def free_params(fit: FitResult) -> list[FitParameter]:
    return [p for p in fit.params.values() if not p.fixed]


# --- what a curve model is ----------------------------------------------------------------------


def test_every_model_says_its_parameters_bounds_starts_and_curve() -> None:
    for name in FIT_MODELS:
        model = curve_model(name, x_first=2000.0, x_last=2009.0, step=1.0, m_upper=2.0)
        lower, upper = model.bounds()
        assert len(lower) == len(upper) == len(model.parameters)
        assert np.all(lower < upper)
        assert upper[model.parameters.index("m")] == 2.0
        x = np.arange(2000.0, 2010.0)
        f = np.linspace(0.05, 0.6, 10)
        for start in model.starts(x, f, [0.8, 1.5]):
            assert set(model.parameters) <= set(start)
            curve = model.cumulative(start, x)
            assert curve.shape == x.shape
            assert np.all(np.isfinite(curve))
            assert np.all(np.diff(curve) >= 0)


def test_per_period_values_are_increments_of_the_cumulative_curve() -> None:
    model = LogisticModel(2000.0, 2009.0, 1.0, 1.0)
    params = {"r": 0.7, "x_mid": 2005.0, "m": 0.8}
    x = np.arange(2000.0, 2010.0)
    increments = model.observable(params, x, x - 1, "per-period")
    cumulative = model.cumulative(params, x)
    assert increments == pytest.approx(cumulative - model.cumulative(params, x - 1))


def test_the_bass_curve_broadcasts_draws_against_periods_and_takes_scalars() -> None:
    assert float(bass_fraction(1.0, 0.03, 0.38)) == pytest.approx(
        (1 - math.exp(-0.41)) / (1 + (0.38 / 0.03) * math.exp(-0.41))
    )
    model = BassModel(2000.0, 2009.0, 1.0, 1.0, anchored=False)
    draws = {"p": np.full((7, 1), 0.03), "q": np.full((7, 1), 0.4), "m": np.full((7, 1), 0.9)}
    paths = model.cumulative({**draws, "launch": 1999.0}, np.arange(2000.0, 2005.0)[None, :])
    assert paths.shape == (7, 5)
    single = model.cumulative({"p": 0.03, "q": 0.4, "m": 0.9, "launch": 1999.0}, 2001.0)
    assert float(single) == pytest.approx(paths[0, 1])
    # Draws against a single time, too.
    assert bass_fraction(1.0, np.full((4, 1), 0.03), 0.38).shape == (4, 1)


def test_models_declare_which_forms_are_the_same_family() -> None:
    assert LogisticModel.equivalent_on == {"per-period": ("bass",)}
    assert BassModel(0, 1, 1, 1, anchored=False).equivalent_on == {"per-period": ("logistic",)}
    assert BassModel(0, 1, 1, 1, anchored=True).equivalent_on == {}
    assert GompertzModel.equivalent_on == {}


# --- fits recover what made the data --------------------------------------------------------------


def within(fit_value: float, stderr: float | None, truth: float, sigmas: float = 4.0) -> bool:
    assert stderr is not None
    return abs(fit_value - truth) <= sigmas * stderr


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_logistic_fit_recovers_known_parameters_from_noisy_data(seed: int) -> None:
    rng = np.random.default_rng(seed)
    y = logistic(YEARS, 0.5, 2012.0, 0.8) + rng.normal(0, 0.01, YEARS.size)
    fit = fit_logistic(history(y))
    for name, truth in {"r": 0.5, "x_mid": 2012.0, "m": 0.8}.items():
        p = fit.params[name]
        assert within(p.value, p.stderr, truth), (name, p)
    assert fit.params["r"].value == pytest.approx(0.5, rel=0.1)
    assert fit.r2 > 0.99


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_gompertz_fit_recovers_known_parameters_from_noisy_data(seed: int) -> None:
    rng = np.random.default_rng(seed)
    y = gompertz(YEARS, 5.0, 0.25, 0.7) + rng.normal(0, 0.01, YEARS.size)
    fit = fit_gompertz(history(y))
    for name, truth in {"b": 5.0, "c": 0.25, "m": 0.7}.items():
        p = fit.params[name]
        assert within(p.value, p.stderr, truth), (name, p)
    assert fit.params["c"].value == pytest.approx(0.25, rel=0.1)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_bass_fit_recovers_p_and_q_from_noisy_per_period_adoption(seed: int) -> None:
    rng = np.random.default_rng(seed)
    cumulative = 0.9 * bass_fraction(YEARS - 1999.0, 0.01, 0.45)
    per_period = np.diff(np.concatenate([[0.0], cumulative]))
    y = per_period + rng.normal(0, 0.002, YEARS.size)
    fit = fit_bass(history(y, kind="per-period"))
    assert fit.params["launch"].fixed
    assert fit.launch == 1999.0
    for name, truth in {"p": 0.01, "q": 0.45, "m": 0.9}.items():
        p = fit.params[name]
        assert within(p.value, p.stderr, truth), (name, p)
    assert fit.params["q"].value == pytest.approx(0.45, rel=0.1)
    assert "per-period values fitted as m[F(x) - F(x - 1 step)]" in fit.form


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_bass_fit_recovers_the_curve_and_launch_from_cumulative_data(seed: int) -> None:
    rng = np.random.default_rng(seed)
    y = 0.8 * bass_fraction(YEARS - 1999.0, 0.01, 0.45) + rng.normal(0, 0.005, YEARS.size)
    fit = fit_bass(history(y))
    for name, truth in {"q": 0.45, "m": 0.8}.items():
        p = fit.params[name]
        assert within(p.value, p.stderr, truth), (name, p)
    assert fit.launch == pytest.approx(1999.0, abs=1.5)
    assert fit.params["p"].value == pytest.approx(0.01, abs=0.01)


def test_fits_with_a_fixed_ceiling_hold_it_and_report_no_stderr() -> None:
    y = logistic(YEARS, 0.5, 2012.0, 0.8)
    fit = fit_logistic(history(y), ceiling=0.8)
    assert fit.params["m"].value == 0.8
    assert fit.params["m"].fixed
    assert fit.params["m"].stderr is None
    assert fit.free == ("r", "x_mid")
    assert fit.params["r"].value == pytest.approx(0.5, rel=1e-4)


# --- every common form, independent of units ----------------------------------------------------


def test_counts_without_a_population_stay_counts_and_fit_the_market_potential() -> None:
    x = np.arange(1.0, 16.0)
    sales = 50_000 * (bass_fraction(x, 0.02, 0.5) - bass_fraction(x - 1, 0.02, 0.5))
    obs = read_observations(
        pd.DataFrame({"period": x + 1999, "value": sales}), kind="per-period", unit="count"
    )
    assert obs.values[0] == pytest.approx(sales[0])
    assert obs.in_counts
    fit = fit_bass(obs)
    assert fit.params["m"].value == pytest.approx(50_000, rel=1e-6)
    assert fit.params["p"].value == pytest.approx(0.02, rel=1e-6)
    assert fit.params["q"].value == pytest.approx(0.5, rel=1e-6)


def test_yearly_sales_counts_without_a_population_fit_the_market_potential_in_counts() -> None:
    fit = fit_bass(sales_history())
    assert fit.converged
    assert fit.warnings == ()
    m = fit.params["m"]
    assert 10_000 < m.value < 40_000  # thousands of units: the market, not a share
    assert m.stderr is not None
    low, high = m.interval
    assert low is not None
    assert high is not None
    assert low < m.value < high
    assert fit.params["launch"].fixed
    assert fit.params["launch"].value == 1948


@st.composite
def adoption_series(draw: st.DrawFn) -> tuple[FitModelName, Kind, np.ndarray, np.ndarray]:
    """A noisy Bass history (cumulative or per-period) in counts of any magnitude."""
    p = draw(st.floats(0.005, 0.05))
    q = draw(st.floats(0.2, 0.8))
    points = draw(st.integers(7, 18))
    magnitude = draw(st.floats(-6.0, 9.0))
    seed = draw(st.integers(0, 2**32 - 1))
    kind = draw(st.sampled_from(KINDS))
    model = draw(st.sampled_from(FIT_MODELS))
    rng = np.random.default_rng(seed)
    x = np.arange(1.0, points + 1)
    sales = (bass_fraction(x, p, q) - bass_fraction(x - 1, p, q)) * rng.uniform(0.9, 1.1, points)
    values = sales if kind == "per-period" else np.cumsum(sales)
    return model, kind, x + 2000, values * 10**magnitude / values.max()


@PROPERTIES
@given(adoption_series(), st.sampled_from([1.01, 1.5, 1e3, 1e6, 1e12]))
def test_results_do_not_depend_on_units_or_population(
    series: tuple[FitModelName, Kind, np.ndarray, np.ndarray], factor: float
) -> None:
    model, kind, x, counts = series
    try:
        reference = fit_model(model, read_observations(frame(x, counts), kind=kind, unit="count"))
    except InputError:
        return  # no fit to compare (the command exits 2 alike for every unit)
    if any(p.stderr is None or p.stderr > 0.5 * abs(p.value) for p in free_params(reference)):
        # A parameter the data do not identify (e.g. a market 100 times the sales so far): the
        # sum of squares is flat to machine precision along it, so its sixth digit is noise in
        # any unit (R's too). Identified fits must agree to 1e-6.
        return
    # Any population above both the total and the market the counts imply: below that market
    # the ceiling is (rightly) held at the population and the results differ.
    total = counts.sum() if kind == "per-period" else counts.max()
    population = max(total, reference.ceiling) * factor
    forms = [
        (frame(x, counts), "count", population),
        (frame(x, counts / population), "share", None),
        (frame(x, 100 * counts / population), "percent", None),
    ]
    for data, unit, pop in forms:
        obs = read_observations(data, kind=kind, unit=unit, population=pop)  # type: ignore[arg-type]
        fit = fit_model(model, obs)
        for name, expected in reference.params.items():
            value = fit.params[name].value
            if name in ("m", "f_start"):
                value *= population  # a share of the population, compared in counts
            assert value == pytest.approx(expected.value, rel=1e-6), (unit, name)
        assert fit.r2 == pytest.approx(reference.r2, rel=1e-9, abs=1e-12)


def test_tiny_shares_and_huge_populations_fit_like_their_counts() -> None:
    years = range(1949, 1949 + len(AIR_CONDITIONERS))
    reference = fit_bass(sales_history())
    for population in (1e7, 1e12, 1e300):
        shares = [v / population for v in AIR_CONDITIONERS]
        obs = read_observations(frame(years, shares), kind="per-period")
        fit = fit_bass(obs)
        assert fit.warnings == ()
        assert fit.params["p"].value == pytest.approx(reference.params["p"].value, rel=1e-6)
        assert fit.ceiling * population == pytest.approx(reference.ceiling, rel=1e-6)


# --- honest failure -----------------------------------------------------------------------------


def test_the_fit_json_reports_parameters_quality_and_r_aic(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = write(tmp_path, range(1949, 1962), AIR_CONDITIONERS)
    argv = ["fit", str(path), "--model", "bass", "--kind", "per-period", "--unit", "count"]
    code, out, _ = run([*argv, "--horizon", "0"], capsys)
    assert code == 0
    payload = json.loads(out)
    n, sse = payload["n"], payload["sse"]
    assert n == 13
    # R: AIC(nls(...)) = n (log(2 pi) + 1 + log(SSE / n)) + 2 (k + 1), k = 3 free parameters.
    assert payload["aic"] == pytest.approx(n * (math.log(2 * math.pi) + 1 + math.log(sse / n)) + 8)
    assert payload["bic"] == pytest.approx(
        n * (math.log(2 * math.pi) + 1 + math.log(sse / n)) + 4 * math.log(n)
    )
    assert payload["converged"] is True
    assert payload["warnings"] == []
    for name in ("p", "q", "m"):
        p = payload["parameters"][name]
        assert p["low"] == pytest.approx(p["value"] - 1.959963984540054 * p["se"])
        assert p["high"] == pytest.approx(p["value"] + 1.959963984540054 * p["se"])
        assert p["at_bound"] is False
    residuals = np.array(AIR_CONDITIONERS) - np.array([r["value"] for r in payload["forecast"]])
    assert sse == pytest.approx(float(np.sum(residuals**2)), rel=1e-9)


def test_a_ceiling_at_its_bound_is_flagged_in_words(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # Still accelerating at 37%: the best ceiling would be 160%.
    years = np.arange(2010.0, 2018.0)
    shares = 1.6 / (1 + np.exp(-0.6 * (years - 2019)))
    path = write(tmp_path, years, np.round(shares, 6))
    code, out, _ = run(["fit", str(path), "--model", "logistic"], capsys)
    assert code == 0
    payload = json.loads(out)
    assert payload["parameters"]["m"]["at_bound"] is True
    assert payload["parameters"]["m"]["se"] is None
    assert "the ceiling is at its bound: this history does not identify it" in payload["warnings"]
    code, out, _ = run(["fit", str(path), "--model", "logistic", "--format", "table"], capsys)
    assert "warning: the ceiling is at its bound: this history does not identify it" in out


def test_a_fit_that_explains_nothing_exits_2_without_numbers(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # Per-period shares high, flat, then high again: no curve under a ceiling of 1 follows
    # them better than their mean.
    path = write(tmp_path, range(2000, 2008), [0.3, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.4])
    argv = ["fit", str(path), "--model", "gompertz", "--kind", "per-period"]
    code, out, err = run(argv, capsys)
    assert code == EXIT_BAD_INPUT
    assert out == ""
    assert err == (
        f"error: {path}: the gompertz fit explains none of the variation (R2 = -0.252):"
        " no curve to report\n"
    )


def test_too_few_points_is_a_clear_error() -> None:
    with pytest.raises(InputError) as error:
        fit_logistic(history(np.array([0.1, 0.2, 0.3]), x=np.array([2008.0, 2009, 2010])))
    assert error.value.problems == [
        "data: logistic needs at least 4 observations (3 parameters + 1); got 3"
    ]


def test_a_constant_series_is_a_clear_error() -> None:
    with pytest.raises(InputError) as error:
        fit_gompertz(history(np.full(6, 0.2), x=np.arange(2000.0, 2006)))
    assert error.value.problems == [
        "data: the values are constant (0.2): there is no growth to fit"
    ]


def test_a_falling_cumulative_series_is_a_clear_error() -> None:
    with pytest.raises(InputError) as error:
        fit_logistic(history(np.linspace(0.5, 0.1, 6), x=np.arange(2000.0, 2006)))
    assert error.value.problems == [
        "data: the cumulative values do not rise: there is no adoption growth to fit"
    ]


def test_a_ceiling_below_the_observed_maximum_is_a_clear_error() -> None:
    y = logistic(YEARS, 0.5, 2012.0, 0.8)
    with pytest.raises(InputError) as error:
        fit_logistic(history(y), ceiling=0.5)
    assert error.value.problems == [
        f"data: the ceiling 0.5 is below the observed maximum {y.max():g} (cumulative share)"
    ]


def test_per_period_ceiling_is_checked_against_the_total_adopted() -> None:
    obs = history(np.array([0.1, 0.2, 0.3, 0.2, 0.1]), kind="per-period", x=YEARS[:5])
    assert obs.cumulative_max == pytest.approx(0.9)
    with pytest.raises(InputError, match=r"the ceiling 0\.8 is below the observed maximum 0\.9"):
        fit_bass(obs, ceiling=0.8)
