"""What a curve model is, and how one is fitted by least squares.

A curve model (one small class per model, in the manner of lifelines' ``fitters``) says its
parameter names, their bounds, starting values, its cumulative curve and its per-period
increments, and which other models are the same family for a kind of data. The base class fits:
one bounded least-squares fit (scipy) for a history, and many at once (a vectorised
Levenberg-Marquardt) for the refits of a bootstrap band.

Models work in **scaled units**: values divided by the history's highest cumulative value, so the
ceiling ``m`` is about 1 whatever the unit (share, percent, counts) and the optimizer's tolerances
are relative. Rates are per year, times are decimal years.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar, Literal

import numpy as np
import numpy.typing as npt
from scipy.optimize import OptimizeResult, least_squares

FloatArray = npt.NDArray[np.float64]
Kind = Literal["per-period", "cumulative"]
Params = Mapping[str, npt.ArrayLike]

#: Relative tolerances of the least-squares fit (cost and step): tight, so that two models of
#: the same family reach the same sum of squares to far better than 1e-9 relative.
TOLERANCE = 1e-12
#: How many of the screened starting points are refined by nonlinear least squares.
N_REFINED_STARTS = 2
#: A first refinement leaving less than this fraction of the variance unexplained is accepted.
GOOD_FIT_SSE_FRACTION = 0.01
#: A parameter within this relative distance of a bound is reported as at the bound.
AT_BOUND = 1e-6


@dataclass(frozen=True)
class Estimate:
    """A least-squares solution in scaled units: free parameters, their bounds and quality."""

    free: tuple[str, ...]
    theta: FloatArray
    lower: FloatArray
    upper: FloatArray
    fixed: dict[str, float]
    sse: float
    jac: FloatArray  # central differences at the solution (n x free)
    at_bound: npt.NDArray[np.bool_]
    converged: bool
    message: str


class CurveModel:
    """An adoption curve ``F(x)`` with ceiling ``m``: the one place that says what a model is.

    Subclasses set :attr:`name`, :attr:`formula`, :attr:`parameters`, implement
    :meth:`bounds`, :meth:`starts` and :meth:`cumulative`; the base class gives per-period
    increments, the fit and the batched refits. ``m_upper`` is the highest ceiling allowed in
    scaled units (the population, or infinity for counts without one).
    """

    name: ClassVar[str]
    formula: ClassVar[str]
    parameters: tuple[str, ...] = ()
    #: Parameters measured in the data's own unit (scaled with the values); the rest are rates
    #: per year or times in years.
    value_parameters: ClassVar[frozenset[str]] = frozenset({"m"})
    #: Other models that are the same family as this one for a kind of data.
    equivalent_on: ClassVar[Mapping[str, tuple[str, ...]]] = {}

    def __init__(self, x_first: float, x_last: float, step: float, m_upper: float) -> None:
        self.x_first = float(x_first)
        self.x_last = float(x_last)
        self.step = float(step)
        self.span = self.x_last - self.x_first + self.step
        self.m_upper = float(m_upper)

    # --- what a model is (subclasses) --------------------------------------------------------

    def bounds(self) -> tuple[FloatArray, FloatArray]:
        """Lower and upper bounds of :attr:`parameters` (scaled units)."""
        raise NotImplementedError

    def starts(
        self, x: FloatArray, f: FloatArray, m_options: Sequence[float]
    ) -> list[dict[str, float]]:
        """Starting values for a few candidate ceilings; ``f`` the cumulative values."""
        raise NotImplementedError

    def cumulative(self, params: Params, x: npt.ArrayLike) -> FloatArray:
        """The cumulative curve ``F(x)``; parameters and ``x`` broadcast against each other."""
        raise NotImplementedError

    # --- what follows from it ----------------------------------------------------------------

    def observable(
        self, params: Params, x: npt.ArrayLike, previous: npt.ArrayLike, kind: Kind
    ) -> FloatArray:
        """The model's prediction of observed values: ``F(x)``, or ``F(x) - F(previous)``."""
        with np.errstate(all="ignore"):
            current = self.cumulative(params, x)
            if kind == "cumulative":
                return current
            return np.asarray(current - self.cumulative(params, previous), dtype=np.float64)

    def fit(
        self,
        x: FloatArray,
        y: FloatArray,
        previous: FloatArray,
        kind: Kind,
        fixed: Mapping[str, float],
        m_options: Sequence[float],
    ) -> Estimate | None:
        """Bounded least squares of ``y`` (scaled units) from screened starting points;
        ``None`` when no start could be refined."""
        free = tuple(k for k in self.parameters if k not in fixed)
        all_lower, all_upper = self.bounds()
        idx = [self.parameters.index(k) for k in free]
        lower, upper = all_lower[idx], all_upper[idx]
        fixed = dict(fixed)

        def residuals(theta: FloatArray) -> FloatArray:
            params: dict[str, npt.ArrayLike] = dict(fixed)
            params.update(zip(free, theta.tolist(), strict=True))
            return self.observable(params, x, previous, kind) - y

        candidates = []
        for start in self.starts(x, _cumulative_guess(y, kind), m_options):
            theta0 = inside([start[k] for k in free], lower, upper)
            cost = float(np.sum(residuals(theta0) ** 2))
            candidates.append((cost if np.isfinite(cost) else math.inf, theta0))
        # Screening the starts by their cost keeps the fit fast: only the best few are refined.
        candidates.sort(key=lambda c: c[0])
        best = None
        sst = float(np.sum((y - y.mean()) ** 2))
        for _, theta0 in candidates[:N_REFINED_STARTS]:
            try:
                with np.errstate(all="ignore"):
                    res = least_squares(
                        residuals,
                        theta0,
                        bounds=(lower, upper),
                        method="trf",
                        x_scale="jac",
                        ftol=TOLERANCE,
                        xtol=TOLERANCE,
                        gtol=TOLERANCE,
                        max_nfev=2000,
                    )
            except ValueError:
                continue
            if np.isfinite(res.cost) and (best is None or res.cost < best.cost):
                best = res
            if best is not None and best.success and 2 * best.cost < GOOD_FIT_SSE_FRACTION * sst:
                break
        if best is None:
            return None
        best = _polished(residuals, best, lower, upper)
        theta = np.asarray(best.x, dtype=np.float64)
        near = AT_BOUND * np.maximum(1.0, np.abs(theta))
        with np.errstate(invalid="ignore"):
            at_bound = (np.asarray(best.active_mask) != 0) | (theta - lower <= near)
            at_bound |= upper - theta <= near
        return Estimate(
            free=free,
            theta=theta,
            lower=lower,
            upper=upper,
            fixed=fixed,
            sse=float(np.sum(best.fun**2)),
            jac=_central_jacobian(residuals, theta, lower, upper),
            at_bound=at_bound,
            converged=bool(best.success),
            message=str(best.message),
        )

    def refit(
        self,
        estimate: Estimate,
        targets: FloatArray,
        x: FloatArray,
        previous: FloatArray,
        kind: Kind,
        iterations: int = 100,
    ) -> FloatArray:
        """Refit every row of ``targets`` (draws x points, scaled units) at once, started at
        ``estimate``: a vectorised Levenberg-Marquardt held inside the bounds. Rows whose
        refit is not finite are NaN."""
        free, lower, upper = estimate.free, estimate.lower, estimate.upper
        draws, k = targets.shape[0], len(free)
        theta = np.tile(inside(estimate.theta, lower, upper), (draws, 1))

        def evaluate(th: FloatArray) -> FloatArray:
            params: dict[str, npt.ArrayLike] = dict(estimate.fixed)
            for j, name in enumerate(free):
                params[name] = th[:, j : j + 1]
            return self.observable(params, x[None, :], previous[None, :], kind)

        residual = evaluate(theta) - targets
        cost = np.sum(residual**2, axis=1)
        damping = np.full(draws, 1e-3)
        active = np.isfinite(cost)
        diagonal = np.arange(k)
        for _ in range(iterations):
            if not active.any():
                break
            h = 1e-7 * np.maximum(np.abs(theta), 1e-3)
            h = np.where(theta + h > upper, -h, h)
            jac = np.empty((draws, x.size, k))
            for j in range(k):
                moved = theta.copy()
                moved[:, j] += h[:, j]
                jac[:, :, j] = (evaluate(moved) - targets - residual) / h[:, j : j + 1]
            jac = np.nan_to_num(jac, nan=0.0, posinf=0.0, neginf=0.0)
            normal = np.einsum("dni,dnj->dij", jac, jac)
            gradient = np.einsum("dni,dn->di", jac, residual)
            scale = np.maximum(normal[:, diagonal, diagonal], 1e-12)
            normal[:, diagonal, diagonal] += damping[:, None] * scale
            try:
                step = -np.linalg.solve(normal, gradient[..., None])[..., 0]
            except np.linalg.LinAlgError:
                break
            candidate = np.clip(theta + step, lower, upper)
            new_residual = evaluate(candidate) - targets
            new_cost = np.sum(new_residual**2, axis=1)
            with np.errstate(invalid="ignore"):
                better = active & np.isfinite(new_cost) & (new_cost < cost)
                gain = (cost - new_cost) / np.maximum(cost, 1e-300)
            theta[better] = candidate[better]
            residual[better] = new_residual[better]
            cost[better] = new_cost[better]
            damping = np.clip(np.where(better, damping / 3.0, damping * 4.0), 1e-12, 1e12)
            settled = (better & (gain < 1e-10)) | (damping >= 1e12)
            active &= ~settled
        theta[~np.isfinite(cost)] = np.nan
        return theta


