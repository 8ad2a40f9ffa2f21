"""Agreement (readiness.evidence.agreement): r_wg(j) and ICC(1)/ICC(2) from their definitions,
and groups merged by the product's one rule before anything is computed. R's own figures:
tests/test_evidence_r.py."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from property_budget import examples

from readiness.evidence import (
    group_codes,
    one_way_icc,
    rwg_j,
    scale_agreement,
    uniform_null_variance,
)
from readiness.groups import OTHER_DIVISIONS, merge_small_groups

PROPERTY = settings(max_examples=examples(60), deadline=None)
NAMES = ["Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot"]


def test_the_uniform_null_of_a_five_point_scale_is_two() -> None:
    assert uniform_null_variance(5) == 2.0
    assert uniform_null_variance(7) == 4.0


def test_rwg_j_follows_james_demaree_and_wolf() -> None:
    x = np.array([[4.0, 5, 4], [5, 5, 4], [4, 4, 3], [3, 4, 4]])
    variance = x.var(axis=0, ddof=1).mean() / 2.0
    expected = 3 * (1 - variance) / (3 * (1 - variance) + variance)
    assert rwg_j(x) == pytest.approx(expected)
    assert rwg_j(np.full((4, 3), 2.0)) == 1.0  # everyone answers alike
    assert rwg_j(np.array([[1.0, 5.0], [5.0, 1.0], [1.0, 5.0], [5.0, 1.0]])) == 0.0  # capped
    assert rwg_j(np.array([[1.0, 2.0]])) is None  # one respondent


def test_rwg_j_uses_only_respondents_who_answered_every_item() -> None:
    x = np.array([[4.0, 4.0], [4.0, np.nan], [5.0, 5.0], [1.0, np.nan]])
    assert rwg_j(x) == rwg_j(x[[0, 2]])


@PROPERTY
@given(st.lists(st.integers(2, 9), min_size=2, max_size=5), st.integers(0, 2**32 - 1))
def test_icc2_of_equal_groups_is_spearman_brown_of_icc1(groups: list[int], seed: int) -> None:
    """With k respondents in every group, ICC(2) = k ICC(1) / (1 + (k - 1) ICC(1))."""
    k = groups[0]
    rng = np.random.default_rng(seed)
    codes = np.repeat(np.arange(len(groups)), k)
    scores = rng.normal(size=len(codes)) + rng.normal(size=len(groups))[codes]
    icc1, icc2 = one_way_icc(scores, codes)
    if icc1 is None or icc2 is None:
        return
    # relative too: ICC(2) is huge when the between-group mean square is near zero
    assert icc2 == pytest.approx(k * icc1 / (1 + (k - 1) * icc1), rel=1e-9, abs=1e-9)


def test_icc_is_the_one_way_anova_s() -> None:
    scores = np.array([1.0, 2, 3, 4, 6, 5, 7, 9, 8, 8])
    codes = np.array([0, 0, 0, 1, 1, 1, 2, 2, 2, 2])
    groups = [scores[codes == g] for g in range(3)]
    grand = scores.mean()
    msb = sum(len(g) * (g.mean() - grand) ** 2 for g in groups) / 2
    msw = sum(((g - g.mean()) ** 2).sum() for g in groups) / (len(scores) - 3)
    icc1, icc2 = one_way_icc(scores, codes)
    assert icc1 == pytest.approx((msb - msw) / (msb + (len(scores) / 3 - 1) * msw))
    assert icc2 == pytest.approx((msb - msw) / msb)
    assert one_way_icc(scores, np.zeros(10, dtype=np.intp)) == (None, None)  # one group
    assert one_way_icc(scores, np.full(10, -1, dtype=np.intp)) == (None, None)  # no group


@PROPERTY
@given(
    st.lists(st.integers(1, 12), min_size=1, max_size=6).map(
        lambda sizes: dict(zip(NAMES, sizes, strict=False))
    ),
    st.integers(1, 8),
)
def test_no_group_under_the_minimum_is_ever_reported(sizes: dict[str, int], minimum: int) -> None:
    """The groups are the product's merge (readiness.groups), so a small division never shows
    alone: every group has at least the minimum, "other divisions" holds at least two."""
    divisions = [name for name, size in sizes.items() for _ in range(size)]
    rng = np.random.default_rng(len(divisions))
    answers = rng.integers(1, 6, (len(divisions), 4)).astype(float)
    result = scale_agreement(answers, divisions, minimum=minimum)
    merge = merge_small_groups(sizes, minimum)
    assert [g.name for g in result.groups] == list(merge.groups)
    assert all(group.respondents >= minimum for group in result.groups)
    for group in result.groups:
        if group.name == OTHER_DIVISIONS:
            assert group.respondents == sum(sizes[name] for name in merge.merged)
            assert len(merge.merged) >= 2
        else:
            assert sizes[group.name] >= minimum
    if len(result.groups) < 2:
        assert result.icc1 is None
        assert result.icc2 is None


def test_a_merge_already_made_is_reused() -> None:
    divisions = ["Sales"] * 6 + ["Legal"] * 6 + ["HR"] * 2
    merge = merge_small_groups({"Sales": 6, "Legal": 6, "HR": 2, "Board": 3}, 5)
    _, shown, codes = group_codes(divisions, merge=merge)
    assert shown == ("Sales", "Legal", OTHER_DIVISIONS)
    assert codes.tolist() == [0] * 6 + [1] * 6 + [2] * 2


def test_the_sentences_say_whether_division_means_can_be_ranked() -> None:
    rng = np.random.default_rng(3)
    divisions = [name for name in NAMES[:4] for _ in range(30)]
    shift = np.repeat([-1.5, -0.5, 0.5, 1.5], 30)[:, None]
    apart = np.clip(np.rint(3 + shift + rng.normal(0, 0.7, (120, 5))), 1, 5)
    assert (
        scale_agreement(apart, divisions, minimum=5)
        .describe()
        .startswith("Divisions differ reliably (ICC(2) ")
    )
    alike = rng.integers(1, 6, (120, 5)).astype(float)
    text = scale_agreement(alike, divisions, minimum=5).describe()
    assert text.startswith("Division means are not reliable enough to rank (ICC(2) ")
    alone = scale_agreement(alike[:30], divisions[:30], minimum=5)
    assert alone.describe().startswith("Fewer than two divisions")
    assert "merged into 'other divisions'" in alone.rule
