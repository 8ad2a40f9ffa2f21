"""The organization's projection: one curve, built once, shown the same on every surface.

Results, Growth scenarios ("Your organization"), the HTML report and ``readiness project
--from`` all call :func:`organization_projection`, so they cannot disagree about where the
organization starts, how fast it grows, when it reaches the material change or which lever
moves that date most.

- Start share: the answer to "what share of staff contributes at least once a month?"
  (``gr_active_share``, percent), else the levers mapping's ``default_start_share`` (said so).
- Start date: the assessment's date, as a decimal year.
- Parameters: the lever mapping in use at the dimension scores: the assumed one
  (``data/levers.yaml``) or one calibrated on the organization's divisions, as the assessment's
  choice says (:func:`readiness.evidence.choice.mapping_in_use`, the one place that decides and
  names it; ``mapping`` holds its name in words); a fitted own
  history, when there is one, is drawn beside it with its own milestones, and its forecast is the
  organization's projection (it is measured, the levers are an assumption).
- Levers: each dimension raised by :data:`~readiness.levers.LEVER_POINTS` points, the same step
  for each (or to the next stage band, on request; :func:`readiness.levers.lever_steps`), ranked
  by how many months earlier the material change is reached. The first is the barrier
  when it scores below the barrier threshold: the same function decides both.

The sentences every surface shows about the projection are built by :mod:`readiness.story`.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from readiness.levers import (
    DEFAULT_BANDS,
    LEVER_POINTS,
    MATERIAL_CHANGE,
    LeverMapping,
    LeverStep,
    barrier,
    lever_bands,
    lever_steps,
    load_levers,
    scenario_from_scores,
    start_share_of,
)
from readiness.projection import Scenario, milestones
from readiness.rules import RuleBook, load_rulebook
from readiness.story import month_year

if TYPE_CHECKING:
    from readiness.evidence.choice import MappingChoice
    from readiness.fitting import FitResult
    from readiness.scoring import Scores

#: Years the organization's curve is drawn and searched for milestones.
HORIZON_YEARS = 15.0
#: Shares whose first crossing every surface reports, besides the material change.
MILESTONE_SHARES = (0.5, 0.8)


def decimal_year(day: dt.date) -> float:
    """A date as a decimal calendar year (1 July 2026 is about 2026.5)."""
    start = dt.date(day.year, 1, 1)
    length = 366 if calendar.isleap(day.year) else 365  # not next 1 January: 9999 has none
    return day.year + (day - start).days / length


@dataclass(frozen=True)
class FittedHistory:
    """An organization's own measured history and the curve fitted to it (shares 0-1).

    ``curve`` has columns ``year`` (decimal), ``fit``, ``low`` and ``high`` (the 80% band);
    ``observed`` has ``year`` and ``share``.
    """

    model: str
    r2: float
    curve: pd.DataFrame
    observed: pd.DataFrame
    #: "history": an uploaded ``period,value`` file; "measured": measured usage exports.
    origin: Literal["history", "measured"] = "history"
    #: What the fit could not establish, in words ("the ceiling is at its bound: this history
    #: does not identify it"); shown wherever the fit is.
    warnings: tuple[str, ...] = ()

    @classmethod
    def from_fit(
        cls,
        result: FitResult,
        horizon: float = 10.0,
        origin: Literal["history", "measured"] = "history",
    ) -> FittedHistory:
        """A fitted curve (:class:`~readiness.fitting.FitResult`, cumulative shares) with its
        80% band ``horizon`` years past the last observation, and what the fit could not
        establish."""
        band = result.uncertainty(result.forecast_periods(horizon), kind="cumulative")
        how = {"bootstrap": "refit bootstrap", "covariance": "parameter covariance"}.get(
            band.method
        )
        label = f"80% band of the {result.model} fit" + (
            f" ({how})" if how else " (none: the fit has no uncertainty estimate)"
        )
        curve = {"year": band.periods, "fit": band.fit, "low": band.low80, "high": band.high80}
        return cls(
            model=result.model,
            r2=result.r2,
            curve=pd.DataFrame({**curve, "label": label}),
            observed=pd.DataFrame({"year": result.observations.x, "share": result.observations.y}),
            origin=origin,
            warnings=tuple(result.warnings),
        )

    @property
    def label(self) -> str:
        """Its name in legends and milestone tables."""
        if self.origin == "measured":
            return f"your measured usage ({self.model} fit)"
        return f"your history ({self.model} fit)"

    def milestone_row(self, material_change: float) -> MilestoneRow:
        shares = milestone_shares(material_change)
        return MilestoneRow(self.label, {s: self.reach_year(s) for s in shares})

    def reach_year(self, share: float) -> float | None:
        """First year the fitted curve reaches ``share`` (linear between points), or None."""
        years = self.curve["year"].to_numpy(dtype=float)
        values = self.curve["fit"].to_numpy(dtype=float)
        above = np.flatnonzero(values >= share)
        if above.size == 0:
            return None
        k = int(above[0])
        if k == 0:
            return float(years[0])
        low, high = values[k - 1], values[k]
        weight = (share - low) / (high - low) if high > low else 1.0
        return float(years[k - 1] + weight * (years[k] - years[k - 1]))


@dataclass(frozen=True)
class MilestoneRow:
    """When one curve reaches the material change and the other milestone shares."""

    curve: str
    reached: dict[float, float | None]  # share 0-1 -> decimal year (None: not within horizon)


def milestone_shares(material_change: float) -> tuple[float, ...]:
    """The shares whose dates are reported: the material change first, then 50% and 80%."""
    return tuple(dict.fromkeys((material_change, *MILESTONE_SHARES)))


def scenario_rows(scenarios: Sequence[Scenario], material_change: float) -> list[MilestoneRow]:
    """Milestone rows of scenarios, from their closed-form crossings."""
    shares = milestone_shares(material_change)
    return [
        MilestoneRow(scenario.label, dict(crossed.crossings))
        for scenario, crossed in zip(
            scenarios, milestones(scenarios, thresholds=shares), strict=True
        )
    ]


def milestone_frame(rows: Sequence[MilestoneRow], material_change: float) -> pd.DataFrame:
    """Milestone rows as a table for people: month and year, columns named in words."""
    columns = {s: f"reaches {s:.0%}" for s in milestone_shares(material_change)}
    columns[material_change] = f"material change ({material_change:.0%})"
    return pd.DataFrame(
        [
            {"curve": row.curve, **{columns[s]: month_year(row.reached.get(s)) for s in columns}}
            for row in rows
        ],
        columns=["curve", *columns.values()],
    )


@dataclass(frozen=True)
class OrganizationProjection:
    """The organization's adoption curve and everything every surface says about it."""

    scenario: Scenario
    source: Literal["levers", "fit"]
    why: str
    start_share: float
    start_year: float
    share_answered: bool
    material_change: float
    steps: tuple[LeverStep, ...]
    barrier: str | None
    fitted: FittedHistory | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)
    #: The lever mapping in use, in words (:func:`readiness.evidence.choice.mapping_in_use`).
    mapping: str = "the assumed mapping (data/levers.yaml)"

    def milestone_rows(self, material_change: float | None = None) -> list[MilestoneRow]:
        """One row for the readiness curve and, with a fitted history, one for the fit."""
        level = self.material_change if material_change is None else material_change
        rows = scenario_rows([self.scenario], level)
        if self.fitted is not None:
            rows.append(self.fitted.milestone_row(level))
        return rows

    def material_change_year(self) -> float | None:
        """When the organization's projection reaches the material change (decimal year)."""
        rows = self.milestone_rows()
        row = rows[-1] if self.source == "fit" else rows[0]
        return row.reached[self.material_change]

    def milestone_frame(self) -> pd.DataFrame:
        """The milestones as a table for people: month and year, columns named in words."""
        return milestone_frame(self.milestone_rows(), self.material_change)

    def as_json(self) -> dict[str, Any]:
        """The projection for the command line and exports (shares 0-1, decimal years)."""
        return {
            "source": self.source,
            "why": self.why,
            "start_share": round(self.start_share, 6),
            "start_year": round(self.start_year, 4),
            "share_answered": self.share_answered,
            "material_change": self.material_change,
            "parameters": {
                "p": round(self.scenario.p or 0.0, 6),
                "q": round(self.scenario.q or 0.0, 6),
                "ceiling": round(self.scenario.ceiling, 6),
            },
            "milestones": [
                {
                    "curve": row.curve,
                    "reached": {
                        f"{share:g}": (None if y is None else round(y, 4))
                        for share, y in row.reached.items()
                    },
                }
                for row in self.milestone_rows()
            ],
            "levers": [
                {
                    "dimension": step.dimension,
                    "score": round(step.score, 2),
                    "raised_score": round(step.raised_score, 2),
                    "months_earlier": None
                    if step.months_earlier is None
                    else round(step.months_earlier, 2),
                    "share_gain_3y": round(step.share_gain, 6),
                }
                for step in self.steps
            ],
            "barrier": self.barrier,
            "mapping": self.mapping,
            "notes": list(self.notes),
        }


