"""Readiness levers: the scores-to-parameters assumption and the lever ranking."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from readiness.errors import InputError
from readiness.levers import (
    DIMENSIONS,
    lever_changes,
    load_levers,
    rank_levers,
    scenario_from_scores,
)
from readiness.projection import LITERATURE_Q

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
        rank_levers({"support": 120.0}, start_year=2024, start_share=0.2)
    assert error.value.problems == ["score of support must be between 0 and 100 (got 120)"]


def test_levers_are_ranked_by_their_effect_on_the_share_in_three_years() -> None:
    impacts = rank_levers(
        {"grassroots": 40.0, "support": 30.0, "tooling": 20.0}, start_year=2024, start_share=0.2
    )
    changes = [i.change for i in impacts]
    assert changes == sorted(changes, reverse=True)
    assert {i.dimension for i in impacts} == set(DIMENSIONS)
    assert all(i.change > 0 for i in impacts)
    top = impacts[0]
    assert top.raised_score == top.score + 10
    assert top.raised_share == pytest.approx(top.base_share + top.change)
    assert lever_changes(impacts)[top.dimension] == top.change


def test_a_dimension_at_100_cannot_be_raised_and_says_so() -> None:
    impacts = {
        i.dimension: i
        for i in rank_levers({**NEUTRAL, "tooling": 100.0}, start_year=2024, start_share=0.2)
    }
    assert impacts["tooling"].change == 0.0
    assert impacts["tooling"].note == "tooling is already at 100"


@settings(max_examples=60, deadline=None)
@given(
    scores=st.fixed_dictionaries({d: st.floats(0, 100) for d in DIMENSIONS}),
    share=st.floats(0.0, 0.9),
)
def test_raising_any_dimension_never_lowers_the_projected_share(
    scores: dict[str, float], share: float
) -> None:
    for impact in rank_levers(scores, start_year=2024, start_share=share):
        assert impact.change >= -1e-12


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
        f"{path}, field effects.2.weight: Input should be greater than 0"
    ]
