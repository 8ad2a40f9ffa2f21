"""How well a scale's items hang together: Cronbach's alpha (raw and standardized) with Feldt's
interval, item-rest correlations, alpha if an item is deleted, and McDonald's omega total.

Everything is computed as R's ``psych`` package computes it, so that its figures can be checked
against ``psych::alpha`` and ``psych::omega``:

- Missing answers: ``psych::alpha``'s default, ``use = "pairwise"``. Each covariance is over
  the respondents who answered both items, each variance over everyone who answered the item;
  nobody is dropped for one blank answer. Standardized alpha uses the correlations made from
  those covariances (R's ``cov2cor``).
- Items nobody answered differently (no variance, or fewer than two answers) are left out and
  named, as ``psych::alpha`` deletes them.
- The 95% interval is Feldt's (Feldt, Woodruff and Salih 1987), ``psych::alpha``'s ``$feldt``
  (``psych::alpha.ci``): 1 - (1 - alpha) F with F the F distribution's quantiles on n - 1 and
  (n - 1)(k - 1) degrees of freedom, n the respondents (rows with at least one answer), k the
  items kept.
- Omega total is ``psych::omega(x, nfactors = 1, key = ...)``'s ``omega.tot``: one factor
  fitted by minres to the pairwise correlations (``cor(use = "pairwise")``), then
  1 - sum(uniquenesses) / sum(correlations). With the scale's keys given, psych takes the
  items as keyed and does not flip items that load negatively, and neither does this.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from readiness.evidence.factor import one_factor_minres
from readiness.evidence.pairwise import (
    covariance_to_correlation,
    pairwise_correlation,
    pairwise_covariance,
)

FloatArray = npt.NDArray[np.float64]

#: The interval's method, in words, for every surface that shows it.
ALPHA_INTERVAL_METHOD = "Feldt's F-based interval"
#: Alpha from which a scale is consistent enough to compare groups (Nunnally 1978: 0.70).
CONSISTENT_ALPHA = 0.7
#: Variance of a sum, as a share of its items' own, that is rounding: the items cancel out.
CANCELLED = 1e-9


@dataclass(frozen=True)
class ItemReliability:
    """One item of a scale: its correlation with the sum of the other items (item-rest, psych's
    ``r.drop``, -1 to 1) and the scale's raw alpha without it (psych's ``alpha.drop``
    ``raw_alpha``; None with fewer than three items, where one item is left)."""

    item: str
    item_rest: float | None
    alpha_if_deleted: float | None


@dataclass(frozen=True)
class ScaleReliability:
    """A scale's internal consistency. Alphas and omega are unitless, at most 1 for complete
    answers (alpha can be negative when items disagree); None where the data cannot give one
    (fewer than two items with variance, or pairs of items nobody answered together)."""

    respondents: int
    items: tuple[ItemReliability, ...]
    excluded: tuple[str, ...]  # items without variance, left out as psych leaves them out
    alpha: float | None
    standardized_alpha: float | None
    alpha_low: float | None  # Feldt's interval, at ``level``
    alpha_high: float | None
    omega_total: float | None
    level: float = 0.95

    @property
    def weakest_item(self) -> ItemReliability | None:
        """The item whose deletion raises alpha most, or None when no deletion raises it."""
        if self.alpha is None:
            return None
        raising = [
            item
            for item in self.items
            if item.alpha_if_deleted is not None and item.alpha_if_deleted > self.alpha
        ]
        return max(raising, key=lambda item: item.alpha_if_deleted or 0.0, default=None)

    @property
    def consistent(self) -> bool:
        """Whether alpha reaches :data:`CONSISTENT_ALPHA`."""
        return self.alpha is not None and self.alpha >= CONSISTENT_ALPHA

    def describe(self, name: str) -> str:
        """The scale's quality in one sentence, for a page or the report: ``name`` is the
        dimension's name, item names are the items as given (labels)."""
        if self.alpha is None:
            return f"{name}: too few answers that vary to tell whether its items agree."
        interval = ""
        if self.alpha_low is not None and self.alpha_high is not None:
            # "-0.07-0.47" would read as a range of negatives
            between = " to " if self.alpha_low < 0 else "-"
            interval = f" ({self.alpha_low:.2f}{between}{self.alpha_high:.2f})"
        if self.consistent:
            return (
                f"{name}: alpha {self.alpha:.2f}{interval}: consistent enough to compare divisions."
            )
        weakest = self.weakest_item
        lowers = f", and '{weakest.item}' lowers it most" if weakest else ""
        return (
            f"{name}: alpha {self.alpha:.2f}{interval}: its items disagree{lowers}; "
            "read this score with care."
        )


def cancels(matrix: FloatArray) -> bool:
    """Whether items with this covariance (or correlation) matrix cancel out: their sum does not
    vary beyond rounding, so alpha and omega have no value (psych's is -Inf or NaN)."""
    return bool(matrix.sum() <= CANCELLED * np.trace(matrix))


def cronbach_alpha(covariance: FloatArray) -> float:
    """Raw alpha of items with this covariance matrix (k >= 2): k/(k-1) (1 - tr C / sum C)."""
    k = covariance.shape[0]
    return float((1.0 - np.trace(covariance) / covariance.sum()) * k / (k - 1))


