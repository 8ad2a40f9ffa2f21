"""The benchmarks' results files in ``bench/results/``: each run appends one dated row or section
with the commit it measured and the machine's load, so the history of a figure stays readable."""

from __future__ import annotations

import argparse
import datetime as dt
import math
import os
import subprocess
from pathlib import Path

RESULTS_DIR = Path(__file__).resolve().parent / "results"
REPOSITORY = RESULTS_DIR.parents[1]


def commit(where: Path = REPOSITORY) -> str:
    """The short commit of the checkout at ``where``, or "unknown" outside git."""
    command = ["git", "rev-parse", "--short", "HEAD"]
    try:
        run = subprocess.run(command, capture_output=True, text=True, check=True, cwd=where)
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return run.stdout.strip() or "unknown"


def load_average() -> float:
    """The 1-minute load average (NaN where the system has none)."""
    return os.getloadavg()[0] if hasattr(os, "getloadavg") else math.nan


def now() -> str:
    """The time of a result, to the minute, in UTC."""
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M")


def add_results_option(parser: argparse.ArgumentParser, default: Path) -> None:
    """``--results FILE``: the file a run appends to."""
    parser.add_argument(
        "--results", type=Path, default=default, help=f"file appended to (default {default})"
    )


def append(path: Path, text: str, introduction: str) -> None:
    """Append ``text`` to the results file ``path``, starting it with ``introduction`` (its
    title, what is measured and any table header) when it does not exist yet."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        path.write_text(introduction, encoding="utf-8")
    with path.open("a", encoding="utf-8") as out:
        out.write(text)
