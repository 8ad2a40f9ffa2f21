"""Evidence: a survey and measured adoption of the same divisions, joined by their names; the
survey's scale quality, what drives measured adoption, the levers each mapping implies, and the
choice of mapping that Results, Growth, the report and the command line use."""

import streamlit as st

from pages.shared.boundary import through_router
from pages.shared.display import InputError, show_chart, show_problems
from pages.shared.drafts import current, keep_mapping_choice
from pages.shared.session import (
    current_answers,
    current_mapping_choice,
    digest_of,
    questionnaire,
    rulebook,
    score,
    store,
)
from readiness.views.evidence import (
    MEASURED_COLUMN,
    SURVEY_COLUMN,
    USE_CALIBRATED,
    EvidenceView,
    division_rows,
    evidence_view,
    map_from_rows,
    mapping_words,
    read_survey,
    read_usage,
    survey_groups,
)

through_router()

active_store = store()
opened = current(active_store)
q, rules = questionnaire(), rulebook()

st.title("Evidence", anchor=False)
st.caption(
    "Does the advice hold in your organization? A survey of many respondents by division and "
    "the measured monthly active share of the same divisions test the lever mapping "
    "(data/levers.yaml, an assumption) and, where your data are strong enough, calibrate it."
)
st.info(f"In use: {mapping_words(current_mapping_choice())}.", icon=":material/tune:")

left, right = st.columns(2)
with left:
    survey_file = st.file_uploader("Respondents CSV", type=["csv"], key="evidence_survey")
with right:
    usage_files = st.file_uploader(
        "Usage exports", type=["csv", "parquet"], accept_multiple_files=True, key="evidence_usage"
    )
    roster_file = st.file_uploader("Roster", type=["csv"], key="evidence_roster")

kept_survey = st.session_state.get("survey_upload")  # (bytes, name) from Survey upload
kept_usage = st.session_state.get("measured_upload")  # (exports, roster) from Measured adoption
survey_source = (survey_file.getvalue(), survey_file.name) if survey_file else kept_survey
usage_source = (
    (
        [(f.getvalue(), f.name) for f in usage_files],
        (roster_file.getvalue(), roster_file.name) if roster_file else None,
    )
    if usage_files
    else kept_usage
)
if survey_source is None or usage_source is None:
    st.info(
        "Upload a respondents CSV and usage exports with a roster (or upload them on Survey "
        "upload and Measured adoption first: they are used here).",
        icon=":material/upload_file:",
    )
    st.stop()
# Kept for this session: a later visit here reuses them.
st.session_state.update(survey_upload=survey_source, measured_upload=usage_source)
if not survey_file:
    st.caption("Survey: the respondents CSV uploaded earlier in this session.")
if not usage_files:
    st.caption("Usage: the exports and roster uploaded earlier in this session.")

exports, roster = usage_source
digest = digest_of(
    *survey_source, *[part for upload in exports for part in upload], *(roster or ())
)
if st.session_state.get("evidence_digest") != digest:
    with st.spinner("Reading the files ..."):
        try:
            table = read_survey(q, *survey_source)
            measured = read_usage(exports, roster)
            groups = survey_groups(q, rules, table)
        except InputError as error:
            show_problems(error, title="The files could not be read")
            st.stop()
    st.session_state.update(
        evidence_digest=digest, evidence_inputs=(table, measured, groups, survey_source[1])
    )
    st.session_state.pop("evidence_view", None)
table, measured, groups, survey_name = st.session_state["evidence_inputs"]

st.header("Division names", anchor=False)
st.caption(
    "Each survey division with the measured division of the same people. Equal names are "
    "paired for you; choose the others once (they are kept with the assessment)."
)
kept = current_mapping_choice()
rows = division_rows(groups.names, measured.divisions, kept.division_map if kept else None)
edited = st.data_editor(
    rows,
    hide_index=True,
    disabled=[SURVEY_COLUMN],
    column_config={
        MEASURED_COLUMN: st.column_config.SelectboxColumn(
            MEASURED_COLUMN, options=["", *measured.divisions]
        )
    },
    key="evidence_names",
)
try:
    names = map_from_rows(edited, measured.divisions)
except InputError as error:
    show_problems(error, title="The division names do not pair one to one")
    st.stop()

scores = score(current_answers())
own = scores.dimension_scores() if scores is not None else dict.fromkeys(groups.dimension_names)
view_key = digest_of(digest, names.to_json(), repr(sorted(own.items(), key=lambda kv: kv[0])))
view = st.session_state.get("evidence_view")
if not isinstance(view, EvidenceView) or st.session_state.get("evidence_view_key") != view_key:
    with st.spinner("Testing the levers against measured adoption ..."):
        try:
            view = evidence_view(q, table, groups, measured, names, own, survey_name=survey_name)
        except InputError as error:
            show_problems(error, title="The evidence could not be computed")
            st.stop()
    st.session_state.update(evidence_view=view, evidence_view_key=view_key)
st.text(view.match.describe())  # division names are user text

st.header("Scale quality", anchor=False)
for line in view.survey.quality_sentences:
    st.text(line)

st.header("Drivers of measured adoption", anchor=False)
for line in view.drivers.sentences():
    st.text(line)
weights = view.weights_chart()
if weights is not None:
    show_chart(weights)

st.header("Levers tested", anchor=False)
st.dataframe(view.ranking_frame(), hide_index=True, on_select="ignore")
for ranking in view.rankings:
    st.text(ranking.text)
for line in view.curves.describe():
    st.text(line)
curves = view.curves_chart()
if curves is not None:
    show_chart(curves)
if scores is None:
    st.caption("Answer the questionnaire to rank the levers for your own scores (neutral 50 now).")

st.header("The mapping in use", anchor=False)
if view.offered:
    st.success(view.calibration.verdict.text, icon=":material/verified:")
    with st.expander("The calibrated mapping's numbers"):
        st.dataframe(view.numbers_frame(), hide_index=True)
        st.caption(view.calibration.method)
    chosen = st.toggle(
        USE_CALIBRATED,
        value=kept is not None and kept.use == "calibrated",
        help=f"On: {view.calibrated_words()}. Off: {mapping_words(None)}.",
        key="evidence_use_calibrated",
    )
    if chosen != (kept is not None and kept.use == "calibrated"):
        where = keep_mapping_choice(
            active_store, view.choice("calibrated" if chosen else "assumed")
        )
        if where:
            st.toast(where, icon=":material/check_circle:")
        st.rerun()
else:
    st.info(view.calibration.verdict.text, icon=":material/info:")
st.write(f"Results, Growth scenarios and the report use {mapping_words(current_mapping_choice())}.")
