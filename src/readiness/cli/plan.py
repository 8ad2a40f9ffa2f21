"""``readiness plan check|kinds``: did a plan's actions work, and what each kind assumes.

``check`` fits each action of a plan file to measured adoption (a ``period,value`` history, or
usage exports measured against a roster or a headcount) with :func:`readiness.plan.check.
check_action` and prints one result per action: the verdict, the effect with its 95% interval
and the sentence the dashboard shows. ``kinds`` lists the kinds of action of
``data/actions.yaml`` with their assumption and source. Bad input raises :class:`InputError`
(exit code 2); an action the data cannot check (a division not in the usage, too few months
before its start) is reported in its own result.
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from readiness.cli.output import add_format, table_text, write_json

if TYPE_CHECKING:
    from readiness.evidence.drivers import DivisionMap
    from readiness.fitting import Observations
    from readiness.plan.check import ActionCheck
    from readiness.plan.kinds import ActionKinds
    from readiness.plan.model import Plan, PlanAction
    from readiness.usage.measure import MeasuredAdoption

#: readiness.plan.check.MIN_MONTHS_AFTER (what --help says; tests check it equals its owner)
MIN_MONTHS_AFTER = 4
#: readiness.cli.usage.MAX_HEADCOUNT
MAX_HEADCOUNT = 10_000_000
#: The columns of an action's curves (readiness.plan.check.ActionCheck.curves).
CURVE_COLUMNS = ("year", "observed", "with_action", "without_action")
#: The CSV's columns, one row per action.
CSV_COLUMNS = (
    "action",
    "kind",
    "scope",
    "start",
    "end",
    "shape",
    "verdict",
    "months_after",
    "effect",
    "effect_low",
    "effect_high",
    "growth",
    "growth_low",
    "growth_high",
    "duration_months",
    "duration",
    "fitted_start",
    "months_earlier",
    "target",
    "target_share",
    "delta_aic",
    "f_p_value",
    "sentence",
    "plan_sentence",
    "error",
)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``plan check`` and ``plan kinds`` to the ``readiness`` parser."""
    plan = subparsers.add_parser(
        "plan", help="a plan's actions: did they work (check), what each kind assumes (kinds)"
    )
    actions = plan.add_subparsers(dest="action", required=True, metavar="ACTION")
    check = actions.add_parser(
        "check",
        help="did each action of a plan work, as measured adoption says",
        description=(
            "Fit each action of a plan to measured adoption: the Generalized Bass Model with "
            "the action's shock (rectangular from its start to its end when it has one, else "
            "its kind's shape), its start held at the action's date, next to plain Bass. "
            "Prints one result per action: supported, not supported or too early to tell "
            f"(fewer than {MIN_MONTHS_AFTER} measured months after the start), the effect on "
            "growth with its 95% interval, how long it holds, how much earlier 50% is reached "
            "than without it, and whether the plan's kept effect lies within the interval."
        ),
    )
    check.add_argument("--plan", required=True, metavar="FILE", help="a plan file (YAML or JSON)")
    source = check.add_mutually_exclusive_group(required=True)
    source.add_argument(
        "--history",
        metavar="FILE",
        help="a CSV period,value of monthly active shares 0-1 (as 'readiness fit' reads it): "
        "one series, checked against every action",
    )
    source.add_argument(
        "--usage",
        nargs="+",
        metavar="FILE",
        help="usage exports (as 'readiness usage' reads them): each action is checked against "
        "its scope's monthly active share",
    )
    denominator = check.add_mutually_exclusive_group()
    denominator.add_argument(
        "--roster", metavar="FILE", help="with --usage: CSV user,division[,start_date,end_date]"
    )
    denominator.add_argument(
        "--headcount",
        type=int,
        metavar="N",
        help="with --usage: people in the organization (no divisions: whole-organization "
        "actions only)",
    )
    check.add_argument(
        "--map",
        metavar="FILE",
        help="with --usage: the division-name map for names the plan and the usage spell "
        'differently: JSON ({"pairs": [{"survey": ..., "measured": ...}]}) or CSV '
        "(survey division,measured division)",
    )
    check.add_argument(
        "--from",
        dest="source",
        metavar="FILE|ID",
        help="an assessment file, or the id of a saved assessment: each action's effect as the "
        "plan assumes it (from the assessment's scores and lever mapping, as 'readiness project "
        "--from ... --plan' projects it) is compared with the measured one",
    )
    check.add_argument("--database", metavar="URL", help="store of --from ID (default: as set)")
    check.add_argument(
        "--estimate-start",
        action="store_true",
        help="estimate each effect's start near the action's date instead of holding it there",
    )
    add_format(
        check,
        default="table",
        note="json: every figure and the curves; csv: one row per action",
    )
    check.set_defaults(handler=run_check)

    kinds = actions.add_parser(
        "kinds",
        help="the kinds of action (data/actions.yaml): what each raises, by how much, its shape",
    )
    add_format(kinds, default="table")
    kinds.set_defaults(handler=run_kinds)


