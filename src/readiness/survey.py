"""Respondent surveys: matching a survey export's headers to the questionnaire, reading CSV
files (with clear errors), the template, and the scored summary of an upload
(:class:`SurveySummary`). Encoding the answers themselves is :mod:`readiness.answers`'.

Files may come straight from a survey tool: columns are matched by item id or question text
(:func:`match_columns`), metadata columns (ID, Start time, Timestamp, ResponseId, ...) and
unknown columns are ignored and named in ``table.columns``, and a Qualtrics export's three
header rows (ids, question text, ImportId JSON) are recognised. Only empty cells are missing
values: ``NA``, ``None`` or ``null`` are text like any other (a division called "NA" is North
America).
"""

from __future__ import annotations

import csv
import io
import re
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from readiness import groups
from readiness.answers import (
    CHECKLIST_SEPARATORS,
    DIVISION_COLUMN,
    RESPONDENT_COLUMN,
    RespondentTable,
    SurveyColumns,
    encode_respondents,
    normal_text,
    option_codes,
    quoted,
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

# --- matching a header to the questionnaire ---------------------------------------------------

#: Headers (case ignored) read as the division column, in order of preference.
DIVISION_HEADERS = ("division", "department")
#: Columns survey tools add to every export (compared case-insensitively, letters and digits
#: only): Microsoft Forms, Google Forms, LimeSurvey (codes and full headings) and Qualtrics
#: (row 1 ids and row 2 texts). They are ignored and named in a note.
SURVEY_TOOL_COLUMNS = frozenset(
    "".join(ch for ch in name.casefold() if ch.isalnum())
    for name in (
        # Microsoft Forms
        "ID", "Start time", "Completion time", "Email", "Name", "Last modified time",
        "Total points", "Quiz feedback",
        # Google Forms
        "Timestamp", "Email address", "Score",
        # LimeSurvey
        "Response ID", "submitdate", "Date submitted", "lastpage", "Last page",
        "startlanguage", "Start language", "seed", "startdate", "Date started", "datestamp",
        "Date last action", "ipaddr", "IP address", "refurl", "Referrer URL", "token",
        # Qualtrics
        "StartDate", "EndDate", "Status", "Response Type", "IPAddress", "Progress",
        "Duration (in seconds)", "Finished", "RecordedDate", "Recorded Date", "ResponseId",
        "RecipientLastName", "Recipient Last Name", "RecipientFirstName",
        "Recipient First Name", "RecipientEmail", "Recipient Email", "ExternalReference",
        "External Data Reference", "ExternalDataReference", "LocationLatitude",
        "Location Latitude", "LocationLongitude", "Location Longitude", "DistributionChannel",
        "Distribution Channel", "UserLanguage", "User Language",
        # this project's own
        RESPONDENT_COLUMN, "Respondent ID",
    )
)  # fmt: skip


def _alnum(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


@cache
def header_lookup(questionnaire: Questionnaire) -> dict[str, str]:
    """Item id by every header that names it: the id, the id without underscores (LimeSurvey
    codes allow letters and digits only), the label and the question text (as
    :func:`~readiness.answers.normal_text`, a final '.', '?' or ':' ignored). Keys shared by
    two items are left out rather than guessed."""
    seen: dict[str, set[str]] = {}
    for item in questionnaire.items:
        for key in (item.id, _alnum(item.id), _header_key(item.label), _header_key(item.text)):
            seen.setdefault(key, set()).add(item.id)
    return {key: next(iter(ids)) for key, ids in seen.items() if len(ids) == 1}


def _header_key(header: str) -> str:
    return normal_text(header).rstrip(".?:").rstrip()


def column_role(questionnaire: Questionnaire, header: str) -> str | None:
    """The item id a header names, :data:`DIVISION_COLUMN`, :data:`RESPONDENT_COLUMN` or
    None for a column that is not read. A Qualtrics matrix heading "Question - Statement" is
    matched by its statement."""
    key = _header_key(header)
    if key in DIVISION_HEADERS:
        return DIVISION_COLUMN
    lookup = header_lookup(questionnaire)
    found = lookup.get(key) or lookup.get(_alnum(header)) if key else None
    if found is None and " - " in key:
        found = lookup.get(_header_key(key.rsplit(" - ", 1)[1]))
    return found


def match_columns(
    questionnaire: Questionnaire, headers: Sequence[str], source: str = "respondents"
) -> SurveyColumns:
    """Decide what each column holds; :class:`InputError` when two columns hold the same item
    or division (also after trimming spaces and matching question text to ids)."""
    items: dict[str, int] = {}
    option_columns: dict[str, dict[int, int]] = {}
    divisions: list[int] = []
    tools: list[str] = []
    unknown: list[str] = []
    problems: list[str] = []
    for position, raw in enumerate(headers):
        header = str(raw).strip()
        role = column_role(questionnaire, header)
        shown = repr(header) if header else f"column {position + 1} (no name)"
        if role == DIVISION_COLUMN:
            divisions.append(position)
        elif role is not None and role != RESPONDENT_COLUMN:
            if role in items:
                first = str(headers[items[role]]).strip()
                problems.append(
                    f"{source}: columns {items[role] + 1} ({quoted(first)}) and "
                    f"{position + 1} ({quoted(header)}) both hold item {role}; keep one"
                )
            else:
                items[role] = position
        elif role == RESPONDENT_COLUMN or _alnum(header) in SURVEY_TOOL_COLUMNS:
            tools.append(quoted(header))
        elif (part := option_column(questionnaire, header)) is not None:
            item_id, option = part
            options = option_columns.setdefault(item_id, {})
            if option in options.values():
                problems.append(
                    f"{source}: two columns ({quoted(header)}) hold option "
                    f"{questionnaire.item(item_id).options[option].id} of item {item_id}; keep one"
                )
            options[position] = option
        else:
            unknown.append(quoted(header) if header else shown)
    division = None
    if divisions:
        by_preference = sorted(
            divisions, key=lambda k: DIVISION_HEADERS.index(_header_key(str(headers[k])))
        )
        division = by_preference[0]
        named = [_header_key(str(headers[k])) for k in divisions]
        if len(set(named)) < len(named):
            problems.append(
                f"{source}: {len(divisions)} division columns "
                f"({', '.join(str(k + 1) for k in divisions)}); keep one"
            )
        unknown.extend(quoted(str(headers[k]).strip()) for k in by_preference[1:])
    problems.extend(
        f"{source}: item {item_id} is given both as one column and as one column per option; "
        "keep one"
        for item_id in option_columns
        if item_id in items
    )
    if problems:
        raise InputError(problems)
    return SurveyColumns(items, division, tuple(tools), tuple(unknown), option_columns)


_OPTION_HEADER = re.compile(r"^(?P<question>.*\S)\s*\[(?P<option>[^\[\]]+)\]$")


def option_column(questionnaire: Questionnaire, header: str) -> tuple[str, int] | None:
    """(checklist item id, option index) for a LimeSurvey multiple-choice column header
    ``code[option]`` or ``Question text [Option label]``; None for any other header."""
    match = _OPTION_HEADER.match(header.strip())
    if match is None:
        return None
    item_id = column_role(questionnaire, match["question"])
    if item_id is None or item_id in (DIVISION_COLUMN, RESPONDENT_COLUMN):
        return None
    item = questionnaire.item(item_id)
    if item.kind != "checklist":
        return None
    option = option_codes(item).get(normal_text(match["option"]))
    return None if option is None else (item_id, option)


def read_respondents(
    questionnaire: Questionnaire,
    frame: pd.DataFrame,
    source: str = "respondents",
    first_row: int = 2,
) -> RespondentTable:
    """Validate a respondents table (one row each, headers as columns) without a per-row loop.

    Columns are matched by item id or question text (see :func:`match_columns`); a division
    column may be called "division" or "department"; other columns are ignored and named in
    ``table.columns``. ``first_row`` is the spreadsheet row of the frame's index 0 (2 below a
    one-row header); see :func:`readiness.answers.encode_respondents`.
    """
    plan = match_columns(questionnaire, [str(c) for c in frame.columns], source)
    return encode_respondents(questionnaire, frame, plan, source, first_row)


# --- respondents CSV files: the template and reading ----------------------------------------

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
    return encode_respondents(questionnaire, frame, plan, name, first_row=header_rows + 1)


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
    "SurveyColumns",
    "column_role",
    "decode_csv_bytes",
    "match_columns",
    "parse_respondents_csv",
    "read_respondents",
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
