"""Drivers of measured adoption (readiness.evidence.drivers): the division-name map (its file
forms, hostile names, names that are not there), the join of the survey's divisions to measured
adoption's (never a division under the minimum group size), each division's outcome, and
relative weights that say "too few" and "cannot tell" when they should."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from property_budget import examples
from scoring_fixtures import BEST, STRUGGLING, questionnaire, respondents_table, rulebook

from readiness.errors import InputError
from readiness.evidence import (
    DivisionMap,
    DivisionPair,
    MatchedDivision,
    drivers_of,
    match_divisions,
    measured_drivers,
    series_growth,
    survey_divisions,
)
from readiness.evidence.drivers import (
    CSV_HEADER,
    DIVISIONS_PER_ITEM,
    MAX_NAME_LENGTH,
    name_problem,
)
from readiness.groups import OTHER_DIVISIONS
from readiness.usage import MeasuredAdoption, measure_files, read_roster

USAGE = Path(__file__).parent / "data" / "usage"
PROPERTY = settings(max_examples=examples(60), deadline=None)
DIMENSIONS = ("grassroots", "support", "tooling")
NAMES = {"grassroots": "Grassroots activity", "support": "Support", "tooling": "Tooling"}

# --- the name map -------------------------------------------------------------------------------

division_names = st.text(
    st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=40
).filter(lambda name: name_problem(name) is None)


@PROPERTY
@given(st.lists(st.tuples(division_names, division_names), max_size=8))
def test_the_map_round_trips_through_its_csv_and_json_forms(
    pairs: list[tuple[str, str]],
) -> None:
    # one to one: each name once on each side
    seen_survey: set[str] = set()
    seen_measured: set[str] = set()
    kept = []
    for survey, measured in pairs:
        if survey not in seen_survey and measured not in seen_measured:
            kept.append(DivisionPair(survey=survey, measured=measured))
            seen_survey.add(survey)
            seen_measured.add(measured)
    names = DivisionMap(pairs=tuple(kept))
    assert DivisionMap.from_json(names.to_json()) == names
    assert DivisionMap.from_csv(names.to_csv()) == names


def test_the_csv_form_is_two_named_columns_a_spreadsheet_cannot_run() -> None:
    names = DivisionMap(
        pairs=(
            DivisionPair(survey="Sales", measured="Sales & Marketing"),
            DivisionPair(survey="=HYPERLINK(1)", measured="@ops"),
        )
    )
    text = names.to_csv()
    assert text.splitlines()[0] == ",".join(CSV_HEADER)
    assert "'=HYPERLINK(1)" in text
    assert "'@ops" in text
    assert DivisionMap.from_csv(text) == names
    # columns found by name, case and spaces ignored, in any order; blank rows skipped
    again = DivisionMap.from_csv(
        " Measured Division ,SURVEY DIVISION\nSales & Marketing,Sales\n,\n"
    )
    assert again.as_dict() == {"Sales": "Sales & Marketing"}


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("Sales\x1b[2J", "holds a control character"),
        ("Sales\u202eselaS", "holds a control character"),
        ("  ", "is empty"),
        ("x" * (MAX_NAME_LENGTH + 1), f"longer than {MAX_NAME_LENGTH} characters"),
        ("Other  Divisions", "never one division"),
        ("ALL STAFF", "never one division"),
    ],
)
def test_hostile_names_are_refused_naming_the_name_and_its_side(name: str, problem: str) -> None:
    with pytest.raises(ValueError, match=problem) as caught:
        DivisionPair(survey="Sales", measured=name)
    message = str(caught.value)
    assert "measured division" in message
    assert "\x1b" not in message
    assert "\u202e" not in message
    quoted = '"' + name.replace('"', '""') + '"'
    text = f"{','.join(CSV_HEADER)}\nSales,Sales\nLegal,{quoted}\n"
    with pytest.raises(InputError) as from_file:
        DivisionMap.from_csv(text, "map.csv")
    [line] = from_file.value.problems
    assert line.startswith("map.csv: row 3")
    assert "measured division" in line
    assert problem in line


def test_a_division_paired_twice_is_refused_by_name_and_side() -> None:
    with pytest.raises(InputError, match="survey division 'Sales' is paired more than once"):
        DivisionMap.from_json(
            json.dumps(
                {
                    "pairs": [
                        {"survey": "Sales", "measured": "A"},
                        {"survey": "Sales", "measured": "B"},
                    ]
                }
            ),
            "map.json",
        )


def test_a_file_that_is_not_a_map_says_so() -> None:
    with pytest.raises(InputError, match=r"map\.json: not valid JSON"):
        DivisionMap.from_json("{", "map.json")
    with pytest.raises(InputError, match=r"map\.csv: row 1: missing column"):
        DivisionMap.from_csv("survey,measured\nA,B\n", "map.csv")
    with pytest.raises(InputError, match=r"map\.json: .*field pairs"):
        DivisionMap.from_json('{"pairs": 3}', "map.json")


def test_names_that_are_not_shown_are_named_with_their_side() -> None:
    names = DivisionMap(pairs=(DivisionPair(survey="Salse", measured="Sales & Marketing"),))
    with pytest.raises(InputError) as caught:
        match_divisions(["Sales", "Legal"], ["Sales & Marketing"], names)
    [line] = caught.value.problems
    assert "survey division 'Salse' is not among the survey divisions shown" in line
    names = DivisionMap(pairs=(DivisionPair(survey="Sales", measured="Marketing"),))
    with pytest.raises(InputError, match="measured division 'Marketing' is not among"):
        match_divisions(["Sales"], ["Sales & Marketing"], names)


def test_unmapped_names_are_paired_by_the_same_name_then_ignoring_case() -> None:
    names = DivisionMap(pairs=(DivisionPair(survey="Sales", measured="Sales & Marketing"),))
    match = match_divisions(
        ["Sales", "Engineering", "finance ", "Legal", "LEGAL", OTHER_DIVISIONS],
        ["Sales & Marketing", "Engineering", "Finance", "legal", "Sales", OTHER_DIVISIONS],
        names,
    )
    assert match.names.as_dict() == {
        "Sales": "Sales & Marketing",
        "Engineering": "Engineering",
        "finance ": "Finance",
    }
    assert [how for _, how in match.suggested] == [
        "same name",
        "same name ignoring case and spaces",
    ]
    # two survey divisions could be 'legal': neither is guessed; merged groups are never paired
    assert match.unpaired_survey == ("Legal", "LEGAL")
    assert match.unpaired_measured == ("legal", "Sales")
    assert "3 divisions paired" in match.describe()


# --- the join -----------------------------------------------------------------------------------


def _measured() -> MeasuredAdoption:
    return measure_files(
        [(USAGE / "events.csv", "events.csv")], roster=read_roster(USAGE / "roster.csv")
    )


def _survey_table() -> object:
    people = (
        ["Sales"] * 6 + ["engineering"] * 6 + ["Legal"] * 2 + ["Finance"] * 3 + ["Marketing"] * 5
    )
    answers = [BEST if i % 2 else STRUGGLING for i in range(len(people))]
    return respondents_table(answers, people)


def test_no_division_under_the_minimum_appears_or_can_be_paired() -> None:
    survey = survey_divisions(questionnaire(), rulebook(), _survey_table(), min_group_size=5)  # type: ignore[arg-type]
    assert set(survey.names) == {"Sales", "engineering", "Marketing", OTHER_DIVISIONS}
    assert all(d.respondents >= 5 for d in survey.divisions)
    measured = _measured()
    analysis = measured_drivers(survey, measured, resamples=50)
    paired = {d.name: d.measured_name for d in analysis.divisions}
    assert paired == {"Sales": "Sales", "engineering": "Engineering"}
    assert "Legal" not in {n for d in analysis.divisions for n in (d.name, d.measured_name)}
    assert analysis.match.unpaired_survey == ("Marketing",)
    with pytest.raises(InputError, match="survey division 'Legal' is not among"):
        measured_drivers(
            survey,
            measured,
            DivisionMap(pairs=(DivisionPair(survey="Legal", measured="Sales"),)),
        )


def test_the_join_carries_scores_items_and_the_outcome_of_each_division() -> None:
    survey = survey_divisions(questionnaire(), rulebook(), _survey_table(), min_group_size=5)  # type: ignore[arg-type]
    analysis = measured_drivers(survey, _measured(), resamples=50)
    sales = next(d for d in analysis.divisions if d.name == "Sales")
    expected = survey.division("Sales")
    assert sales.scores == expected.scores
    assert set(sales.items) == {i for items in survey.scale_items.values() for i in items}
    assert all(1.0 <= v <= 5.0 for v in sales.items.values() if v is not None)
    assert all(v is not None and v > 0 for v in sales.score_errors.values())
    assert sales.months[0] == "2025-01"
    assert len(sales.periods) == len(sales.shares) == 12
    assert sales.latest_share == sales.shares[-1]
    assert sales.growth is not None
    assert sales.growth_basis.startswith("slope of the fitted")
    # two divisions: nothing is ranked, items neither
    for weights in analysis.dimensions.values():
        assert weights.verdict.kind == "too few"
        assert weights.verdict.text.startswith("Too few divisions to tell")
    assert all(i.weights is None and "divisions for items" in i.text for i in analysis.items)
    assert any(s.startswith("Latest monthly active share: Too few") for s in analysis.sentences())


# --- outcome and weights ------------------------------------------------------------------------


def test_growth_is_the_slope_of_the_fitted_curve_at_the_last_month() -> None:
    periods = 2025 + (np.arange(18) + 0.5) / 12
    shares = 0.8 / (1 + np.exp(-1.5 * (periods - 2025.6)))
    growth = series_growth(tuple(periods), tuple(shares), "Sales")
    x = periods[-1]
    expected = 0.8 * 1.5 * np.exp(-1.5 * (x - 2025.6)) / (1 + np.exp(-1.5 * (x - 2025.6))) ** 2
    assert growth.value == pytest.approx(expected, rel=1e-3)
    assert growth.problem is None
    assert growth.model is not None


def test_a_series_that_cannot_be_fitted_falls_back_to_a_line_and_says_why() -> None:
    line = series_growth((2025.0, 2025.1, 2025.2), (0.1, 0.2, 0.3), "Legal")
    assert line.value == pytest.approx(1.0)
    assert line.basis == "straight line through the last 3 months"
    assert line.problem is not None
    assert "Legal" in line.problem
    flat = series_growth((2025.0, 2025.1, 2025.2, 2025.3, 2025.4), (0.2,) * 5, "Flat")
    assert flat.value == pytest.approx(0.0, abs=1e-12)
    assert flat.problem is not None
    none = series_growth((2025.0, 2025.1), (0.1, 0.2), "Tiny")
    assert none.value is None
    assert none.basis.startswith("none")


def _division(i: int, rng: np.random.Generator, items: dict[str, list[str]]) -> MatchedDivision:
    scores = {d: float(rng.uniform(20, 90)) for d in DIMENSIONS}
    share = 0.1 + 0.008 * scores["support"] + rng.normal(0, 0.03)
    item_means = {
        item: float(1 + 4 * scores[d] / 100 + rng.normal(0, 0.3))
        for d, ids in items.items()
        for item in ids
    }
    return MatchedDivision(
        name=f"d{i}",
        scores=scores,
        periods=(2025.5,),
        shares=(share,),
        roster=(100.0,),
        items=item_means,
        latest_share=share,
        growth=share / 2,
    )


def test_support_ranks_first_only_when_the_intervals_separate_and_items_need_divisions() -> None:
    items = {"support": ["s1", "s2", "s3"], "tooling": ["t1", "t2", "t3", "t4"]}
    rng = np.random.default_rng(7)
    many = [_division(i, rng, items) for i in range(30)]
    match = match_divisions([d.name for d in many], [d.name for d in many])
    analysis = drivers_of(many, match, NAMES, items, {}, resamples=300)
    latest = analysis.dimensions["latest share"]
    assert latest.verdict.kind == "ranked"
    assert latest.verdict.first == "Support"
    support_low = latest.weight("Support").raw_low
    assert support_low is not None
    for other in ("Grassroots activity", "Tooling"):
        high = latest.weight(other).raw_high
        assert high is not None
        assert support_low > high
    by_dimension = {(i.dimension, i.outcome): i for i in analysis.items}
    assert by_dimension[("support", "latest share")].weights is not None  # 30 >= 3 x 3
    tooling = by_dimension[("tooling", "latest share")]
    assert DIVISIONS_PER_ITEM * 4 <= 30
    assert tooling.weights is not None
    few = many[:10]
    analysis = drivers_of(few, match, NAMES, items, {}, resamples=300)
    text = {(i.dimension, i.outcome): i.text for i in analysis.items}
    assert text[("tooling", "growth")] == (
        "Too few divisions for items (10; at least 12 are needed for 4 items)."
    )
    assert analysis.dimensions["growth"].verdict.kind in ("ranked", "cannot tell")
    for weights in analysis.dimensions.values():
        if weights.verdict.kind == "cannot tell":
            assert weights.verdict.text == "Your data cannot tell which matters more."


def test_with_four_divisions_it_says_it_cannot_tell() -> None:
    rng = np.random.default_rng(3)
    four = [_division(i, rng, {}) for i in range(4)]
    match = match_divisions([d.name for d in four], [d.name for d in four])
    analysis = drivers_of(four, match, NAMES, {}, {})
    for weights in analysis.dimensions.values():
        assert weights.verdict.kind == "too few"
        assert weights.verdict.first is None
        assert weights.verdict.text == "Too few divisions to tell (4; at least 8 are needed)."
