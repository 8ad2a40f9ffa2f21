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

import os
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cache, cached_property
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
from readiness.errors import Frozen, InputError
from readiness.groups import OTHER_DIVISIONS, GroupMerge, merge_small_groups
from readiness.levers import LeverMapping, biggest_lever
from readiness.questionnaire import LIKERT_POINTS, Questionnaire
from readiness.rules import (
    AnswerValue,
    Facts,
    RuleBook,
    Stage,
    denies,
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
    weakest: str | None = Field(description="The dimension with the lowest score")
    lever: str | None = Field(
        default=None,
        description="The biggest lever: the dimension whose rise brings the material change "
        "earliest in the organization's projection (readiness.organization)",
    )
    barrier: bool = Field(description="The biggest lever scores below the barrier threshold")
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


def index_text(overall: float | None) -> str:
    """The overall index as people read it, exactly the value its stage was chosen by (2
    decimals, trailing zeros dropped: "44.6", never "45" for a stage "below 45")."""
    return "n/a" if overall is None else f"{round(overall, 2):g}"


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


@dataclass(frozen=True)
class ColumnPlan:
    """How one item's raw column is scored.

    Discrete items (likert, choice, checklist) are scored by table look-up: the raw value plus
    ``offset`` is a small integer code, 0 meaning unanswered. Number items are scored linearly
    from ``zero`` to ``zero + span``, clipped to 0..1.
    """

    column: int
    dimension: int  # index into the questionnaire's dimensions; -1 for context items
    weight: float
    discrete: bool
    offset: float = 0.0
    scores: FloatArray = field(default_factory=lambda: np.empty(0))  # per code, NaN at code 0
    zero: float = 0.0
    span: float = 1.0

    @property
    def codes(self) -> int:
        """Number of distinct codes of a discrete item (unanswered included)."""
        return len(self.scores)

    @cached_property
    def weighted_scores(self) -> FloatArray:
        """Weight x item score per code; 0 for unanswered (code 0)."""
        return np.asarray(self.weight * np.nan_to_num(self.scores, nan=0.0), dtype=np.float64)

    @cached_property
    def answered_weights(self) -> FloatArray:
        """The item's weight per code when answered; 0 for unanswered (code 0)."""
        table = np.full(self.codes, self.weight)
        table[0] = 0.0
        return table


@dataclass(frozen=True)
class ScoringPlan:
    """The questionnaire compiled into arrays for vectorised scoring."""

    questionnaire: Questionnaire
    columns: tuple[ColumnPlan, ...]
    min_answered: FloatArray  # (dimensions,) answered items needed for a score

    @property
    def dimension_ids(self) -> list[str]:
        return [d.id for d in self.questionnaire.dimensions]

    def items_in(self, dimension: int) -> int:
        """Number of scored items of a dimension (by index)."""
        return sum(1 for c in self.columns if c.dimension == dimension)


@cache
def compile_plan(questionnaire: Questionnaire) -> ScoringPlan:
    """Compile the questionnaire's items into look-up tables and linear maps."""
    dims = [d.id for d in questionnaire.dimensions]
    columns: list[ColumnPlan] = []
    for column, item in enumerate(questionnaire.items):
        dimension = dims.index(item.dimension) if item.scored and item.dimension else -1
        weight = item.weight if item.scored else 0.0
        if item.kind == "number":
            assert item.zero is not None
            assert item.full is not None
            columns.append(
                ColumnPlan(
                    column, dimension, weight, False, zero=item.zero, span=item.full - item.zero
                )
            )
            continue
        if item.kind == "likert":
            scale = np.arange(1, LIKERT_POINTS + 1, dtype=float)
            table = (scale - 1) / (LIKERT_POINTS - 1)
            offset = 0.0
            if item.reverse:
                table = 1 - table
        else:
            option_scores = np.array(
                [o.score if o.score is not None else np.nan for o in item.options]
            )
            offset = 1.0
            if item.kind == "choice":
                table = option_scores
            else:
                masks = np.arange(2 ** len(item.options))
                bits = (masks[:, None] >> np.arange(len(item.options))) & 1
                table = (bits @ np.nan_to_num(option_scores)) / np.nansum(option_scores)
        columns.append(
            ColumnPlan(column, dimension, weight, True, offset, np.concatenate([[np.nan], table]))
        )
    counts = np.bincount(
        [c.dimension for c in columns if c.dimension >= 0], minlength=len(dims)
    ).astype(float)
    return ScoringPlan(questionnaire, tuple(columns), np.ceil(counts / 2))


def _codes(plan: ColumnPlan, values: FloatArray) -> npt.NDArray[np.intp]:
    """Look-up codes of a discrete column: value + offset, 0 where unanswered (NaN)."""
    shifted = values + plan.offset if plan.offset else values
    return np.fmax(shifted, 0).astype(np.intp)  # fmax maps NaN to 0


def item_scores(plan: ScoringPlan, raw: FloatArray) -> FloatArray:
    """Item scores 0-1 (NaN when unanswered) for a raw matrix of shape (respondents, items)."""
    scores = np.empty(raw.shape, order="F")
    for column in plan.columns:
        values = raw[:, column.column]
        if column.discrete:
            scores[:, column.column] = column.scores[_codes(column, values)]
        else:
            scores[:, column.column] = np.clip((values - column.zero) / column.span, 0, 1)
    return scores


#: Threads that score a large table side by side (at most the machine's cores).
SCORING_THREADS = min(4, os.cpu_count() or 1)
#: Rows scored at a time: small enough that a chunk's temporaries stay in the CPU cache.
CHUNK_ROWS = 65536


def _chunks(rows: int) -> list[slice]:
    return [slice(start, min(rows, start + CHUNK_ROWS)) for start in range(0, rows, CHUNK_ROWS)]


def dimension_matrix(plan: ScoringPlan, raw: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Dimension scores 0-100 (NaN when insufficient) and answered counts, per respondent."""
    return _score_rows(plan, raw, None)


def _score_rows(
    plan: ScoringPlan, raw: FloatArray, groups: _GroupSums | None
) -> tuple[FloatArray, FloatArray]:
    """Score rows chunk by chunk; when ``groups`` is given, add each chunk's group statistics.

    The chunks of a large table are shared out between worker threads (numpy releases the GIL
    in its loops); each worker writes its own rows and collects its own group sums, which are
    added up at the end.
    """
    rows, dims = raw.shape[0], len(plan.min_answered)
    result = np.empty((rows, dims))
    counts = np.empty((rows, dims))
    chunks = _chunks(rows)
    workers = min(SCORING_THREADS, len(chunks) // 4) if len(chunks) >= 8 else 1
    if workers <= 1:
        _score_chunks(plan, raw, chunks, groups, result, counts)
        return result, counts
    runs = [chunks[k::workers] for k in range(workers)]
    partial = [groups.empty_like() if groups is not None else None for _ in runs]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for future in [
            pool.submit(_score_chunks, plan, raw, run, sums, result, counts)
            for run, sums in zip(runs, partial, strict=True)
        ]:
            future.result()
    if groups is not None:
        for sums in partial:
            assert sums is not None
            groups.add(sums)
    return result, counts


def _score_chunks(
    plan: ScoringPlan,
    raw: FloatArray,
    chunks: list[slice],
    groups: _GroupSums | None,
    result: FloatArray,
    counts: FloatArray,
) -> None:
    """Score the rows of ``chunks`` into ``result`` and ``counts`` (rows x dimensions).

    Each dimension score is the sum of weight x item score over answered items, divided by the
    sum of the answered items' weights (the weighted maximum of the answered items).
    """
    dims = len(plan.min_answered)
    for chunk in chunks:
        part = raw[chunk]
        size = part.shape[0]
        numerator = np.zeros((dims, size))
        denominator = np.zeros((dims, size))
        answered = np.zeros((dims, size))
        for column in plan.columns:
            values = part[:, column.column]
            if column.discrete:
                codes = _codes(column, values)
                if groups is not None:
                    groups.add_codes(column.column, codes, chunk, column.codes)
                if column.dimension < 0:
                    continue
                k = column.dimension
                numerator[k] += column.weighted_scores[codes]
                denominator[k] += column.answered_weights[codes]
                answered[k] += codes > 0
            else:
                present = ~np.isnan(values)
                if groups is not None:
                    groups.add_number(column.column, values, present, chunk)
                if column.dimension < 0:
                    continue
                score = np.clip((values - column.zero) / column.span, 0, 1)
                score[~present] = 0.0
                k = column.dimension
                numerator[k] += column.weight * score
                denominator[k] += column.weight * present
                answered[k] += present
        enough = (answered >= plan.min_answered[:, None]) & (denominator > 0)
        with np.errstate(invalid="ignore", divide="ignore"):
            scores = np.where(enough, 100 * numerator / denominator, np.nan)
        result[chunk] = scores.T
        counts[chunk] = answered.T
        if groups is not None:
            groups.add_dimensions(scores, answered, chunk)


def dimension_weights(
    questionnaire: Questionnaire, weights: Mapping[str, float] | None = None
) -> FloatArray:
    """Dimension weights for the overall index: the data file's, overridden by ``weights``."""
    weights = weights or {}
    unknown = sorted(set(weights) - {d.id for d in questionnaire.dimensions})
    if unknown:
        raise InputError(f"dimension weights: unknown dimension {', '.join(unknown)}")
    result = np.array([float(weights.get(d.id, d.weight)) for d in questionnaire.dimensions])
    if not np.isfinite(result).all() or (result < 0).any() or result.sum() <= 0:
        raise InputError(
            "dimension weights: each must be a finite number, zero or more, and not all zero"
        )
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
    mapping: LeverMapping | None = None,
) -> Scores:
    """Everything that follows from one set of answers and its dimension scores; the lever and
    barrier from ``mapping`` (the lever mapping in use; default ``data/levers.yaml``)."""
    plan = compile_plan(questionnaire)
    overall = _optional(float(overall_index(dimension_values[None, :], weights)[0]))
    details = tuple(
        DimensionScore(
            id=dim.id,
            name=dim.name,
            score=_optional(float(dimension_values[k])),
            answered=int(answered_counts[k]),
            items=plan.items_in(k),
            weight=float(weights[k]),
        )
        for k, dim in enumerate(questionnaire.dimensions)
    )
    scored = [d for d in details if d.score is not None]
    weakest = min(scored, key=lambda d: d.score or 0.0) if scored else None
    # the biggest lever and the barrier come from the growth model every page projects with
    lever, barrier = biggest_lever({d.id: d.score for d in details}, answers, rulebook, mapping)
    # the stage follows the overall index as reported (2 decimals), so 24.996 is stage 2 at 25
    stage = rulebook.stage_for(None if overall is None else round(overall, 2))
    facts = Facts(
        answers=answers,
        dimensions={d.id: d.score for d in details},
        stage=stage.level if stage else None,
        weakest=weakest.id if weakest else None,
        lever=lever,
        barrier=barrier,
    )
    org_model, org_reason = _org_model(questionnaire, rulebook, facts)
    facts = Facts(
        answers=facts.answers,
        dimensions=facts.dimensions,
        stage=facts.stage,
        weakest=facts.weakest,
        lever=facts.lever,
        barrier=facts.barrier,
        org_model=org_model,
    )
    # most urgent first (data-file order within a priority), never two that contradict
    fired = [
        Recommendation(
            id=rule.id,
            title=rule.title,
            advice=rule.advice,
            reason="; ".join(describe(c, facts, questionnaire) for c in rule.when),
            priority=rule.priority,
            source=rule.source,
        )
        for rule in rulebook.advice_for(facts)
    ]
    return Scores(
        overall=overall,
        stage=stage,
        dimensions=details,
        weakest=weakest.id if weakest else None,
        lever=lever,
        barrier=barrier,
        org_model=org_model,
        org_model_reason=org_reason,
        recommendations=tuple(fired),
    )


SELF_REPORTED_ORG_MODEL = "cx_org_model"


def _org_model(
    questionnaire: Questionnaire, rulebook: RuleBook, facts: Facts
) -> tuple[str | None, str | None]:
    """The organization model to show and why: the self-reported one unless another answer
    denies what its description claims (then none, and the reason names those answers),
    otherwise the first inference rule that holds."""
    reported = facts.answers.get(SELF_REPORTED_ORG_MODEL)
    model = rulebook.org_model(reported) if isinstance(reported, str) else None
    if model is not None:
        denied = [c for c in model.asserts if denies(c, facts)]
        if not denied:
            return model.id, "as answered"
        answers = "; ".join(describe(c, facts, questionnaire) for c in denied)
        return None, f"answered {model.name}, but other answers contradict it ({answers})"
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
    mapping: LeverMapping | None = None,
) -> Scores:
    """Score one assessment's answers (JSON-like values keyed by item id); its lever, barrier
    and advice follow ``mapping``, the lever mapping in use
    (:func:`readiness.evidence.choice.mapping_in_use`; default ``data/levers.yaml``).

    Raises :class:`InputError` on unknown item ids or bad values.
    """
    rulebook.check_against(questionnaire)
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
        mapping,
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
    """Scores of a respondents table: per respondent, per group of divisions and overall.

    ``divisions`` holds the groups shown (:mod:`readiness.groups`): divisions with at least the
    minimum, then "other divisions"; none when everyone together is under the minimum."""

    respondents: pd.DataFrame  # division, one column per dimension, overall (never shown)
    divisions: dict[str, GroupScores]
    overall: GroupScores
    groups: GroupMerge

    def to_json(self) -> dict[str, Any]:
        return {
            "overall": self.overall.to_json(),
            "divisions": {name: group.to_json() for name, group in self.divisions.items()},
            "min_group_size": self.groups.minimum,
            "groups_note": self.groups.note(),
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
    min_group_size: int | None = None,
) -> BatchScores:
    """Score every respondent, then aggregate per group of divisions and overall (no per-row
    loop). Divisions under ``min_group_size`` respondents (default: the setting
    READINESS_MIN_GROUP_SIZE) are merged by the rule of :mod:`readiness.groups`; the overall
    scores are everyone's.

    A group's dimension score is the mean of its respondents' dimension scores (respondents
    without a score for that dimension are left out); its recommendations and organization
    model follow from its aggregated answers (mean agreement or number, most frequent choice,
    checklist options ticked by at least half).
    """
    if table.problems:
        raise InputError(table.problems)
    if len(table) == 0:
        raise InputError("respondents: no respondent rows")
    rulebook.check_against(questionnaire)
    plan = compile_plan(questionnaire)
    dim_weights = dimension_weights(questionnaire, weights)
    merge, names, codes = _merged_codes(table, min_group_size)
    # Rows of divisions shown nowhere (code len(names)) count in everyone only.
    sums = _GroupSums(plan, np.where(codes < 0, len(names), codes), len(names) + 1)
    dims, _ = _score_rows(plan, table.raw, sums)
    frame = pd.DataFrame(dims, columns=plan.dimension_ids, copy=False)
    divisions = pd.Categorical.from_codes(table.division_codes, pd.Index(table.division_names))
    frame.insert(0, "division", pd.Series(divisions))
    frame["overall"] = overall_index(dims, dim_weights)

    def group(name: str, stats: _GroupStats, position: int) -> GroupScores:
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

    per_division = sums.finish()
    everyone = sums.combined().finish()
    return BatchScores(
        respondents=frame,
        divisions={names[k]: group(names[k], per_division, k) for k in range(len(names))},
        overall=group("All respondents", everyone, 0),
        groups=merge,
    )


