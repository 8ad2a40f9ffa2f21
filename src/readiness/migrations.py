"""The store's schema, versioned: an explicit ``schema_version`` table and ordered migrations.

Every database records the migrations applied to it in ``schema_version`` (one row per version,
with the UTC time it was applied). :func:`migrate` brings a database up to :data:`LATEST` in one
transaction, so an upgrade either completes or leaves the old schema and its data untouched.
Migrations only ever add: old rows keep their values, new columns get defaults or backfills.

- **1**, the first schema: ``assessments`` (profile, date, questionnaire version, answers and
  scores as JSON text, overall score and stage for listing) and ``drafts`` (answers in progress,
  keyed by a draft id).
- **2**: ``assessments.submission_id`` (unique, so a repeated submit stores one row) and
  ``assessments.updated_at`` (backfilled from ``created_at``).
- **3**: assessment identity and history: ``assessments.version`` (the current version, 1 for
  existing rows), ``assessment_versions`` (every saved version of an assessment, backfilled with
  version 1 from each existing row), ``submissions`` (every draft id consumed by a save, with the
  assessment and version it made; backfilled from ``assessments.submission_id``) and
  ``drafts.assessment_id`` (the saved assessment a draft edits, NULL for a new one). On SQLite
  the assessments table is rebuilt with ``AUTOINCREMENT``: a deleted assessment's id is never
  given to another (PostgreSQL's sequences never reuse one anyway).

Several processes may open a new database at once: on SQLite the migration transaction starts
with ``BEGIN IMMEDIATE`` (see :mod:`readiness.store`), on PostgreSQL it takes a transaction-level
advisory lock, and the version is read again inside the transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

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
    func,
    insert,
    inspect,
    select,
    text,
)
from sqlalchemy.engine import Connection, Engine

from readiness.errors import ReadinessError

SCHEMA_VERSION_TABLE = "schema_version"
#: Arbitrary constant key of the PostgreSQL advisory lock held while migrating.
_ADVISORY_LOCK_KEY = 7_041_962_001


class SchemaError(ReadinessError):
    """The database's schema cannot be used by this version of readiness."""


def _version_table(metadata: MetaData) -> Table:
    return Table(
        SCHEMA_VERSION_TABLE,
        metadata,
        Column("version", Integer, primary_key=True, autoincrement=False),
        Column("description", String(200), nullable=False),
        Column("applied_at", DateTime, nullable=False),
    )


def _migration_1(connection: Connection) -> None:
    """The first schema, as it was released (never edit it: databases exist in this shape)."""
    metadata = MetaData()
    Table(
        "assessments",
        metadata,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("organization", String(200), nullable=False, index=True),
        Column("division", String(200), nullable=True),
        Column("sector", String(20), nullable=True),
        Column("size", String(20), nullable=True),
        Column("assessed_on", Date, nullable=False),
        Column("questionnaire_version", String(50), nullable=False),
        Column("answers_json", Text, nullable=False),
        Column("scores_json", Text, nullable=False),
        Column("overall", Float, nullable=True),
        Column("stage_level", Integer, nullable=True),
        Column("stage_name", String(100), nullable=True),
        Column("created_at", DateTime, nullable=False),
    )
    Table(
        "drafts",
        metadata,
        Column("id", String(200), primary_key=True),
        Column("profile_json", Text, nullable=True),
        Column("answers_json", Text, nullable=False),
        Column("updated_at", DateTime, nullable=False),
    )
    metadata.create_all(connection)


def _migration_2(connection: Connection) -> None:
    """Submission ids (idempotent submit) and an update time on assessments."""
    timestamp = DateTime().compile(dialect=connection.dialect)
    connection.execute(text("ALTER TABLE assessments ADD COLUMN submission_id VARCHAR(200)"))
    connection.execute(text(f"ALTER TABLE assessments ADD COLUMN updated_at {timestamp}"))
    connection.execute(text("UPDATE assessments SET updated_at = created_at"))
    # A unique index allows many NULLs (rows saved before version 2) on SQLite and PostgreSQL.
    connection.execute(
        text("CREATE UNIQUE INDEX ix_assessments_submission_id ON assessments (submission_id)")
    )


def _never_reuse_sqlite_ids(connection: Connection) -> None:
    """Rebuild SQLite's assessments table with AUTOINCREMENT, so that the id of a deleted
    assessment is never given to another one (a bookmarked ``?assessment=N`` must not open a
    stranger's). SQLite's documented way: create the new table, copy, drop, rename."""
    metadata = MetaData()
    Table(
        "assessments_rebuilt",
        metadata,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("organization", String(200), nullable=False),
        Column("division", String(200), nullable=True),
        Column("sector", String(20), nullable=True),
        Column("size", String(20), nullable=True),
        Column("assessed_on", Date, nullable=False),
        Column("questionnaire_version", String(50), nullable=False),
        Column("answers_json", Text, nullable=False),
        Column("scores_json", Text, nullable=False),
        Column("overall", Float, nullable=True),
        Column("stage_level", Integer, nullable=True),
        Column("stage_name", String(100), nullable=True),
        Column("created_at", DateTime, nullable=False),
        Column("submission_id", String(200), nullable=True),
        Column("updated_at", DateTime, nullable=True),
        sqlite_autoincrement=True,
    )
    metadata.create_all(connection)
    columns = (
        "id, organization, division, sector, size, assessed_on, questionnaire_version, "
        "answers_json, scores_json, overall, stage_level, stage_name, created_at, "
        "submission_id, updated_at"
    )
    connection.execute(
        text(f"INSERT INTO assessments_rebuilt ({columns}) SELECT {columns} FROM assessments")
    )
    connection.execute(text("DROP TABLE assessments"))
    connection.execute(text("ALTER TABLE assessments_rebuilt RENAME TO assessments"))
    connection.execute(
        text("CREATE INDEX ix_assessments_organization ON assessments (organization)")
    )
    connection.execute(
        text("CREATE UNIQUE INDEX ix_assessments_submission_id ON assessments (submission_id)")
    )


