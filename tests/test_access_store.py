"""The store's permission checks: every operation, as each role, on its own and another one.

The matrix below is the one documented in :mod:`readiness.access` (a test checks they agree). Each
cell runs the operation on a fresh store (SQLite and PostgreSQL) holding one assessment and one
draft of ``Acme`` (the user's own organization) and of ``Globex`` (another), and checks what
happened: done (and its effect is there), hidden (not listed, "not found" or None, exactly as for
an id that does not exist), denied (:class:`PermissionDeniedError`) or taken (another
organization's id cannot be written over; the refusal names nothing of it). Whatever was hidden,
denied or taken changed nothing.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from store_fixtures import sample_assessment

from readiness import access
from readiness.access import OPERATOR, PermissionDeniedError, Role, User
from readiness.assessment import Profile
from readiness.editing import Opened, autosave, open_from_address, submit
from readiness.store import (
    AssessmentNotFoundError,
    DraftConsumedError,
    DraftIdTakenError,
    Store,
    SubmissionConflictError,
    open_store,
)

OWN, OTHER = "Acme", "Globex"
USERS = {
    Role.viewer: User("vera@example.com", "Vera", Role.viewer, frozenset({OWN})),
    Role.assessor: User("ann@example.com", "Ann", Role.assessor, frozenset({OWN})),
    Role.admin: User("ada@example.com", "Ada", Role.admin, None),
}


@dataclass(frozen=True)
class World:
    """What the operator stored before the user acts: per organization an assessment (two
    versions, division Sales) saved from ``submission[org]``, a draft ``draft[org]`` and a
    deleted assessment ``deleted[org]`` (division Old)."""

    operator: Store
    assessment: dict[str, int]
    submission: dict[str, str]
    draft: dict[str, str]
    deleted: dict[str, int]

    def snapshot(self) -> list[Any]:
        """Everything an operation could change, as the operator sees it."""
        listed = [(s.id, s.organization, s.version) for s in self.operator.list_assessments()]
        drafts = [
            self.operator.load_draft(draft_id) for draft_id in [*self.draft.values(), "new-draft"]
        ]
        kept = [(d.id, d.answers, d.edits) if d else None for d in drafts]
        deleted = [s.id for s in self.operator.deleted_assessments()]
        audit = self.operator.audit_log(limit=None)
        return [listed, kept, self.operator.organizations(), deleted, audit]


def build_world(store: Store) -> World:
    assessment, submission, draft, deleted = {}, {}, {}, {}
    for seed, organization in enumerate((OWN, OTHER)):
        submission[organization] = f"seed-{organization}"
        saved = store.save_submission(
            sample_assessment(organization, "Sales", seed=seed), submission[organization]
        )
        store.save_submission(
            sample_assessment(organization, "Sales", seed=seed + 5), f"v2-{organization}", saved.id
        )
        assessment[organization] = saved.id
        draft[organization] = f"draft-{organization}"
        store.save_draft(draft[organization], Profile(organization=organization), {"su_sponsor": 2})
        old = store.save_submission(sample_assessment(organization, "Old"), f"old-{organization}")
        store.delete_assessment(old.id)
        deleted[organization] = old.id
    return World(store, assessment, submission, draft, deleted)


# --- the operations: each returns True when it saw or did what it was asked -----------------------

Operation = Callable[[Store, World, str], bool]


def _list(store: Store, world: World, org: str) -> bool:
    return world.assessment[org] in [s.id for s in store.list_assessments()]


def _list_one(store: Store, world: World, org: str) -> bool:
    return [s.id for s in store.list_assessments(org)] == [world.assessment[org]]


def _get(store: Store, world: World, org: str) -> bool:
    return store.get_assessment(world.assessment[org]).assessment.profile.organization == org


def _versions(store: Store, world: World, org: str) -> bool:
    return [v.version for v in store.versions(world.assessment[org])] == [2, 1]


def _history(store: Store, world: World, org: str) -> bool:
    return len(store.history(org)) == 1


def _organizations(store: Store, world: World, org: str) -> bool:
    return org in store.organizations()


def _divisions(store: Store, world: World, org: str) -> bool:
    return store.divisions(org) == ["Sales"]


def _find_submission(store: Store, world: World, org: str) -> bool:
    found = store.find_submission(world.submission[org])
    return found is not None and found.id == world.assessment[org]


def _save_new(store: Store, world: World, org: str) -> bool:
    saved = store.save_submission(sample_assessment(org, "IT", seed=9), "new-save")
    return world.operator.get_assessment(saved.id).assessment.profile.division == "IT"


def _save_edit(store: Store, world: World, org: str) -> bool:
    edited = sample_assessment(org, "Sales", seed=7)
    saved = store.save_submission(edited, "new-edit", edits=world.assessment[org])
    return world.operator.get_assessment(saved.id).assessment == edited and saved.version == 3


def _update_answers(store: Store, world: World, org: str) -> bool:
    store.update_answers(world.assessment[org], {"su_sponsor": 1})
    stored = world.operator.get_assessment(world.assessment[org])
    return stored.assessment.answers["su_sponsor"] == 1 and stored.version == 3


def _restore_version(store: Store, world: World, org: str) -> bool:
    saved = store.restore_version(world.assessment[org], 1, "new-restore")
    first = world.operator.versions(world.assessment[org])[-1]
    current = world.operator.get_assessment(world.assessment[org])
    return saved.version == 3 and current.assessment == first.assessment


def _save_draft(store: Store, world: World, org: str) -> bool:
    store.save_draft("new-draft", Profile(organization=org), {"su_sponsor": 4})
    draft = world.operator.load_draft("new-draft")
    return draft is not None and draft.answers == {"su_sponsor": 4}


def _save_draft_editing(store: Store, world: World, org: str) -> bool:
    store.save_draft("new-draft", None, {"su_sponsor": 4}, edits=world.assessment[org])
    draft = world.operator.load_draft("new-draft")
    return draft is not None and draft.edits == world.assessment[org]


def _change_draft(store: Store, world: World, org: str) -> bool:
    # Overwriting an existing draft of the organization (same id), with no profile given.
    store.save_draft(world.draft[org], None, {"su_sponsor": 5})
    draft = world.operator.load_draft(world.draft[org])
    return draft is not None and draft.answers == {"su_sponsor": 5}


def _load_draft(store: Store, world: World, org: str) -> bool:
    draft = store.load_draft(world.draft[org])
    return draft is not None and draft.answers == {"su_sponsor": 2}


def _discard_draft(store: Store, world: World, org: str) -> bool:
    store.discard_draft(world.draft[org])
    return world.operator.load_draft(world.draft[org]) is None


def _delete(store: Store, world: World, org: str) -> bool:
    store.delete_assessment(world.assessment[org])
    return world.assessment[org] not in [s.id for s in world.operator.list_assessments()]


def _import(store: Store, world: World, org: str) -> bool:
    [saved] = store.import_assessments([sample_assessment(org, "Imported", seed=3)])
    return world.operator.get_assessment(saved.id).assessment.profile.division == "Imported"


def _discard_old_drafts(store: Store, world: World, org: str) -> bool:
    return store.discard_drafts_older_than(-1) == 2  # every draft is older than tomorrow


def _record_export(store: Store, world: World, org: str) -> bool:
    store.record_export("CSV", [world.assessment[org]])
    [entry] = world.operator.audit_log(limit=1)
    return (entry.action, entry.assessment_id, entry.organization) == (
        "export",
        world.assessment[org],
        org,
    )


def _deleted_assessments(store: Store, world: World, org: str) -> bool:
    return world.deleted[org] in [s.id for s in store.deleted_assessments()]


def _restore_deleted(store: Store, world: World, org: str) -> bool:
    store.restore_deleted(world.deleted[org])
    return world.deleted[org] in [s.id for s in world.operator.list_assessments()]


def _purge(store: Store, world: World, org: str) -> bool:
    store.purge(world.deleted[org])
    return world.deleted[org] not in [s.id for s in world.operator.deleted_assessments()]


def _purge_expired(store: Store, world: World, org: str) -> bool:
    return store.purge_expired() == []  # deleted just now: kept


def _audit_log(store: Store, world: World, org: str) -> bool:
    return world.assessment[org] in [entry.assessment_id for entry in store.audit_log()]


OPERATIONS: dict[str, Operation] = {
    "list_assessments": _list,
    "list_assessments(organization)": _list_one,
    "get_assessment": _get,
    "versions": _versions,
    "history": _history,
    "organizations": _organizations,
    "divisions": _divisions,
    "find_submission": _find_submission,
    "save_submission (new)": _save_new,
    "save_submission (edits)": _save_edit,
    "update_answers": _update_answers,
    "restore_version": _restore_version,
    "save_draft (new)": _save_draft,
    "save_draft (edits)": _save_draft_editing,
    "save_draft (existing)": _change_draft,
    "load_draft": _load_draft,
    "discard_draft": _discard_draft,
    "delete_assessment": _delete,
    "import_assessments": _import,
    "discard_drafts_older_than": _discard_old_drafts,
    "record_export": _record_export,
    "deleted_assessments": _deleted_assessments,
    "restore_deleted": _restore_deleted,
    "purge": _purge,
    "purge_expired": _purge_expired,
    "audit_log": _audit_log,
}

#: Who may: "all" organizations, their "own", or "no". A refusal on another organization is
#: "hidden" or "denied" (``OTHER_REFUSAL``); a refused role is "denied" (``ROLE_REFUSAL``).
MATRIX: dict[str, tuple[str, str, str]] = {
    #                                  viewer  assessor  admin
    "list_assessments":               ("own", "own", "all"),
    "list_assessments(organization)": ("own", "own", "all"),
    "get_assessment":                 ("own", "own", "all"),
    "versions":                       ("own", "own", "all"),
    "history":                        ("own", "own", "all"),
    "organizations":                  ("own", "own", "all"),
    "divisions":                      ("own", "own", "all"),
    "find_submission":                ("own", "own", "all"),
    "record_export":                  ("own", "own", "all"),
    "save_submission (new)":          ("no", "own", "all"),
    "save_submission (edits)":        ("no", "own", "all"),
    "update_answers":                 ("no", "own", "all"),
    "restore_version":                ("no", "own", "all"),
    "save_draft (new)":               ("no", "own", "all"),
    "save_draft (edits)":             ("no", "own", "all"),
    "save_draft (existing)":          ("no", "own", "all"),
    "load_draft":                     ("no", "own", "all"),
    "discard_draft":                  ("no", "own", "all"),
    "delete_assessment":              ("no", "no", "all"),
    "import_assessments":             ("no", "no", "all"),
    "discard_drafts_older_than":      ("no", "no", "all"),
    "deleted_assessments":            ("no", "no", "all"),
    "restore_deleted":                ("no", "no", "all"),
    "purge":                          ("no", "no", "all"),
    "purge_expired":                  ("no", "no", "all"),
    "audit_log":                      ("no", "no", "all"),
}  # fmt: skip
#: How another organization's refusal shows where it is not "hidden".
OTHER_REFUSAL = {
    "save_submission (new)": "denied",
    "save_submission (edits)": "denied",  # the answers name Globex: refused before the lookup
    "save_draft (new)": "denied",
    "save_draft (existing)": "taken",  # the id is another organization's: a fresh one is needed
}
#: How a refused role shows where it is not "denied".
ROLE_REFUSAL = {"load_draft": "hidden"}
ROLES = (Role.viewer, Role.assessor, Role.admin)


def expected(operation: str, role: Role, organization: str) -> str:
    allowed = MATRIX[operation][ROLES.index(role)]
    if allowed == "all" or (allowed == "own" and organization == OWN):
        return "done"
    if allowed == "no":
        return ROLE_REFUSAL.get(operation, "denied")
    return OTHER_REFUSAL.get(operation, "hidden")


CASES = [
    pytest.param(operation, role, organization, id=f"{operation}-{role}-{organization}")
    for operation in OPERATIONS
    for role in ROLES
    for organization in (OWN, OTHER)
]


@pytest.fixture(scope="module")
def world_file(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, World]:
    """The operator's world built once in SQLite (each cell of the matrix gets a copy)."""
    path = tmp_path_factory.mktemp("world") / "readiness.db"
    with open_store(f"sqlite:///{path}") as built:
        world = build_world(built)
    return path, world


