"""User text made safe for where it is shown: CSV files, Markdown and the terminal.

Names, division labels, CSV cells and file names come from users. Each place they are written
reads them differently, so each gets its own guard:

CSV (:func:`write_csv`, :func:`frame_to_csv`, :func:`neutralise_cell`)
    A spreadsheet runs a cell beginning with ``=``, ``+``, ``-`` or ``@`` (and, in some
    programs, tab, CR or LF, also after leading spaces or quotes) as a formula. Such text cells
    get a leading ``'`` (OWASP CSV injection guidance), which a spreadsheet shows as text. Plain
    numbers, as numbers or as text such as ``-12.5``, are left alone. Every cell holding CR or LF
    is quoted, so a reader never splits a row at a bare CR.
Markdown (:func:`escape_markdown`)
    For the few places Streamlit reads Markdown from a string that embeds user text (labels,
    captions). Prefer ``st.text`` or a table where a whole string is the user's.
Terminal (:func:`terminal_safe`)
    ESC, CR, BEL and other control characters are shown as escapes (``\\x1b``) so a name cannot
    move the cursor, rewrite a line or change the terminal's colours.
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Iterable, Sequence
from numbers import Number
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pandas is imported by the caller that has a frame; keep this module light
    import pandas as pd

__all__ = [
    "FORMULA_PREFIXES",
    "escape_markdown",
    "frame_to_csv",
    "literal_block",
    "markdown_lines",
    "neutralise_cell",
    "terminal_safe",
    "write_csv",
]

#: First characters a spreadsheet may read as the start of a formula (OWASP CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")
#: Characters skipped before looking for a formula prefix: a spreadsheet trims spaces, and a
#: quote in the text can end up outside the cell in a loose parser.
_SKIPPED_BEFORE_FORMULA = " \"'"
#: Text that is a plain decimal number (``-12``, ``+3.5``, ``1e-3``): a spreadsheet reads it as
#: that number, not a formula, so numeric columns stay numeric.
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def neutralise_cell(value: object) -> object:
    """``value`` as a CSV cell a spreadsheet cannot run.

    Numbers (``int``, ``float``, numpy numbers, ``bool``) and ``None`` are returned unchanged.
    Anything else is text: if it begins, after any spaces and quotes, with one of
    :data:`FORMULA_PREFIXES`, a ``'`` is put in front, unless the text is a plain number.
    """
    if value is None or isinstance(value, Number):
        return value
    text = value if isinstance(value, str) else str(value)
    if _PLAIN_NUMBER.fullmatch(text):
        return text
    if text.lstrip(_SKIPPED_BEFORE_FORMULA).startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


class _LastLine:
    """A file-like target that keeps only what ``csv.writer`` wrote last (one row)."""

    line = ""

    def write(self, text: str) -> int:
        self.line = text
        return len(text)


def write_csv(rows: Iterable[Sequence[object]]) -> str:
    """CSV text of ``rows``: cells neutralised, rows ending in ``\\n``, CR or LF always quoted.

    Python's writer quotes only the characters of its line terminator; with ``"\\n"`` a bare CR
    stays unquoted and splits the row in most readers. Each row is therefore written with
    ``"\\r\\n"`` (so both are quoted) and that terminator replaced by ``"\\n"``.
    """
    target = _LastLine()
    writer = csv.writer(target, lineterminator="\r\n")
    parts: list[str] = []
    for row in rows:
        writer.writerow([neutralise_cell(cell) for cell in row])
        parts.append(target.line[:-2] + "\n")
    return "".join(parts)


def _is_missing(value: object) -> bool:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return True
    import pandas as pd

    return value is pd.NA or value is pd.NaT


def frame_to_csv(frame: pd.DataFrame) -> str:
    """CSV text of ``frame`` (header, then rows; no index) through :func:`write_csv`.

    Missing values (``None``, ``NaN``, ``NA``, ``NaT``) become empty cells, as ``to_csv`` writes
    them.
    """
    header = [str(column) for column in frame.columns]
    rows = (
        ["" if _is_missing(value) else value for value in row]
        for row in frame.itertuples(index=False, name=None)
    )
    return write_csv([header, *rows])


# --- Markdown -----------------------------------------------------------------------------------

#: Characters with a meaning in Streamlit's Markdown: CommonMark and GFM syntax (links, images,
#: emphasis, autolinked URLs and e-mail addresses, entities), ``$`` for LaTeX and ``:`` for
#: ``:material/...:`` icons, emoji shortcodes and ``:red[...]`` colours.
_MARKDOWN_SPECIALS = frozenset("\\`*_{}[]()#+-.!|<>~$:@&/")
#: U+2060 WORD JOINER: invisible, but it breaks the patterns that a backslash does not stop
#: (in Streamlit 1.67 ``http\://x`` still becomes a link and ``\:material/home\:`` an icon).
_WORD_JOINER = "\u2060"
_WWW = re.compile(r"(?i)www(?=\\\.)")


def escape_markdown(text: str) -> str:
    """``text`` shown literally where Streamlit reads Markdown (labels, captions, messages).

    Every special character gets a backslash, and an invisible word joiner goes after each
    ``:`` and ``www`` and before each ``@``, so no link, image, autolinked URL or e-mail address,
    icon, emoji or emphasis comes out of a user's text. Prefer ``st.text`` where the whole
    string is the user's.
    """
    escaped = "".join(f"\\{c}" if c in _MARKDOWN_SPECIALS else c for c in text)
    escaped = escaped.replace("\\:", "\\:" + _WORD_JOINER).replace("\\@", _WORD_JOINER + "\\@")
    return _WWW.sub("www" + _WORD_JOINER, escaped)


def markdown_lines(lines: Sequence[str], limit: int = 20) -> str:
    """``lines`` of user text as a Markdown list shown literally (each line through
    :func:`escape_markdown`): at most ``limit`` of them, then how many more there are."""
    shown = [f"- {escape_markdown(line)}" for line in lines[:limit]]
    if len(lines) > limit:
        shown.append(f"- ... and {len(lines) - limit} more")
    return "\n".join(shown)


def literal_block(lines: Sequence[str], limit: int = 20) -> str:
    """``lines`` of user text (problem lines quoting cells, file and field names) as a Markdown
    fenced code block: shown verbatim, never as links, images or icons. At most ``limit`` lines,
    then how many more there are; a single line has no bullet."""
    shown = list(lines[:limit])
    if len(lines) > limit:
        shown.append(f"... and {len(lines) - limit} more")
    body = "\n".join(f"- {line}" for line in shown) if len(shown) > 1 else "".join(shown)
    # a fence longer than any run of tildes inside, so no line of the text can close it
    longest = max((len(run) for run in re.findall("~+", body)), default=0)
    fence = "~" * max(3, longest + 1)
    return f"{fence}text\n{body}\n{fence}"


# --- Terminal -----------------------------------------------------------------------------------

#: Unicode controls that reorder how a line is displayed ("Trojan source"): embeddings,
#: overrides and isolates.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _escaped(character: str) -> str:
    code = ord(character)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal_safe(text: str, *, single_line: bool = False) -> str:
    """``text`` with control characters shown as escapes (ESC as ``\\x1b``, CR as ``\\x0d``).

    C0 controls (except newline and tab), DEL, C1 controls and bidirectional overrides are
    escaped. With ``single_line`` (a table cell), newline and tab are escaped too.
    """
    kept = "" if single_line else "\n\t"
    return "".join(
        _escaped(c)
        if (c not in kept and (ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F)) or c in _BIDI_CONTROLS
        else c
        for c in text
    )
