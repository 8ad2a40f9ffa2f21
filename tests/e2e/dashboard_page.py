"""How the browser tests drive the dashboard: wait for idle, click widgets by their keys."""

from __future__ import annotations

from typing import Any

IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
CHART = '[data-testid="stVegaLiteChart"]'


def wait_idle(page: Any, timeout_ms: int = 20_000) -> None:
    """Wait until the app has finished its script run (Streamlit's own e2e convention)."""
    page.wait_for_timeout(50)
    page.wait_for_selector(IDLE, timeout=timeout_ms)


def open_app(page: Any, url: str) -> None:
    page.goto(url)
    page.wait_for_selector('[data-testid="stApp"]', timeout=30_000)
    wait_idle(page, 30_000)


def widget(page: Any, key: str) -> Any:
    """The container of the widget with ``key`` (Streamlit adds the class ``st-key-<key>``)."""
    return page.locator(f".st-key-{key}")


def chart_alt_text(page: Any, index: int = 0) -> str:
    return str(page.locator(CHART).nth(index).get_attribute("aria-label") or "")


def wait_for_chart_text(page: Any, text: str, timeout_ms: int = 10_000) -> None:
    """Wait until the first chart's alt text (its accessible name) contains ``text``."""
    page.wait_for_function(
        "([selector, text]) => (document.querySelector(selector)?.getAttribute('aria-label')"
        " || '').includes(text)",
        arg=[CHART, text],
        polling="raf",
        timeout=timeout_ms,
    )


def expect(target: Any) -> Any:
    """Playwright's retrying assertions (imported late: without playwright the tests skip)."""
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(target)
