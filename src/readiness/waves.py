"""Survey waves: the same questionnaire answered again later, compared with the earlier wave.

A wave is kept as a :class:`WaveSummary`: per group (everyone, and each division shown after the
product's merge of small divisions, :mod:`readiness.groups`) and dimension, the number of
respondents with a score, the mean score (0-100) and its standard deviation. That is all a
comparison needs, and it is small enough to keep with the assessment's plan.

:func:`wave_summary` makes one from a respondents table; its date is given, or read from the
file's completion-time column (:func:`completion_date`). :func:`compare_waves` compares two:
per group in both and dimension in both, the change in the mean (points 0-100) with its Welch
95% interval. A change is called a change only when it holds across the whole family of
comparisons shown (Holm's step-down correction, family-wise error 5%); the rest are "within
noise", and groups with too few respondents in either wave are "too few to tell".
:func:`waves_frame` lays waves out for a chart (:mod:`readiness.waves_chart`).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field

from readiness.errors import Frozen, InputError

if TYPE_CHECKING:
    import pandas as pd

    from readiness.answers import RespondentTable
    from readiness.questionnaire import Questionnaire
    from readiness.rules import RuleBook

#: The group that holds every respondent of a wave.
EVERYONE = "All respondents"
#: The most groups a wave keeps.
MAX_GROUPS = 200
#: The confidence of every interval here (pointwise: each on its own).
LEVEL = 0.95
#: The chance, over the whole family of comparisons shown, of calling any change that is not
#: there (Holm's correction holds it whatever the comparisons' dependence).
FAMILY_ERROR = 0.05
#: How many changes a sentence names before it counts the rest.
MAX_CHANGES_NAMED = 6


class DimensionStats(Frozen):
    """One dimension's scores (0-100) in one group of one wave."""

    n: int = Field(ge=0)
    mean: float | None = Field(default=None, ge=0.0, le=100.0)
    sd: float | None = Field(default=None, ge=0.0)


class WaveSummary(Frozen):
    """One survey wave: its label, when it was answered and, per group and dimension, the
    score statistics (``groups[group][dimension]``; :data:`EVERYONE` holds all respondents).

    ``questionnaire_version`` is the version of the questionnaire it answered (None when not
    known); ``group_note`` says in words what the merge of small divisions did (no division
    named), None when every division is shown."""

    label: str = Field(min_length=1, max_length=100)
    surveyed_on: dt.date
    respondents: int = Field(ge=0)
    groups: dict[str, dict[str, DimensionStats]] = Field(max_length=MAX_GROUPS + 1)
    questionnaire_version: str | None = Field(default=None, max_length=40)
    group_note: str | None = Field(default=None, max_length=500)

    @property
    def dimensions(self) -> tuple[str, ...]:
        """The dimension ids this wave has a figure for, in the order first seen."""
        seen: dict[str, None] = {}
        for stats in self.groups.values():
            seen.update(dict.fromkeys(stats))
        return tuple(seen)


# --- a wave from a respondents table -----------------------------------------------------------


@dataclass(frozen=True)
class CompletionDate:
    """When a survey file's respondents answered: the median date of its completion-time
    column (``column`` as the file heads it), over ``dated`` responses. ``month_first`` is
    True where dates like 3/4/27 were read as month/day (nothing in the column said which)."""

    date: dt.date
    column: str
    dated: int
    month_first: bool = False

    def note(self, name: str) -> str:
        """How the date was found, for a note to the file's author."""
        read = "; dates such as 3/4/27 read as month/day/year" if self.month_first else ""
        return (
            f"{name}: surveyed on {self.date.isoformat()}, the median of its "
            f"{self.column!r} column ({self.dated:,} responses{read})"
        )


#: Columns that date a response, in order of preference (letters and digits only, case
#: ignored): when it was completed (Microsoft Forms, Google Forms, LimeSurvey, Qualtrics),
#: else when it was started.
COMPLETION_COLUMNS = (
    "completiontime",
    "timestamp",
    "submitdate",
    "datesubmitted",
    "enddate",
    "recordeddate",
    "starttime",
    "startdate",
    "datestarted",
)
_YEAR_FIRST = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?![\d])")
_YEAR_LAST = re.compile(r"^(\d{1,2})([-/.])(\d{1,2})[-/.](\d{4}|\d{2})(?![\d])")


