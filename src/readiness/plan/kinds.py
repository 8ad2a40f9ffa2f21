"""The kinds of plan action (``data/actions.yaml``): what each raises, by how much, and how its
effect unfolds over time. An explicit, sourced assumption, like the lever mapping."""

from __future__ import annotations

import math
from functools import cache
from pathlib import Path
from typing import Self

from pydantic import Field, ValidationError, model_validator

from readiness.errors import Frozen, InputError, describe_validation_error
from readiness.fitting.model_names import ShockShape
from readiness.levers import DimensionId
from readiness.paths import data_file
from readiness.textfiles import read_yaml_mapping


class ActionKind(Frozen):
    """One kind of action: ``dimension`` raised by ``change`` points (0-100 scale) in scope
    from its start; ``shape`` how the effect unfolds (``exponential`` halves every
    ``half_life_months``)."""

    id: str = Field(min_length=1, max_length=40, pattern=r"^[a-z][a-z0-9_]*$")
    label: str = Field(min_length=1, max_length=80)
    dimension: DimensionId
    change: float = Field(gt=0.0, le=100.0)
    shape: ShockShape
    half_life_months: float | None = Field(default=None, gt=0.0, le=240.0)
    rationale: str = Field(min_length=1)

    @model_validator(mode="after")
    def _check_fade(self) -> Self:
        if self.shape == "exponential" and self.half_life_months is None:
            raise ValueError("an exponential kind needs half_life_months")
        if self.shape == "rectangular" and self.half_life_months is not None:
            raise ValueError("a rectangular kind does not fade: drop half_life_months")
        return self

    @property
    def fade_per_year(self) -> float | None:
        """The exponential shock's rate ``b`` per year (below 0), None for a rectangular one."""
        if self.half_life_months is None:
            return None
        return -math.log(2.0) / (self.half_life_months / 12.0)


class ActionKinds(Frozen):
    """Every kind of action, with the source of the assumption."""

    source: str = Field(min_length=1)
    kinds: tuple[ActionKind, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _check_ids(self) -> Self:
        ids = [kind.id for kind in self.kinds]
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        if repeated:
            raise ValueError(f"kind id(s) used more than once: {', '.join(repeated)}")
        return self

    def get(self, kind_id: str) -> ActionKind:
        """The kind with this id (:class:`InputError` naming the known ones otherwise)."""
        for kind in self.kinds:
            if kind.id == kind_id:
                return kind
        known = ", ".join(kind.id for kind in self.kinds)
        raise InputError(f"unknown action kind {kind_id!r}: the kinds are {known}")

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(kind.id for kind in self.kinds)


def load_action_kinds(path: Path | None = None) -> ActionKinds:
    """The kinds from ``data/actions.yaml`` (or ``path``), validated."""
    return _load(path or data_file("actions.yaml"))


@cache
def _load(source: Path) -> ActionKinds:
    data = read_yaml_mapping(source)
    try:
        return ActionKinds.model_validate(data)
    except ValidationError as error:
        raise InputError(describe_validation_error(error, str(source), data)) from None
