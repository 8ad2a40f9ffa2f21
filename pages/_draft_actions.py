"""The questionnaire's buttons: save, start a new assessment, edit, discard changes.

Each runs as a button callback, before the widgets render, so it may load other answers into
them; a failed store operation becomes a message the page shows under the buttons.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from pages._app_state import current_answers, current_profile, questionnaire
from pages._boundary import guarded
from pages._drafts import OPENED, show, tell
from readiness.access import PermissionDeniedError
from readiness.editing import Opened, new_draft_id, start_editing, submit
from readiness.errors import InputError, StoreError
from readiness.store import Store


@contextmanager
def _reported(action: str) -> Iterator[None]:
    """In a button callback: a failed store operation becomes a message shown by the page."""
    try:
        yield
    except (InputError, StoreError, PermissionDeniedError) as error:
        problems = error.problems if isinstance(error, InputError) else [str(error)]
        st.session_state["problem"] = (f"Could not {action}", problems)


@guarded  # callbacks run before app.py, outside its page boundary
def save(active_store: Store) -> None:
    """Save (button callback): store the answers, then show them as saved, as a reload would."""
    st.session_state["save_attempted"] = True
    opened: Opened | None = st.session_state.get(OPENED)
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
        tell(st.session_state[OPENED], outcome.message, success=True)


@guarded
def start_new() -> None:
    """A new, empty draft (button callback)."""
    show(Opened(draft_id=new_draft_id()), clear=True)


@guarded
def edit(active_store: Store, opened: Opened) -> None:
    """Edit the saved assessment shown: a draft that saves as its next version (callback)."""
    if opened.stored is not None:
        with _reported("start editing"):
            show(start_editing(active_store, opened.stored))


@guarded
def discard_changes(active_store: Store, opened: Opened) -> None:
    """Drop an edit's draft and show the saved assessment again (callback)."""
    if opened.draft_id is not None and opened.edits is not None:
        with _reported("discard the changes"):
            active_store.discard_draft(opened.draft_id)
            show(Opened(draft_id=None, stored=active_store.get_assessment(opened.edits)))
