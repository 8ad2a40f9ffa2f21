"""Charts as pure functions: data in, an Altair chart out (no Streamlit; testable headless).

Every chart carries a plain-text description (``.properties(description=...)``) that the dashboard
passes on as the chart's alt text (:func:`alt_text`), and never ships more than
:data:`MAX_CHART_ROWS` rows: big inputs are aggregated (histograms, quantile bands) before they
become chart data. Adoption charts say in their title which level they show: **market level**
(share of organizations) or **organization level** (share of one organization's people).

Colours: every scenario kind (doubling, logistic, Gompertz, Bass from the sliders, the projection
from your readiness, your history's fit) has one fixed colour (:data:`SCENARIO_COLORS`) and dash,
the same on every page and at both levels. Every colour here has at least 4.5:1 contrast on the
white background (WCAG 2.1 AA; 3:1 is the minimum for marks).
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Mapping, Sequence
from functools import cache, partial
from typing import Any, Literal, cast

import altair as alt
import numpy as np
import numpy.typing as npt
import pandas as pd

from readiness.benchmarks import NOT_REPORTED
from readiness.rules import Stage
from readiness.scoring import Scores

MAX_CHART_ROWS = 5000
Level = Literal["market", "organization"]
LEVEL_TITLES: dict[str, str] = {
    "market": "Market level: share of organizations deploying E2.0",
    "organization": "Organization level: share of your people using the tools",
}
LEVEL_SHARE_TITLES: dict[str, str] = {
    "market": "Share of organizations (%)",
    "organization": "Share of your people (%)",
}
AnyChart = alt.Chart | alt.LayerChart | alt.FacetChart | alt.ConcatChart | alt.HConcatChart

#: One colour per scenario kind, on every page and level (all 4.5:1 or more on white).
SCENARIO_COLORS: dict[str, str] = {
    "Doubling": "#c0392b",
    "Logistic": "#1f5f8b",
    "Gompertz": "#8e5ea2",
    "Bass": "#b35c00",
    "From your readiness": "#2e7d4f",
    "Your history": "#0e1116",
}
#: Dashes tell the kinds apart without colour (WCAG 1.4.1): a solid line for the readiness one.
SCENARIO_DASHES: dict[str, list[int]] = {
    "Doubling": [2, 3],
    "Logistic": [8, 4],
    "Gompertz": [12, 3, 2, 3],
    "Bass": [5, 2],
    "From your readiness": [1, 0],
    "Your history": [1, 0],
}
_MODEL_KINDS = {"doubling": "Doubling", "logistic": "Logistic", "gompertz": "Gompertz"}
_MODEL_KINDS["bass"] = "Bass"
#: Categorical colours for series that are not scenarios (sources, assessments): 4.5:1 or more.
SERIES_COLORS = [
    "#1f5f8b",
    "#b35c00",
    "#2e7d4f",
    "#8e5ea2",
    "#c0392b",
    "#5b6470",
    "#8a6d00",
    "#0f6e8c",
    "#a3336b",
    "#3d5a1e",
]
_SHAPES = ["circle", "square", "triangle-up", "diamond", "cross", "triangle-down"]


def scenario_kind(scenario: str, model: str | None) -> str:
    """The kind a curve belongs to, which picks its colour: a key of :data:`SCENARIO_COLORS`,
    except that the history's kind names its fit ("Your history (logistic fit)").

    ``scenario`` is the curve's label, ``model`` its curve model (None for a fitted history).
    """
    if scenario.lower().startswith("your history"):
        return "Your history" + scenario[len("your history") :]
    if scenario.lower() == "from your readiness":
        return "From your readiness"
    return _MODEL_KINDS.get(str(model), scenario)


def scenario_color(kind: str) -> str:
    """The colour of a scenario kind (see :func:`scenario_kind`); grey for an unknown one."""
    base = "Your history" if kind.startswith("Your history") else kind
    return SCENARIO_COLORS.get(base, "#5b6470")


def _scenario_dash(kind: str) -> list[int]:
    return SCENARIO_DASHES.get("Your history" if kind.startswith("Your history") else kind, [1, 0])


def _is_own(kind: str) -> bool:
    return kind == "From your readiness" or kind.startswith("Your history")


def _wrapped(text: str, width: int) -> str:
    """``text`` broken into lines of at most ``width`` characters, joined by newlines (an axis
    or legend label with ``labelExpr=`` :data:`_LINES` shows each on its own line)."""
    return "\n".join(textwrap.wrap(text, width)) or text


_LINES = "split(datum.label, '\\n')"


class ChartDataTooLargeError(ValueError):
    """A chart was asked to ship more rows than :data:`MAX_CHART_ROWS`; aggregate first."""


def _checked(frame: pd.DataFrame) -> pd.DataFrame:
    if len(frame) > MAX_CHART_ROWS:
        raise ChartDataTooLargeError(
            f"chart data has {len(frame):,} rows; aggregate to at most {MAX_CHART_ROWS:,}"
        )
    return frame


def alt_text(chart: Any) -> str:
    """The chart's description, for ``st.altair_chart(..., alt=...)``."""
    description = getattr(chart, "description", None)
    return str(description) if isinstance(description, str) and description else "Chart"


