"""Survey upload page (AppTest): template and data dictionary, ignored columns, row-level errors,
per-division scores in words."""

from __future__ import annotations

import pytest
from app_harness import chart_specs, dataframe_with, metric, open_page
from survey_fixtures import survey_csv

from readiness.evidence.survey_evidence import SurveyEvidence
from readiness.questionnaire import load_questionnaire
from readiness.safe_output import escape_markdown, markdown_lines

PAGE = "pages/survey.py"
LIKERT = [i.id for i in load_questionnaire().items if i.kind == "likert" and i.dimension][:6]


pytestmark = pytest.mark.usefixtures("store_url")


def _csv(rows: list[str]) -> bytes:
    return ("division," + ",".join(LIKERT) + "\n" + "\n".join(rows) + "\n").encode()


def test_the_page_offers_the_template_and_the_data_dictionary_and_states_the_upload_limit() -> None:
    at = open_page(PAGE)
    assert "Largest file: 20 MB" in at.caption[0].value
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["Download the CSV template", "Download the data dictionary"]


def test_a_bad_row_is_reported_with_its_row_and_field() -> None:
    at = open_page(PAGE)
    rows = ["Sales,4,4,4,4,4,4"] * 3 + ["Sales,2,2,2,2,2,2"] * 2
    rows += ["IT,4,4,9,4,4,4"] + ["IT,5,5,5,5,5,5"] * 5
    at.file_uploader(key="survey_file").upload("survey.csv", _csv(rows)).run()
    assert not at.exception
    assert at.error[0].value.startswith("1 of 11 rows has a problem and is left out")
    problems = dataframe_with(at, "Problem")
    assert problems.to_dict("records") == [
        {"Row": 7, "Field": LIKERT[2], "Problem": "expected a whole number from 1 to 5, got 9"}
    ]
    assert metric(at, "Respondents scored") == "10"
    assert metric(at, "Groups shown") == "2"


def test_divisions_are_scored_with_their_agreement() -> None:
    at = open_page(PAGE)
    rows = ["Sales,5,5,5,5,5,5", "Sales,5,5,5,5,4,5", "IT,1,5,1,5,1,5", "IT,5,1,5,1,5,1"] * 3
    at.file_uploader(key="survey_file").upload("survey.csv", _csv(rows)).run()
    divisions = dataframe_with(at, "Low agreement").set_index("Division")
    assert divisions.loc["Sales", "Low agreement"] == ""
    assert divisions.loc["IT", "Low agreement"] == "yes"
    assert list(divisions.columns[:2]) == ["Respondents", "Overall (0-100)"]
    assert "Agreement (r_wg)" in divisions.columns
    assert at.warning[0].value.startswith("1 division has low agreement")
    assert any("Readiness by division" in s for s in chart_specs(at))


def test_division_results_are_rounded_for_display() -> None:
    at = open_page(PAGE)
    rows = ["Sales,5,4,5,3,5,4", "Sales,4,4,2,5,5,5", "IT,1,5,2,5,1,4", "IT,5,2,5,1,4,1"] * 3
    at.file_uploader(key="survey_file").upload("survey.csv", _csv(rows)).run()
    divisions = dataframe_with(at, "Division")
    for column in ["Overall (0-100)", "Grassroots activity", "Support", "Tooling"]:
        values = divisions[column].dropna()
        assert (values == values.round()).all(), column
    agreement = divisions["Agreement (r_wg)"].dropna()
    assert (agreement == agreement.round(2)).all()


def test_an_extra_timestamp_column_is_ignored_with_a_note_and_every_row_scored() -> None:
    at = open_page(PAGE)
    text = _csv(["Sales,4,4,4,4,4,4", "NA,2,2,2,2,2,2", "N/A,5,5,5,5,5,5"] * 5).decode()
    lines = text.splitlines()
    lines = ["timestamp," + lines[0]] + [
        f"2026-11-02 09:{k:02d}," + line for k, line in enumerate(lines[1:])
    ]
    at.file_uploader(key="survey_file").upload("survey.csv", ("\n".join(lines) + "\n").encode())
    at.run()
    assert not at.exception
    assert not at.error
    assert at.info[0].value == escape_markdown("Survey tool columns ignored: 'timestamp'")
    assert metric(at, "Respondents scored") == "15"
    assert metric(at, "Groups shown") == "3"
    assert set(dataframe_with(at, "Division")["Division"]) == {"Sales", "NA", "N/A"}


