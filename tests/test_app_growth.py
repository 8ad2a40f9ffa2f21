"""Growth page (AppTest): URL-bound sliders, presets, levels, own history."""

from __future__ import annotations

from pathlib import Path

import pytest
from app_harness import chart_data, chart_specs, metric, open_page
from streamlit.testing.v1 import AppTest

from readiness.questionnaire import load_questionnaire
from readiness.views.questionnaire import item_key

PAGE = "pages/growth.py"
SLIDERS = {"start_share", "start_year", "g", "p", "q", "ceiling", "horizon", "material"}


pytestmark = pytest.mark.usefixtures("store_url")


def test_every_scenario_slider_is_there() -> None:
    at = open_page(PAGE)
    assert {s.key for s in at.slider} == SLIDERS
    assert "Market level" in chart_specs(at)[0]


def test_moving_a_slider_changes_the_chart_data_and_the_milestones() -> None:
    at = open_page(PAGE)
    before_data, before_table = chart_data(at), at.table[0].value.copy()
    at.slider(key="q").set_value(0.8).run()
    assert not at.exception
    assert chart_data(at) != before_data
    assert not at.table[0].value.equals(before_table)
    assert "q=0.8" in " ".join(at.table[0].value["curve"])


def test_the_url_reproduces_the_scenario() -> None:
    at = AppTest.from_file(str(Path(__file__).parents[1] / "app.py"), default_timeout=30)
    at.query_params.update({"g": "3.0", "start_share": "10", "horizon": "20"})
    at.run()
    at.switch_page(PAGE).run()
    assert at.slider(key="g").value == 3.0
    assert at.slider(key="start_share").value == 10
    assert at.slider(key="horizon").value == 20
    assert "Exponential x3/year" in set(at.table[0].value["curve"])


def test_a_preset_sets_the_sliders_and_names_its_source() -> None:
    at = open_page(PAGE)
    at.selectbox(key="growth_preset").select("analogy-cell-phone").run()
    # the published p = 0.0047 and q = 0.506 at the sliders' nearest steps (what they can show)
    assert at.slider(key="p").value == pytest.approx(0.0045)
    assert at.slider(key="q").value == pytest.approx(0.51)
    assert any("Van den Bulte" in c.value for c in at.caption)


def _answered(**answers: float) -> AppTest:
    at = open_page("pages/questionnaire.py")
    for item_id, value in answers.items():
        if load_questionnaire().item(item_id).kind == "number":
            at.number_input(key=item_key(item_id)).set_value(value).run()
        else:
            at.segmented_control(key=item_key(item_id)).set_value(int(value)).run()
    return at


def test_with_answers_growth_opens_at_the_organization_from_its_projection() -> None:
    at = _answered(su_sponsor=1, gr_active_share=12)
    at.switch_page(PAGE).run()
    assert not at.exception
    assert at.segmented_control(key="level").value == "organization"
    assert at.slider(key="start_share").value == 12
    assert "from your readiness" in set(at.table[0].value["curve"])
    specs = chart_specs(at)
    assert "Organization level" in specs[0]
    assert any("What raises growth most" in s for s in specs)
    # the seed question answered at the top: the AIIM story, then the organization
    story = at.info[0].value
    assert story.startswith("Doubling from 25% in 2009 reaches everyone (100%) by Jan 2011")
    assert "Realistic S-curves reach 50% between " in story
    assert "your organization reaches 50% by about" in story
    # ... and for the sliders' settings, under the chart
    live = next(i.value for i in at.info if i.value.startswith("With these settings: "))
    assert live.startswith("With these settings: Doubling from 12% in ")
    assert story.split("From 12%", 1)[1] == live.split("From 12%", 1)[1]
    # a moved slider, then "reset to my organization", brings the organization back
    at.slider(key="start_share").set_value(40).run()
    next(b for b in at.button if b.label == "Reset to my organization").click().run()
    assert at.slider(key="start_share").value == 12


def test_results_growth_and_the_report_tell_one_story() -> None:
    from readiness.organization import projection_for
    from readiness.report import render_report

    at = _answered(su_sponsor=1, su_local_support_share=10, gr_active_share=12)
    at.switch_page("pages/results.py").run()
    results_table = at.table[0].value
    results_warning = " ".join(w.value for w in at.warning)
    biggest = metric(at, "Biggest lever")
    at.switch_page(PAGE).run()
    growth_table = at.table[0].value
    growth_text = " ".join(c.value for c in at.caption)
    own = growth_table[growth_table["curve"] == "from your readiness"].reset_index(drop=True)
    assert own.equals(results_table.iloc[[0]].reset_index(drop=True))
    # the barrier on Results is the top lever on Growth
    lever = next(c for c in at.caption if c.value.startswith("Each bar raises")).value
    top = lever.split(". ", 1)[1]
    assert top.startswith(f"{biggest} ")
    assert top in growth_text
    if "holds growth back most" in results_warning:
        assert results_warning.startswith(biggest)
        assert top in results_warning
    # and the report of the same answers prints the same milestones
    from readiness.assessment import Assessment, Profile
    from readiness.rules import load_rulebook
    from readiness.scoring import score_assessment

    q = load_questionnaire()
    answers = {"su_sponsor": 1, "su_local_support_share": 10, "gr_active_share": 12}
    scores = score_assessment(q, load_rulebook(), answers)
    assessment = Assessment(
        profile=Profile(organization="Acme"), questionnaire_version=q.version, answers=answers
    )
    html = render_report(assessment, scores)
    projection = projection_for(scores, answers, assessment.assessed_on)
    for value in own.iloc[0].tolist()[1:]:
        assert f"<td>{value}</td>" in html
    assert list(projection.milestone_frame().iloc[0]) == list(own.iloc[0])


def test_an_own_history_is_fitted_and_drawn_with_a_band_and_a_milestone_row() -> None:
    at = open_page(PAGE)
    at.segmented_control(key="level").set_value("organization").run()
    history = "period,value\n2005,2\n2006,4\n2007,8\n2008,14\n2009,22\n2010,32\n"
    at.file_uploader(key="growth_history").upload("history.csv", history.encode()).run()
    assert not at.exception
    assert at.success[0].value.startswith("Fitted a ")
    assert "Shaded: 80% band of the" in chart_specs(at)[0]
    assert "(refit bootstrap)" in chart_specs(at)[0]
    assert any(c.startswith("your history (") for c in at.table[0].value["curve"])
    at.segmented_control(key="level").set_value("market").run()
    assert any(c.startswith("your history (") for c in at.table[0].value["curve"])


def test_a_bad_history_row_is_reported() -> None:
    at = open_page(PAGE)
    history = "period,value\n2005,2\n2006,lots\n2007,8\n"
    at.file_uploader(key="growth_history").upload("history.csv", history.encode()).run()
    assert "'lots' is not a number" in at.error[0].value
