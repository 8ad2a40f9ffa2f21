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
from dashboard_page import CHART, expect, open_app, wait_idle

from readiness.data_dictionary import example_answer
from readiness.questionnaire import Item, load_questionnaire

pytestmark = pytest.mark.browser
Q = load_questionnaire()
CLOSED_PORT = "127.0.0.1:9"
PAYLOAD_COLUMN = f"![x](http://{CLOSED_PORT}/column.png)"


def _answer(item: Item, agree: str) -> str:
    """An answer as Microsoft Forms exports it: labels, not ids."""
    if item.kind == "likert":
        return agree
    if item.kind == "choice":
        return item.options[0].label
    if item.kind == "checklist":
        return ";".join(option.label for option in item.options[:3]) + ";"
    return example_answer(item)


def _forms_export(path: Path) -> Path:
    header = ["ID", "Start time", "Completion time", "Email", "Name", "Department"]
    header += [item.text for item in Q.items] + [PAYLOAD_COLUMN]
    rows = [header]
    people = [("NA", "Agree"), ("NA", "Strongly agree"), ("Sales", "Disagree"), ("Sales", "Agree")]
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
    upload = _forms_export(tmp_path / "Readiness survey(1-4).csv")
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
    expect(metrics.filter(has_text="Respondents scored")).to_contain_text("4")
    expect(metrics.filter(has_text="Divisions")).to_contain_text("2")
    chart = page.locator(CHART).first
    expect(chart).to_have_attribute(
        "aria-label",
        "Overall readiness out of 100 for 2 divisions; 1 with low agreement among respondents.",
    )  # Sales: one "Disagree", one "Agree"
    expect(page.get_by_test_id("stAlertContentWarning").first).to_contain_text(
        "1 division has low agreement"
    )
    table = page.get_by_test_id("stDataFrame").last
    table.scroll_into_view_if_needed()
    for text in ["Division", "Respondents", "Overall (0-100)", "Agreement (r_wg)", "NA", "Sales"]:
        expect(table).to_contain_text(text)
    shown = table.text_content() or ""
    assert not re.search(r"\d\.\d{3}", shown), shown  # scores whole, r_wg to 2 decimals
    assert "Spreading0.75" in shown, shown  # NA: "Agree" and "Strongly agree", r_wg 0.75
    wait_idle(page)
    assert not [url for url in requests if CLOSED_PORT in url]
