"""Fitting adoption curves to history: parsing, parameter recovery, ranking, bands, edge cases."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from readiness.errors import InputError
from readiness.fitters.bands import Z80, Z95
from readiness.fitting import (
    BandMethod,
    FitModelName,
    FitResult,
    Observations,
    fit_auto,
    fit_bass,
    fit_gompertz,
    fit_logistic,
    fit_model,
    read_observations,
)
from readiness.projection import bass_cdf

YEARS = np.arange(2000.0, 2040.0)


def history(values: np.ndarray, kind: str = "cumulative", x: np.ndarray = YEARS) -> Observations:
    frame = pd.DataFrame({"period": x, "value": np.clip(values, 0, 1)})
    return read_observations(frame, kind=kind)  # type: ignore[arg-type]


def logistic(x: np.ndarray, r: float, mid: float, m: float) -> np.ndarray:
    return np.asarray(m / (1 + np.exp(-r * (x - mid))))


def gompertz(x: np.ndarray, b: float, c: float, m: float) -> np.ndarray:
    return np.asarray(m * np.exp(-b * np.exp(-c * (x - x[0]))))


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
    cumulative = 0.9 * bass_cdf(YEARS - 1999.0, 0.01, 0.45)
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
    y = 0.8 * bass_cdf(YEARS - 1999.0, 0.01, 0.45) + rng.normal(0, 0.005, YEARS.size)
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


def test_auto_picks_the_model_that_generated_the_data() -> None:
    rng = np.random.default_rng(7)
    y = gompertz(YEARS, 5.0, 0.2, 0.7) + rng.normal(0, 0.003, YEARS.size)
    fit = fit_auto(history(y))
    assert fit.model == "gompertz"
    assert fit.ranking[0].model == "gompertz"
    assert sorted(r.aic for r in fit.ranking) == [r.aic for r in fit.ranking]


def test_auto_skips_models_the_data_cannot_support_and_says_why() -> None:
    x = np.arange(2005.0, 2009.0)
    fit = fit_auto(history(logistic(x, 0.8, 2008, 0.9) + np.array([0.001, -0.001, 0.002, 0]), x=x))
    assert {r.model for r in fit.ranking} == {"logistic", "gompertz"}
    assert fit.skipped == {
        "bass": "data: bass needs at least 5 observations (4 parameters + 1); got 4"
    }


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
    truth = 0.8 * bass_cdf(years - 2004.0, 0.03, 0.38)
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


# --- bands inside the model's range -------------------------------------------------------------

#: A fast rollout: shares reach a plateau at 0.6 within two years and stay there 16 more (noise
#: 1.5 points). The growth rate is poorly identified (standard error about half the rate), the
#: ceiling well: sampling the raw parameters put 2.5% of the draws at a negative rate, clipped
#: to the bound, and the 95% band of the plateau at 0.30.
ROLLOUT = (
    0.0, 0.0082, 0.325, 0.5991, 0.5752, 0.5999, 0.5906, 0.6022, 0.5759, 0.6036,
    0.6035, 0.6236, 0.6047, 0.6077, 0.5776, 0.6338, 0.5713, 0.6165, 0.5951, 0.5868,
)  # fmt: skip
ROLLOUT_YEARS = np.arange(2001.0, 2021.0)


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


def test_percent_and_count_values_are_read_as_shares(tmp_path: Path) -> None:
    path = tmp_path / "h.csv"
    path.write_text("period,value\n2009,25\n2008,12.5\n")
    obs = read_observations(path, unit="percent")
    assert obs.periods == (2008.0, 2009.0)
    assert obs.values == (0.125, 0.25)
    path.write_text("period,value\n2008,50\n2009,100\n")
    obs = read_observations(path, unit="count", population=400)
    assert obs.values == (0.125, 0.25)
    np.testing.assert_allclose(obs.in_unit([0.5]), [200.0])


def test_dates_become_decimal_years(tmp_path: Path) -> None:
    path = tmp_path / "h.csv"
    path.write_text("period,value\n2009-01-01,0.1\n2009-07-02,0.2\n")
    obs = read_observations(path)
    assert obs.periods[0] == 2009.0
    assert obs.periods[1] == pytest.approx(2009.5, abs=0.01)


def test_row_level_problems_are_all_reported_by_row_and_field(tmp_path: Path) -> None:
    path = tmp_path / "h.csv"
    path.write_text("period,value\n2008,abc\nlast year,0.2\n2010,-0.1\n2011,1.5\n")
    with pytest.raises(InputError) as error:
        read_observations(path)
    assert error.value.problems == [
        f"{path}: row 2, field value: 'abc' is not a number",
        f"{path}: row 3, field period: 'last year' is not a year or a date (YYYY-MM-DD)",
        f"{path}: row 4, field value: -0.1 is negative",
        f"{path}: row 5, field value: 1.5 is too large (a share must be at most 1)",
    ]


def test_duplicate_periods_are_an_error(tmp_path: Path) -> None:
    path = tmp_path / "h.csv"
    path.write_text("period,value\n2008,0.1\n2009,0.2\n2008,0.3\n")
    with pytest.raises(InputError) as error:
        read_observations(path)
    assert error.value.problems == [f"{path}: row 4, field period: 2008 appears more than once"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b"period,value\n", "no data rows after the header"),
        (b"year,share\n2008,0.1\n", "missing column(s) period, value; expected a header row"),
        (
            b"period,value\n2008,0.1\xff\n",
            "not UTF-8 text (byte 0xff at position 21); save the file as UTF-8",
        ),
        (b"\xef\xbb\xbf", "the file holds no header row (expected period,value)"),
        (
            b"period,value,Value \n2008,0.1,0.2\n",
            "row 1: column 'value' appears more than once (case and surrounding spaces ignored)",
        ),
        (
            b"period,value,value\n2008,0.1,0.2\n",
            "row 1: column 'value' appears more than once (case and surrounding spaces ignored)",
        ),
        (
            b"period,value\n2008,0.1\n0001-01-01,0.2\n",
            "row 3, field period: '0001-01-01' is outside the years 1800-2200",
        ),
        (
            b"period,value\n2008,0.1\n9999-12-31,0.2\n",
            "row 3, field period: '9999-12-31' is outside the years 1800-2200",
        ),
        (
            b"period,value\n2008,0.1\n1" + b"0" * 400 + b",0.2\n",
            "row 3, field period: '10000000000000000000...00000000 (401 characters)' is not a year",
        ),
        (b"period,value\n2008,0.1\ninf,0.2\n", "row 3, field period: 'inf' is not a year"),
        (b"period,value\n2008,0.1\n2009,nan\n", "row 3, field value: 'nan' is not a number"),
    ],
)
def test_unreadable_files_get_one_clear_message(
    tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "h.csv"
    path.write_bytes(content)
    with pytest.raises(InputError) as error:
        read_observations(path)
    assert error.value.problems[0].startswith(f"{path}: {message}")


def test_a_history_frame_with_a_column_twice_after_stripping_is_refused() -> None:
    frame = pd.DataFrame([[2008, 0.1, 0.2]], columns=["period", "value", " value "])
    with pytest.raises(InputError) as error:
        read_observations(frame)
    assert error.value.problems == [
        "data: row 1: column 'value' appears more than once (case and surrounding spaces ignored)"
    ]


def test_dates_far_from_1970_become_decimal_years() -> None:
    frame = pd.DataFrame({"period": ["1850-07-02", "2150-01-01"], "value": [0.1, 0.2]})
    obs = read_observations(frame)
    assert obs.periods[0] == pytest.approx(1850.5, abs=0.01)
    assert obs.periods[1] == 2150.0


@pytest.mark.parametrize("kind", ["cumulative", "per-period"])
def test_bass_bootstrap_band_works_for_every_kind(kind: str) -> None:
    obs = history(np.array([0.01, 0.03, 0.08, 0.15, 0.2]), kind=kind, x=YEARS[:5])
    fit = fit_bass(obs)
    band = fit.bootstrap_band(fit.forecast_periods(3), draws=50)
    assert np.all(np.isfinite(band.low95))
    assert np.all(band.low95 <= band.high95)


def test_a_missing_file_is_named() -> None:
    with pytest.raises(InputError) as error:
        read_observations("no/such/file.csv")
    assert error.value.problems == ["no/such/file.csv: file not found"]


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


def test_counts_without_a_population_stay_counts_and_fit_the_market_potential() -> None:
    x = np.arange(1.0, 16.0)
    sales = 50_000 * (bass_cdf(x, 0.02, 0.5) - bass_cdf(x - 1, 0.02, 0.5))
    obs = read_observations(
        pd.DataFrame({"period": x + 1999, "value": sales}), kind="per-period", unit="count"
    )
    assert obs.values[0] == pytest.approx(sales[0])
    assert obs.in_counts
    fit = fit_bass(obs)
    assert fit.params["m"].value == pytest.approx(50_000, rel=1e-6)
    assert fit.params["p"].value == pytest.approx(0.02, rel=1e-6)
    assert fit.params["q"].value == pytest.approx(0.5, rel=1e-6)
