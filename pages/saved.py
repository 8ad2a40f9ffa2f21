"""Saved assessments: list, open, edit, export (JSON, CSV), report, versions, delete, import."""

from functools import partial

import streamlit as st

from pages import _drafts as drafts
from pages._admin import admin_sections
from pages._app_state import fitted_history, questionnaire, show_table
from pages._auth import may
from pages._boundary import guarded, through_router
from pages._store import export_button, store, store_errors
from readiness.access import Action
from readiness.editing import Opened, new_draft_id, start_editing, start_from_copy
from readiness.export import export_csv, export_json
from readiness.organization import FittedHistory
from readiness.report import report_for
from readiness.store import DELETED_KEPT_DAYS, Store, StoredAssessment
from readiness.views.saved import saved_label, saved_listing, versions_listing

through_router()

opened = store()
st.title("Saved assessments", anchor=False)
if flash := st.session_state.pop("flash", None):
    st.success(flash, icon=":material/check_circle:")
if opened is None:
    st.stop()
active_store = opened


@st.dialog("Delete this assessment?", on_dismiss=lambda: st.session_state.pop("to_delete", None))
@guarded  # a click in the dialog reruns only the dialog, outside app.py's page boundary
def confirm_delete(assessment_id: int, label: str) -> None:
    st.text(label)
    st.write(f"It disappears for everybody; an admin can restore it for {DELETED_KEPT_DAYS} days.")
    with st.container(horizontal=True):
        if st.button("Delete", type="primary", icon=":material/delete:", key="delete_confirmed"):
            with store_errors("delete the assessment"):  # a refusal stays in the dialog
                active_store.delete_assessment(assessment_id)
                st.session_state.pop("to_delete", None)
                st.rerun()
        if st.button("Cancel", key="delete_cancelled"):
            st.session_state.pop("to_delete", None)
            st.rerun()


def report_with_history(
    active_store: Store, stored: StoredAssessment, own: FittedHistory | None
) -> str:
    """The HTML report, with the organization's saved history: read and drawn only when its
    download is clicked, since drawing its charts is slow."""
    profile = stored.assessment.profile
    return report_for(stored, active_store.history(profile.organization, profile.division), own)


def open_in_questionnaire(target: Opened) -> None:
    drafts.show(target, clear=True)
    st.switch_page("pages/questionnaire.py", query_params=target.params)


summaries = []
with store_errors("list the saved assessments"):
    summaries = active_store.list_assessments()
if summaries:
    show_table(
        saved_listing(summaries),
        "saved-assessments.csv",
        key="saved_listing",
        on_download=partial(active_store.record_export, "list CSV", [s.id for s in summaries]),
        hide_index=True,
        alt="Saved assessments with organization, dates, version, completeness, score and stage",
    )
    labels = {s.id: saved_label(s) for s in summaries}
    chosen = st.selectbox(
        "Assessment", list(labels), format_func=labels.__getitem__, key="saved_id"
    )
    stored = None
    with store_errors("open the assessment"):
        stored = active_store.get_assessment(int(chosen)) if chosen is not None else None
    if stored is not None:
        profile = stored.assessment.profile
        with st.container(horizontal=True, vertical_alignment="bottom"):
            if st.button("Open", icon=":material/visibility:"):
                open_in_questionnaire(Opened(draft_id=None, stored=stored))
            organization = profile.organization
            if may(Action.edit, organization) and st.button(
                "Edit this assessment", icon=":material/edit:"
            ):
                with store_errors("start editing"):
                    open_in_questionnaire(start_editing(active_store, stored))
            if may(Action.save, organization) and st.button(
                "Copy into a new assessment", icon=":material/content_copy:"
            ):
                with store_errors("copy the assessment"):
                    open_in_questionnaire(start_from_copy(active_store, stored))
            export = partial(export_button, active_store, [stored.id])  # made when clicked
            name = f"assessment-{stored.id}"
            export("JSON", partial(export_json, stored), f"{name}.json")
            export("CSV", partial(export_csv, stored, questionnaire()), f"{name}.csv")
            report = partial(report_with_history, active_store, stored, fitted_history())
            export("Report", report, f"readiness-report-{stored.id}.html", what="HTML report")
            if may(Action.delete):
                st.button(
                    "Delete",
                    icon=":material/delete:",
                    on_click=st.session_state.update,
                    kwargs={"to_delete": stored.id},
                    key="delete_requested",
                )
        if st.session_state.get("to_delete") == stored.id:
            confirm_delete(stored.id, labels[stored.id])
        versions = active_store.versions(stored.id)
        with st.expander(f"Versions ({len(versions)})", icon=":material/history:"):
            show_table(
                versions_listing(versions),
                f"assessment-{stored.id}-versions.csv",
                key="saved_versions",
                hide_index=True,
            )
            earlier = [v.version for v in versions[1:]]
            if earlier and may(Action.restore, profile.organization):
                version = st.selectbox("Earlier version", earlier, key="restore_version")
                if st.button("Restore this version", icon=":material/restore:"):
                    with store_errors("restore the version"):
                        saved = active_store.restore_version(
                            stored.id, int(version), f"restore-{new_draft_id()}"
                        )
                        st.session_state["flash"] = (
                            f"Version {version} restored as version {saved.version}."
                        )
                        st.rerun()
else:
    st.info("No saved assessments yet.", icon=":material/info:")

admin_sections(active_store)  # import, deleted assessments, audit log: admins only
