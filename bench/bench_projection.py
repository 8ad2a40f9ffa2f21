"""Benchmark of the projection engine against naive per-point Python loops, in one process.

Targets:

- 1,000 scenarios x 50 years monthly evaluated in <= 50 ms;
- a Bass fit of 40 points in <= 50 ms (median);
- the covariance band (the delta method) in <= 1 s, against 1,000 draws evaluated point by point;
- without a target, the 200-refit bootstrap band used for short histories.

Each is compared with a baseline that computes the same numbers one point at a time in plain
Python. Prints a table and writes ``out/bench/projection.json``. Run:
``.venv/bin/python bench/bench_projection.py``.
"""

from __future__ import annotations

import json
import math
import platform
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy.optimize import least_squares

from readiness.fitting import (
    GOOD_FIT_SSE_FRACTION,
    N_REFINED_STARTS,
    FitResult,
    Observations,
    bass_fraction,
    fit_bass,
    model_for,
    read_observations,
)
from readiness.projection import Scenario, evaluate, time_axis

OUT = Path(__file__).resolve().parents[1] / "out" / "bench" / "projection.json"
N_SCENARIOS = 1000
YEARS = 50
N_DRAWS = 1000


BOOTSTRAP_DRAWS = 200


def timed(fn: Callable[[], object], repeat: int) -> tuple[float, object]:
    """Median wall time in seconds over ``repeat`` runs (after one warm-up), and the last result."""
    result = fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


# --- 1. many scenarios ----------------------------------------------------------------------------


def make_scenarios() -> list[Scenario]:
    rng = np.random.default_rng(0)
    models = ("doubling", "logistic", "gompertz", "bass")
    scenarios = []
    for i in range(N_SCENARIOS):
        model = models[i % 4]
        params: dict[str, float] = {
            "doubling": {"g": float(rng.uniform(1.1, 2.5))},
            "logistic": {"r": float(rng.uniform(0.1, 1.5))},
            "gompertz": {"c": float(rng.uniform(0.1, 1.0))},
            "bass": {"p": float(rng.uniform(0.001, 0.05)), "q": float(rng.uniform(0.1, 0.8))},
        }[model]
        scenarios.append(
            Scenario.model_validate(
                {
                    "model": model,
                    "start_year": 2009,
                    "start_share": float(rng.uniform(0.01, 0.3)),
                    "ceiling": 1.0,
                    "horizon": YEARS,
                    "step": "month",
                    **params,
                }
            )
        )
    return scenarios


def naive_share(s: Scenario, t: float) -> float:
    """One point of one scenario, in plain Python (the baseline)."""
    m, f0 = s.ceiling, s.start_share
    if s.model == "doubling":
        grown: float = f0 * float(s.g or 1.0) ** t
        return min(m, grown)
    if s.model == "logistic":
        return m / (1 + (m - f0) / f0 * math.exp(-float(s.r or 0.0) * t))
    if s.model == "gompertz":
        return m * math.exp(math.log(f0 / m) * math.exp(-float(s.c or 0.0) * t))
    p, q, x = float(s.p or 0.0), float(s.q or 0.0), f0 / m
    t0 = -math.log((1 - x) / (1 + x * q / p)) / (p + q)
    e = math.exp(-(p + q) * (t + t0))
    return m * (1 - e) / (1 + q / p * e)


def naive_evaluate(scenarios: list[Scenario], years: np.ndarray) -> list[list[float]]:
    return [[naive_share(s, float(y) - s.start_year) for y in years] for s in scenarios]


# --- 2. Bass fit ----------------------------------------------------------------------------------


def bass_history() -> Observations:
    rng = np.random.default_rng(1)
    x = np.arange(1980.0, 2020.0)
    y = 0.8 * bass_fraction(x - 1979.0, 0.01, 0.45) + rng.normal(0, 0.005, x.size)
    return read_observations(pd.DataFrame({"period": x, "value": np.clip(y, 0, 1)}))


def naive_bass_fit(obs: Observations) -> np.ndarray:
    """The same procedure as :func:`fit_bass` (same screened starts, same solver and stopping
    rule, same covariance), with residuals computed point by point in plain Python."""
    xs, ys, x_first = list(obs.periods), list(obs.values), obs.periods[0]

    def residuals(theta: np.ndarray) -> list[float]:
        p, q, m, f_start = (float(v) for v in theta)
        frac = min(f_start / m, 1 - 1e-12)
        since = -math.log((1 - frac) / (1 + frac * q / p)) / (p + q)
        out = []
        for x, y in zip(xs, ys, strict=True):
            e = math.exp(-(p + q) * max(x - x_first + since, 0.0))
            out.append(m * (1 - e) / (1 + q / p * e) - y)
        return out

    lb, ub = np.array([1e-6, 0, 1e-6, 1e-9]), np.array([1, 5, 1, 1])
    highest = obs.cumulative_max
    m_options = sorted({min(1.0, highest * f) for f in (1.02, 1.2, 1.6, 3.0)})
    candidates = []
    for start in model_for("bass", obs).starts(obs.x, obs.y, m_options):
        theta0 = np.clip([start[k] for k in ("p", "q", "m", "f_start")], lb + 1e-9, ub - 1e-9)
        candidates.append((sum(r * r for r in residuals(theta0)), theta0))
    candidates.sort(key=lambda c: c[0])
    mean = sum(ys) / len(ys)
    sst = sum((y - mean) ** 2 for y in ys)
    best = None
    for _, theta0 in candidates[:N_REFINED_STARTS]:
        res = least_squares(residuals, theta0, bounds=(lb, ub), method="trf", x_scale="jac")
        if best is None or res.cost < best.cost:
            best = res
        if best.success and 2 * best.cost < GOOD_FIT_SSE_FRACTION * sst:
            break
    assert best is not None
    jac = np.asarray(best.jac)
    np.linalg.inv(jac.T @ jac)
    return np.asarray(best.x)


