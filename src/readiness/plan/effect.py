"""A plan's projected effect: the organization's one projection, now with the plan's shocks.

The organization's projection (:class:`~readiness.organization.OrganizationProjection`) is a Bass
curve from the readiness levers. A plan's actions act on it as the shocks of the Generalized
Bass Model (:mod:`readiness.fitting.gbm_model`, the model a fit of measured usage uses): growth
is multiplied by ``x(t) = 1 + the shocks`` while they last, and the with-plan curve solves::

    dF/dt = x(t) (p + q F / m(t)) (m(t) - F)

from the projection's start share at its start year (shares 0-1, decimal years).

Each action, of a kind from ``data/actions.yaml``:

- raises its kind's dimension by ``change`` points (at most to 100) in the organization's
  dimension scores; the lever mapping in use gives ``p'``, ``q'`` and a ceiling ``m'``
  (:meth:`~readiness.levers.LeverMapping.parameters_for`, limiting rule included);
- in scope, growth is multiplied by the ratio of the hazards ``p + q F / m`` at the share ``F``
  the projection has at the action's start: ``c_in = (p' + q' F/m) / (p + q F/m) - 1``, or the
  measured effect when the plan keeps one for the kind (the measured effect then stands for the
  whole effect: no ceiling change is added to it);
- for the organization, ``c = reach * c_in`` (reach: the share of staff in scope);
- a raised ceiling (only tooling raises it) applies as ``m + reach (m' - m)`` from the start on;
- the shock is rectangular from the start to the action's end, or, without an end, the kind's
  shape: rectangular to the end of the horizon, or exponential, fading at the kind's (or the
  measured) half-life.

The equation is solved exactly, not stepped: with ``G(t)`` the integral of ``x`` since the start
(closed form, :func:`~readiness.fitting.gbm_model.shock_integral`), on each stretch of constant
ceiling ``m_k`` from ``t_k`` the curve is the Bass curve ``m_k B(s_k + G(t) - G(t_k))`` with
``s_k`` the Bass time at which the ceiling ``m_k`` has the share reached at ``t_k``. Without a
ceiling change that is the GBM's closed form ``m B(X(t))``; without actions, the projection
itself. Where measured effects that slow growth overlap enough to make ``x`` negative, growth
stops instead (as in the GBM), and ``G`` is integrated on a fine grid.

Actions that start before the assessment act from the start of the projection (a fading one
has faded since its start); actions after the horizon do not move the curve drawn. Each is
said in the notes. The words are :func:`readiness.story.plan_sentence`'s.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from readiness.fitting.bass_model import bass_fraction, bass_years_to
from readiness.fitting.gbm_model import shock_integral
from readiness.fitting.model_names import ShockShape
from readiness.levers import DIMENSIONS, DimensionId, LeverMapping, load_levers
from readiness.organization import (
    MilestoneRow,
    OrganizationProjection,
    decimal_year,
    milestone_frame,
    milestone_shares,
    projection_for,
    scenario_rows,
)
from readiness.plan.kinds import ActionKind, ActionKinds, load_action_kinds
from readiness.plan.model import Plan, PlanAction
from readiness.projection import FloatArray, Scenario, evaluate
from readiness.story import month_year, plan_sentence

if TYPE_CHECKING:
    import pandas as pd

    from readiness.evidence.choice import MappingChoice
    from readiness.organization import FittedHistory
    from readiness.rules import RuleBook
    from readiness.scoring import Scores

#: The milestone a plan is judged by: when half the organization uses the tools.
PLAN_SHARE = 0.5
#: The curves' names, in tables, frames and legends.
WITHOUT = "without the plan"
WITH = "with the plan"
#: Steps per year of the grid on which growth is inverted into dates (and integrated where
#: growth stops): a day's precision on a milestone is far below what the sentences say.
GRID_PER_YEAR = 360

EffectSource = Literal["assumed", "measured"]


@dataclass(frozen=True)
class ActionShock:
    """One action as a shock on the organization's curve.

    ``in_scope_effect`` is ``c_in`` (growth times ``1 + c_in`` for the people in scope),
    ``effect`` the organization-level ``c = reach * c_in``; ``source`` says whether ``c_in`` is
    the kind's assumption or a measured effect. ``start_year`` and ``end_year`` are decimal years
    (``end_year`` None: no end of its own); ``fade_per_year`` the exponential shock's rate ``b``
    per year (below 0; None for a rectangular one); ``ceiling_after`` the organization's ceiling
    (share 0-1) from the start on when the action raises it, else None (the raises of several
    actions add up, to at most 1).
    """

    action: PlanAction
    kind: ActionKind
    in_scope_effect: float
    effect: float
    source: EffectSource
    start_year: float
    end_year: float | None
    fade_per_year: float | None
    ceiling_after: float | None
    label: str

    @property
    def shape(self) -> ShockShape:
        """Rectangular (a campaign, or a lasting change) or exponential (an effect that fades)."""
        return "rectangular" if self.fade_per_year is None else "exponential"


@dataclass(frozen=True)
class PlanEffect:
    """A plan's projected effect on the organization's curve.

    ``years`` is the projection's monthly axis (decimal years), ``without`` and ``with_plan``
    the shares 0-1 on it; ``rows`` the milestones of both curves; ``months_earlier`` how many
    months earlier the plan brings :data:`PLAN_SHARE` (None when either curve does not reach it
    within the horizon); ``contributions`` per action, largest first, how many months earlier
    it alone brings that share (None: not comparable); ``sentence`` and ``notes`` the words
    every surface shows.
    """

    projection: OrganizationProjection
    plan: Plan
    shocks: tuple[ActionShock, ...]
    years: FloatArray
    without: FloatArray
    with_plan: FloatArray
    rows: tuple[MilestoneRow, MilestoneRow]
    months_earlier: float | None
    contributions: tuple[tuple[str, float | None], ...]
    sentence: str
    notes: tuple[str, ...]

    def frame(self) -> pd.DataFrame:
        """Both curves as a long frame: ``year`` (decimal), ``curve`` ("without the plan" or
        "with the plan") and ``share`` (0-1)."""
        import pandas as pd

        n = self.years.size
        return pd.DataFrame(
            {
                "year": np.concatenate([self.years, self.years]),
                "curve": [WITHOUT] * n + [WITH] * n,
                "share": np.concatenate([self.without, self.with_plan]),
            }
        )

    def milestone_frame(self) -> pd.DataFrame:
        """The milestones of both curves as a table for people (month and year)."""
        return milestone_frame(self.rows, self.projection.material_change)

    def as_json(self) -> dict[str, Any]:
        """The effect for the command line and exports (shares 0-1, decimal years, months)."""
        return {
            "sentence": self.sentence,
            "share": PLAN_SHARE,
            "months_earlier": _rounded(self.months_earlier, 2),
            "actions": [
                {
                    "kind": shock.kind.id,
                    "label": shock.label,
                    "start": shock.action.start.isoformat(),
                    "end": None if shock.action.end is None else shock.action.end.isoformat(),
                    "scope": shock.action.scope_text,
                    "reach": round(shock.action.reach, 6),
                    "source": shock.source,
                    "shape": shock.shape,
                    "in_scope_effect": round(shock.in_scope_effect, 6),
                    "effect": round(shock.effect, 6),
                    "start_year": round(shock.start_year, 4),
                    "end_year": _rounded(shock.end_year, 4),
                    "fade_per_year": _rounded(shock.fade_per_year, 6),
                    "ceiling_after": _rounded(shock.ceiling_after, 6),
                }
                for shock in self.shocks
            ],
            "milestones": [
                {
                    "curve": row.curve,
                    "reached": {f"{s:g}": _rounded(y, 4) for s, y in row.reached.items()},
                }
                for row in self.rows
            ],
            "contributions": [
                {"action": label, "months_earlier": _rounded(months, 2)}
                for label, months in self.contributions
            ],
            "curve": [
                {
                    "year": round(float(y), 4),
                    "without": round(float(a), 6),
                    "with": round(float(b), 6),
                }
                for y, a, b in zip(self.years, self.without, self.with_plan, strict=True)
            ],
            "notes": list(self.notes),
        }


def _rounded(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


# --- the curve's solution ----------------------------------------------------------------------


@dataclass(frozen=True)
class _Variant:
    """One set of shocks on the projection: their effects ``c`` (one per shock, 0 for a shock
    left out) and the ceiling's steps ``(year, ceiling)`` in time order."""

    effects: FloatArray
    ceilings: tuple[tuple[float, float], ...]


