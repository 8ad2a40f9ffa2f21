"""What a person types or clicks is what the page keeps, whatever the server does meanwhile.

- The questionnaire's first autosave (the one that creates the draft) must not take the focus
  from the field being typed in: the Division typed right after the Organization is kept.
- Growth's sliders never take a value nobody chose, even when the level is switched before the
  page has finished its first run.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, SCREENSHOTS, require_browser
from dashboard_page import expect, open_app, wait_idle, widget
from streamlit_server import Server, streamlit_server

from readiness.store import open_store

pytestmark = pytest.mark.browser


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    """A dashboard with its own empty store for one journey."""
    require_browser()
    with streamlit_server(ROOT / "app.py", tmp_path / "home") as running:
        yield running


def _store_url(server: Server) -> str:
    return f"sqlite:///{Path(server.log).parent / 'readiness.db'}"


def _shot(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def _field(page: Any, key: str) -> Any:
    return widget(page, key).locator("input")


def test_the_division_typed_after_the_organization_is_kept(page: Any, server: Server) -> None:
    open_app(page, f"{server.url}/questionnaire")
    # as a person does: click, type, click the next field, type; no Enter anywhere
    _field(page, "profile_organization").click()
    page.keyboard.type("Acme", delay=30)
    _field(page, "profile_division").click()  # leaving the field commits it: the first autosave
    page.keyboard.type("Sales", delay=150)  # typed while that autosave runs
    wait_idle(page)
    page.wait_for_timeout(1_500)
    expect(_field(page, "profile_division")).to_have_value("Sales")
    page.keyboard.type(" EMEA", delay=30)  # a later keystroke still lands in the field
    expect(_field(page, "profile_division")).to_have_value("Sales EMEA")
    focused = page.evaluate("document.activeElement?.getAttribute('aria-label') || ''")
    assert focused == "Division"
    page.keyboard.press("Tab")  # leaving the field commits it, as a click elsewhere does
    wait_idle(page)
    page.wait_for_timeout(500)
    wait_idle(page)
    expect(page).to_have_url(re.compile(r"\?draft=[0-9a-f]{32}$"))
    draft_id = page.url.rsplit("=", 1)[1]
    _shot(page, "focus_division_typed")

    page.reload()
    wait_idle(page)
    expect(_field(page, "profile_organization")).to_have_value("Acme")
    expect(_field(page, "profile_division")).to_have_value("Sales EMEA")
    with open_store(_store_url(server)) as store:
        draft = store.load_draft(draft_id)
    assert draft is not None
    assert draft.profile is not None
    assert (draft.profile.organization, draft.profile.division) == ("Acme", "Sales EMEA")
