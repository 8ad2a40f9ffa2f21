"""Which assessment the questionnaire shows, and what saving it does (readiness.editing)."""

from __future__ import annotations

from collections.abc import Callable

from hypothesis import given
from hypothesis import strategies as st

from readiness.assessment import Assessment, Profile
from readiness.editing import (
    address_key,
    autosave,
    missing_answers,
    new_draft_id,
    open_from_address,
    start_editing,
    submit,
    valid_assessment_id,
    valid_draft_id,
)
from readiness.rules import load_rulebook
from readiness.scoring import score_assessment
from readiness.store import Store


def test_only_well_formed_ids_are_accepted() -> None:
    draft = new_draft_id()
    assert valid_draft_id(draft) == draft
    assert valid_draft_id(new_draft_id()) != draft
    for bad in [None, "", "../etc", "x" * 32, draft.upper() + "0"]:
        assert valid_draft_id(bad) is None
    assert valid_assessment_id("12") == 12
    for bad_id in ["0", "-1", "1e3", "١٢", "9" * 40, None, "x"]:
        assert valid_assessment_id(bad_id) is None


@given(st.text(max_size=40))
def test_any_address_text_is_either_an_id_or_ignored(text: str) -> None:
    number = valid_assessment_id(text)
    assert number is None or (number > 0 and str(number) == text.strip().lstrip("0"))
    draft = valid_draft_id(text)
    assert draft is None or draft == text


def test_a_new_session_gets_a_new_draft(store: Store) -> None:
    opened = open_from_address(store, None, None)
    assert valid_draft_id(opened.draft_id) == opened.draft_id
    assert not opened.viewing
    assert opened.params == {"draft": opened.draft_id}
    assert address_key(None, None) is None


def test_a_consumed_draft_link_opens_the_saved_assessment(
    store: Store, make_assessment: Callable[..., Assessment]
) -> None:
    assessment = make_assessment()
    draft = new_draft_id()
    outcome = submit(store, draft, None, assessment.profile, assessment.answers, "1")
    opened = open_from_address(store, draft, None)
    assert opened.viewing
    assert opened.stored is not None
    assert opened.stored.id == outcome.saved.id
    assert opened.params == {"assessment": str(outcome.saved.id)}
    assert opened.notice is not None
    assert f"saved as assessment {outcome.saved.id}" in opened.notice
    assert address_key(draft, str(outcome.saved.id)) == opened.key


def test_an_assessment_that_no_longer_exists_is_said_and_a_new_draft_starts(store: Store) -> None:
    opened = open_from_address(store, None, "42")
    assert not opened.viewing
    assert opened.notice == "There is no assessment 42 (it may have been deleted)."


def test_a_double_submit_says_already_saved_and_stores_once(
    store: Store, make_assessment: Callable[..., Assessment]
) -> None:
    a = make_assessment()
    draft = new_draft_id()
    first = submit(store, draft, None, a.profile, a.answers, a.questionnaire_version)
    second = submit(store, draft, None, a.profile, a.answers, a.questionnaire_version)
    assert first.message.startswith(f"Saved as assessment {first.saved.id} on ")
    assert second.message.startswith(f"Already saved as assessment {first.saved.id} on ")
    assert len(store.list_assessments()) == 1


def test_other_answers_under_a_consumed_draft_are_saved_not_dropped(
    store: Store, make_assessment: Callable[..., Assessment]
) -> None:
    draft = new_draft_id()
    a, b = make_assessment(organization="Acme"), make_assessment(organization="Beta")
    submit(store, draft, None, a.profile, a.answers, a.questionnaire_version)
    outcome = submit(store, draft, None, b.profile, b.answers, b.questionnaire_version)
    assert not outcome.saved.repeated
    assert sorted(s.organization for s in store.list_assessments()) == ["Acme", "Beta"]


def test_an_autosave_of_a_draft_saved_in_another_tab_continues_as_a_new_draft(
    store: Store, make_assessment: Callable[..., Assessment]
) -> None:
    a = make_assessment()
    tab = open_from_address(store, None, None)
    assert tab.draft_id is not None
    autosave(store, tab, a.profile, a.answers)
    submit(store, tab.draft_id, None, a.profile, a.answers, a.questionnaire_version)  # tab one
    changed = {**a.answers, "su_sponsor": 1}
    forked, notice = autosave(store, tab, a.profile, changed)  # tab two, same address
    assert forked.draft_id not in (None, tab.draft_id)
    assert notice is not None
    assert "continue as a new draft" in notice
    draft = store.load_draft(str(forked.draft_id))
    assert draft is not None
    assert draft.answers["su_sponsor"] == 1


def test_editing_saves_the_next_version_and_a_deleted_one_becomes_new(
    store: Store, make_assessment: Callable[..., Assessment]
) -> None:
    a = make_assessment()
    first = submit(store, new_draft_id(), None, a.profile, a.answers, a.questionnaire_version)
    stored = store.get_assessment(first.saved.id)
    editing = start_editing(store, stored)
    assert open_from_address(store, editing.draft_id, None).edits == stored.id
    assert editing.draft_id is not None
    second = submit(store, editing.draft_id, stored.id, a.profile, a.answers, "1")
    assert second.message.startswith(f"Saved as version 2 of assessment {stored.id} on ")

    again = start_editing(store, store.get_assessment(stored.id))
    store.delete_assessment(stored.id)
    assert again.draft_id is not None
    third = submit(store, again.draft_id, stored.id, a.profile, a.answers, "1")
    assert third.saved.id != stored.id
    assert "had been deleted, so this is a new assessment" in third.message


def test_missing_answers_name_each_dimension_without_a_score() -> None:
    from readiness.questionnaire import load_questionnaire

    q = load_questionnaire()
    scores = score_assessment(q, load_rulebook(), {"su_sponsor": 4})
    lines = missing_answers(scores)
    assert len(lines) == len(q.dimensions)
    support = next(line for line in lines if line.startswith("Support: "))
    items = len([i for i in q.items_of("support") if i.scored])
    assert support == f"Support: 1 of {items} answered; a score needs at least {-(-items // 2)}"
    full = {i.id: 4 for i in q.items if i.kind == "likert"}
    full_scores = score_assessment(q, load_rulebook(), full)
    assert missing_answers(full_scores) == [] or full_scores.overall is None
    assert Profile(organization="x")  # profile model still accepts plain names