class _Solution:
    """The projection's curve under sets of shocks (:class:`_Variant`), solved exactly."""

    def __init__(
        self, scenario: Scenario, shapes: Sequence[ShockShape], a: FloatArray, b: FloatArray
    ):
        self.p, self.q = float(scenario.p or 0.0), float(scenario.q or 0.0)
        self.m = scenario.ceiling
        self.start, self.end = scenario.start_year, scenario.end_year
        self.f0 = scenario.start_share
        # Bass time at the start share (infinite when the start share is the ceiling)
        self.s0 = float(bass_years_to(min(self.f0 / self.m, 1.0), self.p, self.q))
        self.shapes, self.a, self.b = tuple(shapes), a, b
        breaks = [*a, *(e for s, e in zip(shapes, b, strict=True) if s == "rectangular")]
        steps = math.ceil((self.end - self.start) * GRID_PER_YEAR)
        grid = np.linspace(self.start, self.end, steps + 1)
        inside = [v for v in breaks if self.start < v < self.end]
        self.grid = np.union1d(grid, inside) if inside else grid
        self._grid_units = self.units(self.grid)

    def units(self, times: FloatArray) -> FloatArray:
        """Each shock's integral of ``x - 1`` since the start, at effect 1: shocks x times."""
        out = np.empty((len(self.shapes), times.size))
        for i, shape in enumerate(self.shapes):
            out[i] = shock_integral(shape, self.a[i], self.b[i], 1.0, times) - shock_integral(
                shape, self.a[i], self.b[i], 1.0, self.start
            )
        return out

    def rates(self, times: FloatArray) -> FloatArray:
        """Each shock's ``x - 1`` at effect 1: shocks x times."""
        out = np.zeros((len(self.shapes), times.size))
        for i, shape in enumerate(self.shapes):
            on = times >= self.a[i]
            if shape == "rectangular":
                out[i] = on & (times < self.b[i])
            else:
                out[i] = np.where(on, np.exp(self.b[i] * np.maximum(times - self.a[i], 0.0)), 0.0)
        return out

    def growth(self, variant: _Variant, times: FloatArray) -> FloatArray:
        """``G``: years of plain Bass growth since the start, at ``times`` (decimal years)."""
        c = variant.effects
        if not np.any(c < 0) or len(self.shapes) == 0:
            return (times - self.start) + c @ self.units(times)
        grid_growth = self._grid_growth(variant)
        return np.asarray(np.interp(times, self.grid, grid_growth), dtype=np.float64)

    def _grid_growth(self, variant: _Variant) -> FloatArray:
        c = variant.effects
        if not np.any(c < 0) or len(self.shapes) == 0:
            return (self.grid - self.start) + c @ self._grid_units
        # growth stops (x = 0) where slowing effects overlap: integrated by the midpoint rule,
        # exact for rectangular shocks, whose ends are points of the grid
        middle = (self.grid[:-1] + self.grid[1:]) / 2
        x = np.maximum(1.0 + c @ self.rates(middle), 0.0)
        return np.concatenate([[0.0], np.cumsum(x * np.diff(self.grid))])

    def _segments(self, variant: _Variant) -> list[tuple[float, float, float, float]]:
        """Each stretch of constant ceiling: (start year, ceiling, Bass time at its start, G at
        its start)."""
        segments = [(self.start, self.m, self.s0, 0.0)]
        share = self.f0
        for year, ceiling in variant.ceilings:
            t0, m0, s0, g0 = segments[-1]
            if year <= t0:
                # raised again at the same moment: the same share, under the higher ceiling
                s = float(bass_years_to(min(share / ceiling, 1.0), self.p, self.q))
                segments[-1] = (t0, ceiling, s, g0)
                continue
            g = float(self.growth(variant, np.array([year]))[0])
            share = m0 * float(bass_fraction(s0 + g - g0, self.p, self.q))
            s = float(bass_years_to(min(share / ceiling, 1.0), self.p, self.q))
            segments.append((year, ceiling, s, g))
        return segments

    def shares(self, variant: _Variant, times: FloatArray) -> FloatArray:
        """Shares 0-1 at ``times`` (decimal years, from the start on)."""
        g = self.growth(variant, times)
        out = np.empty(times.size)
        segments = self._segments(variant)
        starts = np.array([seg[0] for seg in segments])
        which = np.searchsorted(starts, times, side="right") - 1
        which = np.maximum(which, 0)
        for k, (_, ceiling, s, g0) in enumerate(segments):
            mask = which == k
            if np.any(mask):
                out[mask] = ceiling * bass_fraction(s + g[mask] - g0, self.p, self.q)
        top = segments[-1][1]
        return np.clip(out, self.f0, top)

    def reached(self, variant: _Variant, levels: Sequence[float]) -> dict[float, float | None]:
        """The decimal year each share in ``levels`` is first reached (None: not by the end)."""
        segments = self._segments(variant)
        grid_growth = self._grid_growth(variant)
        found: dict[float, float | None] = {}
        for level in levels:
            found[level] = None
            if level <= self.f0:
                found[level] = self.start
                continue
            for k, (_, ceiling, s, g0) in enumerate(segments):
                if level >= ceiling:
                    continue
                needed = float(bass_years_to(level / ceiling, self.p, self.q)) - s + g0
                until = segments[k + 1][3] if k + 1 < len(segments) else grid_growth[-1]
                if k + 1 < len(segments) and needed > until:
                    continue
                if needed <= g0:  # the raise left the share above this level already
                    found[level] = segments[k][0]
                    break
                found[level] = self._year_of(grid_growth, needed)
                break
        return found

    def _year_of(self, grid_growth: FloatArray, growth: float) -> float | None:
        """The first year ``G`` reaches ``growth`` (linear between grid points), None if never."""
        index = int(np.searchsorted(grid_growth, growth, side="left"))
        if index >= grid_growth.size:
            # the last point, within rounding
            return self.end if growth - grid_growth[-1] <= 1e-12 else None
        if index == 0:
            return float(self.grid[0])
        g0, g1 = grid_growth[index - 1], grid_growth[index]
        t0, t1 = self.grid[index - 1], self.grid[index]
        weight = (growth - g0) / (g1 - g0) if g1 > g0 else 1.0
        return float(t0 + weight * (t1 - t0))


