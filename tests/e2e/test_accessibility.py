"""WCAG 2.1 AA: an axe-core audit of every page, empty and filled in, in Chromium.

axe-core's script ships inside the axe-playwright-python wheel and is injected into the page:
the audit itself needs no network. A violation of impact "serious" or "critical" fails the test;
every violation found (any impact) is printed, so that a run shows what is left.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from conftest import SCREENSHOTS
from dashboard_page import CHART, fill_in, open_app, upload, wait_idle

from readiness.questionnaire import load_questionnaire

pytestmark = pytest.mark.browser
Q = load_questionnaire()
PAGES = {
    "Overview": "",
    "Questionnaire": "questionnaire",
    "Results": "results",
    "Survey upload": "survey",
    "Growth scenarios": "growth",
    "Compare": "compare",
    "Saved assessments": "saved",
    "Evidence": "evidence",
}
BLOCKING = {"serious", "critical"}
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


# WCAG 1.4.3 sets no contrast minimum for "text that is part of an inactive user interface
# component". axe skips disabled controls, but Streamlit draws a widget's label apart from its
# control: the label of a disabled widget (a saved assessment shown read-only) is exempted here,
# and only when every control of that widget (its help button aside) is disabled. It is still
# printed.
INACTIVE = """selector => {
    const element = document.querySelector(selector);
    const widget = element && element.closest('.stElementContainer');
    if (!widget) return false;
    const controls = [...widget.querySelectorAll('input, button, textarea, select, [role=radio]')]
        .filter(c => !(c.getAttribute('aria-label') || '').startsWith('Help for '));
    return controls.length > 0 && controls.every(
        c => c.disabled || c.getAttribute('aria-disabled') === 'true');
}"""


def audit(page: Any, where: str) -> list[str]:
    """axe-core's violations on the page as it is now that count: impact serious or critical.

    Every violation found is printed (any impact), one line per rule and element.
    """
    from axe_playwright_python.sync_playwright import Axe

    wait_idle(page)
    page.wait_for_timeout(400)  # charts render after the script run ends
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shot = re.sub(r"\W+", "_", where.lower()).strip("_")
    page.screenshot(path=str(SCREENSHOTS / f"a11y_{shot}.png"), full_page=True)
    for n, chart in enumerate(page.locator(CHART).all()):  # the app scrolls inside itself
        chart.scroll_into_view_if_needed()
        chart.screenshot(path=str(SCREENSHOTS / f"a11y_{shot}_chart{n + 1}.png"))
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_AA}})
    counted = []
    for violation in results.response["violations"]:
        for node in violation["nodes"]:
            target = " ".join(map(str, node["target"]))
            line = f"{where}: {violation['impact']} {violation['id']}: {target}"
            summary = " ".join(node["failureSummary"].split())[:240]
            exempt = violation["id"] == "color-contrast" and page.evaluate(
                INACTIVE, node["target"][0]
            )
            print(f"\n{line}: {summary}" + (" (exempt: inactive component)" if exempt else ""))
            if violation["impact"] in BLOCKING and not exempt:
                counted.append(line)
    if not results.response["violations"]:
        print(f"\n{where}: no violation")
    return counted


def _go(page: Any, name: str) -> None:
    """Switch pages by the navigation, in the same session (a new address is a new session)."""
    page.get_by_role("link", name=name, exact=True).first.click()
    wait_idle(page)
    page.get_by_role("heading", name=name if name != "Overview" else "Enterprise 2.0 readiness")
    wait_idle(page)


def test_every_empty_page_has_no_serious_or_critical_violation(page: Any, app_url: str) -> None:
    found: list[str] = []
    for name, path in PAGES.items():
        open_app(page, f"{app_url}/{path}")
        found += audit(page, f"empty {name}")
    assert found == []


def _fill_in_and_save(page: Any, app_url: str) -> None:
    open_app(page, f"{app_url}/questionnaire")
    answers = ("Agree", "Disagree", "Neither agree nor disagree")
    fill_in(page, "Acme", lambda _dimension, n: answers[n % 3])


def _survey(page: Any) -> None:
    likert = [i.id for i in Q.items if i.kind == "likert" and i.dimension]
    lines = ["division," + ",".join(likert)]
    for n in range(15):  # five per division: the minimum group size, so each is shown
        division = ("Sales", "IT", "Finance")[n % 3]
        lines.append(division + "," + ",".join(str(1 + (n + k) % 5) for k in range(len(likert))))
    lines.append("IT," + ",".join(["seven", *(["4"] * (len(likert) - 1))]))
    upload(page, "survey_file", "survey.csv", ("\n".join(lines) + "\n").encode())
    page.get_by_text(re.compile(r"1 of \d+ rows has a problem")).wait_for(timeout=30_000)


def test_every_filled_in_page_has_no_serious_or_critical_violation(page: Any, app_url: str) -> None:
    found: list[str] = []
    _fill_in_and_save(page, app_url)
    found += audit(page, "filled Questionnaire (answers given)")
    page.get_by_role("button", name=re.compile(r"^Save assessment")).click()
    page.get_by_test_id("stAlertContentSuccess").first.wait_for(timeout=30_000)
    found += audit(page, "filled Questionnaire (saved)")
    _go(page, "Results")
    found += audit(page, "filled Results")
    _go(page, "Survey upload")
    _survey(page)
    found += audit(page, "filled Survey upload")
    _go(page, "Growth scenarios")
    page.get_by_text("Your organization", exact=True).first.wait_for(timeout=20_000)
    found += audit(page, "filled Growth scenarios (organization level)")
    page.get_by_text("Market: organizations", exact=True).click()
    wait_idle(page)
    found += audit(page, "filled Growth scenarios (market level)")
    _go(page, "Compare")
    page.get_by_text(re.compile(r"^Survey: ")).first.wait_for(timeout=20_000)
    found += audit(page, "filled Compare")
    _go(page, "Saved assessments")
    found += audit(page, "filled Saved assessments")
    _go(page, "Overview")
    found += audit(page, "filled Overview")
    assert found == []
