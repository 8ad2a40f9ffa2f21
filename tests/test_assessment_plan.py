"""The plan in the assessment file (format version 3): read and refused by field, written by
the JSON export, and read back by every part that reads an assessment file."""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

from readiness.assessment import (
    ASSESSMENT_FORMAT_VERSION,
    MAX_JSON_DEPTH,
    MAX_PLAN_PROBLEMS,
    Assessment,
    parse_assessment_json,
    parse_assessments,
    plan_json,
    read_plan_json,
)
from readiness.cli import EXIT_BAD_INPUT, main
from readiness.errors import InputError
from readiness.export import export_json, parse_import
from readiness.plan.model import MAX_ACTIONS, MeasuredEffect, Plan, PlanAction
from readiness.questionnaire import load_questionnaire
from readiness.store import Store, open_store
from readiness.waves import EVERYONE, DimensionStats, WaveSummary


def sample_plan() -> Plan:
    """Two actions (one for a division, one a campaign), a measured effect and a wave."""
    return Plan(
        actions=(
            PlanAction(
                kind="champions",
                start=dt.date(2027, 3, 1),
                divisions=("Sales",),
                staff_share=0.2,
                note="one per team",
            ),
            PlanAction(kind="training", start=dt.date(2027, 6, 1), end=dt.date(2027, 9, 30)),
        ),
        measured={"champions": MeasuredEffect(effect=0.8, low=0.3, high=1.4, note="Sales")},
        waves=(
            WaveSummary(
                label="March wave",
                surveyed_on=dt.date(2027, 3, 15),
                respondents=240,
                groups={EVERYONE: {"support": DimensionStats(n=240, mean=55.5, sd=12.0)}},
            ),
        ),
    )


def document(**fields: Any) -> dict[str, Any]:
    return {"format_version": 3, "organization": "Acme", "answers": {}, **fields}


def read(data: Any, source: str = "a.json") -> Assessment:
    return parse_assessment_json(load_questionnaire(), data, source)


def problems(data: Any, source: str = "a.json") -> list[str]:
    with pytest.raises(InputError) as refused:
        read(data, source)
    return refused.value.problems


# --- the file format ----------------------------------------------------------------------------


def test_the_format_is_version_3() -> None:
    assert ASSESSMENT_FORMAT_VERSION == 3


def test_a_version_3_file_keeps_its_plan_exactly() -> None:
    text = json.dumps(document(plan=plan_json(sample_plan())))
    assert read(json.loads(text)).plan == sample_plan()


def test_the_plan_is_written_without_defaults_and_with_iso_dates() -> None:
    written = plan_json(sample_plan())
    assert written["actions"][1] == {"kind": "training", "start": "2027-06-01", "end": "2027-09-30"}
    assert "format" not in written
    assert read_plan_json(written, "here") == sample_plan()


@pytest.mark.parametrize("version", [1, 2, 3])
def test_files_of_every_version_without_a_plan_read_with_none(version: int) -> None:
    assert read(document(format_version=version)).plan is None
    assert read(document(format_version=version, plan=None)).plan is None


@pytest.mark.parametrize("version", [1, 2])
def test_a_plan_in_a_file_of_an_older_version_is_refused_naming_the_version(version: int) -> None:
    data = document(format_version=version, plan=plan_json(sample_plan()))
    assert problems(data) == [
        f"a.json: field plan: a plan needs format_version 3 (this file declares version {version})"
    ]


def test_a_file_without_a_version_is_the_current_one_and_may_hold_a_plan() -> None:
    data = {"answers": {}, "plan": plan_json(sample_plan())}
    assert read(data).plan == sample_plan()


def test_an_unknown_kind_is_refused_naming_the_file_and_the_action() -> None:
    plan = plan_json(sample_plan())
    plan["actions"].append({"kind": "webinars", "start": "2027-10-01"})
    [line] = problems(document(plan=plan), "plans/acme.json")
    assert line.startswith("plans/acme.json: field plan: action 3: unknown kind 'webinars'")
    assert "the kinds are champions, local_support, training" in line


