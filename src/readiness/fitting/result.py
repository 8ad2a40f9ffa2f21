"""A fitted curve that presents itself: parameters with standard errors and intervals, quality,
a summary table, predictions and uncertainty bands."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, cast

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, ConfigDict, Field

from readiness.fitting.bands import (
    BOOTSTRAP_BELOW_POINTS,
    Z95,
    Band,
    BandMethod,
    delta_method_band,
    quantile_band,
    value_gradient,
)
from readiness.fitting.model_names import FitModelName
from readiness.fitting.observations import FloatArray, Kind, Observations

if TYPE_CHECKING:
    import pandas as pd

    from readiness.fitting.curve_model import CurveModel


def product_squared(a: float, b: float) -> float:
    """``(a b)^2``, infinite rather than an error beyond the float range."""
    product = a * b
    return product * product


class FitParameter(BaseModel):
    """One parameter estimate with its standard error.

    ``stderr`` is ``None`` when the parameter was held fixed, stopped at a bound, or the
    Jacobian was singular.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    value: float
    stderr: float | None
    fixed: bool = False
    at_bound: bool = Field(default=False, description="stopped at a bound; held there for bands")

    @property
    def interval(self) -> tuple[float | None, float | None]:
        """95% Wald interval ``value +- 1.96 se`` (``None`` without a standard error)."""
        if self.stderr is None:
            return None, None
        return self.value - Z95 * self.stderr, self.value + Z95 * self.stderr