# --- the plan's shocks --------------------------------------------------------------------------


def _year(day: dt.date) -> float:
    """A date as a decimal year; the last day there is, too (:func:`decimal_year` looks at the
    next 1 January, which 31 December 9999 does not have)."""
    if day.year < dt.MAXYEAR:
        return decimal_year(day)
    return day.year + (day.timetuple().tm_yday - 1) / 366.0


def _complete(scores: Mapping[str, float | None], neutral: float) -> dict[DimensionId, float]:
    """Every dimension's score 0-100, the mapping's neutral score where there is none."""
    used: dict[DimensionId, float] = {}
    for dimension in DIMENSIONS:
        value = scores.get(dimension)
        missing = value is None or (isinstance(value, float) and math.isnan(value))
        used[dimension] = neutral if missing else min(max(float(value or 0.0), 0.0), 100.0)
    return used


def _labels(actions: Sequence[PlanAction], kinds: ActionKinds) -> list[str]:
    """Each action's label: its kind and scope, and its start when that alone tells them apart."""
    labels = [f"{kinds.get(a.kind).label}, {a.scope_text}" for a in actions]
    return [
        f"{label}, from {action.start.strftime('%b %Y')}" if labels.count(label) > 1 else label
        for label, action in zip(labels, actions, strict=True)
    ]


