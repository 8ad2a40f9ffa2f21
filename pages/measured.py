"""Measured adoption: usage exports and a roster in, monthly active share per division out,
each with a fitted S-curve; the organization projection then uses the measured share."""

import streamlit as st

from pages.shared.boundary import through_router
from pages.shared.display import InputError, show_chart_with_png, show_problems, show_table
from pages.shared.session import current_answers, digest_of
from readiness.views.measured import (
    ACTIONS,
    DEFAULT_ACTIONS,
    MeasuredView,
    least_group_size,
    measured_view,
    read_uploads,
    recognised_formats,
)

through_router()

st.title("Measured adoption", anchor=False)
st.caption(
    "Upload usage exports (several months at once) and a roster. Recognised from their header: "
    + recognised_formats()
    + ". Roster: a CSV with `user`, `division` and optional `start_date`, `end_date`. "
    "User names are pseudonymised as they are read and never kept; only monthly counts per "
    "division are. Concealed (hashed) Microsoft names work with a headcount. An event log larger "
    "than the upload limit: `readiness usage` on the command line reads it from disk."
)
exports = st.file_uploader(
    "Usage exports", type=["csv", "parquet"], accept_multiple_files=True, key="measured_files"
)
roster = st.file_uploader("Roster", type=["csv"], key="measured_roster")
least = least_group_size()  # READINESS_MIN_GROUP_SIZE: only raised here
with st.expander("Settings", icon=":material/tune:"):
    headcount = st.number_input(
        "Headcount (without a roster)", min_value=0, value=0, step=1, key="measured_headcount"
    )
    min_group = st.number_input(
        "Minimum group size",
        min_value=least,
        max_value=max(100, least),
        value=least,
        help="Smaller divisions are merged into 'other divisions', in downloads too.",
        key="measured_min_group",
    )
    actions = st.multiselect(
        "Actions that count as active",
        ACTIONS,
        default=[a for a in ACTIONS if a in DEFAULT_ACTIONS],
        help="Posting, editing, commenting and reacting by default; reading is off.",
        key="measured_actions",
    )

if not exports:
    st.session_state.pop("measured_fit", None)
    st.info("Upload one or more usage exports to begin.", icon=":material/upload_file:")
    st.stop()
if roster is None and not headcount:
    st.session_state.pop("measured_fit", None)
    st.info("Add a roster, or the headcount in Settings.", icon=":material/group:")
    st.stop()

files = [(f.getvalue(), f.name) for f in exports]
people = (roster.getvalue(), roster.name) if roster is not None else None
uploads = [*files, *([people] if people else [])]
digest = digest_of(
    *[part for upload in uploads for part in upload], f"{headcount}|{min_group}|{sorted(actions)}"
)
view = st.session_state.get("measured_view")
if not isinstance(view, MeasuredView) or st.session_state.get("measured_digest") != digest:
    with st.status(f"Reading {len(files)} file(s) ...", expanded=True) as status:
        bar = st.progress(0.0, text="Starting")
        try:
            measured = read_uploads(
                files,
                people,
                int(headcount) or None,
                actions,
                int(min_group),
                progress=lambda done, text: bar.progress(min(done, 1.0), text=text),
            )
            bar.progress(0.9, text="Fitting the curves")
            view = measured_view(measured)
        except InputError as error:
            status.update(label="The files could not be measured", state="error", expanded=True)
            st.session_state.pop("measured_fit", None)
            show_problems(error, title="The files could not be measured")
            st.stop()
        bar.progress(1.0, text="Done")
        status.update(label="Measured", state="complete", expanded=False)
    st.session_state.update(measured_view=view, measured_digest=digest)
    st.session_state["measured_upload"] = (files, people)  # the Evidence page reuses them
if view.fitted is not None:
    st.session_state["measured_fit"] = view.fitted
else:
    st.session_state.pop("measured_fit", None)

if skipped := view.skipped_rows():
    st.warning(skipped, icon=":material/warning:", title="Rows skipped")
with st.container(horizontal=True):
    for label, value, help_text in view.summary_metrics():
        st.metric(label, value, help=help_text, border=True)
for line in view.reading_notes():  # file names are user text
    st.text(line)

gap = view.gap_text(current_answers().get("gr_active_share"))
if gap is not None:
    (st.warning if gap[1] else st.info)(gap[0], icon=":material/compare_arrows:")
if view.overall_chart is not None:
    st.subheader("All staff", anchor=False)
    show_chart_with_png(view.overall_chart, "measured-adoption.png")
    st.success(
        "With questionnaire answers, Results, Growth scenarios and the report project your "
        "organization from this measured usage.",
        icon=":material/check_circle:",
    )
    st.page_link("pages/results.py", label="Open Results", icon=":material/insights:")
if view.panels_chart is not None:
    st.subheader("By division", anchor=False)
    show_chart_with_png(view.panels_chart, "measured-adoption-by-division.png")
for note in view.fit_notes:
    st.text(note)
if not view.milestones.empty:
    st.subheader("Milestones of the fitted curves", anchor=False)
    show_table(
        view.milestones, "measured-milestones.csv", key="measured_milestones", hide_index=True
    )
st.subheader("Monthly active share", anchor=False)
st.download_button(
    "Download the monthly series",
    view.csv,
    "measured-adoption.csv",
    "text/csv",
    icon=":material/download:",
    key="measured_download",
)
show_table(view.table, "measured-adoption-table.csv", key="measured_table", hide_index=True)
