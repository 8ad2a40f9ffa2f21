"""Readiness levers: from dimension scores to an adoption curve, and which lever moves it most.

The mapping from dimension scores (0-100) to Bass parameters (``p``, ``q`` per year and the
ceiling as a share 0-1) is an explicit, editable assumption stored in ``data/levers.yaml``.
Each parameter has a range; its value sits in that range at the weighted mean score of the
dimensions that drive it (geometric interpolation for ``scale: log``). These curves describe one
organization (share of its people or divisions using the tools), not the market.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from readiness.errors import InputError, describe_validation_error
from readiness.paths import data_file
from readiness.projection import (
    Scenario,
    Step,
    evaluate,
    milestones,
)
from readiness.rules import RuleBook
from readiness.textfiles import read_yaml_mapping

DimensionId = Literal["grassroots", "support", "tooling"]
DIMENSIONS: tuple[DimensionId, ...] = ("grassroots", "support", "tooling")
ParameterName = Literal["p", "q", "ceiling"]
PARAMETERS: tuple[ParameterName, ...] = ("p", "q", "ceiling")
#: The questionnaire item that gives the organization's current adopted share (percent).
ACTIVE_SHARE_ITEM = "gr_active_share"
#: The share at which work changes in a way people notice (the Growth page's default).
MATERIAL_CHANGE = 0.5
#: The step every dimension is raised by when the levers are compared (points 0-100).
LEVER_POINTS = 10.0
#: The stage bands' lower bounds (``data/stages.yaml``) used as realistic steps when none given.
DEFAULT_BANDS = (25.0, 45.0, 65.0, 82.0)


class ParameterRange(BaseModel):
    """Where a parameter sits at score 0 and at score 100 of its driving dimensions."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    at_0: float = Field(gt=0.0)
    at_100: float = Field(gt=0.0)
    scale: Literal["linear", "log"] = "linear"
    rationale: str = Field(min_length=1)

    def at(self, position: float) -> float:
        """Value at ``position`` 0-1 between ``at_0`` and ``at_100``."""
        if self.scale == "log":
            return math.exp(
                math.log(self.at_0) + position * (math.log(self.at_100) - math.log(self.at_0))
            )
        return self.at_0 + position * (self.at_100 - self.at_0)


class LeverLink(BaseModel):
    """One dimension driving one parameter, with its weight and why."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    dimension: DimensionId
    parameter: ParameterName
    weight: float = Field(gt=0.0)
    rationale: str = Field(min_length=1)


class Limiting(BaseModel):
    """The weakest dimension holds every growth rate back (a limiting factor).

    Below ``below`` points, ``p`` and ``q`` are multiplied by ``1 - strength * deficit`` where
    ``deficit = (below - weakest score) / below`` (0 at the threshold, 1 at a score of 0).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    below: float = Field(gt=0.0, le=100.0)
    strength: float = Field(ge=0.0, lt=1.0)
    rationale: str = Field(min_length=1)

    def multiplier(self, weakest: float) -> float:
        """The factor on ``p`` and ``q`` when the weakest dimension scores ``weakest`` 0-100."""
        deficit = min(max((self.below - weakest) / self.below, 0.0), 1.0)
        return 1.0 - self.strength * deficit


class LeverMapping(BaseModel):
    """The documented assumption linking readiness dimensions to Bass parameters."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    source: str = Field(min_length=1)
    neutral_score: float = Field(ge=0.0, le=100.0)
    #: The organization's adopted share 0-1 assumed when its answers do not give one.
    default_start_share: float = Field(default=0.05, gt=0.0, lt=1.0)
    parameters: dict[ParameterName, ParameterRange]
    effects: tuple[LeverLink, ...] = Field(min_length=1)
    limiting: Limiting | None = None

    @model_validator(mode="after")
    def _check_complete(self) -> Self:
        missing = [p for p in PARAMETERS if p not in self.parameters]
        if missing:
            raise ValueError(f"parameters: missing {', '.join(missing)}")
        undriven = [p for p in PARAMETERS if not any(e.parameter == p for e in self.effects)]
        if undriven:
            raise ValueError(f"effects: no dimension drives {', '.join(undriven)}")
        ceiling = self.parameters["ceiling"]
        if max(ceiling.at_0, ceiling.at_100) > 1.0:
            raise ValueError("parameters.ceiling: a ceiling is a share and must be at most 1")
        p = self.parameters["p"]
        if max(p.at_0, p.at_100) > 1.0:
            raise ValueError("parameters.p: p must be at most 1")
        return self

    def drivers(self, parameter: ParameterName) -> tuple[LeverLink, ...]:
        """The links that drive ``parameter``."""
        return tuple(e for e in self.effects if e.parameter == parameter)

    def parameters_for(self, scores: Mapping[DimensionId, float]) -> dict[ParameterName, float]:
        """Parameter values for complete scores 0-100 (every dimension present)."""
        out: dict[ParameterName, float] = {}
        for name in PARAMETERS:
            links = self.drivers(name)
            total = sum(e.weight for e in links)
            position = sum(e.weight * scores[e.dimension] for e in links) / (100.0 * total)
            out[name] = self.parameters[name].at(min(max(position, 0.0), 1.0))
        if self.limiting is not None:
            factor = self.limiting.multiplier(min(scores[d] for d in DIMENSIONS))
            out["p"] *= factor
            out["q"] *= factor
        return out


def load_levers(path: Path | None = None) -> LeverMapping:
    """The lever mapping from ``data/levers.yaml`` (or ``path``), validated (read once)."""
    return _load_levers(path or data_file("levers.yaml"))


@cache
def _load_levers(source: Path) -> LeverMapping:
    data = read_yaml_mapping(source)
    try:
        return LeverMapping.model_validate(data)
    except ValidationError as error:
        raise InputError(describe_validation_error(error, str(source), data)) from None


def _complete_scores(
    scores: Mapping[str, float | None], neutral: float
) -> tuple[dict[DimensionId, float], list[DimensionId]]:
    unknown = sorted(set(scores) - set(DIMENSIONS))
    if unknown:
        raise InputError(
            f"unknown dimension(s) {', '.join(unknown)}; expected {', '.join(DIMENSIONS)}"
        )
    used: dict[DimensionId, float] = {}
    defaulted: list[DimensionId] = []
    for dim in DIMENSIONS:
        value = scores.get(dim)
        if value is None or (isinstance(value, float) and math.isnan(value)):
            used[dim] = neutral
            defaulted.append(dim)
            continue
        if not 0.0 <= value <= 100.0:
            raise InputError(f"score of {dim} must be between 0 and 100 (got {value:g})")
        used[dim] = float(value)
    return used, defaulted


class LeverScenario(BaseModel):
    """An organization's Bass scenario built from its scores, with what was assumed."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    scenario: Scenario
    scores_used: dict[DimensionId, float]
    defaulted: tuple[DimensionId, ...] = Field(
        description="dimensions without a score, counted at the neutral score"
    )
    notes: tuple[str, ...]


