"""Levers calibrated from the organization's own data (readiness.evidence.calibration): the
calibrated mapping is a LeverMapping of the same schema whose numbers are the ones reported; the
prior's own data give the prior back; known truth by simulation (intervals that hold the truth,
support first whenever the intervals separate, "too few divisions to tell" with 4); what each
mapping implies (lever rankings, how far each division's curve lies from its prediction).

The full run (200 organizations) is ``bench/bench_evidence_calibration.py``."""

from __future__ import annotations

import math
from functools import cache

import numpy as np
import pytest
from bench_evidence_calibration import (
    simulate_organization,
    truth_mapping,
    truth_numbers,
)
from hypothesis import given, settings
from hypothesis import strategies as st
from property_budget import examples

from readiness.errors import InputError
from readiness.evidence import (
    Calibration,
    MatchedDivision,
    calibrate_levers,
    compare_curves,
    lever_rankings,
    relative_weights,
)
from readiness.fitting import bass_fraction
from readiness.levers import DIMENSIONS, LeverMapping, lever_steps, load_levers

PRIOR = load_levers()
TRUTH = truth_mapping(PRIOR)
MONTHS = (np.arange(24) + 0.5) / 12  # years since launch at each month's middle


def exact_divisions(
    mapping: LeverMapping, n: int = 12, seed: int = 0, roster: float = 1e9
) -> list[MatchedDivision]:
    """Divisions whose measured shares are exactly ``mapping``'s curve for their scores."""
    rng = np.random.default_rng(seed)
    out = []
    for i in range(n):
        scores = dict(zip(DIMENSIONS, rng.uniform(20, 90, 3).tolist(), strict=True))
        params = mapping.parameters_for(scores)  # type: ignore[arg-type]
        shares = params["ceiling"] * bass_fraction(MONTHS, params["p"], params["q"])
        out.append(
            MatchedDivision(
                name=f"division {i}",
                scores=scores,
                periods=tuple(2024.0 + MONTHS),
                shares=tuple(float(v) for v in shares),
                roster=(roster,) * len(MONTHS),
            )
        )
    return out


@cache
def simulated() -> tuple[Calibration, list[MatchedDivision]]:
    """One simulated organization of 20 divisions, calibrated."""
    data = simulate_organization(1, TRUTH, 20)
    return calibrate_levers(data, PRIOR), data


# --- the mapping and its numbers ----------------------------------------------------------------


def _from_numbers(calibration: Calibration, scores: dict[str, float]) -> dict[str, float]:
    """p, q and the ceiling from the reported numbers, as the module docstring defines them."""
    out = {}
    for parameter in ("p", "q", "ceiling"):
        line = calibration.number(parameter).value + sum(
            calibration.number(parameter, d).value * scores[d] / 100 for d in DIMENSIONS
        )
        out[parameter] = math.exp(line) if parameter == "p" else line
    limiting = calibration.mapping.limiting
    assert limiting is not None
    deficit = min(max((limiting.below - min(scores.values())) / limiting.below, 0.0), 1.0)
    factor = 1 - calibration.number("limiting").value * deficit
    out["p"] *= factor
    out["q"] *= factor
    return out


@settings(max_examples=examples(40), deadline=None)
@given(st.lists(st.floats(0, 100), min_size=3, max_size=3))
def test_the_calibrated_mapping_is_the_numbers_it_reports(values: list[float]) -> None:
    calibration, _ = simulated()
    scores = dict(zip(DIMENSIONS, values, strict=True))
    expected = _from_numbers(calibration, scores)
    got = calibration.mapping.parameters_for(scores)  # type: ignore[arg-type]
    assert got["p"] == pytest.approx(expected["p"], rel=1e-9)
    assert got["q"] == pytest.approx(expected["q"], rel=1e-9)
    assert got["ceiling"] == pytest.approx(min(expected["ceiling"], 1.0), rel=1e-9)


