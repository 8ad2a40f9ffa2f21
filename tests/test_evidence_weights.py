"""Relative weights (readiness.evidence.weights): the invariants of Johnson's (2000) weights, the
bootstrap intervals, and a verdict that claims no ranking its intervals do not support, checked
against known truth by simulation. R's own figures: tests/test_evidence_r.py."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from property_budget import examples

from readiness.evidence import MIN_UNITS, johnson_weights, relative_weights

PROPERTY = settings(max_examples=examples(60), deadline=None)
DIMENSIONS = ["Grassroots activity", "Support", "Tooling"]


def units(seed: int, n: int = 20, k: int = 3) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 1)) * 0.5 + rng.normal(size=(n, k))
    return x, x @ rng.uniform(0, 1, k) + rng.normal(size=n)


def r_squared(x: np.ndarray, y: np.ndarray) -> float:
    design = np.column_stack([np.ones(len(y)), x])
    fitted = design @ np.linalg.lstsq(design, y, rcond=None)[0]
    return float(1 - np.sum((y - fitted) ** 2) / np.sum((y - y.mean()) ** 2))


data = st.integers(0, 2**32 - 1).flatmap(
    lambda seed: st.tuples(st.just(seed), st.integers(6, 40), st.integers(1, 5))
)


@PROPERTY
@given(data)
def test_raw_weights_sum_to_r_squared(case: tuple[int, int, int]) -> None:
    seed, n, k = case
    x, y = units(seed, n, k)
    weights = johnson_weights(x, y)
    assert np.all(weights >= -1e-12)
    assert weights.sum() == pytest.approx(r_squared(x, y), abs=1e-9)


@PROPERTY
@given(data)
def test_the_order_of_units_and_predictors_and_their_units_do_not_matter(
    case: tuple[int, int, int],
) -> None:
    seed, n, k = case
    x, y = units(seed, n, k)
    rng = np.random.default_rng(seed)
    rows, columns = rng.permutation(n), rng.permutation(k)
    base = johnson_weights(x, y)
    np.testing.assert_allclose(johnson_weights(x[rows], y[rows]), base, atol=1e-10)
    np.testing.assert_allclose(johnson_weights(x[:, columns], y), base[columns], atol=1e-10)
    scaled = x * rng.uniform(0.1, 100, k) + rng.normal(size=k) * 10
    np.testing.assert_allclose(johnson_weights(scaled, y * 0.01 + 3), base, atol=1e-8)


def test_uncorrelated_predictors_weigh_their_squared_correlations() -> None:
    rng = np.random.default_rng(1)
    centred = rng.normal(size=(30, 3))
    x, _ = np.linalg.qr(centred - centred.mean(axis=0))  # orthonormal columns, still centred
    y = x @ np.array([3.0, 1.0, 0.0]) + rng.normal(size=30)
    expected = np.array([np.corrcoef(x[:, j], y)[0, 1] ** 2 for j in range(3)])
    np.testing.assert_allclose(johnson_weights(x, y), expected, atol=1e-12)


def test_one_predictor_weighs_its_squared_correlation() -> None:
    x, y = units(2, 15, 1)
    assert johnson_weights(x, y)[0] == pytest.approx(np.corrcoef(x[:, 0], y)[0, 1] ** 2)


def test_a_batch_of_data_sets_gives_each_its_own_weights() -> None:
    sets = [units(seed, 12) for seed in range(5)]
    batch = johnson_weights(np.stack([x for x, _ in sets]), np.stack([y for _, y in sets]))
    for row, (x, y) in zip(batch, sets, strict=True):
        np.testing.assert_allclose(row, johnson_weights(x, y), atol=1e-12)


def test_constant_or_collinear_predictors_have_no_weights() -> None:
    x, y = units(3)
    constant = x.copy()
    constant[:, 1] = 2.0
    assert np.isnan(johnson_weights(constant, y)).all()
    collinear = np.column_stack([x[:, 0], x[:, 0] * 2 + 1, x[:, 2]])
    assert np.isnan(johnson_weights(collinear, y)).all()
    result = relative_weights(collinear, y, DIMENSIONS)
    assert result.r_squared is None
    assert result.verdict.kind == "cannot tell"


def test_intervals_are_seeded_percentiles_that_contain_the_estimate() -> None:
    x, y = units(4, 30)
    first = relative_weights(x, y, DIMENSIONS, seed=11)
    assert first == relative_weights(x, y, DIMENSIONS, seed=np.random.default_rng(11))
    assert first != relative_weights(x, y, DIMENSIONS, seed=12)
    assert first.resamples == 2000
    assert first.r_squared is not None
    assert sum(w.rescaled for w in first.weights) == pytest.approx(1.0)
    for weight in first.weights:
        assert weight.raw_low is not None
        assert weight.raw_high is not None
        assert weight.raw_low <= weight.raw_high
        assert weight.rescaled_low is not None
        assert weight.rescaled_high is not None
        assert 0 <= weight.rescaled_low <= weight.rescaled_high <= 1
    assert first.r_squared_low is not None
    assert first.r_squared_high is not None
    assert first.r_squared_low <= first.r_squared_high


def test_units_with_a_missing_value_are_left_out() -> None:
    x, y = units(5, 12)
    x[3, 1] = np.nan
    y[7] = np.nan
    result = relative_weights(x, y, resamples=0)
    assert result.units == 10
    keep = np.ones(12, dtype=bool)
    keep[[3, 7]] = False
    assert [w.raw for w in result.weights] == pytest.approx(johnson_weights(x[keep], y[keep]))


@PROPERTY
@given(st.integers(0, 2**32 - 1), st.integers(8, 30))
def test_a_ranking_is_claimed_only_where_intervals_do_not_overlap(seed: int, n: int) -> None:
    x, y = units(seed, n)
    result = relative_weights(x, y, DIMENSIONS, resamples=400, seed=seed)
    by_name = {w.name: w for w in result.weights}
    for above, below in result.verdict.above:
        low, high = by_name[above].raw_low, by_name[below].raw_high
        assert low is not None
        assert high is not None
        assert low > high
    separated = [
        (a.name, b.name)
        for a in result.weights
        for b in result.weights
        if a.raw_low is not None and b.raw_high is not None and a.raw_low > b.raw_high
    ]
    assert sorted(separated) == sorted(result.verdict.above)
    assert (result.verdict.kind == "ranked") == bool(separated)
    if result.verdict.first is not None:
        others = [name for name in DIMENSIONS if name != result.verdict.first]
        assert all((result.verdict.first, other) in result.verdict.above for other in others)


def test_the_verdict_in_words() -> None:
    x, y = units(6, 5)
    few = relative_weights(x, y, DIMENSIONS)
    assert few.verdict.kind == "too few"
    assert few.verdict.text == "Too few divisions to tell (5; at least 8 are needed)."
    assert few.resamples == 0
    assert all(w.raw_low is None for w in few.weights)
    rng = np.random.default_rng(7)
    x = rng.normal(size=(40, 3))
    strong = relative_weights(x, x @ np.array([0.0, 3.0, 0.0]) + rng.normal(size=40), DIMENSIONS)
    assert strong.verdict.kind == "ranked"
    assert strong.verdict.first == "Support"
    assert strong.verdict.text.startswith(
        "Support matters more than Grassroots activity and Tooling"
    )
    none = relative_weights(x, rng.normal(size=40), DIMENSIONS)
    if none.verdict.kind == "cannot tell":
        assert none.verdict.text == "Your data cannot tell which matters more."


# --- known truth --------------------------------------------------------------------------------


def organization(
    rng: np.random.Generator, divisions: int, driven: bool, respondents: int = 25
) -> tuple[np.ndarray, np.ndarray]:
    """Divisions whose true dimension levels (agreement 1-5, correlated) are measured by the
    mean of ``respondents`` answers each; adoption after 24 months follows a logistic curve
    whose monthly rate rises with Support only (``driven``) or with nothing, and is measured as
    the active share of 200 people."""
    shared = rng.normal(size=(divisions, 1))
    true = 3 + 0.6 * (0.5 * shared + np.sqrt(0.75) * rng.normal(size=(divisions, 3)))
    measured = true + rng.normal(0, 0.8, (divisions, respondents, 3)).mean(axis=1)
    rate = 0.25 + (0.15 * (true[:, 1] - 3) if driven else np.zeros(divisions))
    share = 1 / (1 + np.exp(-rate * (24 - 12)))
    return measured, rng.binomial(200, share) / 200


SIMULATIONS = 100


def test_when_support_alone_drives_adoption_support_ranks_first_whenever_intervals_separate() -> (
    None
):
    rng = np.random.default_rng(2000)
    first = 0
    for run in range(SIMULATIONS):
        x, y = organization(rng, 20, driven=True)
        verdict = relative_weights(x, y, DIMENSIONS, seed=run).verdict
        assert not [pair for pair in verdict.above if pair[1] == "Support"], verdict
        assert verdict.first in (None, "Support"), verdict
        first += verdict.first == "Support"
    assert first >= 0.6 * SIMULATIONS  # and the data usually do tell


def test_four_divisions_are_too_few_to_tell() -> None:
    rng = np.random.default_rng(4)
    for run in range(20):
        x, y = organization(rng, 4, driven=True)
        result = relative_weights(x, y, DIMENSIONS, seed=run)
        assert result.verdict.kind == "too few"
        assert result.verdict.above == ()
    assert MIN_UNITS == 8


def test_with_no_driver_a_ranking_is_rarely_claimed() -> None:
    rng = np.random.default_rng(2001)
    claimed = 0
    for run in range(SIMULATIONS):
        x, y = organization(rng, 20, driven=False)
        claimed += relative_weights(x, y, DIMENSIONS, seed=run).verdict.kind == "ranked"
    assert claimed <= 0.1 * SIMULATIONS


@PROPERTY
@given(hnp.arrays(np.float64, (12, 2), elements=st.floats(-5, 5)), st.integers(0, 99))
def test_weights_never_exceed_r_squared(x: np.ndarray, seed: int) -> None:
    y = np.random.default_rng(seed).normal(size=12)
    weights = johnson_weights(x, y)
    if np.isfinite(weights).all():
        assert weights.sum() <= 1 + 1e-9
