"""Where the store is and how its engine connects: the URL, SQLite's settings, one-line errors.

The store's location is ``READINESS_DATABASE_URL`` or the SQLite file in :func:`data_home`. A
SQLite engine sets WAL, a busy timeout and foreign keys on every connection and opens every
writing transaction with ``BEGIN IMMEDIATE``; a file that is not a readiness store is refused
before SQLite can touch it.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import URL, Connection, Engine, make_url

from readiness.errors import StoreError
from readiness.migrations import ALEMBIC_VERSION_TABLE, LEGACY_VERSION_TABLE
from readiness.paths import DATABASE_URL_ENV
from readiness.settings import load_settings
from readiness.store.records import StoreNotFoundError

DATABASE_FILE = "readiness.db"
#: How long a SQLite writer waits for another writer's lock before giving up, in milliseconds.
BUSY_TIMEOUT_MS = 30_000
#: How long to wait for a database server to answer a connection, in seconds.
CONNECT_TIMEOUT_S = 5
SQLITE_HEADER = b"SQLite format 3\x00"

#: The execution option marking a connection that only reads (a deferred ``BEGIN`` on SQLite).
_READ_ONLY = "readiness_read_only"


def data_home() -> Path:
    """The data directory: ``$READINESS_DATA_HOME`` or ``~/.local/share/readiness``."""
    return load_settings().data_home


def database_url() -> str:
    """``READINESS_DATABASE_URL`` if set, else the SQLite file in :func:`data_home`."""
    settings = load_settings()
    if settings.database_url:
        return settings.database_url
    return f"sqlite:///{settings.data_home / DATABASE_FILE}"


def describe_url(url: str | URL) -> str:
    """The store's location for messages: the file of a SQLite URL, else the URL sans password."""
    try:
        parsed = make_url(url) if isinstance(url, str) else url
    except sa_exc.ArgumentError:
        return "the configured database"
    if parsed.get_backend_name() == "sqlite":
        return parsed.database or ":memory:"
    return parsed.render_as_string(hide_password=True)


def _on_sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # The pysqlite recipe: stop the driver from issuing its own BEGIN (see _on_sqlite_begin).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        _use_wal(cursor)
    finally:
        cursor.close()


