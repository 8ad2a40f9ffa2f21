"""What only admins see on Saved assessments: import, deleted assessments, the audit log.

The store refuses each of these to anyone else; the page shows them only to admins.
"""

from __future__ import annotations

import streamlit as st

from pages._app_state import questionnaire, show_table
from pages._auth import may
from pages._store import store_errors
from readiness.access import Action
from readiness.export import parse_import
from readiness.store import DELETED_KEPT_DAYS, Store
from readiness.views.saved import audit_listing, deleted_listing, saved_label

AUDIT_ROWS = 500  # the newest rows shown


def admin_sections(active_store: Store) -> None:
    """The sections of Saved assessments only admins see (others see none of them)."""
    if may(Action.import_):
        import_assessments(active_store)
    if may(Action.restore_deleted):
        deleted_assessments(active_store)
    if may(Action.audit):
        audit_log(active_store)


def import_assessments(active_store: Store) -> None:
    with st.expander("Import assessments (JSON)", icon=":material/upload:"):
        upload = st.file_uploader("Exported JSON", type=["json"], key="saved_import")
        if upload is not None and st.button("Import", icon=":material/upload:"):
            with store_errors("import the file"):
                imported = parse_import(questionnaire(), upload.getvalue(), upload.name)
                ids = [saved.id for saved in active_store.import_assessments(imported)]
                st.success(f"Imported {len(ids)} assessments (ids {', '.join(map(str, ids))}).")


def deleted_assessments(active_store: Store) -> None:
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


def audit_log(active_store: Store) -> None:
    with st.expander("Audit log", icon=":material/manage_search:"):
        st.caption(
            f"Who saved, edited, deleted, restored, imported and exported what, newest first "
            f"(the last {AUDIT_ROWS}; `readiness assessments audit` lists them all)."
        )
        with store_errors("read the audit log"):
            entries = active_store.audit_log(limit=AUDIT_ROWS)
            show_table(audit_listing(entries), "audit-log.csv", key="saved_audit", hide_index=True)
