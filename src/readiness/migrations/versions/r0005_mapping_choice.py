"""The lever mapping choice kept with each assessment.

``mapping_choice_json`` of ``assessments``, ``assessment_versions`` and ``drafts``: the lever
mapping in use, the division-name map and the calibrated mapping when one was offered, as JSON
(:class:`readiness.evidence.choice.MappingChoice`); NULL (every existing row) means the assumed
mapping of ``data/levers.yaml``.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import Column, Text

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("assessments", Column("mapping_choice_json", Text, nullable=True))
    op.add_column("assessment_versions", Column("mapping_choice_json", Text, nullable=True))
    op.add_column("drafts", Column("mapping_choice_json", Text, nullable=True))


def downgrade() -> None:
    raise NotImplementedError("readiness does not downgrade a store; restore a backup instead")
