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

from sqlalchemy import exc as sa_exc

from readiness.errors import StoreError
from readiness.migrations import SchemaError, upgrade
from readiness.questionnaire import Questionnaire
from readiness.rules import RuleBook
from readiness.store.audit import MAX_AUDIT_DETAIL, AuditAction, AuditEntry, AuditMixin
from readiness.store.base import StoreBase
from readiness.store.drafts import DraftsMixin
from readiness.store.engine import (
    BUSY_TIMEOUT_MS,
    CONNECT_TIMEOUT_S,
    DATABASE_FILE,
    SQLITE_HEADER,
    create_store_engine,
    data_home,
    database_url,
    describe_url,
    explain_database_error,
)
from readiness.store.importing import ImportMixin, import_submission_id
from readiness.store.reading import ReadingMixin
from readiness.store.records import (
    AssessmentNotFoundError,
    AssessmentSummary,
    AssessmentVersion,
    DamagedRowError,
    Draft,
    DraftConsumedError,
    DraftIdTakenError,
    Saved,
    StoredAssessment,
    StoreNotFoundError,
    SubmissionConflictError,
)
from readiness.store.rows import MAX_ID_LENGTH
from readiness.store.saving import SavingMixin
from readiness.store.schema import (
    assessments_table,
    audit_table,
    drafts_table,
    submissions_table,
    versions_table,
)
from readiness.store.versions import DELETED_KEPT_DAYS, VersionsMixin

__all__ = [
    "BUSY_TIMEOUT_MS",
    "CONNECT_TIMEOUT_S",
    "DATABASE_FILE",
    "DELETED_KEPT_DAYS",
    "MAX_AUDIT_DETAIL",
    "MAX_ID_LENGTH",
    "SQLITE_HEADER",
    "AssessmentNotFoundError",
    "AssessmentSummary",
    "AssessmentVersion",
    "AuditAction",
    "AuditEntry",
    "DamagedRowError",
    "Draft",
    "DraftConsumedError",
    "DraftIdTakenError",
    "Saved",
    "Store",
    "StoreError",
    "StoreNotFoundError",
    "StoredAssessment",
    "SubmissionConflictError",
    "assessments_table",
    "audit_table",
    "create_store_engine",
    "data_home",
    "database_url",
    "describe_url",
    "drafts_table",
    "explain_database_error",
    "import_submission_id",
    "open_store",
    "submissions_table",
    "versions_table",
]


class Store(
    VersionsMixin, ImportMixin, SavingMixin, DraftsMixin, AuditMixin, ReadingMixin, StoreBase
):
    """Assessments and drafts in one database. Safe to share between threads (and processes).

    Made of one part per concern, each a class in its own module of this package: ``base``
    (engine, user, transactions), ``audit``, ``drafts``, ``saving``, ``importing``, ``reading``
    and ``versions`` (versions and deletion). A part builds on the parts it uses and is listed
    before them (Python's method resolution order). ``user`` is who acts (default: the local
    operator, admin of everything); ``clock`` gives the current UTC time (injected by tests).
    """


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
