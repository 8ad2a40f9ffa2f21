"""The audit log and soft delete: what each action records, and deletion kept 30 days.

Runs on SQLite and PostgreSQL; the store's clock is injected, so "31 days later" is a test.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import inspect, text
from store_fixtures import sample_assessment

from readiness.access import OPERATOR, Role, User
from readiness.assessment import Profile
from readiness.cli import main
from readiness.export import export_json
from readiness.migrations import upgrade
from readiness.store import (
    DELETED_KEPT_DAYS,
    AssessmentNotFoundError,
    AuditEntry,
    Store,
    create_store_engine,
    open_store,
)

START = dt.datetime(2026, 11, 2, 9, 30, tzinfo=dt.UTC)
ANN = User("ann@example.com", "Ann", Role.assessor, frozenset({"Acme Ltd"}))
ADA = User("ada@example.com", "Ada", Role.admin, None)


class Clock:
    """A settable UTC clock for the store."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock(START)


@pytest.fixture
def timed(database_url: str, clock: Clock) -> Iterator[Store]:
    """A store on a fresh database whose clock is :func:`clock`."""
    with open_store(database_url) as opened:
        yield Store(opened.engine, opened.questionnaire, opened.rulebook, clock=clock)


def rows(entries: list[AuditEntry]) -> list[tuple[object, ...]]:
    """The log oldest first, as (actor, role, action, assessment, organization, detail)."""
    return [
        (e.actor, e.role, e.action, e.assessment_id, e.organization, e.detail)
        for e in reversed(entries)
    ]


# --- the audit log --------------------------------------------------------------------------------


def test_every_change_and_export_is_recorded_with_who_when_what_and_where(
    timed: Store, clock: Clock
) -> None:
    ann, ada = timed.acting_as(ANN), timed.acting_as(ADA)
    first = ann.save_submission(sample_assessment(division="Sales"), "d1")
    clock.advance(minutes=1)
    ann.save_submission(sample_assessment(division="Sales", seed=2), "d2", edits=first.id)
    ann.update_answers(first.id, {"su_sponsor": 1, "gr_projects": 3.0})
    ann.restore_version(first.id, 1, "r1")
    ann.record_export("CSV", [first.id, first.id])  # one row per assessment
    [imported] = ada.import_assessments([sample_assessment("Globex", None, seed=4)])
    clock.advance(minutes=1)
    ada.delete_assessment(imported.id)
    ada.restore_deleted(imported.id)
    ada.delete_assessment(imported.id)
    ada.purge(imported.id)

    log = timed.audit_log()
    oldest_first = list(reversed(log))
    assert [(e.actor, e.role) for e in oldest_first] == [(ANN.id, "assessor")] * 5 + [
        (ADA.id, "admin")
    ] * 5
    acme, globex = (first.id, "Acme Ltd"), (imported.id, "Globex")
    assert [(e.action, (e.assessment_id, e.organization)) for e in oldest_first] == [
        ("save", acme),
        ("edit", acme),
        ("edit", acme),
        ("restore version", acme),
        ("export", acme),
        ("import", globex),
        ("delete", globex),
        ("restore deleted", globex),
        ("delete", globex),
        ("purge", globex),
    ]
    assert [e.detail for e in oldest_first] == [
        "version 1 of Sales, assessed on 2026-03-31",
        "version 2 of Sales, assessed on 2026-03-31",
        "version 3: answers gr_projects, su_sponsor changed",
        "version 1 made current again",
        "CSV",
        "version 1 of the whole organization, assessed on 2026-03-31",
        "restorable until 2026-12-02",
        "deleted 2026-11-02 09:32 UTC",
        "restorable until 2026-12-02",
        "deleted 2026-11-02 09:32 UTC, purged by hand",
    ]
    minutes = [0, 1, 1, 1, 1, 1, 2, 2, 2, 2]
    assert [e.at for e in oldest_first] == [START + dt.timedelta(minutes=m) for m in minutes]
    assert all(e.at.tzinfo == dt.UTC for e in log)
    assert [e.id for e in log] == sorted((e.id for e in log), reverse=True)  # newest first
    assert timed.audit_log(limit=2) == log[:2]
    assert {e.assessment_id for e in timed.audit_log(assessment_id=first.id)} == {first.id}


