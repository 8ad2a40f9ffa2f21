"""R as the referee of the Generalized Bass Model with shocks.

``tests/r/gbm.R`` writes the GBM out from its published formulas (the Bass curve at X, the
integral of x(t) = 1 + shocks, with DIMORA's rectangular and exponential shocks) and fits it
with ``minpack.lm::nls.lm`` from the starting points readiness refines
(:meth:`~readiness.fitting.GeneralizedBassModel.starting_points`), within the same bounds.
readiness's fit (``readiness fit --model gbm``) must agree on every parameter, standard error and
the residual sum of squares to 1e-4 relative; starts and a rectangular shock's end are compared
as distances from the first period, so that a calendar year does not make 1e-4 loose.

The series: three published ones (IBM's first and second computer generations, Bass and Bass
2004; the Dutch car stock, Franses 1994, with a shock held at the October 1973 oil crisis) and
two simulated divisions of 2,000 people measured monthly (binomial noise), one with two shocks.
Without ``Rscript`` and minpack.lm the tests are skipped unless R is required
(``READINESS_REQUIRE_R=1`` or ``CI=true``). Each run writes the comparison table to
``out/gbm_r_referee.md`` (one per worker under pytest-xdist: ``out/gbm_r_referee-gw0.md``, ...).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from bench_gbm import ACTION, FIRST, LAUNCH, PEOPLE, PERIODS, M, P, Q
from r_referee import readiness_json, relative_difference, require_r, run_r, write_table

from readiness.fitting import (
    GeneralizedBassModel,
    ShockShape,
    bass_fraction,
    model_for,
    read_observations,
    shock_integral,
)

pytestmark = pytest.mark.full  # runs R

ROOT = Path(__file__).resolve().parents[1]
SERIES_DIR = ROOT / "tests" / "data" / "diffusion"
RTOL = 1e-4


@dataclass(frozen=True)
class Case:
    """One fit refereed: a history, how it is read, its shocks and the starts held."""

    name: str
    file: str  # in tests/data/diffusion, or the name of a simulated division
    kind: str
    unit: str
    shocks: tuple[str, ...]
    starts: tuple[float | None, ...] = ()


CASES = [
    Case("ibm-1-exponential", "ibm_generation_1.csv", "per-period", "count", ("exponential",)),
    Case("ibm-2-rectangular", "ibm_generation_2.csv", "per-period", "count", ("rectangular",)),
    Case(
        "car-stock-oil-crisis",
        "netherlands_car_stock.csv",
        "cumulative",
        "count",
        ("exponential",),
        (1973.79,),
    ),
    Case("division-rectangular", "rectangular", "cumulative", "share", ("rectangular",), (ACTION,)),
    Case(
        "division-two-shocks",
        "two shocks",
        "cumulative",
        "share",
        ("exponential", "rectangular"),
        (ACTION, FIRST + 21.5 / 12),
    ),
]

#: The simulated divisions: the bench's (months, Bass curve, 2,000 people), their shocks as
#: shape, start, b and c, and the seed of their noise (one whose fit has no start or end on a
#: period, where the slope is one-sided and two solvers' standard errors need not agree).
DIVISIONS: dict[str, tuple[list[tuple[ShockShape, float, float, float]], int]] = {
    "rectangular": ([("rectangular", ACTION, ACTION + 0.5, 1.0)], 11),
    "two shocks": (
        [
            ("exponential", ACTION, -2.0, 1.0),
            ("rectangular", FIRST + 21.5 / 12, FIRST + 27.5 / 12, -0.5),
        ],
        2,
    ),
}


def division_csv(name: str, folder: Path) -> Path:
    """A simulated division's monthly active shares, seeded, as a history CSV."""
    shocks, seed = DIVISIONS[name]
    growth = PERIODS - LAUNCH
    for shape, a, b, c in shocks:
        growth = growth + shock_integral(shape, a, b, c, PERIODS)
    truth = M * bass_fraction(growth, P, Q)
    counts = np.random.default_rng(seed).binomial(PEOPLE, truth)
    path = folder / f"{name.replace(' ', '-')}.csv"
    rows = "".join(
        f"{float(x)!r},{int(n) / PEOPLE!r}\n" for x, n in zip(PERIODS, counts, strict=True)
    )
    path.write_text("period,value\n" + rows, encoding="utf-8")
    return path


def readiness_fit(case: Case, path: Path) -> dict[str, Any]:
    """``readiness fit --model gbm`` on the case, its JSON parsed."""
    argv = ["fit", str(path), "--model", "gbm", "--kind", case.kind, "--unit", case.unit]
    argv += ["--shock", ",".join(case.shocks)]
    if case.starts:
        argv += ["--shock-start", ",".join("" if s is None else repr(s) for s in case.starts)]
    argv += ["--horizon", "0", "--format", "json"]
    return readiness_json(argv)