@pytest.fixture
def world(database_url: str, world_file: tuple[Path, World], tmp_path: Path) -> Iterator[World]:
    """A fresh world per cell: a copy of the SQLite one, or built anew on PostgreSQL."""
    if not database_url.startswith("sqlite"):
        with open_store(database_url) as fresh:
            yield build_world(fresh)
        return
    path, built = world_file
    copy = tmp_path / "world.db"
    shutil.copyfile(path, copy)
    with open_store(f"sqlite:///{copy}") as opened:
        yield dataclasses.replace(built, operator=opened)


@pytest.mark.parametrize(("operation", "role", "organization"), CASES)
def test_permission_matrix(world: World, operation: str, role: Role, organization: str) -> None:
    store = world.operator
    before = world.snapshot()
    user = USERS[role]
    message = ""
    try:
        done = OPERATIONS[operation](store.acting_as(user), world, organization)
        outcome = "done" if done else "hidden"
    except PermissionDeniedError as error:
        outcome, message = "denied", str(error)
    except AssessmentNotFoundError as error:
        outcome, message = "hidden", str(error)
    except DraftIdTakenError as error:
        outcome, message = "taken", str(error)
    assert outcome == expected(operation, role, organization)
    if outcome == "denied":
        assert message.startswith(f"{user.id} ({role}) may not ")
    elif outcome == "taken":
        draft_id = world.draft[organization]
        assert message == f"draft {draft_id} was already used; keep the draft under a fresh id"
    elif message:  # the words of an id that does not exist
        assert message.endswith(f"no assessment with id {world.assessment[organization]}")
    if outcome != "done":
        assert world.snapshot() == before, "a refused operation changed the store"


