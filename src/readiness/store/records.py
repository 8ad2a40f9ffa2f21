"""What the store returns (drafts, saves, summaries, versions, stored assessments) and the
errors it raises. Timestamps are UTC; scores 0-100."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from readiness.assessment import Assessment, Profile
from readiness.errors import StoreError

if TYPE_CHECKING:
    from readiness.evidence.choice import MappingChoice
    from readiness.plan.model import Plan
    from readiness.scoring import Scores


class AssessmentNotFoundError(StoreError, LookupError):
    """No stored assessment has the requested id."""


class StoreNotFoundError(StoreError, LookupError):
    """A read-only use found no store: nothing has been saved there, and nothing was created."""


class DraftConsumedError(StoreError):
    """The draft was already saved as an assessment (in another tab, or before a reload)."""

    def __init__(self, message: str, saved: Saved) -> None:
        super().__init__(message)
        self.saved = saved


class DraftIdTakenError(StoreError):
    """A draft id this user cannot keep a draft under: another organization's draft, or one saved
    as an assessment this user may not read. One message for both, naming neither the
    organization nor the assessment: keep the answers under a fresh id."""


class SubmissionConflictError(StoreError):
    """A submission id already saved, now with other answers: not a repeated click (``saved``
    None: the id is another organization's, and nothing about it is told)."""

    def __init__(self, message: str, saved: Saved | None = None) -> None:
        super().__init__(message)
        self.saved = saved


class DamagedRowError(StoreError):
    """A stored row holds a value readiness never writes (edited by hand, a damaged copy); the
    message names the store, the table, the row's id and the column."""


@dataclass(frozen=True)
class Draft:
    """Answers in progress, saved while the user answers. ``updated_at`` is UTC."""

    id: str
    profile: Profile | None
    answers: dict[str, Any]
    updated_at: dt.datetime
    #: The saved assessment this draft edits (its save makes a new version), None for a new one.
    edits: int | None = None
    #: The lever mapping chosen for it (None: the assumed mapping).
    mapping_choice: MappingChoice | None = None
    #: The plan kept with it (None: no plan).
    plan: Plan | None = None


@dataclass(frozen=True)
class Saved:
    """What a save did: the assessment and version it made, when (UTC).

    ``repeated`` is True when that submission had been saved before (a double click, a reload
    of a saved draft): nothing new was written, the earlier save stands.
    """

    id: int
    version: int
    saved_at: dt.datetime
    repeated: bool = False


@dataclass(frozen=True)
class AssessmentSummary:
    """One line of the assessment list. ``overall`` is 0-100 (None without a complete score).

    ``answered`` of the questionnaire's ``items`` questions were answered; ``updated_at`` (UTC)
    is the last change, ``version`` the number of saved versions.
    """

    id: int
    organization: str
    division: str | None
    assessed_on: dt.date
    overall: float | None
    stage_level: int | None
    stage_name: str | None
    questionnaire_version: str
    created_at: dt.datetime
    updated_at: dt.datetime = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    version: int = 1
    answered: int = 0
    items: int = 0
    #: When it was deleted (UTC); None when live (see :meth:`Store.deleted_assessments`).
    deleted_at: dt.datetime | None = None

    @property
    def complete(self) -> bool:
        """Whether every dimension has a score (at least half of its questions answered)."""
        return self.overall is not None


@dataclass(frozen=True)
class AssessmentVersion:
    """One saved version of an assessment (the current one is the highest). UTC times."""

    assessment_id: int
    version: int
    assessment: Assessment
    overall: float | None
    stage_name: str | None
    saved_at: dt.datetime


@dataclass(frozen=True)
class StoredAssessment:
    """A saved assessment with the scores computed when it was saved (timestamps UTC)."""

    id: int
    assessment: Assessment
    scores: Scores
    scores_json: dict[str, Any]
    submission_id: str | None
    created_at: dt.datetime
    updated_at: dt.datetime
    version: int = 1
