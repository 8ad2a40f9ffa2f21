"""What the Compare page shows: assessments and divisions side by side, and their differences."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from readiness.scoring import Scores
from readiness.survey import SurveySummary

#: Survey groups offered at most (the largest first).
MAX_SURVEY_GROUPS = 50


def survey_candidates(summary: SurveySummary) -> dict[str, Scores]:
    """The survey's groups as Compare offers them, labelled with their size: the groups the
    survey page shows (small divisions merged), largest first."""
    ordered = sorted(summary.divisions.values(), key=lambda g: (-g.respondents, g.name))
    return {
        f"Survey: {g.name} ({g.respondents:,} respondents)": g.scores
        for g in ordered[:MAX_SURVEY_GROUPS]
    }


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
