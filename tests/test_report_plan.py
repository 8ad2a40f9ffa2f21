"""The report's "Plan" section: present with a plan of actions, absent without; the same effect,
sentence and milestones every surface shows; user text escaped."""

from __future__ import annotations

import dataclasses
import datetime as dt
import html as html_module
from pathlib import Path

from store_fixtures import sample_assessment

from readiness.assessment import Assessment
from readiness.plan.effect import plan_effect_for
from readiness.plan.model import MeasuredEffect, Plan, PlanAction
from readiness.questionnaire import load_questionnaire
from readiness.report import render_report, report_for
from readiness.rules import load_rulebook
from readiness.scoring import Scores, score_assessment
from readiness.store import open_store

HOSTILE = "<img src=x onerror=alert(1)>"
PLAN = Plan(
    actions=(
        PlanAction(
            kind="champions", start=dt.date(2026, 6, 1), divisions=("Sales",), staff_share=0.3
        ),
        PlanAction(kind="training", start=dt.date(2026, 9, 1), end=dt.date(2026, 12, 31)),
        PlanAction(kind="common_platform", start=dt.date(2027, 1, 1)),
    ),
    measured={"training": MeasuredEffect(effect=0.6, low=0.1, high=1.2)},
)


def scored(assessment: Assessment) -> Scores:
    return score_assessment(load_questionnaire(), load_rulebook(), assessment.answers)


def with_plan(assessment: Assessment, plan: Plan | None) -> Assessment:
    return assessment.model_copy(update={"plan": plan})


def test_a_plan_kept_with_the_assessment_gets_its_section() -> None:
    assessment = with_plan(sample_assessment(), PLAN)
    scores = scored(assessment)
    document = render_report(assessment, scores)
    assert "<h2>Plan</h2>" in document
    # after the projection it acts on
    assert document.index("<h2>Growth projection</h2>") < document.index("<h2>Plan</h2>")
    effect = plan_effect_for(scores, assessment.answers, assessment.assessed_on, PLAN)
    section = document[document.index("<h2>Plan</h2>") :]
    assert html_module.escape(effect.sentence) in section
    for label in ("Champions network", "Training", "Common platform"):
        assert label in section
    assert "2026-06-01" in section
    assert "2026-12-31" in section
    assert "no end" in section
    assert "Sales (30% of staff)" in section
    assert "(assumed)" in section
    assert "measured: growth x1.60 in scope (95% interval x1.10 to x2.20)" in section
    assert "<h3>Milestones with and without the plan</h3>" in section
    assert "<td>without the plan</td>" in section
    assert "<td>with the plan</td>" in section
    frame = effect.milestone_frame()
    for value in frame.iloc[1, 1:]:
        assert f"<td>{value}</td>" in section
    assert section.count("<svg") == 1


def test_no_plan_no_section() -> None:
    assessment = sample_assessment()
    assert assessment.plan is None
    assert "<h2>Plan</h2>" not in render_report(assessment, scored(assessment))
    # a plan without actions (only waves, say) has no effect to show
    empty = with_plan(assessment, Plan())
    assert "<h2>Plan</h2>" not in render_report(empty, scored(empty))


def test_a_plan_passed_in_takes_the_place_of_the_kept_one() -> None:
    assessment = sample_assessment()
    document = render_report(assessment, scored(assessment), plan=PLAN)
    assert "<h2>Plan</h2>" in document
    other = Plan(actions=(PlanAction(kind="leadership_use", start=dt.date(2026, 6, 1)),))
    replaced = render_report(with_plan(assessment, PLAN), scored(assessment), plan=other)
    section = replaced[replaced.index("<h2>Plan</h2>") :]
    assert "Leadership use" in section
    assert "Champions network" not in section


def test_without_the_projection_there_is_no_plan_section() -> None:
    assessment = with_plan(sample_assessment(), PLAN)
    document = render_report(assessment, scored(assessment), include_projection=False)
    assert "<h2>Plan</h2>" not in document


def test_division_names_in_a_plan_are_escaped() -> None:
    plan = Plan(
        actions=(
            PlanAction(
                kind="champions", start=dt.date(2026, 6, 1), divisions=(HOSTILE,), staff_share=0.5
            ),
        )
    )
    assessment = with_plan(sample_assessment(), plan)
    document = render_report(assessment, scored(assessment))
    assert HOSTILE not in document
    assert html_module.escape(HOSTILE) in document


def test_a_stored_assessment_with_its_plan_reports_it(tmp_path: Path) -> None:
    with open_store(f"sqlite:///{tmp_path / 'store.db'}") as store:
        saved = store.save_assessment(with_plan(sample_assessment(), PLAN), "s1")
        stored = store.get_assessment(saved)
    assert stored.assessment.plan == PLAN
    document = report_for(stored)
    assert "<h2>Plan</h2>" in document
    assert "Common platform" in document
    plain = dataclasses.replace(stored, assessment=sample_assessment())
    assert "<h2>Plan</h2>" not in report_for(plain)
    assert "<h2>Plan</h2>" in report_for(plain, plan=PLAN)
