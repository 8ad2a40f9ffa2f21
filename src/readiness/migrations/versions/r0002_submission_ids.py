"""Submission ids (a repeated submit stores one row) and an update time on assessments
(schema version 2 before Alembic).

``assessments.submission_id`` (unique) and ``assessments.updated_at`` (backfilled from
``created_at``).

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import DateTime, text

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    connection = op.get_bind()
    timestamp = DateTime().compile(dialect=connection.dialect)
    connection.execute(text("ALTER TABLE assessments ADD COLUMN submission_id VARCHAR(200)"))
    connection.execute(text(f"ALTER TABLE assessments ADD COLUMN updated_at {timestamp}"))
    connection.execute(text("UPDATE assessments SET updated_at = created_at"))
    # A unique index allows many NULLs (rows saved before this revision) on SQLite and PostgreSQL.
    connection.execute(
        text("CREATE UNIQUE INDEX ix_assessments_submission_id ON assessments (submission_id)")
    )


def downgrade() -> None:
    raise NotImplementedError("readiness does not downgrade a store; restore a backup instead")