def standardized_alpha(correlation: FloatArray) -> float:
    """Standardized alpha from the items' correlations (k >= 2): k/(k-1) (1 - k / sum R)."""
    k = correlation.shape[0]
    return float((1.0 - k / correlation.sum()) * k / (k - 1))


def feldt_interval(
    alpha: float, respondents: int, items: int, level: float = 0.95
) -> tuple[float, float]:
    """Feldt's interval for alpha (as ``psych::alpha.ci``): 1 - (1 - alpha) F, with F's
    quantiles on respondents - 1 and (respondents - 1)(items - 1) degrees of freedom."""
    from scipy.stats import f

    tail = (1.0 - level) / 2.0
    first, second = respondents - 1, (respondents - 1) * (items - 1)
    low = 1.0 - (1.0 - alpha) * float(f.ppf(1.0 - tail, first, second))
    high = 1.0 - (1.0 - alpha) * float(f.ppf(tail, first, second))
    return low, high


def item_rest_correlations(covariance: FloatArray) -> FloatArray:
    """Each item's correlation with the sum of the others, from the covariance matrix
    (psych's ``r.drop``): (sum of its covariances with the others) / sqrt(var_i var(rest))."""
    column = covariance.sum(axis=0)
    diagonal = np.diag(covariance)
    rest = covariance.sum() - 2.0 * column + diagonal
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.asarray((column - diagonal) / np.sqrt(diagonal * rest), dtype=np.float64)


def alpha_if_deleted(covariance: FloatArray) -> FloatArray:
    """Raw alpha of the scale without each item (k >= 3; NaN for fewer, where psych reports a
    ratio that is not an alpha)."""
    k = covariance.shape[0]
    if k < 3:
        return np.full(k, np.nan)
    column = covariance.sum(axis=0)
    diagonal = np.diag(covariance)
    total = covariance.sum() - 2.0 * column + diagonal
    trace = np.trace(covariance) - diagonal
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.asarray((1.0 - trace / total) * (k - 1) / (k - 2), dtype=np.float64)


def omega_total(correlation: FloatArray) -> float:
    """McDonald's omega total of one factor, as ``psych::omega(nfactors = 1)``'s ``omega.tot``:
    1 - sum(uniquenesses) / sum(R) for the minres factor of the correlations ``R``."""
    if cancels(correlation):  # no common factor to speak of
        return float("nan")
    total = float(correlation.sum())
    factor = one_factor_minres(correlation)
    return 1.0 - float(np.sum(factor.uniquenesses)) / total


def _optional(value: float) -> float | None:
    return float(value) if np.isfinite(value) else None


def scale_reliability(
    answers: FloatArray, items: Sequence[str] | None = None, level: float = 0.95
) -> ScaleReliability:
    """Alpha (raw, standardized, Feldt's interval), item-rest correlations, alpha if deleted
    and omega total of one scale: ``answers`` is respondents x items (any numeric scale, e.g.
    agreement 1-5 with reverse-keyed items already reversed; NaN = unanswered), ``items`` their
    names (labels for sentences; default ``item 1``, ...). ``respondents`` counts the rows
    with at least one answer: psych counts every row it is given in Feldt's interval, but a
    row without any answer is nobody's answer to this scale."""
    x = np.asarray(answers, dtype=np.float64)
    if x.ndim != 2:
        raise ValueError(f"answers must be respondents x items, got shape {x.shape}")
    names = list(items) if items is not None else [f"item {k + 1}" for k in range(x.shape[1])]
    if len(names) != x.shape[1]:
        raise ValueError(f"{len(names)} item names for {x.shape[1]} items")
    x = x[~np.isnan(x).all(axis=1)]
    respondents = int(x.shape[0])
    variance = np.diag(pairwise_covariance(x))
    varies = np.isfinite(variance) & (variance > 0)
    kept = [name for name, keep in zip(names, varies, strict=True) if keep]
    excluded = tuple(name for name, keep in zip(names, varies, strict=True) if not keep)
    x = x[:, varies]
    covariance = pairwise_covariance(x)
    if len(kept) < 2 or not np.isfinite(covariance).all() or cancels(covariance):
        empty = tuple(ItemReliability(name, None, None) for name in kept)
        return ScaleReliability(respondents, empty, excluded, None, None, None, None, None, level)
    alpha = cronbach_alpha(covariance)
    correlation = covariance_to_correlation(covariance)
    low, high = feldt_interval(alpha, respondents, len(kept), level)
    rest = item_rest_correlations(covariance)
    deleted = alpha_if_deleted(covariance)
    paired = pairwise_correlation(x)
    omega = omega_total(paired) if np.isfinite(paired).all() else np.nan
    return ScaleReliability(
        respondents=respondents,
        items=tuple(
            ItemReliability(name, _optional(r), _optional(d))
            for name, r, d in zip(kept, rest, deleted, strict=True)
        ),
        excluded=excluded,
        alpha=alpha,
        standardized_alpha=None if cancels(correlation) else standardized_alpha(correlation),
        alpha_low=low,
        alpha_high=high,
        omega_total=_optional(omega),
        level=level,
    )