def _scenario(
    mapping: LeverMapping,
    used: Mapping[DimensionId, float],
    start_year: float,
    start_share: float,
    horizon: float,
    step: Step,
    name: str,
) -> tuple[Scenario, list[str]]:
    params = mapping.parameters_for(used)
    notes: list[str] = []
    ceiling = params["ceiling"]
    if ceiling < start_share:
        notes.append(
            f"the ceiling implied by tooling ({ceiling:.0%}) is below the current share"
            f" ({start_share:.0%}); the ceiling is set to the current share"
        )
        ceiling = start_share
    scenario = Scenario(
        model="bass",
        name=name,
        start_year=start_year,
        start_share=start_share,
        ceiling=ceiling,
        horizon=horizon,
        step=step,
        p=params["p"],
        q=params["q"],
    )
    return scenario, notes


def scenario_from_scores(
    scores: Mapping[str, float | None],
    *,
    start_year: float,
    start_share: float,
    horizon: float = 10.0,
    step: Step = "year",
    mapping: LeverMapping | None = None,
    name: str = "from readiness scores",
) -> LeverScenario:
    """A Bass scenario for one organization from its dimension scores (0-100, or None).

    ``start_share`` is the organization's current adopted share 0-1 in ``start_year``;
    ``horizon`` is in years. Missing or None scores count as the mapping's neutral score and
    are listed in ``defaulted`` and ``notes``.
    """
    lever_map = mapping or load_levers()
    used, defaulted = _complete_scores(scores, lever_map.neutral_score)
    scenario, notes = _scenario(lever_map, used, start_year, start_share, horizon, step, name)
    if defaulted:
        notes.insert(
            0,
            f"no score for {', '.join(defaulted)} (insufficient data): counted as the neutral"
            f" score {lever_map.neutral_score:g}",
        )
    return LeverScenario(
        scenario=scenario, scores_used=used, defaulted=tuple(defaulted), notes=tuple(notes)
    )


#: Years ahead within which the step comparison looks for the target share.
LONG_RUN_YEARS = 60.0
#: Years ahead at which a step's extra share is compared when the target is out of reach.
SHARE_GAIN_YEARS = 3.0


