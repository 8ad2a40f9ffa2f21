"""``readiness project`` and ``readiness fit``: adoption curves from the command line.

``project`` evaluates one scenario (optionally calibrated from an earlier observation) and prints
``[{"year": ..., "share": ...}]`` with shares 0-1. ``fit`` fits a history CSV (``period,value``)
and prints the parameters, quality and a forecast with its 95% band, in the history's own unit
and kind. Bad input raises :class:`InputError` (exit code 2), never a traceback.
"""

from __future__ import annotations

import argparse
import io
import math
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from readiness.cli.output import add_format, write_json
from readiness.safe_output import terminal_safe, write_csv

if TYPE_CHECKING:
    from pydantic import ValidationError

    from readiness.assessment import Assessment
    from readiness.evidence.choice import MappingChoice
    from readiness.fitting import FitResult, Observations, ShockShape
    from readiness.plan.model import Plan
    from readiness.projection import ModelName, Scenario

# What --help shows of the core's facts, written out so that it imports nothing heavy; each
# equals its owner (tests/test_cli_startup.py checks them).
#: readiness.projection.MODELS, LITERATURE_P, LITERATURE_Q
MODELS = ("doubling", "logistic", "gompertz", "bass")
LITERATURE_P = 0.03
LITERATURE_Q = 0.38
#: readiness.fitting.FIT_MODELS, and the fitting's model choice
FIT_MODELS = ("logistic", "gompertz", "bass", "auto")
#: readiness.fitting.SHOCK_MODELS, SHOCK_SHAPES, MAX_SHOCKS
SHOCK_MODELS = ("gbm",)
SHOCK_SHAPES = ("rectangular", "exponential")
MAX_SHOCKS = 3
#: readiness.fitting.Kind, Unit, BAND_METHODS, BOOTSTRAP_BELOW_POINTS
KINDS = ("per-period", "cumulative")
UNITS = ("share", "percent", "count")
BAND_METHODS = ("auto", "covariance", "bootstrap")
BOOTSTRAP_BELOW_POINTS = 12

OPTION_OF_FIELD = {
    "start_year": "--start-year",
    "start_share": "--start-share",
    "ceiling": "--ceiling",
    "horizon": "--years",
    "g": "--g",
    "r": "--r",
    "c": "--r",
    "p": "--p",
    "q": "--q",
}
MAX_YEARS = 200.0


