"""``readiness plan check`` and ``readiness plan kinds``: one result per action from a history
or from usage exports, in every format, and bad input as one line per problem (exit code 2)."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest
from bench_gbm import division

from readiness.cli import EXIT_BAD_INPUT, main
from readiness.cli import plan as cli_plan
from readiness.fitting import bass_fraction, shock_integral
from readiness.plan.check import MIN_MONTHS_AFTER
from readiness.plan.kinds import load_action_kinds

MONTHS = [f"{2025 + i // 12}-{i % 12 + 1:02d}" for i in range(36)]
#: People per division in the usage exports.
PEOPLE = {"Sales": 400, "Support": 300, "Engineering": 200}


def run(argv: Sequence[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def plan_file(tmp_path: Path, actions: str, extra: str = "") -> Path:
    path = tmp_path / "plan.yaml"
    path.write_text(f"format: readiness-plan\nformat_version: 1\nactions:\n{actions}{extra}")
    return path


PLAN = """\
  - kind: training
    start: 2026-01-01
  - kind: champions
    start: 2027-10-15
  - kind: local_support
    start: 2025-02-10
"""


@pytest.fixture
def history(tmp_path: Path) -> Path:
    """The bench's division with its exponential shock on 1 January 2026, as dated months."""
    obs = division(np.random.default_rng(10), "exponential")
    path = tmp_path / "history.csv"
    rows = "".join(f"{m}-01,{v}\n" for m, v in zip(MONTHS, obs.values, strict=True))
    path.write_text("period,value\n" + rows)
    return path


def _shares(effect: float) -> np.ndarray:
    """Monthly active shares of a division (months at their middle), a campaign of ``effect``
    from January to July 2026."""
    x = 2025 + (np.arange(36) + 0.5) / 12
    growth = x - (2025 - 3 / 12) + shock_integral("rectangular", 2026.0, 2026.5, effect, x)
    return np.asarray(0.7 * bass_fraction(growth, 0.02, 2.0))


@pytest.fixture
def usage(tmp_path: Path) -> tuple[Path, Path]:
    """An event log and a roster: Sales had a campaign from January 2026, the rest none."""
    roster = ["user,division,start_date,end_date"]
    events = ["user,timestamp,action"]
    for division_name, people in PEOPLE.items():
        users = [f"{division_name.lower()}{i:03d}@example.com" for i in range(people)]
        roster += [f"{user},{division_name},," for user in users]
        shares = _shares(1.0 if division_name == "Sales" else 0.0)
        for month, share in zip(MONTHS, shares, strict=True):
            events += [f"{user},{month}-10,post" for user in users[: round(share * people)]]
    (tmp_path / "roster.csv").write_text("\n".join(roster) + "\n")
    (tmp_path / "events.csv").write_text("\n".join(events) + "\n")
    return tmp_path / "events.csv", tmp_path / "roster.csv"


# --- from a history -----------------------------------------------------------------------------


