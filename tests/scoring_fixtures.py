"""Small shared builders for the scoring-core tests: the shipped data, answer sets, and tables."""

from __future__ import annotations

import copy
import math
from collections.abc import Callable, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from readiness.answers import RespondentTable
from readiness.paths import data_file
from readiness.questionnaire import Questionnaire, load_questionnaire
from readiness.rules import RuleBook, load_rulebook
from readiness.survey import read_respondents


def questionnaire() -> Questionnaire:
    return load_questionnaire()


def rulebook() -> RuleBook:
    return load_rulebook()


@cache
def _questionnaire_yaml() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(data_file("questionnaire.yaml").read_text("utf-8"))
    return data


def questionnaire_data() -> dict[str, Any]:
    """A fresh, mutable copy of ``data/questionnaire.yaml`` as loaded YAML."""
    return copy.deepcopy(_questionnaire_yaml())


def yaml_item(data: Mapping[str, Any], item_id: str) -> dict[str, Any]:
    """The item with ``item_id`` inside loaded questionnaire YAML (to mutate it)."""
    return next(item for item in data["items"] if item["id"] == item_id)


def write_questionnaire(
    directory: Path, change: Callable[[dict[str, Any]], object] | None = None
) -> Path:
    """Write a copy of the shipped questionnaire, changed by ``change``, into ``directory``."""
    data = questionnaire_data()
    if change is not None:
        change(data)
    path = directory / "questionnaire.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


#: A complete assessment of an organization that rolled tools out without local support:
#: IT leads, no evangelists, several unconnected grassroots projects.
STRUGGLING: dict[str, Any] = {
    "gr_active_share": 30,
    "gr_projects": 3,
    "gr_self_start": 4,
    "gr_find_answers": 4,
    "gr_only_when_asked": 2,
    "gr_cross_boundary": 3,
    "gr_email_habit": 3,
    "gr_managers_take_part": 2,
    "su_evangelists": 0,
    "su_local_support_share": 10,
    "su_lead": "it",
    "su_sponsor": 2,
    "su_local_help": 2,
    "su_time_to_contribute": 2,
    "su_unexplained_rollout": 4,
    "su_recognition": 2,
    "to_slates": ["search", "links"],
    "to_common_platform": 2,
    "to_access_share": 90,
    "to_easy_to_use": 4,
    "to_rigid_structure": 2,
    "to_reach": 3,
    "to_integration": 3,
    "cx_projects_aware": 1,
}

#: A complete assessment at the best end of every scored item.
BEST: dict[str, Any] = {
    "gr_active_share": 100,
    "gr_projects": 20,
    "gr_self_start": 5,
    "gr_find_answers": 5,
    "gr_only_when_asked": 1,
    "gr_cross_boundary": 5,
    "gr_email_habit": 1,
    "gr_managers_take_part": 5,
    "su_evangelists": 10,
    "su_local_support_share": 100,
    "su_lead": "business",
    "su_sponsor": 5,
    "su_local_help": 5,
    "su_time_to_contribute": 5,
    "su_unexplained_rollout": 1,
    "su_recognition": 5,
    "to_slates": ["search", "links", "authoring", "tags", "extensions", "signals"],
    "to_common_platform": 5,
    "to_access_share": 100,
    "to_easy_to_use": 5,
    "to_rigid_structure": 1,
    "to_reach": 5,
    "to_integration": 5,
}


def csv_cell(value: Any) -> Any:
    """An answer as a respondents-table cell: checklists as 'a;b' ('none' when empty)."""
    if isinstance(value, list | tuple | set | frozenset):
        return ";".join(value) if value else "none"
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return value


def respondents_frame(
    answer_sets: Sequence[Mapping[str, Any]], divisions: Sequence[str] | None = None
) -> pd.DataFrame:
    """A respondents table (one row per answer set, every item id a column)."""
    q = questionnaire()
    rows = []
    for position, answers in enumerate(answer_sets):
        row: dict[str, Any] = {}
        if divisions is not None:
            row["division"] = divisions[position]
        for item_id in q.item_ids:
            row[item_id] = csv_cell(answers.get(item_id))
        rows.append(row)
    columns = (["division"] if divisions is not None else []) + list(q.item_ids)
    frame = pd.DataFrame(rows, columns=columns)
    # Numeric columns as floats (NaN when unanswered), as a CSV reader gives them.
    numeric = [i.id for i in q.items if i.kind in ("likert", "number")]
    frame[numeric] = frame[numeric].astype(float)
    return frame


def respondents_table(
    answer_sets: Sequence[Mapping[str, Any]], divisions: Sequence[str] | None = None
) -> RespondentTable:
    return read_respondents(questionnaire(), respondents_frame(answer_sets, divisions))
