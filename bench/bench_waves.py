"""Survey waves with a known truth: how often a comparison calls a change that is not there,
finds one that is, and how often its intervals hold the true change.

An organization of 10 divisions is surveyed twice. In each wave every division has the same
number of respondents (40 by default); each respondent's readiness per dimension is the
division's level plus their own deviation (``--person-sd``, in agreement points), and each of
the dimension's agreement (Likert) questions answers it with noise (0.6 points), rounded to the
5-point scale (reverse-keyed questions written reversed); the other questions are left blank,
so a dimension's score is its agreement questions' (0-100). A respondent's expected score
follows from the normal distribution in closed form, so the true mean score of every division,
and of everyone, is known exactly; a true change of +12 points is a shift of the level solved
for that. The waves go through the product's own path: a respondents table
(:func:`readiness.survey.read_respondents`), :func:`readiness.waves.wave_summary` and
:func:`readiness.waves.compare_waves` (11 groups x 3 dimensions = 33 comparisons, Holm).

Measured, seeded:

- no true change: the share of simulated surveys whose comparison calls any change (target
  <= 10%; Holm holds it at 5% in theory);
- a true +12 in one division's Support: the share in which that change is called, at 20, 40
  and 80 respondents per division (target >= 80% at 40), and at 40 with more spread among
  respondents (``--wide-sd``);
- coverage: how often the pointwise 95% interval holds the true change, over every comparison
  of both scenarios at 40 (target 93-97%), divisions and all respondents apart;
- the within-division standard deviation of the scores the settings produce (points), and the
  time of one comparison (two waves summarized and compared).

Appends a dated row, with the machine's load, to ``bench/results/waves.md``. Run:
``.venv/bin/python bench/bench_waves.py [--sims 400]``.
"""

from __future__ import annotations

import argparse
import math
import platform
import statistics
import time
from dataclasses import dataclass, field
from functools import cache

import numpy as np
import pandas as pd
from results_log import RESULTS_DIR, add_results_option, append, commit, load_average, now

from readiness.answers import RespondentTable
from readiness.questionnaire import Questionnaire, load_questionnaire
from readiness.rules import RuleBook, load_rulebook
from readiness.survey import read_respondents
from readiness.waves import EVERYONE, WaveComparison, WaveSummary, compare_waves, wave_summary

RESULTS = RESULTS_DIR / "waves.md"
DIVISIONS = (
    "Sales",
    "Engineering",
    "Finance",
    "Legal",
    "Operations",
    "Research",
    "Support",
    "Marketing",
    "Logistics",
    "Procurement",
)
RESPONDENTS = 40
#: A respondent's own deviation from their division's level (agreement points): item answers
#: then agree within a division about as much as the usual threshold for reporting its mean
#: (r_wg about 0.70).
PERSON_SD = 0.4
#: More spread among a division's respondents.
WIDE_SD = 0.6
#: Each question's own noise around the respondent's readiness (agreement points).
ITEM_SD = 0.6
TRUE_CHANGE = 12.0
TARGET = ("Sales", "support")
MIN_GROUP_SIZE = 5


@dataclass(frozen=True)
class Setting:
    """One simulated organization: respondents per division and wave, the spread of respondents
    around their division (agreement points) and the true change in ``TARGET`` (points)."""

    respondents: int = RESPONDENTS
    person_sd: float = PERSON_SD
    change: float = 0.0
    item_sd: float = ITEM_SD


@dataclass
class Outcome:
    """What the comparisons of one setting said, counted over ``sims`` simulated surveys."""

    sims: int = 0
    any_change: int = 0  # surveys with any change called
    found: int = 0  # surveys where TARGET's change was called (with its sign)
    covered: dict[str, int] = field(default_factory=lambda: {"divisions": 0, "everyone": 0})
    intervals: dict[str, int] = field(default_factory=lambda: {"divisions": 0, "everyone": 0})
    within_sd: list[float] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)

    def share(self, count: int) -> str:
        return f"{count / self.sims:.1%} ({count}/{self.sims})"

    def coverage(self, part: str | None = None) -> float:
        parts = [part] if part else ["divisions", "everyone"]
        return sum(self.covered[p] for p in parts) / max(1, sum(self.intervals[p] for p in parts))


@cache
def _context() -> tuple[Questionnaire, RuleBook]:
    return load_questionnaire(), load_rulebook()


