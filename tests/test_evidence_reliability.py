"""Scale reliability (readiness.evidence.reliability, .pairwise, .factor): pairwise moments equal
pandas' (which, like R, uses pairwise-complete observations), alpha's parts equal their
definitions, and the invariants hold for any answers. R's own figures: tests/test_evidence_r.py.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from property_budget import examples

from readiness.evidence import (
    ALPHA_INTERVAL_METHOD,
    cronbach_alpha,
    feldt_interval,
    omega_total,
    one_factor_minres,
    pairwise_correlation,
    pairwise_covariance,
    scale_reliability,
)
from readiness.evidence.factor import MIN_UNIQUENESS

PROPERTY = settings(max_examples=examples(60), deadline=None)


@st.composite
def answers(draw: st.DrawFn, missing: bool = False, min_rows: int = 3) -> np.ndarray:
    """Respondents x items of agreement 1-5; with ``missing``, some cells blank."""
    rows = draw(st.integers(min_rows, 40))
    items = draw(st.integers(2, 7))
    x = draw(hnp.arrays(np.float64, (rows, items), elements=st.integers(1, 5).map(float)))
    if missing:
        blank = draw(hnp.arrays(np.bool_, (rows, items), elements=st.booleans()))
        x[blank & (np.arange(rows)[:, None] % 3 == 0)] = np.nan
    return x


def latent(seed: int, rows: int = 300, items: int = 6) -> np.ndarray:
    """Answers 1-5 of one latent factor: a scale whose items agree."""
    rng = np.random.default_rng(seed)
    factor = rng.normal(size=(rows, 1))
    return np.clip(np.rint(3 + 1.1 * factor + rng.normal(0, 0.9, (rows, items))), 1, 5)


# --- pairwise moments ---------------------------------------------------------------------------


@PROPERTY
@given(answers(missing=True))
def test_pairwise_covariance_and_correlation_are_pandas_pairwise_complete(x: np.ndarray) -> None:
    frame = pd.DataFrame(x)
    np.testing.assert_allclose(pairwise_covariance(x), frame.cov().to_numpy(), atol=1e-9)
    expected = frame.corr(min_periods=2).to_numpy()
    np.testing.assert_allclose(pairwise_correlation(x), expected, atol=1e-9)


def test_the_covariance_diagonal_uses_every_answer_of_the_item() -> None:
    """Item 1's variance is over its four answers, not the three rows item 2 shares."""
    x = np.array([[1.0, 1.0], [2.0, 3.0], [3.0, 2.0], [5.0, np.nan]])
    covariance = pairwise_covariance(x)
    assert covariance[0, 0] == pytest.approx(np.var([1, 2, 3, 5], ddof=1))
    assert covariance[0, 1] == pytest.approx(np.cov([1, 2, 3], [1, 3, 2])[0, 1])


def test_a_pair_nobody_answered_together_has_no_covariance() -> None:
    x = np.array([[1.0, np.nan], [2.0, np.nan], [np.nan, 3.0], [np.nan, 4.0]])
    assert np.isnan(pairwise_covariance(x)[0, 1])
    assert np.isnan(pairwise_correlation(x)[0, 1])


# --- alpha --------------------------------------------------------------------------------------


@PROPERTY
@given(answers())
@example(np.array([[1.0, 3.0], [2.0, 1.0], [2.0, 1.0]]))  # correlated -1: no standardized alpha
def test_alpha_is_at_most_one_on_complete_answers(x: np.ndarray) -> None:
    result = scale_reliability(x)
    if result.alpha is not None:
        assert result.alpha <= 1 + 1e-12
        varying = x[:, x.std(axis=0) > 0]
        if result.standardized_alpha is None:  # undefined only where the correlations cancel
            assert abs(np.corrcoef(varying, rowvar=False).sum()) < 1e-9
        else:
            assert result.standardized_alpha <= 1 + 1e-12
        assert result.alpha_low is not None
        assert result.alpha_high is not None
        assert result.alpha_low <= result.alpha <= result.alpha_high


@PROPERTY
@given(answers(missing=True), st.integers(0, 2**32 - 1))
def test_the_order_of_respondents_and_items_does_not_matter(x: np.ndarray, seed: int) -> None:
    rng = np.random.default_rng(seed)
    rows, columns = rng.permutation(len(x)), rng.permutation(x.shape[1])
    names = [f"i{k}" for k in range(x.shape[1])]
    first = scale_reliability(x, names)
    second = scale_reliability(x[rows][:, columns], [names[c] for c in columns])
    for field in ("alpha", "standardized_alpha", "alpha_low", "alpha_high", "omega_total"):
        a, b = getattr(first, field), getattr(second, field)
        assert (a is None) == (b is None), field
        if a is not None:
            assert a == pytest.approx(b, abs=1e-9), field
    by_name = {item.item: item for item in second.items}
    for item in first.items:
        other = by_name[item.item]
        for field in ("item_rest", "alpha_if_deleted"):
            a, b = getattr(item, field), getattr(other, field)
            assert (a is None) == (b is None)
            if a is not None:
                assert a == pytest.approx(b, abs=1e-9)


