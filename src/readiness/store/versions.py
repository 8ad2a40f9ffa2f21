"""Versions and deletion: every saved version kept and restorable; a deleted assessment hidden
and kept :data:`DELETED_KEPT_DAYS` days (restorable by an admin), then purged for good."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.engine import Connection

from readiness.access import Action, require
from readiness.store.audit import AuditAction
from readiness.store.drafts import _detach_drafts
from readiness.store.reading import ReadingMixin
from readiness.store.records import (
    AssessmentNotFoundError,
    AssessmentSummary,
    AssessmentVersion,
    Saved,
)
from readiness.store.rows import _as_utc, _assessment_from_row
from readiness.store.saving import SavingMixin
from readiness.store.schema import assessments_table, submissions_table, versions_table

#: How long a deleted assessment is kept (restorable by an admin) before it is purged, in days.
DELETED_KEPT_DAYS = 30


class VersionsMixin(SavingMixin, ReadingMixin):
    """Versions of an assessment, and deleting, restoring and purging assessments."""

    def versions(self, assessment_id: int) -> list[AssessmentVersion]:
        """Every saved version of an assessment, newest first (empty when there is none, or
        when this user may not read it)."""
        readable = select(assessments_table.c.id).where(
            assessments_table.c.id == assessment_id, self._readable()
        )
        with self._read() as connection:
            rows = connection.execute(
                select(versions_table)
                .where(
                    versions_table.c.assessment_id == assessment_id,
                    versions_table.c.assessment_id.in_(readable),
                )
                .order_by(versions_table.c.version.desc())
            ).all()
        return [
            AssessmentVersion(
                assessment_id=row.assessment_id,
                version=row.version,
                assessment=_assessment_from_row(row, json.loads(row.answers_json)),
                overall=row.overall,
                stage_name=row.stage_name,
                saved_at=_as_utc(row.saved_at),
            )
            for row in rows
        ]

    def restore_version(self, assessment_id: int, version: int, submission_id: str) -> Saved:
        """Make an earlier version the current one, as a new version (history stays whole).
        Assessors restore versions of their organizations' assessments."""
        require(self.user, Action.restore)
        versions = self.versions(assessment_id)
        if not versions:
            raise self._not_found(assessment_id)
        for earlier in versions:
            if earlier.version == version:
                return self._save(
                    earlier.assessment,
                    submission_id,
                    assessment_id,
                    Action.restore,
                    f"version {version} made current again",
                )
        raise AssessmentNotFoundError(
            f"{self.location}: assessment {assessment_id} has no version {version}"
        )

    def deleted_assessments(self, *, skipped: list[str] | None = None) -> list[AssessmentSummary]:
        """Deleted assessments that can still be restored (deleted at most
        :data:`DELETED_KEPT_DAYS` days ago), most recently deleted first (admins only); each
        ``deleted_at`` is set. Damaged rows are left out, as in :meth:`list_assessments`."""
        require(self.user, Action.restore_deleted)
        table = assessments_table
        query = self._summary_query().where(table.c.deleted_at >= self._restorable_since())
        return self._summaries(query.order_by(None).order_by(table.c.deleted_at.desc()), skipped)

    def delete_assessment(self, assessment_id: int) -> None:
        """Delete one stored assessment (admins only): it disappears from every read and is
        kept :data:`DELETED_KEPT_DAYS` days, restorable with :meth:`restore_deleted`.
        :class:`AssessmentNotFoundError` when there is none (or it is already deleted). Drafts
        editing it keep their answers: saving them makes a new assessment."""
        require(self.user, Action.delete)
        with self._write() as connection:
            organization = self._organization_of(connection, assessment_id, lock=True)
            now = self._now()
            connection.execute(
                update(assessments_table)
                .where(assessments_table.c.id == assessment_id)
                .values(deleted_at=now)
            )
            _detach_drafts(connection, assessment_id)
            until = (now + dt.timedelta(days=DELETED_KEPT_DAYS)).date()
            self._record(
                connection,
                AuditAction.delete,
                assessment_id,
                organization,
                f"restorable until {until:%Y-%m-%d}",
            )

    def _restorable_since(self) -> dt.datetime:
        """The earliest deletion time of an assessment that is still kept (naive UTC)."""
        return self._now() - dt.timedelta(days=DELETED_KEPT_DAYS)

    def _deleted_row(self, connection: Connection, assessment_id: int) -> Any:
        row = connection.execute(
            select(assessments_table.c.organization, assessments_table.c.deleted_at)
            .where(
                assessments_table.c.id == assessment_id,
                assessments_table.c.deleted_at.is_not(None),
            )
            .with_for_update()
        ).one_or_none()
        if row is None:
            raise AssessmentNotFoundError(
                f"{self.location}: no deleted assessment with id {assessment_id}"
            )
        return row

    def restore_deleted(self, assessment_id: int) -> None:
        """Bring back a deleted assessment, as it was (admins only), within
        :data:`DELETED_KEPT_DAYS` days of its deletion; :class:`AssessmentNotFoundError` when no
        deleted assessment has that id or it was deleted longer ago."""
        require(self.user, Action.restore_deleted)
        with self._write() as connection:
            row = self._deleted_row(connection, assessment_id)
            if row.deleted_at < self._restorable_since():
                raise AssessmentNotFoundError(
                    f"{self.location}: assessment {assessment_id} was deleted more than "
                    f"{DELETED_KEPT_DAYS} days ago and can no longer be restored"
                )
            connection.execute(
                update(assessments_table)
                .where(assessments_table.c.id == assessment_id)
                .values(deleted_at=None)
            )
            self._record(
                connection,
                AuditAction.restore_deleted,
                assessment_id,
                row.organization,
                _deleted_when(row.deleted_at),
            )

    def purge(self, assessment_id: int) -> None:
        """Remove a deleted assessment for good, with its versions (admins only; delete it first).
        :class:`AssessmentNotFoundError` when no deleted assessment has that id. Its id is never
        given to another assessment."""
        require(self.user, Action.purge)
        with self._write() as connection:
            row = self._deleted_row(connection, assessment_id)
            self._remove(connection, assessment_id)
            self._record(
                connection,
                AuditAction.purge,
                assessment_id,
                row.organization,
                f"{_deleted_when(row.deleted_at)}, purged by hand",
            )

    def purge_expired(self) -> list[int]:
        """Purge every assessment deleted more than :data:`DELETED_KEPT_DAYS` days ago (admins
        only); returns their ids."""
        require(self.user, Action.purge)
        cutoff = self._restorable_since()
        table = assessments_table
        with self._write() as connection:
            rows = connection.execute(
                select(table.c.id, table.c.organization, table.c.deleted_at)
                .where(table.c.deleted_at.is_not(None), table.c.deleted_at < cutoff)
                .order_by(table.c.id)
                .with_for_update()
            ).all()
            for row in rows:
                self._remove(connection, row.id)
                self._record(
                    connection,
                    AuditAction.purge,
                    row.id,
                    row.organization,
                    f"{_deleted_when(row.deleted_at)}, kept {DELETED_KEPT_DAYS} days",
                )
        return [int(row.id) for row in rows]

    @staticmethod
    def _remove(connection: Connection, assessment_id: int) -> None:
        connection.execute(delete(assessments_table).where(assessments_table.c.id == assessment_id))
        connection.execute(
            delete(versions_table).where(versions_table.c.assessment_id == assessment_id)
        )
        connection.execute(
            delete(submissions_table).where(submissions_table.c.assessment_id == assessment_id)
        )
        _detach_drafts(connection, assessment_id)


def _deleted_when(deleted_at: dt.datetime) -> str:
    """An audit detail's time of deletion: "deleted 2026-11-30 09:12 UTC"."""
    return f"deleted {_as_utc(deleted_at):%Y-%m-%d %H:%M} UTC"
