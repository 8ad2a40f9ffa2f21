"""What the growth page's scenario panel shows, computed from its controls (no Streamlit here).

The page reruns this panel on every slider move; everything but drawing happens here: the
scenarios, the chart as a Vega-Lite dict (see :func:`readiness.charts.adoption_spec`), the
milestone table, the seed question answered in words, and the levers chart with its caption.

The organization's own curve is :class:`~readiness.organization.OrganizationProjection`, the
one Results, the report and the command line show: this panel draws it, never rebuilds it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import altair as alt
import pandas as pd

from readiness.charts import adoption_spec, levers_chart
from readiness.dashboard_state import GROWTH_SLIDERS, GrowthControls, growth_scenarios
from readiness.levers import LeverMapping
from readiness.organization import (
    HORIZON_YEARS,
    FittedHistory,
    MilestoneRow,
    OrganizationProjection,
    milestone_frame,
    month_year,
    scenario_rows,
)
from readiness.projection import (
    LITERATURE_P,
    LITERATURE_Q,
    Scenario,
    curves_frame,
    milestones,
)


@dataclass(frozen=True)
class GrowthView:
    """The scenario chart (None without a valid scenario), its alt text, milestones, notes, and
    the seed question answered in words."""

    notes: list[str]
    spec: dict[str, Any] | None = None
    description: str = ""
    milestones: pd.DataFrame = field(default_factory=pd.DataFrame)
    answer: str = ""


def _fitted_curve(fitted: FittedHistory) -> pd.DataFrame:
    """The fitted history as one more curve of the chart (its own legend entry)."""
    return pd.DataFrame(
        {"scenario": fitted.label, "year": fitted.curve["year"], "share": fitted.curve["fit"]}
    )


def growth_view(
    controls: GrowthControls,
    projection: OrganizationProjection | None,
    fitted: FittedHistory | None,
    organization: bool,
    names: Mapping[str, str],
) -> GrowthView:
    """Scenarios at the market level, or at the organization level with the organization's
    projection; a fitted own history is drawn (curve, band, points, milestone row) at either."""
    scenarios, notes = growth_scenarios(controls)
    if not scenarios:
        return GrowthView(notes)
    material = controls.material_change
    rows: list[MilestoneRow] = scenario_rows(scenarios, material)
    curves = [curves_frame(scenarios)]
    if organization and projection is not None:
        curves.append(curves_frame([projection.scenario]))
        rows.extend(scenario_rows([projection.scenario], material))
        notes.extend(projection.notes)
    elif organization:
        notes.append("Answer the questionnaire to add your organization's own curve.")
    if fitted is not None:
        curves.append(_fitted_curve(fitted))
        rows.append(fitted.milestone_row(material))
    spec, description = adoption_spec(
        pd.concat(curves, ignore_index=True),
        "organization" if organization else "market",
        band=fitted.curve if fitted is not None else None,
        observed=fitted.observed if fitted is not None else None,
        threshold=material,
    )
    answer = seed_answer(scenarios, material, projection, names)
    return GrowthView(notes, spec, description, milestone_frame(rows, material), answer)


def seed_answer(
    scenarios: Sequence[Scenario],
    material_change: float,
    projection: OrganizationProjection | None,
    names: Mapping[str, str],
) -> str:
    """ "If it keeps doubling, when does work change, and what raises the growth rate?", answered
    from the scenarios on the chart and, with answers, the organization's projection."""
    sentences = []
    crossed = milestones(scenarios, thresholds=(material_change,))
    for scenario in scenarios:
        if scenario.model == "doubling":
            full = milestones([scenario], thresholds=(scenario.ceiling,))[0]
            everyone = full.crossings[scenario.ceiling]
            sentences.append(
                f"Doubling from {scenario.start_share:.0%} in {scenario.start_year:.0f} reaches "
                + (
                    f"{'everyone' if scenario.ceiling >= 1 else 'its ceiling'} "
                    f"({scenario.ceiling:.0%}) by {month_year(everyone)}"
                    if everyone is not None
                    else "its ceiling only after the horizon"
                )
                + ": a scenario to show, not to believe."
            )
    s_curves = [
        crossing.crossings[material_change]
        for scenario, crossing in zip(scenarios, crossed, strict=True)
        if scenario.model != "doubling"
    ]
    reached = sorted(year for year in s_curves if year is not None)
    if reached:
        span = (
            f"in {month_year(reached[0])}"
            if month_year(reached[0]) == month_year(reached[-1])
            else f"between {month_year(reached[0])} and {month_year(reached[-1])}"
        )
        sentences.append(f"Realistic S-curves reach {material_change:.0%} {span}.")
    elif s_curves:
        sentences.append(f"The S-curves do not reach {material_change:.0%} within the horizon.")
    if projection is not None:
        sentences.append(projection.answer(names))
    return " ".join(sentences)


