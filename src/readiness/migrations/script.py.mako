"""${message}

Revision ID: ${up_revision}
Revises: ${down_revision | comma,n}
Create Date: ${create_date}

See the docstring of readiness.migrations.versions: only add, never edit a released revision.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = ${repr(up_revision)}
down_revision = ${repr(down_revision)}
branch_labels = None
depends_on = None


def upgrade() -> None:
    # One connection (op.get_bind()), inside the upgrade's single transaction: SQLite and PostgreSQL.
    ${upgrades if upgrades else "raise NotImplementedError('write the upgrade')"}


def downgrade() -> None:
    raise NotImplementedError("readiness does not downgrade a store; restore a backup instead")
