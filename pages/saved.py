"""Saved assessments: list, open, export (JSON, CSV), report, delete with confirmation, import."""

import pandas as pd
import streamlit as st

from pages._app_state import load_into_widgets, questionnaire, store, store_errors
from readiness.export import export_csv, export_json, import_submission_id, parse_import
from readiness.report import report_for

opened = store()
st.title("Saved assessments", anchor=False)
if opened is None:
    st.stop()
active_store = opened


@st.dialog("Delete this assessment?", on_dismiss=lambda: st.session_state.pop("to_delete", None))
def confirm_delete(assessment_id: int, label: str) -> None:
    st.text(label)
    st.write("It is removed for good; export it first if you may need it again.")
    with st.container(horizontal=True):
        if st.button("Delete", type="primary", icon=":material/delete:", key="delete_confirmed"):
            with store_errors("delete the assessment"):
                active_store.delete_assessment(assessment_id)
            st.session_state.pop("to_delete", None)
            st.rerun()
        if st.button("Cancel", key="delete_cancelled"):
            st.session_state.pop("to_delete", None)
            st.rerun()


summaries = []
with store_errors("list the saved assessments"):
    summaries = active_store.list_assessments()
if summaries:
    listing = pd.DataFrame(
        {
            "id": [s.id for s in summaries],
            "organization": [s.organization for s in summaries],
            "division": [s.division or "" for s in summaries],
            "assessed on": [s.assessed_on for s in summaries],
            "overall": [s.overall for s in summaries],
            "stage": [s.stage_name or "" for s in summaries],
        }
    )
    st.dataframe(
        listing,
        hide_index=True,
        alt="Saved assessments with organization, date, overall score and stage",
        column_config={"overall": st.column_config.NumberColumn(format="%.0f")},
        key="saved_listing",
    )
    labels = {
        s.id: f"#{s.id} {' / '.join(filter(None, [s.organization, s.division]))}, "
        f"{s.assessed_on:%Y-%m-%d}"
        for s in summaries
    }
    chosen = st.selectbox(
        "Assessment", list(labels), format_func=labels.__getitem__, key="saved_id"
    )
    stored = None
    with store_errors("open the assessment"):
        stored = active_store.get_assessment(int(chosen)) if chosen is not None else None
    if stored is not None:
        profile = stored.assessment.profile
        with st.container(horizontal=True, vertical_alignment="bottom"):
            if st.button("Edit as a new assessment", icon=":material/edit_note:"):
                load_into_widgets(stored.assessment.answers, profile)
                st.switch_page("pages/questionnaire.py")
            st.download_button(
                "JSON",
                export_json(stored),
                f"assessment-{stored.id}.json",
                "application/json",
                icon=":material/download:",
            )
            st.download_button(
                "CSV",
                export_csv(stored, questionnaire()),
                f"assessment-{stored.id}.csv",
                "text/csv",
                icon=":material/download:",
            )
            history = active_store.history(profile.organization, profile.division)
            st.download_button(
                "Report",
                report_for(stored, history),
                f"readiness-report-{stored.id}.html",
                "text/html",
                icon=":material/description:",
            )
            st.button(
                "Delete",
                icon=":material/delete:",
                on_click=st.session_state.update,
                kwargs={"to_delete": stored.id},
                key="delete_requested",
            )
        if st.session_state.get("to_delete") == stored.id:
            confirm_delete(stored.id, labels[stored.id])
else:
    st.info("No saved assessments yet.", icon=":material/info:")

with st.expander("Import assessments (JSON)", icon=":material/upload:"):
    upload = st.file_uploader("Exported JSON", type=["json"], key="saved_import")
    if upload is not None and st.button("Import", icon=":material/upload:"):
        with store_errors("import the file"):
            text = upload.getvalue().decode("utf-8", errors="replace")
            imported = parse_import(questionnaire(), text, upload.name)
            ids = [active_store.save_assessment(a, import_submission_id(a)) for a in imported]
            st.success(f"Imported {len(ids)} assessments (ids {', '.join(map(str, ids))}).")
