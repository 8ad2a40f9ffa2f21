"""Stores made by readiness before Alembic upgrade in place, and two processes starting at once on
an empty database leave one schema.

The old stores in tests/data/stores/ were made by the code of schema versions 2 (the release) and
3 (the last before Alembic) with make_old_stores.py: SQLite files, and plain SQL dumps
(``pg_dump --inserts``) loaded into a new database of the test PostgreSQL server.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy import MetaData, create_engine, select, text
from sqlalchemy.engine import make_url
from store_fixtures import libpq_url

from readiness.cli import main
from readiness.migrations import (
    ADVISORY_LOCK_KEY,
    LEGACY_REVISIONS,
    LEGACY_VERSION_TABLE,
    head_revision,
    revisions,
    schema_state,
    upgrade,
)
from readiness.store import create_store_engine, open_store

STORES = Path(__file__).resolve().parent / "data" / "stores"
STORE_TABLES = {"assessments", "drafts", "assessment_versions", "submissions"}
Rows = dict[str, list[dict[str, Any]]]


@pytest.fixture
def new_postgres_database(postgres_admin_url: str) -> Iterator[Callable[[], str]]:
    """Makes empty PostgreSQL databases (dropped after the test); returns their URLs.

    A database rather than a schema: a dump names the ``public`` schema, and advisory locks
    belong to a database."""
    names: list[str] = []

    def make() -> str:
        name = f"readiness_old_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(libpq_url(postgres_admin_url), autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        names.append(name)
        url = make_url(postgres_admin_url).set(database=name)
        return url.render_as_string(hide_password=False)

    yield make
    with psycopg.connect(libpq_url(postgres_admin_url), autocommit=True) as admin:
        for name in names:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def load_dump(url: str, dump: Path) -> None:
    """Run a plain ``pg_dump`` script (its psql-only backslash lines left out)."""
    script = "\n".join(
        line for line in dump.read_text(encoding="utf-8").splitlines() if not line.startswith("\\")
    )
    with psycopg.connect(libpq_url(url)) as connection:
        connection.execute(script.encode())


@dataclass(frozen=True)
class OldStore:
    url: str
    schema_version: int
    manifest: dict[str, Any]


def _empty_database(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / f'new-{uuid.uuid4().hex[:6]}.db'}"
    make: Callable[[], str] = request.getfixturevalue("new_postgres_database")
    return make()


@pytest.fixture(
    params=[
        pytest.param(("sqlite", 2), id="sqlite-schema2"),
        pytest.param(("sqlite", 3), id="sqlite-schema3"),
        pytest.param(("postgresql", 2), id="postgresql-schema2", marks=pytest.mark.postgres),
        pytest.param(("postgresql", 3), id="postgresql-schema3", marks=pytest.mark.postgres),
    ]
)
def old_store(request: pytest.FixtureRequest, tmp_path: Path) -> OldStore:
    """A store made by readiness of schema version 2 or 3, on SQLite or PostgreSQL."""
    backend, version = request.param
    manifest = json.loads((STORES / f"schema{version}.json").read_text(encoding="utf-8"))
    if backend == "sqlite":
        path = tmp_path / "readiness.db"
        path.write_bytes((STORES / f"schema{version}.db").read_bytes())
        return OldStore(f"sqlite:///{path}", version, manifest)
    url = _empty_database(backend, request, tmp_path)
    load_dump(url, STORES / f"schema{version}.pg.sql")
    return OldStore(url, version, manifest)


def snapshot(url: str) -> Rows:
    """Every row of every table, by primary key (through a plain engine, no store settings)."""
    engine = create_engine(url)
    metadata = MetaData()
    metadata.reflect(engine)
    with engine.connect() as connection:
        rows = {
            name: [
                dict(row._mapping)
                for row in connection.execute(select(table).order_by(*table.primary_key.columns))
            ]
            for name, table in metadata.tables.items()
        }
    engine.dispose()
    return rows


def by_key(rows: list[dict[str, Any]], *key: str) -> dict[tuple[Any, ...], dict[str, Any]]:
    return {tuple(row[k] for k in key): row for row in rows}


def test_the_old_stores_hold_what_their_manifest_says(old_store: OldStore) -> None:
    before = snapshot(old_store.url)
    assert [row["id"] for row in before["assessments"]] == [
        entry["id"] for entry in old_store.manifest["assessments"]
    ]
    assert max(row["version"] for row in before[LEGACY_VERSION_TABLE]) == old_store.schema_version
    assert "alembic_version" not in before
    assert len(before["drafts"]) == (2 if old_store.schema_version == 2 else 3)
    if old_store.schema_version == 3:
        assert len(before["assessment_versions"]) == 6
        assert len(before["submissions"]) == 5


def test_an_old_store_upgrades_in_place_with_every_row_intact(old_store: OldStore) -> None:
    before = snapshot(old_store.url)
    with open_store(old_store.url) as store:
        for row in before["assessments"]:
            stored = store.get_assessment(row["id"])
            assert stored.assessment.answers == json.loads(row["answers_json"])
            assert stored.assessment.profile.organization == row["organization"]
            assert stored.assessment.profile.division == row["division"]
            assert stored.assessment.assessed_on == row["assessed_on"]
            assert stored.submission_id == row["submission_id"]
            assert stored.version == row.get("version", 1)
        # every saved version: the old ones, or (from schema 2) version 1 made from each row
        old_versions = before.get("assessment_versions") or [
            {"assessment_id": row["id"], "version": 1, **row} for row in before["assessments"]
        ]
        for row in before["assessments"]:
            expected = sorted(
                (v for v in old_versions if v["assessment_id"] == row["id"]),
                key=lambda v: -v["version"],
            )
            versions = store.versions(row["id"])
            assert [v.version for v in versions] == [v["version"] for v in expected]
            for version, old in zip(versions, expected, strict=True):
                assert version.assessment.answers == json.loads(old["answers_json"])
        # every consumed submission id still finds the save it made
        old_submissions = before.get("submissions") or [
            {"id": row["submission_id"], "assessment_id": row["id"], "version": 1}
            for row in before["assessments"]
        ]
        assert old_submissions
        for submission in old_submissions:
            found = store.find_submission(submission["id"])
            assert found is not None
            assert (found.id, found.version) == (submission["assessment_id"], submission["version"])
        for draft in before["drafts"]:
            loaded = store.load_draft(draft["id"])
            assert loaded is not None
            assert loaded.answers == json.loads(draft["answers_json"])

    after = snapshot(old_store.url)
    for table, rows in before.items():
        key = ("assessment_id", "version") if table == "assessment_versions" else ("id",)
        key = ("version",) if table == LEGACY_VERSION_TABLE else key
        old, new = by_key(rows, *key), by_key(after[table], *key)
        assert set(new) == set(old), table
        for k, row in old.items():
            assert {column: new[k][column] for column in row} == row, (table, k)
    assert after["alembic_version"] == [{"version_num": head_revision()}]
    assert set(after) >= STORE_TABLES


def test_a_second_upgrade_of_an_old_store_changes_nothing(old_store: OldStore) -> None:
    open_store(old_store.url).close()
    upgraded = snapshot(old_store.url)
    engine = create_store_engine(old_store.url)
    assert upgrade(engine) == []
    with engine.connect() as connection:
        state = schema_state(connection)
    engine.dispose()
    assert (state.revision, state.legacy_version, state.up_to_date) == (head_revision(), None, True)
    assert snapshot(old_store.url) == upgraded


def test_an_upgraded_store_has_exactly_the_schema_of_a_new_one(
    old_store: OldStore, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    backend = make_url(old_store.url).get_backend_name()
    # A new database taken by the revisions to the old store's version has the old code's schema.
    same_version = _empty_database(backend, request, tmp_path)
    engine = create_store_engine(same_version)
    upgrade(engine, LEGACY_REVISIONS[old_store.schema_version])
    engine.dispose()
    assert describe_schema(old_store.url) == describe_schema(same_version)
    # Upgraded, the old store has the schema of a new database at the head.
    new = _empty_database(backend, request, tmp_path)
    open_store(new).close()
    open_store(old_store.url).close()
    assert describe_schema(old_store.url) == describe_schema(new)


def describe_schema(url: str) -> set[tuple[Any, ...]]:
    """Tables, columns (type, nullability, default), constraints and indexes of the store
    (the version tables left out), as the database itself states them."""
    skip = (LEGACY_VERSION_TABLE, "alembic_version")
    engine = create_engine(url)
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            described = {
                (row.type, row.name, row.tbl_name, row.sql)
                for row in connection.execute(
                    text("SELECT type, name, tbl_name, sql FROM sqlite_master")
                )
                if row.tbl_name not in skip
            }
        else:
            columns = connection.execute(
                text(
                    "SELECT table_name, column_name, ordinal_position, data_type, "
                    "character_maximum_length, is_nullable, column_default "
                    "FROM information_schema.columns WHERE table_schema = 'public'"
                )
            )
            constraints = connection.execute(
                text(
                    "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
                    "FROM pg_constraint WHERE connamespace = 'public'::regnamespace"
                )
            )
            indexes = connection.execute(
                text(
                    "SELECT tablename, indexname, indexdef FROM pg_indexes "
                    "WHERE schemaname = 'public'"
                )
            )
            kinds = (("column", columns), ("constraint", constraints), ("index", indexes))
            described = {
                (kind, *row) for kind, result in kinds for row in result if row[0] not in skip
            }
    engine.dispose()
    assert any("assessments" in str(entry) for entry in described)
    return described


def test_after_the_upgrade_new_assessments_never_take_an_old_id(
    old_store: OldStore, make_assessment: Callable[..., Any]
) -> None:
    ever_used = [entry["id"] for entry in old_store.manifest["assessments"]]
    ever_used += old_store.manifest["deleted"]
    with open_store(old_store.url) as store:
        new_id = store.save_assessment(make_assessment(organization="After"), "after-upgrade")
    assert new_id > max(ever_used)


def test_the_command_line_adopts_and_upgrades_an_old_store(
    old_store: OldStore, capsys: pytest.CaptureFixture[str]
) -> None:
    version = old_store.schema_version
    database = ["db", "--database", old_store.url]
    assert main([*database, "current"]) == 0
    out = capsys.readouterr().out
    assert f"current: 000{version} (schema version {version}, made before Alembic" in out
    assert f"head: {head_revision()}" in out

    assert main([*database, "upgrade"]) == 0
    out = capsys.readouterr().out
    assert f"adopted schema version {version} (made before Alembic) as revision 000{version}" in out
    applied = revisions()[version:]
    if applied:
        assert f"upgraded to {head_revision()} (applied {', '.join(applied)})" in out
    else:
        assert f"up to date at {head_revision()}" in out

    assert main([*database, "current"]) == 0
    assert f"current: {head_revision()}\n" in capsys.readouterr().out


# --- two processes starting at once on an empty database ----------------------------------------

# Each process imports everything, says it is ready, then upgrades as a server starting does.
STARTUP = """
import sys
from pathlib import Path
from readiness.cli import main
Path(sys.argv[2]).write_text("ready")
sys.exit(main(["db", "--database", sys.argv[1], "upgrade"]))
"""


def _start_two(url: str, tmp_path: Path) -> list[subprocess.Popen[str]]:
    processes = []
    for number in (1, 2):
        ready = tmp_path / f"ready-{number}"
        processes.append(
            subprocess.Popen(
                [sys.executable, "-c", STARTUP, url, str(ready)],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
        )
    deadline = time.monotonic() + 60
    while not all((tmp_path / f"ready-{n}").exists() for n in (1, 2)):
        assert time.monotonic() < deadline, "the processes did not start"
        assert all(p.poll() is None for p in processes), [p.communicate() for p in processes]
        time.sleep(0.05)
    return processes


def _finish(processes: list[subprocess.Popen[str]]) -> list[str]:
    outputs = []
    for process in processes:
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
        assert "Traceback" not in err
        outputs.append(out)
    return outputs


def _assert_one_schema_at_head(url: str, outputs: list[str]) -> None:
    # exactly one process applied the revisions; the other found them applied
    applied = [o for o in outputs if f"(applied {', '.join(revisions())})" in o]
    up_to_date = [o for o in outputs if f"up to date at {head_revision()}" in o]
    assert (len(applied), len(up_to_date)) == (1, 1), outputs
    rows = snapshot(url)
    assert rows["alembic_version"] == [{"version_num": head_revision()}]
    assert set(rows) >= STORE_TABLES
    with open_store(url) as store:
        assert store.list_assessments() == []


@pytest.mark.postgres
def test_two_processes_upgrading_an_empty_postgresql_database_at_once_leave_one_schema(
    new_postgres_database: Callable[[], str], tmp_path: Path
) -> None:
    url = new_postgres_database()
    # Hold the migration lock until both processes wait for it, so they really start together.
    with psycopg.connect(libpq_url(url), autocommit=True) as holder:
        holder.execute("SELECT pg_advisory_lock(%s)", (ADVISORY_LOCK_KEY,))
        processes = _start_two(url, tmp_path)
        deadline = time.monotonic() + 60
        while True:
            row = holder.execute(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted "
                "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
            ).fetchone()
            if row is not None and row[0] == 2:
                break
            assert time.monotonic() < deadline, "the processes never waited for the lock"
            assert all(p.poll() is None for p in processes), [p.communicate() for p in processes]
            time.sleep(0.05)
        holder.execute("SELECT pg_advisory_unlock(%s)", (ADVISORY_LOCK_KEY,))
    _assert_one_schema_at_head(url, _finish(processes))


@pytest.mark.full  # starts processes
def test_two_processes_upgrading_an_empty_sqlite_database_at_once_leave_one_schema(
    tmp_path: Path,
) -> None:
    import sqlite3

    path = tmp_path / "readiness.db"
    url = f"sqlite:///{path}"
    # Hold the write lock on the (empty) file while both processes reach the upgrade.
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    processes = _start_two(url, tmp_path)
    time.sleep(1.5)  # both are now inside the upgrade, waiting for the lock (busy timeout 30 s)
    assert all(p.poll() is None for p in processes)
    holder.execute("ROLLBACK")
    holder.close()
    _assert_one_schema_at_head(url, _finish(processes))
