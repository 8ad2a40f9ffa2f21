"""The ``readiness`` command line: the core's functions for scripts and batch jobs.

Each sub-command lives in its own module that exposes ``register(subparsers)``, which only builds
parsers: a module imports the standard library at its top and its handlers import what they use
when they run, so ``--help`` (and a mistyped option) starts no numerical or database library.
Output options come from :mod:`readiness.cli.output`. A handler returns an exit code. Bad
input raises :class:`InputError`, which is printed one problem per line on standard error with
exit code 2. A reader's :class:`readiness.textfiles.InputNote` (a file read, with something its
author should hear) is a ``note:`` line on standard error. Anything else that escapes a handler
is a bug: it is reported as one line with a reference (exit code 2), never a traceback.
"""

from __future__ import annotations

import argparse
import errno
import sys
import warnings
from collections.abc import Callable, Sequence
from typing import Any

from readiness import __version__
from readiness.safe_output import terminal_safe

EXIT_BAD_INPUT = 2
EXIT_INTERRUPTED = 130
#: The widest whole numbers an option takes: what SQLite and PostgreSQL integers hold (64-bit).
WHOLE_NUMBERS = (-(2**63), 2**63 - 1)


def whole_number(low: int = WHOLE_NUMBERS[0], high: int = WHOLE_NUMBERS[1]) -> Callable[[str], int]:
    """An argparse ``type`` for a whole number from ``low`` to ``high`` (default: what a 64-bit
    database integer holds), for every whole-number option: anything else, a 400-digit number
    too, is argparse's one error line naming the option and the range, never an overflow in the
    database later."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:  # also more digits than int() reads
            value = None
        if value is None or not low <= value <= high:
            shown = text if len(text) <= 24 else f"{text[:12]}... ({len(text)} characters)"
            raise argparse.ArgumentTypeError(
                f"{shown!r} is not a whole number from {low} to {high}"
            )
        return value

    parse.__name__ = "whole number"  # argparse's name for the type in other errors
    return parse


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser, with every sub-command registered."""
    from readiness.cli import assessments, db, evidence, plan, project, score, usage, waves

    parser = argparse.ArgumentParser(
        prog="readiness",
        description="Enterprise 2.0 adoption readiness: score, project, store. The command "
        "line acts as the local operator, admin of every organization (sign-in and roles apply "
        "to the dashboard); what it changes or exports is recorded in the audit log as "
        "'operator'.",
    )
    parser.add_argument("--version", action="version", version=f"readiness {__version__}")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in (score, project, plan, assessments, usage, evidence, waves, db):
        module.register(subparsers)
    return parser


def _print_notes(show: Any, note: type[Warning]) -> Any:
    """``warnings.showwarning`` printing ``note`` warnings as ``note:`` lines, others as before."""

    def show_note(message: Any, category: type[Warning], *args: Any, **kwargs: Any) -> None:
        if issubclass(category, note):
            print(f"note: {terminal_safe(str(message), single_line=True)}", file=sys.stderr)
        else:
            show(message, category, *args, **kwargs)

    return show_note


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the process exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    from readiness.textfiles import InputNote

    with warnings.catch_warnings():  # every note, each time: a batch job reads them all
        warnings.showwarning = _print_notes(warnings.showwarning, InputNote)
        warnings.simplefilter("always", InputNote)
        return _run(args)


def _run(args: argparse.Namespace) -> int:
    from readiness.errors import InputError  # after parsing: --help needs no pydantic

    try:
        code: int = args.handler(args)
    except InputError as error:
        for problem in error.problems:  # one line each, whatever a file name or cell holds
            print(f"error: {terminal_safe(problem, single_line=True)}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:  # e.g. piped into `head`
        return 0
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as error:  # last resort: every known input class has its own message
        if isinstance(error, OSError) and error.errno == errno.ENAMETOOLONG:
            # a path from the arguments (e.g. a --database file) the system cannot look up
            from readiness.textfiles import shown_path

            name = shown_path(error.filename) if error.filename else "a path given"
            print(
                f"error: {terminal_safe(name, single_line=True)}: file name too long for this"
                " system",
                file=sys.stderr,
            )
            return EXIT_BAD_INPUT
        import secrets  # only for a bug's reference

        reference = secrets.token_hex(4)
        print(
            f"error: unexpected error (reference {reference}, {type(error).__name__});"
            " please report it with the command that caused it",
            file=sys.stderr,
        )
        return EXIT_BAD_INPUT
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