def test_a_repeated_save_or_a_refused_action_records_nothing(timed: Store) -> None:
    ann = timed.acting_as(ANN)
    ann.save_submission(sample_assessment(), "once")
    again = ann.save_submission(sample_assessment(), "once")
    assert again.repeated
    other = timed.save_submission(sample_assessment("Globex"), "globex")
    with pytest.raises(AssessmentNotFoundError):
        ann.record_export("JSON", [other.id - 1, other.id])  # the second is not Ann's
    assert [e.action for e in timed.audit_log()] == ["save", "save"]  # Ann's and the operator's


def test_the_operator_is_recorded_as_operator(timed: Store) -> None:
    saved = timed.save_submission(sample_assessment(), "s")
    [entry] = timed.audit_log()
    assert (entry.actor, entry.role, entry.assessment_id) == ("operator", "admin", saved.id)
    assert timed.user is OPERATOR


def test_a_long_detail_is_cut_to_a_short_one(timed: Store) -> None:
    saved = timed.save_submission(sample_assessment(), "s")
    timed.record_export("x" * 5000, [saved.id])
    assert len(timed.audit_log(limit=1)[0].detail) == 500


# --- soft delete ----------------------------------------------------------------------------------


def test_a_deleted_assessment_vanishes_from_every_read_and_comes_back_whole(
    timed: Store, clock: Clock
) -> None:
    kept = timed.save_submission(sample_assessment(division="IT", seed=1), "kept")
    gone = timed.save_submission(sample_assessment(division="Sales"), "gone")
    timed.save_submission(sample_assessment(division="Sales", seed=3), "gone-2", edits=gone.id)
    before = timed.get_assessment(gone.id)
    clock.advance(days=1)
    timed.delete_assessment(gone.id)

    assert [s.id for s in timed.list_assessments()] == [kept.id]
    assert timed.divisions("Acme Ltd") == ["IT"]
    assert list(timed.history("Acme Ltd")["division"]) == ["IT"]
    assert timed.versions(gone.id) == []
    assert timed.find_submission("gone") is None
    with pytest.raises(AssessmentNotFoundError, match=f"no assessment with id {gone.id}$"):
        timed.get_assessment(gone.id)
    with pytest.raises(AssessmentNotFoundError):
        timed.delete_assessment(gone.id)  # already deleted
    with pytest.raises(AssessmentNotFoundError):
        timed.record_export("CSV", [gone.id])
    [listed] = timed.deleted_assessments()
    assert (listed.id, listed.deleted_at) == (gone.id, START + dt.timedelta(days=1))

    clock.advance(days=DELETED_KEPT_DAYS - 1)  # the last day it is kept
    timed.restore_deleted(gone.id)
    after = timed.get_assessment(gone.id)
    assert (after.assessment, after.version, after.scores) == (
        before.assessment,
        before.version,
        before.scores,
    )
    assert [v.version for v in timed.versions(gone.id)] == [2, 1]
    assert timed.deleted_assessments() == []
    with pytest.raises(AssessmentNotFoundError, match=f"no deleted assessment with id {gone.id}"):
        timed.restore_deleted(gone.id)


