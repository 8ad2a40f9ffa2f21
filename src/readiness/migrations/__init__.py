"""The store's schema, versioned with Alembic: revisions in :mod:`readiness.migrations.versions`.

Each database records its revision in Alembic's ``alembic_version`` table. :func:`upgrade` brings
it to the newest revision (the head) in one transaction, so an upgrade either completes or leaves
the old schema and its data untouched. Revisions only ever add: old rows keep their values, new
columns get defaults or backfills. How to add one: see :mod:`readiness.migrations.versions`.

The Alembic environment (``env.py``, ``versions/``) ships inside the package and its
configuration is built here in code: no ``alembic.ini`` is needed at run time.

Databases from before Alembic
    They have a ``schema_version`` table (versions 1-3, one row each) and no ``alembic_version``.
    :func:`upgrade` stamps such a database at the revision of its version (1 -> 0001, 2 -> 0002,
    3 -> 0003) and upgrades it from there, in the same transaction; ``schema_version`` stays as
    it was (the record of what was applied before Alembic).

Several servers starting at once
    The upgrade runs under a lock, and the revision is read again once the lock is held: on
    PostgreSQL a session-level advisory lock taken around Alembic's command (the key the
    hand-made migrations used, so an older server starting at the same moment waits too), on
    SQLite the transaction's ``BEGIN IMMEDIATE`` (see :mod:`readiness.store`). The second server
    finds the schema at the head and changes nothing.

A database whose revision this code does not know (made by a newer readiness) is refused with
:class:`SchemaError`, before anything is written.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import exc as sa_exc
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection, Engine

from readiness.errors import ReadinessError

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

#: Where Alembic finds ``env.py``, ``script.py.mako`` and ``versions/``: this package's folder.
SCRIPT_LOCATION = Path(__file__).resolve().parent
#: The table of the hand-made migrations that came before Alembic.
LEGACY_VERSION_TABLE = "schema_version"
#: Alembic's table of the applied revision.
ALEMBIC_VERSION_TABLE = "alembic_version"
#: The revision that reproduces each schema version of the hand-made migrations.
LEGACY_REVISIONS = {1: "0001", 2: "0002", 3: "0003"}
#: Revision files are named ``r<id>_<slug>.py`` (a module name, unlike Alembic's default).
FILE_TEMPLATE = "r%%(rev)s_%%(slug)s"
#: Arbitrary constant key of the PostgreSQL advisory lock held while upgrading.
ADVISORY_LOCK_KEY = 7_041_962_001


class SchemaError(ReadinessError):
    """The database's schema cannot be used by this version of readiness."""


@dataclass(frozen=True)
class SchemaState:
    """Where a database's schema stands.

    ``revision`` is the applied Alembic revision, or for a database from before Alembic the
    revision matching its ``legacy_version``; None for an empty database.
    """

    revision: str | None
    head: str
    legacy_version: int | None = None

    @property
    def up_to_date(self) -> bool:
        return self.revision == self.head and self.legacy_version is None


def alembic_config(connection: Connection | None = None) -> Config:
    """Alembic's configuration for the store, built in code (no ``alembic.ini``).

    With ``connection``, ``env.py`` runs the revisions on it (inside its transaction).
    """
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(SCRIPT_LOCATION))
    config.set_main_option("file_template", FILE_TEMPLATE)
    if connection is not None:
        config.attributes["connection"] = connection
    return config


@functools.cache
def _script() -> ScriptDirectory:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    """The newest revision this code knows."""
    head = _script().get_current_head()
    if head is None:  # pragma: no cover - the package ships its revisions
        raise SchemaError(f"{SCRIPT_LOCATION}: no schema revisions found")
    return head


def revisions() -> list[str]:
    """Every revision this code knows, oldest first."""
    return [script.revision for script in reversed(list(_script().walk_revisions()))]


