"""Respondent surveys as CSV: reading (with clear errors), the template, the data dictionary,
and the scored summary of an upload (:class:`SurveySummary`).

Files may come straight from a survey tool: columns are matched by item id or question text,
metadata columns (ID, Start time, Timestamp, ResponseId, ...) and unknown columns are ignored and
named in ``table.columns``, and a Qualtrics export's three header rows (ids, question text,
ImportId JSON) are recognised. Only empty cells are missing values: ``NA``, ``None`` or ``null``
are text like any other (a division called "NA" is North America).
"""

from __future__ import annotations

import csv
import io
import re
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from readiness import groups
from readiness.answers import (
    CHECKLIST_SEPARATORS,
    DIVISION_COLUMN,
    RespondentTable,
    column_role,
    match_columns,
    read_respondents,
)
from readiness.data_dictionary import EXAMPLE_DIVISION, example_answer
from readiness.errors import InputError
from readiness.groups import rule_text
from readiness.questionnaire import Questionnaire
from readiness.rules import RuleBook
from readiness.safe_output import write_csv
from readiness.scoring import GroupScores, score_respondents
from readiness.settings import DEFAULT_MIN_GROUP_SIZE
from readiness.textfiles import decode_text, read_text_file

#: A Qualtrics export's third header row holds one ``{"ImportId":"..."}`` per column.
QUALTRICS_IMPORT_ID = '{"importid"'


def template_header(questionnaire: Questionnaire) -> list[str]:
    """The columns of a respondents CSV: ``division`` then every item id."""
    return [DIVISION_COLUMN, *questionnaire.item_ids]


def template_csv(questionnaire: Questionnaire) -> str:
    """A respondents CSV to fill in: the header, then one example row (division
    :data:`EXAMPLE_DIVISION`) showing a valid answer in every column. The data dictionary
    (:func:`readiness.data_dictionary.dictionary_csv`) says what each column may hold."""
    example = [EXAMPLE_DIVISION, *(example_answer(item) for item in questionnaire.items)]
    return write_csv([template_header(questionnaire), example])


def decode_csv_bytes(data: bytes, name: str) -> str:
    """UTF-8 text of an uploaded file (a BOM is allowed), or an :class:`InputError`."""
    return decode_text(data, name)


def _header_rows(text: str) -> tuple[list[list[str]], list[int]]:
    """The first three records of ``text`` (a quoted header may span lines) and the character
    offset after each, as (records, offsets)."""
    buffer = io.StringIO(text)
    reader = csv.reader(buffer, skipinitialspace=True)
    records: list[list[str]] = []
    offsets: list[int] = []
    try:
        for record in reader:
            records.append(record)
            offsets.append(buffer.tell())
            if len(records) == 3:
                break
    except csv.Error as error:
        raise InputError(f"not a well-formed CSV header ({error})") from None
    return records, offsets


def _choose_headers(
    questionnaire: Questionnaire, records: list[list[str]]
) -> tuple[list[str], int]:
    """The header of each column and how many header rows the file has.

    A Qualtrics export has three: question ids, question text, then ImportId JSON. Each column
    takes whichever of the first two rows names an item (or the division), else the id."""
    third = records[2] if len(records) > 2 else []
    if any(cell.strip().casefold().startswith(QUALTRICS_IMPORT_ID) for cell in third):
        ids, texts = records[0], records[1]
        headers = []
        for position, header in enumerate(ids):
            text = texts[position] if position < len(texts) else ""
            named = column_role(questionnaire, header) or not column_role(questionnaire, text)
            headers.append(header if named else text)
        return headers, 3
    return records[0], 1


def parse_respondents_csv(questionnaire: Questionnaire, text: str, name: str) -> RespondentTable:
    """Parse and validate CSV text: one respondent per row, one column per question.

    A column is a question's when its header is the item id or the question text (case and
    spaces ignored); answers may be option ids or labels, likert numbers or labels. Checklist
    cells list options separated by ``;`` (or ``|`` or ``,``); ``none`` means answered with
    nothing ticked. Only empty cells are unanswered.
    """
    if not text.strip():
        raise InputError(f"{name}: the file is empty")
    try:
        records, offsets = _header_rows(text)
    except InputError as error:
        raise InputError(f"{name}: {error.problems[0]}") from None
    if not records:
        raise InputError(f"{name}: the file is empty")
    headers, header_rows = _choose_headers(questionnaire, records)
    headers = [h.strip() for h in headers]
    plan = match_columns(questionnaire, headers, name)
    if not plan.items and not plan.option_columns:
        raise InputError(
            f"{name}: no column is a question of the questionnaire (by item id or question "
            f"text); expected a header like '{','.join(template_header(questionnaire))[:60]}...'"
        )
    body = text[offsets[header_rows - 1] :]
    if not body.strip():
        raise InputError(f"{name}: a header but no respondent rows")
    dtype = {} if plan.division is None else {plan.division: str}
    try:
        with warnings.catch_warnings():
            # rows longer than the header would silently lose cells: make that an error
            warnings.simplefilter("error", pd.errors.ParserWarning)
            frame = pd.read_csv(
                io.StringIO(body),
                header=None,
                names=list(range(len(headers))),
                skipinitialspace=True,
                dtype=dtype,
                index_col=False,
                keep_default_na=False,  # only empty cells are missing: "NA" is a division
                na_values=[""],
                skip_blank_lines=False,  # keep row numbers equal to spreadsheet rows
            )
    except pd.errors.EmptyDataError:
        raise InputError(f"{name}: a header but no respondent rows") from None
    except pd.errors.ParserWarning:
        raise InputError(
            f"{name}: not a well-formed CSV file (rows have more fields than the header)"
        ) from None
    except pd.errors.ParserError as error:
        detail = _parser_detail(error, header_rows)
        raise InputError(f"{name}: not a well-formed CSV file ({detail})") from None
    frame = frame.dropna(how="all")  # blank lines; the index keeps each row's position
    if frame.empty:
        raise InputError(f"{name}: a header but no respondent rows")
    frame.columns = headers
    return read_respondents(questionnaire, frame, name, first_row=header_rows + 1)


