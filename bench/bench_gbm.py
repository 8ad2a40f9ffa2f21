"""The Generalized Bass Model with shocks on simulated divisions: coverage, false effects,
backtest and speed, for the model's own fit and for "Did it work?" (:func:`readiness.plan.check.
check_action`), the product's use of it.

A division of 2,000 people is measured monthly for 36 months: each month's active count is
binomial around a Bass curve (p 0.02 and q 2.0 per year, ceiling 70%, launched three months
before the first month), and the share is fitted as cumulative data. Where a shock happened, it
starts at month 12 (the action's date, 1 January 2026): exponential, ``c = 1`` (growth doubled at
first) fading at ``b = -2`` per year, or rectangular, ``c = 1`` for six months. Measured, seeded:

- coverage: how often the 95% interval of ``c`` contains the truth (target >= 90%): the GBM fit
  with the start held at the action's date and estimated anywhere (Wald intervals); and the
  check, start held (its default: Wald) and estimated near the date (2 months before to 6 after,
  a profile-likelihood interval over the start), a campaign's end held at its date;
- false effects: on divisions without a shock, how often a shock at month 12 lowers the AIC
  (by any amount, and by more than 2) and how often the comparison says it is supported, and
  how often the check says so (target: not preferred in >= 90%);
- backtest: fitted to the first 27 months, the root mean square error of the last 9 (25%)
  observed months, GBM against plain Bass, on divisions with a shock (target: GBM no larger on
  average), for the GBM fit and the check's; and the same on the published Dutch car stock
  (Franses 1994) with a shock at the October 1973 oil crisis;
- speed: the check (the GBM fit with the effect's interval, the counterfactual and months
  earlier) on a 36-month series, start held and estimated, against the plain Bass fit as the
  baseline in the same run (target: <= 1 s).

Appends a dated row, with the machine's load, to ``bench/results/gbm.md``. Run:
``.venv/bin/python bench/bench_gbm.py [--sims 300] [--repeat 15]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import os
import platform
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
from results_log import RESULTS_DIR, add_results_option, append, commit, load_average, now

from readiness.errors import InputError
from readiness.fitting import (
    FitResult,
    Observations,
    ShockShape,
    bass_fraction,
    compare_with_bass,
    fit_bass,
    fit_gbm,
    read_observations,
    shock_integral,
)
from readiness.plan.check import ActionCheck, check_action
from readiness.plan.kinds import load_action_kinds
from readiness.plan.model import PlanAction

ROOT = Path(__file__).resolve().parents[1]
RESULTS = RESULTS_DIR / "gbm.md"
FloatArray = npt.NDArray[np.float64]

PEOPLE = 2000
MONTHS = 36
FIRST = 2025.0
PERIODS = FIRST + np.arange(MONTHS) / 12.0
P, Q, M = 0.02, 2.0, 0.7
LAUNCH = FIRST - 3 / 12
ACTION = float(PERIODS[12])
#: The action's date: its decimal year is ACTION.
ACTION_DAY = dt.date(2026, 1, 1)
#: A campaign's end: six months after its start (ACTION + 0.5 as a decimal year, to half a day).
CAMPAIGN_END = dt.date(2026, 7, 2)
#: The shocks simulated: shape, then ``b`` (rate per year, or end as months after the start)
#: and ``c``.
SHOCKS: dict[ShockShape, tuple[float, float]] = {
    "exponential": (-2.0, 1.0),
    "rectangular": (6, 1.0),
}
HELD_OUT = 0.25
TARGET_COVERAGE = 0.90
TARGET_SECONDS = 1.0
CAR_STOCK = ROOT / "tests" / "data" / "diffusion" / "netherlands_car_stock.csv"
#: The first oil crisis (October 1973): a real shock to car buying.
OIL_CRISIS = 1973.79
INTRODUCTION = (
    "# Generalized Bass Model with shocks\n\n`bench/bench_gbm.py`: simulated divisions of 2,000"
    " people measured monthly for 36 months (binomial active counts around a Bass curve, p 0.02"
    " and q 2.0 per year, ceiling 70%), a shock at month 12 where there is one (exponential:"
    " c = 1 fading at b = -2 per year; rectangular: c = 1 for six months)."
)
#: What the rows measure (the table's introduction).
MEASURES = (
    "Coverage of the 95% interval of c (target >= 90%): the GBM fit (exponential shock) with the"
    ' start held at the action\'s date and estimated anywhere (Wald), and "Did it work?"'
    " (`check_action`) per shape, start held (Wald) and estimated 2 months before to 6 after the"
    " date (profile likelihood over the start), a campaign's end held; on divisions without a"
    " shock, how often a shock at month 12 lowers the AIC at all, by more than 2, is called"
    " supported by the comparison, and by the check (target: supported in <= 10%); backtest:"
    " RMSE of the last 9 months (25%) fitted on the first 27, GBM against plain Bass, and how"
    " often the GBM's is no larger, for the GBM fit (end estimated) and the check's (end held);"
    " the same on the Dutch car stock (Franses 1994) with a shock at the October 1973 oil"
    " crisis; median time of the check (fit, interval, counterfactual, months earlier) on a"
    " 36-month series, start held and estimated, against the plain Bass fit in the same run"
    " (target <= 1 s)."
)
HEADER = (
    "| date (UTC) | commit | load 1 min | sims | GBM fit c coverage, start held / estimated"
    " anywhere | check c coverage, start held / estimated near the date | without a shock: AIC"
    " lower any / by > 2 / supported / check supported | backtest RMSE GBM / Bass (GBM no worse),"
    " GBM fit; check | car stock, shock at the 1973 oil crisis: RMSE GBM / Bass | check s, start"
    " held / estimated | Bass fit s | ratio held / estimated | target <= 1 s |\n"
    "|---|---|---|---|---|---|---|---|---|---|---|---|---|\n"
)


def true_share(periods: FloatArray, shape: ShockShape | None) -> FloatArray:
    """The true active share 0-1 at ``periods`` (decimal years), with the shock of ``shape`` at
    month 12, or none."""
    growth = periods - LAUNCH
    if shape is not None:
        rate_or_months, effect = SHOCKS[shape]
        b = rate_or_months if shape == "exponential" else ACTION + rate_or_months / 12.0
        growth = growth + shock_integral(shape, ACTION, b, effect, periods)
    return np.asarray(M * bass_fraction(growth, P, Q), dtype=np.float64)


def division(
    rng: np.random.Generator, shape: ShockShape | None, months: int = MONTHS
) -> Observations:
    """One simulated division: monthly active counts of 2,000 people, as shares."""
    x = PERIODS[:months]
    counts = rng.binomial(PEOPLE, true_share(x, shape))
    return Observations(periods=tuple(x.tolist()), values=tuple((counts / PEOPLE).tolist()))


def fit_shock(obs: Observations, shape: ShockShape, *, held: bool) -> FitResult:
    """The GBM with one shock of ``shape``, its start at the action's date or estimated."""
    return fit_gbm(obs, (shape,), shock_starts=[ACTION] if held else [])


