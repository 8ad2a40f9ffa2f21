"""Output options, defined once for every command: ``--format`` and how JSON is written.

Every command that prints data takes ``--format`` from :func:`add_format`, with choices from
one set: ``table`` (aligned text for a person), ``json`` and ``csv`` (for scripts and
spreadsheets), where each makes sense for the command, plus an extra only where a command prints
something none of those is (``template``'s data ``dictionary``). Every JSON a command prints is
written by :func:`write_json` in one style: indented by 2, UTF-8 text as it is, never ``NaN`` or
``Infinity``, ending with a newline. On a terminal every non-ASCII character is an escape
instead, so no control character in a name reaches it; the JSON means the same either way.

This module imports only the standard library: ``--help`` must stay fast.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import IO, Any

#: The formats every command chooses from, in the order ``--help`` lists them.
FORMATS = ("table", "json", "csv")
#: Formats one command prints and no other does: the name, and what it is.
EXTRA_FORMATS = {"dictionary": "the respondents file's data dictionary (CSV)"}


class FormatOption(argparse.Action):
    """The ``--format`` option :func:`add_format` adds (a test finds every command's by it)."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: str | Sequence[Any] | None,
        option_string: str | None = None,
    ) -> None:
        setattr(namespace, self.dest, values)


def add_format(
    parser: argparse.ArgumentParser,
    *,
    default: str,
    formats: Sequence[str] = FORMATS,
    note: str | None = None,
) -> argparse.Action:
    """Add ``--format`` to ``parser``: ``formats`` (a selection of :data:`FORMATS`, in that
    order, then any of :data:`EXTRA_FORMATS`), ``default`` one of them; ``note`` adds to the
    help what the formats print for this command."""
    standard = [f for f in FORMATS if f in formats]
    extras = [f for f in formats if f not in FORMATS]
    unknown = [f for f in extras if f not in EXTRA_FORMATS]
    if unknown or default not in formats:
        raise ValueError(f"--format {', '.join(unknown) or default}: not an output format")
    return parser.add_argument(
        "--format",
        action=FormatOption,
        choices=(*standard, *extras),
        default=default,
        help=f"output format (default {default})" + (f"; {note}" if note else ""),
    )


def table_text(header: Sequence[object], rows: Sequence[Sequence[object]]) -> str:
    """``--format table``: a header and rows in aligned columns, two spaces apart, no trailing
    spaces (cells already made terminal-safe by the caller)."""
    lines = [[str(cell) for cell in row] for row in (header, *rows)]
    widths = [max(len(line[i]) for line in lines) for i in range(len(lines[0]))]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
        for line in lines
    )


def json_text(data: Any, *, ascii_only: bool = False) -> str:
    """``data`` as the commands' JSON: indented by 2, ending with a newline; :class:`ValueError`
    for a number that is not finite (JSON has none)."""
    return json.dumps(data, indent=2, ensure_ascii=ascii_only, allow_nan=False) + "\n"


def write_json(data: Any, out: IO[str] | None = None, *, not_finite: str | None = None) -> None:
    """Print ``data`` as the commands' JSON on ``out`` (standard output); on a terminal
    non-ASCII characters are escapes. A number that is not finite is an ``InputError`` (its
    message ``not_finite``, when a command knows the likely cause)."""
    stream = sys.stdout if out is None else out
    try:
        text = json_text(data, ascii_only=stream.isatty())
    except ValueError:
        from readiness.errors import InputError

        raise InputError(not_finite or "the result holds a number that is not finite") from None
    stream.write(text)