def test_after_the_kept_days_a_deleted_assessment_is_purged_and_its_id_never_reused(
    timed: Store, clock: Clock
) -> None:
    old = timed.save_submission(sample_assessment(), "old")
    recent = timed.save_submission(sample_assessment(seed=1), "recent")
    timed.delete_assessment(old.id)
    clock.advance(days=10)
    timed.delete_assessment(recent.id)
    clock.advance(days=DELETED_KEPT_DAYS - 10, seconds=1)  # old: just over 30 days

    with pytest.raises(AssessmentNotFoundError, match="more than 30 days ago"):
        timed.restore_deleted(old.id)
    assert [s.id for s in timed.deleted_assessments()] == [recent.id]  # old is no longer offered
    assert timed.purge_expired() == [old.id]
    assert [s.id for s in timed.deleted_assessments()] == [recent.id]
    assert timed.purge_expired() == []
    [purged] = rows(timed.audit_log(limit=1))
    assert purged == (
        "operator",
        "admin",
        "purge",
        old.id,
        "Acme Ltd",
        "deleted 2026-11-02 09:30 UTC, kept 30 days",
    )
    timed.purge(recent.id)
    assert timed.deleted_assessments() == []
    with pytest.raises(AssessmentNotFoundError):
        timed.purge(recent.id)
    newest = timed.save_submission(sample_assessment(seed=2), "new")
    assert newest.id > recent.id  # a purged id is never given to another assessment
    # the submission ids of purged assessments can be saved again, as new assessments
    again = timed.save_submission(sample_assessment(), "old")
    assert not again.repeated
    assert again.id > newest.id


def test_purge_only_takes_a_deleted_assessment(timed: Store) -> None:
    live = timed.save_submission(sample_assessment(), "live")
    with pytest.raises(AssessmentNotFoundError, match="no deleted assessment"):
        timed.purge(live.id)
    assert [s.id for s in timed.list_assessments()] == [live.id]


def test_saving_a_deleted_assessments_submission_again_makes_a_new_one(timed: Store) -> None:
    first = timed.save_submission(sample_assessment(), "import-abc")
    timed.delete_assessment(first.id)
    second = timed.save_submission(sample_assessment(), "import-abc")
    assert not second.repeated
    assert second.id != first.id
    found = timed.find_submission("import-abc")
    assert found is not None
    assert (found.id, found.version) == (second.id, second.version)


def test_a_draft_editing_a_deleted_assessment_keeps_its_answers_and_edits_nothing(
    timed: Store,
) -> None:
    saved = timed.save_submission(sample_assessment(), "s")
    timed.save_draft("e", Profile(organization="Acme Ltd"), {"su_sponsor": 3}, edits=saved.id)
    timed.delete_assessment(saved.id)
    draft = timed.load_draft("e")
    assert draft is not None
    assert (draft.answers, draft.edits) == ({"su_sponsor": 3}, None)
    with pytest.raises(AssessmentNotFoundError):
        timed.save_submission(sample_assessment(), "e2", edits=saved.id)
    with pytest.raises(AssessmentNotFoundError):
        timed.update_answers(saved.id, {"su_sponsor": 1})


def test_opening_the_store_purges_what_was_deleted_more_than_30_days_ago(
    database_url: str,
) -> None:
    long_ago = dt.datetime.now(dt.UTC) - dt.timedelta(days=DELETED_KEPT_DAYS + 1)
    with open_store(database_url) as opened:
        then = Store(opened.engine, clock=lambda: long_ago)
        expired = then.save_submission(sample_assessment(), "expired")
        then.delete_assessment(expired.id)
        recent = opened.save_submission(sample_assessment(seed=1), "recent")
        opened.delete_assessment(recent.id)
    with open_store(database_url) as reopened:
        assert [s.id for s in reopened.deleted_assessments()] == [recent.id]
        assert reopened.audit_log(limit=1)[0].action == "purge"


# --- the schema revision -------------------------------------------------------------------------


def test_the_revision_keeps_existing_assessments_live_and_adds_an_empty_log(
    database_url: str,
) -> None:
    engine = create_store_engine(database_url)
    upgrade(engine, target="0003")  # a store as it was before the audit log
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO assessments (organization, assessed_on, questionnaire_version, "
                "answers_json, scores_json, created_at, updated_at, version) VALUES "
                "('Acme Ltd', '2026-01-31', '1', '{}', :scores, '2026-02-01', '2026-02-01', 1)"
            ),
            {"scores": json.dumps({"dimensions": [], "overall": None})},
        )
    assert upgrade(engine, target="0004") == ["0004"]
    with engine.connect() as connection:
        columns = {c["name"] for c in inspect(connection).get_columns("assessments")}
        assert "deleted_at" in columns
        assert connection.execute(text("SELECT deleted_at FROM assessments")).all() == [(None,)]
        assert connection.execute(text("SELECT count(*) FROM audit_log")).scalar_one() == 0
    engine.dispose()


