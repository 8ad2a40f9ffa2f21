"""What the questionnaire shows (a draft or a saved assessment), kept in the address bar.

The decisions are the core's (:mod:`readiness.editing`); this module keeps the address bar, the
session and the widgets in step with them. Every page that shows the session's answers calls
:func:`current`, so a reload of any of them, a bookmark or a shared link opens the same thing.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from pages._app_state import (
    current_answers,
    current_profile,
    load_into_widgets,
    questionnaire,
    store_errors,
)
from readiness.assessment import JsonAnswer, Profile
from readiness.dashboard_state import fingerprint, has_started
from readiness.editing import (
    ASSESSMENT_PARAM,
    DRAFT_PARAM,
    Opened,
    address_key,
    new_draft_id,
    open_from_address,
    start_editing,
    submit,
)
from readiness.editing import autosave as save_draft
from readiness.errors import InputError
from readiness.store import Store, StoreError

_OPENED = "opened"  # the Opened the widgets hold
_MARK = "draft_fingerprint"  # the answers as last autosaved or saved


def _sync_address(opened: Opened) -> None:
    """Keep the address bar naming what is shown (a reload or bookmark opens it again)."""
    if address_key(*_address()) != opened.key:
        for key in (DRAFT_PARAM, ASSESSMENT_PARAM):
            st.query_params.pop(key, None)
        st.query_params.update(opened.params)


def _address() -> tuple[str | None, str | None]:
    return st.query_params.get(DRAFT_PARAM), st.query_params.get(ASSESSMENT_PARAM)


def show(opened: Opened, *, clear: bool = False) -> None:
    """Put ``opened`` into the widgets (before they render) and the address bar."""
    if opened.stored is not None and opened.viewing:
        load_into_widgets(opened.stored.assessment.answers, opened.stored.assessment.profile)
    elif opened.draft is not None:
        load_into_widgets(opened.draft.answers, opened.draft.profile)
    elif clear:
        load_into_widgets({}, {})
    st.session_state[_OPENED] = opened
    st.session_state[_MARK] = fingerprint(current_profile()[0], current_answers())
    if opened.notice:
        st.session_state["notice"] = opened.notice
    _sync_address(opened)


def current(active_store: Store | None) -> Opened | None:
    """What this session shows, opening what the address bar names on a session's first run
    (or when the address names something else); None without a store."""
    held: Opened | None = st.session_state.get(_OPENED)
    if held is not None and address_key(*_address()) in (None, held.key):
        _sync_address(held)
        return held
    if active_store is None:
        return None
    with store_errors("open the assessment"):
        show(open_from_address(active_store, *_address()), clear=True)
    return st.session_state.get(_OPENED)


def autosave(
    active_store: Store, opened: Opened, profile: Profile | None, answers: dict[str, JsonAnswer]
) -> Opened:
    """Save the draft when something changed; returns what is shown afterwards."""
    mark = fingerprint(profile, answers)
    if opened.viewing or mark == st.session_state.get(_MARK) or not has_started(profile, answers):
        return opened
    with store_errors("autosave the draft"):
        opened, notice = save_draft(active_store, opened, profile, answers)
        if notice:
            st.session_state["notice"] = notice
            st.session_state[_OPENED] = opened
            _sync_address(opened)
        st.session_state[_MARK] = mark
    return opened


@contextmanager
def _reported(action: str) -> Iterator[None]:
    """In a button callback: a failed store operation becomes a message shown by the page."""
    try:
        yield
    except (InputError, StoreError) as error:
        problems = error.problems if isinstance(error, InputError) else [str(error)]
        st.session_state["problem"] = (f"Could not {action}", problems)


def save(active_store: Store) -> None:
    """Save (button callback): store the answers, then show them as saved, as a reload would."""
    st.session_state["save_attempted"] = True
    opened: Opened | None = st.session_state.get(_OPENED)
    profile, _ = current_profile()
    if opened is None or opened.draft_id is None:
        return  # a second click after the save: the first one stored it
    if profile is None:
        st.session_state["problem"] = ("Not saved", ["Check the profile above before saving."])
        return
    with _reported("save the assessment"):
        version = questionnaire().version
        answers = current_answers()
        outcome = submit(active_store, opened.draft_id, opened.edits, profile, answers, version)
        show(Opened(draft_id=None, stored=active_store.get_assessment(outcome.saved.id)))
        st.session_state["flash"] = outcome.message


def start_new() -> None:
    """A new, empty draft (button callback)."""
    show(Opened(draft_id=new_draft_id()), clear=True)


def edit(active_store: Store, opened: Opened) -> None:
    """Edit the saved assessment shown: a draft that saves as its next version (callback)."""
    if opened.stored is not None:
        with _reported("start editing"):
            show(start_editing(active_store, opened.stored))


def discard_changes(active_store: Store, opened: Opened) -> None:
    """Drop an edit's draft and show the saved assessment again (callback)."""
    if opened.draft_id is not None and opened.edits is not None:
        with _reported("discard the changes"):
            active_store.discard_draft(opened.draft_id)
            show(Opened(draft_id=None, stored=active_store.get_assessment(opened.edits)))
