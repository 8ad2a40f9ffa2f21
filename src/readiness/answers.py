"""Answers to the questionnaire, encoded as numbers so that one respondent or a million are
scored by the same vectorised code.

The *raw matrix* has one row per respondent and one column per questionnaire item, NaN where an
item is unanswered:

- likert: the agreement 1-5;
- number: the value in the item's unit (percent 0-100 for shares);
- choice: the index of the chosen option;
- checklist: the bit mask of ticked options (bit i = option i).
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from readiness.errors import InputError
from readiness.questionnaire import LIKERT_POINTS, Item, Questionnaire
from readiness.rules import AnswerValue

FloatArray = npt.NDArray[np.float64]

#: Cells of a checklist column list option ids separated by one of these.
CHECKLIST_SEPARATORS = (";", "|", ",")
#: A checklist cell meaning "answered, nothing ticked".
CHECKLIST_NONE = "none"
#: Column names a respondents table may have besides item ids.
DIVISION_COLUMN = "division"
RESPONDENT_COLUMN = "respondent"
MAX_LISTED_PROBLEMS = 50
#: Rows checked at a time in a numeric column (small enough to stay in the CPU cache).
CHECK_CHUNK_ROWS = 65_536
#: Threads that encode the columns of a large table side by side.
ENCODING_THREADS = min(4, os.cpu_count() or 1)


def _option_list(item: Item) -> str:
    return ", ".join(o.id for o in item.options)


def check_answer(item: Item, value: Any) -> tuple[float, str | None]:
    """Encode one answer for the raw matrix; returns (code, problem). NaN code when unanswered."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return math.nan, None
    if item.kind in ("likert", "number"):
        if isinstance(value, bool) or not isinstance(value, int | float):
            return math.nan, f"expected a number, got {value!r}"
        number = float(value)
        if not math.isfinite(number):
            return math.nan, f"expected a finite number, got {value!r}"
        if item.kind == "likert":
            if number != int(number) or not 1 <= number <= LIKERT_POINTS:
                return math.nan, f"expected a whole number from 1 to {LIKERT_POINTS}, got {value!r}"
        elif item.bounds is not None and not item.bounds.min <= number <= item.bounds.max:
            return math.nan, (
                f"{value!r} is out of range ({_num(item.bounds.min)} to {_num(item.bounds.max)})"
            )
        return number, None
    ids = [o.id for o in item.options]
    if item.kind == "choice":
        if not isinstance(value, str) or value.strip().lower() not in ids:
            return math.nan, f"{value!r} is not one of {_option_list(item)}"
        return float(ids.index(value.strip().lower())), None
    if isinstance(value, str):
        return _checklist_cell(item, value)
    if not isinstance(value, list | tuple | set | frozenset):
        return math.nan, f"expected a list of option ids ({_option_list(item)}), got {value!r}"
    mask = 0
    for entry in value:
        if not isinstance(entry, str) or entry.strip().lower() not in ids:
            return math.nan, f"{entry!r} is not one of {_option_list(item)}"
        mask |= 1 << ids.index(entry.strip().lower())
    return float(mask), None


def _checklist_cell(item: Item, cell: str) -> tuple[float, str | None]:
    text = cell.strip().lower()
    if not text:
        return math.nan, None
    if text == CHECKLIST_NONE:
        return 0.0, None
    for separator in CHECKLIST_SEPARATORS[1:]:
        text = text.replace(separator, CHECKLIST_SEPARATORS[0])
    entries = [e.strip() for e in text.split(CHECKLIST_SEPARATORS[0]) if e.strip()]
    return check_answer(item, entries)


def _num(value: float) -> str:
    return f"{value:g}"


def encode_answers(
    questionnaire: Questionnaire, answers: Mapping[str, Any], where: str = "answers"
) -> FloatArray:
    """Validate one assessment's answers and encode them as a 1 x items raw matrix.

    Raises :class:`InputError` naming every unknown item id and every bad value.
    """
    problems = [
        f"{where}.{key}: unknown item id" for key in answers if key not in questionnaire.item_ids
    ]
    row = np.full((1, len(questionnaire.items)), np.nan)
    for column, item in enumerate(questionnaire.items):
        code, problem = check_answer(item, answers.get(item.id))
        if problem:
            problems.append(f"{where}.{item.id}: {problem}")
        row[0, column] = code
    if problems:
        raise InputError(problems)
    return row


