"""How long a fitted history's band takes, as ``readiness fit`` and the Growth page compute it.

For histories of 5, 8, 20 and 60 points (cumulative shares from random plausible noisy Bass
curves, a new one each run), times the default band (``uncertainty(..., "auto")``: the refit
bootstrap below 12 points, parameter covariance from 12) over a 10-year forecast, the whole
``fit`` (``auto`` model choice, then the band), and the refit bootstrap at every size. Reports
p50 and p95 in milliseconds; the target is a band (and the whole fit) in at most 1 s p95 for any
history up to 60 points. Writes ``out/bench/fit_speed.json``. Run:
``.venv/bin/python bench/bench_fit_speed.py [--repeat N] [--out FILE]``.
"""

from __future__ import annotations

import argparse
import json
import platform
import time
from pathlib import Path

import numpy as np
import pandas as pd

from readiness.errors import InputError
from readiness.fitting import fit_model, read_observations

OUT = Path(__file__).resolve().parents[1] / "out" / "bench" / "fit_speed.json"
SIZES = (5, 8, 20, 60)
TARGET_SECONDS = 1.0


def history(points: int, seed: int) -> pd.DataFrame:
    """``points`` yearly cumulative shares of a random plausible Bass curve with noise: p 0.002
    to 0.05, q 0.1 to 0.9, ceiling 0.2 to 1, seen from 0 to 8 years after launch, noise 0.2% to
    3% of the ceiling (the same draws for every version measured)."""
    rng = np.random.default_rng(seed)
    p, q, m = rng.uniform(0.002, 0.05), rng.uniform(0.1, 0.9), rng.uniform(0.2, 1.0)
    years = 2000.0 + np.arange(points, dtype=np.float64)
    s = years - 2000.0 + rng.uniform(0.0, 8.0)
    e = np.exp(-(p + q) * s)
    shares = m * (1 - e) / (1 + (q / p) * e) + rng.normal(0, rng.uniform(0.002, 0.03) * m, points)
    shares = np.maximum.accumulate(np.clip(shares, 0.001, 1.0))
    return pd.DataFrame({"period": years, "value": shares})


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(values), q))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=20, help="timed runs per size")
    parser.add_argument("--out", type=Path, default=OUT, help=f"JSON written (default {OUT})")
    args = parser.parse_args()
    rows: list[dict[str, float | int | str]] = []
    for points in SIZES:
        band_times, total_times, boot_times, methods = [], [], [], set()
        for run in range(args.repeat + 1):
            frame = history(points, seed=1000 * points + run)
            start = time.perf_counter()
            try:
                result = fit_model("auto", read_observations(frame))
            except InputError:
                continue  # not a history any model can fit (the command exits 2)
            middle = time.perf_counter()
            band = result.uncertainty(result.forecast_periods(10.0), "auto")
            end = time.perf_counter()
            result.uncertainty(result.forecast_periods(10.0), "bootstrap")
            boot_times.append(time.perf_counter() - end)
            if run == 0:
                continue  # warm-up
            band_times.append(end - middle)
            total_times.append(end - start)
            methods.add(band.method)
        rows.append(
            {
                "points": points,
                "band": "/".join(sorted(methods)),
                "band_p50_ms": 1000 * percentile(band_times, 50),
                "band_p95_ms": 1000 * percentile(band_times, 95),
                "fit_and_band_p50_ms": 1000 * percentile(total_times, 50),
                "fit_and_band_p95_ms": 1000 * percentile(total_times, 95),
                "bootstrap_p95_ms": 1000 * percentile(boot_times, 95),
            }
        )
    print(
        f"{'points':>6} {'band':>10} {'band p50':>9} {'band p95':>9} {'all p50':>9} {'all p95':>9}"
    )
    for r in rows:
        print(
            f"{r['points']:>6} {r['band']:>10} {r['band_p50_ms']:>7.0f}ms"
            f" {r['band_p95_ms']:>7.0f}ms {r['fit_and_band_p50_ms']:>7.0f}ms"
            f" {r['fit_and_band_p95_ms']:>7.0f}ms {r['bootstrap_p95_ms']:>7.0f}ms"
        )
    worst = max(float(r["fit_and_band_p95_ms"]) for r in rows) / 1000
    verdict = "meets" if worst <= TARGET_SECONDS else "misses"
    print(f"worst p95 (fit and band): {worst:.2f} s, {verdict} the {TARGET_SECONDS:g} s target")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(
        json.dumps({"machine": platform.platform(), "repeat": args.repeat, "rows": rows}, indent=2)
        + "\n"
    )


if __name__ == "__main__":
    main()
