"""Saving assessments: a new assessment or the next version of one, scored on save, each
submission id consumed once (a repeated click saves nothing new)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from sqlalchemy import exc as sa_exc
from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection

from readiness.access import Action, require
from readiness.assessment import Assessment
from readiness.errors import StoreError
from readiness.store.audit import AuditAction, AuditMixin, _describe_plan, _describe_save
from readiness.store.drafts import DraftsMixin, _discard
from readiness.store.records import AssessmentNotFoundError, Saved, SubmissionConflictError
from readiness.store.rows import _as_utc, _assessment_from_row, _check_id

if TYPE_CHECKING:
    from readiness.evidence.choice import MappingChoice
    from readiness.plan.model import Plan
from readiness.store.schema import (
    assessments_table,
    drafts_table,
    submissions_table,
    versions_table,
)
from readiness.store.submissions import (
    _forget_deleted_submission,
    _submission,
    _submission_id_used,
)

_AUDITED = {
    Action.save: AuditAction.save,
    Action.edit: AuditAction.edit,
    Action.restore: AuditAction.restore_version,
    Action.import_: AuditAction.import_,
}


class SavingMixin(DraftsMixin, AuditMixin):
    """Saving and editing assessments, each save a new version."""

    def save_assessment(self, assessment: Assessment, submission_id: str) -> int:
        """Score and store ``assessment`` as a new assessment; returns its id.

        The same ``submission_id`` twice with the same answers (a double click, importing a file
        again) stores one row and returns the same id. See :meth:`save_submission`.
        """
        return self.save_submission(assessment, submission_id).id

    def save_submission(
        self, assessment: Assessment, submission_id: str, edits: int | None = None
    ) -> Saved:
        """Score and store ``assessment``: a new assessment, or a new version of ``edits``.

        ``submission_id`` (the draft id) is consumed: the draft with that id is discarded in the
        same transaction and the id is recorded, so submitting it again with the same answers
        writes nothing and returns the earlier save (``repeated=True``); with other answers it
        raises :class:`SubmissionConflictError` (save those under a fresh id). Earlier versions
        of an edited assessment are kept (:meth:`versions`). Raises :class:`InputError` when the
        answers do not fit the questionnaire, :class:`AssessmentNotFoundError` when ``edits``
        names no assessment (or one of an organization this user does not see).

        Assessors save and edit assessments of their organizations; editing needs the assessment's
        current organization and the new one (:class:`PermissionDeniedError` otherwise).
        """
        return self._save(
            assessment, submission_id, edits, Action.save if edits is None else Action.edit
        )

    def _save(
        self,
        assessment: Assessment,
        submission_id: str,
        edits: int | None,
        action: Action,
        detail: str = "",
    ) -> Saved:
        _check_id(submission_id, "submission id")
        require(self.user, action, assessment.profile.organization)
        content = self._content_columns(assessment, self._score(assessment))
        for _attempt in range(3):
            try:
                with self._write() as connection:
                    earlier = _submission(connection, submission_id)
                    if earlier is not None:
                        self._check_repeat(connection, earlier, assessment, submission_id)
                        _discard(connection, submission_id)
                        return earlier
                    if edits is not None:
                        require(self.user, action, self._organization_of(connection, edits))
                    draft = connection.execute(
                        select(drafts_table).where(drafts_table.c.id == submission_id)
                    ).one_or_none()
                    if draft is not None and not self._may_keep(connection, draft):
                        # Another organization's draft: never consumed (discarded) by this save,
                        # refused in the words of another organization's saved submission.
                        raise _submission_id_used(submission_id)
                    _forget_deleted_submission(connection, submission_id)
                    saved = self._store_version(connection, content, submission_id, edits)
                    connection.execute(
                        insert(submissions_table).values(
                            id=submission_id,
                            assessment_id=saved.id,
                            version=saved.version,
                            saved_at=saved.saved_at,
                        )
                    )
                    _discard(connection, submission_id)
                    self._record(
                        connection,
                        _AUDITED[action],
                        saved.id,
                        assessment.profile.organization,
                        detail or _describe_save(assessment, saved.version),
                    )
                return Saved(saved.id, saved.version, _as_utc(saved.saved_at))
            except sa_exc.IntegrityError:
                # Another session saved the same submission id first (PostgreSQL runs
                # concurrent inserts side by side); the next attempt finds its row.
                continue
        raise StoreError(f"{self.location}: could not save submission {submission_id!r}")

    def _check_repeat(
        self, connection: Connection, earlier: Saved, assessment: Assessment, submission_id: str
    ) -> None:
        row = connection.execute(
            select(versions_table).where(
                versions_table.c.assessment_id == earlier.id,
                versions_table.c.version == earlier.version,
            )
        ).one_or_none()
        if row is None:
            return
        if not self.user.sees(row.organization):
            # Another organization's save: say nothing about it.
            raise _submission_id_used(submission_id)
        stored = _assessment_from_row(row, json.loads(row.answers_json))
        if stored.profile != assessment.profile or stored.answers != dict(assessment.answers):
            raise SubmissionConflictError(
                f"{submission_id} was already saved as assessment {earlier.id} with other answers",
                earlier,
            )

    def _store_version(
        self,
        connection: Connection,
        content: dict[str, Any],
        submission_id: str,
        edits: int | None,
    ) -> Saved:
        """Insert a new assessment (version 1) or the next version of ``edits``, and record the
        version in the history; inside the caller's writing transaction."""
        table = assessments_table
        now = self._now()
        if edits is None:
            version = 1
            assessment_id = connection.execute(
                insert(table)
                .values(
                    **content,
                    created_at=now,
                    updated_at=now,
                    submission_id=submission_id,
                    version=version,
                )
                .returning(table.c.id)
            ).scalar_one()
        else:
            current = connection.execute(
                select(table.c.version).where(table.c.id == edits).with_for_update()
            ).one_or_none()
            if current is None:
                raise AssessmentNotFoundError(f"{self.location}: no assessment with id {edits}")
            assessment_id, version = edits, int(current.version or 1) + 1
            connection.execute(
                update(table)
                .where(table.c.id == edits)
                .values(**content, updated_at=now, version=version)
            )
        connection.execute(
            insert(versions_table).values(
                assessment_id=assessment_id,
                version=version,
                saved_at=now,
                submission_id=submission_id,
                **content,
            )
        )
        return Saved(int(assessment_id), version, now)

    def find_submission(self, submission_id: str) -> Saved | None:
        """The save that consumed ``submission_id`` (a draft id), or None if it was not saved
        (or saved as an assessment this user may not read)."""
        with self._read() as connection:
            saved = _submission(connection, submission_id)
            if saved is None:
                return None
            try:
                self._organization_of(connection, saved.id)
            except AssessmentNotFoundError:
                return None
            return saved

    def update_answers(
        self,
        assessment_id: int,
        changes: Mapping[str, Any] | Callable[[dict[str, Any]], Mapping[str, Any]],
    ) -> None:
        """Change some answers of a stored assessment and rescore it, as its next version.

        ``changes`` maps item ids to new answers (None clears one), or is a function of the
        current answers returning that mapping (e.g. ``lambda a: {"gr_projects": a[...] + 1}``),
        called inside the transaction. The row is locked from read to write (``BEGIN IMMEDIATE``
        on SQLite, ``FOR UPDATE`` elsewhere), so concurrent updates queue and none is lost.
        Raises :class:`InputError` when the new answers do not fit the questionnaire,
        :class:`PermissionDeniedError` unless this user may edit the organization's assessments.
        """
        require(self.user, Action.edit)
        with self._write() as connection:
            row = self._locked_for_edit(connection, assessment_id)
            answers = json.loads(row.answers_json)
            changed = dict(changes(dict(answers)) if callable(changes) else changes)
            answers.update(changed)
            assessment = _assessment_from_row(row, answers)
            content = self._content_columns(assessment, self._score(assessment))
            saved = self._store_version(
                connection, content, f"update-{uuid.uuid4().hex}", assessment_id
            )
            self._record(
                connection,
                AuditAction.edit,
                assessment_id,
                row.organization,
                f"version {saved.version}: answers {', '.join(sorted(changed))} changed",
            )

    def _locked_for_edit(self, connection: Connection, assessment_id: int) -> Any:
        """The assessment's row for a change: locked from read to write (``BEGIN IMMEDIATE`` on
        SQLite, ``FOR UPDATE`` elsewhere), readable and editable by this user, or an error."""
        table = assessments_table
        row = connection.execute(
            select(
                table.c.answers_json,
                table.c.mapping_choice_json,
                table.c.plan_json,
                table.c.version,
                table.c.updated_at,
                table.c.organization,
                table.c.division,
                table.c.sector,
                table.c.size,
                table.c.assessed_on,
                table.c.questionnaire_version,
            )
            .where(table.c.id == assessment_id, self._readable())
            .with_for_update()
        ).one_or_none()
        if row is None:
            raise self._not_found(assessment_id)
        require(self.user, Action.edit, row.organization)
        return row

    def choose_mapping(self, assessment_id: int, choice: MappingChoice | None) -> Saved:
        """Keep ``choice`` (the lever mapping in use, the division-name map, the calibrated
        mapping) with a stored assessment, as its next version with the same answers; the
        audit log records which mapping is now in use. Locked from read to write as
        :meth:`update_answers`; the same permissions."""
        require(self.user, Action.edit)
        with self._write() as connection:
            row = self._locked_for_edit(connection, assessment_id)
            assessment = _assessment_from_row(row, json.loads(row.answers_json)).model_copy(
                update={"mapping_choice": choice}
            )
            content = self._content_columns(assessment, self._score(assessment))
            saved = self._store_version(
                connection, content, f"mapping-{uuid.uuid4().hex}", assessment_id
            )
            used = choice.use if choice is not None else "assumed"
            self._record(
                connection,
                AuditAction.edit,
                assessment_id,
                row.organization,
                f"version {saved.version}: the {used} lever mapping in use",
            )
        return saved

    def set_plan(self, assessment_id: int, plan: Plan | None) -> Saved:
        """Keep ``plan`` (dated actions, measured effects, survey waves; None: no plan) with a
        stored assessment, as its next version with the same answers and lever mapping; the
        audit log says what the plan now holds ("plan: 2 actions (champions from 2027-03-01,
        ...)"). The plan the assessment already holds makes no new version (``repeated``).
        :class:`InputError` when the plan names a kind that is not in ``data/actions.yaml``.
        Locked from read to write as :meth:`update_answers`; the same permissions as
        :meth:`choose_mapping` (assessors and admins of the assessment's organization)."""
        require(self.user, Action.edit)
        if plan is not None:
            plan.checked()
        with self._write() as connection:
            row = self._locked_for_edit(connection, assessment_id)
            current = _assessment_from_row(row, json.loads(row.answers_json))
            if current.plan == plan:
                return Saved(assessment_id, int(row.version or 1), _as_utc(row.updated_at), True)
            assessment = current.model_copy(update={"plan": plan})
            content = self._content_columns(assessment, self._score(assessment))
            saved = self._store_version(
                connection, content, f"plan-{uuid.uuid4().hex}", assessment_id
            )
            self._record(
                connection,
                AuditAction.edit,
                assessment_id,
                row.organization,
                f"version {saved.version}: {_describe_plan(plan)}",
            )
        return Saved(saved.id, saved.version, _as_utc(saved.saved_at))
