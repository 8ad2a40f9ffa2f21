"""Shared set-up for the dashboard's AppTest tests: a fresh app with its own store per test.

The root ``tests/conftest.py`` loads this as a plugin, so its fixtures need no import.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
TIMEOUT = 30


@pytest.fixture
def store_url(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    """The dashboard pointed at an empty SQLite store in ``tmp_path``; the store's URL.

    A module whose every test runs the app uses it with
    ``pytestmark = pytest.mark.usefixtures("store_url")``; one that seeds the store overrides it
    by asking for ``store_url`` in its own ``store_url`` fixture.
    """
    url = f"sqlite:///{tmp_path / 'readiness.db'}"
    monkeypatch.setenv("READINESS_DATABASE_URL", url)
    monkeypatch.setenv("READINESS_DATA_HOME", str(tmp_path))
    return url


def open_page(page: str | None = None) -> AppTest:
    """The app, run once, then switched to ``page`` (``pages/<name>.py``) and run."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    assert not at.exception, at.exception
    if page is not None:
        at.switch_page(page).run()
        assert not at.exception, at.exception
    return at


def metric(at: AppTest, label: str) -> str:
    """The value of the first metric with ``label``."""
    for element in at.metric:
        if element.label == label:
            return str(element.value)
    raise AssertionError(f"no metric {label!r}; have {[m.label for m in at.metric]}")


def chart_specs(at: AppTest) -> list[str]:
    """Alt text and Vega-Lite spec (JSON text) of every chart on the page."""
    return [f"{node.proto.alt}\n{node.proto.spec}" for node in at.get("vega_lite_chart")]


def chart_data(at: AppTest) -> list[bytes]:
    """The Arrow bytes of every chart's datasets, to compare charts across runs."""
    data: list[bytes] = []
    for node in at.get("vega_lite_chart"):
        data.extend(bytes(d.data.data) for d in node.proto.datasets)
    return data


def dataframe_with(at: AppTest, column: str) -> pd.DataFrame:
    """The first dataframe on the page that has ``column``."""
    for element in at.dataframe:
        frame = element.value
        if column in frame.columns:
            return frame
    raise AssertionError(f"no dataframe with column {column!r}")
