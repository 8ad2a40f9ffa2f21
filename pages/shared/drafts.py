"""What the questionnaire shows (a draft or a saved assessment), kept in the address bar; the
questionnaire's buttons; and a draft left behind in a closed tab, offered again.

The decisions are the core's (:mod:`readiness.editing`); this module keeps the address bar, the
session and the widgets in step with them. Every page that shows the session's answers calls
:func:`current`, so a reload of any of them, a bookmark or a shared link opens the same thing.

The buttons (save, start a new assessment, edit, discard changes) run as callbacks, before the
widgets render, so they may load other answers into them; a failed store operation becomes a
message the page shows under the buttons (:func:`show_action_problem`).

A draft left behind: its id is kept in a cookie of the dashboard's own site (``readiness_draft``,
written by a tiny custom component once a draft holds answers) and read from the request that
opens the next session (``st.context.cookies``), so the first page draws without that
component's code and the offer is there on the first run. Each browser profile has its own
cookies: two people, or two browsers, never see each other's drafts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import streamlit as st

from pages.shared.boundary import guarded
from pages.shared.display import show_problems
from pages.shared.session import (
    MAPPING_CHOICE,
    PLAN,
    current_answers,
    current_mapping_choice,
    current_plan,
    current_profile,
    load_into_widgets,
    questionnaire,
    store,
    store_errors,
)
from readiness.access import PermissionDeniedError
from readiness.editing import (
    ASSESSMENT_PARAM,
    DRAFT_PARAM,
    Opened,
    address_key,
    new_draft_id,
    open_from_address,
    start_editing,
    start_from_copy,
    submit,
    valid_draft_id,
)
from readiness.editing import autosave as save_draft
from readiness.errors import InputError, StoreError

# The store and the views that read it load SQLAlchemy: imported where they are used, so the
# Overview's offer to resume a draft costs nothing on a first visit.
if TYPE_CHECKING:
    from readiness.assessment import JsonAnswer, Profile
    from readiness.evidence.choice import MappingChoice
    from readiness.plan.model import Plan
    from readiness.store import Store, StoredAssessment

MAX_OFFERED = 50  # saved assessments offered where nothing is shown yet
OPENED = "opened"  # the Opened the widgets hold
_MARK = "draft_fingerprint"  # the answers as last autosaved or saved
_PROBLEM = "problem"  # a button's failure: (title, problems), shown under the buttons
QUESTIONNAIRE = "pages/questionnaire.py"


# --- what is shown, and the address bar --------------------------------------------------------


def _sync_address(opened: Opened) -> None:
    """The address bar names what is shown: a reload or bookmark opens it again."""
    if address_key(*_address()) != opened.key:
        for key in (DRAFT_PARAM, ASSESSMENT_PARAM):
            st.query_params.pop(key, None)
        st.query_params.update(opened.params)


def _address() -> tuple[str | None, str | None]:
    return st.query_params.get(DRAFT_PARAM), st.query_params.get(ASSESSMENT_PARAM)


def _fingerprint(profile: Profile | None, answers: dict[str, JsonAnswer]) -> str:
    from readiness.views.questionnaire import fingerprint

    return fingerprint(profile, answers)


def show(opened: Opened, *, clear: bool = False) -> None:
    """Put ``opened`` into the widgets (before they render) and the address bar."""
    if opened.contents is not None or clear:
        load_into_widgets(*(opened.contents or ({}, {})))
        st.session_state[MAPPING_CHOICE] = opened.mapping_choice
        st.session_state[PLAN] = opened.plan
    st.session_state[OPENED] = opened
    st.session_state[_MARK] = _fingerprint(current_profile()[0], current_answers())
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
    from readiness.views.questionnaire import has_started

    mark = _fingerprint(profile, answers)
    if opened.viewing or mark == st.session_state.get(_MARK) or not has_started(profile, answers):
        return opened
    with store_errors("autosave the draft"):
        saved, notice = save_draft(
            active_store, opened, profile, answers, current_mapping_choice(), current_plan()
        )
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


def keep_mapping_choice(active_store: Store | None, choice: MappingChoice | None) -> str | None:
    """Keep ``choice`` with what is shown: a saved assessment gets it as its next version, a
    draft keeps it in its autosave (and its save), and this session uses it at once. Returns
    a sentence saying where it was kept (plain text), or None when only this session has it."""
    st.session_state[MAPPING_CHOICE] = choice
    opened: Opened | None = st.session_state.get(OPENED)
    kept: str | None = None
    if active_store is None or opened is None:
        return kept
    if opened.viewing and opened.stored is not None:
        with store_errors("keep the mapping with the assessment"):
            saved = active_store.choose_mapping(opened.stored.id, choice)
            stored = active_store.get_assessment(saved.id)
            st.session_state[OPENED] = Opened(draft_id=None, stored=stored)
            kept = f"Kept with assessment {saved.id} as version {saved.version}."
        return kept  # noqa: RET504 (None when store_errors showed a failure)
    profile, _ = current_profile()
    answers = current_answers()
    with store_errors("keep the mapping with the draft"):
        saved_draft, _notice = save_draft(
            active_store, opened, profile, answers, choice, current_plan()
        )
        st.session_state[OPENED] = saved_draft
        _sync_address(saved_draft)
        kept = "Kept with this draft: saving the assessment keeps it."
    return kept  # noqa: RET504 (None when store_errors showed a failure)


def keep_plan(active_store: Store | None, plan: Plan | None) -> str | None:
    """Keep ``plan`` with what is shown: a saved assessment gets it as its next version, a
    draft keeps it in its autosave (and its save); without a store, this session keeps it.
    Returns a sentence saying where it was kept (plain text), or None when the store refused
    or failed (the message is shown)."""
    opened: Opened | None = st.session_state.get(OPENED)
    if active_store is None or opened is None:
        st.session_state[PLAN] = plan
        return "Kept for this session."
    kept: str | None = None
    if opened.viewing and opened.stored is not None:
        with store_errors("keep the plan with the assessment"):
            saved = active_store.set_plan(opened.stored.id, plan)
            stored = active_store.get_assessment(saved.id)
            st.session_state[OPENED] = Opened(draft_id=None, stored=stored)
            st.session_state[PLAN] = plan
            kept = (
                f"Assessment {saved.id} holds this plan already."
                if saved.repeated
                else f"Kept with assessment {saved.id} as version {saved.version}."
            )
            _sync_address(st.session_state[OPENED])
        return kept  # None when store_errors showed a failure
    profile, _ = current_profile()
    answers = current_answers()
    with store_errors("keep the plan with the draft"):
        saved_draft, _notice = save_draft(
            active_store, opened, profile, answers, current_mapping_choice(), plan
        )
        st.session_state[OPENED] = saved_draft
        st.session_state[PLAN] = plan
        _sync_address(saved_draft)
        kept = "Kept with this draft: saving the assessment keeps it."
    return kept  # noqa: RET504 (None when store_errors showed a failure)


def assessed_on(opened: Opened | None) -> dt.date:
    """The date of what is shown: a saved assessment's, else today (a draft saves today)."""
    if opened is not None and opened.viewing and opened.stored is not None:
        return opened.stored.assessment.assessed_on
    return dt.date.today()


