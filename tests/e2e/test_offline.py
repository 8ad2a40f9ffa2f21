"""Offline: no request leaves the server's origin, on any page, favicon included.

Chromium records every request the pages make (scripts, fonts, icons, media, websockets) while a
person visits every page, walks the questionnaire, saves, uploads a survey and moves the growth
sliders at both levels. The favicon is fetched by the browser itself, outside the page's
requests, so its ``<link rel="icon">`` address is checked too: it must be served by the app (or
be a ``data:`` URL), never a font CDN.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

import pytest
from conftest import SCREENSHOTS
from dashboard_page import fill_in, open_app, upload, wait_for_chart_text, wait_idle, widget

from readiness.questionnaire import load_questionnaire

pytestmark = pytest.mark.browser
Q = load_questionnaire()
PATHS = ["", "questionnaire", "results", "survey", "growth", "compare", "saved"]


class Requests:
    """Every URL the browser context asks for, and the favicon addresses seen at checkpoints."""

    def __init__(self, context: Any, origin: str) -> None:
        self.origin = origin
        self.urls: list[str] = []
        self.icons: list[str] = []
        context.on("request", lambda request: self.urls.append(request.url))

    def checkpoint(self, page: Any, where: str) -> None:
        wait_idle(page)
        page.wait_for_timeout(300)
        self.icons += page.eval_on_selector_all("link[rel~='icon']", "els => els.map(e => e.href)")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"\W+", "_", where.lower()).strip("_")
        page.screenshot(path=str(SCREENSHOTS / f"offline_{name}.png"), full_page=True)

    def elsewhere(self) -> list[str]:
        """Requests and favicons that are neither this origin nor inline data."""
        own = urlsplit(self.origin)
        outside = []
        for url in [*self.urls, *self.icons]:
            parts = urlsplit(url)
            if parts.scheme in {"data", "blob"}:
                continue
            same_host = (parts.hostname, parts.port) == (own.hostname, own.port)
            if not same_host or parts.scheme not in {"http", "https", "ws", "wss"}:
                outside.append(url)
        return sorted(set(outside))


def _go(page: Any, name: str) -> None:
    page.get_by_role("link", name=name, exact=True).first.click()
    wait_idle(page)


def _questionnaire(page: Any) -> None:
    fill_in(page, "Acme")
    page.get_by_role("button", name=re.compile(r"^Save assessment")).click()
    page.get_by_text(re.compile(r"Saved as assessment")).first.wait_for(timeout=20_000)


def _survey(page: Any) -> None:
    likert = [i.id for i in Q.items if i.kind == "likert" and i.dimension]
    rows = ["division," + ",".join(likert)]
    rows += [f"{d},{','.join(['3'] * len(likert))}" for d in ("Sales", "IT", "Sales", "IT")]
    upload(page, "survey_file", "survey.csv", ("\n".join(rows) + "\n").encode())
    page.get_by_test_id("stVegaLiteChart").first.wait_for(timeout=30_000)


def _move_slider(page: Any, key: str, presses: int) -> None:
    thumb = widget(page, key).locator("input[type=range]")
    thumb.focus()
    for _ in range(presses):
        page.keyboard.press("ArrowRight")
    wait_idle(page)


def test_no_request_leaves_the_origin_on_any_page(browser: Any, app_url: str) -> None:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        requests = Requests(context, app_url)
        page = context.new_page()
        for path in PATHS:  # empty, each opened by its address
            open_app(page, f"{app_url}/{path}")
            requests.checkpoint(page, f"empty {path or 'overview'}")

        open_app(page, f"{app_url}/questionnaire")
        _questionnaire(page)
        requests.checkpoint(page, "questionnaire saved")
        for name in ("Results", "Survey upload"):
            _go(page, name)
            requests.checkpoint(page, name)
        _survey(page)
        requests.checkpoint(page, "survey uploaded")
        _go(page, "Growth scenarios")
        page.wait_for_selector('[data-testid="stVegaLiteChart"] svg', timeout=20_000)
        _move_slider(page, "q", 3)
        _move_slider(page, "ceiling", 2)
        requests.checkpoint(page, "growth organization level")
        page.get_by_text("Market: organizations", exact=True).click()
        wait_idle(page)
        _move_slider(page, "g", 1)
        wait_for_chart_text(page, "Market level")
        requests.checkpoint(page, "growth market level")
        for name in ("Compare", "Saved assessments", "Overview"):
            _go(page, name)
            requests.checkpoint(page, f"filled {name}")

        assert requests.urls, "no request was recorded at all"
        assert requests.icons, "no favicon link was found"
        assert requests.elsewhere() == []
    finally:
        context.close()
