"""Assessment identity in the store: consumed drafts, versions, repeated and conflicting saves,
and stores that are only touched when meant (read-only opens, foreign SQLite files)."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from test_store import run_threads

from readiness.assessment import Assessment, Profile
from readiness.errors import StoreError
from readiness.store import (
    AssessmentNotFoundError,
    DraftConsumedError,
    Store,
    StoreNotFoundError,
    SubmissionConflictError,
    open_store,
)


def test_a_save_consumes_its_draft_and_a_repeat_writes_nothing(
    store: Store, make_assessment: Callable[..., Assessment]
) -> None:
    assessment = make_assessment()
    store.save_draft("d1", assessment.profile, assessment.answers)
    first = store.save_submission(assessment, "d1")
    assert (first.id, first.version, first.repeated) == (first.id, 1, False)
    assert store.load_draft("d1") is None
    again = store.save_submission(assessment, "d1")
    assert again.repeated
    assert (again.id, again.version) == (first.id, 1)
    assert store.find_submission("d1") == again
    assert store.find_submission("never-saved") is None
    assert len(store.list_assessments()) == 1


def test_a_consumed_draft_is_never_brought_back_by_an_autosave(
    store: Store, make_assessment: Callable[..., Assessment]
) -> None:
    assessment = make_assessment()
    saved = store.save_submission(assessment, "d1")
    with pytest.raises(DraftConsumedError) as raised:
        store.save_draft("d1", Profile(organization="Other"), {"su_sponsor": 1})
    assert raised.value.saved.id == saved.id
    assert store.load_draft("d1") is None


def test_other_answers_under_a_consumed_id_are_a_conflict_not_a_silent_no_op(
    store: Store, make_assessment: Callable[..., Assessment]
) -> None:
    store.save_submission(make_assessment(organization="Acme"), "d1")
    with pytest.raises(SubmissionConflictError):
        store.save_submission(make_assessment(organization="Beta"), "d1")
    assert [s.organization for s in store.list_assessments()] == ["Acme"]


def test_editing_makes_versions_and_keeps_the_earlier_ones(
    store: Store, make_assessment: Callable[..., Assessment]
) -> None:
    first = store.save_submission(make_assessment(su_sponsor=4), "d1")
    store.save_draft("e1", Profile(organization="Acme Ltd"), {}, edits=first.id)
    draft = store.load_draft("e1")
    assert draft is not None
    assert draft.edits == first.id
    second = store.save_submission(make_assessment(su_sponsor=1), "e1", edits=first.id)
    assert (second.id, second.version) == (first.id, 2)
    versions = store.versions(first.id)
    assert [v.version for v in versions] == [2, 1]
    assert [v.assessment.answers["su_sponsor"] for v in versions] == [1, 4]
    [summary] = store.list_assessments()
    assert summary.version == 2
    assert summary.updated_at >= summary.created_at
    assert store.get_assessment(first.id).version == 2

    restored = store.restore_version(first.id, 1, "r1")
    assert restored.version == 3
    assert store.get_assessment(first.id).assessment.answers["su_sponsor"] == 4
    assert len(store.versions(first.id)) == 3
    with pytest.raises(AssessmentNotFoundError):
        store.restore_version(first.id, 9, "r2")


def test_editing_a_deleted_assessment_is_refused_and_its_drafts_survive(
    store: Store, make_assessment: Callable[..., Assessment]
) -> None:
    first = store.save_submission(make_assessment(), "d1")
    store.save_draft("e1", Profile(organization="Acme Ltd"), {"su_sponsor": 2}, edits=first.id)
    store.delete_assessment(first.id)
    draft = store.load_draft("e1")
    assert draft is not None
    assert draft.edits is None  # its answers stay; saving them makes a new assessment
    assert store.versions(first.id) == []
    assert store.find_submission("d1") is None
    with pytest.raises(AssessmentNotFoundError):
        store.save_submission(make_assessment(), "e2", edits=first.id)


def test_concurrent_edits_of_one_assessment_each_get_their_own_version(
    store: Store, make_assessment: Callable[..., Assessment]
) -> None:
    first = store.save_submission(make_assessment(), "d0")
    errors = run_threads(
        6,
        lambda n: store.save_submission(make_assessment(su_sponsor=1 + n % 5), f"e{n}", first.id),
    )
    assert errors == []
    assert sorted(v.version for v in store.versions(first.id)) == list(range(1, 8))


def test_the_list_says_how_complete_each_assessment_is(
    store: Store, make_assessment: Callable[..., Assessment]
) -> None:
    store.save_assessment(make_assessment(), "full")
    sparse = Assessment(
        profile=Profile(organization="Sparse"),
        questionnaire_version=store.questionnaire.version,
        answers={"su_sponsor": 4},
    )
    store.save_assessment(sparse, "sparse")
    by_name = {s.organization: s for s in store.list_assessments()}
    total = len(store.questionnaire.items)  # counted as the questionnaire page counts them
    assert (by_name["Sparse"].answered, by_name["Sparse"].items) == (1, total)
    assert not by_name["Sparse"].complete
    assert by_name["Acme Ltd"].complete


# --- stores touched only when meant ---------------------------------------------------------


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_read_only_open_of_a_missing_store_creates_nothing(tmp_path: Path) -> None:
    path = tmp_path / "not" / "yet" / "readiness.db"
    with pytest.raises(StoreNotFoundError, match="no store here yet"):
        open_store(f"sqlite:///{path}", create=False)
    assert not (tmp_path / "not").exists()


def test_a_sqlite_database_of_another_program_is_refused_and_left_byte_identical(
    tmp_path: Path,
) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
        connection.execute("INSERT INTO invoices (total) VALUES (12.5)")
    connection.close()
    before = _digest(path)
    for create in (True, False):
        with pytest.raises(StoreError, match="not a readiness store; it was left untouched"):
            open_store(f"sqlite:///{path}", create=create)
    assert _digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.db"]


def test_a_sqlite_file_whose_schema_is_not_text_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "latin.db"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE cafe_x (x)")
    connection.close()
    # the table's name, in sqlite_master, becomes Latin-1 bytes: not valid UTF-8
    path.write_bytes(path.read_bytes().replace(b"cafe_x", b"caf\xe9_x"))
    before = _digest(path)
    with pytest.raises(StoreError, match="not a readiness store") as raised:
        open_store(f"sqlite:///{path}")
    assert str(path) in str(raised.value)
    assert _digest(path) == before


def test_an_empty_sqlite_file_becomes_a_store(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    sqlite3.connect(path).close()
    with open_store(f"sqlite:///{path}") as store:
        assert store.list_assessments() == []


@pytest.mark.parametrize(
    "url",
    [
        "postgresql+psycopg://user@localhost:abc/readiness",
        "postgresql+psycopg://user@localhost:99999999/readiness",
        "not a url",
    ],
)
def test_a_malformed_database_url_is_one_clear_line(url: str) -> None:
    with pytest.raises(StoreError) as raised:
        open_store(url)
    message = str(raised.value)
    assert "\n" not in message
    assert "READINESS_DATABASE_URL" in message