def for_display(chart: AnyChart) -> tuple[AnyChart, str]:
    """The chart to draw and its alt text: the description leaves the spec to travel as alt text.

    The spec then stays the same while only the data changes (a slider move), so the browser
    swaps the rows into the existing view instead of rebuilding it. The copy also skips the
    Vega-Lite schema check when serialised: the charts here are checked by their tests, and the
    check is about half of a chart's cost on every rerun.
    """
    text = alt_text(chart)
    spec_only = chart.copy(deep=False)
    spec_only.description = alt.Undefined
    object.__setattr__(spec_only, "to_dict", partial(spec_only.to_dict, validate=False))
    return spec_only, text


def chart_rows(chart: Any) -> int:
    """Rows of data the chart ships (its own data plus every layer's)."""
    total = 0
    data = getattr(chart, "data", None)
    if isinstance(data, pd.DataFrame):
        total += len(data)
    datasets = getattr(chart, "datasets", None)
    if isinstance(datasets, Mapping):
        total += sum(len(rows) for rows in datasets.values())
    for part in getattr(chart, "layer", None) or []:
        total += chart_rows(part)
    return total


def _fmt(value: float | None) -> str:
    return "no score" if value is None else f"{value:.0f}"


def stage_bands(stages: Sequence[Stage]) -> pd.DataFrame:
    """Stage bands over the 0-100 index: ``stage``, ``start``, ``end``, ``middle``."""
    starts = [s.min for s in stages]
    ends = [*starts[1:], 100.0]
    return pd.DataFrame(
        {
            "stage": [f"{s.level} {s.name}" for s in stages],
            "start": starts,
            "end": ends,
            "middle": [(a + b) / 2 for a, b in zip(starts, ends, strict=True)],
        }
    )


def dimension_chart(scores: Scores, stages: Sequence[Stage]) -> alt.LayerChart:
    """Dimension scores 0-100 as bars over the stage bands; the weakest dimension stands out."""
    frame = _checked(
        pd.DataFrame(
            {
                "dimension": [d.name for d in scores.dimensions],
                "score": [d.score for d in scores.dimensions],
                "answered": [f"{d.answered} of {d.items}" for d in scores.dimensions],
                "weakest": [d.id == scores.weakest for d in scores.dimensions],
            }
        )
    )
    bands = stage_bands(stages)
    axis_scale = alt.Scale(domain=[0, 100])
    band_layer = (
        alt.Chart(bands)
        .mark_rect(opacity=0.12)
        .encode(
            x=alt.X("start:Q", scale=axis_scale, title="Score (0-100)"),
            x2="end:Q",
            color=alt.Color("stage:N", legend=None),
            tooltip=["stage:N", "start:Q", "end:Q"],
        )
    )
    labels = (
        alt.Chart(bands)
        .mark_text(baseline="top", dy=-14, fontSize=10)
        .encode(x=alt.X("middle:Q", scale=axis_scale), text="stage:N", y=alt.value(0))
    )
    bars = (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            x=alt.X("score:Q", scale=axis_scale),
            y=alt.Y("dimension:N", title=None, sort=None, scale=alt.Scale(paddingInner=0.35)),
            color=alt.condition(alt.datum.weakest, alt.value("#c0392b"), alt.value("#1f5f8b")),
            tooltip=["dimension:N", alt.Tooltip("score:Q", format=".0f"), "answered:N"],
        )
    )
    text = ", ".join(f"{d.name} {_fmt(d.score)}" for d in scores.dimensions)
    weakest = next((d.name for d in scores.dimensions if d.id == scores.weakest), None)
    description = f"Dimension scores out of 100: {text}."
    if weakest:
        description += f" Weakest link: {weakest}."
    layered = alt.layer(band_layer, labels, bars).properties(
        description=description, height=90 + 60 * len(frame), title="Dimension scores"
    )
    return cast(alt.LayerChart, layered)


