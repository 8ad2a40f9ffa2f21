"""R as the referee: readiness's fits agree with R's ``nls`` on published diffusion series.

Every series in ``tests/data/diffusion/`` (listed with its kind, unit and models in
``series.csv``, sources in its README) is fitted by ``readiness fit ... --format json`` and by
``tests/r/fit.R`` (``minpack.lm::nlsLM`` from a grid of starts, polished by ``nls``) with the
same model form, and they must agree: parameters to 1e-4 relative, standard errors to 1e-3
relative, AIC equal to R's ``AIC()`` within 1e-6. Locations (``x_mid``, a launch year) are
compared as distances from the first period, so that a calendar year does not make 1e-4 loose.
Bands are refereed the same way: ``tests/r/band.R`` gives R's fitted values with their
delta-method standard errors, and readiness's covariance band must be that delta method.

Without ``Rscript`` (or the minpack.lm package) the tests are skipped, unless R is required
(``READINESS_REQUIRE_R=1``, set by CI, or ``CI=true``): then that is a failure. Each run writes
the comparison table to ``out/r_referee.md`` (one per worker under pytest-xdist:
``out/r_referee-gw0.md``, ...).
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from fitting_fixtures import ROLLOUT, ROLLOUT_YEARS
from r_referee import readiness_json, relative_difference, require_r, run_r, write_table

from readiness.fitting import fit_model, read_observations
from readiness.fitting.bands import Z95

pytestmark = pytest.mark.full  # runs R

ROOT = Path(__file__).resolve().parents[1]
SERIES_DIR = ROOT / "tests" / "data" / "diffusion"

PARAMETER_RTOL = 1e-4
SE_RTOL = 1e-3
AIC_ATOL = 1e-6
SSE_RTOL = 1e-6
#: Parameters that are positions on the period axis, compared from the first period.
LOCATIONS = frozenset({"x_mid", "launch"})


def _series() -> list[dict[str, str]]:
    with (SERIES_DIR / "series.csv").open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


CASES = [
    (row["file"], row["kind"], row["unit"], model)
    for row in _series()
    for model in row["models"].split()
]


def _case_id(case: tuple[str, str, str, str]) -> str:
    return f"{Path(case[0]).stem}-{case[3]}"


@pytest.fixture(scope="session")
def r_fits(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """R's fit of every case, by case id: one ``Rscript`` run for all of them."""
    require_r("minpack.lm")
    cases = tmp_path_factory.mktemp("r_referee") / "cases.csv"
    with cases.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["name", "file", "kind", "model"])
        for case in CASES:
            writer.writerow([_case_id(case), str(SERIES_DIR / case[0]), case[1], case[3]])
    return {fit["name"]: fit for fit in run_r("fit.R", cases)}


@pytest.fixture(scope="session")
def comparison_table() -> Iterator[list[str]]:
    """Rows of the readiness-vs-R table, written to out/r_referee.md at the end."""
    rows: list[str] = []
    yield rows
    write_table(
        "r_referee",
        "readiness vs R (nls / minpack.lm) on tests/data/diffusion",
        "| series | model | kind | parameter | readiness | R | relative difference |"
        " readiness SE | R SE | relative difference |",
        sorted(rows),
    )


def readiness_fit(
    path: Path, kind: str, unit: str, model: str, population: float | None = None
) -> dict[str, Any]:
    """``readiness fit`` on one series, its JSON parsed; fails with the command's message."""
    argv = ["fit", str(path), "--model", model, "--kind", kind, "--unit", unit]
    if population is not None:
        argv += ["--population", repr(population)]
    argv += ["--horizon", "0", "--format", "json"]
    return readiness_json(argv)


def _first_period(path: Path) -> float:
    with path.open(newline="", encoding="utf-8") as handle:
        return min(float(row["period"]) for row in csv.DictReader(handle))


