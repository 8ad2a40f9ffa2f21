"""The plan's chart (readiness.plan.charts): both curves, the actions' starts, the 50% line, its
description as alt text, and months as dates."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from readiness.charts import MAX_CHART_ROWS, alt_text, chart_rows, for_display
from readiness.organization import decimal_year, organization_projection
from readiness.plan.charts import LABEL_TOPS, date_of, plan_chart
from readiness.plan.effect import WITH, WITHOUT, PlanEffect, plan_effect
from readiness.plan.model import Plan, PlanAction

MIDSIZE = {"grassroots": 49.0, "support": 22.0, "tooling": 72.0}
DAY = dt.date(2026, 11, 30)


def effect_of(*actions: PlanAction) -> PlanEffect:
    projection = organization_projection(MIDSIZE, {"gr_active_share": 12}, DAY)
    return plan_effect(projection, Plan(actions=actions), MIDSIZE)


def layer_data(chart: object) -> list[pd.DataFrame]:
    return [part.data for part in chart.layer]  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "day", [dt.date(2026, 1, 1), dt.date(2026, 11, 30), dt.date(2028, 2, 29), dt.date(2041, 12, 31)]
)
def test_a_decimal_year_falls_back_on_its_day(day: dt.date) -> None:
    assert date_of(decimal_year(day)) == day


def test_the_chart_draws_both_curves_by_month_and_each_actions_start() -> None:
    effect = effect_of(
        PlanAction(kind="champions", start=dt.date(2027, 3, 1)),
        PlanAction(kind="training", start=dt.date(2027, 4, 1)),
        PlanAction(kind="common_platform", start=dt.date(2025, 1, 1)),
        PlanAction(kind="leadership_use", start=dt.date(2050, 1, 1)),
    )
    chart = plan_chart(effect)
    spec = chart.to_dict()
    curves, half, rules, labels = layer_data(chart)
    assert set(curves["curve"]) == {WITH, WITHOUT}
    assert len(curves) == 2 * effect.years.size
    assert curves["date"].iloc[0] == DAY.isoformat()
    assert list(half["share"]) == [0.5]
    # the action before the assessment at its start, the one after the horizon not drawn
    assert list(rules["date"]) == ["2026-11-30", "2027-03-01", "2027-04-01"]
    assert list(rules["action"]) == ["Common platform", "Champions network", "Training"]
    # starts a month apart hang their labels at different heights
    assert labels["top"].tolist() == list(LABEL_TOPS[:3])
    assert spec["layer"][0]["encoding"]["x"]["type"] == "temporal"
    dashes = spec["layer"][0]["encoding"]["strokeDash"]["scale"]
    assert dashes["domain"] == [WITH, WITHOUT]
    assert dashes["range"][1] != [1, 0]  # without the plan: dashed
    assert chart_rows(chart) < MAX_CHART_ROWS


def test_the_chart_says_what_it_shows_as_alt_text() -> None:
    effect = effect_of(PlanAction(kind="champions", start=dt.date(2027, 3, 1)))
    chart = plan_chart(effect)
    text = alt_text(chart)
    assert text.startswith("Organization level: share of your people using the tools")
    assert effect.sentence in text
    assert "Vertical lines: the starts of 1 action." in text
    shown, words = for_display(chart)
    assert words == text
    assert "description" not in shown.to_dict()


def test_a_plan_without_actions_draws_the_curves_alone() -> None:
    chart = plan_chart(effect_of())
    assert len(chart.layer) == 2
    assert "Vertical lines" not in alt_text(chart)
    assert "No plan yet" in alt_text(chart)


def test_the_chart_renders_offline_as_the_report_draws_it() -> None:
    from readiness.chart_render import chart_svg

    effect = effect_of(
        PlanAction(
            kind="champions", start=dt.date(2027, 3, 1), divisions=("<b>x</b>",), staff_share=0.2
        )
    )
    svg = chart_svg(plan_chart(effect))
    assert svg.lstrip().startswith("<svg")
    assert "Champions network" in svg