def comparison_chart(frame: pd.DataFrame) -> alt.Chart:
    """Grouped bars: per dimension (and overall), one bar for each assessment or division.

    Bars, not lines: the dimensions are separate categories, and a line joining them would
    suggest an order or a trend between them.
    """
    data = _checked(frame.dropna(subset=["score"]))
    names = list(dict.fromkeys(data["assessment"]))
    order = list(dict.fromkeys(data["dimension"]))
    description = (
        f"Dimension and overall scores out of 100 for {len(names)} assessments or divisions, "
        f"as bars side by side per dimension: {', '.join(names[:8])}"
        f"{' and more' if len(names) > 8 else ''}."
    )
    colors = alt.Scale(domain=names, range=SERIES_COLORS[: max(1, len(names))])
    return cast(
        alt.Chart,
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X(
                "dimension:N", sort=order, title=None, axis=alt.Axis(labelAngle=0, labelLimit=0)
            ),
            xOffset=alt.XOffset("assessment:N", sort=names),
            y=alt.Y("score:Q", scale=alt.Scale(domain=[0, 100]), title="Score (0-100)"),
            color=alt.Color(
                "assessment:N",
                sort=names,
                scale=colors,
                title="Assessment or division",
                legend=alt.Legend(orient="bottom", columns=1, labelLimit=0),
            ),
            tooltip=[
                alt.Tooltip("assessment:N", title="Assessment or division"),
                alt.Tooltip("dimension:N", title="Dimension"),
                alt.Tooltip("score:Q", format=".0f", title="Score (0-100)"),
            ],
        )
        .properties(description=description, title="Side by side", height=320),
    )


def trend_chart(history: pd.DataFrame, dimension_names: dict[str, str]) -> alt.Chart:
    """Overall and dimension scores over repeated assessments (``store.history`` frame)."""
    value_columns = [c for c in ["overall", *dimension_names] if c in history.columns]
    frame = history.copy()
    frame["assessed_on"] = pd.to_datetime(frame["assessed_on"])
    if "division" not in frame.columns:
        frame["division"] = None
    frame["division"] = frame["division"].fillna("(whole organization)")
    long = frame.melt(
        id_vars=["assessed_on", "division"],
        value_vars=value_columns,
        var_name="measure",
        value_name="score",
    ).dropna(subset=["score"])
    long["measure"] = long["measure"].map(lambda m: dimension_names.get(m, "Overall"))
    _checked(long)
    points = long["assessed_on"].nunique()
    description = f"Scores out of 100 over {points} assessment dates, overall and per dimension."
    return cast(
        alt.Chart,
        alt.Chart(long)
        .mark_line(point=True)
        .encode(
            x=alt.X("assessed_on:T", title="Assessed on"),
            y=alt.Y("score:Q", scale=alt.Scale(domain=[0, 100]), title="Score (0-100)"),
            color=alt.Color("measure:N", title="Measure"),
            strokeDash=alt.StrokeDash("division:N", title="Division"),
            tooltip=[
                "assessed_on:T",
                "division:N",
                "measure:N",
                alt.Tooltip("score:Q", format=".0f"),
            ],
        )
        .properties(description=description, title="Trend over repeated assessments", height=300),
    )


def division_chart(divisions: pd.DataFrame) -> alt.Chart:
    """Overall score per division, with agreement (r_wg) as opacity; low agreement is flagged."""
    data = _checked(divisions[["division", "respondents", "overall", "agreement", "low agreement"]])
    low = int(data["low agreement"].sum())
    description = (
        f"Overall readiness out of 100 for {len(data)} divisions; "
        f"{low} with low agreement among respondents."
    )
    return cast(
        alt.Chart,
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y("division:N", sort="-x", title=None, axis=alt.Axis(labelLimit=320)),
            x=alt.X("overall:Q", scale=alt.Scale(domain=[0, 100]), title="Overall (0-100)"),
            color=alt.Color(
                "low agreement:N",
                scale=alt.Scale(domain=[False, True], range=["#1f5f8b", "#b35c00"]),
                title="Low agreement",
                legend=alt.Legend(labelExpr="datum.label == 'true' ? 'yes' : 'no'"),
            ),
            tooltip=[
                alt.Tooltip("division:N", title="Division"),
                alt.Tooltip("respondents:Q", title="Respondents"),
                alt.Tooltip("overall:Q", format=".0f", title="Overall (0-100)"),
                alt.Tooltip("agreement:Q", format=".2f", title="Agreement (r_wg)"),
            ],
        )
        .properties(description=description, title="Readiness by division"),
    )


