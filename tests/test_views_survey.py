"""What the survey upload page shows (readiness.views.survey)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from survey_fixtures import survey_csv

from readiness.charts import alt_text
from readiness.evidence import scale_items
from readiness.evidence.survey_evidence import TABLE_COLUMNS
from readiness.questionnaire import load_questionnaire
from readiness.rules import load_rulebook
from readiness.safe_output import escape_markdown, markdown_lines
from readiness.survey import SurveySummary
from readiness.views.survey import (
    PROBLEM_ROWS_LISTED,
    SurveyEvidence,
    column_note_text,
    evidence_text,
    problems_text,
    read_respondents_csv,
    scale_charts,
    scale_quality_table,
    summarize_survey,
    survey_evidence,
    survey_report,
)


def _summary(bad_rows: int, column_note: str | None = None) -> SurveySummary:
    problems = pd.DataFrame(
        {
            "row": range(2, bad_rows + 2),
            "field": ["gr_1"] * bad_rows,
            "problem": ["'![x](http://e.test/a.png)' is not an answer"] * bad_rows,
        }
    )
    return SurveySummary(
        name="s.csv",
        rows=20,
        bad_rows=bad_rows,
        problems_total=bad_rows,
        problem_table=problems,
        overall=None,
        divisions={},
        overall_scores=np.array([]),
        column_note=column_note,
    )


def test_the_rows_with_problems_are_counted_and_the_first_listed_with_markdown_escaped() -> None:
    one = problems_text(_summary(1))
    assert one.startswith("1 of 20 rows has a problem and is left out of the scores (1 problem)")
    many = problems_text(_summary(8))
    assert "8 of 20 rows have problems and are left out" in many
    assert many.count("\n- row ") == PROBLEM_ROWS_LISTED
    assert "![x]" not in many  # a cell cannot make the browser fetch an image


def test_the_ignored_columns_are_named_with_markdown_escaped() -> None:
    assert column_note_text(_summary(0)) is None
    note = column_note_text(_summary(0, "Ignored columns: *Comment*"))
    assert note is not None
    assert "*Comment*" not in note


# --- scale quality and agreement ----------------------------------------------------------------


def _evidence(sizes: dict[str, int], **options: object) -> SurveyEvidence:
    q = load_questionnaire()
    table = read_respondents_csv(q, survey_csv(sizes, **options), "survey.csv")
    return survey_evidence(q, table, "survey.csv", 5)


def test_the_scale_sentences_are_the_core_s_shown_literally() -> None:
    evidence = _evidence({"Sales": 40, "IT": 30, "Legal": 3}, noise=["to_reach"])
    quality, comparison, method = evidence_text(evidence)
    assert quality == markdown_lines(evidence.quality_sentences)
    assert comparison == markdown_lines(evidence.comparison_sentences)
    assert method == escape_markdown(evidence.method_text)
    assert quality.count("\n- ") == 2  # three dimensions, one line each
    assert "Tooling" in quality
    assert "pairwise" in method


def test_the_scale_table_shows_groups_as_merged_in_words() -> None:
    evidence = _evidence({"Sales": 40, "IT": 30, "Operations": 20, "Legal": 3})
    table = scale_quality_table(evidence)
    assert table is not None
    assert list(table.columns) == list(TABLE_COLUMNS)
    assert set(table["Group"]) == {"All respondents", "Sales", "IT", "other divisions"}
    assert not table["Group"].isin(["Legal", "Operations"]).any()  # never alone
    for column in ("Alpha", "Omega total", "r_wg(j)", "ICC(2)"):
        values = pd.to_numeric(table[column], errors="coerce").dropna()
        assert (values == values.round(2)).all(), column
    everyone = table[table["Group"] == "All respondents"]
    assert everyone["r_wg(j)"].isna().all()
    assert everyone["ICC(2)"].notna().all()


def test_a_survey_too_small_for_any_scale_has_no_table_and_no_chart() -> None:
    evidence = _evidence({"Sales": 4, "IT": 3})
    assert scale_quality_table(evidence) is None
    assert scale_charts(evidence) == []
    quality, _, _ = evidence_text(evidence)
    assert quality.count(escape_markdown("too few respondents to tell")) == 3


def test_each_scale_has_an_item_rest_chart_with_its_items_by_label() -> None:
    evidence = _evidence({"Sales": 40, "IT": 30}, noise=["to_reach"])
    charts = scale_charts(evidence)
    assert len(charts) == 3
    tooling = charts[2]
    text = alt_text(tooling)
    assert text.startswith("Item-rest correlations of 5 items of Tooling; lowest: ")
    assert "'Reachable where we work'" in text
    spec = tooling.to_dict()
    assert spec["title"] == "Tooling: item-rest correlations"
    assert spec["encoding"]["y"]["axis"]["labelLimit"] == 0  # labels never cut
    rows = tooling.data
    assert isinstance(rows, pd.DataFrame)
    assert list(rows["item"]) == [load_questionnaire().item(i).label for i in scale_ids("tooling")]
    assert rows.loc[rows["item"] == "Reachable where we work", "raises alpha"].item()


def test_the_survey_report_button_carries_the_evidence() -> None:
    q = load_questionnaire()
    table = read_respondents_csv(q, survey_csv({"Sales": 20, "IT": 20}), "survey.csv")
    summary = summarize_survey(q, load_rulebook(), table, "survey.csv", 5)
    html = survey_report(summary, survey_evidence(q, table, "survey.csv", 5))()
    assert "<h2>Scale quality and agreement</h2>" in html
    assert "<h2>Scale quality and agreement</h2>" not in survey_report(summary)()


def scale_ids(dimension: str) -> list[str]:
    return [i.id for i in scale_items(load_questionnaire(), dimension)]
