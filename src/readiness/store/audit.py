"""The audit log: who did what to which assessment, written inside the transaction of what it
records (so it is recorded only if that is committed) and read back by admins."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from sqlalchemy import insert, select
from sqlalchemy.engine import Connection

from readiness.access import Action, Role, require
from readiness.assessment import Assessment
from readiness.store.base import StoreBase
from readiness.store.records import DamagedRowError
from readiness.store.rows import _raw, _StoredRow
from readiness.store.schema import audit_table

if TYPE_CHECKING:
    from readiness.plan.model import Plan, PlanAction

#: The longest detail an audit row keeps, in characters.
MAX_AUDIT_DETAIL = 500


class AuditAction(StrEnum):
    """What an audit row records (its value is how the log names it)."""

    save = "save"
    edit = "edit"
    restore_version = "restore version"
    delete = "delete"
    restore_deleted = "restore deleted"
    purge = "purge"
    import_ = "import"
    export = "export"


@dataclass(frozen=True)
class AuditEntry:
    """One row of the audit log: at ``at`` (UTC) ``actor`` (an e-mail, a subject or
    ``operator``) with ``role`` did ``action`` to assessment ``assessment_id`` of
    ``organization``; ``detail`` says what (a version, an export's format, ...)."""

    id: int
    at: dt.datetime
    actor: str
    role: str
    action: str
    assessment_id: int | None
    organization: str | None
    detail: str


def _describe_save(assessment: Assessment, version: int) -> str:
    """An audit detail for a save: "version 2 of Sales, assessed on 2026-03-31"."""
    where = assessment.profile.division or "the whole organization"
    return f"version {version} of {where}, assessed on {assessment.assessed_on:%Y-%m-%d}"


def _describe_action(action: PlanAction) -> str:
    """One action in an audit detail: "training from 2027-06-01 to 2027-09-30 (Sales)"."""
    when = f"from {action.start:%Y-%m-%d}"
    if action.end is not None:
        when += f" to {action.end:%Y-%m-%d}"
    scope = f" ({', '.join(action.divisions)})" if action.divisions else ""
    return f"{action.kind} {when}{scope}"


def _describe_plan(plan: Plan | None) -> str:
    """An audit detail for a plan kept with an assessment: "plan: 2 actions (champions from
    2027-03-01, training from 2027-06-01)", then its measured effects and survey waves, if any;
    "plan: removed" for none."""
    if plan is None:
        return "plan: removed"
    count = len(plan.actions)
    if count:
        listed = ", ".join(_describe_action(action) for action in plan.actions)
        words = f"plan: {count} action{'s' if count != 1 else ''} ({listed})"
    else:
        words = "plan: no actions"
    if plan.measured:
        kinds = ", ".join(sorted(plan.measured))
        words += f"; measured effect{'s' if len(plan.measured) != 1 else ''} of {kinds}"
    if plan.waves:
        words += f"; {len(plan.waves)} survey wave{'s' if len(plan.waves) != 1 else ''}"
    return words


class AuditMixin(StoreBase):
    """Recording and reading the audit log."""

    def _record(
        self,
        connection: Connection,
        action: AuditAction,
        assessment_id: int | None,
        organization: str | None,
        detail: str,
    ) -> None:
        """Add a row to the audit log, inside the caller's transaction (recorded only if what it
        records is committed)."""
        connection.execute(
            insert(audit_table).values(
                self._audit_values(action, assessment_id, organization, detail)
            )
        )

    def _audit_values(
        self, action: AuditAction, assessment_id: int | None, organization: str | None, detail: str
    ) -> dict[str, Any]:
        """An audit row's values: now, this user, what was done to what."""
        return {
            "at": self._now(),
            "actor": self.user.id,
            "role": str(self.user.role),
            "action": str(action),
            "assessment_id": assessment_id,
            "organization": organization,
            "detail": detail[:MAX_AUDIT_DETAIL],
        }

    def audit_log(
        self,
        limit: int | None = 200,
        assessment_id: int | None = None,
        *,
        skipped: list[str] | None = None,
    ) -> list[AuditEntry]:
        """The audit log, newest first (admins only): at most ``limit`` rows (None: all), of one
        assessment when ``assessment_id`` is given.

        A damaged row (a time that is not one, an unknown role or action, text where an id
        belongs) is left out and, when ``skipped`` is given, described there in one line naming
        the store, row and column: the rest of the log stays readable, and the line says which
        entry cannot be trusted.
        """
        require(self.user, Action.audit)
        query = select(*_raw(*audit_table.c)).order_by(audit_table.c.id.desc())
        if assessment_id is not None:
            query = query.where(audit_table.c.assessment_id == assessment_id)
        if limit is not None:
            query = query.limit(limit)
        with self._read() as connection:
            rows = connection.execute(query).all()
        entries = []
        for raw in rows:
            row = _StoredRow(self.location, "audit_log", raw)
            try:
                entries.append(
                    AuditEntry(
                        id=row.integer("id"),
                        at=row.moment("at"),
                        actor=row.text("actor"),
                        role=row.choice("role", (str(role) for role in Role)),
                        action=row.choice("action", (str(action) for action in AuditAction)),
                        assessment_id=row.optional_integer("assessment_id"),
                        organization=row.optional_text("organization"),
                        detail=row.text("detail"),
                    )
                )
            except DamagedRowError as error:
                if skipped is not None:
                    skipped.append(str(error))
        return entries

    def record_export(self, what: str, assessment_ids: Iterable[int]) -> None:
        """Record in the audit log that this user exported ``assessment_ids`` as ``what`` (e.g.
        "JSON", "CSV", "HTML report"): for downloads made outside the store. Each id must be one
        this user may read (:class:`AssessmentNotFoundError` otherwise, and nothing is recorded).
        """
        require(self.user, Action.export)
        with self._write() as connection:
            for assessment_id in dict.fromkeys(assessment_ids):
                organization = self._organization_of(connection, assessment_id)
                self._record(connection, AuditAction.export, assessment_id, organization, what)
