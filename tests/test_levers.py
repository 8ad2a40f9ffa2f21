"""Readiness levers: the scores-to-parameters assumption and the lever ranking."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from property_budget import examples

from readiness.errors import InputError
from readiness.levers import (
    DIMENSIONS,
    biggest_lever,
    lever_bands,
    lever_steps,
    load_levers,
    scenario_from_scores,
    start_share_of,
)
from readiness.organization import organization_projection
from readiness.projection import LITERATURE_Q
from readiness.rules import load_rulebook

NEUTRAL = {"grassroots": 50.0, "support": 50.0, "tooling": 50.0}


def test_the_lever_mapping_is_documented_with_sources_and_rationales() -> None:
    mapping = load_levers()
    assert mapping.source
    assert all(r.rationale for r in mapping.parameters.values())
    assert all(e.rationale for e in mapping.effects)
    assert {e.dimension for e in mapping.effects} == set(DIMENSIONS)


def test_neutral_scores_give_literature_like_parameters() -> None:
    params = load_levers().parameters_for(NEUTRAL)  # type: ignore[arg-type]
    assert params["q"] == pytest.approx(LITERATURE_Q, abs=0.01)
    assert 0.005 < params["p"] < 0.03


def test_support_raises_p_grassroots_raises_q_and_tooling_raises_the_ceiling() -> None:
    base = scenario_from_scores(NEUTRAL, start_year=2024, start_share=0.2).scenario
    for dim, param in (("support", "p"), ("grassroots", "q"), ("tooling", "ceiling")):
        raised = scenario_from_scores(
            {**NEUTRAL, dim: 80.0}, start_year=2024, start_share=0.2
        ).scenario
        assert getattr(raised, param) > getattr(base, param), dim


def test_missing_scores_use_the_neutral_default_and_say_so() -> None:
    result = scenario_from_scores(
        {"grassroots": 40.0, "support": None}, start_year=2024, start_share=0.2
    )
    assert result.defaulted == ("support", "tooling")
    assert result.scores_used == {"grassroots": 40.0, "support": 50.0, "tooling": 50.0}
    assert result.notes[0] == (
        "no score for support, tooling (insufficient data): counted as the neutral score 50"
    )


def test_a_ceiling_below_the_current_share_is_raised_to_it_with_a_note() -> None:
    result = scenario_from_scores({**NEUTRAL, "tooling": 0.0}, start_year=2024, start_share=0.5)
    assert result.scenario.ceiling == 0.5
    assert result.notes == (
        "the ceiling implied by tooling (30%) is below the current share (50%);"
        " the ceiling is set to the current share",
    )


def test_unknown_dimensions_and_out_of_range_scores_are_rejected() -> None:
    with pytest.raises(InputError) as error:
        scenario_from_scores({"culture": 50.0}, start_year=2024, start_share=0.2)
    assert error.value.problems == [
        "unknown dimension(s) culture; expected grassroots, support, tooling"
    ]
    with pytest.raises(InputError) as error:
        lever_steps({"support": 120.0}, start_year=2024, start_share=0.2)
    assert error.value.problems == ["score of support must be between 0 and 100 (got 120)"]


def test_levers_are_ranked_by_months_earlier_to_the_material_change() -> None:
    steps = lever_steps(
        {"grassroots": 40.0, "support": 30.0, "tooling": 20.0},
        start_year=2024,
        start_share=0.2,
        raise_by=10,
    )
    assert {s.dimension for s in steps} == set(DIMENSIONS)
    assert all(s.raised_score == s.score + 10 for s in steps)
    assert all(s.share_gain > 0 for s in steps)
    keys = [s.rank_key() for s in steps]
    assert keys == sorted(keys, reverse=True)
    top = steps[0]
    assert top.base_year is None or top.raised_year is not None
    if top.months_earlier is not None:
        assert top.base_year is not None
        assert top.raised_year is not None
        assert top.months_earlier == pytest.approx((top.base_year - top.raised_year) * 12)


def test_a_dimension_at_100_cannot_be_raised_and_gains_nothing() -> None:
    steps = {
        s.dimension: s
        for s in lever_steps(
            {**NEUTRAL, "tooling": 100.0}, start_year=2024, start_share=0.2, raise_by=10
        )
    }
    assert steps["tooling"].raised_score == 100.0
    assert steps["tooling"].share_gain == 0.0
    assert steps["tooling"].months_earlier in (None, 0.0)


@settings(max_examples=examples(60), deadline=None)
@given(
    scores=st.fixed_dictionaries({d: st.floats(0, 100) for d in DIMENSIONS}),
    share=st.floats(0.001, 0.9),
)
def test_raising_any_dimension_never_delays_adoption(
    scores: dict[str, float], share: float
) -> None:
    for step in lever_steps(scores, start_year=2024, start_share=share, raise_by=10):
        assert step.share_gain >= -1e-12
        assert step.months_earlier is None or step.months_earlier >= -1e-6
        assert not (step.base_year is not None and step.raised_year is None)


def test_the_start_share_is_the_active_share_answer_else_the_mappings_assumption() -> None:
    mapping = load_levers()
    assert start_share_of({"gr_active_share": 12}, mapping) == (pytest.approx(0.12), True)
    assert start_share_of({"gr_active_share": 0}, mapping) == (0.001, True)
    assert start_share_of({}, mapping) == (mapping.default_start_share, False)
    assert start_share_of({"gr_active_share": True}, mapping)[1] is False


@settings(max_examples=examples(25), deadline=None)
@given(
    scores=st.fixed_dictionaries({d: st.one_of(st.none(), st.floats(0, 100)) for d in DIMENSIONS}),
    share=st.one_of(st.none(), st.integers(0, 100)),
    day=st.dates(dt.date(2000, 1, 1), dt.date(2040, 12, 31)),
)
def test_the_biggest_lever_is_the_projections_top_lever_at_any_date(
    scores: dict[str, float | None], share: int | None, day: dt.date
) -> None:
    rules = load_rulebook()
    answers = {} if share is None else {"gr_active_share": share}
    lever, is_barrier = biggest_lever(scores, answers, rules)
    if all(score is None for score in scores.values()):
        assert (lever, is_barrier) == (None, False)
        return
    projection = organization_projection(
        scores, answers, day, barrier_below=rules.barrier_below, bands=lever_bands(rules)
    )
    assert lever == projection.steps[0].dimension
    assert is_barrier == (projection.barrier is not None)


def test_a_broken_lever_file_names_the_field(tmp_path: Path) -> None:
    path = tmp_path / "levers.yaml"
    path.write_text(
        "source: test\nneutral_score: 50\nparameters:\n"
        "  p: {at_0: 0.002, at_100: 0.06, scale: log, rationale: r}\n"
        "  q: {at_0: 0.15, at_100: 0.6, rationale: r}\n"
        "  ceiling: {at_0: 0.3, at_100: 1.5, rationale: r}\n"
        "effects:\n"
        "  - {dimension: support, parameter: p, weight: 1, rationale: r}\n"
        "  - {dimension: grassroots, parameter: q, weight: 1, rationale: r}\n"
        "  - {dimension: tooling, parameter: ceiling, weight: -1, rationale: r}\n"
    )
    with pytest.raises(InputError) as error:
        load_levers(path)
    assert error.value.problems == [
        f"{path}: effect #3, field weight: Input should be greater than 0"
    ]