@dataclass(frozen=True)
class Coverage:
    """How often the 95% interval of ``c`` held the truth, of the fits that gave one."""

    sims: int
    covered: int
    intervals: int
    refused: int

    @property
    def rate(self) -> float:
        return self.covered / self.intervals if self.intervals else math.nan


def coverage(
    sims: int, *, held: bool, shape: ShockShape = "exponential", seed: int = 0
) -> Coverage:
    """Coverage of the 95% Wald interval of ``c`` over ``sims`` divisions with a shock."""
    rng = np.random.default_rng(seed)
    truth = SHOCKS[shape][1]
    covered = intervals = refused = 0
    for _ in range(sims):
        obs = division(rng, shape)
        try:
            fit = fit_shock(obs, shape, held=held)
        except InputError:
            refused += 1
            continue
        low, high = fit.params["c1"].interval
        if low is None or high is None:
            continue
        intervals += 1
        covered += low <= truth <= high
    return Coverage(sims, covered, intervals, refused)


@dataclass(frozen=True)
class FalseEffects:
    """Divisions without a shock where a shock at the action's date lowers the AIC at all, by
    more than 2, and where the comparison calls it supported."""

    sims: int
    lower_aic: int
    lower_by_2: int
    supported: int


def false_effects(sims: int, *, shape: ShockShape = "exponential", seed: int = 1) -> FalseEffects:
    """The shock model against plain Bass on ``sims`` divisions that had no shock."""
    rng = np.random.default_rng(seed)
    lower = lower2 = supported = 0
    for _ in range(sims):
        obs = division(rng, None)
        comparison = compare_with_bass(fit_shock(obs, shape, held=True), fit_bass(obs))
        lower += comparison.delta_aic < 0
        lower2 += comparison.delta_aic < -2
        supported += comparison.verdict == "supported"
    return FalseEffects(sims, lower, lower2, supported)


def _rmse(fit: FitResult, obs: Observations) -> float:
    return float(np.sqrt(np.mean((fit.predict(obs.x) - obs.y) ** 2)))


def split(obs: Observations, held_out: float = HELD_OUT) -> tuple[Observations, Observations]:
    """The history without its last ``held_out`` share of periods, and those periods."""
    keep = len(obs.periods) - math.ceil(held_out * len(obs.periods))
    return (
        obs.model_copy(update={"periods": obs.periods[:keep], "values": obs.values[:keep]}),
        obs.model_copy(update={"periods": obs.periods[keep:], "values": obs.values[keep:]}),
    )


