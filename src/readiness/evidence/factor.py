"""One-factor minimum-residual (minres) factor analysis of a correlation matrix.

minres chooses the loadings l that minimise the squared off-diagonal residuals
sum_{i<j} (r_ij - l_i l_j)^2, as ``psych::fa(r, nfactors = 1, fm = "minres")`` does. psych
searches over the uniquenesses u = 1 - l^2 with L-BFGS-B, keeping each in [0.005, 1]; its
stationary point is the fixed point of principal-axis iteration (communalities l^2 on the
diagonal, the first eigenvector scaled by the root of its eigenvalue), which is what is solved
here, with the same bounds, to a tighter tolerance than psych's optimiser stops at.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

#: psych's lower bound for a uniqueness: a communality is at most 0.995 (a Heywood case stops
#: there rather than at 1 or beyond).
MIN_UNIQUENESS = 0.005
#: Largest change of a communality at which the iteration has converged.
TOLERANCE = 1e-12
MAX_ITERATIONS = 100_000
#: Plain steps before the iteration is accelerated: most scales have converged by then; the
#: accelerated steps reach the same fixed point, in tens of steps instead of tens of thousands.
PLAIN_ITERATIONS = 100


@dataclass(frozen=True)
class OneFactor:
    """A one-factor solution: each item's loading (a correlation, -1 to 1), its communality
    (loading squared, 0-1) and uniqueness (1 - communality)."""

    loadings: tuple[float, ...]
    iterations: int
    converged: bool

    @property
    def communalities(self) -> tuple[float, ...]:
        return tuple(loading**2 for loading in self.loadings)

    @property
    def uniquenesses(self) -> tuple[float, ...]:
        return tuple(1.0 - loading**2 for loading in self.loadings)

    @property
    def heywood(self) -> bool:
        """Whether an item's communality reached psych's bound (1 - :data:`MIN_UNIQUENESS`) or
        beyond: the factor explains all of that item, which a sample rarely supports, and the
        solution (like psych's) depends on where the search stops."""
        return any(value >= 1.0 - MIN_UNIQUENESS - 1e-9 for value in self.communalities)


def squared_multiple_correlations(correlation: FloatArray) -> FloatArray:
    """Each item's squared multiple correlation with the others, 1 - 1/diag(R^-1) (a
    pseudo-inverse for a singular R), kept in 0-1 as ``psych::smc`` keeps it."""
    inverse = np.linalg.pinv(correlation)
    with np.errstate(divide="ignore", invalid="ignore"):
        smc = 1.0 - 1.0 / np.diag(inverse)
    return np.asarray(np.clip(np.nan_to_num(smc, nan=1.0), 0.0, 1.0), dtype=np.float64)


def _first_factor(correlation: FloatArray, communalities: FloatArray) -> FloatArray:
    reduced = correlation.copy()
    np.fill_diagonal(reduced, communalities)
    values, vectors = np.linalg.eigh(reduced)
    loadings = vectors[:, -1] * np.sqrt(max(values[-1], 0.0))
    return np.asarray(loadings if loadings.sum() >= 0 else -loadings, dtype=np.float64)


def one_factor_minres(correlation: FloatArray) -> OneFactor:
    """The minres one-factor loadings of ``correlation`` (items x items, finite, 1 on the
    diagonal), starting, as psych does, from the squared multiple correlations. The sign is
    chosen so that the loadings sum to zero or more."""
    correlation = np.asarray(correlation, dtype=np.float64)
    ceiling = 1.0 - MIN_UNIQUENESS
    communalities = np.minimum(squared_multiple_correlations(correlation), ceiling)
    loadings = _first_factor(correlation, communalities)
    for iteration in range(1, MAX_ITERATIONS + 1):
        updated = np.minimum(loadings**2, ceiling)
        change = float(np.max(np.abs(updated - communalities)))
        if change > TOLERANCE and iteration > PLAIN_ITERATIONS:
            updated = _extrapolated(correlation, communalities, updated, ceiling)
        communalities = updated
        loadings = _first_factor(correlation, communalities)
        if change <= TOLERANCE:
            return OneFactor(tuple(float(v) for v in loadings), iteration, True)
    return OneFactor(tuple(float(v) for v in loadings), MAX_ITERATIONS, False)


def _extrapolated(
    correlation: FloatArray, start: FloatArray, step: FloatArray, ceiling: float
) -> FloatArray:
    """One SQUAREM jump (Varadhan and Roland 2008) from ``start`` along its next two steps:
    items that hardly correlate creep to their fixed point over tens of thousands of plain
    steps. It only moves where the iteration goes; convergence is still judged by a plain step."""
    after = np.minimum(_first_factor(correlation, step) ** 2, ceiling)
    first, second = step - start, after - 2.0 * step + start
    curvature = float(np.linalg.norm(second))
    if curvature == 0.0:
        return after
    length = min(-float(np.linalg.norm(first)) / curvature, -1.0)
    jumped = start - 2.0 * length * first + length**2 * second
    return np.asarray(np.clip(jumped, 0.0, ceiling), dtype=np.float64)
