"""Submission ids: each draft id (or an imported file's content id) is saved once; these look up
the save that consumed one and free the ids of deleted assessments."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.engine import Connection

from readiness.store.records import Saved, SubmissionConflictError
from readiness.store.rows import _as_utc
from readiness.store.schema import assessments_table, submissions_table


def _deleted_ids() -> Any:
    return select(assessments_table.c.id).where(assessments_table.c.deleted_at.is_not(None))


def _submission(connection: Connection, submission_id: str) -> Saved | None:
    """The save that consumed ``submission_id``; None when there is none or its assessment was
    deleted (saving that submission again makes a new assessment)."""
    row = connection.execute(
        select(submissions_table).where(
            submissions_table.c.id == submission_id,
            submissions_table.c.assessment_id.not_in(_deleted_ids()),
        )
    ).one_or_none()
    if row is None:
        return None
    return Saved(row.assessment_id, row.version, _as_utc(row.saved_at), repeated=True)


def _submission_id_used(submission_id: str) -> SubmissionConflictError:
    # The same words for another organization's saved submission and its draft.
    return SubmissionConflictError(f"{submission_id} was already used; save under a fresh id")


def _forget_deleted_submission(connection: Connection, submission_id: str) -> None:
    """Drop ``submission_id``'s record when it made a since-deleted assessment, so that it can
    be saved again (restoring that assessment later leaves it without this submission)."""
    _forget_deleted_submissions(connection, [submission_id])


def _forget_deleted_submissions(connection: Connection, submission_ids: Sequence[str]) -> None:
    """:func:`_forget_deleted_submission` for several ids at once."""
    connection.execute(
        delete(submissions_table).where(
            submissions_table.c.id.in_(submission_ids),
            submissions_table.c.assessment_id.in_(_deleted_ids()),
        )
    )
    table = assessments_table  # its submission id is unique too
    connection.execute(
        update(table)
        .where(table.c.submission_id.in_(submission_ids), table.c.deleted_at.is_not(None))
        .values(submission_id=None)
    )