def _sentence_names(shocks: Sequence[ActionShock]) -> dict[str, str]:
    """The name each action goes by in the sentence: its kind's label, with its start when
    the plan has more than one action of that kind."""
    counts: dict[str, int] = {}
    for shock in shocks:
        counts[shock.kind.id] = counts.get(shock.kind.id, 0) + 1
    return {
        shock.label: shock.kind.label
        if counts[shock.kind.id] == 1
        else f"{shock.kind.label} from {shock.action.start.strftime('%b %Y')}"
        for shock in shocks
    }


def _hazard(p: float, q: float, share: float, ceiling: float) -> float:
    return p + q * share / ceiling


def _shocks(
    projection: OrganizationProjection,
    plan: Plan,
    scores: Mapping[str, float | None],
    mapping: LeverMapping,
    kinds: ActionKinds,
) -> tuple[list[ActionShock], list[str]]:
    scenario = projection.scenario
    start, end, ceiling = scenario.start_year, scenario.end_year, scenario.ceiling
    used = _complete(scores, mapping.neutral_score)
    base = mapping.parameters_for(used)
    starts = [_year(a.start) for a in plan.actions]
    # the share the projection has when each action starts (its start, for one before it)
    at = evaluate([scenario], [min(max(s, start), end) for s in starts]).shares[0] if starts else []
    shocks: list[ActionShock] = []
    notes: list[str] = []
    for action, label, year, share in zip(
        plan.actions, _labels(plan.actions, kinds), starts, at, strict=True
    ):
        kind = kinds.get(action.kind)
        measured = plan.measured.get(kind.id)
        ceiling_after: float | None = None
        source: EffectSource
        if measured is not None:
            c_in, source = measured.effect, "measured"
        else:
            raised = mapping.parameters_for(
                {**used, kind.dimension: min(used[kind.dimension] + kind.change, 100.0)}
            )
            before = _hazard(base["p"], base["q"], float(share), ceiling)
            after = _hazard(raised["p"], raised["q"], float(share), ceiling)
            c_in, source = after / before - 1.0, "assumed"
            # the same floor as the projection's own ceiling: never below the start share
            new_ceiling = max(raised["ceiling"], scenario.start_share)
            if new_ceiling > ceiling + 1e-12:
                ceiling_after = ceiling + action.reach * (new_ceiling - ceiling)
            if abs(c_in) < 1e-12 and ceiling_after is None:
                notes.append(
                    f"{label}: raising {kind.dimension} by {kind.change:g} points changes no"
                    " growth parameter of the lever mapping in use"
                )
        fade: float | None = None
        end_year: float | None = None
        if action.end is not None:
            end_year = _year(action.end)
        elif kind.shape == "exponential":
            half_life = measured.half_life_months if measured is not None else None
            fade = -math.log(2.0) / (half_life / 12.0) if half_life else kind.fade_per_year
        shocks.append(
            ActionShock(
                action=action,
                kind=kind,
                in_scope_effect=float(c_in),
                effect=float(action.reach * c_in),
                source=source,
                start_year=year,
                end_year=end_year,
                fade_per_year=fade,
                ceiling_after=ceiling_after,
                label=label,
            )
        )
        notes.extend(_timing_notes(shocks[-1], start, end, projection.scenario.horizon))
        if measured is not None:
            notes.append(
                f"{label}: the measured effect (growth x{1 + measured.effect:.2f} in scope) is used"
                " in place of the assumed one"
            )
    return shocks, notes


