"""Uncertainty bands: the delta method and the refit bootstrap, on the logit of the share, nested,
inside the values a model can take and around their own forecast."""

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
    ROLLOUT,
    ROLLOUT_YEARS,
    YEARS,
    frame,
    history,
    logistic,
    run,
    write,
)
from hypothesis import given
from hypothesis import strategies as st

from readiness.errors import InputError
from readiness.fitting import (
    BAND_METHODS,
    BandMethod,
    FitModelName,
    FitResult,
    Observations,
    bass_fraction,
    fit_auto,
    fit_bass,
    fit_gompertz,
    fit_logistic,
    fit_model,
    read_observations,
)
from readiness.fitting.bands import Z80, Z95, delta_method_band, quantile_band


def test_bands_are_nested_and_contain_the_fit() -> None:
    rng = np.random.default_rng(3)
    y = logistic(YEARS, 0.5, 2012.0, 0.8) + rng.normal(0, 0.01, YEARS.size)
    fit = fit_logistic(history(y))
    band = fit.band(fit.forecast_periods(5))
    assert band.periods[-1] == 2044.0
    assert np.all(band.low95 <= band.low80 + 1e-12)
    assert np.all(band.low80 <= band.fit + 1e-3)
    assert np.all(band.fit <= band.high80 + 1e-3)
    assert np.all(band.high80 <= band.high95 + 1e-12)
    assert np.all(band.high95 - band.low95 < 0.1)


def test_bands_are_reproducible_and_the_bootstrap_follows_its_seed() -> None:
    y = logistic(YEARS, 0.5, 2012.0, 0.8) + np.random.default_rng(3).normal(0, 0.01, YEARS.size)
    fit = fit_logistic(history(y))
    np.testing.assert_array_equal(fit.band(YEARS).high95, fit.band(YEARS).high95)
    first, second = fit.bootstrap_band(YEARS, seed=1), fit.bootstrap_band(YEARS, seed=1)
    np.testing.assert_array_equal(first.high95, second.high95)
    assert not np.array_equal(first.high95, fit.bootstrap_band(YEARS, seed=2).high95)


def test_about_95_percent_of_refits_fall_inside_the_95_percent_band() -> None:
    truth = logistic(YEARS, 0.5, 2012.0, 0.8)
    rng = np.random.default_rng(11)
    fit = fit_logistic(history(truth + rng.normal(0, 0.01, YEARS.size)))
    band = fit.band(YEARS)
    inside = (truth >= band.low95) & (truth <= band.high95)
    assert inside.mean() > 0.8


def _short_bass_history() -> tuple[Observations, float]:
    """Six noisy years of a Bass curve whose ceiling (0.8) the data cannot pin down yet."""
    years = 2005.0 + np.arange(6)
    truth = 0.8 * bass_fraction(years - 2004.0, 0.03, 0.38)
    noisy = truth + np.random.default_rng(3).normal(0, 0.01, years.size)
    return history(noisy, x=years), 0.8


def test_a_short_history_gets_a_bootstrap_band_that_respects_what_was_observed() -> None:
    obs, true_ceiling = _short_bass_history()
    fit = fit_logistic(obs)
    far = fit.forecast_periods(10)
    covariance, bootstrap = fit.band(far), fit.bootstrap_band(far)
    assert (covariance.method, bootstrap.method) == ("covariance", "bootstrap")
    observed = obs.cumulative_max
    # the normal approximation puts much of its band below the share already reached ...
    assert covariance.low95[-1] < observed - 0.1
    # ... the refits cannot, and their band is lopsided upwards, towards the true ceiling
    assert bootstrap.low95[-1] > observed - 0.05
    assert bootstrap.high80[-1] - bootstrap.fit[-1] > 2 * (bootstrap.fit[-1] - bootstrap.low80[-1])
    assert bootstrap.low80[-1] < true_ceiling < bootstrap.high80[-1]
    assert not covariance.low80[-1] < true_ceiling < covariance.high80[-1]
    assert np.all(bootstrap.low95 <= bootstrap.low80 + 1e-12)
    assert np.all(bootstrap.high80 <= bootstrap.high95 + 1e-12)