def schema_state(connection: Connection) -> SchemaState:
    """Read where the schema of ``connection``'s database stands; changes nothing.

    Raises :class:`SchemaError` for a database made by a newer readiness.
    """
    from alembic.runtime.migration import MigrationContext

    head = head_revision()
    heads = MigrationContext.configure(connection).get_current_heads()
    if heads:
        if not all(isinstance(revision, str) and revision for revision in heads):
            # Alembic never writes an empty or NULL revision: the table was edited by hand.
            shown = ", ".join("NULL" if r is None else repr(r) for r in heads)
            raise SchemaError(
                f"table {ALEMBIC_VERSION_TABLE}, column version_num holds {shown}, not a "
                "schema revision; restore the database from a backup"
            )
        unknown = [revision for revision in heads if revision not in revisions()]
        if unknown or len(heads) > 1:
            raise SchemaError(
                f"the database's schema is at revision {', '.join(heads)}, which this readiness "
                f"does not know (its newest is {head}); upgrade readiness to use it"
            )
        return SchemaState(heads[0], head)
    legacy = _legacy_version(connection)
    if legacy is None:
        return SchemaState(None, head)
    if legacy < min(LEGACY_REVISIONS):
        raise SchemaError(
            f"table {LEGACY_VERSION_TABLE} holds version {legacy}, which readiness never wrote; "
            "restore the database from a backup"
        )
    if legacy not in LEGACY_REVISIONS:
        raise SchemaError(
            f"the database has schema version {legacy}, newer than this readiness understands "
            f"({max(LEGACY_REVISIONS)}, revision {head}); upgrade readiness to use it"
        )
    return SchemaState(LEGACY_REVISIONS[legacy], head, legacy_version=legacy)


def _legacy_version(connection: Connection) -> int | None:
    """The highest version in ``schema_version``; None without that table (or rows).

    Raises :class:`SchemaError` when a row holds anything but a whole number (SQLite keeps
    whatever was written, and ``MAX`` ranks text above numbers).
    """
    if not inspect(connection).has_table(LEGACY_VERSION_TABLE):
        return None
    rows = connection.execute(text(f"SELECT version FROM {LEGACY_VERSION_TABLE}")).scalars()
    versions = []
    for value in rows:
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int | str) or not _whole(value):
            shown = repr(value)[:40]
            raise SchemaError(
                f"table {LEGACY_VERSION_TABLE}, column version holds {shown}, not a schema "
                "version number; restore the database from a backup"
            )
        versions.append(int(value))
    return max(versions, default=None)


def _whole(value: int | str) -> bool:
    return isinstance(value, int) or (value.isascii() and value.isdigit() and len(value) < 19)


def pending(state: SchemaState, target: str = "head") -> list[str]:
    """The revisions an upgrade from ``state`` to ``target`` applies, oldest first."""
    lower = state.revision or "base"
    upper = state.head if target == "head" else target
    if upper == lower:
        return []
    steps = _script().iterate_revisions(upper, lower)
    return [script.revision for script in reversed(list(steps))]


def upgrade(engine: Engine, target: str = "head") -> list[str]:
    """Bring the database to ``target`` (default the head) under the migration lock; returns
    the revisions applied, oldest first (none when it was up to date).

    A database from before Alembic is stamped at its revision first (same transaction). Raises
    :class:`SchemaError` when the database is newer than this code knows.
    """
    from alembic import command

    with engine.connect() as connection, _migration_lock(connection):
        with connection.begin():
            # Read inside the lock: another process may have upgraded while this one waited.
            state = schema_state(connection)
            steps = pending(state, target)
            if not steps and state.legacy_version is None:
                return []
            config = alembic_config(connection)
            if state.legacy_version is not None:
                command.stamp(config, LEGACY_REVISIONS[state.legacy_version])
            command.upgrade(config, target)
        return steps


@contextmanager
def _migration_lock(connection: Connection) -> Iterator[None]:
    """Hold PostgreSQL's session-level advisory lock while the body runs (SQLite's lock is the
    transaction's ``BEGIN IMMEDIATE``)."""
    if connection.dialect.name != "postgresql":
        yield
        return
    connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": ADVISORY_LOCK_KEY})
    connection.commit()
    try:
        yield
    finally:
        try:
            connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": ADVISORY_LOCK_KEY})
            connection.commit()
        except sa_exc.DBAPIError:
            # A broken session: closing it for good releases its lock.
            connection.invalidate()
