"""How long the command line takes to start: ``readiness --help`` and a 5-point ``readiness fit``.

Times, in the same run and as fresh processes, ``python -c pass`` (the baseline: an interpreter
starting), ``readiness --help`` and ``readiness fit FILE`` on a 5-point history (median wall and
CPU time of ``--repeat`` runs each, after one warm-up each), and states each as a ratio to the
baseline, so figures from a loaded or a faster machine compare. Targets: ``--help`` at most 10x
the baseline, the fit at most 0.8 s end to end. Appends a dated row, with the machine's load, to
``bench/results/cli_startup.md``. Run: ``.venv/bin/python bench/bench_cli_startup.py [--repeat N]``.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from results_log import add_results_option, append, commit, load_average, now

RESULTS = Path(__file__).resolve().parent / "results" / "cli_startup.md"
HELP_TARGET_RATIO = 10.0
FIT_TARGET_SECONDS = 0.8
#: Five yearly cumulative shares, the shortest history people fit (the bootstrap band's case).
FIVE_POINTS = "period,value\n2004,0.02\n2005,0.05\n2006,0.11\n2007,0.21\n2008,0.33\n"
HEADER = (
    "| date (UTC) | commit | load 1 min | runs | `python -c pass` s | `--help` s | `--help` ratio"
    " | 5-point `fit` s | `fit` ratio | CPU s: pass / `--help` / `fit` |\n"
    "|---|---|---|---|---|---|---|---|---|---|\n"
)


def readiness_command() -> list[str]:
    """The installed ``readiness`` script beside this interpreter, else ``python -m``."""
    script = Path(sys.executable).with_name("readiness")
    if script.exists():
        return [sys.executable, str(script)]
    return [sys.executable, "-m", "readiness.cli"]


def median_seconds(command: list[str], repeat: int) -> tuple[float, float]:
    """Median wall time and median CPU time (user + system) of ``command`` as a fresh process
    (one untimed warm-up run first). CPU time hardly changes with the machine's load."""
    walls, cpus = [], []
    for run in range(repeat + 1):
        used = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if run:
            walls.append(wall)
            cpus.append(after.ru_utime + after.ru_stime - used.ru_utime - used.ru_stime)
    return statistics.median(walls), statistics.median(cpus)


def measured_commit(readiness: list[str]) -> str:
    """The commit of the ``readiness`` package the command runs (``PYTHONPATH`` may point to an
    older checkout, to measure it in the same run)."""
    try:
        where = subprocess.run(
            [readiness[0], "-c", "import readiness; print(readiness.__file__)"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return commit(Path(where).parent)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=15, help="timed runs of each (default 15)")
    parser.add_argument("--label", default="", help="a note for the results row (e.g. 'before')")
    add_results_option(parser, RESULTS)
    args = parser.parse_args()
    readiness = readiness_command()
    with tempfile.TemporaryDirectory() as folder:
        history = Path(folder) / "history.csv"
        history.write_text(FIVE_POINTS, encoding="utf-8")
        load = load_average()
        baseline, baseline_cpu = median_seconds([sys.executable, "-c", "pass"], args.repeat)
        helping, helping_cpu = median_seconds([*readiness, "--help"], args.repeat)
        fitting, fitting_cpu = median_seconds([*readiness, "fit", str(history)], args.repeat)
        load = max(load, load_average())
    help_ratio, fit_ratio = helping / baseline, fitting / baseline
    print(f"python -c pass     {baseline:7.3f} s  (CPU {baseline_cpu:.3f} s)")
    print(
        f"readiness --help  {helping:7.3f} s  {help_ratio:5.1f}x baseline "
        f"(target <= {HELP_TARGET_RATIO:g}x; CPU {helping_cpu:.3f} s)"
    )
    print(
        f"readiness fit (5) {fitting:7.3f} s  {fit_ratio:5.1f}x baseline "
        f"(target <= {FIT_TARGET_SECONDS:g} s; CPU {fitting_cpu:.3f} s)"
    )
    print(f"load average (1 min, highest seen): {load:.2f} on {os.cpu_count()} cores")
    when = now()
    label = f"{measured_commit(readiness)} {args.label}".strip()
    row = (
        f"| {when} | {label} | {load:.2f} / {os.cpu_count()} cores | {args.repeat} "
        f"| {baseline:.3f} | {helping:.3f} | {help_ratio:.1f}x | {fitting:.3f} "
        f"| {fit_ratio:.1f}x | {baseline_cpu:.3f} / {helping_cpu:.3f} / {fitting_cpu:.3f} |\n"
    )
    append(
        args.results,
        row,
        "# Command line start-up\n\n"
        "`bench/bench_cli_startup.py`: median wall time of fresh processes, each also as a "
        "ratio to `python -c pass` in the same run, and median CPU time (user + system), "
        "which the machine's load hardly changes (targets: `--help` <= "
        f"{HELP_TARGET_RATIO:g}x, a 5-point `fit` <= {FIT_TARGET_SECONDS:g} s). "
        f"Python {platform.python_version()}.\n\n" + HEADER,
    )


if __name__ == "__main__":
    main()
