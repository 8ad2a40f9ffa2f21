"""Drivers of measured adoption: the survey's divisions joined to measured adoption's divisions,
and which dimensions (and items) matter more for each division's measured use.

The join
    A survey division and a measured division are the same people when the user says so: a
    :class:`DivisionMap` pairs names ("Sales" -> "Sales & Marketing"); names left out of it are
    paired automatically when they are equal, or equal ignoring case and spaces, and only then
    one to one (:func:`match_divisions`). Both sides are the groups each shows: a division under
    the minimum group size is merged into "other divisions" before anything here sees it, and
    "other divisions" (different people on each side) and "all staff" are never paired.
The outcome of a division
    - **latest share**: its monthly active share (0-1) in the last month with one;
    - **growth**: the slope of its fitted curve at that month, in share (0-1) per year. The curve
      is the product's fit of the division's months (the model with the best AIC, as ``readiness
      fit --model auto``). A series that cannot be fitted falls back to the slope of a straight
      line through its last :data:`LINE_MONTHS` months (``growth_basis`` says which), and to none
      with fewer than :data:`MIN_LINE_MONTHS` months.
The weights
    Johnson's relative weights (:mod:`~readiness.evidence.weights`) of the three dimension scores
    for each outcome over the paired divisions, with bootstrap intervals over divisions and the
    verdict: under :data:`~readiness.evidence.weights.MIN_UNITS` divisions "too few divisions to
    tell", overlapping intervals "your data cannot tell which matters more", and never a ranking
    the intervals do not support. Items are compared within their dimension (the division means
    of its Likert items, reverse-keyed items reversed) when there are at least
    :data:`DIVISIONS_PER_ITEM` divisions per item; otherwise "too few divisions for items".
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, Self

import numpy as np
import numpy.typing as npt
from pydantic import ValidationError, field_validator, model_validator

from readiness.errors import Frozen, InputError, describe_validation_error
from readiness.evidence.agreement import group_codes
from readiness.evidence.scales import dimension_scales
from readiness.evidence.weights import (
    DEFAULT_RESAMPLES,
    DEFAULT_SEED,
    RelativeWeights,
    relative_weights,
)
from readiness.groups import OTHER_DIVISIONS
from readiness.months import month_midpoint
from readiness.safe_output import FORMULA_PREFIXES, terminal_safe, write_csv

if TYPE_CHECKING:
    import pandas as pd

    from readiness.answers import RespondentTable
    from readiness.groups import GroupMerge
    from readiness.questionnaire import Questionnaire
    from readiness.rules import RuleBook
    from readiness.usage import MeasuredAdoption

FloatArray = npt.NDArray[np.float64]
Side = Literal["survey", "measured"]
Outcome = Literal["latest share", "growth"]
OUTCOMES: tuple[Outcome, ...] = ("latest share", "growth")
OUTCOME_LABELS: dict[Outcome, str] = {
    "latest share": "Latest monthly active share",
    "growth": "Growth of the fitted curve",
}

#: The whole organization's group in measured adoption (``readiness.usage.ALL_STAFF``).
ALL_STAFF = "all staff"
#: Groups that are never one division: paired with nothing.
UNPAIRED_GROUPS = (OTHER_DIVISIONS, ALL_STAFF)
#: Longest division name a map may hold (characters).
MAX_NAME_LENGTH = 200
#: Divisions needed per item before items are weighed within a dimension.
DIVISIONS_PER_ITEM = 3
#: Months of the straight line a series that cannot be fitted falls back to.
LINE_MONTHS = 6
MIN_LINE_MONTHS = 3
#: Half the step of the numerical slope of a fitted curve (years: half a month).
SLOPE_STEP = 1.0 / 24.0
#: The columns of a division map's CSV form.
CSV_HEADER = ("survey division", "measured division")
#: Unicode controls that reorder how a line is displayed ("Trojan source").
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


# --- the division-name map ----------------------------------------------------------------------


def shown_name(name: str) -> str:
    """A name as a message quotes it: control characters escaped, long names shortened."""
    text = terminal_safe(name, single_line=True)
    return repr(text if len(text) <= 60 else f"{text[:40]}...{text[-12:]}")


def name_problem(name: object) -> str | None:
    """Why ``name`` cannot be a division name in a map, or None: empty, too long, a control
    character (a terminal or a spreadsheet would act on it), or a group that is never one
    division ("other divisions", "all staff")."""
    if not isinstance(name, str):
        return "must be text"
    if not name.strip():
        return "is empty"
    if len(name) > MAX_NAME_LENGTH:
        return f"is longer than {MAX_NAME_LENGTH} characters"
    if any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F or c in _BIDI_CONTROLS for c in name):
        return "holds a control character"
    if name_key(name) in UNPAIRED_GROUPS:
        return "is a merged group or the whole organization, never one division"
    return None


def name_key(name: str) -> str:
    """A division name compared ignoring case and runs of spaces."""
    return " ".join(name.split()).casefold()


class DivisionPair(Frozen):
    """One survey division and the measured division of the same people."""

    survey: str
    measured: str

    @field_validator("survey", "measured", mode="before")
    @classmethod
    def _check_name(cls, value: object, info: Any) -> object:
        problem = name_problem(value)
        if problem is not None:
            shown = shown_name(value) if isinstance(value, str) else repr(value)
            raise ValueError(f"{info.field_name} division {shown} {problem}")
        return value


class DivisionMap(Frozen):
    """Survey division -> measured division, as the user pairs them; one to one (a division on
    either side appears once). Kept with the assessment as JSON (:meth:`to_json`), edited as a
    CSV of two columns (:data:`CSV_HEADER`, :meth:`to_csv`)."""

    pairs: tuple[DivisionPair, ...] = ()

    @model_validator(mode="after")
    def _one_to_one(self) -> Self:
        for side in ("survey", "measured"):
            seen: set[str] = set()
            for pair in self.pairs:
                name = getattr(pair, side)
                if name in seen:
                    raise ValueError(f"{side} division {shown_name(name)} is paired more than once")
                seen.add(name)
        return self

    def measured_for(self, survey: str) -> str | None:
        """The measured division paired with the survey division ``survey``, if any."""
        return next((p.measured for p in self.pairs if p.survey == survey), None)

    def as_dict(self) -> dict[str, str]:
        """Survey division -> measured division."""
        return {p.survey: p.measured for p in self.pairs}

    # --- file forms ------------------------------------------------------------------------

    def to_json(self) -> str:
        """The map as JSON (``{"pairs": [{"survey": ..., "measured": ...}]}``)."""
        return self.model_dump_json(indent=2)

    @classmethod
    def from_json(cls, text: str, name: str = "division map") -> DivisionMap:
        """A map from its JSON form; :class:`InputError` naming ``name`` and the pair."""
        try:
            data = json.loads(text)
        except (json.JSONDecodeError, RecursionError) as error:
            raise InputError(f"{name}: not valid JSON ({error})") from None
        try:
            return cls.model_validate(data)
        except ValidationError as error:
            raise InputError(describe_validation_error(error, name, data)) from None

    def to_csv(self) -> str:
        """The map as CSV text: the header :data:`CSV_HEADER`, then one pair a row (cells a
        spreadsheet would run as a formula are written as text, and read back as written)."""
        return write_csv([CSV_HEADER, *((p.survey, p.measured) for p in self.pairs)])

    @classmethod
    def from_csv(cls, text: str, name: str = "division map") -> DivisionMap:
        """A map from its CSV form (header :data:`CSV_HEADER`, case and surrounding spaces
        ignored); every problem at once, by row (the header is row 1) and side."""
        try:
            rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
        except csv.Error as error:
            raise InputError(f"{name}: not a valid CSV file ({error})") from None
        if not rows:
            raise InputError(f"{name}: no header row (expected {', '.join(CSV_HEADER)})")
        header = [name_key(cell) for cell in rows[0]]
        missing = [column for column in CSV_HEADER if column not in header]
        if missing:
            raise InputError(
                f"{name}: row 1: missing column(s) {', '.join(missing)}; expected"
                f" {', '.join(CSV_HEADER)}"
            )
        columns = [header.index(column) for column in CSV_HEADER]
        problems: list[str] = []
        pairs: list[DivisionPair] = []
        for number, row in enumerate(rows[1:], start=2):
            if not any(cell.strip() for cell in row):
                continue
            cells = [_written(row[c]) if c < len(row) else "" for c in columns]
            try:
                pairs.append(DivisionPair(survey=cells[0], measured=cells[1]))
            except ValidationError as error:
                problems.extend(describe_validation_error(error, name, row=number))
        if problems:
            raise InputError(problems)
        try:
            return cls(pairs=tuple(pairs))
        except ValidationError as error:
            raise InputError(describe_validation_error(error, name)) from None

    # --- against the data ----------------------------------------------------------------

    def check(
        self,
        survey_names: Iterable[str],
        measured_names: Iterable[str],
        source: str = "division map",
    ) -> None:
        """:class:`InputError` naming every paired name that is not a division shown on its
        side (which name, which side); a division merged for anonymity is not shown."""
        sides: dict[Side, set[str]] = {"survey": set(survey_names), "measured": set(measured_names)}
        problems = []
        for number, pair in enumerate(self.pairs, start=1):
            for side in ("survey", "measured"):
                value = getattr(pair, side)
                if value not in sides[side]:
                    listed = ", ".join(shown_name(n) for n in sorted(sides[side])[:10]) or "none"
                    more = " ..." if len(sides[side]) > 10 else ""
                    problems.append(
                        f"{source}: pair #{number}: {side} division {shown_name(value)} is not"
                        f" among the {side} divisions shown ({listed}{more}); divisions under the"
                        " minimum group size are merged for anonymity and cannot be paired"
                    )
        if problems:
            raise InputError(problems)


def _written(cell: str) -> str:
    """A CSV cell as the user wrote it: the ``'`` that :func:`~readiness.safe_output.write_csv`
    puts before text a spreadsheet would run is taken off again."""
    if cell.startswith("'") and cell[1:].lstrip(" \"'").startswith(FORMULA_PREFIXES):
        return cell[1:]
    return cell


@dataclass(frozen=True)
class DivisionMatch:
    """Which divisions are paired: ``names`` is the map in use (the user's pairs, then those
    found automatically), ``suggested`` the automatic ones with how each was found ("same name"
    or "same name ignoring case and spaces"), and the divisions of each side left unpaired."""

    names: DivisionMap
    suggested: tuple[tuple[DivisionPair, str], ...]
    unpaired_survey: tuple[str, ...]
    unpaired_measured: tuple[str, ...]

    def describe(self) -> str:
        """The match in words (names quoted as text, control characters escaped)."""
        paired = len(self.names.pairs)
        parts = [f"{paired} division{'s' if paired != 1 else ''} paired"]
        found = len(self.suggested)
        if found:
            parts.append(f"{found} of them by name")
        if self.unpaired_survey:
            parts.append(
                "survey divisions without a measured one: "
                + ", ".join(shown_name(n) for n in self.unpaired_survey)
            )
        if self.unpaired_measured:
            parts.append(
                "measured divisions without a survey one: "
                + ", ".join(shown_name(n) for n in self.unpaired_measured)
            )
        return "; ".join(parts) + "."


def match_divisions(
    survey_names: Sequence[str],
    measured_names: Sequence[str],
    names: DivisionMap | None = None,
) -> DivisionMatch:
    """Pair the survey's divisions with measured adoption's (both as shown, after merging):
    the user's ``names`` first (checked: :meth:`DivisionMap.check`), then the rest by the same
    name, then by the same name ignoring case and spaces when that pairs exactly one with one.
    "other divisions" and "all staff" are never paired."""
    given = names or DivisionMap()
    survey = [n for n in survey_names if name_key(n) not in UNPAIRED_GROUPS]
    measured = [n for n in measured_names if name_key(n) not in UNPAIRED_GROUPS]
    given.check(survey, measured)
    taken_survey = {p.survey for p in given.pairs}
    taken_measured = {p.measured for p in given.pairs}
    free_survey = [n for n in survey if n not in taken_survey]
    free_measured = [n for n in measured if n not in taken_measured]
    suggested: list[tuple[DivisionPair, str]] = []
    for name in list(free_survey):
        if name in free_measured and name_problem(name) is None:
            suggested.append((DivisionPair(survey=name, measured=name), "same name"))
            free_survey.remove(name)
            free_measured.remove(name)
    for name in list(free_survey):
        same = [m for m in free_measured if name_key(m) == name_key(name)]
        rivals = [s for s in free_survey if name_key(s) == name_key(name)]
        if len(same) == 1 and len(rivals) == 1 and name_problem(same[0]) is None:
            if name_problem(name) is not None:
                continue
            pair = DivisionPair(survey=name, measured=same[0])
            suggested.append((pair, "same name ignoring case and spaces"))
            free_survey.remove(name)
            free_measured.remove(same[0])
    return DivisionMatch(
        names=DivisionMap(pairs=(*given.pairs, *(pair for pair, _ in suggested))),
        suggested=tuple(suggested),
        unpaired_survey=tuple(free_survey),
        unpaired_measured=tuple(free_measured),
    )


# --- the survey's side ------------------------------------------------------------------------


@dataclass(frozen=True)
class SurveyDivision:
    """One group the survey shows: its respondents, dimension scores (0-100, None when
    insufficient) with their standard errors (points: the respondents' spread over the square
    root of their number; None under two scores) and the mean of each scale item (agreement
    1-5, reverse-keyed items reversed, None when nobody answered)."""

    name: str
    respondents: int
    scores: Mapping[str, float | None]
    items: Mapping[str, float | None]
    score_errors: Mapping[str, float | None] = field(default_factory=dict)


@dataclass(frozen=True)
class SurveyDivisions:
    """The survey's groups as every surface shows them (merged by the minimum group size), the
    dimensions' names and each dimension's scale items (ids and labels)."""

    divisions: tuple[SurveyDivision, ...]
    minimum: int
    merge_note: str | None
    dimension_names: Mapping[str, str]
    scale_items: Mapping[str, tuple[str, ...]]
    item_labels: Mapping[str, str]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(d.name for d in self.divisions)

    def division(self, name: str) -> SurveyDivision:
        for division in self.divisions:
            if division.name == name:
                return division
        raise KeyError(name)


def survey_divisions(
    questionnaire: Questionnaire,
    rulebook: RuleBook,
    table: RespondentTable,
    min_group_size: int | None = None,
) -> SurveyDivisions:
    """The survey's groups with the product's group scores (``readiness.scoring``: divisions
    under ``min_group_size`` respondents, default the setting, merged) and their item means
    over the same groups."""
    from readiness.scoring import score_respondents

    good = table.without_bad_rows()
    if len(good) == 0:
        raise InputError("survey: no respondent rows without problems")
    batch = score_respondents(questionnaire, rulebook, good, min_group_size=min_group_size)
    scales = dimension_scales(questionnaire, good)
    errors = _score_errors(batch.respondents, batch.groups, list(batch.divisions))
    item_means: dict[str, dict[str, float | None]] = {name: {} for name in batch.divisions}
    for scale in scales.values():
        _, shown, codes = group_codes(scale.divisions, merge=batch.groups)
        for position, group in enumerate(shown):
            rows = scale.answers[codes == position]
            for column, item in enumerate(scale.item_ids):
                values = rows[:, column]
                values = values[~np.isnan(values)]
                if group in item_means:
                    item_means[group][item] = float(values.mean()) if values.size else None
    divisions = tuple(
        SurveyDivision(
            name=name,
            respondents=group.respondents,
            scores=group.scores.dimension_scores(),
            items=item_means.get(name, {}),
            score_errors=errors.get(name, {}),
        )
        for name, group in batch.divisions.items()
    )
    return SurveyDivisions(
        divisions=divisions,
        minimum=batch.groups.minimum,
        merge_note=batch.groups.note(),
        dimension_names={d.id: d.name for d in questionnaire.dimensions},
        scale_items={dim: scale.item_ids for dim, scale in scales.items()},
        item_labels={
            item: label
            for scale in scales.values()
            for item, label in zip(scale.item_ids, scale.item_labels, strict=True)
        },
    )


def _score_errors(
    respondents: pd.DataFrame, merge: GroupMerge, names: Sequence[str]
) -> dict[str, dict[str, float | None]]:
    """Per group shown and dimension: the standard error of the group's score (points)."""
    dims = [c for c in respondents.columns if c not in ("division", "overall")]
    _, shown, codes = group_codes(respondents["division"].astype(str).to_numpy(), merge=merge)
    out: dict[str, dict[str, float | None]] = {}
    for position, group in enumerate(shown):
        if group not in names:
            continue
        rows = respondents.loc[codes == position, dims].to_numpy(dtype=np.float64)
        out[group] = {}
        for column, dim in enumerate(dims):
            values = rows[:, column]
            values = values[~np.isnan(values)]
            out[group][dim] = (
                float(values.std(ddof=1) / math.sqrt(values.size)) if values.size >= 2 else None
            )
    return out