def item_rest_chart(items: pd.DataFrame, dimension: str) -> alt.Chart:
    """One scale's items: each item's correlation with the sum of the others (item-rest, -1 to
    1), one bar per item in questionnaire order; items whose deletion would raise the scale's
    alpha stand out. ``items`` has ``item`` (its label), ``item_rest``, ``alpha_if_deleted`` and
    ``raises_alpha_if_deleted``; items without a figure (no variance) are left out."""
    data = _checked(
        items[["item", "item_rest", "alpha_if_deleted", "raises_alpha_if_deleted"]].dropna(
            subset=["item_rest"]
        )
    ).rename(columns={"raises_alpha_if_deleted": "raises alpha"})
    order = list(data["item"])
    weakest = data.sort_values("item_rest").head(1)
    lowest = "".join(
        f"; lowest: '{r.item}' ({r.item_rest:.2f})" for r in weakest.itertuples(index=False)
    )
    raising = int(data["raises alpha"].sum())
    description = (
        f"Item-rest correlations of {len(data)} items of {dimension}{lowest}; "
        f"{raising} {'item raises' if raising == 1 else 'items raise'} alpha if deleted."
    )
    low = min(0.0, float(np.floor(data["item_rest"].min() * 10) / 10)) if len(data) else 0.0
    return cast(
        alt.Chart,
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y("item:N", sort=order, title=None, axis=alt.Axis(labelLimit=0)),
            x=alt.X(
                "item_rest:Q",
                scale=alt.Scale(domain=[max(-1.0, low), 1.0]),
                title="Item-rest correlation",
            ),
            color=alt.Color(
                "raises alpha:N",
                scale=alt.Scale(domain=[False, True], range=["#1f5f8b", "#b35c00"]),
                title="Alpha rises if deleted",
                legend=alt.Legend(
                    orient="bottom", labelExpr="datum.label == 'true' ? 'yes' : 'no'"
                ),
            ),
            tooltip=[
                alt.Tooltip("item:N", title="Item"),
                alt.Tooltip("item_rest:Q", format=".2f", title="Item-rest correlation"),
                alt.Tooltip("alpha_if_deleted:Q", format=".2f", title="Alpha if deleted"),
            ],
        )
        .properties(description=description, title=f"{dimension}: item-rest correlations"),
    )


def item_rest_charts(items: pd.DataFrame) -> list[alt.Chart]:
    """:func:`item_rest_chart` of each dimension (``items``' ``dimension`` column, in order)
    that has a figure."""
    if items.empty:
        return []
    return [
        item_rest_chart(part, str(name))
        for name, part in items.groupby("dimension", sort=False)
        if part["item_rest"].notna().any()
    ]


def score_histogram(overall: npt.ArrayLike, bins: int = 20) -> alt.Chart:
    """Distribution of respondents' overall scores, binned in Python (never one row each)."""
    values = np.asarray(overall, dtype=float)
    values = values[~np.isnan(values)]
    counts, edges = np.histogram(values, bins=bins, range=(0, 100))
    frame = pd.DataFrame({"start": edges[:-1], "end": edges[1:], "respondents": counts})
    median = float(np.median(values)) if values.size else float("nan")
    description = f"Histogram of {values.size:,} respondents' overall scores in {bins} bins" + (
        f"; median {median:.0f} out of 100." if values.size else "."
    )
    return cast(
        alt.Chart,
        alt.Chart(_checked(frame))
        .mark_bar()
        .encode(
            x=alt.X("start:Q", bin="binned", scale=alt.Scale(domain=[0, 100]), title="Overall"),
            x2="end:Q",
            y=alt.Y("respondents:Q", title="Respondents"),
            tooltip=["start:Q", "end:Q", "respondents:Q"],
        )
        .properties(description=description, title="Respondents by overall score", height=220),
    )


