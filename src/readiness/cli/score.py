"""``readiness template`` and ``readiness score``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from readiness.assessment import read_assessment_file, template
from readiness.errors import InputError
from readiness.questionnaire import load_questionnaire
from readiness.rules import load_rulebook
from readiness.scoring import GroupScores, Scores, score_assessment, score_respondents
from readiness.survey import read_respondents_file, template_csv


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("template", help="print an empty assessment to fill in")
    parser.add_argument("--format", choices=("json", "csv"), default="json")
    parser.set_defaults(handler=run_template)

    parser = subparsers.add_parser(
        "score", help="score an assessment (JSON) or a respondents table (CSV)"
    )
    parser.add_argument("file", type=Path, help="assessment .json or respondents .csv")
    parser.add_argument("--format", choices=("json", "table"), default="json")
    parser.add_argument(
        "--weight",
        action="append",
        default=[],
        metavar="DIMENSION=W",
        help="dimension weight for the overall index (repeatable; equal by default)",
    )
    parser.set_defaults(handler=run_score)


def run_template(args: argparse.Namespace) -> int:
    questionnaire = load_questionnaire()
    if args.format == "csv":
        sys.stdout.write(template_csv(questionnaire))
    else:
        print(json.dumps(template(questionnaire), indent=2))
    return 0


def _weights(pairs: list[str]) -> dict[str, float]:
    weights: dict[str, float] = {}
    for pair in pairs:
        name, _, value = pair.partition("=")
        try:
            weights[name.strip()] = float(value)
        except ValueError:
            raise InputError(f"--weight {pair!r}: expected DIMENSION=NUMBER") from None
    return weights


def run_score(args: argparse.Namespace) -> int:
    questionnaire = load_questionnaire()
    rulebook = load_rulebook()
    weights = _weights(args.weight)
    path: Path = args.file
    if path.suffix.lower() == ".csv":
        batch = score_respondents(
            questionnaire, rulebook, read_respondents_file(questionnaire, path), weights
        )
        if args.format == "json":
            print(json.dumps(batch.to_json(), indent=2))
        else:
            print(_group_table([batch.overall, *batch.divisions.values()]))
        return 0
    if path.suffix.lower() != ".json":
        raise InputError(f"{path}: expected a .json assessment or a .csv respondents table")
    assessment = read_assessment_file(questionnaire, path)
    scores = score_assessment(questionnaire, rulebook, assessment.answers, weights)
    print(json.dumps(scores.to_json(), indent=2) if args.format == "json" else _table(scores))
    return 0


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1f}"


def _table(scores: Scores) -> str:
    lines = [
        f"Overall   {_fmt(scores.overall)}",
        f"Stage     {f'{scores.stage.level} {scores.stage.name}' if scores.stage else 'n/a'}",
    ]
    lines += [
        f"  {d.name:<22}{_fmt(d.score):>6}  ({d.answered}/{d.items} answered)"
        for d in scores.dimensions
    ]
    lines.append(f"Weakest   {scores.weakest or 'n/a'}{' (barrier)' if scores.barrier else ''}")
    lines.append(f"Model     {scores.org_model or 'n/a'}")
    lines += ["Recommendations:"] + [f"  - {r.title}  [{r.reason}]" for r in scores.recommendations]
    return "\n".join(lines)


def _group_table(groups: list[GroupScores]) -> str:
    dims = [d.id for d in groups[0].scores.dimensions]
    header = ["group", "respondents", "overall", *dims, "stage", "agreement"]
    rows: list[list[Any]] = []
    for group in groups:
        scores = group.scores.dimension_scores()
        stage = group.scores.stage
        rows.append(
            [
                group.name,
                group.respondents,
                _fmt(group.scores.overall),
                *[_fmt(scores[d]) for d in dims],
                stage.name if stage else "n/a",
                ("n/a" if group.agreement is None else f"{group.agreement:.2f}")
                + (" low" if group.low_agreement else ""),
            ]
        )
    widths = [max(len(str(r[k])) for r in [header, *rows]) for k in range(len(header))]
    return "\n".join(
        "  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True))
        for row in [header, *rows]
    )