class LeverStep(BaseModel):
    """One realistic step for one dimension and when it brings the target share.

    Shares are 0-1; years are calendar years (fractional). ``base_year`` and ``raised_year`` are
    when ``target`` is reached without and with the step (None: not within
    :data:`LONG_RUN_YEARS`); ``months_earlier`` is their difference in months (None unless both
    reach it). ``share_gain`` is the extra share :data:`SHARE_GAIN_YEARS` years ahead.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    dimension: DimensionId
    score: float
    raised_score: float
    target: float
    base_year: float | None
    raised_year: float | None
    months_earlier: float | None
    share_gain: float
    defaulted: bool

    @property
    def brings_in_reach(self) -> bool:
        """The target is out of reach without the step and reached with it."""
        return self.base_year is None and self.raised_year is not None

    def rank_key(self) -> tuple[int, float, float]:
        """Larger is better: in reach first, then months earlier, then extra share."""
        reach = 2 if self.brings_in_reach else (1 if self.months_earlier is not None else 0)
        # rounded: the ranking must not depend on the start year's floating-point noise
        return (reach, round(self.months_earlier or 0.0, 6), round(self.share_gain, 9))


def next_band(score: float, bands: Sequence[float], raise_by: float | None = None) -> float:
    """The realistic next step for a dimension scoring ``score`` 0-100: the next stage band's
    lower bound above it, or ``raise_by`` points when given (both capped at 100)."""
    if raise_by is not None:
        return min(100.0, score + raise_by)
    above = [band for band in sorted(bands) if band > score]
    return float(above[0]) if above else 100.0


def _reach_year(scenario: Scenario, target: float) -> float | None:
    [crossed] = milestones([scenario], thresholds=(target,))
    return crossed.crossings[target]


def lever_steps(
    scores: Mapping[str, float | None],
    *,
    start_year: float,
    start_share: float,
    target: float = MATERIAL_CHANGE,
    bands: Sequence[float] = DEFAULT_BANDS,
    raise_by: float | None = None,
    mapping: LeverMapping | None = None,
) -> list[LeverStep]:
    """Each dimension raised by one realistic step (:func:`next_band`), best first.

    Best means: brings the ``target`` share (0-1, the material change) within reach, else
    reaches it the most months earlier, else adds the most share in :data:`SHARE_GAIN_YEARS`
    years. The first step is the organization's top lever; the Results page calls its
    dimension the barrier (:func:`barrier`), so the two pages cannot disagree.
    """
    lever_map = mapping or load_levers()
    used, defaulted = _complete_scores(scores, lever_map.neutral_score)
    variants: list[dict[DimensionId, float]] = [dict(used)]
    for dim in DIMENSIONS:
        variants.append({**used, dim: next_band(used[dim], bands, raise_by)})
    scenarios = [
        _scenario(lever_map, v, start_year, start_share, LONG_RUN_YEARS, "year", "")[0]
        for v in variants
    ]
    at_gain = evaluate(scenarios, [start_year + SHARE_GAIN_YEARS]).shares[:, 0]
    years = [_reach_year(scenario, target) for scenario in scenarios]
    steps: list[LeverStep] = []
    for i, dim in enumerate(DIMENSIONS, start=1):
        base, raised = years[0], years[i]
        earlier = None if base is None or raised is None else (base - raised) * 12.0
        steps.append(
            LeverStep(
                dimension=dim,
                score=used[dim],
                raised_score=variants[i][dim],
                target=target,
                base_year=base,
                raised_year=raised,
                months_earlier=earlier,
                share_gain=float(at_gain[i] - at_gain[0]),
                defaulted=dim in defaulted,
            )
        )
    order = {dim: k for k, dim in enumerate(DIMENSIONS)}
    steps.sort(key=lambda step: (tuple(-v for v in step.rank_key()), order[step.dimension]))
    return steps


def barrier(steps: Sequence[LeverStep], below: float) -> DimensionId | None:
    """The dimension holding growth back: the top lever, when it scores below ``below``."""
    if not steps or steps[0].score >= below or steps[0].rank_key() <= (0, 0.0, 0.0):
        return None
    return steps[0].dimension


def start_share_of(answers: Mapping[str, Any], mapping: LeverMapping) -> tuple[float, bool]:
    """The organization's adopted share 0-1 from its answers, and whether an answer gave it."""
    value = answers.get(ACTIVE_SHARE_ITEM)
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        share = min(max(float(value) / 100.0, 0.001), 0.99)
        return share, True
    return mapping.default_start_share, False


def lever_bands(rulebook: RuleBook) -> tuple[float, ...]:
    """The stage bands' lower bounds above 0 (points 0-100): the realistic next steps."""
    return tuple(stage.min for stage in rulebook.stages if stage.min > 0)


#: Any start year gives the same lever ranking (months earlier and extra share do not depend on
#: the calendar); scoring ranks at this one, the projection at the assessment's date.
LEVER_REFERENCE_YEAR = 2000.0


def biggest_lever(
    dimension_scores: Mapping[str, float | None],
    answers: Mapping[str, Any],
    rulebook: RuleBook,
    mapping: LeverMapping | None = None,
) -> tuple[str | None, bool]:
    """The biggest lever and whether it is a barrier (it scores below the threshold), ranked
    exactly as the organization's projection ranks them
    (:func:`readiness.organization.projection_for`); ``(None, False)`` without any dimension
    score."""
    if all(score is None for score in dimension_scores.values()):
        return None, False
    lever_map = mapping or load_levers()
    share, _ = start_share_of(answers, lever_map)
    steps = lever_steps(
        dimension_scores,
        start_year=LEVER_REFERENCE_YEAR,
        start_share=share,
        target=MATERIAL_CHANGE,
        bands=lever_bands(rulebook),
        raise_by=LEVER_POINTS,
        mapping=lever_map,
    )
    return steps[0].dimension, barrier(steps, rulebook.barrier_below) is not None


__all__ = [
    "DIMENSIONS",
    "LeverMapping",
    "LeverScenario",
    "LeverStep",
    "barrier",
    "biggest_lever",
    "lever_steps",
    "load_levers",
    "scenario_from_scores",
    "start_share_of",
]