def register(subparsers: Any) -> None:
    """Add the ``project`` and ``fit`` sub-commands to the ``readiness`` parser."""
    project = subparsers.add_parser(
        "project",
        help="project an adoption curve from a start share",
        description=(
            "Project adoption (share 0-1) from a start share in a start year. Doubling never "
            "slows down until it hits the ceiling; S-curves (logistic, Gompertz, Bass) do. "
            "With --from, the organization's own projection instead, exactly as the dashboard "
            "and the report show it: start share from its answers, start date from the "
            "assessment, parameters from the lever mapping the assessment keeps (the assumed "
            "one of data/levers.yaml unless a calibrated one was chosen; --mapping overrides), "
            "milestones and levers; with --plan, also the plan's projected effect."
        ),
    )
    project.add_argument(
        "--from",
        dest="source",
        metavar="FILE|ID",
        help="an assessment file (JSON, as the dashboard's download or 'assessments export' "
        "writes it), or the id of a saved assessment (see 'assessments list')",
    )
    project.add_argument("--database", metavar="URL", help="store of --from ID (default: as set)")
    project.add_argument(
        "--mapping",
        choices=("assumed", "calibrated"),
        help="with --from: the lever mapping to use instead of the one the assessment keeps "
        "(calibrated: the one it keeps from the Evidence page)",
    )
    project.add_argument(
        "--plan",
        metavar="PLAN.yaml",
        help="with --from: a plan file (YAML or JSON, as the dashboard's download writes it): "
        "the projection with the plan's actions beside the one without",
    )
    project.add_argument("--model", choices=MODELS)
    project.add_argument("--g", type=float, help="doubling: growth factor per year (default 2)")
    project.add_argument("--r", type=float, help="logistic rate r, or Gompertz rate c, per year")
    project.add_argument("--p", type=float, help=f"Bass innovation p (default {LITERATURE_P:g})")
    project.add_argument("--q", type=float, help=f"Bass imitation q (default {LITERATURE_Q:g})")
    project.add_argument("--ceiling", type=float, default=1.0, help="ceiling, share 0-1")
    project.add_argument("--start-year", type=float, help="calendar year")
    project.add_argument("--start-share", type=float, help="share 0-1 at start")
    project.add_argument(
        "--calibrate-from",
        metavar="YEAR=SHARE",
        help="an earlier observation from which the growth parameter is solved (Bass: q, p fixed)",
    )
    project.add_argument("--years", type=float, help="years to project")
    project.add_argument("--step", choices=("year", "month"), default="year")
    add_format(project, default="json")
    project.set_defaults(handler=run_project)

    fit = subparsers.add_parser(
        "fit",
        help="fit an adoption curve to a history CSV (period,value)",
        description=(
            "Fit logistic, Gompertz or Bass curves by bounded least squares to a CSV with "
            "columns period,value; 'auto' ranks the models by AIC. 'gbm' fits the Generalized "
            "Bass Model with shocks (--shock) beside the plain Bass fit and says whether the "
            "shocks are supported. The forecast's low/high are the 95% band, in the history's "
            "own unit and kind."
        ),
    )
    fit.add_argument("file", metavar="FILE", help="CSV with columns period,value")
    fit.add_argument("--model", choices=(*FIT_MODELS, *SHOCK_MODELS), default="auto")
    fit.add_argument(
        "--shock",
        metavar="SHAPE[,SHAPE]",
        help=(
            f"--model gbm: the shocks' shapes in time order, up to {MAX_SHOCKS}: 'exponential'"
            " (an effect that fades) or 'rectangular' (a campaign with an end); default one"
            " exponential shock"
        ),
    )
    fit.add_argument(
        "--shock-start",
        metavar="DATE[,DATE]",
        help=(
            "--model gbm: each shock's start (a date or a period as in FILE), in the order of"
            " --shock; leave one empty to estimate it (default: all estimated)"
        ),
    )
    fit.add_argument("--kind", choices=KINDS, default="cumulative")
    fit.add_argument("--unit", choices=UNITS, default="share")
    fit.add_argument(
        "--population",
        type=float,
        help=(
            "population size for --unit count (the ceiling is then a share of it); without it,"
            " counts fit the market potential m in counts"
        ),
    )
    fit.add_argument(
        "--ceiling",
        type=float,
        help="hold the ceiling fixed: a share 0-1, or a count for counts without --population",
    )
    fit.add_argument("--horizon", type=float, default=5.0, help="years to forecast (default 5)")
    fit.add_argument(
        "--band",
        choices=BAND_METHODS,
        default="auto",
        help=(
            "how the band is made: 'covariance' is the delta method on the logit of the share, "
            "'bootstrap' refits the model to 200 simulated histories (all at once; honest for "
            f"short histories); 'auto' bootstraps histories under {BOOTSTRAP_BELOW_POINTS} points"
        ),
    )
    add_format(fit, default="json", note="csv: the forecast and its bands only")
    fit.set_defaults(handler=run_fit)


# --- project ------------------------------------------------------------------------------------


def _finite(name: str, value: float | None) -> None:
    from readiness.errors import InputError

    if value is not None and not math.isfinite(value):
        raise InputError(f"{name} must be a finite number (got {value})")


def _parse_observation(text: str) -> tuple[float, float]:
    from readiness.errors import InputError

    year_text, sep, share_text = text.partition("=")
    try:
        if not sep:
            raise ValueError
        year, share = float(year_text), float(share_text)
    except ValueError:
        raise InputError(
            f"--calibrate-from must look like YEAR=SHARE, e.g. 2008=0.125 (got {text!r})"
        ) from None
    if not (math.isfinite(year) and math.isfinite(share)) or not 0.0 < share < 1.0:
        raise InputError(
            f"--calibrate-from share must be between 0 and 1 (got {share_text.strip()})"
        )
    return year, share