def benchmark_chart(frame: pd.DataFrame) -> alt.Chart:
    """Published figures (percent 0-100 of those each counted) as dots, one row per metric and
    year with its full label, one colour and shape per source (its full name in the legend).

    ``frame``: :func:`readiness.benchmarks.benchmarks_frame`. A sample size that was not
    published is :data:`~readiness.benchmarks.NOT_REPORTED`. The chart has no title of its own:
    the page heads it.
    """
    n = frame["n"].astype("Int64")
    data = _checked(
        frame.assign(
            label=[
                _wrapped(f"{metric} ({year})", 38)
                for metric, year in zip(frame["metric"], frame["year"], strict=True)
            ],
            sample=[NOT_REPORTED if pd.isna(v) else f"{int(v):,}" for v in n],
            source_label=[_wrapped(str(source), 48) for source in frame["source"]],
        )
    )
    sources = list(dict.fromkeys(data["source_label"]))
    description = (
        f"{len(data)} published market-level figures from {len(sources)} sources, each with its "
        "own definition and source; not a single series."
    )
    legend = alt.Legend(orient="bottom", columns=1, labelLimit=0, labelExpr=_LINES)
    return cast(
        alt.Chart,
        alt.Chart(data)
        .mark_point(size=110, filled=True, opacity=1)
        .encode(
            x=alt.X(
                "value:Q", scale=alt.Scale(domain=[0, 100]), title="Share of those counted (%)"
            ),
            y=alt.Y(
                "label:N",
                sort=None,
                title=None,
                axis=alt.Axis(labelLimit=0, labelExpr=_LINES, labelPadding=6),
            ),
            color=alt.Color(
                "source_label:N",
                sort=sources,
                scale=alt.Scale(domain=sources, range=SERIES_COLORS),
                title="Source",
                legend=legend,
            ),
            shape=alt.Shape(
                "source_label:N",
                sort=sources,
                scale=alt.Scale(domain=sources, range=_SHAPES),
                title="Source",
                legend=legend,
            ),
            tooltip=[
                alt.Tooltip("metric:N", title="Figure"),
                alt.Tooltip("year:Q", title="Year"),
                alt.Tooltip("figure:N", title="Value"),
                alt.Tooltip("share of:N", title="Share of"),
                alt.Tooltip("sample:N", title="Sample (n)"),
                alt.Tooltip("source:N", title="Source"),
            ],
        )
        .properties(description=description, height=alt.Step(34)),
    )


#: Points drawn per year of a curve: a quarter apart, plus each curve's last point. Monthly points
#: draw the same lines with three times the data for the browser to redraw on every slider move;
#: milestones are computed exactly, never read off the drawn points.
CURVE_POINTS_PER_YEAR = 4
#: A bend (second difference of the share between neighbouring points) above which a point is
#: drawn whatever the quarter grid says.
CURVE_BEND = 0.005


def _drawn_curves(curves: pd.DataFrame) -> pd.DataFrame:
    """``curves`` as drawn (``scenario``, ``year``, ``share``, ``kind``, ``own``): each curve's
    kind and whether it is your own, your own curves first, each thinned to
    :data:`CURVE_POINTS_PER_YEAR` points a year (its first and last point and sharp bends kept).

    Works per curve, not per row: the rows of one curve are consecutive, in time order.
    """
    if curves.empty:
        return pd.DataFrame(columns=["scenario", "year", "share", "kind", "own"])
    labels = curves["scenario"].to_numpy(dtype=object)
    years = curves["year"].to_numpy(dtype=np.float64)
    starts = np.flatnonzero(np.r_[True, labels[1:] != labels[:-1]])
    ends = np.r_[starts[1:], len(labels)] - 1
    if "kind" in curves.columns:
        kinds = [str(k) for k in curves["kind"].to_numpy(dtype=object)[starts]]
    else:
        models = curves["model"] if "model" in curves.columns else pd.Series(None, curves.index)
        kinds = [
            scenario_kind(str(labels[i]), None if pd.isna(m) else str(m))
            for i, m in zip(starts, models.to_numpy(dtype=object)[starts], strict=True)
        ]
    own = np.array([_is_own(kind) for kind in kinds], dtype=bool)
    curve = np.repeat(np.arange(len(starts)), ends - starts + 1)
    # the first point in each quarter of a year from the curve's start (tolerance: float years of
    # month steps), whatever the curve's own spacing
    period = np.floor((years - years[starts][curve]) * CURVE_POINTS_PER_YEAR + 1e-6)
    keep = np.r_[True, period[1:] != period[:-1]]
    # and wherever the curve bends sharply (a doubling that reaches its ceiling): a line a quarter
    # long cuts such a corner by up to 7 percentage points, elsewhere by less than one
    shares = curves["share"].to_numpy(dtype=np.float64)
    bend = np.zeros(len(shares))
    bend[1:-1] = np.abs(shares[:-2] - 2 * shares[1:-1] + shares[2:])
    keep |= bend > CURVE_BEND
    keep[starts] = True
    keep[ends] = True
    order = np.argsort(~own[curve], kind="stable")  # your own curves first in the legend
    order = order[keep[order]]
    return pd.DataFrame(
        {
            "scenario": labels[order],
            "year": years[order],
            "share": shares[order],
            "kind": np.asarray(kinds, dtype=object)[curve[order]],
            "own": own[curve[order]],
        }
    )