# --- the matrix is the documented one ------------------------------------------------------------


def documented_matrix() -> dict[str, tuple[str, ...]]:
    """The permission table of :mod:`readiness.access`'s docstring: operation -> cells."""
    doc = access.__doc__ or ""
    rows: dict[str, tuple[str, ...]] = {}
    for line in doc.splitlines():
        match = re.fullmatch(
            r"\s{4}(\S.*?)\s{2,}(all|own|no)\s+(all|own|no)\s+(all|own|no)\s*", line
        )
        if match:
            rows[match.group(1)] = match.group(2, 3, 4)
    return rows


def test_the_documented_permission_table_is_the_tested_matrix() -> None:
    documented = documented_matrix()
    assert documented == MATRIX


# --- what a refusal says and what it hides --------------------------------------------------------


def test_a_refusal_names_who_their_role_what_and_where(store: Store) -> None:
    viewer = store.acting_as(USERS[Role.viewer])
    with pytest.raises(PermissionDeniedError) as refused:
        viewer.save_submission(sample_assessment(OWN), "s1")
    assert str(refused.value) == (
        "vera@example.com (viewer) may not save assessments of Acme (assessors only)"
    )
    assessor = store.acting_as(USERS[Role.assessor])
    with pytest.raises(PermissionDeniedError) as refused:
        assessor.save_submission(sample_assessment(OTHER), "s2")
    assert str(refused.value) == "ann@example.com (assessor) may not save assessments of Globex"
    with pytest.raises(PermissionDeniedError) as refused:
        assessor.delete_assessment(1)
    assert (
        str(refused.value) == "ann@example.com (assessor) may not delete assessments (admins only)"
    )


