"""Where assessments and drafts are kept: SQLite by default, any SQLAlchemy database by URL.

Location
    ``READINESS_DATABASE_URL`` (any SQLAlchemy URL, e.g.
    ``postgresql+psycopg://user:password@host:5432/readiness`` for a team, or for several dashboard
    servers sharing one store) wins. Without it the store is the SQLite file
    ``$READINESS_DATA_HOME/readiness.db``; ``READINESS_DATA_HOME`` defaults to
    ``~/.local/share/readiness``. The directory and the file are created on first use.

SQLite settings (set on every connection through SQLAlchemy event hooks)
    WAL journal (readers never block the writer), a busy timeout of :data:`BUSY_TIMEOUT_MS`
    milliseconds, foreign keys on, and every writing transaction opened with ``BEGIN IMMEDIATE``
    (the pysqlite recipe: the driver's own transaction handling is switched off with
    ``isolation_level = None`` and the ``begin`` event emits the statement). With the driver's
    defaults, two read-modify-write saves can interleave and one silently overwrites the other;
    ``BEGIN IMMEDIATE`` takes the write lock before the read, so they queue instead.

PostgreSQL
    Read-modify-write updates lock the row (``SELECT ... FOR UPDATE``); a repeated submit is
    caught by the unique ``submission_id``.

Failures
    A corrupt, unreadable or foreign file, or a server that cannot be reached, raises
    :class:`StoreError` with one line for a person. A file that does not start with the SQLite
    header is never opened, so it is never overwritten. A row holding what readiness never
    writes (edited by hand, a damaged copy) raises :class:`DamagedRowError` naming the table,
    row and column when that assessment is read; listings and the audit log leave it out and
    describe it (their ``skipped`` argument), so the other rows stay reachable.

Access
    A store acts as a :class:`~readiness.access.User`: :data:`~readiness.access.OPERATOR` (admin of
    everything; the command line, a dashboard without sign-in) unless made with
    :meth:`Store.acting_as`. Every operation checks what that user may do (the permission table is
    in :mod:`readiness.access`): reads return only the user's organizations, an assessment of
    another organization is "not found" (its existence is not revealed), and a change the user may
    not make raises :class:`~readiness.access.PermissionDeniedError`.

Audit and deletion
    Every save, edit, version restore, delete, undelete, purge, import and export is recorded in
    ``audit_log`` (UTC time, who and their role, action, assessment, organization, a short detail;
    :meth:`Store.audit_log`, admins only). Deleting hides an assessment from every read but keeps
    it :data:`DELETED_KEPT_DAYS` days, restorable by an admin (:meth:`Store.restore_deleted`);
    :meth:`Store.purge` removes one for good at once, :meth:`Store.purge_expired` every one deleted
    longer ago (the command line runs it; so does :func:`open_store`). An id is never given to
    another assessment, purged or not.

Timestamps are UTC. Scores are 0-100 and recomputed with :func:`~readiness.scoring.score_assessment`
on every save and update.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
import sqlite3
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

import pandas as pd
from pydantic import ValidationError
from sqlalchemy import (
    Column,
    Date,
    DateTime,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    and_,
    create_engine,
    delete,
    event,
    insert,
    select,
    type_coerce,
    update,
)
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.types import NullType

from readiness.access import OPERATOR, Action, Role, User, require
from readiness.assessment import Assessment, Profile
from readiness.errors import InputError, StoreError, describe_validation_error
from readiness.migrations import ALEMBIC_VERSION_TABLE, LEGACY_VERSION_TABLE, SchemaError, upgrade
from readiness.paths import DATABASE_URL_ENV
from readiness.questionnaire import Questionnaire, load_questionnaire
from readiness.rules import RuleBook, load_rulebook
from readiness.scoring import Scores, score_assessment
from readiness.settings import load_settings

DATABASE_FILE = "readiness.db"
#: How long a SQLite writer waits for another writer's lock before giving up, in milliseconds.
BUSY_TIMEOUT_MS = 30_000
#: How long to wait for a database server to answer a connection, in seconds.
CONNECT_TIMEOUT_S = 5
SQLITE_HEADER = b"SQLite format 3\x00"
MAX_ID_LENGTH = 200
#: How long a deleted assessment is kept (restorable by an admin) before it is purged, in days.
DELETED_KEPT_DAYS = 30
#: The longest detail an audit row keeps, in characters.
MAX_AUDIT_DETAIL = 500
#: How many ids one ``IN (...)`` query lists (SQLite allows 32,766 parameters per statement).
_IN_BATCH = 500

_READ_ONLY = "readiness_read_only"


class AssessmentNotFoundError(StoreError, LookupError):
    """No stored assessment has the requested id."""


class StoreNotFoundError(StoreError, LookupError):
    """A read-only use found no store: nothing has been saved there, and nothing was created."""


class DraftConsumedError(StoreError):
    """The draft was already saved as an assessment (in another tab, or before a reload)."""

    def __init__(self, message: str, saved: Saved) -> None:
        super().__init__(message)
        self.saved = saved


class DraftIdTakenError(StoreError):
    """A draft id this user cannot keep a draft under: another organization's draft, or one saved
    as an assessment this user may not read. One message for both, naming neither the
    organization nor the assessment: keep the answers under a fresh id."""


class SubmissionConflictError(StoreError):
    """A submission id already saved, now with other answers: not a repeated click (``saved``
    None: the id is another organization's, and nothing about it is told)."""

    def __init__(self, message: str, saved: Saved | None = None) -> None:
        super().__init__(message)
        self.saved = saved


# --- records ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Draft:
    """Answers in progress, saved while the user answers. ``updated_at`` is UTC."""

    id: str
    profile: Profile | None
    answers: dict[str, Any]
    updated_at: dt.datetime
    #: The saved assessment this draft edits (its save makes a new version), None for a new one.
    edits: int | None = None


@dataclass(frozen=True)
class Saved:
    """What a save did: the assessment and version it made, when (UTC).

    ``repeated`` is True when that submission had been saved before (a double click, a reload
    of a saved draft): nothing new was written, the earlier save stands.
    """

    id: int
    version: int
    saved_at: dt.datetime
    repeated: bool = False


@dataclass(frozen=True)
class AssessmentSummary:
    """One line of the assessment list. ``overall`` is 0-100 (None without a complete score).

    ``answered`` of the questionnaire's ``items`` questions were answered; ``updated_at`` (UTC)
    is the last change, ``version`` the number of saved versions.
    """

    id: int
    organization: str
    division: str | None
    assessed_on: dt.date
    overall: float | None
    stage_level: int | None
    stage_name: str | None
    questionnaire_version: str
    created_at: dt.datetime
    updated_at: dt.datetime = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    version: int = 1
    answered: int = 0
    items: int = 0
    #: When it was deleted (UTC); None when live (see :meth:`Store.deleted_assessments`).
    deleted_at: dt.datetime | None = None

    @property
    def complete(self) -> bool:
        """Whether every dimension has a score (at least half of its questions answered)."""
        return self.overall is not None


class AuditAction(StrEnum):
    """What an audit row records (its value is how the log names it)."""

    save = "save"
    edit = "edit"
    restore_version = "restore version"
    delete = "delete"
    restore_deleted = "restore deleted"
    purge = "purge"
    import_ = "import"
    export = "export"


@dataclass(frozen=True)
class AuditEntry:
    """One row of the audit log: at ``at`` (UTC) ``actor`` (an e-mail, a subject or
    ``operator``) with ``role`` did ``action`` to assessment ``assessment_id`` of
    ``organization``; ``detail`` says what (a version, an export's format, ...)."""

    id: int
    at: dt.datetime
    actor: str
    role: str
    action: str
    assessment_id: int | None
    organization: str | None
    detail: str


@dataclass(frozen=True)
class AssessmentVersion:
    """One saved version of an assessment (the current one is the highest). UTC times."""

    assessment_id: int
    version: int
    assessment: Assessment
    overall: float | None
    stage_name: str | None
    saved_at: dt.datetime


@dataclass(frozen=True)
class StoredAssessment:
    """A saved assessment with the scores computed when it was saved (timestamps UTC)."""

    id: int
    assessment: Assessment
    scores: Scores
    scores_json: dict[str, Any]
    submission_id: str | None
    created_at: dt.datetime
    updated_at: dt.datetime
    version: int = 1


# --- the schema as the code uses it (made by the revisions in readiness.migrations.versions) ----

_metadata = MetaData()


def _assessment_content() -> list[Column[Any]]:
    """What an assessment and each of its saved versions hold: profile, answers and scores."""
    return [
        Column("organization", String(200), nullable=False),
        Column("division", String(200)),
        Column("sector", String(20)),
        Column("size", String(20)),
        Column("assessed_on", Date, nullable=False),
        Column("questionnaire_version", String(50), nullable=False),
        Column("answers_json", Text, nullable=False),
        Column("scores_json", Text, nullable=False),
        Column("overall", Float),
        Column("stage_level", Integer),
        Column("stage_name", String(100)),
    ]


assessments_table = Table(
    "assessments",
    _metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    *_assessment_content(),
    Column("created_at", DateTime, nullable=False),
    Column("submission_id", String(200)),
    Column("updated_at", DateTime),
    Column("version", Integer),
    Column("deleted_at", DateTime),
)
drafts_table = Table(
    "drafts",
    _metadata,
    Column("id", String(200), primary_key=True),
    Column("profile_json", Text),
    Column("answers_json", Text, nullable=False),
    Column("updated_at", DateTime, nullable=False),
    Column("assessment_id", Integer),
)
versions_table = Table(
    "assessment_versions",
    _metadata,
    Column("assessment_id", Integer, primary_key=True),
    Column("version", Integer, primary_key=True),
    *_assessment_content(),
    Column("saved_at", DateTime, nullable=False),
    Column("submission_id", String(200)),
)
audit_table = Table(
    "audit_log",
    _metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime, nullable=False),
    Column("actor", String(320), nullable=False),
    Column("role", String(20), nullable=False),
    Column("action", String(30), nullable=False),
    Column("assessment_id", Integer),
    Column("organization", String(200)),
    Column("detail", Text, nullable=False),
)
submissions_table = Table(
    "submissions",
    _metadata,
    Column("id", String(200), primary_key=True),
    Column("assessment_id", Integer, nullable=False),
    Column("version", Integer, nullable=False),
    Column("saved_at", DateTime, nullable=False),
)