def _adoption_data(
    curves: pd.DataFrame,
    level: Level,
    band: pd.DataFrame | None,
    observed: pd.DataFrame | None,
    threshold: float | None,
) -> tuple[dict[str, pd.DataFrame], str]:
    """The adoption chart's named datasets and its description (checked for size)."""
    curves = _drawn_curves(curves)
    datasets = {"curves": curves}
    band_label = None
    if band is not None and not band.empty:
        datasets["band"] = band
        band_label = str(band["label"].iloc[0]) if "label" in band.columns else "uncertainty band"
    if observed is not None and not observed.empty:
        datasets["observed"] = observed
    if threshold is not None:
        datasets["threshold"] = pd.DataFrame({"share": [threshold]})
    rows = sum(len(frame) for frame in datasets.values())
    if rows > MAX_CHART_ROWS:
        raise ChartDataTooLargeError(
            f"adoption chart has {rows:,} rows; at most {MAX_CHART_ROWS:,}"
        )
    ends = []
    if not curves.empty:
        labels = curves["scenario"].to_numpy(dtype=object)
        last = np.flatnonzero(np.r_[labels[1:] != labels[:-1], True])[:6]
        ends = [
            f"{labels[i]} reaches {share:.0%} by {year:.0f}"
            for i, share, year in zip(
                last,
                curves["share"].to_numpy()[last],
                curves["year"].to_numpy()[last],
                strict=True,
            )
        ]
    description = f"{LEVEL_TITLES[level]}. " + ("; ".join(ends) + "." if ends else "No scenario.")
    if band_label is not None:
        description += f" Shaded: {band_label} (uncertainty from the fitted history)."
        if band is not None and "fit" in band.columns:
            description += " Dotted line: the fitted curve; dots: your history."
    if threshold is not None:
        description += f" Dashed line: material change at {threshold:.0%}."
    return datasets, description


def _adoption_layers(
    level: Level,
    band: bool,
    fit: bool,
    observed: bool,
    threshold: bool,
    kinds: tuple[str, ...] = (),
) -> alt.LayerChart:
    """The adoption chart's layers on named datasets (``curves``, ``band``, ``observed``,
    ``threshold``): the layout only, the same for every set of data with the same ``kinds`` of
    scenario (each drawn in its fixed colour and dash, named in the legend)."""
    x = alt.X(field="year", type="quantitative", title="Year", axis=alt.Axis(format="d"))
    history = scenario_color("Your history")
    # beside the plot, so that the plot keeps its height whatever the number of scenarios
    legend = alt.Legend(orient="right", labelLimit=0, symbolStrokeWidth=3)
    y_scale = alt.Scale(domain=[0, 1])
    year_tip = alt.Tooltip(field="year", type="quantitative", format=".1f")
    share_tip = alt.Tooltip(field="share", type="quantitative", format=".1%")
    layers: list[alt.Chart] = []
    if band:
        layers.append(
            alt.Chart(
                alt.NamedData("band"), mark=alt.MarkDef(type="area", opacity=0.15, color=history)
            ).encode(
                x=x,
                y=alt.Y(field="low", type="quantitative", scale=y_scale),
                y2=alt.Y2(field="high"),
                tooltip=[
                    year_tip,
                    alt.Tooltip(field="low", type="quantitative", format=".1%"),
                    alt.Tooltip(field="high", type="quantitative", format=".1%"),
                ],
            )
        )
    if band and fit:
        layers.append(
            alt.Chart(
                alt.NamedData("band"),
                mark=alt.MarkDef(type="line", strokeDash=[2, 2], color=history),
            ).encode(
                x=x,
                y=alt.Y(field="fit", type="quantitative", scale=y_scale),
                tooltip=[year_tip, alt.Tooltip(field="fit", type="quantitative", format=".1%")],
            )
        )
    encoding: dict[str, Any] = {
        "x": x,
        "y": alt.Y(
            field="share",
            type="quantitative",
            scale=y_scale,
            axis=alt.Axis(format="%"),
            title=LEVEL_SHARE_TITLES[level],
        ),
        "color": alt.Color(
            field="kind",
            type="nominal",
            title="Scenario",
            scale=alt.Scale(domain=list(kinds), range=[scenario_color(k) for k in kinds]),
            sort=list(kinds),
            legend=legend,
        ),
        "strokeDash": alt.StrokeDash(
            field="kind",
            type="nominal",
            title="Scenario",
            scale=alt.Scale(domain=list(kinds), range=[_scenario_dash(k) for k in kinds]),
            sort=list(kinds),
            legend=legend,
        ),
        "detail": alt.Detail(field="scenario", type="nominal"),
        "tooltip": [
            alt.Tooltip(field="scenario", type="nominal", title="Scenario"),
            year_tip,
            share_tip,
        ],
    }
    # your own curves wide and first, the comparison scenarios on top: one on the same path as
    # yours (the sliders reset to your organization) stays visible
    for own, width in ((True, 5.0), (False, 2.5)):
        layers.append(
            alt.Chart(alt.NamedData("curves"), mark=alt.MarkDef(type="line", strokeWidth=width))
            .encode(**encoding)
            .transform_filter(f"{'' if own else '!'}datum.own")
        )
    if observed:
        layers.append(
            alt.Chart(
                alt.NamedData("observed"),
                mark=alt.MarkDef(type="point", filled=True, size=70, color=history),
            ).encode(
                x=x,
                y=alt.Y(field="share", type="quantitative", scale=y_scale),
                tooltip=[year_tip, share_tip],
            )
        )
    if threshold:
        layers.append(
            alt.Chart(
                alt.NamedData("threshold"),
                mark=alt.MarkDef(type="rule", strokeDash=[6, 4], color="#5b6470"),
            ).encode(y=alt.Y(field="share", type="quantitative", scale=y_scale))
        )
    return alt.LayerChart(layer=layers, title=LEVEL_TITLES[level], height=380)


