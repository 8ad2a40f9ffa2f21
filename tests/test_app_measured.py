"""Measured adoption page (AppTest): uploads in, monthly shares and fitted curves out; the
projection on Results then says it comes from measured usage; bad files get one line each."""

from __future__ import annotations

from pathlib import Path

import pytest
from app_harness import chart_specs, metric, open_page
from streamlit.testing.v1 import AppTest

from readiness.questionnaire import load_questionnaire
from readiness.usage import OTHER_DIVISIONS
from readiness.views.questionnaire import item_key

PAGE = "pages/measured.py"
DATA = Path(__file__).parent / "data" / "usage"


pytestmark = pytest.mark.usefixtures("store_url")


def _upload(at: AppTest, *names: str, roster: bool = True) -> AppTest:
    files = [(n, (DATA / n).read_bytes(), "text/csv") for n in names]
    at.file_uploader(key="measured_files").set_value(files)
    if roster:
        at.file_uploader(key="measured_roster").upload(
            "roster.csv", (DATA / "roster.csv").read_bytes(), "text/csv"
        )
    return at.run()


def test_without_files_the_page_says_what_to_upload() -> None:
    at = open_page(PAGE)
    assert "Upload one or more usage exports" in at.info[0].value
    caption = at.caption[0].value
    for title in ("Viva Engage", "Teams user activity", "Slack member analytics", "Event log"):
        assert title in caption


def test_exports_and_a_roster_give_shares_curves_and_a_download() -> None:
    at = _upload(open_page(PAGE), "events.csv", "yammer-activity-user-detail-2026-01-31.csv")
    assert not at.exception
    assert metric(at, "Active in 2026-01") == "90%"  # 35 of the 39 employed in January
    assert metric(at, "Divisions shown") == "3"
    texts = [t.value for t in at.text]
    assert any(t.startswith("Active: at least one counted action") for t in texts)
    assert "events.csv: Event log (CSV or Parquet), 369 rows, 1 skipped" in texts
    assert (
        "yammer-activity-user-detail-2026-01-31.csv: Viva Engage (Yammer) activity user detail, "
        "40 rows, 0 skipped" in texts
    )
    assert any(f"merged into '{OTHER_DIVISIONS}'" in t for t in texts)
    specs = chart_specs(at)
    assert len(specs) == 2
    assert specs[0].startswith("Monthly active share of all staff, measured 13 months")
    assert "one panel per division" in specs[1]
    (download,) = [b for b in at.get("download_button") if "monthly series" in b.proto.label]
    assert download.proto.label == "Download the monthly series"
    # Rows with problems are named with their row and field, shown as text.
    assert "row 370: field timestamp" in at.warning[0].value
    assert isinstance(at.session_state["measured_fit"].r2, float)


def test_the_results_page_then_projects_from_measured_usage() -> None:
    at = open_page("pages/questionnaire.py")
    for item in load_questionnaire().items:
        if item.kind == "likert" and item.dimension is not None:
            at.session_state[item_key(item.id)] = 4
    at.session_state[item_key("gr_active_share")] = 20.0
    at.run()
    at = _upload(at.switch_page(PAGE).run(), "events.csv")
    gap = [w.value for w in at.warning if "self-reported" in w.value]
    assert gap
    assert "A large gap" in gap[0]
    at.switch_page("pages/results.py").run()
    assert not at.exception
    page_text = " ".join(str(m.value) for m in at.markdown) + " ".join(
        str(e.value) for e in at.info
    )
    assert "your measured usage" in page_text
    at.switch_page("pages/growth.py").run()
    assert not at.exception
    assert any("your measured usage (" in spec for spec in chart_specs(at))


def test_a_file_in_no_recognised_format_is_one_line_listing_the_formats() -> None:
    at = open_page(PAGE)
    at.file_uploader(key="measured_files").set_value([("notes.csv", b"a,b\n1,2\n", "text/csv")])
    at.file_uploader(key="measured_roster").upload(
        "roster.csv", (DATA / "roster.csv").read_bytes(), "text/csv"
    )
    at.run()
    assert not at.exception
    assert "notes.csv: row 1: not a recognised usage export" in at.error[0].value
    assert "measured_fit" not in at.session_state


def test_a_headcount_stands_in_for_the_roster() -> None:
    at = open_page(PAGE)
    at.number_input(key="measured_headcount").set_value(40)
    at = _upload(at, "yammer-activity-user-detail-concealed.csv", roster=False)
    assert not at.exception
    assert metric(at, "Active in 2026-01") == "90%"
    assert metric(at, "Divisions shown") == "0"
