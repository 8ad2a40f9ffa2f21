"""Advice never contradicts the answers: what is shown for an assessment (stage, organization
model, recommendations and their reasons) only claims what the answers say (hypothesis over
answer sets drawn from the questionnaire, plus the two cases users reported)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from mapping_fixtures import calibrated_choice
from property_budget import examples
from scoring_fixtures import questionnaire, rulebook

from readiness.answers import decode_row, encode_answers
from readiness.evidence.choice import mapping_in_use
from readiness.organization import OrganizationProjection, projection_for
from readiness.questionnaire import Item
from readiness.rules import AnswerValue, Facts, OrgModel, contradicts, denies, format_answer, holds
from readiness.scoring import Scores, conclude, score_assessment

SETTINGS = settings(deadline=None, max_examples=examples(300), derandomize=True)

QUESTIONNAIRE = questionnaire()
RULEBOOK = rulebook()
RULES = {r.id: r for r in RULEBOOK.recommendations}
DIMENSIONS = [d.id for d in QUESTIONNAIRE.dimensions]
DIMENSION_NAMES = {d.name: d.id for d in QUESTIONNAIRE.dimensions}
LABELS = {i.label: i.id for i in QUESTIONNAIRE.items}


def thresholds(item_id: str) -> list[float]:
    """Every number a rule or inference compares ``item_id`` with, and its neighbours."""
    conditions = [c for r in RULEBOOK.recommendations for c in (*r.when, *r.asserts)]
    conditions += [c for r in RULEBOOK.org_model_inference for c in r.when]
    conditions += [c for m in RULEBOOK.org_models for c in m.asserts]
    values = {
        float(c.value)
        for c in conditions
        if c.item == item_id and isinstance(c.value, int | float) and not isinstance(c.value, bool)
    }
    return sorted({v + step for v in values for step in (-1, -0.5, 0, 0.5, 1)})


def answer(item: Item) -> st.SearchStrategy[Any]:
    """Any valid answer to ``item`` as JSON holds it, often right at a rule's threshold."""
    if item.kind == "likert":
        return st.integers(1, 5)
    if item.kind == "number":
        assert item.bounds is not None
        low, high = item.bounds.min, item.bounds.max
        edges = [v for v in thresholds(item.id) if low <= v <= high]
        near = st.sampled_from(edges) if edges else st.nothing()
        return st.one_of(near, st.integers(int(low), int(min(high, 120))), st.floats(low, high))
    ids = [o.id for o in item.options]
    if item.kind == "choice":
        return st.sampled_from(ids)
    return st.sets(st.sampled_from(ids)).map(lambda ticked: [i for i in ids if i in ticked])


def strong_answer(item: Item) -> st.SearchStrategy[Any]:
    """A valid answer at the good end of ``item`` (so that every stage is reached)."""
    if item.kind == "likert":
        return st.integers(1, 2) if item.reverse else st.integers(4, 5)
    if item.kind == "number":
        assert item.bounds is not None
        assert item.full is not None
        assert item.zero is not None
        if item.full > item.zero:
            return st.floats(item.zero + 0.7 * (item.full - item.zero), item.bounds.max)
        return st.floats(item.bounds.min, item.zero + 0.7 * (item.full - item.zero))
    if item.kind == "choice":
        good = [o.id for o in item.options if o.score is None or o.score >= 0.9]
        return st.sampled_from(good or [o.id for o in item.options])
    ids = [o.id for o in item.options]
    return st.sets(st.sampled_from(ids), min_size=len(ids) - 2).map(sorted)


@st.composite
def answer_sets(draw: st.DrawFn) -> dict[str, Any]:
    """Answers to the questionnaire, from none to all of the items, some leaning to the good
    end of every scale."""
    strong = draw(st.booleans())
    unanswered = draw(st.sampled_from([0, 2, 6, len(QUESTIONNAIRE.items)]))
    skipped = draw(st.sets(st.sampled_from(QUESTIONNAIRE.item_ids), max_size=unanswered))
    if draw(st.booleans()):
        skipped.add("cx_org_model")  # half the time the model is inferred, not reported
    answers = {}
    for item in QUESTIONNAIRE.items:
        if item.id not in skipped:
            lean = strong and item.scored and draw(st.integers(0, 9)) > 0
            answers[item.id] = draw(strong_answer(item) if lean else answer(item))
    return answers


ANSWER_SETS = answer_sets()
WEIGHTS = st.one_of(
    st.none(),
    st.fixed_dictionaries({d: st.sampled_from([0.5, 1.0, 2.0, 3.0]) for d in DIMENSIONS}),
)


