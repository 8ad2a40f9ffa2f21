"""Stage bands, organization models and recommendation rules, loaded from ``data/``.

A rule is a list of conditions that must all hold. Each condition also describes itself, so a
recommendation can say which answers triggered it.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal, Self

from pydantic import Field, ValidationError, model_validator

from readiness.errors import InputError
from readiness.paths import data_file
from readiness.questionnaire import (
    Frozen,
    Identifier,
    Questionnaire,
    describe_validation_error,
)
from readiness.textfiles import read_yaml_mapping

#: An answer after validation: a number (likert 1-5 or a number item), an option id, or the
#: set of ticked option ids of a checklist.
AnswerValue = float | str | frozenset[str]

Op = Literal["lt", "le", "gt", "ge", "eq", "ne", "in", "has", "lacks"]
_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "lt": operator.lt,
    "le": operator.le,
    "gt": operator.gt,
    "ge": operator.ge,
    "eq": operator.eq,
    "ne": operator.ne,
}
_OP_WORDS = {"lt": "below", "le": "at most", "gt": "above", "ge": "at least"}


class Stage(Frozen):
    level: int = Field(ge=1, le=9)
    name: str = Field(min_length=1)
    min: float = Field(ge=0, le=100)
    description: str = ""


class Condition(Frozen):
    """One test on the facts of an assessment; exactly one subject is set."""

    item: Identifier | None = None
    dimension: Identifier | None = None
    weakest: Identifier | None = None
    barrier: bool | None = None
    stage: tuple[int, ...] | None = None
    org_model: tuple[Identifier, ...] | None = None
    op: Op | None = None
    value: float | str | list[str] | None = None

    @model_validator(mode="after")
    def _one_subject(self) -> Self:
        subjects = [
            name
            for name in ("item", "dimension", "weakest", "barrier", "stage", "org_model")
            if getattr(self, name) is not None
        ]
        if len(subjects) != 1:
            raise ValueError(
                "a condition needs exactly one of item, dimension, weakest, barrier, stage, "
                f"org_model (got {', '.join(subjects) or 'none'})"
            )
        if subjects[0] in ("item", "dimension") and (self.op is None or self.value is None):
            raise ValueError(f"a condition on {subjects[0]} needs op and value")
        if self.dimension is not None and self.op not in _OP_WORDS:
            raise ValueError("a condition on a dimension compares with lt, le, gt or ge")
        return self


class Rule(Frozen):
    id: str = Field(pattern=r"^[a-z0-9-]+$")
    title: str = Field(min_length=1)
    advice: str = Field(min_length=1)
    priority: int = Field(default=2, ge=1, le=5)
    source: str | None = None
    when: tuple[Condition, ...] = Field(min_length=1)


class OrgModel(Frozen):
    id: Identifier
    name: str
    description: str


class OrgModelRule(Frozen):
    model: Identifier
    why: str
    when: tuple[Condition, ...] = Field(min_length=1)


class RuleBook(Frozen):
    """Everything the scoring needs beyond the questionnaire."""

    stages: tuple[Stage, ...] = Field(min_length=1)
    barrier_below: float = Field(ge=0, le=100)
    stage_source: str | None = None
    org_models: tuple[OrgModel, ...]
    org_model_source: str | None = None
    org_model_inference: tuple[OrgModelRule, ...]
    recommendations: tuple[Rule, ...]

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        levels = [s.level for s in self.stages]
        mins = [s.min for s in self.stages]
        if levels != list(range(1, len(levels) + 1)) or mins != sorted(mins) or mins[0] != 0:
            raise ValueError("stages must be levels 1, 2, ... with rising min, the first at 0")
        known = {m.id for m in self.org_models}
        for rule in self.org_model_inference:
            if rule.model not in known:
                raise ValueError(f"inference rule names unknown org model {rule.model!r}")
        ids = [r.id for r in self.recommendations]
        if len(ids) != len(set(ids)):
            raise ValueError("recommendation ids must be unique")
        return self

    def stage_for(self, score: float | None) -> Stage | None:
        """The stage whose band holds ``score`` (0-100); None when there is no score."""
        if score is None:
            return None
        current = self.stages[0]
        for stage in self.stages:
            if score >= stage.min:
                current = stage
        return current

    def org_model(self, model_id: str | None) -> OrgModel | None:
        return next((m for m in self.org_models if m.id == model_id), None)

    def check_against(self, questionnaire: Questionnaire) -> None:
        """Fail with a clear message when a rule names an item or dimension that does not exist."""
        problems: list[str] = []
        dimension_ids = {d.id for d in questionnaire.dimensions}
        item_ids = set(questionnaire.item_ids)
        named: list[tuple[str, tuple[Condition, ...]]] = [
            (f"recommendation {r.id}", r.when) for r in self.recommendations
        ]
        named += [(f"org model rule for {r.model}", r.when) for r in self.org_model_inference]
        for where, conditions in named:
            for condition in conditions:
                if condition.item is not None and condition.item not in item_ids:
                    problems.append(f"{where}: unknown item {condition.item!r}")
                for dim in (condition.dimension, condition.weakest):
                    if dim is not None and dim not in dimension_ids:
                        problems.append(f"{where}: unknown dimension {dim!r}")
        if problems:
            raise InputError(problems)


@dataclass(frozen=True)
class Facts:
    """What conditions are tested against: answers plus derived scores."""

    answers: Mapping[str, AnswerValue]
    dimensions: Mapping[str, float | None]
    stage: int | None = None
    weakest: str | None = None
    barrier: bool = False
    org_model: str | None = None
    names: Mapping[str, str] = field(default_factory=dict)


def holds(condition: Condition, facts: Facts) -> bool:
    """Whether ``condition`` holds; never on an unanswered item or a missing score."""
    if condition.item is not None:
        answer = facts.answers.get(condition.item)
        return answer is not None and _compare(answer, condition.op, condition.value)
    if condition.dimension is not None:
        score = facts.dimensions.get(condition.dimension)
        return score is not None and _compare(score, condition.op, condition.value)
    if condition.weakest is not None:
        return facts.weakest == condition.weakest
    if condition.barrier is not None:
        return facts.barrier == condition.barrier
    if condition.stage is not None:
        return facts.stage in condition.stage
    if condition.org_model is not None:
        return facts.org_model in condition.org_model
    return False  # pragma: no cover - the validator makes this unreachable


def _compare(answer: AnswerValue, op: str | None, value: Any) -> bool:
    if isinstance(answer, frozenset):
        if op == "has":
            return str(value) in answer
        if op == "lacks":
            return str(value) not in answer
        return False
    if op == "in":
        return str(answer) in (value if isinstance(value, list) else [value])
    if op in ("eq", "ne"):
        if isinstance(answer, str) or isinstance(value, str):
            return _COMPARE[op](str(answer), str(value))
        return _COMPARE[op](float(answer), float(value))
    if op in _OP_WORDS and not isinstance(answer, str) and not isinstance(value, str | list):
        return _COMPARE[op](float(answer), float(value))
    return False


def describe(condition: Condition, facts: Facts, questionnaire: Questionnaire) -> str:
    """A short phrase saying what triggered ``condition``, e.g. 'Evangelists per 1,000 staff: 0'."""
    if condition.item is not None:
        label = questionnaire.item(condition.item).label
        answer = format_answer(questionnaire, condition.item, facts.answers.get(condition.item))
        if condition.op in ("has", "lacks"):
            answer += f" ({'has' if condition.op == 'has' else 'no'} {condition.value})"
        return f"{label}: {answer}"
    if condition.dimension is not None:
        score = facts.dimensions.get(condition.dimension)
        name = questionnaire.dimension(condition.dimension).name
        return f"{name} score {_fmt(score)}/100"
    if condition.weakest is not None:
        name = questionnaire.dimension(condition.weakest).name
        return f"weakest dimension: {name} ({_fmt(facts.dimensions.get(condition.weakest))}/100)"
    if condition.barrier is not None:
        return "below the barrier threshold" if condition.barrier else "no barrier"
    if condition.stage is not None:
        return f"stage {facts.stage}"
    return f"organization model: {facts.org_model}"


def format_answer(questionnaire: Questionnaire, item_id: str, answer: AnswerValue | None) -> str:
    """An answer as a person reads it: '10%', 'Agree', 'IT', 'search, links'."""
    if answer is None:
        return "not answered"
    item = questionnaire.item(item_id)
    if isinstance(answer, frozenset):
        ticked = [o.id for o in item.options if o.id in answer]
        return ", ".join(ticked) if ticked else "none ticked"
    if isinstance(answer, str):
        option = item.option(answer)
        return option.label.split(":")[0] if option else answer
    if item.kind == "likert":
        scale = questionnaire.likert_labels
        rounded = round(answer)
        label = scale[rounded - 1] if 1 <= rounded <= len(scale) else str(answer)
        return label if rounded == answer else f"{_fmt(answer, 1)} (about {label.lower()})"
    suffix = "%" if item.unit == "percent" else ""
    return f"{_fmt(answer, 1)}{suffix}"


def _fmt(value: float | None, digits: int = 0) -> str:
    if value is None:
        return "n/a"
    text = f"{value:.{digits}f}"
    return text[:-2] if digits and text.endswith(".0") else text


def load_rulebook(directory: Path | None = None) -> RuleBook:
    """Load stages, organization models and recommendation rules from ``data/``."""
    return _load_rulebook(directory)


@cache
def _load_rulebook(directory: Path | None) -> RuleBook:
    def path(name: str) -> Path:
        return directory / name if directory else data_file(name)

    stages = read_yaml_mapping(path("stages.yaml"))
    models = read_yaml_mapping(path("org_models.yaml"))
    recommendations = read_yaml_mapping(path("recommendations.yaml"))
    data = {
        "stages": stages.get("stages"),
        "barrier_below": stages.get("barrier_below"),
        "stage_source": stages.get("source"),
        "org_models": models.get("models"),
        "org_model_source": models.get("source"),
        "org_model_inference": models.get("inference", []),
        "recommendations": recommendations.get("rules"),
    }
    try:
        return RuleBook.model_validate(data)
    except ValidationError as error:
        raise InputError(_name_rule_files(error, data)) from None


_RULE_FILES = {
    "stages": "stages.yaml",
    "barrier_below": "stages.yaml",
    "stage_source": "stages.yaml",
    "org_models": "org_models.yaml",
    "org_model_source": "org_models.yaml",
    "org_model_inference": "org_models.yaml",
    "recommendations": "recommendations.yaml",
}


def _name_rule_files(error: ValidationError, data: dict[str, Any]) -> list[str]:
    """Validation errors, each prefixed with the data file it comes from."""
    lines = describe_validation_error(error, "", data)
    files = [
        _RULE_FILES.get(str(detail["loc"][0]), "rules") if detail["loc"] else "rules"
        for detail in error.errors()
    ]
    return [f"{name}{line}" for name, line in zip(files, lines, strict=True)]
