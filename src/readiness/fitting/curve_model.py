"""What a curve model is, and how one is fitted: the base class of every model.

A curve model (one small class per model, in the manner of lifelines' ``fitters``) says its
parameter names, their bounds, starting values and its cumulative curve, and which other models are
the same family for a kind of data. The base class fits it to a history and presents the result
(:class:`~readiness.fitting.result.FitResult`):

- cumulative values are fitted as ``F(x)``; per-period values (new adopters in the period) as the
  increment ``F(x_i) - F(x_{i-1})`` (the first period as ``F(x_1) - F(x_1 - step)``);
- the fit is bounded least squares (scipy) from screened starting points, in **scaled units**:
  values divided by the history's highest cumulative value, so the ceiling ``m`` is about 1
  whatever the unit (share, percent, counts) and the optimizer's tolerances are relative;
- standard errors come from the Jacobian at the solution, ``cov = s^2 (J'J)^-1`` with
  ``s^2 = SSE / (n - k)`` (as R's ``summary.nls``); a parameter stopped at a bound is held there;
- AIC and BIC are R's ``AIC()``/``BIC()`` of an ``nls`` fit on the data's own scale:
  ``n (ln 2 pi + 1 + ln(SSE/n)) + 2 (k + 1)`` (``k`` free parameters, plus the variance);
- the refits of a bootstrap band run all at once (a vectorised Levenberg-Marquardt).

Rates are per year, times are decimal years.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
import numpy.typing as npt

from readiness.errors import InputError
from readiness.fitting.model_names import FitModelName
from readiness.fitting.observations import FloatArray, Kind, Observations
from readiness.fitting.result import FitParameter, FitResult, product_squared

if TYPE_CHECKING:
    from scipy.optimize import OptimizeResult

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
#: Candidate ceilings the starting points are screened at, as multiples of the highest value.
CEILING_STARTS = (1.02, 1.2, 1.6, 3.0)
#: Relative step of forward differences (scipy's ``"2-point"``: the square root of the machine
#: epsilon).
_FORWARD_STEP = float(np.sqrt(np.finfo(np.float64).eps))
#: Names of parameters in warnings, where the symbol alone says little.
PARAMETER_LABELS = {"m": "ceiling", "f_start": "first value", "x_mid": "midpoint"}


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
    increments, the fit (:meth:`fit`) and the batched refits. ``m_upper`` is the highest ceiling
    allowed in scaled units (the population, or infinity for counts without one).
    """

    name: ClassVar[FitModelName]
    formula: str = ""
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

    def __eq__(self, other: object) -> bool:
        """The same model for the same periods and bounds (so results compare by value)."""
        return type(other) is type(self) and vars(other) == vars(self)

    def __hash__(self) -> int:
        return hash((type(self), tuple(sorted(vars(self).items()))))

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

    def held(self, obs: Observations, fixed: Mapping[str, float]) -> dict[str, float]:
        """The parameters held fixed in a fit of ``obs`` (history's values, years): ``fixed``,
        and any the model always holds."""
        return dict(fixed)

    def check_held(self, obs: Observations, held: Mapping[str, float]) -> None:
        """An :class:`InputError` when a held value cannot be fitted to ``obs``."""

    def launch_of(self, params: Params) -> FloatArray | None:
        """The launch year (decimal year) of a model that has one, else ``None``."""
        return None

    def notes(self, obs: Observations, params: Mapping[str, FitParameter]) -> list[str]:
        """Warnings in words about a fit of ``obs`` that only the model can give (none by
        default); ``params`` in the history's values."""
        return []

    def parameter_meanings(self) -> dict[str, str]:
        """What each parameter whose name alone says little means, for the result's summary
        (none for a model whose parameters are all named in its formula)."""
        return {}

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

    def form(self, kind: Kind) -> str:
        """The model and how it meets data of ``kind``, in words."""
        how = (
            "per-period values fitted as m[F(x) - F(x - 1 step)] relative to the previous period"
            if kind == "per-period"
            else "cumulative values fitted as F(x)"
        )
        return f"{self.formula}; {how}; least squares on the values as given"

    # --- fitting -----------------------------------------------------------------------------

    def fit(
        self,
        obs: Observations,
        *,
        ceiling: float | None = None,
        fixed: Mapping[str, float] | None = None,
    ) -> FitResult:
        """Fit the model to ``obs``, this model having been made for its periods and
        :attr:`~readiness.fitting.observations.Observations.scale`.

        ``ceiling`` (a share 0-1, or a count without a population) and ``fixed`` (other
        parameters by name, in the history's values or years) are held; everything else is
        fitted. :class:`InputError` when the history cannot support the model or the fit fails.
        """
        scale = obs.scale
        held = self.held(obs, {**(fixed or {}), **({} if ceiling is None else {"m": ceiling})})
        scaled_held = {k: v / scale if k in self.value_parameters else v for k, v in held.items()}
        free = tuple(k for k in self.parameters if k not in held)
        _check_history(obs, len(free), self.name, ceiling)
        self.check_held(obs, held)

        x, y = obs.x, obs.y / scale
        m_options = (
            [scaled_held["m"]]
            if "m" in scaled_held
            else sorted({min(self.m_upper, f) for f in CEILING_STARTS})
        )
        estimate = self.estimate(x, y, obs.previous, obs.kind, scaled_held, m_options)
        if estimate is None:
            raise InputError(f"{obs.source}: the {self.name} fit did not converge")

        n, k = len(y), len(free)
        sse_scaled = estimate.sse
        sst_scaled = float(np.sum((y - y.mean()) ** 2))
        r2 = 1.0 - sse_scaled / sst_scaled if sst_scaled > 0 else 0.0
        at_bound = estimate.at_bound
        if not r2 > 0:
            raise InputError(
                f"{obs.source}: the {self.name} fit explains none of the variation"
                f" (R2 = {r2:.3g}): no curve to report"
            )
        if k and at_bound.all():
            raise InputError(
                f"{obs.source}: every parameter of the {self.name} fit is at a bound: this history"
                " does not identify the curve"
            )
        factors = np.array([scale if n_ in self.value_parameters else 1.0 for n_ in free])
        theta = estimate.theta * factors
        # A parameter stopped at a bound is held there for the standard errors and bands: the
        # normal approximation around a boundary value would put half its draws outside the
        # model's domain.
        live = np.flatnonzero(~at_bound)
        dof = n - k
        cov = np.zeros((k, k))
        usable = dof > 0
        if usable:
            try:
                jac = estimate.jac[:, live]
                inverse = np.linalg.inv(jac.T @ jac) * (sse_scaled / dof)
                cov[np.ix_(live, live)] = inverse * np.outer(factors[live], factors[live])
                usable = bool(np.all(np.isfinite(cov)) and np.all(np.diag(cov) >= 0))
            except np.linalg.LinAlgError:
                usable = False
        params: dict[str, FitParameter] = {
            name: FitParameter(
                value=v * scale if name in self.value_parameters else v, stderr=None, fixed=True
            )
            for name, v in scaled_held.items()
        }
        for j, name in enumerate(free):
            se = float(math.sqrt(cov[j, j])) if usable and not at_bound[j] else None
            params[name] = FitParameter(
                value=float(theta[j]), stderr=se, at_bound=bool(at_bound[j])
            )
        warnings = _bound_warnings(
            self.name, [free[j] for j in np.flatnonzero(at_bound)], theta[at_bound].tolist()
        )
        if not estimate.converged:
            warnings.append(
                f"the {self.name} fit did not converge ({estimate.message.rstrip('.')}): treat its"
                " numbers with caution"
            )
        if not usable and k:
            warnings.append("the standard errors could not be computed (singular Jacobian)")
        warnings.extend(self.notes(obs, params))
        # In logarithms: the square of a population near the float limit overflows.
        sse = product_squared(math.sqrt(sse_scaled), scale)
        log_sse_unit = 2 * (
            math.log(max(math.sqrt(sse_scaled), 1e-300))
            + math.log(scale)
            + math.log(obs.unit_factor)
        )
        # R's logLik.nls: -n/2 (ln 2 pi + 1 - ln n + ln SSE); AIC counts the variance as a
        # parameter.
        log_likelihood = -0.5 * n * (math.log(2 * math.pi) + 1 + log_sse_unit - math.log(n))
        return FitResult(
            model=self.name,
            form=self.form(obs.kind),
            observations=obs,
            params={name: params[name] for name in self.parameters},
            free=free,
            covariance=tuple(tuple(float(v) for v in row) for row in cov) if usable else None,
            n=n,
            sse=sse,
            r2=r2,
            aic=-2 * log_likelihood + 2 * (k + 1),
            bic=-2 * log_likelihood + math.log(n) * (k + 1),
            scale=scale,
            converged=estimate.converged,
            warnings=tuple(warnings),
            curve=self,
        )

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
        refine: int = N_REFINED_STARTS,
        good_fit: float = GOOD_FIT_SSE_FRACTION,
        evaluations: int = 2000,
    ) -> Estimate | None:
        """Bounded least squares of ``y`` (scaled units) from screened starting points;
        ``None`` when no start could be refined.

        ``starts`` (scaled units) replace the model's own :meth:`starts`; the ``refine`` with
        the least cost are refined (at most ``evaluations`` of the curve each), stopping at the
        first that leaves less than ``good_fit`` of the variance unexplained."""
        from scipy.optimize import least_squares  # slow to import: only a fit needs it

        free, lower, upper = self.free_bounds(fixed)
        residuals = self.residuals(x, y, previous, kind, fixed)
        jacobian = self.jacobian(x, previous, kind, fixed, upper)
        if starts is None:
            starts = self.starts(x, _cumulative_guess(y, kind), m_options)
        # Screening the starts by their cost keeps the fit fast: only the best few are refined.
        candidates = self.screened(residuals, starts, free, lower, upper)
        best = None
        sst = float(np.sum((y - y.mean()) ** 2))
        for theta0 in candidates[:refine]:
            try:
                with np.errstate(all="ignore"):
                    res = least_squares(
                        residuals,
                        theta0,
                        jac=jacobian,
                        bounds=(lower, upper),
                        method="trf",
                        x_scale="jac",
                        ftol=TOLERANCE,
                        xtol=TOLERANCE,
                        gtol=TOLERANCE,
                        max_nfev=evaluations,
                    )
            except ValueError:
                continue
            if np.isfinite(res.cost) and (best is None or res.cost < best.cost):
                best = res
            if best is not None and best.success and 2 * best.cost < good_fit * sst:
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
            fixed=dict(fixed),
            sse=float(np.sum(best.fun**2)),
            jac=_central_jacobian(residuals, theta, lower, upper),
            at_bound=at_bound,
            converged=bool(best.success),
            message=str(best.message),
        )

    def free_bounds(
        self, fixed: Mapping[str, float]
    ) -> tuple[tuple[str, ...], FloatArray, FloatArray]:
        """The parameters not in ``fixed``, in order, and their lower and upper bounds."""
        free = tuple(k for k in self.parameters if k not in fixed)
        all_lower, all_upper = self.bounds()
        index = [self.parameters.index(k) for k in free]
        return free, all_lower[index], all_upper[index]

    def residuals(
        self,
        x: FloatArray,
        y: FloatArray,
        previous: FloatArray,
        kind: Kind,
        fixed: Mapping[str, float],
    ) -> Callable[[FloatArray], FloatArray]:
        """The residuals (fitted minus ``y``) as a function of the free parameters' vector."""
        free = tuple(k for k in self.parameters if k not in fixed)
        held = dict(fixed)

        def residuals(theta: FloatArray) -> FloatArray:
            params: dict[str, npt.ArrayLike] = dict(held)
            params.update(zip(free, theta.tolist(), strict=True))
            return self.observable(params, x, previous, kind) - y

        return residuals

    def jacobian(
        self,
        x: FloatArray,
        previous: FloatArray,
        kind: Kind,
        fixed: Mapping[str, float],
        upper: FloatArray,
    ) -> Callable[[FloatArray], FloatArray] | str:
        """How the solver gets the residuals' Jacobian in the free parameters: scipy's forward
        differences (``"2-point"``), or a function of the free parameters' vector."""
        return "2-point"

    def batched_jacobian(
        self,
        x: FloatArray,
        previous: FloatArray,
        kind: Kind,
        fixed: Mapping[str, float],
        upper: FloatArray,
    ) -> Callable[[FloatArray], FloatArray]:
        """Forward differences as scipy's ``"2-point"`` takes them (a step of ``sqrt(eps)``
        relative, backwards at an upper bound), every parameter moved in one evaluation of the
        curve: for a model whose curve costs more than the solver's own work per step."""
        free = tuple(k for k in self.parameters if k not in fixed)
        held = dict(fixed)
        k = len(free)

        def jacobian(theta: FloatArray) -> FloatArray:
            step = _FORWARD_STEP * np.maximum(1.0, np.abs(theta))
            step = np.where(theta + step > upper, -step, step)
            moved = np.tile(theta, (k + 1, 1))
            moved[np.arange(1, k + 1), np.arange(k)] += step
            params: dict[str, npt.ArrayLike] = dict(held)
            for j, name in enumerate(free):
                params[name] = moved[:, j : j + 1]
            with np.errstate(all="ignore"):
                values = self.observable(params, x[None, :], previous[None, :], kind)
            return np.asarray(((values[1:] - values[0]) / step[:, None]).T, dtype=np.float64)

        return jacobian

    @staticmethod
    def screened(
        residuals: Callable[[FloatArray], FloatArray],
        starts: Sequence[Mapping[str, float]],
        free: Sequence[str],
        lower: FloatArray,
        upper: FloatArray,
    ) -> list[FloatArray]:
        """The starting vectors of ``free`` (moved inside the bounds), least cost first."""
        candidates = []
        for start in starts:
            theta0 = inside([start[k] for k in free], lower, upper)
            cost = float(np.sum(residuals(theta0) ** 2))
            candidates.append((cost if np.isfinite(cost) else math.inf, theta0))
        candidates.sort(key=lambda c: c[0])
        return [theta0 for _, theta0 in candidates]

    def refit(
        self,
        params: Mapping[str, float],
        free: Sequence[str],
        targets: FloatArray,
        x: FloatArray,
        previous: FloatArray,
        kind: Kind,
        iterations: int = 100,
    ) -> FloatArray:
        """Refit the ``free`` parameters to every row of ``targets`` (draws x points, scaled
        units) at once, started at ``params`` (scaled units; the others held): a vectorised
        Levenberg-Marquardt kept inside the bounds. Rows whose refit is not finite are NaN."""
        all_lower, all_upper = self.bounds()
        index = [self.parameters.index(k) for k in free]
        lower, upper = all_lower[index], all_upper[index]
        fixed = {k: v for k, v in params.items() if k not in free}
        draws, k = targets.shape[0], len(free)
        theta = np.tile(inside([params[name] for name in free], lower, upper), (draws, 1))

        def evaluate(th: FloatArray) -> FloatArray:
            values: dict[str, npt.ArrayLike] = dict(fixed)
            for j, name in enumerate(free):
                values[name] = th[:, j : j + 1]
            return self.observable(values, x[None, :], previous[None, :], kind)

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