@dataclass(frozen=True)
class Backtest:
    """Mean held-out RMSE of the GBM and plain Bass, and how often the GBM's was no larger."""

    sims: int
    gbm: float
    bass: float
    gbm_no_worse: int


def backtest(sims: int, *, shape: ShockShape = "exponential", seed: int = 2) -> Backtest:
    """Fit the first 75% of each division with a shock, score the last 25%."""
    rng = np.random.default_rng(seed)
    gbm_errors, bass_errors = [], []
    for _ in range(sims):
        train, test = split(division(rng, shape))
        gbm_errors.append(_rmse(fit_shock(train, shape, held=True), test))
        bass_errors.append(_rmse(fit_bass(train), test))
    wins = sum(g <= b for g, b in zip(gbm_errors, bass_errors, strict=True))
    return Backtest(sims, statistics.fmean(gbm_errors), statistics.fmean(bass_errors), wins)


def car_stock_backtest(shape: ShockShape) -> tuple[float, float]:
    """Held-out RMSE (thousands of cars) of the GBM with a shock of ``shape`` at the 1973 oil
    crisis and of plain Bass, fitted to the Dutch car stock up to 1982."""
    train, test = split(read_observations(CAR_STOCK, kind="cumulative", unit="count"))
    gbm = fit_gbm(train, (shape,), shock_starts=[OIL_CRISIS])
    return _rmse(gbm, test), _rmse(fit_bass(train), test)


def action_for(shape: ShockShape) -> tuple[PlanAction, str]:
    """The plan action of the simulated shock: training (exponential) from the action's date,
    or champions from it to six months later (a campaign), and its kind's id."""
    if shape == "exponential":
        return PlanAction(kind="training", start=ACTION_DAY), "training"
    return PlanAction(kind="champions", start=ACTION_DAY, end=CAMPAIGN_END), "champions"


def check(obs: Observations, shape: ShockShape, *, estimate_start: bool = False) -> ActionCheck:
    """ "Did it work?" for the simulated action of ``shape`` on ``obs``."""
    action, kind = action_for(shape)
    return check_action(obs, action, load_action_kinds().get(kind), estimate_start=estimate_start)


def check_coverage(
    sims: int, *, shape: ShockShape = "exponential", estimate_start: bool = False, seed: int = 4
) -> Coverage:
    """Coverage of the check's 95% interval of ``c`` over ``sims`` divisions with a shock."""
    rng = np.random.default_rng(seed)
    truth = SHOCKS[shape][1]
    covered = intervals = refused = 0
    for _ in range(sims):
        try:
            result = check(division(rng, shape), shape, estimate_start=estimate_start)
        except InputError:
            refused += 1
            continue
        if result.effect_low is None or result.effect_high is None:
            continue
        intervals += 1
        covered += result.effect_low <= truth <= result.effect_high
    return Coverage(sims, covered, intervals, refused)


def check_false_effects(
    sims: int, *, shape: ShockShape = "exponential", seed: int = 5
) -> FalseEffects:
    """The check on ``sims`` divisions that had no shock: how often it says supported."""
    rng = np.random.default_rng(seed)
    lower = lower2 = supported = 0
    for _ in range(sims):
        result = check(division(rng, None), shape)
        assert result.comparison is not None
        lower += result.comparison.delta_aic < 0
        lower2 += result.comparison.delta_aic < -2
        supported += result.verdict == "supported"
    return FalseEffects(sims, lower, lower2, supported)


def check_backtest(sims: int, *, shape: ShockShape = "exponential", seed: int = 6) -> Backtest:
    """The check's fit of the first 75% of each division with a shock, scored on the last 25%,
    against plain Bass."""
    rng = np.random.default_rng(seed)
    gbm_errors, bass_errors = [], []
    for _ in range(sims):
        train, test = split(division(rng, shape))
        result = check(train, shape)
        assert result.fit is not None
        gbm_errors.append(_rmse(result.fit, test))
        bass_errors.append(_rmse(fit_bass(train), test))
    wins = sum(g <= b for g, b in zip(gbm_errors, bass_errors, strict=True))
    return Backtest(sims, statistics.fmean(gbm_errors), statistics.fmean(bass_errors), wins)


