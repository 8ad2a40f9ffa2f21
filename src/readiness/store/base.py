"""What every part of the store stands on: the engine, the acting user, the clock, reading and
writing transactions, and an assessment's columns as scored on save."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Self

from sqlalchemy import and_, select
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.sql.elements import ColumnElement

from readiness.access import OPERATOR, User
from readiness.assessment import Assessment, plan_json
from readiness.errors import StoreError
from readiness.questionnaire import Questionnaire, load_questionnaire
from readiness.rules import RuleBook, load_rulebook
from readiness.store.engine import _READ_ONLY, describe_url, explain_database_error
from readiness.store.records import AssessmentNotFoundError
from readiness.store.rows import _dump
from readiness.store.schema import assessments_table

if TYPE_CHECKING:
    from readiness.scoring import Scores


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class StoreBase:
    """The engine and who acts; :class:`~readiness.store.Store` adds one part per concern.

    ``user`` is who acts (default: the local operator, admin of everything); ``clock`` gives the
    current UTC time (injected by tests).
    """

    def __init__(
        self,
        engine: Engine,
        questionnaire: Questionnaire | None = None,
        rulebook: RuleBook | None = None,
        *,
        user: User = OPERATOR,
        clock: Callable[[], dt.datetime] | None = None,
    ) -> None:
        self.engine = engine
        self.location = describe_url(engine.url)
        self.questionnaire = questionnaire or load_questionnaire()
        self.rulebook = rulebook or load_rulebook()
        self.user = user
        self._clock = clock or _utcnow
        self._owns_engine = True

    def acting_as(self, user: User) -> Self:
        """This store acting as ``user``: the same engine, questionnaire, rules and clock, with
        every operation checked against what ``user`` may do. Cheap (nothing is opened); closing
        it leaves the shared engine to this store."""
        acting = type(self)(
            self.engine, self.questionnaire, self.rulebook, user=user, clock=self._clock
        )
        acting._owns_engine = False
        return acting

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close every pooled connection (a store from :meth:`acting_as` leaves them open)."""
        if self._owns_engine:
            self.engine.dispose()

    @contextmanager
    def _translated(self) -> Iterator[None]:
        try:
            yield
        except sa_exc.IntegrityError:
            raise  # a lost race on a unique key: the caller retries
        except (sa_exc.OperationalError, sa_exc.DatabaseError, sa_exc.InterfaceError) as error:
            raise StoreError(explain_database_error(error, self.location)) from error

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        with self._translated(), self.engine.connect() as connection:
            connection.execution_options(**{_READ_ONLY: True})
            with connection.begin():
                yield connection

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        with self._translated(), self.engine.begin() as connection:
            yield connection

    def _now(self) -> dt.datetime:
        """The clock's time as naive UTC (how the tables store times)."""
        now = self._clock()
        return now.astimezone(dt.UTC).replace(tzinfo=None) if now.tzinfo is not None else now

    def _readable(self) -> ColumnElement[bool]:
        """The condition on ``assessments`` rows this user may read: live (not deleted) rows of
        the user's organizations."""
        live = assessments_table.c.deleted_at.is_(None)
        organizations = self.user.organizations
        if organizations is None:
            return live
        return and_(live, assessments_table.c.organization.in_(sorted(organizations)))

    def _not_found(self, assessment_id: int) -> AssessmentNotFoundError:
        # The same words whether it does not exist or the user may not see it.
        return AssessmentNotFoundError(f"{self.location}: no assessment with id {assessment_id}")

    def _organization_of(
        self, connection: Connection, assessment_id: int, *, lock: bool = False
    ) -> str:
        """The organization of assessment ``assessment_id`` if this user may read it; else
        :class:`AssessmentNotFoundError`. ``lock`` locks the row (PostgreSQL) until commit."""
        query = select(assessments_table.c.organization).where(
            assessments_table.c.id == assessment_id, self._readable()
        )
        organization = connection.execute(
            query.with_for_update() if lock else query
        ).scalar_one_or_none()
        if organization is None:
            raise self._not_found(assessment_id)
        return str(organization)

    def _score(self, assessment: Assessment) -> Scores:
        # Imported here: listing, drafts, the audit log and migrations need no scoring (nor the
        # numerical libraries it brings).
        from readiness.evidence.choice import mapping_in_use
        from readiness.scoring import score_assessment

        mapping, _ = mapping_in_use(assessment.mapping_choice)
        return score_assessment(
            self.questionnaire, self.rulebook, assessment.answers, mapping=mapping
        )

    @staticmethod
    def _score_columns(assessment: Assessment, scores: Scores) -> dict[str, Any]:
        return {
            "answers_json": _dump(assessment.answers, "answers"),
            "scores_json": _dump(scores.model_dump(mode="json"), "scores"),
            "mapping_choice_json": None
            if assessment.mapping_choice is None
            else _dump(assessment.mapping_choice.as_json(), "mapping choice"),
            "plan_json": None
            if assessment.plan is None
            else _dump(plan_json(assessment.plan.checked()), "plan"),
            "overall": scores.overall,
            "stage_level": scores.stage.level if scores.stage else None,
            "stage_name": scores.stage.name if scores.stage else None,
        }

    def _content_columns(self, assessment: Assessment, scores: Scores) -> dict[str, Any]:
        profile = assessment.profile
        return {
            "organization": profile.organization,
            "division": profile.division,
            "sector": profile.sector,
            "size": profile.size,
            "assessed_on": assessment.assessed_on,
            "questionnaire_version": assessment.questionnaire_version,
            **self._score_columns(assessment, scores),
        }

    def _completeness(self, answers: Mapping[str, Any]) -> dict[str, int]:
        """How many of the questionnaire's questions were answered, as the questionnaire counts."""
        items = self.questionnaire.items
        return {
            "answered": sum(1 for item in items if answers.get(item.id) is not None),
            "items": len(items),
        }
