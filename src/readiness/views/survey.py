"""What the survey upload page shows: the division table in words, rounded for reading."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from readiness.scoring import GroupScores
from readiness.survey import division_frame

__all__ = ["DIVISION_TABLE_COLUMNS", "division_frame", "division_table", "low_agreement_warning"]

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