def test_an_unknown_kind_in_a_list_file_names_the_entry() -> None:
    plan = {"actions": [{"kind": "webinars", "start": "2027-10-01"}]}
    text = json.dumps([document(), document(plan=plan)])
    with pytest.raises(InputError) as refused:
        parse_assessments(load_questionnaire(), text, "all.json")
    [line] = refused.value.problems
    assert line.startswith("all.json[2]: field plan: action 1: unknown kind 'webinars'")


def test_a_measured_effect_of_an_unknown_kind_is_refused() -> None:
    plan = {"measured": {"magic": {"effect": 1.0, "low": 0.5, "high": 2.0}}}
    [line] = problems(document(plan=plan))
    assert line.startswith("a.json: field plan: measured: unknown kind 'magic'")


@pytest.mark.parametrize(
    ("plan", "expected"),
    [
        ([], "a.json: field plan: expected an object with 'actions', not a list"),
        ("champions", "a.json: field plan: expected an object with 'actions', not a text"),
        (
            {"actions": [{"kind": "champions", "start": "soon"}]},
            "a.json: field plan: action #1, field start: Input should be a valid date",
        ),
        (
            {"actions": [{"kind": "champions", "start": "2027-03-01", "divisions": ["Sales"]}]},
            "a.json: field plan: action #1: an action for named divisions needs staff_share",
        ),
        (
            {"actions": [{"kind": "training", "start": "2027-06-01", "end": "2027-01-01"}]},
            "a.json: field plan: action #1: the end 2027-01-01 must be after the start",
        ),
        ({"colour": "red"}, "a.json: field plan: field colour: Extra inputs are not permitted"),
    ],
)
def test_a_damaged_plan_is_refused_by_field(plan: Any, expected: str) -> None:
    [line] = problems(document(plan=plan))
    assert line.startswith(expected)


def test_a_plan_problem_comes_with_the_files_other_problems() -> None:
    data = document(plan=[], colour="red")
    assert problems(data) == [
        "a.json: unknown field 'colour'",
        "a.json: field plan: expected an object with 'actions', not a list",
    ]


# --- hostile plans: one clear message, never a crash --------------------------------------------


def test_ten_thousand_actions_are_refused_in_one_line_at_once() -> None:
    actions = [{"kind": "champions", "start": "not a date"}] * 10_000
    started = time.perf_counter()
    lines = problems(document(plan={"actions": actions}))
    assert time.perf_counter() - started < 1.0
    assert lines == [
        f"a.json: field plan: field actions: holds 10,000 actions; a plan holds at most"
        f" {MAX_ACTIONS}"
    ]


def test_thousands_of_bad_entries_are_reported_as_a_few_lines() -> None:
    measured = {f"kind{i}": {"effect": 1.0, "low": 0.5, "high": 2.0} for i in range(5_000)}
    lines = problems(document(plan={"measured": measured}))
    assert len(lines) == MAX_PLAN_PROBLEMS + 1
    assert lines[-1] == f"... and {5_000 - MAX_PLAN_PROBLEMS:,} more problems in the plan"


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def test_a_deeply_nested_plan_is_refused_naming_the_file(tmp_path: Path) -> None:
    text = (
        '{"format_version": 3, "answers": {}, "plan": {"actions": [{"kind": "champions",'
        f' "start": "2027-03-01", "note": {_nested(100_000)}}}]}}}}'
    )
    with pytest.raises(InputError) as refused:
        parse_assessments(load_questionnaire(), text, "deep.json")
    assert refused.value.problems == [f"deep.json: nested more than {MAX_JSON_DEPTH} levels"]
    # Shallow enough for JSON, still not a plan: the field is named.
    shallow = document(plan={"actions": [{"kind": "champions", "start": [[[["2027"]]]]}]})
    [line] = problems(shallow)
    assert line.startswith("a.json: field plan: action #1, field start:")