def _check_history(obs: Observations, n_params: int, model: str, ceiling: float | None) -> None:
    y = obs.y
    if len(y) < n_params + 1:
        raise InputError(
            f"{obs.source}: {model} needs at least {n_params + 1} observations"
            f" ({n_params} parameters + 1); got {len(y)}"
        )
    if np.ptp(y) == 0.0:
        raise InputError(
            f"{obs.source}: the values are constant ({y[0]:g}): there is no growth to fit"
        )
    if obs.kind == "cumulative" and np.polyfit(obs.x, y, 1)[0] <= 0:
        raise InputError(
            f"{obs.source}: the cumulative values do not rise: there is no adoption growth to fit"
        )
    if obs.cumulative_max <= 0:
        raise InputError(f"{obs.source}: every value is 0: there is no adoption to fit")
    what = "cumulative count" if obs.in_counts else "cumulative share"
    if ceiling is not None and ceiling < obs.cumulative_max * (1 - 1e-12):
        raise InputError(
            f"{obs.source}: the ceiling {ceiling:g} is below the observed maximum"
            f" {obs.cumulative_max:g} ({what})"
        )
    if ceiling is not None and not 0 < ceiling <= obs.ceiling_limit:
        raise InputError(f"the ceiling must be a share above 0 and at most 1 (got {ceiling:g})")


