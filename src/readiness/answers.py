"""Answers to the questionnaire, encoded as numbers so that one respondent or a million are
scored by the same vectorised code.

The *raw matrix* has one row per respondent and one column per questionnaire item, NaN where an
item is unanswered:

- likert: the agreement 1-5;
- number: the value in the item's unit (percent 0-100 for shares);
- choice: the index of the chosen option;
- checklist: the bit mask of ticked options (bit i = option i).

Which column of a survey file holds which item is decided from its header by
:func:`readiness.survey.match_columns`; this module encodes the cells.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from readiness.errors import InputError
from readiness.questionnaire import LIKERT_POINTS, Item, Questionnaire, Scale
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


def normal_text(text: str) -> str:
    """``text`` as compared with ids and labels: case and runs of spaces ignored."""
    return " ".join(str(text).split()).casefold()


@cache
def option_codes(item: Item) -> dict[str, int]:
    """Option index by option id and by option label (both as :func:`normal_text`)."""
    codes: dict[str, int] = {}
    for index, option in enumerate(item.options):
        codes.setdefault(normal_text(option.label), index)
    codes.update({option.id: index for index, option in enumerate(item.options)})
    return codes


@cache
def likert_codes(labels: tuple[str, ...] = Scale().likert_labels) -> dict[str, float]:
    """Agreement 1-5 by label ("Strongly disagree" is 1) as :func:`normal_text`."""
    return {normal_text(label): float(point) for point, label in enumerate(labels, start=1)}


def check_answer(
    item: Item,
    value: Any,
    likert_labels: tuple[str, ...] = Scale().likert_labels,
    *,
    labels: bool = False,
) -> tuple[float, str | None]:
    """Encode one answer for the raw matrix; returns (code, problem). NaN code when unanswered.

    Option ids are matched with case and surrounding spaces ignored. With ``labels`` (survey
    files, as tools export them) options may also be given by label and likert answers by
    label ("Agree"); an assessment's JSON answers keep to ids and numbers.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return math.nan, None
    if labels and item.kind == "likert" and isinstance(value, str):
        code = likert_codes(tuple(likert_labels)).get(normal_text(value))
        if code is not None:
            return code, None
    if item.kind in ("likert", "number"):
        if isinstance(value, bool) or not isinstance(value, int | float):
            return math.nan, f"expected a number, got {value!r}"
        number = float(value)
        if not math.isfinite(number):
            return math.nan, f"expected a finite number, got {_cell(value)}"
        if item.kind == "likert":
            if number != int(number) or not 1 <= number <= LIKERT_POINTS:
                return math.nan, f"expected a whole number from 1 to {LIKERT_POINTS}, got {value!r}"
        elif item.bounds is not None and not item.bounds.min <= number <= item.bounds.max:
            return math.nan, (
                f"{value!r} is out of range ({_num(item.bounds.min)} to {_num(item.bounds.max)})"
            )
        return number, None
    codes = option_codes(item) if labels else {o.id: k for k, o in enumerate(item.options)}
    if item.kind == "choice":
        if not isinstance(value, str) or normal_text(value) not in codes:
            return math.nan, f"{_cell(value)} is not one of {_option_list(item)}"
        return float(codes[normal_text(value)]), None
    if isinstance(value, str):
        return _checklist_cell(item, value, codes)
    if not isinstance(value, list | tuple | set | frozenset):
        return math.nan, f"expected a list of option ids ({_option_list(item)}), got {value!r}"
    mask = 0
    for entry in value:
        if not isinstance(entry, str) or normal_text(entry) not in codes:
            return math.nan, f"{_cell(entry)} is not one of {_option_list(item)}"
        mask |= 1 << codes[normal_text(entry)]
    return float(mask), None


def _parse_number(text: str) -> Any:
    """A number typed in a cell (``"4"``, ``" 2.5 "``); the text itself when it is not one."""
    try:
        return float(text.strip())
    except ValueError:
        return text


_SEPARATOR = re.compile("([" + re.escape("".join(CHECKLIST_SEPARATORS)) + "])")


