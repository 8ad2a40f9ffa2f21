"""Scale quality and agreement in Chromium: a Microsoft Forms export of four divisions, one of
three people, is uploaded; Survey upload says in words whether each scale's items agree and
whether division means differ reliably, with a table and an item-rest chart per dimension, and
never shows the small division alone; Compare and the report say the same sentences, word for
word (one owner: readiness.evidence.survey_evidence)."""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import pytest
from dashboard_page import CHART, expect, main_text, open_app, upload, wait_idle, widget
from survey_fixtures import forms_survey_csv

from readiness.evidence.survey_evidence import SurveyEvidence, survey_evidence
from readiness.questionnaire import load_questionnaire
from readiness.survey import read_respondents_csv

pytestmark = pytest.mark.browser
SCREENSHOTS = Path(__file__).resolve().parents[2] / "out" / "screenshots"
#: Legal (3) is under the minimum of 5: merged with the next smallest, Operations.
SIZES = {"Sales": 30, "IT": 25, "Operations": 20, "Legal": 3}
NAME = "Readiness survey(1-78).csv"


def _shown(text: str) -> str:
    """Text as read on the page, without the word joiners that keep a ':' literal."""
    return text.replace("\u2060", "")


def _expected(data: bytes) -> SurveyEvidence:
    q = load_questionnaire()
    return survey_evidence(q, read_respondents_csv(q, data, NAME), NAME, 5)


def test_scale_quality_and_reliability_read_the_same_on_the_survey_compare_and_report(
    page: Any, app_url: str
) -> None:
    data = forms_survey_csv(SIZES, noise=["to_reach", "to_rigid_structure"], spread={"support": 2})
    evidence = _expected(data)
    open_app(page, f"{app_url}/survey")
    upload(page, "survey_file", NAME, data)
    main = page.get_by_test_id("stMain")
    expect(main).to_contain_text("Scale quality and agreement", timeout=30_000)
    wait_idle(page)
    text = _shown(main_text(page))
    for sentence in [*evidence.quality_sentences, *evidence.comparison_sentences]:
        assert sentence in text, sentence
    assert "Tooling: alpha" in text
    assert "its items disagree" in text  # two of Tooling's items were answered at random
    assert "Support: divisions differ reliably (ICC(2) " in text
    assert "pairwise, as R's psych::alpha does" in text

    # one item-rest chart per dimension, its questions by their labels (drawn after the text)
    item_rest_charts = page.locator(f'{CHART}[aria-label^="Item-rest correlations of"]')
    expect(item_rest_charts).to_have_count(3, timeout=30_000)
    labels = [
        page.locator(CHART).nth(k).get_attribute("aria-label") or ""
        for k in range(page.locator(CHART).count())
    ]
    item_rest = [label for label in labels if label.startswith("Item-rest correlations of")]
    assert len(item_rest) == 3, labels
    assert "of 5 items of Tooling" in item_rest[2]
    tooling = page.locator(CHART).nth(labels.index(item_rest[2]))
    tooling.scroll_into_view_if_needed()
    tooling.locator("svg").wait_for()
    drawn = tooling.locator("svg").text_content() or ""
    for label in ("Common platform", "Reachable where we work", "Item-rest correlation"):
        assert label in drawn, drawn

    # the table: all respondents and each group shown; Legal never alone (nor Operations)
    table = page.get_by_test_id("stDataFrame").filter(has_text="Alpha 95% interval")
    table.scroll_into_view_if_needed()
    for word in ("All respondents", "Sales", "IT", "other divisions", "its items disagree"):
        expect(table).to_contain_text(word)
    everything = text + "".join(
        page.locator(CHART).nth(k).locator("svg").text_content() or ""
        for k in range(page.locator(CHART).count())
    )
    for name in ("Legal", "Operations"):
        assert name not in everything
        assert name not in (table.text_content() or "")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.get_by_role("heading", name="Scale quality and agreement").scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / "survey-scale-quality.png"))
    tooling.scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / "survey-item-rest-charts.png"))

    # the report says the same sentences
    with page.expect_download(timeout=30_000) as download:
        page.get_by_role("button", name="Download the report").click()
    report = html.unescape(Path(download.value.path()).read_text(encoding="utf-8"))
    section = report[report.index("Scale quality and agreement") :]
    for sentence in [*evidence.quality_sentences, *evidence.comparison_sentences]:
        assert f"<li>{sentence}</li>" in section, sentence
    assert "Legal" not in report
    assert "Operations" not in report
    assert len(re.findall(r"<svg\b", section)) == 3

    # Compare says the same about reliability, word for word
    page.get_by_role("link", name="Compare divisions").click()
    wait_idle(page)
    expect(widget(page, "compare_chosen")).to_contain_text("Survey: Sales (30 respondents)")
    compared = _shown(main_text(page))
    for sentence in evidence.comparison_sentences:
        assert sentence in compared, sentence
        assert sentence in text
        assert f"<li>{sentence}</li>" in section
    assert "Legal" not in compared
    page.screenshot(path=str(SCREENSHOTS / "compare-reliability.png"), full_page=True)
