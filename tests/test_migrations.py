"""The versioned schema: new databases, upgrades from schema 1, databases from the future."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable

import pytest
from sqlalchemy import inspect, text

from readiness.assessment import Assessment
from readiness.errors import StoreError
from readiness.migrations import LATEST, SCHEMA_VERSION_TABLE, current_version, migrate
from readiness.questionnaire import load_questionnaire
from readiness.rules import load_rulebook
from readiness.scoring import score_assessment
from readiness.store import create_store_engine, open_store

pytest_plugins = ("store_fixtures",)


def test_a_new_database_gets_every_migration_in_order(database_url: str) -> None:
    engine = create_store_engine(database_url)
    assert migrate(engine) == list(range(1, LATEST + 1))
    with engine.connect() as connection:
        assert current_version(connection) == LATEST
        columns = {c["name"] for c in inspect(connection).get_columns("assessments")}
    assert {"submission_id", "updated_at", "answers_json", "scores_json"} <= columns
    engine.dispose()


def test_migrating_an_up_to_date_database_applies_nothing(database_url: str) -> None:
    engine = create_store_engine(database_url)
    migrate(engine)
    assert migrate(engine) == []
    engine.dispose()


def test_upgrading_a_first_schema_database_keeps_its_assessments_and_drafts(
    database_url: str, make_assessment: Callable[..., Assessment]
) -> None:
    engine = create_store_engine(database_url)
    assert migrate(engine, target=1) == [1]
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
            assert current_version(connection) == LATEST


def _scores_json(assessment: Assessment) -> dict[str, object]:
    scores = score_assessment(load_questionnaire(), load_rulebook(), assessment.answers)
    return scores.model_dump(mode="json")


def test_a_database_from_a_newer_readiness_is_refused_with_a_clear_message(
    sqlite_url: str,
) -> None:
    engine = create_store_engine(sqlite_url)
    migrate(engine)
    with engine.begin() as connection:
        connection.execute(
            text(
                f"INSERT INTO {SCHEMA_VERSION_TABLE} (version, description, applied_at) "
                "VALUES (99, 'from the future', '2030-01-01 00:00:00')"
            )
        )
    engine.dispose()
    with pytest.raises(StoreError, match="schema version 99, newer than this readiness"):
        open_store(sqlite_url)


def test_upgrading_a_second_schema_database_backfills_versions_and_submissions(
    database_url: str, make_assessment: Callable[..., Assessment]
) -> None:
    engine = create_store_engine(database_url)
    assert migrate(engine, target=2) == [1, 2]
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
