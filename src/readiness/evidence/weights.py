"""Which predictors matter more for an outcome over a few units (divisions): Johnson's (2000)
relative weights, bootstrap intervals over the units, and a verdict that claims no more than the
intervals support.

Relative weights split R^2 among correlated predictors. With the predictors' correlations
R_xx = V diag(e) V', Lambda = V diag(sqrt(e)) V' holds the loadings of the predictors on their
closest orthogonal counterparts; beta = Lambda^-1 r_xy are the outcome's weights on those, and
the raw weight of predictor j is sum_i Lambda_ji^2 beta_i^2. Raw weights are shares of the
outcome's variance and sum to R^2; rescaled weights are raw / R^2 (they sum to 1).

Intervals are bootstrap percentile intervals: the units are resampled with replacement (a
seeded numpy Generator, so the same data always gives the same intervals), all resamples
computed as one batch. Resamples in which a predictor or the outcome does not vary, or the
predictors are collinear, have no weights and are left out (``resamples`` counts those kept).

The verdict:

- fewer than :data:`MIN_UNITS` units: "too few divisions to tell", and no intervals;
- predictor A ranks above B only when their intervals of raw weights do not overlap (A's lower
  end above B's upper end). This is stricter than a test of their difference: what is claimed
  is what a reader of the intervals chart can see;
- no pair separates: "your data cannot tell which matters more".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

#: Units below which no ranking is attempted.
MIN_UNITS = 8
DEFAULT_RESAMPLES = 2000
DEFAULT_SEED = 20000
#: Resampled values held at a time (units x predictors x resamples), to bound memory.
BATCH_VALUES = 4_000_000
#: Smallest eigenvalue of the predictors' correlations, relative to the largest, for which
#: Lambda is inverted; below it the predictors are collinear and the weights undefined.
COLLINEAR_BELOW = 1e-10

VerdictKind = Literal["too few", "cannot tell", "ranked"]


@dataclass(frozen=True)
class PredictorWeight:
    """One predictor: its raw weight (share of the outcome's variance, 0 to R^2) and rescaled
    weight (share of R^2, 0-1), each with its bootstrap interval (None without one)."""

    name: str
    raw: float
    rescaled: float
    raw_low: float | None = None
    raw_high: float | None = None
    rescaled_low: float | None = None
    rescaled_high: float | None = None


@dataclass(frozen=True)
class WeightVerdict:
    """What the intervals support: ``kind``, the pairs ``(a, b)`` where a matters more than b
    (intervals apart), the predictor above every other (``first``, if any) and the sentence."""

    kind: VerdictKind
    above: tuple[tuple[str, str], ...]
    first: str | None
    text: str


@dataclass(frozen=True)
class RelativeWeights:
    """Relative weights of the predictors for one outcome over ``units`` complete units; R^2 is
    0-1. ``resamples`` counts the bootstrap resamples with weights (0 without intervals)."""

    units: int
    r_squared: float | None
    weights: tuple[PredictorWeight, ...]
    verdict: WeightVerdict
    resamples: int = 0
    r_squared_low: float | None = None
    r_squared_high: float | None = None
    level: float = 0.95

    def weight(self, name: str) -> PredictorWeight:
        for weight in self.weights:
            if weight.name == name:
                return weight
        raise KeyError(name)


def johnson_weights(predictors: FloatArray, outcome: FloatArray) -> FloatArray:
    """Raw relative weights (Johnson 2000) of ``predictors`` (..., units, k) for ``outcome``
    (..., units), batched over any leading axes; shares of the outcome's variance, summing to
    R^2. NaN where a predictor or the outcome does not vary or the predictors are collinear."""
    x = np.asarray(predictors, dtype=np.float64)
    y = np.asarray(outcome, dtype=np.float64)
    x = x - x.mean(axis=-2, keepdims=True)
    y = y - y.mean(axis=-1, keepdims=True)
    x_norm = np.sqrt(np.sum(x**2, axis=-2))
    y_norm = np.sqrt(np.sum(y**2, axis=-1))
    k = x.shape[-1]
    usable = (x_norm > 0).all(axis=-1) & (y_norm > 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        z = x / x_norm[..., None, :]
        zy = y / y_norm[..., None]
    z = np.where(usable[..., None, None], z, 0.0)
    zy = np.where(usable[..., None], zy, 0.0)
    rxx = np.swapaxes(z, -1, -2) @ z
    rxx = np.where(usable[..., None, None], rxx, np.eye(k))
    rxy = np.einsum("...nk,...n->...k", z, zy)
    values, vectors = np.linalg.eigh(rxx)
    usable &= values[..., 0] > COLLINEAR_BELOW * values[..., -1]
    root = np.sqrt(np.clip(values, COLLINEAR_BELOW, None))
    transposed = np.swapaxes(vectors, -1, -2)
    lam = (vectors * root[..., None, :]) @ transposed
    inverse = (vectors / root[..., None, :]) @ transposed
    beta = np.einsum("...ij,...j->...i", inverse, rxy)
    raw = np.einsum("...ji,...i->...j", lam**2, beta**2)
    return np.where(usable[..., None], raw, np.nan)


def _bootstrap(
    x: FloatArray, y: FloatArray, resamples: int, rng: np.random.Generator
) -> FloatArray:
    """Raw weights of ``resamples`` resamples of the units (rows), resamples x k."""
    units, k = x.shape
    batch = max(1, BATCH_VALUES // max(1, units * (k + 1)))
    out = np.empty((resamples, k))
    for start in range(0, resamples, batch):
        stop = min(resamples, start + batch)
        rows = rng.integers(0, units, size=(stop - start, units))
        out[start:stop] = johnson_weights(x[rows], y[rows])
    return out


def _verdict(names: Sequence[str], weights: Sequence[PredictorWeight], units: int) -> WeightVerdict:
    if units < MIN_UNITS:
        return WeightVerdict(
            "too few",
            (),
            None,
            f"Too few divisions to tell ({units}; at least {MIN_UNITS} are needed).",
        )
    above = tuple(
        (a.name, b.name)
        for a in weights
        for b in weights
        if a is not b
        and a.raw_low is not None
        and b.raw_high is not None
        and a.raw_low > b.raw_high
    )
    if not above:
        return WeightVerdict("cannot tell", (), None, "Your data cannot tell which matters more.")
    first = next(
        (name for name in names if sum(1 for a, _ in above if a == name) == len(names) - 1),
        None,
    )
    sentences = []
    for name in names:
        below = [b for a, b in above if a == name]
        if below:
            sentences.append(f"{name} matters more than {_join(below)}")
    undecided = [
        (a, b)
        for i, a in enumerate(names)
        for b in names[i + 1 :]
        if (a, b) not in above and (b, a) not in above
    ]
    if undecided:
        pairs = "; ".join(f"{a} or {b}" for a, b in undecided)
        sentences.append(f"your data cannot tell which matters more of {pairs}")
    text = "; ".join(sentences)
    return WeightVerdict("ranked", above, first, text[0].upper() + text[1:] + ".")


def _join(names: Sequence[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def relative_weights(
    predictors: FloatArray,
    outcome: FloatArray,
    names: Sequence[str] | None = None,
    *,
    resamples: int = DEFAULT_RESAMPLES,
    seed: int | np.random.Generator = DEFAULT_SEED,
    level: float = 0.95,
) -> RelativeWeights:
    """Johnson's relative weights of ``predictors`` (units x k, e.g. each division's mean score
    per dimension) for ``outcome`` (units, e.g. each division's measured active share), over
    the units with every value present; bootstrap percentile intervals at ``level`` from
    ``resamples`` resamples of the units (none under :data:`MIN_UNITS` units) and the verdict
    (module docstring). ``names`` name the predictors (default ``predictor 1``, ...)."""
    x = np.asarray(predictors, dtype=np.float64)
    y = np.asarray(outcome, dtype=np.float64)
    if x.ndim != 2 or y.shape != (x.shape[0],):
        raise ValueError(f"predictors must be units x k, outcome units; got {x.shape}, {y.shape}")
    k = x.shape[1]
    labels = list(names) if names is not None else [f"predictor {j + 1}" for j in range(k)]
    if len(labels) != k:
        raise ValueError(f"{len(labels)} names for {k} predictors")
    complete = np.isfinite(x).all(axis=1) & np.isfinite(y)
    x, y = x[complete], y[complete]
    units = len(y)
    raw = johnson_weights(x, y) if units >= 3 else np.full(k, np.nan)
    r_squared = float(raw.sum())
    if not np.isfinite(r_squared):
        weights = tuple(PredictorWeight(name, np.nan, np.nan) for name in labels)
        verdict = _verdict(labels, weights, units) if units < MIN_UNITS else UNDEFINED
        return RelativeWeights(units, None, weights, verdict, level=level)
    with np.errstate(invalid="ignore", divide="ignore"):
        rescaled = raw / r_squared
    if units < MIN_UNITS or resamples < 1:
        weights = tuple(
            PredictorWeight(name, float(w), float(s))
            for name, w, s in zip(labels, raw, rescaled, strict=True)
        )
        verdict = _verdict(labels, weights, units)
        return RelativeWeights(units, r_squared, weights, verdict, level=level)
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    boot = _bootstrap(x, y, resamples, rng)
    boot = boot[np.isfinite(boot).all(axis=1)]
    ends = _percentile_ends(boot, level)
    weights = tuple(
        PredictorWeight(
            name,
            float(raw[j]),
            float(rescaled[j]),
            _finite(ends.raw[0, j]),
            _finite(ends.raw[1, j]),
            _finite(ends.rescaled[0, j]),
            _finite(ends.rescaled[1, j]),
        )
        for j, name in enumerate(labels)
    )
    return RelativeWeights(
        units=units,
        r_squared=r_squared,
        weights=weights,
        verdict=_verdict(labels, weights, units),
        resamples=len(boot),
        r_squared_low=_finite(ends.total[0]),
        r_squared_high=_finite(ends.total[1]),
        level=level,
    )


#: The verdict when the weights themselves are undefined.
UNDEFINED = WeightVerdict(
    "cannot tell",
    (),
    None,
    "Your data cannot tell which matters more: a predictor or the outcome does not vary, or "
    "predictors move together exactly.",
)


@dataclass(frozen=True)
class _Ends:
    """Lower and upper percentile ends (rows) of raw weights, rescaled weights and R^2."""

    raw: FloatArray
    rescaled: FloatArray
    total: FloatArray


def _percentile_ends(boot: FloatArray, level: float) -> _Ends:
    tail = (1.0 - level) / 2.0
    quantiles = [tail, 1.0 - tail]
    k = boot.shape[1]
    if not len(boot):
        return _Ends(np.full((2, k), np.nan), np.full((2, k), np.nan), np.full(2, np.nan))
    totals = boot.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        rescaled = boot / totals[:, None]
    rescaled = rescaled[np.isfinite(rescaled).all(axis=1)]
    return _Ends(
        raw=np.quantile(boot, quantiles, axis=0),
        rescaled=(
            np.quantile(rescaled, quantiles, axis=0) if len(rescaled) else np.full((2, k), np.nan)
        ),
        total=np.quantile(totals, quantiles),
    )


def _finite(value: float) -> float | None:
    return float(value) if np.isfinite(value) else None