# --- 3. band --------------------------------------------------------------------------------------


def naive_band(fit: FitResult, periods: np.ndarray) -> list[tuple[float, float]]:
    """Draw parameters, evaluate each draw point by point, take quantiles per period."""
    rng = np.random.default_rng(0)
    names = fit.free
    cov = np.asarray(fit.covariance)
    theta = np.array([fit.params[n].value for n in names])
    draws = rng.multivariate_normal(theta, cov, size=N_DRAWS)
    values = {n: p.value for n, p in fit.params.items()}
    x_first = fit.observations.periods[0]
    paths = []
    for draw in draws:
        v = dict(values)
        v.update(zip(names, (float(d) for d in draw), strict=True))
        p, q, m = max(v["p"], 1e-6), max(v["q"], 0.0), min(max(v["m"], 1e-6), 1.0)
        frac = min(max(v["f_start"], 1e-9) / m, 1 - 1e-12)
        since = -math.log((1 - frac) / (1 + frac * q / p)) / (p + q)
        path = []
        for x in periods:
            e = math.exp(-(p + q) * max(float(x) - x_first + since, 0.0))
            path.append(m * (1 - e) / (1 + q / p * e))
        paths.append(path)
    out = []
    for j in range(len(periods)):
        column = sorted(path[j] for path in paths)
        out.append((column[int(0.025 * N_DRAWS)], column[int(0.975 * N_DRAWS) - 1]))
    return out


def main() -> dict[str, Any]:
    """Run every benchmark, print the table and write the JSON; returns the results."""
    scenarios = make_scenarios()
    years = time_axis(2009, YEARS, "month")
    fast_eval, curves = timed(lambda: evaluate(scenarios, years), repeat=20)
    slow_eval, naive = timed(lambda: naive_evaluate(scenarios, years), repeat=1)
    assert isinstance(curves.shares, np.ndarray)  # type: ignore[attr-defined]
    np.testing.assert_allclose(curves.shares, np.asarray(naive), atol=1e-9)  # type: ignore[attr-defined]

    obs = bass_history()
    fast_fit, fit = timed(lambda: fit_bass(obs), repeat=30)
    slow_fit, _ = timed(lambda: naive_bass_fit(obs), repeat=15)
    assert isinstance(fit, FitResult)

    periods = fit.forecast_periods(10)
    fast_band, _ = timed(lambda: fit.band(periods), repeat=10)
    slow_band, _ = timed(lambda: naive_band(fit, periods), repeat=1)

    rows: list[dict[str, Any]] = [
        {
            "task": f"evaluate {N_SCENARIOS} scenarios x {YEARS} years monthly "
            f"({len(years)} points)",
            "target_s": 0.050,
            "measured_s": fast_eval,
            "baseline_s": slow_eval,
        },
        {
            "task": f"Bass fit of {obs.x.size} points (median)",
            "target_s": 0.050,
            "measured_s": fast_fit,
            "baseline_s": slow_fit,
        },
        {
            "task": f"covariance band at {periods.size} periods (naive: {N_DRAWS} draws)",
            "target_s": 1.0,
            "measured_s": fast_band,
            "baseline_s": slow_band,
        },
    ]
    for row in rows:
        row["speedup"] = row["baseline_s"] / row["measured_s"]
        row["meets_target"] = row["measured_s"] <= row["target_s"]

    print(f"{'task':<62} {'target':>9} {'measured':>10} {'baseline':>10} {'ratio':>8}  ok")
    for row in rows:
        print(
            f"{row['task']:<62} {row['target_s'] * 1000:>7.0f}ms {row['measured_s'] * 1000:>8.1f}ms"
            f" {row['baseline_s'] * 1000:>8.0f}ms {row['speedup']:>7.1f}x"
            f"  {'yes' if row['meets_target'] else 'NO'}"
        )
    # No target: the refit bootstrap is the slow, honest band for short histories (one
    # least-squares fit per draw), reported beside the covariance band it replaces there.
    short = Observations(periods=obs.periods[:6], values=obs.values[:6], kind=obs.kind)
    short_fit = fit_bass(short)

    def bootstrap_seconds(result: FitResult) -> float:
        periods = result.forecast_periods(10)
        return timed(lambda: result.bootstrap_band(periods, draws=BOOTSTRAP_DRAWS), repeat=3)[0]

    bootstrap = {f"{result.n}_points_s": bootstrap_seconds(result) for result in (fit, short_fit)}
    for name, seconds in bootstrap.items():
        print(
            f"bootstrap band, {BOOTSTRAP_DRAWS} refits, Bass history of {name.split('_')[0]}"
            f" points: {seconds * 1000:.0f} ms ({seconds / fast_band:.0f}x the covariance band)"
        )
    result = {
        "bootstrap_band": {"draws": BOOTSTRAP_DRAWS, **bootstrap},
        "python": platform.python_version(),
        "numpy": np.__version__,
        "machine": platform.machine(),
        "results": rows,
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(result, indent=2) + "\n")
    print(f"wrote {OUT}")
    return result


if __name__ == "__main__":
    main()
