"""Memory soak: does the dashboard server's memory stay flat under steady use?

Starts the dashboard as it ships (``app.py`` and ``.streamlit/config.toml``, the "config" variant
of bench/bench_load.py) on a free port with its own store, and keeps ``--sessions`` people on
Growth scenarios moving the growth slider every 1-3 s (the load benchmark's person). People come
and go: each session lasts ``--session-minutes`` and is then replaced by a new one, so session
clean-up is part of what is measured. The server's resident memory (VmRSS), CPU seconds and the
moves so far are sampled every ``--interval`` seconds into out/bench/soak.csv.

Reported: first, last and largest RSS, and the slope of a straight line fitted to the samples
after the warm-up (the first fifth of the run), in MB per hour.

Usage: python bench/bench_soak.py [--minutes 30] [--sessions 10] [--interval 30]
Writes out/bench/soak.csv and out/bench/soak.json.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import random
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from bench_load import OUT, Person, Window, cpu_seconds, dashboard_server, rss_mb, warm_up

FIELDS = ["elapsed_s", "rss_mb", "cpu_s", "moves", "sessions_finished"]


class Tally:
    def __init__(self) -> None:
        self.moves = 0
        self.sessions = 0
        self.errors: list[str] = []
        self.latencies: list[float] = []
        self.active: list[Person] = []

    def moves_so_far(self) -> int:
        return self.moves + sum(len(p.moves) for p in self.active)


async def _person_slot(
    url: str, slot: int, end: float, session_s: float, join_s: float, tally: Tally
) -> None:
    rng = random.Random(slot)
    await asyncio.sleep(rng.uniform(0, join_s))
    while time.perf_counter() < end:
        window = Window(1, min(session_s, end - time.perf_counter()))
        window.open()
        person = Person(url, random.Random(rng.random()))
        tally.active.append(person)
        try:
            await person.run(time.perf_counter(), None, window)
        finally:
            tally.active.remove(person)
        tally.sessions += 1
        tally.moves += len(person.moves)
        tally.latencies += [m.latency_ms for m in person.moves]
        tally.errors += person.errors


async def _sample(
    pid: int, start: float, end: float, interval: float, tally: Tally, csv_path: Path
) -> list[dict[str, Any]]:
    """Sample every ``interval`` s until ``end``; each row is written to ``csv_path`` at once."""
    rows: list[dict[str, Any]] = []
    with csv_path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=FIELDS)
        writer.writeheader()
        while True:
            now = time.perf_counter()
            row = {
                "elapsed_s": round(now - start, 1),
                "rss_mb": round(rss_mb(pid), 1),
                "cpu_s": round(cpu_seconds([pid]), 2),
                "moves": tally.moves_so_far(),
                "sessions_finished": tally.sessions,
            }
            rows.append(row)
            writer.writerow(row)
            handle.flush()
            if now >= end:
                return rows
            await asyncio.sleep(min(interval, max(0.0, end - now)))


def summarize(rows: Sequence[dict[str, Any]]) -> dict[str, float]:
    """First, last, largest RSS (MB) and the slope (MB per hour) after the first fifth."""
    rss = np.array([r["rss_mb"] for r in rows], dtype=float)
    t = np.array([r["elapsed_s"] for r in rows], dtype=float)
    steady = t >= t[-1] / 5
    slope = float(np.polyfit(t[steady] / 3600, rss[steady], 1)[0]) if steady.sum() >= 3 else 0.0
    return {
        "rss_first_mb": float(rss[0]),
        "rss_last_mb": float(rss[-1]),
        "rss_max_mb": float(rss.max()),
        "rss_at_warmup_end_mb": float(rss[steady][0]),
        "slope_mb_per_hour_after_warmup": slope,
    }


async def _soak(url: str, pid: int, args: argparse.Namespace, tally: Tally) -> list[dict[str, Any]]:
    start = time.perf_counter()
    end = start + args.minutes * 60
    people = [
        asyncio.create_task(
            _person_slot(url, slot, end, args.session_minutes * 60, args.join, tally)
        )
        for slot in range(args.sessions)
    ]
    rows = await _sample(pid, start, end, args.interval, tally, args.out / "soak.csv")
    await asyncio.gather(*people)
    return rows


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=30.0)
    parser.add_argument("--sessions", type=int, default=10)
    parser.add_argument("--session-minutes", type=float, default=3.0)
    parser.add_argument("--join", type=float, default=10.0, help="seconds over which people join")
    parser.add_argument("--interval", type=float, default=30.0, help="seconds between samples")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    tally = Tally()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, dashboard_server("config", Path(tmp)) as server:
        warm_up(server.url)
        rows = asyncio.run(_soak(server.url, server.pid, args, tally))
    latencies = np.asarray(tally.latencies) if tally.latencies else np.asarray([np.nan])
    result = {
        "minutes": args.minutes,
        "sessions": args.sessions,
        "session_minutes": args.session_minutes,
        "samples": len(rows),
        "moves": tally.moves,
        "sessions_finished": tally.sessions,
        "errors": tally.errors[:5],
        "error_count": len(tally.errors),
        "p50_ms": float(np.percentile(latencies, 50)),
        "p95_ms": float(np.percentile(latencies, 95)),
        **summarize(rows),
    }
    (args.out / "soak.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    for key, value in result.items():
        print(f"{key:<32} {value}")
    return result


if __name__ == "__main__":
    main()
