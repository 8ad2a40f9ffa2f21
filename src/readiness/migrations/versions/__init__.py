"""The store's schema revisions, applied in order by Alembic (see :mod:`readiness.migrations`).

Each file is one revision: ``revision`` (its id, a 4-digit number), ``down_revision`` (the one
it follows) and ``upgrade()``. A released revision is never edited: databases exist in its shape.

Adding a revision (say 0004), from the repository with the virtual environment active::

    python -m readiness.migrations new "audit log and soft delete"

writes ``r0004_audit_log_and_soft_delete.py`` here, following the current head. Fill in
``upgrade()`` with the schema change and any backfill, run on ``op.get_bind()`` (one SQLAlchemy
connection, inside the upgrade's single transaction); it must work on SQLite and PostgreSQL
(test both: tests/test_migrations.py). Then use the new tables and columns in
:mod:`readiness.store.schema`. Nothing else needs changing: the head is read from these files, and
``open_store`` and ``readiness db upgrade`` apply what a database lacks. Downgrades are not
supported (restore a backup).

Revisions 0001-0003 are the schema versions 1-3 of the hand-made migrations that came before
Alembic, reproduced exactly; a database made then (a ``schema_version`` table, no
``alembic_version``) is stamped at the matching revision and upgraded from there.
"""
