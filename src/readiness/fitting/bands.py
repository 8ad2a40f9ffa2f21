"""Bands around a fitted curve that stay inside the values the model can take.

A curve's values (cumulative or per period) lie between 0 and a limit: a share of 1, or no limit
for counts without a population. Sampling the parameters from a normal distribution on their raw
scale, and clipping what falls outside, puts a band where the model cannot be (a plateau at 0.6
with a band down to 0 from draws of a negative growth rate) or beside its own forecast (a band
of ``[lower, forecast]`` when the clipped draws all fall on one side). Here both kinds of band
are built on the **logit of value / limit** (the log of the value without a limit) and mapped
back:

- the covariance band is the delta method on that scale: the value's standard error from the
  gradient of the curve with respect to the free parameters, ``se_v = sqrt(g' C g)``, divided by
  the slope of the logit, ``forecast +- z se`` there;
- the bootstrap band keeps the refitted curves' own spread, their quantiles' distances from
  their median on that scale, placed around the forecast.

So a band is never below 0 or above the limit, a band around a positive forecast is positive,
and every band contains its forecast by construction (symmetric on the logit scale, asymmetric
on the values' scale), not by clipping it. Where the forecast is itself 0 or the limit, the band
on the open side is the plain one on the values' scale and the closed side is the forecast.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np
import numpy.typing as npt

from readiness.fitting.observations import FloatArray, Kind

if TYPE_CHECKING:
    from readiness.fitting.curve_model import CurveModel

#: Normal quantiles of the central 95% and 80% intervals.
Z95 = 1.959963984540054
Z80 = 1.2815515655446004
#: Quantiles of the bootstrap band: 95% and 80% central intervals, low to high.
BAND_QUANTILES = (0.025, 0.10, 0.90, 0.975)
#: Relative step of the central differences of the curve with respect to a parameter.
GRADIENT_STEP = 1e-6

#: How a band is made: ``covariance`` from the parameters' normal approximation (the delta
#: method); ``bootstrap`` refits the model to simulated histories; ``auto`` bootstraps short ones.
BandMethod = Literal["auto", "covariance", "bootstrap"]
BAND_METHODS: tuple[BandMethod, ...] = ("auto", "covariance", "bootstrap")
#: ``auto`` bootstraps histories with fewer points: there a parameter is often poorly identified
#: and its normal approximation puts the band where the data say it cannot be (e.g. a ceiling
#: below the share already observed).
BOOTSTRAP_BELOW_POINTS = 12

__all__ = [
    "BAND_METHODS",
    "BAND_QUANTILES",
    "BOOTSTRAP_BELOW_POINTS",
    "Z80",
    "Z95",
    "Band",
    "BandMethod",
    "delta_method_band",
    "quantile_band",
    "value_gradient",
]

Edges = tuple[FloatArray, FloatArray, FloatArray, FloatArray]


@dataclass(frozen=True)
class Band:
    """Uncertainty band of a fit at ``periods`` (decimal years), in the history's values
    (shares 0-1, or counts without a population).

    ``low95``/``high95`` bound the central 95% interval and ``low80``/``high80`` the central
    80% interval of the fitted curve under parameter uncertainty; every band contains ``fit``.
    """

    periods: FloatArray
    fit: FloatArray
    low95: FloatArray
    low80: FloatArray
    high80: FloatArray
    high95: FloatArray
    method: Literal["covariance", "bootstrap", "none"] = "covariance"


def _unbounded(values: FloatArray, limit: float) -> FloatArray:
    """``logit(values / limit)``, or ``log(values)`` without a limit (infinite at the edges)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        if math.isinf(limit):
            return np.asarray(np.log(values), dtype=np.float64)
        return np.asarray(np.log(values) - np.log(limit - values), dtype=np.float64)


def _bounded(t: FloatArray, limit: float) -> FloatArray:
    """The inverse of :func:`_unbounded`."""
    with np.errstate(over="ignore"):
        if math.isinf(limit):
            return np.asarray(np.exp(t), dtype=np.float64)
        return np.asarray(limit / (1.0 + np.exp(-t)), dtype=np.float64)


def _slope(values: FloatArray, limit: float) -> FloatArray:
    """Derivative of :func:`_unbounded` at ``values``."""
    with np.errstate(divide="ignore"):
        if math.isinf(limit):
            return np.asarray(1.0 / values, dtype=np.float64)
        return np.asarray(limit / (values * (limit - values)), dtype=np.float64)