@pytest.mark.parametrize("case", CASES, ids=[_case_id(c) for c in CASES])
def test_readiness_agrees_with_r(
    case: tuple[str, str, str, str],
    r_fits: dict[str, dict[str, Any]],
    comparison_table: list[str],
) -> None:
    file, kind, unit, model = case
    referee = r_fits[_case_id(case)]
    assert referee["converged"], f"R did not converge on {_case_id(case)}: {referee}"
    path = SERIES_DIR / file
    ours = readiness_fit(path, kind, unit, model)
    assert "parameters" in ours, f"no 'parameters' in readiness fit JSON (keys: {sorted(ours)})"
    assert ours["converged"] is True
    assert ours["n"] == referee["n"]
    first = _first_period(path)

    compared = [
        name
        for name in referee["parameters"]
        # A cumulative Bass fit may place its launch through another parameter (the share at
        # the first period): the same curves, so p, q, m and their errors must still agree.
        if name in ours["parameters"] or name != "launch"
    ]
    problems: list[str] = []
    for name in compared:
        assert name in ours["parameters"], f"readiness reports no parameter {name!r}"
        mine, theirs = ours["parameters"][name], referee["parameters"][name]
        offset = first if name in LOCATIONS else 0.0
        value_diff = relative_difference(mine["value"] - offset, theirs["value"] - offset)
        se_diff = (
            relative_difference(mine["se"], theirs["se"]) if mine["se"] is not None else math.inf
        )
        se_text = "none" if mine["se"] is None else f"{mine['se']:.6g}"
        comparison_table.append(
            f"| {Path(file).stem} | {model} | {kind} | {name} | {mine['value']:.8g} |"
            f" {theirs['value']:.8g} | {value_diff:.1e} | {se_text} | {theirs['se']:.6g} |"
            f" {se_diff:.1e} |"
        )
        if not value_diff <= PARAMETER_RTOL:
            problems.append(f"{name} = {mine['value']!r}, R {theirs['value']!r}")
        if not se_diff <= SE_RTOL:
            problems.append(f"SE of {name} = {mine['se']!r}, R {theirs['se']!r}")
        assert mine["at_bound"] is False, f"{name} stopped at a bound where R's did not"
    comparison_table.append(
        f"| {Path(file).stem} | {model} | {kind} | AIC | {ours['aic']:.10g} |"
        f" {referee['aic']:.10g} | {abs(ours['aic'] - referee['aic']):.1e} (absolute) | | | |"
    )
    if not abs(ours["aic"] - referee["aic"]) <= AIC_ATOL:
        problems.append(f"AIC = {ours['aic']!r}, R {referee['aic']!r}")
    if not abs(ours["bic"] - referee["bic"]) <= AIC_ATOL:
        problems.append(f"BIC = {ours['bic']!r}, R {referee['bic']!r}")
    if not relative_difference(ours["sse"], referee["sse"]) <= SSE_RTOL:
        problems.append(f"SSE = {ours['sse']!r}, R {referee['sse']!r}")
    assert not problems, "; ".join(problems)


@pytest.mark.parametrize("population", [1e6, 1e12])
def test_counts_out_of_a_population_give_r_s_parameters_with_the_ceiling_as_a_share(
    population: float, r_fits: dict[str, dict[str, Any]]
) -> None:
    """Yearly sales out of a population far above their total (the scale that once moved p by
    240%): p, q and their errors are R's, and the ceiling is R's market potential over N."""
    case = ("ibm_generation_1.csv", "per-period", "count", "bass")
    referee = r_fits[_case_id(case)]["parameters"]
    ours = readiness_fit(SERIES_DIR / case[0], *case[1:], population=population)["parameters"]
    scale = {"p": 1.0, "q": 1.0, "m": population}
    for name, factor in scale.items():
        mine, theirs = ours[name], referee[name]
        assert relative_difference(mine["value"] * factor, theirs["value"]) <= PARAMETER_RTOL, name
        assert relative_difference(mine["se"] * factor, theirs["se"]) <= SE_RTOL, name


def test_every_series_has_its_source_in_the_readme() -> None:
    readme = (SERIES_DIR / "README.md").read_text(encoding="utf-8")
    files = sorted(p.name for p in SERIES_DIR.glob("*.csv") if p.name != "series.csv")
    assert files == sorted(row["file"] for row in _series())
    for name in files:
        assert f"`{name}`" in readme, f"{name} has no source in tests/data/diffusion/README.md"


def test_the_referee_recovers_a_known_bass_curve(tmp_path: Path) -> None:
    """The R script recovers per-period Bass sales with 1% noise; its AIC is R's formula."""
    require_r("minpack.lm")
    p, q, m = 0.03, 0.4, 5000.0

    def cdf(t: float) -> float:
        e = math.exp(-(p + q) * t)
        return (1 - e) / (1 + q / p * e)

    history = tmp_path / "exact.csv"
    history.write_text(
        "period,value\n"
        + "".join(
            f"{t},{m * (cdf(t) - cdf(t - 1)) * (1 + 0.01 * (-1) ** t)}\n" for t in range(1, 16)
        ),
        encoding="utf-8",
    )
    cases = tmp_path / "cases.csv"
    cases.write_text(f"name,file,kind,model\nexact,{history},per-period,bass\n", encoding="utf-8")
    (fit,) = run_r("fit.R", cases, timeout=120)
    assert fit["converged"] is True
    estimates = {name: v["value"] for name, v in fit["parameters"].items()}
    # 1% alternating noise: close to the truth, not equal to it
    assert estimates["p"] == pytest.approx(p, rel=0.05)
    assert estimates["q"] == pytest.approx(q, rel=0.05)
    assert estimates["m"] == pytest.approx(m, rel=0.02)
    n, sse, k = 15, fit["sse"], 3
    r_aic = n * (math.log(2 * math.pi) + 1 - math.log(n) + math.log(sse)) + 2 * (k + 1)
    assert fit["aic"] == pytest.approx(r_aic, abs=1e-9)


