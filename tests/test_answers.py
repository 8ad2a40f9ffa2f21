"""Answers: validating and encoding one assessment or a respondents table, with exact messages."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from property_budget import examples
from scoring_fixtures import STRUGGLING, questionnaire, respondents_frame

from readiness.answers import (
    NO_DIVISION,
    answers_to_json,
    check_answer,
    decode_row,
    encode_answers,
)
from readiness.errors import InputError
from readiness.questionnaire import Item, Option
from readiness.survey import read_respondents


def problem_of(item_id: str, value: Any) -> str | None:
    return check_answer(questionnaire().item(item_id), value)[1]


def code_of(item_id: str, value: Any) -> float:
    code, problem = check_answer(questionnaire().item(item_id), value)
    assert problem is None
    return code


def encode_problems(answers: dict[str, Any]) -> list[str]:
    with pytest.raises(InputError) as caught:
        encode_answers(questionnaire(), answers)
    return caught.value.problems


# --- one answer ----------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [None, math.nan])
def test_a_missing_answer_is_unanswered_not_a_problem(value: Any) -> None:
    code, problem = check_answer(questionnaire().item("gr_self_start"), value)
    assert math.isnan(code)
    assert problem is None


def test_a_likert_answer_is_encoded_as_its_agreement() -> None:
    assert code_of("gr_self_start", 4) == 4.0
    assert code_of("gr_self_start", 3.0) == 3.0


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (7, "expected a whole number from 1 to 5, got 7"),
        (0, "expected a whole number from 1 to 5, got 0"),
        (2.5, "expected a whole number from 1 to 5, got 2.5"),
        ("3", "expected a number, got '3'"),
        (True, "expected a number, got True"),
        (math.inf, "expected a finite number, got inf"),
    ],
)
def test_a_bad_likert_answer_says_what_was_expected_and_what_was_given(
    value: Any, message: str
) -> None:
    assert problem_of("gr_self_start", value) == message


def test_a_number_answer_at_its_bounds_is_accepted() -> None:
    assert code_of("gr_active_share", 0) == 0.0
    assert code_of("gr_active_share", 100) == 100.0
    assert code_of("gr_active_share", 12.5) == 12.5


def test_a_number_answer_out_of_range_names_the_range() -> None:
    assert problem_of("gr_active_share", 150) == "150 is out of range (0 to 100)"
    assert problem_of("gr_active_share", -1) == "-1 is out of range (0 to 100)"
    assert problem_of("su_evangelists", 1001) == "1001 is out of range (0 to 1000)"


def test_a_choice_answer_is_encoded_as_the_option_index() -> None:
    assert code_of("su_lead", "business") == 0.0
    assert code_of("su_lead", "it") == 2.0


def test_a_choice_answer_ignores_case_and_surrounding_spaces() -> None:
    assert code_of("su_lead", " IT ") == 2.0


def test_a_choice_answer_that_is_not_an_option_lists_the_options() -> None:
    assert problem_of("su_lead", "maybe") == "'maybe' is not one of business, joint, it, nobody"
    assert problem_of("su_lead", 2) == "2 is not one of business, joint, it, nobody"


def test_a_checklist_answer_is_encoded_as_a_bit_mask_of_ticked_options() -> None:
    # search is bit 0, links bit 1, signals bit 5
    assert code_of("to_slates", ["search", "links"]) == 0b11
    assert code_of("to_slates", ["signals"]) == 0b100000
    assert code_of("to_slates", []) == 0.0


@pytest.mark.parametrize(
    "cell", ["search;links", "search|links", "search, links", " Links ; SEARCH "]
)
def test_a_checklist_cell_may_separate_options_with_semicolons_bars_or_commas(cell: str) -> None:
    assert code_of("to_slates", cell) == 0b11


def test_a_checklist_cell_none_means_answered_with_nothing_ticked() -> None:
    assert code_of("to_slates", "none") == 0.0


def test_an_empty_checklist_cell_is_unanswered() -> None:
    code, problem = check_answer(questionnaire().item("to_slates"), "  ")
    assert math.isnan(code)
    assert problem is None


def test_a_checklist_answer_with_an_unknown_option_names_it() -> None:
    assert problem_of("to_slates", ["search", "wiki"]) == (
        "'wiki' is not one of search, links, authoring, tags, extensions, signals"
    )


def test_a_checklist_answer_that_is_not_a_list_says_so() -> None:
    assert problem_of("to_slates", 3) == (
        "expected a list of option ids (search, links, authoring, tags, extensions, signals), got 3"
    )


# --- one assessment ------------------------------------------------------------------------------


def test_encoding_answers_gives_one_row_with_nan_where_unanswered() -> None:
    row = encode_answers(questionnaire(), {"gr_self_start": 4})
    assert row.shape == (1, len(questionnaire().items))
    column = questionnaire().item_ids.index("gr_self_start")
    assert row[0, column] == 4.0
    assert np.isnan(np.delete(row[0], column)).all()


def test_an_unknown_item_id_is_named() -> None:
    assert encode_problems({"gr_self_startt": 3}) == ["answers.gr_self_startt: unknown item id"]


def test_an_invalid_choice_names_the_item_the_value_and_the_options() -> None:
    assert encode_problems({"su_lead": "maybe"}) == [
        "answers.su_lead: 'maybe' is not one of business, joint, it, nobody"
    ]


def test_every_bad_answer_gets_its_own_line() -> None:
    problems = encode_problems({"nope": 1, "gr_self_start": 7, "gr_active_share": 150})
    assert problems == [
        "answers.nope: unknown item id",
        "answers.gr_active_share: 150 is out of range (0 to 100)",
        "answers.gr_self_start: expected a whole number from 1 to 5, got 7",
    ]


def test_the_problem_lines_name_where_the_answers_came_from() -> None:
    with pytest.raises(InputError) as caught:
        encode_answers(questionnaire(), {"gr_self_start": 9}, where="team.json: answers")
    assert caught.value.problems == [
        "team.json: answers.gr_self_start: expected a whole number from 1 to 5, got 9"
    ]


def test_decoding_a_row_gives_back_the_answers_rules_see() -> None:
    row = encode_answers(questionnaire(), STRUGGLING)
    decoded = decode_row(questionnaire(), row[0])
    assert decoded["su_lead"] == "it"
    assert decoded["to_slates"] == frozenset({"search", "links"})
    assert decoded["gr_self_start"] == 4.0
    assert "cx_org_model" not in decoded


def test_answers_survive_a_round_trip_through_the_raw_matrix() -> None:
    row = encode_answers(questionnaire(), STRUGGLING)
    back = answers_to_json(questionnaire(), row[0])
    assert set(back) == set(questionnaire().item_ids)
    assert {k: v for k, v in back.items() if v is not None} == STRUGGLING
    assert isinstance(back["gr_self_start"], int)


# --- a respondents table -------------------------------------------------------------------------


def test_a_valid_respondents_table_has_no_problems_and_one_raw_row_per_respondent() -> None:
    table = read_respondents(questionnaire(), respondents_frame([STRUGGLING, {}], ["A", "B"]))
    assert table.problems == []
    assert len(table) == 2
    assert not table.bad_rows.any()
    assert list(table.divisions) == ["A", "B"]
    np.testing.assert_array_equal(table.raw[0], encode_answers(questionnaire(), STRUGGLING)[0])
    assert np.isnan(table.raw[1]).all()


def test_table_problems_name_the_row_as_in_a_spreadsheet_and_the_field() -> None:
    frame = pd.DataFrame(
        {
            "gr_self_start": ["3", "7", "abc"],
            "gr_active_share": [10, 20, 150],
            "su_lead": ["it", "maybe", None],
        }
    )
    table = read_respondents(questionnaire(), frame, "survey.csv")
    assert table.problems == [
        "survey.csv: row 3, field gr_self_start: expected a whole number from 1 to 5, got 7",
        "survey.csv: row 3, field su_lead: 'maybe' is not one of business, joint, it, nobody",
        "survey.csv: row 4, field gr_active_share: 150 is out of range (0 to 100)",
        "survey.csv: row 4, field gr_self_start: "
        "'abc' is not a number or an agreement label (Strongly disagree ... Strongly agree)",
    ]
    assert list(table.bad_rows) == [False, True, True]


def test_a_column_of_mixed_python_objects_is_checked_like_any_other() -> None:
    # A frame built in code (or by a data editor) holds numbers and text in one object column.
    frame = pd.DataFrame({"gr_self_start": pd.Series([3, 7, "abc", " "], dtype=object)})
    table = read_respondents(questionnaire(), frame, "survey.csv")
    assert table.problems == [
        "survey.csv: row 3, field gr_self_start: expected a whole number from 1 to 5, got 7",
        "survey.csv: row 4, field gr_self_start: "
        "'abc' is not a number or an agreement label (Strongly disagree ... Strongly agree)",
    ]
    assert list(table.bad_rows) == [False, True, True, False]


def test_a_numeric_text_cell_out_of_range_is_shown_as_typed() -> None:
    frame = pd.DataFrame({"gr_active_share": ["150", "abc"]})
    table = read_respondents(questionnaire(), frame, "survey.csv")
    assert table.problems == [
        "survey.csv: row 2, field gr_active_share: 150 is out of range (0 to 100)",
        "survey.csv: row 3, field gr_active_share: 'abc' is not a number",
    ]


def test_rows_without_a_division_fall_in_the_no_division_group() -> None:
    frame = pd.DataFrame({"division": ["Sales", None, " "], "gr_self_start": [3, 4, 5]})
    table = read_respondents(questionnaire(), frame)
    assert list(table.divisions) == ["Sales", NO_DIVISION, NO_DIVISION]
    no_column = read_respondents(questionnaire(), pd.DataFrame({"gr_self_start": [3]}))
    assert list(no_column.divisions) == [NO_DIVISION]


def test_bad_rows_can_be_dropped_to_score_the_others() -> None:
    frame = pd.DataFrame({"gr_self_start": [3, 7, 4]})
    table = read_respondents(questionnaire(), frame).without_bad_rows()
    assert len(table) == 2
    assert table.problems == []
    column = questionnaire().item_ids.index("gr_self_start")
    assert list(table.raw[:, column]) == [3.0, 4.0]


def test_a_table_with_many_problems_lists_fifty_and_counts_the_rest() -> None:
    frame = pd.DataFrame({"gr_self_start": [9] * 60})
    table = read_respondents(questionnaire(), frame, "survey.csv")
    assert len(table.problems) == 51
    assert table.problems[0] == (
        "survey.csv: row 2, field gr_self_start: expected a whole number from 1 to 5, got 9"
    )
    assert table.problems[-1] == "survey.csv: ... and 10 more problems"
    assert table.bad_rows.all()
    assert len(table.problem_table) == 60


def test_a_table_encodes_choice_and_checklist_cells_like_single_answers() -> None:
    frame = pd.DataFrame(
        {"su_lead": ["IT", "joint", None], "to_slates": ["search;links", "none", ""]}
    )
    table = read_respondents(questionnaire(), frame)
    assert table.problems == []
    lead = questionnaire().item_ids.index("su_lead")
    slates = questionnaire().item_ids.index("to_slates")
    np.testing.assert_array_equal(table.raw[:, lead], [2.0, 1.0, np.nan])
    np.testing.assert_array_equal(table.raw[:, slates], [3.0, 0.0, np.nan])


# --- answers and headers as survey tools write them -----------------------------------------------

LIKERT_LABELS = questionnaire().likert_labels


@pytest.mark.parametrize(
    ("label", "code"), [(label, k + 1.0) for k, label in enumerate(LIKERT_LABELS)]
)
def test_an_agreement_label_is_its_likert_code_in_any_case(label: str, code: float) -> None:
    item = questionnaire().item("gr_self_start")
    assert check_answer(item, label, labels=True) == (code, None)
    assert check_answer(item, f"  {label.upper()} ", labels=True) == (code, None)


def test_an_option_label_is_its_option_in_any_case_and_spacing() -> None:
    item = questionnaire().item("su_lead")
    assert check_answer(item, "Business and IT together", labels=True) == (1.0, None)
    assert check_answer(item, "  business  AND it together ", labels=True) == (1.0, None)
    assert check_answer(item, "JOINT", labels=True) == (1.0, None)
    assert check_answer(item, "Business only", labels=True)[1] == (
        "'Business only' is not one of business, joint, it, nobody"
    )


def test_an_assessments_json_answers_keep_to_option_ids_and_numbers() -> None:
    assert encode_problems({"su_lead": "Business and IT together", "gr_self_start": "Agree"}) == [
        "answers.gr_self_start: expected a number, got 'Agree'",
        "answers.su_lead: 'Business and IT together' is not one of business, joint, it, nobody",
    ]


@settings(max_examples=examples(200), deadline=None)
@given(
    picked=st.sets(st.integers(0, 5)),
    separator=st.sampled_from([";", ", ", "|", " ; ", ","]),
    by_label=st.lists(st.booleans(), min_size=6, max_size=6),
    upper=st.booleans(),
    trailing=st.booleans(),
)
def test_a_checklist_cell_of_ids_or_labels_in_any_mix_gives_the_ticked_mask(
    picked: set[int], separator: str, by_label: list[bool], upper: bool, trailing: bool
) -> None:
    item = questionnaire().item("to_slates")
    entries = [item.options[k].label if by_label[k] else item.options[k].id for k in sorted(picked)]
    cell = separator.join(entries) + (separator if trailing and entries else "")
    cell = cell.upper() if upper else cell
    code, problem = check_answer(item, cell, labels=True)
    assert problem is None
    expected = sum(1 << k for k in picked)
    assert (math.isnan(code) and not picked) or code == expected


def test_a_checklist_label_holding_a_separator_is_matched_whole() -> None:
    item = Item(
        id="channels",
        dimension=None,
        kind="checklist",
        label="Channels",
        text="Which channels?",
        help="h",
        weight=0,
        options=(
            Option(id="wiki", label="Wikis, blogs and forums"),
            Option(id="chat", label="Chat; video calls"),
            Option(id="blogs", label="blogs"),
        ),
    )
    assert check_answer(item, "Wikis, blogs and forums, Chat; video calls", labels=True) == (
        3.0,
        None,
    )
    assert check_answer(item, "blogs, wiki", labels=True) == (5.0, None)
    code, problem = check_answer(item, "Wikis, chat", labels=True)
    assert math.isnan(code)
    assert problem == "'Wikis' is not one of wiki, chat, blogs"


def test_a_likert_column_of_labels_and_numbers_is_encoded_once_per_value() -> None:
    frame = pd.DataFrame({"gr_self_start": ["Agree", "4", "strongly disagree", None, "Agreed"]})
    table = read_respondents(questionnaire(), frame, "s.csv")
    column = questionnaire().item_ids.index("gr_self_start")
    assert list(table.raw[:4, column][[0, 1, 2]]) == [4.0, 4.0, 1.0]
    assert np.isnan(table.raw[3, column])
    assert np.isnan(table.raw[4, column])
    assert table.problems == [
        "s.csv: row 6, field gr_self_start: 'Agreed' is not a number or an agreement label "
        "(Strongly disagree ... Strongly agree)"
    ]


def test_a_python_int_beyond_float_range_in_a_frame_is_out_of_range() -> None:
    frame = pd.DataFrame({"gr_projects": pd.Series([10**400, 3], dtype=object)})
    table = read_respondents(questionnaire(), frame, "s.csv")
    assert table.problems == [
        "s.csv: row 2, field gr_projects: 100000000000... (401 digits) is out of range (0 to 10000)"
    ]
