"""Scoring: item scores 0-1, dimension scores 0-100, overall index, stage, weakest link,
organization model and recommendations.

Every score is computed by the same vectorised functions on a raw answer matrix
(see :mod:`readiness.answers`), so one assessment and a million respondents are scored alike.

Rules (see ``data/`` and DOMAIN.md):
- a dimension score is the weighted mean of its answered items, divided by the weighted maximum
  of the *answered* items, so missing answers never count as zero;
- a dimension with fewer than half of its scored items answered has no score (insufficient data);
- the overall index is the weighted mean of the dimension scores (equal weights by default) and
  needs every dimension to have a score.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from pydantic import Field

from readiness.answers import (
    FloatArray,
    RespondentTable,
    decode_row,
    encode_answers,
)
from readiness.errors import InputError
from readiness.questionnaire import LIKERT_POINTS, Frozen, Questionnaire
from readiness.rules import (
    AnswerValue,
    Facts,
    RuleBook,
    Stage,
    describe,
    holds,
)

#: Within-group agreement (r_wg) below this is flagged (LeBreton & Senter 2008: 0.70 is the
#: usual cut-off for "strong agreement").
LOW_AGREEMENT_BELOW = 0.7
#: Expected variance of a uniform answer on a 5-point scale, (A^2 - 1) / 12.
UNIFORM_LIKERT_VARIANCE = (LIKERT_POINTS**2 - 1) / 12


class DimensionScore(Frozen):
    id: str
    name: str
    score: float | None = Field(description="0-100, None when fewer than half the items answered")
    answered: int
    items: int
    weight: float


class Recommendation(Frozen):
    id: str
    title: str
    advice: str
    reason: str = Field(description="Which answers or scores triggered the rule")
    priority: int
    source: str | None = None


class Scores(Frozen):
    """The result of scoring one assessment (or one group's aggregated answers)."""

    overall: float | None = Field(description="0-100; None unless every dimension has a score")
    stage: Stage | None
    dimensions: tuple[DimensionScore, ...]
    weakest: str | None
    barrier: bool = Field(description="The weakest dimension is below the barrier threshold")
    org_model: str | None
    org_model_reason: str | None = None
    recommendations: tuple[Recommendation, ...]

    def dimension_scores(self) -> dict[str, float | None]:
        return {d.id: d.score for d in self.dimensions}

    def to_json(self) -> dict[str, Any]:
        """The command line's JSON shape (a contract other tools rely on)."""
        return {
            "overall": _round(self.overall),
            "stage": ({"level": self.stage.level, "name": self.stage.name} if self.stage else None),
            "dimensions": {d.id: _round(d.score) for d in self.dimensions},
            "weakest": self.weakest,
            "org_model": self.org_model,
            "recommendations": [
                {"id": r.id, "title": r.title, "reason": r.reason} for r in self.recommendations
            ],
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


@dataclass(frozen=True)
class ScoringPlan:
    """The questionnaire compiled into arrays for vectorised scoring."""

    questionnaire: Questionnaire
    weights: FloatArray  # (items,) item weight; 0 for context items
    membership: FloatArray  # (items, dimensions) 1 where the item belongs to the dimension
    min_answered: FloatArray  # (dimensions,) answered items needed for a score
    choice_scores: dict[int, FloatArray]  # column -> score per option index
    checklist_scores: dict[int, FloatArray]  # column -> score per bit mask
    likert_columns: npt.NDArray[np.intp]
    reverse: npt.NDArray[np.bool_]
    zero: FloatArray
    full: FloatArray

    @property
    def dimension_ids(self) -> list[str]:
        return [d.id for d in self.questionnaire.dimensions]


@cache
def compile_plan(questionnaire: Questionnaire) -> ScoringPlan:
    items = questionnaire.items
    dims = [d.id for d in questionnaire.dimensions]
    weights = np.array([i.weight if i.scored else 0.0 for i in items])
    membership = np.zeros((len(items), len(dims)))
    for column, item in enumerate(items):
        if item.scored and item.dimension is not None:
            membership[column, dims.index(item.dimension)] = 1.0
    counts = membership.sum(axis=0)
    choice_scores: dict[int, FloatArray] = {}
    checklist_scores: dict[int, FloatArray] = {}
    for column, item in enumerate(items):
        option_scores = np.array([o.score if o.score is not None else np.nan for o in item.options])
        if item.kind == "choice":
            choice_scores[column] = option_scores
        elif item.kind == "checklist":
            masks = np.arange(2 ** len(item.options))
            bits = (masks[:, None] >> np.arange(len(item.options))) & 1
            total = np.nansum(option_scores)
            checklist_scores[column] = (bits @ np.nan_to_num(option_scores)) / total
    return ScoringPlan(
        questionnaire=questionnaire,
        weights=weights,
        membership=membership,
        min_answered=np.ceil(counts / 2),
        choice_scores=choice_scores,
        checklist_scores=checklist_scores,
        likert_columns=np.array([c for c, i in enumerate(items) if i.kind == "likert"], np.intp),
        reverse=np.array([i.reverse for i in items]),
        zero=np.array([i.zero if i.zero is not None else np.nan for i in items]),
        full=np.array([i.full if i.full is not None else np.nan for i in items]),
    )


def item_scores(plan: ScoringPlan, raw: FloatArray) -> FloatArray:
    """Item scores 0-1 (NaN when unanswered) for a raw matrix of shape (respondents, items)."""
    scores = np.full(raw.shape, np.nan)
    likert = plan.likert_columns
    scores[:, likert] = (raw[:, likert] - 1) / (LIKERT_POINTS - 1)
    reverse = np.flatnonzero(plan.reverse)
    scores[:, reverse] = 1 - scores[:, reverse]
    numbers = np.flatnonzero(~np.isnan(plan.zero))
    if numbers.size:
        span = plan.full[numbers] - plan.zero[numbers]
        scores[:, numbers] = np.clip((raw[:, numbers] - plan.zero[numbers]) / span, 0, 1)
    for lookups in (plan.choice_scores, plan.checklist_scores):
        for column, table in lookups.items():
            codes = raw[:, column]
            answered = ~np.isnan(codes)
            result = np.full(codes.shape, np.nan)
            result[answered] = table[codes[answered].astype(np.intp)]
            scores[:, column] = result
    return scores


def dimension_matrix(plan: ScoringPlan, raw: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Dimension scores 0-100 (NaN when insufficient) and answered counts, per respondent."""
    scores = item_scores(plan, raw)
    answered = ~np.isnan(scores)
    weighted = np.where(answered, scores, 0.0) * plan.weights
    numerator = weighted @ plan.membership
    denominator = (answered * plan.weights) @ plan.membership
    counts = answered.astype(float) @ plan.membership
    enough = (counts >= plan.min_answered) & (denominator > 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        result = np.where(enough, 100 * numerator / denominator, np.nan)
    return result, counts


def dimension_weights(
    questionnaire: Questionnaire, weights: Mapping[str, float] | None = None
) -> FloatArray:
    """Dimension weights for the overall index: the data file's, overridden by ``weights``."""
    weights = weights or {}
    unknown = sorted(set(weights) - {d.id for d in questionnaire.dimensions})
    if unknown:
        raise InputError(f"dimension weights: unknown dimension {', '.join(unknown)}")
    result = np.array([float(weights.get(d.id, d.weight)) for d in questionnaire.dimensions])
    if (result < 0).any() or result.sum() <= 0:
        raise InputError("dimension weights: must be zero or more, and not all zero")
    return result


def overall_index(dimensions: FloatArray, weights: FloatArray) -> FloatArray:
    """Weighted mean of dimension scores per row; NaN when a weighted dimension has no score."""
    used = weights > 0
    complete = ~np.isnan(dimensions[:, used]).any(axis=1)
    total = np.nan_to_num(dimensions) @ weights / weights.sum()
    return np.where(complete, total, np.nan)


def _optional(value: float) -> float | None:
    return None if np.isnan(value) else float(value)


def conclude(
    questionnaire: Questionnaire,
    rulebook: RuleBook,
    answers: Mapping[str, AnswerValue],
    dimension_values: FloatArray,
    answered_counts: FloatArray,
    weights: FloatArray,
) -> Scores:
    """Everything that follows from one set of answers and its dimension scores."""
    plan = compile_plan(questionnaire)
    overall = _optional(float(overall_index(dimension_values[None, :], weights)[0]))
    details = tuple(
        DimensionScore(
            id=dim.id,
            name=dim.name,
            score=_optional(float(dimension_values[k])),
            answered=int(answered_counts[k]),
            items=int(plan.membership[:, k].sum()),
            weight=float(weights[k]),
        )
        for k, dim in enumerate(questionnaire.dimensions)
    )
    scored = [d for d in details if d.score is not None]
    weakest = min(scored, key=lambda d: d.score or 0.0) if scored else None
    barrier = weakest is not None and (weakest.score or 0.0) < rulebook.barrier_below
    stage = rulebook.stage_for(overall)
    facts = Facts(
        answers=answers,
        dimensions={d.id: d.score for d in details},
        stage=stage.level if stage else None,
        weakest=weakest.id if weakest else None,
        barrier=barrier,
    )
    org_model, org_reason = _org_model(questionnaire, rulebook, facts)
    facts = Facts(
        answers=facts.answers,
        dimensions=facts.dimensions,
        stage=facts.stage,
        weakest=facts.weakest,
        barrier=facts.barrier,
        org_model=org_model,
    )
    fired = [
        Recommendation(
            id=rule.id,
            title=rule.title,
            advice=rule.advice,
            reason="; ".join(describe(c, facts, questionnaire) for c in rule.when),
            priority=rule.priority,
            source=rule.source,
        )
        for rule in rulebook.recommendations
        if all(holds(c, facts) for c in rule.when)
    ]
    fired.sort(key=lambda r: r.priority)  # stable: data-file order within a priority
    return Scores(
        overall=overall,
        stage=stage,
        dimensions=details,
        weakest=weakest.id if weakest else None,
        barrier=barrier,
        org_model=org_model,
        org_model_reason=org_reason,
        recommendations=tuple(fired),
    )


SELF_REPORTED_ORG_MODEL = "cx_org_model"


def _org_model(
    questionnaire: Questionnaire, rulebook: RuleBook, facts: Facts
) -> tuple[str | None, str | None]:
    reported = facts.answers.get(SELF_REPORTED_ORG_MODEL)
    if isinstance(reported, str) and rulebook.org_model(reported):
        return reported, "as answered"
    for rule in rulebook.org_model_inference:
        if all(holds(c, facts) for c in rule.when):
            triggers = "; ".join(describe(c, facts, questionnaire) for c in rule.when)
            return rule.model, f"{rule.why} ({triggers})"
    return None, None


def score_assessment(
    questionnaire: Questionnaire,
    rulebook: RuleBook,
    answers: Mapping[str, Any],
    weights: Mapping[str, float] | None = None,
) -> Scores:
    """Score one assessment's answers (JSON-like values keyed by item id).

    Raises :class:`InputError` on unknown item ids or bad values.
    """
    raw = encode_answers(questionnaire, answers)
    plan = compile_plan(questionnaire)
    dims, counts = dimension_matrix(plan, raw)
    return conclude(
        questionnaire,
        rulebook,
        decode_row(questionnaire, raw[0]),
        dims[0],
        counts[0],
        dimension_weights(questionnaire, weights),
    )


class GroupScores(Frozen):
    """Scores of a group of respondents (a division, or everyone)."""

    name: str
    respondents: int
    scores: Scores
    agreement: float | None = Field(
        description="Mean r_wg over agreement items, 0-1; None with fewer than two respondents"
    )
    low_agreement: bool

    def to_json(self) -> dict[str, Any]:
        return {
            **self.scores.to_json(),
            "respondents": self.respondents,
            "agreement": _round(self.agreement),
            "low_agreement": self.low_agreement,
        }


@dataclass(frozen=True)
class BatchScores:
    """Scores of a respondents table: per respondent, per division and overall."""

    respondents: pd.DataFrame  # division, one column per dimension, overall
    divisions: dict[str, GroupScores]
    overall: GroupScores

    def to_json(self) -> dict[str, Any]:
        return {
            "overall": self.overall.to_json(),
            "divisions": {name: group.to_json() for name, group in self.divisions.items()},
        }


def score_matrix(
    questionnaire: Questionnaire, raw: FloatArray, weights: Mapping[str, float] | None = None
) -> tuple[FloatArray, FloatArray]:
    """Dimension scores (respondents x dimensions) and overall index (respondents,), 0-100."""
    plan = compile_plan(questionnaire)
    dims, _ = dimension_matrix(plan, raw)
    return dims, overall_index(dims, dimension_weights(questionnaire, weights))


def score_respondents(
    questionnaire: Questionnaire,
    rulebook: RuleBook,
    table: RespondentTable,
    weights: Mapping[str, float] | None = None,
) -> BatchScores:
    """Score every respondent, then aggregate per division and overall (no per-row loop).

    A group's dimension score is the mean of its respondents' dimension scores (respondents
    without a score for that dimension are left out); its recommendations and organization
    model follow from its aggregated answers (mean agreement or number, most frequent choice,
    checklist options ticked by at least half).
    """
    if table.problems:
        raise InputError(table.problems)
    if len(table) == 0:
        raise InputError("respondents: no respondent rows")
    plan = compile_plan(questionnaire)
    dim_weights = dimension_weights(questionnaire, weights)
    dims, counts = dimension_matrix(plan, table.raw)
    overall = overall_index(dims, dim_weights)
    frame = pd.DataFrame(dims, columns=plan.dimension_ids)
    frame.insert(0, "division", table.divisions)
    frame["overall"] = overall

    codes, names = pd.factorize(table.divisions, sort=True)
    groups = _aggregate(questionnaire, table.raw, dims, counts, codes, len(names))
    everyone = _aggregate(questionnaire, table.raw, dims, counts, np.zeros(len(table), np.intp), 1)
    rulebook.check_against(questionnaire)

    def group(name: str, position: int, stats: _GroupStats) -> GroupScores:
        scores = conclude(
            questionnaire,
            rulebook,
            decode_row(questionnaire, stats.answers[position]),
            stats.dimensions[position],
            stats.answered[position],
            dim_weights,
        )
        agreement = _optional(float(stats.agreement[position]))
        return GroupScores(
            name=name,
            respondents=int(stats.sizes[position]),
            scores=scores,
            agreement=agreement,
            low_agreement=agreement is not None and agreement < LOW_AGREEMENT_BELOW,
        )

    return BatchScores(
        respondents=frame,
        divisions={str(name): group(str(name), k, groups) for k, name in enumerate(names)},
        overall=group("All respondents", 0, everyone),
    )


@dataclass(frozen=True)
class _GroupStats:
    sizes: FloatArray
    answers: FloatArray  # aggregated raw answers, groups x items
    dimensions: FloatArray  # mean dimension scores, groups x dimensions
    answered: FloatArray  # mean answered items per dimension, groups x dimensions
    agreement: FloatArray  # mean r_wg, groups


def _group_mean(values: FloatArray, codes: npt.NDArray[np.intp], groups: int) -> FloatArray:
    present = ~np.isnan(values)
    sums = np.zeros((groups, values.shape[1]))
    counts = np.zeros((groups, values.shape[1]))
    for column in range(values.shape[1]):
        sums[:, column] = np.bincount(
            codes, weights=np.where(present[:, column], values[:, column], 0.0), minlength=groups
        )
        counts[:, column] = np.bincount(codes, weights=present[:, column], minlength=groups)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(counts > 0, sums / counts, np.nan)


def _aggregate(
    questionnaire: Questionnaire,
    raw: FloatArray,
    dims: FloatArray,
    counts: FloatArray,
    codes: npt.NDArray[np.intp],
    groups: int,
) -> _GroupStats:
    sizes = np.bincount(codes, minlength=groups).astype(float)
    answers = np.full((groups, raw.shape[1]), np.nan)
    numeric = [c for c, i in enumerate(questionnaire.items) if i.kind in ("likert", "number")]
    if numeric:
        answers[:, numeric] = _group_mean(raw[:, numeric], codes, groups)
    for column, item in enumerate(questionnaire.items):
        values = raw[:, column]
        answered = ~np.isnan(values)
        if item.kind == "choice":
            options = len(item.options)
            tally = np.bincount(
                codes[answered] * options + values[answered].astype(np.intp),
                minlength=groups * options,
            ).reshape(groups, options)
            answers[:, column] = np.where(tally.sum(axis=1) > 0, tally.argmax(axis=1), np.nan)
        elif item.kind == "checklist":
            masks = values[answered].astype(np.intp)
            group_of = codes[answered]
            responses = np.bincount(group_of, minlength=groups)
            majority = np.zeros(groups, dtype=np.intp)
            for bit in range(len(item.options)):
                ticked = np.bincount(group_of, weights=(masks >> bit) & 1, minlength=groups)
                majority |= (2 * ticked >= responses).astype(np.intp) << bit
            answers[:, column] = np.where(responses > 0, majority, np.nan)
    agreement = _agreement(raw, questionnaire, codes, groups)
    return _GroupStats(
        sizes=sizes,
        answers=answers,
        dimensions=_group_mean(dims, codes, groups),
        answered=_group_mean(counts, codes, groups),
        agreement=agreement,
    )


def _agreement(
    raw: FloatArray, questionnaire: Questionnaire, codes: npt.NDArray[np.intp], groups: int
) -> FloatArray:
    """Mean single-item r_wg over scored likert items: 1 - observed variance / uniform variance."""
    columns = [c for c, i in enumerate(questionnaire.items) if i.kind == "likert" and i.scored]
    if not columns:
        return np.full(groups, np.nan)
    values = raw[:, columns]
    mean = _group_mean(values, codes, groups)
    present = ~np.isnan(values)
    deviation = np.where(present, values - mean[codes], 0.0) ** 2
    n = np.stack(
        [np.bincount(codes, weights=present[:, k], minlength=groups) for k in range(len(columns))],
        axis=1,
    )
    squares = np.stack(
        [
            np.bincount(codes, weights=deviation[:, k], minlength=groups)
            for k in range(len(columns))
        ],
        axis=1,
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        variance = np.where(n > 1, squares / (n - 1), np.nan)
    rwg = np.clip(1 - variance / UNIFORM_LIKERT_VARIANCE, 0, 1)
    with np.errstate(invalid="ignore"), np.testing.suppress_warnings() as warnings:
        warnings.filter(RuntimeWarning)
        return np.asarray(np.nanmean(rwg, axis=1), dtype=float)