# --- plan kinds ---------------------------------------------------------------------------------


def _kind_rows(kinds: ActionKinds) -> list[dict[str, Any]]:
    return [
        {
            "id": kind.id,
            "label": kind.label,
            "dimension": kind.dimension,
            "change": kind.change,
            "shape": kind.shape,
            "half_life_months": kind.half_life_months,
            "rationale": kind.rationale,
        }
        for kind in kinds.kinds
    ]


def run_kinds(args: argparse.Namespace) -> int:
    """Handler of ``readiness plan kinds``."""
    from readiness.plan.kinds import load_action_kinds
    from readiness.safe_output import terminal_safe, write_csv

    kinds = load_action_kinds()
    rows = _kind_rows(kinds)
    if args.format == "json":
        write_json({"source": kinds.source, "kinds": rows})
    elif args.format == "csv":
        columns = list(rows[0])
        sys.stdout.write(write_csv([columns, *([row[c] for c in columns] for row in rows)]))
    else:
        header = ["id", "label", "raises", "shape", "rationale"]
        table = [
            [
                row["id"],
                row["label"],
                f"{row['dimension']} +{row['change']:g} points",
                row["shape"]
                + (
                    f", half-life {row['half_life_months']:g} months"
                    if row["half_life_months"] is not None
                    else ""
                ),
                terminal_safe(row["rationale"], single_line=True),
            ]
            for row in rows
        ]
        print(table_text(header, table))
        print()
        print(f"source: {terminal_safe(kinds.source, single_line=True)}")
    return 0


# --- plan check ---------------------------------------------------------------------------------


def _division_map(path: str) -> DivisionMap:
    from readiness.evidence.drivers import DivisionMap
    from readiness.textfiles import read_text_file

    text = read_text_file(Path(path), "--map", "a division map")
    reader = DivisionMap.from_json if text.lstrip().startswith("{") else DivisionMap.from_csv
    return reader(text, path)


def _measured(args: argparse.Namespace) -> MeasuredAdoption:
    """The usage exports measured against the roster or the headcount."""
    from readiness.errors import InputError
    from readiness.usage import measure_files, read_roster

    if args.roster is None and args.headcount is None:
        raise InputError(
            "--usage needs --roster FILE (people per division) or --headcount N (the whole"
            " organization)"
        )
    if args.headcount is not None and not 0 < args.headcount <= MAX_HEADCOUNT:
        raise InputError(
            f"--headcount must be between 1 and {MAX_HEADCOUNT:,} (got {args.headcount})"
        )
    roster = read_roster(Path(args.roster), args.roster) if args.roster else None
    measured = measure_files(
        [(Path(f), f) for f in args.usage], roster=roster, headcount=args.headcount
    )
    for file in measured.files:
        for problem in file.problems:
            print(f"warning: {problem}", file=sys.stderr)
    return measured


