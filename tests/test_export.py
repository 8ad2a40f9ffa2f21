"""JSON export and import (exact round trip) and CSV export (formula injection neutralised)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from readiness.assessment import Assessment
from readiness.errors import InputError
from readiness.export import (
    assessment_document,
    csv_rows,
    export_csv,
    export_json,
    neutralise_cell,
    parse_import,
)
from readiness.store import Store, import_submission_id


def _without_storage(document: dict[str, object]) -> dict[str, object]:
    return {key: value for key, value in document.items() if key != "stored"}


def test_a_json_export_imported_again_exports_the_same_document(
    store: Store, make_assessment: Callable[..., Assessment]
) -> None:
    original = make_assessment(organization="Ünïcode Org ✓", division=None, gr_projects=7)
    original_id = store.save_assessment(original, "first")
    exported = export_json(store.get_assessment(original_id))

    [imported] = parse_import(store.questionnaire, exported, "export.json")
    assert imported == original
    new_id = store.save_assessment(imported, import_submission_id(imported))
    assert new_id != original_id
    again = json.loads(export_json(store.get_assessment(new_id)))
    assert _without_storage(again) == _without_storage(json.loads(exported))
    assert again["answers"]["gr_projects"] == 7
    assert isinstance(again["answers"]["gr_projects"], int)


def test_importing_the_same_file_twice_stores_it_once(
    store: Store, make_assessment: Callable[..., Assessment]
) -> None:
    text = json.dumps(
        {
            "organization": "Acme",
            "assessed_on": "2026-01-15",
            "answers": make_assessment().answers,
        }
    )
    [first] = parse_import(store.questionnaire, text, "a.json")
    [second] = parse_import(store.questionnaire, text, "a.json")
    ids = {store.save_assessment(a, import_submission_id(a)) for a in (first, second)}
    assert len(ids) == 1
    assert len(store.list_assessments()) == 1


def test_a_list_of_exports_imports_every_assessment(
    store: Store, make_assessment: Callable[..., Assessment]
) -> None:
    ids = [store.save_assessment(make_assessment(seed=n), f"s{n}") for n in range(3)]
    documents = [assessment_document(store.get_assessment(i)) for i in ids]
    imported = parse_import(store.questionnaire, json.dumps(documents), "all.json")
    assert imported == [store.get_assessment(i).assessment for i in ids]


def test_an_import_with_bad_answers_names_the_file_entry_and_item(store: Store) -> None:
    text = json.dumps([{"organization": "A", "answers": {"gr_self_start": 9}}])
    with pytest.raises(InputError) as raised:
        parse_import(store.questionnaire, text, "bad.json")
    assert any(p.startswith("bad.json[1]") and "gr_self_start" in p for p in raised.value.problems)


def test_an_import_from_an_unknown_format_version_is_refused(store: Store) -> None:
    text = json.dumps({"format_version": 7, "organization": "A", "answers": {}})
    with pytest.raises(InputError, match="format_version 7 is not supported"):
        parse_import(store.questionnaire, text, "future.json")


def test_an_import_that_is_not_json_says_where(store: Store) -> None:
    with pytest.raises(InputError, match=r"x.json: not valid JSON \(line 1"):
        parse_import(store.questionnaire, "{oops", "x.json")


# --- one assessment file format: every command reads an export --------------------------------


def _cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    from readiness.cli import main

    code = main(argv)
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def exported(
    store: Store, make_assessment: Callable[..., Assessment], tmp_path: Path
) -> tuple[Path, Assessment]:
    """A saved assessment's JSON export, as the dashboard downloads it, and the assessment."""
    assessment = make_assessment(organization="Acme", division="Sales", gr_active_share=12)
    stored = store.get_assessment(store.save_assessment(assessment, "s1"))
    path = tmp_path / f"assessment-{stored.id}.json"
    path.write_text(export_json(stored), encoding="utf-8")
    return path, assessment


