"""The logistic curve ``F(x) = m / (1 + exp(-r (x - x_mid)))``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

import numpy as np
import numpy.typing as npt

from readiness.fitting.curve_model import CurveModel, Params
from readiness.fitting.model_names import FitModelName
from readiness.fitting.observations import FloatArray


class LogisticModel(CurveModel):
    """Rate ``r`` per year, midpoint ``x_mid`` (decimal year), ceiling ``m``."""

    name: ClassVar[FitModelName] = "logistic"
    formula = "F(x) = m / (1 + exp(-r (x - x_mid)))"
    parameters = ("r", "x_mid", "m")
    # Per-period increments of Bass (launch fixed) are those of a logistic: Bass's F is
    # m (p+q)/q / (1 + (q/p) e^(-(p+q) s)) - m p/q, a logistic minus a constant that the
    # increments cancel (rate p+q, midpoint launch + ln(q/p)/(p+q), ceiling m (p+q)/q).
    equivalent_on: ClassVar[dict[str, tuple[str, ...]]] = {"per-period": ("bass",)}

    def bounds(self) -> tuple[FloatArray, FloatArray]:
        reach = 10 * self.span + 50.0
        return (
            np.array([1e-3, self.x_first - reach, 1e-6]),
            np.array([20.0, self.x_last + reach, self.m_upper]),
        )

    def starts(
        self, x: FloatArray, f: FloatArray, m_options: Sequence[float]
    ) -> list[dict[str, float]]:
        starts = []
        for m in m_options:
            frac = np.clip(f / m, 1e-4, 1 - 1e-4)
            slope, icpt = np.polyfit(x - self.x_first, np.log(frac / (1 - frac)), 1)
            mid = self.x_first - icpt / slope if slope > 0 else float(x[-1])
            starts.append({"r": float(np.clip(slope, 0.05, 10.0)), "x_mid": float(mid), "m": m})
        return starts

    def cumulative(self, params: Params, x: npt.ArrayLike) -> FloatArray:
        r, mid, m = (np.asarray(params[k], dtype=np.float64) for k in self.parameters)
        with np.errstate(over="ignore"):
            return np.asarray(m / (1.0 + np.exp(-r * (np.asarray(x) - mid))), dtype=np.float64)
