"""A plan: dated actions, each of a kind (:mod:`readiness.plan.kinds`), for the whole
organization or named divisions, and what measured usage has since said of a kind's effect.

The plan file format (YAML or JSON, written by the dashboard's download and read by
``readiness project --plan``)::

    format: readiness-plan
    format_version: 1
    actions:
      - kind: champions
        start: 2027-03-01
        divisions: [Sales]        # omitted or empty: the whole organization
        staff_share: 0.2          # share 0-1 of all staff in those divisions
      - kind: training
        start: 2027-06-01
        end: 2027-09-30           # a campaign: the effect holds from start to end
    measured:                     # optional: a kind's effect as measured usage estimated it
      champions: {effect: 0.8, low: 0.3, high: 1.4, note: "Sales, Mar 2027 - Feb 2028"}
    waves:                        # optional: survey waves' summaries (readiness.waves)
      - {label: March wave, surveyed_on: 2027-03-15, respondents: 240, groups: {...}}

Dates are ISO dates; shares are 0-1. A scope of named divisions needs ``staff_share`` (how much
of the organization the action reaches); the whole organization is 1.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any, Literal, Self

from pydantic import Field, ValidationError, field_validator, model_validator

from readiness.errors import Frozen, InputError, describe_validation_error
from readiness.plan.kinds import ActionKinds, load_action_kinds
from readiness.textfiles import decode_text, read_file_bytes
from readiness.waves import WaveSummary

PLAN_FORMAT = "readiness-plan"
PLAN_FORMAT_VERSION = 1
#: The most actions a plan holds (each is a shock on the curve; more is no plan but a wish list).
MAX_ACTIONS = 12
#: The most divisions one action names.
MAX_DIVISIONS = 200


class PlanAction(Frozen):
    """One dated action: a ``kind`` id from ``data/actions.yaml``, a ``start`` (and an ``end``
    for a campaign), a scope (``divisions``; empty for the whole organization) and, for named
    divisions, ``staff_share``: the share 0-1 of all staff they hold."""

    kind: str = Field(min_length=1, max_length=40)
    start: dt.date
    end: dt.date | None = None
    divisions: tuple[str, ...] = Field(default=(), max_length=MAX_DIVISIONS)
    staff_share: float | None = Field(default=None, gt=0.0, le=1.0)
    note: str = Field(default="", max_length=500)

    @field_validator("divisions")
    @classmethod
    def _clean_divisions(cls, names: tuple[str, ...]) -> tuple[str, ...]:
        cleaned = tuple(dict.fromkeys(name.strip() for name in names))
        for name in cleaned:
            if not name or len(name) > 200:
                raise ValueError("a division name is 1 to 200 characters")
            if any(ord(ch) < 32 for ch in name):
                raise ValueError(f"division name {name!r} holds a control character")
        return cleaned

    @model_validator(mode="after")
    def _check(self) -> Self:
        if self.end is not None and self.end <= self.start:
            raise ValueError(f"the end {self.end} must be after the start {self.start}")
        if self.divisions and self.staff_share is None:
            raise ValueError(
                "an action for named divisions needs staff_share: the share 0-1 of all staff"
                " in them"
            )
        if not self.divisions and self.staff_share not in (None, 1.0):
            raise ValueError(
                "an action for the whole organization reaches all staff: drop"
                " staff_share or name the divisions"
            )
        return self

    @property
    def reach(self) -> float:
        """The share 0-1 of the organization's staff in scope."""
        return 1.0 if not self.divisions else float(self.staff_share or 0.0)

    @property
    def scope_text(self) -> str:
        """The scope in words: "the whole organization" or "Sales and Support (20% of staff)"."""
        if not self.divisions:
            return "the whole organization"
        names = list(self.divisions)
        listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        return f"{listed} ({self.reach:.0%} of staff)"


class MeasuredEffect(Frozen):
    """A kind's effect as measured usage estimated it (:mod:`readiness.plan.check`): ``effect``
    is the shock's ``c`` (growth times 1 + c while it lasts) with its 95% interval."""

    effect: float = Field(ge=-1.0, le=50.0)
    low: float = Field(ge=-1.0, le=50.0)
    high: float = Field(ge=-1.0, le=50.0)
    #: For a fading (exponential) kind, the half-life the fit estimated.
    half_life_months: float | None = Field(default=None, gt=0.0, le=240.0)
    note: str = Field(default="", max_length=500)

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if not self.low <= self.effect <= self.high:
            raise ValueError("the interval must hold the effect: low <= effect <= high")
        return self


#: The most survey waves a plan keeps.
MAX_WAVES = 24


