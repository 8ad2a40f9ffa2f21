"""The versioned schema (Alembic): new databases, upgrades from each revision, databases from the
future, and the revision files themselves."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from readiness import migrations
from readiness.assessment import Assessment
from readiness.errors import StoreError
from readiness.migrations import (
    LEGACY_VERSION_TABLE,
    head_revision,
    revisions,
    schema_state,
    upgrade,
)
from readiness.questionnaire import load_questionnaire
from readiness.rules import load_rulebook
from readiness.scoring import score_assessment
from readiness.store import create_store_engine, open_store

STORE_TABLES = {"assessments", "drafts", "assessment_versions", "submissions", "audit_log"}


def test_a_new_database_gets_every_revision_in_order(database_url: str) -> None:
    engine = create_store_engine(database_url)
    assert upgrade(engine) == revisions() == ["0001", "0002", "0003", "0004", "0005", "0006"]
    with engine.connect() as connection:
        state = schema_state(connection)
        assert (state.revision, state.legacy_version) == (head_revision(), None)
        assert state.up_to_date
        tables = set(inspect(connection).get_table_names())
        versions = connection.execute(text("SELECT version_num FROM alembic_version")).all()
    assert tables == {*STORE_TABLES, "alembic_version"}  # no schema_version on a new database
    assert [row[0] for row in versions] == [head_revision()]
    engine.dispose()


def test_upgrading_an_up_to_date_database_applies_nothing(database_url: str) -> None:
    engine = create_store_engine(database_url)
    upgrade(engine)
    assert upgrade(engine) == []
    engine.dispose()


def test_upgrading_a_first_schema_database_keeps_its_assessments_and_drafts(
    database_url: str, make_assessment: Callable[..., Assessment]
) -> None:
    engine = create_store_engine(database_url)
    assert upgrade(engine, "0001") == ["0001"]
    assessment = make_assessment(organization="Old Org", division=None)
    created = dt.datetime(2025, 1, 2, 3, 4, 5)
    with engine.begin() as connection:
        # A row exactly as version 1 of readiness wrote it (no submission_id, no updated_at).
        connection.execute(
            text(
                "INSERT INTO assessments (organization, division, sector, size, assessed_on, "
                "questionnaire_version, answers_json, scores_json, overall, stage_level, "
                "stage_name, created_at) VALUES (:org, NULL, 'private', '250-999', :day, :version, "
                ":answers, :scores, NULL, NULL, NULL, :created)"
            ),
            {
                "org": "Old Org",
                "day": assessment.assessed_on,
                "version": assessment.questionnaire_version,
                "answers": json.dumps(assessment.answers),
                "scores": json.dumps(_scores_json(assessment)),
                "created": created,
            },
        )
        connection.execute(
            text(
                "INSERT INTO drafts (id, profile_json, answers_json, updated_at) "
                "VALUES ('old-draft', NULL, '{\"gr_self_start\": 3}', :created)"
            ),
            {"created": created},
        )
    engine.dispose()

    with open_store(database_url) as store:
        [summary] = store.list_assessments()
        stored = store.get_assessment(summary.id)
        assert stored.assessment == assessment
        assert stored.submission_id is None
        assert stored.updated_at == created.replace(tzinfo=dt.UTC)
        draft = store.load_draft("old-draft")
        assert draft is not None
        assert draft.answers == {"gr_self_start": 3}
        # The upgraded database works like a new one.
        new_id = store.save_assessment(assessment, "after-upgrade")
        assert store.save_assessment(assessment, "after-upgrade") == new_id
        with store.engine.connect() as connection:
            assert schema_state(connection).revision == head_revision()


def _scores_json(assessment: Assessment) -> dict[str, object]:
    scores = score_assessment(load_questionnaire(), load_rulebook(), assessment.answers)
    return scores.model_dump(mode="json")


def test_upgrading_a_second_schema_database_backfills_versions_and_submissions(
    database_url: str, make_assessment: Callable[..., Assessment]
) -> None:
    engine = create_store_engine(database_url)
    assert upgrade(engine, "0002") == ["0001", "0002"]
    assessment = make_assessment(organization="Two Org", division=None)
    created = dt.datetime(2026, 1, 2, 3, 4, 5)
    with engine.begin() as connection:
        for submission in ("s-1", "s-2"):
            connection.execute(
                text(
                    "INSERT INTO assessments (organization, division, sector, size, assessed_on,"
                    " questionnaire_version, answers_json, scores_json, overall, stage_level,"
                    " stage_name, created_at, submission_id, updated_at) VALUES (:org, NULL,"
                    " 'private', '250-999', :day, :version, :answers, :scores, NULL, NULL, NULL,"
                    " :created, :submission, :created)"
                ),
                {
                    "org": "Two Org",
                    "day": assessment.assessed_on,
                    "version": assessment.questionnaire_version,
                    "answers": json.dumps(assessment.answers),
                    "scores": json.dumps(_scores_json(assessment)),
                    "created": created,
                    "submission": submission,
                },
            )
    engine.dispose()

    with open_store(database_url) as store:
        ids = sorted(s.id for s in store.list_assessments())
        assert [s.version for s in store.list_assessments()] == [1, 1]
        for number in ids:
            [version] = store.versions(number)
            assert version.assessment == assessment
            assert version.saved_at == created.replace(tzinfo=dt.UTC)
        found = store.find_submission("s-2")
        assert found is not None
        assert found.id == ids[1]
        # the newest id, once deleted, is never given to another assessment
        store.delete_assessment(ids[1])
        assert store.save_assessment(assessment, "s-3") > ids[1]


def test_a_database_from_a_newer_readiness_is_refused_with_a_clear_message(
    database_url: str,
) -> None:
    engine = create_store_engine(database_url)
    upgrade(engine)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0099'"))
    engine.dispose()
    with pytest.raises(StoreError, match="revision 0099, which this readiness does not know") as e:
        open_store(database_url)
    assert "\n" not in str(e.value)
    assert "upgrade readiness" in str(e.value)


def test_a_database_of_a_newer_hand_made_schema_version_is_refused(sqlite_url: str) -> None:
    engine = create_store_engine(sqlite_url)
    with engine.begin() as connection:
        connection.execute(
            text(
                f"CREATE TABLE {LEGACY_VERSION_TABLE} (version INTEGER PRIMARY KEY, "
                "description VARCHAR(200) NOT NULL, applied_at DATETIME NOT NULL)"
            )
        )
        connection.execute(
            text(
                f"INSERT INTO {LEGACY_VERSION_TABLE} VALUES "
                "(99, 'from the future', '2030-01-01 00:00:00')"
            )
        )
    engine.dispose()
    with pytest.raises(StoreError, match="schema version 99, newer than this readiness"):
        open_store(sqlite_url)
    engine = create_store_engine(sqlite_url)
    with engine.connect() as connection:  # refused before anything was written
        assert set(inspect(connection).get_table_names()) == {LEGACY_VERSION_TABLE}
    engine.dispose()


def test_the_revisions_form_one_line_with_ids_in_their_file_names() -> None:
    files = sorted(
        path
        for path in (migrations.SCRIPT_LOCATION / "versions").glob("r*.py")
        if path.name != "__init__.py"
    )
    loaded = [_load(path) for path in files]
    assert [module.revision for module in loaded] == revisions()
    assert [module.down_revision for module in loaded] == [None, *revisions()[:-1]]
    for path, module in zip(files, loaded, strict=True):
        assert path.name.startswith(f"r{module.revision}_"), path.name
    assert set(migrations.LEGACY_REVISIONS.values()) <= set(revisions())


def test_the_documented_command_writes_the_next_revision_file(tmp_path: Path) -> None:
    # `python -m readiness.migrations new ...` on a copy of the package, so its versions/ stays.
    source = tmp_path / "src"
    shutil.copytree(
        migrations.SCRIPT_LOCATION.parent,
        source / "readiness",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    done = subprocess.run(
        [sys.executable, "-m", "readiness.migrations", "new", "audit trail"],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(source)},
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    next_id = f"{int(head_revision()) + 1:04d}"
    written = source / "readiness" / "migrations" / "versions" / f"r{next_id}_audit_trail.py"
    assert f"wrote revision {next_id}: {written}" in done.stdout
    module = _load(written)
    assert (module.revision, module.down_revision) == (next_id, head_revision())
    with pytest.raises(NotImplementedError):
        module.upgrade()  # until someone writes it


def _load(path: Path) -> object:
    spec = importlib.util.spec_from_file_location(f"revision_{path.stem}", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
