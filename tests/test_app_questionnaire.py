"""Questionnaire page (AppTest): widgets per item kind, progress, validation, drafts, saving."""

from __future__ import annotations

from pathlib import Path

import pytest
from app_harness import open_page, use_temporary_store
from streamlit.testing.v1 import AppTest

from readiness.dashboard_state import item_key
from readiness.questionnaire import load_questionnaire
from readiness.store import open_store

PAGE = "pages/questionnaire.py"
Q = load_questionnaire()


@pytest.fixture
def store_url(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    return use_temporary_store(monkeypatch, tmp_path)


def _save_button(at: AppTest) -> int:
    return next(i for i, b in enumerate(at.button) if b.label == "Save assessment")


def test_every_item_is_drawn_with_the_widget_of_its_kind(store_url: str) -> None:
    at = open_page(PAGE)
    kinds = {kind: {i.id for i in Q.items if i.kind == kind} for kind in ("likert", "number")}
    likert = {w.key for w in at.segmented_control} - {"profile_sector"}
    assert likert == {item_key(i) for i in kinds["likert"]}
    assert {w.key for w in at.number_input} == {item_key(i) for i in kinds["number"]}
    choices = {i.id for i in Q.items if i.kind == "choice"}
    assert {w.key for w in at.radio} == {item_key(i) for i in choices}
    checklists = {i.id for i in Q.items if i.kind == "checklist"}
    assert {w.key for w in at.multiselect} == {item_key(i) for i in checklists}
    first = Q.items[0]
    assert first.help in str(at.number_input(key=item_key(first.id)).help)


def test_answering_moves_the_progress_bars(store_url: str) -> None:
    at = open_page(PAGE)
    assert at.progress[0].text == f"0 of {len(Q.items)} questions answered"
    at.segmented_control(key=item_key("su_sponsor")).set_value(4).run()
    at.radio(key=item_key("su_lead")).set_value("business").run()
    assert at.progress[0].text == f"2 of {len(Q.items)} questions answered"
    support = len(Q.items_of("support"))
    assert f"Support: 2 of {support} answered" in [p.text for p in at.progress]


def test_saving_without_a_name_shows_the_message_next_to_the_field(store_url: str) -> None:
    at = open_page(PAGE)
    at.segmented_control(key=item_key("su_sponsor")).set_value(4).run()
    assert not at.error
    at.button[_save_button(at)].click().run()
    assert [e.value for e in at.error] == [
        "Enter a name.",
        "Check the profile above before saving.",
    ]


def test_a_double_click_on_save_stores_one_assessment(store_url: str) -> None:
    at = open_page(PAGE)
    at.text_input(key="profile_organization").set_value("Acme").run()
    at.segmented_control(key=item_key("su_sponsor")).set_value(4).run()
    at.button[_save_button(at)].click().run()
    at.button[_save_button(at)].click().run()
    assert [s.value for s in at.success] == ["Saved as assessment 1."]
    with open_store(store_url) as store:
        assert [s.organization for s in store.list_assessments()] == ["Acme"]


def test_answers_survive_a_page_switch(store_url: str) -> None:
    at = open_page(PAGE)
    at.segmented_control(key=item_key("gr_self_start")).set_value(2).run()
    at.switch_page("pages/overview.py").run()
    at.switch_page(PAGE).run()
    assert at.segmented_control(key=item_key("gr_self_start")).value == 2


def test_a_reload_with_the_draft_id_resumes_the_answers(store_url: str) -> None:
    at = open_page(PAGE)
    draft = at.query_params["draft"]
    at.text_input(key="profile_organization").set_value("Acme").run()
    at.segmented_control(key=item_key("gr_self_start")).set_value(5).run()

    reloaded = AppTest.from_file(str(Path(__file__).parents[1] / "app.py"), default_timeout=30)
    reloaded.query_params["draft"] = draft
    reloaded.run()
    reloaded.switch_page(PAGE).run()
    assert reloaded.segmented_control(key=item_key("gr_self_start")).value == 5
    assert reloaded.text_input(key="profile_organization").value == "Acme"

    stranger = open_page(PAGE)
    assert stranger.query_params["draft"] != draft
    assert stranger.segmented_control(key=item_key("gr_self_start")).value is None