# --- the measured side and the outcome ----------------------------------------------------------


@dataclass(frozen=True)
class MatchedDivision:
    """One division on both sides: the survey's scores (0-100 by dimension id) and item means
    (1-5), its measured months (``periods`` in decimal years at the month's middle, ``shares``
    0-1, ``roster`` people employed that month) and its outcome (``latest_share`` 0-1,
    ``growth`` in share per year, how the growth was found, and the fit's problem if any)."""

    name: str
    scores: Mapping[str, float | None]
    periods: tuple[float, ...]
    shares: tuple[float, ...]
    roster: tuple[float, ...]
    score_errors: Mapping[str, float | None] = field(default_factory=dict)
    measured_name: str = ""
    respondents: int = 0
    items: Mapping[str, float | None] = field(default_factory=dict)
    months: tuple[str, ...] = ()
    latest_share: float | None = None
    growth: float | None = None
    growth_basis: str = ""
    fit_model: str | None = None
    fit_problem: str | None = None

    def outcome(self, outcome: Outcome) -> float | None:
        return self.latest_share if outcome == "latest share" else self.growth


@dataclass(frozen=True)
class Growth:
    """A series' growth at its last month (share 0-1 per year, None without one), how it was
    found, the fitted model (None for the fallback) and why the fit failed (None if it did not)."""

    value: float | None
    basis: str
    model: str | None = None
    problem: str | None = None