def _migration_3(connection: Connection) -> None:
    """Versions of assessments, consumed submissions, and drafts that edit a saved assessment."""
    if connection.dialect.name == "sqlite":
        _never_reuse_sqlite_ids(connection)
    connection.execute(text("ALTER TABLE assessments ADD COLUMN version INTEGER"))
    connection.execute(text("UPDATE assessments SET version = 1"))
    connection.execute(text("ALTER TABLE drafts ADD COLUMN assessment_id INTEGER"))
    metadata = MetaData()
    Table(
        "assessment_versions",
        metadata,
        Column("assessment_id", Integer, primary_key=True, autoincrement=False),
        Column("version", Integer, primary_key=True, autoincrement=False),
        Column("organization", String(200), nullable=False),
        Column("division", String(200), nullable=True),
        Column("sector", String(20), nullable=True),
        Column("size", String(20), nullable=True),
        Column("assessed_on", Date, nullable=False),
        Column("questionnaire_version", String(50), nullable=False),
        Column("answers_json", Text, nullable=False),
        Column("scores_json", Text, nullable=False),
        Column("overall", Float, nullable=True),
        Column("stage_level", Integer, nullable=True),
        Column("stage_name", String(100), nullable=True),
        Column("saved_at", DateTime, nullable=False),
        Column("submission_id", String(200), nullable=True),
    )
    Table(
        "submissions",
        metadata,
        Column("id", String(200), primary_key=True),
        Column("assessment_id", Integer, nullable=False, index=True),
        Column("version", Integer, nullable=False),
        Column("saved_at", DateTime, nullable=False),
    )
    metadata.create_all(connection)
    connection.execute(
        text(
            "INSERT INTO assessment_versions (assessment_id, version, organization, division, "
            "sector, size, assessed_on, questionnaire_version, answers_json, scores_json, "
            "overall, stage_level, stage_name, saved_at, submission_id) "
            "SELECT id, 1, organization, division, sector, size, assessed_on, "
            "questionnaire_version, answers_json, scores_json, overall, stage_level, stage_name, "
            "COALESCE(updated_at, created_at), submission_id FROM assessments"
        )
    )
    connection.execute(
        text(
            "INSERT INTO submissions (id, assessment_id, version, saved_at) "
            "SELECT submission_id, id, 1, COALESCE(updated_at, created_at) FROM assessments "
            "WHERE submission_id IS NOT NULL"
        )
    )


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    apply: Callable[[Connection], None]


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "first schema: assessments and drafts", _migration_1),
    Migration(2, "assessments.submission_id (unique) and assessments.updated_at", _migration_2),
    Migration(
        3, "assessment versions, consumed submissions, drafts editing an assessment", _migration_3
    ),
)
LATEST = MIGRATIONS[-1].version


def current_version(connection: Connection) -> int:
    """The highest applied migration; 0 for a database without a ``schema_version`` table."""
    if not inspect(connection).has_table(SCHEMA_VERSION_TABLE):
        return 0
    table = _version_table(MetaData())
    version = connection.execute(select(func.max(table.c.version))).scalar_one_or_none()
    return int(version or 0)


def migrate(engine: Engine, target: int = LATEST) -> list[int]:
    """Apply the missing migrations up to ``target``; returns the versions applied (maybe none).

    Raises :class:`SchemaError` when the database is newer than this code knows.
    """
    if not 1 <= target <= LATEST:
        raise ValueError(f"target schema version {target} is not between 1 and {LATEST}")
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(
                text("SELECT pg_advisory_xact_lock(:key)"), {"key": _ADVISORY_LOCK_KEY}
            )
        metadata = MetaData()
        table = _version_table(metadata)
        metadata.create_all(connection, checkfirst=True)
        version = current_version(connection)
        if version > LATEST:
            raise SchemaError(
                f"the database has schema version {version}, newer than this readiness "
                f"understands ({LATEST}); upgrade readiness to use it"
            )
        applied: list[int] = []
        for migration in MIGRATIONS:
            if version < migration.version <= target:
                migration.apply(connection)
                connection.execute(
                    insert(table).values(
                        version=migration.version,
                        description=migration.description,
                        applied_at=dt.datetime.now(dt.UTC).replace(tzinfo=None),
                    )
                )
                applied.append(migration.version)
        return applied
