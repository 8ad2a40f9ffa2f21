"""Simulated surveys with a known structure, for the evidence on every surface.

Each respondent has one latent readiness per dimension: the division's level plus their own
deviation. A Likert item answers it (rounded to 1-5, reverse-keyed items written reversed, as a
person who agrees with "Tools arrived unexplained" is less ready), so the scales hang together;
an item named in ``noise`` (and a Likert item of no dimension) answers at random instead, so its
scale's alpha drops and that item lowers it most. Number, choice and checklist items get the
template's example answers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence

import numpy as np

from readiness.data_dictionary import example_answer
from readiness.questionnaire import Item, load_questionnaire

Q = load_questionnaire()
LIKERT_LABELS = (
    "Strongly disagree",
    "Disagree",
    "Neither agree nor disagree",
    "Agree",
    "Strongly agree",
)


def simulated_answers(
    sizes: Mapping[str, int],
    *,
    seed: int = 7,
    spread: Mapping[str, float] | None = None,
    noise: Sequence[str] = (),
    blanks: float = 0.0,
) -> tuple[list[str], list[dict[str, float | str]]]:
    """Each respondent's division and answers (Likert 1-5 as numbers, NaN for a blank).

    ``sizes`` is respondents per division (in order); ``spread`` the standard deviation of the
    division levels per dimension (default 0.8: divisions differ clearly); ``noise`` items
    answered at random; ``blanks`` the share of Likert answers left blank at random."""
    rng = np.random.default_rng(seed)
    spread = spread or {}
    levels = {
        name: {d.id: rng.normal(0.0, spread.get(d.id, 0.8)) for d in Q.dimensions} for name in sizes
    }
    divisions: list[str] = []
    rows: list[dict[str, float | str]] = []
    for name, count in sizes.items():
        for _ in range(count):
            own = {d.id: levels[name][d.id] + rng.normal(0.0, 1.0) for d in Q.dimensions}
            row: dict[str, float | str] = {}
            for item in Q.items:
                if item.kind != "likert":
                    row[item.id] = example_answer(item)
                    continue
                if item.id in noise or item.dimension not in own:
                    value = float(rng.integers(1, 6))
                else:
                    latent = own[item.dimension] + rng.normal(0.0, 0.6)
                    value = float(np.clip(np.round(3.0 + latent), 1, 5))
                    if item.reverse:
                        value = 6.0 - value
                if blanks and rng.random() < blanks:
                    value = float("nan")
                row[item.id] = value
            divisions.append(name)
            rows.append(row)
    return divisions, rows


def _cell(item: Item, value: float | str, labels: bool) -> str:
    if isinstance(value, str):
        return value
    if np.isnan(value):
        return ""
    return LIKERT_LABELS[int(value) - 1] if labels else str(int(value))


def survey_csv(sizes: Mapping[str, int], **options: object) -> bytes:
    """A respondents CSV (the template's header: ``division`` and item ids) of
    :func:`simulated_answers`."""
    divisions, rows = simulated_answers(sizes, **options)  # type: ignore[arg-type]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["division", *Q.item_ids])
    for division, row in zip(divisions, rows, strict=True):
        writer.writerow([division, *(_cell(Q.item(i), row[i], False) for i in Q.item_ids)])
    return buffer.getvalue().encode("utf-8")


def forms_survey_csv(sizes: Mapping[str, int], **options: object) -> bytes:
    """The same survey as Microsoft Forms exports it: its own columns first, questions headed by
    their text, Likert answers as labels, a byte-order mark and CRLF line ends."""
    divisions, rows = simulated_answers(sizes, **options)  # type: ignore[arg-type]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    header = ["ID", "Start time", "Completion time", "Email", "Name", "Department"]
    writer.writerow([*header, *(item.text for item in Q.items)])
    for number, (division, row) in enumerate(zip(divisions, rows, strict=True), start=1):
        meta = [str(number), "11/2/26 9:01:33", "11/2/26 9:04:10", "anonymous", "", division]
        writer.writerow([*meta, *(_cell(item, row[item.id], True) for item in Q.items)])
    return b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8")
