"""Assessment identity and history (schema version 3 before Alembic).

``assessments.version`` (the current version, 1 for existing rows), ``assessment_versions``
(every saved version of an assessment, backfilled with version 1 from each existing row),
``submissions`` (every draft id consumed by a save, with the assessment and version it made;
backfilled from ``assessments.submission_id``) and ``drafts.assessment_id`` (the saved assessment
a draft edits, NULL for a new one). On SQLite the assessments table is rebuilt with
``AUTOINCREMENT``: a deleted assessment's id is never given to another (PostgreSQL's sequences
never reuse one anyway).

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import Column, Date, DateTime, Float, Integer, MetaData, String, Table, Text, text
from sqlalchemy.engine import Connection

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _never_reuse_sqlite_ids(connection: Connection) -> None:
    """Rebuild SQLite's assessments table with AUTOINCREMENT, so that the id of a deleted
    assessment is never given to another one (a bookmarked ``?assessment=N`` must not open a
    stranger's). SQLite's documented way: create the new table, copy, drop, rename."""
    metadata = MetaData()
    Table(
        "assessments_rebuilt",
        metadata,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("organization", String(200), nullable=False),
        Column("division", String(200), nullable=True),
        Column("sector", String(20), nullable=True),
        Column("size", String(20), nullable=True),
        Column("assessed_on", Date, nullable=False),
        Column("questionnaire_version", String(50), nullable=False),
        Column("answers_json", Text, nullable=False),
        Column("scores_json", Text, nullable=False),
        Column("overall", Float, nullable=True),
        Column("stage_level", Integer, nullable=True),
        Column("stage_name", String(100), nullable=True),
        Column("created_at", DateTime, nullable=False),
        Column("submission_id", String(200), nullable=True),
        Column("updated_at", DateTime, nullable=True),
        sqlite_autoincrement=True,
    )
    metadata.create_all(connection)
    columns = (
        "id, organization, division, sector, size, assessed_on, questionnaire_version, "
        "answers_json, scores_json, overall, stage_level, stage_name, created_at, "
        "submission_id, updated_at"
    )
    connection.execute(
        text(f"INSERT INTO assessments_rebuilt ({columns}) SELECT {columns} FROM assessments")
    )
    connection.execute(text("DROP TABLE assessments"))
    connection.execute(text("ALTER TABLE assessments_rebuilt RENAME TO assessments"))
    connection.execute(
        text("CREATE INDEX ix_assessments_organization ON assessments (organization)")
    )
    connection.execute(
        text("CREATE UNIQUE INDEX ix_assessments_submission_id ON assessments (submission_id)")
    )


def upgrade() -> None:
    connection = op.get_bind()
    if connection.dialect.name == "sqlite":
        _never_reuse_sqlite_ids(connection)
    connection.execute(text("ALTER TABLE assessments ADD COLUMN version INTEGER"))
    connection.execute(text("UPDATE assessments SET version = 1"))
    connection.execute(text("ALTER TABLE drafts ADD COLUMN assessment_id INTEGER"))
    metadata = MetaData()
    Table(
        "assessment_versions",
        metadata,
        Column("assessment_id", Integer, primary_key=True, autoincrement=False),
        Column("version", Integer, primary_key=True, autoincrement=False),
        Column("organization", String(200), nullable=False),
        Column("division", String(200), nullable=True),
        Column("sector", String(20), nullable=True),
        Column("size", String(20), nullable=True),
        Column("assessed_on", Date, nullable=False),
        Column("questionnaire_version", String(50), nullable=False),
        Column("answers_json", Text, nullable=False),
        Column("scores_json", Text, nullable=False),
        Column("overall", Float, nullable=True),
        Column("stage_level", Integer, nullable=True),
        Column("stage_name", String(100), nullable=True),
        Column("saved_at", DateTime, nullable=False),
        Column("submission_id", String(200), nullable=True),
    )
    Table(
        "submissions",
        metadata,
        Column("id", String(200), primary_key=True),
        Column("assessment_id", Integer, nullable=False, index=True),
        Column("version", Integer, nullable=False),
        Column("saved_at", DateTime, nullable=False),
    )
    metadata.create_all(connection)
    connection.execute(
        text(
            "INSERT INTO assessment_versions (assessment_id, version, organization, division, "
            "sector, size, assessed_on, questionnaire_version, answers_json, scores_json, "
            "overall, stage_level, stage_name, saved_at, submission_id) "
            "SELECT id, 1, organization, division, sector, size, assessed_on, "
            "questionnaire_version, answers_json, scores_json, overall, stage_level, stage_name, "
            "COALESCE(updated_at, created_at), submission_id FROM assessments"
        )
    )
    connection.execute(
        text(
            "INSERT INTO submissions (id, assessment_id, version, saved_at) "
            "SELECT submission_id, id, 1, COALESCE(updated_at, created_at) FROM assessments "
            "WHERE submission_id IS NOT NULL"
        )
    )


def downgrade() -> None:
    raise NotImplementedError("readiness does not downgrade a store; restore a backup instead")
