"""What the survey upload page shows (readiness.views.survey)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from readiness.survey import SurveySummary
from readiness.views.survey import PROBLEM_ROWS_LISTED, column_note_text, problems_text


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