def _merged_survey() -> bytes:
    """Operations 6, Marketing 6, Legal 3 (under the minimum of 5)."""
    rows = ["Operations,4,4,4,4,4,4"] * 6 + ["Marketing,5,5,5,5,5,5"] * 6
    return _csv(rows + ["Legal,1,1,1,1,1,1"] * 3)


def test_a_small_division_is_merged_with_the_next_smallest_and_the_page_says_why() -> None:
    at = open_page(PAGE)
    at.file_uploader(key="survey_file").upload("survey.csv", _merged_survey()).run()
    assert not at.exception
    assert metric(at, "Respondents scored") == "15"
    assert metric(at, "Groups shown") == "2"
    table = dataframe_with(at, "Division").set_index("Division")
    assert table["Respondents"].to_dict() == {"other divisions": 9, "Operations": 6}
    # Agreement of the merged group is over its nine people: six 5s and three 1s.
    assert table.loc["other divisions", "Low agreement"] == "yes"
    assert table.loc["Operations", "Agreement (r_wg)"] == 1.0
    captions = " ".join(c.value for c in at.caption)
    assert "Divisions with fewer than 5 respondents are merged into 'other divisions'" in captions
    assert "anonymity" in captions
    assert "2 divisions (1 with fewer than 5 respondents and the next smallest)" in captions
    for spec in chart_specs(at):
        assert "Legal" not in spec
        assert "Marketing" not in spec
    assert "Legal" not in str(at.main)
    assert "Marketing" not in str(at.main)
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Download the report" in labels


def test_a_survey_under_the_minimum_shows_only_the_whole_organization_and_why() -> None:
    at = open_page(PAGE)
    rows = ["Sales,4,4,4,4,4,4", "Sales,2,2,2,2,2,2", "IT,5,5,5,5,5,5"]
    at.file_uploader(key="survey_file").upload("survey.csv", _csv(rows)).run()
    assert not at.exception
    assert metric(at, "Respondents scored") == "3"
    assert metric(at, "Groups shown") == "0"
    assert metric(at, "Readiness index") == "n/a"  # six questions: too few for an index
    captions = " ".join(c.value for c in at.caption)
    assert "Fewer than 5 respondents in all: no results by division" in captions
    assert not at.dataframe
    (histogram,) = chart_specs(at)
    assert histogram.startswith("Histogram of")  # no chart by division


def test_the_minimum_group_size_is_the_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("READINESS_MIN_GROUP_SIZE", "3")
    at = open_page(PAGE)
    at.file_uploader(key="survey_file").upload("survey.csv", _merged_survey()).run()
    assert metric(at, "Groups shown") == "3"
    assert "fewer than 3 respondents" in " ".join(c.value for c in at.caption)


