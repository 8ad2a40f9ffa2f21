"""The store's tables as the code uses them (made by the revisions in
:mod:`readiness.migrations.versions`; a change here needs a revision there)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column, Date, DateTime, Float, Integer, MetaData, String, Table, Text

_metadata = MetaData()


def _assessment_content() -> list[Column[Any]]:
    """What an assessment and each of its saved versions hold: profile, answers, the lever
    mapping choice, the plan and scores."""
    return [
        Column("organization", String(200), nullable=False),
        Column("division", String(200)),
        Column("sector", String(20)),
        Column("size", String(20)),
        Column("assessed_on", Date, nullable=False),
        Column("questionnaire_version", String(50), nullable=False),
        Column("answers_json", Text, nullable=False),
        Column("scores_json", Text, nullable=False),
        Column("mapping_choice_json", Text),
        Column("plan_json", Text),
        Column("overall", Float),
        Column("stage_level", Integer),
        Column("stage_name", String(100)),
    ]


assessments_table = Table(
    "assessments",
    _metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    *_assessment_content(),
    Column("created_at", DateTime, nullable=False),
    Column("submission_id", String(200)),
    Column("updated_at", DateTime),
    Column("version", Integer),
    Column("deleted_at", DateTime),
)


drafts_table = Table(
    "drafts",
    _metadata,
    Column("id", String(200), primary_key=True),
    Column("profile_json", Text),
    Column("answers_json", Text, nullable=False),
    Column("updated_at", DateTime, nullable=False),
    Column("assessment_id", Integer),
    Column("mapping_choice_json", Text),
    Column("plan_json", Text),
)


versions_table = Table(
    "assessment_versions",
    _metadata,
    Column("assessment_id", Integer, primary_key=True),
    Column("version", Integer, primary_key=True),
    *_assessment_content(),
    Column("saved_at", DateTime, nullable=False),
    Column("submission_id", String(200)),
)


audit_table = Table(
    "audit_log",
    _metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime, nullable=False),
    Column("actor", String(320), nullable=False),
    Column("role", String(20), nullable=False),
    Column("action", String(30), nullable=False),
    Column("assessment_id", Integer),
    Column("organization", String(200)),
    Column("detail", Text, nullable=False),
)


submissions_table = Table(
    "submissions",
    _metadata,
    Column("id", String(200), primary_key=True),
    Column("assessment_id", Integer, nullable=False),
    Column("version", Integer, nullable=False),
    Column("saved_at", DateTime, nullable=False),
)