def test_score_reads_an_export_and_prints_the_scores_it_was_saved_with(
    store: Store, exported: tuple[Path, Assessment], capsys: pytest.CaptureFixture[str]
) -> None:
    path, _ = exported
    code, out, err = _cli(["score", str(path)], capsys)
    assert (code, err) == (0, "")
    document = json.loads(path.read_text(encoding="utf-8"))
    assert json.loads(out) == document["scores"]


def test_project_from_an_export_is_the_projection_of_its_assessment(
    exported: tuple[Path, Assessment], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, assessment = exported
    plain = tmp_path / "plain.json"
    plain.write_text(
        json.dumps(
            {
                "organization": assessment.profile.organization,
                "assessed_on": assessment.assessed_on.isoformat(),
                "answers": assessment.answers,
            }
        ),
        encoding="utf-8",
    )
    code, table, err = _cli(["project", "--from", str(path), "--format", "table"], capsys)
    assert (code, err) == (0, "")
    assert table.startswith("From 12% in Mar 2026, your organization ")
    assert _cli(["project", "--from", str(plain), "--format", "table"], capsys) == (0, table, "")


def test_assessments_import_reads_an_export(
    exported: tuple[Path, Assessment], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, assessment = exported
    url = f"sqlite:///{tmp_path / 'other.db'}"
    code, out, err = _cli(["assessments", "--database", url, "import", str(path)], capsys)
    assert (code, err) == (0, "")
    assert out == "imported assessment 1: Acme / Sales, 2026-03-31\n"
    from readiness.store import open_store

    with open_store(url) as other:
        assert other.get_assessment(1).assessment == assessment


def test_stored_scores_that_differ_from_the_answers_are_a_note_and_the_answers_win(
    exported: tuple[Path, Assessment], capsys: pytest.CaptureFixture[str]
) -> None:
    path, _ = exported
    document = json.loads(path.read_text(encoding="utf-8"))
    right = document["scores"]
    document["scores"] = {**right, "overall": 99.5, "stage": {"level": 9, "name": "x"}}
    path.write_text(json.dumps(document), encoding="utf-8")
    code, out, err = _cli(["score", str(path)], capsys)
    assert code == 0
    assert json.loads(out) == right
    assert err == (
        f"note: {path}: field scores: overall 99.5 in the file, {right['overall']}; stage 9 in"
        f" the file, {right['stage']['level']} from the answers; the scores shown are computed"
        " from the answers, as this readiness scores them\n"
    )
    # the same note from project --from, which also scores the answers
    code, _, err = _cli(["project", "--from", str(path)], capsys)
    assert code == 0
    assert err.startswith(f"note: {path}: field scores: overall 99.5 in the file")


def test_a_template_file_filled_in_is_the_same_format(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _cli(["template"], capsys)
    assert code == 0
    template = json.loads(out)
    assert (template["format"], template["format_version"]) == ("readiness-assessment", 3)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"format": "other-tool"}, "format 'other-tool' is not 'readiness-assessment'"),
        (
            {"format_version": 4},
            "format_version 4 is not supported (this readiness reads version 3)",
        ),
        ({"colour": "red"}, "unknown field 'colour'"),
    ],
)
def test_every_command_refuses_what_is_not_the_format_in_one_line(
    exported: tuple[Path, Assessment],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    change: dict[str, object],
    message: str,
) -> None:
    path, _ = exported
    path.write_text(json.dumps({**json.loads(path.read_text("utf-8")), **change}), "utf-8")
    url = f"sqlite:///{tmp_path / 'other.db'}"
    for argv in (
        ["score", str(path)],
        ["project", "--from", str(path)],
        ["assessments", "--database", url, "import", str(path)],
    ):
        code, out, err = _cli(argv, capsys)
        assert (code, out) == (2, "")
        assert err == f"error: {path}: {message}\n"


