"""``readiness assessments``: list, export, import, report and delete on the configured store."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from readiness.assessment import Assessment
from readiness.cli import main
from readiness.store import open_store


@pytest.fixture
def configured(monkeypatch: pytest.MonkeyPatch, database_url: str) -> str:
    """The store READINESS_DATABASE_URL points at, on each backend."""
    monkeypatch.setenv("READINESS_DATABASE_URL", database_url)
    return database_url


def test_an_exported_assessment_imports_back_and_is_listed(
    configured: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    make_assessment: Callable[..., Assessment],
) -> None:
    with open_store(configured) as store:
        first = store.save_assessment(make_assessment(organization="Acme"), "s1")
    assert main(["assessments", "export", str(first), "--output", str(tmp_path / "a.json")]) == 0
    capsys.readouterr()

    assert main(["assessments", "import", str(tmp_path / "a.json")]) == 0
    out = capsys.readouterr().out
    assert out.startswith("imported assessment ")
    second = int(out.split()[2].rstrip(":"))
    assert second != first

    assert main(["assessments", "list", "--format", "json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert sorted(entry["id"] for entry in listed) == sorted([first, second])
    assert {entry["organization"] for entry in listed} == {"Acme"}

    assert main(["assessments", "export", str(second)]) == 0
    again = json.loads(capsys.readouterr().out)
    original = json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))
    assert {k: v for k, v in again.items() if k != "stored"} == {
        k: v for k, v in original.items() if k != "stored"
    }


def test_the_table_list_csv_export_report_and_delete_work(
    configured: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    make_assessment: Callable[..., Assessment],
) -> None:
    with open_store(configured) as store:
        assessment_id = store.save_assessment(make_assessment(organization="=Evil"), "s1")
    assert main(["assessments", "list"]) == 0
    table = capsys.readouterr().out
    assert table.splitlines()[0].split()[:3] == ["id", "assessed", "on"]
    assert "=Evil" in table

    assert main(["assessments", "export", str(assessment_id), "--format", "csv"]) == 0
    assert "'=Evil" in capsys.readouterr().out

    report = tmp_path / "report.html"
    assert main(["assessments", "report", str(assessment_id), "--output", str(report)]) == 0
    assert "<h2>Growth projection</h2>" in report.read_text(encoding="utf-8")

    assert main(["assessments", "delete", str(assessment_id)]) == 2
    assert "add --yes to confirm" in capsys.readouterr().err
    assert main(["assessments", "delete", str(assessment_id), "--yes"]) == 0
    assert main(["assessments", "list", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_a_missing_id_is_an_error_line_not_a_traceback(
    configured: str, capsys: pytest.CaptureFixture[str]
) -> None:
    open_store(configured).close()  # an existing, empty store
    assert main(["assessments", "export", "12345"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ")
    assert "no assessment with id 12345" in err


def test_a_corrupt_database_file_is_an_error_line_and_stays_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "readiness.db"
    path.write_bytes(b"not a database at all" * 100)
    monkeypatch.setenv("READINESS_DATABASE_URL", f"sqlite:///{path}")
    assert main(["assessments", "list"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert f"error: {path}: not a SQLite database" in err
    assert path.read_bytes() == b"not a database at all" * 100


def test_an_unreachable_postgresql_server_is_an_error_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], unused_port: int
) -> None:
    monkeypatch.setenv(
        "READINESS_DATABASE_URL", f"postgresql://reader:pw@127.0.0.1:{unused_port}/readiness"
    )
    assert main(["assessments", "list"]) == 2
    err = capsys.readouterr().err
    assert "error: " in err
    assert "cannot reach the database server" in err
    assert ":pw@" not in err


def test_an_import_file_with_bad_answers_is_refused_with_its_problems(
    configured: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"organization": "A", "answers": {"nope": 1}}), encoding="utf-8")
    assert main(["assessments", "import", str(bad)]) == 2
    assert "nope" in capsys.readouterr().err
    with open_store(configured) as store:
        assert store.list_assessments() == []


@pytest.mark.parametrize(
    ("argv", "code"),
    [
        (["list"], 0),
        (["list", "--format", "json"], 0),
        (["export", "1"], 2),
        (["report", "1"], 2),
        (["delete", "1", "--yes"], 2),
    ],
)
def test_commands_other_than_import_never_create_a_store(
    argv: list[str],
    code: int,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    home = tmp_path / "home"
    monkeypatch.setenv("READINESS_DATA_HOME", str(home))
    monkeypatch.delenv("READINESS_DATABASE_URL", raising=False)
    assert main(["assessments", *argv]) == code
    captured = capsys.readouterr()
    assert "no store here yet" in captured.err
    assert "Traceback" not in captured.err
    if argv == ["list", "--format", "json"]:
        assert json.loads(captured.out) == []
    assert not home.exists()
    assert list(tmp_path.iterdir()) == []


def test_a_foreign_sqlite_file_is_refused_by_every_command_and_left_as_it_was(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], make_assessment: Callable[..., Assessment]
) -> None:
    import sqlite3

    path = tmp_path / "crm.sqlite"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE contacts (name TEXT)")
    connection.close()
    before = path.read_bytes()
    exported = tmp_path / "a.json"
    exported.write_text(
        json.dumps({"organization": "Acme", "answers": make_assessment().answers}),
        encoding="utf-8",
    )
    url = f"sqlite:///{path}"
    for argv in (["list"], ["import", str(exported)], ["delete", "1", "--yes"]):
        assert main(["assessments", "--database", url, *argv]) == 2
        assert "not a readiness store; it was left untouched" in capsys.readouterr().err
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.json", "crm.sqlite"]


@pytest.mark.parametrize("value", ["9223372036854775808", "-1", "0", "1" + "0" * 400, "ten"])
def test_an_audit_limit_out_of_range_is_an_option_error_naming_the_range(
    value: str, sqlite_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["assessments", "--database", sqlite_url, "audit", "--limit", value])
    assert stop.value.code == 2
    [line] = [line for line in capsys.readouterr().err.splitlines() if "error:" in line]
    assert "argument --limit:" in line
    assert "is not a whole number from 1 to 9223372036854775807" in line


def test_the_largest_audit_limit_lists_the_whole_log(
    sqlite_url: str, capsys: pytest.CaptureFixture[str], make_assessment: Callable[..., Assessment]
) -> None:
    with open_store(sqlite_url) as store:
        store.save_assessment(make_assessment(organization="Acme"), "s1")
    argv = ["assessments", "--database", sqlite_url, "audit", "--format", "json"]
    assert main([*argv, "--limit", "9223372036854775807"]) == 0
    [entry] = json.loads(capsys.readouterr().out)
    assert (entry["action"], entry["organization"]) == ("save", "Acme")


def test_damaged_rows_are_named_list_and_audit_show_the_rest(
    sqlite_url: str, capsys: pytest.CaptureFixture[str], make_assessment: Callable[..., Assessment]
) -> None:
    with open_store(sqlite_url) as store:
        damaged = store.save_assessment(make_assessment(division="Sales"), "s1")
        good = store.save_assessment(make_assessment(division="Ops", seed=1), "s2")
        location = store.location
    with sqlite3.connect(location) as connection:
        connection.execute(f"UPDATE assessments SET created_at = 'yesterday' WHERE id = {damaged}")
        connection.execute(f"UPDATE audit_log SET at = 'never' WHERE assessment_id = {damaged}")
    connection.close()
    where = f"{location}: table assessments, row {damaged}, column created_at"
    base = ["assessments", "--database", sqlite_url]

    assert main([*base, "list", "--format", "json"]) == 0
    captured = capsys.readouterr()
    assert [entry["id"] for entry in json.loads(captured.out)] == [good]
    assert captured.err == f"warning: {where}: holds 'yesterday', not a date and time (left out)\n"

    assert main([*base, "export", str(damaged)]) == 2
    captured = capsys.readouterr()
    assert captured.err == f"error: {where}: holds 'yesterday', not a date and time\n"

    assert main([*base, "audit", "--format", "json"]) == 0
    captured = capsys.readouterr()
    assert [entry["assessment_id"] for entry in json.loads(captured.out)] == [good]
    [line] = captured.err.splitlines()
    assert line.startswith(f"warning: {location}: table audit_log, row ")
    assert line.endswith(", column at: holds 'never', not a date and time (left out)")


def test_list_deleted_and_audit_print_csv_a_spreadsheet_cannot_run(
    sqlite_url: str, capsys: pytest.CaptureFixture[str], make_assessment: Callable[..., Assessment]
) -> None:
    import csv
    import io

    with open_store(sqlite_url) as store:
        kept = store.save_assessment(make_assessment(organization="=Evil", division="Ops"), "s1")
        gone = store.save_assessment(make_assessment(organization="Acme", seed=1), "s2")
    base = ["assessments", "--database", sqlite_url]
    assert main([*base, "delete", str(gone), "--yes"]) == 0
    capsys.readouterr()

    def rows(*argv: str) -> list[dict[str, str]]:
        assert main([*base, *argv, "--format", "csv"]) == 0
        return list(csv.DictReader(io.StringIO(capsys.readouterr().out)))

    [listed] = rows("list")
    assert (listed["id"], listed["organization"], listed["division"]) == (
        str(kept),
        "'=Evil",
        "Ops",
    )
    assert listed["stage_level"].isdigit()
    assert listed["stage_name"]
    [deleted] = rows("deleted")
    assert (deleted["id"], deleted["organization"]) == (str(gone), "Acme")
    assert deleted["purged_after"] > deleted["deleted_at"]
    audit = rows("audit")
    assert [(a["action"], a["assessment_id"]) for a in audit][:1] == [("delete", str(gone))]
    assert {a["organization"] for a in audit} == {"'=Evil", "Acme"}


def test_a_listing_without_a_store_prints_an_empty_one_in_each_format(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("READINESS_DATA_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("READINESS_DATABASE_URL", raising=False)
    assert main(["assessments", "audit", "--format", "csv"]) == 0
    assert capsys.readouterr().out == "id,at,actor,role,action,assessment_id,organization,detail\n"
    assert main(["assessments", "deleted", "--format", "json"]) == 0
    assert capsys.readouterr().out == "[]\n"
    assert main(["assessments", "list"]) == 0
    assert capsys.readouterr().out == ""
    assert not (tmp_path / "home").exists()