def _alnum(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def completion_date(text: str, name: str) -> CompletionDate | None:
    """The median completion date of a survey export's text (CSV), or None when it has no
    column dating its responses (:data:`COMPLETION_COLUMNS`) or no response is dated.

    Dates are read as the tools write them: 2027-03-15 (LimeSurvey, Qualtrics, ISO),
    2027/03/15 9:01:33 AM GMT+1 (Google Forms), 3/15/27 9:04:10 (Microsoft Forms), 15.03.2027;
    the time and zone are ignored. Whether 3/4/27 is month/day or day/month is decided for the
    whole column (a first number above 12 means day/month); month/day when nothing says.
    An empty cell is an undated response; anything else that is not a date is an
    :class:`InputError` naming ``name``, row and column."""
    rows = csv.reader(io.StringIO(text), skipinitialspace=True)
    try:
        header = next(rows, [])
        body = list(rows)
    except csv.Error as error:
        raise InputError(f"{name}: not a well-formed CSV file ({error})") from None
    first_row = 2
    if len(body) >= 2 and any(c.strip().casefold().startswith('{"importid"') for c in body[1]):
        body, first_row = body[2:], 4  # Qualtrics: question texts, then ImportId JSON
    keys = [_alnum(cell) for cell in header]
    column = next((keys.index(key) for key in COMPLETION_COLUMNS if key in keys), None)
    if column is None:
        return None
    shown = header[column].strip()
    parsed: list[tuple[int, int, int, int, bool]] = []  # row, year, a, b, year first
    problems: list[str] = []
    for offset, row in enumerate(body):
        cell = row[column].strip() if column < len(row) else ""
        if not cell:
            continue
        number = first_row + offset
        if match := _YEAR_FIRST.match(cell):
            year, month, day = (int(part) for part in match.groups())
            parsed.append((number, year, month, day, True))
        elif match := _YEAR_LAST.match(cell):
            a, separator, b, year_text = match.groups()
            year = int(year_text) + (2000 if len(year_text) == 2 else 0)
            # 15.03.2027 is always day first; 3/15/27 and 15/3/27 are decided by the column
            first, second = (int(b), int(a)) if separator == "." else (int(a), int(b))
            parsed.append((number, year, first, second, separator == "."))
        else:
            problems.append(f"{name}: row {number}, column {shown!r}: {cell[:40]!r} is not a date")
        if len(problems) >= 5:
            break
    if problems:
        raise InputError([*problems, f"{name}: give the date the wave was surveyed instead"])
    if not parsed:
        return None
    ambiguous = [(a, b) for _, _, a, b, fixed in parsed if not fixed]
    day_first = any(a > 12 for a, _ in ambiguous)
    month_first = any(b > 12 for _, b in ambiguous)
    if day_first and month_first:
        raise InputError(
            f"{name}: column {shown!r} mixes day/month and month/day dates; give the date the "
            "wave was surveyed instead"
        )
    dates: list[int] = []
    for number, year, a, b, fixed in parsed:
        month, day = (b, a) if not fixed and day_first else (a, b)
        try:
            dates.append(dt.date(year, month, day).toordinal())
        except ValueError:
            raise InputError(
                f"{name}: row {number}, column {shown!r}: {year}-{month:02d}-{day:02d} is not a "
                "date; give the date the wave was surveyed instead"
            ) from None
    median = dt.date.fromordinal(int(statistics.median_low(dates)))
    guessed = bool(ambiguous) and not day_first and not month_first
    return CompletionDate(median, shown, len(dates), month_first=guessed)


def wave_summary(
    questionnaire: Questionnaire,
    rulebook: RuleBook,
    table: RespondentTable,
    label: str,
    surveyed_on: dt.date | None = None,
    min_group_size: int | None = None,
    *,
    completion: CompletionDate | None = None,
    source: str = "respondents",
) -> WaveSummary:
    """A wave from a respondents table: per group (:data:`EVERYONE`, then each division shown
    after the merge of divisions under ``min_group_size`` respondents, default the setting) and
    dimension, the respondents with a score (n), their mean score and its standard deviation
    (0-100, ``ddof=1``; None for fewer than 2).

    The wave is dated ``surveyed_on``, else by ``completion`` (the file's completion-time
    column, :func:`completion_date`); without either it is an :class:`InputError` asking for
    the date. A table with problems is an :class:`InputError` listing them."""
    import numpy as np

    from readiness import groups
    from readiness.scoring import score_respondents

    shown_label = label.strip()
    if not 1 <= len(shown_label) <= 100 or any(ord(ch) < 32 for ch in shown_label):
        raise InputError(f"{source}: the wave's label is 1 to 100 characters on one line")
    if surveyed_on is None:
        if completion is None:
            raise InputError(
                f"{source}: when was this wave surveyed? The file has no completion-time "
                "column (such as Microsoft Forms' 'Completion time') to tell; give the date"
            )
        surveyed_on = completion.date
    minimum = groups.min_group_size() if min_group_size is None else min_group_size
    batch = score_respondents(questionnaire, rulebook, table, min_group_size=minimum)
    dimensions = [d.id for d in questionnaire.dimensions]
    scores = batch.respondents[dimensions].to_numpy(dtype=float)
    names = list(batch.divisions)
    if len(names) > MAX_GROUPS:
        raise InputError(
            f"{source}: {len(names)} groups of divisions; a wave keeps at most {MAX_GROUPS}"
        )
    position = {name: k for k, name in enumerate(names)}
    of_division = np.array(
        [position.get(batch.groups.group_of(name) or "", -1) for name in table.division_names],
        dtype=np.intp,
    )
    member = of_division[table.division_codes] if len(of_division) else np.empty(0, np.intp)
    stats = {EVERYONE: _group_stats(scores, dimensions)}
    for k, name in enumerate(names):
        stats[name] = _group_stats(scores[member == k], dimensions)
    return WaveSummary(
        label=shown_label,
        surveyed_on=surveyed_on,
        respondents=len(table),
        groups=stats,
        questionnaire_version=questionnaire.version,
        group_note=batch.groups.note(),
    )


def _group_stats(scores: Any, dimensions: Sequence[str]) -> dict[str, DimensionStats]:
    """n, mean and sd (ddof=1) of each dimension's column of ``scores`` (NaN: no score)."""
    import numpy as np

    result = {}
    for j, dimension in enumerate(dimensions):
        column = scores[:, j]
        values = column[~np.isnan(column)]
        n = len(values)
        mean = min(100.0, max(0.0, float(values.mean()))) if n else None
        sd = float(values.std(ddof=1)) if n >= 2 else None
        result[dimension] = DimensionStats(n=n, mean=mean, sd=sd)
    return result


# --- comparing two waves -----------------------------------------------------------------------

Reading = Literal["change", "within noise", "too few to tell"]


@dataclass(frozen=True)
class WelchChange:
    """The change from one wave to the next in one group and dimension (points 0-100):
    ``after - before`` with its Welch interval at ``level``, the two-sided p-value of no change
    and the Welch-Satterthwaite degrees of freedom (as R's ``t.test(after, before)``)."""

    change: float
    low: float
    high: float
    p_value: float
    df: float


def welch_change(
    before: DimensionStats, after: DimensionStats, level: float = LEVEL
) -> WelchChange | None:
    """Welch's two-sample comparison of the mean scores (None when either side has fewer than
    2 scores). Where neither wave varies at all the interval is the change itself (p 1 for no
    change, 0 otherwise): the limit the formula tends to."""
    if before.n < 2 or after.n < 2 or before.mean is None or after.mean is None:
        return None
    from scipy import stats

    change = after.mean - before.mean
    v_before = (before.sd or 0.0) ** 2 / before.n
    v_after = (after.sd or 0.0) ** 2 / after.n
    variance = v_before + v_after
    if variance == 0.0:
        return WelchChange(change, change, change, 1.0 if change == 0 else 0.0, math.inf)
    se = math.sqrt(variance)
    # Welch-Satterthwaite, written in shares of the variance: squares of tiny variances
    # would underflow to 0
    share = v_before / variance
    df = 1.0 / (share**2 / (before.n - 1) + (1.0 - share) ** 2 / (after.n - 1))
    t = change / se
    quantile = float(stats.t.ppf(0.5 + level / 2, df))
    p_value = float(2.0 * stats.t.sf(abs(t), df))
    return WelchChange(change, (t - quantile) * se, (t + quantile) * se, p_value, df)


def holm_adjusted(p_values: Sequence[float]) -> list[float]:
    """Holm's step-down adjusted p-values (each 0-1, in the order given): a comparison holds
    across the family at error rate a when its adjusted p-value is at most a."""
    order = sorted(range(len(p_values)), key=lambda k: p_values[k])
    adjusted = [1.0] * len(p_values)
    running = 0.0
    for rank, k in enumerate(order):
        running = max(running, min(1.0, (len(p_values) - rank) * p_values[k]))
        adjusted[k] = running
    return adjusted


class DimensionChange(Frozen):
    """One group and dimension compared across two waves: the mean scores before and after
    (0-100), the change in points with its pointwise interval, Welch's p-value and Holm's
    adjusted one (None where there are too few respondents), and the reading."""

    group: str
    dimension: str
    dimension_name: str
    before: float | None
    after: float | None
    change: float | None
    low: float | None
    high: float | None
    p_value: float | None
    p_adjusted: float | None
    n_before: int
    n_after: int
    reading: Reading

    @property
    def change_text(self) -> str:
        """ "Support +12 (4 to 20) in Sales"; the reading instead of numbers when too few."""
        where = _group_phrase(self.group)
        if self.change is None or self.low is None or self.high is None:
            return f"{self.dimension_name} {where}: {self.reading}"
        return (
            f"{self.dimension_name} {_points(self.change, signed=True)} "
            f"({_points(self.low)} to {_points(self.high)}) {where}"
        )


class WaveComparison(Frozen):
    """Two waves compared: per group in both and dimension in both, a :class:`DimensionChange`
    (:data:`EVERYONE` first); ``notes`` say what was left out and why."""

    earlier: str
    later: str
    earlier_on: dt.date
    later_on: dt.date
    level: float
    family_error: float
    min_group_size: int
    dimensions: tuple[str, ...]
    left_out_dimensions: tuple[str, ...]
    changes: tuple[DimensionChange, ...]
    notes: tuple[str, ...]

    @property
    def compared(self) -> tuple[DimensionChange, ...]:
        """The comparisons in the family (not too few to tell)."""
        return tuple(c for c in self.changes if c.reading != "too few to tell")

    @property
    def called(self) -> tuple[DimensionChange, ...]:
        """The changes that hold across the family."""
        return tuple(c for c in self.changes if c.reading == "change")

    @property
    def sentence(self) -> str:
        """What changed since the earlier wave, in one sentence: "Support +12 (4 to 20) in Sales
        since the March wave; other changes within noise." """
        since = f"since the {self.earlier}"
        if not self.compared:
            return f"Too few respondents to tell any change {since}."
        called = self.called
        if not called:
            return f"No change beyond noise {since}."
        named = [c.change_text for c in called[:MAX_CHANGES_NAMED]]
        rest = len(called) - len(named)
        if rest:
            named.append(f"{rest} more change{'s' if rest > 1 else ''}")
        listed = named[0] if len(named) == 1 else ", ".join(named[:-1]) + " and " + named[-1]
        tail = "; other changes within noise" if len(called) < len(self.compared) else ""
        return f"{listed} {since}{tail}."

    @property
    def method_text(self) -> str:
        """How the changes are read, in words."""
        count = f"{len(self.compared)} " if len(self.compared) > 1 else ""
        return (
            f"Each change is the later wave's mean score minus the earlier one's (points 0-100) "
            f"with its {self.level:.0%} interval (Welch); a change is called only when it holds "
            f"across all {count}comparisons shown (Holm, {self.family_error:.0%} "
            f"chance of any false call). Groups with fewer than {self.min_group_size} "
            "respondents with a score in either wave are too few to tell."
        )

    @property
    def sentences(self) -> list[str]:
        """The sentence, then the notes."""
        return [self.sentence, *self.notes]

    def to_json(self) -> dict[str, Any]:
        """The comparison with its sentence and method, as the command line prints it."""
        return {
            "sentence": self.sentence,
            "method": self.method_text,
            **self.model_dump(mode="json"),
        }


def _points(value: float, *, signed: bool = False) -> str:
    """A number of points as read: whole points, one decimal under 1 ("+0.4")."""
    digits = 1 if 0 < abs(value) < 0.95 else 0
    text = f"{value:+.{digits}f}" if signed else f"{value:.{digits}f}"
    if float(text) == 0:  # no "-0"
        text = text.replace("-", "+" if signed else "")
    return text


def _group_phrase(group: str) -> str:
    return "among all respondents" if group == EVERYONE else f"in {group}"


def _listed(names: Sequence[str], limit: int = 10) -> str:
    shown = list(names[:limit])
    if len(names) > limit:
        shown.append(f"{len(names) - limit} more")
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]