def levers_view(
    projection: OrganizationProjection | None, names: Mapping[str, str]
) -> tuple[alt.Chart | None, str]:
    """The levers chart (months earlier to the material change per dimension raised by one
    step) and the caption that says how to read it; no chart without answers."""
    if projection is None or not projection.steps:
        return None, "Answer the questionnaire to see which dimension raises growth most."
    steps = projection.steps
    frame = pd.DataFrame(
        {
            "lever": [
                f"{names.get(s.dimension, s.dimension)} {s.score:.0f} to {s.raised_score:.0f}"
                for s in steps
            ],
            "months": [s.months_earlier or 0.0 for s in steps],
        }
    )
    share = f"{projection.material_change:.0%}"
    chart = levers_chart(frame, "months", f"Months earlier to {share} (material change)")
    caption = (
        f"Each bar raises one dimension by {steps[0].raised_score - steps[0].score:.0f} points, "
        f"the others unchanged, and shows how many months earlier your organization reaches "
        f"{share}. {projection.lever_sentence(names)}"
    )
    if any(s.months_earlier is None for s in steps):
        caption += f" A bar at 0: {share} is not reached within the horizon either way."
    return chart, caption


def levers_explained(mapping: LeverMapping) -> list[str]:
    """The assumption linking readiness to growth, in words, one line per part (plain text)."""
    lines = [
        f"{name}: from {r.at_0:g} at a score of 0 to {r.at_100:g} at 100. {r.rationale}"
        for name, r in mapping.parameters.items()
    ]
    lines.extend(
        f"{e.dimension} drives {e.parameter} (weight {e.weight:g}): {e.rationale}"
        for e in mapping.effects
    )
    if mapping.limiting is not None:
        limit = mapping.limiting
        lines.append(
            f"A dimension below {limit.below:g} holds every growth rate back (down to "
            f"{1 - limit.strength:.0%} of it at a score of 0). {limit.rationale}"
        )
    lines.append(f"Sources: {mapping.source}")
    return lines


def sliders_from_projection(projection: OrganizationProjection) -> dict[str, float | int]:
    """Slider values (slider units: percent for shares) that start the comparison scenarios where
    the organization is, with its own Bass parameters; "reset to my organization"."""
    scenario = projection.scenario
    bounds = {s.key: (s.low, s.high) for s in GROWTH_SLIDERS}

    def clip(key: str, value: float) -> float:
        low, high = bounds[key]
        return min(max(value, low), high)

    return {
        "start_share": round(clip("start_share", projection.start_share * 100)),
        "start_year": round(clip("start_year", projection.start_year)),
        "p": round(clip("p", scenario.p or LITERATURE_P), 4),
        "q": round(clip("q", scenario.q or LITERATURE_Q), 2),
        "ceiling": round(clip("ceiling", scenario.ceiling * 100)),
        "horizon": round(clip("horizon", HORIZON_YEARS)),
        "material": round(clip("material", projection.material_change * 100)),
    }
