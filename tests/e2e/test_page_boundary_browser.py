"""The page boundary under ``streamlit run`` in Chromium: a page that fails shows the short
message with a reference, never Streamlit's error page or a server path; the server log has the
traceback under the same reference.

The failure is injected into the server process only: a ``sitecustomize`` module on its
``PYTHONPATH`` makes the overview's headline figures raise.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, SCREENSHOTS, require_browser
from streamlit_server import Server, streamlit_server

FAULT = """
import readiness.benchmarks

def _fail(*args, **kwargs):
    raise RuntimeError("cannot read {secret}")

readiness.benchmarks.headline = _fail
"""


@pytest.fixture
def failing_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Server]:
    require_browser()
    secret = f"{ROOT}/secret/server-side.csv"
    (tmp_path / "fault").mkdir()
    (tmp_path / "fault" / "sitecustomize.py").write_text(FAULT.format(secret=secret))
    path = os.pathsep.join(p for p in (str(tmp_path / "fault"), os.environ.get("PYTHONPATH")) if p)
    monkeypatch.setenv("PYTHONPATH", path)
    with streamlit_server(ROOT / "app.py", tmp_path / "home") as server:
        yield server


def test_a_failing_page_shows_a_reference_and_the_log_has_the_traceback(
    browser: Any, failing_server: Server
) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.goto(failing_server.url)
    page.get_by_text("reference").first.wait_for(timeout=30_000)
    text = page.inner_text("body")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "page_boundary.png"), full_page=True)
    page.close()

    reference = re.search(r"\(reference ([0-9a-f]{8})\)", text)
    assert reference, text
    assert "Enterprise 2.0 readiness" in text  # what ran before the failure is still shown
    for leak in ("Traceback", "RuntimeError", str(ROOT), "secret", "This app has encountered"):
        assert leak not in text, leak
    log = failing_server.log.read_text(errors="replace")
    logged = log[log.index(f"(reference {reference.group(1)})") :]
    assert "Traceback (most recent call last)" in logged
    assert "RuntimeError: cannot read" in logged
