"""JSON export and import (exact round trip) and CSV export (formula injection neutralised)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable

import pandas as pd
import pytest

from readiness.assessment import Assessment
from readiness.errors import InputError
from readiness.export import (
    assessment_document,
    csv_rows,
    export_csv,
    export_json,
    import_submission_id,
    neutralise_cell,
    parse_import,
)
from readiness.store import Store

pytest_plugins = ("store_fixtures",)


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
