"""Each dimension's scale from a survey: the answers whose consistency and agreement are tested.

A dimension's scale is its scored Likert items: the attitudes the questionnaire asks about.
Number, choice and checklist items are facts (a share of staff, a count of projects, a tick
list) and stay out. Reverse-keyed items (``Item.reverse``) are reversed as the score reverses
them, 6 - x on the 1-5 agreement scale, so that agreeing always means more readiness.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from readiness.answers import RespondentTable
from readiness.questionnaire import LIKERT_POINTS, Item, Questionnaire

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class DimensionScale:
    """One dimension's scale: ``answers`` is respondents x items, agreement 1-5 with
    reverse-keyed items already reversed, NaN where unanswered; ``divisions`` holds each
    respondent's division (the table's rows without problems, in order)."""

    dimension: str
    name: str
    item_ids: tuple[str, ...]
    item_labels: tuple[str, ...]
    reversed: tuple[bool, ...]
    answers: FloatArray
    divisions: npt.NDArray[np.object_]

    @property
    def respondents(self) -> int:
        return int(self.answers.shape[0])


def scale_items(questionnaire: Questionnaire, dimension: str) -> tuple[Item, ...]:
    """The items of ``dimension``'s scale: its scored Likert items, in questionnaire order."""
    return tuple(
        item for item in questionnaire.items_of(dimension) if item.kind == "likert" and item.scored
    )


def keyed(answers: FloatArray, reverse: npt.NDArray[np.bool_]) -> FloatArray:
    """``answers`` (respondents x items, agreement 1-5) with the ``reverse`` columns reversed
    (6 - x); NaN stays NaN."""
    return np.where(reverse, (LIKERT_POINTS + 1) - answers, answers)


def dimension_scales(
    questionnaire: Questionnaire, table: RespondentTable
) -> dict[str, DimensionScale]:
    """Each dimension's scale (by dimension id, in questionnaire order) from a respondents
    table. Rows with a problem are left out, as the scores leave them out; a dimension without
    Likert items has no scale."""
    good = table.without_bad_rows()
    divisions = good.divisions
    positions = {item_id: column for column, item_id in enumerate(questionnaire.item_ids)}
    scales: dict[str, DimensionScale] = {}
    for dimension in questionnaire.dimensions:
        items = scale_items(questionnaire, dimension.id)
        if not items:
            continue
        columns = [positions[item.id] for item in items]
        reverse = np.array([item.reverse for item in items], dtype=bool)
        answers = keyed(np.asarray(good.raw[:, columns], dtype=np.float64), reverse)
        scales[dimension.id] = DimensionScale(
            dimension=dimension.id,
            name=dimension.name,
            item_ids=tuple(item.id for item in items),
            item_labels=tuple(item.label for item in items),
            reversed=tuple(bool(flag) for flag in reverse),
            answers=np.ascontiguousarray(answers),
            divisions=divisions,
        )
    return scales