def facts_of(scores: Scores, answers: Mapping[str, AnswerValue]) -> Facts:
    """What the rules saw: the answers and everything derived from them."""
    return Facts(
        answers=answers,
        dimensions=scores.dimension_scores(),
        stage=scores.stage.level if scores.stage else None,
        weakest=scores.weakest,
        lever=scores.lever,
        barrier=scores.barrier,
        org_model=scores.org_model,
    )


def decoded(answers: Mapping[str, Any]) -> dict[str, AnswerValue]:
    return decode_row(QUESTIONNAIRE, encode_answers(QUESTIONNAIRE, answers)[0])


# --- what every shown text must satisfy ----------------------------------------------------------


def check_recommendations(scores: Scores, facts: Facts) -> None:
    shown = [RULES[r.id] for r in scores.recommendations]
    for rule in shown:
        for claim in rule.asserts:
            assert holds(claim, facts), (rule.id, claim)
    for position, rule in enumerate(shown):
        for other in shown[position + 1 :]:
            assert other.id not in rule.excludes
            assert rule.id not in other.excludes
            assert not any(contradicts(a, b) for a in rule.asserts for b in other.asserts)
    # nothing left out but for a contradiction with a rule shown before it
    order = {rule.id: position for position, rule in enumerate(shown)}
    for rule in RULEBOOK.recommendations:
        if rule.id not in order and all(holds(c, facts) for c in rule.when):
            winners = [
                o
                for o in shown
                if o.id in RULEBOOK.conflicts[rule.id] and o.priority <= rule.priority
            ]
            assert winners, rule.id
    priorities = [r.priority for r in scores.recommendations]
    assert priorities == sorted(priorities)


def check_reason(reason: str, facts: Facts) -> None:
    """Each part of a reason names an answer as given, or a score as computed."""
    for part in reason.split("; "):
        if weakest := re.fullmatch(r"weakest dimension: (.+) \((\d+)/100\)", part):
            assert DIMENSION_NAMES[weakest[1]] == facts.weakest
            assert weakest[2] == f"{facts.dimensions[facts.weakest]:.0f}"
        elif lever := re.fullmatch(
            r"biggest lever: (.+) \((\d+)/100: its rise brings the material change earliest\)",
            part,
        ):
            assert DIMENSION_NAMES[lever[1]] == facts.lever
            assert lever[2] == f"{facts.dimensions[facts.lever]:.0f}"
        elif part == "below the barrier threshold":
            assert facts.barrier
        elif part.startswith("stage "):
            assert part == f"stage {facts.stage}"
        elif match := re.fullmatch(r"(.+) score (\d+)/100", part):
            dimension = DIMENSION_NAMES[match[1]]
            assert f"{facts.dimensions[dimension]:.0f}" == match[2]
        else:
            label, _, shown = part.partition(": ")
            item_id = LABELS[label]  # a question that exists
            given = facts.answers.get(item_id)
            assert given is not None, part  # ... and was answered
            formatted = format_answer(QUESTIONNAIRE, item_id, given)
            assert shown == formatted or re.fullmatch(
                rf"{re.escape(formatted)} \((has|no) [a-z]+\)", shown
            ), part


def check_org_model(scores: Scores, facts: Facts) -> OrgModel | None:
    model = RULEBOOK.org_model(scores.org_model)
    reported = facts.answers.get("cx_org_model")
    if model is None:
        assert scores.org_model is None
        if reported is not None:  # a self-report that is not shown says why
            assert scores.org_model_reason is not None
            assert scores.org_model_reason.startswith("answered ")
            inside = re.fullmatch(
                r"answered .+?, but other answers contradict it \((.+)\)", scores.org_model_reason
            )
            assert inside is not None
            check_reason(inside[1], facts)
        return None
    if reported is not None:
        assert scores.org_model == reported  # never a model the user did not choose
        assert scores.org_model_reason == "as answered"
        assert not any(denies(claim, facts) for claim in model.asserts)
    else:
        for claim in model.asserts:
            assert holds(claim, facts), (model.id, claim)
        reason = scores.org_model_reason or ""
        why = next(r.why for r in RULEBOOK.org_model_inference if reason.startswith(f"{r.why} ("))
        assert reason.endswith(")")
        check_reason(reason[len(why) + 2 : -1], facts)
    return model


