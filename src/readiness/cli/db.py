"""``readiness db upgrade|current``: the store's schema revision (Alembic) from a shell.

Both work on the store :func:`readiness.store.database_url` names (``READINESS_DATABASE_URL``,
else the SQLite file in ``READINESS_DATA_HOME``), or on ``--database URL``. The dashboard and
the other commands upgrade the schema themselves when they open the store; ``db upgrade`` does it
ahead of time (a deployment step), ``db current`` only reads. A store that cannot be used is an
error line and exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from readiness.safe_output import terminal_safe

if TYPE_CHECKING:
    from readiness.migrations import SchemaState


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("db", help="show or upgrade the store's schema revision")
    parser.add_argument(
        "--database",
        metavar="URL",
        default=None,
        help="database URL (default: READINESS_DATABASE_URL, else the SQLite file in "
        "READINESS_DATA_HOME, ~/.local/share/readiness)",
    )
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    current = actions.add_parser(
        "current", help="print the store's schema revision and the newest one (changes nothing)"
    )
    current.set_defaults(handler=run_current)
    upgrading = actions.add_parser(
        "upgrade", help="upgrade the store's schema to the newest revision (creates the store)"
    )
    upgrading.set_defaults(handler=run_upgrade)


def _describe(state: SchemaState) -> str:
    if state.legacy_version is not None:
        return (
            f"{state.revision} (schema version {state.legacy_version}, made before Alembic; "
            "'readiness db upgrade' adopts it)"
        )
    if state.revision is None:
        return "none (empty database)"
    return state.revision


def _on_store(where: str, action: Callable[[], Any]) -> Any:
    """Run ``action``; a store or database failure becomes one :class:`InputError` line."""
    from sqlalchemy import exc as sa_exc

    from readiness.errors import InputError, StoreError
    from readiness.migrations import SchemaError
    from readiness.store import explain_database_error

    try:
        return action()
    except SchemaError as error:
        raise InputError(f"{where}: {error}") from None
    except StoreError as error:
        raise InputError(str(error)) from None
    except (sa_exc.OperationalError, sa_exc.DatabaseError, sa_exc.InterfaceError) as error:
        raise InputError(explain_database_error(error, where)) from None


def run_current(args: argparse.Namespace) -> int:
    from readiness.errors import InputError, StoreError
    from readiness.migrations import head_revision, schema_state
    from readiness.store import StoreNotFoundError, create_store_engine, database_url, describe_url

    try:
        engine = create_store_engine(args.database, create=False)
    except StoreNotFoundError as error:
        print(terminal_safe(str(error)), file=sys.stderr)
        location = describe_url(args.database or database_url())
        print(f"database: {terminal_safe(location, single_line=True)}")
        print("current: none (no store yet)")
        print(f"head: {head_revision()}")
        return 0
    except StoreError as error:
        raise InputError(str(error)) from None
    where = terminal_safe(describe_url(engine.url), single_line=True)

    def read() -> SchemaState:
        with engine.connect() as connection:
            return schema_state(connection)

    try:
        state: SchemaState = _on_store(where, read)
    finally:
        engine.dispose()
    print(f"database: {where}")
    print(f"current: {_describe(state)}")
    print(f"head: {state.head}")
    if not state.up_to_date:
        print("the schema is behind: 'readiness db upgrade' upgrades it", file=sys.stderr)
    return 0


def run_upgrade(args: argparse.Namespace) -> int:
    from readiness.errors import InputError, StoreError
    from readiness.migrations import schema_state, upgrade
    from readiness.store import create_store_engine, describe_url

    try:
        engine = create_store_engine(args.database, create=True)
    except StoreError as error:
        raise InputError(str(error)) from None
    where = terminal_safe(describe_url(engine.url), single_line=True)

    def read() -> SchemaState:
        with engine.connect() as connection:
            return schema_state(connection)

    try:
        before: SchemaState = _on_store(where, read)
        applied: list[str] = _on_store(where, lambda: upgrade(engine))
    finally:
        engine.dispose()
    if before.legacy_version is not None:
        print(
            f"{where}: adopted schema version {before.legacy_version} (made before Alembic) "
            f"as revision {before.revision}"
        )
    if applied:
        print(f"{where}: upgraded to {before.head} (applied {', '.join(applied)})")
    else:
        print(f"{where}: up to date at {before.head}")
    return 0