def _use_wal(cursor: Any) -> None:
    """Switch the database to WAL (it stays so, in the file). SQLite answers "database is locked"
    at once, without waiting for the busy timeout, when another connection holds a lock during
    the switch (several servers opening a new store together): retry until the timeout."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            cursor.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def _on_sqlite_begin(connection: Connection) -> None:
    # Writers take the write lock up front, so a read-modify-write cannot interleave with
    # another one; plain reads use a deferred BEGIN and never wait (WAL).
    read_only = connection.get_execution_options().get(_READ_ONLY, False)
    connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


def _check_sqlite_file(path: Path) -> None:
    """Refuse a file that is not a SQLite database, before SQLite can touch it."""
    if path.is_dir():
        raise StoreError(f"{path}: is a directory, not a database file")
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except FileNotFoundError:
        return
    except PermissionError:
        raise StoreError(f"{path}: permission denied; the database file cannot be read") from None
    except OSError as error:
        raise StoreError(f"{path}: cannot be read ({error.strerror})") from None
    if header and header != SQLITE_HEADER:
        raise StoreError(
            f"{path}: not a SQLite database (the file is corrupt or of another kind); "
            f"it was left untouched; restore it from a backup or set {DATABASE_URL_ENV}"
        )
    if header:
        _check_readiness_tables(path)


def _check_readiness_tables(path: Path) -> None:
    """Refuse a SQLite database of another program before anything writes to it.

    Read through a read-only connection that changes nothing (not even the journal mode): an
    empty database, or one with readiness's ``alembic_version`` table (or the ``schema_version``
    table of a store made before Alembic), may be used; any other is left byte-identical.
    """
    refuse = (
        f"{path}: a SQLite database that is not a readiness store; it was left untouched; "
        f"choose another file with {DATABASE_URL_ENV}"
    )
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as error:
        raise StoreError(explain_database_error(error, str(path))) from None
    try:
        connection.text_factory = bytes
        names = [row[0] for row in connection.execute("SELECT name FROM sqlite_master")]
    except sqlite3.DatabaseError as error:
        detail = str(error).lower()
        if "decode" in detail or "utf" in detail:
            raise StoreError(f"{refuse} (its schema is not readable text)") from None
        raise StoreError(explain_database_error(error, str(path))) from None
    finally:
        connection.close()
    if names and not {ALEMBIC_VERSION_TABLE.encode(), LEGACY_VERSION_TABLE.encode()} & set(names):
        raise StoreError(refuse)


def create_store_engine(url: str | None = None, *, create: bool = True) -> Engine:
    """An engine for ``url`` (default :func:`database_url`) with the store's settings.

    SQLite gets the WAL/busy-timeout/foreign-keys/``BEGIN IMMEDIATE`` hooks and, with ``create``,
    its directory is created; without ``create`` a missing SQLite file raises
    :class:`StoreNotFoundError` and nothing is created. ``postgresql://`` URLs use psycopg 3.
    Raises :class:`StoreError` on a bad URL, a missing driver, a file that is not a SQLite
    database, or a SQLite database of another program.
    """
    raw = url or database_url()
    try:
        parsed = make_url(raw)
        port = parsed.port
    except (sa_exc.ArgumentError, ValueError):
        raise StoreError(
            f"{DATABASE_URL_ENV}: {raw!r} is not a database URL "
            "(expected e.g. sqlite:///path/readiness.db or postgresql+psycopg://host/db)"
        ) from None
    if port is not None and not 0 < port < 65536:
        raise StoreError(
            f"{DATABASE_URL_ENV}: port {port} is not a TCP port (1-65535) in {describe_url(parsed)}"
        )
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    backend = parsed.get_backend_name()
    connect_args: dict[str, Any] = {}
    if backend == "sqlite":
        database = parsed.database or ""
        if database and database != ":memory:" and not database.startswith("file:"):
            path = Path(database).expanduser()
            _check_sqlite_file(path)
            if not create and not path.exists():
                raise StoreNotFoundError(f"{path}: no store here yet (nothing has been saved)")
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise StoreError(
                    f"{path.parent}: cannot create the data directory ({error.strerror})"
                ) from None
            parsed = parsed.set(database=str(path))
        connect_args["timeout"] = BUSY_TIMEOUT_MS / 1000
    elif parsed.drivername in ("postgresql+psycopg", "postgresql+psycopg2"):
        connect_args["connect_timeout"] = CONNECT_TIMEOUT_S
    try:
        engine = create_engine(parsed, connect_args=connect_args, pool_pre_ping=backend != "sqlite")
    except (ImportError, sa_exc.NoSuchModuleError, sa_exc.ArgumentError) as error:
        raise StoreError(
            f"{describe_url(parsed)}: cannot use this database ({error}); "
            "readiness supports SQLite and PostgreSQL (postgresql+psycopg://...)"
        ) from None
    if backend == "sqlite":
        event.listen(engine, "connect", _on_sqlite_connect)
        event.listen(engine, "begin", _on_sqlite_begin)
    return engine


def explain_database_error(error: BaseException, where: str) -> str:
    """One line for a person about a database failure at ``where`` (a file or a URL)."""
    original = getattr(error, "orig", None) or error
    detail = (
        str(original).strip().splitlines()[0] if str(original).strip() else type(error).__name__
    )
    lowered = detail.lower()
    if "file is not a database" in lowered or "malformed" in lowered:
        return (
            f"{where}: the database file is corrupt ({detail}); it was left untouched; "
            f"restore it from a backup or set {DATABASE_URL_ENV}"
        )
    if "unable to open database file" in lowered:
        return f"{where}: cannot open the database file (check the directory and its permissions)"
    if "readonly" in lowered or "read-only" in lowered:
        return f"{where}: the database is read-only; nothing was saved"
    if "database is locked" in lowered:
        return (
            f"{where}: the database stayed locked by another program for more than "
            f"{BUSY_TIMEOUT_MS // 1000} s; nothing was saved, try again"
        )
    if "connection refused" in lowered or "could not connect" in lowered:
        return f"{where}: cannot reach the database server ({detail}); is it running?"
    if "timeout" in lowered or "timed out" in lowered:
        return f"{where}: the database server did not answer within {CONNECT_TIMEOUT_S} s"
    if "password authentication failed" in lowered or "authentication" in lowered:
        return f"{where}: the database server refused the login ({detail})"
    if "does not exist" in lowered and "database" in lowered:
        return f"{where}: {detail}; create the database first"
    return f"{where}: database error ({detail})"
