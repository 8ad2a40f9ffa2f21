"""Respondent surveys: matching headers, the CSV template, reading bytes and files, and every way
input fails.

The files under tests/data/surveys/ follow each tool's documented export shape:
- microsoft_forms.csv: Microsoft Forms "Open in Excel" workbook saved as CSV UTF-8 (with BOM):
  ID, Start time, Completion time, Email, Name, Last modified time, then one column per question
  titled with its text; choice answers as option text, multi-select answers joined by ";" with a
  trailing ";".
- google_forms.csv: Google Forms "Download responses (.csv)": Timestamp (and Email Address when
  collected), then one column per question titled with its text; checkbox answers joined by ", ",
  linear scales as numbers.
- limesurvey_codes.csv / limesurvey_full.csv: LimeSurvey "Export responses" (remote control
  ``export_responses``) with sHeadingType "code" and sResponseType "short" (answer codes), and with
  "full" headings and "long" answers: id, submitdate, lastpage, startlanguage, seed (or their
  full texts) before the questions. LimeSurvey question codes allow letters and digits only; a
  multiple-choice question is one column per option, ``code[option]`` or ``Question [Option]``,
  holding ``Y`` (codes) or ``Yes`` (full answers) when ticked and nothing otherwise.
- qualtrics.csv: Qualtrics "Download data table" CSV ("Understanding Your Dataset": three header
  rows: the field id, the question text, then {"ImportId": ...} JSON), metadata StartDate ...
  UserLanguage first, numeric values for scales and choice text for a multiple-choice question, a
  matrix statement headed "Question - Statement".
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from property_budget import examples
from scoring_fixtures import STRUGGLING, questionnaire, respondents_frame

from readiness.answers import RespondentTable
from readiness.data_dictionary import EXAMPLE_DIVISION
from readiness.errors import InputError
from readiness.questionnaire import load_questionnaire
from readiness.rules import load_rulebook
from readiness.scoring import score_respondents
from readiness.survey import (
    column_role,
    decode_csv_bytes,
    match_columns,
    parse_respondents_csv,
    read_respondents,
    read_respondents_csv,
    read_respondents_file,
    summarize_survey,
    template_csv,
)

SURVEYS = Path(__file__).parent / "data" / "surveys"


def csv_problems(data: bytes, name: str = "survey.csv") -> list[str]:
    with pytest.raises(InputError) as caught:
        read_respondents_csv(questionnaire(), data, name)
    return caught.value.problems


def column(item_id: str) -> int:
    return questionnaire().item_ids.index(item_id)


def test_the_template_header_is_division_then_every_item_id() -> None:
    header, example = template_csv(questionnaire()).splitlines()
    assert header.split(",") == ["division", *questionnaire().item_ids]
    assert example.startswith(EXAMPLE_DIVISION + ",")


def test_the_template_reads_back_and_scores_its_example_row() -> None:
    text = template_csv(questionnaire())
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == 2
    assert len(rows[0]) == len(rows[1])
    frame = pd.read_csv(io.StringIO(text), keep_default_na=False)
    assert list(frame["division"]) == [EXAMPLE_DIVISION]
    table = read_respondents_csv(questionnaire(), text.encode(), "template.csv")
    assert table.problems == []
    assert table.columns.note() is None
    assert not np.isnan(table.raw).any()  # the example answers every question
    batch = score_respondents(questionnaire(), load_rulebook(), table, min_group_size=1)
    assert list(batch.divisions) == [EXAMPLE_DIVISION]
    assert batch.overall.scores.overall is not None
    # With the default minimum one respondent is the whole organization only.
    assert score_respondents(questionnaire(), load_rulebook(), table).divisions == {}


def item_codes(table: RespondentTable, item_id: str) -> list[float | None]:
    values = table.raw[:, questionnaire().item_ids.index(item_id)]
    return [None if np.isnan(v) else float(v) for v in values]


def test_a_microsoft_forms_export_is_read_by_question_text_and_option_labels() -> None:
    table = read_respondents_file(questionnaire(), SURVEYS / "microsoft_forms.csv")
    assert table.problems == []
    assert table.columns.tool_columns == (
        "'ID'", "'Start time'", "'Completion time'", "'Email'", "'Name'", "'Last modified time'",
    )  # fmt: skip
    assert table.columns.unknown_columns == ()
    assert list(table.divisions) == ["Sales", "NA", "Sales"]  # "Department", NA kept as text
    assert item_codes(table, "gr_self_start") == [4.0, 3.0, 1.0]
    assert item_codes(table, "gr_find_answers") == [5.0, 2.0, 4.0]  # "disagree " too
    assert item_codes(table, "su_lead") == [0.0, 1.0, 2.0]
    assert item_codes(table, "to_slates") == [3.0, 0.0, None]  # "None;" is nothing ticked
    assert item_codes(table, "gr_active_share") == [25.0, 10.0, 5.0]


def test_a_google_forms_export_splits_checkbox_labels_joined_by_comma() -> None:
    table = read_respondents_file(questionnaire(), SURVEYS / "google_forms.csv")
    assert table.problems == []
    assert table.columns.tool_columns == ("'Timestamp'", "'Email Address'")
    assert list(table.divisions) == ["North America", "null", "None"]
    assert item_codes(table, "to_slates") == [1.0 + 8.0, None, 0.0]
    assert item_codes(table, "su_lead") == [0.0, 3.0, 2.0]
    assert item_codes(table, "su_local_support_share") == [50.0, 0.0, 100.0]


def test_a_limesurvey_export_with_question_codes_and_answer_codes() -> None:
    table = read_respondents_file(questionnaire(), SURVEYS / "limesurvey_codes.csv")
    assert table.columns.tool_columns == (
        "'id'", "'submitdate'", "'lastpage'", "'startlanguage'", "'seed'",
    )  # fmt: skip
    assert list(table.divisions) == ["Operations", "Operations", "nan"]
    assert item_codes(table, "gr_self_start") == [4.0, 5.0, None]
    assert item_codes(table, "su_lead") == [1.0, 0.0, None]
    assert item_codes(table, "to_slates") == [1.0 + 8.0, None, 0.0]  # "N": answered, none ticked
    assert table.columns.option_columns == {"to_slates": {10: 0, 11: 1, 12: 3}}
    assert table.problems == []


def test_a_limesurvey_export_with_full_question_text_and_full_answers() -> None:
    table = read_respondents_file(questionnaire(), SURVEYS / "limesurvey_full.csv")
    assert table.problems == []
    assert "'Date submitted'" in table.columns.tool_columns
    assert item_codes(table, "gr_self_start") == [4.0, 5.0]
    assert item_codes(table, "su_lead") == [1.0, 3.0]
    assert item_codes(table, "to_slates") == [1.0 + 4.0, None]
    assert table.columns.unknown_columns == ()


def test_a_qualtrics_export_skips_its_three_header_rows_and_keeps_file_row_numbers() -> None:
    table = read_respondents_file(questionnaire(), SURVEYS / "qualtrics.csv")
    # the first respondent is on spreadsheet row 4, the second (with a 9) on row 5
    assert table.problems == [
        f"{SURVEYS / 'qualtrics.csv'}: row 5, field gr_self_start: "
        "expected a whole number from 1 to 5, got 9"
    ]
    assert "'Duration (in seconds)'" in table.columns.tool_columns
    assert "'ResponseId'" in table.columns.tool_columns
    assert table.columns.unknown_columns == ()
    assert list(table.divisions) == ["R&D", "R&D", "N/A"]
    assert item_codes(table, "gr_self_start") == [4.0, None, 3.0]
    assert item_codes(table, "gr_find_answers") == [5.0, 3.0, None]
    assert item_codes(table, "su_lead") == [0.0, 3.0, 2.0]  # matched by its id in row 1
    assert item_codes(table, "su_sponsor") == [4.0, 2.0, 4.0]  # "Question - Statement", "Agree"


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("gr_self_start, gr_self_start ", "columns 1 ('gr_self_start') and 2 ('gr_self_start')"),
        (
            "gr_self_start,Start tools on our own",
            "columns 1 ('gr_self_start') and 2 ('Start tools on our own') both hold item",
        ),
        ("division,Division ,gr_self_start", "2 division columns (1, 2); keep one"),
    ],
)
def test_duplicate_columns_are_one_clear_message(header: str, expected: str) -> None:
    [problem] = csv_problems(f"{header}\n1,2,3\n".encode())
    assert problem.startswith("survey.csv: ")
    assert expected in problem


def test_a_cell_in_an_option_column_that_is_not_yes_or_no_is_a_problem_on_its_row() -> None:
    data = b"gr_self_start,to_slates[search],to_slates[links]\n4,Y,\n3,maybe,Y\n"
    table = read_respondents_csv(questionnaire(), data, "l.csv")
    assert table.problems == [
        "l.csv: row 3, field to_slates: 'maybe' is not Y, Yes or N (option columns of to_slates)"
    ]
    assert item_codes(table, "to_slates") == [1.0, None]


def test_a_checklist_given_whole_and_per_option_is_a_clear_message() -> None:
    [problem] = csv_problems(b"to_slates,to_slates[search]\nsearch,Y\n")
    assert problem == (
        "survey.csv: item to_slates is given both as one column and as one column per option; "
        "keep one"
    )


def test_a_division_and_a_department_column_use_the_division_and_name_the_other() -> None:
    table = read_respondents_csv(
        questionnaire(), b"Department,gr_self_start,Division\nIT,3,Sales\n", "s.csv"
    )
    assert list(table.divisions) == ["Sales"]
    assert table.columns.unknown_columns == ("'Department'",)


def test_a_file_holding_only_a_bom_or_only_a_header_is_a_clear_message() -> None:
    assert csv_problems(b"\xef\xbb\xbf") == ["survey.csv: the file is empty"]
    assert csv_problems(b"\xef\xbb\xbf \r\n") == ["survey.csv: the file is empty"]
    assert csv_problems(b"\xef\xbb\xbfgr_self_start\r\n") == [
        "survey.csv: a header but no respondent rows"
    ]
    assert csv_problems(b"gr_self_start\n\n\n") == ["survey.csv: a header but no respondent rows"]


@pytest.mark.parametrize("word", ["NA", "N/A", "None", "null", "nan", "NaN", "#N/A", "n/a"])
def test_only_empty_cells_are_missing_a_division_called_na_is_kept(word: str) -> None:
    data = f"division,gr_self_start,to_slates\n{word},4,{word.lower() if word == 'None' else ''}\n"
    table = read_respondents_csv(questionnaire(), data.encode(), "s.csv")
    assert list(table.divisions) == [word]
    assert table.problems == []


def test_a_checklist_none_in_any_case_is_nothing_ticked_and_empty_is_unanswered() -> None:
    data = b"gr_self_start,to_slates\n1,None\n2,NONE\n3, none \n4,\n5,search\n"
    table = read_respondents_csv(questionnaire(), data, "s.csv")
    assert item_codes(table, "to_slates") == [0.0, 0.0, 0.0, None, 1.0]


def test_an_integer_beyond_float_range_is_an_out_of_range_problem() -> None:
    huge = "9" * 400
    data = f"division,gr_active_share,gr_self_start\nA,{huge},3\nB,-{huge},{huge}\n".encode()
    table = read_respondents_csv(questionnaire(), data, "s.csv")
    assert table.problems == [
        "s.csv: row 2, field gr_active_share: 999999999999... (400 digits) is out of range "
        "(0 to 100)",
        "s.csv: row 3, field gr_active_share: -99999999999... (400 digits) is out of range "
        "(0 to 100)",
        "s.csv: row 3, field gr_self_start: expected a whole number from 1 to 5, got "
        "999999999999... (400 digits)",
    ]


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


def test_a_qualtrics_question_text_spanning_lines_keeps_file_row_numbers() -> None:
    text = questionnaire().item("gr_self_start").text
    data = (
        'StartDate,Q1,Q2\r\n"Start Date","Department","'
        + text.replace(" our own", "\nour own")  # a line break typed in the question
        + '"\r\n{"ImportId":"startDate"},{"ImportId":"QID1"},{"ImportId":"QID2"}\r\n'
        "2026-11-02,Sales,4\r\n2026-11-02,IT,seven\r\n"
    )
    table = read_respondents_csv(questionnaire(), data.encode(), "q.csv")
    assert list(table.divisions) == ["Sales", "IT"]
    assert table.problems == [
        "q.csv: row 5, field gr_self_start: 'seven' is not a number or an agreement label "
        "(Strongly disagree ... Strongly agree)"
    ]


CSV_PIECES = [
    "division", "gr_self_start", "gr_active_share", "su_lead", "to_slates", "Timestamp", " ",
    ",", ",", ",", "\n", "\r\n", '"', '""', "\ufeff", "NA", "none", "4", "-3", "1e400",
    "9" * 400, "Agree", "The business", "search;links", "nan", "inf", "{\"ImportId\":\"QID1\"}",
    "\x00", "\t", "=cmd|' /C calc'!A0",
]  # fmt: skip


@settings(max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(CSV_PIECES) | st.text(max_size=5), max_size=40).map("".join))
def test_any_text_is_read_or_refused_with_a_message_never_a_crash(text: str) -> None:
    problems: list[str] = []
    try:
        table = read_respondents_csv(questionnaire(), text.encode("utf-8"), "fuzz.csv")
    except InputError as error:
        problems = error.problems
    if problems:
        assert all(p.startswith("fuzz.csv: ") for p in problems)
        return
    assert table.raw.shape == (len(table), len(questionnaire().items))
    assert len(table.bad_rows) == len(table)
    answered = table.raw[~np.isnan(table.raw)]
    assert np.isfinite(answered).all()


def test_a_survey_summary_keeps_small_results_only() -> None:
    n = 3000
    frame = pd.DataFrame(
        {
            "division": np.where(np.arange(n) % 2 == 0, "Sales", "IT"),
            "gr_self_start": ["x"] * 1500 + ["4"] * 1500,
            "su_sponsor": ["3"] * n,
        }
    )
    q = load_questionnaire()
    table = read_respondents(q, frame, "survey.csv")
    summary = summarize_survey(q, load_rulebook(), table, "survey.csv")
    assert (summary.rows, summary.bad_rows, summary.problems_total) == (n, 1500, 1500)
    assert len(summary.problem_table) == 1000
    assert set(summary.divisions) == {"Sales", "IT"}
    assert summary.overall is not None
    assert summary.overall.respondents == 1500


# --- matching headers to the questionnaire ---------------------------------------------------


@pytest.mark.parametrize(
    ("header", "role"),
    [
        ("gr_self_start", "gr_self_start"),
        (" GR_SELF_START ", "gr_self_start"),
        ("grselfstart", "gr_self_start"),  # a LimeSurvey question code
        ("Start tools on our own", "gr_self_start"),  # the label
        (questionnaire().item("gr_self_start").text.upper(), "gr_self_start"),
        (questionnaire().item("su_lead").text.rstrip("?"), "su_lead"),
        ("Rate these - " + questionnaire().item("su_sponsor").text, "su_sponsor"),
        ("Division", "division"),
        ("DEPARTMENT", "division"),
        ("Timestamp", None),
        ("colour", None),
        ("", None),
    ],
)
def test_a_header_names_an_item_by_id_label_or_question_text(header: str, role: str | None) -> None:
    assert column_role(questionnaire(), header) == role


def test_survey_tool_columns_and_unknown_columns_are_named_separately() -> None:
    headers = ["ID", "Start time", "Completion time", "Email", "Name", "gr_self_start"]
    headers += ["Timestamp", "ResponseId", "Duration (in seconds)", "favourite colour", " "]
    columns = match_columns(questionnaire(), headers)
    assert columns.items == {"gr_self_start": 5}
    assert columns.tool_columns == (
        "'ID'", "'Start time'", "'Completion time'", "'Email'", "'Name'", "'Timestamp'",
        "'ResponseId'", "'Duration (in seconds)'",
    )  # fmt: skip
    assert columns.unknown_columns == ("'favourite colour'", "column 11 (no name)")
    assert columns.note() == (
        "Survey tool columns ignored: 'ID', 'Start time', 'Completion time', 'Email', 'Name', "
        "'Timestamp', 'ResponseId', 'Duration (in seconds)'; columns ignored (not a question of "
        "the questionnaire): 'favourite colour', column 11 (no name)"
    )


def test_a_table_with_an_extra_timestamp_column_scores_every_row() -> None:
    frame = respondents_frame([STRUGGLING, STRUGGLING], ["A", "B"])
    frame.insert(0, "timestamp", ["2026-11-02 09:00", "2026-11-02 09:05"])
    table = read_respondents(questionnaire(), frame, "survey.csv")
    assert table.problems == []
    assert not table.bad_rows.any()
    assert table.columns.tool_columns == ("'timestamp'",)


def test_a_column_that_is_not_an_item_id_is_ignored_and_named() -> None:
    frame = pd.DataFrame({"gr_self_start": [3, 4], "colour": ["red", "blue"]})
    table = read_respondents(questionnaire(), frame, "survey.csv")
    assert table.problems == []
    assert not table.bad_rows.any()
    assert table.columns.unknown_columns == ("'colour'",)
    assert list(table.raw[:, questionnaire().item_ids.index("gr_self_start")]) == [3.0, 4.0]


def test_a_respondent_column_is_allowed_besides_item_ids() -> None:
    frame = pd.DataFrame({"respondent": ["r1"], "gr_self_start": [3]})
    assert read_respondents(questionnaire(), frame).problems == []