def series_growth(periods: Sequence[float], shares: Sequence[float], name: str) -> Growth:
    """The slope at the last period of the product's fitted curve (``fit_auto``: best AIC),
    share per year; when the series cannot be fitted, the slope of a straight line through the
    last :data:`LINE_MONTHS` points, and nothing under :data:`MIN_LINE_MONTHS` points."""
    from readiness.fitting import HistoryTable, fit_auto, read_observations

    x = np.asarray(periods, dtype=np.float64)
    y = np.asarray(shares, dtype=np.float64)
    problem: str | None = None
    if len(x):
        history = HistoryTable(
            ("period", "value"),
            tuple((f"{a:.6f}", f"{b:.10f}") for a, b in zip(x, y, strict=True)),
        )
        try:
            result = fit_auto(read_observations(history, unit="share", name=name))
        except InputError as error:
            problem = "; ".join(error.problems)
        else:
            ends = result.predict([x[-1] - SLOPE_STEP, x[-1] + SLOPE_STEP], kind="cumulative")
            slope = float((ends[1] - ends[0]) / (2 * SLOPE_STEP))
            return Growth(slope, f"slope of the fitted {result.model} curve", result.model)
    else:
        problem = f"{name}: no measured month"
    if len(x) < MIN_LINE_MONTHS:
        return Growth(None, f"none (fewer than {MIN_LINE_MONTHS} months)", None, problem)
    tail = slice(-LINE_MONTHS, None)
    slope = float(np.polyfit(x[tail], y[tail], 1)[0])
    months = min(len(x), LINE_MONTHS)
    return Growth(slope, f"straight line through the last {months} months", None, problem)


