"""Questionnaire page (AppTest): widgets per item kind, progress, validation, drafts, saving."""

from __future__ import annotations

from pathlib import Path

from app_harness import open_page
from streamlit.testing.v1 import AppTest

from readiness.questionnaire import load_questionnaire
from readiness.store import open_store
from readiness.views.questionnaire import item_key

PAGE = "pages/questionnaire.py"
Q = load_questionnaire()


def _save_button(at: AppTest) -> int:
    return next(i for i, b in enumerate(at.button) if b.label.startswith("Save"))


def _button(at: AppTest, label: str) -> int:
    return next(i for i, b in enumerate(at.button) if b.label == label)


def _reload(query: dict[str, str]) -> AppTest:
    """A new session (a browser reload) opening the questionnaire with ``query``."""
    at = AppTest.from_file(str(Path(__file__).parents[1] / "app.py"), default_timeout=30)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


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
    errors = [e.value for e in at.error]
    assert errors[0] == "Enter a name."
    assert "Check the profile above before saving" in errors[-1]
    with open_store(store_url) as store:
        assert store.list_assessments() == []


def _fill(at: AppTest, organization: str, agreement: int = 4) -> None:
    at.text_input(key="profile_organization").set_value(organization).run()
    for item in Q.items:
        if item.kind == "likert":
            at.segmented_control(key=item_key(item.id)).set_value(agreement)
    at.run()


def test_a_saved_assessment_is_shown_as_saved_and_a_reload_shows_it_again(
    store_url: str,
) -> None:
    at = open_page(PAGE)
    draft = at.query_params["draft"]
    _fill(at, "Acme")
    at.button[_save_button(at)].click().run()
    [success] = [s.value for s in at.success]
    assert success.startswith("Saved as assessment 1 on ")
    assert at.query_params.get("assessment") == "1"
    assert "draft" not in at.query_params
    assert at.text_input(key="profile_organization").disabled
    assert {"Edit this assessment", "Start a new assessment"} <= {b.label for b in at.button}
    assert not any(b.label.startswith("Save") for b in at.button)

    # the bookmarked questionnaire link (consumed draft) and the reload both open assessment 1
    for query in ({"draft": draft}, {"assessment": "1"}):
        reloaded = _reload(query)
        assert reloaded.query_params.get("assessment") == "1"
        assert reloaded.text_input(key="profile_organization").value == "Acme"
        assert "Assessment 1" in " ".join(m.value for m in reloaded.markdown)
        assert not any(b.label.startswith("Save") for b in reloaded.button)


def test_after_a_reload_a_new_assessment_is_saved_as_a_new_row(store_url: str) -> None:
    at = open_page(PAGE)
    draft = at.query_params["draft"]
    _fill(at, "Acme")
    at.button[_save_button(at)].click().run()

    reloaded = _reload({"draft": draft})
    reloaded.button[_button(reloaded, "Start a new assessment")].click().run()
    assert reloaded.query_params["draft"] not in (draft, None)
    assert reloaded.text_input(key="profile_organization").value == ""
    _fill(reloaded, "Beta", agreement=2)
    reloaded.button[_save_button(reloaded)].click().run()
    assert reloaded.success[0].value.startswith("Saved as assessment 2 on ")
    with open_store(store_url) as store:
        assert sorted(s.organization for s in store.list_assessments()) == ["Acme", "Beta"]


def test_editing_a_saved_assessment_keeps_the_earlier_version(store_url: str) -> None:
    at = open_page(PAGE)
    _fill(at, "Acme", agreement=4)
    at.button[_save_button(at)].click().run()
    at.button[_button(at, "Edit this assessment")].click().run()
    assert "Editing assessment 1." in " ".join(m.value for m in at.markdown)
    editing_draft = at.query_params["draft"]

    # a reload while editing keeps editing
    reloaded = _reload({"draft": editing_draft})
    assert "Editing assessment 1." in " ".join(m.value for m in reloaded.markdown)
    reloaded.segmented_control(key=item_key("su_sponsor")).set_value(1).run()
    reloaded.button[_save_button(reloaded)].click().run()
    assert reloaded.success[0].value.startswith("Saved as version 2 of assessment 1 on ")
    with open_store(store_url) as store:
        assert len(store.list_assessments()) == 1
        versions = store.versions(1)
    assert [v.version for v in versions] == [2, 1]
    assert versions[0].assessment.answers["su_sponsor"] == 1
    assert versions[1].assessment.answers["su_sponsor"] == 4


def test_an_incomplete_assessment_is_named_and_saved_marked_incomplete(store_url: str) -> None:
    at = open_page(PAGE)
    at.text_input(key="profile_organization").set_value("Acme").run()
    at.segmented_control(key=item_key("su_sponsor")).set_value(4).run()
    [warning] = [w.value for w in at.warning]
    assert "Incomplete" in warning
    for dimension in Q.dimensions:
        assert f"{dimension.name}: " in warning
    assert "a score needs at least" in warning
    assert at.button[_save_button(at)].label == "Save assessment as incomplete"
    at.button[_save_button(at)].click().run()
    with open_store(store_url) as store:
        [summary] = store.list_assessments()
    assert not summary.complete
    assert summary.answered == 1


def test_a_number_out_of_range_is_kept_with_the_allowed_range(store_url: str) -> None:
    at = open_page(PAGE)
    field = at.number_input(key=item_key("gr_active_share"))
    assert "0 to 100" in field.label
    field.set_value(150).run()
    assert at.number_input(key=item_key("gr_active_share")).value == 150
    messages = " ".join(e.value for e in at.error)
    assert "150" in messages
    assert "out of range (0 to 100)" in messages
    assert at.button[_save_button(at)].disabled


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
