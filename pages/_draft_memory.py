"""A draft left behind in a closed tab, offered for resuming when the app is opened again.

The draft id is kept in a cookie of the dashboard's own site (``readiness_draft``, written by a
tiny custom component once a draft holds answers) and read from the request that opens the next
session (``st.context.cookies``): the first page draws without that component's code, and the
offer is there on the first run. Each browser profile has its own cookies: two people, or two
browsers, never see each other's drafts. Drafts themselves, and the ``?draft=`` address, are in
``pages/_drafts.py``.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from readiness.editing import DRAFT_PARAM, valid_draft_id
from readiness.errors import StoreError

_COOKIE = "readiness_draft"
_MEMORY = st.components.v2.component(
    "readiness_draft_memory",
    html="<span hidden></span>",
    js=(Path(__file__).parent / "draft_memory.js").read_text(encoding="utf-8"),
)


def remembered_draft(remember: str | None = None) -> str | None:
    """The draft id this browser remembered when this session opened; ``remember`` (a draft id)
    is written for the sessions after this one."""
    stored = valid_draft_id(st.context.cookies.get(_COOKIE))
    # Drawn on every run, empty until there is a draft to remember: the component appearing in
    # a new element would move every element below it, and the browser would redraw the field a
    # person is typing in (the focus went to the page, the keystrokes nowhere).
    slot = st.empty()
    if remember is not None and remember != stored:
        with slot:
            _MEMORY(key="draft_memory", data={"remember": remember}, height=0)
    return stored


def offer_to_resume(current: str | None, remember: str | None = None) -> None:
    """If this browser left an unsaved draft behind (tab closed), offer to resume it.

    ``remember``: this session's draft id, once it holds answers, to be offered next time. The
    store is opened only when the browser remembers a draft (not on a first visit).
    """
    stored = remembered_draft(remember)
    declined = st.session_state.get("resume_declined")
    if stored is None or stored in (current, declined):
        return
    from pages._store import store  # a draft to offer: now the store is needed
    from readiness.views.questionnaire import resume_offer

    active_store = store()
    if active_store is None:
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
                st.session_state.pop("opened", None)  # the address decides what opens
                st.switch_page("pages/questionnaire.py", query_params={DRAFT_PARAM: stored})
            if st.button("Start afresh", icon=":material/add:"):
                st.session_state["resume_declined"] = stored
                st.rerun()
