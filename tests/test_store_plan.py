"""The plan kept with a stored assessment: saved and read back (SQLite and PostgreSQL), set as
the next version with an audit entry in words, kept by drafts, edits and the lever mapping
choice, refused for viewers, and added to stores made before plans by revision 0006."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable

import pytest
from sqlalchemy import insert, text
from store_fixtures import sample_assessment
from test_access_store import OTHER, OWN, USERS, build_world, expected
from test_assessment_plan import sample_plan

from readiness.access import PermissionDeniedError, Role
from readiness.assessment import Assessment
from readiness.errors import InputError
from readiness.evidence.choice import MappingChoice
from readiness.evidence.drivers import DivisionMap, DivisionPair
from readiness.migrations import head_revision, schema_state, upgrade
from readiness.plan.model import Plan, PlanAction
from readiness.store import (
    AssessmentNotFoundError,
    DamagedRowError,
    Store,
    assessments_table,
    create_store_engine,
    drafts_table,
    open_store,
    submissions_table,
    versions_table,
)
from readiness.store.base import StoreBase

SAMPLE_WORDS = (
    "plan: 2 actions (champions from 2027-03-01 (Sales), training from 2027-06-01 to"
    " 2027-09-30); measured effect of champions; 1 survey wave"
)
CHOICE = MappingChoice(
    division_map=DivisionMap(pairs=(DivisionPair(survey="Sales", measured="Sales & Mktg"),))
)


def one_action(kind: str = "champions") -> Plan:
    return Plan(actions=(PlanAction(kind=kind, start=dt.date(2027, 3, 1)),))


# --- saving and reading ---------------------------------------------------------------------


def test_a_saved_plan_is_read_back_with_the_assessment_and_its_version(
    store: Store, make_assessment: Callable[..., Assessment]
) -> None:
    assessment = make_assessment(organization="Acme").model_copy(update={"plan": sample_plan()})
    saved_id = store.save_assessment(assessment, "s1")
    assert store.get_assessment(saved_id).assessment == assessment
    [version] = store.versions(saved_id)
    assert version.assessment.plan == sample_plan()


def test_an_assessment_without_a_plan_stores_null(
    store: Store, make_assessment: Callable[..., Assessment]
) -> None:
    saved_id = store.save_assessment(make_assessment(organization="Acme"), "s1")
    assert store.get_assessment(saved_id).assessment.plan is None
    with store.engine.connect() as connection:
        cell = connection.execute(text("SELECT plan_json FROM assessments")).scalar_one()
    assert cell is None


def test_a_plan_naming_an_unknown_kind_is_not_saved(
    store: Store, make_assessment: Callable[..., Assessment]
) -> None:
    assessment = make_assessment(organization="Acme").model_copy(
        update={"plan": one_action("webinars")}
    )
    with pytest.raises(InputError, match="action 1: unknown kind 'webinars'"):
        store.save_assessment(assessment, "s1")
    assert store.list_assessments() == []


# --- set_plan: the next version, in the audit log in words -----------------------------------


def test_setting_a_plan_makes_the_next_version_and_says_what_it_holds(
    store: Store, make_assessment: Callable[..., Assessment]
) -> None:
    original = make_assessment(organization="Acme").model_copy(update={"mapping_choice": CHOICE})
    saved_id = store.save_assessment(original, "s1")

    saved = store.set_plan(saved_id, sample_plan())
    assert (saved.version, saved.repeated) == (2, False)
    assert saved.saved_at.tzinfo is not None
    stored = store.get_assessment(saved_id)
    assert stored.version == 2
    assert stored.assessment == original.model_copy(update={"plan": sample_plan()})

    smaller = store.set_plan(saved_id, one_action())
    assert smaller.version == 3
    removed = store.set_plan(saved_id, None)
    assert removed.version == 4
    assert store.get_assessment(saved_id).assessment.plan is None

    # The history shows each change of the plan, newest first.
    assert [(v.version, v.assessment.plan) for v in store.versions(saved_id)] == [
        (4, None),
        (3, one_action()),
        (2, sample_plan()),
        (1, None),
    ]
    details = [entry.detail for entry in store.audit_log(assessment_id=saved_id)]
    assert details[:3] == [
        "version 4: plan: removed",
        "version 3: plan: 1 action (champions from 2027-03-01)",
        f"version 2: {SAMPLE_WORDS}",
    ]
    assert {entry.action for entry in store.audit_log(assessment_id=saved_id, limit=3)} == {"edit"}


def test_setting_the_plan_it_already_holds_makes_no_version(
    store: Store, make_assessment: Callable[..., Assessment]
) -> None:
    saved_id = store.save_assessment(make_assessment(organization="Acme"), "s1")
    first = store.set_plan(saved_id, sample_plan())
    again = store.set_plan(saved_id, sample_plan())
    assert (again.id, again.version, again.repeated) == (saved_id, first.version, True)
    assert again.saved_at == first.saved_at
    assert len(store.versions(saved_id)) == 2
    assert len(store.audit_log(assessment_id=saved_id)) == 2  # the save and one plan


def test_an_empty_plan_is_a_plan_with_no_actions(
    store: Store, make_assessment: Callable[..., Assessment]
) -> None:
    saved_id = store.save_assessment(make_assessment(organization="Acme"), "s1")
    store.set_plan(saved_id, Plan())
    assert store.get_assessment(saved_id).assessment.plan == Plan()
    [entry, _save] = store.audit_log(assessment_id=saved_id)
    assert entry.detail == "version 2: plan: no actions"


def test_setting_a_plan_of_an_unknown_kind_changes_nothing(
    store: Store, make_assessment: Callable[..., Assessment]
) -> None:
    saved_id = store.save_assessment(make_assessment(organization="Acme"), "s1")
    with pytest.raises(InputError, match="action 1: unknown kind 'webinars'"):
        store.set_plan(saved_id, one_action("webinars"))
    assert [v.version for v in store.versions(saved_id)] == [1]


def test_setting_a_plan_of_a_missing_assessment_is_not_found(store: Store) -> None:
    with pytest.raises(AssessmentNotFoundError, match="no assessment with id 41"):
        store.set_plan(41, sample_plan())


def test_edits_and_the_mapping_choice_keep_the_plan_and_a_restore_brings_back_the_old_one(
    store: Store, make_assessment: Callable[..., Assessment]
) -> None:
    saved_id = store.save_assessment(make_assessment(organization="Acme"), "s1")
    store.set_plan(saved_id, sample_plan())
    store.update_answers(saved_id, {"gr_projects": 3})
    store.choose_mapping(saved_id, CHOICE)
    stored = store.get_assessment(saved_id).assessment
    assert (stored.plan, stored.mapping_choice, stored.answers["gr_projects"]) == (
        sample_plan(),
        CHOICE,
        3,
    )
    restored = store.restore_version(saved_id, 1, "restore-1")
    assert restored.version == 5
    assert store.get_assessment(saved_id).assessment.plan is None


def test_a_draft_keeps_its_plan(store: Store, make_assessment: Callable[..., Assessment]) -> None:
    assessment = make_assessment(organization="Acme")
    store.save_draft("d1", assessment.profile, assessment.answers, None, CHOICE, sample_plan())
    draft = store.load_draft("d1")
    assert draft is not None
    assert (draft.plan, draft.mapping_choice) == (sample_plan(), CHOICE)
    store.save_draft("d1", assessment.profile, assessment.answers)
    draft = store.load_draft("d1")
    assert draft is not None
    assert draft.plan is None
    with pytest.raises(InputError, match="unknown kind 'webinars'"):
        store.save_draft("d2", assessment.profile, {}, plan=one_action("webinars"))
    assert store.load_draft("d2") is None


def test_a_damaged_plan_cell_is_named_when_the_assessment_is_read(
    store: Store, make_assessment: Callable[..., Assessment]
) -> None:
    saved_id = store.save_assessment(make_assessment(organization="Acme"), "s1")
    with store.engine.begin() as connection:
        connection.execute(
            text("UPDATE assessments SET plan_json = :bad WHERE id = :id"),
            {"bad": json.dumps({"actions": "lots"}), "id": saved_id},
        )
    with pytest.raises(DamagedRowError) as damaged:
        store.get_assessment(saved_id)
    assert str(damaged.value).startswith(
        f"{store.location}: table assessments, row {saved_id}, column plan_json: field actions"
    )
    assert [s.id for s in store.list_assessments()] == [saved_id]  # the list still shows it


# --- who may set a plan: whoever may choose the mapping ----------------------------------------


def _outcome(change: Callable[[], object]) -> tuple[str, str]:
    """What a change did: "done", or "denied" / "hidden" with the refusal's words."""
    try:
        change()
    except PermissionDeniedError as error:
        return "denied", str(error)
    except AssessmentNotFoundError as error:
        return "hidden", str(error)
    return "done", ""


