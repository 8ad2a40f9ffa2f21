"""What the Compare page shows (readiness.views.compare)."""

from __future__ import annotations

from readiness import charts
from readiness.questionnaire import load_questionnaire
from readiness.rules import load_rulebook
from readiness.scoring import Scores, score_assessment
from readiness.views.compare import comparison_frame, differences_frame, survey_candidates


def _scores(agreement: int) -> Scores:
    q = load_questionnaire()
    answers = {i.id: agreement for i in q.items if i.kind == "likert"}
    return score_assessment(q, load_rulebook(), answers)


def test_the_comparison_table_shows_the_spread_between_assessments() -> None:
    frame = comparison_frame([("Low", _scores(2)), ("High", _scores(4))])
    table = differences_frame(frame)
    assert list(table.columns) == ["Low", "High", "spread (max - min)"]
    assert (table["spread (max - min)"] > 0).all()
    assert "2 assessments" in charts.alt_text(charts.comparison_chart(frame))


def test_compare_offers_the_survey_groups_as_shown_largest_first_with_their_size() -> None:
    from readiness.survey import parse_respondents_csv, summarize_survey

    questionnaire = load_questionnaire()
    items = [i.id for i in questionnaire.items if i.kind == "likert" and i.dimension]
    rows = [("Operations", 4)] * 6 + [("Marketing", 5)] * 6 + [("Legal", 1)] * 3
    lines = ["division," + ",".join(items)]
    lines += [f"{name}," + ",".join([str(level)] * len(items)) for name, level in rows]
    table = parse_respondents_csv(questionnaire, "\n".join(lines) + "\n", "s.csv")
    summary = summarize_survey(questionnaire, load_rulebook(), table, "s.csv", 5)
    assert list(survey_candidates(summary)) == [
        "Survey: other divisions (9 respondents)",
        "Survey: Operations (6 respondents)",
    ]


def test_compare_offers_the_current_answers_first_then_the_survey_groups() -> None:
    from readiness.views.compare import CURRENT_ANSWERS, session_candidates, survey_of

    current = _scores(3)
    assert survey_of({"not": "a survey"}) is None
    assert session_candidates(None, None) == {}
    assert session_candidates(current, None) == {CURRENT_ANSWERS: current}


def test_saved_assessments_are_offered_by_label_newest_first_at_most_max_saved() -> None:
    import datetime as dt

    from readiness.store import AssessmentSummary
    from readiness.views.compare import MAX_SAVED, saved_choices

    def summary(number: int, division: str | None) -> AssessmentSummary:
        created = dt.datetime(2026, 11, 30, tzinfo=dt.UTC)
        return AssessmentSummary(
            number, "Acme", division, dt.date(2026, 11, 30), None, None, None, "1", created
        )

    choices = saved_choices([summary(3, "Sales"), summary(2, None)])
    assert choices == {"#3 Acme / Sales, 2026-11-30": 3, "#2 Acme, 2026-11-30": 2}
    assert len(saved_choices([summary(n, None) for n in range(MAX_SAVED + 5)])) == MAX_SAVED


def test_compare_says_per_dimension_whether_the_survey_s_division_means_can_be_compared() -> None:
    from survey_fixtures import survey_csv

    from readiness.evidence.survey_evidence import survey_evidence
    from readiness.safe_output import markdown_lines
    from readiness.survey import read_respondents_csv, summarize_survey
    from readiness.views.compare import reliability_text

    questionnaire = load_questionnaire()
    table = read_respondents_csv(questionnaire, survey_csv({"A": 30, "B": 30}), "s.csv")
    summary = summarize_survey(questionnaire, load_rulebook(), table, "s.csv", 5)
    evidence = survey_evidence(questionnaire, table, "s.csv", 5)
    text = reliability_text(evidence, summary)
    assert text is not None
    assert text.endswith(markdown_lines(evidence.comparison_sentences))
    assert text.count("ICC\\(2\\)") == 3  # one sentence per dimension, escaped
    assert reliability_text(evidence, None) is None  # no survey kept: nothing to say
    assert reliability_text({"not": "evidence"}, summary) is None
    other = summarize_survey(questionnaire, load_rulebook(), table, "other.csv", 5)
    assert reliability_text(evidence, other) is None  # the evidence of another upload