def division_levels(seed: int = 11) -> dict[str, dict[str, float]]:
    """Each division's readiness per dimension, in agreement points around the scale's middle
    (-0.6 to 0.6: divisions differ, none at the ends of the scale)."""
    rng = np.random.default_rng(seed)
    questionnaire, _ = _context()
    return {
        name: {d.id: float(rng.uniform(-0.6, 0.6)) for d in questionnaire.dimensions}
        for name in DIVISIONS
    }


def expected_score(level: float, person_sd: float, item_sd: float = ITEM_SD) -> float:
    """A respondent's expected score (0-100) on an agreement question of a division at
    ``level``: the answer is 3 + level + normal noise (sd sqrt(person_sd² + item_sd²)) rounded
    to 1-5, and scores (answer - 1) x 25 (reverse-keyed ones too: written reversed, scored
    back)."""
    from scipy.stats import norm

    sd = math.hypot(person_sd, item_sd)
    cuts = np.array([1.5, 2.5, 3.5, 4.5]) - 3.0 - level
    below = norm.cdf(cuts / sd)
    chances = np.diff(np.concatenate([[0.0], below, [1.0]]))
    return float(25.0 * chances @ np.arange(5))


def level_shift(change: float, level: float, person_sd: float, item_sd: float = ITEM_SD) -> float:
    """The shift of a division's level (agreement points) that raises its expected score by
    ``change`` points."""
    from scipy.optimize import brentq

    if change == 0:
        return 0.0
    start = expected_score(level, person_sd, item_sd)
    return float(
        brentq(lambda d: expected_score(level + d, person_sd, item_sd) - start - change, -3, 3)
    )


def true_means(
    setting: Setting, levels: dict[str, dict[str, float]], later: bool
) -> dict[str, dict[str, float]]:
    """The true mean score (0-100) of every division and of everyone, per dimension."""
    means: dict[str, dict[str, float]] = {}
    for name, level in levels.items():
        means[name] = {}
        for dimension, value in level.items():
            shift = (
                level_shift(setting.change, value, setting.person_sd, setting.item_sd)
                if later and (name, dimension) == TARGET
                else 0.0
            )
            means[name][dimension] = expected_score(
                value + shift, setting.person_sd, setting.item_sd
            )
    dimensions = next(iter(levels.values()))
    means[EVERYONE] = {d: statistics.fmean(means[n][d] for n in levels) for d in dimensions}
    return means


def simulated_table(
    rng: np.random.Generator,
    levels: dict[str, dict[str, float]],
    setting: Setting,
    later: bool = False,
) -> RespondentTable:
    """One wave's respondents as a validated table (division and every question's column)."""
    questionnaire, _ = _context()
    likert = [item for item in questionnaire.items if item.kind == "likert" and item.dimension]
    rows = len(levels) * setting.respondents
    columns: dict[str, object] = {
        "division": np.repeat(list(levels), setting.respondents).astype(object)
    }
    for item in questionnaire.items:
        columns[item.id] = np.full(rows, np.nan)
    own = {
        d.id: np.concatenate(
            [
                level[d.id]
                + (
                    level_shift(setting.change, level[d.id], setting.person_sd, setting.item_sd)
                    if later and (name, d.id) == TARGET
                    else 0.0
                )
                + rng.normal(0.0, setting.person_sd, setting.respondents)
                for name, level in levels.items()
            ]
        )
        for d in questionnaire.dimensions
    }
    for item in likert:
        answer = np.clip(
            np.round(3.0 + own[str(item.dimension)] + rng.normal(0, setting.item_sd, rows)), 1, 5
        )
        columns[item.id] = 6.0 - answer if item.reverse else answer
    return read_respondents(questionnaire, pd.DataFrame(columns), "simulated wave")


def simulated_waves(
    rng: np.random.Generator, levels: dict[str, dict[str, float]], setting: Setting
) -> tuple[WaveSummary, WaveSummary]:
    """An earlier (15 March 2027) and a later (15 September 2027) wave of ``setting``."""
    import datetime as dt

    questionnaire, rulebook = _context()
    waves = []
    for later, label, date in (
        (False, "March wave", dt.date(2027, 3, 15)),
        (True, "September wave", dt.date(2027, 9, 15)),
    ):
        table = simulated_table(rng, levels, setting, later)
        waves.append(
            wave_summary(questionnaire, rulebook, table, label, date, min_group_size=MIN_GROUP_SIZE)
        )
    return waves[0], waves[1]