@pytest.mark.parametrize("role", [Role.viewer, Role.assessor, Role.admin])
@pytest.mark.parametrize("organization", [OWN, OTHER])
def test_who_may_set_a_plan(store: Store, role: Role, organization: str) -> None:
    world = build_world(store)
    assessment_id = world.assessment[organization]
    before = world.snapshot()
    acting = store.acting_as(USERS[role])
    results = [
        _outcome(lambda: acting.set_plan(assessment_id, sample_plan())),
        _outcome(lambda: acting.choose_mapping(assessment_id, CHOICE)),
    ]
    outcomes = [outcome for outcome, _ in results]
    for outcome, words in results:
        if outcome == "denied":
            assert words.startswith(f"{USERS[role].id} ({role}) may not edit")
        elif outcome == "hidden":  # the words of an id that does not exist
            assert words.endswith(f"no assessment with id {assessment_id}")
    # Setting the plan is allowed exactly where choosing the mapping and editing answers are.
    assert outcomes == [expected("update_answers", role, organization)] * 2
    if outcomes[0] == "done":
        stored = world.operator.get_assessment(assessment_id)
        assert (stored.assessment.plan, stored.version) == (sample_plan(), 4)
        [mapping, plan] = world.operator.audit_log(limit=2)
        assert (plan.actor, plan.assessment_id, plan.detail) == (
            USERS[role].id,
            assessment_id,
            f"version 3: {SAMPLE_WORDS}",
        )
        assert mapping.detail == "version 4: the assumed lever mapping in use"
    else:
        assert world.snapshot() == before, "a refused change of the plan changed the store"


