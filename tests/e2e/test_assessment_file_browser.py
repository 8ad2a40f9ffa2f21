"""A file the dashboard writes, the command line reads: an assessment filled in and saved in the
browser, downloaded as JSON from Saved assessments, is scored, projected and imported by the
``readiness`` command, and the projection it prints is the one the Results page showed.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, SCREENSHOTS, require_browser
from dashboard_page import expect, fill_in, open_app, type_into, wait_idle
from streamlit_server import streamlit_server

from readiness.story import month_year

pytestmark = pytest.mark.browser
OWN = "from your readiness"


def readiness(*argv: str) -> subprocess.CompletedProcess[str]:
    """The ``readiness`` command, as a script runs it."""
    return subprocess.run(
        [sys.executable, "-m", "readiness.cli", *argv],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _milestone_row(page: Any) -> list[str]:
    row = page.get_by_test_id("stTable").first.locator("tr").filter(has_text=OWN).first
    expect(row).to_be_visible(timeout=20_000)
    return [c.strip() for c in row.locator("td, th").all_inner_texts() if c.strip()]


def test_the_downloaded_json_is_read_by_every_command_and_projects_as_results_shows(
    browser: Any, tmp_path: Path
) -> None:
    require_browser()
    with streamlit_server(ROOT / "app.py", tmp_path / "home") as server:
        context = browser.new_context(
            viewport={"width": 1400, "height": 1000}, accept_downloads=True
        )
        page = context.new_page()
        open_app(page, f"{server.url}/questionnaire")
        type_into(page, "q_gr_active_share", "12")
        fill_in(page, "File Co", lambda dim, n: "Disagree" if dim == "support" else "Agree")
        page.get_by_role("button", name=re.compile(r"^Save assessment")).click()
        page.get_by_test_id("stAlertContentSuccess").wait_for(timeout=20_000)
        wait_idle(page)

        page.get_by_role("link", name="See results").first.click()
        page.get_by_role("heading", name="Results").wait_for()
        wait_idle(page)
        results_row = _milestone_row(page)
        answer = page.get_by_text(re.compile(r"^From \d+% in \w{3} \d{4}, your organization "))
        results_answer = answer.first.inner_text().strip()
        index = page.get_by_test_id("stMetric").filter(has_text="Readiness index").first
        results_index = index.inner_text().splitlines()[-1].strip()  # "61.5 / 100"
        page.screenshot(path=str(SCREENSHOTS / "assessment_file_results.png"), full_page=True)

        page.get_by_role("link", name="Saved assessments").click()
        page.get_by_role("heading", name="Saved assessments").wait_for()
        wait_idle(page)
        with page.expect_download() as download:
            page.get_by_role("button", name="JSON", exact=True).click()
        path = tmp_path / download.value.suggested_filename
        download.value.save_as(path)
        page.screenshot(path=str(SCREENSHOTS / "assessment_file_saved.png"), full_page=True)
        context.close()

    assert path.name == "assessment-1.json"
    scored = readiness("score", str(path))
    assert (scored.returncode, scored.stderr) == (0, "")
    assert f"{json.loads(scored.stdout)['overall']:g} / 100" == results_index

    table = readiness("project", "--from", str(path), "--format", "table")
    assert (table.returncode, table.stderr) == (0, "")
    assert table.stdout.split("\n\n")[0] == results_answer  # "... reaches 50% by about ..."
    projected = readiness("project", "--from", str(path))
    assert (projected.returncode, projected.stderr) == (0, "")
    [milestones] = [m for m in json.loads(projected.stdout)["milestones"] if m["curve"] == OWN]
    assert [OWN, *map(month_year, milestones["reached"].values())] == results_row

    url = f"sqlite:///{tmp_path / 'elsewhere.db'}"
    imported = readiness("assessments", "--database", url, "import", str(path))
    assert (imported.returncode, imported.stderr) == (0, "")
    assert imported.stdout.startswith("imported assessment 1: File Co, ")
