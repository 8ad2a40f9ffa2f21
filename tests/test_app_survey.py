"""Survey upload page (AppTest): template, row-level errors, per-division scores."""

from __future__ import annotations

from pathlib import Path

import pytest
from app_harness import chart_specs, dataframe_with, metric, open_page, use_temporary_store

from readiness.questionnaire import load_questionnaire

PAGE = "pages/survey.py"
LIKERT = [i.id for i in load_questionnaire().items if i.kind == "likert" and i.dimension][:6]


@pytest.fixture(autouse=True)
def _store(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    use_temporary_store(monkeypatch, tmp_path)


def _csv(rows: list[str]) -> bytes:
    return ("division," + ",".join(LIKERT) + "\n" + "\n".join(rows) + "\n").encode()


def test_the_page_offers_the_template_and_states_the_upload_limit() -> None:
    at = open_page(PAGE)
    assert "Largest file: 20 MB" in at.caption[0].value
    assert at.get("download_button")


def test_a_bad_row_is_reported_with_its_row_and_field() -> None:
    at = open_page(PAGE)
    rows = ["Sales,4,4,4,4,4,4", "Sales,2,2,2,2,2,2", "IT,4,4,9,4,4,4", "IT,5,5,5,5,5,5"]
    at.file_uploader(key="survey_file").upload("survey.csv", _csv(rows)).run()
    assert not at.exception
    assert at.error[0].value.startswith("1 of 4 rows has a problem and is left out")
    problems = dataframe_with(at, "problem")
    assert problems.to_dict("records") == [
        {"row": 4, "field": LIKERT[2], "problem": "expected a whole number from 1 to 5, got 9"}
    ]
    assert metric(at, "Respondents scored") == "3"
    assert metric(at, "Divisions") == "2"


def test_divisions_are_scored_with_their_agreement() -> None:
    at = open_page(PAGE)
    rows = ["Sales,5,5,5,5,5,5", "Sales,5,5,5,5,4,5", "IT,1,5,1,5,1,5", "IT,5,1,5,1,5,1"]
    at.file_uploader(key="survey_file").upload("survey.csv", _csv(rows)).run()
    divisions = dataframe_with(at, "low agreement").set_index("division")
    assert not divisions.loc["Sales", "low agreement"]
    assert divisions.loc["IT", "low agreement"]
    assert at.warning[0].value.startswith("1 divisions have low agreement")
    assert any("Readiness by division" in s for s in chart_specs(at))


def test_an_empty_file_is_a_clear_error() -> None:
    at = open_page(PAGE)
    at.file_uploader(key="survey_file").upload("survey.csv", b"").run()
    assert not at.exception
    assert "survey.csv: the file is empty" in at.error[0].value
