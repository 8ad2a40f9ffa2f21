"""Audit log and soft delete.

``assessments.deleted_at``: NULL for a live assessment, else the UTC time it was deleted (the row
is kept, hidden from every read, for 30 days, so an admin can restore it; existing rows stay
live). ``audit_log``: one row per save, edit, restore, delete, undelete, purge, import or export,
with the UTC time, who (id and role), the action, the assessment and its organization, and a
short detail; ``assessment_id`` is kept after a purge (it is never given to another assessment).

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import Column, DateTime, Integer, String, Text

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("assessments", Column("deleted_at", DateTime, nullable=True))
    op.create_index("ix_assessments_deleted_at", "assessments", ["deleted_at"])
    op.create_table(
        "audit_log",
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("at", DateTime, nullable=False),
        Column("actor", String(320), nullable=False),
        Column("role", String(20), nullable=False),
        Column("action", String(30), nullable=False),
        Column("assessment_id", Integer, nullable=True),
        Column("organization", String(200), nullable=True),
        Column("detail", Text, nullable=False),
    )
    op.create_index("ix_audit_log_at", "audit_log", ["at"])
    op.create_index("ix_audit_log_assessment_id", "audit_log", ["assessment_id"])


def downgrade() -> None:
    raise NotImplementedError("readiness does not downgrade a store; restore a backup instead")
