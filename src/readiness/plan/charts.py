"""A plan's projected effect as a chart: data in, an Altair chart out (no Streamlit).

The organization's curve with the plan (solid) and without it (dashed), a rule and a short label
at each action's start, and the 50% line; months on the x axis as dates. As every chart of
:mod:`readiness.charts`, it carries its plain-text description (:func:`readiness.charts.alt_text`)
and ships far fewer than :data:`readiness.charts.MAX_CHART_ROWS` rows.
"""

from __future__ import annotations

import datetime as dt
import math
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
from readiness.plan.effect import PLAN_SHARE, WITH, WITHOUT

if TYPE_CHECKING:
    from readiness.plan.effect import PlanEffect

#: The curves' colours and dashes: the plan in the colour of "from your readiness", the curve
#: without it in grey and dashed (both 4.5:1 or more on white; the dash tells them apart
#: without colour).
CURVE_COLORS = {WITH: scenario_color("From your readiness"), WITHOUT: "#5b6470"}
CURVE_DASHES = {WITH: [1, 0], WITHOUT: [6, 4]}
#: The actions' rules and labels.
ACTION_COLOR = "#8a6d00"
#: The longest label drawn at an action's start (the legend-free chart keeps it short).
LABEL_CHARACTERS = 24
#: Where the labels sit (shares 0-1), written across to the right of their rule: an action
#: starting within :data:`LABEL_GAP_DAYS` of an earlier label (about a label's width on a
#: 15-year axis) takes the next line down, so that close starts stay readable.
LABEL_TOPS = (0.97, 0.9, 0.83, 0.76)
LABEL_GAP_DAYS = 1000


def date_of(year: float) -> dt.date:
    """A decimal calendar year as the date it falls on (the inverse of
    :func:`readiness.organization.decimal_year`, to the day)."""
    whole = math.floor(year)
    start = dt.date(whole, 1, 1)
    length = (dt.date(whole + 1, 1, 1) - start).days
    return start + dt.timedelta(days=min(round((year - whole) * length), length - 1))


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARACTERS else label[: LABEL_CHARACTERS - 1] + "…"


def _label_tops(days: list[dt.date]) -> list[float]:
    """The height each label hangs from: the first height whose last label is far enough
    before (cycling when every height is taken)."""
    last: list[dt.date | None] = [None] * len(LABEL_TOPS)
    tops = []
    for n, day in enumerate(days):
        free = [
            k
            for k, before in enumerate(last)
            if before is None or (day - before).days >= LABEL_GAP_DAYS
        ]
        k = free[0] if free else n % len(LABEL_TOPS)
        last[k] = day
        tops.append(LABEL_TOPS[k])
    return tops


def plan_chart(effect: PlanEffect) -> alt.LayerChart:
    """Shares 0-1 of the organization's people using the tools by month, with and without the
    plan, each action's start marked (actions before the projection at its start; after its
    horizon, not drawn), and the 50% line."""
    dates = [date_of(y).isoformat() for y in effect.years]
    curves = pd.DataFrame(
        {
            "date": dates * 2,
            "curve": [WITH] * len(dates) + [WITHOUT] * len(dates),
            "share": [*effect.with_plan, *effect.without],
        }
    )
    first, last = date_of(effect.years[0]), date_of(effect.years[-1])
    starts = [
        (max(shock.action.start, first), shock.kind.label)
        for shock in effect.shocks
        if shock.action.start <= last
    ]
    starts.sort(key=lambda start: start[0])
    actions = pd.DataFrame(
        {
            "date": [day.isoformat() for day, _ in starts],
            "action": [_short(label) for _, label in starts],
            "top": _label_tops([day for day, _ in starts]),
        }
    )
    rows = len(curves) + len(actions) + 1
    if rows > MAX_CHART_ROWS:
        raise ChartDataTooLargeError(f"plan chart has {rows:,} rows; at most {MAX_CHART_ROWS:,}")
    x = alt.X(
        "date:T",
        title="Month",
        axis=alt.Axis(format="%Y", tickCount="year"),
        scale=alt.Scale(domain=[first.isoformat(), last.isoformat()]),
    )
    y_scale = alt.Scale(domain=[0, 1])
    order = [WITH, WITHOUT]
    lines = (
        alt.Chart(curves)
        .mark_line(strokeWidth=3)
        .encode(
            x=x,
            y=alt.Y(
                "share:Q",
                scale=y_scale,
                axis=alt.Axis(format="%"),
                title=LEVEL_SHARE_TITLES["organization"],
            ),
            color=alt.Color(
                "curve:N",
                title=None,
                sort=order,
                scale=alt.Scale(domain=order, range=[CURVE_COLORS[c] for c in order]),
                legend=alt.Legend(orient="bottom", symbolStrokeWidth=3),
            ),
            strokeDash=alt.StrokeDash(
                "curve:N",
                title=None,
                sort=order,
                scale=alt.Scale(domain=order, range=[CURVE_DASHES[c] for c in order]),
                legend=alt.Legend(orient="bottom"),
            ),
            tooltip=[
                alt.Tooltip("curve:N", title="Curve"),
                alt.Tooltip("date:T", title="Month", format="%b %Y"),
                alt.Tooltip("share:Q", title="Share", format=".1%"),
            ],
        )
    )
    half = alt.Chart(pd.DataFrame({"share": [PLAN_SHARE]})).mark_rule(
        strokeDash=[2, 3], color="#5b6470"
    )
    layers: list[alt.Chart] = [lines, half.encode(y=alt.Y("share:Q", scale=y_scale))]
    if not actions.empty:
        marks = alt.Chart(actions)
        layers.append(
            marks.mark_rule(color=ACTION_COLOR, strokeWidth=1.5).encode(
                x=x, tooltip=[alt.Tooltip("action:N", title="Action"), "date:T"]
            )
        )
        layers.append(
            marks.mark_text(align="left", baseline="middle", dx=4, color=ACTION_COLOR).encode(
                x=x, y=alt.Y("top:Q", scale=y_scale), text="action:N"
            )
        )
    return alt.LayerChart(
        layer=layers,
        title=LEVEL_TITLES["organization"],
        height=380,
        description=_description(effect, len(starts)),
    )


def _description(effect: PlanEffect, drawn: int) -> str:
    ends = (
        f"by {date_of(effect.years[-1]).year}: {effect.with_plan[-1]:.0%} with the plan,"
        f" {effect.without[-1]:.0%} without"
    )
    actions = (
        f" Vertical lines: the starts of {drawn} action{'s' if drawn != 1 else ''}."
        if drawn
        else ""
    )
    return (
        f"{LEVEL_TITLES['organization']}, with the plan (solid) and without it (dashed); {ends}."
        f" {effect.sentence}{actions} Dotted line: {PLAN_SHARE:.0%}."
    )
