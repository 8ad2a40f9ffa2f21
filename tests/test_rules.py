"""Stage bands, organization models and recommendation rules: loading, conditions, reasons."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import ValidationError
from scoring_fixtures import questionnaire, rulebook

from readiness.errors import InputError
from readiness.paths import data_file
from readiness.rules import (
    Condition,
    Facts,
    RuleBook,
    contradicts,
    denies,
    describe,
    format_answer,
    holds,
    implied,
    implies,
    load_rulebook,
)


def facts(**answers: Any) -> Facts:
    return Facts(answers=answers, dimensions={"grassroots": 60.0, "support": None, "tooling": 30.0})


def copy_rule_files(directory: Path, name: str, change: Callable[[dict[str, Any]], object]) -> Path:
    """Copy the three rule files into ``directory``, changing the loaded YAML of ``name``."""
    for file in ("stages.yaml", "org_models.yaml", "recommendations.yaml"):
        shutil.copy(data_file(file), directory / file)
    data = yaml.safe_load((directory / name).read_text("utf-8"))
    change(data)
    (directory / name).write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return directory


def broken_rulebook_problems(
    tmp_path: Path, name: str, change: Callable[[dict[str, Any]], object]
) -> list[str]:
    with pytest.raises(InputError) as caught:
        load_rulebook(copy_rule_files(tmp_path, name, change))
    return caught.value.problems


# --- stages --------------------------------------------------------------------------------------


def test_there_are_five_stages_named_for_maturity_not_for_an_organization_form() -> None:
    assert [(s.level, s.name) for s in rulebook().stages] == [
        (1, "Starting"),
        (2, "Experimenting"),
        (3, "Spreading"),
        (4, "Established"),
        (5, "Embedded"),
    ]


def test_a_stage_description_states_its_own_band_of_the_index() -> None:
    stages = rulebook().stages
    for stage, following in zip(stages, [*stages[1:], None], strict=True):
        if stage.min == 0:
            band = f"below {following.min:g}" if following else "0 to 100"
        elif following is None:
            band = f"at least {stage.min:g}"
        else:
            band = f"at least {stage.min:g} and below {following.min:g}"
        assert stage.description.startswith(f"Readiness index {band} of 100:"), stage


@pytest.mark.parametrize(
    ("score", "level"),
    [(0, 1), (24.99, 1), (25, 2), (44.99, 2), (45, 3), (64.99, 3), (65, 4), (81.99, 4), (82, 5)],
)
def test_a_stage_applies_from_its_band_minimum_up_to_the_next(score: float, level: int) -> None:
    stage = rulebook().stage_for(score)
    assert stage is not None
    assert stage.level == level


def test_a_perfect_score_is_embedded() -> None:
    stage = rulebook().stage_for(100)
    assert stage is not None
    assert stage.name == "Embedded"


def test_there_is_no_stage_without_a_score() -> None:
    assert rulebook().stage_for(None) is None


def test_a_dimension_below_fifty_is_a_barrier() -> None:
    assert rulebook().barrier_below == 50


# --- the shipped rules ---------------------------------------------------------------------------


def test_the_shipped_rules_name_only_items_and_dimensions_that_exist() -> None:
    rulebook().check_against(questionnaire())


def test_the_pattern_recommendations_from_the_source_article_exist_and_cite_a_source() -> None:
    rules = {r.id: r for r in rulebook().recommendations}
    for rule_id in (
        "local-support-missing",
        "connect-unconnected-projects",
        "it-led",
        "no-evangelists",
    ):
        assert rules[rule_id].source, rule_id


def test_every_recommendation_rule_cites_a_source() -> None:
    # The issue: recommendations come "each with the reason ... and a source".
    missing = [r.id for r in rulebook().recommendations if not r.source]
    assert not missing, f"recommendation rules without a source: {', '.join(missing)}"


def test_there_is_a_recommendation_for_every_stage_and_every_barrier() -> None:
    conditions = [c for r in rulebook().recommendations for c in r.when]
    stages = {level for c in conditions if c.stage for level in c.stage}
    levers = {c.lever for c in conditions if c.lever}
    assert stages == {1, 2, 3, 4, 5}
    assert levers == {"grassroots", "support", "tooling"}


def test_the_five_altimeter_organization_models_are_known() -> None:
    assert [m.id for m in rulebook().org_models] == [
        "organic",
        "centralized",
        "coordinated",
        "dandelion",
        "honeycomb",
    ]
    assert rulebook().org_model("organic") is not None
    assert rulebook().org_model("anarchy") is None


# --- conditions ----------------------------------------------------------------------------------


def test_a_condition_needs_exactly_one_subject() -> None:
    with pytest.raises(ValidationError, match=r"exactly one of .* \(got item, dimension\)"):
        Condition(item="su_lead", dimension="support", op="lt", value=1)
    with pytest.raises(ValidationError, match=r"\(got none\)"):
        Condition(op="lt", value=1)


def test_a_condition_on_an_item_needs_an_operator_and_a_value() -> None:
    with pytest.raises(ValidationError, match="a condition on item needs op and value"):
        Condition(item="su_lead")


def test_a_condition_on_a_dimension_compares_its_score() -> None:
    with pytest.raises(ValidationError, match="compares with lt, le, gt or ge"):
        Condition(dimension="support", op="eq", value=1)


def test_a_condition_on_an_unanswered_item_never_holds() -> None:
    assert not holds(Condition(item="su_evangelists", op="lt", value=1), facts())
    assert not holds(Condition(item="to_slates", op="lacks", value="signals"), facts())


def test_numeric_conditions_compare_the_answer() -> None:
    assert holds(Condition(item="su_evangelists", op="lt", value=1), facts(su_evangelists=0.0))
    assert not holds(Condition(item="su_evangelists", op="lt", value=1), facts(su_evangelists=1.0))
    assert holds(Condition(item="gr_projects", op="ge", value=2), facts(gr_projects=2.0))


def test_a_choice_condition_compares_the_option_id() -> None:
    condition = Condition(item="su_lead", op="eq", value="it")
    assert holds(condition, facts(su_lead="it"))
    assert not holds(condition, facts(su_lead="business"))
    assert holds(
        Condition(item="su_lead", op="in", value=["it", "nobody"]), facts(su_lead="nobody")
    )


def test_a_checklist_condition_tests_whether_an_option_is_ticked() -> None:
    ticked = facts(to_slates=frozenset({"search"}))
    assert holds(Condition(item="to_slates", op="has", value="search"), ticked)
    assert holds(Condition(item="to_slates", op="lacks", value="signals"), ticked)
    assert not holds(Condition(item="to_slates", op="lacks", value="search"), ticked)


def test_a_condition_on_a_dimension_without_a_score_never_holds() -> None:
    assert not holds(Condition(dimension="support", op="lt", value=101), facts())
    assert holds(Condition(dimension="tooling", op="lt", value=50), facts())


def test_weakest_barrier_stage_and_org_model_conditions_test_the_derived_facts() -> None:
    derived = Facts(answers={}, dimensions={}, stage=2, weakest="support", barrier=True)
    assert holds(Condition(weakest="support"), derived)
    assert not holds(Condition(weakest="tooling"), derived)
    assert holds(Condition(barrier=True), derived)
    assert holds(Condition(stage=(1, 2)), derived)
    assert not holds(Condition(stage=(3,)), derived)
    assert not holds(Condition(org_model=("organic",)), derived)


# --- reasons -------------------------------------------------------------------------------------


def test_a_reason_names_the_question_and_the_answer_as_a_person_reads_it() -> None:
    q = questionnaire()
    assert (
        describe(Condition(item="su_evangelists", op="lt", value=1), facts(su_evangelists=0.0), q)
        == "Evangelists per 1,000 staff: 0"
    )
    assert (
        describe(Condition(item="su_lead", op="eq", value="it"), facts(su_lead="it"), q)
        == "Who leads the initiative: IT"
    )


def test_a_reason_about_a_dimension_gives_its_name_and_score() -> None:
    condition = Condition(dimension="tooling", op="lt", value=50)
    assert describe(condition, facts(), questionnaire()) == "Tooling score 30/100"


def test_answers_are_formatted_with_units_labels_and_ticked_options() -> None:
    q = questionnaire()
    assert format_answer(q, "su_local_support_share", 12.5) == "12.5%"
    assert format_answer(q, "gr_projects", 3.0) == "3"
    assert format_answer(q, "gr_self_start", 4.0) == "Agree"
    assert format_answer(q, "gr_self_start", 3.4) == "3.4 (about neither agree nor disagree)"
    assert format_answer(q, "to_slates", frozenset({"signals", "search"})) == "search, signals"
    assert format_answer(q, "to_slates", frozenset()) == "none ticked"
    assert format_answer(q, "su_lead", None) == "not answered"


# --- broken rule files ---------------------------------------------------------------------------


def test_a_broken_stage_band_names_the_stage_and_the_field(tmp_path: Path) -> None:
    problems = broken_rulebook_problems(
        tmp_path, "stages.yaml", lambda d: d["stages"][1].update(min="high")
    )
    assert len(problems) == 1
    assert "stage #2, field min: Input should be a valid number" in problems[0]


def test_stage_bands_must_start_at_zero_and_rise(tmp_path: Path) -> None:
    problems = broken_rulebook_problems(
        tmp_path, "stages.yaml", lambda d: d["stages"][0].update(min=5)
    )
    assert "stages must be levels 1, 2, ... with rising min, the first at 0" in problems[0]


def test_an_unknown_field_in_a_rule_names_the_rule_and_the_field(tmp_path: Path) -> None:
    problems = broken_rulebook_problems(
        tmp_path, "recommendations.yaml", lambda d: d["rules"][0].update(colour="red")
    )
    assert problems == [
        "recommendations.yaml: recommendation local-support-missing, field colour: "
        "Extra inputs are not permitted"
    ]


def test_duplicate_recommendation_ids_are_rejected(tmp_path: Path) -> None:
    problems = broken_rulebook_problems(
        tmp_path, "recommendations.yaml", lambda d: d["rules"].append(dict(d["rules"][0]))
    )
    assert "recommendation ids must be unique" in problems[0]


def test_an_inference_rule_for_an_unknown_org_model_is_rejected(tmp_path: Path) -> None:
    problems = broken_rulebook_problems(
        tmp_path, "org_models.yaml", lambda d: d["inference"][0].update(model="anarchy")
    )
    assert "inference rule names unknown org model 'anarchy'" in problems[0]


def test_a_rule_naming_an_unknown_item_is_caught_against_the_questionnaire(tmp_path: Path) -> None:
    def rename(data: dict[str, Any]) -> None:
        data["rules"][0]["when"][0]["item"] = "to_acces_share"
        data["rules"][0]["asserts"][0]["item"] = "to_acces_share"

    book = load_rulebook(copy_rule_files(tmp_path, "recommendations.yaml", rename))
    with pytest.raises(InputError) as caught:
        book.check_against(questionnaire())
    assert caught.value.problems == [
        "recommendation local-support-missing: unknown item 'to_acces_share'"
    ]


# --- what texts claim ----------------------------------------------------------------------------


def c(**fields: Any) -> Condition:
    return Condition(**fields)


@pytest.mark.parametrize(
    ("premise", "claim"),
    [
        (c(item="x", op="le", value=2), c(item="x", op="le", value=2)),
        (c(item="x", op="lt", value=2), c(item="x", op="le", value=2)),
        (c(item="x", op="le", value=2), c(item="x", op="lt", value=3)),
        (c(item="x", op="ge", value=4), c(item="x", op="gt", value=3.5)),
        (c(item="x", op="eq", value=3), c(item="x", op="ge", value=2)),
        (c(item="x", op="eq", value=3), c(item="x", op="ne", value=4)),
        (c(item="x", op="lt", value=1), c(item="x", op="ne", value=1)),
        (c(item="x", op="ne", value=1), c(item="x", op="ne", value=1)),
        (c(item="x", op="eq", value="it"), c(item="x", op="in", value=["it", "nobody"])),
        (c(item="x", op="eq", value="it"), c(item="x", op="ne", value="nobody")),
        (c(item="x", op="in", value=["it", "nobody"]), c(item="x", op="ne", value="business")),
        (c(item="x", op="in", value=["it"]), c(item="x", op="eq", value="it")),
        (c(item="x", op="lacks", value="signals"), c(item="x", op="lacks", value="signals")),
        (c(dimension="support", op="lt", value=40), c(dimension="support", op="lt", value=50)),
        (c(stage=(3,)), c(stage=(2, 3))),
        (c(weakest="support"), c(weakest="support")),
        (c(barrier=True), c(barrier=True)),
        (c(org_model=("organic",)), c(org_model=("organic", "centralized"))),
    ],
)
def test_a_condition_implies_the_same_or_a_weaker_test_of_its_subject(
    premise: Condition, claim: Condition
) -> None:
    assert implies(premise, claim)


@pytest.mark.parametrize(
    ("premise", "claim"),
    [
        (c(item="x", op="le", value=2), c(item="x", op="lt", value=2)),  # 2 itself
        (c(item="x", op="le", value=2), c(item="x", op="le", value=1.5)),
        (c(item="x", op="ge", value=2), c(item="x", op="ge", value=4)),
        (c(item="x", op="le", value=2), c(item="y", op="le", value=2)),  # another item
        (c(item="x", op="le", value=2), c(item="x", op="ne", value=1)),
        (c(item="x", op="ne", value=1), c(item="x", op="lt", value=1)),
        (c(item="x", op="in", value=["it", "nobody"]), c(item="x", op="eq", value="it")),
        (c(item="x", op="ne", value="it"), c(item="x", op="eq", value="nobody")),
        (c(item="x", op="lacks", value="signals"), c(item="x", op="lacks", value="search")),
        (c(item="x", op="has", value="signals"), c(item="x", op="lacks", value="signals")),
        (c(stage=(2, 3)), c(stage=(3,))),
        (c(weakest="support"), c(weakest="tooling")),
        (c(barrier=True), c(barrier=False)),
        (c(stage=(3,)), c(item="cx_projects_aware", op="ge", value=4)),  # the rule
    ],
)
def test_a_condition_does_not_imply_a_stricter_or_unrelated_one(
    premise: Condition, claim: Condition
) -> None:
    assert not implies(premise, claim)


def test_the_biggest_lever_below_the_barrier_implies_its_score_is_below_the_threshold() -> None:
    when = (c(lever="support"), c(barrier=True))
    assert implied(c(dimension="support", op="lt", value=50), when, barrier_below=50)
    assert implied(c(dimension="support", op="le", value=60), when, barrier_below=50)
    assert not implied(c(dimension="support", op="lt", value=40), when, barrier_below=50)
    assert not implied(c(dimension="tooling", op="lt", value=50), when, barrier_below=50)
    assert not implied(c(dimension="support", op="lt", value=50), when[:1], barrier_below=50)
    # the lowest score below the threshold is not a barrier unless it is the biggest lever
    lowest = (c(weakest="support"), c(barrier=True))
    assert not implied(c(dimension="support", op="lt", value=50), lowest, barrier_below=50)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (c(item="x", op="le", value=2), c(item="x", op="ge", value=4), True),
        (c(item="x", op="le", value=2), c(item="x", op="ge", value=2), False),  # 2 meets both
        (c(item="x", op="lt", value=2), c(item="x", op="ge", value=2), True),
        (c(item="x", op="eq", value=3), c(item="x", op="ne", value=3), True),
        (c(item="x", op="le", value=3), c(item="x", op="ne", value=3), False),
        (c(item="x", op="eq", value="it"), c(item="x", op="eq", value="nobody"), True),
        (c(item="x", op="in", value=["it", "joint"]), c(item="x", op="eq", value="it"), False),
        (c(item="x", op="in", value=["it"]), c(item="x", op="ne", value="it"), True),
        (c(item="x", op="has", value="signals"), c(item="x", op="lacks", value="signals"), True),
        (c(item="x", op="has", value="search"), c(item="x", op="lacks", value="signals"), False),
        (c(item="x", op="le", value=2), c(item="y", op="ge", value=4), False),
        (c(weakest="support"), c(weakest="tooling"), True),
        (c(barrier=True), c(barrier=False), True),
        (c(stage=(1, 2)), c(stage=(3,)), True),
        (c(stage=(1, 2)), c(stage=(2, 3)), False),
        (
            c(dimension="support", op="lt", value=50),
            c(dimension="support", op="ge", value=50),
            True,
        ),
    ],
)
def test_two_conditions_contradict_when_no_answer_meets_both(
    a: Condition, b: Condition, expected: bool
) -> None:
    assert contradicts(a, b) is expected
    assert contradicts(b, a) is expected


def test_an_answer_denies_a_condition_only_when_the_item_is_answered() -> None:
    aware = c(item="cx_projects_aware", op="le", value=2)
    assert denies(aware, facts(cx_projects_aware=4.0))
    assert not denies(aware, facts(cx_projects_aware=2.0))
    assert not denies(aware, facts())
    assert not denies(c(dimension="support", op="lt", value=50), facts())  # no support score
    assert denies(c(dimension="tooling", op="ge", value=50), facts())  # tooling 30


def test_every_shipped_text_declares_its_claims_and_they_are_sound() -> None:
    book = rulebook()
    assert book.claim_problems() == []
    assert all(rule.asserts for rule in book.recommendations), "advice that claims nothing?"
    models = {m.id: m for m in book.org_models}
    assert models["organic"].asserts == (c(item="cx_projects_aware", op="le", value=2),)
    assert all(m.terms for m in book.org_models)


def test_no_shipped_text_says_projects_find_each_other_without_asserting_it() -> None:
    # The issue: "Projects can find each other" shown although the answer was Disagree.
    aware = c(item="cx_projects_aware", op="ge", value=4)
    book = rulebook()
    texts = [(r.title + " " + r.advice, r.asserts) for r in book.recommendations]
    texts += [(m.description, m.asserts) for m in book.org_models]
    texts += [(s.name + " " + s.description, ()) for s in book.stages]
    for text, asserts in texts:
        if re.search(r"find (and link to )?each other|know of each other", text):
            claims_aware = any(implies(a, aware) for a in asserts)
            claims_unaware = any(contradicts(a, aware) for a in asserts)
            assert claims_aware or claims_unaware, text


def test_the_declared_contradictions_are_symmetric_and_include_conflicting_claims() -> None:
    conflicts = rulebook().conflicts
    assert "stage-spreading" in conflicts["connect-unconnected-projects"]
    assert "connect-unconnected-projects" in conflicts["stage-spreading"]
    assert "built-and-waiting" in conflicts["stage-embedded"]
    assert "nobody-leads" in conflicts["it-led"]  # su_lead is IT vs nobody: derived
    assert "barrier-tooling" in conflicts["barrier-support"]  # two weakest links: derived
    assert "stage-spreading" not in conflicts["no-evangelists"]
    for rule_id, others in conflicts.items():
        for other in others:
            assert rule_id in conflicts[other]


def book_with_rules(*rules: dict[str, Any]) -> RuleBook:
    data = rulebook().model_dump()
    data["recommendations"] = list(rules)
    return RuleBook.model_validate(data)


def rule(rule_id: str, priority: int, excludes: tuple[str, ...] = ()) -> dict[str, Any]:
    when = [{"item": "su_evangelists", "op": "lt", "value": 1}]
    return {
        "id": rule_id,
        "title": rule_id,
        "advice": rule_id,
        "priority": priority,
        "when": when,
        "asserts": when,
        "excludes": excludes,
    }


def test_of_two_contradicting_rules_the_more_urgent_is_shown() -> None:
    book = book_with_rules(rule("later", 3), rule("urgent", 1, excludes=("later",)))
    assert [r.id for r in book.advice_for(facts(su_evangelists=0.0))] == ["urgent"]


def test_within_a_priority_the_earlier_rule_wins_and_a_rule_left_out_excludes_nothing() -> None:
    book = book_with_rules(
        rule("a", 2, excludes=("b",)), rule("b", 2, excludes=("c",)), rule("c", 3), rule("d", 1)
    )
    assert [r.id for r in book.advice_for(facts(su_evangelists=0.0))] == ["d", "a", "c"]
    assert book.advice_for(facts(su_evangelists=3.0)) == []


# --- texts that claim more than their conditions: refused when loading ---------------------------


def test_a_rule_asserting_what_its_conditions_do_not_imply_is_refused(tmp_path: Path) -> None:
    def overclaim(data: dict[str, Any]) -> None:
        rule = next(r for r in data["rules"] if r["id"] == "stage-spreading")
        rule["advice"] = "Projects can find each other. " + rule["advice"]
        rule["asserts"].append({"item": "cx_projects_aware", "op": "ge", "value": 4})

    problems = broken_rulebook_problems(tmp_path, "recommendations.yaml", overclaim)
    assert problems == [
        "recommendations.yaml: recommendation stage-spreading: asserts 'cx_projects_aware ge 4', "
        "which its when (stage 3) does not imply"
    ]


def test_a_rule_asserting_a_looser_bound_than_its_conditions_is_refused(tmp_path: Path) -> None:
    def loosen(data: dict[str, Any]) -> None:
        data["rules"][0]["when"][1]["value"] = 60  # local support below 60%, text says 40%

    problems = broken_rulebook_problems(tmp_path, "recommendations.yaml", loosen)
    assert problems == [
        "recommendations.yaml: recommendation local-support-missing: asserts "
        "'su_local_support_share lt 40', which its when "
        "(to_access_share ge 50; su_local_support_share lt 60) does not imply"
    ]


def test_a_rule_without_asserts_is_refused(tmp_path: Path) -> None:
    problems = broken_rulebook_problems(
        tmp_path, "recommendations.yaml", lambda d: d["rules"][1].pop("asserts")
    )
    assert problems == [
        "recommendations.yaml: recommendation no-evangelists, field asserts: Field required"
    ]


def test_a_rule_excluding_an_unknown_rule_or_itself_is_refused(tmp_path: Path) -> None:
    def exclude(data: dict[str, Any]) -> None:
        data["rules"][0]["excludes"] = ["local-support-missing", "no-such-rule"]

    problems = broken_rulebook_problems(tmp_path, "recommendations.yaml", exclude)
    assert problems == [
        "recommendations.yaml: recommendation local-support-missing: excludes itself",
        "recommendations.yaml: recommendation local-support-missing: "
        "excludes unknown rule 'no-such-rule'",
    ]


def test_an_inference_rule_that_does_not_imply_its_models_claims_is_refused(
    tmp_path: Path,
) -> None:
    def drop_awareness(data: dict[str, Any]) -> None:
        data["inference"][-1]["when"].pop()  # organic without "projects do not know"

    problems = broken_rulebook_problems(tmp_path, "org_models.yaml", drop_awareness)
    assert problems == [
        "org_models.yaml: inference rule #5 (organic): its when does not imply "
        "'cx_projects_aware le 2', which model organic asserts"
    ]


def test_a_stage_named_for_an_organization_form_is_refused(tmp_path: Path) -> None:
    problems = broken_rulebook_problems(
        tmp_path, "stages.yaml", lambda d: d["stages"][2].update(name="Coordinated")
    )
    assert problems == [
        "stages.yaml: stage 3 (Coordinated): uses 'coordinat', a word of organization model "
        "coordinated (org_models.yaml); a stage describes maturity, not how efforts are organized"
    ]
