"""Stage bands, organization models and recommendation rules, loaded from ``data/``.

A rule is a list of conditions that must all hold. Each condition also describes itself, so a
recommendation can say which answers triggered it.

What a text shown to the user claims about the answers is declared next to it (``asserts``, in
the same condition language), and loading checks the claims: a rule's ``when`` must imply its
``asserts``, an inference rule's ``when`` must imply its organization model's ``asserts``, and a
stage (maturity) never uses the words of an organization form. So a shown text never says
something an answer denies.
"""

from __future__ import annotations

import math
import operator
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from typing import Any, Literal, Self

from pydantic import Field, ValidationError, model_validator

from readiness.errors import Frozen, InputError, describe_validation_error
from readiness.paths import data_file
from readiness.questionnaire import Identifier, Questionnaire
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


_SUBJECTS = ("item", "dimension", "weakest", "lever", "barrier", "stage", "org_model")


class Condition(Frozen):
    """One test on the facts of an assessment; exactly one subject is set."""

    item: Identifier | None = None
    dimension: Identifier | None = None
    weakest: Identifier | None = None
    #: The biggest lever: the dimension whose rise brings the material change earliest
    #: (:mod:`readiness.organization`, the same model as the growth projection).
    lever: Identifier | None = None
    barrier: bool | None = None
    stage: tuple[int, ...] | None = None
    org_model: tuple[Identifier, ...] | None = None
    op: Op | None = None
    value: float | str | list[str] | None = None

    @model_validator(mode="after")
    def _one_subject(self) -> Self:
        subjects = [name for name in _SUBJECTS if getattr(self, name) is not None]
        if len(subjects) != 1:
            raise ValueError(
                f"a condition needs exactly one of {', '.join(_SUBJECTS)} "
                f"(got {', '.join(subjects) or 'none'})"
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
    #: What the title and advice claim about the answers; ``when`` must imply each of them.
    asserts: tuple[Condition, ...]
    #: Rules whose advice contradicts this one's: of the two, only the more urgent is shown.
    excludes: tuple[str, ...] = ()


class OrgModel(Frozen):
    id: Identifier
    name: str
    description: str
    #: What the description claims about the answers (every inference rule must imply them;
    #: a self-reported model is not shown when an answer denies one of them).
    asserts: tuple[Condition, ...]
    #: Words that name this organization form; a stage's name and description never use them.
    terms: tuple[str, ...] = ()


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

    @cached_property
    def conflicts(self) -> Mapping[str, frozenset[str]]:
        """For each recommendation, the rules it contradicts: declared with ``excludes`` (either
        way round), or whose ``asserts`` cannot hold together with its own."""
        found: dict[str, set[str]] = {r.id: set() for r in self.recommendations}
        for position, rule in enumerate(self.recommendations):
            for other in self.recommendations[position + 1 :]:
                if (
                    other.id in rule.excludes
                    or rule.id in other.excludes
                    or any(contradicts(a, b) for a in rule.asserts for b in other.asserts)
                ):
                    found[rule.id].add(other.id)
                    found[other.id].add(rule.id)
        return {rule_id: frozenset(ids) for rule_id, ids in found.items()}

    def advice_for(self, facts: Facts) -> list[Rule]:
        """The recommendations to show for ``facts``, most urgent first.

        Every rule whose conditions all hold is a candidate. Candidates are taken by priority
        (1 first), then in data-file order; a candidate that contradicts one already taken is
        left out (and, not being shown, excludes nothing).
        """
        candidates = sorted(
            (r for r in self.recommendations if all(holds(c, facts) for c in r.when)),
            key=lambda r: r.priority,
        )
        chosen: list[Rule] = []
        for rule in candidates:
            if not any(taken.id in self.conflicts[rule.id] for taken in chosen):
                chosen.append(rule)
        return chosen

    def claim_problems(self) -> list[str]:
        """Every place where a shown text could claim more than its conditions guarantee, as
        one line each naming the data file and the entry (empty when the claims are sound)."""
        problems: list[str] = []
        ids = {r.id for r in self.recommendations}
        for rule in self.recommendations:
            where = f"recommendations.yaml: recommendation {rule.id}"
            for other in rule.excludes:
                if other == rule.id:
                    problems.append(f"{where}: excludes itself")
                elif other not in ids:
                    problems.append(f"{where}: excludes unknown rule {other!r}")
            for claim in rule.asserts:
                if not implied(claim, rule.when, self.barrier_below):
                    problems.append(
                        f"{where}: asserts {show_condition(claim)!r}, which its when "
                        f"({'; '.join(show_condition(c) for c in rule.when)}) does not imply"
                    )
        for position, inference in enumerate(self.org_model_inference, start=1):
            model = self.org_model(inference.model)
            if model is None:
                continue  # the validator names an unknown model
            for claim in model.asserts:
                if not implied(claim, inference.when, self.barrier_below):
                    problems.append(
                        f"org_models.yaml: inference rule #{position} ({model.id}): its when "
                        f"does not imply {show_condition(claim)!r}, which model {model.id} asserts"
                    )
        for stage in self.stages:
            text = f"{stage.name} {stage.description}"
            for model in self.org_models:
                for term in model.terms:
                    if re.search(rf"\b{re.escape(term)}", text, re.IGNORECASE):
                        problems.append(
                            f"stages.yaml: stage {stage.level} ({stage.name}): uses {term!r}, "
                            f"a word of organization model {model.id} (org_models.yaml); a stage "
                            "describes maturity, not how efforts are organized"
                        )
        return problems

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
                for dim in (condition.dimension, condition.weakest, condition.lever):
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
    lever: str | None = None
    #: The biggest lever scores below the barrier threshold: it holds growth back.
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
    if condition.lever is not None:
        return facts.lever == condition.lever
    if condition.barrier is not None:
        return facts.barrier == condition.barrier
    if condition.stage is not None:
        return facts.stage in condition.stage
    if condition.org_model is not None:
        return facts.org_model in condition.org_model
    return False  # pragma: no cover - the validator makes this unreachable


def denies(condition: Condition, facts: Facts) -> bool:
    """Whether what ``facts`` know contradicts ``condition``: its subject has an answer (or a
    score) and the condition fails. An unanswered item or a missing score denies nothing."""
    if condition.item is not None:
        known = facts.answers.get(condition.item) is not None
    elif condition.dimension is not None:
        known = facts.dimensions.get(condition.dimension) is not None
    elif condition.weakest is not None:
        known = facts.weakest is not None
    elif condition.lever is not None:
        known = facts.lever is not None
    elif condition.stage is not None:
        known = facts.stage is not None
    elif condition.org_model is not None:
        known = facts.org_model is not None
    else:
        known = True  # whether there is a barrier is always known
    return known and not holds(condition, facts)


# --- what conditions imply -----------------------------------------------------------------------
# A numeric condition is an interval of answers; an option condition is a set of option ids the
# answer is in (eq, in) or not in (ne); a checklist condition is one option ticked or not.

_Interval = tuple[float, bool, float, bool]  # low, low included, high, high included


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _interval(condition: Condition) -> _Interval | None:
    value = _number(condition.value)
    if value is None:
        return None
    return {
        "lt": (-math.inf, False, value, False),
        "le": (-math.inf, False, value, True),
        "gt": (value, False, math.inf, False),
        "ge": (value, True, math.inf, False),
        "eq": (value, True, value, True),
    }.get(str(condition.op))


def _within(inner: _Interval, outer: _Interval) -> bool:
    low, low_in, high, high_in = inner
    outer_low, outer_low_in, outer_high, outer_high_in = outer
    low_ok = low > outer_low or (low == outer_low and (outer_low_in or not low_in))
    high_ok = high < outer_high or (high == outer_high and (outer_high_in or not high_in))
    return low_ok and high_ok


def _meets(a: _Interval, b: _Interval) -> bool:
    """Whether two intervals share a value."""
    low, low_in = max((a[0], a[1]), (b[0], b[1]), key=lambda end: (end[0], not end[1]))
    high, high_in = min((a[2], a[3]), (b[2], b[3]), key=lambda end: (end[0], end[1]))
    return low < high or (low == high and low_in and high_in)


def _options(condition: Condition) -> tuple[bool, frozenset[str]] | None:
    """(True, ids) for 'the answer is one of ids', (False, ids) for 'it is none of ids'."""
    value = condition.value
    if condition.op == "in":
        return True, frozenset(value if isinstance(value, list) else [str(value)])
    if condition.op in ("eq", "ne") and _number(value) is None and value is not None:
        return condition.op == "eq", frozenset([str(value)])
    return None


def _subject(condition: Condition) -> tuple[str, str | None]:
    for name in ("item", "dimension"):
        if getattr(condition, name) is not None:
            return name, getattr(condition, name)
    for name in ("weakest", "lever", "barrier", "stage", "org_model"):
        if getattr(condition, name) is not None:
            return name, None
    return "", None  # pragma: no cover - the validator makes this unreachable


def _set(condition: Condition) -> frozenset[Any]:
    """The values a weakest / lever / barrier / stage / org_model condition accepts."""
    for name in ("stage", "org_model"):
        values = getattr(condition, name)
        if values is not None:
            return frozenset(values)
    for name in ("weakest", "lever"):
        if getattr(condition, name) is not None:
            return frozenset([getattr(condition, name)])
    return frozenset([condition.barrier])


def implies(premise: Condition, claim: Condition) -> bool:
    """Whether ``claim`` holds whenever ``premise`` does (same subject, same or stricter test)."""
    if _subject(premise) != _subject(claim):
        return False
    if premise.item is None and premise.dimension is None:
        return _set(premise) <= _set(claim)
    if premise.op in ("has", "lacks") or claim.op in ("has", "lacks"):
        return (premise.op, premise.value) == (claim.op, claim.value)
    inner, outer = _interval(premise), _interval(claim)
    if inner is not None and outer is not None:
        return _within(inner, outer)
    point = _number(claim.value)
    if inner is not None and claim.op == "ne" and point is not None:
        return not _meets(inner, (point, True, point, True))
    if premise.op == "ne" and claim.op == "ne":
        return premise.value == claim.value
    given, wanted = _options(premise), _options(claim)
    if given is None or wanted is None:
        return False
    (given_in, given_ids), (wanted_in, wanted_ids) = given, wanted
    if given_in:
        return given_ids <= wanted_ids if wanted_in else not given_ids & wanted_ids
    return not wanted_in and wanted_ids <= given_ids


def implied(claim: Condition, conditions: Sequence[Condition], barrier_below: float) -> bool:
    """Whether ``conditions`` (all holding) imply ``claim``.

    Besides one condition implying it, the biggest ``lever`` with ``barrier: true`` implies
    that dimension's score is below ``barrier_below`` (a barrier is a lever below it).
    """
    if any(implies(c, claim) for c in conditions):
        return True
    bound = _interval(claim)
    return (
        claim.dimension is not None
        and bound is not None
        and any(c.lever == claim.dimension for c in conditions)
        and any(c.barrier is True for c in conditions)
        and _within((-math.inf, False, barrier_below, False), bound)
    )


def contradicts(a: Condition, b: Condition) -> bool:
    """Whether ``a`` and ``b`` can never hold together (same subject, no answer meets both)."""
    if _subject(a) != _subject(b):
        return False
    if a.item is None and a.dimension is None:
        if a.stage is not None or a.org_model is not None:
            return not _set(a) & _set(b)
        return _set(a) != _set(b)  # one weakest dimension, one lever; a barrier or not
    if a.op in ("has", "lacks") or b.op in ("has", "lacks"):
        return a.value == b.value and {a.op, b.op} == {"has", "lacks"}
    first, second = _interval(a), _interval(b)
    if first is not None and second is not None:
        return not _meets(first, second)
    for interval, other in ((first, b), (second, a)):
        point = _number(other.value)
        if interval is not None and other.op == "ne" and point is not None:
            return interval[0] == interval[2] == point
    one, two = _options(a), _options(b)
    if one is None or two is None:
        return False
    (one_in, one_ids), (two_in, two_ids) = one, two
    if one_in and two_in:
        return not one_ids & two_ids
    if one_in != two_in:
        inside, outside = (one_ids, two_ids) if one_in else (two_ids, one_ids)
        return inside <= outside
    return False


def show_condition(condition: Condition) -> str:
    """A condition as written in the data files, e.g. 'cx_projects_aware le 2'."""
    subject, name = _subject(condition)
    if name is not None:
        value = condition.value
        if isinstance(value, list):
            shown = ", ".join(value)
        elif isinstance(value, float) and value.is_integer():
            shown = str(int(value))
        else:
            shown = str(value)
        return f"{name} {condition.op} {shown}"
    values: Iterable[Any] = getattr(condition, subject)
    if subject in ("stage", "org_model"):
        return f"{subject} {', '.join(str(v) for v in values)}"
    return f"{subject} {str(values).lower()}"


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
    if condition.lever is not None:
        name = questionnaire.dimension(condition.lever).name
        shown = _fmt(facts.dimensions.get(condition.lever))
        return f"biggest lever: {name} ({shown}/100: its rise brings the material change earliest)"
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
        book = RuleBook.model_validate(data)
    except ValidationError as error:
        raise InputError(_name_rule_files(error, data)) from None
    problems = book.claim_problems()
    if problems:
        raise InputError(problems)
    return book


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
    return [f"{name}: {line}" for name, line in zip(files, lines, strict=True)]