def check_stage(scores: Scores, model: OrgModel | None) -> None:
    stage = scores.stage
    if stage is None:
        assert scores.overall is None
        return
    text = f"{stage.name} {stage.description}".lower()
    # the stage names no organization form, so it cannot disagree with the model shown
    forms = [term for m in RULEBOOK.org_models for term in m.terms]
    assert not [term for term in forms if re.search(rf"\b{term}", text)], stage.name
    if model is not None:
        assert not [term for term in model.terms if term in text]
    # ... and its description claims only the band of the index it is in
    assert scores.overall is not None
    index = round(scores.overall, 2)
    band = re.match(
        r"readiness index (?:below (\d+)|at least (\d+)(?: and below (\d+))?) of 100:",
        stage.description.lower(),
    )
    assert band is not None, stage.description
    below, low, high = band.groups()
    if below is not None:
        assert index < float(below)
    else:
        assert index >= float(low)
        assert high is None or index < float(high)


def check_everything(scores: Scores, facts: Facts) -> None:
    check_recommendations(scores, facts)
    for recommendation in scores.recommendations:
        check_reason(recommendation.reason, facts)
    model = check_org_model(scores, facts)
    check_stage(scores, model)


# --- properties ----------------------------------------------------------------------------------


@SETTINGS
@given(ANSWER_SETS, WEIGHTS)
def test_nothing_shown_for_an_assessment_contradicts_its_answers(
    answers: dict[str, Any], weights: dict[str, float] | None
) -> None:
    scores = score_assessment(QUESTIONNAIRE, RULEBOOK, answers, weights)
    check_everything(scores, facts_of(scores, decoded(answers)))


def group_answer(item: Item) -> st.SearchStrategy[AnswerValue]:
    """An aggregated answer of a group: agreement as a mean (2.4), as groups are scored."""
    if item.kind == "likert":
        return st.one_of(st.integers(1, 5).map(float), st.floats(1, 5))
    if item.kind == "number":
        return answer(item).map(float)
    if item.kind == "choice":
        return st.sampled_from([o.id for o in item.options])
    return st.sets(st.sampled_from([o.id for o in item.options])).map(frozenset)


GROUP_ANSWERS = st.fixed_dictionaries(
    {i.id: st.one_of(st.none(), group_answer(i), group_answer(i)) for i in QUESTIONNAIRE.items}
).map(lambda answers: {k: v for k, v in answers.items() if v is not None})
SCORES = st.lists(
    st.one_of(
        st.none(),
        st.sampled_from([0.0, 24.99, 25.0, 45.0, 49.99, 50.0, 65.0, 82.0, 100.0]),
        st.floats(0, 100),
    ),
    min_size=len(DIMENSIONS),
    max_size=len(DIMENSIONS),
)


@SETTINGS
@given(GROUP_ANSWERS, SCORES, WEIGHTS)
def test_nothing_shown_for_a_group_contradicts_its_aggregated_answers(
    answers: dict[str, AnswerValue],
    dimensions: list[float | None],
    weights: dict[str, float] | None,
) -> None:
    values = np.array([np.nan if d is None else d for d in dimensions])
    weight = np.array([(weights or {}).get(d, 1.0) for d in DIMENSIONS])
    scores = conclude(QUESTIONNAIRE, RULEBOOK, answers, values, np.ones(len(DIMENSIONS)), weight)
    check_everything(scores, facts_of(scores, answers))


# --- the cases users reported --------------------------------------------------------------------

#: A mid-sized organization at stage 3 whose grassroots projects do not know of each other.
SPREADING_UNAWARE: dict[str, Any] = {
    "gr_active_share": 30,
    "gr_projects": 3,
    "gr_self_start": 4,
    "gr_find_answers": 4,
    "gr_only_when_asked": 2,
    "gr_cross_boundary": 3,
    "gr_email_habit": 3,
    "gr_managers_take_part": 3,
    "su_evangelists": 2,
    "su_local_support_share": 50,
    "su_lead": "joint",
    "su_sponsor": 3,
    "su_local_help": 3,
    "su_time_to_contribute": 3,
    "su_unexplained_rollout": 2,
    "su_recognition": 3,
    "to_slates": ["search", "links", "authoring", "signals"],
    "to_common_platform": 2,
    "to_access_share": 90,
    "to_easy_to_use": 4,
    "to_rigid_structure": 2,
    "to_reach": 4,
    "to_integration": 3,
    "cx_projects_aware": 2,  # Disagree: "Projects know of each other"
}


def test_projects_that_do_not_know_of_each_other_are_never_told_they_can_find_each_other() -> None:
    scores = score_assessment(QUESTIONNAIRE, RULEBOOK, SPREADING_UNAWARE)
    assert scores.stage is not None
    assert scores.stage.level == 3
    shown = {r.id: r for r in scores.recommendations}
    assert "connect-unconnected-projects" in shown
    # stage 3's advice (a sponsor, measures) builds the coordination these projects should not
    # get yet: the more urgent card is shown instead of both
    assert "stage-spreading" not in shown
    texts = " ".join(f"{r.title} {r.advice}" for r in scores.recommendations)
    assert "can find each other" not in texts
    assert "do not know of each other" in shown["connect-unconnected-projects"].advice
    check_everything(scores, facts_of(scores, decoded(SPREADING_UNAWARE)))


