"""The durations snapshot reads pytest's JUnit reports as pytest writes them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import test_durations

REPORT = """<?xml version="1.0" encoding="utf-8"?>
<testsuites><testsuite name="pytest" errors="0" failures="0" skipped="1" tests="3" time="12.5">
<testcase classname="tests.test_store" name="test_saves" time="4.25"/>
<testcase classname="tests.test_store" name="test_reads" time="0.75"/>
<testcase classname="tests.e2e.test_sign_in" name="test_signs_in" time="7.0"><skipped/></testcase>
</testsuite></testsuites>
"""


def test_a_snapshot_names_each_lane_its_slowest_tests_and_files(tmp_path: Path) -> None:
    report = tmp_path / "parallel.xml"
    report.write_text(REPORT, encoding="utf-8")
    lane = test_durations.read_report(report)
    assert (lane.name, lane.tests, lane.skipped, lane.wall_seconds) == ("parallel", 3, 1, 12.5)
    text = test_durations.snapshot([lane], dt.datetime(2026, 12, 7, 16, 5), "abc1234", "1.0")
    assert "2026-12-07 16:05 UTC, commit abc1234" in text
    assert "| parallel | 3 | 1 | 12 | 12 |" in text
    slowest = text.split("Slowest 15 tests:")[1].splitlines()
    assert slowest[4] == "| 7.0 | parallel | tests/e2e/test_sign_in.py::test_signs_in |"
    assert "| 5.0 | parallel | tests/test_store.py |" in text


def test_without_reports_it_says_what_to_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert test_durations.main([], reports=tmp_path) == 2
    assert "run make test first" in capsys.readouterr().err


def test_each_run_appends_a_section(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "browser.xml").write_text(REPORT, encoding="utf-8")
    results = tmp_path / "test_durations.md"
    monkeypatch.setattr(test_durations, "RESULTS", results)
    assert test_durations.main([], reports=tmp_path) == 0
    assert test_durations.main([str(tmp_path / "browser.xml")]) == 0
    text = results.read_text(encoding="utf-8")
    assert text.startswith("# Test suite durations")
    assert text.count("| browser | 3 | 1 | 12 | 12 |") == 2
