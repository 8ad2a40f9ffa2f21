"""A survey's evidence (readiness.evidence.survey_evidence): each dimension's scale quality for
everyone and per group shown, agreement and the reliability of division means, in the words every
surface shows; small divisions never alone; too few respondents said plainly."""

from __future__ import annotations

import csv
import io
import json

import numpy as np
import pytest
from survey_fixtures import survey_csv

from readiness.evidence import (
    RELIABLE_GROUP_MEANS,
    dimension_scales,
    one_factor_minres,
    pairwise_correlation,
    rwg_j,
    scale_reliability,
)
from readiness.evidence.survey_evidence import (
    ALL_RESPONDENTS,
    MIN_SCALE_RESPONDENTS,
    MISSING_ANSWERS,
    TABLE_COLUMNS,
    TOO_FEW,
    SurveyEvidence,
    survey_evidence,
)
from readiness.groups import OTHER_DIVISIONS
from readiness.questionnaire import load_questionnaire
from readiness.rules import load_rulebook
from readiness.survey import read_respondents_csv, summarize_survey

Q = load_questionnaire()
SIZES = {"Sales": 40, "IT": 30, "Operations": 25, "Legal": 3}


def _evidence(data: bytes, minimum: int | None = 5) -> SurveyEvidence:
    return survey_evidence(Q, read_respondents_csv(Q, data, "survey.csv"), "survey.csv", minimum)


@pytest.fixture(scope="module")
def noisy() -> SurveyEvidence:
    """Tooling's "Reachable where we work" answered at random: its scale disagrees."""
    return _evidence(survey_csv(SIZES, noise=["to_reach", "to_rigid_structure"]))


def test_a_consistent_scale_is_said_to_be_consistent_enough_to_compare_divisions(
    noisy: SurveyEvidence,
) -> None:
    support = next(d for d in noisy.dimensions if d.dimension == "support")
    assert support.reliability is not None
    r = support.reliability
    assert support.quality_sentence == (
        f"Support: alpha {r.alpha:.2f} ({r.alpha_low:.2f}-{r.alpha_high:.2f}): consistent enough "
        "to compare divisions."
    )
    assert support.reading == "consistent"


def test_a_scale_whose_items_disagree_names_the_item_that_lowers_it_most(
    noisy: SurveyEvidence,
) -> None:
    tooling = next(d for d in noisy.dimensions if d.dimension == "tooling")
    r = tooling.reliability
    assert r is not None
    assert r.alpha is not None
    assert r.alpha < 0.7
    weakest = r.weakest_item
    assert weakest is not None
    assert weakest.item in ("Reachable where we work", "Rigid structure")
    assert tooling.quality_sentence.startswith(f"Tooling: alpha {r.alpha:.2f} (")
    assert f"its items disagree, and '{weakest.item}' lowers it most" in tooling.quality_sentence
    assert tooling.quality_sentence.endswith("read this score with care.")
    items = [row for row in noisy.item_rows() if row["dimension"] == "Tooling"]
    assert [row["item"] for row in items if row["lowers_most"]] == [weakest.item]
    assert {row["item"] for row in items if row["raises_alpha_if_deleted"]} >= {weakest.item}


def test_everyone_s_figures_are_the_scale_s_own_with_questionnaire_labels(
    noisy: SurveyEvidence,
) -> None:
    table = read_respondents_csv(
        Q, survey_csv(SIZES, noise=["to_reach", "to_rigid_structure"]), "s"
    )
    scales = dimension_scales(Q, table)
    for d in noisy.dimensions:
        scale = scales[d.dimension]
        expected = scale_reliability(scale.answers, scale.item_labels)
        assert d.reliability == expected
        assert d.item_labels == tuple(Q.item(i).label for i in d.item_ids)
        assert d.respondents == sum(SIZES.values())


def test_the_groups_are_the_scores_groups_and_a_small_division_is_never_alone(
    noisy: SurveyEvidence,
) -> None:
    table = read_respondents_csv(Q, survey_csv(SIZES), "s")
    summary = summarize_survey(Q, load_rulebook(), table, "s", 5)
    assert set(noisy.groups) == set(summary.divisions) == {"Sales", "IT", OTHER_DIVISIONS}
    assert noisy.merge_note == summary.group_note
    assert noisy.group_text == summary.group_text
    for d in noisy.dimensions:
        assert [g.name for g in d.groups] == ["Sales", "IT", OTHER_DIVISIONS]  # largest first
        assert [g.respondents for g in d.groups] == [40, 30, 28]
    text = json.dumps(noisy.to_json()) + repr(noisy.csv_rows()) + repr(noisy.table_rows())
    assert "Legal" not in text
    assert "Operations" not in text


def test_each_group_has_its_own_scale_quality_and_r_wg_j(noisy: SurveyEvidence) -> None:
    table = read_respondents_csv(
        Q, survey_csv(SIZES, noise=["to_reach", "to_rigid_structure"]), "s"
    )
    scales = dimension_scales(Q, table)
    for d in noisy.dimensions:
        scale = scales[d.dimension]
        sales = next(g for g in d.groups if g.name == "Sales")
        rows = scale.answers[np.asarray(scale.divisions) == "Sales"]
        assert sales.reliability == scale_reliability(rows, scale.item_labels)
        assert sales.agreement.rwg_j == pytest.approx(rwg_j(rows))


