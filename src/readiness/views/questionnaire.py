"""What the questionnaire page shows: its widgets' keys and values, labels, progress and drafts.

The page keeps one widget per item under the key ``q_<item id>`` and the profile under
``profile_<field>``. These functions turn those widget values into validated answers and a
:class:`~readiness.assessment.Profile`, with one message per field for the page to show next to
the widget, and back (to resume a draft or edit a saved assessment).

Widget value conventions:

- likert: the agreement 1-5 (int) or None;
- number: a float in the item's unit (any number: one out of range gets a message), or None;
- choice: the option id, or None;
- checklist: a list of option ids, with :data:`NONE_TICKED` meaning "answered, none of these";
  an empty list is unanswered.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from readiness.answers import check_answer
from readiness.assessment import JsonAnswer, Profile
from readiness.editing import missing_answers, saved_line
from readiness.errors import field_messages
from readiness.questionnaire import Item, Questionnaire
from readiness.store import Draft

__all__ = [
    "ITEM_PREFIX",
    "NONE_TICKED",
    "NONE_TICKED_LABEL",
    "PROFILE_FIELDS",
    "PROFILE_PREFIX",
    "answer_problems",
    "answers_from_widgets",
    "fingerprint",
    "has_started",
    "item_help",
    "item_key",
    "item_label",
    "missing_answers",
    "profile_from_widgets",
    "profile_key",
    "profile_values",
    "progress",
    "resume_offer",
    "saved_line",
    "widgets_from_answers",
    "widgets_from_profile",
]

ITEM_PREFIX = "q_"
PROFILE_PREFIX = "profile_"
PROFILE_FIELDS = ("organization", "division", "sector", "size")
#: The checklist pseudo-option for "answered, and none of these apply".
NONE_TICKED = "none"
NONE_TICKED_LABEL = "None of these"

_FRIENDLY = {
    "string_too_short": "Enter a name.",
    "string_too_long": "Use at most 200 characters.",
    "literal_error": "Choose one of the listed options.",
}


def item_key(item_id: str) -> str:
    """Widget (and session state) key of an item."""
    return f"{ITEM_PREFIX}{item_id}"


def profile_key(field: str) -> str:
    return f"{PROFILE_PREFIX}{field}"


def _answer_from_widget(item: Item, value: Any) -> JsonAnswer:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if item.kind == "checklist":
        if not isinstance(value, list | tuple):
            return [str(value)]
        ticked = [str(v) for v in value]
        if not ticked:
            return None
        real = [v for v in ticked if v != NONE_TICKED]
        # "None of these" together with real options: the ticked options win.
        return real if real else []
    if item.kind in ("likert", "number") and isinstance(value, float) and value.is_integer():
        return int(value)  # 150, not 150.0, in messages and stored answers
    if isinstance(value, int | float | str):
        return value
    return str(value)


def answers_from_widgets(
    questionnaire: Questionnaire, values: Mapping[str, Any]
) -> dict[str, JsonAnswer]:
    """Answers keyed by item id from widget values keyed by :func:`item_key` (all items present)."""
    return {
        item.id: _answer_from_widget(item, values.get(item_key(item.id)))
        for item in questionnaire.items
    }


def answer_problems(
    questionnaire: Questionnaire, answers: Mapping[str, JsonAnswer]
) -> dict[str, str]:
    """Per item id, what is wrong with its answer (server-side: widgets can be bypassed)."""
    problems: dict[str, str] = {}
    for item in questionnaire.items:
        _, problem = check_answer(item, answers.get(item.id))
        if problem:
            problems[item.id] = problem
    return problems


def widgets_from_answers(
    questionnaire: Questionnaire, answers: Mapping[str, Any]
) -> dict[str, Any]:
    """Widget values (keyed by :func:`item_key`) that show ``answers``.

    A number out of range is kept (the field shows it with its message); other answers a widget
    cannot show (an unknown option) are left out.
    """
    values: dict[str, Any] = {}
    for item in questionnaire.items:
        answer = answers.get(item.id)
        _, problem = check_answer(item, answer)
        if item.kind == "number" and isinstance(answer, int | float) and _finite_number(answer):
            values[item_key(item.id)] = float(answer)
        elif problem or answer is None:
            values[item_key(item.id)] = [] if item.kind == "checklist" else None
        elif item.kind == "checklist":
            ticked = [str(a).strip().lower() for a in answer]
            values[item_key(item.id)] = ticked or [NONE_TICKED]
        elif item.kind == "likert":
            values[item_key(item.id)] = int(answer)
        elif item.kind == "number":
            values[item_key(item.id)] = float(answer)
        else:
            values[item_key(item.id)] = str(answer).strip().lower()
    return values


def _finite_number(value: Any) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    try:
        return math.isfinite(float(value))
    except OverflowError:
        return False


def profile_values(values: Mapping[str, Any]) -> dict[str, Any]:
    """The profile fields from widget values, blank text as None."""
    result: dict[str, Any] = {}
    for field in PROFILE_FIELDS:
        value = values.get(profile_key(field))
        if isinstance(value, str):
            value = value.strip() or None
        result[field] = value
    return result


def profile_from_widgets(values: Mapping[str, Any]) -> tuple[Profile | None, dict[str, str]]:
    """Validate the profile with the pydantic model: ``(profile, {field: message})``."""
    data = profile_values(values)
    data["organization"] = data["organization"] or ""
    try:
        return Profile.model_validate(data), {}
    except ValidationError as error:
        return None, field_messages(error, _FRIENDLY)


def widgets_from_profile(profile: Profile | Mapping[str, Any]) -> dict[str, Any]:
    data = profile.model_dump() if isinstance(profile, Profile) else dict(profile)
    return {
        profile_key(f): data.get(f) or ("" if f in ("organization", "division") else None)
        for f in PROFILE_FIELDS
    }


def progress(
    questionnaire: Questionnaire, answers: Mapping[str, JsonAnswer]
) -> dict[str | None, tuple[int, int]]:
    """Answered and total items per dimension id (None: context items)."""
    counts: dict[str | None, tuple[int, int]] = {}
    for item in questionnaire.items:
        answered, total = counts.get(item.dimension, (0, 0))
        given = answers.get(item.id) is not None
        counts[item.dimension] = (answered + int(given), total + 1)
    return counts


def item_label(item: Item) -> str:
    """The question as its widget's label: the text, with a number item's unit and range."""
    if item.kind != "number" or item.bounds is None:
        return item.text
    unit = "%" if item.unit == "percent" else (item.unit or "")
    low, high = (f"{value:,g}" for value in (item.bounds.min, item.bounds.max))
    return f"{item.text} ({unit + ', ' if unit else ''}{low} to {high})"


def item_help(item: Item) -> str:
    """Why the question matters, with its source when it has one."""
    return f"{item.help}\n\nSource: {item.source}" if item.source else item.help


def has_started(profile: Profile | None, answers: Mapping[str, JsonAnswer]) -> bool:
    """Whether anything has been entered yet (a valid profile or one answer)."""
    return profile is not None or any(v is not None for v in answers.values())


def resume_offer(draft: Draft) -> tuple[str, str | None]:
    """The offer to resume a draft left behind in this browser: a headline (Markdown, no user
    text) and the organization line (user text, to be shown as plain text), if it has one."""
    when = draft.updated_at.strftime("%d %b %Y, %H:%M UTC")
    organization = draft.profile.organization if draft.profile else None
    line = f"Organization: {organization}" if organization else None
    return f"**You have an unsaved draft** from {when}.", line


def fingerprint(profile: Profile | None, answers: Mapping[str, JsonAnswer]) -> str:
    """A stable text for "has anything changed since the last autosave or submit?"."""
    data = [profile.model_dump(mode="json") if profile else None, dict(answers)]
    return json.dumps(data, sort_keys=True, default=str)
