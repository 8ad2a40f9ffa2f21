"""The dashboard benchmark's baselines, small: the shell baseline draws the growth page's own
controls (so its ratio means what docs/development.md says), and the minimal app is one slider
and a ten-point chart. The measurements themselves run with ``python bench/bench_dashboard.py``."""

from __future__ import annotations

from pathlib import Path

from bench_dashboard import MINIMAL_SLIDER, shell_app
from streamlit.testing.v1 import AppTest

from readiness.views.growth import GROWTH_SLIDERS


def test_the_shell_baseline_draws_the_growth_pages_controls_around_a_ten_point_chart(
    tmp_path: Path,
) -> None:
    router = shell_app(tmp_path / "shell")
    assert 'position="top"' in router.read_text(encoding="utf-8")
    page = AppTest.from_file(str(router.parent / "shell_growth.py"), default_timeout=30).run()
    assert not page.exception
    assert [s.key for s in page.slider] == [s.key for s in GROWTH_SLIDERS]
    assert page.slider(key="g").label == "Growth factor per year"
    page.slider(key="g").set_value(2.5).run()
    assert not page.exception
    (chart,) = page.get("vega_lite_chart")
    assert "Exponential x2.5/year" in chart.proto.alt


def test_the_minimal_app_is_one_slider_and_a_chart(tmp_path: Path) -> None:
    app = AppTest.from_string(MINIMAL_SLIDER, default_timeout=30).run()
    assert not app.exception
    assert [s.key for s in app.slider] == ["g"]
    assert len(app.get("vega_lite_chart")) == 1
