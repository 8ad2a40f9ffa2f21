"""The organization's projection in words: the sentences Results, Growth scenarios, the HTML
report and ``readiness project --from`` all show.

:mod:`readiness.organization` computes the projection (numbers); this module says it. Each
sentence is built here once, so every surface words the same fact the same way. Dates are
decimal calendar years; shares are 0-1.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from readiness.organization import OrganizationProjection


def month_year(year: float | None) -> str:
    """A decimal calendar year as people read it: "Mar 2031" ("not within the horizon")."""
    if year is None or not math.isfinite(year):
        return "not within the horizon"
    whole = math.floor(year)
    month = min(int((year - whole) * 12), 11) + 1
    return dt.date(whole, month, 1).strftime("%b %Y")


def months_text(months: float) -> str:
    """A number of months as people say it: "about 14 months", "about 2 years and 3 months"."""
    total = round(months)
    if total < 24:
        return f"about {total} month{'s' if total != 1 else ''}"
    years, rest = divmod(total, 12)
    return f"about {years} years" + (f" and {rest} month{'s' if rest != 1 else ''}" if rest else "")


def lever_sentence(projection: OrganizationProjection, names: Mapping[str, str]) -> str:
    """The top lever in words: "Support from 22 to 32: 50% about 14 months earlier."

    ``names`` maps dimension ids to the names people read."""
    if not projection.steps:
        return "No lever: the organization has no dimension scores yet."
    top = projection.steps[0]
    name = names.get(top.dimension, top.dimension)
    unscored = " (no score yet, counted as neutral)" if top.defaulted else ""
    raised = f"{name}{unscored} from {top.score:.0f} to {top.raised_score:.0f}"
    share = f"{top.target:.0%}"
    if top.brings_in_reach:
        return f"{raised} brings {share} within reach ({month_year(top.raised_year)})."
    if top.months_earlier is not None and top.months_earlier >= 0.5:
        return f"{raised}: {share} {months_text(top.months_earlier)} earlier."
    return f"{raised}: {top.share_gain * 100:.1f} points more adoption in three years."


def mapping_sentence(projection: OrganizationProjection) -> str:
    """Which lever mapping the projection and its levers use: "Levers from the assumed mapping
    (data/levers.yaml)." """
    return f"Levers from {projection.mapping}."


def organization_answer(projection: OrganizationProjection, names: Mapping[str, str]) -> str:
    """The seed question ("when does work change, and what raises the growth rate?") answered
    for the organization, in one paragraph: where it starts, when it reaches the material
    change, why that curve, its biggest lever (:func:`lever_sentence`) and the lever mapping
    in use (:func:`mapping_sentence`)."""
    year = projection.material_change_year()
    start = f"{projection.start_share:.0%} in {month_year(projection.start_year)}"
    level = f"{projection.material_change:.0%}"
    reach = (
        f"reaches {level} by about {month_year(year)}"
        if year is not None
        else f"does not reach {level} within {projection.scenario.horizon:.0f} years"
    )
    return (
        f"From {start}, your organization {reach} ({projection.why}). "
        f"Biggest lever: {lever_sentence(projection, names)} {mapping_sentence(projection)}"
    )