def _check_share(option: str, value: float, *, allow_zero: bool = True) -> None:
    from readiness.errors import InputError

    _finite(option, value)
    if value > 1.0 and value <= 100.0:
        raise InputError(
            f"{option} must be a share between 0 and 1 (got {value:g}; {value:g}% is"
            f" {value / 100:g})"
        )
    if not (0.0 <= value <= 1.0) or (not allow_zero and value == 0.0):
        raise InputError(f"{option} must be a share between 0 and 1 (got {value:g})")


def _growth_parameters(model: ModelName, args: argparse.Namespace) -> dict[str, float]:
    from readiness.errors import InputError
    from readiness.projection import calibrate_growth

    allowed = {"doubling": {"g"}, "logistic": {"r"}, "gompertz": {"r"}, "bass": {"p", "q"}}[model]
    for name in ("g", "r", "p", "q"):
        value = getattr(args, name)
        _finite(f"--{name}", value)
        if value is not None and name not in allowed:
            raise InputError(f"--{name} does not apply to --model {model}")
    if args.calibrate_from is not None:
        solved = "q" if model == "bass" else ("g" if model == "doubling" else "r")
        if getattr(args, solved) is not None:
            raise InputError(
                f"give either --{solved} or --calibrate-from, not both: --calibrate-from solves"
                f" --{solved}"
            )
        year, share = _parse_observation(args.calibrate_from)
        p = args.p if args.p is not None else LITERATURE_P
        if model == "bass" and not 0 < p <= 1:
            raise InputError(f"--p must be above 0 and at most 1 (got {p:g})")
        try:
            return calibrate_growth(
                model, year, share, args.start_year, args.start_share, ceiling=args.ceiling, p=p
            )
        except InputError as error:
            raise InputError(
                [f"--calibrate-from: {problem}" for problem in error.problems]
            ) from None
    if model == "doubling":
        return {"g": 2.0 if args.g is None else args.g}
    if model in ("logistic", "gompertz"):
        if args.r is None:
            raise InputError(f"--model {model} needs --r RATE or --calibrate-from YEAR=SHARE")
        return {"r" if model == "logistic" else "c": args.r}
    return {
        "p": LITERATURE_P if args.p is None else args.p,
        "q": LITERATURE_Q if args.q is None else args.q,
    }


def _validation_problems(error: ValidationError) -> list[str]:
    from readiness.errors import describe_validation_error

    return describe_validation_error(error, "", field_names=OPTION_OF_FIELD)


def build_scenario(args: argparse.Namespace) -> Scenario:
    """The scenario the ``project`` options describe; :class:`InputError` if they are bad."""
    from pydantic import ValidationError

    from readiness.errors import InputError
    from readiness.projection import Scenario

    model: ModelName = args.model
    _finite("--start-year", args.start_year)
    _check_share("--start-share", args.start_share)
    _check_share("--ceiling", args.ceiling, allow_zero=False)
    _finite("--years", args.years)
    if not 0.0 < args.years <= MAX_YEARS:
        raise InputError(f"--years must be above 0 and at most {MAX_YEARS:g} (got {args.years:g})")
    if args.start_share > args.ceiling:
        raise InputError(
            f"--start-share {args.start_share:g} is above the ceiling {args.ceiling:g}"
        )
    params = _growth_parameters(model, args)
    try:
        return Scenario(
            model=model,
            start_year=args.start_year,
            start_share=args.start_share,
            ceiling=args.ceiling,
            horizon=args.years,
            step=args.step,
            **params,
        )
    except ValidationError as error:
        raise InputError(_validation_problems(error)) from None


def _number(value: float, digits: int = 6) -> float | int:
    rounded = round(float(value), digits)
    return int(rounded) if rounded.is_integer() else rounded


