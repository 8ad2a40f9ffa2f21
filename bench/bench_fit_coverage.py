"""Coverage of the fitted bands: how often the true curve lies inside the 80% and 95% bands.

A seeded simulation. For each truth (a Bass and a logistic adoption curve, cumulative shares
0-1, yearly) and each history length (8 and 20 points), histories are drawn as the true curve
plus normal noise (1 percentage point), the same model is fitted with readiness, and its band
(the method users get: ``auto``, or the one given) is evaluated 1 to 5 years after the last
point. Coverage is the share of (history, year ahead) pairs whose true value lies inside the
band; near nominal (0.80 / 0.95) is honest. Fits that readiness refuses (an input error, e.g. a
history it cannot identify) are counted and left out.

Prints a table and writes ``out/bench/fit_coverage.json``. Run:
``.venv/bin/python bench/bench_fit_coverage.py [--histories 200] [--method auto]``.
"""

from __future__ import annotations

import argparse
import json
import math
import platform
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import get_args

import numpy as np
import numpy.typing as npt

from readiness.errors import InputError
from readiness.fitting import BandMethod, FitModelName, Observations, fit_model

OUT = Path(__file__).resolve().parents[1] / "out" / "bench" / "fit_coverage.json"
FloatArray = npt.NDArray[np.float64]

#: Standard deviation of the noise added to each observed share (1 percentage point).
NOISE = 0.01
#: Years ahead of the last observation at which the band is checked.
AHEAD = (1, 2, 3, 4, 5)
POINTS = (8, 20)


def _bass(t: FloatArray) -> FloatArray:
    # p = 0.01, q = 0.45 per year, ceiling 0.8, launch at year 0: about 4% at year 3 and 40%
    # at year 8, so 8 points end before the inflection is certain and 20 reach the plateau.
    p, q, m = 0.01, 0.45, 0.8
    e = np.exp(-(p + q) * t)
    return np.asarray(m * (1.0 - e) / (1.0 + (q / p) * e), dtype=np.float64)


def _logistic(t: FloatArray) -> FloatArray:
    # r = 0.5 per year, midpoint year 9, ceiling 0.7.
    return np.asarray(0.7 / (1.0 + np.exp(-0.5 * (t - 9.0))), dtype=np.float64)


TRUTHS: dict[FitModelName, Callable[[FloatArray], FloatArray]] = {
    "bass": _bass,
    "logistic": _logistic,
}


@dataclass(frozen=True)
class Coverage:
    """Coverage of one (model, history length) cell of the simulation."""

    model: str
    points: int
    method: str
    histories: int
    refused: int
    checks: int
    coverage80: float
    coverage95: float
    seconds_per_fit: float


def simulate(
    model: FitModelName,
    points: int,
    histories: int,
    *,
    seed: int = 0,
    method: BandMethod = "auto",
) -> Coverage:
    """Fit ``histories`` noisy histories of ``points`` years drawn from the model's truth."""
    truth = TRUTHS[model]
    rng = np.random.default_rng([seed, points, list(TRUTHS).index(model)])
    periods = np.arange(1.0, points + 1.0)
    ahead = periods[-1] + np.asarray(AHEAD, dtype=np.float64)
    expected = truth(ahead)
    inside80 = inside95 = checks = refused = 0
    elapsed = 0.0
    for _ in range(histories):
        values = np.clip(truth(periods) + rng.normal(0.0, NOISE, points), 0.0, 1.0)
        obs = Observations(
            periods=tuple(float(x) for x in periods),
            values=tuple(float(v) for v in values),
            kind="cumulative",
            unit="share",
            source="simulated",
        )
        start = time.perf_counter()
        try:
            band = fit_model(model, obs).uncertainty(ahead, method)
        except InputError:
            refused += 1
            continue
        finally:
            elapsed += time.perf_counter() - start
        inside80 += int(np.sum((band.low80 <= expected) & (expected <= band.high80)))
        inside95 += int(np.sum((band.low95 <= expected) & (expected <= band.high95)))
        checks += len(ahead)
    return Coverage(
        model=model,
        points=points,
        method=method,
        histories=histories,
        refused=refused,
        checks=checks,
        coverage80=inside80 / checks if checks else math.nan,
        coverage95=inside95 / checks if checks else math.nan,
        seconds_per_fit=elapsed / histories,
    )


def table(cells: Sequence[Coverage]) -> str:
    """The cells as a plain-text table."""
    lines = [
        f"{'model':<9} {'points':>6} {'method':>9} {'histories':>9} {'refused':>7}"
        f" {'80% band':>9} {'95% band':>9} {'s per fit':>9}"
    ]
    lines.extend(
        f"{c.model:<9} {c.points:>6} {c.method:>9} {c.histories:>9} {c.refused:>7}"
        f" {c.coverage80:>9.3f} {c.coverage95:>9.3f} {c.seconds_per_fit:>9.3f}"
        for c in cells
    )
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--histories", type=int, default=200, help="per cell (default 200)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--method", choices=get_args(BandMethod), default="auto")
    args = parser.parse_args(argv)
    cells = [
        simulate(model, points, args.histories, seed=args.seed, method=args.method)
        for model in TRUTHS
        for points in POINTS
    ]
    print(table(cells), end="")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(
        json.dumps(
            {
                "noise": NOISE,
                "ahead": list(AHEAD),
                "seed": args.seed,
                "machine": platform.platform(),
                "cells": [asdict(c) for c in cells],
            },
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
