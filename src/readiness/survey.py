"""Respondent surveys as CSV: reading (with clear errors) and the template to fill in."""

from __future__ import annotations

import csv
import io
import re
import warnings
from pathlib import Path

import pandas as pd

from readiness.answers import (
    CHECKLIST_SEPARATORS,
    DIVISION_COLUMN,
    RespondentTable,
    read_respondents,
)
from readiness.errors import InputError
from readiness.questionnaire import Questionnaire
from readiness.textfiles import decode_text, read_text_file


def template_csv(questionnaire: Questionnaire) -> str:
    """The header of a respondents CSV: ``division`` then every item id."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow([DIVISION_COLUMN, *questionnaire.item_ids])
    return buffer.getvalue()


def decode_csv_bytes(data: bytes, name: str) -> str:
    """UTF-8 text of an uploaded file (a BOM is allowed), or an :class:`InputError`."""
    return decode_text(data, name)


def parse_respondents_csv(questionnaire: Questionnaire, text: str, name: str) -> RespondentTable:
    """Parse and validate CSV text: one respondent per row, item ids as columns.

    Checklist cells list option ids separated by ``;`` (or ``|`` or ``,`` inside quotes);
    ``none`` means answered with nothing ticked. Empty cells are unanswered.
    """
    try:
        with warnings.catch_warnings():
            # rows longer than the header would silently lose cells: make that an error
            warnings.simplefilter("error", pd.errors.ParserWarning)
            frame = pd.read_csv(
                io.StringIO(text),
                skipinitialspace=True,
                dtype={DIVISION_COLUMN: str},
                index_col=False,
                skip_blank_lines=False,  # keep row numbers equal to spreadsheet rows
            )
    except pd.errors.EmptyDataError:
        raise InputError(f"{name}: the file is empty") from None
    except pd.errors.ParserWarning:
        raise InputError(
            f"{name}: not a well-formed CSV file (rows have more fields than the header)"
        ) from None
    except pd.errors.ParserError as error:
        raise InputError(f"{name}: not a well-formed CSV file ({_parser_detail(error)})") from None
    frame = frame.dropna(how="all")  # blank lines; the index keeps each row's position
    frame.columns = [str(c).strip() for c in frame.columns]
    if not set(frame.columns) & set(questionnaire.item_ids):
        raise InputError(
            f"{name}: no item id in the header; expected a header like "
            f"'{template_csv(questionnaire).strip()[:60]}...'"
        )
    if frame.empty:
        raise InputError(f"{name}: a header but no respondent rows")
    return read_respondents(questionnaire, frame, name)


def _parser_detail(error: Exception) -> str:
    """pandas' tokenizer message in the file's own terms (rows numbered as lines)."""
    text = str(error).strip().splitlines()[-1]
    match = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", text)
    if match:
        expected, line, seen = match.groups()
        return f"row {line} has {seen} fields, the header has {expected}"
    return text.removeprefix("Error tokenizing data. ").removeprefix("C error: ")


def read_respondents_csv(questionnaire: Questionnaire, data: bytes, name: str) -> RespondentTable:
    """Validate an uploaded respondents CSV (bytes); see :func:`parse_respondents_csv`."""
    return parse_respondents_csv(questionnaire, decode_csv_bytes(data, name), name)


def read_respondents_file(questionnaire: Questionnaire, path: Path) -> RespondentTable:
    """Validate a respondents CSV file on disk; see :func:`parse_respondents_csv`."""
    return parse_respondents_csv(questionnaire, read_text_file(path), str(path))


__all__ = [
    "CHECKLIST_SEPARATORS",
    "decode_csv_bytes",
    "parse_respondents_csv",
    "read_respondents_csv",
    "read_respondents_file",
    "template_csv",
]
