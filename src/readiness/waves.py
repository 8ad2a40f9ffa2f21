"""Survey waves: the same questionnaire answered again later, compared with the earlier wave.

A wave is kept as a :class:`WaveSummary`: per group (everyone, and each division shown after the
product's merge of small divisions, :mod:`readiness.groups`) and dimension, the number of
respondents with a score, the mean score (0-100) and its standard deviation. That is all a
comparison needs, and it is small enough to keep with the assessment's plan.
"""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from readiness.errors import Frozen

#: The group that holds every respondent of a wave.
EVERYONE = "All respondents"
#: The most groups a wave keeps.
MAX_GROUPS = 200


class DimensionStats(Frozen):
    """One dimension's scores (0-100) in one group of one wave."""

    n: int = Field(ge=0)
    mean: float | None = Field(default=None, ge=0.0, le=100.0)
    sd: float | None = Field(default=None, ge=0.0)


class WaveSummary(Frozen):
    """One survey wave: its label, when it was answered and, per group and dimension, the
    score statistics (``groups[group][dimension]``; :data:`EVERYONE` holds all respondents)."""

    label: str = Field(min_length=1, max_length=100)
    surveyed_on: dt.date
    respondents: int = Field(ge=0)
    groups: dict[str, dict[str, DimensionStats]] = Field(max_length=MAX_GROUPS + 1)
