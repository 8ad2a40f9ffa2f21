"""What the Measured adoption page shows (readiness.views.measured)."""

from __future__ import annotations

from pathlib import Path

from readiness.views.measured import (
    MeasuredView,
    measured_view,
    read_uploads,
    recognised_formats,
)

DATA = Path(__file__).parent / "data" / "usage"


def _view(*names: str) -> MeasuredView:
    exports = [((DATA / n).read_bytes(), n) for n in names]
    roster = ((DATA / "roster.csv").read_bytes(), "roster.csv")
    return measured_view(read_uploads(exports, roster, None, ["post", "edit"], 5))


def test_the_figures_above_the_charts_name_the_latest_month_and_what_was_measured() -> None:
    view = _view("events.csv")
    metrics = {label: value for label, value, _ in view.summary_metrics()}
    assert metrics["Active in 2025-12"].endswith("%")
    assert metrics["Months"] == "12"
    assert metrics["Divisions shown"] == str(len(view.measured.divisions))
    assert view.reading_notes()[0].startswith("events.csv: ")
    skipped = view.skipped_rows()  # the sample has one bad time stamp
    assert skipped is not None
    assert skipped.startswith("~~~")  # file names and cells are user text: shown literally
    assert "events.csv: row 370" in skipped


def test_the_recognised_formats_are_named_in_one_line() -> None:
    line = recognised_formats()
    assert "Yammer" in line
    assert "\n" not in line
