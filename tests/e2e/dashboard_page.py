"""How the browser tests drive the dashboard: wait for idle, click widgets by their keys."""

from __future__ import annotations

import re
from collections.abc import Callable
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


def upload(page: Any, key: str, name: str, data: bytes, mime: str = "text/csv") -> None:
    """Drop one file on the uploader ``key`` and wait until the app has run with it.

    The upload is sent first and the script reruns after it: waiting only for idle can
    catch the page before that rerun starts, so wait for the file's chip to be done too.
    """
    uploader = widget(page, key)
    uploader.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(
        files=[{"name": name, "mimeType": mime, "buffer": data}]
    )
    chip = uploader.get_by_test_id("stFileChipName").and_(uploader.get_by_title(name, exact=True))
    chip.wait_for(timeout=30_000)  # a long name is shortened in the chip, in full in its title
    uploader.get_by_test_id("stFileChipIconSpinner").wait_for(state="detached", timeout=30_000)
    wait_idle(page, 30_000)


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


def type_into(page: Any, key: str, text: str) -> None:
    """Type into a text or number field and commit it (Enter), as a person does."""
    field = widget(page, key).locator("input")
    field.fill(text)
    field.press("Enter")
    wait_idle(page)


def fill_in(
    page: Any, organization: str, choose: Callable[[str, int], str] = lambda _dim, _n: "Agree"
) -> None:
    """On the questionnaire: type the organization, then answer every agreement question tab by
    tab with ``choose(dimension id, n-th question)`` ("Agree", "Disagree", ...), waiting until
    each tab's progress counts every answer (the server has taken them)."""
    from readiness.questionnaire import load_questionnaire

    questionnaire = load_questionnaire()
    type_into(page, "profile_organization", organization)
    for dimension in questionnaire.dimensions:
        page.get_by_role("tab", name=dimension.name).click()
        wait_idle(page)
        items = questionnaire.items_of(dimension.id)
        likert = [item for item in items if item.kind == "likert"]
        shown = re.compile(rf"^{re.escape(dimension.name)}: (\d+) of {len(items)} answered$")
        before = int(shown.match(page.get_by_text(shown).first.inner_text())[1])  # type: ignore[index]
        for n, item in enumerate(likert):
            label = choose(dimension.id, n)
            widget(page, f"q_{item.id}").get_by_role("radio", name=label, exact=True).click()
            wait_idle(page)
        done = f"{dimension.name}: {before + len(likert)} of {len(items)} answered"
        page.get_by_text(done, exact=True).wait_for(timeout=20_000)


def main_text(page: Any) -> str:
    """The text of the page's main area (the sidebar left out)."""
    return str(page.get_by_test_id("stMain").inner_text())


def save_assessment_with_weak_support(page: Any, url: str, organization: str) -> None:
    """On the questionnaire at ``url``: 12% of staff active, every Support item "Disagree" and
    every other "Agree" (Support is the barrier), saved; the page idle after the save."""
    open_app(page, f"{url}/questionnaire")
    type_into(page, "q_gr_active_share", "12")  # on the first tab, shown on arrival
    fill_in(
        page, organization, lambda dimension, _n: "Disagree" if dimension == "support" else "Agree"
    )
    page.get_by_role("button", name=re.compile(r"^Save assessment")).click()
    page.get_by_test_id("stAlertContentSuccess").wait_for(timeout=20_000)
    wait_idle(page)


def open_from_navigation(page: Any, title: str) -> None:
    """Open the page ``title`` from the navigation, in its overflow menu ("2 more") when the
    window is too narrow to show it in the row; wait for its heading and for idle."""
    link = page.get_by_role("link", name=title, exact=True)
    if link.count() and link.first.is_visible():
        link.first.click()
    else:
        page.get_by_text(re.compile(r"^\d+ more$")).first.click()
        page.get_by_text(title, exact=True).last.click()
    page.get_by_role("heading", name=title, exact=True).wait_for()
    wait_idle(page)


def click_until(
    page: Any, button: Any, done: Any, *, tries: int = 3, timeout_ms: int = 15_000
) -> None:
    """Click ``button`` until ``done`` (a locator) is visible, at most ``tries`` times.

    On a loaded machine a click can land while the page is being redrawn and be lost: the
    button is still there and nothing happened. A click that did its work removes or changes
    what ``done`` waits for only once, so clicking again is safe only while ``done`` has not
    shown; each try waits for the app to be idle first."""
    for attempt in range(1, tries + 1):
        wait_idle(page, 30_000)
        button.click()
        try:
            done.first.wait_for(state="visible", timeout=timeout_ms)
            return
        except Exception:  # Playwright's TimeoutError: try again while the button is there
            if attempt == tries or not button.count():
                raise
