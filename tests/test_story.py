"""The organization's projection in words (readiness.story): one sentence per fact, the same on
every surface."""

from __future__ import annotations

import dataclasses
import datetime as dt

from readiness.organization import organization_projection
from readiness.story import lever_sentence, month_year, months_text, organization_answer

NAMES = {"grassroots": "Grassroots", "support": "Support", "tooling": "Tooling"}
MIDSIZE = {"grassroots": 49.0, "support": 22.0, "tooling": 72.0}
DAY = dt.date(2026, 11, 30)


def test_dates_and_durations_read_as_people_say_them() -> None:
    assert month_year(2031.2) == "Mar 2031"
    assert month_year(2031.999) == "Dec 2031"
    assert month_year(None) == "not within the horizon"
    assert month_year(float("inf")) == "not within the horizon"
    assert months_text(14.2) == "about 14 months"
    assert months_text(1) == "about 1 month"
    assert months_text(24) == "about 2 years"
    assert months_text(27) == "about 2 years and 3 months"


def test_the_midsize_companys_lever_and_answer_name_its_barrier_and_its_date() -> None:
    projection = organization_projection(MIDSIZE, {"gr_active_share": 12}, DAY)
    sentence = lever_sentence(projection, NAMES)
    assert sentence.startswith("Support from 22 to 32: 50% about ")
    assert sentence.endswith("months earlier.")
    answer = organization_answer(projection, NAMES)
    assert answer.startswith("From 12% in Nov 2026, your organization reaches 50% by about ")
    assert f"({projection.why})" in answer
    assert answer.endswith(
        f"Biggest lever: {sentence} Levers from the assumed mapping (data/levers.yaml)."
    )


def test_an_unscored_top_lever_says_it_counts_as_neutral() -> None:
    projection = organization_projection(dict.fromkeys(NAMES), {}, DAY)
    assert lever_sentence(projection, NAMES).startswith(
        "Tooling (no score yet, counted as neutral) from 50 to 60: 50% about "
    )


def test_a_curve_that_never_reaches_the_material_change_gives_the_share_gained() -> None:
    projection = organization_projection(dict.fromkeys(NAMES, 0.0), {"gr_active_share": 1}, DAY)
    assert projection.material_change_year() is None
    assert organization_answer(projection, NAMES) == (
        "From 1% in Nov 2026, your organization does not reach 50% within 15 years "
        f"({projection.why}). Biggest lever: Grassroots from 0 to 10: 0.1 points more adoption "
        "in three years. Levers from the assumed mapping (data/levers.yaml)."
    )


def test_no_lever_without_scores_is_said() -> None:
    projection = organization_projection(MIDSIZE, {}, DAY)
    empty = dataclasses.replace(projection, steps=())
    assert lever_sentence(empty, NAMES) == (
        "No lever: the organization has no dimension scores yet."
    )
