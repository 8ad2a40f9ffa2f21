"""The organization's projection (readiness.organization) and the levers it ranks."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from property_budget import examples

from readiness.levers import lever_steps, load_levers, next_band
from readiness.organization import (
    FittedHistory,
    decimal_year,
    organization_projection,
)
from readiness.projection import evaluate

NAMES = {"grassroots": "Grassroots", "support": "Support", "tooling": "Tooling"}
MIDSIZE = {"grassroots": 49.0, "support": 22.0, "tooling": 72.0}  # the company
DAY = dt.date(2026, 11, 30)


def test_a_date_is_a_decimal_year() -> None:
    assert decimal_year(dt.date(2026, 1, 1)) == 2026.0
    assert decimal_year(dt.date(2026, 7, 2)) == pytest.approx(2026.5, abs=0.01)


def test_the_midsize_company_starts_from_its_answer_and_its_date() -> None:
    projection = organization_projection(MIDSIZE, {"gr_active_share": 12}, DAY)
    assert projection.start_share == pytest.approx(0.12)
    assert projection.share_answered
    assert projection.start_year == pytest.approx(decimal_year(DAY))
    curve = evaluate([projection.scenario], [projection.start_year])
    assert curve.shares[0, 0] == pytest.approx(0.12)
    year = projection.material_change_year()
    assert year is not None
    assert evaluate([projection.scenario], [year]).shares[0, 0] == pytest.approx(0.5, abs=1e-6)
    # Support (22) holds growth back: the top lever and the barrier are the same dimension
    assert projection.steps[0].dimension == "support"
    assert projection.barrier == "support"


def test_without_the_share_answer_the_default_is_used_and_said() -> None:
    projection = organization_projection(MIDSIZE, {}, DAY)
    assert not projection.share_answered
    assert projection.start_share == load_levers().default_start_share
    assert any("no answer to the active-share question" in note for note in projection.notes)


def test_no_barrier_when_the_top_lever_scores_above_the_threshold() -> None:
    projection = organization_projection(
        {"grassroots": 70.0, "support": 75.0, "tooling": 80.0}, {"gr_active_share": 20}, DAY
    )
    assert projection.barrier is None
    assert projection.steps[0].score >= 50


def test_a_fitted_history_is_the_projection_and_has_its_own_milestone_row() -> None:
    years = [2027.0 + k / 12 for k in range(121)]
    fit = [min(0.95, 0.1 + 0.008 * k) for k in range(121)]
    history = FittedHistory(
        model="logistic",
        r2=0.98,
        curve=pd.DataFrame({"year": years, "fit": fit, "low": fit, "high": fit}),
        observed=pd.DataFrame({"year": [2025.0, 2026.0], "share": [0.05, 0.1]}),
    )
    projection = organization_projection(MIDSIZE, {"gr_active_share": 12}, DAY, fitted=history)
    assert projection.source == "fit"
    assert "logistic" in projection.why
    rows = projection.milestone_rows()
    assert [row.curve for row in rows] == ["from your readiness", "your history (logistic fit)"]
    expected = 2027.0 + (0.5 - 0.1) / 0.008 / 12
    assert projection.material_change_year() == pytest.approx(expected, abs=1e-9)
    frame = projection.milestone_frame()
    assert list(frame.columns) == ["curve", "material change (50%)", "reaches 80%"]
    assert len(frame) == 2


def test_steps_are_ranked_by_months_earlier_and_bands_are_the_next_stage() -> None:
    assert next_band(22, (25, 45, 65, 82)) == 25
    assert next_band(82, (25, 45, 65, 82)) == 100
    assert next_band(95, (25, 45, 65, 82), raise_by=10) == 100
    steps = lever_steps(MIDSIZE, start_year=2026.9, start_share=0.12, raise_by=10)
    months = [s.months_earlier for s in steps]
    assert all(m is not None for m in months)
    assert months == sorted(months, reverse=True)  # type: ignore[type-var]


def test_the_weakest_dimension_binds_every_growth_rate() -> None:
    mapping = load_levers()
    assert mapping.limiting is not None
    base = mapping.parameters_for({"grassroots": 60, "support": 60, "tooling": 60})
    weak = mapping.parameters_for({"grassroots": 60, "support": 20, "tooling": 60})
    # support drives p, but a weak support also slows imitation (q), which it drives only a little
    assert weak["q"] < base["q"] * 0.8
    assert mapping.limiting.multiplier(50) == 1.0
    assert mapping.limiting.multiplier(0) == pytest.approx(1 - mapping.limiting.strength)


def test_the_barrier_threshold_of_the_growth_model_is_the_one_results_uses() -> None:
    from readiness.rules import load_rulebook

    limiting = load_levers().limiting
    assert limiting is not None
    assert limiting.below == load_rulebook().barrier_below


scores = st.floats(min_value=0, max_value=100, allow_nan=False)


@settings(max_examples=examples(150), deadline=None, derandomize=True)
@given(scores, scores, scores, st.integers(min_value=0, max_value=49))
def test_the_barrier_is_always_the_top_lever(g: float, s: float, t: float, share: int) -> None:
    dims = {"grassroots": g, "support": s, "tooling": t}
    projection = organization_projection(dims, {"gr_active_share": share}, DAY)
    top = projection.steps[0]
    if projection.barrier is not None:
        assert projection.barrier == top.dimension
        assert top.score < 50
    for better, worse in zip(projection.steps, projection.steps[1:], strict=False):
        assert better.rank_key() >= worse.rank_key()