def decode_row(questionnaire: Questionnaire, row: FloatArray) -> dict[str, AnswerValue]:
    """The answers of one raw row as rule conditions see them (unanswered items left out)."""
    answers: dict[str, AnswerValue] = {}
    for column, item in enumerate(questionnaire.items):
        code = float(row[column])
        if math.isnan(code):
            continue
        if item.kind == "choice":
            answers[item.id] = item.options[int(code)].id
        elif item.kind == "checklist":
            mask = int(code)
            answers[item.id] = frozenset(
                o.id for bit, o in enumerate(item.options) if mask >> bit & 1
            )
        else:
            answers[item.id] = code
    return answers


def answers_to_json(questionnaire: Questionnaire, row: FloatArray) -> dict[str, Any]:
    """One raw row as the JSON answers mapping (every item present, None when unanswered)."""
    decoded = decode_row(questionnaire, row)
    result: dict[str, Any] = {}
    for item in questionnaire.items:
        value = decoded.get(item.id)
        if isinstance(value, frozenset):
            result[item.id] = [o.id for o in item.options if o.id in value]
        elif isinstance(value, float) and item.kind == "likert":
            result[item.id] = int(value)
        else:
            result[item.id] = value
    return result


class RespondentTable:
    """A validated respondents table: the raw matrix, divisions, and the problems found.

    ``problems`` lists at most :data:`MAX_LISTED_PROBLEMS` lines (then a count of the rest);
    ``bad_rows`` marks every row with at least one problem, so callers can score the others.
    Rows are numbered as in a spreadsheet: the header is row 1, the first respondent row 2.
    """

    def __init__(
        self,
        raw: FloatArray,
        division_codes: npt.NDArray[np.intp],
        division_names: list[str],
        bad_rows: npt.NDArray[np.bool_],
        problems: list[str],
        problem_table: pd.DataFrame,
    ) -> None:
        self.raw = raw
        self.division_codes = division_codes
        self.division_names = division_names
        self.bad_rows = bad_rows
        self.problems = problems
        self.problem_table = problem_table

    def __len__(self) -> int:
        return int(self.raw.shape[0])

    @property
    def divisions(self) -> npt.NDArray[np.object_]:
        """The division of each respondent."""
        return np.asarray(self.division_names, dtype=object)[self.division_codes]

    def without_bad_rows(self) -> RespondentTable:
        """The rows without problems, ready to score."""
        keep = ~self.bad_rows
        codes, names = _compact(self.division_codes[keep], self.division_names)
        return RespondentTable(
            np.asfortranarray(self.raw[keep]),
            codes,
            names,
            np.zeros(int(keep.sum()), dtype=bool),
            [],
            self.problem_table.iloc[0:0],
        )


def _compact(
    codes: npt.NDArray[np.intp], names: list[str]
) -> tuple[npt.NDArray[np.intp], list[str]]:
    """Drop names no code refers to, renumbering the codes."""
    used = np.flatnonzero(np.bincount(codes, minlength=len(names)))
    renumber = np.full(len(names), -1, dtype=np.intp)
    renumber[used] = np.arange(len(used))
    return renumber[codes], [names[k] for k in used]


NO_DIVISION = "(no division)"