@cache
def _adoption_layout(
    level: Level, band: bool, fit: bool, observed: bool, threshold: bool, kinds: tuple[str, ...]
) -> str:
    """The layout as Vega-Lite JSON, built and checked against the schema once per shape (the
    kinds of scenario change with the level or a new history, not with a slider move)."""
    return json.dumps(_adoption_layers(level, band, fit, observed, threshold, kinds).to_dict())


def _layout_key(
    datasets: Mapping[str, pd.DataFrame], level: Level
) -> tuple[Level, bool, bool, bool, bool, tuple[str, ...]]:
    band = datasets.get("band")
    return (
        level,
        band is not None,
        band is not None and "fit" in band.columns,
        "observed" in datasets,
        "threshold" in datasets,
        tuple(dict.fromkeys(datasets["curves"]["kind"])),
    )


def adoption_chart(
    curves: pd.DataFrame,
    level: Level,
    band: pd.DataFrame | None = None,
    observed: pd.DataFrame | None = None,
    threshold: float | None = None,
) -> alt.LayerChart:
    """Adoption curves (share 0-1 over calendar years), optionally with a band and observations.

    ``curves``: ``scenario``, ``year``, ``share``; ``band``: ``year``, ``low``, ``high`` (and
    optionally ``fit``, drawn as a dotted line, and ``label``), already quantiles, never
    simulation paths; ``observed``: ``year``,
    ``share``; ``threshold``: a share drawn as a horizontal rule (the "material change" level).
    The data travel as named datasets; :func:`adoption_spec` is the same chart as a dict.
    """
    datasets, description = _adoption_data(curves, level, band, observed, threshold)
    chart = _adoption_layers(*_layout_key(datasets, level))
    return chart.properties(
        datasets={name: frame.to_dict("records") for name, frame in datasets.items()},
        description=description,
    )


def adoption_spec(
    curves: pd.DataFrame,
    level: Level,
    band: pd.DataFrame | None = None,
    observed: pd.DataFrame | None = None,
    threshold: float | None = None,
) -> tuple[dict[str, Any], str]:
    """:func:`adoption_chart` as a Vega-Lite dict with DataFrames as its datasets, and its
    description: for redrawing on every slider move.

    The layout is built with Altair and checked against the schema once per combination of
    layers; after that a call only copies it and attaches the data, far cheaper than having
    Altair build and serialise the chart on every move.
    """
    datasets, description = _adoption_data(curves, level, band, observed, threshold)
    spec: dict[str, Any] = json.loads(_adoption_layout(*_layout_key(datasets, level)))
    spec["datasets"] = datasets
    return spec, description


