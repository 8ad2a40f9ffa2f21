"""Remember this browser's unsaved draft when its tab is closed, and offer to resume it.

The draft id is kept in the browser's own storage (``localStorage``), written by a tiny custom
component. Each browser profile has its own storage, so two people, or two browsers, never see
each other's drafts; the answers themselves stay in the store, keyed by that id.
"""

from __future__ import annotations

import streamlit as st

from readiness.dashboard_state import valid_draft_id
from readiness.store import Store, StoreError

_STATE_KEY = "draft_memory"
_JS = """
export default function (component) {
  const { data, setStateValue } = component
  const KEY = "readiness.draft"
  let stored = null
  try {
    if (data && data.remember) window.localStorage.setItem(KEY, data.remember)
    stored = window.localStorage.getItem(KEY)
  } catch (error) {
    stored = null  // storage disabled: nothing to remember
  }
  if ((data ? data.known : null) !== stored) setStateValue("stored", stored)
}
"""
_MEMORY = st.components.v2.component("readiness_draft_memory", html="<span hidden></span>", js=_JS)


def remembered_draft(remember: str | None = None) -> str | None:
    """The draft id this browser remembers, after remembering ``remember`` if given.

    ``None`` on the first run of a page: the browser answers right after, with a rerun.
    """
    state = st.session_state.get(_STATE_KEY) or {}
    known = state.get("stored") if hasattr(state, "get") else None
    result = _MEMORY(
        key=_STATE_KEY,
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
    organization = draft.profile.organization if draft.profile else None
    when = draft.updated_at.strftime("%d %b %Y, %H:%M UTC")
    with st.container(border=True):
        st.markdown(f"**You have an unsaved draft** from {when}.")
        if organization:
            st.text(f"Organization: {organization}")  # user text: shown as text, never markup
        with st.container(horizontal=True):
            if st.button("Resume the draft", icon=":material/restore:", type="primary"):
                for key in ("draft_id", "draft_resumed", "draft_fingerprint", "submitted"):
                    st.session_state.pop(key, None)
                st.switch_page("pages/questionnaire.py", query_params={"draft": stored})
            if st.button("Start afresh", icon=":material/add:"):
                st.session_state["resume_declined"] = stored
                st.rerun()