def run_project(args: argparse.Namespace) -> int:
    """Handler of ``readiness project``: print the curve as JSON, CSV or a table."""
    from readiness.errors import InputError
    from readiness.projection import evaluate_one

    if args.source is not None:
        return _run_organization_projection(args)
    if args.mapping is not None:
        raise InputError("--mapping needs --from FILE|ID (the assessment whose mapping it is)")
    if args.plan is not None:
        raise InputError(
            "--plan needs --from FILE|ID (the assessment whose projection the plan acts on)"
        )
    missing = [
        option
        for option, value in (
            ("--model", args.model),
            ("--start-year", args.start_year),
            ("--start-share", args.start_share),
            ("--years", args.years),
        )
        if value is None
    ]
    if missing:
        raise InputError(f"{', '.join(missing)} needed (or --from FILE|ID for an organization)")
    scenario = build_scenario(args)
    years, shares = evaluate_one(scenario)
    rows = [
        {"year": _number(y), "share": _number(s, 9)} for y, s in zip(years, shares, strict=True)
    ]
    out = sys.stdout
    if args.format == "json":
        write_json(rows)
    elif args.format == "csv":
        out.write(write_csv([["year", "share"], *([r["year"], r["share"]] for r in rows)]))
    else:
        out.write(f"{scenario.label}, from {scenario.start_share:.1%} in {scenario.start_year:g}\n")
        out.write(f"{'year':>9}  {'share':>7}\n")
        for y, s in zip(years, shares, strict=True):
            year = f"{y:.0f}" if args.step == "year" else f"{y:.3f}"
            out.write(f"{year:>9}  {s:>7.1%}\n")
    return 0


def _run_organization_projection(args: argparse.Namespace) -> int:
    """``project --from FILE|ID``: the organization's projection (:mod:`readiness.organization`)
    and, with ``--plan``, the plan's projected effect (:mod:`readiness.plan.effect`)."""
    from readiness.evidence.choice import mapping_in_use
    from readiness.organization import projection_for
    from readiness.plan.effect import PlanEffect, plan_effect_for
    from readiness.projection import evaluate_one
    from readiness.questionnaire import load_questionnaire
    from readiness.rules import load_rulebook
    from readiness.scoring import score_assessment
    from readiness.story import organization_answer

    assessment = _assessment_from(args.source, args.database)
    choice = _mapping_choice(assessment, args.mapping, args.source)
    plan = None if args.plan is None else _read_plan(args.plan)
    mapping, _ = mapping_in_use(choice)
    scores = score_assessment(
        load_questionnaire(), load_rulebook(), assessment.answers, mapping=mapping
    )
    effect: PlanEffect | None = None
    if plan is None:
        projection = projection_for(
            scores, assessment.answers, assessment.assessed_on, mapping_choice=choice
        )
    else:
        effect = plan_effect_for(
            scores, assessment.answers, assessment.assessed_on, plan, mapping_choice=choice
        )
        projection = effect.projection
    names = {d.id: d.name for d in scores.dimensions}
    out = sys.stdout
    if args.format == "json":
        payload = projection.as_json()
        if effect is not None:
            payload["plan"] = effect.as_json()
        write_json(payload)
    elif args.format == "csv":
        years, shares = evaluate_one(projection.scenario)
        if effect is None:
            rows = [[_number(y), _number(v, 9)] for y, v in zip(years, shares, strict=True)]
            out.write(write_csv([["year", "share"], *rows]))
        else:
            rows = [
                [_number(y), _number(v, 9), _number(w, 9)]
                for y, v, w in zip(years, shares, effect.with_plan, strict=True)
            ]
            out.write(write_csv([["year", "share", "with_plan"], *rows]))
    else:
        out.write(terminal_safe(organization_answer(projection, names)) + "\n\n")
        out.write(projection.milestone_frame().to_string(index=False) + "\n")
        if effect is not None:
            out.write("\nPlan: " + terminal_safe(effect.sentence) + "\n\n")
            out.write(terminal_safe(effect.milestone_frame().to_string(index=False)) + "\n")
            for note in effect.notes:
                out.write(f"note: {terminal_safe(note, single_line=True)}\n")
    return 0