def _timing_notes(shock: ActionShock, start: float, end: float, horizon: float) -> list[str]:
    label, action = shock.label, shock.action
    if shock.end_year is not None and shock.end_year <= start:
        return [
            f"{label} ended on {action.end}, before the assessment: it does not move the projection"
        ]
    if shock.start_year < start:
        faded = " (its effect has faded since it started)" if shock.fade_per_year else ""
        return [
            f"{label} started on {action.start}, before the assessment: it acts from the start of"
            f" the projection, {month_year(start)}{faded}"
        ]
    if shock.start_year >= end:
        return [
            f"{label} starts on {action.start}, after the projection's {horizon:.0f}-year horizon"
            f" ({month_year(end)}): it does not move the curve drawn"
        ]
    return []


def _variant(shocks: Sequence[ActionShock], chosen: Sequence[int], scenario: Scenario) -> _Variant:
    effects = np.zeros(len(shocks))
    steps: list[tuple[float, float]] = []
    for i in chosen:
        shock = shocks[i]
        effects[i] = shock.effect
        if shock.ceiling_after is not None and shock.start_year < scenario.end_year:
            steps.append(
                (max(shock.start_year, scenario.start_year), shock.ceiling_after - scenario.ceiling)
            )
    ceilings: list[tuple[float, float]] = []
    level = scenario.ceiling
    for year, raise_by in sorted(steps):
        level = min(level + raise_by, 1.0)
        ceilings.append((year, level))
    return _Variant(effects=effects, ceilings=tuple(ceilings))


