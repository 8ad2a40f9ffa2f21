"""Questionnaire: the profile, then one tab per dimension (and context), with progress.

Shows a draft (answers autosaved under the ``?draft=`` id in the address bar) or a saved
assessment (``?assessment=N``, read-only until "Edit this assessment"). Answers are validated on
the server (the widgets' limits can be bypassed) and each message is shown under its field.
"""

import streamlit as st

from pages.shared import drafts
from pages.shared.auth import Action, may
from pages.shared.boundary import through_router
from pages.shared.session import current_answers, current_profile, questionnaire, score, store
from pages.shared.widgets import item_widget, profile_widgets
from readiness.views.questionnaire import (
    answer_problems,
    has_started,
    missing_answers,
    profile_key,
    progress,
    saved_line,
)

through_router()

active_store = store()
opened = drafts.current(active_store)
q = questionnaire()
viewing = opened is not None and opened.viewing

st.title("Questionnaire", anchor=False)
drafts.told(opened)
if opened is not None and opened.stored is not None and viewing:
    stored = opened.stored
    with st.container(border=True):
        st.markdown(
            f"**{saved_line(stored)}.** Shown as saved: edit it, or start a new assessment."
        )
        with st.container(horizontal=True):
            if may(Action.edit, stored.assessment.profile.organization):
                st.button(
                    "Edit this assessment",
                    icon=":material/edit:",
                    type="primary",
                    on_click=drafts.edit,
                    args=(active_store, opened),
                )
            st.button("Start a new assessment", icon=":material/add:", on_click=drafts.start_new)
            st.page_link("pages/results.py", label="See results", icon=":material/insights:")
elif opened is not None and opened.edits is not None:
    with st.container(border=True):
        st.markdown(
            f"**Editing assessment {opened.edits}.** Saving stores a new version; earlier "
            "versions stay in its history (Saved assessments)."
        )
        st.button(
            "Discard changes",
            icon=":material/undo:",
            on_click=drafts.discard_changes,
            args=(active_store, opened),
        )
else:
    st.caption(
        "Answer for your organization (or one division). Statements are about what *we* do; "
        "leave a question open when you do not know: missing answers never count as zero."
    )
    started = has_started(current_profile()[0], current_answers())
    draft_id = opened.draft_id if opened else None
    drafts.offer_to_resume(draft_id, remember=draft_id if started else None)
overall_progress = st.empty()

profile, profile_problems = current_profile()
with st.container(border=True):
    # An empty name is not an error while answering, only once the user tries to save.
    typed = bool(str(st.session_state.get(profile_key("organization")) or "").strip())
    show_all = typed or st.session_state.get("save_attempted", False)
    shown = {k: v for k, v in profile_problems.items() if show_all or k != "organization"}
    profile_widgets({} if viewing else shown, disabled=viewing)

answers = current_answers()
problems = answer_problems(q, answers)
counts = progress(q, answers)
sections: list[tuple[str | None, str, str]] = [(d.id, d.name, d.description) for d in q.dimensions]
sections.append((None, "Context", "Asked, not scored: these answers select advice."))
tabs = st.tabs([name for _, name, _ in sections], key="questionnaire_section")
for tab, (dimension, name, description) in zip(tabs, sections, strict=True):
    with tab:
        answered, total = counts.get(dimension, (0, 0))
        st.progress(
            answered / total if total else 0.0, text=f"{name}: {answered} of {total} answered"
        )
        st.caption(description)
        for item in q.items_of(dimension):
            item_widget(q, item, problems.get(item.id), disabled=viewing)

answered_total = sum(a for a, _ in counts.values())
items_total = sum(t for _, t in counts.values())
overall_progress.progress(
    answered_total / items_total, text=f"{answered_total} of {items_total} questions answered"
)
if active_store is None or opened is None or viewing:
    st.stop()
if not may(Action.draft):  # a viewer: scored for this session, never stored
    st.caption("Your role does not save assessments: these answers are kept for this session.")
    st.page_link("pages/results.py", label="See results", icon=":material/insights:")
    st.stop()

opened = drafts.autosave(active_store, opened, profile, answers)
scores = score(answers) if not problems and has_started(profile, answers) else None
missing = missing_answers(scores) if scores is not None else []
if missing:
    st.warning(
        "Incomplete: " + "; ".join(missing) + ". You can still save it, marked incomplete.",
        icon=":material/warning:",
    )
if problems:
    st.error(
        f"{len(problems)} answer(s) need attention before saving (see the messages above).",
        icon=":material/error:",
    )
with st.container(horizontal=True, vertical_alignment="center"):
    st.page_link("pages/results.py", label="See results", icon=":material/insights:")
    label = "Save changes" if opened.edits is not None else "Save assessment"
    st.button(
        label + (" as incomplete" if missing else ""),
        icon=":material/save:",
        type="primary",
        disabled=bool(problems),
        on_click=drafts.save,
        args=(active_store,),
        help="Stores the assessment; clicking twice stores it once.",
    )
    if answered_total:
        st.caption("Draft saved automatically.")
drafts.show_action_problem()