def test_the_calibrated_mapping_keeps_the_schema_and_says_where_it_comes_from() -> None:
    calibration, _ = simulated()
    mapping = calibration.mapping
    assert isinstance(mapping, LeverMapping)
    assert LeverMapping.model_validate(mapping.model_dump()) == mapping
    assert mapping.source.startswith("Calibrated on 20 divisions")
    assert mapping.neutral_score == PRIOR.neutral_score
    assert mapping.limiting is not None
    assert PRIOR.limiting is not None
    assert mapping.limiting.below == PRIOR.limiting.below
    assert {p: r.scale for p, r in mapping.parameters.items()} == {
        p: r.scale for p, r in PRIOR.parameters.items()
    }
    assert len(calibration.numbers) == 13
    for number in calibration.numbers:
        assert number.low <= number.value <= number.high
        if number.dimension is not None:
            assert number.low >= 0.0  # a higher score never lowers what the prior says it raises
    assert calibration.divisions == tuple(f"division {i + 1}" for i in range(20))


def test_the_prior_s_own_data_give_the_prior_back() -> None:
    data = exact_divisions(PRIOR)
    calibration = calibrate_levers(data, PRIOR)
    assert calibration.converged
    for number in calibration.numbers:
        assert number.value == pytest.approx(number.prior, abs=1e-4), number.label
    rng = np.random.default_rng(1)
    for _ in range(20):
        scores = dict(zip(DIMENSIONS, rng.uniform(0, 100, 3).tolist(), strict=True))
        got = calibration.mapping.parameters_for(scores)  # type: ignore[arg-type]
        want = PRIOR.parameters_for(scores)  # type: ignore[arg-type]
        for parameter in ("p", "q", "ceiling"):
            assert got[parameter] == pytest.approx(want[parameter], rel=1e-3)


def test_noisy_data_from_the_prior_are_told_apart_from_it_rarely() -> None:
    kinds = []
    for seed in range(8):
        data = exact_divisions(PRIOR, n=20, seed=seed, roster=300.0)
        rng = np.random.default_rng(seed)
        noisy = [
            MatchedDivision(
                name=d.name,
                scores=d.scores,
                periods=d.periods,
                shares=tuple(rng.binomial(300, np.clip(d.shares, 0, 1)) / 300.0),
                roster=(300.0,) * len(d.periods),
            )
            for d in data
        ]
        calibration = calibrate_levers(noisy, PRIOR)
        assert all(n.contains(n.prior) for n in calibration.numbers if n.dimension is not None)
        kinds.append(calibration.verdict.kind)
    assert kinds.count("cannot tell") >= 7


# --- known truth --------------------------------------------------------------------------------


@pytest.mark.full  # a long simulation
def test_known_truth_intervals_hold_it_and_support_is_first_whenever_they_separate() -> None:
    truth = truth_numbers(TRUTH)
    covered: dict[tuple[str, str | None], list[bool]] = {}
    separated = weights_ranked = 0
    for seed in range(1, 41):
        data = simulate_organization(seed, TRUTH, 20)
        calibration = calibrate_levers(data, PRIOR)
        assert calibration.converged
        assert calibration.verdict.kind == "offer"
        for n in calibration.numbers:
            key = (n.parameter, n.dimension)
            covered.setdefault(key, []).append(n.contains(truth[key]))
        organization: dict[str, float | None] = {
            d: float(np.mean([float(x.scores[d] or 0.0) for x in data])) for d in DIMENSIONS
        }
        start = float(np.mean([x.shares[-1] for x in data]))
        _, ranking = lever_rankings(calibration, organization, start_share=start, draws=100)
        if ranking.supported:
            separated += 1
            assert ranking.top == "support"
        x = np.array([[x.scores[d] for d in DIMENSIONS] for x in data], dtype=np.float64)
        y = np.array([x.shares[-1] for x in data])
        weights = relative_weights(x, y, list(DIMENSIONS), resamples=200, seed=seed)
        if weights.verdict.kind == "ranked":
            weights_ranked += 1
            assert weights.verdict.first == "support"
    rates = {key: float(np.mean(v)) for key, v in covered.items()}
    # 95% intervals: each number holds the truth in at least 85% of 40 organizations, and all
    # 520 intervals together in at least 93% (the full run asks 90% of each over 200)
    assert min(rates.values()) >= 0.85, rates
    assert float(np.mean([c for v in covered.values() for c in v])) >= 0.93
    # power: the intervals do separate, and then support is first
    assert separated >= 5
    assert weights_ranked >= 30


