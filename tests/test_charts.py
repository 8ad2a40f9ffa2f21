"""Charts: pure functions returning Altair charts with alt text and bounded data."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import numpy as np
import pandas as pd
import pytest

from readiness import charts
from readiness.benchmarks import benchmarks_frame, load_benchmarks
from readiness.charts import MAX_CHART_ROWS, ChartDataTooLargeError
from readiness.projection import Scenario, curves_frame
from readiness.questionnaire import load_questionnaire
from readiness.rules import load_rulebook
from readiness.scoring import Scores, score_assessment
from readiness.views.compare import comparison_frame


def _scores(level: int) -> Scores:
    questionnaire = load_questionnaire()
    answers = {i.id: level for i in questionnaire.items if i.kind == "likert"}
    return score_assessment(questionnaire, load_rulebook(), answers)


def _curves() -> pd.DataFrame:
    scenarios = [
        Scenario(model="doubling", start_year=2009, start_share=0.25, g=2.0, step="month"),
        Scenario(model="bass", start_year=2009, start_share=0.25, p=0.03, q=0.38, step="month"),
    ]
    return curves_frame(scenarios)


def test_the_dimension_chart_names_every_score_and_the_weakest_link() -> None:
    scores = _scores(4)
    chart = charts.dimension_chart(scores, load_rulebook().stages)
    text = charts.alt_text(chart)
    for dimension in scores.dimensions:
        assert dimension.name in text
    assert "Weakest link" in text
    chart.to_dict()  # valid Vega-Lite


def test_stage_bands_cover_the_whole_index_without_gaps() -> None:
    bands = charts.stage_bands(load_rulebook().stages)
    assert bands["start"].iloc[0] == 0
    assert bands["end"].iloc[-1] == 100
    assert (bands["start"].iloc[1:].to_numpy() == bands["end"].iloc[:-1].to_numpy()).all()


@pytest.mark.parametrize("level", ["market", "organization"])
def test_an_adoption_chart_says_which_level_it_shows(level: charts.Level) -> None:
    chart = charts.adoption_chart(_curves(), level, threshold=0.5)
    assert charts.alt_text(chart).startswith(charts.LEVEL_TITLES[level])
    assert "material change at 50%" in charts.alt_text(chart)
    chart.to_dict()


def test_the_adoption_chart_counts_band_and_observed_rows() -> None:
    band = pd.DataFrame({"year": [2009.0, 2010.0], "low": [0.2, 0.3], "high": [0.3, 0.5]})
    observed = pd.DataFrame({"year": [2008.0, 2009.0], "share": [0.125, 0.25]})
    chart = charts.adoption_chart(_curves(), "organization", band=band, observed=observed)
    # two 10-year monthly curves drawn a quarter apart: 41 points each, then the band and points
    assert charts.chart_rows(chart) == 2 * 41 + 4
    assert "Shaded: uncertainty band" in charts.alt_text(chart)


def test_curves_are_drawn_a_quarter_apart_with_their_ends_and_stay_on_the_monthly_line() -> None:
    steep = Scenario(model="doubling", start_year=2009, start_share=0.01, g=3.85, step="month")
    monthly = pd.concat([_curves(), curves_frame([steep])], ignore_index=True)  # a sharp corner
    history = pd.DataFrame(  # a fitted history on an irregular grid, drawn first
        {"scenario": "Your history (logistic fit)", "year": 2009.0 + np.cumsum([0.0] + [0.07] * 60)}
    ).assign(share=lambda f: 0.1 + 0.005 * np.arange(len(f)))
    drawn = charts._drawn_curves(pd.concat([monthly, history], ignore_index=True))
    assert list(drawn["scenario"].drop_duplicates()) == [
        "Your history (logistic fit)",
        "doubling (g=2)",
        "bass (p=0.03, q=0.38)",
        "doubling (g=3.85)",
    ]
    assert len(drawn) < len(monthly) / 2
    assert drawn["own"].tolist() == [k.startswith("Your history") for k in drawn["kind"]]
    for label, curve in drawn.groupby("scenario", sort=False):
        source = pd.concat([monthly, history]).query("scenario == @label")
        years = curve["year"].to_numpy()
        assert years[0] == source["year"].iloc[0]
        assert years[-1] == source["year"].iloc[-1]
        assert (np.diff(years) > 0).all()
        assert np.diff(years).max() <= 0.25 + 0.07 + 1e-9  # never a gap over a quarter and a step
        assert len(years) <= 4 * (years[-1] - years[0]) + 2 or label == "doubling (g=3.85)"
        # the line through the drawn points stays within one percentage point of every point,
        # also where the steep doubling meets its ceiling
        between = np.interp(source["year"], years, curve["share"])
        assert np.abs(between - source["share"].to_numpy()).max() < 0.01


@pytest.mark.parametrize("with_extras", [False, True])
def test_the_fast_adoption_spec_is_the_same_chart_as_the_altair_one(with_extras: bool) -> None:
    band = pd.DataFrame(
        {"year": [2009.0, 2010.0], "low": [0.2, 0.3], "high": [0.3, 0.5], "fit": [0.25, 0.4]}
    )
    observed = pd.DataFrame({"year": [2008.0, 2009.0], "share": [0.125, 0.25]})
    extras = {"band": band, "observed": observed, "threshold": 0.5} if with_extras else {}
    chart = charts.adoption_chart(_curves(), "organization", **extras)
    spec, description = charts.adoption_spec(_curves(), "organization", **extras)
    expected = chart.to_dict()  # validated against the Vega-Lite schema
    assert description == expected.pop("description") == charts.alt_text(chart)
    datasets = spec.pop("datasets")
    assert {name: frame.to_dict("records") for name, frame in datasets.items()} == expected.pop(
        "datasets"
    )
    assert spec == expected
    names = {"curves", "band", "observed", "threshold"} if with_extras else {"curves"}
    assert set(datasets) == names
    # the layout is shared between calls with the same kinds of scenario: only the data differ
    moved = _curves().assign(share=lambda f: f["share"] * 0.9)
    other, _ = charts.adoption_spec(moved, "organization", **extras)
    other.pop("datasets")
    assert other == spec


def test_a_chart_for_display_carries_its_description_as_alt_text_only() -> None:
    chart = charts.adoption_chart(_curves(), "market")
    shown, text = charts.for_display(chart)
    assert text == charts.alt_text(chart)
    assert "description" not in shown.to_dict()
    assert chart.to_dict()["description"] == text  # the original is left as it was


def test_a_chart_never_ships_more_than_5000_rows() -> None:
    years = np.arange(MAX_CHART_ROWS + 1, dtype=float)
    curves = pd.DataFrame({"scenario": "too long", "year": years, "share": 0.5})
    with pytest.raises(ChartDataTooLargeError, match="5,001 rows"):
        charts.adoption_chart(curves, "market")


def test_a_histogram_of_100000_respondents_ships_only_its_bins() -> None:
    overall = np.random.default_rng(0).uniform(0, 100, 100_000)
    chart = charts.score_histogram(overall, bins=20)
    assert charts.chart_rows(chart) == 20
    assert "100,000 respondents" in charts.alt_text(chart)


def test_the_trend_chart_draws_overall_and_dimensions_per_date() -> None:
    history = pd.DataFrame(
        {
            "assessed_on": [dt.date(2024, 1, 1), dt.date(2025, 1, 1)],
            "division": [None, None],
            "overall": [40.0, 55.0],
            "support": [30.0, np.nan],
        }
    )
    chart = charts.trend_chart(history, {"support": "Support"})
    assert "2 assessment dates" in charts.alt_text(chart)
    assert set(chart.data["measure"]) == {"Overall", "Support"}  # NaN scores are left out
    assert len(chart.data) == 3


def test_benchmark_and_lever_charts_describe_themselves() -> None:
    figures = benchmarks_frame(load_benchmarks(), "private")
    assert "not a single series" in charts.alt_text(charts.benchmark_chart(figures))
    levers = pd.DataFrame({"lever": ["Support +10", "Tooling +10"], "points": [4.0, 1.0]})
    text = charts.alt_text(charts.levers_chart(levers, "points", "Extra share"))
    assert text.index("Support") < text.index("Tooling")


def _contrast_on_white(color: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    luminance = 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
    return 1.05 / (luminance + 0.05)


def test_the_benchmark_chart_shows_full_labels_one_legend_entry_per_source_and_no_none() -> None:
    figures = benchmarks_frame(load_benchmarks())
    spec = charts.benchmark_chart(figures).to_dict()
    data = next(iter(spec["datasets"].values()))
    # every label in full: wrapped into lines, never cut (no label limit)
    y = spec["encoding"]["y"]
    assert y["axis"]["labelLimit"] == 0
    assert "split(datum.label" in y["axis"]["labelExpr"]
    expected = {f"{r.metric} ({r.year})" for r in figures.itertuples()}
    assert {" ".join(row["label"].split("\n")) for row in data} == expected
    assert all(len(line) <= 38 for row in data for line in row["label"].split("\n"))
    # one legend entry (colour and shape) per source, each source's full name
    sources = list(dict.fromkeys(figures["source"]))
    domain = spec["encoding"]["color"]["scale"]["domain"]
    assert len(domain) == len(set(domain)) == len(sources) == 10
    assert [" ".join(label.split("\n")) for label in domain] == sources
    assert spec["encoding"]["shape"]["scale"]["domain"] == domain
    assert len(set(spec["encoding"]["color"]["scale"]["range"])) >= len(sources)
    # a sample size that was not published is said so, never None
    unpublished = [row for row in data if row["metric"].startswith("Companies using social bus")]
    assert [row["sample"] for row in unpublished] == ["not reported", "not reported"]
    assert "None" not in json.dumps([row["sample"] for row in data])
    assert {"title": "Sample (n)", "field": "sample", "type": "nominal"} in spec["encoding"][
        "tooltip"
    ]
    # the page heads the chart: no second title, and the axis has its unit
    assert "title" not in spec
    assert spec["encoding"]["x"]["title"] == "Share of those counted (%)"


def test_compare_draws_grouped_bars_never_lines_across_categories() -> None:
    frame = comparison_frame([("Low", _scores(2)), ("High", _scores(4))])
    spec = charts.comparison_chart(frame).to_dict()
    assert spec["mark"]["type"] == "bar"
    assert "line" not in json.dumps(spec["mark"])
    assert spec["encoding"]["x"]["field"] == "dimension"
    assert spec["encoding"]["xOffset"]["field"] == "assessment"
    assert spec["encoding"]["color"]["scale"]["domain"] == ["Low", "High"]
    assert spec["encoding"]["y"]["title"] == "Score (0-100)"
    assert "bars side by side" in charts.alt_text(charts.comparison_chart(frame))


def _kind_colors(spec: dict[str, Any]) -> dict[str, str]:
    curves = next(layer for layer in spec["layer"] if "color" in layer["encoding"])
    scale = curves["encoding"]["color"]["scale"]
    return dict(zip(scale["domain"], scale["range"], strict=True))


def _all_kinds() -> pd.DataFrame:
    common = {"start_year": 2009, "start_share": 0.25, "step": "month"}
    scenarios = [
        Scenario(model="doubling", name="Exponential x2/year", g=2.0, **common),
        Scenario(model="logistic", name="Logistic (r=0.69)", r=0.69, **common),
        Scenario(model="gompertz", c=0.5, **common),
        Scenario(model="bass", name="Bass (p=0.03, q=0.38)", p=0.03, q=0.38, **common),
        Scenario(model="bass", name="from your readiness", p=0.01, q=0.3, **common),
    ]
    fitted = pd.DataFrame(
        {"scenario": "your history (logistic fit)", "year": [2009.0, 2010.0], "share": [0.2, 0.3]}
    )
    return pd.concat([curves_frame(scenarios), fitted], ignore_index=True)


def test_each_scenario_kind_has_one_colour_at_both_levels() -> None:
    curves = _all_kinds()
    market, _ = charts.adoption_spec(curves, "market", threshold=0.5)
    organization, _ = charts.adoption_spec(curves, "organization", threshold=0.5)
    expected = {
        "Doubling": charts.SCENARIO_COLORS["Doubling"],
        "Logistic": charts.SCENARIO_COLORS["Logistic"],
        "Gompertz": charts.SCENARIO_COLORS["Gompertz"],
        "Bass": charts.SCENARIO_COLORS["Bass"],
        "From your readiness": charts.SCENARIO_COLORS["From your readiness"],
        "Your history (logistic fit)": charts.SCENARIO_COLORS["Your history"],
    }
    assert _kind_colors(market) == _kind_colors(organization) == expected
    assert len(set(expected.values())) == len(expected)
    # another slider setting (other parameters in the names) keeps every colour
    renamed = curves.assign(scenario=curves["scenario"].str.replace("0.38", "0.5"))
    again, _ = charts.adoption_spec(renamed, "market", threshold=0.5)
    assert _kind_colors(again) == expected
    # a subset keeps each kind's colour; the legend lists only the kinds drawn
    bass_only, _ = charts.adoption_spec(curves[curves["model"] == "bass"], "organization")
    assert _kind_colors(bass_only) == {
        "Bass": expected["Bass"],
        "From your readiness": expected["From your readiness"],
    }


def test_the_fitted_history_band_and_points_have_the_history_colour() -> None:
    band = pd.DataFrame(
        {"year": [2009.0, 2010.0], "low": [0.2, 0.3], "high": [0.3, 0.5], "fit": [0.25, 0.4]}
    )
    observed = pd.DataFrame({"year": [2008.0, 2009.0], "share": [0.125, 0.25]})
    spec, _ = charts.adoption_spec(_all_kinds(), "market", band=band, observed=observed)
    marks = [layer["mark"] for layer in spec["layer"] if "color" in layer["mark"]]
    assert len(marks) == 3  # band, fitted line, observed points
    assert {mark["color"] for mark in marks} == {charts.SCENARIO_COLORS["Your history"]}


@pytest.mark.parametrize(
    ("level", "title"),
    [("market", "Share of organizations (%)"), ("organization", "Share of your people (%)")],
)
def test_the_adoption_axes_have_titles_with_units(level: charts.Level, title: str) -> None:
    spec, _ = charts.adoption_spec(_curves(), level)
    y_titles = [layer["encoding"]["y"].get("title") for layer in spec["layer"]]
    assert title in y_titles
    assert spec["layer"][0]["encoding"]["x"]["title"] == "Year"


def test_every_chart_colour_is_readable_on_white() -> None:
    for color in [*charts.SCENARIO_COLORS.values(), *charts.SERIES_COLORS]:
        assert _contrast_on_white(color) >= 4.5, color


def test_no_chart_points_users_to_a_developer_path() -> None:
    frame = comparison_frame([("Low", _scores(2)), ("High", _scores(4))])
    levers = pd.DataFrame({"lever": ["Support 22 to 40"], "months": [14.0]})
    specs = [
        charts.benchmark_chart(benchmarks_frame(load_benchmarks())).to_dict(),
        charts.comparison_chart(frame).to_dict(),
        charts.dimension_chart(_scores(3), load_rulebook().stages).to_dict(),
        charts.levers_chart(levers, "months", "Months earlier to 50% (material change)").to_dict(),
        charts.adoption_spec(_all_kinds(), "organization", threshold=0.5)[0],
    ]
    for spec in specs:
        text = json.dumps(spec, default=str)
        assert ".yaml" not in text
        assert "data/" not in text


def test_your_own_curves_are_wide_and_under_the_comparison_scenarios() -> None:
    spec, _ = charts.adoption_spec(_all_kinds(), "organization")
    curves = [layer for layer in spec["layer"] if "color" in layer["encoding"]]
    drawn = [(layer["transform"][0]["filter"], layer["mark"]["strokeWidth"]) for layer in curves]
    assert drawn == [("datum.own", 5.0), ("!datum.own", 2.5)]
    data = spec["datasets"]["curves"]
    own = data.loc[data["own"], "kind"].unique().tolist()
    assert own == ["From your readiness", "Your history (logistic fit)"]
    assert not data["own"].iloc[-1]  # the comparison scenarios follow


def test_lever_labels_are_never_cut() -> None:
    levers = pd.DataFrame({"lever": ["Grassroots activity 58 to 68"], "months": [8.7]})
    spec = charts.levers_chart(levers, "months", "Months earlier to 50% (material change)")
    assert spec.to_dict()["encoding"]["y"]["axis"]["labelLimit"] == 0
