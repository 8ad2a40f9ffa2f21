"""Curve models as classes, fits independent of units, honest failure, bands and model choice."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_fitting import ROLLOUT, ROLLOUT_YEARS

from readiness.cli import EXIT_BAD_INPUT, main
from readiness.errors import InputError
from readiness.fitters import (
    FIT_MODELS,
    BassModel,
    GompertzModel,
    LogisticModel,
    bass_fraction,
    curve_model,
)
from readiness.fitters.bands import delta_method_band, quantile_band
from readiness.fitting import (
    BAND_METHODS,
    FitModelName,
    FitParameter,
    FitResult,
    Kind,
    Observations,
    fit_auto,
    fit_bass,
    fit_logistic,
    fit_model,
    read_observations,
)
from readiness.projection import bass_cdf

Values = Sequence[float] | np.ndarray
KINDS: tuple[Kind, ...] = ("cumulative", "per-period")
PROPERTIES = settings(deadline=None, max_examples=40, suppress_health_check=[HealthCheck.too_slow])
#: Bass (1969), room air conditioners: US sales in thousands, 1949-1961.
AIR_CONDITIONERS = (96, 195, 238, 380, 1045, 1230, 1267, 1828, 1586, 1673, 1800, 1580, 1500)


def frame(periods: Values, values: Values) -> pd.DataFrame:
    return pd.DataFrame({"period": list(periods), "value": list(values)})


def sales_history() -> Observations:
    years = range(1949, 1949 + len(AIR_CONDITIONERS))
    return read_observations(frame(years, AIR_CONDITIONERS), kind="per-period", unit="count")


def run(argv: Sequence[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def free_params(fit: FitResult) -> list[FitParameter]:
    return [p for p in fit.params.values() if not p.fixed]


def write(tmp_path: Path, periods: Values, values: Values) -> Path:
    path = tmp_path / "history.csv"
    frame(periods, values).to_csv(path, index=False)
    return path


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
    # The projections' Bass curve takes scalars too (it used to fail on them).
    assert float(bass_cdf(1.0, 0.03, 0.38)) == pytest.approx(float(bass_fraction(1.0, 0.03, 0.38)))
    assert bass_cdf(1.0, np.full((4, 1), 0.03), 0.38).shape == (4, 1)


def test_models_declare_which_forms_are_the_same_family() -> None:
    assert LogisticModel.equivalent_on == {"per-period": ("bass",)}
    assert BassModel(0, 1, 1, 1, anchored=False).equivalent_on == {"per-period": ("logistic",)}
    assert BassModel(0, 1, 1, 1, anchored=True).equivalent_on == {}
    assert GompertzModel.equivalent_on == {}


# --- every common form, independent of units ----------------------------------------------------


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


@pytest.mark.parametrize("band", BAND_METHODS)
@pytest.mark.parametrize("population", [None, "100000"])
def test_per_period_bass_on_sales_counts_runs_for_every_band(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, band: str, population: str | None
) -> None:
    path = write(tmp_path, range(1949, 1956), AIR_CONDITIONERS[:7])
    extra = ["--population", population] if population else []
    argv = ["fit", str(path), "--model", "bass", "--kind", "per-period", "--unit", "count"]
    code, out, err = run([*argv, *extra, "--band", band], capsys)
    assert (code, err) == (0, "")
    payload = json.loads(out)
    assert payload["unit"] == "count"
    assert payload["kind"] == "per-period"
    assert payload["population"] == (float(population) if population else None)
    assert set(payload["parameters"]) == {"p", "q", "m", "launch"}
    m = payload["parameters"]["m"]
    assert (m["value"] > 1000) == (population is None)  # a count, or a share of the population
    for row in payload["forecast"]:
        assert row["low"] <= row["low80"] <= row["value"] <= row["high80"] <= row["high"]


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


def test_summary_is_a_frame_and_a_text(tmp_path: Path) -> None:
    fit = fit_bass(sales_history())
    summary = fit.summary()
    assert list(summary.columns) == [
        "parameter",
        "value",
        "standard error",
        "low 95%",
        "high 95%",
        "at bound",
        "fixed",
    ]
    assert list(summary["parameter"]) == ["p", "q", "m", "launch"]
    row = summary.set_index("parameter").loc["q"]
    assert row["value"] == fit.params["q"].value
    assert row["low 95%"] < row["value"] < row["high 95%"]
    text = fit.summary_text()
    assert text.startswith("model: bass")
    assert "ceiling m as a count" in text
    assert "converged: yes" in text
    assert f"{fit.params['m'].value:.6g}" in text


# --- bands --------------------------------------------------------------------------------------


@st.composite
def plausible_history(draw: st.DrawFn) -> Observations:
    """A few noisy years of an adoption curve at any stage, flat ones included."""
    points = draw(st.integers(5, 25))
    p = draw(st.floats(0.002, 0.05))
    q = draw(st.floats(0.0, 0.9))
    m = draw(st.floats(0.05, 1.0))
    offset = draw(st.floats(0.0, 15.0))
    noise = draw(st.floats(0.0, 0.05))
    seed = draw(st.integers(0, 2**32 - 1))
    kind = draw(st.sampled_from(KINDS))
    rng = np.random.default_rng(seed)
    s = np.arange(points) + offset
    f = m * bass_fraction(s, p, q)
    if kind == "per-period":
        f = f - m * bass_fraction(s - 1, p, q)
    values = np.clip(f + rng.normal(0, noise * m, points), 0.0, 1.0)
    if kind == "cumulative":
        values = np.minimum(np.maximum.accumulate(values), 1.0)
    return read_observations(frame(np.arange(points) + 2000.0, values), kind=kind)


@PROPERTIES
@given(plausible_history(), st.sampled_from(["auto", "covariance", "bootstrap"]))
def test_every_band_contains_its_own_forecast(obs: Observations, method: str) -> None:
    try:
        fit = fit_auto(obs)
    except InputError:
        return
    band = fit.uncertainty(fit.forecast_periods(8), method)  # type: ignore[arg-type]
    assert np.all(band.low95 <= band.low80)
    assert np.all(band.low80 <= band.fit)
    assert np.all(band.fit <= band.high80)
    assert np.all(band.high80 <= band.high95)
    assert np.all(np.isfinite(band.low95))
    assert np.all(np.isfinite(band.high95))
    # inside the values a share can take, without clipping draws to get there
    assert np.all(band.low95 >= 0)
    assert np.all(band.high95 <= 1)


def test_the_batched_bootstrap_agrees_with_the_covariance_band_on_a_long_history() -> None:
    years = np.arange(2000.0, 2030.0)
    rng = np.random.default_rng(3)
    values = 0.8 / (1 + np.exp(-0.4 * (years - 2012))) + rng.normal(0, 0.01, years.size)
    fit = fit_logistic(read_observations(frame(years, np.clip(values, 0, 1))))
    ahead = fit.forecast_periods(5)
    boot = fit.bootstrap_band(ahead, draws=400)
    cov = fit.band(ahead)
    assert boot.method == "bootstrap"
    width_boot = boot.high95 - boot.low95
    width_cov = cov.high95 - cov.low95
    assert width_boot == pytest.approx(width_cov, rel=0.25)


def test_fit_of_a_plateau_prints_a_band_around_the_plateau(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "rollout.csv"
    frame(ROLLOUT_YEARS, ROLLOUT).to_csv(path, index=False)
    argv = ["fit", str(path), "--model", "logistic", "--band", "covariance", "--format", "json"]
    code, out, err = run(argv, capsys)
    assert (code, err) == (0, "")
    forecast = json.loads(out)["forecast"]
    for row in forecast[4:]:
        assert 0.585 < row["low"] < row["value"] < row["high"] < 0.61, row
    assert all(row["low"] > 0 for row in forecast)


def test_fit_of_a_big_bang_rollout_with_default_options_prints_a_band(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "big_bang.csv"
    frame(range(2015, 2021), (900, 20, 10, 5, 3, 2)).to_csv(path, index=False)
    argv = ["fit", str(path), "--kind", "per-period", "--unit", "count", "--population", "1000"]
    code, out, err = run(argv, capsys)
    assert (code, err) == (0, "")
    payload = json.loads(out)
    assert payload["band"] in ("covariance", "bootstrap")
    for row in payload["forecast"]:
        assert 0 <= row["low"] <= row["value"] <= row["high"] <= 1000, row
    assert payload["forecast"][0]["low"] < 900 < payload["forecast"][0]["high"]


@pytest.mark.parametrize("limit", [1.0, math.inf])
def test_band_edges_stay_in_the_values_range_and_around_forecasts_on_its_edges(
    limit: float,
) -> None:
    # a saturated increment (rounding below 0), exactly 0, inside, at the ceiling of a share
    forecast = np.array([-1e-17, 0.0, 0.3, min(limit, 1e6)])
    gradient, covariance = np.full((1, 4), 0.01), np.array([[1.0]])
    rng = np.random.default_rng(0)
    paths = np.clip(forecast + rng.normal(0, 0.01, (400, 4)), 0, limit)
    for edges in (
        delta_method_band(forecast, gradient, covariance, limit),
        quantile_band(forecast, paths, limit),
    ):
        low95, low80, high80, high95 = edges
        assert np.all((low95 <= low80) & (low80 <= forecast))
        assert np.all((forecast <= high80) & (high80 <= high95))
        assert np.all(low95[1:] >= 0)
        assert np.all(high95 <= limit)
        assert low95[2] < 0.3 < high95[2]
        assert high95[1] > 0  # a forecast of 0 may be low, not high
    # on the logit scale: lopsided towards the middle near the edge of the range
    low95, _, _, high95 = delta_method_band(np.array([0.99]), np.ones((1, 1)), np.eye(1) * 1e-4, 1)
    assert high95[0] - 0.99 < (0.99 - low95[0]) / 3
    assert high95[0] < 1


# --- model choice -------------------------------------------------------------------------------


def test_logistic_and_bass_are_reported_equivalent_on_per_period_data() -> None:
    fit = fit_auto(sales_history())
    by_model = {r.model: r for r in fit.ranking}
    assert by_model["bass"].equivalent_to == ("logistic",)
    assert by_model["logistic"].equivalent_to == ("bass",)
    assert by_model["bass"].sse == pytest.approx(by_model["logistic"].sse, rel=1e-9)
    assert "logistic and Bass fit these per-period data identically" in fit.model_choice.replace(
        "Bass and logistic", "logistic and Bass"
    )


def test_models_within_2_aic_are_called_indistinguishable() -> None:
    years = np.arange(2000.0, 2012.0)
    rng = np.random.default_rng(0)
    values = 0.7 / (1 + np.exp(-0.5 * (years - 2008))) + rng.normal(0, 0.02, years.size)
    fit = fit_auto(read_observations(frame(years, np.clip(values, 0.001, 1))))
    best = fit.ranking[0]
    for r in fit.ranking[1:]:
        close = r.aic - best.aic < 2
        assert r.indistinguishable == close
        assert (r.model in fit.model_choice.lower()) == close
    assert best.indistinguishable == any(r.aic - best.aic < 2 for r in fit.ranking[1:])


def test_fit_result_is_the_public_entry_point() -> None:
    fit = fit_model("bass", sales_history())
    assert isinstance(fit, FitResult)
    assert isinstance(fit.curve_model(), BassModel)
    assert fit.launch == 1948


def test_between_equivalent_models_the_choice_follows_the_models_order_not_rounding() -> None:
    obs = sales_history()
    for models in (("bass", "logistic"), ("logistic", "bass")):
        fit = fit_auto(obs, models=models)
        assert fit.model == models[0]
        assert [r.model for r in fit.ranking] == list(models)
        assert fit.ranking[1].delta_aic == pytest.approx(0.0, abs=1e-6)
        assert not fit.ranking[1].indistinguishable  # identical, which is said instead
        assert "fit these per-period data identically" in fit.model_choice