def measured_series(
    measured: MeasuredAdoption, group: str
) -> tuple[tuple[str, ...], tuple[float, ...], tuple[float, ...], tuple[float, ...]]:
    """One group's measured months with a share, in order: months ("2026-03"), periods (decimal
    years), shares (0-1) and roster (people employed that month)."""
    rows = measured.series[measured.series["group"] == group]
    rows = rows.dropna(subset=["share"]).sort_values("month", kind="stable")
    months = tuple(str(m) for m in rows["month"])
    return (
        months,
        tuple(month_midpoint(m) for m in months),
        tuple(float(s) for s in rows["share"]),
        tuple(float(r) for r in rows["roster"]),
    )


def matched_divisions(
    survey: SurveyDivisions, measured: MeasuredAdoption, match: DivisionMatch
) -> tuple[MatchedDivision, ...]:
    """Each paired division with both sides' data and its outcome (in the survey's order)."""
    pairs = match.names.as_dict()
    out = []
    for division in survey.divisions:
        other = pairs.get(division.name)
        if other is None:
            continue
        months, periods, shares, roster = measured_series(measured, other)
        growth = series_growth(periods, shares, other)
        out.append(
            MatchedDivision(
                name=division.name,
                scores=dict(division.scores),
                score_errors=dict(division.score_errors),
                periods=periods,
                shares=shares,
                roster=roster,
                measured_name=other,
                respondents=division.respondents,
                items=dict(division.items),
                months=months,
                latest_share=shares[-1] if shares else None,
                growth=growth.value,
                growth_basis=growth.basis,
                fit_model=growth.model,
                fit_problem=growth.problem,
            )
        )
    return tuple(out)


