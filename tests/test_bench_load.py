"""The load benchmark's harness, small: people on the websocket protocol move the growth slider
and every move finishes a run (the full run is ``python bench/bench_load.py``); the soak's
summary finds a growing memory where there is one; and the garbage-collection setting the
benchmark chose is the one the dashboard runs with."""

from __future__ import annotations

import tomllib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from bench_load import main as load_main
from bench_soak import summarize

pytestmark = pytest.mark.full  # starts dashboard servers

ROOT = Path(__file__).resolve().parents[1]


def test_people_move_the_slider_and_every_move_finishes_a_run(tmp_path: Path) -> None:
    out = tmp_path / "load.json"
    arguments = [
        *("--sessions", "1", "3", "--duration", "4", "--join", "1", "--variants", "config"),
        *("--out", str(out)),
    ]
    # The benchmark runs its own event loop (asyncio.run), which a thread of the test process
    # may already have running (Playwright's, in a browser test before this one): its own thread.
    with ThreadPoolExecutor(1) as pool:
        results = pool.submit(load_main, arguments).result()
    assert out.exists()
    one, three = results["runs"]["config"]["levels"]
    assert (one["sessions"], three["sessions"]) == (1, 3)
    for level in (one, three):
        assert level["error_count"] == 0, level["errors"]
        assert level["moves"] >= level["sessions"]  # each person moved at least once
        assert 0 < level["p50_ms"] <= level["p95_ms"] <= level["max_ms"]
        assert level["cpu_ms_per_move"] > 0  # read from the server's /proc entry
    assert one["p95_ratio_to_1"] == pytest.approx(1.0)
    assert three["p95_ratio_to_1"] == pytest.approx(three["p95_ms"] / one["p95_ms"])


def test_soak_summary_tells_flat_from_growing_memory() -> None:
    times = [30.0 * i for i in range(61)]  # 30 minutes, a sample every 30 s
    flat = [
        {"elapsed_s": t, "rss_mb": 300.0 + (2.0 if i % 2 else 0.0)} for i, t in enumerate(times)
    ]
    growing = [{"elapsed_s": t, "rss_mb": 300.0 + t / 60} for t in times]  # 1 MB a minute
    assert abs(summarize(flat)["slope_mb_per_hour_after_warmup"]) < 1.0
    summary = summarize(growing)
    assert summary["slope_mb_per_hour_after_warmup"] == pytest.approx(60.0)
    assert (summary["rss_first_mb"], summary["rss_last_mb"]) == (300.0, 330.0)
    assert summary["rss_max_mb"] == 330.0


def test_the_dashboard_runs_without_the_post_run_collection() -> None:
    """The setting the benchmark chose (docs/team.md) is the one ``make run`` serves."""
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["runner"]["postScriptGC"] is False