def test_json_has_one_result_per_action(
    history: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = plan_file(tmp_path, PLAN)
    argv = ["plan", "check", "--plan", str(plan), "--history", str(history), "--format", "json"]
    code, out, err = run(argv, capsys)
    assert code == 0, err
    payload = json.loads(out)
    assert payload["plan"] == str(plan)
    trained, champions, early = payload["actions"]
    assert trained["action"] == 1
    assert trained["verdict"] == "supported"
    assert trained["shape"] == "exponential"
    assert trained["sentence"].startswith("Training across the whole organization from Jan 2026:")
    assert trained["effect"]["low"] < 1.0 < trained["effect"]["high"]
    assert trained["growth"]["value"] == pytest.approx(1 + trained["effect"]["value"])
    assert trained["effect"]["interval"].startswith("Wald")
    assert trained["measured_effect"]["effect"] == trained["effect"]["value"]
    assert trained["comparison"]["f_df"] == [2, 30]
    assert len(trained["curves"]) > 36
    assert set(trained["curves"][0]) == {"year", "observed", "with_action", "without_action"}
    assert trained["curves"][-1]["observed"] is None
    assert champions["verdict"] == "too early to tell"
    assert champions["months_after"] == 2
    assert champions["effect"]["value"] is None
    assert champions["measured_effect"] is None
    assert early == {
        "action": 3,
        "kind": "local_support",
        "scope": [],
        "start": "2025-02-10",
        "end": None,
        "error": "Local support contacts across the whole organization from Feb 2025: 2 measured"
        " months before the start (at least 3 needed: the curve without the action rests on"
        " them)",
    }


def test_the_table_has_a_line_and_the_sentences_per_action(
    history: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    measured = "measured:\n  training: {effect: 3.0, low: 2.5, high: 3.5, note: earlier}\n"
    plan = plan_file(tmp_path, PLAN, measured)
    code, out, err = run(["plan", "check", "--plan", str(plan), "--history", str(history)], capsys)
    assert code == 0, err
    lines = out.splitlines()
    assert re.split(r"  +", lines[0]) == [
        "#", "kind", "scope", "start", "verdict", "growth", "95% interval", "months after"
    ]  # fmt: skip
    assert re.split(r"  +", lines[1])[:5] == [
        "1", "training", "whole organization", "2026-01-01", "supported"
    ]  # fmt: skip
    assert "too early to tell" in lines[2]
    assert "error" in lines[3]
    assert "1. Training across the whole organization from Jan 2026: growth about " in out
    assert "   the plan keeps a measured 4.0x; measured " in out
    assert "2. Champions network across the whole organization from Oct 2027: too early" in out
    assert "3. error: Local support contacts across the whole organization from Feb 2025" in out


def test_csv_is_one_row_per_action(
    history: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = plan_file(tmp_path, PLAN)
    argv = ["plan", "check", "--plan", str(plan), "--history", str(history), "--format", "csv"]
    code, out, _ = run(argv, capsys)
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0]) == list(cli_plan.CSV_COLUMNS)
    assert [r["verdict"] for r in rows] == ["supported", "too early to tell", ""]
    assert rows[0]["scope"] == "whole organization"
    assert float(rows[0]["effect_low"]) < 1.0 < float(rows[0]["effect_high"])
    assert rows[2]["error"].startswith("Local support contacts")


def test_an_estimated_start_is_said(
    history: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = plan_file(tmp_path, "  - kind: training\n    start: 2026-01-01\n")
    argv = ["plan", "check", "--plan", str(plan), "--history", str(history), "--estimate-start"]
    code, out, err = run([*argv, "--format", "json"], capsys)
    assert code == 0, err
    (result,) = json.loads(out)["actions"]
    assert result["start_estimated"] is True
    assert result["effect"]["interval"].startswith("profile likelihood over the start")
    assert result["comparison"]["change_points"] == 1
    assert "(start estimated at " in result["sentence"]


# --- from usage exports -------------------------------------------------------------------------


def test_usage_checks_each_action_against_its_scope(
    usage: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    events, roster = usage
    actions = """\
  - kind: champions
    start: 2026-01-01
    end: 2026-07-01
    divisions: [Sales]
    staff_share: 0.44
  - kind: champions
    start: 2026-01-01
    end: 2026-07-01
    divisions: [Support, engineering]
    staff_share: 0.56
  - kind: training
    start: 2026-01-01
    divisions: [Finance]
    staff_share: 0.1
"""
    plan = plan_file(tmp_path, actions)
    argv = ["plan", "check", "--plan", str(plan), "--usage", str(events), "--roster", str(roster)]
    code, out, err = run([*argv, "--format", "json"], capsys)
    assert code == 0, err
    sales, others, finance = json.loads(out)["actions"]
    assert sales["verdict"] == "supported"
    assert sales["effect"]["low"] < 1.0 < sales["effect"]["high"]
    assert sales["sentence"].startswith("Champions network in Sales from Jan 2026: growth about")
    assert sales["curves"][0]["observed"] == pytest.approx(round(_shares(1.0)[0] * 400) / 400)
    # Support and Engineering pooled by their people, the name matched ignoring case.
    assert others["verdict"] != "supported"
    pooled = (round(_shares(0.0)[-1] * 300) + round(_shares(0.0)[-1] * 200)) / 500
    assert others["curves"][35]["observed"] == pytest.approx(pooled)
    assert finance["error"].startswith("division 'Finance' is not in the usage (its divisions: ")


def test_a_division_map_pairs_the_plans_names_with_the_usages(
    usage: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    events, roster = usage
    actions = (
        "  - {kind: champions, start: 2026-01-01, end: 2026-07-01, divisions: [Field sales],"
        " staff_share: 0.4}\n"
    )
    plan = plan_file(tmp_path, actions)
    names = tmp_path / "map.csv"
    names.write_text("survey division,measured division\nField sales,Sales\n")
    argv = ["plan", "check", "--plan", str(plan), "--usage", str(events), "--roster", str(roster)]
    code, out, err = run([*argv, "--map", str(names), "--format", "json"], capsys)
    assert code == 0, err
    (result,) = json.loads(out)["actions"]
    assert result["verdict"] == "supported"
    assert result["sentence"].startswith("Champions network in Field sales from Jan 2026")


def test_a_headcount_measures_the_whole_organization(
    usage: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    events, _ = usage
    plan = plan_file(tmp_path, "  - {kind: champions, start: 2026-01-01, end: 2026-07-01}\n")
    argv = ["plan", "check", "--plan", str(plan), "--usage", str(events), "--headcount", "900"]
    code, out, err = run([*argv, "--format", "csv"], capsys)
    assert code == 0, err
    (row,) = csv.DictReader(io.StringIO(out))
    assert row["scope"] == "whole organization"
    assert row["verdict"] in {"supported", "not supported"}


# --- bad input ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--usage", "EVENTS"], "--usage needs --roster FILE (people per division) or"),
        (["--history", "HISTORY", "--roster", "ROSTER"], "--roster, --headcount and --map are"),
        (["--usage", "EVENTS", "--headcount", "0"], "--headcount must be between 1 and"),
    ],
)
def test_options_that_do_not_go_together_are_one_line(
    options: list[str],
    message: str,
    history: Path,
    usage: tuple[Path, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    events, roster = usage
    files = {"EVENTS": str(events), "ROSTER": str(roster), "HISTORY": str(history)}
    plan = plan_file(tmp_path, PLAN)
    argv = ["plan", "check", "--plan", str(plan), *(files.get(o, o) for o in options)]
    code, out, err = run(argv, capsys)
    assert code == EXIT_BAD_INPUT
    assert out == ""
    assert err.startswith(f"error: {message}")
    assert err.count("\n") == 1


def test_a_plan_without_actions_or_with_an_unknown_kind_is_refused(
    history: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "empty.yaml"
    empty.write_text("format: readiness-plan\nformat_version: 1\nactions: []\n")
    code, _, err = run(["plan", "check", "--plan", str(empty), "--history", str(history)], capsys)
    assert code == EXIT_BAD_INPUT
    assert err == f"error: {empty}: the plan has no actions to check\n"
    unknown = plan_file(tmp_path, "  - {kind: hackathon, start: 2026-01-01}\n")
    argv = ["plan", "check", "--plan", str(unknown), "--history", str(history)]
    code, _, err = run(argv, capsys)
    assert code == EXIT_BAD_INPUT
    assert "action 1: unknown kind 'hackathon'" in err


def test_a_history_in_percent_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "percent.csv"
    path.write_text("period,value\n" + "".join(f"{m}-01,{10 + i}\n" for i, m in enumerate(MONTHS)))
    plan = plan_file(tmp_path, PLAN)
    code, out, err = run(["plan", "check", "--plan", str(plan), "--history", str(path)], capsys)
    assert code == EXIT_BAD_INPUT
    assert out == ""
    assert str(path) in err


# --- plan kinds ---------------------------------------------------------------------------------


def test_kinds_lists_each_kind_with_its_assumption_and_the_source(
    capsys: pytest.CaptureFixture[str],
) -> None:
    kinds = load_action_kinds()
    code, out, _ = run(["plan", "kinds", "--format", "json"], capsys)
    assert code == 0
    payload = json.loads(out)
    assert payload["source"] == kinds.source
    assert [k["id"] for k in payload["kinds"]] == list(kinds.ids)
    training = next(k for k in payload["kinds"] if k["id"] == "training")
    assert training == {
        "id": "training",
        "label": "Training",
        "dimension": "support",
        "change": 8.0,
        "shape": "exponential",
        "half_life_months": 6.0,
        "rationale": kinds.get("training").rationale,
    }
    code, out, _ = run(["plan", "kinds"], capsys)
    assert code == 0
    assert re.search(r"^training +Training +support \+8 points", out, flags=re.MULTILINE)
    assert "support +8 points" in out
    assert "exponential, half-life 6 months" in out
    assert out.rstrip().splitlines()[-1].startswith("source: Kinds and dimensions:")
    code, out, _ = run(["plan", "kinds", "--format", "csv"], capsys)
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["id"] for r in rows] == list(kinds.ids)


def test_the_help_figures_equal_their_owners() -> None:
    from readiness.cli import usage as cli_usage

    assert cli_plan.MIN_MONTHS_AFTER == MIN_MONTHS_AFTER
    assert cli_plan.MAX_HEADCOUNT == cli_usage.MAX_HEADCOUNT


def test_from_an_assessment_compares_the_plans_assumed_effect(
    history: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import datetime as dt

    from readiness.plan.effect import plan_effect_for
    from readiness.plan.model import read_plan_file
    from readiness.questionnaire import load_questionnaire
    from readiness.rules import load_rulebook
    from readiness.scoring import score_assessment

    answers = {"gr_active_share": 5, "su_sponsor": 1, "gr_self_start": 3, "to_easy_to_use": 3}
    assessment = tmp_path / "assessment.json"
    assessment.write_text(
        json.dumps({"organization": "Acme", "assessed_on": "2025-06-30", "answers": answers})
    )
    plan = plan_file(tmp_path, PLAN)
    argv = ["plan", "check", "--plan", str(plan), "--history", str(history)]
    code, out, err = run([*argv, "--from", str(assessment), "--format", "json"], capsys)
    assert code == 0, err
    trained = json.loads(out)["actions"][0]
    scores = score_assessment(load_questionnaire(), load_rulebook(), answers)
    effect = plan_effect_for(scores, answers, dt.date(2025, 6, 30), read_plan_file(plan))
    assumed = effect.shocks[0].in_scope_effect
    assert assumed > 0
    assert trained["plan_sentence"].startswith(f"the plan assumed {1 + assumed:.1f}x; measured ")
    assert trained["consistent_with_plan"] is (
        trained["effect"]["low"] <= assumed <= trained["effect"]["high"]
    )
    code, _, err = run([*argv, "--from", str(tmp_path / "missing.json")], capsys)
    assert code == EXIT_BAD_INPUT
    assert "missing.json" in err
