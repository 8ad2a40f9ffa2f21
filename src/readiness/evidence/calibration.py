"""Levers calibrated from the organization's own data: the mapping of ``data/levers.yaml`` is the
prior, the divisions' survey scores and measured monthly active shares are the data.

The numbers calibrated
    For each Bass parameter (``p`` on the log scale, ``q`` and the ceiling linear, as the prior
    says) the mapping is a straight line in the scores: value = base + sum over dimensions of
    effect x score / 100 (on that scale), which is exactly how :class:`~readiness.levers.
    LeverMapping` places a parameter in its range (base = ``at_0``, the effects sum to
    ``at_100 - at_0`` and their shares are the links' weights). The limiting rule's strength is
    calibrated too (its threshold ``below`` is kept). Effects keep the sign of the prior's range
    (a higher score never lowers a parameter the prior says it raises), so the result is a
    :class:`~readiness.levers.LeverMapping` of the same schema, used unchanged downstream.
The method: penalised least squares, all divisions at once
    Each division's months are fitted with the Bass curve its scores give (``m F(t + tau)``,
    ``tau`` the division's own years since launch at its first measured month, at least half a
    month; or fixed by a known ``launch``). A month's residual is on Anscombe's arcsine square
    root of its share (active + 3/8 of roster + 3/4) times ``2 sqrt(roster + 1/2)``: binomial
    noise on it has variance about 1 whatever the share, also in the first months' small
    counts. Two penalties: the prior, each number's distance from the prior's value in units of
    its prior spread (the prior's whole range on that scale, :data:`PRIOR_SPREAD` times;
    :data:`STRENGTH_SPREAD` for the strength), which makes the solution the posterior mode of a
    normal prior; and each division's scores, which may move from the survey's by their
    standard errors (a survey of 25 people measures a score within a few points, and a curve
    fitted to the measured score would otherwise lean on that error). Fitting each division on
    its own first would not do: 24 months of one division rarely identify its ceiling or ``p``
    (its fit stops at a bound), so its "fitted parameters" would be the bounds; the divisions
    pooled through the mapping identify it.
Intervals
    ``t`` standard errors (Student's t on divisions - 1 degrees of freedom, as for
    division-robust intervals) either side: the wider of the curvature's (the posterior's normal
    approximation, prior included, with the residuals' dispersion when above 1) and the
    division-robust sandwich's (months of one division are not independent when it differs from
    the mapping for its own reasons). Each end is then checked on the profile: refitted with
    the number held there, and moved out while the penalised objective rises by less than
    ``t**2`` (young curves trade the ceiling against p along a curved ridge the curvature
    underrates). An interval is cut at the bounds the number must respect. Lever rankings come
    from :data:`DRAWS` mappings drawn from the normal approximation (seeded).
Strong enough to offer
    At least :data:`~readiness.evidence.weights.MIN_UNITS` divisions, a converged fit, and at
    least one number whose 95% interval excludes the prior's value: the data contradict the
    assumption somewhere. Otherwise "your data cannot tell" (or "too few divisions to tell"),
    and the assumed mapping stays.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

from readiness.errors import InputError
from readiness.evidence.drivers import MatchedDivision
from readiness.evidence.weights import MIN_UNITS
from readiness.levers import DIMENSIONS, LeverMapping, LeverStep, lever_steps, load_levers

FloatArray = npt.NDArray[np.float64]
MappingName = Literal["assumed", "calibrated"]
VerdictKind = Literal["too few", "cannot tell", "offer"]

#: The Bass parameters calibrated, in the mapping's order.
CALIBRATED = ("p", "q", "ceiling")
#: Numbers per parameter: its base, then one effect per dimension.
STRIDE = 1 + len(DIMENSIONS)
#: Each number's prior standard deviation, in units of its parameter's prior range on its
#: scale (log p: ln(at_100 / at_0)).
PRIOR_SPREAD = 1.0
#: The limiting strength's prior standard deviation (strength is 0-1).
STRENGTH_SPREAD = 0.5
#: Where a parameter must stay: p (per year) and the ceiling (share) at most 1, q at most 5.
VALUE_BOUNDS = {"p": (1e-6, 1.0), "q": (1e-4, 5.0), "ceiling": (0.01, 1.0)}
STRENGTH_BOUNDS = (0.0, 0.99)
#: A division's curve starts at least this long (years: half a month) before its first
#: measured month's middle, at most :data:`LATEST_START` years.
EARLIEST_START = 1.0 / 24.0
LATEST_START = 50.0
#: Months a division needs for its curve to say anything.
MIN_MONTHS = 6
#: The standard error (points) of a score given without one: held where it is.
EXACT_SCORE = 1e-3
#: Mappings drawn for the lever rankings' intervals.
DRAWS = 400
DEFAULT_SEED = 20000
LEVEL = 0.95
#: Weight of the constraint keeping a parameter's value at score 100 within its bounds.
_CONSTRAINT_WEIGHT = 1e3

METHOD = (
    "Penalised least squares: every division's monthly active shares are fitted at once with"
    " the Bass curve its survey scores give (each score free to move within its standard"
    " error), and each number of the mapping is held near the assumed one (data/levers.yaml)"
    " by a penalty of one prior range; 95% intervals from the fit's curvature or"
    " division-robust, whichever is wider, widened where the fit's profile is flatter."
)


# --- the numbers of a mapping -------------------------------------------------------------------


@dataclass(frozen=True)
class _Layout:
    """Where each number of a mapping sits in the parameter vector, with its prior and bounds.

    Per parameter ``P`` of :data:`CALIBRATED`: ``base`` (the value at every score 0, on P's
    scale) then one effect per dimension of :data:`~readiness.levers.DIMENSIONS` (the change
    from score 0 to 100); then the limiting strength when the prior has a limiting rule."""

    prior: LeverMapping
    mean: FloatArray
    spread: FloatArray
    lower: FloatArray
    upper: FloatArray
    keys: tuple[tuple[str, str | None], ...]  # (parameter or "limiting", dimension or None)
    signs: tuple[float, ...]  # per parameter: +1 when effects raise it, -1 when they lower it

    @property
    def size(self) -> int:
        return len(self.mean)

    @property
    def limited(self) -> bool:
        return self.prior.limiting is not None

    def log_scale(self, parameter: str) -> bool:
        return self.prior.parameters[parameter].scale == "log"  # type: ignore[index]

    def from_scale(self, parameter: str, value: float) -> float:
        return math.exp(value) if self.log_scale(parameter) else value


def _layout(prior: LeverMapping, spread_factor: float = PRIOR_SPREAD) -> _Layout:
    mean: list[float] = []
    spread: list[float] = []
    lower: list[float] = []
    upper: list[float] = []
    keys: list[tuple[str, str | None]] = []
    signs: list[float] = []
    for parameter in CALIBRATED:
        rng = prior.parameters[parameter]  # type: ignore[index]
        log = rng.scale == "log"
        g0, g1 = (math.log(v) if log else v for v in (rng.at_0, rng.at_100))
        span = g1 - g0
        sign = 1.0 if span >= 0 else -1.0
        signs.append(sign)
        sd = spread_factor * (abs(span) if span else (1.0 if log else max(rng.at_0, 0.1)))
        low, high = VALUE_BOUNDS[parameter]
        mean.append(g0)
        spread.append(sd)
        lower.append(math.log(low) if log else low)
        upper.append(math.log(high) if log else high)
        keys.append((parameter, None))
        links = prior.drivers(parameter)  # type: ignore[arg-type]
        total = sum(e.weight for e in links)
        for dimension in DIMENSIONS:
            weight = sum(e.weight for e in links if e.dimension == dimension)
            mean.append(span * weight / total)
            spread.append(sd)
            lower.append(0.0 if sign > 0 else -np.inf)
            upper.append(np.inf if sign > 0 else 0.0)
            keys.append((parameter, dimension))
    if prior.limiting is not None:
        mean.append(prior.limiting.strength)
        spread.append(STRENGTH_SPREAD)
        lower.append(STRENGTH_BOUNDS[0])
        upper.append(STRENGTH_BOUNDS[1])
        keys.append(("limiting", None))
    return _Layout(
        prior,
        np.array(mean),
        np.array(spread),
        np.array(lower),
        np.array(upper),
        tuple(keys),
        tuple(signs),
    )


@dataclass(frozen=True)
class _Values:
    """Each division's p, q and ceiling (``values``, in :data:`CALIBRATED` order), their
    gradients by the numbers (divisions x numbers) and by the division's scores (divisions x
    dimensions)."""

    values: list[FloatArray]
    by_numbers: list[FloatArray]
    by_scores: list[FloatArray]


def _values(layout: _Layout, theta: FloatArray, scores: FloatArray) -> _Values:
    """Each division's p, q and ceiling under ``theta`` (scores: divisions x dimensions,
    0-100), as :meth:`LeverMapping.parameters_for` computes them, with their gradients; values
    are kept within :data:`VALUE_BOUNDS` (gradient 0 where cut)."""
    n, k = len(scores), layout.size
    dims = scores.shape[1]
    x = scores / 100.0
    factor, deficit = np.ones(n), np.zeros(n)
    factor_by_scores = np.zeros((n, dims))
    if layout.prior.limiting is not None:
        below = layout.prior.limiting.below
        raw = (below - scores.min(axis=1)) / below
        deficit = np.clip(raw, 0.0, 1.0)
        factor = 1.0 - theta[-1] * deficit
        inside = (raw > 0.0) & (raw < 1.0)
        weakest = np.argmin(scores, axis=1)
        factor_by_scores[np.flatnonzero(inside), weakest[inside]] = theta[-1] / below
    values, by_numbers, by_scores = [], [], []
    for j, parameter in enumerate(CALIBRATED):
        first = STRIDE * j
        effects = theta[first + 1 : first + STRIDE]
        line = theta[first] + x @ effects
        base = np.exp(line) if layout.log_scale(parameter) else line
        slope = base if layout.log_scale(parameter) else np.ones(n)
        limited = parameter != "ceiling" and layout.limited
        value = base * factor if limited else base
        along = slope * factor if limited else slope
        gradient = np.zeros((n, k))
        gradient[:, first] = along
        gradient[:, first + 1 : first + STRIDE] = along[:, None] * x
        score_gradient = along[:, None] * effects[None, :] / 100.0
        if limited:
            gradient[:, -1] = -base * deficit
            score_gradient += base[:, None] * factor_by_scores
        low, high = VALUE_BOUNDS[parameter]
        cut = (value < low) | (value > high)
        gradient[cut] = 0.0
        score_gradient[cut] = 0.0
        values.append(np.clip(value, low, high))
        by_numbers.append(gradient)
        by_scores.append(score_gradient)
    return _Values(values, by_numbers, by_scores)


def _mapping(layout: _Layout, theta: FloatArray, source: str, note: str) -> LeverMapping:
    """The mapping of ``theta`` in the schema of ``data/levers.yaml`` (links in the prior's order,
    then new ones; a parameter no dimension moves keeps the prior's links over a flat range)."""
    prior = layout.prior
    data = prior.model_dump()
    data["source"] = source
    effects: list[dict[str, object]] = []
    for j, parameter in enumerate(CALIBRATED):
        first = STRIDE * j
        effect = theta[first + 1 : first + STRIDE]
        moving = [
            (d, float(e))
            for d, e in zip(DIMENSIONS, effect, strict=True)
            if e * layout.signs[j] > 1e-12
        ]
        total = sum(e for _, e in moving)
        low, high = VALUE_BOUNDS[parameter]
        at_0 = min(max(layout.from_scale(parameter, float(theta[first])), low), high)
        at_100 = min(max(layout.from_scale(parameter, float(theta[first]) + total), low), high)
        data["parameters"][parameter].update(
            at_0=at_0, at_100=at_100, rationale=f"{note} (assumed: {_range(prior, parameter)})."
        )
        if not moving:
            effects.extend(
                {**link.model_dump(), "rationale": f"{note}: no dimension moves {parameter}."}
                for link in prior.drivers(parameter)  # type: ignore[arg-type]
            )
            continue
        prior_order = [link.dimension for link in prior.drivers(parameter)]  # type: ignore[arg-type]
        moving.sort(key=lambda de: prior_order.index(de[0]) if de[0] in prior_order else 99)
        for dimension, e in moving:
            effects.append(
                {
                    "dimension": dimension,
                    "parameter": parameter,
                    "weight": e / total,
                    "rationale": f"{note}: {dimension} moves {parameter}.",
                }
            )
    data["effects"] = effects
    if prior.limiting is not None and data.get("limiting") is not None:
        data["limiting"]["strength"] = float(theta[-1])
        data["limiting"]["rationale"] = f"{note} (assumed strength {prior.limiting.strength:g})."
    return LeverMapping.model_validate(data)


def _range(mapping: LeverMapping, parameter: str) -> str:
    rng = mapping.parameters[parameter]  # type: ignore[index]
    return f"{rng.at_0:.4g} at 0 to {rng.at_100:.4g} at 100"


# --- the data -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Data:
    names: tuple[str, ...]
    scores: FloatArray  # divisions x dimensions, 0-100
    score_errors: FloatArray  # their standard errors (points)
    division: npt.NDArray[np.intp]  # each month's division
    since_first: FloatArray  # years since the division's first month
    first: FloatArray  # each division's first period (decimal year)
    first_share: FloatArray
    roster: FloatArray  # people employed each month
    target: FloatArray  # Anscombe's arcsine square root of each month's share
    weight: FloatArray  # 2 sqrt(roster + 1/2)


def _usable(
    divisions: Sequence[MatchedDivision],
) -> tuple[list[MatchedDivision], list[tuple[str, str]]]:
    kept, left_out = [], []
    for d in divisions:
        if not len(d.periods) == len(d.shares) == len(d.roster):
            left_out.append((d.name, "its months, shares and roster differ in number"))
            continue
        missing = [dim for dim in DIMENSIONS if d.scores.get(dim) is None]
        months = sum(
            1
            for t, v, r in zip(d.periods, d.shares, d.roster, strict=True)
            if r > 0 and math.isfinite(t) and math.isfinite(v)
        )
        if missing:
            left_out.append((d.name, f"no score for {', '.join(missing)}"))
        elif months < MIN_MONTHS:
            left_out.append(
                (d.name, f"{months} measured months (at least {MIN_MONTHS} are needed)")
            )
        else:
            kept.append(d)
    return kept, left_out


def _data(divisions: Sequence[MatchedDivision]) -> _Data:
    scores = np.array([[float(d.scores[dim] or 0.0) for dim in DIMENSIONS] for d in divisions])
    errors = np.array(
        [[_score_error(d.score_errors.get(dim)) for dim in DIMENSIONS] for d in divisions]
    )
    index, since, target, weight, first, first_share, rosters = [], [], [], [], [], [], []
    for i, d in enumerate(divisions):
        periods = np.asarray(d.periods, dtype=np.float64)
        shares = np.clip(np.asarray(d.shares, dtype=np.float64), 0.0, 1.0)
        roster = np.asarray(d.roster, dtype=np.float64)
        keep = (roster > 0) & np.isfinite(shares) & np.isfinite(periods)
        order = np.argsort(periods[keep], kind="stable")
        periods, shares, roster = periods[keep][order], shares[keep][order], roster[keep][order]
        index.append(np.full(len(periods), i))
        since.append(periods - periods[0])
        rosters.append(roster)
        target.append(np.arcsin(np.sqrt((shares * roster + 0.375) / (roster + 0.75))))
        weight.append(2.0 * np.sqrt(roster + 0.5))
        first.append(periods[0])
        first_share.append(shares[0])
    return _Data(
        names=tuple(d.name for d in divisions),
        scores=scores,
        score_errors=errors,
        division=np.concatenate(index).astype(np.intp),
        since_first=np.concatenate(since),
        first=np.array(first),
        first_share=np.array(first_share),
        roster=np.concatenate(rosters),
        target=np.concatenate(target),
        weight=np.concatenate(weight),
    )


def _score_error(value: float | None) -> float:
    """A score's standard error in points; a score given without one counts as exact."""
    if value is None or not math.isfinite(value) or value <= 0:
        return EXACT_SCORE
    return float(value)


# --- the fit --------------------------------------------------------------------------------


def _bass(s: FloatArray, p: FloatArray, q: FloatArray) -> tuple[FloatArray, ...]:
    """Bass fraction of the ceiling ``s`` years after launch and its derivatives by s, p, q."""
    e = np.exp(-(p + q) * s)
    d = p + q * e
    d2 = d * d
    fraction = p * (1.0 - e) / d
    by_s = p * (p + q) ** 2 * e / d2
    common = p * (p + q) * s * e
    by_p = (q * e * (1.0 - e) + common) / d2
    by_q = (-p * e * (1.0 - e) + common) / d2
    return fraction, by_s, by_p, by_q


@dataclass(frozen=True)
class _Fit:
    theta: FloatArray
    starts: FloatArray  # each division's years since launch at its first month
    model_cov: FloatArray
    robust_cov: FloatArray
    dispersion: float
    converged: bool
    problem: _Problem
    solution: FloatArray  # every unknown: numbers, starts, scores
    lower: FloatArray
    upper: FloatArray


class _Problem:
    """Residuals and their Jacobian for the pooled, penalised fit. The unknowns are the
    mapping's numbers, each division's start (unless the launch is known) and each division's
    scores, which may move within their standard errors (a survey measures them with error)."""

    def __init__(self, layout: _Layout, data: _Data, starts: FloatArray | None) -> None:
        self.layout, self.data = layout, data
        self.fixed_starts = starts
        self.k = layout.size
        self.n = len(data.names)
        self.dims = data.scores.shape[1]
        self.months = len(data.target)
        self.free_starts = 0 if starts is not None else self.n
        self.scale = 1.0

    @property
    def width(self) -> int:
        return int(self.k + self.free_starts + self.n * self.dims)

    def split(self, x: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
        theta = x[: self.k]
        starts = (
            x[self.k : self.k + self.free_starts]
            if self.fixed_starts is None
            else self.fixed_starts
        )
        scores = x[self.k + self.free_starts :].reshape(self.n, self.dims)
        return theta, starts, scores

    def start(self, theta: FloatArray, starts: FloatArray) -> FloatArray:
        parts = [theta] + ([starts] if self.fixed_starts is None else [])
        return np.concatenate([*parts, self.data.scores.ravel()])

    def bounds(self) -> tuple[FloatArray, FloatArray]:
        layout = self.layout
        lower = [
            layout.lower,
            np.full(self.free_starts, EARLIEST_START),
            np.zeros(self.n * self.dims),
        ]
        upper = [
            layout.upper,
            np.full(self.free_starts, LATEST_START),
            np.full(self.n * self.dims, 100.0),
        ]
        return np.concatenate(lower), np.concatenate(upper)

    def _constraint(self, theta: FloatArray) -> tuple[FloatArray, FloatArray]:
        """Residuals (one per parameter) and Jacobian keeping the value at score 100 (base +
        effects) within the parameter's bounds."""
        rows = np.zeros(len(CALIBRATED))
        jac = np.zeros((len(CALIBRATED), self.k))
        for j in range(len(CALIBRATED)):
            first = STRIDE * j
            top = theta[first] + theta[first + 1 : first + STRIDE].sum()
            low, high = self.layout.lower[first], self.layout.upper[first]
            excess = top - high if top > high else (top - low if top < low else 0.0)
            if excess:
                rows[j] = _CONSTRAINT_WEIGHT * excess
                jac[j, first : first + STRIDE] = _CONSTRAINT_WEIGHT
        return rows, jac

    def residuals(self, x: FloatArray) -> FloatArray:
        return self._evaluate(x, jacobian=False)[0]

    def jacobian(self, x: FloatArray) -> FloatArray:
        jac = self._evaluate(x, jacobian=True)[1]
        assert jac is not None
        return jac

    def _evaluate(self, x: FloatArray, *, jacobian: bool) -> tuple[FloatArray, FloatArray | None]:
        layout, data = self.layout, self.data
        theta, starts, scores = self.split(x)
        values = _values(layout, theta, scores)
        p, q, m = values.values
        idx = data.division
        s = data.since_first + starts[idx]
        fraction, by_s, by_p, by_q = _bass(s, p[idx], q[idx])
        share = np.clip(m[idx] * fraction, 0.0, 1.0)
        stabilised = (data.roster * share + 0.375) / (data.roster + 0.75)
        data_rows = data.weight * (data.target - np.arcsin(np.sqrt(stabilised))) / self.scale
        prior_rows = (theta - layout.mean) / layout.spread
        score_rows = ((scores - data.scores) / data.score_errors).ravel()
        bound_rows, bound_jac = self._constraint(theta)
        rows = np.concatenate([data_rows, prior_rows, score_rows, bound_rows])
        if not jacobian:
            return rows, None
        by_share = (
            -data.weight
            * data.roster
            / (data.roster + 0.75)
            / (2.0 * np.sqrt(stabilised * (1.0 - stabilised)))
            / self.scale
        )
        jac = np.zeros((len(rows), self.width))
        mi = m[idx]
        through_p, through_q = mi * by_p, mi * by_q
        gp, gq, gm = (g[idx] for g in values.by_numbers)
        jac[: self.months, : self.k] = by_share[:, None] * (
            through_p[:, None] * gp + through_q[:, None] * gq + fraction[:, None] * gm
        )
        months = np.arange(self.months)
        if self.fixed_starts is None:
            jac[months, self.k + idx] = by_share * mi * by_s
        sp, sq, sm = (g[idx] for g in values.by_scores)
        by_scores = by_share[:, None] * (
            through_p[:, None] * sp + through_q[:, None] * sq + fraction[:, None] * sm
        )
        first_score = self.k + self.free_starts
        for d in range(self.dims):
            jac[months, first_score + idx * self.dims + d] = by_scores[:, d]
        row = self.months
        jac[row : row + self.k, : self.k] = np.diag(1.0 / layout.spread)
        row += self.k
        count = self.n * self.dims
        jac[row : row + count, first_score:] = np.diag(1.0 / data.score_errors.ravel())
        jac[row + count :, : self.k] = bound_jac
        return rows, jac


def _minimise(
    residuals: Callable[[FloatArray], FloatArray],
    jacobian: Callable[[FloatArray], FloatArray],
    x0: FloatArray,
    lower: FloatArray,
    upper: FloatArray,
    max_iterations: int = 300,
    tolerance: float = 1e-9,
) -> tuple[FloatArray, bool]:
    """Levenberg-Marquardt within bounds, on the damped normal equations (small dense systems,
    no SVD of the tall Jacobian). Unknowns at a bound that the gradient pushes outward are held;
    a step that would cross a bound stops there and the others are solved again with it (an
    active set per step, so that bounds do not bend the steps). Stops when an iteration lowers
    the cost (the sum of squared residuals) by less than ``tolerance``."""
    x = np.clip(x0, lower, upper)
    r = residuals(x)
    cost = float(r @ r)
    damping = 1e-3
    for _ in range(max_iterations):
        jac = jacobian(x)
        gradient = jac.T @ r
        normal = jac.T @ jac
        held = ((x <= lower) & (gradient > 0)) | ((x >= upper) & (gradient < 0))
        if held.all() or np.max(np.abs(gradient[~held])) <= 1e-12 * max(1.0, cost):
            return x, True
        while True:
            candidate = _bounded_step(x, gradient, normal, held, damping, lower, upper)
            r_new = residuals(candidate)
            cost_new = float(r_new @ r_new)
            if np.isfinite(cost_new) and cost_new < cost:
                break
            damping *= 4.0
            if damping > 1e12:
                return x, True  # no step lowers the cost: a minimum within the bounds
        decrease = cost - cost_new
        x, r, cost = candidate, r_new, cost_new
        damping = max(damping / 3.0, 1e-12)
        if decrease <= tolerance:
            return x, True
    return x, False


def _bounded_step(
    x: FloatArray,
    gradient: FloatArray,
    normal: FloatArray,
    held: npt.NDArray[np.bool_],
    damping: float,
    lower: FloatArray,
    upper: FloatArray,
) -> FloatArray:
    """One damped Gauss-Newton step from ``x`` with the ``held`` unknowns fixed; unknowns the
    step would carry past a bound are put on it and the rest solved again (a few rounds)."""
    moved = np.zeros_like(x)
    fixed = held.copy()
    for _ in range(4):
        free = np.flatnonzero(~fixed)
        if free.size == 0:
            break
        a = normal[np.ix_(free, free)]
        right = -gradient[free] - normal[np.ix_(free, np.flatnonzero(fixed))] @ moved[fixed]
        try:
            step = np.linalg.solve(a + damping * np.diag(np.maximum(np.diag(a), 1e-12)), right)
        except np.linalg.LinAlgError:
            step = np.zeros(free.size)
        target = x[free] + step
        crossing = (target < lower[free]) | (target > upper[free])
        moved[free] = step
        if not crossing.any():
            break
        hit = free[crossing]
        moved[hit] = np.clip(target[crossing], lower[hit], upper[hit]) - x[hit]
        fixed[hit] = True
    return np.asarray(np.clip(x + moved, lower, upper), dtype=np.float64)


def _fit(layout: _Layout, data: _Data, launch: float | None) -> _Fit:
    from readiness.fitting import bass_years_to

    k, n = layout.size, len(data.names)
    theta0 = np.clip(layout.mean, layout.lower, layout.upper)
    if launch is None:
        p, q, m = _values(layout, theta0, data.scores).values
        share = np.clip(np.maximum(data.first_share, 1e-3) / m, 0.0, 0.99)
        starts0 = np.clip(
            np.nan_to_num(bass_years_to(share, p, q), nan=1.0), EARLIEST_START, LATEST_START
        )
        problem = _Problem(layout, data, None)
    else:
        starts0 = data.first - launch
        problem = _Problem(layout, data, starts0)
    lower, upper = problem.bounds()
    x0 = problem.start(theta0, starts0)
    x, converged = _minimise(problem.residuals, problem.jacobian, x0, lower, upper)
    at_bound = int(np.sum((x[:k] <= lower[:k]) | (x[:k] >= upper[:k])))
    rows = problem.residuals(x)[: problem.months]
    free = k - at_bound + problem.free_starts
    dispersion = float(rows @ rows) / max(1, problem.months - free)
    if dispersion > 1.0:
        problem.scale = math.sqrt(dispersion)
        x, converged = _minimise(problem.residuals, problem.jacobian, x, lower, upper)
    jac = problem.jacobian(x)
    rows = problem.residuals(x)
    hessian = jac.T @ jac
    try:
        model_cov = np.asarray(np.linalg.inv(hessian), dtype=np.float64)
    except np.linalg.LinAlgError:
        model_cov = np.asarray(np.linalg.pinv(hessian), dtype=np.float64)
    months = problem.months
    meat = jac[months:].T @ jac[months:]
    data_jac, data_rows = jac[:months], rows[:months]
    for i in range(n):
        mine = data.division == i
        score = data_jac[mine].T @ data_rows[mine]
        meat += np.outer(score, score)
    robust_cov = model_cov @ meat @ model_cov
    theta, starts, _ = problem.split(x)
    return _Fit(
        theta=theta.copy(),
        starts=np.asarray(starts, dtype=np.float64).copy(),
        model_cov=model_cov[:k, :k],
        robust_cov=robust_cov[:k, :k],
        dispersion=max(1.0, dispersion),
        converged=converged,
        problem=problem,
        solution=x,
        lower=lower,
        upper=upper,
    )


#: Refits an interval's end may take to move out along the profile (each doubles its distance),
#: and halvings of the step that crossed the threshold.
PROFILE_STEPS = 4
BISECTIONS = 2
#: A refit along the profile stops when an iteration gains less than this (the rise it finds is
#: compared with about 4).
REFIT_TOLERANCE = 1e-4


def _intervals(fit: _Fit, layout: _Layout, z: float) -> tuple[FloatArray, FloatArray]:
    """Each number's interval: ``z`` standard errors (the wider of the model's and the
    division-robust) either side, cut at its bounds, then widened along the profile: an end is
    refitted with the number held there, and where the penalised objective has risen by less
    than ``z**2`` the end moves out (the curvature underrates a curved ridge, such as a ceiling
    traded against p when the curves are young)."""
    variance = np.maximum(np.diag(fit.model_cov), np.diag(fit.robust_cov))
    half = z * np.sqrt(np.maximum(variance, 0.0))
    low = np.maximum(fit.theta - half, layout.lower)
    high = np.minimum(fit.theta + half, layout.upper)
    problem, x = fit.problem, fit.solution
    rows = problem.residuals(x)
    base = float(rows @ rows)
    threshold = z * z
    for j in range(layout.size):
        for side, ends in ((-1.0, low), (1.0, high)):
            bound = layout.lower[j] if side < 0 else layout.upper[j]
            ends[j] = _profile_end(fit, j, float(ends[j]), float(bound), base, threshold, x)
    return low, high


def _profile_end(
    fit: _Fit, j: int, end: float, bound: float, base: float, threshold: float, x: FloatArray
) -> float:
    """``end`` moved out towards ``bound`` until holding number ``j`` there raises the
    penalised objective by ``threshold`` (interpolated on its square root), at most
    :data:`PROFILE_STEPS` refits out, each started from the one before (the ridge is followed,
    not jumped); unchanged when it already rises that much."""
    centre = float(x[j])
    if end in (bound, centre):
        return end
    rise, held = _held_rise(fit, j, end, base, x)
    previous, previous_rise = centre, 0.0
    steps = 0
    while rise < threshold and end != bound and steps < PROFILE_STEPS:
        previous, previous_rise = end, rise
        further = centre + 2.0 * (end - centre)
        end = min(further, bound) if bound > centre else max(further, bound)
        if not math.isfinite(end):
            return previous
        rise, held = _held_rise(fit, j, end, base, held)
        steps += 1
    if rise < threshold or steps == 0:
        return end
    # bracketed: halve it (a wall, such as a ceiling reaching 1, is not quadratic), then
    # interpolate on the square root of the rise
    for _ in range(BISECTIONS):
        middle = (previous + end) / 2.0
        middle_rise, middle_held = _held_rise(fit, j, middle, base, held)
        if middle_rise < threshold:
            previous, previous_rise, held = middle, middle_rise, middle_held
        else:
            end, rise = middle, middle_rise
    a, b = math.sqrt(max(previous_rise, 0.0)), math.sqrt(rise)
    share = (math.sqrt(threshold) - a) / (b - a) if b > a else 1.0
    return previous + share * (end - previous)


def _held_rise(
    fit: _Fit, j: int, value: float, base: float, start: FloatArray
) -> tuple[float, FloatArray]:
    """How much the penalised objective rises when number ``j`` is held at ``value`` and the
    rest refitted from ``start``, and the refit."""
    lower, upper = fit.lower.copy(), fit.upper.copy()
    lower[j] = upper[j] = value
    begin = start.copy()
    begin[j] = value
    held, _ = _minimise(
        fit.problem.residuals,
        fit.problem.jacobian,
        begin,
        lower,
        upper,
        max_iterations=60,
        tolerance=REFIT_TOLERANCE,
    )
    rows = fit.problem.residuals(held)
    return float(rows @ rows) - base, held


# --- results --------------------------------------------------------------------------------


@dataclass(frozen=True)
class MappingNumber:
    """One calibrated number of the mapping, on its parameter's scale (``log p``, ``q``,
    ``ceiling`` or ``strength``): the prior's value, the calibrated one and its interval.

    ``dimension`` None is the base (the value at every score 0); a dimension's number is its
    effect (the change from score 0 to 100); ``parameter`` "limiting" is the strength."""

    parameter: str
    dimension: str | None
    scale: str
    prior: float
    value: float
    low: float
    high: float

    @property
    def label(self) -> str:
        if self.parameter == "limiting":
            return "limiting strength"
        if self.dimension is None:
            return f"{self.parameter} at score 0"
        return f"{self.dimension} -> {self.parameter}"

    @property
    def moved(self) -> bool:
        """The interval excludes the prior's value: the data contradict the assumption."""
        return not self.low - 1e-12 <= self.prior <= self.high + 1e-12

    def contains(self, value: float) -> bool:
        return self.low - 1e-9 <= value <= self.high + 1e-9

    def describe(self) -> str:
        """The number in words, as a reader of the mapping thinks of it."""
        interval = f"{self._show(self.low)}-{self._show(self.high)}"
        if self.scale == "log p" and self.dimension is not None:
            return (
                f"{self.dimension} from 0 to 100 multiplies p by"
                f" {math.exp(self.value):.3g} (95% interval {math.exp(self.low):.3g}-"
                f"{math.exp(self.high):.3g}; assumed {math.exp(self.prior):.3g})"
            )
        if self.dimension is not None:
            return (
                f"{self.dimension} from 0 to 100 adds {self._show(self.value)} to"
                f" {self.parameter} (95% interval {interval}; assumed {self._show(self.prior)})"
            )
        return (
            f"{self.label}: {self._show(self.value)} (95% interval {interval};"
            f" assumed {self._show(self.prior)})"
        )

    def _show(self, value: float) -> str:
        if self.scale == "log p" and self.dimension is None:
            return f"{math.exp(value):.3g}"
        return f"{value:.3g}"


@dataclass(frozen=True)
class CalibrationVerdict:
    """Whether the calibrated mapping is offered (``kind`` "offer"), and why, in words."""

    kind: VerdictKind
    text: str


@dataclass(frozen=True)
class Calibration:
    """The assumed mapping (``prior``), the calibrated one (``mapping``, the same schema), each
    number with its interval, the divisions used and left out (with why), the verdict, and
    what the lever rankings draw from: the estimate and covariance of the numbers."""

    prior: LeverMapping
    mapping: LeverMapping
    numbers: tuple[MappingNumber, ...]
    divisions: tuple[str, ...]
    left_out: tuple[tuple[str, str], ...]
    verdict: CalibrationVerdict
    dispersion: float
    converged: bool
    estimate: tuple[float, ...]
    covariance: tuple[tuple[float, ...], ...]
    launch: float | None = None
    level: float = LEVEL
    method: str = METHOD

    @property
    def offered(self) -> bool:
        """Strong enough to offer (module docstring)."""
        return self.verdict.kind == "offer"

    def in_use(self, choice: MappingName) -> LeverMapping:
        """The mapping a surface uses: the calibrated one only when chosen and offered."""
        return self.mapping if choice == "calibrated" and self.offered else self.prior

    def number(self, parameter: str, dimension: str | None = None) -> MappingNumber:
        for number in self.numbers:
            if number.parameter == parameter and number.dimension == dimension:
                return number
        raise KeyError((parameter, dimension))

    def plausible(self, draws: int = DRAWS, seed: int = DEFAULT_SEED) -> list[LeverMapping]:
        """``draws`` mappings from the normal approximation of the numbers (seeded; each number
        kept within its bounds): what the data allow, for intervals of anything derived."""
        if not self.numbers:
            return []
        layout = _layout(self.prior)
        rng = np.random.default_rng(seed)
        mean = np.asarray(self.estimate)
        cov = np.asarray(self.covariance)
        sample = rng.multivariate_normal(mean, cov, size=draws, method="eigh")
        sample = np.clip(sample, layout.lower, layout.upper)
        return [_mapping(layout, row, self.mapping.source, "drawn") for row in sample]


def calibrate_levers(
    divisions: Sequence[MatchedDivision],
    prior: LeverMapping | None = None,
    *,
    launch: float | None = None,
    level: float = LEVEL,
) -> Calibration:
    """The mapping calibrated to the divisions' scores (0-100) and measured monthly active
    shares (0-1 with the roster of each month), with ``prior`` (default ``data/levers.yaml``)
    as the penalty's centre (module docstring). ``launch`` is the decimal year the tools became
    available to every division, when known; otherwise each division's start is fitted.
    Divisions without every dimension's score or with fewer than :data:`MIN_MONTHS` months are
    left out and named."""
    from scipy.stats import t as student

    assumed = prior or load_levers()
    layout = _layout(assumed)
    kept, left_out = _usable(divisions)
    if launch is not None:
        early = [d.name for d in kept if min(d.periods) <= launch]
        if early:
            raise InputError(
                f"the launch {launch:g} is not before the first measured month of"
                f" {', '.join(early[:5])}"
            )
    if not kept:
        verdict = _verdict([], 0, converged=False)
        return Calibration(
            assumed, assumed, (), (), tuple(left_out), verdict, 1.0, False, (), (), launch, level
        )
    data = _data(kept)
    fit = _fit(layout, data, launch)
    z = float(student.ppf(0.5 + level / 2.0, df=max(1, len(kept) - 1)))
    low, high = _intervals(fit, layout, z)
    variance = np.maximum(np.diag(fit.model_cov), np.diag(fit.robust_cov))
    numbers = tuple(
        MappingNumber(
            parameter=parameter,
            dimension=dimension,
            scale=_scale_name(layout, parameter),
            prior=float(layout.mean[j]),
            value=float(fit.theta[j]),
            low=float(low[j]),
            high=float(high[j]),
        )
        for j, (parameter, dimension) in enumerate(layout.keys)
    )
    verdict = _verdict(numbers, len(kept), fit.converged)
    note = f"Calibrated on {len(kept)} divisions' measured adoption"
    source = (
        f"Calibrated on {len(kept)} divisions' survey scores and measured monthly active shares,"
        f" with the assumed mapping (data/levers.yaml) as the prior. {METHOD}"
    )
    # The covariance the draws use is the wider one, so draws and intervals agree.
    scale = np.sqrt(variance / np.maximum(np.diag(fit.model_cov), 1e-300))
    covariance = fit.model_cov * np.outer(scale, scale)
    return Calibration(
        prior=assumed,
        mapping=_mapping(layout, fit.theta, source, note),
        numbers=numbers,
        divisions=data.names,
        left_out=tuple(left_out),
        verdict=verdict,
        dispersion=fit.dispersion,
        converged=fit.converged,
        estimate=tuple(float(v) for v in fit.theta),
        covariance=tuple(tuple(float(v) for v in row) for row in covariance),
        launch=launch,
        level=level,
    )


def _scale_name(layout: _Layout, parameter: str) -> str:
    if parameter == "limiting":
        return "strength"
    return f"log {parameter}" if layout.log_scale(parameter) else parameter


def _verdict(numbers: Sequence[MappingNumber], used: int, converged: bool) -> CalibrationVerdict:
    keep = " The assumed mapping stays in use."
    if used < MIN_UNITS:
        return CalibrationVerdict(
            "too few",
            f"Too few divisions to tell ({used}; at least {MIN_UNITS} are needed): your data"
            f" cannot tell whether the assumed mapping holds.{keep}",
        )
    if not converged:
        return CalibrationVerdict(
            "cannot tell", f"Your data cannot tell: the calibration did not converge.{keep}"
        )
    moved = [n for n in numbers if n.moved]
    if not moved:
        return CalibrationVerdict(
            "cannot tell",
            "Your data cannot tell the calibrated mapping from the assumed one: every 95%"
            f" interval contains the assumed value.{keep}",
        )
    shown = "; ".join(n.describe() for n in moved[:3])
    more = f" (and {len(moved) - 3} more)" if len(moved) > 3 else ""
    return CalibrationVerdict(
        "offer",
        f"Strong enough to offer: {len(moved)} number{'s' if len(moved) != 1 else ''} of the"
        f" mapping differ from the assumption beyond their 95% interval: {shown}{more}.",
    )


# --- what each mapping implies ----------------------------------------------------------------


@dataclass(frozen=True)
class LeverRanking:
    """The levers one mapping ranks for the organization (best first, as
    :func:`~readiness.levers.lever_steps`). For the calibrated mapping, ``first`` is the share
    of plausible mappings (:meth:`Calibration.plausible`) in which each dimension is the top
    lever and ``months`` the interval of each lever's months earlier (None where fewer than
    half the draws reach the target both ways); ``supported`` says whether the top lever is
    first in at least the interval's level of them (None for the assumed mapping: an
    assumption has no interval)."""

    mapping: MappingName
    steps: tuple[LeverStep, ...]
    first: Mapping[str, float]
    months: Mapping[str, tuple[float, float] | None]
    supported: bool | None
    text: str

    @property
    def top(self) -> str:
        return self.steps[0].dimension


def lever_rankings(
    calibration: Calibration,
    scores: Mapping[str, float | None],
    *,
    start_share: float,
    start_year: float = 2000.0,
    draws: int = DRAWS,
    seed: int = DEFAULT_SEED,
    **options: object,
) -> tuple[LeverRanking, LeverRanking]:
    """The lever ranking of the assumed and of the calibrated mapping for the organization's
    ``scores`` (0-100) from ``start_share`` (0-1); ``options`` go to
    :func:`~readiness.levers.lever_steps` (``target``, ``bands``, ``raise_by``)."""

    def steps(mapping: LeverMapping) -> list[LeverStep]:
        return lever_steps(
            scores,
            start_year=start_year,
            start_share=start_share,
            mapping=mapping,
            **options,  # type: ignore[arg-type]
        )

    assumed_steps = steps(calibration.prior)
    assumed = LeverRanking(
        "assumed",
        tuple(assumed_steps),
        {},
        {},
        None,
        f"The assumed mapping ranks {assumed_steps[0].dimension} first (an assumption, without"
        " an interval).",
    )
    calibrated_steps = steps(calibration.mapping)
    top = calibrated_steps[0].dimension
    plausible = calibration.plausible(draws, seed)
    if not plausible:
        return assumed, LeverRanking(
            "calibrated", tuple(calibrated_steps), {}, {}, False, calibration.verdict.text
        )
    firsts: dict[str, int] = dict.fromkeys(DIMENSIONS, 0)
    earlier: dict[str, list[float]] = {d: [] for d in DIMENSIONS}
    for mapping in plausible:
        drawn = steps(mapping)
        firsts[drawn[0].dimension] += 1
        for step in drawn:
            if step.months_earlier is not None:
                earlier[step.dimension].append(step.months_earlier)
    first: dict[str, float] = {d: firsts[d] / len(plausible) for d in DIMENSIONS}
    tail = (1.0 - calibration.level) / 2.0
    months = {
        d: (
            (float(np.quantile(v, tail)), float(np.quantile(v, 1.0 - tail)))
            if 2 * len(v) >= len(plausible)
            else None
        )
        for d, v in earlier.items()
    }
    supported = first[top] >= calibration.level and calibration.verdict.kind != "too few"
    if supported:
        text = (
            f"The calibrated mapping ranks {top} first, in {first[top]:.0%} of the mappings your"
            " data allow."
        )
    else:
        shares = ", ".join(
            f"{d} {first[d]:.0%}" for d in sorted(first, key=lambda d: -first[d]) if first[d] > 0
        )
        text = (
            "Your data cannot tell which lever is biggest: the top lever among the mappings"
            f" your data allow is {shares}."
        )
    return assumed, LeverRanking(
        "calibrated", tuple(calibrated_steps), first, months, supported, text
    )


@dataclass(frozen=True)
class PredictedCurve:
    """A division's curve as one mapping predicts it from its scores, started at its first
    measured share in its first month: p and q per year, ceiling and shares 0-1 at the measured
    months, the root mean square of the differences (share 0-1) and ``months_apart``: the
    predicted date of reaching the latest measured share minus the latest month, in months
    (positive: the mapping predicts slower growth than measured; None: never reached)."""

    mapping: MappingName
    p: float
    q: float
    ceiling: float
    shares: tuple[float, ...]
    rmse: float
    months_apart: float | None


@dataclass(frozen=True)
class DivisionCurves:
    """One division's measured months (``periods`` decimal years, ``measured`` shares 0-1) and
    the curve each mapping predicts."""

    division: str
    periods: tuple[float, ...]
    measured: tuple[float, ...]
    predicted: tuple[PredictedCurve, ...]

    def curve(self, mapping: MappingName) -> PredictedCurve:
        return next(c for c in self.predicted if c.mapping == mapping)


@dataclass(frozen=True)
class CurveComparison:
    """How far each division's measured curve lies from what each mapping predicts."""

    divisions: tuple[DivisionCurves, ...]

    def mean_rmse(self, mapping: MappingName) -> float | None:
        """The mean over divisions of the RMSE (share 0-1)."""
        values = [d.curve(mapping).rmse for d in self.divisions]
        return float(np.mean(values)) if values else None

    def median_months_apart(self, mapping: MappingName) -> float | None:
        """The median over divisions of |months apart| (divisions that never reach their
        latest share under the mapping are left out)."""
        values = [
            abs(v) for d in self.divisions if (v := d.curve(mapping).months_apart) is not None
        ]
        return float(np.median(values)) if values else None

    def describe(self) -> list[str]:
        lines = []
        names: tuple[MappingName, ...] = ("assumed", "calibrated")
        for mapping in names:
            rmse = self.mean_rmse(mapping)
            months = self.median_months_apart(mapping)
            if rmse is None:
                continue
            when = (
                f"; half the divisions reach their latest share within {months:.0f} months of"
                " when the mapping says"
                if months is not None
                else ""
            )
            lines.append(
                f"The {mapping} mapping misses the measured shares by {rmse * 100:.1f} points"
                f" on average{when}."
            )
        return lines


def compare_curves(
    calibration: Calibration, divisions: Sequence[MatchedDivision]
) -> CurveComparison:
    """Each division (with every dimension's score and a measured month) against the curves the
    assumed and the calibrated mapping predict from its scores."""
    out = []
    for division in divisions:
        if any(division.scores.get(d) is None for d in DIMENSIONS) or not division.periods:
            continue
        periods = np.asarray(division.periods, dtype=np.float64)
        order = np.argsort(periods, kind="stable")
        periods = periods[order]
        measured = np.clip(np.asarray(division.shares, dtype=np.float64)[order], 0.0, 1.0)
        scores: dict[str, float] = {d: float(division.scores[d] or 0.0) for d in DIMENSIONS}
        mappings: tuple[tuple[MappingName, LeverMapping], ...] = (
            ("assumed", calibration.prior),
            ("calibrated", calibration.mapping),
        )
        curves = tuple(
            _predicted(name, mapping, scores, periods, measured) for name, mapping in mappings
        )
        out.append(
            DivisionCurves(
                division.name,
                tuple(float(v) for v in periods),
                tuple(float(v) for v in measured),
                curves,
            )
        )
    return CurveComparison(tuple(out))


def _predicted(
    name: MappingName,
    mapping: LeverMapping,
    scores: Mapping[str, float],
    periods: FloatArray,
    measured: FloatArray,
) -> PredictedCurve:
    from readiness.fitting import bass_fraction, bass_years_to

    params = mapping.parameters_for(scores)  # type: ignore[arg-type]
    p, q = params["p"], params["q"]
    start = float(measured[0])
    ceiling = max(params["ceiling"], start)  # as the product's scenario: never below the start

    def at(share: float) -> float:
        """Years after launch at which the curve reaches ``share``."""
        return float(bass_years_to(min(share / ceiling, 1.0 - 1e-12), p, q))

    offset = at(start)
    shares = ceiling * bass_fraction(periods - periods[0] + offset, p, q)
    rmse = float(np.sqrt(np.mean((shares - measured) ** 2)))
    latest = float(measured[-1])
    apart = None
    if latest < ceiling:
        reached = periods[0] + at(latest) - offset
        apart = float((reached - periods[-1]) * 12.0)
    return PredictedCurve(name, p, q, ceiling, tuple(float(v) for v in shares), rmse, apart)


__all__ = [
    "CALIBRATED",
    "DRAWS",
    "METHOD",
    "MIN_MONTHS",
    "PRIOR_SPREAD",
    "Calibration",
    "CalibrationVerdict",
    "CurveComparison",
    "DivisionCurves",
    "LeverRanking",
    "MappingNumber",
    "PredictedCurve",
    "calibrate_levers",
    "compare_curves",
    "lever_rankings",
]
