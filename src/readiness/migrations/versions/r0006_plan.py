"""The plan kept with each assessment.

``plan_json`` of ``assessments``, ``assessment_versions`` and ``drafts``: the assessment's plan
of dated actions, the measured effects kept for their kinds and the survey waves that follow it
up, as JSON (:class:`readiness.plan.model.Plan`, as :func:`readiness.assessment.plan_json`
writes it); NULL (every existing row) means no plan.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import Column, Text

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("assessments", Column("plan_json", Text, nullable=True))
    op.add_column("assessment_versions", Column("plan_json", Text, nullable=True))
    op.add_column("drafts", Column("plan_json", Text, nullable=True))


def downgrade() -> None:
    raise NotImplementedError("readiness does not downgrade a store; restore a backup instead")
