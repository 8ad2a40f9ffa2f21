"""Survey upload: a respondents CSV validated row by row, scored per division with agreement, and
the quality of its scales."""

import streamlit as st

from pages.shared.boundary import through_router
from pages.shared.display import InputError, show_chart, show_problems, show_table
from pages.shared.session import digest_of, questionnaire, rulebook
from readiness.views.survey import (
    MAX_PROBLEM_ROWS_SHOWN,
    SCALE_FIGURES,
    SurveyEvidence,
    SurveySummary,
    column_note_text,
    dictionary_csv,
    division_chart,
    division_frame,
    division_table,
    evidence_text,
    low_agreement_warning,
    min_group_size,
    problems_text,
    read_respondents_csv,
    scale_charts,
    scale_quality_table,
    score_histogram,
    summarize_survey,
    survey_evidence,
    survey_report,
    template_csv,
)

through_router()

q, rules = questionnaire(), rulebook()
limit_mb = int(st.get_option("server.maxUploadSize"))

st.title("Survey upload", anchor=False)
st.caption(
    "One row per respondent, one column per question: headed by its id or its question text "
    "(as Microsoft Forms, Google Forms, LimeSurvey and Qualtrics export them), plus a `division` "
    'or `department` column. Answers as numbers, option ids or labels ("Agree"); checklist '
    "options separated by `;` or `,` (`none` when nothing applies). Only empty cells are "
    "unanswered; other columns are ignored. The data dictionary lists every question and its "
    f"valid values. Largest file: {limit_mb} MB (about 200,000 respondents)."
)
with st.container(horizontal=True):
    st.download_button(
        "Download the CSV template",
        template_csv(q),
        file_name="respondents-template.csv",
        mime="text/csv",
        icon=":material/download:",
    )
    st.download_button(
        "Download the data dictionary",
        dictionary_csv(q),
        file_name="respondents-data-dictionary.csv",
        mime="text/csv",
        icon=":material/menu_book:",
    )
upload = st.file_uploader("Respondents CSV", type=["csv"], key="survey_file")
if upload is None:
    st.stop()

try:
    minimum = min_group_size()
except InputError as error:
    show_problems(error, title="The minimum group size is not valid")
    st.stop()
data = upload.getvalue()
digest = digest_of(data, str(minimum))
summary = st.session_state.get("survey_summary")
evidence = st.session_state.get("survey_evidence")
if (
    not isinstance(summary, SurveySummary)
    or not isinstance(evidence, SurveyEvidence)
    or st.session_state.get("survey_digest") != digest
):
    with st.status(f"Reading {len(data) / 1e6:.1f} MB ...", expanded=True) as status:
        bar = st.progress(0.1, text="Validating every row")
        try:
            table = read_respondents_csv(q, data, upload.name)
            bar.progress(0.5, text=f"Scoring {len(table):,} respondents")
            summary = summarize_survey(q, rules, table, upload.name, minimum)
            bar.progress(0.75, text="Testing the scales")
            evidence = survey_evidence(q, table, upload.name, minimum)
        except InputError as error:
            status.update(label="The file could not be read", state="error", expanded=True)
            show_problems(error, title="The file could not be read")
            st.stop()
        bar.progress(1.0, text="Done")
        status.update(label=f"{summary.rows:,} rows read", state="complete", expanded=False)
    st.session_state["survey_summary"], st.session_state["survey_digest"] = summary, digest
    st.session_state["survey_evidence"] = evidence
    st.session_state["survey_upload"] = (data, upload.name)  # the Evidence page reuses it

if column_note := column_note_text(summary):
    st.info(column_note, icon=":material/info:")
if summary.bad_rows:
    st.error(problems_text(summary), icon=":material/error:", title="Rows with problems")
    show_table(
        summary.problem_table.rename(columns=str.capitalize),
        "survey-problems.csv",
        key="survey_problems",
        hide_index=True,
        alt=f"Problems by row and field (first {MAX_PROBLEM_ROWS_SHOWN:,})",
    )
if summary.overall is None:
    st.stop()

overall = summary.overall.scores
with st.container(horizontal=True):
    st.metric("Respondents scored", f"{summary.rows - summary.bad_rows:,}", border=True)
    st.metric("Groups shown", f"{len(summary.divisions):,}", border=True)
    st.metric(
        "Readiness index",
        "n/a" if overall.overall is None else f"{overall.overall:.0f} / 100",
        border=True,
    )
    st.metric("Stage", overall.stage.name if overall.stage else "n/a", border=True)
    agreement = summary.overall.agreement
    st.metric(
        "Agreement (r_wg)",
        "n/a" if agreement is None else f"{agreement:.2f}",
        help="Mean within-group agreement over Likert items; below 0.70 scores hide disagreement.",
        border=True,
    )
st.caption(summary.group_text)

left, right = st.columns([3, 2]) if summary.divisions else (st.empty(), st.container())
with right:
    show_chart(score_histogram(summary.overall_scores))
if summary.divisions:
    with left:
        show_chart(division_chart(division_frame(summary.divisions)))
    divisions = division_table(summary.divisions)
    show_table(
        divisions,
        "survey-divisions.csv",
        key="survey_divisions",
        hide_index=True,
        alt="Scores (0-100), stage and agreement per division",
        column_config={"Agreement (r_wg)": st.column_config.NumberColumn(format="%.2f")},
    )
    if warning := low_agreement_warning(divisions):
        st.warning(warning, icon=":material/warning:")

st.header("Scale quality and agreement", anchor=False)
quality, comparison, method = evidence_text(evidence)
st.markdown("**Do the items of each scale agree?**")
st.markdown(quality)
st.markdown("**Are division means reliable enough to compare?**")
st.markdown(comparison)
st.caption(method)
scales = scale_quality_table(evidence)
if scales is not None:
    show_table(
        scales,
        "survey-scale-quality.csv",
        key="survey_scales",
        hide_index=True,
        alt="Scale quality per dimension, for all respondents and each group shown",
        column_config={c: st.column_config.NumberColumn(format="%.2f") for c in SCALE_FIGURES},
    )
for chart in scale_charts(evidence):
    show_chart(chart)
with st.container(horizontal=True):
    icon, compare = ":material/description:", ":material/compare_arrows:"
    st.download_button(
        "Download the report",
        survey_report(summary, evidence),
        "readiness-survey-report.html",
        "text/html",
        icon=icon,
        on_click="ignore",
    )
    if summary.divisions:
        st.page_link("pages/compare.py", label="Compare divisions", icon=compare)
