"""Questionnaire: the profile, then one tab per dimension (and context), with progress.

Answers are validated on the server (the widgets' limits can be bypassed) and each message is
shown under its field. Answers survive page switches and are autosaved as a draft keyed by the
``?draft=`` id in the URL, so a reload resumes them.
"""

import streamlit as st

from pages._app_state import current_answers, current_profile, questionnaire, store
from pages._drafts import autosave, offer_to_resume, resume_draft, submit
from pages._widgets import item_widget, profile_widgets
from readiness.dashboard_state import answer_problems, has_started, profile_key, progress

active_store = store()
draft = resume_draft(active_store)
q = questionnaire()

st.title("Questionnaire", anchor=False)
st.caption(
    "Answer for your organization (or one division). Statements are about what *we* do; "
    "leave a question open when you do not know: missing answers never count as zero."
)
started = has_started(current_profile()[0], current_answers())
offer_to_resume(active_store, draft, remember=draft if started else None)
overall_progress = st.empty()

profile, profile_problems = current_profile()
with st.container(border=True):
    # An empty name is not an error while answering, only once the user tries to save.
    typed = bool(str(st.session_state.get(profile_key("organization")) or "").strip())
    show_all = typed or st.session_state.get("save_attempted", False)
    profile_widgets({k: v for k, v in profile_problems.items() if show_all or k != "organization"})

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
            item_widget(q, item, problems.get(item.id))

answered_total = sum(a for a, _ in counts.values())
items_total = sum(t for _, t in counts.values())
overall_progress.progress(
    answered_total / items_total, text=f"{answered_total} of {items_total} questions answered"
)

with st.container(horizontal=True, vertical_alignment="center"):
    st.page_link("pages/results.py", label="See results", icon=":material/insights:")
    if active_store is not None:
        autosave(active_store, draft, profile, answers)
        clicked = st.button(
            "Save assessment",
            icon=":material/save:",
            type="primary",
            disabled=bool(problems),
            on_click=lambda: st.session_state.update(save_attempted=True),
            help="Stores the assessment; clicking twice stores it once.",
        )
        if clicked and profile is None:
            st.error("Check the profile above before saving.", icon=":material/error:")
        elif clicked and profile is not None:
            saved = submit(active_store, st.session_state["draft_id"], profile, answers)
            if saved is not None:
                st.success(f"Saved as assessment {saved}.", icon=":material/check_circle:")
        elif answered_total:
            st.caption("Draft saved automatically.")
