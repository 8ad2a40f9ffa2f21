"""An assessment: who was assessed, and their answers. Reading assessment JSON files."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError

from readiness.answers import encode_answers
from readiness.errors import InputError
from readiness.questionnaire import Frozen, Questionnaire
from readiness.textfiles import read_text_file

#: An answer as JSON holds it: agreement 1-5 or a number, an option id, a list of option ids.
JsonAnswer = int | float | str | list[str] | None

SIZE_BANDS = ("1-249", "250-999", "1,000-4,999", "5,000+")


class Profile(Frozen):
    """Who was assessed."""

    organization: str = Field(min_length=1, max_length=200)
    division: str | None = Field(default=None, max_length=200)
    sector: Literal["private", "public"] | None = None
    size: Literal["1-249", "250-999", "1,000-4,999", "5,000+"] | None = None


class Assessment(Frozen):
    """One organization's (or division's) answers to one questionnaire version."""

    profile: Profile
    questionnaire_version: str
    assessed_on: dt.date = Field(default_factory=dt.date.today)
    answers: dict[str, JsonAnswer]


def template(questionnaire: Questionnaire) -> dict[str, Any]:
    """An empty assessment to fill in: every item id with a null answer."""
    return {"organization": "", "answers": {item.id: None for item in questionnaire.items}}


def parse_assessment_json(questionnaire: Questionnaire, data: Any, source: str) -> Assessment:
    """Validate the JSON form ``{"organization": ..., "answers": {item_id: value}}``.

    Optional fields: ``division``, ``sector``, ``size``, ``assessed_on`` (YYYY-MM-DD).
    """
    if not isinstance(data, dict):
        raise InputError(f"{source}: expected a JSON object with 'organization' and 'answers'")
    allowed = {
        "organization",
        "division",
        "sector",
        "size",
        "assessed_on",
        "answers",
        "questionnaire_version",
    }
    problems = [f"{source}: unknown field {key!r}" for key in data if key not in allowed]
    answers = data.get("answers")
    if not isinstance(answers, dict):
        problems.append(f"{source}: field answers: expected an object of item id -> answer")
        raise InputError(problems)
    try:
        encode_answers(questionnaire, answers, where=f"{source}: answers")
    except InputError as error:
        problems.extend(error.problems)
    organization = data.get("organization") or "Unnamed organization"
    try:
        profile = Profile(
            organization=organization,
            division=data.get("division") or None,
            sector=data.get("sector") or None,
            size=data.get("size") or None,
        )
        assessment = Assessment(
            profile=profile,
            questionnaire_version=str(data.get("questionnaire_version") or questionnaire.version),
            answers=answers,
            **({"assessed_on": data["assessed_on"]} if data.get("assessed_on") else {}),
        )
    except ValidationError as error:
        for detail in error.errors():
            field = ".".join(str(p) for p in detail["loc"] if p != "profile")
            problems.append(f"{source}: field {field}: {detail['msg']}")
        raise InputError(problems) from None
    if problems:
        raise InputError(problems)
    return assessment


def read_assessment_file(questionnaire: Questionnaire, path: Path) -> Assessment:
    """Read and validate an assessment JSON file; every failure is an :class:`InputError`."""
    text = read_text_file(path)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(
            f"{path}: not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})"
        ) from None
    return parse_assessment_json(questionnaire, data, str(path))