def test_another_organizations_id_reads_exactly_like_a_missing_one(store: Store) -> None:
    world = build_world(store)
    assessor = store.acting_as(USERS[Role.assessor])
    missing = max(world.assessment.values()) + 100
    errors: list[str] = []
    for assessment_id in (world.assessment[OTHER], missing):
        with pytest.raises(AssessmentNotFoundError) as hidden:
            assessor.get_assessment(assessment_id)
        errors.append(str(hidden.value))
    assert errors == [
        f"{store.location}: no assessment with id {world.assessment[OTHER]}",
        f"{store.location}: no assessment with id {missing}",
    ]


def test_an_assessor_cannot_move_an_assessment_into_or_out_of_their_organizations(
    store: Store,
) -> None:
    world = build_world(store)
    assessor = store.acting_as(USERS[Role.assessor])
    # Out of Globex into Acme: the Globex assessment is not theirs (not found).
    with pytest.raises(AssessmentNotFoundError):
        assessor.save_submission(sample_assessment(OWN), "m1", edits=world.assessment[OTHER])
    # Out of Acme into Globex: Globex is not theirs.
    with pytest.raises(PermissionDeniedError, match="of Globex"):
        assessor.save_submission(sample_assessment(OTHER), "m2", edits=world.assessment[OWN])
    assert sorted(s.organization for s in store.list_assessments()) == [OWN, OTHER]
    assert store.get_assessment(world.assessment[OWN]).version == 2


