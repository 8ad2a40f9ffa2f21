"""Compare: saved assessments, survey divisions and the current answers side by side."""

from functools import partial

import streamlit as st

from pages._app_state import current_answers, score, show_chart, show_table
from pages._boundary import through_router
from pages._store import store, store_errors
from readiness.charts import comparison_chart
from readiness.scoring import Scores
from readiness.survey import SurveySummary
from readiness.views.compare import comparison_frame, differences_frame, survey_candidates

through_router()

active_store = store()
st.title("Compare", anchor=False)
st.caption(
    "Put the scores of saved assessments, the divisions of an uploaded survey "
    "and your current answers side by side. Scores are 0-100 on the same questionnaire."
)

candidates: dict[str, Scores] = {}
answers = current_answers()
if any(v is not None for v in answers.values()):
    current = score(answers)
    if current is not None:
        candidates["Current answers (not saved)"] = current
summary = st.session_state.get("survey_summary")
if isinstance(summary, SurveySummary):
    candidates.update(survey_candidates(summary))
    st.caption(summary.group_text)
saved_labels: dict[str, int] = {}
if active_store is not None:
    with store_errors("list the saved assessments"):
        for s in active_store.list_assessments()[:200]:
            where = " / ".join(filter(None, [s.organization, s.division]))
            saved_labels[f"#{s.id} {where}, {s.assessed_on:%Y-%m-%d}"] = s.id

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
    on_download=partial(active_store.record_export, "comparison CSV", compared)
    if active_store is not None and compared
    else None,
    hide_index=True,
    alt="Scores per dimension for each chosen assessment, with the spread between them",
)
