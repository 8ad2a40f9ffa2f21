"""One organization, one story, as a person reads it: answers -> Results -> Growth -> report.

The milestones of the organization's projection, its biggest lever and its barrier are read off
the screen on each page (and out of the downloaded report) and must agree; an uploaded own
history is drawn, with its own milestone row, at both levels of the Growth page.
"""

from __future__ import annotations

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
OWN = "from your readiness"
HISTORY = "period,value\n2021,3\n2022,5\n2023,8\n2024,12\n2025,17\n2026,23\n"


def _row(page: Any, curve: str) -> list[str]:
    """The cells of the first milestone table's row for ``curve``."""
    row = page.get_by_test_id("stTable").first.locator("tr").filter(has_text=curve).first
    expect(row).to_be_visible(timeout=20_000)
    return [c.strip() for c in row.locator("td, th").all_inner_texts() if c.strip()]


def test_results_growth_and_the_report_tell_the_same_story(browser: Any, tmp_path: Path) -> None:
    require_browser()
    with streamlit_server(ROOT / "app.py", tmp_path / "home") as server:
        context = browser.new_context(
            viewport={"width": 1400, "height": 1000}, accept_downloads=True
        )
        page = context.new_page()
        save_assessment_with_weak_support(page, server.url, "Story Co")

        page.get_by_role("link", name="See results").first.click()
        page.get_by_role("heading", name="Results").wait_for()
        wait_idle(page)
        results_row = _row(page, OWN)
        lever = page.get_by_test_id("stMetric").filter(has_text="Biggest lever").first
        biggest = lever.inner_text().splitlines()[-1].strip()
        warning = page.get_by_test_id("stAlertContentWarning").filter(has_text="holds growth back")
        barrier = warning.first.inner_text() if warning.count() else ""
        page.screenshot(path=str(SCREENSHOTS / "one_story_results.png"), full_page=True)

        page.get_by_role("link", name="Explore it on Growth scenarios").click()
        page.get_by_role("heading", name="Growth scenarios").wait_for()
        wait_idle(page)
        expect(widget(page, "level").get_by_role("radio", name="Your organization")).to_be_checked()
        assert _row(page, OWN) == results_row
        caption = page.get_by_text(re.compile(r"^Each bar raises one dimension")).first
        expect(caption).to_be_visible()
        top = caption.inner_text().split(". ", 1)[1]
        assert top.startswith(f"{biggest} ")  # the top lever on Growth is Results' biggest lever
        if barrier:  # ... and Results' barrier, when there is one
            assert biggest in barrier.splitlines()[-1]
            assert top in barrier
        page.screenshot(path=str(SCREENSHOTS / "one_story_growth.png"), full_page=True)

        page.get_by_text("Your own adoption history").click()
        wait_idle(page)
        upload(page, "growth_history", "history.csv", HISTORY.encode())
        page.get_by_text(re.compile(r"^Fitted a \w+ curve")).wait_for(timeout=60_000)
        wait_idle(page)
        fitted = _row(page, "your history (")
        assert fitted[0].startswith("your history (")
        assert _row(page, OWN) == results_row  # the levers' curve stays where it was
        widget(page, "level").get_by_role("radio", name="Market: organizations").click()
        wait_idle(page)
        assert _row(page, "your history (") == fitted  # drawn at both levels
        page.screenshot(path=str(SCREENSHOTS / "one_story_growth_market.png"), full_page=True)

        page.get_by_role("link", name="Saved assessments").click()
        page.get_by_role("heading", name="Saved assessments").wait_for()
        wait_idle(page)
        with page.expect_download() as download:
            page.get_by_role("button", name="Report").click()
        report = Path(download.value.path()).read_text(encoding="utf-8")
        for value in results_row[1:]:
            assert f"<td>{value}</td>" in report
        assert f"<td>{OWN}</td>" in report
        assert biggest in report
        context.close()
