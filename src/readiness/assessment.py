"""An assessment: who was assessed, and their answers. The assessment file format.

One JSON format for an assessment, written by the dashboard's JSON download and
``readiness assessments export`` (:mod:`readiness.export`), started by ``readiness template``,
and read by every command that takes an assessment (``score``, ``project --from``,
``assessments import``) and by the dashboard's import:

    {"format": "readiness-assessment", "format_version": 3,
     "organization": ..., "division": ..., "sector": ..., "size": ..., "assessed_on": "YYYY-MM-DD",
     "questionnaire_version": ..., "answers": {item_id: answer},
     "mapping_choice": {...}, "plan": {...}, "scores": {...}, "stored": {...}}

Only ``answers`` is required. ``mapping_choice`` (version 2) is the lever mapping in use, the
division-name map and the calibrated mapping when one was offered
(:class:`readiness.evidence.choice.MappingChoice`); a version 1 file has none and uses the
assumed mapping. ``plan`` (version 3) is the assessment's plan of dated actions, the measured
effects kept for their kinds and the survey waves that follow it up
(:class:`readiness.plan.model.Plan`, as ``plan.model_dump(mode="json",
exclude_defaults=True)``: ``{"actions": [{"kind": "champions", "start": "2027-03-01"}, ...],
"measured": {...}, "waves": [...]}``); every kind it names must be one of
``data/actions.yaml``. Version 1 and 2 files have none and still read (a plan in one is
refused). ``scores`` and ``stored`` are derived when a file is written (the scores then, the id
and times in the store it came from): read, checked, never trusted. A file may hold one such
object or a list of them.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import warnings
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError

from readiness.answers import encode_answers
from readiness.errors import Frozen, InputError, describe_validation_error
from readiness.evidence.choice import MappingChoice
from readiness.plan.model import MAX_ACTIONS, MAX_WAVES, Plan
from readiness.questionnaire import Questionnaire
from readiness.textfiles import InputNote, decode_text, read_text_file

#: An answer as JSON holds it: agreement 1-5 or a number, an option id, a list of option ids.
JsonAnswer = int | float | str | list[str] | None

SIZE_BANDS = ("1-249", "250-999", "1,000-4,999", "5,000+")
#: Deepest nesting a readiness JSON file needs is 4 (a list of exports, the answers, a checklist);
#: anything far deeper is refused before it can exhaust the stack of whatever reads it next.
MAX_JSON_DEPTH = 32
#: The assessment file format's name and version (see the module docstring).
ASSESSMENT_FORMAT = "readiness-assessment"
ASSESSMENT_FORMAT_VERSION = 3
#: The format version that added ``plan``.
PLAN_SINCE_VERSION = 3
#: The most problem lines a damaged plan reports (a plan of thousands of bad actions is one
#: mistake, not thousands).
MAX_PLAN_PROBLEMS = 10
_FIELDS = frozenset(
    {
        "format",
        "format_version",
        "organization",
        "division",
        "sector",
        "size",
        "assessed_on",
        "questionnaire_version",
        "answers",
        "mapping_choice",
        "plan",
        "scores",  # derived: checked against the answers' scores, never used
        "stored",  # where the file came from: the store's id and times
    }
)
#: Scores are written with 2 decimals: closer than this they are the same score.
SCORE_TOLERANCE = 0.011
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
    #: The lever mapping in use and how it was chosen; None: the assumed mapping.
    mapping_choice: MappingChoice | None = None
    #: The plan of dated actions (with measured effects and survey waves); None: no plan.
    plan: Plan | None = None


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
    """An empty assessment file to fill in: every item id with a null answer."""
    return {
        "format": ASSESSMENT_FORMAT,
        "format_version": ASSESSMENT_FORMAT_VERSION,
        "organization": "",
        "questionnaire_version": questionnaire.version,
        "answers": {item.id: None for item in questionnaire.items},
    }


def _check_format(data: dict[str, Any], source: str) -> int:
    """The file's format version (the current one when it declares none), or an error."""
    declared = data.get("format")
    if declared is not None and declared != ASSESSMENT_FORMAT:
        raise InputError(f"{source}: format {declared!r} is not {ASSESSMENT_FORMAT!r}")
    version = data.get("format_version", ASSESSMENT_FORMAT_VERSION)
    if (
        isinstance(version, bool)
        or not isinstance(version, int)
        or not 1 <= version <= ASSESSMENT_FORMAT_VERSION
    ):
        raise InputError(
            f"{source}: format_version {version!r} is not supported "
            f"(this readiness reads version {ASSESSMENT_FORMAT_VERSION})"
        )
    return version


