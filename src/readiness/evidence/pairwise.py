"""Covariances and correlations of items with missing answers, as R computes them with
``use = "pairwise.complete.obs"``: each pair of items over the respondents who answered both.

The covariance's diagonal is each item's variance over everyone who answered it. The
covariance and the correlation differ in what they divide by: R's ``cov2cor`` of the pairwise
covariance (what ``psych::alpha`` uses) divides by those whole-item variances, while
``cor(use = "pairwise")`` (what ``psych::omega`` uses) divides by the variances over the pair's
own respondents. Both are here so that each statistic can use the one R uses.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class _PairSums:
    """Per pair (i, j), over the rows where both are answered: the count, the sums of item i
    and the sums of squares of item i (both as deviations from item i's mean over all its
    answers, for precision), and the sum of products."""

    count: FloatArray
    sum_i: FloatArray
    square_i: FloatArray
    product: FloatArray


def _pair_sums(x: FloatArray) -> _PairSums:
    present = ~np.isnan(x)
    answered = present.astype(np.float64)
    answers = present.sum(axis=0)
    centre = np.where(present, x, 0.0).sum(axis=0) / np.maximum(answers, 1)
    deviation = np.where(present, x - centre, 0.0)
    return _PairSums(
        count=answered.T @ answered,
        sum_i=deviation.T @ answered,
        square_i=(deviation**2).T @ answered,
        product=deviation.T @ deviation,
    )


def pairwise_covariance(x: FloatArray) -> FloatArray:
    """R's ``cov(x, use = "pairwise")`` of a respondents x items matrix (NaN = unanswered), in
    the answers' unit squared. A pair answered together by fewer than two respondents is NaN."""
    x = np.asarray(x, dtype=np.float64)
    if not np.isnan(x).any():
        if x.shape[0] < 2:
            return np.full((x.shape[1], x.shape[1]), np.nan)
        deviation = x - x.mean(axis=0)
        return np.asarray(deviation.T @ deviation / (x.shape[0] - 1), dtype=np.float64)
    sums = _pair_sums(x)
    with np.errstate(invalid="ignore", divide="ignore"):
        centred = sums.product - sums.sum_i * sums.sum_i.T / sums.count
        covariance = centred / (sums.count - 1)
    return np.where(sums.count >= 2, covariance, np.nan)


def pairwise_correlation(x: FloatArray) -> FloatArray:
    """R's ``cor(x, use = "pairwise")`` of a respondents x items matrix (NaN = unanswered):
    each pair's Pearson correlation over the respondents who answered both (1 on the diagonal
    of an item with variance). NaN where a pair has fewer than two such respondents or one item
    does not vary among them."""
    x = np.asarray(x, dtype=np.float64)
    if not np.isnan(x).any():
        covariance = pairwise_covariance(x)
        return covariance_to_correlation(covariance)
    sums = _pair_sums(x)
    with np.errstate(invalid="ignore", divide="ignore"):
        centred = sums.product - sums.sum_i * sums.sum_i.T / sums.count
        spread = sums.square_i - sums.sum_i**2 / sums.count
        correlation = centred / np.sqrt(spread * spread.T)
    correlation = np.where(sums.count >= 2, correlation, np.nan)
    defined = np.isfinite(np.diag(correlation))
    np.fill_diagonal(correlation, np.where(defined, 1.0, np.nan))
    return correlation


def covariance_to_correlation(covariance: FloatArray) -> FloatArray:
    """R's ``cov2cor``: each covariance over the product of the two items' standard deviations
    (from the diagonal); 1 on the diagonal."""
    with np.errstate(invalid="ignore", divide="ignore"):
        scale = 1.0 / np.sqrt(np.diag(covariance))
        correlation = covariance * scale[:, None] * scale[None, :]
    defined = np.isfinite(np.diag(correlation))
    np.fill_diagonal(correlation, np.where(defined, 1.0, np.nan))
    return np.asarray(correlation, dtype=np.float64)