def _parser_detail(error: Exception, header_rows: int = 1) -> str:
    """pandas' tokenizer message in the file's own terms (rows numbered as in the file)."""
    text = str(error).strip().splitlines()[-1]
    match = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", text)
    if match:
        expected, line, seen = match.groups()
        return f"row {int(line) + header_rows} has {seen} fields, the header has {expected}"
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
    "template_header",
]


#: Problem rows kept for display: enough to act on, small enough to send to a browser.
MAX_PROBLEM_ROWS_SHOWN = 1000


@dataclass(frozen=True)
class SurveySummary:
    """What the survey page keeps of an upload: small results, not the 100k-row frames.

    ``divisions`` are the groups shown (:mod:`readiness.groups`): divisions of at least
    ``min_group_size`` respondents and "other divisions"; ``overall`` is everyone's."""

    name: str
    rows: int
    bad_rows: int
    problems_total: int
    problem_table: pd.DataFrame  # row, field, problem (at most MAX_PROBLEM_ROWS_SHOWN rows)
    overall: GroupScores | None
    divisions: dict[str, GroupScores]
    overall_scores: npt.NDArray[np.float64]  # per respondent, 0-100, for the histogram
    column_note: str | None = None  # the ignored columns, named (user text: show escaped)
    min_group_size: int = DEFAULT_MIN_GROUP_SIZE
    group_note: str | None = None  # what was merged here, in words (no division named)

    @property
    def group_text(self) -> str:
        """Why small divisions are merged and, when any are, what was merged here (in words;
        no division is named)."""
        return " ".join(filter(None, [rule_text(self.min_group_size), self.group_note]))


def summarize_survey(
    questionnaire: Questionnaire,
    rulebook: RuleBook,
    table: RespondentTable,
    name: str,
    min_group_size: int | None = None,
) -> SurveySummary:
    """Score the valid rows of ``table`` and keep what the page shows; divisions under
    ``min_group_size`` respondents (default: the setting) are merged."""
    minimum = groups.min_group_size() if min_group_size is None else min_group_size
    good = table.without_bad_rows()
    batch = (
        score_respondents(questionnaire, rulebook, good, min_group_size=minimum)
        if len(good)
        else None
    )
    return SurveySummary(
        column_note=table.columns.note(),
        name=name,
        rows=len(table),
        bad_rows=int(table.bad_rows.sum()),
        problems_total=len(table.problem_table),
        problem_table=table.problem_table.head(MAX_PROBLEM_ROWS_SHOWN).reset_index(drop=True),
        overall=batch.overall if batch else None,
        divisions=batch.divisions if batch else {},
        overall_scores=(
            batch.respondents["overall"].to_numpy(dtype=float) if batch else np.empty(0)
        ),
        min_group_size=minimum,
        group_note=batch.groups.note() if batch else None,
    )


def division_frame(divisions: Mapping[str, GroupScores], limit: int = 200) -> pd.DataFrame:
    """One row per group shown (largest first, at most ``limit``): size, scores (0-100),
    agreement (r_wg, 0-1). ``divisions`` are already merged (:class:`SurveySummary`)."""
    rows = []
    for group in divisions.values():
        row: dict[str, Any] = {
            "division": group.name,
            "respondents": group.respondents,
            "overall": group.scores.overall,
            "stage": group.scores.stage.name if group.scores.stage else None,
        }
        row.update({d.name: d.score for d in group.scores.dimensions})
        row["agreement"] = group.agreement
        row["low agreement"] = group.low_agreement
        rows.append(row)
    frame = pd.DataFrame(rows)
    if frame.empty:
        return frame
    return frame.sort_values("respondents", ascending=False).head(limit).reset_index(drop=True)
