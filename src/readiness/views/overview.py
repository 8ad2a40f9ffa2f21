"""What the Overview page shows: the published starting point, the AIIM figures by year.

Light on purpose: the first page a person opens loads no pandas, Altair, SciPy or SQLAlchemy.
"""

from __future__ import annotations

from dataclasses import dataclass

from readiness.benchmarks import headline, load_benchmarks

__all__ = ["StartingFigure", "starting_point"]


@dataclass(frozen=True)
class StartingFigure:
    """One year of the starting point: the share of organizations deploying E2.0 tools (text,
    as published: "about 12.5%") and where it comes from (source, sample size, note)."""

    year: int
    value: str
    provenance: str


def starting_point() -> list[StartingFigure]:
    """The AIIM behind-the-firewall figures (about 12.5% in 2008, 25% in 2009), oldest first,
    each with its source, sample size and note in one line."""
    return [
        StartingFigure(b.year, b.display_value, f"{b.source}; n = {b.n}. {b.note}".strip())
        for b in headline(load_benchmarks())
    ]