class RankedModel(BaseModel):
    """A candidate model's information criteria (lower AIC is better).

    ``equivalent_to`` names the models that fit these data identically (equal sums of squares);
    ``indistinguishable`` is true for a model within 2 AIC of the best, and for the best when
    another (not an equivalent one) is within 2 AIC of it: those are not ranked.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    model: FitModelName
    aic: float
    bic: float
    r2: float
    sse: float = 0.0
    delta_aic: float = 0.0
    equivalent_to: tuple[FitModelName, ...] = ()
    indistinguishable: bool = False


class FitResult(BaseModel):
    """A fitted adoption curve: parameters, quality, warnings and ranking.

    Parameters are in the history's values (``m`` a share 0-1, or a count without a population),
    rates per year, times in decimal years. ``covariance`` is over the free parameters in
    ``free`` order, with zero rows for parameters at a bound (``None`` when singular). ``sse`` is
    in the history's values; ``aic``/``bic`` are R's, on the data's own unit. ``scale`` is the
    unit the fit was computed in (the highest cumulative value). ``curve`` is the
    :class:`~readiness.fitting.curve_model.CurveModel` that was fitted.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    model: FitModelName
    form: str
    observations: Observations
    params: dict[str, FitParameter]
    free: tuple[str, ...]
    covariance: tuple[tuple[float, ...], ...] | None
    n: int
    sse: float
    r2: float
    aic: float
    bic: float
    scale: float = 1.0
    converged: bool = True
    warnings: tuple[str, ...] = ()
    ranking: tuple[RankedModel, ...] = ()
    model_choice: str = ""
    skipped: dict[str, str] = Field(default_factory=dict)
    # The model instance (its periods, bounds and form), not data: left out of dumps.
    curve: Any = Field(exclude=True, repr=False)

    @property
    def ceiling(self) -> float:
        """Fitted (or fixed) ceiling: share 0-1, or a count without a population."""
        return self.params["m"].value

    @property
    def sse_in_unit(self) -> float:
        """Sum of squared residuals in the data's own unit (percent, counts...); infinite when
        beyond the float range."""
        return product_squared(math.sqrt(self.sse), self.observations.unit_factor)

    @property
    def launch(self) -> float | None:
        """Bass launch (decimal year): fixed, or implied by the fitted value at the first period."""
        launch = self.curve_model().launch_of(self._values())
        return None if launch is None else float(launch)

    def curve_model(self) -> CurveModel:
        """The fitted curve model (bounds in units of :attr:`scale`)."""
        return cast("CurveModel", self.curve)

    def _values(self) -> dict[str, float]:
        return {k: v.value for k, v in self.params.items()}

    def _factors(self, curve: CurveModel) -> FloatArray:
        """Per free parameter: the history's values per scaled unit (``scale`` or 1)."""
        return np.array(
            [self.scale if k in curve.value_parameters else 1.0 for k in self.free],
            dtype=np.float64,
        )

    def predict(self, periods: npt.ArrayLike, kind: Kind | None = None) -> FloatArray:
        """Fitted values at ``periods`` (decimal years), in the history's values.

        ``kind`` defaults to the history's kind; ``cumulative`` gives the adopted ``F``.
        For per-period values the period before each point is one step earlier.
        """
        x = np.atleast_1d(np.asarray(periods, dtype=np.float64))
        want = kind or self.observations.kind
        return self.curve_model().observable(self._values(), x, x - self.observations.step, want)

    def forecast_periods(self, horizon: float) -> FloatArray:
        """Observed periods followed by steps up to ``horizon`` years after the last one."""
        obs = self.observations
        step = obs.step
        n_ahead = math.floor(horizon / step + 1e-9)
        ahead = obs.x[-1] + step * np.arange(1, n_ahead + 1)
        return np.concatenate([obs.x, ahead])

    # --- presentation -----------------------------------------------------------------------

    def summary(self) -> pd.DataFrame:
        """One row per parameter: value, standard error, 95% interval, at bound, fixed (values
        in the history's values: ``m`` a share 0-1, or a count), and what it means where the
        model says (a shock's parameters)."""
        import pandas as pd  # a table for people and notebooks; fitting itself needs none

        meanings = self.curve_model().parameter_meanings()
        rows = []
        for name, p in self.params.items():
            low, high = p.interval
            row: dict[str, object] = {
                "parameter": name,
                "value": p.value,
                "standard error": p.stderr,
                "low 95%": low,
                "high 95%": high,
                "at bound": p.at_bound,
                "fixed": p.fixed,
            }
            if meanings:  # models whose parameter names need words (a shock's a, b, c)
                row["meaning"] = meanings.get(name, "")
            rows.append(row)
        return pd.DataFrame(rows)

    def summary_text(self) -> str:
        """The fit as text: model and form, quality, the parameter table, warnings."""
        obs = self.observations
        unit = "count" if obs.in_counts else "share 0-1"
        lines = [
            f"model: {self.model}  ({self.form})",
            f"n = {self.n}, R2 = {self.r2:.4f}, SSE = {self.sse_in_unit:.6g} ({obs.unit}),"
            f" AIC = {self.aic:.2f}, BIC = {self.bic:.2f} (as R's AIC/BIC of nls)",
            f"ceiling m as a {unit}"
            + (f" of a population of {obs.population:g}" if obs.population else ""),
            f"{'parameter':<10} {'value':>12} {'std error':>12} {'low 95%':>12} {'high 95%':>12}",
        ]
        for name, p in self.params.items():
            low, high = p.interval
            if p.fixed:
                note = ["fixed", "", ""]
            elif p.at_bound:
                note = ["at bound", "", ""]
            elif p.stderr is None or low is None or high is None:
                note = ["n/a", "", ""]
            else:
                note = [f"{p.stderr:.4g}", f"{low:.6g}", f"{high:.6g}"]
            lines.append(f"{name:<10} {p.value:>12.6g} {note[0]:>12} {note[1]:>12} {note[2]:>12}")
        lines.extend(
            f"{name}: {meaning}"
            for name, meaning in self.curve_model().parameter_meanings().items()
        )
        lines.append(f"converged: {'yes' if self.converged else 'no'}")
        lines.extend(f"warning: {w}" for w in self.warnings)
        return "\n".join(lines) + "\n"

    # --- bands ------------------------------------------------------------------------------

    def band(self, periods: npt.ArrayLike, *, kind: Kind | None = None) -> Band:
        """80% and 95% bands at ``periods`` from the parameters' covariance: the delta method on
        the logit of the share (the log of counts without a population), so the band stays
        within the values the model can take and contains the fit (see
        :mod:`readiness.fitting.bands`). Without a covariance the band collapses onto the fit.
        """
        x = np.atleast_1d(np.asarray(periods, dtype=np.float64))
        want = kind or self.observations.kind
        fit = self.predict(x, want)
        cov = np.asarray(self.covariance if self.covariance is not None else [], dtype=np.float64)
        if not self.free or cov.size == 0 or not np.any(np.diag(cov) > 0):
            return Band(x, fit, fit, fit, fit, fit, "none")
        previous = x - self.observations.step
        gradient = value_gradient(self.curve_model(), self._values(), self.free, x, previous, want)
        edges = delta_method_band(fit, gradient, cov, self.observations.ceiling_limit)
        return Band(x, fit, *edges, "covariance")

    def _band_of(
        self,
        curve: CurveModel,
        sample: FloatArray,
        x: FloatArray,
        fit: FloatArray,
        want: Kind,
    ) -> Band:
        """The bootstrap band of the curves of ``sample`` (draws x free parameters), all at once:
        their spread on the logit of the share, placed around the fit."""
        params: dict[str, npt.ArrayLike] = dict(self._values())
        for j, k in enumerate(self.free):
            params[k] = sample[:, j : j + 1]
        step = self.observations.step
        paths = curve.observable(params, x[None, :], (x - step)[None, :], want)
        paths = paths[np.all(np.isfinite(paths), axis=1)]
        if paths.shape[0] == 0:
            return Band(x, fit, fit, fit, fit, fit, "none")
        edges = quantile_band(fit, paths, self.observations.ceiling_limit)
        return Band(x, fit, *edges, "bootstrap")

    def bootstrap_band(
        self,
        periods: npt.ArrayLike,
        *,
        draws: int = 200,
        seed: int = 0,
        kind: Kind | None = None,
    ) -> Band:
        """80% and 95% bands from a parametric bootstrap: the model is refitted to ``draws``
        histories simulated as the fitted values plus normal noise with the residuals' spread.

        All refits run at once (a vectorised Levenberg-Marquardt started at the fit), so this
        costs milliseconds, not a least-squares call per draw. It does not assume the parameters
        are normal, which matters for short histories where a parameter is poorly identified.
        Draws whose refit fails are left out; with fewer than half of them usable, or no
        residual spread, the covariance band is returned instead.
        """
        x = np.atleast_1d(np.asarray(periods, dtype=np.float64))
        want = kind or self.observations.kind
        fit = self.predict(x, want)
        dof = self.n - len(self.free)
        if not self.free or dof <= 0 or self.sse <= 0:
            return self.band(x, kind=kind)
        obs = self.observations
        curve = self.curve_model()
        scaled = {
            k: v / self.scale if k in curve.value_parameters else v
            for k, v in self._values().items()
        }
        fitted = self.predict(obs.x)
        rng = np.random.default_rng(seed)
        noise = rng.normal(0.0, math.sqrt(self.sse / dof), size=(draws, self.n))
        targets = (fitted + noise) / self.scale
        refits = curve.refit(scaled, self.free, targets, obs.x, obs.previous, obs.kind)
        usable = refits[np.all(np.isfinite(refits), axis=1)]
        if 2 * usable.shape[0] < draws:
            return self.band(x, kind=kind)
        return self._band_of(curve, usable * self._factors(curve), x, fit, want)

    def uncertainty(
        self, periods: npt.ArrayLike, method: BandMethod = "auto", kind: Kind | None = None
    ) -> Band:
        """The band by ``method``; ``auto`` bootstraps histories of fewer than
        :data:`~readiness.fitting.bands.BOOTSTRAP_BELOW_POINTS` points and samples the covariance
        otherwise."""
        if method == "auto":
            method = "bootstrap" if self.n < BOOTSTRAP_BELOW_POINTS else "covariance"
        if method == "bootstrap":
            return self.bootstrap_band(periods, kind=kind)
        return self.band(periods, kind=kind)
