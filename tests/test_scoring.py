"""Scoring: item and dimension scores, overall index, stage, weakest link, organization model,
recommendations, and batch scoring of a respondents table."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
import pytest
from scoring_fixtures import BEST, STRUGGLING, questionnaire, respondents_table, rulebook

from readiness.answers import encode_answers
from readiness.errors import InputError
from readiness.scoring import (
    LOW_AGREEMENT_BELOW,
    Scores,
    compile_plan,
    dimension_weights,
    item_scores,
    score_assessment,
    score_respondents,
)
from readiness.survey import read_respondents


def score(answers: dict[str, Any], weights: dict[str, float] | None = None) -> Scores:
    return score_assessment(questionnaire(), rulebook(), answers, weights)


def item_score(item_id: str, value: Any) -> float:
    raw = encode_answers(questionnaire(), {item_id: value})
    column = questionnaire().item_ids.index(item_id)
    return float(item_scores(compile_plan(questionnaire()), raw)[0, column])


def recommendation_ids(scores: Scores) -> list[str]:
    return [r.id for r in scores.recommendations]


def reasons(scores: Scores) -> dict[str, str]:
    return {r.id: r.reason for r in scores.recommendations}


#: Four of the eight grassroots items: just enough (half) for a score.
GRASSROOTS_HALF = {
    "gr_active_share": 40,  # number, weight 2, at `full` (40) -> 1
    "gr_self_start": 1,  # likert, weight 1 -> 0
    "gr_find_answers": 1,  # likert, weight 1 -> 0
    "gr_cross_boundary": 1,  # likert, weight 1 -> 0
}
#: Four of the eight support items, one of each kind but checklist.
SUPPORT_HALF = {
    "su_evangelists": 2.5,  # number 0..5, weight 2 -> 0.5
    "su_local_support_share": 100,  # number 0..100, weight 2 -> 1
    "su_lead": "joint",  # choice, weight 1 -> 0.9
    "su_unexplained_rollout": 2,  # reverse likert, weight 1 -> 1 - 0.25 = 0.75
}
#: Four of the seven tooling items.
TOOLING_HALF = {
    "to_slates": ["search", "links", "signals"],  # checklist, weight 2 -> 3/6 = 0.5
    "to_common_platform": 5,  # likert, weight 2 -> 1
    "to_access_share": 50,  # number 0..100, weight 1 -> 0.5
    "to_rigid_structure": 5,  # reverse likert, weight 1 -> 0
}
HAND = {**GRASSROOTS_HALF, **SUPPORT_HALF, **TOOLING_HALF}


# --- item scores ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("agreement", "expected"), [(1, 0.0), (2, 0.25), (3, 0.5), (5, 1.0)])
def test_a_likert_item_scores_its_agreement_from_0_to_1(agreement: int, expected: float) -> None:
    assert item_score("gr_self_start", agreement) == expected


@pytest.mark.parametrize(("agreement", "expected"), [(1, 1.0), (2, 0.75), (5, 0.0)])
def test_a_reverse_scored_likert_item_scores_disagreement_high(
    agreement: int, expected: float
) -> None:
    assert item_score("gr_only_when_asked", agreement) == expected


@pytest.mark.parametrize(("value", "expected"), [(0, 0.0), (10, 0.25), (40, 1.0), (100, 1.0)])
def test_a_number_item_scores_linearly_from_zero_to_full_then_stays_at_1(
    value: float, expected: float
) -> None:
    assert item_score("gr_active_share", value) == expected


@pytest.mark.parametrize(
    ("lead", "expected"), [("business", 1.0), ("joint", 0.9), ("it", 0.3), ("nobody", 0.0)]
)
def test_a_choice_item_scores_the_chosen_options_score(lead: str, expected: float) -> None:
    assert item_score("su_lead", lead) == pytest.approx(expected)


def test_a_checklist_item_scores_the_weighted_share_of_options_ticked() -> None:
    assert item_score("to_slates", []) == 0.0
    assert item_score("to_slates", ["search", "tags"]) == pytest.approx(2 / 6)
    assert item_score("to_slates", list(BEST["to_slates"])) == 1.0


def test_an_unanswered_item_has_no_score() -> None:
    assert math.isnan(item_score("to_slates", None))


# --- dimension scores ----------------------------------------------------------------------------


def test_a_dimension_score_is_normalised_by_the_weighted_maximum_of_its_answered_items() -> None:
    # grassroots, 4 of 8 items answered (weights from data/questionnaire.yaml):
    #   gr_active_share 40 -> 1 (weight 2); three likert items at 1 -> 0 (weight 1 each)
    #   100 * (2*1 + 1*0 + 1*0 + 1*0) / (2 + 1 + 1 + 1) = 40
    # (not 100 * 2 / 9 = 22.2, as if the unanswered items counted as zero;
    #  not 100 * 1 / 4 = 25, as if weights were ignored)
    assert score(GRASSROOTS_HALF).dimension_scores()["grassroots"] == pytest.approx(40.0)


def test_a_dimension_score_weighs_every_item_kind_by_its_weight() -> None:
    # support: 100 * (2*0.5 + 2*1 + 1*0.9 + 1*0.75) / (2 + 2 + 1 + 1) = 100 * 4.65 / 6 = 77.5
    # tooling: 100 * (2*0.5 + 2*1 + 1*0.5 + 1*0) / (2 + 2 + 1 + 1) = 100 * 3.5 / 6 = 58.33
    dims = score(HAND).dimension_scores()
    assert dims["support"] == pytest.approx(77.5)
    assert dims["tooling"] == pytest.approx(350 / 6)


def test_a_dimension_with_every_answer_at_its_best_scores_100() -> None:
    assert score(BEST).dimension_scores() == {"grassroots": 100, "support": 100, "tooling": 100}


def test_a_dimension_with_every_answer_at_its_worst_scores_0() -> None:
    worst = {
        "gr_active_share": 0,
        "gr_self_start": 1,
        "gr_only_when_asked": 5,
        "gr_email_habit": 5,
    }
    assert score(worst).dimension_scores()["grassroots"] == 0.0


def test_missing_answers_never_count_as_zero() -> None:
    # Half of the items at their best: 100, whatever the unanswered half would have said.
    best_half = {k: BEST[k] for k in ("gr_active_share", "gr_projects", "gr_self_start")}
    best_half["gr_email_habit"] = 1  # reverse-scored: its best answer is 1
    assert score(best_half).dimension_scores()["grassroots"] == 100.0


def test_a_dimension_with_fewer_than_half_its_items_answered_has_no_score() -> None:
    three_of_eight = dict(list(GRASSROOTS_HALF.items())[:3])
    dimension = next(d for d in score(three_of_eight).dimensions if d.id == "grassroots")
    assert dimension.score is None
    assert dimension.answered == 3
    assert dimension.items == 8


def test_a_dimension_with_exactly_half_its_items_answered_has_a_score() -> None:
    dimension = next(d for d in score(GRASSROOTS_HALF).dimensions if d.id == "grassroots")
    assert dimension.score is not None
    assert dimension.answered == 4


def test_a_dimension_with_an_odd_item_count_needs_more_than_half_rounded_down() -> None:
    # tooling has 7 scored items: 3 answered is fewer than half (3.5), 4 is enough.
    three = dict(list(TOOLING_HALF.items())[:3])
    assert score(three).dimension_scores()["tooling"] is None
    assert score(TOOLING_HALF).dimension_scores()["tooling"] is not None


def test_context_answers_do_not_count_towards_any_dimension() -> None:
    with_context = {**GRASSROOTS_HALF, "cx_org_model": "organic", "cx_projects_aware": 5}
    assert score(with_context).dimension_scores() == score(GRASSROOTS_HALF).dimension_scores()
    three = dict(list(GRASSROOTS_HALF.items())[:3])
    assert score({**three, "cx_projects_aware": 5}).dimension_scores()["grassroots"] is None


# --- overall index and stage ---------------------------------------------------------------------


def test_the_overall_index_is_the_equal_weight_mean_of_the_dimensions_by_default() -> None:
    # (40 + 77.5 + 58.33) / 3 = 58.61
    assert score(HAND).overall == pytest.approx((40 + 77.5 + 350 / 6) / 3)


def test_dimension_weights_for_the_overall_index_are_configurable() -> None:
    # (2*40 + 1*77.5 + 1*58.33) / 4 = 53.96
    assert score(HAND, {"grassroots": 2}).overall == pytest.approx((80 + 77.5 + 350 / 6) / 4)


def test_a_dimension_weighted_zero_does_not_count_towards_the_overall_index() -> None:
    answers = {**SUPPORT_HALF, **TOOLING_HALF}
    assert score(answers).overall is None
    assert score(answers, {"grassroots": 0}).overall == pytest.approx((77.5 + 350 / 6) / 2)


def test_there_is_no_overall_index_unless_every_dimension_has_a_score() -> None:
    scores = score({**GRASSROOTS_HALF, **SUPPORT_HALF})
    assert scores.dimension_scores()["tooling"] is None
    assert scores.overall is None
    assert scores.stage is None


def test_weights_for_an_unknown_dimension_are_rejected() -> None:
    with pytest.raises(InputError, match="dimension weights: unknown dimension culture"):
        dimension_weights(questionnaire(), {"culture": 1})


@pytest.mark.parametrize(
    "weights", [{"grassroots": -1}, dict.fromkeys(("grassroots", "support", "tooling"), 0)]
)
def test_negative_or_all_zero_dimension_weights_are_rejected(weights: dict[str, float]) -> None:
    with pytest.raises(InputError, match="zero or more, and not all zero"):
        dimension_weights(questionnaire(), weights)


@pytest.mark.parametrize("weight", [math.nan, math.inf])
def test_a_dimension_weight_that_is_not_a_finite_number_is_rejected(weight: float) -> None:
    # `readiness score --weight grassroots=nan` would otherwise silently give no overall index.
    with pytest.raises(InputError):
        dimension_weights(questionnaire(), {"grassroots": weight})


def test_the_stage_follows_the_overall_index_through_the_data_bands() -> None:
    scores = score(HAND)  # overall 58.6: from 45 (Spreading) up to 65
    assert scores.stage is not None
    assert (scores.stage.level, scores.stage.name) == (3, "Spreading")
    best = score(BEST).stage
    assert best is not None
    assert (best.level, best.name) == (5, "Embedded")


# --- weakest link --------------------------------------------------------------------------------


def test_the_weakest_link_is_the_lowest_dimension_and_a_barrier_below_fifty() -> None:
    scores = score(HAND)  # grassroots 40, support 77.5, tooling 58.3
    assert scores.weakest == "grassroots"
    assert scores.barrier is True


def test_a_weakest_dimension_at_fifty_or_more_is_not_a_barrier() -> None:
    scores = score(BEST)
    assert scores.weakest == "grassroots"  # a three-way tie at 100 goes to the first
    assert scores.barrier is False


def test_the_weakest_link_is_found_among_the_dimensions_that_have_a_score() -> None:
    scores = score({**SUPPORT_HALF, **TOOLING_HALF})
    assert scores.weakest == "tooling"


def test_nothing_answered_means_no_scores_no_weakest_link_and_no_advice() -> None:
    scores = score({})
    assert scores.overall is None
    assert scores.stage is None
    assert scores.dimension_scores() == {"grassroots": None, "support": None, "tooling": None}
    assert scores.weakest is None
    assert scores.barrier is False
    assert scores.org_model is None
    assert scores.recommendations == ()


# --- organization model --------------------------------------------------------------------------


def test_a_self_reported_organization_model_wins_over_the_inferred_one() -> None:
    scores = score({"cx_org_model": "centralized", "gr_projects": 3, "cx_projects_aware": 1})
    assert scores.org_model == "centralized"
    assert scores.org_model_reason == "as answered"


def test_several_unconnected_projects_are_inferred_as_organic() -> None:
    scores = score({"gr_projects": 3, "cx_projects_aware": 1})
    assert scores.org_model == "organic"
    assert scores.org_model_reason == (
        "Several grassroots projects that do not know of each other. "
        "(Independent E2.0 projects: 3; Projects know of each other: Strongly disagree)"
    )


def test_local_support_around_a_common_platform_is_inferred_as_coordinated() -> None:
    assert score({"su_local_support_share": 60, "to_common_platform": 4}).org_model == "coordinated"


def test_no_organization_model_is_inferred_without_evidence() -> None:
    assert score({"gr_projects": 3}).org_model is None


# --- recommendations -----------------------------------------------------------------------------


def test_tools_rolled_out_without_local_support_recommend_local_support() -> None:
    scores = score({"to_access_share": 90, "su_local_support_share": 10})
    assert reasons(scores)["local-support-missing"] == (
        "Staff with access: 90%; Divisions with local support: 10%"
    )


def test_local_support_in_most_divisions_does_not_recommend_local_support() -> None:
    scores = score({"to_access_share": 90, "su_local_support_share": 60})
    assert "local-support-missing" not in recommendation_ids(scores)


def test_many_unconnected_projects_recommend_connecting_them() -> None:
    scores = score({"gr_projects": 3, "cx_projects_aware": 1})
    assert reasons(scores)["connect-unconnected-projects"] == (
        "Independent E2.0 projects: 3; Projects know of each other: Strongly disagree"
    )


def test_projects_that_know_of_each_other_need_no_connecting() -> None:
    scores = score({"gr_projects": 3, "cx_projects_aware": 4})
    assert "connect-unconnected-projects" not in recommendation_ids(scores)


def test_an_it_led_initiative_recommends_handing_the_lead_to_the_business() -> None:
    assert reasons(score({"su_lead": "it"}))["it-led"] == "Who leads the initiative: IT"
    assert "it-led" not in recommendation_ids(score({"su_lead": "business"}))


def test_no_evangelists_recommends_recruiting_them() -> None:
    assert reasons(score({"su_evangelists": 0}))["no-evangelists"] == (
        "Evangelists per 1,000 staff: 0"
    )
    assert "no-evangelists" not in recommendation_ids(score({"su_evangelists": 3}))


def test_pattern_recommendations_carry_their_title_advice_and_source() -> None:
    fired = {r.id: r for r in score(STRUGGLING).recommendations}
    for rule_id in (
        "local-support-missing",
        "connect-unconnected-projects",
        "it-led",
        "no-evangelists",
    ):
        assert fired[rule_id].title
        assert fired[rule_id].advice
        assert fired[rule_id].source


def test_a_barrier_dimension_recommends_work_on_that_dimension() -> None:
    scores = score(STRUGGLING)  # support 17.5 is the weakest, below 50, and binds growth
    assert scores.weakest == "support"
    assert scores.lever == "support"
    assert reasons(scores)["barrier-support"] == (
        "biggest lever: Support (18/100: its rise brings the material change earliest); "
        "below the barrier threshold"
    )
    assert "barrier-grassroots" not in recommendation_ids(scores)


def test_the_stage_selects_its_own_recommendation() -> None:
    struggling = recommendation_ids(score(STRUGGLING))  # overall 43.5: Experimenting
    assert "stage-experimenting" in struggling
    assert "stage-spreading" not in struggling
    best = recommendation_ids(score(BEST))
    assert [r for r in best if r.startswith("stage-")] == ["stage-embedded"]


def test_recommendations_come_most_urgent_first() -> None:
    priorities = [r.priority for r in score(STRUGGLING).recommendations]
    assert priorities == sorted(priorities)
    assert priorities[0] == 1


def test_unanswered_questions_never_trigger_advice() -> None:
    assert score({"to_access_share": 90}).recommendations == ()


# --- the JSON shape ------------------------------------------------------------------------------


def test_an_assessments_json_has_exactly_the_contract_fields() -> None:
    data = score(HAND).to_json()
    assert list(data) == [
        "overall",
        "stage",
        "dimensions",
        "weakest",
        "org_model",
        "recommendations",
    ]
    assert data["overall"] == 58.61
    assert data["stage"] == {"level": 3, "name": "Spreading"}
    assert data["dimensions"] == {"grassroots": 40.0, "support": 77.5, "tooling": 58.33}
    assert data["weakest"] == "grassroots"
    assert data["org_model"] == "coordinated"  # local support 100% around a common platform
    assert all(set(r) == {"id", "title", "reason"} for r in data["recommendations"])


def test_an_unscored_dimension_is_null_in_json() -> None:
    data = score(GRASSROOTS_HALF).to_json()
    assert data["dimensions"] == {"grassroots": 40.0, "support": None, "tooling": None}
    assert data["overall"] is None
    assert data["stage"] is None


# --- batch scoring -------------------------------------------------------------------------------


def batch(
    answer_sets: list[dict[str, Any]], divisions: list[str] | None = None, minimum: int = 1
) -> Any:
    """Scores of a small table; by default every division on its own (minimum 1), to check the
    aggregation itself: the merge of small divisions is checked with the default minimum below
    and in test_groups.py."""
    table = respondents_table(answer_sets, divisions)
    return score_respondents(questionnaire(), rulebook(), table, min_group_size=minimum)


def test_every_respondent_is_scored_in_the_respondents_frame() -> None:
    result = batch([STRUGGLING, BEST, {}], ["A", "A", "B"])
    frame = result.respondents
    assert list(frame.columns) == ["division", "grassroots", "support", "tooling", "overall"]
    assert list(frame["division"]) == ["A", "A", "B"]
    single = score(STRUGGLING)
    assert frame.loc[0, "support"] == pytest.approx(single.dimension_scores()["support"])
    assert frame.loc[0, "overall"] == pytest.approx(single.overall)
    assert frame.loc[1, "overall"] == 100.0
    assert frame.loc[2, ["grassroots", "support", "tooling", "overall"]].isna().all()


def test_a_division_score_is_the_mean_of_its_respondents_dimension_scores() -> None:
    result = batch([STRUGGLING, BEST, BEST], ["A", "A", "B"])
    division_a = result.divisions["A"].scores.dimension_scores()
    single = score(STRUGGLING).dimension_scores()
    for dimension in ("grassroots", "support", "tooling"):
        assert division_a[dimension] == pytest.approx(((single[dimension] or 0) + 100) / 2)
    assert result.divisions["B"].scores.dimension_scores()["support"] == 100.0


def test_divisions_and_the_whole_table_count_their_respondents() -> None:
    result = batch([STRUGGLING, BEST, BEST], ["A", "A", "B"])
    assert set(result.divisions) == {"A", "B"}
    assert result.divisions["A"].respondents == 2
    assert result.divisions["B"].respondents == 1
    assert result.overall.respondents == 3
    overall = result.overall.scores.dimension_scores()
    single = score(STRUGGLING).dimension_scores()
    assert overall["support"] == pytest.approx(((single["support"] or 0) + 200) / 3)


def test_respondents_without_a_score_are_left_out_of_their_groups_mean() -> None:
    result = batch([STRUGGLING, {"gr_self_start": 5}], ["A", "A"])
    assert result.divisions["A"].scores.dimension_scores() == pytest.approx(
        score(STRUGGLING).dimension_scores()
    )


def test_identical_answers_agree_fully() -> None:
    result = batch([STRUGGLING, STRUGGLING, STRUGGLING], ["A", "A", "A"])
    assert result.divisions["A"].agreement == 1.0
    assert result.divisions["A"].low_agreement is False


def test_agreement_is_the_mean_rwg_over_the_likert_items() -> None:
    # Every scored likert item answered 3 by one respondent and 4 by the other:
    # sample variance 0.5; r_wg = 1 - 0.5 / ((5**2 - 1) / 12) = 1 - 0.5 / 2 = 0.75
    likert = [i.id for i in questionnaire().items if i.kind == "likert" and i.scored]
    result = batch([dict.fromkeys(likert, 3), dict.fromkeys(likert, 4)], ["A", "A"])
    assert result.divisions["A"].agreement == pytest.approx(0.75)
    assert result.divisions["A"].low_agreement is False


def test_a_division_that_disagrees_is_flagged_for_low_agreement() -> None:
    # 1 and 5: sample variance 8, r_wg = 1 - 8/2 < 0, clipped to 0.
    likert = [i.id for i in questionnaire().items if i.kind == "likert" and i.scored]
    result = batch([dict.fromkeys(likert, 1), dict.fromkeys(likert, 5)], ["A", "A"])
    assert result.divisions["A"].agreement == 0.0
    assert result.divisions["A"].low_agreement is True
    assert LOW_AGREEMENT_BELOW == 0.7


def test_a_single_respondent_has_no_agreement_and_is_not_flagged() -> None:
    result = batch([STRUGGLING, BEST], ["A", "B"])
    assert result.divisions["A"].agreement is None
    assert result.divisions["A"].low_agreement is False


def test_a_groups_advice_follows_its_most_frequent_choice() -> None:
    result = batch([{"su_lead": "it"}, {"su_lead": "it"}, {"su_lead": "business"}], ["A", "A", "A"])
    assert "it-led" in recommendation_ids(result.divisions["A"].scores)


def test_a_batch_json_has_the_overall_group_and_one_entry_per_division() -> None:
    data = batch([STRUGGLING, BEST, BEST], ["A", "A", "B"]).to_json()
    assert list(data) == ["overall", "divisions", "min_group_size", "groups_note"]
    assert data["min_group_size"] == 1
    assert data["groups_note"] is None
    assert list(data["divisions"]) == ["A", "B"]
    for group in (data["overall"], *data["divisions"].values()):
        assert {
            "overall",
            "stage",
            "dimensions",
            "weakest",
            "org_model",
            "recommendations",
            "respondents",
        } <= set(group)
    assert data["overall"]["respondents"] == 3
    assert data["divisions"]["B"]["respondents"] == 1
    assert data["divisions"]["B"]["overall"] == 100.0


def test_small_divisions_are_scored_together_and_the_overall_is_everyones() -> None:
    likert = [i.id for i in questionnaire().items if i.kind == "likert" and i.scored]
    three, four, five = (dict.fromkeys(likert, k) for k in (3, 4, 5))
    answers = [three] * 6 + [five] * 6 + [four] * 3
    result = batch(answers, ["Ops"] * 6 + ["Marketing"] * 6 + ["Legal"] * 3, minimum=5)
    assert list(result.divisions) == ["Ops", "other divisions"]
    other = result.divisions["other divisions"]
    assert other.respondents == 9
    assert result.overall.respondents == 15
    # r_wg of the merged group, over its nine answers: six 5s and three 4s, variance 0.25
    assert other.agreement == pytest.approx(1 - 0.25 / 2)
    assert result.divisions["Ops"].agreement == 1.0
    merged = score(dict.fromkeys(likert, 5)).dimension_scores()["support"] or 0
    alone = score(dict.fromkeys(likert, 4)).dimension_scores()["support"] or 0
    assert other.scores.dimension_scores()["support"] == pytest.approx((6 * merged + 3 * alone) / 9)
    assert result.to_json()["groups_note"] == (
        "2 divisions (1 with fewer than 5 respondents and the next smallest) merged into "
        "'other divisions'."
    )
    assert list(result.respondents["division"].unique()) == ["Ops", "Marketing", "Legal"]


def test_a_table_under_the_minimum_has_no_group_but_an_overall_score() -> None:
    result = batch([STRUGGLING, BEST, BEST], ["A", "A", "B"], minimum=5)
    assert result.divisions == {}
    assert result.overall.respondents == 3
    assert result.overall.scores.overall is not None
    assert "Fewer than 5 respondents in all" in (result.groups.note() or "")


def test_the_minimum_comes_from_the_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    table = respondents_table([BEST] * 4 + [STRUGGLING] * 3, ["A"] * 4 + ["B"] * 3)
    monkeypatch.setenv("READINESS_MIN_GROUP_SIZE", "3")
    assert set(score_respondents(questionnaire(), rulebook(), table).divisions) == {"A", "B"}
    monkeypatch.setenv("READINESS_MIN_GROUP_SIZE", "4")
    assert score_respondents(questionnaire(), rulebook(), table).divisions == {}


def test_a_table_with_problems_is_not_scored() -> None:
    table = read_respondents(questionnaire(), pd.DataFrame({"gr_self_start": [9]}), "s.csv")
    with pytest.raises(InputError) as caught:
        score_respondents(questionnaire(), rulebook(), table)
    assert caught.value.problems == [
        "s.csv: row 2, field gr_self_start: expected a whole number from 1 to 5, got 9"
    ]


def test_an_empty_table_is_not_scored() -> None:
    table = read_respondents(questionnaire(), pd.DataFrame({"gr_self_start": []}))
    with pytest.raises(InputError, match="no respondent rows"):
        score_respondents(questionnaire(), rulebook(), table)


def test_batch_dimension_weights_apply_to_every_respondent() -> None:
    table = respondents_table([HAND])
    result = score_respondents(questionnaire(), rulebook(), table, {"grassroots": 2})
    assert result.respondents.loc[0, "overall"] == pytest.approx((80 + 77.5 + 350 / 6) / 4)
    assert np.isclose(result.overall.scores.overall or 0, (80 + 77.5 + 350 / 6) / 4)


def test_a_large_table_scored_by_several_threads_equals_one_thread(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from readiness import scoring

    shipped, rules = questionnaire(), rulebook()
    rows = 8 * scoring.CHUNK_ROWS + 123  # enough chunks for the threaded path
    rng = np.random.default_rng(3)
    columns: dict[str, object] = {"division": rng.choice(["A", "B", "C"], rows)}
    for item in shipped.items:
        if item.kind == "likert":
            values = rng.integers(1, 6, rows).astype(float)
        elif item.kind == "number":
            assert item.bounds is not None
            values = rng.uniform(item.bounds.min, min(item.bounds.max, 100), rows)
        else:
            columns[item.id] = rng.choice([o.id for o in item.options], rows)
            continue
        values[rng.random(rows) < 0.2] = np.nan
        columns[item.id] = values
    table = read_respondents(shipped, pd.DataFrame(columns), "large")

    monkeypatch.setattr(scoring, "SCORING_THREADS", 1)
    alone = score_respondents(shipped, rules, table)
    monkeypatch.setattr(scoring, "SCORING_THREADS", 3)
    threaded = score_respondents(shipped, rules, table)

    pd.testing.assert_frame_equal(alone.respondents, threaded.respondents)
    assert alone.to_json() == threaded.to_json()
