"""Importing assessment files: every assessment under an id made from its content, all in one
transaction, so importing the same file again stores nothing new."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import Connection

from readiness.access import Action, require
from readiness.assessment import Assessment
from readiness.errors import StoreError
from readiness.store.audit import AuditAction, AuditMixin, _describe_save
from readiness.store.records import Saved, SubmissionConflictError
from readiness.store.rows import _as_utc, _assessment_from_row
from readiness.store.schema import (
    assessments_table,
    audit_table,
    drafts_table,
    submissions_table,
    versions_table,
)
from readiness.store.submissions import _deleted_ids, _forget_deleted_submissions

#: How many ids one ``IN (...)`` query lists (SQLite allows 32,766 parameters per statement).
_IN_BATCH = 500


def import_submission_id(assessment: Assessment) -> str:
    """A submission id derived from the content, so importing the same file twice adds one row.

    An assessment without a plan is digested without the field, so a file imported before
    assessments held plans is still known when imported again."""
    leave_out = {"plan"} if assessment.plan is None else None
    content = assessment.model_dump_json(exclude=leave_out)
    digest = hashlib.sha256(content.encode("utf-8")).hexdigest()
    return f"import-{digest[:40]}"


class ImportMixin(AuditMixin):
    """Importing many assessments at once (admins only)."""

    def import_assessments(self, assessments: Sequence[Assessment]) -> list[Saved]:
        """Store the assessments of an imported file (admins only), each under an id made from
        its content, so importing the same file again stores nothing new (``repeated``); an
        assessment given twice in one file is stored once, the second ``repeated``.

        All of them are stored in one transaction (all or none): the submissions already saved
        are looked up together, only the new assessments are scored (outside the transaction,
        so other writers wait only for the inserts), and the rows are inserted in batches. Each
        stored assessment gets an audit row, as one saved from the dashboard does.
        """
        require(self.user, Action.import_)
        for assessment in assessments:
            require(self.user, Action.import_, assessment.profile.organization)
        ids = [import_submission_id(assessment) for assessment in assessments]
        with self._read() as connection:
            known = self._earlier_submissions(connection, ids)
        scored = {
            submission_id: self._content_columns(assessment, self._score(assessment))
            for submission_id, assessment in zip(ids, assessments, strict=True)
            if submission_id not in known
        }
        for _attempt in range(3):
            try:
                with self._write() as connection:
                    return self._import_rows(connection, assessments, ids, scored)
            except sa_exc.IntegrityError:
                # Another session imported some of them first: the next attempt finds its rows.
                continue
        raise StoreError(f"{self.location}: could not import {len(ids)} assessment(s)")

    def _earlier_submissions(
        self, connection: Connection, submission_ids: Sequence[str]
    ) -> dict[str, Saved]:
        """The saves that consumed any of ``submission_ids`` (live assessments only), by id."""
        found: dict[str, Saved] = {}
        unique = list(dict.fromkeys(submission_ids))
        for start in range(0, len(unique), _IN_BATCH):
            rows = connection.execute(
                select(submissions_table).where(
                    submissions_table.c.id.in_(unique[start : start + _IN_BATCH]),
                    submissions_table.c.assessment_id.not_in(_deleted_ids()),
                )
            ).all()
            for row in rows:
                found[row.id] = Saved(
                    row.assessment_id, row.version, _as_utc(row.saved_at), repeated=True
                )
        return found

    def _import_rows(
        self,
        connection: Connection,
        assessments: Sequence[Assessment],
        ids: Sequence[str],
        scored: Mapping[str, dict[str, Any]],
    ) -> list[Saved]:
        """Insert the assessments not saved before, in the caller's writing transaction; the
        :class:`Saved` of each of ``assessments``, in order."""
        earlier = self._earlier_submissions(connection, ids)  # again, inside the write lock
        self._check_repeats(connection, earlier, assessments, ids)
        new: dict[str, Assessment] = {}
        for submission_id, assessment in zip(ids, assessments, strict=True):
            if submission_id not in earlier:
                new.setdefault(submission_id, assessment)
        now = self._now()
        saved: dict[str, Saved] = dict(earlier)
        if new:
            fresh = list(new)
            for start in range(0, len(fresh), _IN_BATCH):
                _forget_deleted_submissions(connection, fresh[start : start + _IN_BATCH])
            contents = [
                scored.get(sid) or self._content_columns(new[sid], self._score(new[sid]))
                for sid in fresh
            ]
            table = assessments_table
            made = (
                connection.execute(
                    insert(table).returning(table.c.id, sort_by_parameter_order=True),
                    [
                        {
                            **content,
                            "created_at": now,
                            "updated_at": now,
                            "submission_id": sid,
                            "version": 1,
                        }
                        for sid, content in zip(fresh, contents, strict=True)
                    ],
                )
                .scalars()
                .all()
            )
            connection.execute(
                insert(versions_table),
                [
                    {
                        **content,
                        "assessment_id": assessment_id,
                        "version": 1,
                        "saved_at": now,
                        "submission_id": sid,
                    }
                    for sid, content, assessment_id in zip(fresh, contents, made, strict=True)
                ],
            )
            connection.execute(
                insert(submissions_table),
                [
                    {"id": sid, "assessment_id": assessment_id, "version": 1, "saved_at": now}
                    for sid, assessment_id in zip(fresh, made, strict=True)
                ],
            )
            connection.execute(
                insert(audit_table),
                [
                    self._audit_values(
                        AuditAction.import_,
                        assessment_id,
                        new[sid].profile.organization,
                        _describe_save(new[sid], 1),
                    )
                    for sid, assessment_id in zip(fresh, made, strict=True)
                ],
            )
            for start in range(0, len(fresh), _IN_BATCH):
                connection.execute(
                    delete(drafts_table).where(
                        drafts_table.c.id.in_(fresh[start : start + _IN_BATCH])
                    )
                )
            for sid, assessment_id in zip(fresh, made, strict=True):
                saved[sid] = Saved(int(assessment_id), 1, _as_utc(now))
        results = []
        for sid in ids:  # a second copy in the same file is a repeat of the first
            results.append(saved[sid])
            saved[sid] = dataclasses.replace(saved[sid], repeated=True)
        return results

    def _check_repeats(
        self,
        connection: Connection,
        earlier: Mapping[str, Saved],
        assessments: Sequence[Assessment],
        ids: Sequence[str],
    ) -> None:
        """Each assessment whose submission was saved before must be what was saved then
        (:class:`SubmissionConflictError` otherwise), as a repeated save checks."""
        pairs = {(saved.id, saved.version) for saved in earlier.values()}
        stored: dict[tuple[int, int], Any] = {}
        wanted = sorted({assessment_id for assessment_id, _version in pairs})
        for start in range(0, len(wanted), _IN_BATCH):
            rows = connection.execute(
                select(versions_table).where(
                    versions_table.c.assessment_id.in_(wanted[start : start + _IN_BATCH])
                )
            ).all()
            stored.update({(row.assessment_id, row.version): row for row in rows})
        for submission_id, assessment in zip(ids, assessments, strict=True):
            saved = earlier.get(submission_id)
            row = stored.get((saved.id, saved.version)) if saved else None
            if saved is None or row is None:
                continue
            before = _assessment_from_row(row, json.loads(row.answers_json))
            if before.profile != assessment.profile or before.answers != dict(assessment.answers):
                raise SubmissionConflictError(
                    f"{submission_id} was already saved as assessment {saved.id} with other "
                    "answers",
                    saved,
                )
