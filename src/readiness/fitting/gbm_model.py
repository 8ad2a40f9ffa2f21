"""The Generalized Bass Model with shocks (Bass, Krishnan and Jain 1994), in the form the R package
DIMORA fits: the adoption hazard ``p + q F`` is multiplied by ``x(t) = 1 + shocks``, so the
cumulative curve is the Bass curve at ``X``, the integral of ``x`` since launch, in place of the
years since launch ``s``::

    F(x) = m (1 - e^(-(p+q)X)) / (1 + (q/p) e^(-(p+q)X)),   X = s + the shocks' integrals

Each shock ``i`` has a start ``a_i`` (decimal year), a shape and an effect ``c_i`` (either sign;
``c = 1`` doubles the growth while it lasts, ``c = -1`` stops it):

- rectangular (a campaign): ``x = 1 + c`` from ``a`` to the end ``b`` (decimal year), whose
  integral adds ``c (min(t, b) - a)`` from ``a`` on;
- exponential (a launch that fades): ``x = 1 + c e^(b (t - a))`` from ``a`` on, ``b`` per year
  (below 0 the effect fades), whose integral adds ``c (e^(b (t - a)) - 1) / b`` (``c (t - a)``
  as ``b -> 0``); where a slowing effect that grows (``c < 0 < b``) would make ``x`` negative,
  ``x`` is 0 instead: growth stops, adoption does not turn back.

A fit starts from the plain Bass fit (the same curve with every effect held at 0), so it is
never worse than Bass. A start or a rectangular shock's end puts a kink in the cost at every
period, so where one is estimated the cost is first profiled over places spread over the history
(each held), and the best profiles are freed; a solution left on a period is moved off it while
that lowers the cost. :func:`compare_with_bass` says whether the shocks are supported against
the plain fit (AIC, an F test of the nested least-squares models and a likelihood ratio), or
that it is too early to tell.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Mapping, Sequence
from typing import ClassVar, Literal

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, ConfigDict

from readiness.errors import InputError
from readiness.fitting.bass_model import BassModel, bass_fraction
from readiness.fitting.curve_model import CEILING_STARTS, CurveModel, Estimate, Params
from readiness.fitting.model_names import MAX_SHOCKS, SHOCK_SHAPES, FitModelName, ShockShape
from readiness.fitting.observations import FloatArray, Kind, Observations
from readiness.fitting.result import FitParameter, FitResult

#: Bounds of a shock's effect ``c``: growth stopped (-1) to 50 times faster.
EFFECT_BOUNDS = (-1.0, 50.0)
#: An exponential shock's rate ``b`` fades by at most this many e-folds per period (faster is
#: a jump no history can tell from a shorter one) and rises by at most this many over the history.
FADE_LIMIT = 3.0
RISE_LIMIT = 5.0
#: The effects a fit starts the shocks at, beside none: small, of either sign.
EFFECT_STARTS = (0.5, -0.3)
#: Starts tried for an estimated shock start, spread over the history (fewer per shock when
#: several are estimated: every combination is screened).
START_GRID = 8
#: A rectangular shock's ends tried, as fractions of the time from its start to the last period.
END_FRACTIONS = (0.15, 0.35, 0.65, 1.0)
#: Starting points refined by least squares with every shock's start held (the plain Bass
#: solution, and a small effect of either sign): all of them, as a good fit is no reason to stop.
REFINED_STARTS = 3
#: Profiles over the shocks' starts whose solutions are refined with the starts freed.
PROFILES_FREED = 2
#: The most evaluations of the curve one refinement may take.
EVALUATIONS = 2000
#: Relative tolerance and most evaluations of a profile over the shocks' starts: enough to rank
#: the starts.
PROFILE_TOLERANCE = 1e-6
PROFILE_EVALUATIONS = 100
#: A start or end this close (relative) to a period sits on the cost's kink there; a fit moves
#: it off at most this many times.
ON_KINK = 1e-8
KINK_ROUNDS = 3
#: Observations needed after each shock's start before its effect can be judged.
MIN_AFTER_START = 4
#: The shock model is supported when its AIC, with each change point counted as
#: :data:`CHANGE_POINT_PARAMETERS` parameters, is lower than plain Bass's by more than this (as
#: models within 2 AIC are not ranked) and the F test rejects plain Bass at this level.
SUPPORTED_AIC = 2.0
SUPPORTED_P = 0.05
#: A change point (an estimated start, a rectangular shock's end) is not identified without an
#: effect, and searching for it fits noise: in a Gaussian model its AIC penalty is three times a
#: regular parameter's (Ninomiya 2005, Statistics & Probability Letters 72, 237-247).
CHANGE_POINT_PARAMETERS = 3

Verdict = Literal["supported", "not supported", "too early to tell"]


def shock_names(number: int) -> tuple[str, str, str]:
    """The parameter names of shock ``number`` (from 1): start ``a``, ``b``, effect ``c``."""
    return f"a{number}", f"b{number}", f"c{number}"


def _exponential_integral(rate: FloatArray, since: FloatArray) -> FloatArray:
    """``(e^(rate since) - 1) / rate``, and ``since`` at rate 0, accurate near it."""
    product = rate * since
    small = np.abs(product) < 1e-8  # where rate is 0, too
    with np.errstate(over="ignore"):
        ratio = np.expm1(product) / np.where(small, 1.0, rate)
    return np.asarray(np.where(small, since * (1.0 + 0.5 * product), ratio), dtype=np.float64)


def shock_integral(
    shape: ShockShape, a: npt.ArrayLike, b: npt.ArrayLike, c: npt.ArrayLike, x: npt.ArrayLike
) -> FloatArray:
    """What one shock adds to ``X`` at ``x`` (decimal years): the integral of ``x(t) - 1`` from
    its start ``a`` to ``x``; arguments broadcast against each other."""
    a_, b_, c_, x_ = (np.asarray(v, dtype=np.float64) for v in (a, b, c, x))
    if shape == "rectangular":
        # An end before the start is no campaign at all (not a negative one).
        inside = np.minimum(np.maximum(x_, a_), np.maximum(a_, b_)) - a_
        return np.asarray(c_ * inside, dtype=np.float64)
    since = np.maximum(x_ - a_, 0.0)
    # An effect that slows growth and grows itself (c < 0 < b) would turn x negative, and the
    # cumulative curve down, at ln(-1/c) / b after the start: there growth stops instead.
    turning = (c_ < 0) & (b_ > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        stop = np.where(
            turning, np.log(-1.0 / np.where(turning, c_, -1.0)) / np.where(turning, b_, 1.0), np.inf
        )
    before = np.minimum(since, stop)
    stopped = np.maximum(since - stop, 0.0)
    return np.asarray(c_ * _exponential_integral(b_, before) - stopped, dtype=np.float64)


class GeneralizedBassModel(CurveModel):
    """The Bass model with one to three ``shocks`` (shapes in the order of their starts):
    innovation ``p`` and imitation ``q`` per year, ceiling ``m``, the Bass curve's place
    (``f_start`` when ``anchored``, else ``launch``, as :class:`BassModel`), then per shock ``i``
    its start ``a_i``, ``b_i`` (a rectangular shock's end, an exponential one's rate per year)
    and effect ``c_i``. Starts are within the history, so the curve's place at the first period
    is the plain Bass curve's."""

    name: ClassVar[FitModelName] = "gbm"
    value_parameters: ClassVar[frozenset[str]] = BassModel.value_parameters

    def __init__(
        self,
        x_first: float,
        x_last: float,
        step: float,
        m_upper: float,
        *,
        anchored: bool,
        shocks: Sequence[ShockShape] = ("exponential",),
    ) -> None:
        super().__init__(x_first, x_last, step, m_upper)
        unknown = [s for s in shocks if s not in SHOCK_SHAPES]
        if unknown:
            raise InputError(
                f"unknown shock shape {unknown[0]!r}: one of {', '.join(SHOCK_SHAPES)}"
            )
        if not 1 <= len(shocks) <= MAX_SHOCKS:
            raise InputError(f"the gbm model takes 1 to {MAX_SHOCKS} shocks (got {len(shocks)})")
        self.bass = BassModel(x_first, x_last, step, m_upper, anchored=anchored)
        self.shocks: tuple[ShockShape, ...] = tuple(shocks)
        self.parameters = self.bass.parameters + tuple(
            name for i in range(1, len(shocks) + 1) for name in shock_names(i)
        )
        described = "; ".join(
            f"shock {i} {shape}: "
            + (
                f"x = 1 + c{i} from a{i} to b{i}"
                if shape == "rectangular"
                else f"x = 1 + c{i} e^(b{i} (t - a{i})) from a{i}"
            )
            for i, shape in enumerate(self.shocks, start=1)
        )
        self.formula = (
            "F(x) = m (1 - e^(-(p+q)X)) / (1 + (q/p) e^(-(p+q)X)), X = x - launch + the"
            f" integral of x(t) - 1 ({described})"
        )
        if anchored:
            self.formula += ", launch placed so that F(x_first) = f_start"

    @property
    def anchored(self) -> bool:
        """Whether the curve is placed by its first value (else by a launch year)."""
        return self.bass.anchored

    def bounds(self) -> tuple[FloatArray, FloatArray]:
        lower, upper = self.bass.bounds()
        shock_lower: list[float] = []
        shock_upper: list[float] = []
        for shape in self.shocks:
            if shape == "rectangular":
                b_range = (self.x_first, self.x_last)
            else:
                b_range = (-FADE_LIMIT / self.step, RISE_LIMIT / self.span)
            shock_lower += [self.x_first, b_range[0], EFFECT_BOUNDS[0]]
            shock_upper += [self.x_last, b_range[1], EFFECT_BOUNDS[1]]
        return np.concatenate([lower, shock_lower]), np.concatenate([upper, shock_upper])

    def starts(
        self, x: FloatArray, f: FloatArray, m_options: Sequence[float]
    ) -> list[dict[str, float]]:
        """The plain Bass curve's starts, every shock without effect (see :meth:`estimate`)."""
        neutral = self.no_effect({})
        return [{**start, **neutral} for start in self.bass.starts(x, f, m_options)]

    def no_effect(self, fixed: Mapping[str, float]) -> dict[str, float]:
        """``fixed`` with every shock held without effect (``c = 0``): the plain Bass curve."""
        held = dict(fixed)
        for i, shape in enumerate(self.shocks, start=1):
            a, b, c = shock_names(i)
            held.setdefault(a, self.x_first)
            held[b] = self.x_last if shape == "rectangular" else -1.0
            held[c] = 0.0
        return held

    def jacobian(
        self,
        x: FloatArray,
        previous: FloatArray,
        kind: Kind,
        fixed: Mapping[str, float],
        upper: FloatArray,
    ) -> Callable[[FloatArray], FloatArray] | str:
        """Every parameter moved in one evaluation: the shocks make the curve cost more than
        the solver's step, and a fit refines many starts."""
        return self.batched_jacobian(x, previous, kind, fixed, upper)

    def start_grid(self, x: FloatArray, fixed: Mapping[str, float]) -> list[dict[str, float]]:
        """The shocks' places a fit profiles: each start not in ``fixed`` at points between
        observations spread over the history (leaving room for the observations a shock needs
        after it; estimated starts in time order), and a rectangular shock's end at a few
        durations; every combination."""
        estimated = [i for i in range(1, len(self.shocks) + 1) if f"a{i}" not in fixed]
        rectangular = self.shocks.count("rectangular")
        # Between observations, where the cost is smooth in a start or an end.
        between = (x[:-1] + x[1:]) / 2
        last = max(len(x) - MIN_AFTER_START - 1, 1)
        size = max(3, START_GRID // max(len(estimated), 1))
        picks = np.unique(np.round(np.linspace(0, last - 1, size)).astype(int))
        grid = [float(between[j]) for j in picks if j < len(between)]
        durations = END_FRACTIONS[:: max(1, rectangular)]  # fewer for several campaigns
        options_per_shock = []
        for i, shape in enumerate(self.shocks, start=1):
            a_name, b_name, _ = shock_names(i)
            options = []
            starts = [fixed[a_name]] if a_name in fixed else grid
            if a_name not in fixed and b_name in fixed:
                # A held end: only starts before it make a campaign at all.
                starts = [a for a in starts if a < fixed[b_name]] or starts
            for a in starts:
                if shape == "exponential" or b_name in fixed:
                    options.append(
                        {a_name: a, **({b_name: fixed[b_name]} if b_name in fixed else {})}
                    )
                    continue
                ends = {a + (self.x_last - a) * f for f in durations}
                # The point between observations nearest each end, after the start.
                ends = {float(between[np.argmin(np.abs(between - e))]) for e in ends}
                options += [{a_name: a, b_name: b} for b in sorted(ends) if b > a]
                if not any(b > a for b in ends):
                    options.append({a_name: a, b_name: self.x_last})
            options_per_shock.append(options)
        grid_points = []
        for combination in itertools.product(*options_per_shock):
            starts = [combination[i - 1][f"a{i}"] for i in estimated]
            if any(later <= earlier for earlier, later in itertools.pairwise(starts)):
                continue
            point: dict[str, float] = {}
            for shock in combination:
                point.update(shock)
            grid_points.append(point)
        return grid_points

    def shock_starts(
        self, bass: Mapping[str, float], places: Mapping[str, float]
    ) -> list[dict[str, float]]:
        """Starting points from the plain Bass fit ``bass`` (scaled units) with every shock at
        its start in ``places`` (``a1``, ...; a rectangular shock's end there too, else halfway
        to the last period) and a small effect of either sign, or none."""
        options_per_shock = []
        for i, shape in enumerate(self.shocks, start=1):
            a_name, b_name, c_name = shock_names(i)
            a = places[a_name]
            rest = max(self.x_last - a, self.step)
            b = a + rest / 2 if shape == "rectangular" else -3.0 / rest
            b = places.get(b_name, b)
            options_per_shock.append([{a_name: a, b_name: b, c_name: c} for c in EFFECT_STARTS])
        combinations = []
        for combination in itertools.product(*options_per_shock):
            start = dict(bass)
            for shock in combination:
                start.update(shock)
            combinations.append(start)
        # The plain Bass solution itself: the fit can only improve on it.
        return [{**bass, **self.no_effect(places)}, *combinations]

    def estimate(
        self,
        x: FloatArray,
        y: FloatArray,
        previous: FloatArray,
        kind: Kind,
        fixed: Mapping[str, float],
        m_options: Sequence[float],
        *,
        starts: Sequence[Mapping[str, float]] | None = None,
        refine: int = REFINED_STARTS,
        good_fit: float = 0.0,
        evaluations: int = EVALUATIONS,
    ) -> Estimate | None:
        """The fit from :meth:`final_starts` (unless ``starts`` are given), every one of them
        refined, then moved off kinks (:meth:`off_kinks`) while that lowers the cost."""
        if starts is None:
            starts = self.final_starts(x, y, previous, kind, fixed, m_options)
            if starts is None:
                return None
            refine = len(starts)
        best = super().estimate(
            x,
            y,
            previous,
            kind,
            fixed,
            m_options,
            starts=starts,
            refine=refine,
            good_fit=good_fit,
            evaluations=evaluations,
        )
        for _ in range(KINK_ROUNDS):
            moved = [] if best is None else self.off_kinks(best, np.union1d(x, previous))
            if best is None or not moved:
                break
            better = super().estimate(
                x,
                y,
                previous,
                kind,
                fixed,
                m_options,
                starts=moved,
                refine=len(moved),
                good_fit=0.0,
                evaluations=evaluations,
            )
            if better is None or not better.sse < best.sse:
                break
            best = better
        return best

    def off_kinks(self, estimate: Estimate, kinks: FloatArray) -> list[dict[str, float]]:
        """Starting points with each free start or rectangular end that sits on a period of
        the history (``kinks``: the cost is not smooth there, and a solver can stop on one)
        moved half a step to either side; none when none sits on one."""
        solution = {
            **estimate.fixed,
            **dict(zip(estimate.free, estimate.theta.tolist(), strict=True)),
        }
        places = [f"a{i}" for i in range(1, len(self.shocks) + 1)]
        places += [f"b{i}" for i, s in enumerate(self.shocks, start=1) if s == "rectangular"]
        moved = []
        for name in places:
            if name not in estimate.free:
                continue
            value = solution[name]
            nearest = kinks[np.argmin(np.abs(kinks - value))]
            if abs(value - nearest) <= ON_KINK * max(1.0, abs(nearest)):
                moved += [{**solution, name: nearest + side * self.step / 2} for side in (-1, 1)]
        return moved

    def final_starts(
        self,
        x: FloatArray,
        y: FloatArray,
        previous: FloatArray,
        kind: Kind,
        fixed: Mapping[str, float],
        m_options: Sequence[float],
    ) -> list[dict[str, float]] | None:
        """The starting points the fit refines (scaled units), least cost first; ``None`` when
        the plain Bass curve cannot be fitted.

        First the plain Bass fit (every effect held at 0). With every start held and no
        rectangular shock, the shocks start from it with a small effect
        (:meth:`shock_starts`). Otherwise the cost is profiled over the places of
        :meth:`start_grid` (a fit with each held: the cost has a kink at every period, so a free
        start or end wanders between local minima), several estimated starts each again on the
        fine grid, and the best profiles are where the places are freed."""
        plain = self.no_effect(fixed)
        bass = CurveModel.estimate(self, x, y, previous, kind, plain, m_options)
        if bass is None:
            return None
        found = {**plain, **dict(zip(bass.free, bass.theta.tolist(), strict=True))}
        grid = self.start_grid(x, fixed)
        if len(grid) == 1 and set(grid[0]) <= set(fixed):
            free, lower, upper = self.free_bounds(fixed)
            residuals = self.residuals(x, y, previous, kind, fixed)
            candidates = self.shock_starts(found, fixed)
            thetas = self.screened(residuals, candidates, free, lower, upper)[:REFINED_STARTS]
            return [{**fixed, **dict(zip(free, t.tolist(), strict=True))} for t in thetas]
        profiles = self.profiles(x, y, previous, kind, fixed, grid, found)
        estimated = [i for i in range(1, len(self.shocks) + 1) if f"a{i}" not in fixed]
        if len(estimated) > 1 and profiles:
            # The grid of several starts is coarse: each start again on the fine grid, the
            # others' places held where the best profile put them.
            for i in estimated:
                best = profiles[0][1]
                others = {
                    name: best[name]
                    for j, shape in enumerate(self.shocks, start=1)
                    if j != i
                    for name in shock_names(j)[: 2 if shape == "rectangular" else 1]
                }
                held = {**fixed, **others}
                # In time order still: between the shocks before and after it.
                earlier = [best[f"a{j}"] for j in range(1, i)]
                later = [best[f"a{j}"] for j in range(i + 1, len(self.shocks) + 1)]
                low, high = max(earlier, default=-math.inf), min(later, default=math.inf)
                grid = [g for g in self.start_grid(x, held) if low < g[f"a{i}"] < high]
                profiles += self.profiles(x, y, previous, kind, held, grid, found)
                profiles.sort(key=lambda p: p[0])
        return [start for _, start in profiles[:PROFILES_FREED]] or None

    def profiles(
        self,
        x: FloatArray,
        y: FloatArray,
        previous: FloatArray,
        kind: Kind,
        fixed: Mapping[str, float],
        grid: Sequence[Mapping[str, float]],
        bass: Mapping[str, float],
    ) -> list[tuple[float, dict[str, float]]]:
        """:meth:`profile` at every place of ``grid``, least sum of squares first."""
        found = []
        for place in grid:
            profile = self.profile(x, y, previous, kind, {**fixed, **place}, bass)
            if profile is not None:
                found.append(profile)
        return sorted(found, key=lambda p: p[0])

    def profile(
        self,
        x: FloatArray,
        y: FloatArray,
        previous: FloatArray,
        kind: Kind,
        held: Mapping[str, float],
        bass: Mapping[str, float],
    ) -> tuple[float, dict[str, float]] | None:
        """The sum of squares and solution (scaled units) with the parameters in ``held``
        (every shock's start among them) held, from the plain Bass fit ``bass`` with a small
        shock: to a tolerance that ranks starts, not to the fit's."""
        from scipy.optimize import least_squares

        free, lower, upper = self.free_bounds(held)
        residuals = self.residuals(x, y, previous, kind, held)
        theta0 = self.screened(residuals, self.shock_starts(bass, held), free, lower, upper)[0]
        try:
            with np.errstate(all="ignore"):
                res = least_squares(
                    residuals,
                    theta0,
                    jac=self.jacobian(x, previous, kind, held, upper),
                    bounds=(lower, upper),
                    method="trf",
                    x_scale="jac",
                    ftol=PROFILE_TOLERANCE,
                    xtol=PROFILE_TOLERANCE,
                    gtol=PROFILE_TOLERANCE,
                    max_nfev=PROFILE_EVALUATIONS,
                )
        except ValueError:
            return None
        if not np.isfinite(res.cost):
            return None
        return 2 * float(res.cost), {**held, **dict(zip(free, res.x.tolist(), strict=True))}

    def starting_points(
        self,
        obs: Observations,
        *,
        ceiling: float | None = None,
        fixed: Mapping[str, float] | None = None,
    ) -> list[dict[str, float]]:
        """The starting points a fit of ``obs`` refines (:meth:`final_starts`) in the history's
        values, with ``ceiling`` and ``fixed`` as :meth:`fit` takes them: what another
        implementation starts from to reach the same fit."""
        scale = obs.scale
        held = self.held(obs, {**(fixed or {}), **({} if ceiling is None else {"m": ceiling})})
        scaled = {k: v / scale if k in self.value_parameters else v for k, v in held.items()}
        m_options = (
            [scaled["m"]]
            if "m" in scaled
            else sorted({min(self.m_upper, f) for f in CEILING_STARTS})
        )
        starts = self.final_starts(obs.x, obs.y / scale, obs.previous, obs.kind, scaled, m_options)
        return [
            {k: v * scale if k in self.value_parameters else v for k, v in start.items()}
            for start in starts or []
        ]

    def held(self, obs: Observations, fixed: Mapping[str, float]) -> dict[str, float]:
        return self.bass.held(obs, fixed)

    def notes(self, obs: Observations, params: Mapping[str, FitParameter]) -> list[str]:
        """A start or end fitted onto a period of the history: the cost has a kink there, so
        its standard error (and those of the others) rests on a one-sided slope."""
        kinks = np.union1d(obs.x, obs.previous)
        places = [f"a{i}" for i in range(1, len(self.shocks) + 1)]
        places += [f"b{i}" for i, s in enumerate(self.shocks, start=1) if s == "rectangular"]
        found = []
        for name in places:
            p = params[name]
            nearest = kinks[np.argmin(np.abs(kinks - p.value))]
            if not p.fixed and abs(p.value - nearest) <= ON_KINK * max(1.0, abs(nearest)):
                found.append(
                    f"the gbm parameter {name} sits on the period {nearest:g}, where the fit's"
                    " slope changes: its standard errors are approximate"
                )
        return found

    def check_held(self, obs: Observations, held: Mapping[str, float]) -> None:
        self.bass.check_held(obs, held)
        problems = []
        for i, shape in enumerate(self.shocks, start=1):
            a_name, b_name, c_name = shock_names(i)
            # A campaign's end is a date like its start; an exponential rate and an effect are
            # what the fit is for.
            if b_name in held and shape != "rectangular":
                problems.append(
                    f"the gbm parameter {b_name} cannot be held (only a start, and a"
                    " rectangular shock's end)"
                )
            if c_name in held:
                problems.append(
                    f"the gbm parameter {c_name} cannot be held (only a start, and a"
                    " rectangular shock's end)"
                )
            start = held.get(a_name)
            if start is not None and not obs.x[0] <= start <= obs.x[-1]:
                problems.append(
                    f"shock {i} starts at {start:g}, outside the history"
                    f" ({obs.x[0]:g} to {obs.x[-1]:g})"
                )
            end = held.get(b_name) if shape == "rectangular" else None
            if end is not None and (
                not math.isfinite(end) or (start is not None and not end > start)
            ):
                problems.append(f"shock {i} ends at {end:g}, not after its start")
        if problems:
            raise InputError(problems)

    def launch_of(self, params: Params) -> FloatArray:
        """The launch year: fixed, or where the anchored curve starts (shocks start later)."""
        return self.bass.launch_of(params)

    def shocks_integral(self, params: Params, x: npt.ArrayLike) -> FloatArray:
        """What the shocks add to ``X`` at ``x`` (years of plain Bass growth)."""
        total = np.zeros(np.shape(x))
        for i, shape in enumerate(self.shocks, start=1):
            a, b, c = (params[name] for name in shock_names(i))
            total = total + shock_integral(shape, a, b, c, x)
        return np.asarray(total, dtype=np.float64)

    def cumulative(self, params: Params, x: npt.ArrayLike) -> FloatArray:
        p, q, m = (np.asarray(params[k], dtype=np.float64) for k in ("p", "q", "m"))
        x_ = np.asarray(x, dtype=np.float64)
        growth = x_ - self.launch_of(params) + self.shocks_integral(params, x_)
        return np.asarray(m * bass_fraction(growth, p, q), dtype=np.float64)

    def without_shocks(self, params: Params, x: npt.ArrayLike) -> FloatArray:
        """The counterfactual: the same curve had no shock happened (every effect 0)."""
        return self.cumulative({**params, **self.no_effect({})}, x)

    def parameter_meanings(self) -> dict[str, str]:
        meanings = {}
        for i, shape in enumerate(self.shocks, start=1):
            a, b, c = shock_names(i)
            meanings[a] = f"shock {i} ({shape}): start, decimal year"
            if shape == "rectangular":
                meanings[b] = f"shock {i}: end, decimal year"
                meanings[c] = f"shock {i}: effect, growth times 1 + {c} from {a} to {b}"
            else:
                meanings[b] = f"shock {i}: rate per year (below 0 the effect fades)"
                meanings[c] = f"shock {i}: effect, growth times 1 + {c} e^({b} (t - {a})) from {a}"
        return meanings


class ShockComparison(BaseModel):
    """The shock model against plain Bass on the same history.

    ``delta_aic`` is the shock model's AIC minus plain Bass's, as R's ``AIC()`` gives them
    (below 0 favours the shocks); ``change_points`` counts the shocks' estimated starts and
    estimated rectangular ends (a held end is a date, not a change point), and
    ``penalised_delta_aic`` adds what counting each as :data:`CHANGE_POINT_PARAMETERS`
    parameters costs. ``f_statistic`` with ``f_df`` degrees of freedom and its ``f_p_value``
    is the F test of the nested least-squares models,
    ``lr_statistic`` and ``lr_p_value`` the likelihood ratio (chi-squared with ``f_df[0]``
    degrees of freedom); both take the change points as regular parameters, so their p-values
    are too small where there are any. ``after_start`` counts the observations after each
    shock's start. ``verdict``: ``supported`` when ``penalised_delta_aic`` is below
    ``-SUPPORTED_AIC`` and the F test's p-value below :data:`SUPPORTED_P`; ``too early to tell``
    with fewer than :data:`MIN_AFTER_START` observations after a start.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    gbm_aic: float
    bass_aic: float
    delta_aic: float
    change_points: int
    penalised_delta_aic: float
    f_statistic: float | None
    f_df: tuple[int, int]
    f_p_value: float | None
    lr_statistic: float
    lr_p_value: float
    after_start: tuple[int, ...]
    verdict: Verdict
    sentence: str


def compare_with_bass(gbm: FitResult, bass: FitResult) -> ShockComparison:
    """Whether the shocks of ``gbm`` are supported against ``bass``, the plain Bass fit of the
    same history with the same ceiling and launch (:class:`ValueError` otherwise)."""
    from scipy.special import chdtrc, fdtrc  # only a comparison needs the distributions

    curve = gbm.curve_model()
    if not isinstance(curve, GeneralizedBassModel) or bass.model != "bass":
        raise ValueError("compare_with_bass takes a gbm fit and a bass fit")
    if gbm.observations != bass.observations:
        raise ValueError("the gbm and bass fits are of different histories")
    n = gbm.n
    extra = len(gbm.free) - len(bass.free)
    dof = n - len(gbm.free)
    # The shock model nests plain Bass (every effect 0): it cannot fit worse, whatever rounding.
    sse_gbm, sse_bass = min(gbm.sse, bass.sse), bass.sse
    f_statistic = f_p = None
    if extra > 0 and dof > 0 and sse_gbm > 0:
        f_statistic = max((sse_bass - sse_gbm) / extra / (sse_gbm / dof), 0.0)
        f_p = float(fdtrc(extra, dof, f_statistic))
    lr = max(n * (math.log(sse_bass) - math.log(sse_gbm)), 0.0) if sse_gbm > 0 else math.inf
    lr_p = float(chdtrc(max(extra, 1), lr))
    x = gbm.observations.x
    starts = [gbm.params[f"a{i}"].value for i in range(1, len(curve.shocks) + 1)]
    after = tuple(int(np.sum(x > a + 1e-9)) for a in starts)
    delta = gbm.aic - bass.aic
    change_points = sum(not gbm.params[f"a{i}"].fixed for i in range(1, len(starts) + 1))
    # A rectangular shock's end is a change point unless it was held (a dated campaign's end).
    change_points += sum(
        shape == "rectangular" and not gbm.params[f"b{i}"].fixed
        for i, shape in enumerate(curve.shocks, start=1)
    )
    penalised = delta + 2 * (CHANGE_POINT_PARAMETERS - 1) * change_points
    tests = f"AIC {delta:+.2f} against plain Bass"
    if change_points:
        tests += f", {penalised:+.2f} with its {change_points} change point" + (
            "s" if change_points > 1 else ""
        )
    if f_statistic is not None and f_p is not None:
        tests += f"; F({extra}, {dof}) = {f_statistic:.3g}, p = {f_p:.3g}"
    verdict: Verdict
    if min(after) < MIN_AFTER_START:
        verdict = "too early to tell"
        fewest = min(after)
        sentence = (
            f"too early to tell: {fewest} observation{'s' if fewest != 1 else ''} after the"
            f" shock's start (at least {MIN_AFTER_START} needed)"
        )
    elif penalised < -SUPPORTED_AIC and f_p is not None and f_p < SUPPORTED_P:
        verdict = "supported"
        sentence = f"the shock model is supported ({tests})"
    else:
        verdict = "not supported"
        sentence = f"the shock model is not supported: plain Bass fits as well ({tests})"
    return ShockComparison(
        gbm_aic=gbm.aic,
        bass_aic=bass.aic,
        delta_aic=delta,
        change_points=change_points,
        penalised_delta_aic=penalised,
        f_statistic=f_statistic,
        f_df=(extra, dof),
        f_p_value=f_p,
        lr_statistic=lr,
        lr_p_value=lr_p,
        after_start=after,
        verdict=verdict,
        sentence=sentence,
    )
