"""Append a snapshot of the test suite's durations to ``bench/results/test_durations.md``.

``make test`` leaves a JUnit XML report per lane in ``out/tests/``; this script reads them and
appends one dated section: per lane the tests, the wall time and the summed test time, then the
slowest tests and the slowest files. ``make durations`` runs it after ``make test``.

Usage: python bench/test_durations.py [REPORT.xml ...]   (default: out/tests/*.xml)
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import xml.etree.ElementTree as ET
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from results_log import append, commit

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "test_durations.md"
SLOWEST = 15


@dataclass(frozen=True)
class TestCase:
    lane: str
    file: str
    name: str
    seconds: float


@dataclass(frozen=True)
class Lane:
    name: str
    tests: int
    skipped: int
    wall_seconds: float
    cases: tuple[TestCase, ...]


def read_report(path: Path) -> Lane:
    """One JUnit XML report (pytest ``--junitxml``): its cases with their times in seconds."""
    root = ET.parse(path).getroot()
    suites = [root] if root.tag == "testsuite" else list(root.iter("testsuite"))
    cases = []
    skipped = 0
    wall = 0.0
    for suite in suites:
        wall += float(suite.get("time", 0))
        for case in suite.iter("testcase"):
            if case.find("skipped") is not None:
                skipped += 1
            classname = case.get("classname", "")
            file = classname.replace(".", "/") + ".py" if classname else case.get("file", "?")
            cases.append(
                TestCase(path.stem, file, case.get("name", "?"), float(case.get("time", 0)))
            )
    return Lane(path.stem, len(cases), skipped, wall, tuple(cases))


def snapshot(lanes: list[Lane], when: dt.datetime, commit: str, load: str) -> str:
    lines = [f"## {when:%Y-%m-%d %H:%M} UTC, commit {commit}, load average {load}", ""]
    lines += [
        "| lane | tests | skipped | wall (s) | summed test time (s) |",
        "|---|---|---|---|---|",
    ]
    for lane in lanes:
        summed = sum(case.seconds for case in lane.cases)
        row = (lane.name, lane.tests, lane.skipped, f"{lane.wall_seconds:.0f}", f"{summed:.0f}")
        lines.append("| " + " | ".join(map(str, row)) + " |")
    cases = sorted((c for lane in lanes for c in lane.cases), key=lambda c: -c.seconds)
    lines += ["", f"Slowest {SLOWEST} tests:", "", "| s | lane | test |", "|---|---|---|"]
    lines += [f"| {c.seconds:.1f} | {c.lane} | {c.file}::{c.name} |" for c in cases[:SLOWEST]]
    per_file: dict[tuple[str, str], float] = defaultdict(float)
    for case in cases:
        per_file[case.lane, case.file] += case.seconds
    files = sorted(per_file.items(), key=lambda item: -item[1])[:SLOWEST]
    lines += ["", f"Slowest {SLOWEST} files:", "", "| s | lane | file |", "|---|---|---|"]
    lines += [f"| {seconds:.1f} | {lane} | {file} |" for (lane, file), seconds in files]
    return "\n".join(lines) + "\n"


def main(argv: list[str], reports: Path = ROOT / "out" / "tests") -> int:
    paths = [Path(arg) for arg in argv] or sorted(reports.glob("*.xml"))
    if not paths:
        print("No JUnit reports: run make test first (it writes out/tests/*.xml)", file=sys.stderr)
        return 2
    lanes = [read_report(path) for path in paths]
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    text = snapshot(lanes, dt.datetime.now(dt.UTC), commit(), load)
    append(
        RESULTS,
        "\n" + text,
        "# Test suite durations\n\nWritten by `bench/test_durations.py` from the JUnit "
        "report of `make test`; one dated section per snapshot, newest last.\n",
    )
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
