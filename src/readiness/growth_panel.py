"""What the growth page's scenario panel shows, computed from its controls (no Streamlit here).

The page reruns this panel on every slider move; everything but drawing happens here: the
scenarios, the chart as a Vega-Lite dict (see :func:`readiness.charts.adoption_spec`), the
milestone table, and the levers chart with its caption.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import altair as alt
import pandas as pd

from readiness.charts import adoption_spec, levers_chart
from readiness.dashboard_state import (
    GrowthControls,
    HistoryFit,
    growth_scenarios,
    lever_frame,
    milestone_table,
)
from readiness.levers import rank_levers
from readiness.projection import curves_frame

#: Years ahead at which the levers are compared.
LEVER_HORIZON = 3


@dataclass(frozen=True)
class GrowthView:
    """The scenario chart (None without a valid scenario), its alt text, milestones, notes."""

    notes: list[str]
    spec: dict[str, Any] | None = None
    description: str = ""
    milestones: pd.DataFrame = field(default_factory=pd.DataFrame)


def growth_view(
    controls: GrowthControls,
    readiness: Mapping[str, float | None] | None,
    fit: HistoryFit | None,
    organization: bool,
) -> GrowthView:
    """Scenarios at the market level, or at the organization level with the readiness-derived
    Bass curve and the organization's fitted history (when given)."""
    scenarios, notes = growth_scenarios(controls, readiness if organization else None)
    if not scenarios:
        return GrowthView(notes)
    history = fit if organization else None
    spec, description = adoption_spec(
        curves_frame(scenarios),
        "organization" if organization else "market",
        band=history.band if history is not None else None,
        observed=history.observed if history is not None else None,
        threshold=controls.material_change,
    )
    milestones = milestone_table(scenarios, controls.material_change)
    return GrowthView(notes, spec, description, milestones)


def levers_view(
    readiness: Mapping[str, float | None] | None,
    controls: GrowthControls,
    names: Mapping[str, str],
) -> tuple[alt.Chart, str]:
    """The levers chart (extra share in :data:`LEVER_HORIZON` years per dimension raised by 10
    points) and the caption that says how to read it."""
    impacts = rank_levers(
        readiness or {},
        start_year=controls.start_year,
        start_share=controls.start_share,
        horizon=LEVER_HORIZON,
    )
    chart = levers_chart(
        lever_frame(impacts, names), "points", f"Extra share in {LEVER_HORIZON} years"
    )
    caption = (
        "Each bar raises one dimension by 10 points (percentage points of your people "
        f"adopting within {LEVER_HORIZON} years). The mapping from scores to Bass parameters is "
        "an editable assumption in data/levers.yaml."
        + ("" if readiness else " No answers yet: every dimension counts as 50.")
    )
    return chart, caption
