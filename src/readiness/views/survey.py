"""What the survey upload page shows: the template and data dictionary to download, the rows
with problems, the division table in words (rounded for reading), its charts, the scales'
quality and agreement (sentences, table, item-rest charts) and the report."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

import pandas as pd

from readiness.charts import division_chart, item_rest_charts, score_histogram
from readiness.data_dictionary import dictionary_csv
from readiness.evidence.survey_evidence import (
    TABLE_COLUMNS,
    SurveyEvidence,
    survey_evidence,
)
from readiness.groups import min_group_size
from readiness.report import render_survey_report
from readiness.safe_output import escape_markdown, markdown_lines
from readiness.scoring import GroupScores
from readiness.survey import (
    MAX_PROBLEM_ROWS_SHOWN,
    SurveySummary,
    division_frame,
    read_respondents_csv,
    summarize_survey,
    template_csv,
)

if TYPE_CHECKING:
    import altair as alt

__all__ = [
    "DIVISION_TABLE_COLUMNS",
    "MAX_PROBLEM_ROWS_SHOWN",
    "PROBLEM_ROWS_LISTED",
    "SCALE_FIGURES",
    "SurveyEvidence",
    "SurveySummary",
    "column_note_text",
    "dictionary_csv",
    "division_chart",
    "division_frame",
    "division_table",
    "evidence_text",
    "low_agreement_warning",
    "min_group_size",
    "problems_text",
    "read_respondents_csv",
    "scale_charts",
    "scale_quality_table",
    "score_histogram",
    "summarize_survey",
    "survey_evidence",
    "survey_report",
    "template_csv",
]

#: Rows with problems listed in the message above the problem table.
PROBLEM_ROWS_LISTED = 5

#: Columns of the scale quality table that hold figures (0-1, shown to 2 decimals).
SCALE_FIGURES = ("Alpha", "Omega total", "r_wg(j)", "ICC(2)")

#: Column names of the survey page's division table, in words.
DIVISION_TABLE_COLUMNS = {
    "division": "Division",
    "respondents": "Respondents",
    "overall": "Overall (0-100)",
    "stage": "Stage",
    "agreement": "Agreement (r_wg)",
    "low agreement": "Low agreement",
}


def division_table(divisions: Mapping[str, GroupScores], limit: int = 200) -> pd.DataFrame:
    """Per-division results as the survey page shows them: column names in words, scores as
    whole numbers (0-100), agreement (r_wg, 0-1) to 2 decimals, low agreement as "yes"."""
    frame = division_frame(divisions, limit)
    if frame.empty:
        return pd.DataFrame(columns=list(DIVISION_TABLE_COLUMNS.values()))
    scores = [c for c in frame.columns if c not in DIVISION_TABLE_COLUMNS]
    for column in ["overall", *scores]:
        frame[column] = pd.to_numeric(frame[column], errors="coerce").round().astype("Int64")
    frame["agreement"] = pd.to_numeric(frame["agreement"], errors="coerce").round(2)
    frame["low agreement"] = frame["low agreement"].map({True: "yes", False: ""})
    ordered = ["division", "respondents", "overall", *scores, "stage", "agreement"]
    frame = frame[[*ordered, "low agreement"]]
    return frame.rename(columns={c: DIVISION_TABLE_COLUMNS.get(c, c) for c in frame.columns})


def low_agreement_warning(table: pd.DataFrame) -> str | None:
    """The warning under a :func:`division_table` with groups of low agreement (None without)."""
    low = int((table["Low agreement"] == "yes").sum())
    if not low:
        return None
    return (
        f"{low} {'division has' if low == 1 else 'divisions have'} low agreement (r_wg below "
        "0.70): their scores average over people who see things differently. Look at the "
        "spread before acting."
    )


def column_note_text(summary: SurveySummary) -> str | None:
    """The columns the survey ignored, named, as Markdown with their names escaped (user
    text); None when every column was used."""
    return escape_markdown(summary.column_note) if summary.column_note else None


def problems_text(summary: SurveySummary) -> str:
    """How many rows have problems and are left out of the scores, and the first
    :data:`PROBLEM_ROWS_LISTED` of them (Markdown; cells and field names escaped)."""
    first = [
        f"- {escape_markdown(f'row {r.row}, {r.field}: {r.problem}')}"
        for r in summary.problem_table.head(PROBLEM_ROWS_LISTED).itertuples(index=False)
    ]
    verb = "has a problem and is" if summary.bad_rows == 1 else "have problems and are"
    problems = "problem" if summary.problems_total == 1 else "problems"
    return (
        f"{summary.bad_rows:,} of {summary.rows:,} rows {verb} left out of the scores "
        f"({summary.problems_total:,} {problems}).\n\n" + "\n".join(first)
    )


def evidence_text(evidence: SurveyEvidence) -> tuple[str, str, str]:
    """The scales' quality and whether division means differ reliably, one Markdown list each,
    and what the figures are (the core's sentences, shown literally)."""
    return (
        markdown_lines(evidence.quality_sentences),
        markdown_lines(evidence.comparison_sentences),
        escape_markdown(evidence.method_text),
    )


def scale_quality_table(evidence: SurveyEvidence) -> pd.DataFrame | None:
    """Scale quality per dimension, for everyone and each group shown (small divisions merged),
    as the page shows it; None when no scale has enough respondents to tell anything."""
    if all(d.reliability is None for d in evidence.dimensions):
        return None
    return pd.DataFrame(evidence.table_rows(), columns=list(TABLE_COLUMNS))


def scale_charts(evidence: SurveyEvidence) -> list[alt.Chart]:
    """One item-rest chart per dimension with enough respondents, in questionnaire order."""
    return item_rest_charts(pd.DataFrame(evidence.item_rows()))


def survey_report(
    summary: SurveySummary, evidence: SurveyEvidence | None = None
) -> Callable[[], str]:
    """The survey's HTML report for a download button: made when it is clicked, not on every
    run of the page."""
    return lambda: render_survey_report(summary, evidence=evidence)
