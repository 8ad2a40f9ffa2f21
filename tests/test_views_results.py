"""What the Results page shows beside the scores (readiness.views.results)."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from readiness.charts import alt_text
from readiness.questionnaire import load_questionnaire
from readiness.views.results import active_share_text, market_figures, score_trend

NAMES = {"grassroots": "Grassroots", "support": "Support", "tooling": "Tooling"}


def _history(*days: dt.date) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "assessed_on": list(days),
            "division": [None] * len(days),
            "overall": [40.0 + i for i in range(len(days))],
            **{d: [50.0] * len(days) for d in NAMES},
        }
    )


def test_the_trend_needs_assessments_on_two_dates() -> None:
    day = dt.date(2026, 1, 31)
    assert score_trend(_history(day, day), NAMES) is None
    chart = score_trend(_history(day, dt.date(2026, 11, 30)), NAMES)
    assert chart is not None
    assert alt_text(chart)


def test_the_self_reported_active_share_reads_as_a_percent_or_not_answered() -> None:
    q = load_questionnaire()
    assert active_share_text(q, {"gr_active_share": 12}) == "12%"
    assert active_share_text(q, {}) == "not answered"


def test_the_market_figures_come_as_a_chart_and_the_table_beside_it() -> None:
    chart, table = market_figures(None)
    assert alt_text(chart)
    assert not table.empty


def test_results_says_whether_the_uploaded_survey_s_divisions_can_be_ranked() -> None:
    from survey_fixtures import survey_csv

    from readiness.evidence.survey_evidence import survey_evidence
    from readiness.safe_output import markdown_lines
    from readiness.survey import read_respondents_csv
    from readiness.views.results import survey_reliability_text

    questionnaire = load_questionnaire()
    data = survey_csv({"A": 30, "B": 30})
    table = read_respondents_csv(questionnaire, data, "[x](http://e.test).csv")
    evidence = survey_evidence(questionnaire, table, "[x](http://e.test).csv", 5)
    text = survey_reliability_text(evidence)
    assert text is not None
    assert text.endswith(markdown_lines(evidence.comparison_sentences))
    assert "](http" not in text  # the file name is user text: no link
    assert survey_reliability_text(None) is None
