"""Reading files people hand over: binary formats named by their first bytes, CR-only line
endings read by every CSV reader, and paths that are not regular files or cannot be looked up."""

from __future__ import annotations

import gzip
import io
import json
import os
import struct
import threading
import zipfile
import zlib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from readiness.errors import InputError
from readiness.textfiles import decode_text, file_kind, read_file_bytes, read_text_file

USAGE = Path(__file__).parent / "data" / "usage"


def png_image() -> bytes:
    """A real 1x1 PNG (signature, IHDR, IDAT, IEND with their CRCs)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
        + chunk(b"IEND", b"")
    )


def zip_archive(*names: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


def problem(data: bytes, name: str = "upload.csv", expected: str | None = None) -> str:
    with pytest.raises(InputError) as raised:
        decode_text(data, name, expected)
    [line] = raised.value.problems
    return line


# --- what a binary file is ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (png_image(), "a PNG image"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "a JPEG image"),
        (b"GIF89a\x01\x00\x01\x00\x80\x00\x00", "a GIF image"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "a PDF document"),
        (zip_archive("[Content_Types].xml", "xl/workbook.xml"), "an Excel workbook (.xlsx)"),
        (zip_archive("word/document.xml"), "a Word document (.docx)"),
        (zip_archive("notes.txt"), "a ZIP archive (an .xlsx workbook?)"),
        (gzip.compress(b"period,value\n2020,1\n", mtime=0), "a gzip-compressed file"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(8), "an Office 97-2003 document"),
        (b"PAR1" + bytes(8) + b"PAR1", "a Parquet file"),
        (b"SQLite format 3\x00" + bytes(8), "an SQLite database"),
    ],
)
def test_a_binary_file_is_named_for_what_it_is(data: bytes, kind: str) -> None:
    assert (file_kind(data) or "").startswith(kind)
    line = problem(data, "upload.csv")
    assert line.startswith(f"upload.csv: this is {kind}")
    assert ", not a CSV file" in line
    assert "UTF-8" not in line.replace("CSV (UTF-8)", "")


def test_what_was_expected_follows_the_name_or_the_caller() -> None:
    assert problem(png_image(), "chart.csv") == "chart.csv: this is a PNG image, not a CSV file"
    assert problem(png_image(), "a.json") == "a.json: this is a PNG image, not a JSON file"
    assert problem(png_image(), "upload") == "upload: this is a PNG image, not a text file"
    assert (
        problem(png_image(), "up.json", "an assessment export")
        == "up.json: this is a PNG image, not an assessment export"
    )


def test_a_workbook_sent_as_a_csv_is_told_to_save_the_sheet_as_csv() -> None:
    line = problem(zip_archive("xl/workbook.xml"), "roster.csv")
    assert line == (
        "roster.csv: this is an Excel workbook (.xlsx), not a CSV file;"
        " save the sheet as CSV (UTF-8)"
    )


@pytest.mark.parametrize(
    "text", ["BZh,value\n1,2\n", "PAR1,PAR2\n1,2\n", "GIF,JPEG\n1,2\n", "MM,II\n1,2\n"]
)
def test_text_that_starts_like_a_signature_is_still_text(text: str) -> None:
    assert file_kind(text.encode()) is None
    assert decode_text(text.encode(), "x.csv") == text


def test_text_that_is_not_utf8_keeps_its_advice() -> None:
    assert problem("a,b\nä,1\n".encode("latin-1")) == (
        "upload.csv: not UTF-8 text (byte 0xe4 at position 4); save the file as UTF-8"
    )


# --- line endings -------------------------------------------------------------------------------


def test_cr_only_line_endings_read_as_lf() -> None:
    data = "\r".join(["\ufeffperiod,value", "2020,1", '2021,"two\r\nlines"', ""]).encode()
    assert decode_text(data, "h.csv") == 'period,value\n2020,1\n2021,"two\nlines"\n'


@pytest.mark.parametrize("newline", ["\r\n", "\n"])
def test_lf_and_crlf_text_is_read_as_it_is(newline: str) -> None:
    text = newline.join(["period,value", "2020,1", '2021,"two\r\nlines"', ""])
    assert decode_text(text.encode(), "h.csv") == text


def _cr_only(data: bytes) -> bytes:
    return data.replace(b"\r\n", b"\n").replace(b"\n", b"\r")


def test_a_cr_only_respondents_csv_reads_like_the_lf_one() -> None:
    from readiness.questionnaire import load_questionnaire
    from readiness.survey import read_respondents_csv

    q = load_questionnaire()
    data = b"division,gr_self_start,gr_active_share\nSales,4,10\nIT,2,30\nIT,9,5\n"
    expected = read_respondents_csv(q, data, "s.csv")
    table = read_respondents_csv(q, _cr_only(data), "s.csv")
    assert table.problems == expected.problems
    assert len(table.problems) == 1
    assert "row 4" in table.problems[0]
    np.testing.assert_array_equal(table.raw, expected.raw)
    assert table.division_names == expected.division_names


def test_a_cr_only_history_fits_like_the_lf_one() -> None:
    from readiness.views.growth import fit_history

    data = b"period,value\n2021,3\n2022,5\n2023,8\n2024,12\n2025,17\n2026,23\n"
    expected = fit_history(data, "h.csv", "percent")
    fitted = fit_history(_cr_only(data), "h.csv", "percent")
    assert (fitted.model, fitted.r2) == (expected.model, expected.r2)


def test_cr_only_usage_exports_and_roster_measure_like_the_lf_ones() -> None:
    from readiness.usage import measure_files, read_roster

    names = ["yammer-activity-user-detail-2026-01-01.csv", "slack-members.csv", "events.csv"]
    roster = (USAGE / "roster.csv").read_bytes()
    results = []
    for convert in (lambda data: data, _cr_only):
        files = [(convert((USAGE / n).read_bytes()), n) for n in names]
        measured = measure_files(files, roster=read_roster(convert(roster), "roster.csv"))
        results.append(measured.series.reset_index(drop=True))
    pd.testing.assert_frame_equal(results[1], results[0])


def test_a_cr_only_assessment_import_reads() -> None:
    from readiness.assessment import parse_assessments
    from readiness.questionnaire import load_questionnaire

    text = json.dumps({"organization": "Acme", "answers": {"gr_self_start": 4}}, indent=2)
    [assessment] = parse_assessments(load_questionnaire(), _cr_only(text.encode()), "a.json")
    assert assessment.answers == {"gr_self_start": 4}


# --- paths --------------------------------------------------------------------------------------


def test_a_named_pipe_without_a_writer_is_refused_at_once(tmp_path: Path) -> None:
    pipe = tmp_path / "p.csv"
    os.mkfifo(pipe)
    outcome: list[str] = []

    def read() -> None:
        try:
            read_text_file(pipe)
        except InputError as error:
            outcome.extend(error.problems)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(timeout=5)
    if reader.is_alive():  # unblock the reader so the test run can end
        os.close(os.open(pipe, os.O_WRONLY | os.O_NONBLOCK))
        pytest.fail("reading a named pipe with no writer blocked")
    assert outcome == [f"{pipe}: is a named pipe, not a file"]


@pytest.mark.parametrize(
    ("where", "message"),
    [
        ("/dev/null", "is a device, not a file"),
        ("/dev/zero", "is a device, not a file"),
        (".", "is a directory, not a file"),
    ],
)
def test_what_is_not_a_regular_file_is_refused(where: str, message: str) -> None:
    with pytest.raises(InputError) as raised:
        read_file_bytes(Path(where))
    assert raised.value.problems == [f"{where}: {message}"]


def test_a_file_name_too_long_is_one_line_naming_the_argument() -> None:
    name = "1" * 400
    with pytest.raises(InputError) as raised:
        read_text_file(Path(name), "--from")
    [line] = raised.value.problems
    assert line.startswith("--from 1111")
    assert line.endswith("(400 characters): file name too long for this system")
    assert len(line) < 120


def test_missing_and_unreadable_files_name_the_argument(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"^--from .*absent\.json: file not found$"):
        read_text_file(tmp_path / "absent.json", "--from")
    with pytest.raises(InputError, match=r"^[^ ]*absent\.json: file not found$"):
        read_text_file(tmp_path / "absent.json")