def plan_json(plan: Plan) -> dict[str, Any]:
    """The plan as the assessment file and the store hold it: dates ISO, fields left at their
    defaults left out (read back by :func:`read_plan_json`)."""
    return plan.model_dump(mode="json", exclude_defaults=True)


def _at_most(problems: list[str]) -> list[str]:
    if len(problems) <= MAX_PLAN_PROBLEMS:
        return problems
    more = len(problems) - MAX_PLAN_PROBLEMS
    return [*problems[:MAX_PLAN_PROBLEMS], f"... and {more:,} more problems in the plan"]


def read_plan_json(data: Any, where: str) -> Plan:
    """The plan an assessment file holds (see :func:`plan_json`), with every kind it names one
    of ``data/actions.yaml``. :class:`InputError` naming ``where`` (e.g. "a.json: field plan"),
    the action and the field; a plan of more actions or waves than a plan holds is refused in
    one line before its entries are read."""
    if not isinstance(data, dict):
        raise InputError(f"{where}: expected an object with 'actions', not {_json_kind(data)}")
    for name, most in (("actions", MAX_ACTIONS), ("waves", MAX_WAVES)):
        entries = data.get(name)
        if isinstance(entries, list) and len(entries) > most:
            raise InputError(
                f"{where}: field {name}: holds {len(entries):,} {name}; a plan holds at most {most}"
            )
    try:
        plan = Plan.model_validate(data)
    except ValidationError as error:
        raise InputError(_at_most(describe_validation_error(error, where, data))) from None
    try:
        return plan.checked()
    except InputError as error:
        raise InputError(_at_most([f"{where}: {problem}" for problem in error.problems])) from None


def _json_kind(value: Any) -> str:
    names = {dict: "an object", list: "a list", str: "a text", bool: "true or false"}
    if value is None:
        return "null"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return "a number"
    return names.get(type(value), type(value).__name__)


def _plan_of(data: dict[str, Any], version: int, source: str) -> Plan | None:
    """The file's ``plan`` (None when it has none); refused in a file of a format version
    before plans."""
    if data.get("plan") is None:
        return None
    if version < PLAN_SINCE_VERSION:
        raise InputError(
            f"{source}: field plan: a plan needs format_version {PLAN_SINCE_VERSION}"
            f" (this file declares version {version})"
        )
    return read_plan_json(data["plan"], f"{source}: field plan")


def parse_assessment_json(questionnaire: Questionnaire, data: Any, source: str) -> Assessment:
    """Validate one assessment object of the assessment file format (see the module docstring).

    Required: ``answers`` (item id -> answer). Optional: ``organization``, ``division``,
    ``sector``, ``size``, ``assessed_on`` (YYYY-MM-DD), ``questionnaire_version``,
    ``mapping_choice``, ``plan`` (format version 3), ``format``, ``format_version``, and the
    fields derived when it was
    written, ``scores`` and ``stored``: see :func:`check_stored_scores`.
    """
    if not isinstance(data, dict):
        raise InputError(f"{source}: expected a JSON object with 'organization' and 'answers'")
    version = _check_format(data, source)
    problems = [f"{source}: unknown field {key!r}" for key in data if key not in _FIELDS]
    answers = data.get("answers")
    if not isinstance(answers, dict):
        problems.append(f"{source}: field answers: expected an object of item id -> answer")
        raise InputError(problems)
    try:
        encode_answers(questionnaire, answers, where=f"{source}: answers")
    except InputError as error:
        problems.extend(error.problems)
    plan = None
    try:
        plan = _plan_of(data, version, source)
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
            mapping_choice=data.get("mapping_choice"),
            plan=plan,
            **({"assessed_on": data["assessed_on"]} if data.get("assessed_on") else {}),
        )
    except ValidationError as error:
        problems.extend(describe_validation_error(error, source, skip=("profile",)))
        raise InputError(problems) from None
    if problems:
        raise InputError(problems)
    if "scores" in data:
        check_stored_scores(questionnaire, assessment, data["scores"], source)
    return assessment


