"""Saved means saved: journeys across reloads, bookmarks, second saves, edits and two tabs.

Each journey walks the dashboard as a person does, in headless Chromium against ``streamlit
run`` with its own empty store, and checks the store itself at the end: what the page said was
saved must be there, once.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, SCREENSHOTS, require_browser
from dashboard_page import expect, open_app, wait_idle, widget
from streamlit_server import Server, streamlit_server

from readiness.questionnaire import load_questionnaire
from readiness.store import open_store

pytestmark = pytest.mark.browser
Q = load_questionnaire()
SAVE = re.compile(r"^Save (assessment|changes)")
TIMINGS: dict[str, float] = {}


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    """A dashboard with its own empty store for one journey."""
    require_browser()
    with streamlit_server(ROOT / "app.py", tmp_path / "home") as running:
        yield running


@pytest.fixture
def timed(request: pytest.FixtureRequest) -> Iterator[None]:
    started = time.perf_counter()
    yield
    TIMINGS[request.node.name] = time.perf_counter() - started
    print(f"\njourney {request.node.name}: {TIMINGS[request.node.name]:.1f} s")


def _organizations(server: Server) -> list[str]:
    url = f"sqlite:///{Path(server.log).parent / 'readiness.db'}"
    with open_store(url) as store:
        return sorted(s.organization for s in store.list_assessments())


def _type_name(page: Any, organization: str) -> None:
    name = widget(page, "profile_organization").locator("input")
    name.fill(organization)
    name.press("Enter")
    wait_idle(page)


def _answer_first_item(page: Any, label: str = "Agree") -> None:
    first = next(i for i in Q.items_of(Q.dimensions[0].id) if i.kind == "likert")
    widget(page, f"q_{first.id}").get_by_role("radio", name=label, exact=True).click()
    page.get_by_text("Draft saved automatically.").wait_for(timeout=20_000)
    wait_idle(page)


def _save(page: Any) -> str:
    """Click the save button; the success message."""
    page.get_by_role("button", name=SAVE).click()
    success = page.get_by_test_id("stAlertContentSuccess")
    success.wait_for(timeout=20_000)
    wait_idle(page)
    return str(success.inner_text()).splitlines()[-1]  # after the icon's name


def _shot(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def test_save_reload_and_save_a_new_assessment_lists_both(
    browser: Any, server: Server, timed: None
) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    open_app(page, f"{server.url}/questionnaire")
    _type_name(page, "Acme")
    _answer_first_item(page)
    expect(page.get_by_text(f"1 of {len(Q.items)} questions answered")).to_be_visible()
    assert _save(page).startswith("Saved as assessment 1 on ")
    expect(page).to_have_url(re.compile(r"/questionnaire\?assessment=1$"))

    page.reload()
    wait_idle(page)
    # the reload shows the saved assessment, read-only, not an empty form
    expect(page.get_by_text("Assessment 1", exact=False).first).to_be_visible()
    organization = widget(page, "profile_organization").locator("input")
    expect(organization).to_have_value("Acme")
    expect(organization).to_be_disabled()
    assert page.get_by_role("button", name=SAVE).count() == 0
    _shot(page, "journey_saved_after_reload")

    # Results after a reload shows the saved assessment too
    page.get_by_role("link", name="See results").first.click()
    page.get_by_role("heading", name="Results").wait_for()
    wait_idle(page)
    expect(page.get_by_text("Acme", exact=True)).to_be_visible()
    page.reload()
    wait_idle(page)
    expect(page.get_by_text("Acme", exact=True)).to_be_visible(timeout=20_000)
    assert page.get_by_text("Answer the questionnaire to see your results.").count() == 0

    page.go_back()
    wait_idle(page)
    open_app(page, f"{server.url}/questionnaire?assessment=1")
    page.get_by_role("button", name="Start a new assessment").click()
    wait_idle(page)
    expect(page).to_have_url(re.compile(r"\?draft=[0-9a-f]{32}$"))
    expect(widget(page, "profile_organization").locator("input")).to_have_value("")
    _type_name(page, "Beta")
    _answer_first_item(page, "Disagree")
    assert _save(page).startswith("Saved as assessment 2 on ")
    assert _organizations(server) == ["Acme", "Beta"]

    page.get_by_role("link", name="Saved assessments").click()
    page.get_by_role("heading", name="Saved assessments").wait_for()
    wait_idle(page)
    grid = page.get_by_test_id("stDataFrame").first
    expect(grid).to_contain_text("Acme")
    expect(grid).to_contain_text("Beta")
    # the list counts answers as the questionnaire does: one fact, one count
    expect(grid).to_contain_text(f"incomplete (1 of {len(Q.items)} answered)")
    _shot(page, "journey_saved_list")
    page.close()


def test_a_bookmarked_questionnaire_link_opens_what_was_saved(
    browser: Any, server: Server, timed: None
) -> None:
    page = browser.new_page()
    open_app(page, f"{server.url}/questionnaire")
    # the draft id reaches the address bar with the page's first run (later on a cold server)
    expect(page).to_have_url(re.compile(r"\?draft=[0-9a-f]{32}$"))
    bookmark = page.url  # ?draft=<id>, as bookmarked or shared before saving
    _type_name(page, "Acme")
    _answer_first_item(page)
    _save(page)
    page.close()

    later = browser.new_context().new_page()
    open_app(later, bookmark)
    expect(later.get_by_text("This draft was saved as assessment 1")).to_be_visible()
    expect(later).to_have_url(re.compile(r"\?assessment=1$"))
    expect(widget(later, "profile_organization").locator("input")).to_have_value("Acme")
    # editing from the bookmark makes a new version, never a silent no-op
    later.get_by_role("button", name="Edit this assessment").click()
    wait_idle(later)
    expect(later.get_by_text("Editing assessment 1.")).to_be_visible()
    _type_name(later, "Acme Group")
    assert _save(later).startswith("Saved as version 2 of assessment 1 on ")
    assert _organizations(server) == ["Acme Group"]
    _shot(later, "journey_bookmark_edit")
    later.context.close()


def test_an_edit_from_the_saved_list_keeps_the_earlier_version(
    browser: Any, server: Server, timed: None
) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    open_app(page, f"{server.url}/questionnaire")
    _type_name(page, "Acme")
    _answer_first_item(page)
    _save(page)

    open_app(page, f"{server.url}/saved")
    page.get_by_role("button", name="Edit this assessment").click()
    expect(page).to_have_url(re.compile(r"/questionnaire\?draft="), timeout=20_000)
    wait_idle(page)
    expect(widget(page, "profile_organization").locator("input")).to_have_value("Acme")
    page.reload()  # a reload while editing keeps editing
    wait_idle(page)
    expect(page.get_by_text("Editing assessment 1.")).to_be_visible()
    _answer_first_item(page, "Strongly disagree")
    assert _save(page).startswith("Saved as version 2 of assessment 1 on ")

    open_app(page, f"{server.url}/saved")
    page.get_by_text("Versions (2)").click()
    wait_idle(page)
    grids = page.get_by_test_id("stDataFrame")
    expect(grids.nth(1)).to_be_visible()
    _shot(page, "journey_versions")
    assert _organizations(server) == ["Acme"]
    page.close()


def test_two_tabs_and_a_double_click_each_save_what_they_show_once(
    browser: Any, server: Server, timed: None
) -> None:
    context = browser.new_context()
    first, second = context.new_page(), context.new_page()
    open_app(first, f"{server.url}/questionnaire")
    _type_name(first, "Tab One")
    _answer_first_item(first)
    # the second tab opens the same address (a duplicated tab)
    open_app(second, first.url)
    expect(widget(second, "profile_organization").locator("input")).to_have_value("Tab One")

    button = first.get_by_role("button", name=SAVE)
    button.dblclick()
    first.get_by_test_id("stAlertContentSuccess").wait_for(timeout=20_000)
    wait_idle(first)
    first.wait_for_timeout(1_000)
    wait_idle(first)
    assert _organizations(server) == ["Tab One"]

    # the second tab still shows the draft; its changes are saved as a new assessment
    _type_name(second, "Tab Two")
    expect(second.get_by_text("continue as a new draft")).to_be_visible(timeout=20_000)
    assert _save(second).startswith("Saved as assessment 2 on ")
    assert _organizations(server) == ["Tab One", "Tab Two"]
    _shot(second, "journey_two_tabs")
    context.close()


def test_a_number_out_of_range_says_the_allowed_range_and_is_kept(
    browser: Any, server: Server, timed: None
) -> None:
    page = browser.new_page()
    open_app(page, f"{server.url}/questionnaire")
    field = widget(page, "q_gr_active_share").locator("input")
    field.fill("150")
    field.press("Enter")
    wait_idle(page)
    expect(page.get_by_text("150 is out of range (0 to 100)")).to_be_visible()
    expect(page.get_by_text("(%, 0 to 100)", exact=False).first).to_be_visible()
    expect(page.get_by_role("button", name=SAVE)).to_be_disabled()
    page.reload()  # the draft keeps the answer as typed, with its message
    wait_idle(page)
    expect(widget(page, "q_gr_active_share").locator("input")).to_have_value("150")
    expect(page.get_by_text("150 is out of range (0 to 100)")).to_be_visible()
    _shot(page, "journey_out_of_range")
    page.close()
