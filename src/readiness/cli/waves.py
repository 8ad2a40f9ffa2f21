"""``readiness waves``: a repeated survey compared with the earlier one.

Both files are respondents tables (CSV), read as ``readiness score`` and ``readiness evidence
--survey`` read them. Each wave is dated by its option or by the median of the file's
completion-time column; the comparison is :func:`readiness.waves.compare_waves`'s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from readiness.cli.output import add_format, table_text, write_json
from readiness.safe_output import terminal_safe, write_csv

if TYPE_CHECKING:
    from readiness.questionnaire import Questionnaire
    from readiness.rules import RuleBook
    from readiness.waves import DimensionChange, WaveComparison, WaveSummary

# What --help shows of the core's facts, written out so that it imports nothing heavy; each
# equals its owner (tests/test_cli_waves.py checks them).
#: readiness.settings.DEFAULT_MIN_GROUP_SIZE
MIN_GROUP_SIZE = 5
#: The columns of the CSV, one row per group and dimension.
CSV_COLUMNS = (
    "group",
    "dimension",
    "before",
    "after",
    "change",
    "low",
    "high",
    "p_value",
    "p_adjusted",
    "n_before",
    "n_after",
    "reading",
)


def iso_date(text: str) -> dt.date:
    """An argparse ``type`` for a date written YYYY-MM-DD."""
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        shown = text if len(text) <= 24 else f"{text[:12]}... ({len(text)} characters)"
        raise argparse.ArgumentTypeError(f"{shown!r} is not a date YYYY-MM-DD") from None


iso_date.__name__ = "date"  # argparse's name for the type in other errors


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "waves",
        help="compare a repeated survey with the earlier one",
        description=(
            "Compare two waves of the same survey: per group (all respondents, and each "
            "division shown) and dimension, the change in the mean score (points 0-100) with "
            "its Welch 95% interval. A change is called only when it holds across all the "
            "comparisons shown (Holm); the rest are within noise. Groups with fewer than "
            f"READINESS_MIN_GROUP_SIZE (default {MIN_GROUP_SIZE}) respondents with a score in "
            "either wave are too few to tell, and divisions under it are merged into 'other "
            "divisions', which is not compared."
        ),
    )
    parser.add_argument(
        "earlier",
        type=Path,
        metavar="EARLIER.csv",
        help="the earlier wave: a respondents table (CSV, as 'readiness score' reads it)",
    )
    parser.add_argument("later", type=Path, metavar="LATER.csv", help="the later wave, likewise")
    for which in ("earlier", "later"):
        parser.add_argument(
            f"--{which}-date",
            type=iso_date,
            metavar="DATE",
            help=f"when the {which} wave was surveyed, YYYY-MM-DD (default: the median of the "
            "file's completion-time column, such as Microsoft Forms' 'Completion time')",
        )
        parser.add_argument(
            f"--{which}-label",
            metavar="TEXT",
            help=f"what the {which} wave is called (default: its month, 'March 2027 wave')",
        )
    add_format(
        parser,
        default="table",
        note="table: the sentence and notes, then one row per group and dimension; json: the "
        "same with both waves' summaries (as a plan file keeps them); csv: one row per group "
        "and dimension",
    )
    parser.set_defaults(handler=run_waves)


def _read(
    questionnaire: Questionnaire,
    rulebook: RuleBook,
    path: Path,
    date: dt.date | None,
    option: str,
) -> tuple[Any, dt.date, str | None]:
    """The file's respondents table, the wave's date and, when the file dated it, a note."""
    from readiness.errors import InputError
    from readiness.survey import parse_respondents_csv
    from readiness.textfiles import read_text_file
    from readiness.waves import completion_date

    text = read_text_file(path)
    table = parse_respondents_csv(questionnaire, text, str(path))
    if table.problems:
        raise InputError(table.problems)
    if note := table.columns.note():
        print(f"note: {terminal_safe(f'{path}: {note}')}", file=sys.stderr)
    if date is not None:
        return table, date, None
    try:
        found = completion_date(text, str(path))
    except InputError as error:
        raise InputError([*error.problems[:-1], f"{error.problems[-1]} ({option} DATE)"]) from None
    if found is None:
        raise InputError(
            f"{path}: when was this wave surveyed? The file has no completion-time column (such "
            f"as Microsoft Forms' 'Completion time') to tell; give the date with {option} "
            "YYYY-MM-DD"
        )
    return table, found.date, f"{found.note(str(path))}; {option} sets another date"


def _labels(
    earlier: dt.date, later: dt.date, given: tuple[str | None, str | None]
) -> tuple[str, str]:
    """The labels given, else each wave's month ("March 2027 wave"), or its day when both
    fall in one month."""
    months = (f"{earlier:%B %Y} wave", f"{later:%B %Y} wave")
    if months[0] == months[1]:
        months = (f"{earlier.day} {earlier:%B %Y} wave", f"{later.day} {later:%B %Y} wave")
    return (
        months[0] if given[0] is None else given[0],
        months[1] if given[1] is None else given[1],
    )


def run_waves(args: argparse.Namespace) -> int:
    from readiness.groups import rule_text
    from readiness.questionnaire import load_questionnaire
    from readiness.rules import load_rulebook
    from readiness.waves import compare_waves, wave_summary

    questionnaire = load_questionnaire()
    rulebook = load_rulebook()
    read = [
        _read(questionnaire, rulebook, args.earlier, args.earlier_date, "--earlier-date"),
        _read(questionnaire, rulebook, args.later, args.later_date, "--later-date"),
    ]
    labels = _labels(read[0][1], read[1][1], (args.earlier_label, args.later_label))
    waves: list[WaveSummary] = []
    for (table, date, note), label, path, option in zip(
        read, labels, (args.earlier, args.later), ("--earlier-label", "--later-label"), strict=True
    ):
        if note:
            print(f"note: {terminal_safe(note, single_line=True)}", file=sys.stderr)
        wave = wave_summary(
            questionnaire, rulebook, table, label, date, source=f"{path} ({option})"
        )
        if wave.group_note:
            print(
                f"note: {terminal_safe(f'{path}: {wave.group_note}', single_line=True)} "
                f"{rule_text(_minimum())}",
                file=sys.stderr,
            )
        waves.append(wave)
    comparison = compare_waves(waves[0], waves[1])
    if args.format == "json":
        write_json({**comparison.to_json(), "waves": [w.model_dump(mode="json") for w in waves]})
    elif args.format == "csv":
        sys.stdout.write(write_csv([CSV_COLUMNS, *(_csv_row(c) for c in comparison.changes)]))
    else:
        print(_table(comparison, waves))
    return 0


def _minimum() -> int:
    from readiness.groups import min_group_size

    return min_group_size()


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _csv_row(change: DimensionChange) -> list[object]:
    return [
        change.group,
        change.dimension,
        _rounded(change.before),
        _rounded(change.after),
        _rounded(change.change),
        _rounded(change.low),
        _rounded(change.high),
        None if change.p_value is None else f"{change.p_value:.4g}",
        None if change.p_adjusted is None else f"{change.p_adjusted:.4g}",
        change.n_before,
        change.n_after,
        change.reading,
    ]


def _shown(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1f}"


def _table(comparison: WaveComparison, waves: list[WaveSummary]) -> str:
    """The waves, the sentence and notes, how to read them, then one row per comparison."""
    first, second = (
        f"{terminal_safe(w.label, single_line=True)} ({w.surveyed_on.isoformat()}, "
        f"{w.respondents:,} respondents)"
        for w in waves
    )
    header = ["Group", "Dimension", "Before", "After", "Change", "95% interval", "n", "Reading"]
    rows = [
        [
            terminal_safe(c.group, single_line=True),
            c.dimension_name,
            _shown(c.before),
            _shown(c.after),
            "n/a" if c.change is None else f"{c.change:+.1f}",
            "n/a" if c.low is None or c.high is None else f"{c.low:.1f} to {c.high:.1f}",
            f"{c.n_before} / {c.n_after}",
            c.reading,
        ]
        for c in comparison.changes
    ]
    return "\n".join(
        [
            f"Survey waves: {first} and {second}",
            "",
            *(terminal_safe(s, single_line=True) for s in comparison.sentences),
            "",
            comparison.method_text,
            "",
            table_text(header, rows),
        ]
    )
