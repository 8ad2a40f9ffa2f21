"""``readiness db current|upgrade``: the store's schema revision from a shell."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from readiness.cli import main
from readiness.migrations import head_revision, revisions, upgrade
from readiness.store import create_store_engine, open_store


def test_current_on_a_missing_sqlite_store_says_so_and_creates_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    home = tmp_path / "home"
    monkeypatch.setenv("READINESS_DATA_HOME", str(home))
    monkeypatch.delenv("READINESS_DATABASE_URL", raising=False)
    assert main(["db", "current"]) == 0
    captured = capsys.readouterr()
    assert captured.out.splitlines() == [
        f"database: {home / 'readiness.db'}",
        "current: none (no store yet)",
        f"head: {head_revision()}",
    ]
    assert "no store here yet" in captured.err
    assert not home.exists()


def test_upgrade_makes_a_new_store_at_the_head_and_current_says_so(
    database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["db", "--database", database_url, "current"]) == 0
    out = capsys.readouterr().out
    assert "current: none (" in out  # an empty database, or no SQLite file yet

    assert main(["db", "--database", database_url, "upgrade"]) == 0
    out = capsys.readouterr().out
    assert f"upgraded to {head_revision()} (applied {', '.join(revisions())})" in out

    assert main(["db", "--database", database_url, "upgrade"]) == 0
    assert f"up to date at {head_revision()}" in capsys.readouterr().out

    assert main(["db", "--database", database_url, "current"]) == 0
    captured = capsys.readouterr()
    assert f"current: {head_revision()}\nhead: {head_revision()}\n" in captured.out
    assert captured.err == ""
    with open_store(database_url) as store:  # the store it made is the dashboard's
        assert store.list_assessments() == []


def test_current_on_a_store_behind_the_head_names_the_command_that_upgrades_it(
    sqlite_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    engine = create_store_engine(sqlite_url)
    upgrade(engine, revisions()[0])
    engine.dispose()
    assert main(["db", "--database", sqlite_url, "current"]) == 0
    captured = capsys.readouterr()
    assert f"current: {revisions()[0]}\n" in captured.out
    assert "'readiness db upgrade' upgrades it" in captured.err
    assert main(["db", "--database", sqlite_url, "upgrade"]) == 0
    assert f"(applied {', '.join(revisions()[1:])})" in capsys.readouterr().out


def test_a_store_of_a_newer_readiness_is_one_error_line_and_exit_2(
    database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    open_store(database_url).close()
    engine = create_store_engine(database_url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    for action in ("current", "upgrade"):
        assert main(["db", "--database", database_url, action]) == 2
        captured = capsys.readouterr()
        [line] = captured.err.splitlines()
        assert line.startswith("error: ")
        assert "revision 9999, which this readiness does not know" in line
        assert f"its newest is {head_revision()}" in line
        # and the dashboard's way in refuses it too
    with pytest.raises(Exception, match="revision 9999"):
        open_store(database_url)


@pytest.mark.parametrize("action", ["current", "upgrade"])
def test_a_store_that_cannot_be_used_is_one_error_line_and_exit_2(
    action: str, tmp_path: Path, unused_port: int, capsys: pytest.CaptureFixture[str]
) -> None:
    not_sqlite = tmp_path / "notes.db"
    not_sqlite.write_text("hello", encoding="utf-8")
    for database, says in (
        (f"sqlite:///{not_sqlite}", "not a SQLite database"),
        (f"postgresql://nobody@127.0.0.1:{unused_port}/readiness", "cannot reach"),
        ("nonsense://", "cannot use this database"),
    ):
        assert main(["db", "--database", database, action]) == 2
        [line] = capsys.readouterr().err.splitlines()
        assert line.startswith("error: ")
        assert says in line
    assert not_sqlite.read_text(encoding="utf-8") == "hello"


def test_the_command_runs_as_its_own_process(tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'readiness.db'}"
    command = [sys.executable, "-m", "readiness.cli", "db", "--database", database]
    done = subprocess.run(
        [*command, "upgrade"], capture_output=True, text=True, check=False, timeout=120
    )
    assert (done.returncode, done.stderr) == (0, "")
    (tmp_path / "readiness.db").write_bytes(b"garbage")
    done = subprocess.run(
        [*command, "current"], capture_output=True, text=True, check=False, timeout=120
    )
    assert done.returncode == 2
    assert len(done.stderr.splitlines()) == 1
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(
    ("tamper", "says"),
    [
        (
            [
                "CREATE TABLE schema_version (version INTEGER)",
                "INSERT INTO schema_version VALUES ('abc')",
            ],
            "table schema_version, column version holds 'abc', not a schema version number",
        ),
        (
            [
                "CREATE TABLE schema_version (version INTEGER)",
                "INSERT INTO schema_version VALUES (-3)",
            ],
            "table schema_version holds version -3, which readiness never wrote",
        ),
        (
            [
                "CREATE TABLE alembic_version (version_num VARCHAR(32))",
                "INSERT INTO alembic_version VALUES (NULL)",
            ],
            "table alembic_version, column version_num holds NULL, not a schema revision",
        ),
    ],
    ids=["text schema_version", "negative schema_version", "NULL alembic revision"],
)
def test_a_hand_edited_version_table_is_one_line_naming_the_file_and_table(
    tamper: list[str], says: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "edited.db"
    with sqlite3.connect(path) as connection:
        for statement in tamper:
            connection.execute(statement)
    connection.close()
    for argv in (["db", "current"], ["db", "upgrade"], ["assessments", "list"]):
        assert main([argv[0], "--database", f"sqlite:///{path}", *argv[1:]]) == 2
        [line] = capsys.readouterr().err.splitlines()
        assert line == f"error: {path}: {says}; restore the database from a backup"
    with sqlite3.connect(path) as connection:  # nothing was created or adopted
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    connection.close()
    assert tables in ({"schema_version"}, {"alembic_version"})
