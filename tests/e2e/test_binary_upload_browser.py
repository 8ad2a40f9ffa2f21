"""An image sent where a CSV or JSON file is expected, on every file uploader of the dashboard:
the page says it is a PNG image (not which byte is not UTF-8), with no traceback.

Streamlit's uploader only takes the file types it lists, so the image is named as that type
("chart.csv"), as when a screenshot is saved under the wrong name.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from dashboard_page import expect, open_app, type_into, upload, wait_idle

pytestmark = pytest.mark.browser
DATA = Path(__file__).resolve().parents[1] / "data" / "usage"


def png_image() -> bytes:
    """A real 2x2 PNG: signature, IHDR, IDAT and IEND chunks with their CRCs."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + body))
        return struct.pack(">I", len(body)) + kind + body + crc

    pixels = b"".join(b"\x00" + b"\xff\x00\x00" * 2 for _ in range(2))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(pixels))
        + chunk(b"IEND", b"")
    )


def _survey(page: Any) -> None:
    upload(page, "survey_file", "chart.csv", png_image())


def _history(page: Any) -> None:
    page.get_by_text("Your own adoption history").click()
    wait_idle(page)
    upload(page, "growth_history", "chart.csv", png_image())


def _usage_export(page: Any) -> None:
    page.get_by_text("Settings", exact=True).click()
    wait_idle(page)
    type_into(page, "measured_headcount", "100")
    upload(page, "measured_files", "chart.csv", png_image())


def _roster(page: Any) -> None:
    export = DATA / "yammer-activity-user-detail-2026-01-31.csv"
    upload(page, "measured_files", export.name, export.read_bytes())
    upload(page, "measured_roster", "chart.csv", png_image())


def _import(page: Any) -> None:
    page.get_by_text("Import assessments (JSON)").click()
    wait_idle(page)
    upload(page, "saved_import", "chart.json", png_image(), "application/json")
    page.get_by_role("button", name="Import", exact=True).click()
    wait_idle(page)


@pytest.mark.parametrize(
    ("path", "send", "expected"),
    [
        ("survey", _survey, "chart.csv: this is a PNG image, not a CSV file"),
        ("growth", _history, "chart.csv: this is a PNG image, not a CSV file"),
        ("measured", _usage_export, "chart.csv: this is a PNG image, not a CSV file"),
        ("measured", _roster, "chart.csv: this is a PNG image, not a CSV file"),
        ("saved", _import, "chart.json: this is a PNG image, not a JSON file"),
    ],
    ids=["survey", "history", "usage-export", "roster", "import"],
)
def test_an_image_uploaded_as_a_data_file_is_named_a_png_image(
    page: Any, app_url: str, path: str, send: Callable[[Any], None], expected: str
) -> None:
    open_app(page, f"{app_url}/{path}")
    send(page)
    error = page.get_by_test_id("stAlertContentError").first
    expect(error).to_contain_text(expected, timeout=30_000)
    text = page.locator('[data-testid="stMain"]').inner_text()
    assert "UTF-8" not in text
    assert "Traceback" not in text
    assert page.get_by_test_id("stException").count() == 0
