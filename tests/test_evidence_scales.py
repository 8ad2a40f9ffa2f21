"""Each dimension's scale from a survey (readiness.evidence.scales): the scored Likert items only,
reverse-keyed items reversed as the score reverses them, rows with problems left out."""

from __future__ import annotations

import numpy as np
from scoring_fixtures import BEST, STRUGGLING, respondents_table

from readiness.evidence import dimension_scales, scale_items
from readiness.evidence.scales import keyed
from readiness.questionnaire import load_questionnaire

Q = load_questionnaire()


def test_a_scale_is_its_dimension_s_scored_likert_items_only() -> None:
    for dimension in Q.dimensions:
        items = scale_items(Q, dimension.id)
        assert items
        assert all(item.kind == "likert" and item.scored for item in items)
        facts = [i for i in Q.items_of(dimension.id) if i.kind != "likert"]
        assert facts  # every dimension has number, choice or checklist items: they stay out
        assert not set(facts) & set(items)
    assert all(item.dimension is not None for d in Q.dimensions for item in scale_items(Q, d.id))


def test_reverse_keyed_items_are_reversed_so_that_agreeing_means_ready() -> None:
    table = respondents_table([BEST, STRUGGLING], ["Sales", "Legal"])
    scales = dimension_scales(Q, table)
    assert list(scales) == [d.id for d in Q.dimensions]
    support = scales["support"]
    assert "su_unexplained_rollout" in support.item_ids
    assert support.reversed[support.item_ids.index("su_unexplained_rollout")]
    # BEST answers 5 everywhere but 1 on reverse-keyed items: 5 on every item once keyed
    np.testing.assert_array_equal(support.answers[0], np.full(len(support.item_ids), 5.0))
    assert list(support.divisions) == ["Sales", "Legal"]
    assert support.item_labels == tuple(Q.item(i).label for i in support.item_ids)


def test_rows_with_problems_are_left_out_as_the_scores_leave_them_out() -> None:
    table = respondents_table([BEST, {**STRUGGLING, "su_sponsor": 9}, BEST], ["A", "B", "C"])
    assert table.bad_rows.tolist() == [False, True, False]
    for scale in dimension_scales(Q, table).values():
        assert scale.respondents == 2
        assert list(scale.divisions) == ["A", "C"]


def test_keying_leaves_unanswered_unanswered() -> None:
    x = np.array([[1.0, np.nan], [5.0, 2.0]])
    out = keyed(x, np.array([True, True]))
    np.testing.assert_array_equal(out, [[5.0, np.nan], [1.0, 4.0]])
