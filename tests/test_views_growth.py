"""The growth page's scenario panel, computed without Streamlit."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from readiness.errors import InputError
from readiness.levers import load_levers
from readiness.organization import organization_projection
from readiness.projection import Scenario, curves_frame, load_presets
from readiness.story import lever_sentence, organization_answer
from readiness.views.growth import (
    GROWTH_SLIDERS,
    GrowthControls,
    controls_from_sliders,
    fit_history,
    growth_scenarios,
    growth_view,
    levers_explained,
    levers_view,
    on_slider,
    seed_answer,
    sliders_from_preset,
    sliders_from_projection,
)

HISTORY = b"period,value\n2005,2\n2006,4\n2007,8\n2008,14\n2009,22\n2010,32\n"
READINESS = {"grassroots": 40.0, "support": 70.0, "tooling": 55.0}
NAMES = {"grassroots": "Grassroots", "support": "Support", "tooling": "Tooling"}
PROJECTION = organization_projection(READINESS, {"gr_active_share": 12}, dt.date(2026, 11, 30))


def test_the_market_view_draws_the_three_scenarios_and_no_organization_curve() -> None:
    view = growth_view(GrowthControls(), PROJECTION, None, False, NAMES)
    assert view.spec is not None
    assert set(view.spec["datasets"]) == {"curves", "threshold"}
    assert view.description.startswith("Market level")
    assert list(view.milestones["curve"]) == [
        "Exponential x2/year",
        "Logistic (r=0.85)",
        "Bass (p=0.03, q=0.38)",
    ]


def test_the_organization_view_draws_the_projection_and_the_fitted_history() -> None:
    fit = fit_history(HISTORY, "history.csv", "percent")
    view = growth_view(GrowthControls(), PROJECTION, fit, True, NAMES)
    assert view.spec is not None
    assert set(view.spec["datasets"]) == {"curves", "band", "observed", "threshold"}
    curves = set(view.milestones["curve"])
    assert {"from your readiness", fit.label} <= curves
    # the fitted history has its own legend entry (a curve of its own)
    assert fit.label in set(view.spec["datasets"]["curves"]["scenario"])
    assert "Shaded: 80% band" in view.description
    # the readiness row is the projection's own, as Results and the report show it
    own = view.milestones[view.milestones["curve"] == "from your readiness"].iloc[0]
    expected = PROJECTION.milestone_frame().iloc[0]
    assert list(own) == list(expected)


def test_a_fitted_history_is_drawn_at_the_market_level_too() -> None:
    fit = fit_history(HISTORY, "history.csv", "percent")
    view = growth_view(GrowthControls(), None, fit, False, NAMES)
    assert view.spec is not None
    assert fit.label in set(view.milestones["curve"])


def test_impossible_controls_give_a_note_and_no_chart() -> None:
    view = growth_view(GrowthControls(start_share=0.9, ceiling=0.5), None, None, False, NAMES)
    assert view.spec is None
    assert view.notes == ["The start share (90%) must be below the ceiling."]


def test_the_seed_question_is_answered_in_words() -> None:
    doubling = Scenario(
        model="doubling", start_year=2009, start_share=0.25, ceiling=1.0, horizon=10, g=2.0
    )
    bass = Scenario(
        model="bass", start_year=2009, start_share=0.25, ceiling=1.0, horizon=10, p=0.03, q=0.38
    )
    text = seed_answer([doubling, bass], 0.5, None, NAMES)
    assert text.startswith("Doubling from 25% in 2009 reaches everyone (100%) by Jan 2011")
    assert "Realistic S-curves reach 50% in " in text
    with_org = seed_answer([doubling, bass], 0.5, PROJECTION, NAMES)
    assert with_org.endswith(organization_answer(PROJECTION, NAMES))


def test_the_levers_chart_is_in_months_and_names_the_same_top_lever() -> None:
    chart, caption = levers_view(PROJECTION, NAMES)
    assert chart is not None
    spec = chart.to_dict()
    assert "Months earlier to 50%" in str(spec)
    assert lever_sentence(PROJECTION, NAMES) in caption
    none, text = levers_view(None, NAMES)
    assert none is None
    assert text.startswith("Answer the questionnaire")


def test_the_assumption_is_explained_in_words_without_file_paths() -> None:
    lines = levers_explained(load_levers())
    assert any(line.startswith("p: from 0.002") for line in lines)
    assert any("holds every growth rate back" in line for line in lines)
    assert not any("data/" in line or ".yaml" in line for line in lines)


def test_reset_to_my_organization_starts_the_sliders_there() -> None:
    values = sliders_from_projection(PROJECTION)
    assert values["start_share"] == 12
    assert values["start_year"] == 2027
    assert values["ceiling"] == round(PROJECTION.scenario.ceiling * 100)


def test_the_default_sliders_reproduce_the_worked_scenarios_of_the_domain_notes() -> None:
    controls = controls_from_sliders({})
    assert controls == GrowthControls()
    scenarios, notes = growth_scenarios(controls)
    assert notes == []
    frame = curves_frame(scenarios)
    at_2010 = frame[frame["year"] == 2010.0].set_index("model")["share"]
    assert at_2010["doubling"] == pytest.approx(0.50)
    assert at_2010["logistic"] == pytest.approx(0.438, abs=0.001)
    assert at_2010["bass"] == pytest.approx(0.350, abs=0.001)


def test_a_start_above_the_ceiling_draws_nothing_and_says_why() -> None:
    scenarios, notes = growth_scenarios(GrowthControls(start_share=0.6, ceiling=0.5))
    assert scenarios == []
    assert notes == ["The start share (60%) must be below the ceiling."]


def test_a_calibrated_preset_becomes_slider_values() -> None:
    presets = {p.id: p for p in load_presets()}
    values = sliders_from_preset(presets["bass-aiim-2008-2009"])
    assert values["g"] == 2.0
    assert values["q"] == 0.68  # the calibrated 0.677 at the slider's nearest step
    assert (values["start_share"], values["start_year"]) == (25, 2009)


def _on_a_step(key: str, value: float) -> bool:
    slider = next(s for s in GROWTH_SLIDERS if s.key == key)
    steps = (value - slider.low) / (slider.step or 1)
    return slider.low <= value <= slider.high and steps == pytest.approx(round(steps), abs=1e-6)


@pytest.mark.parametrize("preset", load_presets(), ids=lambda p: p.id)
def test_a_preset_sets_each_slider_to_a_value_it_can_show(preset: object) -> None:
    """The browser draws a value between steps at the nearer step: the chart would use one
    value while the slider showed (and its next move sent) another."""
    values = sliders_from_preset(preset)  # type: ignore[arg-type]
    assert all(_on_a_step(key, value) for key, value in values.items()), values


def test_the_organization_sets_each_slider_to_a_value_it_can_show() -> None:
    values = sliders_from_projection(PROJECTION)
    assert all(_on_a_step(key, value) for key, value in values.items()), values
    assert values["p"] == on_slider("p", PROJECTION.scenario.p or 0)
    assert on_slider("p", 0.0059) == 0.006
    assert on_slider("p", 0.5) == 0.1  # clipped to the slider's bounds
    assert on_slider("start_year", 2026.24) == 2026


def test_the_milestone_table_reports_the_material_change_in_month_and_year() -> None:
    from readiness.organization import milestone_frame, scenario_rows

    scenarios, _ = growth_scenarios(GrowthControls(material_change=0.4))
    table = milestone_frame(scenario_rows(scenarios, 0.4), 0.4)
    doubling = table.iloc[0]
    year = 2009 + np.log(1.6) / np.log(2)
    month = int((year - 2009) * 12) + 1
    assert doubling["material change (40%)"] == f"{dt.date(2009, month, 1):%b} 2009"
    assert list(table.columns) == ["curve", "material change (40%)", "reaches 50%", "reaches 80%"]


def test_an_own_history_is_fitted_with_a_quantile_band() -> None:
    csv = b"period,value\n2005,2\n2006,4\n2007,8\n2008,14\n2009,22\n2010,32\n"
    fit = fit_history(csv, "history.csv", "percent")
    assert len(fit.observed) == 6
    assert fit.observed["share"].max() == pytest.approx(0.32)
    assert (fit.curve["low"] <= fit.curve["high"]).all()
    assert list(fit.curve.columns) == ["year", "fit", "low", "high", "label"]
    # six points: a refit bootstrap band, which cannot fall below the share already reached
    assert fit.curve["label"].iloc[0].endswith("(refit bootstrap)")
    assert fit.curve["low"].iloc[-1] >= 0.32 - 0.02


def test_an_unreadable_history_is_an_input_error() -> None:
    with pytest.raises(InputError, match="the file is empty"):
        fit_history(b"  ", "history.csv", "percent")


def test_every_growth_slider_default_lies_within_its_range() -> None:

    for slider in GROWTH_SLIDERS:
        assert slider.low <= slider.default <= slider.high, slider.key
        assert type(slider.low) is type(slider.high) is type(slider.default), slider.key


def test_what_a_fit_cannot_establish_is_said_in_words_on_the_chart() -> None:
    # a straight line never bends: its ceiling is not identified
    csv = b"period,value\n2020,2\n2021,4\n2022,6\n2023,8\n2024,10\n2025,12\n"
    fit = fit_history(csv, "history.csv", "percent")
    assert fit.warnings == ("the ceiling is at its bound: this history does not identify it",)
    view = growth_view(GrowthControls(), None, fit, False, NAMES)
    assert "Your history's fit: the ceiling is at its bound: this history does not identify it" in (
        view.notes
    )
    plain = growth_view(GrowthControls(), None, None, False, NAMES)
    assert not [note for note in plain.notes if "Your history" in note]
