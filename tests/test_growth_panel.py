"""The growth page's scenario panel, computed without Streamlit."""

from __future__ import annotations

from readiness.dashboard_state import GrowthControls, fit_history
from readiness.growth_panel import LEVER_HORIZON, growth_view, levers_view

HISTORY = b"period,value\n2005,2\n2006,4\n2007,8\n2008,14\n2009,22\n2010,32\n"
READINESS = {"grassroots": 40.0, "support": 70.0, "tooling": 55.0}


def test_the_market_view_draws_the_three_scenarios_and_never_the_organizations_history() -> None:
    fit = fit_history(HISTORY, "history.csv", "percent")
    view = growth_view(GrowthControls(), READINESS, fit, organization=False)
    assert view.spec is not None
    assert set(view.spec["datasets"]) == {"curves", "threshold"}
    assert view.description.startswith("Market level")
    assert list(view.milestones["scenario"]) == [
        "Exponential x2/year",
        "Logistic (r=0.85)",
        "Bass (p=0.03, q=0.38)",
    ]


def test_the_organization_view_adds_the_readiness_curve_and_the_fitted_history() -> None:
    fit = fit_history(HISTORY, "history.csv", "percent")
    view = growth_view(GrowthControls(), READINESS, fit, organization=True)
    assert view.spec is not None
    assert set(view.spec["datasets"]) == {"curves", "band", "observed", "threshold"}
    assert "Bass from your readiness" in set(view.milestones["scenario"])
    assert "Shaded: 80% band" in view.description


def test_impossible_controls_give_a_note_and_no_chart() -> None:
    view = growth_view(GrowthControls(start_share=0.9, ceiling=0.5), None, None, False)
    assert view.spec is None
    assert view.notes == ["The start share (90%) must be below the ceiling."]


def test_the_levers_caption_says_when_no_answers_were_given() -> None:
    chart, caption = levers_view(READINESS, GrowthControls(), {"support": "Support"})
    assert f"within {LEVER_HORIZON} years" in caption
    assert "No answers yet" not in caption
    assert "Support +10" in str(chart.to_dict()["datasets"])
    _, empty = levers_view(None, GrowthControls(), {})
    assert empty.endswith("No answers yet: every dimension counts as 50.")
