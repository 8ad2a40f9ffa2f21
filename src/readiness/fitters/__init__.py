"""Curve models, one small class each, and the base class that fits them.

:func:`curve_model` builds the model of a name for a history; :mod:`readiness.fitting` is the
public entry point (reading histories, :class:`~readiness.fitting.FitResult`, bands).
"""

from __future__ import annotations

from typing import Literal

from readiness.fitters.base import (
    GOOD_FIT_SSE_FRACTION,
    N_REFINED_STARTS,
    CurveModel,
    Estimate,
    inside,
)
from readiness.fitters.bass_fitter import BassModel, bass_fraction, bass_years_to
from readiness.fitters.gompertz_fitter import GompertzModel
from readiness.fitters.logistic_fitter import LogisticModel

FitModelName = Literal["logistic", "gompertz", "bass"]
FIT_MODELS: tuple[FitModelName, ...] = ("logistic", "gompertz", "bass")


def curve_model(
    name: FitModelName,
    *,
    x_first: float,
    x_last: float,
    step: float,
    m_upper: float,
    anchored: bool = False,
) -> CurveModel:
    """The curve model ``name`` for a history's periods; ``anchored`` only applies to Bass."""
    if name == "logistic":
        return LogisticModel(x_first, x_last, step, m_upper)
    if name == "gompertz":
        return GompertzModel(x_first, x_last, step, m_upper)
    return BassModel(x_first, x_last, step, m_upper, anchored=anchored)


__all__ = [
    "FIT_MODELS",
    "GOOD_FIT_SSE_FRACTION",
    "N_REFINED_STARTS",
    "BassModel",
    "CurveModel",
    "Estimate",
    "FitModelName",
    "GompertzModel",
    "LogisticModel",
    "bass_fraction",
    "bass_years_to",
    "curve_model",
    "inside",
]
