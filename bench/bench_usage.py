"""Benchmark: 10 million usage events to monthly active share per division.

A synthetic event log (100,000 people x 24 months, ``user, timestamp, action``; adoption grows
from 10% to 70%) is written once as Parquet to out/bench/ (never committed) with a roster of 12
divisions. Then, each in its own process so that peak memory is its own:

- readiness' path (:func:`readiness.usage.measure_files`: DuckDB reads the Parquet file,
  keeps counted actions, reduces to distinct (user, month) pairs, pseudonymises them with a
  salted SHA-256, joins the roster by month, merges small divisions): wall time and peak RSS;
- a pandas baseline doing the same counting with ``read_parquet`` + ``drop_duplicates`` +
  ``merge`` + ``groupby`` (without pseudonymising, which only favours it).

Both must give the same active counts. Targets (2 cores): readiness <= 3 s and <= 2 GB. Each
path runs ``--repeats`` times in its process (the fastest is reported, every run is listed, with
the load average: the machine is shared).

Usage: python bench/bench_usage.py [--users N] [--months N] [--events N]
Writes out/bench/usage.json.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

OUT = Path("out/bench")
DIVISIONS = [f"Division {k:02d}" for k in range(12)]
COUNTED = ("post", "comment")  # the log's contributions; "view" is reading (off by default)
TARGET_SECONDS = 3.0
TARGET_MB = 2048.0


def generate(users: int, months: int, events: int, seed: int = 2026) -> tuple[Path, Path]:
    """The Parquet event log and the roster CSV (cached by size in their names)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    OUT.mkdir(parents=True, exist_ok=True)
    log = OUT / f"usage-events-{users}x{months}-{events}.parquet"
    roster = OUT / f"usage-roster-{users}.csv"
    rng = np.random.default_rng(seed)
    if not roster.exists():
        ids = np.char.add("user", np.arange(users).astype(str))
        division = rng.choice(len(DIVISIONS), users, p=_division_weights())
        pd.DataFrame({"user": ids, "division": np.array(DIVISIONS)[division]}).to_csv(
            roster, index=False
        )
    if log.exists():
        return log, roster
    month = rng.integers(0, months, events)
    share = 0.1 + 0.6 * month / max(months - 1, 1)  # the active pool grows month by month
    user = (rng.random(events) * share * users).astype(np.int64)
    start = np.datetime64("2024-01-01", "M") + month.astype("timedelta64[M]")
    stamp = start.astype("datetime64[s]") + rng.integers(0, 28 * 86400, events).astype(
        "timedelta64[s]"
    )
    action = np.array(["post", "comment", "view"])[rng.choice(3, events, p=[0.6, 0.1, 0.3])]
    table = pa.table(
        {
            "user": pa.array(np.char.add("user", user.astype(str))),
            "timestamp": pa.array(stamp),
            "action": pa.array(action).dictionary_encode(),
        }
    )
    pq.write_table(table, log, row_group_size=1_000_000)
    return log, roster


def _division_weights() -> list[float]:
    weights = [30, 20, 12, 10, 8, 6, 5, 4, 2, 1.5, 1, 0.5]
    return [w / sum(weights) for w in weights]


def run_readiness(log: Path, roster: Path) -> dict[str, Any]:
    from readiness.usage import measure_files, read_roster

    start = time.perf_counter()
    measured = measure_files([(log, log.name)], roster=read_roster(roster), actions=set(COUNTED))
    seconds = time.perf_counter() - start
    rows = measured.series[measured.series["group"] != "all staff"]
    return {"seconds": seconds, "active": _totals(rows, "group")}


def run_pandas(log: Path, roster: Path) -> dict[str, Any]:
    start = time.perf_counter()
    events = pd.read_parquet(log, columns=["user", "timestamp", "action"])
    events = events[events["action"].isin(COUNTED)]
    pairs = pd.DataFrame(
        {"user": events["user"], "month": events["timestamp"].dt.to_period("M")}
    ).drop_duplicates()
    people = pd.read_csv(roster, dtype=str, keep_default_na=False)
    joined = pairs.merge(people, on="user", how="inner")
    active = joined.groupby(["division", "month"]).size().rename("active").reset_index()
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "active": _totals(active, "division")}


def _totals(frame: pd.DataFrame, group: str) -> dict[str, int]:
    """Active users summed over months per group (for comparing the two paths)."""
    sums = frame.groupby(group)["active"].sum()
    return {str(k): int(v) for k, v in sums.items()}


def _peak_mb() -> float:
    """This process's peak resident memory (VmHWM: unlike ru_maxrss, not inherited from the
    parent across fork and exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024.0
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _child(which: str, log: Path, roster: Path, repeats: int) -> None:
    run = run_readiness if which == "readiness" else run_pandas
    runs = [run(log, roster) for _ in range(repeats)]
    result = {"seconds": min(r["seconds"] for r in runs), "active": runs[0]["active"]}
    result["all_seconds"] = [round(r["seconds"], 3) for r in runs]
    result["peak_mb"] = _peak_mb()
    print(json.dumps(result))


def _spawn(which: str, log: Path, roster: Path, repeats: int) -> dict[str, Any]:
    done = subprocess.run(
        [
            sys.executable,
            __file__,
            "--child",
            which,
            "--log",
            str(log),
            "--roster",
            str(roster),
            "--repeats",
            str(repeats),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--events", type=int, default=10_000_000)
    parser.add_argument(
        "--repeats", type=int, default=3, help="runs of each path; the fastest is reported"
    )
    parser.add_argument("--child", choices=("readiness", "pandas"), help=argparse.SUPPRESS)
    parser.add_argument("--log", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--roster", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child, args.log, args.roster, args.repeats)
        return 0
    begin = time.perf_counter()
    log, roster = generate(args.users, args.months, args.events)
    print(
        f"event log: {log} ({log.stat().st_size / 1e6:.0f} MB, made or reused in "
        f"{time.perf_counter() - begin:.1f} s)"
    )
    ours = _spawn("readiness", log, roster, args.repeats)
    baseline = _spawn("pandas", log, roster, args.repeats)
    small = {d for d, n in baseline["active"].items() if d not in ours["active"]}
    merged = sum(baseline["active"][d] for d in small)
    same = (
        all(ours["active"].get(d) == n for d, n in baseline["active"].items() if d not in small)
        and ours["active"].get("other divisions", 0) == merged
    )
    report = {
        "events": args.events,
        "users": args.users,
        "months": args.months,
        "cores": os.cpu_count(),
        "load_average_1min": round(os.getloadavg()[0], 2),
        "readiness_seconds": round(ours["seconds"], 3),
        "readiness_runs": ours["all_seconds"],
        "readiness_peak_mb": round(ours["peak_mb"], 1),
        "pandas_seconds": round(baseline["seconds"], 3),
        "pandas_runs": baseline["all_seconds"],
        "pandas_peak_mb": round(baseline["peak_mb"], 1),
        "speedup": round(baseline["seconds"] / ours["seconds"], 2),
        "same_counts": same,
        "targets": {"seconds": TARGET_SECONDS, "peak_mb": TARGET_MB},
        "met": ours["seconds"] <= TARGET_SECONDS and ours["peak_mb"] <= TARGET_MB and same,
    }
    (OUT / "usage.json").write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))
    return 0 if report["met"] else 1


if __name__ == "__main__":
    sys.exit(main())