def test_on_a_long_history_bootstrap_and_covariance_bands_agree() -> None:
    rng = np.random.default_rng(3)
    fit = fit_logistic(history(logistic(YEARS, 0.5, 2012.0, 0.8) + rng.normal(0, 0.01, 40)))
    x = fit.forecast_periods(5)
    covariance, bootstrap = fit.band(x), fit.bootstrap_band(x, draws=200)
    width = covariance.high95 - covariance.low95
    assert np.all(np.abs(bootstrap.high95 - covariance.high95) < 0.35 * width + 1e-3)
    assert np.all(np.abs(bootstrap.low95 - covariance.low95) < 0.35 * width + 1e-3)


def test_auto_bootstraps_short_histories_only_and_a_perfect_fit_has_a_band_of_no_width() -> None:
    obs, _ = _short_bass_history()
    assert fit_logistic(obs).uncertainty(obs.x).method == "bootstrap"
    long = fit_logistic(history(logistic(YEARS, 0.5, 2012.0, 0.8) + 0.001 * np.sin(YEARS)))
    assert long.uncertainty(YEARS).method == "covariance"
    assert long.uncertainty(YEARS, "bootstrap").method == "bootstrap"
    exact = fit_logistic(history(logistic(YEARS[:8], 0.5, 2003.0, 0.8), x=YEARS[:8]))
    band = exact.uncertainty(YEARS[:8])  # no residual spread: nothing to vary
    np.testing.assert_allclose(band.low95, band.fit, atol=1e-3)
    np.testing.assert_allclose(band.high95, band.fit, atol=1e-3)


@pytest.mark.parametrize("kind", ["cumulative", "per-period"])
def test_bass_bootstrap_band_works_for_every_kind(kind: str) -> None:
    obs = history(np.array([0.01, 0.03, 0.08, 0.15, 0.2]), kind=kind, x=YEARS[:5])
    fit = fit_bass(obs)
    band = fit.bootstrap_band(fit.forecast_periods(3), draws=50)
    assert np.all(np.isfinite(band.low95))
    assert np.all(band.low95 <= band.high95)


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


# --- bands inside the model's range -------------------------------------------------------------


def rollout() -> FitResult:
    return fit_logistic(history(np.array(ROLLOUT), x=ROLLOUT_YEARS))


def logistic_delta_se(fit: FitResult, x: np.ndarray) -> np.ndarray:
    """The delta method written out for the logistic: analytic gradient, the fit's covariance."""
    r, mid, m = (fit.params[k].value for k in ("r", "x_mid", "m"))
    e = np.exp(-r * (x - mid))
    gradient = {
        "r": m * e * (x - mid) / (1 + e) ** 2,
        "x_mid": -m * e * r / (1 + e) ** 2,
        "m": 1 / (1 + e),
    }
    g = np.array([gradient[k] for k in fit.free])
    cov = np.asarray(fit.covariance)
    return np.asarray(np.sqrt(np.einsum("in,ij,jn->n", g, cov, g)))


def logit(v: np.ndarray) -> np.ndarray:
    return np.asarray(np.log(v) - np.log1p(-v))


def test_a_plateau_band_is_the_delta_method_s_and_agrees_with_the_bootstrap() -> None:
    fit = rollout()
    plateau = np.concatenate([ROLLOUT_YEARS[4:], [2022.0, 2025.0]])
    band, boot = fit.band(plateau), fit.bootstrap_band(plateau, draws=400)
    se = logistic_delta_se(fit, plateau)
    # (a) the delta method on the logit of the share, from an analytic gradient: the same band
    # up to the numerical gradient (relative step 1e-6), so to 1e-4 of its half-width ...
    for edge, z in ((band.low95, -Z95), (band.low80, -Z80), (band.high80, Z80), (band.high95, Z95)):
        expected = logit(band.fit) + z * se / (band.fit * (1 - band.fit))
        np.testing.assert_allclose(logit(edge), expected, rtol=0, atol=1e-4 * Z95 * se.max() / 0.24)
    # ... and R's usual band on the share itself, value +- 1.96 se: the scales differ by the
    # logit's curvature, (1.96 se)^2 |1 - 2F| / (2 F (1 - F)) < 1e-5 here, 1% of the half-width.
    half = Z95 * se
    assert np.all(np.abs(band.low95 - (band.fit - half)) < 0.01 * half)
    assert np.all(np.abs(band.high95 - (band.fit + half)) < 0.01 * half)
    # (b) the bootstrap: 400 refits estimate a 2.5% quantile to about 0.13 sd, 7% of the
    # half-width; 25% (3.5 of those) leaves room for chance, not for a band at 0.30.
    assert np.all(np.abs(boot.low95 - band.low95) < 0.25 * half)
    assert np.all(np.abs(boot.high95 - band.high95) < 0.25 * half)
    assert band.low95.min() > 0.585
    assert band.high95.max() < 0.61


