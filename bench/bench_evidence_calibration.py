"""Known truth for the levers calibrated from an organization's own data: simulated organizations
whose adoption is driven by a known mapping, calibrated as readiness calibrates a real one.

The truth: support drives p (from 0.01 per year at score 0 to 0.3 at 100, on the log scale) and
nothing else drives anything: q is 0.9 per year and the ceiling 0.8 whatever the scores, and
the limiting rule's strength is 0. The prior is ``data/levers.yaml``, which assumes other
things (grassroots and support drive q, tooling the ceiling, a limiting strength of 0.6).

One organization: ``--divisions`` divisions (20), each with a latent level per dimension
(uniform 25-85) and 25 respondents answering five 1-5 agreement items per dimension (the
latent level plus normal noise, sd 0.9, rounded and cut to 1-5); a division's true score is
the expected score of such answers, its survey score the mean of its respondents' (with its
standard error, their spread over the square root of 25). Its
adoption: 24 months from the tools' launch (at the start of the first month) of monthly active
counts, binomial on a roster of 150-600 people with the truth's Bass curve as the probability.

Each simulation calibrates (:func:`readiness.evidence.calibrate_levers`, each division's start
fitted, nothing told about the launch) and records:

- coverage: whether each number's 95% interval contains the truth;
- the calibrated lever ranking (:func:`readiness.evidence.lever_rankings`) for the organization
  (its mean scores, its mean latest share): whether the intervals separate (the top lever first
  in at least 95% of the mappings the data allow) and which lever is then first;
- the relative weights of the three dimensions for the divisions' latest share
  (:func:`readiness.evidence.relative_weights`): which is first when the intervals separate;
- with ``--small`` divisions (4): that both say they cannot tell.

Target: every number's coverage at least 90% over ``--simulations`` (200); support first
whenever the intervals separate; "too few divisions to tell" with 4. Appends a dated section to
``bench/results/evidence_calibration.md``.
Run: ``.venv/bin/python bench/bench_evidence_calibration.py [--simulations N]``.
"""

from __future__ import annotations

import argparse
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from results_log import append, commit, load_average, now
from scipy.stats import norm

from readiness.evidence import (
    Calibration,
    MatchedDivision,
    calibrate_levers,
    lever_rankings,
    relative_weights,
)
from readiness.fitting import bass_fraction
from readiness.levers import DIMENSIONS, LeverMapping, load_levers

RESULTS = Path(__file__).resolve().parent / "results" / "evidence_calibration.md"
RESPONDENTS = 25
ITEMS = 5
ANSWER_NOISE = 0.9
MONTHS = 24
ROSTER = (150, 600)
LATENT = (25.0, 85.0)
TARGET_COVERAGE = 0.9
START_YEAR = 2024.0


def truth_mapping(prior: LeverMapping | None = None) -> LeverMapping:
    """Support drives p (0.01 to 0.3 per year, log scale) and nothing else: q 0.9 and the
    ceiling 0.8 whatever the scores, limiting strength 0 (the prior's schema and threshold)."""
    base = (prior or load_levers()).model_dump()
    base["source"] = "simulation truth: support drives p and nothing else"
    base["parameters"]["p"].update(at_0=0.01, at_100=0.3, scale="log")
    base["parameters"]["q"].update(at_0=0.9, at_100=0.9)
    base["parameters"]["ceiling"].update(at_0=0.8, at_100=0.8)
    base["effects"] = [
        {"dimension": "support", "parameter": "p", "weight": 1.0, "rationale": "truth"},
        {"dimension": "grassroots", "parameter": "q", "weight": 1.0, "rationale": "flat"},
        {"dimension": "tooling", "parameter": "ceiling", "weight": 1.0, "rationale": "flat"},
    ]
    if base.get("limiting") is not None:
        base["limiting"]["strength"] = 0.0
    return LeverMapping.model_validate(base)


def truth_numbers(truth: LeverMapping) -> dict[tuple[str, str | None], float]:
    """The truth as the calibration's numbers: base and effect per parameter on its scale, and
    the limiting strength."""
    out: dict[tuple[str, str | None], float] = {}
    for parameter in ("p", "q", "ceiling"):
        rng = truth.parameters[parameter]
        g = math.log if rng.scale == "log" else float
        span = g(rng.at_100) - g(rng.at_0)
        links = truth.drivers(parameter)
        total = sum(e.weight for e in links)
        out[(parameter, None)] = g(rng.at_0)
        for dimension in DIMENSIONS:
            weight = sum(e.weight for e in links if e.dimension == dimension)
            out[(parameter, dimension)] = span * weight / total
    if truth.limiting is not None:
        out[("limiting", None)] = truth.limiting.strength
    return out


