"""Levers tested against measured adoption, in Chromium: an assessment is saved; on Evidence a
Forms-shaped survey and an event log of the same ten divisions are uploaded, the one division
whose names differ ("Sales" / "Sales & Marketing") is mapped by hand, the evidence is shown, and
the calibrated mapping is switched on; Results, Growth scenarios and the report then name the
same mapping and the same biggest lever, which differs from the assumed mapping's."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, SCREENSHOTS, require_browser
from dashboard_page import (
    expect,
    save_assessment_with_weak_support,
    upload,
    wait_idle,
    widget,
)
from streamlit_server import streamlit_server

pytestmark = pytest.mark.browser
DATA = ROOT / "tests" / "data" / "evidence"
CALIBRATED = "Levers from the mapping calibrated on your 10 divisions"
ASSUMED = "Levers from the assumed mapping (data/levers.yaml)"
# the sample survey's divisions (tests/data/evidence/generate.py), sorted as the grid shows them
_SURVEY = io.StringIO((DATA / "survey.csv").read_text(encoding="utf-8-sig"))
DIVISIONS = sorted({row["Department"] for row in csv.DictReader(_SURVEY)})


def _biggest(page: Any) -> str:
    lever = page.get_by_test_id("stMetric").filter(has_text="Biggest lever").first
    return str(lever.inner_text().splitlines()[-1].strip())


def _results(page: Any) -> tuple[str, str]:
    page.get_by_role("link", name="Results").first.click()
    page.get_by_role("heading", name="Results").wait_for()
    wait_idle(page)
    outlook = page.get_by_text(re.compile(r"^From \d+% in ")).first
    expect(outlook).to_be_visible(timeout=20_000)
    return _biggest(page), str(outlook.inner_text())


def _open_evidence(page: Any) -> None:
    """Evidence is the navigation's last page: in its overflow menu on a narrow window."""
    link = page.get_by_role("link", name="Evidence")
    if link.count() and link.first.is_visible():
        link.first.click()
    else:
        page.get_by_text(re.compile(r"^\d+ more$")).first.click()
        page.get_by_text("Evidence", exact=True).last.click()
    page.get_by_role("heading", name="Evidence").wait_for()
    wait_idle(page)


def _map_sales(page: Any) -> None:
    """Choose "Sales & Marketing" for the survey's "Sales" in the names table, as a person
    does: double-click its measured cell, type, Enter (the survey's divisions are sorted)."""
    grid = widget(page, "evidence_names")
    grid.scroll_into_view_if_needed()
    box = grid.get_by_test_id("data-grid-canvas").bounding_box()
    row = 1 + DIVISIONS.index("Sales")  # below the header row
    row_height = box["height"] / (len(DIVISIONS) + 1)
    page.mouse.dblclick(box["x"] + box["width"] * 0.75, box["y"] + row_height * (row + 0.5))
    page.wait_for_timeout(300)
    page.keyboard.type("Sales & Mark")
    page.keyboard.press("Enter")
    wait_idle(page, 60_000)


def test_switching_to_the_calibrated_mapping_changes_results_growth_and_the_report(
    browser: Any, tmp_path: Path
) -> None:
    require_browser()
    with streamlit_server(ROOT / "app.py", tmp_path / "home") as server:
        context = browser.new_context(
            viewport={"width": 1400, "height": 1100}, accept_downloads=True
        )
        page = context.new_page()
        save_assessment_with_weak_support(page, server.url, "Evidence Co")
        assumed_lever, outlook = _results(page)
        assert ASSUMED in outlook

        _open_evidence(page)
        upload(
            page,
            "evidence_survey",
            "Readiness survey(1-200).csv",
            (DATA / "survey.csv").read_bytes(),
        )
        upload(page, "evidence_usage", "events.csv", (DATA / "events.csv").read_bytes())
        upload(page, "evidence_roster", "roster.csv", (DATA / "roster.csv").read_bytes())
        main = page.get_by_test_id("stMain")
        expect(main).to_contain_text("9 divisions paired", timeout=60_000)
        expect(main).to_contain_text("survey divisions without a measured one: 'Sales'")
        page.screenshot(path=str(SCREENSHOTS / "evidence-names.png"), full_page=True)
        _map_sales(page)
        expect(main).to_contain_text("10 divisions paired", timeout=60_000)
        expect(main).to_contain_text("Strong enough to offer")
        for heading in ("Scale quality", "Drivers of measured adoption", "Levers tested"):
            expect(page.get_by_role("heading", name=heading)).to_be_visible()
        for heading, name in (
            ("Drivers of measured adoption", "evidence-drivers"),
            ("Levers tested", "evidence-levers-tested"),
            ("The mapping in use", "evidence-mapping-in-use"),
        ):
            page.get_by_role("heading", name=heading).scroll_into_view_if_needed()
            page.wait_for_timeout(500)  # charts draw after they scroll in
            page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))

        widget(page, "evidence_use_calibrated").get_by_text("Use the calibrated mapping").click()
        wait_idle(page, 60_000)
        expect(main).to_contain_text("In use: the mapping calibrated on your 10 divisions")

        calibrated_lever, outlook = _results(page)
        assert CALIBRATED in outlook
        assert calibrated_lever != assumed_lever
        page.screenshot(path=str(SCREENSHOTS / "evidence-results-calibrated.png"), full_page=True)

        page.get_by_role("link", name="Growth scenarios").first.click()
        page.get_by_role("heading", name="Growth scenarios").wait_for()
        wait_idle(page)
        growth = page.get_by_test_id("stMain")
        expect(growth).to_contain_text(CALIBRATED)
        caption = page.get_by_text(re.compile(r"^Each bar raises one dimension")).first
        assert caption.inner_text().split(". ", 1)[1].startswith(f"{calibrated_lever} ")
        page.screenshot(path=str(SCREENSHOTS / "evidence-growth-calibrated.png"), full_page=True)

        page.get_by_role("link", name="Saved assessments").first.click()
        page.get_by_role("heading", name="Saved assessments").wait_for()
        wait_idle(page)
        with page.expect_download() as download:
            page.get_by_role("button", name="Report").click()
        report = Path(download.value.path()).read_text(encoding="utf-8")
        assert CALIBRATED in report
        assert f"<h2>Biggest lever</h2><p><strong>{calibrated_lever}</strong>" in report
        context.close()