def _read_plan(name: str) -> Plan:
    """The ``--plan`` file, every problem on a line naming the file (:class:`InputError`)."""
    from readiness.errors import InputError
    from readiness.plan.model import read_plan_file

    try:
        return read_plan_file(Path(name))
    except InputError as error:
        raise InputError(
            [p if p.startswith((name, "--plan")) else f"{name}: {p}" for p in error.problems]
        ) from None
    except RecursionError:
        raise InputError(f"{name}: not a plan: nested too deeply") from None
    except (ValueError, TypeError) as error:
        # YAML that parses into what no plan holds (a date such as 2020-02-30, an integer of
        # thousands of digits, a set): one line, never a traceback
        raise InputError(f"{name}: not a plan: {error}") from None


def _mapping_choice(
    assessment: Assessment, wanted: str | None, source: str
) -> MappingChoice | None:
    """The assessment's lever mapping choice, with ``--mapping`` (``wanted``) in use when given;
    :class:`InputError` for "calibrated" when the assessment keeps no calibrated mapping."""
    from readiness.errors import InputError

    choice = assessment.mapping_choice
    if wanted is None:
        return choice
    if wanted == "calibrated":
        if choice is None or not choice.offered:
            raise InputError(
                f"{source}: --mapping calibrated: the assessment keeps no calibrated mapping"
                " (calibrate one on the dashboard's Evidence page and keep it with the assessment)"
            )
        return choice.using("calibrated")
    return None if choice is None else choice.using("assumed")


def _assessment_from(source: str, database: str | None) -> Assessment:
    """An assessment from an assessment file (any the dashboard, ``template`` or ``assessments
    export`` wrote), or a saved one by id (the store is only read). A name that is both an id
    and a file is the file."""
    from readiness.assessment import read_assessment_file
    from readiness.editing import valid_assessment_id
    from readiness.errors import InputError, StoreError
    from readiness.questionnaire import load_questionnaire
    from readiness.store import open_store

    path = Path(source)
    assessment_id = valid_assessment_id(source)
    if assessment_id is None or _exists(path):
        return read_assessment_file(load_questionnaire(), path, argument="--from")
    try:
        with open_store(database, create=False) as store:
            return store.get_assessment(assessment_id).assessment
    except StoreError as error:
        raise InputError(str(error)) from None


def _exists(path: Path) -> bool:
    """Whether anything is at ``path``; a name the system cannot even look up is not there."""
    try:
        return path.exists()
    except OSError:  # e.g. a name too long: reading it says so
        return False


# --- fit ----------------------------------------------------------------------------------------


def _shock_shapes(args: argparse.Namespace) -> tuple[str, ...]:
    """The ``--shock`` shapes (one exponential shock by default); :class:`InputError` naming
    the option when they are not for ``--model gbm`` or not shapes."""
    from readiness.errors import InputError

    # Other commands fit through the same payload without the shock options.
    shock, shock_start = getattr(args, "shock", None), getattr(args, "shock_start", None)
    for option, value in (("--shock", shock), ("--shock-start", shock_start)):
        if value is not None and args.model not in SHOCK_MODELS:
            raise InputError(f"{option} only applies with --model gbm (got --model {args.model})")
    if shock is None:
        return ("exponential",)
    shapes = tuple(part.strip() for part in shock.split(","))
    unknown = [shape for shape in shapes if shape not in SHOCK_SHAPES]
    if unknown:
        raise InputError(
            f"--shock: {_shown(unknown[0])} is not a shock shape ({' or '.join(SHOCK_SHAPES)})"
        )
    if len(shapes) > MAX_SHOCKS:
        raise InputError(f"--shock: at most {MAX_SHOCKS} shocks (got {len(shapes)})")
    return shapes


def _shock_starts(text: str | None, shocks: int) -> list[tuple[str, float] | None]:
    """The ``--shock-start`` entries as (text, decimal year), ``None`` where one is left empty
    (estimated); :class:`InputError` naming the option for an entry that is no date or period."""
    from readiness.errors import InputError

    if text is None:
        return []
    parts = [part.strip() for part in text.split(",")]
    if len(parts) > shocks:
        raise InputError(
            f"--shock-start: {len(parts)} starts for {shocks} shock{'s' if shocks != 1 else ''}"
            " (--shock)"
        )
    starts: list[tuple[str, float] | None] = []
    for part in parts:
        if not part:
            starts.append(None)
            continue
        shown = _shown(part)
        try:
            value = float(part)
        except ValueError:
            value = _decimal_year(part)
        if not math.isfinite(value):
            raise InputError(
                f"--shock-start: {shown} is not a date (YYYY-MM-DD) or a period as in the history"
            )
        starts.append((part, value))
    return starts