@pytest.mark.parametrize("method", ["covariance", "bootstrap"])
def test_a_growing_series_has_a_band_above_0_around_its_forecast(method: BandMethod) -> None:
    for fit in (
        rollout(),
        fit_gompertz(_short_bass_history()[0]),
        fit_bass(_short_bass_history()[0]),
    ):
        band = fit.uncertainty(fit.forecast_periods(10), method)
        assert band.method == method
        assert np.all(band.low95 > 0), fit.model
        assert np.all((band.low95 < band.fit) & (band.fit < band.high95)), fit.model
        assert np.all(band.high95 < 1), fit.model


def test_a_perfect_linear_fit_gets_a_band_on_both_sides_of_its_forecast() -> None:
    """Five shares exactly on a line: the Bass fit is near perfect; its band used to be the
    first value up to the forecast, [0.0100, forecast], once clipped draws fell on one side."""
    years = np.arange(2010.0, 2015.0)
    fit = fit_bass(history(np.array([0.01, 0.03, 0.05, 0.07, 0.09]), x=years))
    ahead = fit.forecast_periods(2)
    for band in (fit.band(ahead), fit.bootstrap_band(ahead)):
        assert np.all((band.low95 < band.fit) & (band.fit < band.high95)), band.method
        # as narrow as a perfect fit: within 1% of the forecast
        assert np.all(band.high95 - band.low95 < 0.01 * band.fit), band.method


BIG_BANG = (900, 20, 10, 5, 3, 2)


@pytest.mark.parametrize("method", ["auto", "covariance", "bootstrap"])
@pytest.mark.parametrize("model", ["logistic", "gompertz", "bass"])
def test_a_big_bang_rollout_gets_a_band(model: FitModelName, method: BandMethod) -> None:
    """Everyone at once, then a trickle (new adopters per year out of 1,000)."""
    frame = pd.DataFrame({"period": np.arange(2015, 2021), "value": BIG_BANG})
    obs = read_observations(frame, kind="per-period", unit="count", population=1000)
    fit = fit_model(model, obs)
    band = fit.uncertainty(fit.forecast_periods(5), method)
    for edge in (band.low95, band.low80, band.high80, band.high95):
        assert np.all(np.isfinite(edge))
    assert np.all((band.low95 <= band.fit) & (band.fit <= band.high95))
    assert np.all((band.low95 >= 0) & (band.high95 <= 1))
    assert band.low95[0] < 0.9 < band.high95[0]


def test_a_covariance_that_does_not_factor_still_gives_a_band() -> None:
    """Two parameters perfectly correlated: a Cholesky factor does not exist; the delta method
    needs none."""
    fit = rollout()
    se = {k: fit.params[k].stderr or 0.0 for k in fit.free}
    singular = np.outer([se["r"], 0.0, se["m"]], [se["r"], 0.0, se["m"]])
    broken = fit.model_copy(update={"covariance": tuple(tuple(row) for row in singular)})
    band = broken.band(ROLLOUT_YEARS)
    assert band.method == "covariance"
    assert np.all((band.low95 < band.fit) & (band.fit < band.high95))


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
    else:  # noise must not add up to more than everyone
        values = values / max(1.0, values.sum())
    return read_observations(frame(np.arange(points) + 2000.0, values), kind=kind)


@pytest.mark.full  # a long property run with bootstrap bands
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
