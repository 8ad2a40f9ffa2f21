"""The questionnaire as data: frozen pydantic models loaded from ``data/questionnaire.yaml``."""

from __future__ import annotations

from collections import Counter
from functools import cache
from pathlib import Path
from typing import Annotated, Literal, Self

from pydantic import Field, ValidationError, model_validator

from readiness.errors import Frozen, InputError, describe_validation_error
from readiness.paths import data_file
from readiness.textfiles import read_yaml

Identifier = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
LIKERT_POINTS = 5
MIN_ITEMS_PER_DIMENSION = 6
MAX_ITEMS_PER_DIMENSION = 12


class Scale(Frozen):
    likert_labels: tuple[str, str, str, str, str] = (
        "Strongly disagree",
        "Disagree",
        "Neither agree nor disagree",
        "Agree",
        "Strongly agree",
    )


class Dimension(Frozen):
    id: Identifier
    name: str = Field(min_length=1)
    description: str = ""
    weight: float = Field(default=1.0, gt=0)


class Option(Frozen):
    id: Identifier
    label: str = Field(min_length=1)
    score: float | None = Field(default=None, ge=0, le=1)


class Bounds(Frozen):
    min: float
    max: float

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.min >= self.max:
            raise ValueError(f"min ({self.min}) must be below max ({self.max})")
        return self


class Item(Frozen):
    """One question. ``dimension`` is None for context questions that are asked, not scored."""

    id: Identifier
    dimension: Identifier | None
    kind: Literal["likert", "number", "choice", "checklist"]
    label: str = Field(min_length=1, max_length=60)
    text: str = Field(min_length=1)
    help: str = Field(min_length=1)
    source: str | None = None
    weight: float = Field(default=1.0, ge=0)
    reverse: bool = False
    unit: str | None = None
    bounds: Bounds | None = None
    zero: float | None = None
    full: float | None = None
    options: tuple[Option, ...] = ()

    @model_validator(mode="after")
    def _fits_its_kind(self) -> Self:
        problems: list[str] = []
        if self.kind == "number":
            if self.bounds is None or self.zero is None or self.full is None:
                problems.append("a number item needs bounds, zero and full")
            elif self.zero == self.full:
                problems.append("zero and full must differ")
        elif self.bounds is not None or self.zero is not None or self.full is not None:
            problems.append(f"bounds, zero and full are only for number items, not {self.kind}")
        if self.kind in ("choice", "checklist"):
            if len(self.options) < 2:
                problems.append(f"a {self.kind} item needs at least 2 options")
            ids = [option.id for option in self.options]
            duplicated = sorted(i for i, n in Counter(ids).items() if n > 1)
            if duplicated:
                problems.append(f"duplicate option ids: {', '.join(duplicated)}")
            scored = self.dimension is not None and self.weight > 0
            if scored and any(option.score is None for option in self.options):
                problems.append("every option of a scored item needs a score")
        elif self.options:
            problems.append(f"options are only for choice and checklist items, not {self.kind}")
        if self.reverse and self.kind != "likert":
            problems.append("only likert items can be reverse-scored")
        if self.dimension is None and self.weight != 0:
            problems.append("a context item (dimension: null) must have weight 0")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    @property
    def scored(self) -> bool:
        """Whether the item counts towards its dimension's score."""
        return self.dimension is not None and self.weight > 0

    def option(self, option_id: str) -> Option | None:
        return next((o for o in self.options if o.id == option_id), None)


class Questionnaire(Frozen):
    version: str = Field(min_length=1)
    title: str = Field(min_length=1)
    scale: Scale = Scale()
    dimensions: tuple[Dimension, ...] = Field(min_length=1)
    items: tuple[Item, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        problems: list[str] = []
        dimension_ids = [d.id for d in self.dimensions]
        for name, ids in (("dimension", dimension_ids), ("item", [i.id for i in self.items])):
            duplicated = sorted(i for i, n in Counter(ids).items() if n > 1)
            if duplicated:
                problems.append(f"duplicate {name} ids: {', '.join(duplicated)}")
        for item in self.items:
            if item.dimension is not None and item.dimension not in dimension_ids:
                problems.append(f"item {item.id}: unknown dimension {item.dimension!r}")
        for dimension in dimension_ids:
            count = sum(1 for i in self.items if i.dimension == dimension and i.scored)
            if not MIN_ITEMS_PER_DIMENSION <= count <= MAX_ITEMS_PER_DIMENSION:
                problems.append(
                    f"dimension {dimension}: {count} scored items, expected "
                    f"{MIN_ITEMS_PER_DIMENSION} to {MAX_ITEMS_PER_DIMENSION}"
                )
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def item(self, item_id: str) -> Item:
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(item_id)

    def dimension(self, dimension_id: str) -> Dimension:
        for dimension in self.dimensions:
            if dimension.id == dimension_id:
                return dimension
        raise KeyError(dimension_id)

    def items_of(self, dimension_id: str | None) -> tuple[Item, ...]:
        return tuple(i for i in self.items if i.dimension == dimension_id)

    @property
    def item_ids(self) -> tuple[str, ...]:
        return tuple(i.id for i in self.items)

    @property
    def likert_labels(self) -> tuple[str, ...]:
        return self.scale.likert_labels


def load_questionnaire(path: Path | None = None) -> Questionnaire:
    """Load and validate the questionnaire (``data/questionnaire.yaml`` by default)."""
    path = path or data_file("questionnaire.yaml")
    return _load_questionnaire(path)


@cache
def _load_questionnaire(path: Path) -> Questionnaire:
    data = read_yaml(path)
    if data is None:
        raise InputError(f"{path.name}: the file is empty")
    try:
        return Questionnaire.model_validate(data)
    except ValidationError as error:
        raise InputError(describe_validation_error(error, path.name, data)) from None
