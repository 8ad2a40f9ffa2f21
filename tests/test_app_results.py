"""Results page (AppTest): scores follow the answers; benchmarks and user text stay labelled."""

from __future__ import annotations

import pytest
from app_harness import chart_specs, metric, open_page
from streamlit.testing.v1 import AppTest

from readiness.assessment import Assessment, Profile
from readiness.questionnaire import load_questionnaire
from readiness.store import open_store
from readiness.views.questionnaire import item_key

Q = load_questionnaire()
XSS = "<img src=x onerror=alert(1)>"


pytestmark = pytest.mark.usefixtures("store_url")


def _answer_all(at: AppTest, support: int) -> None:
    """Agree (4) everywhere, except ``support`` on the support dimension's likert items."""
    for item in Q.items:
        if item.kind == "likert" and item.dimension is not None:
            value = support if item.dimension == "support" else 4
            at.session_state[item_key(item.id)] = value
    at.session_state[item_key("gr_active_share")] = 20.0
    at.session_state[item_key("gr_projects")] = 3.0
    at.session_state[item_key("su_lead")] = "business"
    at.session_state[item_key("to_slates")] = ["search", "links"]


def _results(support: int) -> AppTest:
    at = open_page("pages/questionnaire.py")
    _answer_all(at, support)
    at.run()
    at.switch_page("pages/results.py").run()
    assert not at.exception
    return at


def test_without_answers_the_page_points_to_the_questionnaire() -> None:
    at = open_page("pages/results.py")
    assert at.info[0].value == "Answer the questionnaire to see your results."


def test_answering_low_support_lowers_the_support_score_shown() -> None:
    high = _results(support=5)
    low = _results(support=1)
    assert int(metric(low, "Support")) < int(metric(high, "Support"))
    assert metric(low, "Biggest lever") == "Support"
    assert metric(high, "Readiness index").endswith("/ 100")
    assert metric(high, "Stage") != "n/a"


def test_recommendations_say_which_answers_triggered_them() -> None:
    at = _results(support=1)
    triggers = [c.value for c in at.caption if c.value.startswith("Triggered by:")]
    assert triggers
    assert any("Support" in t or "sponsor" in t.lower() for t in triggers)


def test_the_dimension_chart_and_benchmarks_are_drawn_with_descriptions() -> None:
    at = _results(support=3)
    specs = chart_specs(at)
    assert any("Dimension scores out of 100" in s for s in specs)
    assert any("published market-level figures" in s for s in specs)
    assert "Your organization" in [m.value for m in at.markdown][-1] or any(
        "Your organization" in m.value for m in at.markdown
    )


def test_a_sample_size_that_was_not_published_reads_not_reported() -> None:
    at = _results(support=3)
    figures = next(d.value for d in at.dataframe if "share of" in d.value.columns)
    unpublished = figures[figures["metric"].str.startswith("Companies using social business")]
    assert list(unpublished["n"]) == ["not reported", "not reported"]
    assert figures["n"].notna().all()
    assert "789" in set(figures["n"])


def test_an_organization_name_with_html_is_shown_as_text() -> None:
    at = open_page("pages/questionnaire.py")
    at.text_input(key="profile_organization").set_value(XSS).run()
    at.segmented_control(key=item_key("su_sponsor")).set_value(2).run()
    at.switch_page("pages/results.py").run()
    assert at.text[0].value == XSS
    assert not at.get("html")


def test_earlier_assessments_of_the_organization_draw_a_trend(store_url: str) -> None:
    import datetime as dt

    from readiness.assessment import Assessment, Profile
    from readiness.store import open_store
    from readiness.views.questionnaire import profile_key

    with open_store(store_url) as store:
        for quarter, support in ((1, 2), (4, 4)):
            store.save_assessment(
                Assessment(
                    profile=Profile(organization="Acme"),
                    questionnaire_version=Q.version,
                    assessed_on=dt.date(2026, quarter * 3, 1),
                    answers={i.id: support for i in Q.items if i.kind == "likert" and i.dimension},
                ),
                f"quarter-{quarter}",
            )
    at = open_page("pages/questionnaire.py")
    _answer_all(at, support=4)
    at.session_state[profile_key("organization")] = "Acme"
    at.run()
    at.switch_page("pages/results.py").run()
    assert not at.exception
    specs = chart_specs(at)
    assert any(s.startswith("Scores out of 100 over 2 assessment dates") for s in specs)


def test_an_empty_results_page_offers_the_saved_assessments(store_url: str) -> None:
    with open_store(store_url) as store:
        answers = {i.id: 4 for i in Q.items if i.kind == "likert"}
        assessment = Assessment(
            profile=Profile(organization="Acme", division="Sales"),
            questionnaire_version=Q.version,
            answers=answers,
        )
        saved = store.save_assessment(assessment, "s1")
    at = open_page("pages/results.py")
    assert at.info[0].value == "Answer the questionnaire to see your results."
    offer = at.selectbox[0]
    assert offer.label == "Or open a saved assessment"
    assert offer.options == [f"#{saved} Acme / Sales, {assessment.assessed_on:%Y-%m-%d}"]
    offer.set_value(saved).run()
    at.switch_page("pages/results.py").run()
    assert at.query_params["assessment"] == str(saved)
    assert metric(at, "Readiness index").endswith("/ 100")
    assert f"Assessment {saved}, version 1, saved " in at.caption[0].value


def test_after_a_survey_upload_results_says_whether_its_divisions_can_be_ranked() -> None:
    from survey_fixtures import survey_csv

    from readiness.safe_output import markdown_lines

    at = open_page("pages/survey.py")
    at.file_uploader(key="survey_file").upload("s.csv", survey_csv({"A": 30, "B": 30})).run()
    evidence = at.session_state["survey_evidence"]
    at.switch_page("pages/questionnaire.py").run()
    _answer_all(at, support=3)
    at.run()
    at.switch_page("pages/results.py").run()
    assert not at.exception
    assert "Survey divisions" in [h.value for h in at.header]
    shown = " ".join(m.value for m in at.markdown)
    assert markdown_lines(evidence.comparison_sentences) in shown
