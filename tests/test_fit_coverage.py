"""The band coverage benchmark (bench/bench_fit_coverage.py), in a small seeded run."""

from __future__ import annotations

import pytest
from bench_fit_coverage import AHEAD, TRUTHS, Coverage, simulate, table

from readiness.fitting import FitModelName

pytestmark = pytest.mark.full  # long simulations

HISTORIES = 100


@pytest.mark.parametrize("points", [8, 20])
@pytest.mark.parametrize("model", sorted(TRUTHS))
def test_the_bands_cover_the_true_curve_near_their_nominal_rate(
    model: FitModelName, points: int
) -> None:
    cell = simulate(model, points, HISTORIES, seed=0)
    assert cell.refused == 0
    assert cell.checks == HISTORIES * len(AHEAD)
    # 500 correlated checks (5 years ahead of each of 100 histories): wide enough for chance,
    # narrow enough to catch a band that is a point (0) or everything (1).
    assert 0.6 <= cell.coverage80 <= 0.95
    assert 0.85 <= cell.coverage95 <= 1.0
    assert cell.coverage80 <= cell.coverage95


def test_a_simulation_is_reproducible_from_its_seed() -> None:
    first = simulate("logistic", 20, 10, seed=3)
    again = simulate("logistic", 20, 10, seed=3)
    assert (first.coverage80, first.coverage95) == (again.coverage80, again.coverage95)
    assert first.checks == 10 * len(AHEAD)


def test_the_table_has_a_row_per_cell() -> None:
    cell = Coverage("bass", 8, "auto", 10, 1, 45, 0.8, 0.95, 0.01)
    lines = table([cell, cell]).splitlines()
    assert len(lines) == 3
    assert lines[1].split() == ["bass", "8", "auto", "10", "1", "0.800", "0.950", "0.010"]
