"""What the Compare page shows: assessments and divisions side by side, and their differences."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd

from readiness.charts import comparison_chart
from readiness.evidence.survey_evidence import SurveyEvidence
from readiness.safe_output import escape_markdown, markdown_lines
from readiness.scoring import Scores
from readiness.survey import SurveySummary

if TYPE_CHECKING:
    from readiness.store import AssessmentSummary

__all__ = [
    "CURRENT_ANSWERS",
    "MAX_SAVED",
    "MAX_SURVEY_GROUPS",
    "Scores",
    "comparison_chart",
    "comparison_frame",
    "differences_frame",
    "reliability_text",
    "saved_choices",
    "session_candidates",
    "survey_candidates",
    "survey_of",
]

#: Survey groups offered at most (the largest first).
MAX_SURVEY_GROUPS = 50
#: Saved assessments offered at most (the newest first).
MAX_SAVED = 200
CURRENT_ANSWERS = "Current answers (not saved)"


def survey_candidates(summary: SurveySummary) -> dict[str, Scores]:
    """The survey's groups as Compare offers them, labelled with their size: the groups the
    survey page shows (small divisions merged), largest first."""
    ordered = sorted(summary.divisions.values(), key=lambda g: (-g.respondents, g.name))
    return {
        f"Survey: {g.name} ({g.respondents:,} respondents)": g.scores
        for g in ordered[:MAX_SURVEY_GROUPS]
    }


def survey_of(kept: object) -> SurveySummary | None:
    """The survey the survey page kept for this session, if it kept one."""
    return kept if isinstance(kept, SurveySummary) else None


def reliability_text(kept: object, survey: SurveySummary | None) -> str | None:
    """Whether the survey's division means are reliable enough to compare, per dimension, as
    Markdown (the core's sentences, shown literally); None without the evidence of the survey
    this session kept."""
    if survey is None or not isinstance(kept, SurveyEvidence) or kept.name != survey.name:
        return None
    return (
        f"**Are the division means of {escape_markdown(kept.name)} reliable enough to "
        "compare?**\n\n" + markdown_lines(kept.comparison_sentences)
    )


def session_candidates(current: Scores | None, survey: SurveySummary | None) -> dict[str, Scores]:
    """What this session offers besides saved assessments: the scores of its current answers
    (if any) and the groups of its uploaded survey (if any)."""
    candidates = {CURRENT_ANSWERS: current} if current is not None else {}
    if survey is not None:
        candidates.update(survey_candidates(survey))
    return candidates


def saved_choices(summaries: Sequence[AssessmentSummary]) -> dict[str, int]:
    """Saved assessments by their label ("#3 Acme / Sales, 2026-11-30", user text: shown as a
    widget option), the newest :data:`MAX_SAVED`."""
    choices = {}
    for s in summaries[:MAX_SAVED]:
        where = " / ".join(filter(None, [s.organization, s.division]))
        choices[f"#{s.id} {where}, {s.assessed_on:%Y-%m-%d}"] = s.id
    return choices


def comparison_frame(named_scores: Sequence[tuple[str, Scores]]) -> pd.DataFrame:
    """Long frame ``assessment``, ``dimension``, ``score`` (overall included) for comparisons."""
    rows: list[dict[str, Any]] = []
    for name, scores in named_scores:
        rows.extend(
            {"assessment": name, "dimension": d.name, "score": d.score} for d in scores.dimensions
        )
        rows.append({"assessment": name, "dimension": "Overall", "score": scores.overall})
    return pd.DataFrame(rows, columns=["assessment", "dimension", "score"])


def differences_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Wide table: one row per dimension, one column per assessment, and the spread."""
    if frame.empty:
        return pd.DataFrame()
    wide = frame.pivot_table(
        index="dimension", columns="assessment", values="score", sort=False, dropna=False
    )
    wide["spread (max - min)"] = wide.max(axis=1) - wide.min(axis=1)
    return wide.round(1)