def timed(run: Callable[[], object], repeat: int) -> float:
    """Median wall seconds of ``run()`` over ``repeat`` runs after a warm-up."""
    run()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def speeds(repeat: int, seed: int = 3) -> tuple[float, float, float]:
    """Median seconds of the check (the GBM fit with the effect's interval, the counterfactual
    and months earlier), start held and estimated, and of the plain Bass fit, on the same
    36-month division."""
    obs = division(np.random.default_rng(seed), "exponential")
    return (
        timed(lambda: check(obs, "exponential"), repeat),
        timed(lambda: check(obs, "exponential", estimate_start=True), repeat),
        timed(lambda: fit_bass(obs), repeat),
    )


def _percent(part: int, whole: int) -> str:
    return f"{part / whole:.1%} ({part}/{whole})" if whole else "n/a"


@dataclass(frozen=True)
class Results:
    """One run's measures, per shape where the measure has one."""

    sims: int
    fit_held: Coverage
    fit_estimated: Coverage
    check_held: Sequence[Coverage]
    check_estimated: Sequence[Coverage]
    false: Sequence[FalseEffects]
    check_false: Sequence[FalseEffects]
    backtests: Sequence[Backtest]
    check_backtests: Sequence[Backtest]
    car: Sequence[tuple[float, float]]
    seconds: tuple[float, float, float]


def row(results: Results) -> str:
    """The results as one row of ``bench/results/gbm.md``."""
    r = results
    load = f"{load_average():.2f} / {os.cpu_count()} cores"
    shapes = list(SHOCKS)
    fit_coverage = (
        f"{_percent(r.fit_held.covered, r.fit_held.intervals)} /"
        f" {_percent(r.fit_estimated.covered, r.fit_estimated.intervals)}"
    )
    check_text = "; ".join(
        f"{s}: {_percent(h.covered, h.intervals)} / {_percent(e.covered, e.intervals)}"
        for s, h, e in zip(shapes, r.check_held, r.check_estimated, strict=True)
    )
    false_text = "; ".join(
        f"{s}: {_percent(f.lower_aic, f.sims)} / {_percent(f.lower_by_2, f.sims)} /"
        f" {_percent(f.supported, f.sims)} / {_percent(c.supported, c.sims)}"
        for s, f, c in zip(shapes, r.false, r.check_false, strict=True)
    )

    def backs(items: Sequence[Backtest]) -> str:
        return ", ".join(
            f"{s} {b.gbm:.4f} / {b.bass:.4f} ({_percent(b.gbm_no_worse, b.sims)})"
            for s, b in zip(shapes, items, strict=True)
        )

    car_text = "; ".join(
        f"{s}: {gbm:.1f} / {bass:.1f}" for s, (gbm, bass) in zip(shapes, r.car, strict=True)
    )
    held_s, estimated_s, bass_s = r.seconds
    met = "yes" if max(held_s, estimated_s) <= TARGET_SECONDS else "no"
    return (
        f"| {now()} | {commit()} | {load} | {r.sims} | {fit_coverage} | {check_text}"
        f" | {false_text} | {backs(r.backtests)}; {backs(r.check_backtests)} | {car_text}"
        f" | {held_s:.3f} / {estimated_s:.3f} | {bass_s:.3f}"
        f" | {held_s / bass_s:.1f}x / {estimated_s / bass_s:.1f}x | {met} |\n"
    )


def start_table(path: Path) -> None:
    """Start the current table in ``path`` when its last table has other columns (rows of an
    earlier layout stay above, under their own header)."""
    if path.exists() and HEADER not in path.read_text(encoding="utf-8"):
        with path.open("a", encoding="utf-8") as out:
            out.write(f"\n{MEASURES}\n\n{HEADER}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sims", type=int, default=300, help="simulated divisions per measure")
    parser.add_argument("--repeat", type=int, default=15, help="timed runs per fit")
    add_results_option(parser, RESULTS)
    args = parser.parse_args()
    shapes = list(SHOCKS)
    results = Results(
        sims=args.sims,
        seconds=speeds(args.repeat),
        fit_held=coverage(args.sims, held=True),
        fit_estimated=coverage(args.sims, held=False),
        check_held=[check_coverage(args.sims, shape=s) for s in shapes],
        check_estimated=[check_coverage(args.sims, shape=s, estimate_start=True) for s in shapes],
        false=[false_effects(args.sims, shape=s) for s in shapes],
        check_false=[check_false_effects(args.sims, shape=s) for s in shapes],
        backtests=[backtest(args.sims // 3, shape=s) for s in shapes],
        check_backtests=[check_backtest(args.sims // 3, shape=s) for s in shapes],
        car=[car_stock_backtest(s) for s in shapes],
    )
    line = row(results)
    print(HEADER + line, end="")
    start_table(args.results)
    append(
        args.results,
        line,
        INTRODUCTION + f" Python {platform.python_version()}.\n\n{MEASURES}\n\n{HEADER}",
    )


if __name__ == "__main__":
    main()
