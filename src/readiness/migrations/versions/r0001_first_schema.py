"""The first schema: assessments and drafts (schema version 1 before Alembic).

``assessments``: profile, date, questionnaire version, answers and scores as JSON text, overall
score and stage for listing. ``drafts``: answers in progress, keyed by a draft id.

Revision ID: 0001
Revises: none
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import Column, Date, DateTime, Float, Integer, MetaData, String, Table, Text

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    metadata = MetaData()
    Table(
        "assessments",
        metadata,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("organization", String(200), nullable=False, index=True),
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
    )
    Table(
        "drafts",
        metadata,
        Column("id", String(200), primary_key=True),
        Column("profile_json", Text, nullable=True),
        Column("answers_json", Text, nullable=False),
        Column("updated_at", DateTime, nullable=False),
    )
    metadata.create_all(op.get_bind())


def downgrade() -> None:
    raise NotImplementedError("readiness does not downgrade a store; restore a backup instead")
