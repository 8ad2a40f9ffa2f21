"""``readiness evidence``: what a survey's own answers say about its scales.

Per dimension: Cronbach's alpha with its 95% interval, omega total, item-rest correlations and
alpha if an item is deleted, for everyone and for each group of divisions shown (small divisions
merged, as every surface merges them); r_wg(j) per group and ICC(1)/ICC(2) across them. The
sentences are the dashboard's (:mod:`readiness.evidence.survey_evidence`).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from readiness.cli.output import add_format, table_text, write_json
from readiness.safe_output import terminal_safe, write_csv

if TYPE_CHECKING:
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
    add_format(
        parser,
        default="table",
        note="table: the sentences, then the figures; csv: one row per dimension and group, "
        "then one per item",
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