# --- the weights ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemWeights:
    """The items of one dimension for one outcome: their relative weights when there are at
    least ``needed`` divisions (``weights`` None otherwise) and what that says, in words."""

    dimension: str
    outcome: Outcome
    items: tuple[str, ...]
    needed: int
    weights: RelativeWeights | None
    text: str


@dataclass(frozen=True)
class DriverAnalysis:
    """Which dimensions (and items) matter more for measured adoption in this organization:
    the divisions paired, the relative weights of the dimensions for each outcome, the items'
    within each dimension, and notes (merging, unpaired divisions, fallbacks) in words."""

    match: DivisionMatch
    divisions: tuple[MatchedDivision, ...]
    dimensions: Mapping[Outcome, RelativeWeights]
    items: tuple[ItemWeights, ...]
    dimension_names: Mapping[str, str]
    notes: tuple[str, ...] = ()

    def sentences(self) -> list[str]:
        """The verdict for each outcome, then the items', in words."""
        lines = [f"{OUTCOME_LABELS[o]}: {w.verdict.text}" for o, w in self.dimensions.items()]
        names = self.dimension_names
        lines.extend(
            f"{OUTCOME_LABELS[i.outcome]}, items of {names.get(i.dimension, i.dimension)}: {i.text}"
            for i in self.items
        )
        return lines