# --- bands --------------------------------------------------------------------------------------


def r_delta_bands(
    tmp_path: Path, cases: dict[str, tuple[Path, str, str, list[float]]]
) -> dict[str, dict[str, Any]]:
    """R's fitted values and delta-method standard errors (tests/r/band.R), by case name:
    ``cases`` maps a name to (history file, kind, model, periods)."""
    table = tmp_path / "band_cases.csv"
    with table.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["name", "file", "kind", "model", "periods"])
        for name, (path, kind, model, periods) in cases.items():
            writer.writerow([name, str(path), kind, model, " ".join(repr(p) for p in periods)])
    return {case["name"]: case for case in run_r("band.R", table)}


def _history_file(path: Path, periods: Any, values: Any) -> Path:
    path.write_text(
        "period,value\n"
        + "".join(f"{x:g},{float(v)!r}\n" for x, v in zip(periods, values, strict=True)),
        encoding="utf-8",
    )
    return path


def _logit(v: Any) -> Any:
    return np.log(v) - np.log1p(-v)


def test_the_covariance_band_is_r_s_delta_method_on_a_plateau_and_a_near_perfect_fit(
    tmp_path: Path,
) -> None:
    """R fits the logistic itself (nlsLM + nls), differentiates its own curve and takes
    ``vcov()``. readiness's band is the delta method on the logit of the share: built from R's
    value and standard error on that scale, it is the same band to 0.2% of its half-width (the
    fits' standard errors agree to 1e-3 in the referee above). Against the band R users draw on
    the share itself, value +- 1.96 se, it differs by the logit's curvature only, where that
    band stays inside 0-1 (under 3% of the half-width here); where R's band goes below 0 (the
    rise of a fast rollout), readiness's stays above it."""
    require_r("minpack.lm")
    years = np.arange(2000.0, 2020.0)
    cases = {
        "rollout": (
            _history_file(tmp_path / "rollout.csv", ROLLOUT_YEARS, ROLLOUT),
            "cumulative",
            "logistic",
            [2001.0, 2002.0, 2003.0, 2004.0, 2005.0, 2010.0, 2020.0, 2023.0],
        ),
        # Shares on a logistic curve to 4 decimals: residuals of rounding only.
        "near-perfect": (
            _history_file(
                tmp_path / "near_perfect.csv",
                years,
                np.round(0.8 / (1 + np.exp(-0.5 * (years - 2012.0))), 4),
            ),
            "cumulative",
            "logistic",
            [2000.0, 2005.0, 2010.0, 2015.0, 2019.0, 2022.0],
        ),
    }
    referee = r_delta_bands(tmp_path, cases)
    for name, (path, _, model, periods) in cases.items():
        r = referee[name]
        assert r["converged"], f"R did not converge on {name}"
        fit = fit_model(model, read_observations(path))  # type: ignore[arg-type]
        band = fit.band(np.asarray(periods))
        value, se = np.asarray(r["value"]), np.asarray(r["se"])
        np.testing.assert_allclose(band.fit, value, rtol=1e-5)
        centre, spread = _logit(value), Z95 * se / (value * (1 - value))
        for edge, sign in ((band.low95, -1), (band.high95, 1)):
            difference = np.abs(_logit(edge) - (centre + sign * spread))
            assert np.all(difference <= 2e-3 * spread), (name, difference / spread)
        half = Z95 * se
        low, high = value - half, value + half
        inside = (low > 0) & (high < 1)
        # The second-order term of the logit's inverse: half^2 |1 - 2F| / (2 F (1 - F)).
        curvature = half**2 * np.abs(1 - 2 * value) / (2 * value * (1 - value))
        allowed = (1.5 * curvature + 2e-3 * half)[inside]
        assert np.all(np.abs(band.low95 - low)[inside] <= allowed), name
        assert np.all(np.abs(band.high95 - high)[inside] <= allowed), name
        assert np.all(curvature[inside] < 0.03 * half[inside]), name
        assert np.all(band.low95 > 0), name
    rise = referee["rollout"]
    assert all(v - Z95 * e < 0 for v, e in zip(rise["value"][:2], rise["se"][:2], strict=True))
