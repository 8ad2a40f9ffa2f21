"""Compare: saved assessments, survey divisions and the current answers side by side."""

import streamlit as st

from pages.shared.boundary import through_router
from pages.shared.display import show_chart, show_table
from pages.shared.session import current_answers, export_recorder, score, store, store_errors
from readiness.views.compare import (
    Scores,
    comparison_chart,
    comparison_frame,
    differences_frame,
    reliability_text,
    saved_choices,
    session_candidates,
    survey_of,
)

through_router()

active_store = store()
st.title("Compare", anchor=False)
st.caption(
    "Put the scores of saved assessments, the divisions of an uploaded survey "
    "and your current answers side by side. Scores are 0-100 on the same questionnaire."
)

answers = current_answers()
current = score(answers) if any(v is not None for v in answers.values()) else None
survey = survey_of(st.session_state.get("survey_summary"))
candidates = session_candidates(current, survey)
if survey is not None:
    st.caption(survey.group_text)
if reliability := reliability_text(st.session_state.get("survey_evidence"), survey):
    st.markdown(reliability)
saved_labels: dict[str, int] = {}
if active_store is not None:
    with store_errors("list the saved assessments"):
        saved_labels = saved_choices(active_store.list_assessments())

options = [*candidates, *saved_labels]
if len(options) < 2:
    st.info(
        "Save two assessments, or upload a survey with divisions, to compare them.",
        icon=":material/info:",
    )
    st.stop()
chosen = st.multiselect(
    "Assessments and divisions",
    options,
    default=options[: min(3, len(options))],
    max_selections=8,
    key="compare_chosen",
)
named: list[tuple[str, Scores]] = []
for label in chosen:
    if label in candidates:
        named.append((label, candidates[label]))
    elif active_store is not None:
        with store_errors("open a saved assessment"):
            named.append((label, active_store.get_assessment(saved_labels[label]).scores))
if len(named) < 2:
    st.info("Choose at least two.", icon=":material/info:")
    st.stop()

compared = [saved_labels[label] for label in chosen if label in saved_labels]
frame = comparison_frame(named)
show_chart(comparison_chart(frame))
st.header("Differences", anchor=False)
show_table(  # column names are organization and division names: user text
    differences_frame(frame).reset_index(),
    "readiness-comparison.csv",
    key="compare_differences",
    on_download=export_recorder(active_store, "comparison CSV", compared),
    hide_index=True,
    alt="Scores per dimension for each chosen assessment, with the spread between them",
)