def value_gradient(
    curve: CurveModel,
    params: Mapping[str, float],
    free: Sequence[str],
    x: FloatArray,
    previous: FloatArray,
    kind: Kind,
) -> FloatArray:
    """Derivatives of the curve's values at ``x`` with respect to each of ``free`` (free x
    periods), by central differences; all curves evaluated at once."""
    k = len(free)
    steps = np.array([GRADIENT_STEP * max(abs(float(params[name])), 1e-3) for name in free])
    moved: dict[str, npt.ArrayLike] = {name: float(v) for name, v in params.items()}
    # Rows 0..k-1 step each parameter up, rows k..2k-1 step it down.
    for j, name in enumerate(free):
        column = np.full((2 * k, 1), float(params[name]))
        column[j, 0] += steps[j]
        column[k + j, 0] -= steps[j]
        moved[name] = column
    values = curve.observable(moved, x[None, :], previous[None, :], kind)
    gradient = (values[:k] - values[k:]) / (2.0 * steps[:, None])
    return np.asarray(np.nan_to_num(gradient, nan=0.0, posinf=0.0, neginf=0.0))


def _placed(
    forecast: FloatArray,
    offsets: Sequence[FloatArray],
    plain: Sequence[FloatArray],
    limit: float,
) -> Edges:
    """Band edges ``offsets`` away from the forecast on the unbounded scale (low95, low80,
    high80, high95); where the forecast or an offset is not finite there (a forecast of 0 or
    the limit), ``plain`` edges on the values' scale, clipped to the values' range."""
    centre = _unbounded(forecast, limit)
    # The values' range, stretched to a forecast a rounding error outside it (an increment of
    # a saturated curve can be -1e-17).
    bottom, top = np.minimum(forecast, 0.0), np.maximum(forecast, limit)
    edges = []
    for i, (offset, raw) in enumerate(zip(offsets, plain, strict=True)):
        with np.errstate(invalid="ignore"):
            edge = _bounded(centre + offset, limit)
        usable = np.isfinite(centre) & np.isfinite(offset) & np.isfinite(edge)
        if i < 2:  # a lower edge
            fallback = np.clip(np.minimum(raw, forecast), bottom, top)
            edge = np.minimum(edge, forecast)  # rounding only: the offset is at most 0
        else:
            fallback = np.clip(np.maximum(raw, forecast), bottom, top)
            edge = np.maximum(edge, forecast)
        edges.append(np.where(usable, edge, fallback))
    # Nested even where one edge is on the logit scale and the other on the values' scale.
    low80, high80 = edges[1], edges[2]
    return np.minimum(edges[0], low80), low80, high80, np.maximum(edges[3], high80)


def delta_method_band(
    forecast: FloatArray, gradient: FloatArray, covariance: FloatArray, limit: float
) -> Edges:
    """The delta-method band (low95, low80, high80, high95) on the logit of value / limit:
    ``forecast`` the curve's values, ``gradient`` their derivatives (free x periods) and
    ``covariance`` that of the free parameters, all in the same units."""
    variance = np.einsum("in,ij,jn->n", gradient, covariance, gradient)
    se = np.sqrt(np.maximum(variance, 0.0))
    with np.errstate(invalid="ignore", over="ignore"):
        spread = se * _slope(forecast, limit)
    offsets = [-Z95 * spread, -Z80 * spread, Z80 * spread, Z95 * spread]
    plain = [forecast - Z95 * se, forecast - Z80 * se, forecast + Z80 * se, forecast + Z95 * se]
    return _placed(forecast, offsets, plain, limit)


def quantile_band(forecast: FloatArray, paths: FloatArray, limit: float) -> Edges:
    """The band (low95, low80, high80, high95) of simulated curves ``paths`` (draws x periods):
    their quantiles' distances from their median on the logit of value / limit, placed
    around ``forecast``. Where the forecast is the refits' median this is the percentile band."""
    quantiles = np.quantile(paths, BAND_QUANTILES, axis=0)
    median = np.quantile(paths, 0.5, axis=0)
    with np.errstate(invalid="ignore"):
        offsets = [_unbounded(q, limit) - _unbounded(median, limit) for q in quantiles]
    plain = [forecast + (q - median) for q in quantiles]
    return _placed(forecast, offsets, plain, limit)
