"""An assessment: who was assessed, and their answers. Reading assessment JSON files."""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError

from readiness.answers import encode_answers
from readiness.errors import Frozen, InputError, describe_validation_error
from readiness.questionnaire import Questionnaire
from readiness.textfiles import read_text_file

#: An answer as JSON holds it: agreement 1-5 or a number, an option id, a list of option ids.
JsonAnswer = int | float | str | list[str] | None

SIZE_BANDS = ("1-249", "250-999", "1,000-4,999", "5,000+")
#: Deepest nesting a readiness JSON file needs is 4 (a list of exports, the answers, a checklist);
#: anything far deeper is refused before it can exhaust the stack of whatever reads it next.
MAX_JSON_DEPTH = 32
#: Integers with more digits are beyond every float (and far beyond any answer's range).
MAX_INTEGER_DIGITS = 308


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


class _Refused:
    """A JSON token readiness does not accept, kept until its field is known for the message."""

    def __init__(self, token: str, why: str) -> None:
        self.token = (
            token if len(token) <= 24 else f"{token[:12]}...{token[-4:]} ({len(token)} chars)"
        )
        self.why = why


def _parse_int(text: str) -> int | _Refused:
    if len(text.lstrip("-")) > MAX_INTEGER_DIGITS:
        return _Refused(text, "is beyond the range of numbers")
    return int(text)


def _parse_float(text: str) -> float | _Refused:
    number = float(text)
    return number if math.isfinite(number) else _Refused(text, "is beyond the range of numbers")


def _parse_constant(name: str) -> _Refused:
    return _Refused(name, "is not a number in JSON (leave the answer null when there is none)")


def _field(path: list[str | int]) -> str:
    return "".join(f"[{p + 1}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")


def _refused_values(data: Any, source: str) -> list[str]:
    """Problems of a parsed document: refused tokens, lone surrogates, too deep nesting."""
    problems: list[str] = []
    stack: list[tuple[Any, list[str | int]]] = [(data, [])]
    while stack:
        value, path = stack.pop()
        if len(path) > MAX_JSON_DEPTH:  # named by its first fields: the full path is as deep
            return [f"{source}: field {_field(path[:2])}: nested more than {MAX_JSON_DEPTH} levels"]
        where = f"{source}: field {_field(path)}" if path else source
        if isinstance(value, _Refused):
            problems.append(f"{where}: {value.token} {value.why}")
        elif isinstance(value, str) and _has_surrogate(value):
            problems.append(f"{where}: text holds an unpaired UTF-16 surrogate (\\u escape)")
        elif isinstance(value, dict):
            for key, item in value.items():
                if _has_surrogate(key):
                    problems.append(f"{where}: a key holds an unpaired UTF-16 surrogate")
                else:
                    stack.append((item, [*path, key]))
        elif isinstance(value, list):
            stack.extend((item, [*path, position]) for position, item in enumerate(value))
    return sorted(problems)


def _has_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def load_json(text: str, source: str) -> Any:
    """Parse ``text`` as strict JSON; :class:`InputError` naming ``source`` (and the field) for
    invalid JSON, ``NaN``/``Infinity``, numbers beyond float range (also integers of thousands of
    digits), unpaired surrogates and nesting deeper than :data:`MAX_JSON_DEPTH`."""
    try:
        data = json.loads(
            text,
            parse_int=_parse_int,
            parse_float=_parse_float,
            parse_constant=_parse_constant,
        )
    except json.JSONDecodeError as error:
        raise InputError(
            f"{source}: not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})"
        ) from None
    except RecursionError:
        raise InputError(f"{source}: nested more than {MAX_JSON_DEPTH} levels") from None
    problems = _refused_values(data, source)
    if problems:
        raise InputError(problems)
    return data


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
        problems.extend(describe_validation_error(error, source, skip=("profile",)))
        raise InputError(problems) from None
    if problems:
        raise InputError(problems)
    return assessment


def read_assessment_file(questionnaire: Questionnaire, path: Path) -> Assessment:
    """Read and validate an assessment JSON file; every failure is an :class:`InputError`."""
    data = load_json(read_text_file(path), str(path))
    return parse_assessment_json(questionnaire, data, str(path))
