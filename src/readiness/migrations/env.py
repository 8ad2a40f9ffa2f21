"""Alembic's environment for the store: run the revisions on the connection readiness hands over.

:func:`readiness.migrations.upgrade` opens the connection, takes the migration lock and begins the
one transaction every pending revision runs in; this file only hands that connection to Alembic.
There is no ``alembic.ini`` and no offline (``--sql``) mode.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection


def run_migrations() -> None:
    """Run the pending revisions on the connection in Alembic's configuration."""
    connection = context.config.attributes.get("connection")
    if not isinstance(connection, Connection):
        raise RuntimeError(
            "the store's migrations run through readiness.migrations.upgrade "
            "(readiness db upgrade), which hands Alembic a connection"
        )
    context.configure(connection=connection, target_metadata=None)
    with context.begin_transaction():
        context.run_migrations()


# Alembic executes this file by its path, as a script; imported as a module (a tool or test that
# imports every module of the package) it only defines the function.
if __name__ != "readiness.migrations.env":
    run_migrations()
