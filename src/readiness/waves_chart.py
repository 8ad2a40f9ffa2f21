"""Charts of survey waves and of a plan's timeline: data in, an Altair chart out (no Streamlit).

They follow :mod:`readiness.charts`: each carries a plain-text description that the dashboard
passes on as alt text (:func:`readiness.charts.for_display`), ships at most
:data:`~readiness.charts.MAX_CHART_ROWS` rows, and tells series apart by colour and by shape or
dash. Labels (wave labels, division names) are data: Altair draws them as text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, cast

import altair as alt
import pandas as pd

from readiness.charts import SERIES_COLORS, _checked, _wrapped
from readiness.waves import EVERYONE, WaveSummary, waves_frame

if TYPE_CHECKING:
    from readiness.plan.kinds import ActionKinds
    from readiness.plan.model import Plan

#: The point shapes and dashes of the dimensions, in questionnaire order.
_SHAPES = ["circle", "square", "triangle-up", "diamond", "cross", "triangle-down"]
_DASHES = [[1, 0], [6, 3], [2, 2], [10, 3, 2, 3], [4, 4], [1, 3]]
#: Colours of the timeline: actions, and the survey waves.
ACTION_COLOR = SERIES_COLORS[0]
WAVE_COLOR = SERIES_COLORS[1]
#: The timeline's row of survey waves.
WAVES_ROW = "Survey waves"
#: How far past the last date an open-ended action's arrow reaches (days).
OPEN_END_DAYS = 180


def _day(date: dt.date) -> str:
    return f"{date.day} {date:%b %Y}"


def waves_chart(
    waves: Sequence[WaveSummary], group: str, dimension_names: Mapping[str, str]
) -> alt.Chart:
    """Each dimension's mean score (0-100) in ``group`` with its 95% interval, one point per
    wave on a time axis (surveyed on), joined by a line per dimension. ``dimension_names``
    maps dimension ids to the names shown (and orders them)."""
    frame = waves_frame(waves, group or EVERYONE)
    order = [d for d in dimension_names if d in set(frame["dimension"])]
    order += [d for d in dict.fromkeys(frame["dimension"]) if d not in order]
    names = [dimension_names.get(d, d) for d in order]
    frame["dimension_name"] = frame["dimension"].map(lambda d: dimension_names.get(d, d))
    frame["interval"] = [
        "n/a" if pd.isna(low) else f"{low:.0f} to {high:.0f}"
        for low, high in zip(frame["low"], frame["high"], strict=True)
    ]
    data = _checked(frame)
    labels = list(dict.fromkeys(data["wave"]))
    dated = list(dict.fromkeys(zip(data["wave"], data["date"], strict=True)))
    description = (
        f"Mean dimension scores out of 100, with their 95% intervals, for {group} across "
        f"{len(labels)} survey wave{'s' if len(labels) != 1 else ''}"
    )
    if dated:
        description += ": " + ", ".join(f"{w} ({_day(d.date())})" for w, d in dated) + ". "
        first, last = data["date"].min(), data["date"].max()
        moves = []
        for dimension, name in zip(order, names, strict=True):
            rows = data[data["dimension"] == dimension]
            start = rows.loc[rows["date"] == first, "mean"]
            end = rows.loc[rows["date"] == last, "mean"]
            if len(labels) > 1 and len(start) and len(end):
                moves.append(f"{name} {start.iloc[0]:.0f} to {end.iloc[0]:.0f}")
            elif len(end):
                moves.append(f"{name} {end.iloc[-1]:.0f}")
        description += "; ".join(moves) + "."
    else:
        description += ": no wave has scores for this group."
    colors = alt.Scale(domain=names, range=SERIES_COLORS[: max(1, len(names))])
    color = alt.Color(
        "dimension_name:N",
        sort=names,
        scale=colors,
        title="Dimension",
        legend=alt.Legend(orient="bottom"),
    )
    # Month ticks: a time axis's own ticks repeat a month between waves a few months apart;
    # padding: a wave's point and interval sit clear of the axis ends.
    x = alt.X(
        "date:T",
        title="Surveyed on",
        axis=alt.Axis(format="%b %Y", tickCount="month", labelOverlap=True),
        scale=alt.Scale(padding=24),
    )
    tooltip = [
        alt.Tooltip("wave:N", title="Wave"),
        alt.Tooltip("date:T", title="Surveyed on", format="%d %b %Y"),
        alt.Tooltip("dimension_name:N", title="Dimension"),
        alt.Tooltip("mean:Q", title="Mean (0-100)", format=".1f"),
        alt.Tooltip("interval:N", title="95% interval"),
        alt.Tooltip("n:Q", title="Respondents"),
    ]
    base = alt.Chart(data)
    intervals = base.mark_rule(strokeWidth=2, opacity=0.6).encode(
        x=x,
        y=alt.Y("low:Q", scale=alt.Scale(domain=[0, 100])),
        y2="high:Q",
        color=color,
        tooltip=tooltip,
    )
    lines = base.mark_line().encode(
        x=x,
        y=alt.Y("mean:Q", scale=alt.Scale(domain=[0, 100]), title="Mean score (0-100)"),
        color=color,
        strokeDash=alt.StrokeDash(
            "dimension_name:N",
            sort=names,
            scale=alt.Scale(domain=names, range=_DASHES[: max(1, len(names))]),
            legend=None,
        ),
    )
    points = base.mark_point(filled=True, size=70).encode(
        x=x,
        y=alt.Y("mean:Q", scale=alt.Scale(domain=[0, 100])),
        color=color,
        shape=alt.Shape(
            "dimension_name:N",
            sort=names,
            scale=alt.Scale(domain=names, range=_SHAPES[: max(1, len(names))]),
            title="Dimension",
        ),
        tooltip=tooltip,
    )
    return cast(
        alt.Chart,
        alt.layer(intervals, lines, points).properties(
            description=description, title=f"Survey waves: {group}", height=300
        ),
    )


def timeline_frame(plan: Plan, kinds: ActionKinds) -> pd.DataFrame:
    """One row per action (in the plan's order) and per survey wave (oldest first): ``row``
    (the action's kind label and scope, or :data:`WAVES_ROW`), ``what`` ("action" or "wave"),
    ``label`` (the wave's label; the kind's label for an action), ``scope``, ``start``,
    ``end`` (NaT for an open-ended action and for a wave), ``when`` (in words) and ``note``."""
    rows = []
    for action in plan.actions:
        kind = kinds.get(action.kind)
        when = (
            f"from {action.start:%b %Y} to {action.end:%b %Y}"
            if action.end
            else f"from {action.start:%b %Y}, open-ended"
        )
        rows.append(
            {
                "row": _wrapped(f"{kind.label}: {action.scope_text}", 40),
                "what": "action",
                "label": kind.label,
                "scope": action.scope_text,
                "start": pd.Timestamp(action.start),
                "end": pd.Timestamp(action.end) if action.end else pd.NaT,
                "when": when,
                "note": action.note,
            }
        )
    for wave in sorted(plan.waves, key=lambda w: w.surveyed_on):
        rows.append(
            {
                "row": WAVES_ROW,
                "what": "wave",
                "label": wave.label,
                "scope": f"{wave.respondents:,} respondents",
                "start": pd.Timestamp(wave.surveyed_on),
                "end": pd.NaT,
                "when": _day(wave.surveyed_on),
                "note": "",
            }
        )
    columns = ["row", "what", "label", "scope", "start", "end", "when", "note"]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.astype({"start": "datetime64[ns]", "end": "datetime64[ns]"})


def timeline_chart(plan: Plan, kinds: ActionKinds) -> alt.Chart:
    """The plan's actions and survey waves on one time axis: an action with an end is a bar
    from its start to its end, an open-ended one a point at its start with a dashed arrow
    onwards, each on a row named by its kind's label and scope; the waves are labelled points
    on their own row."""
    frame = timeline_frame(plan, kinds)
    actions = frame[frame["what"] == "action"]
    waves = frame[frame["what"] == "wave"]
    parts = [f"{r.label} for {r.scope} {r.when}" for r in actions.itertuples()]
    description = f"Timeline of the plan: {len(actions)} action{'s' if len(actions) != 1 else ''}"
    description += (": " + "; ".join(parts)) if parts else ""
    description += f". {len(waves)} survey wave{'s' if len(waves) != 1 else ''}"
    description += (
        (": " + ", ".join(f"{r.label} ({r.when})" for r in waves.itertuples()))
        if len(waves)
        else ""
    )
    description += "."
    if frame.empty:
        empty = pd.DataFrame({"text": ["No actions or survey waves in the plan yet."]})
        return cast(
            alt.Chart,
            alt.Chart(empty)
            .mark_text(fontSize=13)
            .encode(text="text:N")
            .properties(description=description, title="Plan timeline", height=60),
        )
    last = max(
        frame["start"].max(),
        frame["end"].max() if frame["end"].notna().any() else frame["start"].max(),
    )
    frame["reach"] = frame["end"].where(
        frame["what"] != "action", frame["end"].fillna(last + pd.Timedelta(days=OPEN_END_DAYS))
    )
    frame["open"] = (frame["what"] == "action") & frame["end"].isna()
    data = _checked(frame)
    rows = list(dict.fromkeys(data["row"]))
    y = alt.Y(
        "row:N",
        sort=rows,
        title=None,
        axis=alt.Axis(labelExpr="split(datum.label, '\\n')", labelLimit=0),
    )
    x = alt.X("start:T", title=None, axis=alt.Axis(format="%b %Y"), scale=alt.Scale(padding=16))
    tooltip = [
        alt.Tooltip("label:N", title="What"),
        alt.Tooltip("scope:N", title="Scope"),
        alt.Tooltip("when:N", title="When"),
        alt.Tooltip("note:N", title="Note"),
    ]
    base = alt.Chart(data)
    bars = (
        base.transform_filter("datum.what == 'action' && !datum.open")
        .mark_bar(color=ACTION_COLOR, height=14, cornerRadius=2)
        .encode(x=x, x2="end:T", y=y, tooltip=tooltip)
    )
    onwards = (
        base.transform_filter("datum.open")
        .mark_rule(color=ACTION_COLOR, strokeDash=[4, 3], strokeWidth=2)
        .encode(x=x, x2="reach:T", y=y, tooltip=tooltip)
    )
    starts = (
        base.transform_filter("datum.open")
        .mark_point(shape="circle", filled=True, size=90, color=ACTION_COLOR, opacity=1)
        .encode(x=x, y=y, tooltip=tooltip)
    )
    arrows = (
        base.transform_filter("datum.open")
        .mark_point(shape="triangle-right", filled=True, size=90, color=ACTION_COLOR, opacity=1)
        .encode(x=alt.X("reach:T"), y=y, tooltip=tooltip)
    )
    wave_points = (
        base.transform_filter("datum.what == 'wave'")
        .mark_point(shape="diamond", filled=True, size=110, color=WAVE_COLOR, opacity=1)
        .encode(x=x, y=y, tooltip=tooltip)
    )
    wave_labels = (
        base.transform_filter("datum.what == 'wave'")
        .mark_text(align="left", dx=8, dy=-10, fontSize=11, color="#0e1116")
        .encode(x=x, y=y, text="label:N")
    )
    return cast(
        alt.Chart,
        alt.layer(bars, onwards, starts, arrows, wave_points, wave_labels).properties(
            description=description, title="Plan timeline", height=alt.Step(40)
        ),
    )
