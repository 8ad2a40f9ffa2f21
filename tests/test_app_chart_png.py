"""PNG downloads of the main charts (AppTest): Results' dimension chart, Growth's projection
chart, Measured adoption's charts. Each button carries the chart its page draws, and the image
is rendered (vl-convert) only when the button is clicked, never during a run of the page."""

from __future__ import annotations

import json
import struct
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import streamlit as st
import vl_convert
from app_harness import open_page
from streamlit.testing.v1 import AppTest

from readiness.charts import alt_text
from readiness.questionnaire import load_questionnaire
from readiness.views.questionnaire import item_key

Q = load_questionnaire()
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
USAGE = Path(__file__).parent / "data" / "usage"


@dataclass
class PngButton:
    file_name: str
    data: Callable[[], bytes]

    @property
    def chart(self) -> Any:
        """The chart the button renders (the one its callable closes over)."""
        closure = self.data.__closure__ or ()
        return next(cell.cell_contents for cell in closure)


@dataclass
class Recorded:
    buttons: list[PngButton]
    renders: list[int]  # one entry per PNG rendered by vl-convert


@pytest.fixture
def recorded(store_url: str, monkeypatch: pytest.MonkeyPatch) -> Recorded:
    """Every PNG download button a page draws, and every PNG vl-convert renders (in the
    dashboard's own empty store)."""
    seen = Recorded([], [])
    download_button = st.download_button
    to_png = vl_convert.vegalite_to_png

    def recording_button(
        label: str, data: Any, file_name: Any = None, *args: Any, **kw: Any
    ) -> Any:
        mime = args[0] if args else kw.get("mime")
        if mime == "image/png":
            seen.buttons.append(PngButton(str(file_name), data))
        return download_button(label, data, file_name, *args, **kw)

    def counting_png(*args: Any, **kw: Any) -> Any:
        seen.renders.append(1)
        return to_png(*args, **kw)

    monkeypatch.setattr(st, "download_button", recording_button)
    monkeypatch.setattr(vl_convert, "vegalite_to_png", counting_png)
    return seen


def _button(seen: Recorded, file_name: str) -> PngButton:
    found = [b for b in seen.buttons if b.file_name == file_name]
    assert found, f"no PNG button {file_name}; have {[b.file_name for b in seen.buttons]}"
    return found[-1]  # the latest run's


def _valid_png(data: bytes) -> tuple[int, int]:
    """Width and height of a PNG image, after checking its signature and header chunk."""
    assert data[:8] == PNG_MAGIC
    length, kind = struct.unpack(">I4s", data[8:16])
    assert (length, kind) == (13, b"IHDR")
    width, height = struct.unpack(">II", data[16:24])
    return int(width), int(height)


def _drawn_alts(at: AppTest) -> list[str]:
    return [str(node.proto.alt) for node in at.get("vega_lite_chart")]


def test_results_offers_its_dimension_chart_as_png(recorded: Recorded) -> None:
    at = open_page("pages/questionnaire.py")
    for item in Q.items:
        if item.kind == "likert":
            at.session_state[item_key(item.id)] = 4
    at.run()
    at.switch_page("pages/results.py").run()
    assert not at.exception

    button = _button(recorded, "readiness-dimensions.png")
    assert recorded.renders == []  # nothing rendered until the button is clicked
    assert alt_text(button.chart) == _drawn_alts(at)[0]  # the page's first chart
    assert "Grassroots" in alt_text(button.chart)
    width, height = _valid_png(button.data())
    assert recorded.renders == [1]
    assert width > 600
    assert height > 200


def test_growth_offers_its_projection_chart_as_png(recorded: Recorded) -> None:
    at = open_page("pages/growth.py")
    at.slider(key="q").set_value(0.5).run()  # a slider move: the panel redraws
    assert not at.exception

    button = _button(recorded, "growth-scenarios.png")
    assert recorded.renders == []
    drawn = json.loads(at.get("vega_lite_chart")[0].proto.spec)
    spec = button.chart
    assert spec["layer"] == drawn["layer"]
    assert spec["title"] == drawn["title"]
    assert sorted(spec["datasets"]) == sorted(
        d.name for d in at.get("vega_lite_chart")[0].proto.datasets
    )
    curves = spec["datasets"]["curves"]
    assert curves["share"].between(0, 1).all()
    width, height = _valid_png(button.data())
    assert recorded.renders == [1]
    assert width >= 2 * 720  # drawn twice as large as the chart's own width (sharp on slides)
    assert height > 400


def test_measured_adoption_offers_its_charts_as_png(recorded: Recorded) -> None:
    at = open_page("pages/measured.py")
    at.file_uploader(key="measured_files").set_value(
        [("events.csv", (USAGE / "events.csv").read_bytes(), "text/csv")]
    )
    at.file_uploader(key="measured_roster").upload(
        "roster.csv", (USAGE / "roster.csv").read_bytes(), "text/csv"
    )
    at.run()
    assert not at.exception

    overall = _button(recorded, "measured-adoption.png")
    divisions = _button(recorded, "measured-adoption-by-division.png")
    assert recorded.renders == []
    drawn = _drawn_alts(at)
    assert alt_text(overall.chart) == drawn[0]
    assert alt_text(divisions.chart) == drawn[1]
    width, height = _valid_png(overall.data())
    assert width >= 2 * 720  # the page's chart fills its column: the image has a width of its own
    assert height > 400
    width, height = _valid_png(divisions.data())
    assert width > 1000  # one panel per division, side by side
    assert height > 200
    assert recorded.renders == [1, 1]
