"""The questionnaire as data: the shipped file's shape, frozen models, and clear load errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError
from scoring_fixtures import questionnaire, write_questionnaire, yaml_item

from readiness.errors import InputError
from readiness.questionnaire import (
    MAX_ITEMS_PER_DIMENSION,
    MIN_ITEMS_PER_DIMENSION,
    Bounds,
    Item,
    load_questionnaire,
)

SLATES = ("search", "links", "authoring", "tags", "extensions", "signals")


def load_problems(path: Path) -> list[str]:
    with pytest.raises(InputError) as caught:
        load_questionnaire(path)
    return caught.value.problems


# --- the shipped questionnaire -------------------------------------------------------------------


def test_the_questionnaire_has_the_three_dimensions_grassroots_support_and_tooling() -> None:
    assert [d.id for d in questionnaire().dimensions] == ["grassroots", "support", "tooling"]


@pytest.mark.parametrize("dimension", ["grassroots", "support", "tooling"])
def test_each_dimension_has_six_to_twelve_scored_items(dimension: str) -> None:
    scored = [i for i in questionnaire().items_of(dimension) if i.scored]
    assert MIN_ITEMS_PER_DIMENSION == 6
    assert MAX_ITEMS_PER_DIMENSION == 12
    assert 6 <= len(scored) <= 12


def test_dimensions_weigh_equally_by_default() -> None:
    assert {d.weight for d in questionnaire().dimensions} == {1.0}


def test_every_item_has_an_id_text_help_and_a_weight() -> None:
    for item in questionnaire().items:
        assert item.id, item
        assert item.text.strip(), item.id
        assert item.help.strip(), item.id
        assert item.weight >= 0, item.id
        if item.scored:
            assert item.weight > 0, item.id


def test_item_ids_are_unique() -> None:
    ids = questionnaire().item_ids
    assert len(ids) == len(set(ids))


def test_the_questionnaire_uses_all_four_item_kinds() -> None:
    kinds = {i.kind for i in questionnaire().items if i.scored}
    assert kinds == {"likert", "number", "choice", "checklist"}


def test_likert_items_share_a_five_point_agreement_scale() -> None:
    labels = questionnaire().likert_labels
    assert len(labels) == 5
    assert labels[0] == "Strongly disagree"
    assert labels[-1] == "Strongly agree"


def test_some_likert_items_are_reverse_scored() -> None:
    reverse = {i.id for i in questionnaire().items if i.reverse}
    assert {"gr_only_when_asked", "su_unexplained_rollout", "to_rigid_structure"} <= reverse
    assert all(questionnaire().item(i).kind == "likert" for i in reverse)


def test_every_number_item_has_bounds_holding_its_zero_and_full_points() -> None:
    numbers = [i for i in questionnaire().items if i.kind == "number"]
    assert numbers
    for item in numbers:
        assert item.bounds is not None, item.id
        assert item.zero is not None, item.id
        assert item.full is not None, item.id
        assert item.bounds.min <= item.zero <= item.bounds.max, item.id
        assert item.bounds.min <= item.full <= item.bounds.max, item.id


def test_every_option_of_a_scored_choice_or_checklist_item_has_a_score_from_0_to_1() -> None:
    for item in questionnaire().items:
        if item.kind in ("choice", "checklist") and item.scored:
            assert len(item.options) >= 2
            for option in item.options:
                assert option.score is not None
                assert 0 <= option.score <= 1


def test_the_platform_checklist_offers_the_slates_capabilities() -> None:
    item = questionnaire().item("to_slates")
    assert item.kind == "checklist"
    assert tuple(o.id for o in item.options) == SLATES


def test_context_items_are_asked_but_not_scored() -> None:
    context = questionnaire().items_of(None)
    assert {i.id for i in context} == {"cx_org_model", "cx_projects_aware"}
    assert all(i.weight == 0 and not i.scored for i in context)


def test_the_who_leads_question_offers_business_joint_it_and_nobody() -> None:
    item = questionnaire().item("su_lead")
    assert [o.id for o in item.options] == ["business", "joint", "it", "nobody"]
    assert item.option("it") is not None
    assert item.option("maybe") is None


def test_an_unknown_item_or_dimension_id_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        questionnaire().item("nope")
    with pytest.raises(KeyError):
        questionnaire().dimension("nope")


def test_a_copy_of_the_shipped_file_loads_to_an_equal_questionnaire(tmp_path: Path) -> None:
    assert load_questionnaire(write_questionnaire(tmp_path)) == questionnaire()


# --- frozen models, extra fields forbidden -------------------------------------------------------


def test_the_loaded_questionnaire_cannot_be_changed() -> None:
    with pytest.raises(ValidationError, match="frozen"):
        questionnaire().title = "Something else"  # type: ignore[misc]
    with pytest.raises(ValidationError, match="frozen"):
        questionnaire().items[0].weight = 5  # type: ignore[misc]


def test_an_item_with_an_unknown_field_is_rejected() -> None:
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        Item(
            id="x_new",
            dimension="support",
            kind="likert",
            label="New",
            text="We do it.",
            help="Why it matters.",
            colour="red",  # type: ignore[call-arg]
        )


def test_a_number_item_without_bounds_is_rejected() -> None:
    with pytest.raises(ValidationError, match="a number item needs bounds, zero and full"):
        Item(id="x_n", dimension="support", kind="number", label="N", text="How many?", help="h")


def test_bounds_must_be_ordered() -> None:
    with pytest.raises(ValidationError, match=r"min \(5.0\) must be below max \(1.0\)"):
        Bounds(min=5, max=1)


# --- broken data files: one clear line naming the item and the field ---------------------------


def test_a_non_numeric_weight_names_the_item_and_the_field(tmp_path: Path) -> None:
    path = write_questionnaire(tmp_path, lambda d: yaml_item(d, "su_lead").update(weight="heavy"))
    assert load_problems(path) == [
        "questionnaire.yaml: item su_lead, field weight: "
        "Input should be a valid number, unable to parse string as a number"
    ]


def test_an_unknown_item_field_names_the_item_and_the_field(tmp_path: Path) -> None:
    path = write_questionnaire(tmp_path, lambda d: yaml_item(d, "su_lead").update(colour="red"))
    assert load_problems(path) == [
        "questionnaire.yaml: item su_lead, field colour: Extra inputs are not permitted"
    ]


def test_an_unknown_top_level_field_is_rejected(tmp_path: Path) -> None:
    path = write_questionnaire(tmp_path, lambda d: d.update(colour="red"))
    assert load_problems(path) == [
        "questionnaire.yaml: field colour: Extra inputs are not permitted"
    ]


def test_a_missing_help_text_names_the_item_and_the_field(tmp_path: Path) -> None:
    path = write_questionnaire(tmp_path, lambda d: yaml_item(d, "su_lead").pop("help"))
    assert load_problems(path) == ["questionnaire.yaml: item su_lead, field help: Field required"]


def test_a_duplicate_item_id_is_named(tmp_path: Path) -> None:
    def duplicate(data: dict[str, Any]) -> None:
        data["items"].append(dict(yaml_item(data, "su_lead")))

    problems = load_problems(write_questionnaire(tmp_path, duplicate))
    assert len(problems) == 1
    assert "duplicate item ids: su_lead" in problems[0]
    assert problems[0].startswith("questionnaire.yaml: ")


def test_a_dimension_with_three_items_is_rejected(tmp_path: Path) -> None:
    keep = {"to_slates", "to_reach", "to_integration"}

    def shrink(data: dict[str, Any]) -> None:
        data["items"] = [i for i in data["items"] if i["dimension"] != "tooling" or i["id"] in keep]

    problems = load_problems(write_questionnaire(tmp_path, shrink))
    assert len(problems) == 1
    assert "dimension tooling: 3 scored items, expected 6 to 12" in problems[0]


def test_a_dimension_with_thirteen_items_is_rejected(tmp_path: Path) -> None:
    def grow(data: dict[str, Any]) -> None:
        template = yaml_item(data, "to_reach")
        data["items"] += [{**template, "id": f"to_extra_{n}"} for n in range(6)]

    problems = load_problems(write_questionnaire(tmp_path, grow))
    assert "dimension tooling: 13 scored items, expected 6 to 12" in problems[0]


def test_an_item_in_an_unknown_dimension_is_named(tmp_path: Path) -> None:
    path = write_questionnaire(
        tmp_path, lambda d: yaml_item(d, "gr_self_start").update(dimension="culture")
    )
    assert "item gr_self_start: unknown dimension 'culture'" in load_problems(path)[0]


def test_an_option_score_above_one_names_the_item_the_option_and_the_field(
    tmp_path: Path,
) -> None:
    path = write_questionnaire(
        tmp_path, lambda d: yaml_item(d, "su_lead")["options"][2].update(score=2)
    )
    assert load_problems(path) == [
        "questionnaire.yaml: item su_lead, option it, field score: "
        "Input should be less than or equal to 1"
    ]


def test_a_number_item_without_bounds_in_the_file_is_named(tmp_path: Path) -> None:
    path = write_questionnaire(tmp_path, lambda d: yaml_item(d, "gr_active_share").pop("bounds"))
    [problem] = load_problems(path)
    assert problem.startswith("questionnaire.yaml: item gr_active_share: ")
    assert problem.endswith("a number item needs bounds, zero and full")


def test_a_reverse_scored_number_item_is_rejected(tmp_path: Path) -> None:
    path = write_questionnaire(
        tmp_path, lambda d: yaml_item(d, "gr_active_share").update(reverse=True)
    )
    [problem] = load_problems(path)
    assert problem.startswith("questionnaire.yaml: item gr_active_share: ")
    assert problem.endswith("only likert items can be reverse-scored")


def test_a_weighted_context_item_is_rejected(tmp_path: Path) -> None:
    path = write_questionnaire(
        tmp_path, lambda d: yaml_item(d, "cx_projects_aware").update(weight=1)
    )
    [problem] = load_problems(path)
    assert problem.startswith("questionnaire.yaml: item cx_projects_aware: ")
    assert problem.endswith("a context item (dimension: null) must have weight 0")


def test_every_broken_item_gets_its_own_line(tmp_path: Path) -> None:
    def break_two(data: dict[str, Any]) -> None:
        yaml_item(data, "su_lead")["weight"] = "heavy"
        yaml_item(data, "gr_self_start")["text"] = ""

    problems = load_problems(write_questionnaire(tmp_path, break_two))
    assert len(problems) == 2
    assert any("item su_lead, field weight" in p for p in problems)
    assert any("item gr_self_start, field text" in p for p in problems)


def test_a_file_that_is_not_yaml_is_reported_with_its_name(tmp_path: Path) -> None:
    path = tmp_path / "questionnaire.yaml"
    path.write_text("items: [\n", encoding="utf-8")
    [problem] = load_problems(path)
    assert problem.startswith(f"{path}: not valid YAML (")
    assert "\n" not in problem


def test_a_missing_questionnaire_file_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "missing.yaml"
    assert load_problems(path) == [f"{path}: file not found"]


def test_a_questionnaire_file_that_is_not_utf8_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("title: caf\xe9\n".encode("latin-1"))
    assert load_problems(path) == [
        f"{path}: not UTF-8 text (byte 0xe9 at position 10); save the file as UTF-8"
    ]