def _outcome_values(divisions: Sequence[MatchedDivision], outcome: Outcome) -> FloatArray:
    return np.array(
        [np.nan if (v := d.outcome(outcome)) is None else v for d in divisions], dtype=np.float64
    )


def _score_matrix(
    divisions: Sequence[MatchedDivision], keys: Sequence[str], items: bool
) -> FloatArray:
    def value(d: MatchedDivision, key: str) -> float:
        v = (d.items if items else d.scores).get(key)
        return np.nan if v is None else float(v)

    return np.array([[value(d, k) for k in keys] for d in divisions], dtype=np.float64).reshape(
        len(divisions), len(keys)
    )


def item_weights(
    divisions: Sequence[MatchedDivision],
    dimension: str,
    items: Sequence[str],
    labels: Mapping[str, str],
    outcome: Outcome,
    *,
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
) -> ItemWeights:
    """The relative weights of one dimension's ``items`` for ``outcome``, or why not: fewer
    than :data:`DIVISIONS_PER_ITEM` divisions per item is "too few divisions for items"."""
    needed = DIVISIONS_PER_ITEM * len(items)
    x = _score_matrix(divisions, items, items=True)
    y = _outcome_values(divisions, outcome)
    complete = int((np.isfinite(x).all(axis=1) & np.isfinite(y)).sum())
    if len(items) < 2 or complete < needed:
        why = (
            "one item: nothing to compare"
            if len(items) < 2
            else f"too few divisions for items ({complete}; at least {needed} are needed for"
            f" {len(items)} items)"
        )
        return ItemWeights(
            dimension, outcome, tuple(items), needed, None, why[0].upper() + why[1:] + "."
        )
    weights = relative_weights(
        x, y, [labels.get(i, i) for i in items], resamples=resamples, seed=seed
    )
    return ItemWeights(dimension, outcome, tuple(items), needed, weights, weights.verdict.text)


