"""Growth page (AppTest): URL-bound sliders, presets, levels, own history."""

from __future__ import annotations

from pathlib import Path

import pytest
from app_harness import chart_data, chart_specs, open_page, use_temporary_store
from streamlit.testing.v1 import AppTest

from readiness.dashboard_state import item_key

PAGE = "pages/growth.py"
SLIDERS = {"start_share", "start_year", "g", "p", "q", "ceiling", "horizon", "material"}


@pytest.fixture(autouse=True)
def _store(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    use_temporary_store(monkeypatch, tmp_path)


def test_every_scenario_slider_is_there() -> None:
    at = open_page(PAGE)
    assert {s.key for s in at.slider} == SLIDERS
    assert "Market level" in chart_specs(at)[0]


def test_moving_a_slider_changes_the_chart_data_and_the_milestones() -> None:
    at = open_page(PAGE)
    before_data, before_table = chart_data(at), at.table[0].value.copy()
    at.slider(key="q").set_value(0.8).run()
    assert not at.exception
    assert chart_data(at) != before_data
    assert not at.table[0].value.equals(before_table)
    assert "q=0.8" in " ".join(at.table[0].value["scenario"])


def test_the_url_reproduces_the_scenario() -> None:
    at = AppTest.from_file(str(Path(__file__).parents[1] / "app.py"), default_timeout=30)
    at.query_params.update({"g": "3.0", "start_share": "10", "horizon": "20"})
    at.run()
    at.switch_page(PAGE).run()
    assert at.slider(key="g").value == 3.0
    assert at.slider(key="start_share").value == 10
    assert at.slider(key="horizon").value == 20
    assert "Exponential x3/year" in set(at.table[0].value["scenario"])


def test_a_preset_sets_the_sliders_and_names_its_source() -> None:
    at = open_page(PAGE)
    at.selectbox(key="growth_preset").select("analogy-cell-phone").run()
    assert at.slider(key="p").value == pytest.approx(0.0047)
    assert at.slider(key="q").value == pytest.approx(0.506)
    assert any("Van den Bulte" in c.value for c in at.caption)


def test_the_organization_level_adds_readiness_bass_and_the_levers_chart() -> None:
    at = open_page("pages/questionnaire.py")
    at.segmented_control(key=item_key("su_sponsor")).set_value(1).run()
    at.switch_page(PAGE).run()
    at.segmented_control(key="level").set_value("organization").run()
    assert "Bass from your readiness" in set(at.table[0].value["scenario"])
    specs = chart_specs(at)
    assert "Organization level" in specs[0]
    assert any("What raises growth most" in s for s in specs)


def test_an_own_history_is_fitted_and_drawn_with_a_band() -> None:
    at = open_page(PAGE)
    at.segmented_control(key="level").set_value("organization").run()
    history = "period,value\n2005,2\n2006,4\n2007,8\n2008,14\n2009,22\n2010,32\n"
    at.file_uploader(key="growth_history").upload("history.csv", history.encode()).run()
    assert not at.exception
    assert at.success[0].value.startswith("Fitted a ")
    assert "Shaded: 80% band of the" in chart_specs(at)[0]
    assert "(refit bootstrap)" in chart_specs(at)[0]


def test_a_bad_history_row_is_reported() -> None:
    at = open_page(PAGE)
    history = "period,value\n2005,2\n2006,lots\n2007,8\n"
    at.file_uploader(key="growth_history").upload("history.csv", history.encode()).run()
    assert "'lots' is not a number" in at.error[0].value