def _polished(
    residuals: Callable[[FloatArray], FloatArray],
    best: OptimizeResult,
    lower: FloatArray,
    upper: FloatArray,
) -> OptimizeResult:
    """An interior solution refined by MINPACK's Levenberg-Marquardt (as R's ``nlsLM``): where a
    parameter is poorly identified, the bounded solver stops while the optimum is still a few
    parts per million away, and results would depend on the bounds (the population)."""
    theta = np.asarray(best.x, dtype=np.float64)
    if theta.size == 0 or best.fun.size < theta.size:
        return best
    margin = 1e-6 * np.maximum(1.0, np.abs(theta))
    if np.any(theta - lower <= margin) or np.any(upper - theta <= margin):
        return best
    try:
        with np.errstate(all="ignore"):
            polished = least_squares(
                residuals, theta, method="lm", x_scale="jac", ftol=1e-15, xtol=1e-15, gtol=1e-15
            )
    except ValueError:
        return best
    inside_bounds = np.all(polished.x >= lower) and np.all(polished.x <= upper)
    if inside_bounds and np.isfinite(polished.cost) and polished.cost <= best.cost:
        polished.active_mask = np.zeros(theta.size, dtype=int)
        return polished
    return best


def inside(theta: Sequence[float] | FloatArray, lower: FloatArray, upper: FloatArray) -> FloatArray:
    """``theta`` moved just inside the bounds, where the solver may start."""
    clipped = np.clip(np.asarray(theta, dtype=np.float64), lower, upper)
    with np.errstate(invalid="ignore"):
        below_top = upper - 1e-9 * np.maximum(1, np.abs(upper))
        above_bottom = lower + 1e-9 * np.maximum(1, np.abs(lower))
    clipped = np.where(clipped >= upper, below_top, clipped)
    return np.where(clipped <= lower, above_bottom, clipped)


def _cumulative_guess(y: FloatArray, kind: Kind) -> FloatArray:
    return np.cumsum(y) if kind == "per-period" else y


def _central_jacobian(
    fn: Callable[[FloatArray], FloatArray], theta: FloatArray, lower: FloatArray, upper: FloatArray
) -> FloatArray:
    """Central differences (one-sided at a bound): accurate enough for standard errors."""
    base = np.asarray(fn(theta))
    columns = []
    for j in range(theta.size):
        h = 1e-6 * max(abs(float(theta[j])), 1e-3)
        up, down = theta.copy(), theta.copy()
        up[j] = min(theta[j] + h, upper[j])
        down[j] = max(theta[j] - h, lower[j])
        width = up[j] - down[j]
        if width <= 0:
            columns.append(np.zeros_like(base))
            continue
        columns.append((np.asarray(fn(up)) - np.asarray(fn(down))) / width)
    return np.column_stack(columns) if columns else np.zeros((base.size, 0))