def plan_effect(
    projection: OrganizationProjection,
    plan: Plan,
    scores: Mapping[str, float | None],
    mapping: LeverMapping | None = None,
    kinds: ActionKinds | None = None,
) -> PlanEffect:
    """The plan's projected effect on ``projection`` (its readiness curve), from the
    organization's dimension ``scores`` 0-100 (None: no score, counted as neutral) and the lever
    ``mapping`` in use (default ``data/levers.yaml``); see the module docstring."""
    lever_map = mapping or load_levers()
    known = kinds or load_action_kinds()
    plan.checked(known)
    scenario = projection.scenario
    shocks, notes = _shocks(projection, plan, scores, lever_map, known)
    if projection.source == "fit":
        what = projection.fitted.label if projection.fitted is not None else "the fitted curve"
        notes.insert(
            0,
            "the plan acts on the projection from your readiness (the lever mapping), not on"
            f" {what}",
        )
    shapes: list[ShockShape] = [s.shape for s in shocks]
    a = np.array([s.start_year for s in shocks], dtype=np.float64)
    b = np.array(
        [
            (s.fade_per_year if s.fade_per_year is not None else s.end_year or math.inf)
            for s in shocks
        ],
        dtype=np.float64,
    )
    solution = _Solution(scenario, shapes, a, b)
    years = scenario.years()
    without = evaluate([scenario], years).shares[0]
    everything = _variant(shocks, range(len(shocks)), scenario)
    with_plan = solution.shares(everything, years)
    levels = milestone_shares(projection.material_change)
    without_row = scenario_rows([scenario], projection.material_change)[0]
    without_row = MilestoneRow(WITHOUT, dict(without_row.reached))
    with_row = MilestoneRow(WITH, solution.reached(everything, levels))
    # milestone_shares always holds 50%, whatever the material change
    before = without_row.reached[PLAN_SHARE]
    after = with_row.reached[PLAN_SHARE]
    months = None if before is None or after is None else (before - after) * 12.0
    alone: list[tuple[str, float | None]] = []
    for i, shock in enumerate(shocks):
        year = solution.reached(_variant(shocks, [i], scenario), [PLAN_SHARE])[PLAN_SHARE]
        alone.append(
            (shock.label, None if before is None or year is None else (before - year) * 12.0)
        )
    contributions = tuple(sorted(alone, key=lambda c: (c[1] is None, -(c[1] or 0.0))))
    names = _sentence_names(shocks)
    sentence = plan_sentence(
        actions=len(shocks),
        share=PLAN_SHARE,
        without=before,
        with_plan=after,
        horizon_years=scenario.horizon,
        contributions=[(names[label], m) for label, m in contributions],
        end_shares=(float(without[-1]), float(with_plan[-1])),
    )
    return PlanEffect(
        projection=projection,
        plan=plan,
        shocks=tuple(shocks),
        years=years,
        without=without,
        with_plan=with_plan,
        rows=(without_row, with_row),
        months_earlier=months,
        contributions=contributions,
        sentence=sentence,
        notes=tuple(notes),
    )


def plan_effect_for(
    scores: Scores,
    answers: Mapping[str, Any],
    assessed_on: dt.date,
    plan: Plan,
    *,
    fitted: FittedHistory | None = None,
    rulebook: RuleBook | None = None,
    mapping_choice: MappingChoice | None = None,
) -> PlanEffect:
    """The plan's effect on a scored assessment's projection
    (:func:`readiness.organization.projection_for`) with the lever mapping ``mapping_choice``
    puts in use: what Results, Growth, the report and the command line all call."""
    from readiness.evidence.choice import mapping_in_use

    projection = projection_for(
        scores,
        answers,
        assessed_on,
        fitted=fitted,
        rulebook=rulebook,
        mapping_choice=mapping_choice,
    )
    mapping, _ = mapping_in_use(mapping_choice)
    return plan_effect(projection, plan, scores.dimension_scores(), mapping)