def read_respondents(
    questionnaire: Questionnaire, frame: pd.DataFrame, source: str = "respondents"
) -> RespondentTable:
    """Validate a respondents table (one row each, item ids as columns) without a per-row loop.

    Numeric columns are checked with array masks; choice and checklist columns are checked once
    per distinct cell value (a column of a million cells has a handful of distinct values).
    """
    n = len(frame)
    raw = np.empty((n, len(questionnaire.items)), order="F")  # every column is written below
    bad = np.zeros(n, dtype=bool)
    issues: list[tuple[npt.NDArray[np.intp], str, list[str]]] = []
    known = set(questionnaire.item_ids) | {DIVISION_COLUMN, RESPONDENT_COLUMN}
    header_problems = [
        f"{source}: column {column!r} is not an item id of the questionnaire"
        for column in frame.columns
        if str(column) not in known
    ]
    present = [(k, item) for k, item in enumerate(questionnaire.items) if item.id in frame.columns]
    for column, item in enumerate(questionnaire.items):
        if item.id not in frame.columns:
            raw[:, column] = np.nan

    def encode(entry: tuple[int, Item]) -> tuple[npt.NDArray[np.intp], list[str]]:
        column, item = entry
        return _encode_column(item, frame[item.id], raw[:, column])

    # Columns are independent and numpy/arrow release the GIL: encode them side by side.
    with ThreadPoolExecutor(max_workers=ENCODING_THREADS) as pool:
        encoded = list(pool.map(encode, present))
    for (_, item), (rows, messages) in zip(present, encoded, strict=True):
        if rows.size:
            bad[rows] = True
            issues.append((rows, item.id, messages))
    if DIVISION_COLUMN in frame.columns:
        codes, uniques = pd.factorize(frame[DIVISION_COLUMN], use_na_sentinel=True)
        labels = [str(u).strip() or NO_DIVISION for u in uniques]
        codes, names = _merge_labels(np.asarray(codes, dtype=np.intp), [*labels, NO_DIVISION])
    else:
        codes, names = np.zeros(n, dtype=np.intp), [NO_DIVISION]
    table = _problem_table(issues, _row_numbers(frame))
    lines = header_problems + [
        f"{source}: row {row}, field {field}: {problem}"
        for row, field, problem in table.head(MAX_LISTED_PROBLEMS).itertuples(index=False)
    ]
    if len(table) > MAX_LISTED_PROBLEMS:
        lines.append(f"{source}: ... and {len(table) - MAX_LISTED_PROBLEMS} more problems")
    if header_problems:
        bad[:] = True
    return RespondentTable(raw, codes, names, bad, lines, table)


def _row_numbers(frame: pd.DataFrame) -> npt.NDArray[np.intp]:
    """Spreadsheet row of each table row: the header is row 1. A frame read from a file keeps
    each row's position in its index (blank lines dropped), so numbering follows the file."""
    index = frame.index
    if pd.api.types.is_integer_dtype(index.dtype):
        return np.asarray(index, dtype=np.intp) + 2
    return np.arange(2, len(frame) + 2, dtype=np.intp)


def _merge_labels(
    codes: npt.NDArray[np.intp], labels: list[str]
) -> tuple[npt.NDArray[np.intp], list[str]]:
    """Codes into ``labels`` (the last label for missing, code -1), with equal labels merged
    (' Sales' and 'Sales') and unused ones dropped."""
    names = sorted(set(labels))
    position = np.array([names.index(label) for label in labels], dtype=np.intp)
    return _compact(position[codes], names)  # code -1 picks the last label: NO_DIVISION


def _encode_column(
    item: Item, series: pd.Series[Any], target: FloatArray
) -> tuple[npt.NDArray[np.intp], list[str]]:
    """Write one column's codes into ``target``; return the rows with problems, one message each.

    Bad cells are left unanswered (NaN) in ``target``; the caller marks their rows as bad.
    """
    if item.kind in ("likert", "number"):
        return _encode_numbers(item, series, target)
    # a column of a million cells has a handful of distinct values: check each value once
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    lookup = np.full(len(uniques) + 1, np.nan)  # last slot: missing (code -1)
    unique_problems: dict[int, str] = {}
    for position, cell in enumerate(uniques):
        text = str(cell).strip()
        code, problem = check_answer(item, text) if text else (math.nan, None)
        lookup[position] = code
        if problem:
            unique_problems[position] = problem
    np.take(lookup, codes, out=target)
    if not unique_problems:
        return np.empty(0, dtype=np.intp), []
    bad_codes = np.fromiter(unique_problems, dtype=np.intp)
    rows = np.flatnonzero(np.isin(codes, bad_codes))
    return rows, [unique_problems[int(c)] for c in codes[rows]]