def measured_drivers(
    survey: SurveyDivisions,
    measured: MeasuredAdoption,
    names: DivisionMap | None = None,
    *,
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
) -> DriverAnalysis:
    """Pair the divisions (:func:`match_divisions`), compute each one's outcome and the relative
    weights of the dimensions (and items) for each outcome, with intervals from ``resamples``
    bootstrap resamples of the divisions (seeded: the same data give the same intervals)."""
    match = match_divisions(survey.names, measured.divisions, names)
    divisions = matched_divisions(survey, measured, match)
    return drivers_of(
        divisions,
        match,
        survey.dimension_names,
        survey.scale_items,
        survey.item_labels,
        notes=_notes(survey, measured, match, divisions),
        resamples=resamples,
        seed=seed,
    )


def drivers_of(
    divisions: Sequence[MatchedDivision],
    match: DivisionMatch,
    dimension_names: Mapping[str, str],
    scale_items: Mapping[str, Sequence[str]],
    item_labels: Mapping[str, str],
    *,
    notes: Sequence[str] = (),
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
) -> DriverAnalysis:
    """The weights of already paired divisions (see :func:`measured_drivers`)."""
    dims = list(dimension_names)
    x = _score_matrix(divisions, dims, items=False)
    names = [dimension_names[d] for d in dims]
    dimensions = {
        outcome: relative_weights(
            x, _outcome_values(divisions, outcome), names, resamples=resamples, seed=seed
        )
        for outcome in OUTCOMES
    }
    items = tuple(
        item_weights(
            divisions,
            dim,
            list(scale_items[dim]),
            item_labels,
            outcome,
            resamples=resamples,
            seed=seed,
        )
        for outcome in OUTCOMES
        for dim in dims
        if dim in scale_items
    )
    return DriverAnalysis(
        match, tuple(divisions), dimensions, items, dict(dimension_names), tuple(notes)
    )


def _notes(
    survey: SurveyDivisions,
    measured: MeasuredAdoption,
    match: DivisionMatch,
    divisions: Sequence[MatchedDivision],
) -> tuple[str, ...]:
    notes = [match.describe()]
    if survey.merge_note:
        notes.append(f"Survey: {survey.merge_note}")
    if measured.merged:
        notes.append(
            f"Measured adoption: {len(measured.merged)} divisions merged into"
            f" '{OTHER_DIVISIONS}' (fewer than {measured.min_group} people)."
        )
    notes.append(f"'{OTHER_DIVISIONS}' is never paired: on each side it holds different people.")
    fallback = [d for d in divisions if d.fit_problem is not None]
    if fallback:
        notes.append(
            f"{len(fallback)} division{'s' if len(fallback) != 1 else ''} could not be fitted;"
            " their growth is a straight line through their last months, or none: "
            + ", ".join(shown_name(d.name) for d in fallback)
        )
    return tuple(notes)


__all__ = [
    "CSV_HEADER",
    "DIVISIONS_PER_ITEM",
    "OUTCOMES",
    "DivisionMap",
    "DivisionMatch",
    "DivisionPair",
    "DriverAnalysis",
    "Growth",
    "ItemWeights",
    "MatchedDivision",
    "SurveyDivision",
    "SurveyDivisions",
    "drivers_of",
    "item_weights",
    "match_divisions",
    "matched_divisions",
    "measured_drivers",
    "measured_series",
    "name_problem",
    "series_growth",
    "survey_divisions",
]