def test_another_organizations_submission_id_is_a_conflict_that_names_nothing(
    store: Store,
) -> None:
    world = build_world(store)
    assessor = store.acting_as(USERS[Role.assessor])
    with pytest.raises(SubmissionConflictError) as conflict:
        assessor.save_submission(sample_assessment(OWN), world.submission[OTHER])
    assert str(conflict.value) == "seed-Globex was already used; save under a fresh id"


def test_a_user_of_several_organizations_sees_each_and_no_other(store: Store) -> None:
    build_world(store)
    store.save_submission(sample_assessment("Initech", None), "initech")
    both = User("bo@example.com", "Bo", Role.viewer, frozenset({OWN, "Initech"}))
    acting = store.acting_as(both)
    assert acting.organizations() == [OWN, "Initech"]
    assert {s.organization for s in acting.list_assessments()} == {OWN, "Initech"}
    nobody = User("no@example.com", "No", Role.viewer, frozenset())
    assert store.acting_as(nobody).list_assessments() == []
    assert store.acting_as(nobody).organizations() == []


def test_the_operator_is_the_default_and_acting_as_shares_the_engine(store: Store) -> None:
    assert store.user is OPERATOR
    acting = store.acting_as(USERS[Role.viewer])
    assert acting.engine is store.engine
    assert acting.user == USERS[Role.viewer]
    acting.close()  # leaves the shared engine to its owner
    store.save_submission(sample_assessment(OWN), "after-close")
    assert [s.organization for s in acting.list_assessments()] == [OWN]


def test_an_admin_user_has_every_organization() -> None:
    with pytest.raises(ValueError, match="admin sees every organization"):
        User("a@example.com", "A", Role.admin, frozenset({OWN}))


def test_roles_are_ordered() -> None:
    assert Role.admin.at_least(Role.assessor)
    assert Role.assessor.at_least(Role.viewer)
    assert not Role.viewer.at_least(Role.assessor)
    assert [role.rank for role in ROLES] == [0, 1, 2]


def test_the_clock_is_utc_and_injectable(database_url: str) -> None:
    from readiness.store import open_store

    moment = dt.datetime(2031, 5, 6, 7, 8, 9, tzinfo=dt.UTC)
    with open_store(database_url) as opened:
        store = Store(opened.engine, clock=lambda: moment)
        saved = store.save_submission(sample_assessment(OWN), "timed")
        assert saved.saved_at == moment
        assert store.acting_as(USERS[Role.admin]).get_assessment(saved.id).created_at == moment


# --- another organization's draft or assessment id reads like a missing one, on every path --------


def _refusal(call: Callable[[], object]) -> str:
    """What ``call`` says when refused ("" when it is not)."""
    try:
        call()
    except (AssessmentNotFoundError, PermissionDeniedError, SubmissionConflictError) as error:
        return f"{type(error).__name__}: {error}"
    except DraftIdTakenError as error:
        return f"{type(error).__name__}: {error}"
    return ""


def _unnumbered(text: str, number: int) -> str:
    return re.sub(rf"\b{number}\b", "N", text)


