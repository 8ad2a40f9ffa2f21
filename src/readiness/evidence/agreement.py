"""Agreement before division scores are compared: r_wg(j) within each division, and ICC(1) and
ICC(2) across divisions, computed as R's ``multilevel`` package computes them.

- r_wg(j) (James, Demaree and Wolf 1984) against a uniform null: with S the mean of the J items'
  variances within the group (capped at the null variance) and sigma^2 = (A^2 - 1) / 12 the
  variance of a uniform answer on A options (2 on a 5-point scale),
  r_wg(j) = J (1 - S/sigma^2) / (J (1 - S/sigma^2) + S/sigma^2), 0-1. As
  ``multilevel::rwg.j``, only respondents who answered every item count (listwise), and a group
  with fewer than two of them has none.
- ICC(1) and ICC(2) from a one-way ANOVA of each respondent's scale score (the mean of the items
  answered) on the groups, as ``multilevel::ICC1`` / ``ICC2`` of ``aov(y ~ as.factor(group))``:
  ICC(1) = (MSB - MSW) / (MSB + (n - 1) MSW) with n the mean group size, ICC(2) =
  (MSB - MSW) / MSB, the reliability of the group means.

Groups are the divisions after the product's one merge rule (:func:`readiness.groups.
merge_small_groups`): a division under the minimum group size is never reported alone, and its
respondents count in "other divisions" (or in no group, when only the whole organization may be
shown).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from readiness.groups import GroupMerge, merge_small_groups, rule_text
from readiness.questionnaire import LIKERT_POINTS

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]

#: r_wg(j) from which a group's members agree strongly (LeBreton and Senter 2008: 0.70).
STRONG_AGREEMENT = 0.7
#: ICC(2) from which group means are reliable enough to rank (Bliese 2000: about 0.70).
RELIABLE_GROUP_MEANS = 0.7


def uniform_null_variance(options: int = LIKERT_POINTS) -> float:
    """Variance of an answer chosen uniformly among ``options`` points: (A^2 - 1) / 12, in
    answer points squared (2.0 for a 5-point scale)."""
    return (options**2 - 1) / 12


@dataclass(frozen=True)
class GroupAgreement:
    """One group shown: its name, its respondents, those who answered every item (the ones
    r_wg(j) uses) and r_wg(j), 0-1 (None with fewer than two complete respondents)."""

    name: str
    respondents: int
    complete: int
    rwg_j: float | None

    @property
    def strong(self) -> bool:
        """Whether r_wg(j) reaches :data:`STRONG_AGREEMENT`."""
        return self.rwg_j is not None and self.rwg_j >= STRONG_AGREEMENT


@dataclass(frozen=True)
class ScaleAgreement:
    """Agreement on one scale: r_wg(j) per group shown (merged as :mod:`readiness.groups`
    says) and ICC(1)/ICC(2) across them (None with fewer than two groups, or no variance)."""

    groups: tuple[GroupAgreement, ...]
    icc1: float | None
    icc2: float | None
    minimum: int
    merge_note: str | None = None  # what was merged, in words (no division named)

    def describe(self) -> str:
        """Whether division means can be compared, in one sentence (ICC(2), the reliability of
        the group means)."""
        if self.icc2 is None:
            if len(self.groups) < 2:
                return "Fewer than two divisions to compare: no comparison of division means."
            return "Division means cannot be compared: nobody's answers vary."
        if self.icc2 >= RELIABLE_GROUP_MEANS:
            return f"Divisions differ reliably (ICC(2) {self.icc2:.2f})."
        return f"Division means are not reliable enough to rank (ICC(2) {self.icc2:.2f})."

    @property
    def rule(self) -> str:
        """The merge rule in words."""
        return rule_text(self.minimum)


def rwg_j(answers: FloatArray, options: int = LIKERT_POINTS) -> float | None:
    """r_wg(j) of one group's answers (respondents x items on a 1..``options`` scale; NaN =
    unanswered, such respondents are left out), as ``multilevel::rwg.j`` with ranvar
    (A^2 - 1) / 12; None with fewer than two complete respondents."""
    x = np.asarray(answers, dtype=np.float64)
    return _rwg_by_group(x, np.zeros(len(x), dtype=np.intp), 1, options)[0]


def _rwg_by_group(x: FloatArray, codes: IntArray, groups: int, options: int) -> list[float | None]:
    complete = ~np.isnan(x).any(axis=1) & (codes >= 0)
    rows, where = x[complete], codes[complete]
    count = np.bincount(where, minlength=groups).astype(np.float64)
    items = x.shape[1]
    variance = np.zeros((groups, items))
    if len(rows):
        deviation = rows - rows.mean(axis=0)  # centred for precision; variances do not move
        for item in range(items):
            total = np.bincount(where, weights=deviation[:, item], minlength=groups)
            squares = np.bincount(where, weights=deviation[:, item] ** 2, minlength=groups)
            with np.errstate(invalid="ignore", divide="ignore"):
                variance[:, item] = (squares - total**2 / count) / (count - 1)
    null = uniform_null_variance(options)
    share = np.minimum(variance.mean(axis=1), null) / null
    agreement = items * (1 - share) / (items * (1 - share) + share)
    return [float(a) if n >= 2 else None for a, n in zip(agreement, count, strict=True)]


def one_way_icc(scores: FloatArray, codes: IntArray) -> tuple[float | None, float | None]:
    """ICC(1) and ICC(2) of ``scores`` (one per respondent, any unit; NaN left out) in groups
    ``codes`` (0, 1, ...; -1 = in no group, left out), from the one-way ANOVA as
    ``multilevel::ICC1`` / ``ICC2``; None for fewer than two groups or no variance."""
    keep = np.isfinite(scores) & (codes >= 0)
    y, where = np.asarray(scores, dtype=np.float64)[keep], codes[keep]
    used, where = np.unique(where, return_inverse=True)
    groups, n = len(used), len(y)
    if groups < 2 or n <= groups:
        return None, None
    size = np.bincount(where).astype(np.float64)
    centred = y - y.mean()
    means = np.bincount(where, weights=centred) / size
    between = float(np.sum(size * means**2))
    within = float(np.sum((centred - means[where]) ** 2))
    msb, msw = between / (groups - 1), within / (n - groups)
    mean_size = n / groups
    with np.errstate(invalid="ignore", divide="ignore"):
        icc1 = (msb - msw) / (msb + (mean_size - 1) * msw)
        icc2 = (msb - msw) / msb if msb > 0 else np.nan
    return (float(icc1) if np.isfinite(icc1) else None, float(icc2) if np.isfinite(icc2) else None)


def group_codes(
    divisions: Sequence[str] | npt.NDArray[np.object_],
    minimum: int | None = None,
    merge: GroupMerge | None = None,
) -> tuple[GroupMerge, tuple[str, ...], IntArray]:
    """The merge of the respondents' divisions (``merge`` if given, e.g. the survey's own, else
    :func:`~readiness.groups.merge_small_groups` of their sizes), the groups shown in order, and
    each respondent's group (-1: in no group, the whole organization only)."""
    # Each distinct division once: a survey has many respondents and few divisions.
    names, inverse = np.unique(np.asarray(divisions, dtype=str), return_inverse=True)
    inverse = inverse.reshape(-1)
    if merge is None:
        sizes = np.bincount(inverse, minlength=len(names))
        merge = merge_small_groups(
            {str(name): int(size) for name, size in zip(names, sizes, strict=True)}, minimum
        )
    shown = merge.groups
    position = {name: k for k, name in enumerate(shown)}
    lookup = np.array(
        [position.get(merge.group_of(str(name)) or "", -1) for name in names], dtype=np.intp
    )
    return merge, shown, lookup[inverse] if len(names) else np.zeros(0, dtype=np.intp)