def _assumed_effects(args: argparse.Namespace, plan: Plan) -> dict[int, float]:
    """Each action's in-scope effect ``c`` as the plan assumes it for the ``--from``
    assessment (by action number), where it is the kind's assumption, not a kept measured
    effect: what the dashboard's Plan page compares with."""
    from readiness.cli.project import _assessment_from, _mapping_choice
    from readiness.evidence.choice import mapping_in_use
    from readiness.plan.effect import plan_effect_for
    from readiness.questionnaire import load_questionnaire
    from readiness.rules import load_rulebook
    from readiness.scoring import score_assessment

    assessment = _assessment_from(args.source, args.database)
    choice = _mapping_choice(assessment, None, args.source)
    mapping, _ = mapping_in_use(choice)
    scores = score_assessment(
        load_questionnaire(), load_rulebook(), assessment.answers, mapping=mapping
    )
    effect = plan_effect_for(
        scores, assessment.answers, assessment.assessed_on, plan, mapping_choice=choice
    )
    found = {}
    for number, action in enumerate(plan.actions, start=1):
        shock = next((s for s in effect.shocks if s.action == action), None)
        if shock is not None and shock.source == "assumed":
            found[number] = shock.in_scope_effect
    return found


def _scope_name(action: PlanAction) -> str:
    return ", ".join(action.divisions) if action.divisions else "whole organization"


def _checks(
    args: argparse.Namespace, plan: Plan
) -> list[tuple[int, PlanAction, ActionCheck | None, str | None]]:
    """Each action with its check, or the reason it could not be checked."""
    from readiness.errors import InputError
    from readiness.fitting import read_observations
    from readiness.plan.check import check_action, scope_series
    from readiness.plan.kinds import load_action_kinds

    if args.history is not None and (args.roster or args.headcount is not None or args.map):
        raise InputError("--roster, --headcount and --map are for --usage FILE...")
    kinds = load_action_kinds()
    history: Observations | None = None
    measured = None
    names = None
    if args.history is not None:
        history = read_observations(args.history, kind="cumulative", unit="share")
    else:
        measured = _measured(args)
        names = _division_map(args.map) if args.map else None
    assumed = _assumed_effects(args, plan) if args.source is not None else {}
    results: list[tuple[int, PlanAction, ActionCheck | None, str | None]] = []
    for number, action in enumerate(plan.actions, start=1):
        observations = history
        if measured is not None:
            scope = scope_series(measured, action, names)
            if scope.observations is None:
                results.append((number, action, None, scope.reason))
                continue
            observations = scope.observations
        assert observations is not None
        try:
            result = check_action(
                observations,
                action,
                kinds.get(action.kind),
                estimate_start=args.estimate_start,
                assumed_effect=assumed.get(number),
                measured_effect=plan.measured.get(action.kind),
            )
        except InputError as error:
            results.append((number, action, None, "; ".join(error.problems)))
            continue
        results.append((number, action, result, None))
    return results


def _number(value: float | None) -> float | None:
    """A figure as JSON holds it: ``None`` for none (or one that is not finite)."""
    return None if value is None or not math.isfinite(value) else float(value)


