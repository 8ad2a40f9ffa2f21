"""The data dictionary of a respondents file: one row per column, as REDCap and LimeSurvey users
expect beside a template (the column's id, question text, kind, valid values, unit, dimension).

Written from the questionnaire, so a new question appears here without a code change.
"""

from __future__ import annotations

from readiness.answers import CHECKLIST_NONE, DIVISION_COLUMN
from readiness.questionnaire import Item, Questionnaire
from readiness.safe_output import write_csv

#: The dictionary's columns, in order.
DICTIONARY_COLUMNS = (
    "item id",
    "label",
    "question text",
    "kind",
    "valid values",
    "unit",
    "dimension",
)
#: The division of the template's example row: clearly not a real division.
EXAMPLE_DIVISION = "Example division (delete this row)"


def _number(value: float) -> str:
    return f"{value:g}"


def valid_values(questionnaire: Questionnaire, item: Item) -> str:
    """What a cell of ``item``'s column may hold, in words."""
    if item.kind == "likert":
        labels = "; ".join(
            f"{point} = {label}" for point, label in enumerate(questionnaire.likert_labels, 1)
        )
        return f"a whole number 1 to 5 or its label ({labels})"
    if item.kind == "number":
        assert item.bounds is not None
        return f"a number from {_number(item.bounds.min)} to {_number(item.bounds.max)}"
    options = "; ".join(f"{option.id} = {option.label}" for option in item.options)
    if item.kind == "choice":
        return f"one option id or label ({options})"
    return (
        f"option ids or labels separated by ';' ({options}); "
        f"'{CHECKLIST_NONE}' when nothing applies"
    )


def dictionary_rows(questionnaire: Questionnaire) -> list[list[str]]:
    """The dictionary as rows of text, header first; the division column, then every item."""
    dimensions = {d.id: d.name for d in questionnaire.dimensions}
    rows = [
        list(DICTIONARY_COLUMNS),
        [
            DIVISION_COLUMN,
            "Division",
            "The respondent's division or department (the column may be called 'division' "
            "or 'department').",
            "text",
            "any text; an empty cell means no division",
            "",
            "",
        ],
    ]
    for item in questionnaire.items:
        rows.append(
            [
                item.id,
                item.label,
                item.text,
                item.kind,
                valid_values(questionnaire, item),
                item.unit or "",
                dimensions[item.dimension] if item.dimension else "context (not scored)",
            ]
        )
    return rows


def dictionary_csv(questionnaire: Questionnaire) -> str:
    """The data dictionary as CSV text (formula-safe)."""
    return write_csv(dictionary_rows(questionnaire))


def example_answer(item: Item) -> str:
    """A valid answer for the template's example row, as typed in a cell."""
    if item.kind == "likert":
        return "4"
    if item.kind == "number":
        assert item.bounds is not None
        assert item.zero is not None
        assert item.full is not None
        middle = (item.zero + item.full) / 2
        return _number(min(max(round(middle), item.bounds.min), item.bounds.max))
    if item.kind == "choice":
        return item.options[0].id
    return ";".join(option.id for option in item.options[:2])
