"""Survey upload in Chromium: a file exported by a survey tool, with columns the questionnaire does
not have, is read; the page names the ignored columns and shows the division results.

The uploaded file follows Microsoft Forms' documented export shape (ID, Start time, Completion
time, Email, Name, then one column per question headed by its text, answers as option labels)
with one more column whose name is Markdown pointing at a closed local port.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import pytest
from dashboard_page import CHART, expect, open_app, wait_idle, widget

from readiness.data_dictionary import example_answer
from readiness.questionnaire import Item, load_questionnaire

pytestmark = pytest.mark.browser
Q = load_questionnaire()
CLOSED_PORT = "127.0.0.1:9"
PAYLOAD_COLUMN = f"![x](http://{CLOSED_PORT}/column.png)"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "out" / "screenshots"


def _answer(item: Item, agree: str) -> str:
    """An answer as Microsoft Forms exports it: labels, not ids."""
    if item.kind == "likert":
        return agree
    if item.kind == "choice":
        return item.options[0].label
    if item.kind == "checklist":
        return ";".join(option.label for option in item.options[:3]) + ";"
    return example_answer(item)


def _forms_export(path: Path, people: list[tuple[str, str]]) -> Path:
    """A Microsoft Forms export with one respondent per (division, agreement label)."""
    header = ["ID", "Start time", "Completion time", "Email", "Name", "Department"]
    header += [item.text for item in Q.items] + [PAYLOAD_COLUMN]
    rows = [header]
    for number, (division, agree) in enumerate(people, start=1):
        meta = [str(number), "11/2/26 9:01:33", "11/2/26 9:04:10", "anonymous", "", division]
        rows.append(meta + [_answer(item, agree) for item in Q.items] + ["[link](http://x)"])
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    path.write_bytes(b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8"))
    return path


def test_a_forms_export_with_an_extra_column_shows_the_note_and_division_results(
    page: Any, app_url: str, tmp_path: Path
) -> None:
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    people = [("NA", "Agree"), ("NA", "Strongly agree"), ("Sales", "Disagree"), ("Sales", "Agree")]
    upload = _forms_export(tmp_path / "Readiness survey(1-12).csv", people * 3)
    open_app(page, f"{app_url}/survey")
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(upload))
    note = page.get_by_test_id("stAlertContentInfo").first
    note.wait_for(timeout=30_000)
    wait_idle(page)
    text = note.inner_text().replace("\u2060", "")  # word joiners that keep ":" literal
    assert (
        "Survey tool columns ignored: 'ID', 'Start time', 'Completion time', 'Email', 'Name'"
        in text
    )
    assert f"columns ignored (not a question of the questionnaire): '{PAYLOAD_COLUMN}'" in text
    assert note.locator("img, a").count() == 0  # the Markdown in the column name stays text
    assert page.get_by_test_id("stAlertContentError").count() == 0
    metrics = page.get_by_test_id("stMetric")
    expect(metrics.filter(has_text="Respondents scored")).to_contain_text("12")
    expect(metrics.filter(has_text="Groups shown")).to_contain_text("2")
    chart = page.locator(CHART).first
    expect(chart).to_have_attribute(
        "aria-label",
        "Overall readiness out of 100 for 2 divisions; 1 with low agreement among respondents.",
    )  # Sales: three "Disagree", three "Agree"
    expect(page.get_by_test_id("stAlertContentWarning").first).to_contain_text(
        "1 division has low agreement"
    )
    table = page.get_by_test_id("stDataFrame").filter(has_text="Overall (0-100)")
    table.scroll_into_view_if_needed()
    for text in ["Division", "Respondents", "Overall (0-100)", "Agreement (r_wg)", "NA", "Sales"]:
        expect(table).to_contain_text(text)
    shown = table.text_content() or ""
    assert not re.search(r"\d\.\d{3}", shown), shown  # scores whole, r_wg to 2 decimals
    # NA: three "Agree" and three "Strongly agree": variance 0.3, r_wg 1 - 0.3 / 2 = 0.85
    assert "Spreading0.85" in shown, shown
    wait_idle(page)
    assert not [url for url in requests if CLOSED_PORT in url]


def test_a_division_of_three_is_merged_on_the_page_in_compare_and_in_the_report(
    page: Any, app_url: str, tmp_path: Path
) -> None:
    """Operations 6, Marketing 6, Legal 3: Legal alone is under the minimum (5), and merged
    alone it could be worked out from everyone minus the other two, so the next smallest
    (Marketing, before Operations by name) joins it: 'other divisions' of 9."""
    people = [("Operations", "Agree")] * 6 + [("Marketing", "Strongly agree")] * 6
    people += [("Legal", "Strongly disagree")] * 3
    upload = _forms_export(tmp_path / "Readiness survey(1-15).csv", people)
    open_app(page, f"{app_url}/survey")
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(upload))
    metrics = page.get_by_test_id("stMetric")
    metrics.first.wait_for(timeout=30_000)
    wait_idle(page)
    chart = page.locator(CHART).first
    expect(chart).to_have_attribute("aria-label", re.compile(r"for 2 divisions;"))
    chart.locator("svg").wait_for()
    bars = chart.locator("svg").text_content() or ""
    for name in ("other divisions", "Operations"):
        assert name in bars, bars
    for name in ("Legal", "Marketing"):
        assert name not in bars, bars
    expect(metrics.filter(has_text="Respondents scored")).to_contain_text("15")
    expect(metrics.filter(has_text="Groups shown")).to_contain_text("2")
    main = page.get_by_test_id("stMain")
    expect(main).to_contain_text("fewer than 5 respondents")
    expect(main).to_contain_text("anonym")
    table = page.get_by_test_id("stDataFrame").filter(has_text="Overall (0-100)")
    table.scroll_into_view_if_needed()
    expect(table).to_contain_text("other divisions")
    shown = table.text_content() or ""
    for name in ("Legal", "Marketing"):
        assert name not in shown, shown
    for group in ("other divisions9", "Operations6"):  # name, then respondents
        assert group in shown, shown
    assert "Legal" not in (main.inner_text() or "")

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "survey-merged-groups.png"), full_page=True)
    with page.expect_download(timeout=20_000) as download:
        page.get_by_role("button", name="Download the report").click()
    report = Path(download.value.path()).read_text(encoding="utf-8")
    assert "Legal" not in report
    assert "Marketing" not in report
    assert "other divisions" in report
    assert "Operations" in report
    assert "fewer than 5 respondents" in report
    assert re.search(r"other divisions</td><td class='num'>9<", report), report

    page.get_by_role("link", name="Compare divisions").click()
    wait_idle(page)
    expect(page.get_by_test_id("stMain")).to_contain_text("fewer than 5 respondents")
    # Both survey groups are chosen at first: the chips name them with their size.
    chosen = widget(page, "compare_chosen")
    for label in ("Survey: other divisions (9 respondents)", "Survey: Operations (6 respondents)"):
        expect(chosen).to_contain_text(label)
    # Legal is not offered on its own (saved assessments of other journeys may be offered)
    chosen.locator("input").click()
    page.keyboard.type("Legal")
    expect(page.get_by_role("option")).to_have_text(["No results"])
    page.keyboard.press("Escape")
    compared = page.locator(CHART).first
    compared.locator("svg").wait_for()
    expect(page.get_by_test_id("stDataFrame").last).to_contain_text(
        "Survey: other divisions (9 respondents)"
    )
    drawn = (compared.locator("svg").text_content() or "") + page.get_by_test_id(
        "stMain"
    ).inner_text()
    for name in ("Legal", "Marketing"):
        assert name not in drawn, drawn