def _dimension_names(dimensions: Sequence[str]) -> dict[str, str]:
    from readiness.questionnaire import load_questionnaire

    known = {d.id: d.name for d in load_questionnaire().dimensions}
    return {d: known.get(d, d) for d in dimensions}


def compare_waves(
    earlier: WaveSummary,
    later: WaveSummary,
    *,
    min_group_size: int | None = None,
    dimension_names: Mapping[str, str] | None = None,
) -> WaveComparison:
    """Compare ``later`` with ``earlier``: per group in both (:data:`EVERYONE` first; "other
    divisions" is left out, as it may hold different divisions in each wave) and dimension in
    both, the change in the mean score (points 0-100) with its Welch 95% interval. A change is
    called only when its Holm-adjusted p-value over every comparison made is at most
    :data:`FAMILY_ERROR`; groups with fewer than ``min_group_size`` (default the setting) or 2
    scores in either wave are "too few to tell". ``dimension_names`` name the dimension ids
    (default: the questionnaire's names).

    An :class:`InputError` when the waves have one date (a wave compared with itself) or the
    earlier one is dated after the later one."""
    from readiness import groups
    from readiness.groups import OTHER_DIVISIONS

    if earlier.surveyed_on == later.surveyed_on:
        raise InputError(
            f"both waves ({earlier.label!r} and {later.label!r}) are dated "
            f"{earlier.surveyed_on.isoformat()}: a wave is compared with a later one, not with "
            "itself; give each wave the date it was surveyed"
        )
    if earlier.surveyed_on > later.surveyed_on:
        raise InputError(
            f"the earlier wave {earlier.label!r} ({earlier.surveyed_on.isoformat()}) is dated "
            f"after the later one {later.label!r} ({later.surveyed_on.isoformat()}): give the "
            "earlier wave first"
        )
    minimum = max(2, groups.min_group_size() if min_group_size is None else min_group_size)
    before_dims, after_dims = earlier.dimensions, later.dimensions
    dimensions = tuple(d for d in after_dims if d in before_dims)
    left_out = tuple(
        [d for d in before_dims if d not in after_dims]
        + [d for d in after_dims if d not in before_dims]
    )
    names = dict(_dimension_names([*dimensions, *left_out]))
    names.update(dimension_names or {})
    notes: list[str] = []
    versions = (earlier.questionnaire_version, later.questionnaire_version)
    if left_out or (None not in versions and versions[0] != versions[1]):
        kept = _listed([names[d] for d in dimensions]) if dimensions else "none"
        why = (
            f"The waves answered different questionnaire versions ({versions[0]} and {versions[1]})"
            if None not in versions and versions[0] != versions[1]
            else "The waves have different dimensions"
        )
        note = f"{why}: only the dimensions both have are compared ({kept})"
        if left_out:
            note += f"; {_listed([names[d] for d in left_out])} in one wave only"
        notes.append(note + ".")

    shared = [g for g in later.groups if g in earlier.groups and g != OTHER_DIVISIONS]
    shared.sort(key=lambda g: g != EVERYONE)  # everyone first, then the later wave's order
    if OTHER_DIVISIONS in earlier.groups and OTHER_DIVISIONS in later.groups:
        notes.append(
            f"'{OTHER_DIVISIONS}' is not compared: it may hold different divisions in each wave."
        )
    one_wave = [g for g in (*earlier.groups, *later.groups) if g != OTHER_DIVISIONS]
    one_wave = list(dict.fromkeys(g for g in one_wave if g not in shared))
    if one_wave:
        notes.append(f"In one wave only, not compared: {_listed(one_wave)}.")

    rows: list[dict[str, Any]] = []
    for group in shared:
        for dimension in dimensions:
            before = earlier.groups[group].get(dimension, DimensionStats(n=0))
            after = later.groups[group].get(dimension, DimensionStats(n=0))
            welch = (
                welch_change(before, after, LEVEL) if min(before.n, after.n) >= minimum else None
            )
            rows.append(
                {
                    "group": group,
                    "dimension": dimension,
                    "dimension_name": names[dimension],
                    "before": before.mean,
                    "after": after.mean,
                    "change": None if welch is None else welch.change,
                    "low": None if welch is None else welch.low,
                    "high": None if welch is None else welch.high,
                    "p_value": None if welch is None else welch.p_value,
                    "n_before": before.n,
                    "n_after": after.n,
                }
            )
    family = [k for k, row in enumerate(rows) if row["p_value"] is not None]
    adjusted = holm_adjusted([rows[k]["p_value"] for k in family])
    for k, holm in zip(family, adjusted, strict=True):
        rows[k]["p_adjusted"] = holm
    for row in rows:
        p = row.setdefault("p_adjusted", None)
        row["reading"] = (
            "too few to tell" if p is None else "change" if p <= FAMILY_ERROR else "within noise"
        )
    too_few = [row for row in rows if row["reading"] == "too few to tell"]
    if too_few:
        by_group: dict[str, list[str]] = {}
        for row in too_few:
            by_group.setdefault(row["group"], []).append(row["dimension_name"])
        parts = [
            ("all respondents" if group == EVERYONE else group)
            if len(dims) == len(dimensions)
            else f"{_listed(dims)} {_group_phrase(group)}"
            for group, dims in by_group.items()
        ]
        notes.append(
            f"Too few respondents to tell for {_listed(parts)} (fewer than {minimum} with a "
            "score in a wave)."
        )
    return WaveComparison(
        earlier=earlier.label,
        later=later.label,
        earlier_on=earlier.surveyed_on,
        later_on=later.surveyed_on,
        level=LEVEL,
        family_error=FAMILY_ERROR,
        min_group_size=minimum,
        dimensions=dimensions,
        left_out_dimensions=left_out,
        changes=tuple(DimensionChange(**row) for row in rows),
        notes=tuple(notes),
    )