def _shown(text: str) -> str:
    """An option's entry for a message: quoted, on one line, long text shortened."""
    return terminal_safe(repr(text if len(text) <= 40 else text[:37] + "..."), single_line=True)


def _decimal_year(text: str) -> float:
    """An ISO 8601 date as the decimal year the history's periods are read as (NaN if none)."""
    from readiness.fitting.reading import dated_years

    return float(dated_years([text])[0])


def _shock_fit(
    args: argparse.Namespace, observations: Observations
) -> tuple[FitResult, dict[str, Any]]:
    """``--model gbm``: the shock model, the plain Bass fit beside it and their comparison."""
    from readiness.errors import InputError
    from readiness.fitting import compare_with_bass, fit_bass, fit_gbm

    shapes = _shock_shapes(args)
    starts = _shock_starts(getattr(args, "shock_start", None), len(shapes))
    first, last = observations.periods[0], observations.periods[-1]
    for entry in starts:
        if entry is not None and not first <= entry[1] <= last:
            shown = _shown(entry[0])
            raise InputError(
                f"--shock-start {shown} is outside the history {observations.source}"
                f" (periods {first:g} to {last:g} as decimal years)"
            )
    result = fit_gbm(
        observations,
        cast("tuple[ShockShape, ...]", shapes),  # checked against SHOCK_SHAPES
        shock_starts=[None if entry is None else entry[1] for entry in starts],
        ceiling=args.ceiling,
    )
    bass = fit_bass(observations, ceiling=args.ceiling)
    comparison = compare_with_bass(result, bass)
    extra = {
        "shocks": [
            {
                "shock": number,
                "shape": shape,
                "parameters": [f"{letter}{number}" for letter in "abc"],
                "start_fixed": result.params[f"a{number}"].fixed,
            }
            for number, shape in enumerate(shapes, start=1)
        ],
        "bass": {
            "aic": bass.aic,
            "bic": bass.bic,
            "sse": _optional(bass.sse_in_unit),
            "r2": bass.r2,
            "converged": bass.converged,
        },
        "comparison": {
            "delta_aic": comparison.delta_aic,
            "change_points": comparison.change_points,
            "penalised_delta_aic": comparison.penalised_delta_aic,
            "f_statistic": _optional(comparison.f_statistic),
            "f_df": list(comparison.f_df),
            "f_p_value": _optional(comparison.f_p_value),
            "lr_statistic": _optional(comparison.lr_statistic),
            "lr_p_value": _optional(comparison.lr_p_value),
            "after_start": list(comparison.after_start),
            "verdict": comparison.verdict,
            "sentence": comparison.sentence,
        },
    }
    return result, extra


def _optional(value: float | None) -> float | None:
    return None if value is None or not math.isfinite(value) else value


