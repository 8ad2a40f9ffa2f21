"""Pure helpers between the dashboard's widgets and the core models."""

from __future__ import annotations

import datetime as dt

import pytest

from readiness.assessment import Profile
from readiness.questionnaire import load_questionnaire
from readiness.safe_output import escape_markdown
from readiness.store import Draft
from readiness.views.questionnaire import (
    NONE_TICKED,
    answer_problems,
    answers_from_widgets,
    item_key,
    profile_from_widgets,
    progress,
    resume_offer,
    widgets_from_answers,
)

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


def test_a_number_question_names_its_unit_and_every_help_cites_its_source() -> None:
    from readiness.views.questionnaire import item_help, item_label

    assert item_label(Q.item("gr_active_share")).endswith("(%, 0 to 100)")
    assert item_label(Q.item("su_evangelists")).endswith("(per 1,000 staff, 0 to 1,000)")
    assert item_label(Q.item("su_sponsor")) == Q.item("su_sponsor").text
    assert item_help(Q.item("su_lead")).endswith("Source: Gartner, Predicts 2010")


def test_the_resume_offer_keeps_user_text_out_of_the_markdown_headline() -> None:
    when = dt.datetime(2026, 11, 28, 4, 5, tzinfo=dt.UTC)
    profile = Profile(organization="**Acme** <b>")
    headline, organization = resume_offer(Draft("d", profile, {}, when))
    assert headline == "**You have an unsaved draft** from 28 Nov 2026, 04:05 UTC."
    assert organization == "Organization: **Acme** <b>"
    assert resume_offer(Draft("d", None, {}, when))[1] is None