def _encode_numbers(
    item: Item, series: pd.Series[Any], target: FloatArray
) -> tuple[npt.NDArray[np.intp], list[str]]:
    not_number: npt.NDArray[np.bool_] | None = None
    if isinstance(series.dtype, np.dtype) and series.dtype.kind in "fiu":
        np.copyto(target, series.to_numpy())  # plain numpy numbers: NaN is already missing
    elif pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series):
        np.copyto(target, series.to_numpy(dtype=float, na_value=np.nan))  # nullable dtypes
    else:
        target[:] = pd.to_numeric(series, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        text = series.astype("string").str.strip()
        given = (series.notna() & text.ne("").fillna(False)).to_numpy(bool)
        not_number = given & np.isnan(target)
    wrong = _out_of_range(item, target)
    if item.kind == "likert":
        range_text = f"expected a whole number from 1 to {LIKERT_POINTS}, got {{}}"
    else:
        assert item.bounds is not None
        range_text = "{} is out of range " + f"({_num(item.bounds.min)} to {_num(item.bounds.max)})"
    if not_number is not None:
        wrong |= not_number
    if not wrong.any():
        return np.empty(0, dtype=np.intp), []
    rows = np.flatnonzero(wrong)
    target[rows] = np.nan
    originals = series.to_numpy()[rows]
    is_text = not_number[rows] if not_number is not None else np.zeros(len(rows), dtype=bool)
    messages = [
        f"{_cell(cell)} is not a number" if text else range_text.format(_cell(cell))
        for cell, text in zip(originals, is_text, strict=True)
    ]
    return rows, messages


def _out_of_range(item: Item, values: FloatArray) -> npt.NDArray[np.bool_]:
    """Answers outside the item's scale or bounds (NaN, unanswered, is never out of range).

    Clean columns (the usual case) pass three reductions without building a mask; otherwise the
    mask is built in cache-sized chunks.
    """
    if _within_scale(item, values):
        return np.zeros(len(values), dtype=bool)
    wrong = np.empty(len(values), dtype=bool)
    low, high = (1.0, float(LIKERT_POINTS)) if item.kind == "likert" else (0.0, 0.0)
    if item.kind != "likert":
        assert item.bounds is not None
        low, high = item.bounds.min, item.bounds.max
    for start in range(0, len(values), CHECK_CHUNK_ROWS):
        part = values[start : start + CHECK_CHUNK_ROWS]
        out = (part < low) | (part > high)
        if item.kind == "likert":
            # NaN != floor(NaN): keep the whole-number check to answered values
            out |= (part != np.floor(part)) & ~np.isnan(part)
        wrong[start : start + CHECK_CHUNK_ROWS] = out
    return wrong


def _within_scale(item: Item, values: FloatArray) -> bool:
    """Whether every answered value fits the item, checked by reductions over cache-sized chunks
    (fmin/fmax skip NaN; a chunk with no answer gives NaN, fails the comparisons and leaves the
    column to the exact check)."""
    if item.kind == "likert":
        low, high = 1.0, float(LIKERT_POINTS)
    else:
        assert item.bounds is not None
        low, high = item.bounds.min, item.bounds.max
    for start in range(0, len(values), CHECK_CHUNK_ROWS):
        part = values[start : start + CHECK_CHUNK_ROWS]
        if not (np.fmin.reduce(part) >= low and np.fmax.reduce(part) <= high):
            return False
        if item.kind == "likert" and np.fmax.reduce(part - np.floor(part)) != 0:
            return False
    return True


def _cell(value: Any) -> str:
    """A cell as the user typed it: 7, 2.5 or 'abc' (numpy scalars unwrapped)."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float | int):
        return f"{value:g}"
    text = str(value).strip()
    try:
        float(text)
    except ValueError:
        return repr(value)
    return text


def _problem_table(
    issues: list[tuple[npt.NDArray[np.intp], str, list[str]]], row_numbers: npt.NDArray[np.intp]
) -> pd.DataFrame:
    if not issues:
        return pd.DataFrame({"row": pd.Series(dtype=int), "field": [], "problem": []})
    frames = [
        pd.DataFrame({"row": row_numbers[rows], "field": field, "problem": messages})
        for rows, field, messages in issues
    ]
    return pd.concat(frames, ignore_index=True).sort_values(["row", "field"], kind="stable")
