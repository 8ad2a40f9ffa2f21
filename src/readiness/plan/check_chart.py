"""The "Did it work?" chart: the scope's measured months, the curve fitted with the action, the
same curve without it (dashed), and a rule at the action's start. Data in, an Altair chart out,
following :mod:`readiness.charts` (organization level named in the title, a plain-text
description, colours of at least 4.5:1 on white, line dashes that tell the curves apart without
colour, never more than :data:`~readiness.charts.MAX_CHART_ROWS` rows)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import altair as alt
import pandas as pd

from readiness.charts import (
    LEVEL_SHARE_TITLES,
    LEVEL_TITLES,
    MAX_CHART_ROWS,
    ChartDataTooLargeError,
    scenario_color,
)
from readiness.story import month_year

if TYPE_CHECKING:
    from readiness.plan.check import ActionCheck

#: The curves' names in the legend, with their colour and dash.
WITH_ACTION = "With the action (fit)"
WITHOUT_ACTION = "Without the action"
CURVE_COLORS = {WITH_ACTION: "#2e7d4f", WITHOUT_ACTION: "#5b6470"}
CURVE_DASHES = {WITH_ACTION: [1, 0], WITHOUT_ACTION: [6, 4]}
START_COLOR = "#b35c00"


def check_frames(check: ActionCheck) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The chart's data: the curves (``year``, ``share``, ``curve``; none when too early to
    tell), the measured months (``year``, ``share``) and the start (``year``, ``label``)."""
    curves = check.curves
    lines = pd.concat(
        [
            pd.DataFrame({"year": curves["year"], "share": curves[column], "curve": name})
            for column, name in (("with_action", WITH_ACTION), ("without_action", WITHOUT_ACTION))
        ],
        ignore_index=True,
    ).dropna(subset=["share"])
    observed = curves.dropna(subset=["observed"])[["year", "observed"]].rename(
        columns={"observed": "share"}
    )
    start = pd.DataFrame(
        {"year": [check.start], "label": [f"Action starts ({month_year(check.start)})"]}
    )
    return lines.reset_index(drop=True), observed.reset_index(drop=True), start


def check_chart(check: ActionCheck) -> alt.LayerChart:
    """Measured monthly active share (dots), the fit with the action (solid), the counterfactual
    (dashed) and the action's start (a vertical rule); shares 0-1 over decimal years."""
    lines, observed, start = check_frames(check)
    rows = len(lines) + len(observed) + len(start)
    if rows > MAX_CHART_ROWS:
        raise ChartDataTooLargeError(f"check chart has {rows:,} rows; at most {MAX_CHART_ROWS:,}")
    x = alt.X(
        field="year",
        type="quantitative",
        title="Year",
        axis=alt.Axis(format="d"),
        scale=alt.Scale(zero=False),  # the measured months only: from 0 they would be a line
    )
    y_scale = alt.Scale(domain=[0, 1])
    share_tip = alt.Tooltip(field="share", type="quantitative", format=".1%")
    year_tip = alt.Tooltip(field="year", type="quantitative", format=".2f")
    names = list(CURVE_COLORS)
    layers: list[alt.Chart] = [
        alt.Chart(alt.NamedData("lines"), mark="line").encode(
            x=x,
            y=alt.Y(
                field="share",
                type="quantitative",
                scale=y_scale,
                axis=alt.Axis(format="%"),
                title=LEVEL_SHARE_TITLES["organization"],
            ),
            color=alt.Color(
                field="curve",
                type="nominal",
                title="Curve",
                scale=alt.Scale(domain=names, range=[CURVE_COLORS[n] for n in names]),
                legend=alt.Legend(orient="right", labelLimit=0, symbolStrokeWidth=3),
            ),
            strokeDash=alt.StrokeDash(
                field="curve",
                type="nominal",
                title="Curve",
                scale=alt.Scale(domain=names, range=[CURVE_DASHES[n] for n in names]),
                legend=alt.Legend(orient="right", labelLimit=0, symbolStrokeWidth=3),
            ),
            tooltip=[
                alt.Tooltip(field="curve", type="nominal", title="Curve"),
                year_tip,
                share_tip,
            ],
        ),
        alt.Chart(
            alt.NamedData("observed"),
            mark=alt.MarkDef(
                type="point", filled=True, size=50, color=scenario_color("Your history")
            ),
        ).encode(
            x=x,
            y=alt.Y(field="share", type="quantitative", scale=y_scale),
            tooltip=[year_tip, share_tip],
        ),
        alt.Chart(
            alt.NamedData("start"),
            mark=alt.MarkDef(type="rule", strokeWidth=2, color=START_COLOR),
        ).encode(x=x, tooltip=[alt.Tooltip(field="label", type="nominal", title="Start")]),
    ]
    description = (
        f"{LEVEL_TITLES['organization']}. Dots: the measured monthly active share; solid line:"
        " the curve fitted with the action; dashed line: the same curve without it; vertical"
        f" line: the action's start ({month_year(check.start)}). {check.sentence}"
    )
    if lines.empty:
        description = (
            f"{LEVEL_TITLES['organization']}. Dots: the measured monthly active share; vertical"
            f" line: the action's start ({month_year(check.start)}). {check.sentence}"
        )
    return alt.LayerChart(
        layer=layers, title=f"Did it work? {LEVEL_TITLES['organization']}", height=320
    ).properties(
        datasets={
            name: frame.to_dict("records")
            for name, frame in (("lines", lines), ("observed", observed), ("start", start))
        },
        description=description,
    )
