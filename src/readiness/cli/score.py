"""``readiness template`` and ``readiness score``."""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from readiness.cli.output import add_format, table_text, write_json
from readiness.safe_output import terminal_safe, write_csv

if TYPE_CHECKING:
    from readiness.questionnaire import Questionnaire
    from readiness.scoring import GroupScores, Scores


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "template",
        help="print an empty assessment (json), a respondents CSV with an example row (csv) "
        "or the respondents file's data dictionary (dictionary)",
    )
    add_format(
        parser,
        default="json",
        formats=("json", "csv", "dictionary"),
        note="json: an empty assessment; csv: a respondents table with an example row; "
        "dictionary: the respondents file's data dictionary",
    )
    parser.set_defaults(handler=run_template)

    parser = subparsers.add_parser(
        "score", help="score an assessment (JSON) or a respondents table (CSV)"
    )
    parser.add_argument("file", type=Path, help="assessment .json or respondents .csv")
    add_format(
        parser,
        default="json",
        note="csv: one row per group of a respondents table. Divisions with fewer respondents "
        "than READINESS_MIN_GROUP_SIZE (default 5) are merged into 'other divisions' in every "
        "format",
    )
    parser.add_argument(
        "--weight",
        action="append",
        default=[],
        metavar="DIMENSION=W",
        help="dimension weight for the overall index (repeatable; equal by default)",
    )
    parser.set_defaults(handler=run_score)


def run_template(args: argparse.Namespace) -> int:
    from readiness.questionnaire import load_questionnaire

    questionnaire = load_questionnaire()
    if args.format == "csv":
        from readiness.survey import template_csv

        sys.stdout.write(template_csv(questionnaire))
    elif args.format == "dictionary":
        from readiness.data_dictionary import dictionary_csv

        sys.stdout.write(dictionary_csv(questionnaire))
    else:
        from readiness.assessment import template

        write_json(template(questionnaire))
    return 0


def _weights(questionnaire: Questionnaire, pairs: list[str]) -> dict[str, float]:
    """Dimension weights from ``--weight`` options; finite, and small enough that a weighted
    total of scores (at most 100 each) stays a finite number."""
    from readiness.errors import InputError

    weights: dict[str, float] = {}
    for pair in pairs:
        name, _, value = pair.partition("=")
        try:
            weight = float(value)
        except ValueError:
            raise InputError(f"--weight {pair!r}: expected DIMENSION=NUMBER") from None
        if not math.isfinite(weight):
            raise InputError(f"--weight {pair!r}: the weight must be a finite number")
        weights[name.strip()] = weight
    total = sum(weights.get(d.id, d.weight) for d in questionnaire.dimensions)
    if not math.isfinite(total * 100):
        raise InputError(
            "--weight: the weights are too large (their total overflows); weights are "
            "relative, so smaller numbers in the same proportion give the same index"
        )
    return weights


NOT_FINITE = "the result holds a number that is not finite; check --weight"


def run_score(args: argparse.Namespace) -> int:
    from readiness.errors import InputError
    from readiness.questionnaire import load_questionnaire
    from readiness.rules import load_rulebook
    from readiness.scoring import score_assessment

    questionnaire = load_questionnaire()
    rulebook = load_rulebook()
    weights = _weights(questionnaire, args.weight)
    path: Path = args.file
    if path.suffix.lower() == ".csv":
        from readiness.groups import rule_text
        from readiness.scoring import score_respondents
        from readiness.survey import read_respondents_file

        table = read_respondents_file(questionnaire, path)
        note = table.columns.note()
        if note:
            print(f"note: {terminal_safe(f'{path}: {note}')}", file=sys.stderr)
        batch = score_respondents(questionnaire, rulebook, table, weights)
        merged = batch.groups.note()
        if merged:
            print(f"note: {merged} {rule_text(batch.groups.minimum)}", file=sys.stderr)
        groups = [batch.overall, *batch.divisions.values()]
        if args.format == "json":
            write_json(batch.to_json(), not_finite=NOT_FINITE)
        elif args.format == "csv":
            sys.stdout.write(write_csv(_group_rows(groups)))
        else:
            header, *rows = _group_rows(groups, text=True)
            print(table_text(header, rows))
        return 0
    if path.suffix.lower() != ".json":
        raise InputError(f"{path}: expected a .json assessment or a .csv respondents table")
    if args.format == "csv":
        raise InputError(f"{path}: --format csv is for a respondents table (.csv)")
    from readiness.assessment import read_assessment_file
    from readiness.evidence.choice import mapping_in_use

    assessment = read_assessment_file(questionnaire, path)
    # The lever and advice follow the lever mapping the file keeps (Evidence page).
    mapping, words = mapping_in_use(assessment.mapping_choice)
    scores = score_assessment(questionnaire, rulebook, assessment.answers, weights, mapping)
    if args.format == "json":  # the contract: the scores an export holds, nothing more
        write_json(scores.to_json(), not_finite=NOT_FINITE)
    else:
        print(_table(scores, words))
    return 0


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1f}"


def _table(scores: Scores, mapping: str) -> str:
    lines = [
        f"Overall   {_fmt(scores.overall)}",
        f"Stage     {f'{scores.stage.level} {scores.stage.name}' if scores.stage else 'n/a'}",
    ]
    lines += [
        f"  {d.name:<22}{_fmt(d.score):>6}  ({d.answered}/{d.items} answered)"
        for d in scores.dimensions
    ]
    lines.append(f"Weakest   {scores.weakest or 'n/a'}{' (barrier)' if scores.barrier else ''}")
    lines.append(f"Lever     {scores.lever or 'n/a'}, from {mapping}")
    lines.append(f"Model     {scores.org_model or 'n/a'}")
    lines += ["Recommendations:"] + [f"  - {r.title}  [{r.reason}]" for r in scores.recommendations]
    return "\n".join(lines)


def _group_rows(groups: list[GroupScores], *, text: bool = False) -> list[list[Any]]:
    """A header and one row per group (everyone first), for the table or the CSV."""
    dims = [d.id for d in groups[0].scores.dimensions]
    rows: list[list[Any]] = [["group", "respondents", "overall", *dims, "stage", "agreement"]]
    if not text:
        rows[0].append("low_agreement")
    for group in groups:
        scores = group.scores.dimension_scores()
        stage = group.scores.stage.name if group.scores.stage else None
        if text:
            rows.append(
                [
                    terminal_safe(group.name, single_line=True),
                    group.respondents,
                    _fmt(group.scores.overall),
                    *[_fmt(scores[d]) for d in dims],
                    stage or "n/a",
                    ("n/a" if group.agreement is None else f"{group.agreement:.2f}")
                    + (" low" if group.low_agreement else ""),
                ]
            )
        else:
            agreement = None if group.agreement is None else round(group.agreement, 3)
            rows.append(
                [
                    group.name,
                    group.respondents,
                    _round(group.scores.overall),
                    *[_round(scores[d]) for d in dims],
                    stage,
                    agreement,
                    group.low_agreement,
                ]
            )
    return rows


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)