# --- stores made before plans (revision 0005) ------------------------------------------------


def test_the_revision_keeps_existing_rows_and_adds_empty_plans(
    database_url: str, make_assessment: Callable[..., Assessment]
) -> None:
    engine = create_store_engine(database_url)
    assert upgrade(engine, "0005")[-1] == "0005"
    assessment = make_assessment(organization="Acme").model_copy(update={"mapping_choice": CHOICE})
    # The columns as readiness wrote them at revision 0005 (no plan_json).
    writer = StoreBase(engine)
    content = writer._content_columns(assessment, writer._score(assessment))
    content.pop("plan_json")
    saved_at = dt.datetime(2026, 4, 1, 9, 30)
    with engine.begin() as connection:
        assessment_id = connection.execute(
            insert(assessments_table)
            .values(
                **content, created_at=saved_at, updated_at=saved_at, submission_id="old", version=1
            )
            .returning(assessments_table.c.id)
        ).scalar_one()
        connection.execute(
            insert(versions_table).values(
                **content,
                assessment_id=assessment_id,
                version=1,
                saved_at=saved_at,
                submission_id="old",
            )
        )
        connection.execute(
            insert(submissions_table).values(
                id="old", assessment_id=assessment_id, version=1, saved_at=saved_at
            )
        )
        connection.execute(
            insert(drafts_table).values(
                id="old-draft",
                profile_json=json.dumps({"organization": "Acme"}),
                answers_json=json.dumps({"su_sponsor": 3}),
                updated_at=saved_at,
                mapping_choice_json=json.dumps(CHOICE.as_json()),
            )
        )
    engine.dispose()

    with open_store(database_url) as store:
        with store.engine.connect() as connection:
            assert schema_state(connection).revision == head_revision() == "0006"
            cells = connection.execute(
                text(
                    "SELECT (SELECT count(*) FROM assessments WHERE plan_json IS NULL),"
                    " (SELECT count(*) FROM assessment_versions WHERE plan_json IS NULL),"
                    " (SELECT count(*) FROM drafts WHERE plan_json IS NULL)"
                )
            ).one()
        assert tuple(cells) == (1, 1, 1)
        stored = store.get_assessment(assessment_id)
        assert stored.assessment == assessment
        assert stored.assessment.plan is None
        assert stored.created_at == saved_at.replace(tzinfo=dt.UTC)
        [version] = store.versions(assessment_id)
        assert version.assessment == assessment
        draft = store.load_draft("old-draft")
        assert draft is not None
        assert (draft.answers, draft.mapping_choice, draft.plan) == (
            {"su_sponsor": 3},
            CHOICE,
            None,
        )
        # The upgraded store takes plans like a new one.
        assert store.set_plan(assessment_id, sample_plan()).version == 2
        assert store.get_assessment(assessment_id).assessment.plan == sample_plan()
        found = store.find_submission("old")
        assert found is not None
        assert found.id == assessment_id


def test_an_import_of_many_assessments_keeps_each_plan(store: Store) -> None:
    assessments = [
        sample_assessment("Acme", f"Division {n}", seed=n).model_copy(
            update={"plan": one_action() if n % 2 else None}
        )
        for n in range(4)
    ]
    saved = store.import_assessments(assessments)
    plans = [store.get_assessment(s.id).assessment.plan for s in saved]
    assert plans == [None, one_action(), None, one_action()]
    assert store.import_assessments(assessments)[1].repeated


def test_a_draft_of_an_unknown_profile_may_hold_a_plan(store: Store) -> None:
    store.save_draft("d1", None, {}, plan=one_action())
    draft = store.load_draft("d1")
    assert draft is not None
    assert (draft.profile, draft.plan) == (None, one_action())
