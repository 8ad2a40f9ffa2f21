"""What the growth scenarios page shows, computed from its sliders (no Streamlit here).

The page reruns its scenario panel on every slider move; everything but drawing happens here:
slider values to scenarios, the chart as a Vega-Lite dict (see
:func:`readiness.charts.adoption_spec`), the milestone table, the seed question answered in
words, the levers chart with its caption, and an uploaded history fitted with its band.

The organization's own curve is :class:`~readiness.organization.OrganizationProjection`, the
one Results, the report and the command line show: this view draws it, never rebuilds it, and
words it with the same sentences (:mod:`readiness.story`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import altair as alt
import pandas as pd

from readiness.charts import adoption_spec, levers_chart
from readiness.fitting import fit_auto, read_history_text, read_observations
from readiness.levers import LeverMapping
from readiness.organization import (
    HORIZON_YEARS,
    FittedHistory,
    OrganizationProjection,
    milestone_frame,
    scenario_rows,
)
from readiness.projection import (
    LITERATURE_P,
    LITERATURE_Q,
    Preset,
    Scenario,
    comparison_scenarios,
    curves_frame,
    milestones,
)
from readiness.story import lever_sentence, month_year, organization_answer
from readiness.textfiles import decode_text

if TYPE_CHECKING:
    from readiness.plan.effect import PlanEffect

# --- growth scenarios: slider values <-> scenarios -------------------------------------------


@dataclass(frozen=True)
class GrowthControls:
    """The growth page's slider values in model units.

    Shares are 0-1 (the sliders show percent), years are calendar years, ``horizon`` is in
    years; ``growth_factor`` is this year's share over last year's, the AIIM reading (25% / 12.5%
    = 2). ``material_change`` is the share at which work changes in a way people notice.
    """

    start_share: float = 0.25
    start_year: int = 2009
    growth_factor: float = 2.0
    p: float = LITERATURE_P
    q: float = LITERATURE_Q
    ceiling: float = 1.0
    horizon: int = 10
    material_change: float = 0.5


@dataclass(frozen=True)
class GrowthSlider:
    """One growth slider, in slider units (percent for shares); ``key`` is also its URL name.

    Integer bounds make an integer slider, float bounds a float one.
    """

    key: str
    label: str
    low: int | float
    high: int | float
    default: int | float
    step: float | None = None
    format: str | None = None
    help: str | None = None


GROWTH_SLIDERS = (
    GrowthSlider("start_share", "Start share (%)", 1, 99, 25),
    GrowthSlider(
        "start_year",
        "Start year",
        1995,
        2035,
        2009,
        help=(
            "The comparison curves start in January of this year. Your organization's own curve "
            "starts at its assessment date: reset to it, the nearest January is chosen."
        ),
    ),
    GrowthSlider(
        "g",
        "Growth factor per year",
        1.05,
        4.0,
        2.0,
        0.05,
        help="This year's share over last year's: 2 is doubling (AIIM: 25% after 12.5%).",
    ),
    GrowthSlider(
        "p",
        "Bass p (innovation)",
        0.001,
        0.1,
        LITERATURE_P,
        0.0005,
        format="%.4f",
        help="External influence per year; the literature mean is 0.03, often below 0.01.",
    ),
    GrowthSlider(
        "q",
        "Bass q (imitation)",
        0.0,
        1.0,
        LITERATURE_Q,
        0.01,
        help="Word of mouth per year; the literature mean is 0.38, usually 0.3-0.5.",
    ),
    GrowthSlider("ceiling", "Ceiling (%)", 5, 100, 100),
    GrowthSlider("horizon", "Horizon (years)", 1, 30, 10),
    GrowthSlider(
        "material",
        "Material change at (%)",
        5,
        100,
        50,
        help="The share at which work changes in a way people notice.",
    ),
)
#: Slider keys (also the URL query parameter names) and their defaults, in slider units.
GROWTH_DEFAULTS: dict[str, float | int] = {s.key: s.default for s in GROWTH_SLIDERS}
_FLOAT_STEP = 0.01  # Streamlit's step for a float slider given none


def on_slider(key: str, value: float) -> float | int:
    """``value`` (slider units) as slider ``key`` shows it: within its bounds and on one of its
    steps. The browser draws a value between two steps at the nearer one, so a value set off the
    steps would be drawn as one thing while the chart used another."""
    slider = next(s for s in GROWTH_SLIDERS if s.key == key)
    value = min(max(value, slider.low), slider.high)
    if isinstance(slider.low, int) and isinstance(slider.high, int):
        return round(value)
    step = slider.step or _FLOAT_STEP
    snapped = slider.low + round((value - slider.low) / step) * step
    return round(min(snapped, slider.high), 6)  # 0.006, not 0.006000000000000001


def controls_from_sliders(values: Mapping[str, Any]) -> GrowthControls:
    """Slider values (percent for shares) to :class:`GrowthControls` (shares 0-1)."""

    def get(key: str) -> float:
        value = values.get(key)
        return float(value) if isinstance(value, int | float) else float(GROWTH_DEFAULTS[key])

    return GrowthControls(
        start_share=get("start_share") / 100,
        start_year=round(get("start_year")),
        growth_factor=get("g"),
        p=get("p"),
        q=get("q"),
        ceiling=get("ceiling") / 100,
        horizon=round(get("horizon")),
        material_change=get("material") / 100,
    )


def sliders_from_preset(preset: Preset) -> dict[str, float | int]:
    """Slider values that reproduce ``preset`` (its growth factor from its earlier point)."""
    values: dict[str, float] = {
        "start_share": preset.start_share * 100,
        "start_year": preset.start_year,
        "ceiling": preset.ceiling * 100,
        "horizon": preset.horizon,
    }
    scenario = preset.scenario()
    if preset.calibrate_from is not None:
        years = preset.start_year - preset.calibrate_from.year
        values["g"] = (preset.start_share / preset.calibrate_from.share) ** (1 / years)
    elif scenario.g is not None:
        values["g"] = scenario.g
    if scenario.p is not None and scenario.q is not None:
        values["p"] = scenario.p
        values["q"] = scenario.q
    return {key: on_slider(key, value) for key, value in values.items()}


def growth_scenarios(controls: GrowthControls) -> tuple[list[Scenario], list[str]]:
    """The comparison scenarios for the sliders' values (see
    :func:`readiness.projection.comparison_scenarios`)."""
    c = controls
    return comparison_scenarios(
        start_share=c.start_share,
        start_year=c.start_year,
        growth_factor=c.growth_factor,
        p=c.p,
        q=c.q,
        ceiling=c.ceiling,
        horizon=c.horizon,
    )


def fit_history(data: bytes, name: str, unit: Literal["percent", "share"]) -> FittedHistory:
    """Read a ``period,value`` CSV (cumulative adoption), fit the best curve, band 10 years on."""
    # The command line's reading and checks: the same message for the same file, named as uploaded
    frame = read_history_text(decode_text(data, name), name)
    result = fit_auto(read_observations(frame, unit=unit, name=name))
    return FittedHistory.from_fit(result, horizon=10.0)


# --- what the chart tells, in words -------------------------------------------------------


@dataclass(frozen=True)
class GrowthStory:
    """What the growth chart tells: its curves (``scenario``, ``year``, ``share``), the
    milestone table in words, the seed question answered, and notes."""

    curves: pd.DataFrame
    milestones: pd.DataFrame
    answer: str
    notes: tuple[str, ...]


def growth_story(
    scenarios: Sequence[Scenario],
    material_change: float,
    projection: OrganizationProjection | None,
    fitted: FittedHistory | None,
    names: Mapping[str, str],
) -> GrowthStory:
    """The comparison ``scenarios`` with the organization's ``projection`` (its own curve, when
    shown) and a ``fitted`` own history (its own legend entry and milestone row), told once for
    the chart, its milestone table and the answer above it."""
    drawn = [*scenarios, *([projection.scenario] if projection is not None else [])]
    rows = scenario_rows(drawn, material_change)
    curves = [curves_frame(drawn)]
    if fitted is not None:
        rows.append(fitted.milestone_row(material_change))
        curves.append(
            pd.DataFrame(
                {
                    "scenario": fitted.label,
                    "year": fitted.curve["year"],
                    "share": fitted.curve["fit"],
                }
            )
        )
    return GrowthStory(
        curves=pd.concat(curves, ignore_index=True),
        milestones=milestone_frame(rows, material_change),
        answer=seed_answer(scenarios, material_change, projection, names),
        notes=(
            *(projection.notes if projection is not None else ()),
            *(f"Your history's fit: {w}" for w in (fitted.warnings if fitted else ())),
        ),
    )


def seed_answer(
    scenarios: Sequence[Scenario],
    material_change: float,
    projection: OrganizationProjection | None,
    names: Mapping[str, str],
) -> str:
    """The seed question ("if it keeps doubling, when does work change, and what raises the
    growth rate?") answered from the scenarios on the chart and, with answers, the
    organization's projection (:func:`readiness.story.organization_answer`)."""
    sentences = []
    ceilings = {s.ceiling for s in scenarios if s.model == "doubling"}
    crossed = milestones(scenarios, thresholds=(material_change, *ceilings))
    for scenario, crossing in zip(scenarios, crossed, strict=True):
        if scenario.model == "doubling":
            everyone = crossing.crossings[scenario.ceiling]
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
        sentences.append(organization_answer(projection, names))
    return " ".join(sentences)


def story_answer(projection: OrganizationProjection | None, names: Mapping[str, str]) -> str:
    """The seed question answered for the page's top: the AIIM story at the sliders' defaults
    (25% in 2009, doubling) and, with answers, the organization's projection and biggest lever."""
    scenarios, _ = growth_scenarios(GrowthControls())
    return seed_answer(scenarios, GrowthControls().material_change, projection, names)


@dataclass(frozen=True)
class GrowthView:
    """The scenario chart (None without a valid scenario), its alt text, milestones, notes, and
    the seed question answered in words."""

    notes: list[str]
    spec: dict[str, Any] | None = None
    description: str = ""
    milestones: pd.DataFrame = field(default_factory=pd.DataFrame)
    answer: str = ""


def growth_view(
    sliders: Mapping[str, Any] | GrowthControls,
    projection: OrganizationProjection | None,
    fitted: FittedHistory | None,
    organization: bool,
    names: Mapping[str, str],
) -> GrowthView:
    """Scenarios at the market level, or at the organization level with the organization's
    projection; a fitted own history is drawn (curve, band, points, milestone row) at either.

    ``sliders``: the sliders' values (slider units, see :func:`controls_from_sliders`) or the
    controls they make. On a slider move: the scenarios (projection), what the chart tells
    (:func:`growth_story`), the chart (charts).
    """
    controls = sliders if isinstance(sliders, GrowthControls) else controls_from_sliders(sliders)
    scenarios, notes = growth_scenarios(controls)
    if not scenarios:
        return GrowthView(notes)
    told = growth_story(
        scenarios, controls.material_change, projection if organization else None, fitted, names
    )
    if organization and projection is None:
        notes.append("Answer the questionnaire to add your organization's own curve.")
    spec, description = adoption_spec(
        told.curves,
        "organization" if organization else "market",
        band=fitted.curve if fitted is not None else None,
        observed=fitted.observed if fitted is not None else None,
        threshold=controls.material_change,
    )
    return GrowthView([*notes, *told.notes], spec, description, told.milestones, told.answer)


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
        f"{share}. {lever_sentence(projection, names)}"
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
    values = {
        "start_share": projection.start_share * 100,
        "start_year": projection.start_year,
        "p": scenario.p or LITERATURE_P,
        "q": scenario.q or LITERATURE_Q,
        "ceiling": scenario.ceiling * 100,
        "horizon": HORIZON_YEARS,
        "material": projection.material_change * 100,
    }
    return {key: on_slider(key, value) for key, value in values.items()}


# --- the plan ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanPanel:
    """The plan's projected effect under the scenarios: the sentence every surface shows, the
    organization's curve without and with the plan, and both curves' milestones."""

    sentence: str
    chart: alt.LayerChart
    milestones: pd.DataFrame


#: What Growth scenarios says, with answers, when the assessment has no plan.
NO_PLAN = "No plan yet: add dated actions on the Plan page to see how they move this curve."


def plan_panel(effect: PlanEffect | None) -> PlanPanel | None:
    """The plan's effect on the organization's projection (the one
    :func:`readiness.plan.effect.plan_effect_for` gives every surface), or None without a plan."""
    if effect is None:
        return None
    from readiness.plan.charts import plan_chart

    return PlanPanel(
        sentence=effect.sentence,
        chart=plan_chart(effect),
        milestones=milestone_frame(effect.rows, effect.projection.material_change),
    )
