"""``readiness assessments list|export|import|report|delete``: the dashboard's store from a shell.

Every sub-command works on the store :func:`readiness.store.database_url` names
(``READINESS_DATABASE_URL``, else the SQLite file in ``READINESS_DATA_HOME``), or on
``--database URL``. A store that cannot be used (corrupt file, unreachable server) is an error
line and exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path

from readiness.errors import InputError, StoreError
from readiness.export import export_csv, export_json, import_submission_id, parse_import
from readiness.report import report_for
from readiness.safe_output import terminal_safe
from readiness.store import AssessmentSummary, Store, StoreNotFoundError, open_store
from readiness.textfiles import read_text_file

Handler = Callable[[argparse.Namespace], int]


#: Largest id a store can hold (SQLite and PostgreSQL integers are 64-bit).
MAX_ASSESSMENT_ID = 2**63 - 1


def assessment_id(text: str) -> int:
    """An assessment id from the command line: a whole number from 1 to 2^63 - 1."""
    try:
        value = int(text)
    except ValueError:  # also a number of thousands of digits
        value = 0
    if not 1 <= value <= MAX_ASSESSMENT_ID:
        shown = text if len(text) <= 24 else f"{text[:12]}... ({len(text)} characters)"
        raise argparse.ArgumentTypeError(f"{shown!r} is not an assessment id (see 'list')")
    return value


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "assessments", help="list, export, import, report or delete stored assessments"
    )
    parser.add_argument(
        "--database",
        metavar="URL",
        default=None,
        help="database URL (default: READINESS_DATABASE_URL, else the SQLite file in "
        "READINESS_DATA_HOME, ~/.local/share/readiness)",
    )
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")

    listing = actions.add_parser("list", help="list stored assessments, newest first")
    listing.add_argument("--format", choices=("table", "json"), default="table")
    listing.add_argument("--organization", default=None, help="only this organization")
    listing.set_defaults(handler=run_list)

    export = actions.add_parser("export", help="print one assessment as JSON or CSV")
    export.add_argument("id", type=assessment_id, help="assessment id (see 'list')")
    export.add_argument("--format", choices=("json", "csv"), default="json")
    export.add_argument("--output", type=Path, default=None, help="write to this file")
    export.set_defaults(handler=run_export)

    importing = actions.add_parser(
        "import", help="store the assessments of a JSON file (an export, or an assessment)"
    )
    importing.add_argument("file", type=Path)
    importing.set_defaults(handler=run_import)

    report = actions.add_parser("report", help="write the HTML report of one assessment")
    report.add_argument("id", type=assessment_id)
    report.add_argument(
        "--output", type=Path, default=None, help="HTML file to write (default: standard output)"
    )
    report.set_defaults(handler=run_report)

    remove = actions.add_parser("delete", help="delete one assessment (needs --yes)")
    remove.add_argument("id", type=assessment_id)
    remove.add_argument("--yes", action="store_true", help="confirm the deletion")
    remove.set_defaults(handler=run_delete)


StoreHandler = Callable[[argparse.Namespace, Store], int]


def _with_store(
    *, create: bool = False, missing: Handler | None = None
) -> Callable[[StoreHandler], Handler]:
    """Open the store for a handler; store failures become :class:`InputError` lines.

    Only ``create=True`` (import) may create a store: the other commands read or change what is
    there, and a missing SQLite store is ``missing(args)`` when given, else an error; they never
    leave a new file or directory behind.
    """

    def decorate(handler: StoreHandler) -> Handler:
        @functools.wraps(handler)
        def run(args: argparse.Namespace) -> int:
            try:
                with open_store(args.database, create=create) as store:
                    return handler(args, store)
            except StoreNotFoundError as error:
                if missing is not None:
                    print(terminal_safe(str(error)), file=sys.stderr)
                    return missing(args)
                raise InputError(str(error)) from None
            except StoreError as error:
                raise InputError(str(error)) from None

        return run

    return decorate


def _no_assessments(args: argparse.Namespace) -> int:
    if args.format == "json":
        print("[]")
    return 0


def _write(text: str, output: Path | None) -> None:
    """``text`` to ``output``, or to standard output: exactly as it is for a pipe or a file,
    with control characters escaped for a terminal (a name cannot drive the terminal)."""
    if output is None:
        sys.stdout.write(terminal_safe(text) if sys.stdout.isatty() else text)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as error:
        raise InputError(f"{terminal_safe(str(output))}: cannot write ({error.strerror})") from None
    print(f"wrote {terminal_safe(str(output))}", file=sys.stderr)


def _summary_json(summary: AssessmentSummary) -> dict[str, object]:
    return {
        "id": summary.id,
        "organization": summary.organization,
        "division": summary.division,
        "assessed_on": summary.assessed_on.isoformat(),
        "overall": None if summary.overall is None else round(summary.overall, 2),
        "stage": (
            {"level": summary.stage_level, "name": summary.stage_name}
            if summary.stage_level is not None
            else None
        ),
        "questionnaire_version": summary.questionnaire_version,
        "created_at": summary.created_at.isoformat(),
    }


def _summary_table(summaries: list[AssessmentSummary]) -> str:
    """One line per assessment; names with control characters, newlines or tabs escaped so
    each stays on its line and cannot drive the terminal."""
    header = ("id", "assessed on", "organization", "division", "overall", "stage")
    rows = [
        (
            str(s.id),
            s.assessed_on.isoformat(),
            terminal_safe(s.organization, single_line=True),
            terminal_safe(s.division or "", single_line=True),
            "" if s.overall is None else f"{s.overall:.1f}",
            "" if s.stage_level is None else f"{s.stage_level} {s.stage_name}",
        )
        for s in summaries
    ]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in [header, *rows]
    )


@_with_store(missing=_no_assessments)
def run_list(args: argparse.Namespace, store: Store) -> int:
    summaries = store.list_assessments(args.organization)
    if args.format == "json":
        # on a terminal every non-ASCII character is an escape: no control character reaches it
        rows = [_summary_json(s) for s in summaries]
        print(json.dumps(rows, indent=2, ensure_ascii=sys.stdout.isatty()))
    elif summaries:
        print(_summary_table(summaries))
    else:
        print(f"no stored assessments in {store.location}", file=sys.stderr)
    return 0


@_with_store()
def run_export(args: argparse.Namespace, store: Store) -> int:
    stored = store.get_assessment(args.id)
    text = export_json(stored) if args.format == "json" else export_csv(stored, store.questionnaire)
    _write(text, args.output)
    return 0


@_with_store(create=True)
def run_import(args: argparse.Namespace, store: Store) -> int:
    path: Path = args.file
    assessments = parse_import(store.questionnaire, read_text_file(path), str(path))
    for assessment in assessments:
        new_id = store.save_assessment(assessment, import_submission_id(assessment))
        who = assessment.profile.organization
        if assessment.profile.division:
            who += f" / {assessment.profile.division}"
        when = assessment.assessed_on.isoformat()
        print(f"imported assessment {new_id}: {terminal_safe(who, single_line=True)}, {when}")
    return 0


@_with_store()
def run_report(args: argparse.Namespace, store: Store) -> int:
    stored = store.get_assessment(args.id)
    profile = stored.assessment.profile
    history = store.history(profile.organization, profile.division)
    _write(report_for(stored, history=history), args.output)
    return 0


@_with_store()
def run_delete(args: argparse.Namespace, store: Store) -> int:
    if not args.yes:
        raise InputError(f"deleting assessment {args.id} cannot be undone; add --yes to confirm")
    store.delete_assessment(args.id)
    print(f"deleted assessment {args.id}", file=sys.stderr)
    return 0
