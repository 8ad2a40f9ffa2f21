"""Drafts: answers autosaved while the user answers, and resumed after a reload or a closed tab.

A draft is keyed by an id kept in the URL (``?draft=<id>``), so a reload resumes it. The id is
also kept in the browser's own storage (``localStorage``, written by a tiny custom component),
so reopening the app after closing the tab offers to resume it. Each browser profile has its own
storage: two people, or two browsers, never see each other's drafts.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from pages._app_state import (
    current_answers,
    current_profile,
    load_into_widgets,
    questionnaire,
    store_errors,
)
from readiness.assessment import Assessment, JsonAnswer, Profile
from readiness.dashboard_state import (
    choose_draft_id,
    draft_to_autosave,
    fingerprint,
    has_started,
    resume_offer,
    valid_draft_id,
)
from readiness.store import Store, StoreError

DRAFT_PARAM = "draft"
_MEMORY_KEY = "draft_memory"
_MEMORY = st.components.v2.component(
    "readiness_draft_memory",
    html="<span hidden></span>",
    js=(Path(__file__).parent / "draft_memory.js").read_text(encoding="utf-8"),
)


def draft_id() -> str:
    """This session's draft id, kept in the URL (``?draft=<id>``) so a reload resumes it."""
    current = choose_draft_id(st.query_params.get(DRAFT_PARAM), st.session_state.get("draft_id"))
    st.session_state["draft_id"] = current
    if st.query_params.get(DRAFT_PARAM) != current:
        st.query_params[DRAFT_PARAM] = current
    return current


def resume_draft(active_store: Store | None) -> str:
    """The draft id; on the first run of a session, load that draft's answers into the widgets."""
    current = draft_id()
    if active_store is not None and st.session_state.get("draft_resumed") != current:
        st.session_state["draft_resumed"] = current
        with store_errors("resume the draft"):
            draft = active_store.load_draft(current)
            if draft is not None:
                load_into_widgets(draft.answers, draft.profile)
                profile, _ = current_profile()
                st.session_state["draft_fingerprint"] = fingerprint(profile, current_answers())
    return current


def autosave(
    active_store: Store, current: str, profile: Profile | None, answers: dict[str, JsonAnswer]
) -> None:
    """Save the draft when something changed (a new draft once a submitted one is edited)."""
    mark = fingerprint(profile, answers)
    target = draft_to_autosave(
        current,
        mark,
        st.session_state.get("draft_fingerprint"),
        st.session_state.get("submitted"),  # the draft id last saved as an assessment
        has_started(profile, answers),
    )
    if target is None:
        return
    if target != current:
        st.session_state["draft_id"] = st.session_state["draft_resumed"] = target
        st.query_params[DRAFT_PARAM] = target
    with store_errors("autosave the draft"):
        active_store.save_draft(target, profile, answers)
        st.session_state["draft_fingerprint"] = mark


def submit(
    active_store: Store, current: str, profile: Profile, answers: dict[str, JsonAnswer]
) -> int | None:
    """Save the assessment once per draft id: a double click stores one row."""
    saved: int | None = None
    with store_errors("save the assessment"):
        assessment = Assessment(
            profile=profile, questionnaire_version=questionnaire().version, answers=answers
        )
        saved = active_store.save_assessment(assessment, submission_id=current)
        st.session_state.update(submitted=current, draft_fingerprint=fingerprint(profile, answers))
    return saved


def remembered_draft(remember: str | None = None) -> str | None:
    """The draft id this browser remembers, after remembering ``remember`` if given.

    ``None`` on the first run of a page: the browser answers right after, with a rerun.
    """
    state = st.session_state.get(_MEMORY_KEY) or {}
    known = state.get("stored") if hasattr(state, "get") else None
    result = _MEMORY(
        key=_MEMORY_KEY,
        data={"remember": remember, "known": known},
        on_stored_change=lambda: None,
        height=0,
    )
    return valid_draft_id(getattr(result, "stored", None))


def offer_to_resume(
    active_store: Store | None, current: str | None, remember: str | None = None
) -> None:
    """If this browser left an unsaved draft behind (tab closed), offer to resume it.

    ``remember``: this session's draft id, once it holds answers, to be offered next time.
    """
    stored = remembered_draft(remember)
    declined = st.session_state.get("resume_declined")
    if active_store is None or stored is None or stored in (current, declined):
        return
    try:
        draft = active_store.load_draft(stored)
    except StoreError:
        return  # the page shows store problems where it uses the store
    if draft is None:
        return
    headline, organization = resume_offer(draft)
    with st.container(border=True):
        st.markdown(headline)
        if organization:
            st.text(organization)  # user text: shown as text, never markup
        with st.container(horizontal=True):
            if st.button("Resume the draft", icon=":material/restore:", type="primary"):
                for key in ("draft_id", "draft_resumed", "draft_fingerprint", "submitted"):
                    st.session_state.pop(key, None)
                st.switch_page("pages/questionnaire.py", query_params={"draft": stored})
            if st.button("Start afresh", icon=":material/add:"):
                st.session_state["resume_declined"] = stored
                st.rerun()