def _fit_payload(args: argparse.Namespace) -> tuple[dict[str, Any], FitResult]:
    from readiness.errors import InputError
    from readiness.fitting import fit_model, read_observations

    if args.model not in SHOCK_MODELS:
        _shock_shapes(args)  # --shock without --model gbm is an error
    if args.population is not None and args.unit != "count":
        raise InputError("--population only applies with --unit count")
    if args.population is not None:
        _finite("--population", args.population)
        if args.population <= 0:
            raise InputError(f"--population must be positive (got {args.population:g})")
    in_counts = args.unit == "count" and args.population is None
    if args.ceiling is not None and in_counts:
        _finite("--ceiling", args.ceiling)
        if not args.ceiling > 0:
            raise InputError(f"--ceiling must be a positive count (got {args.ceiling:g})")
    elif args.ceiling is not None:
        _check_share("--ceiling", args.ceiling, allow_zero=False)
    _finite("--horizon", args.horizon)
    if not 0.0 <= args.horizon <= MAX_YEARS:
        raise InputError(
            f"--horizon must be between 0 and {MAX_YEARS:g} years (got {args.horizon:g})"
        )
    observations = read_observations(
        args.file, kind=args.kind, unit=args.unit, population=args.population
    )
    shock_payload: dict[str, Any] = {}
    if args.model in SHOCK_MODELS:
        result, shock_payload = _shock_fit(args, observations)
    else:
        result = fit_model(args.model, observations, ceiling=args.ceiling)
    periods = result.forecast_periods(args.horizon)
    band = result.uncertainty(periods, args.band)
    to_unit = observations.in_unit
    optional = _optional

    parameters = {}
    for name, p in result.params.items():
        low, high = p.interval
        parameters[name] = {
            "value": p.value,
            "se": optional(p.stderr),
            "low": optional(low),
            "high": optional(high),
            "at_bound": p.at_bound,
            "fixed": p.fixed,
        }
    payload: dict[str, Any] = {
        "model": result.model,
        "params": {
            name: {
                "value": p.value,
                "stderr": optional(p.stderr),
                "fixed": p.fixed,
                "at_bound": p.at_bound,
            }
            for name, p in result.params.items()
        },
        "parameters": parameters,
        "r2": result.r2,
        "aic": result.aic,
        "bic": result.bic,
        "sse": optional(result.sse_in_unit),
        "n": result.n,
        "kind": observations.kind,
        "unit": observations.unit,
        "population": observations.population,
        "ceiling_unit": "count" if observations.in_counts else "share",
        "converged": result.converged,
        "warnings": list(result.warnings),
        "form": result.form,
        "band": band.method,
        "forecast": [
            {
                "period": _number(x),
                "value": float(v),
                "low": float(lo),
                "high": float(hi),
                "low80": float(lo80),
                "high80": float(hi80),
            }
            for x, v, lo, hi, lo80, hi80 in zip(
                periods,
                to_unit(band.fit),
                to_unit(band.low95),
                to_unit(band.high95),
                to_unit(band.low80),
                to_unit(band.high80),
                strict=True,
            )
        ],
    }
    payload.update(shock_payload)
    if args.model == "auto":
        payload["ranking"] = [
            {**r.model_dump(), "equivalent_to": list(r.equivalent_to)} for r in result.ranking
        ]
        payload["model_choice"] = result.model_choice
        payload["skipped"] = result.skipped
    return payload, result


def _fit_table(payload: dict[str, Any], summary: str) -> str:
    out = io.StringIO()
    out.write(summary)
    if "ranking" in payload:
        out.write("ranking by AIC: ")
        out.write(", ".join(f"{r['model']} ({r['aic']:.2f})" for r in payload["ranking"]))
        out.write("\n")
        out.write(f"model choice: {payload['model_choice']}\n")
        for model, reason in payload["skipped"].items():
            out.write(f"skipped {model}: {terminal_safe(reason)}\n")
    if "comparison" in payload:
        bass = payload["bass"]
        out.write(f"plain Bass: AIC = {bass['aic']:.2f}, BIC = {bass['bic']:.2f}\n")
        out.write(f"shock model: {payload['comparison']['sentence']}\n")
    out.write(f"band: {payload['band']}\n")
    out.write(f"{'period':>10} {'value':>12} {'low 95%':>12} {'high 95%':>12}\n")
    for row in payload["forecast"]:
        out.write(
            f"{row['period']:>10} {row['value']:>12.6g} {row['low']:>12.6g} {row['high']:>12.6g}\n"
        )
    return out.getvalue()


def run_fit(args: argparse.Namespace) -> int:
    """Handler of ``readiness fit``: print the fit and forecast as JSON, a table or (the
    forecast with its 95% and 80% bands) CSV."""
    payload, result = _fit_payload(args)
    if args.format == "json":
        write_json(payload)
    elif args.format == "csv":
        columns = ("period", "value", "low", "high", "low80", "high80")
        rows = [[row[column] for column in columns] for row in payload["forecast"]]
        sys.stdout.write(write_csv([columns, *rows]))
    else:
        sys.stdout.write(_fit_table(payload, terminal_safe(result.summary_text())))
    return 0
