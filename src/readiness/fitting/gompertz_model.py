"""The Gompertz curve ``F(x) = m exp(-b exp(-c (x - x_first)))``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

import numpy as np
import numpy.typing as npt

from readiness.fitting.curve_model import CurveModel, Params
from readiness.fitting.model_names import FitModelName
from readiness.fitting.observations import FloatArray


class GompertzModel(CurveModel):
    """Displacement ``b``, rate ``c`` per year, ceiling ``m``; ``x_first`` the first period."""

    name: ClassVar[FitModelName] = "gompertz"
    formula = "F(x) = m exp(-b exp(-c (x - x_first)))"
    parameters = ("b", "c", "m")

    def bounds(self) -> tuple[FloatArray, FloatArray]:
        return np.array([1e-6, 1e-3, 1e-6]), np.array([1e4, 20.0, self.m_upper])

    def starts(
        self, x: FloatArray, f: FloatArray, m_options: Sequence[float]
    ) -> list[dict[str, float]]:
        starts = []
        for m in m_options:
            frac = np.clip(f / m, 1e-4, 1 - 1e-4)
            slope, icpt = np.polyfit(x - self.x_first, np.log(-np.log(frac)), 1)
            starts.append(
                {
                    "b": float(np.clip(np.exp(icpt), 1e-3, 1e3)),
                    "c": float(np.clip(-slope, 0.02, 10.0)),
                    "m": m,
                }
            )
        return starts

    def cumulative(self, params: Params, x: npt.ArrayLike) -> FloatArray:
        b, c, m = (np.asarray(params[k], dtype=np.float64) for k in self.parameters)
        since = np.asarray(x) - self.x_first
        with np.errstate(over="ignore"):
            return np.asarray(m * np.exp(-b * np.exp(-c * since)), dtype=np.float64)