def _check_json(
    number: int, action: PlanAction, check: ActionCheck | None, error: str | None
) -> dict[str, Any]:
    """One action's result as the JSON holds it."""
    from readiness.plan.check import to_measured_effect

    head: dict[str, Any] = {
        "action": number,
        "kind": action.kind,
        "scope": list(action.divisions),
        "start": action.start.isoformat(),
        "end": action.end.isoformat() if action.end else None,
    }
    if check is None:
        return {**head, "error": error}
    growth_low, growth_high = check.multiplier_interval
    comparison = check.comparison
    keep = None
    if check.effect is not None and check.effect_low is not None:
        keep = to_measured_effect(check).model_dump(mode="json")
    return {
        **head,
        "label": check.kind.label,
        "shape": check.shape,
        "verdict": check.verdict,
        "sentence": check.sentence,
        "plan_sentence": check.plan_sentence,
        "months_after": check.months_after,
        "start_estimated": check.start_estimated,
        "fitted_start": _number(check.start),
        "effect": {
            "value": _number(check.effect),
            "low": _number(check.effect_low),
            "high": _number(check.effect_high),
            "interval": check.interval_method or None,
        },
        "growth": {
            "value": _number(check.multiplier),
            "low": _number(growth_low),
            "high": _number(growth_high),
        },
        "duration_months": _number(check.duration_months),
        "duration": check.duration,
        "months_earlier": _number(check.months_earlier),
        "target": check.target,
        "target_share": _number(check.target_share),
        "consistent_with_plan": check.consistent,
        "measured_effect": keep,
        "comparison": None
        if comparison is None
        else {
            "delta_aic": _number(comparison.delta_aic),
            "penalised_delta_aic": _number(comparison.penalised_delta_aic),
            "change_points": comparison.change_points,
            "f_statistic": _number(comparison.f_statistic),
            "f_df": list(comparison.f_df),
            "f_p_value": _number(comparison.f_p_value),
            "lr_statistic": _number(comparison.lr_statistic),
            "lr_p_value": _number(comparison.lr_p_value),
            "sentence": comparison.sentence,
        },
        "curves": [
            dict(zip(CURVE_COLUMNS, (_number(float(v)) for v in row), strict=True))
            for row in check.curves[list(CURVE_COLUMNS)].to_numpy(dtype=float)
        ],
        "warnings": [] if check.fit is None else list(check.fit.warnings),
    }


def _csv_row(payload: dict[str, Any]) -> list[Any]:
    effect = payload.get("effect") or {}
    growth = payload.get("growth") or {}
    comparison = payload.get("comparison") or {}
    values = {
        **payload,
        "scope": "; ".join(payload["scope"]) or "whole organization",
        "effect": effect.get("value"),
        "effect_low": effect.get("low"),
        "effect_high": effect.get("high"),
        "growth": growth.get("value"),
        "growth_low": growth.get("low"),
        "growth_high": growth.get("high"),
        "delta_aic": comparison.get("delta_aic"),
        "f_p_value": comparison.get("f_p_value"),
    }
    return ["" if values.get(c) is None else values[c] for c in CSV_COLUMNS]


def _table(results: list[tuple[int, PlanAction, ActionCheck | None, str | None]]) -> str:
    """The results for a person: one line per action, then each one's sentences."""
    from readiness.safe_output import terminal_safe

    header = ["#", "kind", "scope", "start", "verdict", "growth", "95% interval", "months after"]
    rows = []
    lines = []
    for number, action, check, error in results:
        scope = terminal_safe(_scope_name(action), single_line=True)
        if len(scope) > 40:
            scope = scope[:37] + "..."
        if check is None:
            rows.append([number, action.kind, scope, action.start.isoformat(), "error", "", "", ""])
            lines.append(f"{number}. error: {terminal_safe(error or '', single_line=True)}")
            continue
        low, high = check.multiplier_interval
        rows.append(
            [
                number,
                action.kind,
                scope,
                action.start.isoformat(),
                check.verdict,
                "" if check.multiplier is None else f"{check.multiplier:.2f}x",
                "" if low is None or high is None else f"{low:.2f}-{high:.2f}",
                check.months_after,
            ]
        )
        text = f"{number}. {terminal_safe(check.sentence, single_line=True)}"
        if check.plan_sentence:
            text += f"\n   {terminal_safe(check.plan_sentence, single_line=True)}"
        lines.append(text)
    return table_text(header, rows) + "\n\n" + "\n".join(lines)


def run_check(args: argparse.Namespace) -> int:
    """Handler of ``readiness plan check``."""
    from readiness.errors import InputError
    from readiness.plan.model import read_plan_file
    from readiness.safe_output import write_csv

    plan = read_plan_file(Path(args.plan))
    if plan.empty:
        raise InputError(f"{args.plan}: the plan has no actions to check")
    results = _checks(args, plan)
    if args.format == "table":
        print(_table(results))
        return 0
    payloads = [_check_json(*result) for result in results]
    if args.format == "json":
        write_json({"plan": args.plan, "actions": payloads})
    else:
        sys.stdout.write(write_csv([CSV_COLUMNS, *(_csv_row(p) for p in payloads)]))
    return 0
