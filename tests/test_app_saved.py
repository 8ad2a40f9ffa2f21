"""Saved assessments page (AppTest): list, delete after confirmation, import."""

from __future__ import annotations

from pathlib import Path

import pytest
from app_harness import dataframe_with, open_page

from readiness.assessment import Assessment, Profile
from readiness.export import export_json
from readiness.questionnaire import load_questionnaire
from readiness.store import open_store

PAGE = "pages/saved.py"
Q = load_questionnaire()
XSS = "<img src=x onerror=alert(1)>"


@pytest.fixture
def store_url(store_url: str) -> str:
    """The dashboard's store with one incomplete assessment whose organization is ``XSS``."""
    with open_store(store_url) as store:
        assessment = Assessment(
            profile=Profile(organization=XSS),
            questionnaire_version=Q.version,
            answers={"su_sponsor": 4},
        )
        store.save_assessment(assessment, "test-1")
    return store_url


def test_saved_assessments_are_listed_with_names_as_text(store_url: str) -> None:
    at = open_page(PAGE)
    listing = dataframe_with(at, "organization")
    assert listing["organization"].tolist() == [XSS]
    assert listing["completeness"].tolist() == [f"incomplete (1 of {len(Q.items)} answered)"]
    assert listing["version"].tolist() == [1]
    assert "last change (UTC)" in listing.columns
    assert listing["overall"].tolist() == ["n/a"]  # never a raw None
    labels = {b.label for b in at.button}
    assert labels >= {"Open", "Edit this assessment", "Copy into a new assessment", "Delete"}


def test_delete_asks_for_confirmation_first(store_url: str) -> None:
    at = open_page(PAGE)
    at.button(key="delete_requested").click().run()
    assert [t.value for t in at.text] == [f"#1 {XSS}, " + at.text[0].value.split(", ")[-1]]
    with open_store(store_url) as store:
        assert len(store.list_assessments()) == 1
    at.button(key="delete_confirmed").click().run()
    assert at.info[0].value == "No saved assessments yet."
    with open_store(store_url) as store:
        assert store.list_assessments() == []


def test_an_exported_assessment_can_be_imported_again_once(store_url: str) -> None:
    with open_store(store_url) as store:
        exported = export_json(store.get_assessment(1))
        store.delete_assessment(1)
    at = open_page(PAGE)
    at.file_uploader(key="saved_import").upload("a.json", exported.encode()).run()
    next(b for b in at.button if b.label == "Import").click().run()
    assert at.success[0].value.startswith("Imported 1 assessments")
    next(b for b in at.button if b.label == "Import").click().run()
    with open_store(store_url) as store:
        assert len(store.list_assessments()) == 1


def _click(at: object, label: str) -> None:
    next(b for b in at.button if b.label == label).click().run()  # type: ignore[attr-defined]


def test_editing_a_saved_assessment_opens_it_in_the_questionnaire(store_url: str) -> None:
    at = open_page(PAGE)
    _click(at, "Edit this assessment")
    assert at.text_input(key="profile_organization").value == XSS
    assert not at.text_input(key="profile_organization").disabled
    assert at.segmented_control(key="q_su_sponsor").value == 4
    assert "Editing assessment 1." in " ".join(m.value for m in at.markdown)
    at.switch_page("pages/questionnaire.py").run()  # AppTest reruns the page it last switched to
    at.segmented_control(key="q_su_sponsor").set_value(2).run()
    _click(at, "Save changes as incomplete")
    with open_store(store_url) as store:
        assert [v.version for v in store.versions(1)] == [2, 1]
        assert len(store.list_assessments()) == 1


def test_a_copy_becomes_a_new_assessment_and_open_shows_it_read_only(store_url: str) -> None:
    at = open_page(PAGE)
    _click(at, "Open")
    assert at.text_input(key="profile_organization").disabled
    assert at.query_params["assessment"] == "1"
    at.switch_page(PAGE).run()
    _click(at, "Copy into a new assessment")
    assert "Editing assessment" not in " ".join(m.value for m in at.markdown)
    at.switch_page("pages/questionnaire.py").run()
    at.text_input(key="profile_organization").set_value("Copy Co").run()
    _click(at, "Save assessment as incomplete")
    with open_store(store_url) as store:
        assert sorted(s.organization for s in store.list_assessments()) == sorted(["Copy Co", XSS])


def test_an_earlier_version_can_be_restored_as_the_newest(store_url: str) -> None:
    with open_store(store_url) as store:
        store.update_answers(1, {"su_sponsor": 1})
    at = open_page(PAGE)
    at.selectbox(key="restore_version").set_value(1).run()
    _click(at, "Restore this version")
    assert at.success[0].value == "Version 1 restored as version 3."
    with open_store(store_url) as store:
        [newest, *_] = store.versions(1)
        assert newest.version == 3
        assert newest.assessment.answers["su_sponsor"] == 4
        assert store.get_assessment(1).assessment.answers["su_sponsor"] == 4


@pytest.mark.parametrize("page", [PAGE, "pages/questionnaire.py", "pages/results.py"])
def test_a_corrupt_database_is_a_clear_message_and_is_left_untouched(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, page: str
) -> None:
    path = tmp_path / "readiness.db"
    path.write_bytes(b"not a database, " * 256)
    before = path.read_bytes()
    monkeypatch.setenv("READINESS_DATABASE_URL", f"sqlite:///{path}")
    monkeypatch.setenv("READINESS_DATA_HOME", str(tmp_path))
    at = open_page(page)
    assert not at.exception
    messages = [e.value for e in at.error]
    assert any(str(path) in m.replace("\\", "") for m in messages), messages
    assert path.read_bytes() == before