def expected_score(latent: np.ndarray) -> np.ndarray:
    """The expected product score (0-100) of one answer whose mean is ``1 + 4 latent / 100``
    plus normal noise, rounded and cut to 1-5."""
    mean = 1.0 + 4.0 * np.asarray(latent, dtype=np.float64) / 100.0
    cuts = np.array([1.5, 2.5, 3.5, 4.5])
    above = norm.sf((cuts - mean[..., None]) / ANSWER_NOISE)  # P(answer > k) for k = 1..4
    return np.asarray(above.sum(axis=-1) / 4.0 * 100.0, dtype=np.float64)


def simulate_organization(
    seed: int, truth: LeverMapping, divisions: int = 20
) -> list[MatchedDivision]:
    """One organization's divisions: survey scores from 25 respondents' answers, 24 months of
    measured shares (binomial counts on the roster) driven by ``truth`` from the true scores."""
    rng = np.random.default_rng(seed)
    latent = rng.uniform(*LATENT, size=(divisions, len(DIMENSIONS)))
    true_scores = expected_score(latent)
    mean = 1.0 + 4.0 * latent / 100.0
    answers = np.rint(
        mean[:, None, :, None]
        + rng.normal(0.0, ANSWER_NOISE, size=(divisions, RESPONDENTS, len(DIMENSIONS), ITEMS))
    )
    answers = np.clip(answers, 1, 5)
    respondent_scores = ((answers - 1.0) / 4.0 * 100.0).mean(axis=3)  # divisions x people x dims
    scores = respondent_scores.mean(axis=1)
    errors = respondent_scores.std(axis=1, ddof=1) / math.sqrt(RESPONDENTS)
    years_since_launch = (np.arange(MONTHS) + 0.5) / 12.0
    periods = tuple(float(v) for v in START_YEAR + years_since_launch)
    out = []
    for i in range(divisions):
        params = truth.parameters_for(dict(zip(DIMENSIONS, true_scores[i], strict=True)))
        share = params["ceiling"] * bass_fraction(years_since_launch, params["p"], params["q"])
        roster = int(rng.integers(ROSTER[0], ROSTER[1] + 1))
        active = rng.binomial(roster, share)
        out.append(
            MatchedDivision(
                name=f"division {i + 1}",
                scores=dict(zip(DIMENSIONS, (float(v) for v in scores[i]), strict=True)),
                score_errors=dict(zip(DIMENSIONS, (float(v) for v in errors[i]), strict=True)),
                periods=periods,
                shares=tuple(float(v) for v in active / roster),
                roster=(float(roster),) * MONTHS,
                latest_share=float(active[-1] / roster),
            )
        )
    return out


@dataclass(frozen=True)
class Outcome:
    """One simulation: per number whether its interval holds the truth, the calibrated lever
    ranking (top lever, whether its intervals separate), the weights' first (or None) and the
    verdict's kind."""

    covered: dict[tuple[str, str | None], bool]
    lever_top: str
    lever_separated: bool
    weights_first: str | None
    verdict: str
    seconds: float


def run_once(
    seed: int, truth: LeverMapping, prior: LeverMapping, divisions: int, draws: int
) -> tuple[Outcome, Calibration]:
    data = simulate_organization(seed, truth, divisions)
    started = time.perf_counter()
    calibration = calibrate_levers(data, prior)
    seconds = time.perf_counter() - started
    numbers = truth_numbers(truth)
    covered = {
        (n.parameter, n.dimension): n.contains(numbers[(n.parameter, n.dimension)])
        for n in calibration.numbers
    }
    organization: dict[str, float | None] = {
        d: float(np.mean([float(x.scores[d] or 0.0) for x in data])) for d in DIMENSIONS
    }
    start = float(np.mean([x.shares[-1] for x in data]))
    _, calibrated = lever_rankings(calibration, organization, start_share=start, draws=draws)
    x = np.array([[x.scores[d] for d in DIMENSIONS] for x in data], dtype=np.float64)
    y = np.array([x.shares[-1] for x in data], dtype=np.float64)
    weights = relative_weights(x, y, list(DIMENSIONS), resamples=500, seed=seed)
    return (
        Outcome(
            covered,
            calibrated.top,
            bool(calibrated.supported),
            weights.verdict.first if weights.verdict.kind == "ranked" else None,
            calibration.verdict.kind,
            seconds,
        ),
        calibration,
    )