def test_an_image_uploaded_for_import_is_named(store: Store) -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(17)
    with pytest.raises(InputError) as raised:
        parse_import(store.questionnaire, png, "assessment-1.json")
    assert raised.value.problems == ["assessment-1.json: this is a PNG image, not a JSON file"]


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("+1+2", "'+1+2"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Acme", "Acme"),
        (42.5, 42.5),
        ("", ""),
    ],
)
def test_text_cells_that_start_a_formula_are_neutralised(cell: object, expected: object) -> None:
    assert neutralise_cell(cell) == expected


def test_the_csv_export_neutralises_formulas_in_user_text(
    store: Store, make_assessment: Callable[..., Assessment]
) -> None:
    assessment_id = store.save_assessment(
        make_assessment(organization="=cmd|' /C calc'!A0", division="@SUM(1+1)"), "s"
    )
    text = export_csv(store.get_assessment(assessment_id), store.questionnaire)
    rows = list(csv.reader(io.StringIO(text)))
    cells = [cell for row in rows for cell in row]
    assert "'=cmd|' /C calc'!A0" in cells
    assert "'@SUM(1+1)" in cells
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells)


def test_the_csv_export_has_every_answer_weight_and_score(
    store: Store, make_assessment: Callable[..., Assessment]
) -> None:
    assessment_id = store.save_assessment(make_assessment(), "s")
    stored = store.get_assessment(assessment_id)
    rows = list(csv.DictReader(io.StringIO(export_csv(stored, store.questionnaire))))
    answers = {r["id"]: r for r in rows if r["section"] == "answer"}
    assert set(answers) == set(store.questionnaire.item_ids)
    for item in store.questionnaire.items:
        row = answers[item.id]
        assert float(row["weight"]) == item.weight
        if item.scored:
            assert 0 <= float(row["score"]) <= 100
    assert answers["to_slates"]["answer"] == ";".join(stored.assessment.answers["to_slates"])  # type: ignore[arg-type]
    dimensions = {r["id"]: r for r in rows if r["section"] == "dimension"}
    assert {d: float(r["score"]) for d, r in dimensions.items()} == pytest.approx(
        {d.id: d.score for d in stored.scores.dimensions}, abs=0.01
    )
    [overall] = [r for r in rows if r["section"] == "overall"]
    assert float(overall["score"]) == pytest.approx(stored.scores.overall, abs=0.01)


HOSTILE_NAMES = [
    "Acme\r=cmd|' /C calc'!A0",
    '=HYPERLINK("http://127.0.0.1:9/x","open")',
    "  @SUM(1+1)",
    '"+1"',
    "-2+3\nsecond line",
    "\t=1",
]


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_the_csv_export_reads_back_row_for_row_with_hostile_names(
    store: Store, make_assessment: Callable[..., Assessment], name: str
) -> None:
    assessment_id = store.save_assessment(
        make_assessment(organization=name, division=f"-{name}"), "s"
    )
    stored = store.get_assessment(assessment_id)
    text = export_csv(stored, store.questionnaire)
    expected = [
        [str(neutralise_cell(c)) for c in row] for row in csv_rows(stored, store.questionnaire)
    ]

    by_csv = list(csv.reader(io.StringIO(text, newline="")))
    by_pandas = pd.read_csv(
        io.StringIO(text, newline=""), dtype=str, keep_default_na=False, na_filter=False
    )
    assert by_csv == expected
    assert [list(by_pandas.columns), *by_pandas.to_numpy().tolist()] == expected
    profile = {row[1]: row[4] for row in by_csv if row[0] == "profile"}
    assert profile["organization"] == neutralise_cell(name)
    assert profile["division"] == "'-" + name
    for row in by_csv:
        for cell in row:
            numeric = cell.replace(".", "", 1).isdigit()
            assert (
                numeric
                or not cell.lstrip(" \"'").startswith(("=", "+", "-", "@", "\t", "\r", "\n"))
                or cell.startswith("'")
            )