def scale_agreement(
    answers: FloatArray,
    divisions: Sequence[str] | npt.NDArray[np.object_],
    options: int = LIKERT_POINTS,
    minimum: int | None = None,
    merge: GroupMerge | None = None,
) -> ScaleAgreement:
    """r_wg(j) per group and ICC(1)/ICC(2) of one scale: ``answers`` is respondents x items on
    a 1..``options`` scale (reverse-keyed items already reversed; NaN = unanswered),
    ``divisions`` each respondent's division. Divisions are merged by the product's rule first
    (``minimum`` defaults to the setting; ``merge`` reuses a merge already made)."""
    x = np.asarray(answers, dtype=np.float64)
    if len(divisions) != len(x):
        raise ValueError(f"{len(divisions)} divisions for {len(x)} respondents")
    merge, shown, codes = group_codes(divisions, minimum, merge)
    agreement = _rwg_by_group(x, codes, len(shown), options)
    sizes = np.bincount(codes[codes >= 0], minlength=len(shown))
    complete = np.bincount(codes[(codes >= 0) & ~np.isnan(x).any(axis=1)], minlength=len(shown))
    with np.errstate(invalid="ignore"):
        answered = ~np.isnan(x)
        scores = np.where(answered, x, 0.0).sum(axis=1) / answered.sum(axis=1)
    icc1, icc2 = one_way_icc(scores, codes)
    return ScaleAgreement(
        groups=tuple(
            GroupAgreement(name, int(size), int(full), value)
            for name, size, full, value in zip(shown, sizes, complete, agreement, strict=True)
        ),
        icc1=icc1,
        icc2=icc2,
        minimum=merge.minimum,
        merge_note=merge.note(),
    )