@pytest.mark.parametrize("command", [["score"], ["project", "--from"]])
def test_the_command_line_refuses_a_hostile_plan_with_one_line(
    command: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "hostile.json"
    actions = [{"kind": "champions", "start": "2027-03-01"}] * 10_000
    path.write_text(json.dumps(document(plan={"actions": actions})), encoding="utf-8")
    assert main([*command, str(path)]) == EXIT_BAD_INPUT
    err = capsys.readouterr().err
    assert "holds 10,000 actions; a plan holds at most 12" in err
    assert str(path) in err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


# --- a file the product writes, every part reads -----------------------------------------------


def _cli(argv: Sequence[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_the_plan_goes_from_the_store_to_every_reader_and_back(
    tmp_path: Path,
    make_assessment: Callable[..., Assessment],
    capsys: pytest.CaptureFixture[str],
) -> None:
    from readiness.views.saved import export_json as dashboard_download

    url = f"sqlite:///{tmp_path / 'store.db'}"
    original = make_assessment(organization="Acme").model_copy(update={"plan": sample_plan()})
    with open_store(url) as store:
        saved_id = store.save_assessment(original, "with-plan")
        downloaded = dashboard_download(store.get_assessment(saved_id))
    document_ = json.loads(downloaded)
    assert document_["format_version"] == 3
    assert document_["plan"] == plan_json(sample_plan())

    # The command line's export is the dashboard's download.
    exported = tmp_path / "export.json"
    code, _, _ = _cli(
        ["assessments", "--database", url, "export", str(saved_id), "--output", str(exported)],
        capsys,
    )
    assert code == 0
    written = json.loads(exported.read_text(encoding="utf-8"))
    assert written == document_

    # Imported into another store, it keeps the plan; exported again, the same document.
    other = f"sqlite:///{tmp_path / 'other.db'}"
    code, out, _ = _cli(["assessments", "--database", other, "import", str(exported)], capsys)
    assert code == 0
    assert out.strip().endswith(", with a plan of 2 actions")
    with open_store(other) as store:
        [summary] = store.list_assessments()
        stored = store.get_assessment(summary.id)
        assert stored.assessment == original
        again = json.loads(export_json(stored))
    assert {k: v for k, v in again.items() if k != "stored"} == {
        k: v for k, v in document_.items() if k != "stored"
    }

    # score and project --from read the version 3 file.
    code, out, err = _cli(["score", str(exported)], capsys)
    assert (code, err) == (0, "")
    assert json.loads(out) == document_["scores"]
    code, out, err = _cli(["project", "--from", str(exported)], capsys)
    assert (code, err) == (0, "")
    assert json.loads(out)


def test_an_import_of_a_file_without_a_plan_keeps_its_earlier_id() -> None:
    """Importing assessments keys each by its content: one without a plan is digested as it
    was before assessments held plans, so an earlier import of the same file is recognised."""
    from readiness.assessment import Profile
    from readiness.store import import_submission_id

    assessment = Assessment(
        profile=Profile(organization="Acme", division="Sales", sector="private"),
        questionnaire_version="2026.1",
        assessed_on=dt.date(2026, 3, 31),
        answers={"su_sponsor": 4, "gr_projects": 2.5, "to_platforms": ["wiki"]},
    )
    assert import_submission_id(assessment) == "import-1d9cfe8cb1afc6327f26a1441d22f652c0b1a3a2"
    with_plan = assessment.model_copy(update={"plan": sample_plan()})
    assert import_submission_id(with_plan) != import_submission_id(assessment)


def test_importing_a_file_again_with_another_plan_stores_both(
    store: Store, make_assessment: Callable[..., Assessment]
) -> None:
    first = make_assessment(organization="Acme").model_copy(update={"plan": sample_plan()})
    text = export_json(store.get_assessment(store.save_assessment(first, "s1")))
    [imported] = parse_import(store.questionnaire, text, "a.json")
    changed = imported.model_copy(update={"plan": Plan()})
    saved = store.import_assessments([imported, changed, imported])
    assert [s.repeated for s in saved] == [False, False, True]
    plans = [store.get_assessment(s.id).assessment.plan for s in saved]
    assert plans == [sample_plan(), Plan(), sample_plan()]
