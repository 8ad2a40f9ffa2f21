"""Export stored assessments as JSON (re-importable, exactly) or CSV (for spreadsheets).

JSON
    The assessment file format (:mod:`readiness.assessment`), which every command reads: the
    assessment's fields (with its lever mapping choice and its plan, when it has them),
    ``format``/``format_version``, the ``scores`` computed when it was saved (for readers;
    computed again from the answers wherever the file is read) and ``stored`` (id and UTC
    timestamps in the store it came from). Importing it and exporting again gives the same
    document apart from ``stored``.

CSV
    One row per profile field, answer, dimension, and the overall result, with the columns
    ``section, id, name, dimension, answer, weight, score``. Item scores and dimension scores are
    0-100; weights are relative (an item's within its dimension, a dimension's in the overall
    index). Written by :func:`readiness.safe_output.write_csv`: text cells beginning with ``=``,
    ``+``, ``-``, ``@``, a tab, CR or LF (also after spaces or quotes) get a leading ``'`` so a
    spreadsheet shows them as text instead of running them as formulas, and any cell holding CR
    or LF is quoted.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np

from readiness.answers import encode_answers
from readiness.assessment import (
    ASSESSMENT_FORMAT,
    ASSESSMENT_FORMAT_VERSION,
    parse_assessments,
    plan_json,
)
from readiness.errors import InputError
from readiness.questionnaire import Questionnaire
from readiness.safe_output import neutralise_cell, write_csv  # noqa: F401 (re-exported)
from readiness.scoring import compile_plan, item_scores
from readiness.store import StoredAssessment

CSV_COLUMNS = ("section", "id", "name", "dimension", "answer", "weight", "score")


# --- JSON ---------------------------------------------------------------------------------------


def assessment_document(stored: StoredAssessment) -> dict[str, Any]:
    """The JSON export of one stored assessment (see the module docstring)."""
    assessment = stored.assessment
    profile = assessment.profile
    return {
        "format": ASSESSMENT_FORMAT,
        "format_version": ASSESSMENT_FORMAT_VERSION,
        "organization": profile.organization,
        "division": profile.division,
        "sector": profile.sector,
        "size": profile.size,
        "assessed_on": assessment.assessed_on.isoformat(),
        "questionnaire_version": assessment.questionnaire_version,
        "answers": dict(assessment.answers),
        **(
            {}
            if assessment.mapping_choice is None
            else {"mapping_choice": assessment.mapping_choice.as_json()}
        ),
        **({} if assessment.plan is None else {"plan": plan_json(assessment.plan)}),
        "scores": stored.scores_json,
        "stored": {
            "id": stored.id,
            "created_at": stored.created_at.isoformat(),
            "updated_at": stored.updated_at.isoformat(),
        },
    }


def export_json(stored: StoredAssessment) -> str:
    """The JSON export as text (UTF-8, indented, ending with a newline)."""
    return json.dumps(assessment_document(stored), ensure_ascii=False, indent=2) + "\n"


#: The import commands' name for reading an assessment file (one format: see
#: :mod:`readiness.assessment`).
parse_import = parse_assessments


# --- CSV ----------------------------------------------------------------------------------------


def _answer_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return ";".join(str(v) for v in value)
    return str(value)


def _score(value: float | None) -> float | str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    return round(float(value), 2)


def _item_scores(questionnaire: Questionnaire, answers: dict[str, Any]) -> list[float | None]:
    """Item scores 0-100 in questionnaire order (None unanswered, or answers that do not fit)."""
    try:
        raw = encode_answers(questionnaire, answers)
    except InputError:
        return [None] * len(questionnaire.items)
    row = item_scores(compile_plan(questionnaire), raw)[0] * 100
    return [None if np.isnan(v) else float(v) for v in row]


def csv_rows(stored: StoredAssessment, questionnaire: Questionnaire) -> list[list[object]]:
    """The CSV export's rows (header first), not yet neutralised."""
    assessment, scores = stored.assessment, stored.scores
    profile = assessment.profile
    rows: list[list[object]] = [list(CSV_COLUMNS)]
    for field, name, value in (
        ("organization", "Organization", profile.organization),
        ("division", "Division", profile.division),
        ("sector", "Sector", profile.sector),
        ("size", "Size", profile.size),
        ("assessed_on", "Assessed on", assessment.assessed_on.isoformat()),
        ("questionnaire_version", "Questionnaire version", assessment.questionnaire_version),
    ):
        rows.append(["profile", field, name, "", _answer_text(value), "", ""])
    item_score_values = _item_scores(questionnaire, dict(assessment.answers))
    known = set()
    for item, item_score in zip(questionnaire.items, item_score_values, strict=True):
        known.add(item.id)
        rows.append(
            [
                "answer",
                item.id,
                item.label,
                item.dimension or "",
                _answer_text(assessment.answers.get(item.id)),
                item.weight,
                _score(item_score) if item.scored else "",
            ]
        )
    for item_id, answer in assessment.answers.items():
        if item_id not in known:  # answers to items a newer questionnaire dropped: keep them
            rows.append(["answer", item_id, "", "", _answer_text(answer), "", ""])
    for dimension in scores.dimensions:
        rows.append(
            [
                "dimension",
                dimension.id,
                dimension.name,
                dimension.id,
                "",
                dimension.weight,
                _score(dimension.score),
            ]
        )
    rows.append(["overall", "overall", "Overall index", "", "", "", _score(scores.overall)])
    if scores.stage is not None:
        rows.append(["stage", str(scores.stage.level), scores.stage.name, "", "", "", ""])
    if scores.weakest is not None:
        rows.append(["weakest", scores.weakest, "Weakest link", scores.weakest, "", "", ""])
    return rows


def export_csv(stored: StoredAssessment, questionnaire: Questionnaire) -> str:
    """The CSV export of one stored assessment (see the module docstring)."""
    return write_csv(csv_rows(stored, questionnaire))