# --- waves for a chart -------------------------------------------------------------------------

#: The columns of :func:`waves_frame`.
WAVE_FRAME_COLUMNS = ("wave", "date", "dimension", "mean", "low", "high", "n")


def mean_interval(stats: DimensionStats, level: float = LEVEL) -> tuple[float, float] | None:
    """The interval of a group's mean score (t, ``n - 1`` degrees of freedom), clipped to
    0-100 as no score lies outside; None for fewer than 2 scores."""
    if stats.n < 2 or stats.mean is None or stats.sd is None:
        return None
    from scipy import stats as distributions

    half = float(distributions.t.ppf(0.5 + level / 2, stats.n - 1)) * stats.sd / math.sqrt(stats.n)
    return max(0.0, stats.mean - half), min(100.0, stats.mean + half)


def waves_frame(waves: Sequence[WaveSummary], group: str = EVERYONE) -> pd.DataFrame:
    """One row per wave (oldest first) and dimension of ``group``: ``wave`` (label), ``date``
    (surveyed on, a timestamp), ``dimension`` (id), ``mean`` with its 95% interval ``low`` to
    ``high`` (0-100; NaN for fewer than 2 scores) and ``n``. Waves without the group, and
    dimensions without a score, have no rows."""
    import pandas as pd

    rows = []
    for wave in sorted(waves, key=lambda w: w.surveyed_on):
        for dimension, stats in wave.groups.get(group, {}).items():
            if stats.mean is None:
                continue
            interval = mean_interval(stats)
            low, high = interval if interval else (math.nan, math.nan)
            rows.append(
                (
                    wave.label,
                    pd.Timestamp(wave.surveyed_on),
                    dimension,
                    stats.mean,
                    low,
                    high,
                    stats.n,
                )
            )
    frame = pd.DataFrame(rows, columns=list(WAVE_FRAME_COLUMNS))
    return frame.astype({"mean": float, "low": float, "high": float, "n": int})