# --- opening a saved assessment ----------------------------------------------------------------


def offer_saved_assessments(active_store: Store | None) -> None:
    """Where nothing is shown yet: open one of the saved assessments instead (newest first)."""
    from readiness.views.saved import saved_label

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


def _switch_to_questionnaire(target: Opened) -> None:
    show(target, clear=True)
    st.switch_page(QUESTIONNAIRE, query_params=target.params)


def open_in_questionnaire(stored: StoredAssessment) -> None:
    """Show ``stored`` read-only on the questionnaire (switches page)."""
    _switch_to_questionnaire(Opened(draft_id=None, stored=stored))


def edit_in_questionnaire(active_store: Store, stored: StoredAssessment) -> None:
    """A draft that saves as ``stored``'s next version, on the questionnaire (switches page)."""
    _switch_to_questionnaire(start_editing(active_store, stored))


def copy_into_questionnaire(active_store: Store, stored: StoredAssessment) -> None:
    """A new draft holding a copy of ``stored``'s answers, on the questionnaire (switches page)."""
    _switch_to_questionnaire(start_from_copy(active_store, stored))


# --- the questionnaire's buttons ---------------------------------------------------------------


@contextmanager
def _reported(action: str) -> Iterator[None]:
    """In a button callback: a failed store operation becomes a message shown by the page."""
    try:
        yield
    except (InputError, StoreError, PermissionDeniedError) as error:
        problems = error.problems if isinstance(error, InputError) else [str(error)]
        st.session_state[_PROBLEM] = (f"Could not {action}", problems)


def show_action_problem() -> None:
    """What a button's callback could not do, under the buttons (once)."""
    if problem := st.session_state.pop(_PROBLEM, None):
        show_problems(InputError(problem[1]), title=problem[0])


@guarded  # callbacks run before app.py, outside its page boundary
def save(active_store: Store) -> None:
    """Save (button callback): store the answers, then show them as saved, as a reload would."""
    st.session_state["save_attempted"] = True
    opened: Opened | None = st.session_state.get(OPENED)
    profile, _ = current_profile()
    if opened is None or opened.draft_id is None:
        return  # a second click after the save: the first one stored it
    if profile is None:
        st.session_state[_PROBLEM] = ("Not saved", ["Check the profile above before saving."])
        return
    with _reported("save the assessment"):
        version = questionnaire().version
        answers = current_answers()
        outcome = submit(
            active_store,
            opened.draft_id,
            opened.edits,
            profile,
            answers,
            version,
            current_mapping_choice(),
            current_plan(),
        )
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


# --- a draft left behind in this browser -------------------------------------------------------

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
                st.session_state.pop(OPENED, None)  # the address decides what opens
                st.switch_page(QUESTIONNAIRE, query_params={DRAFT_PARAM: stored})
            if st.button("Start afresh", icon=":material/add:"):
                st.session_state["resume_declined"] = stored
                st.rerun()
