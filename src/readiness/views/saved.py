"""What the saved assessments page (and the "open a saved one" offer) shows: listings in words,
the files it exports and imports, and the report."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import pandas as pd

from readiness.editing import new_draft_id
from readiness.export import export_csv, export_json, parse_import
from readiness.store import (
    DELETED_KEPT_DAYS,
    AssessmentSummary,
    AssessmentVersion,
    AuditEntry,
    Store,
    StoredAssessment,
)

if TYPE_CHECKING:
    from readiness.organization import FittedHistory

__all__ = [
    "DELETED_KEPT_DAYS",
    "StoredAssessment",
    "audit_listing",
    "completeness",
    "deleted_listing",
    "export_csv",
    "export_json",
    "parse_import",
    "report_with_history",
    "restore_submission_id",
    "saved_label",
    "saved_listing",
    "versions_listing",
]


def completeness(answered: int, items: int, overall: float | None) -> str:
    """How complete a saved assessment is, for the saved list: "complete (25 of 25 answered)",
    "scored (17 of 25 answered)" when every dimension has enough answers for a score but some
    questions are open, "incomplete (1 of 25 answered)" when there is no overall score."""
    if overall is None:
        return f"incomplete ({answered} of {items} answered)"
    state = "complete" if answered >= items else "scored"
    return f"{state} ({answered} of {items} answered)"


def saved_listing(summaries: Sequence[AssessmentSummary]) -> pd.DataFrame:
    """The saved assessments as the Saved page lists them (dates and times UTC)."""
    return pd.DataFrame(
        {
            "id": [s.id for s in summaries],
            "organization": [s.organization for s in summaries],
            "division": [s.division or "" for s in summaries],
            "assessed on": [s.assessed_on for s in summaries],
            "last change (UTC)": [s.updated_at.strftime("%Y-%m-%d %H:%M") for s in summaries],
            "version": [s.version for s in summaries],
            "completeness": [completeness(s.answered, s.items, s.overall) for s in summaries],
            "overall": [_score_text(s.overall) for s in summaries],
            "stage": [s.stage_name or "" for s in summaries],
        }
    )


def saved_label(summary: AssessmentSummary) -> str:
    """One saved assessment in a choice list: "#3 Acme / Sales, 2026-11-30" (user text: show it
    as a widget option, never in Markdown)."""
    who = " / ".join(filter(None, [summary.organization, summary.division]))
    return f"#{summary.id} {who}, {summary.assessed_on:%Y-%m-%d}"


def _score_text(overall: float | None) -> str:
    """An overall score 0-100 for a listing: "48", or "n/a" when incomplete (never "None")."""
    return "n/a" if overall is None else f"{overall:.0f}"


def versions_listing(versions: Sequence[AssessmentVersion]) -> pd.DataFrame:
    """An assessment's saved versions, newest first, as the Saved page lists them."""
    return pd.DataFrame(
        {
            "version": [v.version for v in versions],
            "saved (UTC)": [v.saved_at.strftime("%Y-%m-%d %H:%M") for v in versions],
            "organization": [v.assessment.profile.organization for v in versions],
            "division": [v.assessment.profile.division or "" for v in versions],
            "overall": [_score_text(v.overall) for v in versions],
            "stage": [v.stage_name or "" for v in versions],
        }
    )


def audit_listing(entries: Sequence[AuditEntry]) -> pd.DataFrame:
    """The audit log as the Saved page shows it to admins, newest first (times UTC). Every cell
    is user text (names, details): show it in a table, never as Markdown."""
    return pd.DataFrame(
        {
            "when (UTC)": [e.at.strftime("%Y-%m-%d %H:%M:%S") for e in entries],
            "who": [e.actor for e in entries],
            "role": [e.role for e in entries],
            "action": [e.action for e in entries],
            "assessment": [str(e.assessment_id) if e.assessment_id else "" for e in entries],
            "organization": [e.organization or "" for e in entries],
            "detail": [e.detail for e in entries],
        }
    )


def deleted_listing(summaries: Sequence[AssessmentSummary]) -> pd.DataFrame:
    """Deleted assessments that can still be restored, most recently deleted first: the saved
    list's first columns and when each was deleted."""
    listing = saved_listing(summaries)[["id", "organization", "division", "assessed on"]]
    deleted = [s.deleted_at.strftime("%Y-%m-%d %H:%M") if s.deleted_at else "" for s in summaries]
    return listing.assign(**{"deleted (UTC)": deleted})


def report_with_history(
    active_store: Store, stored: StoredAssessment, own: FittedHistory | None
) -> str:
    """The HTML report, with the organization's saved history and ``own``, the session's fitted
    history, in its projection: made when its download is clicked, since drawing its charts is
    slow."""
    from readiness.report import report_for

    profile = stored.assessment.profile
    return report_for(stored, active_store.history(profile.organization, profile.division), own)


def restore_submission_id() -> str:
    """A fresh submission id for restoring a version (the store restores once per id)."""
    return f"restore-{new_draft_id()}"
