"""Respondent surveys as CSV: the template, reading bytes and files, and every way input fails."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from scoring_fixtures import questionnaire

from readiness.errors import InputError
from readiness.survey import (
    decode_csv_bytes,
    parse_respondents_csv,
    read_respondents_csv,
    read_respondents_file,
    template_csv,
)


def csv_problems(data: bytes, name: str = "survey.csv") -> list[str]:
    with pytest.raises(InputError) as caught:
        read_respondents_csv(questionnaire(), data, name)
    return caught.value.problems


def column(item_id: str) -> int:
    return questionnaire().item_ids.index(item_id)


def test_the_template_header_is_division_then_every_item_id() -> None:
    header = template_csv(questionnaire())
    assert header.endswith("\n")
    assert header.strip().split(",") == ["division", *questionnaire().item_ids]


def test_the_template_itself_reads_as_a_header_without_respondents() -> None:
    data = template_csv(questionnaire()).encode()
    assert csv_problems(data) == ["survey.csv: a header but no respondent rows"]


def test_a_valid_csv_is_read_into_one_raw_row_per_respondent() -> None:
    text = (
        "division,gr_self_start,su_lead,to_slates,gr_active_share\n"
        "Sales,4,it,search;links,25\n"
        "R&D,,Business,none,\n"
    )
    table = parse_respondents_csv(questionnaire(), text, "survey.csv")
    assert table.problems == []
    assert list(table.divisions) == ["Sales", "R&D"]
    np.testing.assert_array_equal(table.raw[:, column("gr_self_start")], [4.0, np.nan])
    np.testing.assert_array_equal(table.raw[:, column("su_lead")], [2.0, 0.0])
    np.testing.assert_array_equal(table.raw[:, column("to_slates")], [3.0, 0.0])
    np.testing.assert_array_equal(table.raw[:, column("gr_active_share")], [25.0, np.nan])


def test_a_checklist_cell_may_use_commas_inside_quotes() -> None:
    text = 'to_slates\n"search, links"\n'
    table = parse_respondents_csv(questionnaire(), text, "survey.csv")
    assert table.raw[0, column("to_slates")] == 3.0


def test_spaces_around_cells_and_header_names_are_ignored() -> None:
    text = " gr_self_start , su_lead\n 4, it\n"
    table = parse_respondents_csv(questionnaire(), text, "survey.csv")
    assert table.problems == []
    assert table.raw[0, column("gr_self_start")] == 4.0


def test_a_utf8_byte_order_mark_is_allowed() -> None:
    table = read_respondents_csv(questionnaire(), b"\xef\xbb\xbfgr_self_start\n4\n", "survey.csv")
    assert table.problems == []
    assert table.raw[0, column("gr_self_start")] == 4.0


def test_bad_cells_are_reported_one_line_each_with_file_row_and_field() -> None:
    data = (
        b"division,gr_self_start,gr_active_share,su_lead\nA,3,10,it\nB,7,150,maybe\nC,abc,5,joint\n"
    )
    table = read_respondents_csv(questionnaire(), data, "survey.csv")
    assert table.problems == [
        "survey.csv: row 3, field gr_active_share: 150 is out of range (0 to 100)",
        "survey.csv: row 3, field gr_self_start: expected a whole number from 1 to 5, got 7",
        "survey.csv: row 3, field su_lead: 'maybe' is not one of business, joint, it, nobody",
        "survey.csv: row 4, field gr_self_start: "
        "'abc' is not a number or an agreement label (Strongly disagree ... Strongly agree)",
    ]


def test_the_row_number_matches_the_line_after_a_blank_line() -> None:
    # A spreadsheet or an editor shows the bad answer (7) on row/line 4.
    data = b"gr_self_start,gr_active_share\n3,10\n\n7,20\n"
    assert read_respondents_csv(questionnaire(), data, "survey.csv").problems == [
        "survey.csv: row 4, field gr_self_start: expected a whole number from 1 to 5, got 7"
    ]


def test_an_unknown_column_is_ignored_and_named_in_a_note() -> None:
    table = read_respondents_csv(questionnaire(), b"gr_self_start,colour\n3,red\n", "survey.csv")
    assert table.problems == []
    assert not table.bad_rows.any()
    assert table.columns.unknown_columns == ("'colour'",)
    assert table.columns.note() == (
        "Columns ignored (not a question of the questionnaire): 'colour'"
    )


def test_a_header_without_any_item_id_shows_what_a_header_looks_like() -> None:
    [problem] = csv_problems(b"name,age\nAnn,40\n")
    assert problem.startswith(
        "survey.csv: no column is a question of the questionnaire (by item id or question text);"
        " expected a header like "
    )
    assert "'division,gr_active_share," in problem


def test_an_empty_file_is_reported_as_empty() -> None:
    assert csv_problems(b"") == ["survey.csv: the file is empty"]
    assert csv_problems(b"  \n\n") == ["survey.csv: the file is empty"]


def test_a_file_that_is_not_utf8_names_the_first_bad_byte() -> None:
    data = "division,gr_self_start\nVerkäufer,3\n".encode("latin-1")  # ä is byte 27
    assert csv_problems(data) == [
        "survey.csv: not UTF-8 text (byte 0xe4 at position 27); save the file as UTF-8"
    ]


def test_a_utf16_file_is_not_utf8_text() -> None:
    [problem] = csv_problems("gr_self_start\n3\n".encode("utf-16"))
    assert problem.startswith("survey.csv: not UTF-8 text (byte 0xff at position 0)")


def test_a_row_with_too_many_fields_is_a_malformed_csv() -> None:
    assert csv_problems(b"gr_self_start,gr_active_share\n3,10\n4,20,5\n") == [
        "survey.csv: not a well-formed CSV file (row 3 has 3 fields, the header has 2)"
    ]


def test_every_row_having_one_field_too_many_is_a_malformed_csv_not_shifted_columns() -> None:
    # pandas would silently take the first column as the index and shift every answer left:
    # gr_self_start would read 3 and gr_active_share 20, and the 9 would vanish.
    [problem] = csv_problems(b"gr_self_start,gr_active_share\n9,3,20\n")
    assert problem.startswith("survey.csv: not a well-formed CSV file")


def test_a_missing_file_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "missing.csv"
    with pytest.raises(InputError) as caught:
        read_respondents_file(questionnaire(), path)
    assert caught.value.problems == [f"{path}: file not found"]


def test_a_file_on_disk_is_read_like_uploaded_bytes(tmp_path: Path) -> None:
    path = tmp_path / "survey.csv"
    path.write_bytes(b"\xef\xbb\xbfdivision,gr_self_start\nA,9\n")
    table = read_respondents_file(questionnaire(), path)
    assert table.problems == [
        f"{path}: row 2, field gr_self_start: expected a whole number from 1 to 5, got 9"
    ]


def test_decoding_uploaded_bytes_checks_emptiness_and_encoding() -> None:
    assert decode_csv_bytes(b"a,b\n", "up.csv") == "a,b\n"
    with pytest.raises(InputError, match=r"^up\.csv: the file is empty$"):
        decode_csv_bytes(b"\n", "up.csv")
    with pytest.raises(InputError, match=r"^up\.csv: not UTF-8 text \(byte 0xff at position 0\)"):
        decode_csv_bytes(b"\xff\xfe", "up.csv")
