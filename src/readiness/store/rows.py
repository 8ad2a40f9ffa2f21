"""Values into and out of table rows: JSON written without NaN, times as UTC, and every raw value
read back checked, so a damaged row is named instead of crashing a read."""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Column, type_coerce
from sqlalchemy.types import NullType

from readiness.assessment import Assessment, Profile
from readiness.errors import InputError, describe_validation_error
from readiness.evidence.choice import MappingChoice
from readiness.plan.model import Plan
from readiness.store.records import DamagedRowError

MAX_ID_LENGTH = 200


def _as_utc(value: dt.datetime | None) -> dt.datetime:
    if value is None:
        return dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def _plain_json(value: Any) -> Any:
    """NaN (unanswered in the raw matrix) becomes null; tuples become lists."""
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, list | tuple):
        return [_plain_json(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain_json(v) for k, v in value.items()}
    return value


def _dump(value: Any, what: str) -> str:
    try:
        return json.dumps(_plain_json(value), ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError) as error:
        raise InputError(f"{what}: cannot be stored as JSON ({error})") from None


def _check_id(value: str, what: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InputError(f"{what}: must be a non-empty text")
    if len(value) > MAX_ID_LENGTH:
        raise InputError(f"{what}: longer than {MAX_ID_LENGTH} characters")
    return value


def _mapping_choice(text: str | None) -> MappingChoice | None:
    """The lever mapping choice of a ``mapping_choice_json`` cell (NULL: none made)."""
    return None if text is None else MappingChoice.model_validate(json.loads(text))


def _plan(text: str | None) -> Plan | None:
    """The plan of a ``plan_json`` cell (NULL: no plan)."""
    return None if text is None else Plan.model_validate(json.loads(text))


def _assessment_from_row(row: Any, answers: dict[str, Any]) -> Assessment:
    """An :class:`Assessment` from a row of the assessments table, with ``answers``."""
    return Assessment(
        profile=Profile(
            organization=row.organization,
            division=row.division,
            sector=row.sector,
            size=row.size,
        ),
        questionnaire_version=row.questionnaire_version,
        assessed_on=row.assessed_on,
        answers=answers,
        mapping_choice=_mapping_choice(getattr(row, "mapping_choice_json", None)),
        plan=_plan(getattr(row, "plan_json", None)),
    )


def _raw(*columns: Column[Any]) -> list[Any]:
    """``columns`` read as the database returns them: SQLAlchemy's own conversion raises a bare
    ``ValueError`` from inside the fetch on a date like 'yesterday', before any row can be named
    (SQLite keeps whatever was written, whatever the column's type)."""
    return [type_coerce(column, NullType()).label(column.name) for column in columns]


def _shown(value: Any) -> str:
    text = "NULL" if value is None else repr(value)
    return text if len(text) <= 40 else f"{text[:30]}... ({len(text)} characters)"


class _StoredRow:
    """One row's raw values (see :func:`_raw`), each converted and checked on the way out.

    A value of the wrong kind raises :class:`DamagedRowError` naming the store, the table, the
    row and the column: "readiness.db: table assessments, row 7, column created_at: holds
    'yesterday', not a date and time".
    """

    def __init__(self, location: str, table: str, row: Any) -> None:
        self.values: Mapping[str, Any] = row._mapping
        self.where = f"{location}: table {table}, row {_shown(self.values.get('id'))}"

    def damaged(self, column: str, problem: str) -> DamagedRowError:
        return DamagedRowError(f"{self.where}, column {column}: {problem}")

    def _wrong(self, column: str, kind: str) -> DamagedRowError:
        return self.damaged(column, f"holds {_shown(self.values[column])}, not {kind}")

    def integer(self, column: str) -> int:
        value = self.values[column]
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        raise self._wrong(column, "a whole number")

    def optional_integer(self, column: str) -> int | None:
        return None if self.values[column] is None else self.integer(column)

    def score(self, column: str) -> float | None:
        """A score 0-100, or None."""
        value = self.values[column]
        if value is None:
            return None
        if (
            isinstance(value, int | float)
            and not isinstance(value, bool)
            and 0 <= float(value) <= 100
        ):
            return float(value)
        raise self._wrong(column, "a score from 0 to 100")

    def text(self, column: str) -> str:
        value = self.values[column]
        if isinstance(value, str):
            return value
        raise self._wrong(column, "a text")

    def optional_text(self, column: str) -> str | None:
        return None if self.values[column] is None else self.text(column)

    def choice(self, column: str, allowed: Iterable[str]) -> str:
        value = self.text(column)
        known = sorted(allowed)
        if value in known:
            return value
        raise self._wrong(column, f"one of {', '.join(known)}")

    def date(self, column: str) -> dt.date:
        value = self.values[column]
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        raise self._wrong(column, "a date")

    def moment(self, column: str) -> dt.datetime:
        """A date and time, as UTC."""
        value = self.values[column]
        if isinstance(value, dt.datetime):
            return _as_utc(value)
        if isinstance(value, str):
            try:
                return _as_utc(dt.datetime.fromisoformat(value))
            except ValueError:
                pass
        raise self._wrong(column, "a date and time")

    def optional_moment(self, column: str) -> dt.datetime | None:
        return None if self.values[column] is None else self.moment(column)

    def json_object(self, column: str) -> dict[str, Any]:
        text = self.text(column)
        try:
            value = json.loads(text)
        except (ValueError, RecursionError):  # also integers over Python's 4,300 digits
            raise self._wrong(column, "JSON") from None
        if isinstance(value, dict):
            return value
        raise self.damaged(column, f"holds JSON {type(value).__name__}, not a JSON object")

    def validated(self, column: str | None, build: Callable[[], Any]) -> Any:
        """``build()``, its pydantic error as this row's (and ``column``'s) problem."""
        try:
            return build()
        except ValidationError as error:
            lines = describe_validation_error(error, "")
            where = f"{self.where}, column {column}" if column else self.where
            raise DamagedRowError(f"{where}: {lines[0]}") from None