# --- the command line -----------------------------------------------------------------------------


@pytest.fixture
def configured(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("READINESS_DATABASE_URL", sqlite_url)
    return sqlite_url


def test_the_command_line_deletes_restores_purges_and_lists_the_log_as_the_operator(
    configured: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with open_store(configured) as store:
        saved = store.save_submission(sample_assessment(), "s")
        exported = tmp_path / "export.json"
        exported.write_text(export_json(store.get_assessment(saved.id)), encoding="utf-8")
    assert main(["assessments", "export", str(saved.id), "--format", "csv"]) == 0
    assert main(["assessments", "report", str(saved.id), "--output", str(tmp_path / "r.html")]) == 0
    assert main(["assessments", "delete", str(saved.id), "--yes"]) == 0
    assert f"assessments restore {saved.id}" in capsys.readouterr().err
    assert main(["assessments", "deleted", "--format", "json"]) == 0
    [deleted] = json.loads(capsys.readouterr().out)
    assert deleted["id"] == saved.id
    purge_after = dt.datetime.fromisoformat(deleted["purged_after"])
    assert purge_after - dt.datetime.fromisoformat(deleted["deleted_at"]) == dt.timedelta(days=30)
    assert main(["assessments", "restore", str(saved.id)]) == 0
    assert main(["assessments", "delete", str(saved.id), "--yes"]) == 0
    assert main(["assessments", "purge", str(saved.id)]) == 2
    assert "add --yes to confirm" in capsys.readouterr().err
    assert main(["assessments", "purge", str(saved.id), "--yes"]) == 0
    assert main(["assessments", "purge", "--expired"]) == 0
    assert main(["assessments", "import", str(exported)]) == 0
    capsys.readouterr()

    assert main(["assessments", "audit", "--format", "json"]) == 0
    log = json.loads(capsys.readouterr().out)
    assert [(e["action"], e["actor"], e["role"]) for e in reversed(log)] == [
        ("save", "operator", "admin"),
        ("export", "operator", "admin"),
        ("export", "operator", "admin"),
        ("delete", "operator", "admin"),
        ("restore deleted", "operator", "admin"),
        ("delete", "operator", "admin"),
        ("purge", "operator", "admin"),
        ("import", "operator", "admin"),
    ]
    assert [e["detail"] for e in reversed(log)][1:3] == [
        "CSV (command line)",
        "HTML report (command line)",
    ]
    assert dt.datetime.fromisoformat(log[0]["at"]).tzinfo is not None
    assert main(["assessments", "audit", "--limit", "1"]) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0].split()[:3] == ["at", "(UTC)", "who"]
    assert len(table) == 2
    assert "import" in table[1]


def test_the_command_line_says_it_acts_as_the_local_operator(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "local operator, admin of every organization" in " ".join(
        capsys.readouterr().out.split()
    )


def test_a_missing_store_has_an_empty_log_and_nothing_deleted(
    configured: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["assessments", "audit", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    assert main(["assessments", "deleted", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    assert main(["assessments", "restore", "3"]) == 2
    with pytest.raises(SystemExit) as refused:
        main(["assessments", "audit", "--limit", "0"])
    assert refused.value.code == 2
    assert "argument --limit: '0' is not a whole number from 1 to" in capsys.readouterr().err


def test_concurrent_deletes_of_one_assessment_delete_it_once(timed: Store) -> None:
    saved = timed.save_submission(sample_assessment(), "s")
    outcomes: list[str] = []
    barrier = threading.Barrier(6)

    def delete() -> None:
        barrier.wait()
        try:
            timed.delete_assessment(saved.id)
            outcomes.append("deleted")
        except AssessmentNotFoundError:
            outcomes.append("not found")

    threads = [threading.Thread(target=delete) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["deleted"] + ["not found"] * 5
    assert [e.action for e in timed.audit_log()] == ["delete", "save"]
