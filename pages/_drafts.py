"""What the questionnaire shows (a draft or a saved assessment), kept in the address bar.

The decisions are the core's (:mod:`readiness.editing`); this module keeps the address bar, the
session and the widgets in step with them. Every page that shows the session's answers calls
:func:`current`, so a reload of any of them, a bookmark or a shared link opens the same thing.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from pages._app_state import current_answers, current_profile, load_into_widgets
from pages._store import store_errors
from readiness.assessment import JsonAnswer, Profile
from readiness.editing import ASSESSMENT_PARAM, DRAFT_PARAM, Opened, address_key, open_from_address
from readiness.editing import autosave as save_draft
from readiness.store import Store
from readiness.views.questionnaire import fingerprint, has_started
from readiness.views.saved import saved_label

MAX_OFFERED = 50  # saved assessments offered where nothing is shown yet
OPENED = "opened"  # the Opened the widgets hold
_MARK = "draft_fingerprint"  # the answers as last autosaved or saved


def _sync_address(opened: Opened) -> None:
    """The address bar names what is shown: a reload or bookmark opens it again."""
    if address_key(*_address()) != opened.key:
        for key in (DRAFT_PARAM, ASSESSMENT_PARAM):
            st.query_params.pop(key, None)
        st.query_params.update(opened.params)


def _address() -> tuple[str | None, str | None]:
    return st.query_params.get(DRAFT_PARAM), st.query_params.get(ASSESSMENT_PARAM)


def show(opened: Opened, *, clear: bool = False) -> None:
    """Put ``opened`` into the widgets (before they render) and the address bar."""
    if opened.contents is not None or clear:
        load_into_widgets(*(opened.contents or ({}, {})))
    st.session_state[OPENED] = opened
    st.session_state[_MARK] = fingerprint(current_profile()[0], current_answers())
    if opened.notice:
        tell(opened, opened.notice)
    _sync_address(opened)


def tell(opened: Opened, message: str, *, success: bool = False) -> None:
    """A message about ``opened``, shown by :func:`told` while ``opened`` is shown (so that
    other reruns, such as a component answering, do not take it away unseen)."""
    st.session_state["told"] = (opened.key, message, success)


def told(opened: Opened | None) -> None:
    """Show the message about what is shown, if there is one."""
    key, message, success = st.session_state.get("told") or (None, "", False)
    if opened is None or key != opened.key:
        st.session_state.pop("told", None)
    elif success:
        st.success(message, icon=":material/check_circle:")
    else:
        st.info(message, icon=":material/info:")


def current(active_store: Store | None) -> Opened | None:
    """What this session shows, opening what the address bar names on a session's first run
    (or when the address names something else); None without a store."""
    held: Opened | None = st.session_state.get(OPENED)
    if held is not None and address_key(*_address()) in (None, held.key):
        _sync_address(held)
        return held
    if active_store is None:
        return None
    with store_errors("open the assessment"):
        show(open_from_address(active_store, *_address()), clear=True)
    return st.session_state.get(OPENED)


def autosave(
    active_store: Store, opened: Opened, profile: Profile | None, answers: dict[str, JsonAnswer]
) -> Opened:
    """Save the draft when something changed; returns what is shown afterwards."""
    mark = fingerprint(profile, answers)
    if opened.viewing or mark == st.session_state.get(_MARK) or not has_started(profile, answers):
        return opened
    with store_errors("autosave the draft"):
        saved, notice = save_draft(active_store, opened, profile, answers)
        st.session_state[_MARK] = mark
        if saved.key != opened.key and not notice:  # continued under a new id, nothing to say
            st.session_state[OPENED] = saved
            _sync_address(saved)
        opened = saved
        if notice:  # shown at the top of the page, in the run that follows at once
            st.session_state[OPENED] = opened
            tell(opened, notice)
            _sync_address(opened)
            st.rerun()
    return opened


def offer_saved_assessments(active_store: Store | None) -> None:
    """Where nothing is shown yet: open one of the saved assessments instead (newest first)."""
    if active_store is None:
        return
    with store_errors("list the saved assessments"):
        summaries = active_store.list_assessments()[:MAX_OFFERED]
        if not summaries:
            return
        labels = {s.id: saved_label(s) for s in summaries}
        chosen = st.selectbox(
            "Or open a saved assessment",
            list(labels),
            index=None,
            format_func=labels.__getitem__,
            placeholder="Choose a saved assessment",
        )
        if chosen is not None:
            show(Opened(draft_id=None, stored=active_store.get_assessment(int(chosen))))
            st.rerun()


def assessed_on(opened: Opened | None) -> dt.date:
    """The date of what is shown: a saved assessment's, else today (a draft saves today)."""
    if opened is not None and opened.viewing and opened.stored is not None:
        return opened.stored.assessment.assessed_on
    return dt.date.today()