def _merged_codes(
    table: RespondentTable, minimum: int | None
) -> tuple[GroupMerge, list[str], npt.NDArray[np.intp]]:
    """The merge of the table's divisions, the groups shown (kept divisions by name, then
    "other divisions") and each row's group (-1: in no group, everyone only)."""
    divisions = table.division_names
    sizes = np.bincount(table.division_codes, minlength=len(divisions))
    merge = merge_small_groups(
        {name: int(size) for name, size in zip(divisions, sizes, strict=True) if size},
        minimum,
    )
    labels = merge.labels
    names = sorted(labels.values())
    if merge.merged:
        names.append(OTHER_DIVISIONS)
    position = {name: k for k, name in enumerate(names)}
    target = np.array(
        [position.get(merge.group_of(name) or "", -1) for name in divisions], dtype=np.intp
    )
    return merge, names, target[table.division_codes] if len(target) else table.division_codes


@dataclass(frozen=True)
class _GroupStats:
    sizes: FloatArray
    answers: FloatArray  # aggregated raw answers, groups x items
    dimensions: FloatArray  # mean dimension scores, groups x dimensions
    answered: FloatArray  # mean answered items per dimension, groups x dimensions
    agreement: FloatArray  # mean r_wg, groups


class _GroupSums:
    """Sufficient statistics per group, added up chunk by chunk; groups combine by addition.

    Discrete items keep a histogram of codes per group (from which means, variances, modes and
    tick counts follow exactly); number items keep sums and counts.
    """

    def __init__(self, plan: ScoringPlan, codes: npt.NDArray[np.intp], groups: int) -> None:
        self.plan = plan
        self.codes = codes
        self.groups = groups
        self.sizes = np.bincount(codes, minlength=groups).astype(np.float64)
        dims = len(plan.min_answered)
        self.histograms: dict[int, FloatArray] = {
            c.column: np.zeros((groups, c.codes)) for c in plan.columns if c.discrete
        }
        self.number_sums: dict[int, FloatArray] = {}
        self.number_counts: dict[int, FloatArray] = {}
        for c in plan.columns:
            if not c.discrete:
                self.number_sums[c.column] = np.zeros(groups)
                self.number_counts[c.column] = np.zeros(groups)
        self.dim_sums = np.zeros((groups, dims))
        self.dim_counts = np.zeros((groups, dims))
        self.answered_sums = np.zeros((groups, dims))
        self._offsets_key: tuple[int | None, int] | None = None
        self._offsets_value = np.empty(0, dtype=np.intp)

    def _bincount(self, chunk: slice, weights: FloatArray | npt.NDArray[np.bool_]) -> FloatArray:
        counts = np.bincount(self.codes[chunk], weights=weights, minlength=self.groups)
        return np.asarray(counts, dtype=np.float64)

    def add_codes(
        self, column: int, codes: npt.NDArray[np.intp], chunk: slice, domain: int
    ) -> None:
        index = self._offsets(chunk, domain) + codes
        counts = np.bincount(index, minlength=self.groups * domain)
        self.histograms[column] += counts.reshape(self.groups, domain)

    def _offsets(self, chunk: slice, domain: int) -> npt.NDArray[np.intp]:
        """group x domain for the rows of ``chunk``: where each row's histogram starts (kept
        for the chunk, since most items share a domain: every likert item has 6 codes)."""
        key = (chunk.start, domain)
        if self._offsets_key != key:
            self._offsets_key = key
            self._offsets_value = self.codes[chunk] * domain
        return self._offsets_value

    def add_number(
        self, column: int, values: FloatArray, present: npt.NDArray[np.bool_], chunk: slice
    ) -> None:
        self.number_sums[column] += self._bincount(chunk, np.where(present, values, 0.0))
        self.number_counts[column] += self._bincount(chunk, present)

    def add_dimensions(self, scores: FloatArray, answered: FloatArray, chunk: slice) -> None:
        """``scores`` and ``answered`` are dimensions x rows of one chunk."""
        for k in range(scores.shape[0]):
            present = ~np.isnan(scores[k])
            self.dim_sums[:, k] += self._bincount(chunk, np.where(present, scores[k], 0.0))
            self.dim_counts[:, k] += self._bincount(chunk, present)
            self.answered_sums[:, k] += self._bincount(chunk, answered[k])

    def empty_like(self) -> _GroupSums:
        """Zeroed sums over the same rows and groups (for one worker thread)."""
        return _GroupSums(self.plan, self.codes, self.groups)

    def add(self, other: _GroupSums) -> None:
        """Add another worker's sums over other rows of the same table (sizes are shared)."""
        for column, histogram in other.histograms.items():
            self.histograms[column] += histogram
        for column, total in other.number_sums.items():
            self.number_sums[column] += total
            self.number_counts[column] += other.number_counts[column]
        self.dim_sums += other.dim_sums
        self.dim_counts += other.dim_counts
        self.answered_sums += other.answered_sums

    def combined(self) -> _GroupSums:
        """All groups together, as one group."""
        total = _GroupSums(self.plan, np.zeros(0, dtype=np.intp), 1)
        total.sizes = self.sizes.sum(keepdims=True)
        total.histograms = {c: h.sum(axis=0, keepdims=True) for c, h in self.histograms.items()}
        total.number_sums = {c: v.sum(keepdims=True) for c, v in self.number_sums.items()}
        total.number_counts = {c: v.sum(keepdims=True) for c, v in self.number_counts.items()}
        total.dim_sums = self.dim_sums.sum(axis=0, keepdims=True)
        total.dim_counts = self.dim_counts.sum(axis=0, keepdims=True)
        total.answered_sums = self.answered_sums.sum(axis=0, keepdims=True)
        return total

    def finish(self) -> _GroupStats:
        items = self.plan.questionnaire.items
        answers = np.full((self.groups, len(items)), np.nan)
        rwg: list[FloatArray] = []
        with np.errstate(invalid="ignore", divide="ignore"):
            for column, counts in self.number_counts.items():
                answers[:, column] = self.number_sums[column] / counts
            for column, histogram in self.histograms.items():
                item = items[column]
                tally = histogram[:, 1:]  # code 0 is unanswered
                responses = tally.sum(axis=1)
                if item.kind == "likert":
                    scale = np.arange(1, LIKERT_POINTS + 1, dtype=float)
                    mean = tally @ scale / responses
                    answers[:, column] = mean
                    if item.scored:
                        squares = tally @ scale**2
                        variance = (squares - responses * mean**2) / (responses - 1)
                        variance = np.where(responses > 1, variance, np.nan)
                        rwg.append(np.clip(1 - variance / UNIFORM_LIKERT_VARIANCE, 0, 1))
                elif item.kind == "choice":
                    answers[:, column] = np.where(responses > 0, tally.argmax(axis=1), np.nan)
                else:  # checklist: options ticked by at least half of those who answered
                    options = len(item.options)
                    masks = np.arange(tally.shape[1])
                    bits = ((masks[:, None] >> np.arange(options)) & 1).astype(float)
                    ticked = tally @ bits
                    majority = (2 * ticked >= responses[:, None]) @ (1 << np.arange(options))
                    answers[:, column] = np.where(responses > 0, majority, np.nan)
            if rwg:
                stacked = np.stack(rwg, axis=1)
                usable = ~np.isnan(stacked)
                agreement = np.where(
                    usable.any(axis=1),
                    np.where(usable, stacked, 0).sum(axis=1) / usable.sum(axis=1),
                    np.nan,
                )
            else:
                agreement = np.full(self.groups, np.nan)
            dimensions = np.where(self.dim_counts > 0, self.dim_sums / self.dim_counts, np.nan)
            answered = self.answered_sums / self.sizes[:, None]
        return _GroupStats(
            sizes=self.sizes,
            answers=answers,
            dimensions=dimensions,
            answered=answered,
            agreement=agreement,
        )