@dataclass(frozen=True)
class Summary:
    simulations: int
    coverage: dict[tuple[str, str | None], float]
    all_covered: float
    lever_separated: int
    lever_support_first: int
    weights_ranked: int
    weights_support_first: int
    verdicts: dict[str, int]
    median_seconds: float


def summarise(outcomes: Sequence[Outcome]) -> Summary:
    keys = list(outcomes[0].covered)
    verdicts: dict[str, int] = {}
    for o in outcomes:
        verdicts[o.verdict] = verdicts.get(o.verdict, 0) + 1
    return Summary(
        simulations=len(outcomes),
        coverage={k: float(np.mean([o.covered[k] for o in outcomes])) for k in keys},
        all_covered=float(np.mean([all(o.covered.values()) for o in outcomes])),
        lever_separated=sum(o.lever_separated for o in outcomes),
        lever_support_first=sum(o.lever_separated and o.lever_top == "support" for o in outcomes),
        weights_ranked=sum(o.weights_first is not None for o in outcomes),
        weights_support_first=sum(o.weights_first == "support" for o in outcomes),
        verdicts=verdicts,
        median_seconds=float(np.median([o.seconds for o in outcomes])),
    )


def simulate_many(
    simulations: int, divisions: int = 20, draws: int = 200, first_seed: int = 1
) -> Summary:
    prior = load_levers()
    truth = truth_mapping(prior)
    outcomes = [
        run_once(seed, truth, prior, divisions, draws)[0]
        for seed in range(first_seed, first_seed + simulations)
    ]
    return summarise(outcomes)


def table(summary: Summary) -> str:
    rows = ["| number | coverage of the truth |", "|---|---|"]
    for (parameter, dimension), value in summary.coverage.items():
        label = (
            "limiting strength"
            if parameter == "limiting"
            else f"{parameter} at score 0"
            if dimension is None
            else f"{dimension} -> {parameter}"
        )
        rows.append(f"| {label} | {value:.1%} |")
    return "\n".join(rows)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--simulations", type=int, default=200)
    parser.add_argument("--divisions", type=int, default=20)
    parser.add_argument("--small", type=int, default=4, help="divisions of the small case")
    parser.add_argument("--draws", type=int, default=200)
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    large = simulate_many(args.simulations, args.divisions, args.draws)
    small = simulate_many(
        max(20, args.simulations // 10), args.small, args.draws, first_seed=10_001
    )
    wall = time.perf_counter() - started
    lowest = min(large.coverage.values())
    load = load_average()
    stamp = now()
    section = "\n".join(
        [
            f"## {stamp} UTC, commit {commit()}, load {load:.1f} (1 min)",
            "",
            f"{large.simulations} simulated organizations of {args.divisions} divisions x"
            f" {RESPONDENTS} respondents x {MONTHS} months (truth: support drives p and nothing"
            " else; prior: data/levers.yaml). Each number's 95% interval holds the truth in:",
            "",
            table(large),
            "",
            f"- lowest coverage {lowest:.1%} (target at least {TARGET_COVERAGE:.0%}):"
            f" {'met' if lowest >= TARGET_COVERAGE else 'NOT met'}; every interval at once in"
            f" {large.all_covered:.1%} of the organizations",
            f"- calibrated lever ranking: intervals separate in {large.lever_separated} of"
            f" {large.simulations}; support first in {large.lever_support_first} of those",
            f"- relative weights for the latest share: ranked in {large.weights_ranked} of"
            f" {large.simulations}; support first in {large.weights_support_first} of those",
            f"- verdicts: {', '.join(f'{k} {v}' for k, v in sorted(large.verdicts.items()))}",
            f"- {small.simulations} organizations of {args.small} divisions: verdicts"
            f" {', '.join(f'{k} {v}' for k, v in sorted(small.verdicts.items()))}; lever"
            f" intervals separate in {small.lever_separated}; weights ranked in"
            f" {small.weights_ranked}",
            f"- calibration {large.median_seconds:.2f} s per organization (median); whole run"
            f" {wall:.0f} s",
            "",
        ]
    )
    print(section)
    if not args.no_write:
        append(
            RESULTS,
            section + "\n",
            "# Levers calibrated from the organization's own data: known truth\n\n"
            "Appended by `bench/bench_evidence_calibration.py` (its docstring says what is"
            " simulated and the targets).\n\n",
        )
    ok = (
        lowest >= TARGET_COVERAGE
        and large.lever_support_first == large.lever_separated
        and large.weights_support_first == large.weights_ranked
        and set(small.verdicts) == {"too few"}
    )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
