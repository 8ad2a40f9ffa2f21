"""What every module shares: the exception base, the data-model base and how a validation error
becomes lines for a person.

- :class:`ReadinessError` is the base of every error readiness raises on purpose; its message is
  meant for a person, never a traceback. :class:`InputError` (bad input: one line per problem,
  naming file, row and field) and :class:`StoreError` (the store cannot be used) are the two
  kinds the command line and the dashboard catch.
- :class:`Frozen` is the base of every data model: immutable, unknown fields are errors.
- :func:`describe_validation_error` is the one converter of pydantic errors into those lines.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError


class ReadinessError(Exception):
    """Base of every error readiness raises on purpose: its message is meant for a person."""


class InputError(ReadinessError, ValueError):
    """Bad input from a user: one clear line per problem.

    Each problem names where it is (file, row, field) and what is wrong with it.
    """

    def __init__(self, problems: str | Iterable[str]) -> None:
        self.problems: list[str] = [problems] if isinstance(problems, str) else list(problems)
        if not self.problems:
            self.problems = ["invalid input"]
        super().__init__("\n".join(self.problems))


class StoreError(ReadinessError):
    """The store cannot be used: one line saying what is wrong and where."""


class Frozen(BaseModel):
    """Base of every data model: immutable, and unknown fields are errors."""

    model_config = ConfigDict(frozen=True, extra="forbid")


def describe_validation_error(
    error: ValidationError,
    source: str,
    data: Any = None,
    *,
    field_names: Mapping[str, str] | None = None,
    skip: Collection[str] = (),
    row: int | None = None,
) -> list[str]:
    """A pydantic error as lines for a person, naming the source, the entry (by id) and the field.

    ``source`` (a file, "row 3"; empty for none) starts each line; ``data`` (the validated input)
    lets entries be named by their id ("item su_lead, field weight"). ``field_names`` names a
    top-level field as the user knows it (``{"start_year": "--start-year"}``); location parts in
    ``skip`` are left out (a wrapper's field name); ``row`` names a file's row ("row 3, field x").
    """
    lines = []
    for location, message in _details(error, skip):
        named = field_names.get(str(location[0])) if field_names and location else None
        where = named or _name_location(location, data)
        if row is not None:
            where = f"row {row}, {where}" if where else f"row {row}"
        prefix = ": ".join(part for part in (source, where) if part)
        lines.append(f"{prefix}: {message}" if prefix else message)
    return lines


def field_messages(error: ValidationError, friendly: Mapping[str, str]) -> dict[str, str]:
    """A form's pydantic error as one message per top-level field (``friendly`` rewords error
    types: ``{"string_too_short": "Enter a name."}``), to show under each field."""
    messages: dict[str, str] = {}
    for detail in error.errors():
        field = str(detail["loc"][0]) if detail["loc"] else "form"
        message = str(detail["msg"]).removeprefix("Value error, ")
        messages.setdefault(field, friendly.get(detail["type"], message))
    return messages


def _details(error: ValidationError, skip: Collection[str]) -> list[tuple[list[Any], str]]:
    return [
        (
            [part for part in detail["loc"] if part not in skip],
            str(detail["msg"]).removeprefix("Value error, "),
        )
        for detail in error.errors()
    ]


def _name_location(location: list[Any], data: Any) -> str:
    """'items[3].weight' becomes 'item su_lead, field weight' when the entry has an id."""
    parts: list[str] = []
    node = data
    index = 0
    while index < len(location):
        key = location[index]
        if (
            isinstance(key, str)
            and index + 1 < len(location)
            and isinstance(location[index + 1], int)
        ):
            position = location[index + 1]
            entry = node.get(key, [])[position] if isinstance(node, dict) else None
            label = key[:-1] if key.endswith("s") else key
            if isinstance(entry, dict) and "id" in entry:
                parts.append(f"{label} {entry['id']}")
            else:
                parts.append(f"{label} #{position + 1}")
            node = entry
            index += 2
            continue
        parts.append(f"field {key}")
        node = node.get(key) if isinstance(node, dict) else None
        index += 1
    return ", ".join(parts)
