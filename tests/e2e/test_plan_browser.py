"""A plan in Chromium, as a person makes and follows it: an assessment is saved; on Plan two
actions are typed into the table (a champions network in Sales from March 2026, with its staff
share; training for everyone in the first quarter of 2027) and saved; a reload still shows the
plan; Growth scenarios, Results and the downloaded report say the same with/without sentence;
measured usage covering the champions launch is uploaded on Measured adoption, and Plan shows the
estimated effect with the curve without it; two survey waves, the later with higher Support in
Sales, are added and Plan says what changed and draws one timeline."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import ROOT, SCREENSHOTS, require_browser
from dashboard_page import (
    CHART,
    expect,
    main_text,
    open_from_navigation,
    save_assessment_with_weak_support,
    upload,
    wait_idle,
    widget,
)
from plan_fixtures import LAUNCH, usage_files, wave_csv
from streamlit_server import streamlit_server

pytestmark = pytest.mark.browser
SENTENCE = re.compile(r"^With the plan, 50% by about \w{3} \d{4}, .+ earlier than without.*\.$")
ROW_HEIGHT = 35  # the table's header and rows, in pixels (Streamlit's default)
WAVE_SIZES = {"Sales": 40, "Engineering": 40, "Finance": 40}


def _shot(page: Any, name: str, *, full: bool = True) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"plan-{name}.png"), full_page=full)


def _type_row(page: Any, row: int, cells: list[str | None]) -> None:
    """Type one action into row ``row`` of the plan's table, as a person does: a click on its
    first cell, then for each cell Enter (edit), the text, Tab (keep it, next cell); None skips
    a cell. Dates are typed as the browser's date field takes them (MMDDYYYY)."""
    grid = widget(page, "plan_editor_0")
    grid.hover()
    grid.get_by_role("button", name=re.compile("^Add row")).click()
    page.wait_for_timeout(300)
    box = grid.get_by_test_id("data-grid-canvas").bounding_box()
    page.mouse.click(box["x"] + 80, box["y"] + ROW_HEIGHT * (row + 1.5))
    page.wait_for_timeout(200)
    for text in cells:
        if text is None:
            page.keyboard.press("Tab")
            continue
        page.keyboard.press("Enter")
        page.wait_for_timeout(200)
        page.keyboard.type(text)
        page.wait_for_timeout(200)
        page.keyboard.press("Tab")
        page.wait_for_timeout(200)
    wait_idle(page)


def _plan_sentence(page: Any) -> str:
    said = page.get_by_text(SENTENCE).first
    expect(said).to_be_visible(timeout=30_000)
    return str(said.inner_text()).strip()