def test_stage_three_advice_claims_nothing_about_the_projects() -> None:
    alone = {**SPREADING_UNAWARE, "gr_projects": 1}  # no unconnected projects to connect
    scores = score_assessment(QUESTIONNAIRE, RULEBOOK, alone)
    shown = {r.id: r for r in scores.recommendations}
    assert "connect-unconnected-projects" not in shown
    assert "each other" not in shown["stage-spreading"].advice
    assert RULES["stage-spreading"].asserts == RULES["stage-spreading"].when


def test_a_stage_three_organization_with_an_organic_model_reads_consistently() -> None:
    scores = score_assessment(QUESTIONNAIRE, RULEBOOK, SPREADING_UNAWARE)
    assert scores.org_model == "organic"
    assert scores.stage is not None
    assert (scores.stage.level, scores.stage.name) == (3, "Spreading")
    model = RULEBOOK.org_model("organic")
    assert model is not None
    assert model.description.endswith("teams are unaware of each other.")
    check_stage(scores, model)


def test_a_self_reported_model_that_other_answers_contradict_is_not_shown() -> None:
    answers = {**SPREADING_UNAWARE, "cx_org_model": "organic", "cx_projects_aware": 4}
    scores = score_assessment(QUESTIONNAIRE, RULEBOOK, answers)
    assert scores.org_model is None
    assert scores.org_model_reason == (
        "answered Organic, but other answers contradict it (Projects know of each other: Agree)"
    )
    agreed = {**answers, "cx_projects_aware": 2}
    assert score_assessment(QUESTIONNAIRE, RULEBOOK, agreed).org_model == "organic"
    unanswered = {k: v for k, v in answers.items() if k != "cx_projects_aware"}
    assert score_assessment(QUESTIONNAIRE, RULEBOOK, unanswered).org_model == "organic"


@SETTINGS
@given(ANSWER_SETS, st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2040, 12, 31)))
def test_the_barrier_on_results_is_the_top_lever_of_the_growth_projection(
    answers: dict[str, Any], day: dt.date
) -> None:
    """Results' barrier (the rules) and Growth's levers (the projection) are one model."""
    scores = score_assessment(QUESTIONNAIRE, RULEBOOK, answers)
    projection = projection_for(scores, answers, day, rulebook=RULEBOOK)
    _one_story(scores, projection)


@SETTINGS
@given(ANSWER_SETS, st.sampled_from(["assumed", "calibrated"]))
def test_the_barrier_is_the_top_lever_of_the_mapping_in_use(
    answers: dict[str, Any], use: str
) -> None:
    """With either mapping kept with the assessment, the scores' lever, barrier and advice and
    the projection's levers come from that mapping, and the projection names it."""
    choice = calibrated_choice(use)
    mapping, words = mapping_in_use(choice)
    scores = score_assessment(QUESTIONNAIRE, RULEBOOK, answers, mapping=mapping)
    projection = projection_for(
        scores, answers, dt.date(2026, 11, 30), rulebook=RULEBOOK, mapping_choice=choice
    )
    assert projection.mapping == words
    assert words.startswith("the mapping calibrated" if use == "calibrated" else "the assumed")
    _one_story(scores, projection)


def test_the_two_mappings_can_name_different_levers() -> None:
    """The calibrated mapping of the tests moves the top lever, so the tests above can fail."""
    answers = dict(SPREADING_UNAWARE)
    levers = {}
    for use in ("assumed", "calibrated"):
        choice = calibrated_choice(use)
        scores = score_assessment(
            QUESTIONNAIRE, RULEBOOK, answers, mapping=mapping_in_use(choice)[0]
        )
        levers[use] = scores.lever
    assert levers["assumed"] != levers["calibrated"]


def _one_story(scores: Scores, projection: OrganizationProjection) -> None:
    if all(score is None for score in scores.dimension_scores().values()):
        assert scores.lever is None
        assert not scores.barrier
        return
    assert scores.lever == projection.steps[0].dimension
    assert scores.barrier == (projection.barrier is not None)
    shown = {r.id for r in scores.recommendations}
    for dimension in ("grassroots", "support", "tooling"):
        if f"barrier-{dimension}" in shown:
            assert projection.barrier == dimension