def _bound_warnings(model: str, names: Sequence[str], values: Sequence[float]) -> list[str]:
    sentences = []
    for name, value in zip(names, values, strict=True):
        if name == "m":
            sentences.append("the ceiling is at its bound: this history does not identify it")
            continue
        label = PARAMETER_LABELS.get(name)
        what = f"{name} ({label})" if label else name
        sentences.append(
            f"the {model} parameter {what} is at its bound ({value:.6g}): this history does not"
            " identify it"
        )
    return sentences


def _polished(
    residuals: Callable[[FloatArray], FloatArray],
    best: OptimizeResult,
    lower: FloatArray,
    upper: FloatArray,
) -> OptimizeResult:
    """An interior solution refined by MINPACK's Levenberg-Marquardt (as R's ``nlsLM``): where a
    parameter is poorly identified, the bounded solver stops while the optimum is still a few
    parts per million away, and results would depend on the bounds (the population)."""
    from scipy.optimize import least_squares

    theta = np.asarray(best.x, dtype=np.float64)
    if theta.size == 0 or best.fun.size < theta.size:
        return best
    margin = 1e-6 * np.maximum(1.0, np.abs(theta))
    if np.any(theta - lower <= margin) or np.any(upper - theta <= margin):
        return best
    try:
        with np.errstate(all="ignore"):
            polished: Any = least_squares(
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
