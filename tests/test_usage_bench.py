"""The usage benchmark, small and seeded: readiness' DuckDB path and the pandas baseline count
the same active users per division (the full run is ``python bench/bench_usage.py``)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench" / "bench_usage.py"


def _bench():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("bench_usage", BENCH)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_usage"] = module
    spec.loader.exec_module(module)
    return module


def test_a_small_seeded_run_counts_what_pandas_counts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bench = _bench()
    monkeypatch.setattr(bench, "OUT", tmp_path)
    log, roster = bench.generate(users=3000, months=6, events=60_000)
    ours = bench.run_readiness(log, roster)["active"]
    baseline = bench.run_pandas(log, roster)["active"]
    shown = {d: n for d, n in baseline.items() if d in ours}
    merged = sum(n for d, n in baseline.items() if d not in ours)
    assert shown
    assert all(ours[d] == n for d, n in shown.items())
    assert ours.get("other divisions", 0) == merged
    assert sum(ours.values()) == sum(baseline.values())
