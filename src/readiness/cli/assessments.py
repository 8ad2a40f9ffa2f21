"""``readiness assessments list|export|import|report|delete|deleted|restore|purge|audit``: the
dashboard's store from a shell.

Every sub-command works on the store :func:`readiness.store.database_url` names
(``READINESS_DATABASE_URL``, else the SQLite file in ``READINESS_DATA_HOME``), or on
``--database URL``, as the local operator (:data:`readiness.access.OPERATOR`, admin of every
organization): whoever can run the command line can read the database anyway. Exports and
reports are recorded in the audit log like the dashboard's downloads. A store that cannot be used
(corrupt file, unreachable server) is an error line and exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from readiness.cli import whole_number
from readiness.cli.output import add_format, table_text, write_json
from readiness.safe_output import terminal_safe, write_csv

if TYPE_CHECKING:
    from readiness.store import AssessmentSummary, AuditEntry, Store

Handler = Callable[[argparse.Namespace], int]


#: Largest id a store can hold (SQLite and PostgreSQL integers are 64-bit).
MAX_ASSESSMENT_ID = 2**63 - 1
#: readiness.store.DELETED_KEPT_DAYS, written out so that --help imports no database library
#: (tests/test_cli_startup.py checks it).
DELETED_KEPT_DAYS = 30


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
        "assessments",
        help="list, export, import, report, delete or restore stored assessments; the audit log",
        description="The store's assessments, as the local operator (admin of every "
        "organization). Deleted assessments are kept "
        f"{DELETED_KEPT_DAYS} days (see 'deleted', 'restore', 'purge').",
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
    add_format(listing, default="table")
    listing.add_argument("--organization", default=None, help="only this organization")
    listing.set_defaults(handler=run_list)

    export = actions.add_parser("export", help="print one assessment as JSON or CSV")
    export.add_argument("id", type=assessment_id, help="assessment id (see 'list')")
    add_format(
        export,
        default="json",
        formats=("json", "csv"),
        note="the dashboard's download formats, which 'import' reads back (json)",
    )
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

    remove = actions.add_parser(
        "delete",
        help=f"delete one assessment (needs --yes; restorable for {DELETED_KEPT_DAYS} days)",
    )
    remove.add_argument("id", type=assessment_id)
    remove.add_argument("--yes", action="store_true", help="confirm the deletion")
    remove.set_defaults(handler=run_delete)

    deleted = actions.add_parser(
        "deleted", help="list deleted assessments that can still be restored"
    )
    add_format(deleted, default="table")
    deleted.set_defaults(handler=run_deleted)

    restore = actions.add_parser("restore", help="bring back a deleted assessment")
    restore.add_argument("id", type=assessment_id)
    restore.set_defaults(handler=run_restore)

    purge = actions.add_parser(
        "purge",
        help="remove a deleted assessment for good (needs --yes), or with --expired every one "
        "deleted long enough ago",
    )
    purge_what = purge.add_mutually_exclusive_group(required=True)
    purge_what.add_argument("id", type=assessment_id, nargs="?")
    purge_what.add_argument(
        "--expired",
        action="store_true",
        help=f"every assessment deleted more than {DELETED_KEPT_DAYS} days ago",
    )
    purge.add_argument("--yes", action="store_true", help="confirm purging one assessment")
    purge.set_defaults(handler=run_purge)

    audit = actions.add_parser(
        "audit", help="the audit log: who saved, edited, deleted, imported or exported what"
    )
    add_format(audit, default="table")
    audit.add_argument(
        "--limit",
        type=whole_number(1, MAX_ASSESSMENT_ID),
        default=100,
        help="at most this many rows, newest first",
    )
    audit.add_argument(
        "--assessment", type=assessment_id, default=None, help="only this assessment's rows"
    )
    audit.set_defaults(handler=run_audit)


StoreHandler = Callable[[argparse.Namespace, "Store"], int]


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
            from readiness.errors import InputError, StoreError
            from readiness.store import StoreNotFoundError, open_store

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
    """What a listing prints when there is no store yet: an empty one."""
    _print_rows(args.format, [], CSV_COLUMNS[args.action])
    return 0


#: The columns of each listing's CSV: its JSON's fields, a stage as its level and name.
SUMMARY_COLUMNS = (
    "id",
    "organization",
    "division",
    "assessed_on",
    "overall",
    "stage_level",
    "stage_name",
    "questionnaire_version",
    "created_at",
)
CSV_COLUMNS = {
    "list": SUMMARY_COLUMNS,
    "deleted": (*SUMMARY_COLUMNS, "deleted_at", "purged_after"),
    "audit": ("id", "at", "actor", "role", "action", "assessment_id", "organization", "detail"),
}


def _print_rows(chosen: str, rows: list[dict[str, object]], columns: Sequence[str]) -> bool:
    """Print a listing's rows as JSON or CSV (cells a spreadsheet cannot run); ``False`` for
    the table, which each listing draws itself."""
    if chosen == "json":
        write_json(rows)
    elif chosen == "csv":
        flat = [_flat(row) for row in rows]
        sys.stdout.write(write_csv([columns, *([row.get(c) for c in columns] for row in flat)]))
    else:
        return False
    return True


def _flat(row: dict[str, object]) -> dict[str, object]:
    """A JSON row with its stage (``{"level", "name"}`` or null) as two columns."""
    stage = row.get("stage")
    flat = {key: value for key, value in row.items() if key != "stage"}
    if "stage" in row:
        flat["stage_level"] = stage.get("level") if isinstance(stage, dict) else None
        flat["stage_name"] = stage.get("name") if isinstance(stage, dict) else None
    return flat


def _write(text: str, output: Path | None) -> None:
    """``text`` to ``output``, or to standard output: exactly as it is for a pipe or a file,
    with control characters escaped for a terminal (a name cannot drive the terminal)."""
    if output is None:
        sys.stdout.write(terminal_safe(text) if sys.stdout.isatty() else text)
        return
    from readiness.errors import InputError

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
    return table_text(header, rows)


def _warn_skipped(skipped: list[str]) -> None:
    """One ``warning:`` line on standard error per damaged row a listing left out."""
    for line in skipped:
        print(f"warning: {terminal_safe(line, single_line=True)} (left out)", file=sys.stderr)


@_with_store(missing=_no_assessments)
def run_list(args: argparse.Namespace, store: Store) -> int:
    skipped: list[str] = []
    summaries = store.list_assessments(args.organization, skipped=skipped)
    _warn_skipped(skipped)
    if _print_rows(args.format, [_summary_json(s) for s in summaries], SUMMARY_COLUMNS):
        return 0
    if summaries:
        print(_summary_table(summaries))
    else:
        print(f"no stored assessments in {store.location}", file=sys.stderr)
    return 0


@_with_store()
def run_export(args: argparse.Namespace, store: Store) -> int:
    from readiness.export import export_csv, export_json

    stored = store.get_assessment(args.id)
    text = export_json(stored) if args.format == "json" else export_csv(stored, store.questionnaire)
    _write(text, args.output)
    store.record_export(f"{args.format.upper()} (command line)", [stored.id])
    return 0


@_with_store(create=True)
def run_import(args: argparse.Namespace, store: Store) -> int:
    from readiness.export import parse_import
    from readiness.textfiles import read_text_file

    path: Path = args.file
    assessments = parse_import(store.questionnaire, read_text_file(path), str(path))
    for assessment, saved in zip(assessments, store.import_assessments(assessments), strict=True):
        new_id = saved.id
        who = assessment.profile.organization
        if assessment.profile.division:
            who += f" / {assessment.profile.division}"
        when = assessment.assessed_on.isoformat()
        plan = assessment.plan
        with_plan = ""
        if plan is not None and plan.actions:
            count = len(plan.actions)
            with_plan = f", with a plan of {count} action{'s' if count != 1 else ''}"
        print(
            f"imported assessment {new_id}: {terminal_safe(who, single_line=True)}, {when}"
            + with_plan
        )
    return 0


@_with_store()
def run_report(args: argparse.Namespace, store: Store) -> int:
    from readiness.report import report_for

    stored = store.get_assessment(args.id)
    profile = stored.assessment.profile
    history = store.history(profile.organization, profile.division)
    _write(report_for(stored, history=history), args.output)
    store.record_export("HTML report (command line)", [stored.id])
    return 0


@_with_store()
def run_delete(args: argparse.Namespace, store: Store) -> int:
    from readiness.errors import InputError

    if not args.yes:
        raise InputError(f"deleting assessment {args.id} needs confirmation; add --yes to confirm")
    store.delete_assessment(args.id)
    print(
        f"deleted assessment {args.id}; 'readiness assessments restore {args.id}' brings it back "
        f"within {DELETED_KEPT_DAYS} days",
        file=sys.stderr,
    )
    return 0


def _deleted_json(summary: AssessmentSummary) -> dict[str, object]:
    deleted_at = summary.deleted_at or dt.datetime.min.replace(tzinfo=dt.UTC)
    purge_after = deleted_at + dt.timedelta(days=DELETED_KEPT_DAYS)
    return {
        **_summary_json(summary),
        "deleted_at": deleted_at.isoformat(),
        "purged_after": purge_after.isoformat(),
    }


@_with_store(missing=_no_assessments)
def run_deleted(args: argparse.Namespace, store: Store) -> int:
    skipped: list[str] = []
    deleted = store.deleted_assessments(skipped=skipped)
    _warn_skipped(skipped)
    if _print_rows(args.format, [_deleted_json(s) for s in deleted], CSV_COLUMNS["deleted"]):
        return 0
    if deleted:
        header = ("id", "deleted (UTC)", "purged after", "organization", "division", "assessed on")
        table = []
        for s in deleted:
            row = _deleted_json(s)
            table.append(
                (
                    str(s.id),
                    str(row["deleted_at"])[:16].replace("T", " "),
                    str(row["purged_after"])[:10],
                    terminal_safe(s.organization, single_line=True),
                    terminal_safe(s.division or "", single_line=True),
                    s.assessed_on.isoformat(),
                )
            )
        print(table_text(header, table))
    else:
        print(f"no deleted assessments in {store.location}", file=sys.stderr)
    return 0


@_with_store()
def run_restore(args: argparse.Namespace, store: Store) -> int:
    store.restore_deleted(args.id)
    print(f"restored assessment {args.id}", file=sys.stderr)
    return 0


@_with_store()
def run_purge(args: argparse.Namespace, store: Store) -> int:
    from readiness.errors import InputError

    if args.expired:
        purged = store.purge_expired()
        print(
            f"purged {len(purged)} assessment(s) deleted more than {DELETED_KEPT_DAYS} days ago"
            + (f": {', '.join(map(str, purged))}" if purged else ""),
            file=sys.stderr,
        )
        return 0
    if not args.yes:
        raise InputError(f"purging assessment {args.id} cannot be undone; add --yes to confirm")
    store.purge(args.id)
    print(f"purged assessment {args.id}", file=sys.stderr)
    return 0


def _audit_json(entry: AuditEntry) -> dict[str, object]:
    return {
        "id": entry.id,
        "at": entry.at.isoformat(),
        "actor": entry.actor,
        "role": entry.role,
        "action": entry.action,
        "assessment_id": entry.assessment_id,
        "organization": entry.organization,
        "detail": entry.detail,
    }


@_with_store(missing=_no_assessments)
def run_audit(args: argparse.Namespace, store: Store) -> int:
    skipped: list[str] = []
    entries = store.audit_log(limit=args.limit, assessment_id=args.assessment, skipped=skipped)
    _warn_skipped(skipped)
    if _print_rows(args.format, [_audit_json(entry) for entry in entries], CSV_COLUMNS["audit"]):
        return 0
    if entries:
        header = ("at (UTC)", "who", "role", "action", "id", "organization", "detail")
        table = [
            (
                f"{entry.at:%Y-%m-%d %H:%M:%S}",
                terminal_safe(entry.actor, single_line=True),
                entry.role,
                entry.action,
                "" if entry.assessment_id is None else str(entry.assessment_id),
                terminal_safe(entry.organization or "", single_line=True),
                terminal_safe(entry.detail, single_line=True),
            )
            for entry in entries
        ]
        print(table_text(header, table))
    else:
        print(f"the audit log of {store.location} is empty", file=sys.stderr)
    return 0
