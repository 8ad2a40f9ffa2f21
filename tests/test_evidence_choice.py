"""The lever mapping choice: one function names the mapping in use, and the choice survives the
assessment file, the store and the JSON export unchanged."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from pydantic import ValidationError

from readiness.assessment import Assessment, Profile, parse_assessment_json
from readiness.evidence.choice import (
    ASSUMED_WORDS,
    MappingChoice,
    mapping_in_use,
)
from readiness.evidence.drivers import DivisionMap, DivisionPair
from readiness.export import export_json, parse_import
from readiness.levers import LeverMapping, load_levers
from readiness.questionnaire import load_questionnaire
from readiness.store import Store


def calibrated_mapping() -> LeverMapping:
    """The assumed mapping with Tooling's link to p made the only one: a different top lever."""
    data = load_levers().model_dump()
    data["source"] = "Calibrated on 12 divisions' measured adoption (test)."
    data["parameters"]["p"].update(at_0=0.001, at_100=0.2)
    return LeverMapping.model_validate(data)


def choice(use: str = "calibrated") -> MappingChoice:
    return MappingChoice(
        use=use,
        division_map=DivisionMap(pairs=(DivisionPair(survey="Sales", measured="Sales & Mktg"),)),
        calibrated=calibrated_mapping(),
        method="Penalised least squares.",
        divisions=12,
    )


def test_no_choice_and_assumed_use_the_yaml_mapping() -> None:
    assert mapping_in_use(None) == (load_levers(), ASSUMED_WORDS)
    assert mapping_in_use(choice("assumed")) == (load_levers(), ASSUMED_WORDS)


def test_a_calibrated_choice_uses_its_mapping_and_says_so() -> None:
    mapping, words = mapping_in_use(choice())
    assert mapping == calibrated_mapping()
    assert words.startswith("the mapping calibrated on your 12 divisions (penalised least squares")


def test_calibrated_in_use_needs_a_calibrated_mapping() -> None:
    with pytest.raises(ValidationError, match="needs the calibrated mapping"):
        MappingChoice(use="calibrated")
    with pytest.raises(ValueError, match="no calibrated mapping"):
        MappingChoice().using("calibrated")
    assert choice("assumed").using("calibrated").use == "calibrated"


def test_the_choice_survives_the_assessment_file() -> None:
    questionnaire = load_questionnaire()
    document = {
        "format_version": 2,
        "organization": "Acme",
        "answers": {},
        "mapping_choice": choice().as_json(),
    }
    text = json.dumps(document)
    read = parse_assessment_json(questionnaire, json.loads(text), "a.json")
    assert read.mapping_choice == choice()
    assert mapping_in_use(read.mapping_choice)[0] == calibrated_mapping()


def test_a_version_1_file_without_a_choice_still_reads() -> None:
    read = parse_assessment_json(
        load_questionnaire(), {"format_version": 1, "answers": {}}, "old.json"
    )
    assert read.mapping_choice is None


def test_a_damaged_choice_is_refused_by_field() -> None:
    from readiness.errors import InputError

    with pytest.raises(InputError, match="mapping_choice"):
        parse_assessment_json(
            load_questionnaire(),
            {"answers": {}, "mapping_choice": {"use": "calibrated"}},
            "bad.json",
        )


def test_an_assessment_holds_a_choice() -> None:
    assessment = Assessment(
        profile=Profile(organization="Acme"),
        questionnaire_version="1",
        answers={},
        mapping_choice=choice(),
    )
    assert assessment.mapping_choice is not None
    assert assessment.mapping_choice.use == "calibrated"


def test_a_saved_choice_is_read_back_exported_and_imported_unchanged(
    store: Store, make_assessment: Callable[..., Assessment]
) -> None:
    original = make_assessment(organization="Acme").model_copy(update={"mapping_choice": choice()})
    saved_id = store.save_assessment(original, "first")
    stored = store.get_assessment(saved_id)
    assert stored.assessment.mapping_choice == choice()
    document = json.loads(export_json(stored))
    assert document["format_version"] == 3
    assert document["mapping_choice"]["use"] == "calibrated"
    [imported] = parse_import(store.questionnaire, export_json(stored), "export.json")
    assert imported == original
    # An edit of the answers keeps the choice; so does every saved version.
    store.update_answers(saved_id, {"gr_projects": 3})
    assert store.get_assessment(saved_id).assessment.mapping_choice == choice()
    assert all(v.assessment.mapping_choice == choice() for v in store.versions(saved_id))


def test_an_assessment_without_a_choice_exports_none(
    store: Store, make_assessment: Callable[..., Assessment]
) -> None:
    saved_id = store.save_assessment(make_assessment(organization="Acme"), "plain")
    assert "mapping_choice" not in json.loads(export_json(store.get_assessment(saved_id)))


def test_choosing_a_mapping_for_a_saved_assessment_makes_its_next_version(
    store: Store, make_assessment: Callable[..., Assessment]
) -> None:
    saved_id = store.save_assessment(make_assessment(organization="Acme"), "plain")
    saved = store.choose_mapping(saved_id, choice())
    assert saved.version == 2
    stored = store.get_assessment(saved_id)
    assert stored.assessment.mapping_choice == choice()
    assert stored.version == 2
    back = store.choose_mapping(saved_id, choice().using("assumed"))
    assert back.version == 3
    assert store.get_assessment(saved_id).assessment.mapping_choice == choice("assumed")


def test_a_draft_keeps_its_choice_until_it_is_saved(
    store: Store, make_assessment: Callable[..., Assessment]
) -> None:
    from readiness.editing import Opened, autosave, new_draft_id, submit

    original = make_assessment(organization="Acme")
    opened = Opened(draft_id=new_draft_id())
    opened, _ = autosave(store, opened, original.profile, dict(original.answers), choice())
    draft = store.load_draft(str(opened.draft_id))
    assert draft is not None
    assert draft.mapping_choice == choice()
    reopened = Opened(draft_id=opened.draft_id, draft=draft)
    assert reopened.mapping_choice == choice()
    outcome = submit(
        store,
        str(opened.draft_id),
        None,
        original.profile,
        dict(original.answers),
        original.questionnaire_version,
        reopened.mapping_choice,
    )
    stored = store.get_assessment(outcome.saved.id)
    assert stored.assessment.mapping_choice == choice()
    assert Opened(draft_id=None, stored=stored).mapping_choice == choice()


def test_the_stored_scores_follow_the_mapping_in_use(
    store: Store, make_assessment: Callable[..., Assessment]
) -> None:
    from readiness.levers import biggest_lever
    from readiness.rules import load_rulebook

    assessment = make_assessment(organization="Acme").model_copy(
        update={"mapping_choice": choice()}
    )
    stored = store.get_assessment(store.save_assessment(assessment, "calibrated"))
    lever, _ = biggest_lever(
        stored.scores.dimension_scores(),
        assessment.answers,
        load_rulebook(),
        calibrated_mapping(),
    )
    assert stored.scores.lever == lever
