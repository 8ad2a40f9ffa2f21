"""The Bass curve ``F(x) = m (1 - e^(-(p+q)s)) / (1 + (q/p) e^(-(p+q)s))``, ``s`` years since
launch, and the Bass model fitted to a history: the launch fixed (per-period data: one step before
the first period, as in Bass 1969) or placed where the curve reaches ``f_start`` at the first
period (cumulative data). The projections' Bass scenarios use the same curve."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import ClassVar

import numpy as np
import numpy.typing as npt

from readiness.errors import InputError
from readiness.fitting.curve_model import CurveModel, Params
from readiness.fitting.model_names import FitModelName
from readiness.fitting.observations import FloatArray, Observations


def bass_fraction(s: npt.ArrayLike, p: npt.ArrayLike, q: npt.ArrayLike) -> FloatArray:
    """Fraction 0-1 of the ceiling adopted ``s`` years after launch (0 before), with innovation
    ``p`` and imitation ``q`` per year; every argument broadcasts against the others (scalars,
    draws x 1, 1 x periods)."""
    s_, p_, q_ = (np.asarray(v, dtype=np.float64) for v in (s, p, q))
    # (1 - e) / (1 + (q/p) e) multiplied through by p: q/p overflows for p near 0. Computed in
    # place in one new array of the broadcast shape (0-d for scalars: numpy scalars take no out=),
    # as projections evaluate it over thousands of scenarios and months.
    with np.errstate(over="ignore", invalid="ignore"):
        e = np.asarray(np.maximum(s_, 0.0) * -(p_ + q_), dtype=np.float64)
        np.exp(e, out=e)
        denominator = q_ * e
        denominator += p_
        np.subtract(1.0, e, out=e)
        e *= p_
        e /= denominator
    return e


def bass_years_to(fraction: npt.ArrayLike, p: npt.ArrayLike, q: npt.ArrayLike) -> FloatArray:
    """Years after launch at which the Bass curve reaches ``fraction`` (0 <= fraction < 1) of its
    ceiling, with ``p`` and ``q`` per year (the inverse of :func:`bass_fraction`)."""
    f_, p_, q_ = (np.asarray(v, dtype=np.float64) for v in (fraction, p, q))
    # -ln((1 - f) / (1 + f q/p)) / (p + q) in logarithms: q/p overflows for p near 0.
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.asarray(
            -(np.log(p_) + np.log1p(-f_) - np.log(p_ + f_ * q_)) / (p_ + q_), dtype=np.float64
        )


class BassModel(CurveModel):
    """Innovation ``p`` and imitation ``q`` per year, ceiling ``m``, and either the ``launch``
    (decimal year) or ``f_start``, the cumulative value at the first period (``anchored``).

    Anchoring at the first value instead of a launch year keeps the parameters identified on
    cumulative data: as ``p -> 0`` the launch drifts to minus infinity, the anchored curve
    smoothly becomes a logistic.
    """

    name: ClassVar[FitModelName] = "bass"
    formula = "F(x) = m (1 - e^(-(p+q)s)) / (1 + (q/p) e^(-(p+q)s)), s = x - launch"
    value_parameters: ClassVar[frozenset[str]] = frozenset({"m", "f_start"})

    def __init__(
        self, x_first: float, x_last: float, step: float, m_upper: float, *, anchored: bool
    ) -> None:
        super().__init__(x_first, x_last, step, m_upper)
        self.anchored = anchored
        self.parameters = ("p", "q", "m", "f_start" if anchored else "launch")
        if anchored:
            self.formula += ", launch placed so that F(x_first) = f_start"

    @property
    def equivalent_on(self) -> dict[str, tuple[str, ...]]:  # type: ignore[override]
        """With the launch fixed, per-period Bass is the logistic family (see LogisticModel)."""
        return {} if self.anchored else {"per-period": ("logistic",)}

    def bounds(self) -> tuple[FloatArray, FloatArray]:
        if self.anchored:
            return np.array([1e-6, 0.0, 1e-6, 1e-9]), np.array([1.0, 5.0, self.m_upper, 1.0])
        earliest = self.x_first - 10 * self.span - 30.0
        return (
            np.array([1e-6, 0.0, 1e-6, earliest]),
            np.array([1.0, 5.0, self.m_upper, self.x_first - 1e-6]),
        )

    def starts(
        self, x: FloatArray, f: FloatArray, m_options: Sequence[float]
    ) -> list[dict[str, float]]:
        return [
            {
                "p": p,
                "q": q,
                "m": m,
                "launch": self.x_first - self.step,
                "f_start": float(max(f[0], 1e-6)),
            }
            for m in m_options
            for p, q in ((0.01, 0.4), (0.03, 0.38), (0.003, 0.6))
        ]

    def held(self, obs: Observations, fixed: Mapping[str, float]) -> dict[str, float]:
        """Without an anchor the launch is held: one step before the first period unless given."""
        held = dict(fixed)
        if not self.anchored:
            held.setdefault("launch", float(obs.x[0] - obs.step))
        return held

    def check_held(self, obs: Observations, held: Mapping[str, float]) -> None:
        if "launch" in held and held["launch"] >= obs.x[0]:
            raise InputError(f"the Bass launch {held['launch']:g} must be before the first period")

    def launch_of(self, params: Params) -> FloatArray:
        """The launch year: fixed, or where the anchored curve starts."""
        if not self.anchored:
            return np.asarray(params["launch"], dtype=np.float64)
        p, q, m, f_start = (np.asarray(params[k], dtype=np.float64) for k in self.parameters)
        since = bass_years_to(np.clip(f_start / m, 0.0, 1.0 - 1e-12), p, q)
        return np.asarray(self.x_first - since, dtype=np.float64)

    def cumulative(self, params: Params, x: npt.ArrayLike) -> FloatArray:
        p, q, m = (np.asarray(params[k], dtype=np.float64) for k in ("p", "q", "m"))
        since = np.asarray(x, dtype=np.float64) - self.launch_of(params)
        return np.asarray(m * bass_fraction(since, p, q), dtype=np.float64)
