"""What the Results page shows beside the scores themselves: the dimension chart with its stage
bands, the published market figures for comparison, the organization's self-reported active
share, the trend of its saved assessments, and whether the divisions of a survey uploaded in
this session can be ranked."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from readiness.benchmarks import (
    COMPARABILITY_NOTE,
    benchmarks_frame,
    benchmarks_table,
    load_benchmarks,
)
from readiness.charts import benchmark_chart, dimension_chart, trend_chart
from readiness.editing import saved_line
from readiness.evidence.survey_evidence import SurveyEvidence
from readiness.plan.effect import PLAN_SHARE, PlanEffect
from readiness.rules import format_answer
from readiness.safe_output import escape_markdown, markdown_lines
from readiness.scoring import index_text
from readiness.story import lever_sentence, month_year, organization_answer

if TYPE_CHECKING:
    import altair as alt
    import pandas as pd

    from readiness.assessment import JsonAnswer
    from readiness.questionnaire import Questionnaire

__all__ = [
    "ACTIVE_SHARE_ITEM",
    "COMPARABILITY_NOTE",
    "active_share_text",
    "dimension_chart",
    "index_text",
    "lever_sentence",
    "market_figures",
    "organization_answer",
    "plan_outlook",
    "saved_line",
    "score_trend",
    "survey_reliability_text",
]

#: The questionnaire item that asks for the share of staff active monthly (percent 0-100).
ACTIVE_SHARE_ITEM = "gr_active_share"


def market_figures(sector: str | None) -> tuple[alt.Chart, pd.DataFrame]:
    """The published market-level figures (those of ``sector`` where they differ by sector):
    the chart and the table beside it (year, definition, figure, sample, source)."""
    figures = benchmarks_frame(load_benchmarks(), sector)
    return benchmark_chart(figures), benchmarks_table(figures)


def active_share_text(questionnaire: Questionnaire, answers: Mapping[str, JsonAnswer]) -> str:
    """The self-reported share of staff active monthly as people read it ("10%", or "not
    answered"): the organization level, not comparable to the market's shares."""
    active = answers.get(ACTIVE_SHARE_ITEM)
    value = float(active) if isinstance(active, int | float) else None
    return format_answer(questionnaire, ACTIVE_SHARE_ITEM, value)


def score_trend(history: pd.DataFrame, names: Mapping[str, str]) -> alt.Chart | None:
    """The scores (0-100) of the organization's saved assessments over time, once they span two
    dates or more (None before: one date is no trend). ``history`` as ``Store.history``."""
    if history["assessed_on"].nunique() < 2:
        return None
    return trend_chart(history, dict(names))


def survey_reliability_text(kept: object) -> str | None:
    """Whether the division means of the survey uploaded in this session are reliable enough to
    rank, per dimension, as Markdown (the core's sentences, shown literally); None without
    one."""
    if not isinstance(kept, SurveyEvidence):
        return None
    return (
        f"From the survey uploaded in this session ({escape_markdown(kept.name)}):\n\n"
        + markdown_lines(kept.comparison_sentences)
    )


#: What Results says when the assessment has no plan (or a plan of no actions).
NO_PLAN = (
    "No plan yet: on the Plan page, add dated actions (a champions network, training, ...) to "
    "see how much earlier they bring your organization to 50%."
)


def plan_outlook(effect: PlanEffect | None) -> tuple[str, str | None]:
    """The plan's projected effect under the projection's sentence: its sentence (the one the
    Plan page, Growth scenarios and the report show) and when 50% is reached without and with
    it; without a plan, the line inviting to make one (and no caption)."""
    if effect is None:
        return NO_PLAN, None
    without, with_plan = (month_year(row.reached.get(PLAN_SHARE)) for row in effect.rows)
    share = f"{PLAN_SHARE:.0%}"
    return effect.sentence, f"{share} without the plan: {without}; with the plan: {with_plan}."