def organization_projection(
    dimension_scores: Mapping[str, float | None],
    answers: Mapping[str, Any],
    assessed_on: dt.date,
    *,
    barrier_below: float = 50.0,
    bands: Sequence[float] = DEFAULT_BANDS,
    raise_by: float | None = LEVER_POINTS,
    material_change: float = MATERIAL_CHANGE,
    fitted: FittedHistory | None = None,
    mapping: LeverMapping | None = None,
    mapping_words: str | None = None,
) -> OrganizationProjection:
    """The organization's projection from its dimension scores 0-100 (None: no score), its
    answers and the assessment date; see the module docstring for every choice made.
    ``mapping`` is the lever mapping in use (default ``data/levers.yaml``), ``mapping_words``
    its name in words (:func:`readiness.evidence.choice.mapping_in_use` gives both)."""
    from readiness.evidence.choice import ASSUMED_WORDS

    lever_map = mapping or load_levers()
    words = mapping_words or ASSUMED_WORDS
    share, answered = start_share_of(answers, lever_map)
    start_year = decimal_year(assessed_on)
    built = scenario_from_scores(
        dimension_scores,
        start_year=start_year,
        start_share=share,
        horizon=HORIZON_YEARS,
        step="month",
        mapping=lever_map,
        name="from your readiness",
    )
    steps = lever_steps(
        dimension_scores,
        start_year=start_year,
        start_share=share,
        target=material_change,
        bands=bands,
        raise_by=raise_by,
        mapping=lever_map,
    )
    notes = list(built.notes)
    if not answered:
        notes.append(
            f"no answer to the active-share question: starting from "
            f"{lever_map.default_start_share:.0%}, the mapping's assumption"
        )
    why = (
        "parameters from the readiness levers, an editable assumption"
        if words == ASSUMED_WORDS
        else "parameters from the calibrated lever mapping"
    )
    if fitted is not None:
        what = "your measured usage" if fitted.origin == "measured" else "your own history"
        why = f"{what}, fitted with a {fitted.model} curve (R² {fitted.r2:.2f})"
    return OrganizationProjection(
        scenario=built.scenario,
        source="fit" if fitted is not None else "levers",
        why=why,
        start_share=share,
        start_year=start_year,
        share_answered=answered,
        material_change=material_change,
        steps=tuple(steps),
        barrier=barrier(steps, barrier_below),
        fitted=fitted,
        notes=tuple(notes),
        mapping=words,
    )


def projection_for(
    scores: Scores,
    answers: Mapping[str, Any],
    assessed_on: dt.date,
    *,
    fitted: FittedHistory | None = None,
    rulebook: RuleBook | None = None,
    mapping_choice: MappingChoice | None = None,
) -> OrganizationProjection:
    """:func:`organization_projection` of a scored assessment, with the rulebook's barrier
    threshold and stage bands and the lever mapping ``mapping_choice`` puts in use (None: the
    assumed one): what Results, Growth, the report and the CLI all call."""
    from readiness.evidence.choice import mapping_in_use

    rules = rulebook or load_rulebook()
    mapping, words = mapping_in_use(mapping_choice)
    return organization_projection(
        scores.dimension_scores(),
        answers,
        assessed_on,
        barrier_below=rules.barrier_below,
        bands=lever_bands(rules),
        fitted=fitted,
        mapping=mapping,
        mapping_words=words,
    )