class Plan(Frozen):
    """A plan's actions (at most :data:`MAX_ACTIONS`), the measured effects that replace a
    kind's assumed one, and the survey waves that follow it up (oldest first), so that actions
    and waves share one timeline."""

    actions: tuple[PlanAction, ...] = Field(default=(), max_length=MAX_ACTIONS)
    measured: dict[str, MeasuredEffect] = Field(default_factory=dict)
    waves: tuple[WaveSummary, ...] = Field(default=(), max_length=MAX_WAVES)

    def checked(self, kinds: ActionKinds | None = None) -> Self:
        """This plan when every kind it names is in ``data/actions.yaml``
        (:class:`InputError` naming the action otherwise)."""
        known = kinds or load_action_kinds()
        problems = [
            f"action {i}: unknown kind {action.kind!r}: the kinds are {', '.join(known.ids)}"
            for i, action in enumerate(self.actions, start=1)
            if action.kind not in known.ids
        ]
        problems.extend(
            f"measured: unknown kind {kind!r}: the kinds are {', '.join(known.ids)}"
            for kind in self.measured
            if kind not in known.ids
        )
        if problems:
            raise InputError(problems)
        return self

    @property
    def empty(self) -> bool:
        return not self.actions

    def as_json(self) -> dict[str, Any]:
        """The plan as the file format holds it (dates ISO, no empty fields)."""
        body = self.model_dump(mode="json", exclude_defaults=True)
        return {"format": PLAN_FORMAT, "format_version": PLAN_FORMAT_VERSION, **body}


def plan_from_data(data: Any, source: str) -> Plan:
    """A plan from parsed YAML or JSON (the file format above); every problem is named by
    ``source``, action and field (:class:`InputError`)."""
    if not isinstance(data, dict):
        raise InputError(f"{source}: a plan is a mapping with 'actions', not {type(data).__name__}")
    body = dict(data)
    name = body.pop("format", PLAN_FORMAT)
    version = body.pop("format_version", PLAN_FORMAT_VERSION)
    if name != PLAN_FORMAT:
        raise InputError(f"{source}: format {name!r} is not a {PLAN_FORMAT!r} file")
    if version != PLAN_FORMAT_VERSION:
        raise InputError(
            f"{source}: format_version {version!r} is not supported (this version reads"
            f" {PLAN_FORMAT_VERSION})"
        )
    try:
        plan = Plan.model_validate(body)
    except ValidationError as error:
        raise InputError(describe_validation_error(error, source, body)) from None
    except (ValueError, TypeError, RecursionError):  # a date that does not exist, a YAML set...
        raise InputError(
            f"{source}: not a plan: a value is not what the plan format holds (see"
            " 'readiness plan kinds' and docs/input-files.md)"
        ) from None
    try:
        return plan.checked()
    except InputError as error:
        raise InputError([f"{source}: {problem}" for problem in error.problems]) from None


PlanFormat = Literal["yaml", "json"]


def read_plan_bytes(data: bytes, name: str) -> Plan:
    """A plan file's bytes (YAML, or JSON, which YAML reads too) as a :class:`Plan`."""
    import yaml

    text = decode_text(data, name)
    try:
        parsed = _json_shaped(yaml.safe_load(text), {})
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise InputError(f"{name}: not a YAML or JSON plan{where}") from None
    except ValueError as error:  # 2020-02-30, a 5,000-digit integer
        raise InputError(f"{name}: not a YAML or JSON plan: {str(error)[:200]}") from None
    except RecursionError:
        raise InputError(f"{name}: not a YAML or JSON plan: nested too deep") from None
    return plan_from_data(parsed, name)


def _json_shaped(value: Any, seen: dict[int, Any]) -> Any:
    """YAML's values as JSON's (a set as a list, other YAML types as text), so that validation
    names them; a node shared by aliases is converted once and stays shared (an alias bomb
    stays small)."""
    if isinstance(value, str | int | float | bool | dt.date) or value is None:
        return value
    key = id(value)
    if key in seen:
        return seen[key]
    shaped: Any
    if isinstance(value, dict):
        shaped = seen[key] = {}
        for k, v in value.items():
            shaped[str(k)] = _json_shaped(v, seen)
    elif isinstance(value, list | tuple | set | frozenset):
        shaped = seen[key] = []
        shaped.extend(_json_shaped(v, seen) for v in value)
    else:
        shaped = seen[key] = str(value)[:200]
    return shaped


def read_plan_file(path: Path) -> Plan:
    """A plan file on disk (YAML or JSON)."""
    return read_plan_bytes(read_file_bytes(path, "--plan"), str(path))


def plan_text(plan: Plan, fmt: PlanFormat = "yaml") -> str:
    """The plan in the file format, as YAML (the default) or JSON; read back by
    :func:`read_plan_bytes`."""
    body = plan.as_json()
    if fmt == "json":
        return json.dumps(body, indent=2, ensure_ascii=False) + "\n"
    import yaml

    return str(yaml.safe_dump(body, sort_keys=False, allow_unicode=True))
