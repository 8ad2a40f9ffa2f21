"""Pure helpers between the dashboard's widgets and the core models."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from readiness.answers import read_respondents
from readiness.assessment import Profile
from readiness.dashboard_state import (
    NONE_TICKED,
    GrowthControls,
    answer_problems,
    answers_from_widgets,
    controls_from_sliders,
    escape_markdown,
    fit_history,
    growth_scenarios,
    item_key,
    profile_from_widgets,
    progress,
    resume_offer,
    sliders_from_preset,
    summarize_survey,
    widgets_from_answers,
)
from readiness.errors import InputError
from readiness.projection import curves_frame, load_presets
from readiness.questionnaire import load_questionnaire
from readiness.rules import load_rulebook
from readiness.store import Draft

Q = load_questionnaire()


def test_widget_values_become_answers_of_each_kind() -> None:
    values = {
        item_key("gr_self_start"): 4,
        item_key("gr_active_share"): 12.0,
        item_key("su_lead"): "business",
        item_key("to_slates"): ["search", "tags"],
    }
    answers = answers_from_widgets(Q, values)
    assert answers["gr_self_start"] == 4
    assert answers["gr_active_share"] == 12.0
    assert answers["su_lead"] == "business"
    assert answers["to_slates"] == ["search", "tags"]
    assert answers["su_sponsor"] is None
    assert set(answers) == set(Q.item_ids)
    assert answer_problems(Q, answers) == {}


@pytest.mark.parametrize(
    ("ticked", "answer"),
    [([], None), ([NONE_TICKED], []), ([NONE_TICKED, "search"], ["search"])],
)
def test_a_checklist_tells_unanswered_from_none_ticked(
    ticked: list[str], answer: list[str] | None
) -> None:
    assert answers_from_widgets(Q, {item_key("to_slates"): ticked})["to_slates"] == answer


def test_answers_survive_a_round_trip_through_the_widgets() -> None:
    answers = {"gr_self_start": 2, "su_lead": "it", "to_slates": [], "gr_projects": 3}
    back = answers_from_widgets(Q, widgets_from_answers(Q, answers))
    assert {k: v for k, v in back.items() if v is not None} == answers


def test_a_bad_saved_answer_is_dropped_when_loaded_into_the_widgets() -> None:
    values = widgets_from_answers(Q, {"su_lead": "martians", "gr_self_start": 9})
    assert values[item_key("su_lead")] is None
    assert values[item_key("gr_self_start")] is None


def test_a_bad_answer_gets_the_message_of_the_core_validation() -> None:
    problems = answer_problems(Q, {"su_lead": "martians", "gr_self_start": 7})
    assert problems["su_lead"].startswith("'martians' is not one of business")
    assert problems["gr_self_start"] == "expected a whole number from 1 to 5, got 7"


def test_the_profile_is_validated_by_the_pydantic_model_field_by_field() -> None:
    profile, problems = profile_from_widgets(
        {"profile_organization": "  ", "profile_division": "x" * 201}
    )
    assert profile is None
    assert problems == {"organization": "Enter a name.", "division": "Use at most 200 characters."}
    profile, problems = profile_from_widgets(
        {"profile_organization": "Acme", "profile_sector": "public", "profile_size": "5,000+"}
    )
    assert problems == {}
    assert profile is not None
    assert (profile.organization, profile.division, profile.sector) == ("Acme", None, "public")


def test_progress_counts_answered_items_per_dimension() -> None:
    counts = progress(Q, {"gr_self_start": 3, "su_lead": None})
    answered, total = counts["grassroots"]
    assert answered == 1
    assert total == len(Q.items_of("grassroots"))
    assert counts["support"][0] == 0


def test_user_text_is_shown_literally_in_markdown() -> None:
    assert escape_markdown("<img src=x onerror=alert(1)>") == r"\<img src=x onerror=alert\(1\)\>"
    # a word joiner (U+2060) after the colon: a backslash alone does not stop autolinks
    assert escape_markdown("[click](javascript:x)") == r"\[click\]\(javascript\:" + "\u2060x\\)"


def test_the_default_sliders_reproduce_the_worked_scenarios_of_the_domain_notes() -> None:
    controls = controls_from_sliders({})
    assert controls == GrowthControls()
    scenarios, notes = growth_scenarios(controls)
    assert notes == []
    frame = curves_frame(scenarios)
    at_2010 = frame[frame["year"] == 2010.0].set_index("model")["share"]
    assert at_2010["doubling"] == pytest.approx(0.50)
    assert at_2010["logistic"] == pytest.approx(0.438, abs=0.001)
    assert at_2010["bass"] == pytest.approx(0.350, abs=0.001)


def test_a_start_above_the_ceiling_draws_nothing_and_says_why() -> None:
    scenarios, notes = growth_scenarios(GrowthControls(start_share=0.6, ceiling=0.5))
    assert scenarios == []
    assert notes == ["The start share (60%) must be below the ceiling."]


def test_a_calibrated_preset_becomes_slider_values() -> None:
    presets = {p.id: p for p in load_presets()}
    values = sliders_from_preset(presets["bass-aiim-2008-2009"])
    assert values["g"] == 2.0
    assert values["q"] == pytest.approx(0.677, abs=0.001)
    assert (values["start_share"], values["start_year"]) == (25, 2009)


def test_the_milestone_table_reports_the_material_change_in_month_and_year() -> None:
    from readiness.organization import milestone_frame, scenario_rows

    scenarios, _ = growth_scenarios(GrowthControls(material_change=0.4))
    table = milestone_frame(scenario_rows(scenarios, 0.4), 0.4)
    doubling = table.iloc[0]
    year = 2009 + np.log(1.6) / np.log(2)
    month = int((year - 2009) * 12) + 1
    assert doubling["material change (40%)"] == f"{dt.date(2009, month, 1):%b} 2009"
    assert list(table.columns) == ["curve", "material change (40%)", "reaches 50%", "reaches 80%"]


def test_an_own_history_is_fitted_with_a_quantile_band() -> None:
    csv = b"period,value\n2005,2\n2006,4\n2007,8\n2008,14\n2009,22\n2010,32\n"
    fit = fit_history(csv, "history.csv", "percent")
    assert len(fit.observed) == 6
    assert fit.observed["share"].max() == pytest.approx(0.32)
    assert (fit.curve["low"] <= fit.curve["high"]).all()
    assert list(fit.curve.columns) == ["year", "fit", "low", "high", "label"]
    # six points: a refit bootstrap band, which cannot fall below the share already reached
    assert fit.curve["label"].iloc[0].endswith("(refit bootstrap)")
    assert fit.curve["low"].iloc[-1] >= 0.32 - 0.02


def test_an_unreadable_history_is_an_input_error() -> None:
    with pytest.raises(InputError, match="the file is empty"):
        fit_history(b"  ", "history.csv", "percent")


def test_a_survey_summary_keeps_small_results_only() -> None:
    n = 3000
    frame = pd.DataFrame(
        {
            "division": np.where(np.arange(n) % 2 == 0, "Sales", "IT"),
            "gr_self_start": ["x"] * 1500 + ["4"] * 1500,
            "su_sponsor": ["3"] * n,
        }
    )
    table = read_respondents(Q, frame, "survey.csv")
    summary = summarize_survey(Q, load_rulebook(), table, "survey.csv")
    assert (summary.rows, summary.bad_rows, summary.problems_total) == (n, 1500, 1500)
    assert len(summary.problem_table) == 1000
    assert set(summary.divisions) == {"Sales", "IT"}
    assert summary.overall is not None
    assert summary.overall.respondents == 1500


def test_a_number_question_names_its_unit_and_every_help_cites_its_source() -> None:
    from readiness.dashboard_state import item_help, item_label

    assert item_label(Q.item("gr_active_share")).endswith("(%, 0 to 100)")
    assert item_label(Q.item("su_evangelists")).endswith("(per 1,000 staff, 0 to 1,000)")
    assert item_label(Q.item("su_sponsor")) == Q.item("su_sponsor").text
    assert item_help(Q.item("su_lead")).endswith("Source: Gartner, Predicts 2010")


def test_every_growth_slider_default_lies_within_its_range() -> None:
    from readiness.dashboard_state import GROWTH_SLIDERS

    for slider in GROWTH_SLIDERS:
        assert slider.low <= slider.default <= slider.high, slider.key
        assert type(slider.low) is type(slider.high) is type(slider.default), slider.key


def test_the_resume_offer_keeps_user_text_out_of_the_markdown_headline() -> None:
    when = dt.datetime(2026, 11, 28, 4, 5, tzinfo=dt.UTC)
    profile = Profile(organization="**Acme** <b>")
    headline, organization = resume_offer(Draft("d", profile, {}, when))
    assert headline == "**You have an unsaved draft** from 28 Nov 2026, 04:05 UTC."
    assert organization == "Organization: **Acme** <b>"
    assert resume_offer(Draft("d", None, {}, when))[1] is None