def _checklist_cell(item: Item, cell: str, codes: Mapping[str, int]) -> tuple[float, str | None]:
    """A checklist cell: option ids or labels joined by ``;``, ``|`` or ``,`` (Google Forms
    joins labels with ", ", Microsoft Forms with ";"). A label that itself holds a separator
    is matched whole: the longest run of pieces that names an option wins."""
    text = normal_text(cell)
    if not text:
        return math.nan, None
    if text.strip("".join(CHECKLIST_SEPARATORS) + " ") == CHECKLIST_NONE:  # "None;" (MS Forms)
        return 0.0, None
    parts = _SEPARATOR.split(cell)
    pieces, separators = parts[0::2], parts[1::2]
    mask, start = 0, 0
    while start < len(pieces):
        if not pieces[start].strip():
            start += 1  # "a;;b" or a trailing ";"
            continue
        for end in range(len(pieces), start, -1):
            joined = "".join(
                piece + (separators[k] if k < end - 1 else "")
                for k, piece in enumerate(pieces[start:end], start=start)
            )
            code = codes.get(normal_text(joined))
            if code is not None:
                mask |= 1 << code
                start = end
                break
        else:
            return math.nan, f"{_cell(pieces[start].strip())} is not one of {_option_list(item)}"
    return float(mask), None


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


@dataclass(frozen=True)
class SurveyColumns:
    """What each column of a respondents table holds, by position (as
    :func:`readiness.survey.match_columns` found it from the header).

    ``items`` maps item ids to column positions; ``division`` is the division column's position;
    ``tool_columns`` and ``unknown_columns`` name the ignored columns (survey-tool metadata and
    anything else) in file order; ``option_columns`` holds checklists split into one column per
    option.
    """

    items: dict[str, int]
    division: int | None = None
    tool_columns: tuple[str, ...] = ()
    unknown_columns: tuple[str, ...] = ()
    #: Checklist items given as one column per option (LimeSurvey multiple choice:
    #: ``to_slates[search]`` or ``Question text [Option label]``): option index by position.
    option_columns: dict[str, dict[int, int]] = field(default_factory=dict)

    def note(self) -> str | None:
        """One line naming the ignored columns, or None when every column was used."""
        parts = []
        if self.tool_columns:
            parts.append(f"survey tool columns ignored: {', '.join(self.tool_columns)}")
        if self.unknown_columns:
            parts.append(
                "columns ignored (not a question of the questionnaire): "
                + ", ".join(self.unknown_columns)
            )
        if not parts:
            return None
        text = "; ".join(parts)
        return text[0].upper() + text[1:]


def quoted(text: str, limit: int = 60) -> str:
    """A user's text in a message: quoted, cut at ``limit`` characters."""
    return repr(text if len(text) <= limit else text[: limit - 3] + "...")


class RespondentTable:
    """A validated respondents table: the raw matrix, divisions, and the problems found.

    ``problems`` lists at most :data:`MAX_LISTED_PROBLEMS` lines (then a count of the rest);
    ``bad_rows`` marks every row with at least one problem, so callers can score the others.
    Rows are numbered as in a spreadsheet: the header is row 1, the first respondent row 2
    (after more header rows, such as Qualtrics' three, the numbers follow the file).
    ``columns`` says which columns were read and which were ignored.
    """

    def __init__(
        self,
        raw: FloatArray,
        division_codes: npt.NDArray[np.intp],
        division_names: list[str],
        bad_rows: npt.NDArray[np.bool_],
        problems: list[str],
        problem_table: pd.DataFrame,
        columns: SurveyColumns | None = None,
    ) -> None:
        self.raw = raw
        self.division_codes = division_codes
        self.division_names = division_names
        self.bad_rows = bad_rows
        self.problems = problems
        self.problem_table = problem_table
        self.columns = columns or SurveyColumns({})

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
            self.columns,
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


