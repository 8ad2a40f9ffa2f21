"""What the Overview page shows (readiness.views.overview)."""

from __future__ import annotations

from readiness.views.overview import starting_point


def test_the_starting_point_is_the_aiim_figures_oldest_first_with_their_source() -> None:
    figures = starting_point()
    assert [(f.year, f.value) for f in figures] == [(2008, "about 12.5%"), (2009, "25%")]
    assert all("AIIM" in f.provenance and "n = 789" in f.provenance for f in figures)
