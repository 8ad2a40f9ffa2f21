"""What the Plan page shows: the plan's actions as an editable table (and back to a
:class:`~readiness.plan.model.Plan`, with every problem named by row and field), the kinds of
action with their assumption, the plan file to download or upload, the plan's projected effect,
whether started actions worked (measured usage), and the survey waves that follow it up.

The projected effect is :func:`readiness.plan.effect.plan_effect_for`, the one Growth
scenarios, Results and the report show: this view draws it, never rebuilds it.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd
from pydantic import ValidationError

from readiness.editing import saved_line
from readiness.errors import InputError, describe_validation_error
from readiness.groups import OTHER_DIVISIONS
from readiness.organization import milestone_frame
from readiness.plan.effect import PLAN_SHARE, PlanEffect
from readiness.plan.kinds import ActionKind, ActionKinds, load_action_kinds
from readiness.plan.model import (
    MAX_ACTIONS,
    MAX_WAVES,
    MeasuredEffect,
    Plan,
    PlanAction,
    plan_text,
    read_plan_bytes,
)
from readiness.safe_output import escape_markdown
from readiness.story import PLAN_MONTHS_MEASURABLE, month_year, months_text, shock_change_text
from readiness.survey import SurveySummary
from readiness.textfiles import decode_text
from readiness.usage import MeasuredAdoption
from readiness.waves import WaveSummary

if TYPE_CHECKING:
    import altair as alt

    from readiness.evidence.drivers import DivisionMap
    from readiness.plan.check import ActionCheck
    from readiness.questionnaire import Questionnaire
    from readiness.rules import RuleBook

__all__ = [
    "COLUMNS",
    "DIVISIONS_COLUMN",
    "END_COLUMN",
    "KIND_COLUMN",
    "MAX_ACTIONS",
    "NOTE_COLUMN",
    "PLAN_FILE_NAME",
    "SHARE_COLUMN",
    "START_COLUMN",
    "CheckView",
    "EffectView",
    "Plan",
    "WavesView",
    "action_checks",
    "add_wave",
    "effect_view",
    "escape_markdown",
    "keep_measured",
    "kind_labels",
    "kinds_explained",
    "last_measured_month",
    "load_action_kinds",
    "measured_usage",
    "month_label",
    "plan_dates",
    "plan_download",
    "plan_from_rows",
    "plan_rows",
    "read_plan_upload",
    "read_wave",
    "saved_line",
    "survey_divisions",
    "wave_date",
    "wave_groups",
    "wave_labels",
    "waves_view",
    "worth_keeping",
]

KIND_COLUMN = "Kind"
START_COLUMN = "Start"
END_COLUMN = "End"
DIVISIONS_COLUMN = "Divisions"
SHARE_COLUMN = "Staff share (%)"
NOTE_COLUMN = "Note"
#: The editor's columns, in order.
COLUMNS = (KIND_COLUMN, START_COLUMN, END_COLUMN, DIVISIONS_COLUMN, SHARE_COLUMN, NOTE_COLUMN)
#: How a problem names an action's field: the column people see.
_FIELD_NAMES = {
    "kind": KIND_COLUMN,
    "start": START_COLUMN,
    "end": END_COLUMN,
    "divisions": DIVISIONS_COLUMN,
    "staff_share": SHARE_COLUMN,
    "note": NOTE_COLUMN,
}
PLAN_FILE_NAME = "readiness-plan.yaml"


# --- the kinds of action ------------------------------------------------------------------------


def kind_labels(kinds: ActionKinds | None = None) -> list[str]:
    """The kinds' labels, in the order of ``data/actions.yaml`` (the editor's choices)."""
    return [kind.label for kind in (kinds or load_action_kinds()).kinds]


def _assumption(kind: ActionKind, names: Mapping[str, str]) -> str:
    """What a kind is assumed to change, in words: "Support +15 points in scope, lasting"."""
    raised = f"{names.get(kind.dimension, kind.dimension)} +{kind.change:g} points in scope"
    if kind.shape == "rectangular":
        return f"{raised}, lasting while the action runs (or to the horizon without an end)"
    return f"{raised}, fading: the push halves every {kind.half_life_months:g} months"


def kinds_explained(names: Mapping[str, str], kinds: ActionKinds | None = None) -> list[str]:
    """Each kind with its assumption (change, shape) and rationale, then the source: one line
    each, plain text."""
    known = kinds or load_action_kinds()
    lines = [f"{k.label}: {_assumption(k, names)}. {k.rationale}" for k in known.kinds]
    lines.append(f"Sources: {known.source}")
    return lines


def survey_divisions(kept: object) -> list[str]:
    """The divisions of the survey uploaded in this session (Survey upload keeps its
    :class:`~readiness.survey.SurveySummary`), to choose a scope from; empty without one.
    Merged small divisions are no scope of their own."""
    if not isinstance(kept, SurveySummary):
        return []
    return [name for name in kept.divisions if name != OTHER_DIVISIONS]


# --- the plan as a table and back ---------------------------------------------------------------


def plan_rows(
    plan: Plan | None, kinds: ActionKinds | None = None, *, as_lists: bool = False
) -> pd.DataFrame:
    """The plan's actions as the editor shows them: kind label, start, end (None without),
    divisions (comma separated, or lists with ``as_lists`` for a choice of the survey's
    divisions; empty for the whole organization), staff share in percent (0-100; None for the
    whole organization) and note."""
    known = kinds or load_action_kinds()
    labels = {kind.id: kind.label for kind in known.kinds}
    actions = plan.actions if plan is not None else ()
    records = [
        {
            KIND_COLUMN: labels.get(action.kind, action.kind),
            START_COLUMN: action.start,
            END_COLUMN: action.end,
            DIVISIONS_COLUMN: list(action.divisions) if as_lists else ", ".join(action.divisions),
            SHARE_COLUMN: None
            if action.staff_share is None
            else round(action.staff_share * 100, 4),
            NOTE_COLUMN: action.note,
        }
        for action in actions
    ]
    frame = pd.DataFrame(records, columns=list(COLUMNS))
    # object columns: an empty table still takes dates, numbers and text in its new rows
    frame = frame.astype(object)
    frame[SHARE_COLUMN] = pd.to_numeric(frame[SHARE_COLUMN], errors="coerce").astype(float)
    return frame


def _missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    if value is pd.NaT:
        return True
    return isinstance(value, str) and not value.strip()


def _date(value: Any) -> dt.date | str | None:
    """A cell as a date (None when empty); text that is no ISO date is returned for the
    validation to name."""
    if _missing(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        return text


def _divisions(value: Any) -> list[str]:
    """A divisions cell (comma-separated text, or a list from a choice of the survey's
    divisions) as names; empty for the whole organization."""
    if _missing(value):
        return []
    if isinstance(value, list | tuple):
        return [str(name).strip() for name in value if str(name).strip()]
    if hasattr(value, "tolist"):  # an array from the editor
        return _divisions(list(value.tolist()))
    return [name.strip() for name in str(value).split(",") if name.strip()]


def _share(value: Any) -> float | str | None:
    """A staff share cell in percent (0-100) as a share 0-1; text that is no number is
    returned for the validation to name."""
    if _missing(value):
        return None
    try:
        number = float(str(value).strip().removesuffix("%")) if isinstance(value, str) else value
        return float(number) / 100.0
    except (TypeError, ValueError):
        return str(value)


def _blank(record: Mapping[Any, Any]) -> bool:
    return all(_missing(record.get(column)) for column in COLUMNS)


def _row_problems(data: Mapping[str, Any]) -> list[str]:
    """What is wrong with one row, in the table's words ("Start: 'soon' is not a date"), before
    the model's own checks (which speak of shares 0-1, not the table's percent)."""
    found = []
    start, end, share = data["start"], data["end"], data["staff_share"]
    if start is None:
        found.append(f"{START_COLUMN}: a start date is needed")
    for column, value in ((START_COLUMN, start), (END_COLUMN, end)):
        if isinstance(value, str):
            found.append(f"{column}: {value!r} is not a date (YYYY-MM-DD)")
    if isinstance(start, dt.date) and isinstance(end, dt.date) and end <= start:
        found.append(f"{END_COLUMN}: the end {end} must be after the start {start}")
    if isinstance(share, str) or (isinstance(share, float) and not 0.0 < share <= 1.0):
        found.append(f"{SHARE_COLUMN}: a percentage above 0 and at most 100")
    elif data["divisions"] and share is None:
        found.append(
            f"{SHARE_COLUMN}: needed when divisions are named: the percentage of all staff in them"
        )
    elif not data["divisions"] and share not in (None, 1.0):
        found.append(
            f"{SHARE_COLUMN}: the whole organization reaches all staff: leave it empty, or name"
            f" the divisions in {DIVISIONS_COLUMN}"
        )
    return found


def plan_from_rows(
    rows: pd.DataFrame, base: Plan | None = None, kinds: ActionKinds | None = None
) -> Plan:
    """The plan the editor's ``rows`` describe (empty rows skipped), keeping ``base``'s
    measured effects and survey waves. :class:`InputError` with one line per problem, naming
    the row (1 = the table's first) and the column."""
    known = kinds or load_action_kinds()
    by_label = {kind.label: kind.id for kind in known.kinds}
    by_id = {kind.id: kind.id for kind in known.kinds}
    actions: list[PlanAction] = []
    problems: list[str] = []
    records = rows.to_dict("records") if not rows.empty else []
    for number, record in enumerate(records, start=1):
        if _blank(record):
            continue
        label = record.get(KIND_COLUMN)
        kind = None if _missing(label) else by_label.get(str(label)) or by_id.get(str(label))
        if kind is None:
            problems.append(
                f"row {number}, {KIND_COLUMN}: choose one of {', '.join(by_label)}"
                if _missing(label)
                else f"row {number}, {KIND_COLUMN}: {label!r} is not a kind of action; the kinds"
                f" are {', '.join(by_label)}"
            )
            continue
        data = {
            "kind": kind,
            "start": _date(record.get(START_COLUMN)),
            "end": _date(record.get(END_COLUMN)),
            "divisions": _divisions(record.get(DIVISIONS_COLUMN)),
            "staff_share": _share(record.get(SHARE_COLUMN)),
            "note": "" if _missing(record.get(NOTE_COLUMN)) else str(record.get(NOTE_COLUMN)),
        }
        if found := _row_problems(data):
            problems.extend(f"row {number}, {line}" for line in found)
            continue
        try:
            actions.append(PlanAction.model_validate(data))
        except ValidationError as error:
            problems.extend(
                describe_validation_error(error, "", data, field_names=_FIELD_NAMES, row=number)
            )
    if len(actions) > MAX_ACTIONS:
        problems.append(
            f"the plan has {len(actions)} actions: a plan holds at most {MAX_ACTIONS} (each is a"
            " shock on the curve; keep the ones that matter most)"
        )
    if problems:
        raise InputError(problems)
    kept = base or Plan()
    plan = Plan(actions=tuple(actions), measured=dict(kept.measured), waves=kept.waves)
    return plan.checked(known)


def worth_keeping(plan: Plan) -> Plan | None:
    """``plan``, or None when it holds nothing (no action, measured effect or wave): an empty
    table saved is no plan."""
    return None if not (plan.actions or plan.measured or plan.waves) else plan


# --- the plan file --------------------------------------------------------------------------------


def plan_download(plan: Plan) -> str:
    """The plan in its file format (YAML), as ``readiness project --plan`` reads it."""
    return plan_text(plan, "yaml")


def read_plan_upload(data: bytes, name: str) -> Plan:
    """An uploaded plan file (YAML or JSON); :class:`InputError` naming the file, action and
    field on every line."""
    return read_plan_bytes(data, name)


# --- survey waves -------------------------------------------------------------------------------


def add_wave(plan: Plan | None, wave: WaveSummary) -> Plan:
    """``plan`` with ``wave`` among its waves (oldest first); :class:`InputError` when a wave
    with the same label and date is there already, or the plan holds
    :data:`~readiness.plan.model.MAX_WAVES`."""
    kept = plan or Plan()
    if any(w.label == wave.label and w.surveyed_on == wave.surveyed_on for w in kept.waves):
        raise InputError(
            f"a wave {wave.label!r} of {wave.surveyed_on.isoformat()} is in the plan already:"
            " give this one another label or date"
        )
    if len(kept.waves) >= MAX_WAVES:
        raise InputError(f"the plan keeps at most {MAX_WAVES} waves")
    waves = sorted([*kept.waves, wave], key=lambda w: (w.surveyed_on, w.label))
    return kept.model_copy(update={"waves": tuple(waves)})


def wave_labels(plan: Plan | None) -> Sequence[str]:
    """The waves kept, as people read them: "March wave (15 Mar 2027, 240 respondents)"."""
    if plan is None:
        return []
    return [
        f"{w.label} ({w.surveyed_on.strftime('%d %b %Y')}, {w.respondents:,} respondents)"
        for w in plan.waves
    ]


# --- the projected effect -------------------------------------------------------------------------


@dataclass(frozen=True)
class EffectView:
    """What "Projected effect" draws: the sentence every surface shows, the chart of both
    curves, the milestones with and without the plan, each action's assumed or measured change,
    how many months earlier each brings 50% on its own (largest first), and notes."""

    sentence: str
    chart: alt.LayerChart
    milestones: pd.DataFrame
    actions: pd.DataFrame
    contributions: pd.DataFrame
    most: str | None
    notes: tuple[str, ...]


def _earlier_text(months: float | None) -> str:
    if months is None:
        return "not comparable (50% not within the horizon)"
    if abs(months) < PLAN_MONTHS_MEASURABLE:
        return "less than a month"
    return f"{months_text(abs(months))} {'earlier' if months > 0 else 'later'}"


def effect_view(effect: PlanEffect) -> EffectView:
    """The plan's projected effect (:func:`readiness.plan.effect.plan_effect_for`, the one
    Growth scenarios, Results and the report show) as the Plan page draws it."""
    from readiness.plan.charts import plan_chart

    material = effect.projection.material_change
    measured = effect.plan.measured
    actions = pd.DataFrame(
        {
            "action": [shock.label for shock in effect.shocks],
            "from": [shock.action.start.strftime("%d %b %Y") for shock in effect.shocks],
            "until": [
                shock.action.end.strftime("%d %b %Y") if shock.action.end is not None else "no end"
                for shock in effect.shocks
            ],
            "what it changes": [
                shock_change_text(shock, measured.get(shock.kind.id)) for shock in effect.shocks
            ],
        }
    )
    contributions = pd.DataFrame(
        {
            "action": [label for label, _ in effect.contributions],
            f"{PLAN_SHARE:.0%} on its own": [
                _earlier_text(months) for _, months in effect.contributions
            ],
        }
    )
    helpful = [(label, m) for label, m in effect.contributions if m is not None and m > 0]
    most = (
        f"{helpful[0][0]} brings most on its own: {PLAN_SHARE:.0%} {_earlier_text(helpful[0][1])}."
        if helpful
        else None
    )
    return EffectView(
        sentence=effect.sentence,
        chart=plan_chart(effect),
        milestones=milestone_frame(effect.rows, material),
        actions=actions,
        contributions=contributions,
        most=most,
        notes=tuple(str(_sentence_case(note)).rstrip(".") + "." for note in effect.notes),
    )


def plan_dates(effect: PlanEffect | None) -> tuple[str, str] | None:
    """When the organization reaches 50% without and with the plan, as people read it ("Oct
    2029"): the dates every surface shows; None without an effect."""
    if effect is None:
        return None
    without, with_plan = (row.reached.get(PLAN_SHARE) for row in effect.rows)
    return month_year(without), month_year(with_plan)


# --- did it work? ---------------------------------------------------------------------------------


def measured_usage(kept: object) -> MeasuredAdoption | None:
    """The measured usage of this session (the Measured adoption page keeps its view, which
    holds it), or None."""
    measured = getattr(kept, "measured", None)
    return measured if isinstance(measured, MeasuredAdoption) else None


def last_measured_month(measured: MeasuredAdoption) -> str:
    """The last month measured ("2027-09")."""
    months = measured.overall["month"].astype(str)
    return str(months.max()) if not months.empty else ""


@dataclass(frozen=True)
class CheckView:
    """One action checked against measured usage: its heading and sentence, the comparison
    with what the plan assumed, the chart with the counterfactual, the effect's figures
    (label, value, help), the statistical test in words, and the measured effect the plan may
    keep (None: nothing to keep). ``problem``: why it could not be checked (then nothing
    else)."""

    number: int
    heading: str
    kind: str
    sentence: str = ""
    plan_sentence: str | None = None
    too_early: bool = False
    chart: alt.LayerChart | None = None
    figures: tuple[tuple[str, str, str | None], ...] = ()
    test: str = ""
    keep: MeasuredEffect | None = None
    kept: bool = False
    problem: str | None = None


def _sentence_case(text: str | None) -> str | None:
    """``text`` starting with a capital, as a line of its own."""
    return None if not text else text[:1].upper() + text[1:]


def _times(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}x"


def _test_text(check: ActionCheck) -> str:
    """The statistical comparison with plain Bass, for a caption."""
    comparison = check.comparison
    if comparison is None:
        return f"Interval: {check.interval_method}."
    f_test = (
        f"F({comparison.f_df[0]}, {comparison.f_df[1]}) = {comparison.f_statistic:.2f}, "
        f"p = {comparison.f_p_value:.3g}"
        if comparison.f_statistic is not None and comparison.f_p_value is not None
        else "no F test"
    )
    return (
        f"Against plain Bass: AIC {comparison.delta_aic:+.1f} (with its change points counted "
        f"{comparison.penalised_delta_aic:+.1f}); {f_test}; verdict: {comparison.verdict}. "
        f"Interval: {check.interval_method}."
    )


def _figures(check: ActionCheck) -> tuple[tuple[str, str, str | None], ...]:
    low, high = check.multiplier_interval
    duration = "n/a" if check.duration_months is None else months_text(check.duration_months)
    return (
        (
            "Growth while it holds",
            _times(check.multiplier),
            "Growth as a multiple of growth without the action (1 + c).",
        ),
        ("95% interval", f"{_times(low)} to {_times(high)}", None),
        ("Duration", duration, f"How long the effect holds: {check.duration}."),
        ("Measured since the start", f"{check.months_after} months", None),
    )


def action_checks(
    measured: MeasuredAdoption,
    plan: Plan,
    effect: PlanEffect | None,
    division_map: DivisionMap | None = None,
) -> list[CheckView]:
    """Each of the plan's actions checked against measured usage (:func:`check_action`): its
    scope's monthly active share, the GBM with the action's shock beside plain Bass, the
    counterfactual, and the comparison with what the plan assumed (the effect's in-scope
    ``c``, or the measured effect the plan keeps for the kind). An action that starts after
    the last measured month, or whose scope is not in the usage, says so instead."""
    from readiness.plan.check import check_action, scope_series, to_measured_effect
    from readiness.plan.check_chart import check_chart

    known = load_action_kinds()
    last = last_measured_month(measured)
    shocks = list(effect.shocks) if effect is not None else []
    views: list[CheckView] = []
    for number, action in enumerate(plan.actions, start=1):
        kind = known.get(action.kind)
        heading = f"{kind.label}, {action.scope_text}, from {action.start.strftime('%b %Y')}"
        if action.start.strftime("%Y-%m") > last:
            views.append(
                CheckView(
                    number,
                    heading,
                    kind.id,
                    problem=f"Starts after the last measured month ({month_label(last)}).",
                )
            )
            continue
        scope = scope_series(measured, action, division_map)
        if scope.observations is None:
            views.append(
                CheckView(number, heading, kind.id, problem=f"Not checked: {scope.reason}.")
            )
            continue
        shock = next((s for s in shocks if s.action == action), None)
        kept = plan.measured.get(kind.id)
        assumed = shock.in_scope_effect if shock is not None and shock.source == "assumed" else None
        try:
            check = check_action(
                scope.observations,
                action,
                kind,
                assumed_effect=assumed,
                measured_effect=kept,
            )
        except InputError as error:
            views.append(
                CheckView(
                    number, heading, kind.id, problem="Not checked: " + "; ".join(error.problems)
                )
            )
            continue
        too_early = check.verdict == "too early to tell"
        keep = None if too_early or check.effect is None else to_measured_effect(check)
        views.append(
            CheckView(
                number,
                heading,
                kind.id,
                sentence=check.sentence,
                plan_sentence=_sentence_case(check.plan_sentence),
                too_early=too_early,
                chart=check_chart(check),
                figures=() if too_early else _figures(check),
                test=_test_text(check),
                keep=keep,
                kept=keep is not None and kept == keep,
            )
        )
    return views


def month_label(month: str) -> str:
    """A "2027-09" month as people read it ("Sep 2027")."""
    try:
        return dt.date.fromisoformat(f"{month}-01").strftime("%b %Y")
    except ValueError:
        return month


def keep_measured(plan: Plan, kind: str, effect: MeasuredEffect) -> Plan:
    """``plan`` keeping ``effect`` as the measured effect of ``kind`` (in place of the
    assumption of ``data/actions.yaml``)."""
    return plan.model_copy(update={"measured": {**plan.measured, kind: effect}})


# --- survey waves -------------------------------------------------------------------------------


def wave_date(data: bytes, name: str) -> tuple[dt.date | None, str]:
    """The date a respondents file was answered, from its completion-time column (the median),
    and where it came from in words; (None, why not) when the file has none."""
    from readiness.waves import completion_date

    try:
        found = completion_date(decode_text(data, name), name)
    except InputError as error:
        return None, "; ".join(error.problems)
    if found is None:
        return None, "The file has no completion-time column: give the date."
    return found.date, (
        f"The median of the file's {found.column!r} column ({found.dated:,} dated answers)."
    )


def read_wave(
    questionnaire: Questionnaire,
    rulebook: RuleBook,
    data: bytes,
    name: str,
    label: str,
    surveyed_on: dt.date | None,
    min_group_size: int | None = None,
) -> WaveSummary:
    """A respondents CSV (read as Survey upload reads it) as a survey wave labelled ``label``,
    dated ``surveyed_on`` or by the file's completion times; :class:`InputError` naming the
    file, row and field."""
    from readiness.survey import read_respondents_csv
    from readiness.waves import completion_date, wave_summary

    table = read_respondents_csv(questionnaire, data, name)
    completion = None if surveyed_on is not None else completion_date(decode_text(data, name), name)
    return wave_summary(
        questionnaire,
        rulebook,
        table,
        label,
        surveyed_on,
        min_group_size,
        completion=completion,
        source=name,
    )


@dataclass(frozen=True)
class WavesView:
    """What "Survey waves" draws: the comparison of the last two waves in words, the groups
    the chart can show, the chart of the chosen group across waves, and the timeline of the
    plan's actions and waves."""

    sentences: tuple[str, ...]
    method: str
    groups: tuple[str, ...]
    chart: alt.Chart | None
    timeline: alt.Chart | None


def wave_groups(plan: Plan | None) -> list[str]:
    """The groups of the waves kept (everyone first, then the divisions in the latest wave)."""
    from readiness.waves import EVERYONE

    if plan is None or not plan.waves:
        return [EVERYONE]
    latest = [g for g in plan.waves[-1].groups if g != EVERYONE]
    return [EVERYONE, *latest]


def waves_view(plan: Plan | None, group: str, names: Mapping[str, str]) -> WavesView:
    """The waves kept with the plan: the last two compared (Welch intervals, Holm over the
    comparisons shown), ``group`` across every wave, and one timeline of actions and waves."""
    from readiness.waves import compare_waves
    from readiness.waves_chart import timeline_chart, waves_chart

    waves = plan.waves if plan is not None else ()
    sentences: tuple[str, ...] = ()
    method = ""
    if len(waves) >= 2:
        comparison = compare_waves(waves[-2], waves[-1], dimension_names=names)
        sentences, method = tuple(comparison.sentences), comparison.method_text
    elif len(waves) == 1:
        sentences = (f"One wave so far ({waves[0].label}): add a later one to see what changed.",)
    chart = waves_chart(list(waves), group, dict(names)) if waves else None
    timeline = (
        timeline_chart(plan, load_action_kinds())
        if plan is not None and (plan.actions or plan.waves)
        else None
    )
    return WavesView(sentences, method, tuple(wave_groups(plan)), chart, timeline)