def run(sims: int, setting: Setting, seed: int = 2027) -> Outcome:
    """Simulate ``sims`` pairs of waves of ``setting`` and count what the comparisons said."""
    levels = division_levels()
    truth_before = true_means(setting, levels, later=False)
    truth_after = true_means(setting, levels, later=True)
    rng = np.random.default_rng(seed)
    outcome = Outcome()
    for _ in range(sims):
        started = time.perf_counter()
        earlier, later = simulated_waves(rng, levels, setting)
        comparison: WaveComparison = compare_waves(earlier, later, min_group_size=MIN_GROUP_SIZE)
        outcome.seconds.append(time.perf_counter() - started)
        outcome.sims += 1
        outcome.any_change += bool(comparison.called)
        outcome.found += any(
            (c.group, c.dimension) == TARGET
            and c.reading == "change"
            and (c.change or 0) * (setting.change or 1) > 0
            for c in comparison.changes
        )
        for c in comparison.compared:
            part = "everyone" if c.group == EVERYONE else "divisions"
            truth = truth_after[c.group][c.dimension] - truth_before[c.group][c.dimension]
            assert c.low is not None
            assert c.high is not None
            outcome.intervals[part] += 1
            outcome.covered[part] += c.low <= truth <= c.high
        outcome.within_sd.extend(
            stats.sd
            for group, dims in earlier.groups.items()
            if group != EVERYONE
            for stats in dims.values()
            if stats.sd is not None
        )
    return outcome


INTRODUCTION = (
    "# Survey waves with a known truth\n\n"
    "`bench/bench_waves.py`: 10 divisions surveyed twice, each respondent's readiness the "
    "division's level plus their own deviation (person sd, agreement points), each agreement "
    "question answering it with noise (sd 0.6) rounded to the 5-point scale; the true mean "
    "scores follow in closed form. Through the product's path (respondents table, "
    "wave_summary, compare_waves: 11 groups x 3 dimensions, Holm). Any change called with no "
    "true change (target <= 10%); a true +12 in one division's Support called, by respondents "
    "per division (target >= 80% at 40) and with more spread; coverage of the pointwise 95% "
    "interval over both scenarios at 40 (target 93-97%); the within-division sd of scores the "
    "setting gives; median time of one comparison (two waves summarized and compared)."
)
HEADER = (
    "| date (UTC) | commit | load 1 min | sims | person sd | within-division sd (points) | "
    "any change called, no true change | +12 called at 20 / 40 / 80 respondents | "
    "+12 called at 40, person sd 0.6 (within sd) | coverage at 40: all / divisions / everyone | "
    "s per comparison | targets met |\n"
    "|---|---|---|---|---|---|---|---|---|---|---|---|\n"
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sims", type=int, default=400, help="simulated surveys per setting")
    parser.add_argument("--person-sd", type=float, default=PERSON_SD)
    parser.add_argument("--wide-sd", type=float, default=WIDE_SD)
    add_results_option(parser, RESULTS)
    args = parser.parse_args()
    null = run(args.sims, Setting(person_sd=args.person_sd))
    power = {
        n: run(args.sims, Setting(respondents=n, person_sd=args.person_sd, change=TRUE_CHANGE))
        for n in (20, 40, 80)
    }
    wide = run(args.sims, Setting(person_sd=args.wide_sd, change=TRUE_CHANGE))
    both = Outcome(sims=null.sims + power[40].sims)
    for part in ("divisions", "everyone"):
        both.covered[part] = null.covered[part] + power[40].covered[part]
        both.intervals[part] = null.intervals[part] + power[40].intervals[part]
    coverage = both.coverage()
    met = (
        null.any_change / null.sims <= 0.10
        and power[40].found / power[40].sims >= 0.80
        and 0.93 <= coverage <= 0.97
    )
    line = (
        f"| {now()} | {commit()} | {load_average():.2f} / 2 cores | {args.sims} | "
        f"{args.person_sd:g} | {statistics.median(null.within_sd):.1f} | "
        f"{null.share(null.any_change)} | "
        + " / ".join(power[n].share(power[n].found) for n in (20, 40, 80))
        + f" | {wide.share(wide.found)} ({statistics.median(wide.within_sd):.1f}) | "
        f"{coverage:.1%} / {both.coverage('divisions'):.1%} / {both.coverage('everyone'):.1%} | "
        f"{statistics.median(null.seconds):.3f} | {'yes' if met else 'no'} |\n"
    )
    print(HEADER + line, end="")
    append(args.results, line, INTRODUCTION + f" Python {platform.python_version()}.\n\n" + HEADER)


if __name__ == "__main__":
    main()