def _score_differences(stored: dict[str, Any], computed: dict[str, Any]) -> list[str]:
    """Where a file's scores differ from the answers' (overall, stage, dimensions; 2 decimals)."""

    def differ(a: Any, b: Any) -> bool:
        if isinstance(a, int | float) and isinstance(b, int | float):
            return abs(float(a) - float(b)) > SCORE_TOLERANCE
        return bool(a != b)

    differences = []
    if differ(stored.get("overall"), computed["overall"]):
        differences.append(f"overall {stored.get('overall')} in the file, {computed['overall']}")
    level = (computed["stage"] or {}).get("level")
    stored_stage = stored.get("stage")
    stored_level = stored_stage.get("level") if isinstance(stored_stage, dict) else stored_stage
    if stored_level != level:
        differences.append(f"stage {stored_level} in the file, {level}")
    dimensions = stored.get("dimensions")
    dimensions = dimensions if isinstance(dimensions, dict) else {}
    for dimension, score in computed["dimensions"].items():
        if differ(dimensions.get(dimension), score):
            differences.append(f"{dimension} {dimensions.get(dimension)} in the file, {score}")
    return differences


def check_stored_scores(
    questionnaire: Questionnaire, assessment: Assessment, stored: Any, source: str
) -> None:
    """Compare a file's ``scores`` with the scores of its answers; an :class:`InputNote` warning
    saying where they differ.

    A file's scores are never used: they were computed by the questionnaire, rules and weights
    of the readiness that wrote the file, and the answers are the record. Refusing a file whose
    scores differ would lock out every export made before a rule or weight changed, and a
    hand-edited answer; taking the file's scores would show numbers its answers do not give.
    So the scores are computed again from the answers, and a difference is a note (standard
    error on the command line), not an error.
    """
    from readiness.rules import load_rulebook
    from readiness.scoring import score_assessment

    if not isinstance(stored, dict):
        warnings.warn(
            InputNote(
                f"{source}: field scores: not a scores object; ignored, the scores are"
                " computed from the answers"
            ),
            stacklevel=2,
        )
        return
    computed = score_assessment(questionnaire, load_rulebook(), assessment.answers).to_json()
    differences = _score_differences(stored, computed)
    if differences:
        shown = "; ".join(differences[:3])
        more = f" (and {len(differences) - 3} more)" if len(differences) > 3 else ""
        warnings.warn(
            InputNote(
                f"{source}: field scores: {shown} from the answers{more}; the scores shown are"
                " computed from the answers, as this readiness scores them"
            ),
            stacklevel=2,
        )


def parse_assessments(
    questionnaire: Questionnaire, data: str | bytes, source: str
) -> list[Assessment]:
    """Every assessment in an assessment file's text or bytes: one object, or a list of them."""
    text = decode_text(data, source, "a JSON file") if isinstance(data, bytes) else data
    document = load_json(text, source)
    if not isinstance(document, list):
        return [parse_assessment_json(questionnaire, document, source)]
    if not document:
        raise InputError(f"{source}: the list holds no assessment")
    assessments: list[Assessment] = []
    problems: list[str] = []
    for position, entry in enumerate(document, start=1):
        try:
            assessments.append(parse_assessment_json(questionnaire, entry, f"{source}[{position}]"))
        except InputError as error:
            problems.extend(error.problems)
    if problems:
        raise InputError(problems)
    return assessments


def read_assessment_file(
    questionnaire: Questionnaire, path: Path, argument: str | None = None
) -> Assessment:
    """The assessment of an assessment file (one object: a list is for
    ``readiness assessments import``); every failure is an :class:`InputError` naming the file
    (after ``argument``, e.g. ``--from``, when given)."""
    text = read_text_file(path, argument, "a JSON file")
    return parse_assessment_json(questionnaire, load_json(text, str(path)), str(path))
