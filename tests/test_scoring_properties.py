"""Invariants of the scoring, checked on generated answers (hypothesis)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
from property_budget import examples
from scoring_fixtures import questionnaire, respondents_frame, rulebook

from readiness.questionnaire import Item
from readiness.scoring import BatchScores, Scores, score_assessment, score_respondents
from readiness.survey import read_respondents

SETTINGS = settings(deadline=None, max_examples=examples(100))
FEW = settings(
    deadline=None, max_examples=examples(60)
)  # batch scoring: each example scores a table

QUESTIONNAIRE = questionnaire()
RULEBOOK = rulebook()
SCORED = [i for i in QUESTIONNAIRE.items if i.scored]
DIMENSIONS = [d.id for d in QUESTIONNAIRE.dimensions]
TOLERANCE = 1e-9


def answer(item: Item) -> st.SearchStrategy[Any]:
    """Any valid answer to ``item``, as JSON would hold it."""
    if item.kind == "likert":
        return st.integers(1, 5)
    if item.kind == "number":
        assert item.bounds is not None
        low, high = item.bounds.min, item.bounds.max
        near = min(high, low + 2 * abs((item.full or 0) - (item.zero or 0)))
        return st.one_of(st.integers(int(low), int(near)), st.floats(low, high))
    ids = [o.id for o in item.options]
    if item.kind == "choice":
        return st.sampled_from(ids)
    return st.sets(st.sampled_from(ids)).map(lambda ticked: [i for i in ids if i in ticked])


def whole_answer(item: Item) -> st.SearchStrategy[Any]:
    """Like :func:`answer`, with whole numbers only, so group means are exact."""
    if item.kind == "number":
        assert item.bounds is not None
        return st.integers(int(item.bounds.min), int(min(item.bounds.max, 50)))
    return answer(item)


def answer_sets(value: Any = answer) -> st.SearchStrategy[dict[str, Any]]:
    """Answers to a random subset of the items (most of them, often all)."""
    strategies = {i.id: st.one_of(st.none(), value(i), value(i)) for i in QUESTIONNAIRE.items}
    return st.fixed_dictionaries(strategies).map(
        lambda answers: {k: v for k, v in answers.items() if v is not None}
    )


def score(answers: dict[str, Any]) -> Scores:
    return score_assessment(QUESTIONNAIRE, RULEBOOK, answers)


def at_least(after: float | None, before: float | None) -> bool:
    return (after is None and before is None) or (
        after is not None and before is not None and after >= before - TOLERANCE
    )


def same_number(a: float | None, b: float | None) -> bool:
    if a is None or (isinstance(a, float) and math.isnan(a)):
        return b is None or (isinstance(b, float) and math.isnan(b))
    return b is not None and not math.isnan(b) and abs(a - b) <= TOLERANCE


def favourable_move(item: Item, value: Any, data: st.DataObject) -> Any | None:
    """A new answer to ``item`` at least as favourable as ``value``; None when there is none."""
    if item.kind == "likert":
        step = -1 if item.reverse else 1
        return value + step if 1 <= value + step <= 5 else None
    if item.kind == "number":
        assert item.full is not None
        share = data.draw(st.floats(0, 1), label="share of the way to full")
        return value + share * (item.full - value)
    if item.kind == "choice":
        current = item.option(value)
        assert current is not None
        better = [o.id for o in item.options if (o.score or 0) >= (current.score or 0)]
        return data.draw(st.sampled_from(better), label="better option")
    unticked = [o.id for o in item.options if o.id not in value]
    if not unticked:
        return None
    extra = data.draw(st.sampled_from(unticked), label="option ticked")
    return [o.id for o in item.options if o.id in value or o.id == extra]


def batch(rows: list[tuple[str, dict[str, Any]]]) -> BatchScores:
    frame = respondents_frame([a for _, a in rows], [d for d, _ in rows])
    return score_respondents(QUESTIONNAIRE, RULEBOOK, read_respondents(QUESTIONNAIRE, frame))


def assert_same_conclusions(a: Scores, b: Scores) -> None:
    """Equal up to float rounding; the weakest link is compared only when it is unique."""
    assert same_number(a.overall, b.overall)
    for dim_a, dim_b in zip(a.dimensions, b.dimensions, strict=True):
        assert same_number(dim_a.score, dim_b.score), dim_a.id
    assert a.stage == b.stage
    assert a.org_model == b.org_model
    scores = sorted(s for s in a.dimension_scores().values() if s is not None)
    unique_weakest = len(scores) < 2 or scores[1] - scores[0] > TOLERANCE
    if unique_weakest:
        assert a.weakest == b.weakest
        assert [r.id for r in a.recommendations] == [r.id for r in b.recommendations]


respondent_rows = st.lists(
    st.tuples(st.sampled_from(["Sales", "R&D", "HR"]), answer_sets(whole_answer)),
    min_size=1,
    max_size=6,
)


# --- one assessment ------------------------------------------------------------------------------


@SETTINGS
@given(answers=answer_sets())
def test_every_score_stays_between_0_and_100(answers: dict[str, Any]) -> None:
    scores = score(answers)
    for value in [scores.overall, *scores.dimension_scores().values()]:
        assert value is None or 0 <= value <= 100


@SETTINGS
@given(answers=answer_sets(), data=st.data())
def test_a_more_favourable_answer_never_lowers_its_dimension_or_the_overall_index(
    answers: dict[str, Any], data: st.DataObject
) -> None:
    answered = [i for i in SCORED if i.id in answers]
    if not answered:
        return
    item = data.draw(st.sampled_from(answered), label="item moved")
    moved = favourable_move(item, answers[item.id], data)
    if moved is None:
        return
    before = score(answers)
    after = score({**answers, item.id: moved})
    assert item.dimension is not None
    dimension_before = before.dimension_scores()[item.dimension]
    dimension_after = after.dimension_scores()[item.dimension]
    assert at_least(dimension_after, dimension_before)
    assert at_least(after.overall, before.overall)


@SETTINGS
@given(answers=answer_sets(), order=st.randoms(use_true_random=False))
def test_the_order_of_the_answers_changes_nothing(answers: dict[str, Any], order: Any) -> None:
    keys = list(answers)
    order.shuffle(keys)
    assert score({k: answers[k] for k in keys}) == score(answers)


@SETTINGS
@given(answers=answer_sets())
def test_a_dimension_has_a_score_exactly_when_at_least_half_its_items_are_answered(
    answers: dict[str, Any],
) -> None:
    dimensions = score(answers).dimension_scores()
    for dimension in DIMENSIONS:
        items = [i for i in SCORED if i.dimension == dimension]
        answered = sum(1 for i in items if i.id in answers)
        if 2 * answered < len(items):
            assert dimensions[dimension] is None, (dimension, answered, len(items))
        else:
            assert dimensions[dimension] is not None, (dimension, answered, len(items))


@SETTINGS
@given(answers=answer_sets())
def test_the_overall_index_exists_exactly_when_every_dimension_has_a_score(
    answers: dict[str, Any],
) -> None:
    scores = score(answers)
    complete = all(v is not None for v in scores.dimension_scores().values())
    assert (scores.overall is not None) == complete
    assert (scores.stage is not None) == complete


# --- a respondents table -------------------------------------------------------------------------


@FEW
@given(rows=respondent_rows)
def test_batch_scoring_gives_each_respondent_the_score_they_get_alone(
    rows: list[tuple[str, dict[str, Any]]],
) -> None:
    frame = batch(rows).respondents
    assert len(frame) == len(rows)
    for position, (division, answers) in enumerate(rows):
        alone = score(answers)
        assert frame.loc[position, "division"] == division
        for dimension, value in alone.dimension_scores().items():
            assert same_number(value, float(frame.loc[position, dimension])), dimension
        assert same_number(alone.overall, float(frame.loc[position, "overall"]))


@FEW
@given(rows=respondent_rows, order=st.randoms(use_true_random=False))
def test_shuffling_the_rows_of_a_table_changes_nothing(
    rows: list[tuple[str, dict[str, Any]]], order: Any
) -> None:
    positions = list(range(len(rows)))
    order.shuffle(positions)
    original = batch(rows)
    shuffled = batch([rows[p] for p in positions])
    pd.testing.assert_frame_equal(
        shuffled.respondents.reset_index(drop=True),
        original.respondents.iloc[positions].reset_index(drop=True),
        check_categorical=False,
        atol=TOLERANCE,
    )
    assert set(shuffled.divisions) == set(original.divisions)
    groups = [(original.overall, shuffled.overall)]
    groups += [(original.divisions[name], shuffled.divisions[name]) for name in original.divisions]
    for before, after in groups:
        assert after.respondents == before.respondents
        assert same_number(after.agreement, before.agreement)
        assert after.low_agreement == before.low_agreement
        assert_same_conclusions(after.scores, before.scores)


@FEW
@given(rows=respondent_rows)
def test_a_groups_dimension_score_is_the_mean_of_its_respondents_scores(
    rows: list[tuple[str, dict[str, Any]]],
) -> None:
    result = batch(rows)
    frame = result.respondents.astype({"division": str})
    for name, group in result.divisions.items():
        members = frame[frame["division"] == name]
        assert group.respondents == len(members)
        for dimension, value in group.scores.dimension_scores().items():
            expected = members[dimension].mean()  # NaN (no score) left out
            assert same_number(value, None if np.isnan(expected) else float(expected))
    assert result.overall.respondents == len(rows)
