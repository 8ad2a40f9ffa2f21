"""Measured adoption in Chromium: several usage exports and a roster uploaded together give the
monthly share overall and per division with fitted curves; a division named like a formula or
Markdown stays text on the page and is neutralised in the downloaded CSV; no user name is shown.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from dashboard_page import CHART, expect, open_app, wait_idle, widget

pytestmark = pytest.mark.browser
DATA = Path(__file__).resolve().parents[1] / "data" / "usage"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "out" / "screenshots"
CLOSED_PORT = "127.0.0.1:9"
FORMULA = "=HYPERLINK(1)"
MARKDOWN = f"![x](http://{CLOSED_PORT}/division.png)"


def _roster(path: Path) -> Path:
    text = (DATA / "roster.csv").read_text()
    path.write_text(
        text.replace(",Sales,", f",{FORMULA},").replace(",Engineering,", f",{MARKDOWN},")
    )
    return path


def test_exports_and_a_roster_give_curves_per_division_and_a_safe_download(
    page: Any, app_url: str, tmp_path: Path
) -> None:
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    open_app(page, f"{app_url}/measured")
    inputs = page.get_by_test_id("stFileUploaderDropzoneInput")
    inputs.nth(0).set_input_files(
        [str(DATA / "events.csv"), str(DATA / "yammer-activity-user-detail-2026-01-31.csv")]
    )
    # the roster is set only once the exports' rerun has redrawn the page (else it is lost)
    chips = page.get_by_test_id("stFileChipName")
    expect(chips).to_have_count(2, timeout=30_000)
    expect(page.get_by_test_id("stFileChipIconSpinner")).to_have_count(0, timeout=30_000)
    wait_idle(page, 30_000)
    inputs.nth(1).set_input_files(str(_roster(tmp_path / "roster.csv")))
    expect(chips).to_have_count(3, timeout=30_000)
    metrics = page.get_by_test_id("stMetric")
    expect(metrics.filter(has_text="Active in 2026-01")).to_contain_text("90%", timeout=60_000)
    wait_idle(page)
    expect(metrics.filter(has_text="Divisions shown")).to_contain_text("3")
    charts = page.locator(CHART)
    expect(charts).to_have_count(2)
    assert (
        charts.nth(0)
        .get_attribute("aria-label", timeout=5_000)
        .startswith("Monthly active share of all staff, measured 13 months")
    )
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "measured-adoption-top.png"))
    charts.nth(1).scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / "measured-adoption-divisions.png"))
    body = page.locator("body").inner_text()
    assert "example.com" not in body  # user names never reach the page
    assert page.locator(f"img[src*='{CLOSED_PORT}'], a[href*='{CLOSED_PORT}']").count() == 0
    assert not [url for url in requests if CLOSED_PORT in url]
    with page.expect_download() as download_info:
        widget(page, "measured_download").get_by_role("button").click()
    csv_text = Path(download_info.value.path()).read_text()
    assert csv_text.startswith("month,group,roster,active,share,basis")
    assert f"'{FORMULA}" in csv_text
    assert "example.com" not in csv_text
    for line in csv_text.splitlines()[1:]:
        assert int(line.split(",")[2]) >= 5  # no group below the minimum, in downloads too


def test_the_page_empty_and_filled_has_no_serious_accessibility_violation(
    page: Any, app_url: str
) -> None:
    from test_accessibility import audit

    open_app(page, f"{app_url}/measured")
    found = audit(page, "empty Measured adoption")
    page.get_by_test_id("stFileUploaderDropzoneInput").nth(0).set_input_files(
        str(DATA / "events.csv")
    )
    wait_idle(page)
    page.get_by_test_id("stFileUploaderDropzoneInput").nth(1).set_input_files(
        str(DATA / "roster.csv")
    )
    expect(page.locator(CHART)).to_have_count(2, timeout=60_000)
    found += audit(page, "filled Measured adoption")
    assert found == []


def test_a_comma_ended_export_and_a_roster_with_mixed_offsets_are_measured(
    page: Any, app_url: str
) -> None:
    open_app(page, f"{app_url}/measured")
    inputs = page.get_by_test_id("stFileUploaderDropzoneInput")
    inputs.nth(0).set_input_files(
        [str(DATA / "events.csv"), str(DATA / "yammer-activity-user-detail-trailing-comma.csv")]
    )
    wait_idle(page)
    inputs.nth(1).set_input_files(str(DATA / "roster-mixed-offsets.csv"))
    metrics = page.get_by_test_id("stMetric")
    expect(metrics.filter(has_text="Active in 2026-01")).to_contain_text("90%", timeout=60_000)
    wait_idle(page)
    expect(metrics.filter(has_text="Divisions shown")).to_contain_text("3")
    expect(
        page.get_by_text(
            "yammer-activity-user-detail-trailing-comma.csv: Viva Engage (Yammer) activity user"
            " detail, 40 rows, 0 skipped",
            exact=True,
        )
    ).to_be_visible()
    expect(page.locator(CHART)).to_have_count(2)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "measured-adoption-unusual-files.png"))
    body = page.locator("body").inner_text()
    assert "could not be measured" not in body
    assert "unexpected error" not in body.lower()
    with page.expect_download() as download_info:
        widget(page, "measured_download").get_by_role("button").click()
    rows = Path(download_info.value.path()).read_text().splitlines()
    # Started at midnight +01:00 on 1 March: employed from March, as the date is written.
    assert [r.split(",")[2] for r in rows if ",all staff," in r][:3] == ["39", "39", "40"]
