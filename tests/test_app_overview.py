"""Overview page (AppTest): the AIIM starting point and where to start."""

from __future__ import annotations

from pathlib import Path

import pytest
from app_harness import ROOT, metric, open_page, use_temporary_store


@pytest.fixture(autouse=True)
def _store(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    use_temporary_store(monkeypatch, tmp_path)


def test_the_overview_shows_the_aiim_figures_with_their_years() -> None:
    at = open_page()
    assert metric(at, "Organizations deploying E2.0 tools, 2008") == "about 12.5%"
    assert metric(at, "Organizations deploying E2.0 tools, 2009") == "25%"
    assert "Market level" in at.caption[0].value


def test_the_overview_links_to_where_to_start() -> None:
    at = open_page()
    assert {link.proto.page for link in at.page_link} == {
        "questionnaire",
        "survey",
        "growth",
        "saved",
    }


def test_the_server_keeps_its_protections_on() -> None:
    import tomllib

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    server = config["server"]
    assert server["enableXsrfProtection"] is True
    assert server["enableCORS"] is True
    assert server["enableStaticServing"] is False
    assert server["maxUploadSize"] <= 20
    assert config["browser"]["gatherUsageStats"] is False
