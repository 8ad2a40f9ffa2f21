"""Compare page (AppTest): several assessments side by side with a table of differences."""

from __future__ import annotations

import json

from app_harness import chart_specs, dataframe_with, open_page
from survey_fixtures import survey_csv

from readiness.assessment import Assessment, Profile
from readiness.questionnaire import load_questionnaire
from readiness.safe_output import markdown_lines
from readiness.store import open_store

PAGE = "pages/compare.py"
Q = load_questionnaire()


def _answers(level: int) -> dict[str, int | None]:
    return {i.id: level for i in Q.items if i.kind == "likert" and i.dimension}


def test_with_nothing_to_compare_the_page_says_what_to_do(store_url: str) -> None:
    at = open_page(PAGE)
    assert "to compare them" in at.info[0].value


def test_two_saved_divisions_are_drawn_as_grouped_bars_with_their_differences(
    store_url: str,
) -> None:
    with open_store(store_url) as store:
        for division, level in (("Sales", 2), ("R&D", 5)):
            assessment = Assessment(
                profile=Profile(organization="Acme", division=division),
                questionnaire_version=Q.version,
                answers=_answers(level),  # type: ignore[arg-type]
            )
            store.save_assessment(assessment, f"test-{division}")
    at = open_page(PAGE)
    assert not at.exception
    assert len(at.multiselect(key="compare_chosen").value) == 2
    (shown,) = chart_specs(at)
    alt_text, spec_text = shown.split("\n", 1)
    assert "as bars side by side per dimension" in alt_text
    spec = json.loads(spec_text)
    assert spec["mark"]["type"] == "bar"  # never a line across unrelated categories
    assert spec["encoding"]["xOffset"]["field"] == "assessment"
    assert spec["encoding"]["y"]["title"] == "Score (0-100)"
    table = dataframe_with(at, "spread (max - min)")
    assert "spread (max - min)" in table.columns
    assert (table["spread (max - min)"] > 0).all()


def test_survey_divisions_are_offered_as_the_survey_page_shows_them(store_url: str) -> None:
    items = [i.id for i in Q.items if i.kind == "likert" and i.dimension]
    rows = [("Operations", 4)] * 6 + [("Marketing", 5)] * 6 + [("Legal", 1)] * 3
    lines = ["division," + ",".join(items)]
    lines += [f"{name}," + ",".join([str(level)] * len(items)) for name, level in rows]
    at = open_page("pages/survey.py")
    at.file_uploader(key="survey_file").upload("s.csv", ("\n".join(lines) + "\n").encode()).run()
    at.switch_page(PAGE).run()
    assert not at.exception
    chosen = at.multiselect(key="compare_chosen")
    assert chosen.options == [
        "Survey: other divisions (9 respondents)",
        "Survey: Operations (6 respondents)",
    ]
    captions = " ".join(c.value for c in at.caption)
    assert "Divisions with fewer than 5 respondents are merged" in captions
    assert "2 divisions (1 with fewer than 5 respondents and the next smallest)" in captions
    table = dataframe_with(at, "spread (max - min)")
    assert "Survey: other divisions (9 respondents)" in table.columns
    for spec in chart_specs(at):
        assert "Legal" not in spec


def test_compare_says_whether_the_survey_s_division_means_differ_reliably(store_url: str) -> None:
    at = open_page("pages/survey.py")
    data = survey_csv({"Sales": 30, "IT": 30, "Legal": 3}, spread={"support": 2.0})
    at.file_uploader(key="survey_file").upload("s.csv", data).run()
    evidence = at.session_state["survey_evidence"]
    at.switch_page(PAGE).run()
    assert not at.exception
    shown = " ".join(m.value for m in at.markdown)
    assert markdown_lines(evidence.comparison_sentences) in shown
    support = next(d for d in evidence.dimensions if d.dimension == "support")
    assert support.comparison_sentence.startswith("Support: divisions differ reliably (ICC(2) ")
    assert "Legal" not in str(at.main)