def test_a_minimum_group_size_that_is_not_a_number_is_a_clear_message(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    at = open_page(PAGE)
    monkeypatch.setenv("READINESS_MIN_GROUP_SIZE", "five")
    at.file_uploader(key="survey_file").upload("survey.csv", _merged_survey()).run()
    assert not at.exception
    assert "READINESS\\_MIN\\_GROUP\\_SIZE" in at.error[0].value or (
        "READINESS_MIN_GROUP_SIZE" in at.error[0].value
    )
    assert not at.dataframe


def test_user_text_in_the_column_note_is_shown_literally() -> None:
    at = open_page(PAGE)
    header = "division,![x](http://127.0.0.1:9/a.png)," + ",".join(LIKERT)
    data = f"{header}\nSales,1,4,4,4,4,4,4\n".encode()
    at.file_uploader(key="survey_file").upload("survey.csv", data).run()
    note = at.info[0].value
    assert "\\!\\[x\\]\\(http\\:" in note
    assert "![x](" not in note


def test_a_duplicate_column_is_a_clear_message_not_a_crash() -> None:
    at = open_page(PAGE)
    data = f"division,{LIKERT[0]},{LIKERT[0]} \nSales,4,5\n".encode()
    at.file_uploader(key="survey_file").upload("survey.csv", data).run()
    assert not at.exception
    assert "both hold item" in at.error[0].value
    assert "rows have problems" not in at.error[0].value


def test_an_empty_file_is_a_clear_error() -> None:
    at = open_page(PAGE)
    at.file_uploader(key="survey_file").upload("survey.csv", b"").run()
    assert not at.exception
    assert "survey.csv: the file is empty" in at.error[0].value


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\xef\xbb\xbf", "survey.csv: the file is empty"),
        (("division," + ",".join(LIKERT) + "\n").encode(), "a header but no respondent rows"),
        (b"name,age\nAnn,40\n", "no column is a question of the questionnaire"),
    ],
)
def test_header_problems_are_one_message_without_a_problem_table(data: bytes, message: str) -> None:
    at = open_page(PAGE)
    at.file_uploader(key="survey_file").upload("survey.csv", data).run()
    assert not at.exception
    assert len(at.error) == 1
    assert message in at.error[0].value.replace("\\", "")
    assert not at.dataframe


# --- scale quality and agreement ----------------------------------------------------------------


def _evidence_of(at: object) -> SurveyEvidence:
    evidence = at.session_state["survey_evidence"]  # type: ignore[attr-defined]
    assert isinstance(evidence, SurveyEvidence)
    return evidence


def test_the_scales_quality_and_agreement_are_shown_in_words_a_table_and_charts() -> None:
    at = open_page(PAGE)
    noise = ["to_reach", "to_rigid_structure"]  # Tooling's items disagree
    data = survey_csv({"Sales": 40, "IT": 30, "Operations": 20, "Legal": 3}, noise=noise)
    at.file_uploader(key="survey_file").upload("survey.csv", data).run()
    assert not at.exception
    assert "Scale quality and agreement" in [h.value for h in at.header]
    evidence = _evidence_of(at)
    shown = [m.value for m in at.markdown]
    assert markdown_lines(evidence.quality_sentences) in shown
    assert markdown_lines(evidence.comparison_sentences) in shown
    tooling = next(d for d in evidence.dimensions if d.dimension == "tooling")
    assert "its items disagree" in tooling.quality_sentence
    assert escape_markdown(evidence.method_text) in [c.value for c in at.caption]
    table = dataframe_with(at, "Reading")
    assert set(table["Group"]) == {"All respondents", "Sales", "IT", "other divisions"}
    specs = [s for s in chart_specs(at) if "item-rest correlations" in s]
    assert len(specs) == 3
    assert "Reachable where we work" in specs[2]
    # Legal (3) is merged with the next smallest, Operations: neither is ever shown alone
    for name in ("Legal", "Operations"):
        assert name not in str(at.main)
        assert not any(name in spec for spec in chart_specs(at))
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Download the report" in labels


def test_too_few_respondents_for_a_scale_are_said_plainly_without_figures() -> None:
    at = open_page(PAGE)
    at.file_uploader(key="survey_file").upload("survey.csv", survey_csv({"Sales": 6})).run()
    assert not at.exception
    quality = markdown_lines(_evidence_of(at).quality_sentences)
    assert quality in [m.value for m in at.markdown]
    assert quality.count(escape_markdown("too few respondents to tell")) == 3
    assert not any(
        "Reading" in element.value.columns for element in at.dataframe
    )  # no figures to show
    assert not [s for s in chart_specs(at) if "item-rest correlations" in s]


def test_a_second_upload_replaces_the_evidence_with_its_own() -> None:
    at = open_page(PAGE)
    at.file_uploader(key="survey_file").upload("a.csv", survey_csv({"A": 20, "B": 20})).run()
    first = _evidence_of(at)
    at.file_uploader(key="survey_file").upload("b.csv", survey_csv({"C": 30, "D": 30})).run()
    second = _evidence_of(at)
    assert first.name == "a.csv"
    assert second.name == "b.csv"
    assert set(second.groups) == {"C", "D"}