def test_divisions_that_differ_are_said_to_differ_reliably_and_others_not_to_rank() -> None:
    apart = _evidence(survey_csv({"A": 40, "B": 40, "C": 40}, spread={"support": 2.0}))
    alike = _evidence(survey_csv({"A": 40, "B": 40, "C": 40}, spread={"support": 0.0}, seed=3))
    high = next(d for d in apart.dimensions if d.dimension == "support")
    low = next(d for d in alike.dimensions if d.dimension == "support")
    assert high.agreement.icc2 is not None
    assert high.agreement.icc2 >= RELIABLE_GROUP_MEANS
    assert high.comparison_sentence == (
        f"Support: divisions differ reliably (ICC(2) {high.agreement.icc2:.2f})."
    )
    assert low.agreement.icc2 is not None
    assert low.agreement.icc2 < RELIABLE_GROUP_MEANS
    assert low.comparison_sentence == (
        "Support: division means are not reliable enough to rank "
        f"(ICC(2) {low.agreement.icc2:.2f})."
    )
    assert alike.comparison_sentences == [d.comparison_sentence for d in alike.dimensions]


def test_too_few_respondents_are_said_to_be_too_few_to_tell() -> None:
    small = _evidence(survey_csv({"Sales": 6, "IT": 5}))  # 11 in all, 6 and 5 per group
    for d in small.dimensions:
        assert d.reliability is not None  # everyone: 11 >= 10
        assert [g.reading for g in d.groups] == [TOO_FEW, TOO_FEW]
        assert all(g.reliability is None for g in d.groups)
        assert all(g.agreement.rwg_j is not None for g in d.groups)  # agreement needs two
    tiny = _evidence(survey_csv({"Sales": 4, "IT": 4}))
    for d in tiny.dimensions:
        assert d.reliability is None
        assert d.quality_sentence == (
            f"{d.name}: {TOO_FEW} whether its items agree (8 answered it; alpha needs at least "
            f"{MIN_SCALE_RESPONDENTS})."
        )
        assert d.groups == ()  # 8 together: under the minimum twice, the whole organization
        assert d.comparison_sentence == (
            f"{d.name}: fewer than two divisions to compare: no comparison of division means."
        )
    assert tiny.item_rows() == []


def test_missing_answers_are_handled_pairwise_and_said_once() -> None:
    data = survey_csv(SIZES, blanks=0.15)
    evidence = _evidence(data)
    scales = dimension_scales(Q, read_respondents_csv(Q, data, "s"))
    for d in evidence.dimensions:
        scale = scales[d.dimension]
        assert np.isnan(scale.answers).any()
        assert d.reliability == scale_reliability(scale.answers, scale.item_labels)
    assert "pairwise, as R's psych::alpha" in MISSING_ANSWERS
    assert evidence.method_text.count("Missing answers") == 1
    assert evidence.to_json()["missing_answers"] == MISSING_ANSWERS


def test_rows_with_problems_are_left_out_as_the_scores_leave_them_out() -> None:
    text = survey_csv({"Sales": 20, "IT": 20}).decode()
    lines = text.splitlines()
    header = lines[0].split(",")
    broken = lines[1].split(",")
    broken[header.index("su_sponsor")] = "9"
    data = "\n".join([lines[0], ",".join(broken), *lines[2:]]).encode() + b"\n"
    evidence = _evidence(data)
    assert evidence.respondents == 39
    assert all(d.respondents == 39 for d in evidence.dimensions)


def test_the_minimum_group_size_is_the_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("READINESS_MIN_GROUP_SIZE", "2")
    evidence = _evidence(survey_csv(SIZES), minimum=None)
    assert evidence.minimum == 2
    assert set(evidence.groups) == set(SIZES)


def test_the_json_is_strict_and_the_csv_holds_every_scope_and_item(noisy: SurveyEvidence) -> None:
    data = noisy.to_json()
    text = json.dumps(data, allow_nan=False)
    assert json.loads(text)["dimensions"][0]["items"][0]["label"] == "Start tools on our own"
    assert data["interval"] == {"method": "Feldt's F-based interval", "level": 0.95}
    rows = noisy.csv_rows()
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    read = list(csv.DictReader(io.StringIO(buffer.getvalue())))
    scales = [r for r in read if not r["item"]]
    items = [r for r in read if r["item"]]
    assert len(scales) == 3 * (1 + 3)
    assert len(items) == sum(len(d.item_ids) for d in noisy.dimensions)
    everyone = [r for r in scales if r["group"] == ALL_RESPONDENTS]
    assert all(r["icc2"] and not r["rwg_j"] for r in everyone)
    assert all(r["rwg_j"] and not r["icc2"] for r in scales if r["group"] != ALL_RESPONDENTS)
    assert list(noisy.table_rows()[0]) == list(TABLE_COLUMNS)
    assert " to " in noisy.table_rows()[0]["Alpha 95% interval"]


def test_items_answered_at_random_are_analysed_in_a_few_hundred_steps() -> None:
    """Uncorrelated items make the factor's plain iteration creep for tens of thousands of
    steps; a survey answered at random must not hold a page up."""
    rng = np.random.default_rng(3)
    for _ in range(20):
        answers = rng.integers(1, 6, size=(int(rng.integers(10, 700)), 5)).astype(float)
        factor = one_factor_minres(pairwise_correlation(answers))
        assert factor.converged
        assert factor.iterations < 2_000