def encode_respondents(
    questionnaire: Questionnaire,
    frame: pd.DataFrame,
    plan: SurveyColumns,
    source: str = "respondents",
    first_row: int = 2,
) -> RespondentTable:
    """Validate and encode a respondents table (one row each) without a per-row loop, reading
    the columns ``plan`` names (:func:`readiness.survey.match_columns` makes it from a header).

    Numeric columns are checked with array masks; text columns once per distinct cell value (a
    column of a million cells has a handful of distinct values). ``first_row`` is the
    spreadsheet row of the frame's index 0 (2 below a one-row header).
    """
    n = len(frame)
    raw = np.empty((n, len(questionnaire.items)), order="F")  # every column is written below
    bad = np.zeros(n, dtype=bool)
    issues: list[tuple[npt.NDArray[np.intp], str, list[str]]] = []
    present = [(k, item) for k, item in enumerate(questionnaire.items) if item.id in plan.items]
    for column, item in enumerate(questionnaire.items):
        if item.id not in plan.items:
            raw[:, column] = np.nan
    labels = questionnaire.likert_labels

    def encode(entry: tuple[int, Item]) -> tuple[npt.NDArray[np.intp], list[str]]:
        column, item = entry
        series = frame.iloc[:, plan.items[item.id]]
        return _encode_column(item, series, raw[:, column], labels)

    # Columns are independent and numpy/arrow release the GIL: encode them side by side.
    with ThreadPoolExecutor(max_workers=ENCODING_THREADS) as pool:
        encoded = list(pool.map(encode, present))
    for (_, item), (rows, messages) in zip(present, encoded, strict=True):
        if rows.size:
            bad[rows] = True
            issues.append((rows, item.id, messages))
    for item_id, options in plan.option_columns.items():
        column = questionnaire.item_ids.index(item_id)
        parts = {option: frame.iloc[:, position] for position, option in options.items()}
        rows, messages = _encode_option_columns(questionnaire.item(item_id), parts, raw[:, column])
        if rows.size:
            bad[rows] = True
            issues.append((rows, item_id, messages))
    if plan.division is not None:
        division = frame.iloc[:, plan.division]
        codes, uniques = pd.factorize(division, use_na_sentinel=True)
        names = [str(u).strip() or NO_DIVISION for u in uniques]
        codes, names = _merge_labels(np.asarray(codes, dtype=np.intp), [*names, NO_DIVISION])
    else:
        codes, names = np.zeros(n, dtype=np.intp), [NO_DIVISION]
    table = _problem_table(issues, _row_numbers(frame, first_row))
    lines = [
        f"{source}: row {row}, field {field}: {problem}"
        for row, field, problem in table.head(MAX_LISTED_PROBLEMS).itertuples(index=False)
    ]
    if len(table) > MAX_LISTED_PROBLEMS:
        lines.append(f"{source}: ... and {len(table) - MAX_LISTED_PROBLEMS} more problems")
    return RespondentTable(raw, codes, names, bad, lines, table, plan)


def _row_numbers(frame: pd.DataFrame, first_row: int) -> npt.NDArray[np.intp]:
    """Spreadsheet row of each table row (index 0 is ``first_row``). A frame read from a file
    keeps each row's position in its index (blank lines dropped), so numbering follows the
    file."""
    index = frame.index
    if pd.api.types.is_integer_dtype(index.dtype):
        return np.asarray(index, dtype=np.intp) + first_row
    return np.arange(first_row, len(frame) + first_row, dtype=np.intp)


def _merge_labels(
    codes: npt.NDArray[np.intp], labels: list[str]
) -> tuple[npt.NDArray[np.intp], list[str]]:
    """Codes into ``labels`` (the last label for missing, code -1), with equal labels merged
    (' Sales' and 'Sales') and unused ones dropped."""
    names = sorted(set(labels))
    position = np.array([names.index(label) for label in labels], dtype=np.intp)
    return _compact(position[codes], names)  # code -1 picks the last label: NO_DIVISION


def _encode_column(
    item: Item,
    series: pd.Series[Any],
    target: FloatArray,
    likert_labels: tuple[str, ...] = Scale().likert_labels,
) -> tuple[npt.NDArray[np.intp], list[str]]:
    """Write one column's codes into ``target``; return the rows with problems, one message each.

    Bad cells are left unanswered (NaN) in ``target``; the caller marks their rows as bad.
    """
    if item.kind in ("likert", "number"):
        return _encode_numbers(item, series, target, likert_labels)
    # a column of a million cells has a handful of distinct values: check each value once
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    lookup = np.full(len(uniques) + 1, np.nan)  # last slot: missing (code -1)
    unique_problems: dict[int, str] = {}
    for position, cell in enumerate(uniques):
        text = str(cell).strip()
        code, problem = check_answer(item, text, labels=True) if text else (math.nan, None)
        lookup[position] = code
        if problem:
            unique_problems[position] = problem
    np.take(lookup, codes, out=target)
    if not unique_problems:
        return np.empty(0, dtype=np.intp), []
    bad_codes = np.fromiter(unique_problems, dtype=np.intp)
    rows = np.flatnonzero(np.isin(codes, bad_codes))
    return rows, [unique_problems[int(c)] for c in codes[rows]]


#: Cells of a one-column-per-option checklist: ticked, or answered and not ticked.
TICKED = frozenset({"y", "yes", "1", "true", "selected", "x"})
NOT_TICKED = frozenset({"n", "no", "0", "false", "not selected"})