def _downloaded_plan(page: Any) -> dict[str, Any]:
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the plan").click()
    loaded = yaml.safe_load(Path(download.value.path()).read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def _add_wave(page: Any, number: int, name: str, data: bytes, label: str) -> None:
    """Add the ``number``-th wave (0 first): its file, its label, "Add the wave"."""
    upload(page, f"plan_wave_file_{number}", name, data)
    field = widget(page, f"plan_wave_label_{number}").locator("input")
    field.fill(label)
    field.press("Enter")
    wait_idle(page)
    widget(page, "plan_wave_add").get_by_role("button").click()
    expect(page.get_by_text(f"Wave '{label}' added.").first).to_be_visible(timeout=60_000)
    wait_idle(page)


def test_a_plan_is_made_kept_followed_by_every_surface_and_checked(
    browser: Any, tmp_path: Path
) -> None:
    require_browser()
    events, roster = usage_files()
    with streamlit_server(ROOT / "app.py", tmp_path / "home") as server:
        context = browser.new_context(
            viewport={"width": 1400, "height": 1100}, accept_downloads=True
        )
        page = context.new_page()
        save_assessment_with_weak_support(page, server.url, "Plan Co")

        # two actions typed into the table, then saved with the assessment
        open_from_navigation(page, "Plan")
        _type_row(page, 0, ["Champ", LAUNCH.strftime("%m%d%Y"), None, "Sales", "30"])
        _type_row(page, 1, ["Train", "01012027", "03312027"])
        _shot(page, "table", full=False)
        page.get_by_role("button", name="Save the plan").click()
        expect(
            page.get_by_text(
                re.compile(r"^Plan saved\. Kept with assessment \d+ as version 2")
            ).first
        ).to_be_visible(timeout=30_000)
        wait_idle(page)
        sentence = _plan_sentence(page)
        assert "the champions network brings" in sentence
        _shot(page, "effect")

        # a reload opens the saved assessment with its plan
        page.reload()
        page.get_by_role("heading", name="Plan", exact=True).wait_for()
        wait_idle(page, 30_000)
        assert _plan_sentence(page) == sentence
        kept = _downloaded_plan(page)
        assert [a["kind"] for a in kept["actions"]] == ["champions", "training"]
        assert kept["actions"][0]["divisions"] == ["Sales"]
        assert kept["actions"][0]["staff_share"] == pytest.approx(0.3)
        assert str(kept["actions"][1]["end"]) == "2027-03-31"
        timeline = page.locator(CHART).filter(
            has=page.locator("[aria-label^='Timeline of the plan']")
        )
        assert timeline is not None

        # the same sentence on Growth scenarios, Results and in the report
        open_from_navigation(page, "Growth scenarios")
        assert _plan_sentence(page) == sentence
        page.get_by_role("heading", name="Your plan").scroll_into_view_if_needed()
        page.wait_for_timeout(500)
        _shot(page, "growth", full=False)
        open_from_navigation(page, "Results")
        assert _plan_sentence(page) == sentence
        open_from_navigation(page, "Saved assessments")
        with page.expect_download() as download:
            page.get_by_role("button", name="Report").click()
        report = Path(download.value.path()).read_text(encoding="utf-8")
        assert sentence in report

        # measured usage covering the champions launch: Plan estimates its effect
        open_from_navigation(page, "Measured adoption")
        upload(page, "measured_files", "events.csv", events)
        upload(page, "measured_roster", "roster.csv", roster)
        expect(page.get_by_test_id("stMetric").filter(has_text="Divisions shown")).to_contain_text(
            "2", timeout=60_000
        )
        wait_idle(page)
        open_from_navigation(page, "Plan")
        shown = r"^Champions network in Sales from .+:\u2060? growth about"  # escaped as shown
        checked = page.get_by_text(re.compile(shown))
        expect(checked).to_be_visible(timeout=60_000)
        wait_idle(page)
        expect(page.get_by_text("Starts after the last measured month (Oct 2026).")).to_be_visible()
        check_chart = page.locator(f"{CHART}[aria-label*='dashed line: the same curve without it']")
        expect(check_chart).to_have_count(1, timeout=20_000)
        growth = page.get_by_test_id("stMetric").filter(has_text="Growth while it holds")
        expect(growth).to_contain_text("x")
        page.get_by_role("heading", name="Did it work?").scroll_into_view_if_needed()
        page.wait_for_timeout(500)
        _shot(page, "did-it-work", full=False)

        # two survey waves: the later with higher Support in Sales
        _add_wave(
            page, 0, "wave-november.csv", wave_csv(WAVE_SIZES, "11/2/26 9:04:10"), "November wave"
        )
        later = wave_csv(WAVE_SIZES, "3/15/27 10:04:10", raised="Sales")
        _add_wave(page, 1, "wave-march.csv", later, "March wave")
        changed = page.get_by_text(
            re.compile(r"Support \+\d+ \(.+\) in Sales since the November wave")
        )
        expect(changed).to_be_visible(timeout=30_000)
        timeline = page.locator(f"{CHART}[aria-label^='Timeline of the plan: 2 actions']")
        expect(timeline).to_have_count(1, timeout=20_000)
        assert "March wave (15 Mar 2027)" in str(timeline.get_attribute("aria-label"))
        page.get_by_role("heading", name="Survey waves").scroll_into_view_if_needed()
        page.wait_for_timeout(500)
        _shot(page, "waves", full=False)
        page.locator(f"{CHART}[aria-label^='Timeline of the plan']").scroll_into_view_if_needed()
        page.wait_for_timeout(500)
        _shot(page, "timeline", full=False)
        _shot(page, "page")
        assert "Traceback" not in main_text(page)
        from test_accessibility import audit

        assert audit(page, "filled Plan") == []
        context.close()


def test_bad_plan_and_wave_files_are_named_and_a_second_tab_sees_the_kept_plan(
    browser: Any, tmp_path: Path
) -> None:
    """A plan file with an unknown kind and a PDF given as a survey wave are each refused with
    a message naming the file, and nothing kept is lost; a good plan file then replaces the plan,
    and a second tab opened on the same address shows it, with the same sentence."""
    require_browser()
    with streamlit_server(ROOT / "app.py", tmp_path / "home") as server:
        context = browser.new_context(
            viewport={"width": 1400, "height": 1100}, accept_downloads=True
        )
        page = context.new_page()
        save_assessment_with_weak_support(page, server.url, "Files Co")
        open_from_navigation(page, "Plan")

        page.get_by_text("Upload a plan file").click()
        bad_plan = b"actions:\n  - kind: webinars\n    start: 2027-03-01\n"
        upload(page, "plan_file", "bad-plan.yaml", bad_plan, "application/yaml")
        refused = page.get_by_text(re.compile(r"bad-plan\.yaml: action 1: unknown kind 'webinars'"))
        expect(refused.first).to_be_visible(timeout=30_000)
        expect(page.get_by_role("button", name="Use this plan")).to_have_count(0)

        good_plan = (
            b"actions:\n  - kind: local_support\n    start: 2027-02-01\n"
            b"  - kind: leadership_use\n    start: 2027-05-01\n"
        )
        upload(page, "plan_file", "plan.yaml", good_plan, "application/yaml")
        page.get_by_role("button", name="Use this plan").click()
        expect(page.get_by_text("Plan from the file saved.").first).to_be_visible(timeout=30_000)
        wait_idle(page)
        sentence = _plan_sentence(page)
        assert "local support contacts" in sentence or "leadership use" in sentence

        upload(page, "plan_wave_file_0", "wave.csv", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "text/csv")
        widget(page, "plan_wave_add").get_by_role("button").click()
        expect(page.get_by_text("The wave was not added").first).to_be_visible(timeout=30_000)
        expect(page.get_by_text(re.compile(r"wave\.csv")).first).to_be_visible()
        assert _plan_sentence(page) == sentence  # the plan is still there
        assert "Traceback" not in main_text(page)
        _shot(page, "bad-files", full=False)

        # a second tab on the same address: the kept plan, the same sentence
        second = context.new_page()
        second.goto(page.url)
        second.get_by_role("heading", name="Plan", exact=True).wait_for(timeout=30_000)
        wait_idle(second, 30_000)
        assert _plan_sentence(second) == sentence
        kept = _downloaded_plan(second)
        assert [a["kind"] for a in kept["actions"]] == ["local_support", "leadership_use"]
        context.close()