def test_another_organizations_ids_on_every_assessment_path_read_like_missing_ones(
    store: Store,
) -> None:
    world = build_world(store)
    before = world.snapshot()
    ann = store.acting_as(USERS[Role.assessor])
    other, missing = world.assessment[OTHER], max(world.assessment.values()) + 100
    paths: dict[str, Callable[[int], object]] = {
        "get": ann.get_assessment,
        "versions": lambda n: ann.versions(n) or ann.get_assessment(n),
        "record_export": lambda n: ann.record_export("CSV", [n]),
        "edit": lambda n: ann.save_submission(sample_assessment(OWN), f"edit-{n}", edits=n),
        "update": lambda n: ann.update_answers(n, {"su_sponsor": 1}),
        "restore": lambda n: ann.restore_version(n, 1, f"restore-{n}"),
        "draft editing it": lambda n: ann.save_draft(f"edits-{n}", None, {}, edits=n),
        "delete": ann.delete_assessment,
    }
    for name, path in paths.items():
        said_other = _refusal(lambda path=path: path(other))  # type: ignore[misc]
        said_missing = _refusal(lambda path=path: path(missing))  # type: ignore[misc]
        assert _unnumbered(said_other, other) == _unnumbered(said_missing, missing), name
        assert said_other, name
        assert OTHER not in said_other, name
    # the questionnaire's assessment link: the same notice, a new draft of their own
    shown = [open_from_address(ann, None, str(n)) for n in (other, missing)]
    assert [o.notice for o in shown] == [
        f"There is no assessment {n} (it may have been deleted)." for n in (other, missing)
    ]
    assert all(o.stored is None and o.contents is None for o in shown)
    assert world.snapshot() == before


def test_another_organizations_draft_ids_on_every_draft_path_read_like_missing_ones(
    store: Store,
) -> None:
    """A draft link of another organization, in progress (``draft[OTHER]``) or saved as its
    assessment (``submission[OTHER]``), opens a new draft of the user's own, exactly like an id
    nobody used; autosaving, saving and discarding under it tell nothing and change nothing."""
    world = build_world(store)
    before = world.snapshot()
    ann = store.acting_as(USERS[Role.assessor])
    in_progress, saved, unused = world.draft[OTHER], world.submission[OTHER], "f" * 32
    for draft_id in (in_progress, saved, unused):
        assert ann.load_draft(draft_id) is None  # also what the resume offer reads
        assert ann.find_submission(draft_id) is None
        opened = open_from_address(ann, draft_id, None)
        assert opened.draft_id not in (None, draft_id)
        assert (opened.notice, opened.contents, opened.edits) == (None, None, None)
        ann.discard_draft(draft_id)
    assert world.snapshot() == before

    # The store refuses both taken ids in the same words, naming no organization or assessment.
    taken = [
        _refusal(lambda d=d: ann.save_draft(d, Profile(organization=OWN), {}))
        for d in (in_progress, saved)
    ]
    assert [t.replace(d, "D") for t, d in zip(taken, (in_progress, saved), strict=True)] == [
        "DraftIdTakenError: draft D was already used; keep the draft under a fresh id"
    ] * 2
    used = [
        _refusal(lambda d=d: ann.save_submission(sample_assessment(OWN), d))
        for d in (in_progress, saved)
    ]
    assert [u.replace(d, "D") for u, d in zip(used, (in_progress, saved), strict=True)] == [
        "SubmissionConflictError: D was already used; save under a fresh id"
    ] * 2
    assert world.snapshot() == before

    # Autosave and save under such an id (a page opened before): a draft and an assessment of
    # the user's own under a fresh id, without a word about the other organization's.
    answers = {"su_sponsor": 3}
    for draft_id in (in_progress, saved):
        kept, notice = autosave(ann, Opened(draft_id=draft_id), Profile(organization=OWN), answers)
        assert notice is None
        assert kept.draft_id not in (None, draft_id)
        mine = ann.load_draft(str(kept.draft_id))
        assert mine is not None
        assert mine.answers == answers
        outcome = submit(ann, draft_id, None, sample_assessment(OWN).profile, answers, "1")
        assert OTHER not in outcome.message
        assert str(world.assessment[OTHER]) not in outcome.message.split(" on ")[0]
        assert ann.get_assessment(outcome.saved.id).assessment.profile.organization == OWN
    other_draft = world.operator.load_draft(in_progress)
    assert other_draft is not None
    assert other_draft.answers == {"su_sponsor": 2}


def test_an_own_draft_saved_elsewhere_is_still_named(store: Store) -> None:
    """The user's own organization's draft saved in another tab keeps its notice."""
    world = build_world(store)
    ann = store.acting_as(USERS[Role.assessor])
    with pytest.raises(DraftConsumedError) as consumed:
        ann.save_draft(world.submission[OWN], Profile(organization=OWN), {})
    assert consumed.value.saved.id == world.assessment[OWN]
