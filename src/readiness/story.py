"""The organization's projection in words: the sentences Results, Growth scenarios, the HTML
report and ``readiness project --from`` all show.

:mod:`readiness.organization` computes the projection (numbers); this module says it. Each
sentence is built here once, so every surface words the same fact the same way; a plan's
projected effect (:mod:`readiness.plan.effect`) is said here too. Dates are decimal calendar
years; shares are 0-1.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from readiness.organization import OrganizationProjection
    from readiness.plan.effect import ActionShock
    from readiness.plan.model import MeasuredEffect


def _calendar_day(year: float | None) -> dt.date | None:
    """The day a decimal calendar year falls on (None: none, or beyond the calendar)."""
    if year is None or not math.isfinite(year):
        return None
    whole = math.floor(year)
    if not dt.MINYEAR <= whole <= dt.MAXYEAR:
        return None
    # The inverse of organization.decimal_year: a date's decimal year reads as its own month
    # (1 June is 0.41 of a year: twelfths would call it May).
    length = 366 if calendar.isleap(whole) else 365
    day = min(int((year - whole) * length + 1e-6), length - 1)
    return dt.date(whole, 1, 1) + dt.timedelta(days=day)


def month_year(year: float | None) -> str:
    """A decimal calendar year as people read it: "Mar 2031" ("not within the horizon")."""
    day = _calendar_day(year)
    return "not within the horizon" if day is None else day.strftime("%b %Y")


def months_between(earlier: float, later: float) -> int:
    """Calendar months from ``earlier`` to ``later`` (decimal years) as their months read
    (:func:`month_year`): "Oct 2031" to "Apr 2033" is 18, whatever the days."""
    first, last = _calendar_day(earlier), _calendar_day(later)
    if first is None or last is None:
        return round((later - earlier) * 12.0)
    return (last.year - first.year) * 12 + last.month - first.month


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


# --- a plan's projected effect ------------------------------------------------------------------


def _duration(months: float) -> str:
    """:func:`months_text` without its "about", for a sentence that already says it."""
    return months_text(months).removeprefix("about ")


def _action_name(label: str) -> str:
    """An action's label inside a sentence: "the champions network"."""
    return "the " + label[:1].lower() + label[1:] if label else "an action"


#: A plan that moves a milestone by less than this many months changes nothing measurable.
PLAN_MONTHS_MEASURABLE = 0.5


def plan_sentence(
    *,
    actions: int,
    share: float,
    without: float | None,
    with_plan: float | None,
    horizon_years: float,
    contributions: Sequence[tuple[str, float | None]] = (),
    end_shares: tuple[float, float] | None = None,
) -> str:
    """A plan's projected effect in one sentence: "With the plan, 50% by about Oct 2029, 14
    months earlier than without; the champions network brings most of it."

    ``actions`` counts the plan's actions; ``share`` is the milestone (0-1); ``without`` and
    ``with_plan`` the decimal years each curve reaches it (None: not within ``horizon_years``);
    ``contributions`` each action's name in a sentence and how many months earlier it alone
    brings the milestone (largest first); ``end_shares`` the shares 0-1 without and with the
    plan at the horizon's end, for when neither curve reaches the milestone."""
    level = f"{share:.0%}"
    within = f"within {horizon_years:.0f} years"
    if actions == 0:
        reach = (
            f"{level} by about {month_year(without)}"
            if without is not None
            else f"{level} is not reached {within}"
        )
        return (
            f"No plan yet: add dated actions to see how they move the curve; without one, {reach}."
        )
    if with_plan is None and without is None:
        sentence = f"Neither with nor without the plan does the organization reach {level} {within}"
        if end_shares is not None:
            before, after = end_shares
            sentence += f": {after:.0%} with it by the end, against {before:.0%} without"
        return sentence + "."
    if with_plan is None:
        return (
            f"With the plan, {level} is not reached {within}; without it, by about"
            f" {month_year(without)}."
        )
    reached = f"With the plan, {level} by about {month_year(with_plan)}"
    if without is None:
        return f"{reached}, which the organization does not reach {within} without it."
    # counted between the months shown, so that the sentence and the dates beside it agree
    months = months_between(with_plan, without)
    if abs(months) < PLAN_MONTHS_MEASURABLE:
        return f"{reached}, as without it: the plan moves it by less than a month."
    if months < 0:
        slowest = [(name, m) for name, m in contributions if m is not None and m < 0]
        blame = (
            f"; {_action_name(min(slowest, key=lambda c: c[1])[0])} delays it most"
            if actions > 1 and slowest
            else ""
        )
        return f"{reached}, {_duration(-months)} later than without{blame}."
    sentence = f"{reached}, {_duration(months)} earlier than without"
    helpful = [(name, m) for name, m in contributions if m is not None and m > 0]
    if actions > 1 and helpful:
        name, top = max(helpful, key=lambda c: c[1])
        if top < PLAN_MONTHS_MEASURABLE:
            sentence += "; no action alone brings it a month earlier, together they do"
        elif top >= months / 2:
            sentence += f"; {_action_name(name)} brings most of it"
        else:
            sentence += f"; {_action_name(name)} brings the largest part ({_duration(top)})"
    return sentence + "."


def shock_change_text(shock: ActionShock, measured: MeasuredEffect | None = None) -> str:
    """What an action changes, in words, and whether that is assumed or measured: "Support +15
    points in scope (assumed): growth x1.38 in scope, x1.08 for the organization"."""
    growth = f"growth x{1 + shock.in_scope_effect:.2f} in scope"
    if shock.effect != shock.in_scope_effect:
        growth += f", x{1 + shock.effect:.2f} for the organization"
    if shock.source == "measured":
        interval = (
            f" (95% interval x{1 + measured.low:.2f} to x{1 + measured.high:.2f})"
            if measured is not None
            else ""
        )
        text = f"measured: {growth}{interval}"
    else:
        kind = shock.kind
        text = f"{kind.dimension.capitalize()} +{kind.change:g} points in scope (assumed): "
        # a raised ceiling alone (tooling) says so without a growth factor of 1.00
        text += "" if shock.ceiling_after is not None and abs(shock.effect) < 5e-3 else growth
    if shock.ceiling_after is not None:
        text += ("; " if not text.endswith(": ") else "") + (
            f"ceiling {shock.ceiling_after:.0%} from its start"
        )
    if shock.fade_per_year is not None:
        half_life = math.log(2.0) / -shock.fade_per_year * 12.0
        text += f"; halves every {half_life:.0f} months"
    return text
