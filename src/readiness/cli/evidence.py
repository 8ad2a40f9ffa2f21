"""``readiness evidence``: what a survey's own answers say about its scales and, with usage
exports of the same divisions, what drives measured adoption and whether the lever mapping holds.

Per dimension: Cronbach's alpha with its 95% interval, omega total, item-rest correlations and
alpha if an item is deleted, for everyone and for each group of divisions shown (small divisions
merged, as every surface merges them); r_wg(j) per group and ICC(1)/ICC(2) across them. The
sentences are the dashboard's (:mod:`readiness.evidence.survey_evidence`). With ``--usage``: the
divisions paired (``--map`` for unequal names), the relative weights of the dimensions for each
division's measured outcome (:mod:`readiness.evidence.drivers`), and the calibrated lever mapping
with its verdict, the lever ranking of each mapping and how far each division's curve lies from
each mapping's prediction (:mod:`readiness.evidence.calibration`), as the Evidence page shows.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from readiness.cli.output import add_format, table_text, write_json
from readiness.safe_output import terminal_safe, write_csv

if TYPE_CHECKING:
    from readiness.evidence.calibration import Calibration, CurveComparison, LeverRanking
    from readiness.evidence.drivers import DriverAnalysis
    from readiness.evidence.survey_evidence import SurveyEvidence

# What --help shows of the core's facts, written out so that it imports nothing heavy; each
# equals its owner (tests/test_cli_evidence.py checks them).
#: readiness.settings.DEFAULT_MIN_GROUP_SIZE
MIN_GROUP_SIZE = 5
#: readiness.evidence.survey_evidence.MIN_SCALE_RESPONDENTS
MIN_SCALE_RESPONDENTS = 10


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "evidence",
        help="scale quality and agreement of a survey's dimensions",
        description=(
            "What a survey's own answers say about its scales: per dimension, Cronbach's alpha "
            "(raw and standardized, with Feldt's 95% interval), omega total, item-rest "
            "correlations and alpha if an item is deleted, for all respondents and for each "
            "group of divisions shown; r_wg(j) per group and ICC(1)/ICC(2) across them. A "
            f"scale's figures need at least {MIN_SCALE_RESPONDENTS} respondents who answered "
            "it. Divisions with fewer respondents than READINESS_MIN_GROUP_SIZE (default "
            f"{MIN_GROUP_SIZE}) are merged into 'other divisions' in every format."
        ),
    )
    parser.add_argument(
        "--survey",
        type=Path,
        required=True,
        metavar="FILE",
        help="respondents table (CSV, as Survey upload and 'readiness score' read it)",
    )
    parser.add_argument(
        "--usage",
        type=Path,
        nargs="+",
        metavar="FILE",
        help="usage exports of the same divisions (as Measured adoption and 'readiness usage' "
        "read them): adds the drivers of measured adoption and the levers tested",
    )
    parser.add_argument(
        "--roster", type=Path, metavar="FILE", help="roster CSV (user, division) for --usage"
    )
    parser.add_argument(
        "--map",
        type=Path,
        metavar="FILE",
        help='division-name map for --usage: JSON ({"pairs": [{"survey": ..., '
        '"measured": ...}]}) or a CSV of two columns, survey division and measured division; '
        "equal names are paired without it",
    )
    add_format(
        parser,
        default="table",
        note="table: the sentences, then the figures; csv: one row per dimension and group, "
        "then one per item (with --usage: one row per dimension weight and calibrated number)",
    )
    parser.set_defaults(handler=run_evidence)


def run_evidence(args: argparse.Namespace) -> int:
    from readiness.errors import InputError
    from readiness.evidence.survey_evidence import survey_evidence
    from readiness.questionnaire import load_questionnaire
    from readiness.survey import read_respondents_file

    questionnaire = load_questionnaire()
    path: Path = args.survey
    table = read_respondents_file(questionnaire, path)
    if table.problems:
        raise InputError(table.problems)
    if note := table.columns.note():
        print(f"note: {terminal_safe(f'{path}: {note}')}", file=sys.stderr)
    evidence = survey_evidence(questionnaire, table, str(path))
    if evidence.merge_note:
        print(f"note: {evidence.group_text}", file=sys.stderr)
    if args.usage:
        return _run_levers_tested(args, questionnaire, table, evidence)
    if args.roster is not None or args.map is not None:
        raise InputError("--roster and --map are for --usage FILE...")
    if args.format == "json":
        write_json(evidence.to_json())
    elif args.format == "csv":
        sys.stdout.write(write_csv(evidence.csv_rows()))
    else:
        print(_table(evidence))
    return 0


def _shown(value: Any) -> str:
    if value is None:
        return "n/a"
    return (
        f"{value:.2f}" if isinstance(value, float) else terminal_safe(str(value), single_line=True)
    )


def _table(evidence: SurveyEvidence) -> str:
    """The sentences, what the figures are, then the scale table and the items."""
    from readiness.evidence.survey_evidence import TABLE_COLUMNS, item_reading

    lines = [
        f"Scale quality and agreement: {terminal_safe(evidence.name, single_line=True)}, "
        f"{evidence.respondents:,} respondents",
        "",
        *evidence.quality_sentences,
        *evidence.comparison_sentences,
        "",
        evidence.method_text,
        "",
        table_text(
            TABLE_COLUMNS,
            [[_shown(row[c]) for c in TABLE_COLUMNS] for row in evidence.table_rows()],
        ),
    ]
    items = evidence.item_rows()
    if items:
        header = ["Dimension", "Item", "Item-rest", "Alpha if deleted", ""]
        rows = [
            [
                item["dimension"],
                item["item"],
                _shown(item["item_rest"]),
                _shown(item["alpha_if_deleted"]),
                item_reading(item),
            ]
            for item in items
        ]
        lines += ["", table_text(header, rows)]
    return "\n".join(lines)


# --- with --usage: drivers and the levers tested ----------------------------------------------


def _run_levers_tested(
    args: argparse.Namespace, questionnaire: Any, table: Any, evidence: SurveyEvidence
) -> int:
    """The drivers of measured adoption and the calibrated mapping, as the Evidence page."""
    from readiness.errors import InputError
    from readiness.evidence.calibration import calibrate_levers, compare_curves, lever_rankings
    from readiness.evidence.drivers import DivisionMap, measured_drivers, survey_divisions
    from readiness.rules import load_rulebook
    from readiness.scoring import score_respondents
    from readiness.textfiles import read_text_file
    from readiness.usage.forecast import latest_share
    from readiness.usage.measure import measure_files, read_roster

    if args.roster is None:
        raise InputError("--usage needs --roster FILE: it says which division each person is in")
    rulebook = load_rulebook()
    names = None
    if args.map is not None:
        text = read_text_file(args.map, "--map", "a division map")
        reader = DivisionMap.from_json if text.lstrip().startswith("{") else DivisionMap.from_csv
        names = reader(text, str(args.map))
    measured = measure_files(
        [(p, str(p)) for p in args.usage], roster=read_roster(args.roster, str(args.roster))
    )
    survey = survey_divisions(questionnaire, rulebook, table)
    drivers = measured_drivers(survey, measured, names)
    calibration = calibrate_levers(drivers.divisions)
    overall = score_respondents(questionnaire, rulebook, table).overall.scores
    scores = {k: 50.0 if v is None else v for k, v in overall.dimension_scores().items()}
    latest = latest_share(measured)
    start = min(max(latest[1], 0.001), 0.95) if latest else 0.05
    rankings = lever_rankings(calibration, scores, start_share=start)
    curves = compare_curves(calibration, drivers.divisions)
    if args.format == "json":
        write_json(
            {
                **evidence.to_json(),
                **_levers_json(drivers, calibration, rankings, curves, scores, start),
            }
        )
    elif args.format == "csv":
        sys.stdout.write(write_csv(_levers_rows(drivers, calibration)))
    else:
        print(_table(evidence))
        print()
        print(_levers_table(drivers, calibration, rankings, curves))
    return 0


def _round(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(value, digits)


def _levers_json(
    drivers: DriverAnalysis,
    calibration: Calibration,
    rankings: tuple[LeverRanking, LeverRanking],
    curves: CurveComparison,
    scores: dict[str, float],
    start: float,
) -> dict[str, Any]:
    from readiness.evidence.drivers import OUTCOME_LABELS

    return {
        "divisions": {
            "paired": drivers.match.names.as_dict(),
            "unpaired_survey": list(drivers.match.unpaired_survey),
            "unpaired_measured": list(drivers.match.unpaired_measured),
            "notes": list(drivers.notes),
        },
        "drivers": [
            {
                "outcome": OUTCOME_LABELS[outcome],
                "divisions": weights.units,
                "r_squared": _round(weights.r_squared),
                "verdict": weights.verdict.text,
                "weights": [
                    {
                        "dimension": w.name,
                        "weight": _round(w.rescaled),
                        "low": _round(w.rescaled_low),
                        "high": _round(w.rescaled_high),
                    }
                    for w in weights.weights
                ],
            }
            for outcome, weights in drivers.dimensions.items()
        ],
        "calibration": {
            "verdict": calibration.verdict.kind,
            "text": calibration.verdict.text,
            "method": calibration.method,
            "divisions": list(calibration.divisions),
            "left_out": [{"division": d, "why": why} for d, why in calibration.left_out],
            "numbers": [
                {
                    "number": n.label,
                    "scale": n.scale,
                    "assumed": _round(n.prior, 6),
                    "calibrated": _round(n.value, 6),
                    "low": _round(n.low, 6),
                    "high": _round(n.high, 6),
                    "differs": n.moved,
                }
                for n in calibration.numbers
            ],
            "mapping": calibration.mapping.model_dump(mode="json") if calibration.offered else None,
        },
        "levers": {
            "scores": {k: _round(v, 2) for k, v in scores.items()},
            "start_share": _round(start),
            **{
                ranking.mapping: {
                    "ranking": [step.dimension for step in ranking.steps],
                    "text": ranking.text,
                }
                for ranking in rankings
            },
        },
        "curves": curves.describe(),
    }


def _levers_rows(drivers: DriverAnalysis, calibration: Calibration) -> list[list[Any]]:
    from readiness.evidence.drivers import OUTCOME_LABELS

    rows: list[list[Any]] = [["part", "what", "dimension", "value", "low", "high", "verdict"]]
    for outcome, weights in drivers.dimensions.items():
        rows.extend(
            [
                "driver",
                OUTCOME_LABELS[outcome],
                w.name,
                _round(w.rescaled),
                _round(w.rescaled_low),
                _round(w.rescaled_high),
                weights.verdict.kind,
            ]
            for w in weights.weights
        )
    rows.extend(
        [
            "calibrated number",
            n.label,
            n.dimension or "",
            _round(n.value, 6),
            _round(n.low, 6),
            _round(n.high, 6),
            calibration.verdict.kind,
        ]
        for n in calibration.numbers
    )
    return rows


def _levers_table(
    drivers: DriverAnalysis,
    calibration: Calibration,
    rankings: tuple[LeverRanking, LeverRanking],
    curves: CurveComparison,
) -> str:
    lines = [
        "Drivers of measured adoption",
        "",
        *(terminal_safe(note) for note in drivers.notes),
        *drivers.sentences(),
        "",
        "Levers tested",
        "",
        calibration.verdict.text,
        *(ranking.text for ranking in rankings),
        *curves.describe(),
        "",
        calibration.method,
    ]
    if calibration.numbers:
        rows = [[n.label, n.describe(), "yes" if n.moved else ""] for n in calibration.numbers]
        lines += ["", table_text(["Number", "Calibrated (95% interval; assumed)", "Differs"], rows)]
    return "\n".join(lines)
