"""User text made safe for CSV files, Markdown and the terminal; CSV proven by reading it back."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import tomllib
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from property_budget import examples

from readiness.cli.assessments import _summary_table, _write
from readiness.safe_output import (
    FORMULA_PREFIXES,
    escape_markdown,
    frame_to_csv,
    literal_block,
    markdown_lines,
    neutralise_cell,
    terminal_safe,
    write_csv,
)
from readiness.store import AssessmentSummary

_NUMBER = re.compile(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?")
PLAIN_NUMBERS = ("-5", "+3", "-12.5", "1e-3", "-.5", "0", "-0.0", "2E+10")

# Text as users type it plus the characters that matter here, often at the start of a cell.
_SPECIAL = st.sampled_from(["=", "+", "-", "@", "\t", "\r", "\n", "\r\n", " ", '"', "'", ",", "1"])
_TEXT = st.one_of(
    st.text(max_size=12),
    st.lists(st.one_of(_SPECIAL, st.text(max_size=4)), max_size=6).map("".join),
    st.sampled_from(PLAIN_NUMBERS),
)


def _read_back_csv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def _read_back_pandas(text: str) -> list[list[str]]:
    frame = pd.read_csv(
        io.StringIO(text, newline=""),
        header=None,
        dtype=str,
        keep_default_na=False,
        na_filter=False,
        skip_blank_lines=False,
    )
    return frame.to_numpy().tolist()


def _formula_free(cell: str) -> bool:
    """True when a spreadsheet shows ``cell`` as text or as a plain number, never a formula."""
    if _NUMBER.fullmatch(cell):
        return True
    return cell.startswith("'") or not cell.lstrip(" \"'").startswith(FORMULA_PREFIXES)


# --- neutralise_cell ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("+1+2", "'+1+2"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("\n=1", "'\n=1"),
        ("  =1+1", "'  =1+1"),
        ('"=1+1', "'\"=1+1"),
        ("'=1+1", "''=1+1"),
        (" '\"@x", "' '\"@x"),
        ("Acme", "Acme"),
        ("Acme\r=cmd", "Acme\r=cmd"),  # starts with text: quoted by write_csv, not prefixed
        ("a-b", "a-b"),
        ("", ""),
        ("   ", "   "),
    ],
)
def test_text_that_starts_a_formula_gets_a_leading_quote(cell: str, expected: str) -> None:
    assert neutralise_cell(cell) == expected


@pytest.mark.parametrize("text", PLAIN_NUMBERS)
def test_plain_numbers_as_text_stay_numbers(text: str) -> None:
    assert neutralise_cell(text) == text


@pytest.mark.parametrize("value", [-5, -2.5, 0, 42.5, np.int64(-3), np.float64(-0.25), True, None])
def test_numbers_and_none_are_returned_unchanged(value: object) -> None:
    assert neutralise_cell(value) is value


def test_other_objects_are_neutralised_as_their_text() -> None:
    class Formula:
        def __str__(self) -> str:
            return "=1+1"

    assert neutralise_cell(Formula()) == "'=1+1"
    assert neutralise_cell(dt.date(2026, 1, 15)) == "2026-01-15"


# --- write_csv ----------------------------------------------------------------------------------


def test_a_bare_cr_in_a_name_is_quoted_and_does_not_split_the_row() -> None:
    name = "Acme\r=cmd|' /C calc'!A0"
    text = write_csv([["organization", "overall"], [name, 71.5], ["@SUM(1+1)", -3]])
    assert text == "organization,overall\n\"Acme\r=cmd|' /C calc'!A0\",71.5\n'@SUM(1+1),-3\n"
    for rows in (_read_back_csv(text), _read_back_pandas(text)):
        assert rows == [["organization", "overall"], [name, "71.5"], ["'@SUM(1+1)", "-3"]]


def test_rows_end_in_newline_and_a_crlf_inside_a_cell_is_kept() -> None:
    text = write_csv([["a\r\nb", "c"], ["d", "e\nf"]])
    assert text == '"a\r\nb",c\nd,"e\nf"\n'
    assert _read_back_csv(text) == [["a\r\nb", "c"], ["d", "e\nf"]]


@settings(max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    width=st.integers(min_value=1, max_value=4),
    cells=st.lists(_TEXT, min_size=1, max_size=24),
)
def test_any_text_reads_back_as_its_neutralised_self_with_no_formula(
    width: int, cells: list[str]
) -> None:
    cells = [c.replace("\x00", "") for c in cells]  # NUL is refused by every CSV reader
    cells += [""] * (-len(cells) % width)
    rows = [cells[i : i + width] for i in range(0, len(cells), width)]
    expected = [[str(neutralise_cell(c)) for c in row] for row in rows]
    text = write_csv(rows)

    assert _read_back_csv(text) == expected
    assert _read_back_pandas(text) == expected
    for row in _read_back_csv(text):
        for cell in row:
            assert _formula_free(cell), repr(cell)


@settings(max_examples=examples(100), deadline=None)
@given(
    names=st.lists(_TEXT.map(lambda t: t.replace("\x00", "")), min_size=1, max_size=8),
    values=st.lists(
        st.floats(min_value=-1e6, max_value=1e6, allow_nan=False), min_size=8, max_size=8
    ),
)
def test_a_frame_reads_back_with_text_neutralised_and_numbers_numeric(
    names: list[str], values: list[float]
) -> None:
    frame = pd.DataFrame({"organization": names, "score": values[: len(names)]})
    text = frame_to_csv(frame)
    back = pd.read_csv(io.StringIO(text, newline=""), keep_default_na=False, dtype={0: str})
    assert list(back.columns) == ["organization", "score"]
    assert len(back) == len(frame)
    assert back["organization"].tolist() == [neutralise_cell(n) for n in names]
    assert back["score"].dtype.kind == "f"
    assert back["score"].tolist() == pytest.approx(frame["score"].tolist())


def test_a_frame_writes_missing_values_as_empty_cells_and_no_index() -> None:
    frame = pd.DataFrame({"name": ["=A1", None, "ok"], "n": [1.0, np.nan, -2.0]}, index=[7, 8, 9])
    assert frame_to_csv(frame) == "name,n\n'=A1,1.0\n,\nok,-2.0\n"


def test_a_header_that_starts_a_formula_is_neutralised_too() -> None:
    frame = pd.DataFrame({"=cmd": [1], "@x": ["y"]})
    assert frame_to_csv(frame).splitlines()[0] == "'=cmd,'@x"


# --- escape_markdown ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "payload",
    [
        "![x](http://127.0.0.1:9/img.png)",
        "[click](http://127.0.0.1:9/a)",
        "<img src=http://127.0.0.1:9/x>",
        "http://127.0.0.1:9/bare",
        "www.example.com",
        "someone@example.com",
        ":red[alert] :material/home: $x^2$ **bold** ~~gone~~ &lt;",
    ],
)
def test_escaped_markdown_has_no_unescaped_special_character(payload: str) -> None:
    escaped = escape_markdown(payload).replace("\u2060", "")  # invisible word joiners
    assert escaped.replace("\\", "") == payload
    i = 0
    while i < len(escaped):  # every special character is preceded by a backslash
        if escaped[i] == "\\":
            i += 2
            continue
        assert escaped[i] not in "[]()<>!:/.@&*_~$`#|", (escaped, i)
        i += 1


def test_escaped_markdown_breaks_autolinks_icons_and_mail_addresses_with_word_joiners() -> None:
    escaped = escape_markdown("http://x www.y.z a@b.c :material/home:")
    assert "\\:\u2060\\/\\/x" in escaped
    assert "www\u2060\\.y" in escaped
    assert "a\u2060\\@b" in escaped
    assert "\\:\u2060material\\/home\\:\u2060" in escaped


def test_markdown_lines_escape_each_line_and_count_the_rest() -> None:
    text = markdown_lines([f"[{n}](http://h/{n})" for n in range(25)], limit=3)
    lines = text.split("\n")
    assert len(lines) == 4
    assert lines[0] == "- " + escape_markdown("[0](http://h/0)")
    assert lines[-1] == "- ... and 22 more"


def test_a_literal_block_cannot_be_closed_by_the_text_inside() -> None:
    block = literal_block(["a ~~~~ b", "c\n~~~~~\n![x](http://127.0.0.1:9/x.png)"])
    fence, _, rest = block.partition("text\n")
    assert fence == "~" * 6
    body, _, closing = rest.rpartition("\n")
    assert closing == fence
    assert body == "- a ~~~~ b\n- c\n~~~~~\n![x](http://127.0.0.1:9/x.png)"
    assert fence not in body
    assert literal_block(["only one"]) == "~~~text\nonly one\n~~~"
    assert literal_block([str(n) for n in range(30)], limit=2).endswith("- ... and 28 more\n~~~")


# --- terminal_safe ------------------------------------------------------------------------------


def test_terminal_controls_are_shown_as_escapes() -> None:
    text = "Acme\x1b[2J\x1b]0;owned\x07\rX\x08\x7f\x9b31m\u202eevil\nnext\tcol"
    assert terminal_safe(text) == (
        "Acme\\x1b[2J\\x1b]0;owned\\x07\\x0dX\\x08\\x7f\\x9b31m\\u202eevil\nnext\tcol"
    )
    assert terminal_safe("a\nb\tc", single_line=True) == "a\\x0ab\\x09c"
    assert terminal_safe("Ünïcode ✓ 日本") == "Ünïcode ✓ 日本"


@given(st.text())
def test_terminal_safe_text_holds_no_control_character(text: str) -> None:
    shown = terminal_safe(text, single_line=True)
    assert not any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F for c in shown)


def _summary(organization: str, division: str | None) -> AssessmentSummary:
    when = dt.datetime(2026, 1, 15, tzinfo=dt.UTC)
    return AssessmentSummary(
        id=1,
        organization=organization,
        division=division,
        assessed_on=dt.date(2026, 1, 15),
        overall=50.0,
        stage_level=2,
        stage_name="Pilots",
        questionnaire_version="1",
        created_at=when,
    )


def test_the_assessments_list_table_escapes_controls_and_keeps_one_line_per_row() -> None:
    table = _summary_table([_summary("Acme\x1b[31m\rEvil\nCorp", "R&D\t\x07")])
    lines: Sequence[str] = table.split("\n")
    assert len(lines) == 2
    assert "Acme\\x1b[31m\\x0dEvil\\x0aCorp" in lines[1]
    assert "R&D\\x09\\x07" in lines[1]
    assert not any(ord(c) < 0x20 for c in table.replace("\n", ""))


def test_the_dashboard_turns_off_the_table_toolbars_raw_csv_export() -> None:
    """st.dataframe's toolbar writes raw cells; the pages offer frame_to_csv instead."""
    config = Path(__file__).resolve().parents[1] / ".streamlit" / "config.toml"
    with config.open("rb") as file:
        assert tomllib.load(file)["client"]["disableDataExport"] is True


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_an_export_printed_to_a_terminal_is_escaped_and_to_a_pipe_is_exact(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = "organization,Acme\x1b]52;c;bad\x07\r\n"
    terminal = _Terminal()
    monkeypatch.setattr("sys.stdout", terminal)
    _write(text, None)
    assert terminal.getvalue() == "organization,Acme\\x1b]52;c;bad\\x07\\x0d\n"

    pipe = io.StringIO()
    monkeypatch.setattr("sys.stdout", pipe)
    _write(text, None)
    assert pipe.getvalue() == text