def test_alpha_if_deleted_is_the_alpha_of_the_other_items_and_item_rest_their_correlation() -> None:
    x = latent(1)
    result = scale_reliability(x)
    for k, item in enumerate(result.items):
        rest = np.delete(x, k, axis=1)
        assert item.alpha_if_deleted == pytest.approx(cronbach_alpha(np.cov(rest.T)), abs=1e-12)
        assert item.item_rest == pytest.approx(
            np.corrcoef(x[:, k], rest.sum(axis=1))[0, 1], abs=1e-12
        )


def test_identical_items_have_alpha_one() -> None:
    column = np.array([1.0, 2, 3, 4, 5, 3, 2])
    result = scale_reliability(np.column_stack([column, column, column]))
    assert result.alpha == pytest.approx(1.0)
    assert result.standardized_alpha == pytest.approx(1.0)


def test_items_without_variance_are_left_out_and_named() -> None:
    x = latent(2, rows=50, items=4)
    x[:, 2] = 4.0
    result = scale_reliability(x, ["a", "b", "c", "d"])
    assert result.excluded == ("c",)
    assert [item.item for item in result.items] == ["a", "b", "d"]
    assert result.alpha == pytest.approx(scale_reliability(x[:, [0, 1, 3]]).alpha)


def test_a_row_without_any_answer_is_nobody_s_answer() -> None:
    x = latent(3, rows=40)
    blank = np.vstack([x, np.full((3, x.shape[1]), np.nan)])
    assert scale_reliability(blank) == scale_reliability(x)
    assert scale_reliability(blank).respondents == 40


def test_too_few_items_or_answers_give_no_alpha() -> None:
    assert scale_reliability(np.array([[1.0], [2.0], [3.0]])).alpha is None
    assert scale_reliability(np.array([[1.0, 2.0]])).alpha is None
    two = scale_reliability(np.array([[1.0, 2.0], [2.0, 2.0], [3.0, 5.0]]))
    assert two.alpha is not None
    assert all(item.alpha_if_deleted is None for item in two.items)  # one item is left


def test_feldt_s_interval_narrows_with_respondents() -> None:
    narrow = feldt_interval(0.8, 1000, 6)
    wide = feldt_interval(0.8, 30, 6)
    assert wide[0] < narrow[0] < 0.8 < narrow[1] < wide[1]
    assert "Feldt" in ALPHA_INTERVAL_METHOD


def test_the_sentence_says_whether_the_scale_is_consistent_and_which_item_lowers_it() -> None:
    good = scale_reliability(latent(4), ["one", "two", "three", "four", "five", "six"])
    assert good.describe("Support").startswith(f"Support: alpha {good.alpha:.2f} (")
    assert good.describe("Support").endswith("consistent enough to compare divisions.")
    rng = np.random.default_rng(5)
    factor = rng.normal(size=(200, 1))
    noisy = np.clip(np.rint(3 + 0.5 * factor + rng.normal(0, 1, (200, 4))), 1, 5)
    noisy[:, 3] = rng.integers(1, 6, 200)  # an item that measures nothing
    poor = scale_reliability(noisy, ["a", "b", "c", "Tools arrived unexplained"])
    assert poor.alpha is not None
    assert poor.alpha < 0.7
    assert poor.weakest_item is not None
    assert poor.weakest_item.item == "Tools arrived unexplained"
    assert "its items disagree, and 'Tools arrived unexplained' lowers it most" in poor.describe(
        "Tooling"
    )
    assert scale_reliability(np.ones((5, 3))).describe("Tooling").startswith("Tooling: too few")


def test_an_interval_below_zero_reads_as_from_to() -> None:
    rng = np.random.default_rng(11)
    unrelated = rng.integers(1, 6, (12, 3)).astype(float)
    result = scale_reliability(unrelated, ["a", "b", "c"])
    assert result.alpha_low is not None
    assert result.alpha_high is not None
    assert result.alpha_low < 0
    assert f"({result.alpha_low:.2f} to {result.alpha_high:.2f})" in result.describe("Tooling")


# --- one factor and omega -----------------------------------------------------------------------


@PROPERTY
@given(
    hnp.arrays(np.float64, st.integers(3, 8), elements=st.floats(0.2, 0.95)),
)
def test_minres_recovers_the_loadings_of_an_exact_one_factor_matrix(loadings: np.ndarray) -> None:
    correlation = np.outer(loadings, loadings)
    np.fill_diagonal(correlation, 1.0)
    factor = one_factor_minres(correlation)
    assert factor.converged
    np.testing.assert_allclose(factor.loadings, loadings, atol=1e-6)
    total = loadings.sum() ** 2
    expected = total / (total + np.sum(1 - loadings**2))
    assert omega_total(correlation) == pytest.approx(expected, abs=1e-9)


def test_a_heywood_case_is_flagged() -> None:
    """A correlation matrix no factor can reproduce (not positive definite, as pairwise
    correlations of missing answers can be): the first item's uniqueness stops at psych's bound
    and its loading goes beyond 1, as psych's does; the solution says so."""
    correlation = np.array(
        [
            [1.0, 0.99, 0.95904, 0.83916],
            [0.99, 1.0, 0.72, 0.63],
            [0.95904, 0.72, 1.0, 0.56],
            [0.83916, 0.63, 0.56, 1.0],
        ]
    )
    factor = one_factor_minres(correlation)
    assert factor.converged
    assert factor.heywood
    assert factor.loadings[0] > 1
    assert not one_factor_minres(np.corrcoef(latent(6).T)).heywood
    assert MIN_UNIQUENESS == 0.005
