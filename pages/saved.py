"""Saved assessments: list, open, edit, export (JSON, CSV), report, versions, delete; and for
admins only, import, deleted assessments and the audit log (the store refuses them to anyone
else)."""

import streamlit as st

from pages.shared.auth import Action, may
from pages.shared.boundary import guarded, through_router
from pages.shared.display import show_table
from pages.shared.drafts import (
    copy_into_questionnaire,
    edit_in_questionnaire,
    open_in_questionnaire,
)
from pages.shared.session import (
    export_button,
    export_recorder,
    fitted_history,
    questionnaire,
    store,
    store_errors,
)
from readiness.views.saved import (
    DELETED_KEPT_DAYS,
    StoredAssessment,
    audit_listing,
    deleted_listing,
    export_csv,
    export_json,
    parse_import,
    report_with_history,
    restore_submission_id,
    saved_label,
    saved_listing,
    versions_listing,
)

through_router()

AUDIT_ROWS = 500  # the newest rows shown

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


def assessment_actions(stored: StoredAssessment) -> None:
    """Open, edit, copy, export, report on and delete the chosen assessment: what the role may."""
    organization = stored.assessment.profile.organization
    if st.button("Open", icon=":material/visibility:"):
        open_in_questionnaire(stored)
    if may(Action.edit, organization) and st.button("Edit this assessment", icon=":material/edit:"):
        with store_errors("start editing"):
            edit_in_questionnaire(active_store, stored)
    if may(Action.save, organization) and st.button(
        "Copy into a new assessment", icon=":material/content_copy:"
    ):
        with store_errors("copy the assessment"):
            copy_into_questionnaire(active_store, stored)
    ids, name = [stored.id], f"assessment-{stored.id}"  # each file made when clicked
    export_button(active_store, ids, "JSON", lambda: export_json(stored), f"{name}.json")
    q = questionnaire()
    export_button(active_store, ids, "CSV", lambda: export_csv(stored, q), f"{name}.csv")
    own = fitted_history()
    export_button(
        active_store,
        ids,
        "Report",
        lambda: report_with_history(active_store, stored, own),
        f"readiness-report-{stored.id}.html",
        what="HTML report",
    )
    if may(Action.delete):
        st.button(
            "Delete",
            icon=":material/delete:",
            on_click=st.session_state.update,
            kwargs={"to_delete": stored.id},
            key="delete_requested",
        )


def versions(stored: StoredAssessment) -> None:
    """The assessment's saved versions, and restoring an earlier one (for those who may)."""
    saved_versions = active_store.versions(stored.id)
    with st.expander(f"Versions ({len(saved_versions)})", icon=":material/history:"):
        show_table(
            versions_listing(saved_versions),
            f"assessment-{stored.id}-versions.csv",
            key="saved_versions",
            hide_index=True,
        )
        earlier = [v.version for v in saved_versions[1:]]
        if earlier and may(Action.restore, stored.assessment.profile.organization):
            version = st.selectbox("Earlier version", earlier, key="restore_version")
            if st.button("Restore this version", icon=":material/restore:"):
                with store_errors("restore the version"):
                    saved = active_store.restore_version(
                        stored.id, int(version), restore_submission_id()
                    )
                    st.session_state["flash"] = (
                        f"Version {version} restored as version {saved.version}."
                    )
                    st.rerun()


def import_assessments() -> None:
    with st.expander("Import assessments (JSON)", icon=":material/upload:"):
        upload = st.file_uploader("Exported JSON", type=["json"], key="saved_import")
        if upload is not None and st.button("Import", icon=":material/upload:"):
            with store_errors("import the file"):
                imported = parse_import(questionnaire(), upload.getvalue(), upload.name)
                ids = [saved.id for saved in active_store.import_assessments(imported)]
                st.success(f"Imported {len(ids)} assessments (ids {', '.join(map(str, ids))}).")


def deleted_assessments() -> None:
    deleted = []
    with store_errors("list the deleted assessments"):
        deleted = active_store.deleted_assessments()
    title = f"Deleted assessments ({len(deleted)})"
    with st.expander(title, icon=":material/restore_from_trash:"):
        st.caption(f"A deleted assessment can be restored for {DELETED_KEPT_DAYS} days.")
        if not deleted:
            return
        show_table(deleted_listing(deleted), "deleted-assessments.csv", key="saved_deleted")
        labels = {s.id: saved_label(s) for s in deleted}
        chosen = st.selectbox(
            "Deleted assessment", list(labels), format_func=labels.__getitem__, key="deleted_id"
        )
        if chosen is not None and st.button("Restore", icon=":material/restore_from_trash:"):
            with store_errors("restore the assessment"):
                active_store.restore_deleted(int(chosen))
                st.session_state["flash"] = f"Assessment {chosen} restored."
                st.rerun()


def audit_log() -> None:
    with st.expander("Audit log", icon=":material/manage_search:"):
        st.caption(
            f"Who saved, edited, deleted, restored, imported and exported what, newest first "
            f"(the last {AUDIT_ROWS}; `readiness assessments audit` lists them all)."
        )
        with store_errors("read the audit log"):
            entries = active_store.audit_log(limit=AUDIT_ROWS)
            show_table(audit_listing(entries), "audit-log.csv", key="saved_audit", hide_index=True)


summaries = []
with store_errors("list the saved assessments"):
    summaries = active_store.list_assessments()
if summaries:
    show_table(
        saved_listing(summaries),
        "saved-assessments.csv",
        key="saved_listing",
        on_download=export_recorder(active_store, "list CSV", [s.id for s in summaries]),
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
        with st.container(horizontal=True, vertical_alignment="bottom"):
            assessment_actions(stored)
        if st.session_state.get("to_delete") == stored.id:
            confirm_delete(stored.id, labels[stored.id])
        versions(stored)
else:
    st.info("No saved assessments yet.", icon=":material/info:")

# what only admins see (the store refuses each of these to anyone else)
if may(Action.import_):
    import_assessments()
if may(Action.restore_deleted):
    deleted_assessments()
if may(Action.audit):
    audit_log()
