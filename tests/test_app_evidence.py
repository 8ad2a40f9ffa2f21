"""Evidence page (AppTest): a survey and usage exports of the same ten divisions, one division
name mapped, the evidence shown, and the calibrated mapping switched on: Results and Growth
then use and name it."""

from __future__ import annotations

from pathlib import Path

import pytest
from app_harness import chart_specs, dataframe_with, metric, open_page
from mapping_fixtures import scored_answers
from streamlit.testing.v1 import AppTest

from readiness.evidence.choice import MappingChoice
from readiness.evidence.drivers import DivisionMap, DivisionPair
from readiness.questionnaire import load_questionnaire
from readiness.views.questionnaire import item_key

PAGE = "pages/evidence.py"
DATA = Path(__file__).parent / "data" / "evidence"
SALES = DivisionMap(pairs=(DivisionPair(survey="Sales", measured="Sales & Marketing"),))

pytestmark = pytest.mark.usefixtures("store_url")


def _uploaded(at: AppTest) -> AppTest:
    at.file_uploader(key="evidence_survey").upload("survey.csv", (DATA / "survey.csv").read_bytes())
    at.file_uploader(key="evidence_usage").upload("events.csv", (DATA / "events.csv").read_bytes())
    at.file_uploader(key="evidence_roster").upload("roster.csv", (DATA / "roster.csv").read_bytes())
    return at.run(timeout=120)


def _answered(at: AppTest) -> None:
    """The questionnaire's Likert items answered as :func:`scored_answers` says."""
    at.switch_page("pages/questionnaire.py").run()
    questionnaire = load_questionnaire()
    for item_id, value in scored_answers().items():
        if questionnaire.item(item_id).kind == "number":
            at.number_input(key=item_key(item_id)).set_value(value)
        else:
            at.segmented_control(key=item_key(item_id)).set_value(int(value))
    at.run()


def test_without_files_the_page_says_what_to_upload() -> None:
    at = open_page(PAGE)
    assert not at.exception
    assert any("Upload a respondents CSV" in i.value for i in at.info)
    assert any("In use: the assumed mapping (data/levers.yaml)" in i.value for i in at.info)


def test_a_division_left_unpaired_is_offered_for_mapping() -> None:
    at = _uploaded(open_page(PAGE))
    assert not at.exception, at.exception
    assert any("9 divisions paired" in t.value for t in at.text)
    assert any("survey divisions without a measured one: 'Sales'" in t.value for t in at.text)


def test_the_calibrated_mapping_switched_on_drives_results_and_growth() -> None:
    at = open_page()
    _answered(at)
    at.session_state["mapping_choice"] = MappingChoice(division_map=SALES)
    at.switch_page(PAGE).run()
    at = _uploaded(at)
    assert not at.exception, at.exception
    assert any("10 divisions paired" in t.value for t in at.text)
    assert any(s.value.startswith("Strong enough to offer") for s in at.success)
    specs = chart_specs(at)
    assert any("Drivers of measured adoption" in s for s in specs)
    assert any("Predicted against measured" in s for s in specs)
    lever_table = dataframe_with(at, "assumed mapping")
    assert lever_table["assumed mapping"].iloc[0] == "Support"
    assert lever_table["calibrated mapping"].iloc[0] == "Grassroots activity"

    at.toggle(key="evidence_use_calibrated").set_value(True).run(timeout=120)
    assert not at.exception, at.exception
    words = "the mapping calibrated on your 10 divisions"
    assert any(f"In use: {words}" in i.value for i in at.info)
    choice = at.session_state["mapping_choice"]
    assert choice.use == "calibrated"
    assert choice.division_map.measured_for("Sales") == "Sales & Marketing"
    assert len(choice.division_map.pairs) == 10

    at.switch_page("pages/results.py").run()
    assert not at.exception, at.exception
    answer = " ".join(m.value for m in at.markdown)
    assert f"Levers from {words}" in answer
    assert metric(at, "Biggest lever") == "Grassroots activity"

    at.switch_page("pages/growth.py").run()
    assert not at.exception, at.exception
    assert any(f"Levers from {words}" in i.value for i in at.info)

    # switched off again: the assumed mapping everywhere
    at.switch_page(PAGE).run(timeout=120)
    at.toggle(key="evidence_use_calibrated").set_value(False).run(timeout=120)
    at.switch_page("pages/results.py").run()
    assert "Levers from the assumed mapping (data/levers.yaml)" in " ".join(
        m.value for m in at.markdown
    )
    assert metric(at, "Biggest lever") == "Support"


def test_with_too_few_divisions_the_assumed_mapping_stays_and_nothing_is_offered() -> None:
    from survey_fixtures import survey_csv

    usage = Path(__file__).parent / "data" / "usage"
    at = open_page(PAGE)
    survey = survey_csv({"Sales": 12, "Engineering": 12, "Finance": 8, "Support": 8})
    at.file_uploader(key="evidence_survey").upload("survey.csv", survey)
    at.file_uploader(key="evidence_usage").upload("events.csv", (usage / "events.csv").read_bytes())
    at.file_uploader(key="evidence_roster").upload(
        "roster.csv", (usage / "roster.csv").read_bytes()
    )
    at.run(timeout=120)
    assert not at.exception, at.exception
    assert any(i.value.startswith("Too few divisions to tell") for i in at.info)
    assert not [t for t in at.toggle if t.key == "evidence_use_calibrated"]
    assert any("use the assumed mapping (data/levers.yaml)" in m.value for m in at.markdown)
