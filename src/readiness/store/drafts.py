"""Drafts: answers in progress, kept while a user answers and consumed when they are saved."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import Connection

from readiness.access import Action, require
from readiness.assessment import Profile, plan_json
from readiness.errors import StoreError
from readiness.evidence.choice import MappingChoice
from readiness.plan.model import Plan
from readiness.store.base import StoreBase
from readiness.store.records import (
    AssessmentNotFoundError,
    Draft,
    DraftConsumedError,
    DraftIdTakenError,
    Saved,
)
from readiness.store.rows import _as_utc, _check_id, _dump, _mapping_choice, _plan
from readiness.store.schema import assessments_table, drafts_table
from readiness.store.submissions import _submission


class DraftsMixin(StoreBase):
    """Keeping, loading and discarding drafts."""

    def save_draft(
        self,
        draft_id: str,
        profile: Profile | None,
        answers: Mapping[str, Any],
        edits: int | None = None,
        mapping_choice: MappingChoice | None = None,
        plan: Plan | None = None,
    ) -> None:
        """Create or replace the draft ``draft_id`` (idempotent: the same call twice is one row).

        ``edits``: the saved assessment this draft changes (None for a new assessment);
        ``mapping_choice``: the lever mapping chosen for it (None: the assumed one); ``plan``:
        the plan kept with it (None: no plan; every kind it names must be one of
        ``data/actions.yaml``, :class:`InputError` otherwise). Raises
        :class:`DraftConsumedError` when ``draft_id`` was already saved as an assessment: the
        draft is not brought back to life, so a later save can never be a silent no-op.
        Assessors keep drafts of their organizations (:class:`PermissionDeniedError` otherwise);
        an id taken by another organization (its draft, or its assessment) raises
        :class:`DraftIdTakenError`, which tells nothing about that draft or assessment.
        """
        _check_id(draft_id, "draft id")
        require(self.user, Action.draft, profile.organization if profile else None)
        values = {
            "profile_json": _dump(profile.model_dump(mode="json"), "profile") if profile else None,
            "answers_json": _dump(dict(answers), "answers"),
            "updated_at": self._now(),
            "assessment_id": edits,
            "mapping_choice_json": None
            if mapping_choice is None
            else _dump(mapping_choice.as_json(), "mapping choice"),
            "plan_json": None if plan is None else _dump(plan_json(plan.checked()), "plan"),
        }
        for _attempt in range(3):
            try:
                with self._write() as connection:
                    if edits is not None:
                        require(self.user, Action.draft, self._organization_of(connection, edits))
                    saved = _submission(connection, draft_id)
                    if saved is not None and self._sees_saved(connection, saved):
                        raise DraftConsumedError(
                            f"draft {draft_id} was already saved as assessment {saved.id}", saved
                        )
                    existing = connection.execute(
                        select(drafts_table).where(drafts_table.c.id == draft_id)
                    ).one_or_none()
                    if saved is not None or (
                        existing is not None and not self._may_keep(connection, existing)
                    ):
                        raise _draft_id_taken(draft_id)
                    changed = connection.execute(
                        update(drafts_table).where(drafts_table.c.id == draft_id).values(**values)
                    ).rowcount
                    if not changed:
                        connection.execute(insert(drafts_table).values(id=draft_id, **values))
                return
            except sa_exc.IntegrityError:
                continue  # another session created the draft first: update it next time
        raise StoreError(f"{self.location}: could not save draft {draft_id!r}")

    def _sees_saved(self, connection: Connection, saved: Saved) -> bool:
        """Whether the assessment a submission became is of this user's organizations (deleted
        or not: the user's own deleted assessment may be named to them)."""
        organization = connection.execute(
            select(assessments_table.c.organization).where(assessments_table.c.id == saved.id)
        ).scalar_one_or_none()
        return isinstance(organization, str) and self.user.sees(organization)

    def _may_keep(self, connection: Connection, row: Any) -> bool:
        """Whether this user may read and change the draft ``row``: an assessor or admin of the
        draft's organization (a draft without a profile yet: any assessor), and of the
        assessment it edits."""
        if not self.user.may(Action.draft):
            return False
        if row.profile_json is not None:
            organization = json.loads(row.profile_json).get("organization")
            if isinstance(organization, str) and not self.user.sees(organization):
                return False
        if row.assessment_id is not None and self.user.organizations is not None:
            try:
                self._organization_of(connection, row.assessment_id)
            except AssessmentNotFoundError:
                return False
        return True

    def load_draft(self, draft_id: str) -> Draft | None:
        """The draft ``draft_id``; None if never saved, already submitted or discarded, or not
        this user's to keep (a viewer, another organization's draft)."""
        with self._read() as connection:
            row = connection.execute(
                select(drafts_table).where(drafts_table.c.id == draft_id)
            ).one_or_none()
            if row is None or not self._may_keep(connection, row):
                return None
        profile = Profile.model_validate(json.loads(row.profile_json)) if row.profile_json else None
        return Draft(
            id=row.id,
            profile=profile,
            answers=json.loads(row.answers_json),
            updated_at=_as_utc(row.updated_at),
            edits=row.assessment_id,
            mapping_choice=_mapping_choice(row.mapping_choice_json),
            plan=_plan(row.plan_json),
        )

    def discard_draft(self, draft_id: str) -> None:
        """Delete the draft ``draft_id`` (nothing happens when there is none, or when it is not
        this user's to keep)."""
        require(self.user, Action.draft)
        with self._write() as connection:
            row = connection.execute(
                select(drafts_table).where(drafts_table.c.id == draft_id)
            ).one_or_none()
            if row is not None and self._may_keep(connection, row):
                connection.execute(delete(drafts_table).where(drafts_table.c.id == draft_id))

    def discard_drafts_older_than(self, days: float) -> int:
        """Delete drafts not saved for ``days`` days; returns how many were deleted (admins)."""
        require(self.user, Action.maintain)
        cutoff = self._now() - dt.timedelta(days=days)
        with self._write() as connection:
            result = connection.execute(
                delete(drafts_table).where(drafts_table.c.updated_at < cutoff)
            )
        return int(result.rowcount)


def _draft_id_taken(draft_id: str) -> DraftIdTakenError:
    # The same words for another organization's draft and its saved assessment.
    return DraftIdTakenError(f"draft {draft_id} was already used; keep the draft under a fresh id")


def _discard(connection: Connection, draft_id: str) -> None:
    connection.execute(delete(drafts_table).where(drafts_table.c.id == draft_id))


def _detach_drafts(connection: Connection, assessment_id: int) -> None:
    """Drafts editing ``assessment_id`` keep their answers: saving them makes a new assessment."""
    connection.execute(
        update(drafts_table)
        .where(drafts_table.c.assessment_id == assessment_id)
        .values(assessment_id=None)
    )
