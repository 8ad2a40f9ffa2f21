"""Stage bands, organization models and recommendation rules: loading, conditions, reasons."""

from __future__ import annotations

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
from readiness.rules import Condition, Facts, describe, format_answer, holds, load_rulebook


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


def test_there_are_five_stages_from_ad_hoc_to_embedded() -> None:
    assert [(s.level, s.name) for s in rulebook().stages] == [
        (1, "Ad hoc"),
        (2, "Experimenting"),
        (3, "Coordinated"),
        (4, "Formalized"),
        (5, "Embedded"),
    ]


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


def test_there_is_a_recommendation_for_every_stage_and_every_weakest_dimension() -> None:
    conditions = [c for r in rulebook().recommendations for c in r.when]
    stages = {level for c in conditions if c.stage for level in c.stage}
    weakest = {c.weakest for c in conditions if c.weakest}
    assert stages == {1, 2, 3, 4, 5}
    assert weakest == {"grassroots", "support", "tooling"}


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

    book = load_rulebook(copy_rule_files(tmp_path, "recommendations.yaml", rename))
    with pytest.raises(InputError) as caught:
        book.check_against(questionnaire())
    assert caught.value.problems == [
        "recommendation local-support-missing: unknown item 'to_acces_share'"
    ]
