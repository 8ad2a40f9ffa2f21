"""The curve models by name, made for a history, and the fit of each."""

from __future__ import annotations

from collections.abc import Sequence

from readiness.errors import InputError
from readiness.fitting.bass_model import BassModel
from readiness.fitting.curve_model import CurveModel
from readiness.fitting.gbm_model import GeneralizedBassModel, shock_names
from readiness.fitting.gompertz_model import GompertzModel
from readiness.fitting.logistic_model import LogisticModel
from readiness.fitting.model_names import FitModelName, ShockShape
from readiness.fitting.observations import Observations
from readiness.fitting.result import FitResult


def curve_model(
    name: FitModelName,
    *,
    x_first: float,
    x_last: float,
    step: float,
    m_upper: float,
    anchored: bool = False,
    shocks: Sequence[ShockShape] = (),
) -> CurveModel:
    """The curve model ``name`` for periods from ``x_first`` to ``x_last`` (decimal years)
    ``step`` apart, with ceilings up to ``m_upper``; ``anchored`` only applies to Bass and the
    GBM, ``shocks`` (their shapes, one exponential shock by default) to the GBM."""
    if name == "logistic":
        return LogisticModel(x_first, x_last, step, m_upper)
    if name == "gompertz":
        return GompertzModel(x_first, x_last, step, m_upper)
    if name == "gbm":
        return GeneralizedBassModel(
            x_first, x_last, step, m_upper, anchored=anchored, shocks=shocks or ("exponential",)
        )
    return BassModel(x_first, x_last, step, m_upper, anchored=anchored)


def model_for(
    name: FitModelName,
    obs: Observations,
    *,
    anchored: bool | None = None,
    shocks: Sequence[ShockShape] = (),
) -> CurveModel:
    """The curve model ``name`` for a history's periods, in its scaled units
    (:attr:`~readiness.fitting.observations.Observations.scale`). Bass and the GBM are anchored
    at their first value on cumulative data unless ``anchored`` is False (a launch year is given
    instead); ``shocks`` are the GBM's."""
    return curve_model(
        name,
        x_first=float(obs.x[0]),
        x_last=float(obs.x[-1]),
        step=obs.step,
        m_upper=obs.ceiling_limit / obs.scale,
        anchored=obs.kind == "cumulative" if anchored is None else anchored,
        shocks=shocks,
    )


def fit_logistic(obs: Observations, *, ceiling: float | None = None) -> FitResult:
    """Fit a logistic curve (``r`` per year, midpoint ``x_mid`` in years, ceiling ``m``)."""
    return model_for("logistic", obs).fit(obs, ceiling=ceiling)


def fit_gompertz(obs: Observations, *, ceiling: float | None = None) -> FitResult:
    """Fit a Gompertz curve (``b``, rate ``c`` per year, ceiling ``m``)."""
    return model_for("gompertz", obs).fit(obs, ceiling=ceiling)


def fit_bass(
    obs: Observations, *, ceiling: float | None = None, launch: float | None = None
) -> FitResult:
    """Fit a Bass curve (``p``, ``q`` per year, ceiling ``m``, ``launch`` year).

    Per-period data fixes the launch one step before the first period; cumulative data fits
    the first value ``f_start`` (which places the launch) unless ``launch`` (decimal year) is
    given. ``m`` is a share 0-1, or the market potential in counts without a population.
    """
    anchored = obs.kind == "cumulative" and launch is None
    fixed = {} if launch is None else {"launch": launch}
    return model_for("bass", obs, anchored=anchored).fit(obs, ceiling=ceiling, fixed=fixed)


def fit_gbm(
    obs: Observations,
    shocks: Sequence[ShockShape] = ("exponential",),
    *,
    shock_starts: Sequence[float | None] = (),
    ceiling: float | None = None,
    launch: float | None = None,
) -> FitResult:
    """Fit the Generalized Bass Model with ``shocks`` (shapes, in the order of their starts):
    Bass's ``p``, ``q``, ``m`` and ``launch`` or ``f_start`` as :func:`fit_bass`, then per shock
    ``i`` its start ``a_i`` (decimal year), ``b_i`` and effect ``c_i`` (see
    :mod:`readiness.fitting.gbm_model`).

    ``shock_starts`` holds a shock's start at a decimal year (an action's date), ``None`` to
    estimate it; unlisted shocks are estimated. Compare with :func:`fit_bass` of the same history
    (same ``ceiling`` and ``launch``) by
    :func:`~readiness.fitting.gbm_model.compare_with_bass`.
    """
    if len(shock_starts) > len(shocks):
        raise InputError(
            f"{len(shock_starts)} shock starts for {len(shocks)} shock"
            f"{'s' if len(shocks) != 1 else ''}"
        )
    anchored = obs.kind == "cumulative" and launch is None
    fixed = {} if launch is None else {"launch": launch}
    for number, start in enumerate(shock_starts, start=1):
        if start is not None:
            fixed[shock_names(number)[0]] = start
    model = model_for("gbm", obs, anchored=anchored, shocks=shocks)
    return model.fit(obs, ceiling=ceiling, fixed=fixed)
