"""``readiness project --from FILE --plan PLAN.yaml``: the plan's projected effect on the command
line, the same as every surface computes it, and hostile plan files refused in one line each."""

from __future__ import annotations

import datetime as dt
import io
import json
import random
from collections.abc import Sequence
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from readiness.cli import EXIT_BAD_INPUT, main
from readiness.plan.effect import plan_effect_for
from readiness.plan.model import Plan, PlanAction, plan_text
from readiness.questionnaire import load_questionnaire
from readiness.rules import load_rulebook
from readiness.scoring import score_assessment

ANSWERS = {"gr_active_share": 12, "su_sponsor": 1, "gr_self_start": 4, "to_easy_to_use": 4}
DAY = dt.date(2026, 11, 30)
PLAN = Plan(
    actions=(
        PlanAction(
            kind="champions", start=dt.date(2027, 3, 1), divisions=("Sales",), staff_share=0.3
        ),
        PlanAction(kind="training", start=dt.date(2027, 6, 1), end=dt.date(2027, 9, 30)),
    )
)


def run(argv: Sequence[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def assessment_file(tmp_path: Path) -> Path:
    path = tmp_path / "assessment.json"
    body = {"organization": "Acme", "assessed_on": DAY.isoformat(), "answers": ANSWERS}
    path.write_text(json.dumps(body), encoding="utf-8")
    return path


@pytest.fixture
def plan_file(tmp_path: Path) -> Path:
    path = tmp_path / "plan.yaml"
    path.write_text(plan_text(PLAN), encoding="utf-8")
    return path


def expected_effect():  # type: ignore[no-untyped-def]
    scores = score_assessment(load_questionnaire(), load_rulebook(), ANSWERS)
    return plan_effect_for(scores, ANSWERS, DAY, PLAN)


def test_json_gains_the_plans_effect_beside_the_same_projection(
    assessment_file: Path, plan_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(
        ["project", "--from", str(assessment_file), "--plan", str(plan_file)], capsys
    )
    assert code == 0, err
    printed = json.loads(out)
    code, plain, _ = run(["project", "--from", str(assessment_file)], capsys)
    assert code == 0
    assert {k: v for k, v in printed.items() if k != "plan"} == json.loads(plain)
    expected = expected_effect()
    assert printed["plan"] == json.loads(json.dumps(expected.as_json()))
    plan = printed["plan"]
    assert plan["sentence"].startswith("With the plan, 50% by about ")
    assert [a["kind"] for a in plan["actions"]] == ["champions", "training"]
    assert plan["actions"][0]["scope"] == "Sales (30% of staff)"
    assert plan["actions"][1]["end"] == "2027-09-30"
    assert [m["curve"] for m in plan["milestones"]] == ["without the plan", "with the plan"]
    assert plan["months_earlier"] > 0
    assert len(plan["curve"]) == len(expected.years)


def test_the_table_adds_the_sentence_and_both_milestone_rows(
    assessment_file: Path, plan_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["project", "--from", str(assessment_file), "--plan", str(plan_file)]
    code, out, _ = run([*argv, "--format", "table"], capsys)
    assert code == 0
    expected = expected_effect()
    assert out.startswith("From 12% in Nov 2026, your organization reaches 50% by about ")
    assert f"\nPlan: {expected.sentence}\n" in out
    frame = expected.milestone_frame()
    assert list(frame["curve"]) == ["without the plan", "with the plan"]
    assert "\n" + frame.to_string(index=False) + "\n" in out


def test_csv_adds_the_with_plan_curve(
    assessment_file: Path, plan_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["project", "--from", str(assessment_file), "--plan", str(plan_file)]
    code, out, _ = run([*argv, "--format", "csv"], capsys)
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "year,share,with_plan"
    expected = expected_effect()
    assert len(lines) == 1 + len(expected.years)
    last = [float(v) for v in lines[-1].split(",")]
    assert last[1] == pytest.approx(expected.without[-1], abs=1e-8)
    assert last[2] == pytest.approx(expected.with_plan[-1], abs=1e-8)
    assert last[2] > last[1]
    code, plain, _ = run(["project", "--from", str(assessment_file), "--format", "csv"], capsys)
    assert plain.splitlines()[0] == "year,share"


def test_plan_without_from_is_an_error_naming_what_it_needs(
    plan_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["project", "--model", "bass", "--start-year", "2026", "--start-share", "0.1"]
    code, out, err = run([*argv, "--years", "5", "--plan", str(plan_file)], capsys)
    assert code == EXIT_BAD_INPUT
    assert out == ""
    assert err == (
        "error: --plan needs --from FILE|ID (the assessment whose projection the plan acts on)\n"
    )


@pytest.mark.parametrize(
    ("content", "where"),
    [
        (
            "actions:\n  - kind: champions\n    start: 2027-03-01\n    divisions: [Sales]\n",
            "staff_share",
        ),
        ("actions:\n  - kind: bake_sale\n    start: 2027-03-01\n", "unknown kind 'bake_sale'"),
        (
            "actions:\n  - kind: training\n    start: 2027-03-01\n    end: 2027-01-01\n",
            "must be after the start",
        ),
        ("actions: [\n", "not a YAML or JSON plan at line"),
        ("format: readiness-assessment\nactions: []\n", "is not a 'readiness-plan' file"),
        ("- 1\n- 2\n", "a plan is a mapping"),
        ("", ""),
    ],
)
def test_a_bad_plan_exits_2_with_one_line_naming_the_file(
    assessment_file: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    content: str,
    where: str,
) -> None:
    path = tmp_path / "bad plan.yaml"
    path.write_text(content, encoding="utf-8")
    code, out, err = run(["project", "--from", str(assessment_file), "--plan", str(path)], capsys)
    assert code == EXIT_BAD_INPUT
    assert out == ""
    lines = err.splitlines()
    assert lines
    assert all(line.startswith("error: ") and str(path) in line for line in lines)
    assert where in err
    assert "Traceback" not in err


def test_a_missing_plan_file_names_the_option(
    assessment_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nope.yaml"
    code, _, err = run(["project", "--from", str(assessment_file), "--plan", str(missing)], capsys)
    assert code == EXIT_BAD_INPUT
    assert err == f"error: --plan {missing}: file not found\n"


# --- seeded fuzz: hostile plan files ------------------------------------------------------------

SEED = 20270301
HOSTILE_VALUES = [
    "null",
    "[]",
    "{}",
    "-1",
    "1e309",
    ".nan",
    ".inf",
    "0001-01-01",
    "9999-12-31",
    "2020-02-30",
    '"\\x1b[31mred"',
    "\"=cmd|' /C calc'!A0\"",
    "x" * 5000,
    "&a [*a, *a]",
    "!!python/object/apply:os.system ['echo hi']",
    "{a: &a [*a]}",
]
FIELDS = ["kind", "start", "end", "divisions", "staff_share", "note", "format_version", "measured"]


def _hostile_plan(rng: random.Random) -> bytes:
    """A valid plan with one field replaced by a hostile value, or bytes cut and flipped."""
    text = plan_text(PLAN)
    if rng.random() < 0.25:
        data = bytearray(text.encode("utf-8"))
        for _ in range(rng.randint(1, 8)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        return bytes(data[: rng.randint(0, len(data))])
    field = rng.choice(FIELDS)
    value = rng.choice(HOSTILE_VALUES)
    lines = text.splitlines()
    hit = [i for i, line in enumerate(lines) if line.strip().lstrip("- ").startswith(f"{field}:")]
    if hit:
        i = rng.choice(hit)
        indent = lines[i][: len(lines[i]) - len(lines[i].lstrip())]
        prefix = "- " if lines[i].lstrip().startswith("- ") else ""
        lines[i] = f"{indent}{prefix}{field}: {value}"
    else:
        lines.append(f"{field}: {value}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def test_hostile_plan_files_give_one_clear_message_never_a_traceback(
    assessment_file: Path, tmp_path: Path
) -> None:
    rng = random.Random(SEED)
    outcomes = {0: 0, EXIT_BAD_INPUT: 0}
    for n in range(60):
        path = tmp_path / f"plan-{n}.yaml"
        path.write_bytes(_hostile_plan(rng))
        out, err = io.StringIO(), io.StringIO()
        with redirect_stdout(out), redirect_stderr(err):
            code = main(["project", "--from", str(assessment_file), "--plan", str(path)])
        assert code in outcomes, (n, err.getvalue())
        outcomes[code] += 1
        assert "Traceback" not in err.getvalue()
        assert "unexpected error" not in err.getvalue()
        if code == 0:
            body = json.loads(out.getvalue(), parse_constant=pytest.fail)
            for row in body["plan"]["curve"]:
                assert 0.0 <= row["without"] <= row["with"] <= 1.0
        else:
            lines = err.getvalue().splitlines()
            assert lines
            assert all(line.startswith("error: ") and str(path) in line for line in lines), lines
    # the seed tries both: plans that still read and plans that are refused
    assert outcomes[0] > 0
    assert outcomes[EXIT_BAD_INPUT] > 0