def levers_chart(levers: pd.DataFrame, measure: str, measure_title: str) -> alt.Chart:
    """How much each lever moves the outcome: one bar per lever, largest first.

    ``levers`` has a ``lever`` column and the numeric column ``measure``.
    """
    data = _checked(levers[["lever", measure]].dropna())
    ranked = data.sort_values(measure, ascending=False)
    top = ", ".join(f"{r.lever} ({getattr(r, measure):.2g})" for r in ranked.head(3).itertuples())
    description = f"Levers ranked by {measure_title.lower()}: {top or 'no lever'}."
    return cast(
        alt.Chart,
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y("lever:N", sort="-x", title=None, axis=alt.Axis(labelLimit=0)),
            x=alt.X(f"{measure}:Q", title=measure_title),
            tooltip=["lever:N", alt.Tooltip(f"{measure}:Q", format=".3g")],
        )
        .properties(description=description, title="What raises growth most"),
    )


def weights_chart(weights: pd.DataFrame) -> alt.Chart:
    """The relative weights of the dimensions for each outcome, with their 95% intervals: a
    point per dimension and a rule from ``low`` to ``high``, one row of panels per outcome.

    ``weights`` has columns ``outcome``, ``dimension``, ``weight``, ``low`` and ``high`` (shares
    of the explained variance, 0-1; ``low``/``high`` missing without an interval)."""
    data = _checked(weights[["outcome", "dimension", "weight", "low", "high"]])
    top = ", ".join(
        f"{r.dimension} {r.weight:.0%} for {r.outcome}"
        for r in data.sort_values("weight", ascending=False).head(2).itertuples()
    )
    description = f"Relative weights of the dimensions with 95% intervals: {top or 'none'}."
    base = alt.Chart(data).encode(
        y=alt.Y("dimension:N", title=None, axis=alt.Axis(labelLimit=0)),
    )
    rules = base.mark_rule(strokeWidth=2).encode(
        x=alt.X("low:Q", title="Share of explained variance", axis=alt.Axis(format="%")),
        x2="high:Q",
    )
    points = base.mark_point(filled=True, size=80).encode(
        x=alt.X("weight:Q", scale=alt.Scale(domain=[0, 1])),
        tooltip=[
            "outcome:N",
            "dimension:N",
            alt.Tooltip("weight:Q", format=".0%"),
            alt.Tooltip("low:Q", format=".0%"),
            alt.Tooltip("high:Q", format=".0%"),
        ],
    )
    return cast(
        alt.Chart,
        alt.layer(rules, points, data=data)
        .properties(width=420)
        .facet(
            row=alt.Row(
                "outcome:N",
                title=None,
                header=alt.Header(labelAngle=0, labelOrient="top", labelAnchor="start"),
            )
        )
        .properties(description=description, title="Drivers of measured adoption"),
    )


def predicted_measured_chart(curves: pd.DataFrame) -> alt.Chart:
    """Each division's measured monthly active share against what each mapping predicts from
    its survey scores: one panel per division, measured as points, each mapping as a line.

    ``curves`` has columns ``division``, ``year`` (decimal), ``share`` (0-1) and ``curve``
    ("measured", "assumed mapping" or "calibrated mapping")."""
    data = _checked(curves[["division", "year", "share", "curve"]])
    description = (
        f"Measured monthly active share of {data['division'].nunique()} divisions against the"
        " shares the assumed and the calibrated mapping predict from their survey scores."
    )
    color = alt.Color(
        "curve:N",
        title=None,
        scale=alt.Scale(
            domain=["measured", "assumed mapping", "calibrated mapping"],
            range=["#222222", "#1f5fa8", "#b3400c"],
        ),
    )
    base = alt.Chart().encode(
        # the measured months only: a year axis from 0 would squeeze them into a line
        x=alt.X("year:Q", title="Year", axis=alt.Axis(format="d"), scale=alt.Scale(zero=False)),
        y=alt.Y("share:Q", title="Monthly active share", axis=alt.Axis(format="%")),
        color=color,
        tooltip=["division:N", "curve:N", alt.Tooltip("share:Q", format=".1%")],
    )
    measured = base.transform_filter(alt.datum.curve == "measured").mark_point(filled=True)
    predicted = base.transform_filter(alt.datum.curve != "measured").mark_line()
    return cast(
        alt.Chart,
        alt.layer(measured, predicted, data=data)
        .properties(width=180, height=120)
        .facet(facet=alt.Facet("division:N", title=None), columns=4)
        .properties(description=description, title="Predicted against measured, per division"),
    )
