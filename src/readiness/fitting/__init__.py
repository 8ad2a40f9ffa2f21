"""Adoption curves fitted to an organization's own history, with uncertainty bands.

In the manner of lifelines' ``fitters``: each curve model is a small class in its own module
(:class:`LogisticModel`, :class:`GompertzModel`, :class:`BassModel`, and
:class:`GeneralizedBassModel`, Bass with shocks), the base class :class:`CurveModel` fits it,
and the :class:`FitResult` presents itself (``summary()``, ``summary_text()``, intervals,
``band()``, ``bootstrap_band()``).

- :mod:`~readiness.fitting.reading`: a ``period,value`` CSV (or a table of its cells) read into
  :class:`Observations`, periods in decimal years, values as shares 0-1 (or counts without a
  population), every problem named by file, row and field;
- :mod:`~readiness.fitting.curve_model`: what a model is and the fit (scaled units, standard
  errors from the Jacobian, R's AIC and BIC);
- :mod:`~readiness.fitting.models`: the models by name, and :func:`fit_logistic`,
  :func:`fit_gompertz`, :func:`fit_bass`, :func:`fit_gbm`;
- :mod:`~readiness.fitting.gbm_model`: the Generalized Bass Model with rectangular and
  exponential shocks, and :func:`compare_with_bass`: is a shock supported, or too early to tell;
- :mod:`~readiness.fitting.ranking`: :func:`fit_model` and :func:`fit_auto`, every model the data
  support ranked by AIC, with the choice in words;
- :mod:`~readiness.fitting.result` and :mod:`~readiness.fitting.bands`: the result and its bands,
  from the covariance (the delta method) or refits to simulated histories, both on the logit of
  the share, so a band stays within the values the model can take and contains its forecast.
"""

from __future__ import annotations

from readiness.fitting.bands import (
    BAND_METHODS,
    BAND_QUANTILES,
    BOOTSTRAP_BELOW_POINTS,
    Band,
    BandMethod,
)
from readiness.fitting.bass_model import BassModel, bass_fraction, bass_years_to
from readiness.fitting.curve_model import (
    GOOD_FIT_SSE_FRACTION,
    N_REFINED_STARTS,
    CurveModel,
    Estimate,
    inside,
)
from readiness.fitting.gbm_model import (
    GeneralizedBassModel,
    ShockComparison,
    compare_with_bass,
    shock_integral,
)
from readiness.fitting.gompertz_model import GompertzModel
from readiness.fitting.logistic_model import LogisticModel
from readiness.fitting.model_names import (
    FIT_MODELS,
    MAX_SHOCKS,
    SHOCK_MODELS,
    SHOCK_SHAPES,
    FitModelName,
    ShockShape,
)
from readiness.fitting.models import (
    curve_model,
    fit_bass,
    fit_gbm,
    fit_gompertz,
    fit_logistic,
    model_for,
)
from readiness.fitting.observations import Kind, Observations, Unit
from readiness.fitting.ranking import fit_auto, fit_model
from readiness.fitting.reading import HistoryTable, read_history_text, read_observations
from readiness.fitting.result import FitParameter, FitResult, RankedModel

__all__ = [
    "BAND_METHODS",
    "BAND_QUANTILES",
    "BOOTSTRAP_BELOW_POINTS",
    "FIT_MODELS",
    "GOOD_FIT_SSE_FRACTION",
    "MAX_SHOCKS",
    "N_REFINED_STARTS",
    "SHOCK_MODELS",
    "SHOCK_SHAPES",
    "Band",
    "BandMethod",
    "BassModel",
    "CurveModel",
    "Estimate",
    "FitModelName",
    "FitParameter",
    "FitResult",
    "GeneralizedBassModel",
    "GompertzModel",
    "HistoryTable",
    "Kind",
    "LogisticModel",
    "Observations",
    "RankedModel",
    "ShockComparison",
    "ShockShape",
    "Unit",
    "bass_fraction",
    "bass_years_to",
    "compare_with_bass",
    "curve_model",
    "fit_auto",
    "fit_bass",
    "fit_gbm",
    "fit_gompertz",
    "fit_logistic",
    "fit_model",
    "inside",
    "model_for",
    "read_history_text",
    "read_observations",
    "shock_integral",
]
