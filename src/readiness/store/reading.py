"""Reading assessments: the list, one stored assessment, organizations, divisions and the score
history. Only what the acting user may read; a damaged row is named, not fatal to the rest."""

from __future__ import annotations

from typing import Any

import pandas as pd
from sqlalchemy import select

from readiness.assessment import Assessment, Profile
from readiness.evidence.choice import MappingChoice
from readiness.plan.model import Plan
from readiness.store.base import StoreBase
from readiness.store.records import AssessmentSummary, DamagedRowError, StoredAssessment
from readiness.store.rows import _raw, _StoredRow
from readiness.store.schema import assessments_table


class ReadingMixin(StoreBase):
    """Listing and reading stored assessments."""

    def list_assessments(
        self, organization: str | None = None, *, skipped: list[str] | None = None
    ) -> list[AssessmentSummary]:
        """Stored assessments this user may read, newest assessment date first (all, or one
        organization's).

        A damaged row (a value readiness never writes: answers that are not a JSON object, a
        date that is not one, text where a number belongs) is left out of the list and, when
        ``skipped`` is given, described there in one line naming the store, table, row and
        column. Leaving it out rather than refusing the whole list keeps every other assessment
        reachable (to export, to repair by hand) while the line says what to look at; reading
        that one assessment (:meth:`get_assessment`) is refused with the same line.
        """
        query = self._summary_query().where(self._readable())
        if organization is not None:
            query = query.where(assessments_table.c.organization == organization)
        return self._summaries(query, skipped)

    @staticmethod
    def _summary_query() -> Any:
        table = assessments_table
        return select(
            *_raw(
                table.c.id,
                table.c.organization,
                table.c.division,
                table.c.assessed_on,
                table.c.overall,
                table.c.stage_level,
                table.c.stage_name,
                table.c.questionnaire_version,
                table.c.created_at,
                table.c.updated_at,
                table.c.version,
                table.c.answers_json,
                table.c.deleted_at,
            )
        ).order_by(table.c.assessed_on.desc(), table.c.id.desc())

    def _summaries(self, query: Any, skipped: list[str] | None) -> list[AssessmentSummary]:
        with self._read() as connection:
            rows = connection.execute(query).all()
        summaries = []
        for row in rows:
            try:
                summaries.append(self._summary(_StoredRow(self.location, "assessments", row)))
            except DamagedRowError as error:
                if skipped is not None:
                    skipped.append(str(error))
        return summaries

    def _summary(self, row: _StoredRow) -> AssessmentSummary:
        created_at = row.moment("created_at")
        return AssessmentSummary(
            id=row.integer("id"),
            organization=row.text("organization"),
            division=row.optional_text("division"),
            assessed_on=row.date("assessed_on"),
            overall=row.score("overall"),
            stage_level=row.optional_integer("stage_level"),
            stage_name=row.optional_text("stage_name"),
            questionnaire_version=row.text("questionnaire_version"),
            created_at=created_at,
            updated_at=row.optional_moment("updated_at") or created_at,
            version=row.integer("version"),
            deleted_at=row.optional_moment("deleted_at"),
            **self._completeness(row.json_object("answers_json")),
        )

    def get_assessment(self, assessment_id: int) -> StoredAssessment:
        """The stored assessment ``assessment_id``; raises :class:`AssessmentNotFoundError` when
        there is none or this user may not read it (the same message: nothing is revealed)."""
        with self._read() as connection:
            row = connection.execute(
                select(*_raw(*assessments_table.c)).where(
                    assessments_table.c.id == assessment_id, self._readable()
                )
            ).one_or_none()
        if row is None:
            raise self._not_found(assessment_id)
        return self._stored(_StoredRow(self.location, "assessments", row))

    @staticmethod
    def _stored(row: _StoredRow) -> StoredAssessment:
        """A :class:`StoredAssessment` from a raw row; :class:`DamagedRowError` when a column
        holds what readiness never writes."""
        answers = row.json_object("answers_json")
        choice_data = (
            None
            if row.values["mapping_choice_json"] is None
            else row.json_object("mapping_choice_json")
        )
        choice = row.validated(
            "mapping_choice_json",
            lambda: None if choice_data is None else MappingChoice.model_validate(choice_data),
        )
        plan_data = None if row.values["plan_json"] is None else row.json_object("plan_json")
        plan = row.validated(
            "plan_json", lambda: None if plan_data is None else Plan.model_validate(plan_data)
        )
        assessment = row.validated(
            None,
            lambda: Assessment(
                profile=Profile(
                    organization=row.text("organization"),
                    division=row.optional_text("division"),
                    sector=row.optional_text("sector"),
                    size=row.optional_text("size"),
                ),
                questionnaire_version=row.text("questionnaire_version"),
                assessed_on=row.date("assessed_on"),
                answers=answers,
                mapping_choice=choice,
                plan=plan,
            ),
        )
        from readiness.scoring import Scores  # only reading one assessment needs its scores

        scores_data = row.json_object("scores_json")
        scores = row.validated("scores_json", lambda: Scores.model_validate(scores_data))
        created_at = row.moment("created_at")
        return StoredAssessment(
            id=row.integer("id"),
            assessment=assessment,
            scores=scores,
            scores_json=scores.to_json(),
            submission_id=row.optional_text("submission_id"),
            created_at=created_at,
            updated_at=row.optional_moment("updated_at") or created_at,
            version=row.integer("version"),
        )

    def organizations(self) -> list[str]:
        """Organizations with at least one stored assessment this user may read, sorted."""
        with self._read() as connection:
            names = connection.execute(
                select(assessments_table.c.organization)
                .where(self._readable())
                .distinct()
                .order_by(assessments_table.c.organization)
            ).scalars()
            return list(names)

    def divisions(self, organization: str) -> list[str]:
        """Named divisions of ``organization`` with stored assessments, sorted (none when this
        user may not read the organization)."""
        table = assessments_table
        with self._read() as connection:
            names = connection.execute(
                select(table.c.division)
                .where(
                    table.c.organization == organization,
                    table.c.division.is_not(None),
                    self._readable(),
                )
                .distinct()
                .order_by(table.c.division)
            ).scalars()
            return [name for name in names if name]

    def history(self, organization: str, division: str | None = None) -> pd.DataFrame:
        """Scores over time for a trend chart, oldest first.

        Columns: ``assessed_on`` (date), ``division`` (None for the whole organization),
        ``overall`` and one column per dimension id, all scores 0-100 (NaN without a score).
        ``division=None`` returns every division of the organization. Empty (with those columns)
        when this user may not read the organization.
        """
        table = assessments_table
        query = (
            select(
                *_raw(table.c.id, table.c.assessed_on, table.c.division, table.c.overall),
                *_raw(table.c.scores_json),
            )
            .where(table.c.organization == organization, self._readable())
            .order_by(table.c.assessed_on, table.c.id)
        )
        if division is not None:
            query = query.where(table.c.division == division)
        with self._read() as connection:
            rows = connection.execute(query).all()
        dimension_ids = [d.id for d in self.questionnaire.dimensions]
        records: list[dict[str, Any]] = []
        for raw in rows:
            row = _StoredRow(self.location, "assessments", raw)
            try:  # a damaged row is left out of the trend (its own reads name it)
                scores = row.json_object("scores_json").get("dimensions")
                stored = {
                    d.get("id"): d.get("score")
                    for d in (scores if isinstance(scores, list) else [])
                    if isinstance(d, dict)
                }
                records.append(
                    {
                        "assessed_on": row.date("assessed_on"),
                        "division": row.optional_text("division"),
                        "overall": row.score("overall"),
                        **{d: stored.get(d) for d in dimension_ids},
                    }
                )
            except DamagedRowError:
                continue
        columns = ["assessed_on", "division", "overall", *dimension_ids]
        frame = pd.DataFrame.from_records(records, columns=columns)
        for column in ["overall", *dimension_ids]:
            frame[column] = pd.to_numeric(frame[column], errors="coerce").astype(float)
        return frame