def write_starts(case: Case, path: Path, folder: Path) -> Path:
    """The starting points, bounds and held values of readiness's fit, for R."""
    obs = read_observations(path, kind=case.kind, unit=case.unit)  # type: ignore[arg-type]
    model = model_for("gbm", obs, shocks=case.shocks)  # type: ignore[arg-type]
    assert isinstance(model, GeneralizedBassModel)
    fixed = {f"a{i}": s for i, s in enumerate(case.starts, start=1) if s is not None}
    points = model.starting_points(obs, fixed=fixed)
    held = model.held(obs, fixed)
    lower, upper = model.bounds()
    starts = folder / f"{case.name}.starts.csv"
    with starts.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["parameter", "lower", "upper", "fixed", *(f"start_{j}" for j in range(len(points)))]
        )
        for name, low, high in zip(model.parameters, lower, upper, strict=True):
            factor = obs.scale if name in model.value_parameters else 1.0
            writer.writerow(
                [
                    name,
                    _number(low * factor),
                    _number(high * factor),
                    _number(held[name]) if name in held else "",
                    *(_number(point[name]) for point in points),
                ]
            )
    return starts


def _number(value: float) -> str:
    if np.isinf(value):
        return "Inf" if value > 0 else "-Inf"
    return repr(float(value))


@pytest.fixture(scope="module")
def fits(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[dict[str, Any], Any]]:
    """readiness's and R's fit of every case, by name: one ``Rscript`` run for all of them."""
    require_r("minpack.lm")
    folder = tmp_path_factory.mktemp("gbm_r_referee")
    ours, rows = {}, []
    for case in CASES:
        path = SERIES_DIR / case.file if case.file.endswith(".csv") else None
        path = path or division_csv(case.file, folder)
        ours[case.name] = readiness_fit(case, path)
        starts = write_starts(case, path, folder)
        rows.append([case.name, str(path), case.kind, " ".join(case.shocks), str(starts)])
    cases = folder / "cases.csv"
    with cases.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["name", "file", "kind", "shapes", "starts"])
        writer.writerows(rows)
    theirs = {fit["name"]: fit for fit in run_r("gbm.R", cases)}
    return {name: (ours[name], theirs[name]) for name in ours}


@pytest.fixture(scope="module")
def table() -> Iterator[list[str]]:
    """Rows of the readiness-vs-R table, written to out/gbm_r_referee.md at the end."""
    rows: list[str] = []
    yield rows
    write_table(
        "gbm_r_referee",
        "readiness vs R (minpack.lm::nls.lm): the GBM with shocks",
        "| case | parameter | readiness | R | relative difference | readiness SE | R SE |"
        " relative difference |",
        rows,
    )


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_readiness_agrees_with_r(
    case: Case, fits: dict[str, tuple[dict[str, Any], Any]], table: list[str]
) -> None:
    ours, theirs = fits[case.name]
    assert theirs["converged"], f"R did not converge: {theirs}"
    assert ours["converged"] is True
    assert ours["warnings"] == []
    assert ours["n"] == theirs["n"]
    first = ours["forecast"][0]["period"]
    problems = []
    for name, referee in theirs["parameters"].items():
        mine = ours["parameters"][name]
        shape = case.shocks[int(name[1:]) - 1] if name[0] in "ab" and name[1:].isdigit() else ""
        located = name[0] == "a" or (name[0] == "b" and shape == "rectangular")
        offset = first if located and shape else 0.0
        value_diff = relative_difference(mine["value"] - offset, referee["value"] - offset)
        se_diff = relative_difference(mine["se"], referee["se"])
        table.append(
            f"| {case.name} | {name} | {mine['value']:.8g} | {referee['value']:.8g} |"
            f" {value_diff:.1e} | {mine['se']:.6g} | {referee['se']:.6g} | {se_diff:.1e} |"
        )
        if not value_diff <= RTOL:
            problems.append(f"{name} = {mine['value']!r}, R {referee['value']!r}")
        if not se_diff <= RTOL:
            problems.append(f"SE of {name} = {mine['se']!r}, R {referee['se']!r}")
    held = {name for name, p in ours["parameters"].items() if p["fixed"]}
    assert set(theirs["parameters"]) | held == set(ours["parameters"])
    sse_diff = relative_difference(ours["sse"], theirs["sse"])
    table.append(
        f"| {case.name} | SSE | {ours['sse']:.10g} | {theirs['sse']:.10g} | {sse_diff:.1e} | | | |"
    )
    if not sse_diff <= RTOL:
        problems.append(f"SSE = {ours['sse']!r}, R {theirs['sse']!r}")
    assert not problems, "; ".join(problems)


def test_every_shape_and_two_shocks_are_refereed() -> None:
    shapes = {shape for case in CASES for shape in case.shocks}
    assert shapes == {"exponential", "rectangular"}
    assert any(len(case.shocks) == 2 for case in CASES)
    assert sum(case.file.endswith(".csv") for case in CASES) >= 3  # published series