def _encode_option_columns(
    item: Item, parts: Mapping[int, pd.Series[Any]], target: FloatArray
) -> tuple[npt.NDArray[np.intp], list[str]]:
    """A checklist's bit mask from one column per option (LimeSurvey multiple choice): ``Y`` or
    ``Yes`` (or the option's own id or label) ticks it, ``N``/``No`` or an empty cell does not.
    A row with every cell empty is unanswered."""
    mask = np.zeros(len(target))
    answered = np.zeros(len(target), dtype=bool)
    wrong = np.zeros(len(target), dtype=bool)
    cells = np.full(len(target), "", dtype=object)
    for option, series in parts.items():
        names = {item.options[option].id, normal_text(item.options[option].label)}
        codes, uniques = pd.factorize(series, use_na_sentinel=True)
        kinds = np.zeros(len(uniques) + 1, dtype=np.int8)  # 0 empty, 1 ticked, 2 not, 3 bad
        for position, cell in enumerate(uniques):
            text = normal_text(str(cell))
            kinds[position] = (
                0 if not text else 1 if text in TICKED or text in names
                else 2 if text in NOT_TICKED else 3
            )  # fmt: skip
        kind = kinds[codes]
        mask += np.where(kind == 1, float(1 << option), 0.0)
        answered |= (kind == 1) | (kind == 2)
        bad_here = (kind == 3) & ~wrong
        cells[bad_here] = series.to_numpy()[bad_here]
        wrong |= kind == 3
    target[:] = np.where(answered & ~wrong, mask, np.nan)
    rows = np.flatnonzero(wrong)
    return rows, [
        f"{_cell(cell)} is not Y, Yes or N (option columns of {item.id})" for cell in cells[rows]
    ]


def _encode_numbers(
    item: Item,
    series: pd.Series[Any],
    target: FloatArray,
    likert_labels: tuple[str, ...] = Scale().likert_labels,
) -> tuple[npt.NDArray[np.intp], list[str]]:
    not_number: npt.NDArray[np.bool_] | None = None
    if isinstance(series.dtype, np.dtype) and series.dtype.kind in "fiu":
        np.copyto(target, series.to_numpy())  # plain numpy numbers: NaN is already missing
    elif pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series):
        np.copyto(target, series.to_numpy(dtype=float, na_value=np.nan))  # nullable dtypes
    else:
        not_number = _encode_number_cells(item, series, target, likert_labels)
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
    not_a_number = (
        f"{{}} is not a number or an agreement label ({likert_labels[0]} ... {likert_labels[-1]})"
        if item.kind == "likert"
        else "{} is not a number"
    )
    messages = [
        not_a_number.format(_cell(cell)) if text else range_text.format(_cell(cell))
        for cell, text in zip(originals, is_text, strict=True)
    ]
    return rows, messages


def _encode_number_cells(
    item: Item, series: pd.Series[Any], target: FloatArray, likert_labels: tuple[str, ...]
) -> npt.NDArray[np.bool_]:
    """Numbers from a column of text or mixed objects, checked once per distinct cell: numbers
    as typed, agreement labels for likert items ("Agree" is 4); integers too large for a float
    become infinite (then out of range). Returns the cells that are not numbers."""
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    lookup = np.full(len(uniques) + 1, np.nan)  # last slot: missing (code -1)
    text_slots = np.zeros(len(uniques) + 1, dtype=bool)
    labels = likert_codes(tuple(likert_labels)) if item.kind == "likert" else {}
    for position, unique in enumerate(uniques):
        cell = unique.item() if isinstance(unique, np.generic) else unique
        if isinstance(cell, bool):
            text_slots[position] = True
        elif isinstance(cell, int | float):
            try:
                lookup[position] = float(cell)
            except OverflowError:  # an int beyond float range
                lookup[position] = math.inf if cell > 0 else -math.inf
        elif str(cell).strip():
            text = str(cell).strip()
            label = labels.get(normal_text(text))
            number = label if label is not None else _parse_number(text)
            if isinstance(number, float):
                lookup[position] = number
            else:
                text_slots[position] = True
    np.take(lookup, codes, out=target)
    return np.take(text_slots, codes)


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
    """A cell as the user typed it: 7, 2.5 or 'abc' (numpy scalars unwrapped; long cells cut,
    with their length)."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, bool):
        return repr(value)
    if isinstance(value, int):
        digits = str(value)
        count = len(digits.lstrip("-"))
        return digits if count <= 20 else f"{digits[:12]}... ({count} digits)"
    if isinstance(value, float):
        return f"{value:g}"
    text = str(value).strip()
    try:
        float(text)
    except ValueError:
        return quoted(str(value))
    return text if len(text) <= 20 else f"{text[:12]}... ({len(text)} characters)"


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
