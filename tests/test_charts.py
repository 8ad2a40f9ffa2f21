"""Charts: pure functions returning Altair charts with alt text and bounded data."""

from __future__ import annotations

import datetime as dt

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


def test_the_comparison_table_shows_the_spread_between_assessments() -> None:
    frame = charts.comparison_frame([("Low", _scores(2)), ("High", _scores(4))])
    table = charts.differences_frame(frame)
    assert list(table.columns) == ["Low", "High", "spread (max - min)"]
    assert (table["spread (max - min)"] > 0).all()
    assert "2 assessments" in charts.alt_text(charts.comparison_chart(frame))


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
    assert charts.chart_rows(chart) == len(_curves()) + 4
    assert "Shaded: uncertainty band" in charts.alt_text(chart)


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
    # the layout is shared between calls: only the datasets differ
    other, _ = charts.adoption_spec(_curves().head(10), "organization", **extras)
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