def test_with_four_divisions_it_says_it_cannot_tell() -> None:
    data = simulate_organization(5, TRUTH, 4)
    calibration = calibrate_levers(data, PRIOR)
    assert calibration.verdict.kind == "too few"
    assert calibration.verdict.text.startswith("Too few divisions to tell (4; at least 8")
    assert "cannot tell" in calibration.verdict.text
    assert not calibration.offered
    assert calibration.in_use("calibrated") is PRIOR
    organization: dict[str, float | None] = dict.fromkeys(DIMENSIONS, 60.0)
    assumed, ranking = lever_rankings(calibration, organization, start_share=0.2, draws=50)
    assert ranking.supported is False
    assert ranking.text.startswith("Your data cannot tell which lever is biggest")
    assert assumed.supported is None


# --- inputs -----------------------------------------------------------------------------------


def test_divisions_without_a_score_or_enough_months_are_left_out_by_name() -> None:
    data = exact_divisions(PRIOR, n=10, roster=500.0)
    short = MatchedDivision(
        name="Legal", scores=data[0].scores, periods=(2024.0,) * 1, shares=(0.1,), roster=(9.0,)
    )
    unscored = MatchedDivision(
        name="Ops",
        scores={**data[1].scores, "tooling": None},
        periods=data[1].periods,
        shares=data[1].shares,
        roster=data[1].roster,
    )
    calibration = calibrate_levers([*data, short, unscored], PRIOR)
    assert dict(calibration.left_out) == {
        "Legal": "1 measured months (at least 6 are needed)",
        "Ops": "no score for tooling",
    }
    assert len(calibration.divisions) == 10


def test_a_known_launch_is_used_and_must_come_before_the_first_month() -> None:
    data = exact_divisions(PRIOR, n=10, roster=1e9)
    calibration = calibrate_levers(data, PRIOR, launch=2024.0)
    assert calibration.launch == 2024.0
    assert calibration.number("p", "support").value == pytest.approx(
        calibration.number("p", "support").prior, abs=1e-4
    )
    with pytest.raises(InputError, match=r"the launch 2024\.5 is not before the first measured"):
        calibrate_levers(data, PRIOR, launch=2024.5)


# --- what each mapping implies --------------------------------------------------------------------


def test_the_assumed_ranking_is_the_product_s_and_the_calibrated_one_has_intervals() -> None:
    calibration, _ = simulated()
    scores: dict[str, float | None] = {"grassroots": 55.0, "support": 40.0, "tooling": 70.0}
    assumed, ranking = lever_rankings(calibration, scores, start_share=0.2, draws=60, raise_by=10)
    product = lever_steps(scores, start_year=2000.0, start_share=0.2, raise_by=10, mapping=PRIOR)
    assert [s.dimension for s in assumed.steps] == [s.dimension for s in product]
    assert ranking.mapping == "calibrated"
    assert sum(ranking.first.values()) == pytest.approx(1.0)
    assert set(ranking.months) == set(DIMENSIONS)
    again = lever_rankings(calibration, scores, start_share=0.2, draws=60, raise_by=10)[1]
    assert again == ranking  # seeded


def test_each_division_s_curve_is_compared_with_what_each_mapping_predicts() -> None:
    data = exact_divisions(PRIOR, n=10, roster=1e9)
    calibration = calibrate_levers(data, PRIOR)
    comparison = compare_curves(calibration, data)
    assert len(comparison.divisions) == 10
    for division in comparison.divisions:
        assumed = division.curve("assumed")
        assert assumed.rmse < 1e-6
        assert assumed.months_apart == pytest.approx(0.0, abs=1e-3)
    # a mapping with a lower p predicts slower growth: later than measured, a worse fit
    slow = PRIOR.model_copy(
        update={
            "parameters": {
                **PRIOR.parameters,
                "p": PRIOR.parameters["p"].model_copy(update={"at_0": 0.001, "at_100": 0.03}),
            }
        }
    )
    against = compare_curves(Calibration(**{**calibration.__dict__, "mapping": slow}), data)
    for division in against.divisions:
        calibrated = division.curve("calibrated")
        assert calibrated.months_apart is not None
        assert calibrated.months_apart > 0
        assert calibrated.rmse > division.curve("assumed").rmse
    assert against.mean_rmse("assumed") == pytest.approx(0.0, abs=1e-6)
    lines = against.describe()
    assert lines[0].startswith("The assumed mapping misses the measured shares by 0.0 points")