# --- where the store is -------------------------------------------------------------------------


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


# --- engines ------------------------------------------------------------------------------------


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


# --- the store ----------------------------------------------------------------------------------


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _as_utc(value: dt.datetime | None) -> dt.datetime:
    if value is None:
        return dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def _plain_json(value: Any) -> Any:
    """NaN (unanswered in the raw matrix) becomes null; tuples become lists."""
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, list | tuple):
        return [_plain_json(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain_json(v) for k, v in value.items()}
    return value


def _dump(value: Any, what: str) -> str:
    try:
        return json.dumps(_plain_json(value), ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError) as error:
        raise InputError(f"{what}: cannot be stored as JSON ({error})") from None


def _check_id(value: str, what: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InputError(f"{what}: must be a non-empty text")
    if len(value) > MAX_ID_LENGTH:
        raise InputError(f"{what}: longer than {MAX_ID_LENGTH} characters")
    return value


# --- reading stored rows ------------------------------------------------------------------------


class DamagedRowError(StoreError):
    """A stored row holds a value readiness never writes (edited by hand, a damaged copy); the
    message names the store, the table, the row's id and the column."""


def _raw(*columns: Column[Any]) -> list[Any]:
    """``columns`` read as the database returns them: SQLAlchemy's own conversion raises a bare
    ``ValueError`` from inside the fetch on a date like 'yesterday', before any row can be named
    (SQLite keeps whatever was written, whatever the column's type)."""
    return [type_coerce(column, NullType()).label(column.name) for column in columns]


def _shown(value: Any) -> str:
    text = "NULL" if value is None else repr(value)
    return text if len(text) <= 40 else f"{text[:30]}... ({len(text)} characters)"


class _StoredRow:
    """One row's raw values (see :func:`_raw`), each converted and checked on the way out.

    A value of the wrong kind raises :class:`DamagedRowError` naming the store, the table, the
    row and the column: "readiness.db: table assessments, row 7, column created_at: holds
    'yesterday', not a date and time".
    """

    def __init__(self, location: str, table: str, row: Any) -> None:
        self.values: Mapping[str, Any] = row._mapping
        self.where = f"{location}: table {table}, row {_shown(self.values.get('id'))}"

    def damaged(self, column: str, problem: str) -> DamagedRowError:
        return DamagedRowError(f"{self.where}, column {column}: {problem}")

    def _wrong(self, column: str, kind: str) -> DamagedRowError:
        return self.damaged(column, f"holds {_shown(self.values[column])}, not {kind}")

    def integer(self, column: str) -> int:
        value = self.values[column]
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        raise self._wrong(column, "a whole number")

    def optional_integer(self, column: str) -> int | None:
        return None if self.values[column] is None else self.integer(column)

    def score(self, column: str) -> float | None:
        """A score 0-100, or None."""
        value = self.values[column]
        if value is None:
            return None
        if (
            isinstance(value, int | float)
            and not isinstance(value, bool)
            and 0 <= float(value) <= 100
        ):
            return float(value)
        raise self._wrong(column, "a score from 0 to 100")

    def text(self, column: str) -> str:
        value = self.values[column]
        if isinstance(value, str):
            return value
        raise self._wrong(column, "a text")

    def optional_text(self, column: str) -> str | None:
        return None if self.values[column] is None else self.text(column)

    def choice(self, column: str, allowed: Iterable[str]) -> str:
        value = self.text(column)
        known = sorted(allowed)
        if value in known:
            return value
        raise self._wrong(column, f"one of {', '.join(known)}")

    def date(self, column: str) -> dt.date:
        value = self.values[column]
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        raise self._wrong(column, "a date")

    def moment(self, column: str) -> dt.datetime:
        """A date and time, as UTC."""
        value = self.values[column]
        if isinstance(value, dt.datetime):
            return _as_utc(value)
        if isinstance(value, str):
            try:
                return _as_utc(dt.datetime.fromisoformat(value))
            except ValueError:
                pass
        raise self._wrong(column, "a date and time")

    def optional_moment(self, column: str) -> dt.datetime | None:
        return None if self.values[column] is None else self.moment(column)

    def json_object(self, column: str) -> dict[str, Any]:
        text = self.text(column)
        try:
            value = json.loads(text)
        except (ValueError, RecursionError):  # also integers over Python's 4,300 digits
            raise self._wrong(column, "JSON") from None
        if isinstance(value, dict):
            return value
        raise self.damaged(column, f"holds JSON {type(value).__name__}, not a JSON object")

    def validated(self, column: str | None, build: Callable[[], Any]) -> Any:
        """``build()``, its pydantic error as this row's (and ``column``'s) problem."""
        try:
            return build()
        except ValidationError as error:
            lines = describe_validation_error(error, "")
            where = f"{self.where}, column {column}" if column else self.where
            raise DamagedRowError(f"{where}: {lines[0]}") from None


class Store:
    """Assessments and drafts in one database. Safe to share between threads (and processes).

    ``user`` is who acts (default: the local operator, admin of everything); ``clock`` gives the
    current UTC time (injected by tests).
    """

    def __init__(
        self,
        engine: Engine,
        questionnaire: Questionnaire | None = None,
        rulebook: RuleBook | None = None,
        *,
        user: User = OPERATOR,
        clock: Callable[[], dt.datetime] | None = None,
    ) -> None:
        self.engine = engine
        self.location = describe_url(engine.url)
        self.questionnaire = questionnaire or load_questionnaire()
        self.rulebook = rulebook or load_rulebook()
        self.user = user
        self._clock = clock or _utcnow
        self._owns_engine = True

    def acting_as(self, user: User) -> Store:
        """This store acting as ``user``: the same engine, questionnaire, rules and clock, with
        every operation checked against what ``user`` may do. Cheap (nothing is opened); closing
        it leaves the shared engine to this store."""
        acting = Store(self.engine, self.questionnaire, self.rulebook, user=user, clock=self._clock)
        acting._owns_engine = False
        return acting

    # context management and plumbing

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close every pooled connection (a store from :meth:`acting_as` leaves them open)."""
        if self._owns_engine:
            self.engine.dispose()

    @contextmanager
    def _translated(self) -> Iterator[None]:
        try:
            yield
        except sa_exc.IntegrityError:
            raise  # a lost race on a unique key: the caller retries
        except (sa_exc.OperationalError, sa_exc.DatabaseError, sa_exc.InterfaceError) as error:
            raise StoreError(explain_database_error(error, self.location)) from error

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        with self._translated(), self.engine.connect() as connection:
            connection.execution_options(**{_READ_ONLY: True})
            with connection.begin():
                yield connection

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        with self._translated(), self.engine.begin() as connection:
            yield connection

    def _now(self) -> dt.datetime:
        """The clock's time as naive UTC (how the tables store times)."""
        now = self._clock()
        return now.astimezone(dt.UTC).replace(tzinfo=None) if now.tzinfo is not None else now

    def _readable(self) -> ColumnElement[bool]:
        """The condition on ``assessments`` rows this user may read: live (not deleted) rows of
        the user's organizations."""
        live = assessments_table.c.deleted_at.is_(None)
        organizations = self.user.organizations
        if organizations is None:
            return live
        return and_(live, assessments_table.c.organization.in_(sorted(organizations)))

    def _record(
        self,
        connection: Connection,
        action: AuditAction,
        assessment_id: int | None,
        organization: str | None,
        detail: str,
    ) -> None:
        """Add a row to the audit log, inside the caller's transaction (recorded only if what it
        records is committed)."""
        connection.execute(
            insert(audit_table).values(
                self._audit_values(action, assessment_id, organization, detail)
            )
        )

    def _audit_values(
        self, action: AuditAction, assessment_id: int | None, organization: str | None, detail: str
    ) -> dict[str, Any]:
        """An audit row's values: now, this user, what was done to what."""
        return {
            "at": self._now(),
            "actor": self.user.id,
            "role": str(self.user.role),
            "action": str(action),
            "assessment_id": assessment_id,
            "organization": organization,
            "detail": detail[:MAX_AUDIT_DETAIL],
        }

    def _not_found(self, assessment_id: int) -> AssessmentNotFoundError:
        # The same words whether it does not exist or the user may not see it.
        return AssessmentNotFoundError(f"{self.location}: no assessment with id {assessment_id}")

    def _organization_of(
        self, connection: Connection, assessment_id: int, *, lock: bool = False
    ) -> str:
        """The organization of assessment ``assessment_id`` if this user may read it; else
        :class:`AssessmentNotFoundError`. ``lock`` locks the row (PostgreSQL) until commit."""
        query = select(assessments_table.c.organization).where(
            assessments_table.c.id == assessment_id, self._readable()
        )
        organization = connection.execute(
            query.with_for_update() if lock else query
        ).scalar_one_or_none()
        if organization is None:
            raise self._not_found(assessment_id)
        return str(organization)

    def _score(self, assessment: Assessment) -> Scores:
        return score_assessment(self.questionnaire, self.rulebook, assessment.answers)

    @staticmethod
    def _score_columns(assessment: Assessment, scores: Scores) -> dict[str, Any]:
        return {
            "answers_json": _dump(assessment.answers, "answers"),
            "scores_json": _dump(scores.model_dump(mode="json"), "scores"),
            "overall": scores.overall,
            "stage_level": scores.stage.level if scores.stage else None,
            "stage_name": scores.stage.name if scores.stage else None,
        }

    def _content_columns(self, assessment: Assessment, scores: Scores) -> dict[str, Any]:
        profile = assessment.profile
        return {
            "organization": profile.organization,
            "division": profile.division,
            "sector": profile.sector,
            "size": profile.size,
            "assessed_on": assessment.assessed_on,
            "questionnaire_version": assessment.questionnaire_version,
            **self._score_columns(assessment, scores),
        }

    def _completeness(self, answers: Mapping[str, Any]) -> dict[str, int]:
        """How many of the questionnaire's questions were answered, as the questionnaire counts."""
        items = self.questionnaire.items
        return {
            "answered": sum(1 for item in items if answers.get(item.id) is not None),
            "items": len(items),
        }

    # drafts

    def save_draft(
        self,
        draft_id: str,
        profile: Profile | None,
        answers: Mapping[str, Any],
        edits: int | None = None,
    ) -> None:
        """Create or replace the draft ``draft_id`` (idempotent: the same call twice is one row).

        ``edits``: the saved assessment this draft changes (None for a new assessment). Raises
        :class:`DraftConsumedError` when ``draft_id`` was already saved as an assessment: the
        draft is not brought back to life, so a later save can never be a silent no-op.
        Assessors keep drafts of their organizations (:class:`PermissionDeniedError` otherwise);
        an id taken by another organization (its draft, or its assessment) raises
        :class:`DraftIdTakenError`, which tells nothing about that draft or assessment.
        """
        _check_id(draft_id, "draft id")
        require(self.user, Action.draft, profile.organization if profile else None)
        values = {
            "profile_json": _dump(profile.model_dump(mode="json"), "profile") if profile else None,
            "answers_json": _dump(dict(answers), "answers"),
            "updated_at": self._now(),
            "assessment_id": edits,
        }
        for _attempt in range(3):
            try:
                with self._write() as connection:
                    if edits is not None:
                        require(self.user, Action.draft, self._organization_of(connection, edits))
                    saved = _submission(connection, draft_id)
                    if saved is not None and self._sees_saved(connection, saved):
                        raise DraftConsumedError(
                            f"draft {draft_id} was already saved as assessment {saved.id}", saved
                        )
                    existing = connection.execute(
                        select(drafts_table).where(drafts_table.c.id == draft_id)
                    ).one_or_none()
                    if saved is not None or (
                        existing is not None and not self._may_keep(connection, existing)
                    ):
                        raise _draft_id_taken(draft_id)
                    changed = connection.execute(
                        update(drafts_table).where(drafts_table.c.id == draft_id).values(**values)
                    ).rowcount
                    if not changed:
                        connection.execute(insert(drafts_table).values(id=draft_id, **values))
                return
            except sa_exc.IntegrityError:
                continue  # another session created the draft first: update it next time
        raise StoreError(f"{self.location}: could not save draft {draft_id!r}")

    def _sees_saved(self, connection: Connection, saved: Saved) -> bool:
        """Whether the assessment a submission became is of this user's organizations (deleted
        or not: the user's own deleted assessment may be named to them)."""
        organization = connection.execute(
            select(assessments_table.c.organization).where(assessments_table.c.id == saved.id)
        ).scalar_one_or_none()
        return isinstance(organization, str) and self.user.sees(organization)

    def _may_keep(self, connection: Connection, row: Any) -> bool:
        """Whether this user may read and change the draft ``row``: an assessor or admin of the
        draft's organization (a draft without a profile yet: any assessor), and of the
        assessment it edits."""
        if not self.user.may(Action.draft):
            return False
        if row.profile_json is not None:
            organization = json.loads(row.profile_json).get("organization")
            if isinstance(organization, str) and not self.user.sees(organization):
                return False
        if row.assessment_id is not None and self.user.organizations is not None:
            try:
                self._organization_of(connection, row.assessment_id)
            except AssessmentNotFoundError:
                return False
        return True

    def load_draft(self, draft_id: str) -> Draft | None:
        """The draft ``draft_id``; None if never saved, already submitted or discarded, or not
        this user's to keep (a viewer, another organization's draft)."""
        with self._read() as connection:
            row = connection.execute(
                select(drafts_table).where(drafts_table.c.id == draft_id)
            ).one_or_none()
            if row is None or not self._may_keep(connection, row):
                return None
        profile = Profile.model_validate(json.loads(row.profile_json)) if row.profile_json else None
        return Draft(
            id=row.id,
            profile=profile,
            answers=json.loads(row.answers_json),
            updated_at=_as_utc(row.updated_at),
            edits=row.assessment_id,
        )

    def discard_draft(self, draft_id: str) -> None:
        """Delete the draft ``draft_id`` (nothing happens when there is none, or when it is not
        this user's to keep)."""
        require(self.user, Action.draft)
        with self._write() as connection:
            row = connection.execute(
                select(drafts_table).where(drafts_table.c.id == draft_id)
            ).one_or_none()
            if row is not None and self._may_keep(connection, row):
                connection.execute(delete(drafts_table).where(drafts_table.c.id == draft_id))

    def discard_drafts_older_than(self, days: float) -> int:
        """Delete drafts not saved for ``days`` days; returns how many were deleted (admins)."""
        require(self.user, Action.maintain)
        cutoff = self._now() - dt.timedelta(days=days)
        with self._write() as connection:
            result = connection.execute(
                delete(drafts_table).where(drafts_table.c.updated_at < cutoff)
            )
        return int(result.rowcount)

    # assessments

    def save_assessment(self, assessment: Assessment, submission_id: str) -> int:
        """Score and store ``assessment`` as a new assessment; returns its id.

        The same ``submission_id`` twice with the same answers (a double click, importing a file
        again) stores one row and returns the same id. See :meth:`save_submission`.
        """
        return self.save_submission(assessment, submission_id).id

    def save_submission(
        self, assessment: Assessment, submission_id: str, edits: int | None = None
    ) -> Saved:
        """Score and store ``assessment``: a new assessment, or a new version of ``edits``.

        ``submission_id`` (the draft id) is consumed: the draft with that id is discarded in the
        same transaction and the id is recorded, so submitting it again with the same answers
        writes nothing and returns the earlier save (``repeated=True``); with other answers it
        raises :class:`SubmissionConflictError` (save those under a fresh id). Earlier versions
        of an edited assessment are kept (:meth:`versions`). Raises :class:`InputError` when the
        answers do not fit the questionnaire, :class:`AssessmentNotFoundError` when ``edits``
        names no assessment (or one of an organization this user does not see).

        Assessors save and edit assessments of their organizations; editing needs the assessment's
        current organization and the new one (:class:`PermissionDeniedError` otherwise).
        """
        return self._save(
            assessment, submission_id, edits, Action.save if edits is None else Action.edit
        )

    def _save(
        self,
        assessment: Assessment,
        submission_id: str,
        edits: int | None,
        action: Action,
        detail: str = "",
    ) -> Saved:
        _check_id(submission_id, "submission id")
        require(self.user, action, assessment.profile.organization)
        content = self._content_columns(assessment, self._score(assessment))
        for _attempt in range(3):
            try:
                with self._write() as connection:
                    earlier = _submission(connection, submission_id)
                    if earlier is not None:
                        self._check_repeat(connection, earlier, assessment, submission_id)
                        _discard(connection, submission_id)
                        return earlier
                    if edits is not None:
                        require(self.user, action, self._organization_of(connection, edits))
                    draft = connection.execute(
                        select(drafts_table).where(drafts_table.c.id == submission_id)
                    ).one_or_none()
                    if draft is not None and not self._may_keep(connection, draft):
                        # Another organization's draft: never consumed (discarded) by this save,
                        # refused in the words of another organization's saved submission.
                        raise _submission_id_used(submission_id)
                    _forget_deleted_submission(connection, submission_id)
                    saved = self._store_version(connection, content, submission_id, edits)
                    connection.execute(
                        insert(submissions_table).values(
                            id=submission_id,
                            assessment_id=saved.id,
                            version=saved.version,
                            saved_at=saved.saved_at,
                        )
                    )
                    _discard(connection, submission_id)
                    self._record(
                        connection,
                        _AUDITED[action],
                        saved.id,
                        assessment.profile.organization,
                        detail or _describe_save(assessment, saved.version),
                    )
                return Saved(saved.id, saved.version, _as_utc(saved.saved_at))
            except sa_exc.IntegrityError:
                # Another session saved the same submission id first (PostgreSQL runs
                # concurrent inserts side by side); the next attempt finds its row.
                continue
        raise StoreError(f"{self.location}: could not save submission {submission_id!r}")

    def import_assessments(self, assessments: Sequence[Assessment]) -> list[Saved]:
        """Store the assessments of an imported file (admins only), each under an id made from
        its content, so importing the same file again stores nothing new (``repeated``); an
        assessment given twice in one file is stored once, the second ``repeated``.

        All of them are stored in one transaction (all or none): the submissions already saved
        are looked up together, only the new assessments are scored (outside the transaction,
        so other writers wait only for the inserts), and the rows are inserted in batches. Each
        stored assessment gets an audit row, as one saved from the dashboard does.
        """
        from readiness.export import import_submission_id  # readiness.export imports this module

        require(self.user, Action.import_)
        for assessment in assessments:
            require(self.user, Action.import_, assessment.profile.organization)
        ids = [import_submission_id(assessment) for assessment in assessments]
        with self._read() as connection:
            known = self._earlier_submissions(connection, ids)
        scored = {
            submission_id: self._content_columns(assessment, self._score(assessment))
            for submission_id, assessment in zip(ids, assessments, strict=True)
            if submission_id not in known
        }
        for _attempt in range(3):
            try:
                with self._write() as connection:
                    return self._import_rows(connection, assessments, ids, scored)
            except sa_exc.IntegrityError:
                # Another session imported some of them first: the next attempt finds its rows.
                continue
        raise StoreError(f"{self.location}: could not import {len(ids)} assessment(s)")

    def _earlier_submissions(
        self, connection: Connection, submission_ids: Sequence[str]
    ) -> dict[str, Saved]:
        """The saves that consumed any of ``submission_ids`` (live assessments only), by id."""
        found: dict[str, Saved] = {}
        unique = list(dict.fromkeys(submission_ids))
        for start in range(0, len(unique), _IN_BATCH):
            rows = connection.execute(
                select(submissions_table).where(
                    submissions_table.c.id.in_(unique[start : start + _IN_BATCH]),
                    submissions_table.c.assessment_id.not_in(_deleted_ids()),
                )
            ).all()
            for row in rows:
                found[row.id] = Saved(
                    row.assessment_id, row.version, _as_utc(row.saved_at), repeated=True
                )
        return found

    def _import_rows(
        self,
        connection: Connection,
        assessments: Sequence[Assessment],
        ids: Sequence[str],
        scored: Mapping[str, dict[str, Any]],
    ) -> list[Saved]:
        """Insert the assessments not saved before, in the caller's writing transaction; the
        :class:`Saved` of each of ``assessments``, in order."""
        earlier = self._earlier_submissions(connection, ids)  # again, inside the write lock
        self._check_repeats(connection, earlier, assessments, ids)
        new: dict[str, Assessment] = {}
        for submission_id, assessment in zip(ids, assessments, strict=True):
            if submission_id not in earlier:
                new.setdefault(submission_id, assessment)
        now = self._now()
        saved: dict[str, Saved] = dict(earlier)
        if new:
            fresh = list(new)
            for start in range(0, len(fresh), _IN_BATCH):
                _forget_deleted_submissions(connection, fresh[start : start + _IN_BATCH])
            contents = [
                scored.get(sid) or self._content_columns(new[sid], self._score(new[sid]))
                for sid in fresh
            ]
            table = assessments_table
            made = (
                connection.execute(
                    insert(table).returning(table.c.id, sort_by_parameter_order=True),
                    [
                        {
                            **content,
                            "created_at": now,
                            "updated_at": now,
                            "submission_id": sid,
                            "version": 1,
                        }
                        for sid, content in zip(fresh, contents, strict=True)
                    ],
                )
                .scalars()
                .all()
            )
            connection.execute(
                insert(versions_table),
                [
                    {
                        **content,
                        "assessment_id": assessment_id,
                        "version": 1,
                        "saved_at": now,
                        "submission_id": sid,
                    }
                    for sid, content, assessment_id in zip(fresh, contents, made, strict=True)
                ],
            )
            connection.execute(
                insert(submissions_table),
                [
                    {"id": sid, "assessment_id": assessment_id, "version": 1, "saved_at": now}
                    for sid, assessment_id in zip(fresh, made, strict=True)
                ],
            )
            connection.execute(
                insert(audit_table),
                [
                    self._audit_values(
                        AuditAction.import_,
                        assessment_id,
                        new[sid].profile.organization,
                        _describe_save(new[sid], 1),
                    )
                    for sid, assessment_id in zip(fresh, made, strict=True)
                ],
            )
            for start in range(0, len(fresh), _IN_BATCH):
                connection.execute(
                    delete(drafts_table).where(
                        drafts_table.c.id.in_(fresh[start : start + _IN_BATCH])
                    )
                )
            for sid, assessment_id in zip(fresh, made, strict=True):
                saved[sid] = Saved(int(assessment_id), 1, _as_utc(now))
        results = []
        for sid in ids:  # a second copy in the same file is a repeat of the first
            results.append(saved[sid])
            saved[sid] = dataclasses.replace(saved[sid], repeated=True)
        return results

    def _check_repeats(
        self,
        connection: Connection,
        earlier: Mapping[str, Saved],
        assessments: Sequence[Assessment],
        ids: Sequence[str],
    ) -> None:
        """Each assessment whose submission was saved before must be what was saved then
        (:class:`SubmissionConflictError` otherwise), as a repeated save checks."""
        pairs = {(saved.id, saved.version) for saved in earlier.values()}
        stored: dict[tuple[int, int], Any] = {}
        wanted = sorted({assessment_id for assessment_id, _version in pairs})
        for start in range(0, len(wanted), _IN_BATCH):
            rows = connection.execute(
                select(versions_table).where(
                    versions_table.c.assessment_id.in_(wanted[start : start + _IN_BATCH])
                )
            ).all()
            stored.update({(row.assessment_id, row.version): row for row in rows})
        for submission_id, assessment in zip(ids, assessments, strict=True):
            saved = earlier.get(submission_id)
            row = stored.get((saved.id, saved.version)) if saved else None
            if saved is None or row is None:
                continue
            before = _assessment_from_row(row, json.loads(row.answers_json))
            if before.profile != assessment.profile or before.answers != dict(assessment.answers):
                raise SubmissionConflictError(
                    f"{submission_id} was already saved as assessment {saved.id} with other "
                    "answers",
                    saved,
                )

    def record_export(self, what: str, assessment_ids: Iterable[int]) -> None:
        """Record in the audit log that this user exported ``assessment_ids`` as ``what`` (e.g.
        "JSON", "CSV", "HTML report"): for downloads made outside the store. Each id must be one
        this user may read (:class:`AssessmentNotFoundError` otherwise, and nothing is recorded).
        """
        require(self.user, Action.export)
        with self._write() as connection:
            for assessment_id in dict.fromkeys(assessment_ids):
                organization = self._organization_of(connection, assessment_id)
                self._record(connection, AuditAction.export, assessment_id, organization, what)

    def _check_repeat(
        self, connection: Connection, earlier: Saved, assessment: Assessment, submission_id: str
    ) -> None:
        row = connection.execute(
            select(versions_table).where(
                versions_table.c.assessment_id == earlier.id,
                versions_table.c.version == earlier.version,
            )
        ).one_or_none()
        if row is None:
            return
        if not self.user.sees(row.organization):
            # Another organization's save: say nothing about it.
            raise _submission_id_used(submission_id)
        stored = _assessment_from_row(row, json.loads(row.answers_json))
        if stored.profile != assessment.profile or stored.answers != dict(assessment.answers):
            raise SubmissionConflictError(
                f"{submission_id} was already saved as assessment {earlier.id} with other answers",
                earlier,
            )

    def _store_version(
        self,
        connection: Connection,
        content: dict[str, Any],
        submission_id: str,
        edits: int | None,
    ) -> Saved:
        """Insert a new assessment (version 1) or the next version of ``edits``, and record the
        version in the history; inside the caller's writing transaction."""
        table = assessments_table
        now = self._now()
        if edits is None:
            version = 1
            assessment_id = connection.execute(
                insert(table)
                .values(
                    **content,
                    created_at=now,
                    updated_at=now,
                    submission_id=submission_id,
                    version=version,
                )
                .returning(table.c.id)
            ).scalar_one()
        else:
            current = connection.execute(
                select(table.c.version).where(table.c.id == edits).with_for_update()
            ).one_or_none()
            if current is None:
                raise AssessmentNotFoundError(f"{self.location}: no assessment with id {edits}")
            assessment_id, version = edits, int(current.version or 1) + 1
            connection.execute(
                update(table)
                .where(table.c.id == edits)
                .values(**content, updated_at=now, version=version)
            )
        connection.execute(
            insert(versions_table).values(
                assessment_id=assessment_id,
                version=version,
                saved_at=now,
                submission_id=submission_id,
                **content,
            )
        )
        return Saved(int(assessment_id), version, now)

    def find_submission(self, submission_id: str) -> Saved | None:
        """The save that consumed ``submission_id`` (a draft id), or None if it was not saved
        (or saved as an assessment this user may not read)."""
        with self._read() as connection:
            saved = _submission(connection, submission_id)
            if saved is None:
                return None
            try:
                self._organization_of(connection, saved.id)
            except AssessmentNotFoundError:
                return None
            return saved

    def versions(self, assessment_id: int) -> list[AssessmentVersion]:
        """Every saved version of an assessment, newest first (empty when there is none, or
        when this user may not read it)."""
        readable = select(assessments_table.c.id).where(
            assessments_table.c.id == assessment_id, self._readable()
        )
        with self._read() as connection:
            rows = connection.execute(
                select(versions_table)
                .where(
                    versions_table.c.assessment_id == assessment_id,
                    versions_table.c.assessment_id.in_(readable),
                )
                .order_by(versions_table.c.version.desc())
            ).all()
        return [
            AssessmentVersion(
                assessment_id=row.assessment_id,
                version=row.version,
                assessment=_assessment_from_row(row, json.loads(row.answers_json)),
                overall=row.overall,
                stage_name=row.stage_name,
                saved_at=_as_utc(row.saved_at),
            )
            for row in rows
        ]

    def restore_version(self, assessment_id: int, version: int, submission_id: str) -> Saved:
        """Make an earlier version the current one, as a new version (history stays whole).
        Assessors restore versions of their organizations' assessments."""
        require(self.user, Action.restore)
        versions = self.versions(assessment_id)
        if not versions:
            raise self._not_found(assessment_id)
        for earlier in versions:
            if earlier.version == version:
                return self._save(
                    earlier.assessment,
                    submission_id,
                    assessment_id,
                    Action.restore,
                    f"version {version} made current again",
                )
        raise AssessmentNotFoundError(
            f"{self.location}: assessment {assessment_id} has no version {version}"
        )

    def list_assessments(
        self, organization: str | None = None, *, skipped: list[str] | None = None
    ) -> list[AssessmentSummary]:
        """Stored assessments this user may read, newest assessment date first (all, or one
        organization's).

        A damaged row (a value readiness never writes: answers that are not a JSON object, a
        date that is not one, text where a number belongs) is left out of the list and, when
        ``skipped`` is given, described there in one line naming the store, table, row and
        column. Leaving it out rather than refusing the whole list keeps every other assessment
        reachable (to export, to repair by hand) while the line says what to look at; reading
        that one assessment (:meth:`get_assessment`) is refused with the same line.
        """
        query = self._summary_query().where(self._readable())
        if organization is not None:
            query = query.where(assessments_table.c.organization == organization)
        return self._summaries(query, skipped)

    def deleted_assessments(self, *, skipped: list[str] | None = None) -> list[AssessmentSummary]:
        """Deleted assessments that can still be restored (deleted at most
        :data:`DELETED_KEPT_DAYS` days ago), most recently deleted first (admins only); each
        ``deleted_at`` is set. Damaged rows are left out, as in :meth:`list_assessments`."""
        require(self.user, Action.restore_deleted)
        table = assessments_table
        query = self._summary_query().where(table.c.deleted_at >= self._restorable_since())
        return self._summaries(query.order_by(None).order_by(table.c.deleted_at.desc()), skipped)

    @staticmethod
    def _summary_query() -> Any:
        table = assessments_table
        return select(
            *_raw(
                table.c.id,
                table.c.organization,
                table.c.division,
                table.c.assessed_on,
                table.c.overall,
                table.c.stage_level,
                table.c.stage_name,
                table.c.questionnaire_version,
                table.c.created_at,
                table.c.updated_at,
                table.c.version,
                table.c.answers_json,
                table.c.deleted_at,
            )
        ).order_by(table.c.assessed_on.desc(), table.c.id.desc())

    def _summaries(self, query: Any, skipped: list[str] | None) -> list[AssessmentSummary]:
        with self._read() as connection:
            rows = connection.execute(query).all()
        summaries = []
        for row in rows:
            try:
                summaries.append(self._summary(_StoredRow(self.location, "assessments", row)))
            except DamagedRowError as error:
                if skipped is not None:
                    skipped.append(str(error))
        return summaries

    def _summary(self, row: _StoredRow) -> AssessmentSummary:
        created_at = row.moment("created_at")
        return AssessmentSummary(
            id=row.integer("id"),
            organization=row.text("organization"),
            division=row.optional_text("division"),
            assessed_on=row.date("assessed_on"),
            overall=row.score("overall"),
            stage_level=row.optional_integer("stage_level"),
            stage_name=row.optional_text("stage_name"),
            questionnaire_version=row.text("questionnaire_version"),
            created_at=created_at,
            updated_at=row.optional_moment("updated_at") or created_at,
            version=row.integer("version"),
            deleted_at=row.optional_moment("deleted_at"),
            **self._completeness(row.json_object("answers_json")),
        )

    def get_assessment(self, assessment_id: int) -> StoredAssessment:
        """The stored assessment ``assessment_id``; raises :class:`AssessmentNotFoundError` when
        there is none or this user may not read it (the same message: nothing is revealed)."""
        with self._read() as connection:
            row = connection.execute(
                select(*_raw(*assessments_table.c)).where(
                    assessments_table.c.id == assessment_id, self._readable()
                )
            ).one_or_none()
        if row is None:
            raise self._not_found(assessment_id)
        return self._stored(_StoredRow(self.location, "assessments", row))

    @staticmethod
    def _stored(row: _StoredRow) -> StoredAssessment:
        """A :class:`StoredAssessment` from a raw row; :class:`DamagedRowError` when a column
        holds what readiness never writes."""
        answers = row.json_object("answers_json")
        assessment = row.validated(
            None,
            lambda: Assessment(
                profile=Profile(
                    organization=row.text("organization"),
                    division=row.optional_text("division"),
                    sector=row.optional_text("sector"),
                    size=row.optional_text("size"),
                ),
                questionnaire_version=row.text("questionnaire_version"),
                assessed_on=row.date("assessed_on"),
                answers=answers,
            ),
        )
        scores_data = row.json_object("scores_json")
        scores = row.validated("scores_json", lambda: Scores.model_validate(scores_data))
        created_at = row.moment("created_at")
        return StoredAssessment(
            id=row.integer("id"),
            assessment=assessment,
            scores=scores,
            scores_json=scores.to_json(),
            submission_id=row.optional_text("submission_id"),
            created_at=created_at,
            updated_at=row.optional_moment("updated_at") or created_at,
            version=row.integer("version"),
        )

    def update_answers(
        self,
        assessment_id: int,
        changes: Mapping[str, Any] | Callable[[dict[str, Any]], Mapping[str, Any]],
    ) -> None:
        """Change some answers of a stored assessment and rescore it, as its next version.

        ``changes`` maps item ids to new answers (None clears one), or is a function of the
        current answers returning that mapping (e.g. ``lambda a: {"gr_projects": a[...] + 1}``),
        called inside the transaction. The row is locked from read to write (``BEGIN IMMEDIATE``
        on SQLite, ``FOR UPDATE`` elsewhere), so concurrent updates queue and none is lost.
        Raises :class:`InputError` when the new answers do not fit the questionnaire,
        :class:`PermissionDeniedError` unless this user may edit the organization's assessments.
        """
        require(self.user, Action.edit)
        table = assessments_table
        with self._write() as connection:
            row = connection.execute(
                select(
                    table.c.answers_json,
                    table.c.organization,
                    table.c.division,
                    table.c.sector,
                    table.c.size,
                    table.c.assessed_on,
                    table.c.questionnaire_version,
                )
                .where(table.c.id == assessment_id, self._readable())
                .with_for_update()
            ).one_or_none()
            if row is None:
                raise self._not_found(assessment_id)
            require(self.user, Action.edit, row.organization)
            answers = json.loads(row.answers_json)
            changed = dict(changes(dict(answers)) if callable(changes) else changes)
            answers.update(changed)
            assessment = _assessment_from_row(row, answers)
            content = self._content_columns(assessment, self._score(assessment))
            saved = self._store_version(
                connection, content, f"update-{uuid.uuid4().hex}", assessment_id
            )
            self._record(
                connection,
                AuditAction.edit,
                assessment_id,
                row.organization,
                f"version {saved.version}: answers {', '.join(sorted(changed))} changed",
            )

    def delete_assessment(self, assessment_id: int) -> None:
        """Delete one stored assessment (admins only): it disappears from every read and is
        kept :data:`DELETED_KEPT_DAYS` days, restorable with :meth:`restore_deleted`.
        :class:`AssessmentNotFoundError` when there is none (or it is already deleted). Drafts
        editing it keep their answers: saving them makes a new assessment."""
        require(self.user, Action.delete)
        with self._write() as connection:
            organization = self._organization_of(connection, assessment_id, lock=True)
            now = self._now()
            connection.execute(
                update(assessments_table)
                .where(assessments_table.c.id == assessment_id)
                .values(deleted_at=now)
            )
            _detach_drafts(connection, assessment_id)
            until = (now + dt.timedelta(days=DELETED_KEPT_DAYS)).date()
            self._record(
                connection,
                AuditAction.delete,
                assessment_id,
                organization,
                f"restorable until {until:%Y-%m-%d}",
            )

    def _restorable_since(self) -> dt.datetime:
        """The earliest deletion time of an assessment that is still kept (naive UTC)."""
        return self._now() - dt.timedelta(days=DELETED_KEPT_DAYS)

    def _deleted_row(self, connection: Connection, assessment_id: int) -> Any:
        row = connection.execute(
            select(assessments_table.c.organization, assessments_table.c.deleted_at)
            .where(
                assessments_table.c.id == assessment_id,
                assessments_table.c.deleted_at.is_not(None),
            )
            .with_for_update()
        ).one_or_none()
        if row is None:
            raise AssessmentNotFoundError(
                f"{self.location}: no deleted assessment with id {assessment_id}"
            )
        return row

    def restore_deleted(self, assessment_id: int) -> None:
        """Bring back a deleted assessment, as it was (admins only), within
        :data:`DELETED_KEPT_DAYS` days of its deletion; :class:`AssessmentNotFoundError` when no
        deleted assessment has that id or it was deleted longer ago."""
        require(self.user, Action.restore_deleted)
        with self._write() as connection:
            row = self._deleted_row(connection, assessment_id)
            if row.deleted_at < self._restorable_since():
                raise AssessmentNotFoundError(
                    f"{self.location}: assessment {assessment_id} was deleted more than "
                    f"{DELETED_KEPT_DAYS} days ago and can no longer be restored"
                )
            connection.execute(
                update(assessments_table)
                .where(assessments_table.c.id == assessment_id)
                .values(deleted_at=None)
            )
            self._record(
                connection,
                AuditAction.restore_deleted,
                assessment_id,
                row.organization,
                _deleted_when(row.deleted_at),
            )

    def purge(self, assessment_id: int) -> None:
        """Remove a deleted assessment for good, with its versions (admins only; delete it first).
        :class:`AssessmentNotFoundError` when no deleted assessment has that id. Its id is never
        given to another assessment."""
        require(self.user, Action.purge)
        with self._write() as connection:
            row = self._deleted_row(connection, assessment_id)
            self._remove(connection, assessment_id)
            self._record(
                connection,
                AuditAction.purge,
                assessment_id,
                row.organization,
                f"{_deleted_when(row.deleted_at)}, purged by hand",
            )

    def purge_expired(self) -> list[int]:
        """Purge every assessment deleted more than :data:`DELETED_KEPT_DAYS` days ago (admins
        only); returns their ids."""
        require(self.user, Action.purge)
        cutoff = self._restorable_since()
        table = assessments_table
        with self._write() as connection:
            rows = connection.execute(
                select(table.c.id, table.c.organization, table.c.deleted_at)
                .where(table.c.deleted_at.is_not(None), table.c.deleted_at < cutoff)
                .order_by(table.c.id)
                .with_for_update()
            ).all()
            for row in rows:
                self._remove(connection, row.id)
                self._record(
                    connection,
                    AuditAction.purge,
                    row.id,
                    row.organization,
                    f"{_deleted_when(row.deleted_at)}, kept {DELETED_KEPT_DAYS} days",
                )
        return [int(row.id) for row in rows]

    @staticmethod
    def _remove(connection: Connection, assessment_id: int) -> None:
        connection.execute(delete(assessments_table).where(assessments_table.c.id == assessment_id))
        connection.execute(
            delete(versions_table).where(versions_table.c.assessment_id == assessment_id)
        )
        connection.execute(
            delete(submissions_table).where(submissions_table.c.assessment_id == assessment_id)
        )
        _detach_drafts(connection, assessment_id)

    def audit_log(
        self,
        limit: int | None = 200,
        assessment_id: int | None = None,
        *,
        skipped: list[str] | None = None,
    ) -> list[AuditEntry]:
        """The audit log, newest first (admins only): at most ``limit`` rows (None: all), of one
        assessment when ``assessment_id`` is given.

        A damaged row (a time that is not one, an unknown role or action, text where an id
        belongs) is left out and, when ``skipped`` is given, described there in one line naming
        the store, row and column: the rest of the log stays readable, and the line says which
        entry cannot be trusted.
        """
        require(self.user, Action.audit)
        query = select(*_raw(*audit_table.c)).order_by(audit_table.c.id.desc())
        if assessment_id is not None:
            query = query.where(audit_table.c.assessment_id == assessment_id)
        if limit is not None:
            query = query.limit(limit)
        with self._read() as connection:
            rows = connection.execute(query).all()
        entries = []
        for raw in rows:
            row = _StoredRow(self.location, "audit_log", raw)
            try:
                entries.append(
                    AuditEntry(
                        id=row.integer("id"),
                        at=row.moment("at"),
                        actor=row.text("actor"),
                        role=row.choice("role", (str(role) for role in Role)),
                        action=row.choice("action", (str(action) for action in AuditAction)),
                        assessment_id=row.optional_integer("assessment_id"),
                        organization=row.optional_text("organization"),
                        detail=row.text("detail"),
                    )
                )
            except DamagedRowError as error:
                if skipped is not None:
                    skipped.append(str(error))
        return entries

    def organizations(self) -> list[str]:
        """Organizations with at least one stored assessment this user may read, sorted."""
        with self._read() as connection:
            names = connection.execute(
                select(assessments_table.c.organization)
                .where(self._readable())
                .distinct()
                .order_by(assessments_table.c.organization)
            ).scalars()
            return list(names)

    def divisions(self, organization: str) -> list[str]:
        """Named divisions of ``organization`` with stored assessments, sorted (none when this
        user may not read the organization)."""
        table = assessments_table
        with self._read() as connection:
            names = connection.execute(
                select(table.c.division)
                .where(
                    table.c.organization == organization,
                    table.c.division.is_not(None),
                    self._readable(),
                )
                .distinct()
                .order_by(table.c.division)
            ).scalars()
            return [name for name in names if name]

    def history(self, organization: str, division: str | None = None) -> pd.DataFrame:
        """Scores over time for a trend chart, oldest first.

        Columns: ``assessed_on`` (date), ``division`` (None for the whole organization),
        ``overall`` and one column per dimension id, all scores 0-100 (NaN without a score).
        ``division=None`` returns every division of the organization. Empty (with those columns)
        when this user may not read the organization.
        """
        table = assessments_table
        query = (
            select(
                *_raw(table.c.id, table.c.assessed_on, table.c.division, table.c.overall),
                *_raw(table.c.scores_json),
            )
            .where(table.c.organization == organization, self._readable())
            .order_by(table.c.assessed_on, table.c.id)
        )
        if division is not None:
            query = query.where(table.c.division == division)
        with self._read() as connection:
            rows = connection.execute(query).all()
        dimension_ids = [d.id for d in self.questionnaire.dimensions]
        records: list[dict[str, Any]] = []
        for raw in rows:
            row = _StoredRow(self.location, "assessments", raw)
            try:  # a damaged row is left out of the trend (its own reads name it)
                scores = row.json_object("scores_json").get("dimensions")
                stored = {
                    d.get("id"): d.get("score")
                    for d in (scores if isinstance(scores, list) else [])
                    if isinstance(d, dict)
                }
                records.append(
                    {
                        "assessed_on": row.date("assessed_on"),
                        "division": row.optional_text("division"),
                        "overall": row.score("overall"),
                        **{d: stored.get(d) for d in dimension_ids},
                    }
                )
            except DamagedRowError:
                continue
        columns = ["assessed_on", "division", "overall", *dimension_ids]
        frame = pd.DataFrame.from_records(records, columns=columns)
        for column in ["overall", *dimension_ids]:
            frame[column] = pd.to_numeric(frame[column], errors="coerce").astype(float)
        return frame


def open_store(
    url: str | None = None,
    questionnaire: Questionnaire | None = None,
    rulebook: RuleBook | None = None,
    *,
    create: bool = True,
) -> Store:
    """Open the store at ``url`` (default :func:`database_url`), creating or upgrading its schema.

    The upgrade (:func:`readiness.migrations.upgrade`) runs under a lock, so several servers
    starting at once on one database do not race. ``create=False`` (read-only commands) never
    creates a file or directory: a missing SQLite store raises :class:`StoreNotFoundError`.
    Raises :class:`StoreError` with one line for a person when the database cannot be used.
    """
    engine = create_store_engine(url, create=create)
    where = describe_url(engine.url)
    try:
        upgrade(engine)
    except SchemaError as error:
        engine.dispose()
        raise StoreError(f"{where}: {error}") from None
    except (sa_exc.OperationalError, sa_exc.DatabaseError, sa_exc.InterfaceError) as error:
        engine.dispose()
        raise StoreError(explain_database_error(error, where)) from None
    store = Store(engine, questionnaire, rulebook)
    try:
        store.purge_expired()  # assessments deleted more than DELETED_KEPT_DAYS days ago
    except StoreError:
        engine.dispose()
        raise
    return store


def _deleted_ids() -> Any:
    return select(assessments_table.c.id).where(assessments_table.c.deleted_at.is_not(None))


def _submission(connection: Connection, submission_id: str) -> Saved | None:
    """The save that consumed ``submission_id``; None when there is none or its assessment was
    deleted (saving that submission again makes a new assessment)."""
    row = connection.execute(
        select(submissions_table).where(
            submissions_table.c.id == submission_id,
            submissions_table.c.assessment_id.not_in(_deleted_ids()),
        )
    ).one_or_none()
    if row is None:
        return None
    return Saved(row.assessment_id, row.version, _as_utc(row.saved_at), repeated=True)


def _draft_id_taken(draft_id: str) -> DraftIdTakenError:
    # The same words for another organization's draft and its saved assessment.
    return DraftIdTakenError(f"draft {draft_id} was already used; keep the draft under a fresh id")


def _submission_id_used(submission_id: str) -> SubmissionConflictError:
    # The same words for another organization's saved submission and its draft.
    return SubmissionConflictError(f"{submission_id} was already used; save under a fresh id")


def _detach_drafts(connection: Connection, assessment_id: int) -> None:
    """Drafts editing ``assessment_id`` keep their answers: saving them makes a new assessment."""
    connection.execute(
        update(drafts_table)
        .where(drafts_table.c.assessment_id == assessment_id)
        .values(assessment_id=None)
    )


def _deleted_when(deleted_at: dt.datetime) -> str:
    """An audit detail's time of deletion: "deleted 2026-11-30 09:12 UTC"."""
    return f"deleted {_as_utc(deleted_at):%Y-%m-%d %H:%M} UTC"


def _forget_deleted_submission(connection: Connection, submission_id: str) -> None:
    """Drop ``submission_id``'s record when it made a since-deleted assessment, so that it can
    be saved again (restoring that assessment later leaves it without this submission)."""
    _forget_deleted_submissions(connection, [submission_id])


def _forget_deleted_submissions(connection: Connection, submission_ids: Sequence[str]) -> None:
    """:func:`_forget_deleted_submission` for several ids at once."""
    connection.execute(
        delete(submissions_table).where(
            submissions_table.c.id.in_(submission_ids),
            submissions_table.c.assessment_id.in_(_deleted_ids()),
        )
    )
    table = assessments_table  # its submission id is unique too
    connection.execute(
        update(table)
        .where(table.c.submission_id.in_(submission_ids), table.c.deleted_at.is_not(None))
        .values(submission_id=None)
    )


def _describe_save(assessment: Assessment, version: int) -> str:
    """An audit detail for a save: "version 2 of Sales, assessed on 2026-03-31"."""
    where = assessment.profile.division or "the whole organization"
    return f"version {version} of {where}, assessed on {assessment.assessed_on:%Y-%m-%d}"


def _discard(connection: Connection, draft_id: str) -> None:
    connection.execute(delete(drafts_table).where(drafts_table.c.id == draft_id))


_AUDITED = {
    Action.save: AuditAction.save,
    Action.edit: AuditAction.edit,
    Action.restore: AuditAction.restore_version,
    Action.import_: AuditAction.import_,
}


def _assessment_from_row(row: Any, answers: dict[str, Any]) -> Assessment:
    """An :class:`Assessment` from a row of the assessments table, with ``answers``."""
    return Assessment(
        profile=Profile(
            organization=row.organization,
            division=row.division,
            sector=row.sector,
            size=row.size,
        ),
        questionnaire_version=row.questionnaire_version,
        assessed_on=row.assessed_on,
        answers=answers,
    )
