"""The plan model, its kinds of action and its file format (readiness.plan.model, .kinds): round
trips through YAML and JSON, bad files named by action and field, hostile YAML refused."""

from __future__ import annotations

import datetime as dt
import json
import math
import time
from pathlib import Path

import pytest
from pydantic import ValidationError

from readiness.errors import InputError
from readiness.plan.kinds import ActionKind, ActionKinds, load_action_kinds
from readiness.plan.model import (
    MAX_ACTIONS,
    MeasuredEffect,
    Plan,
    PlanAction,
    plan_from_data,
    plan_text,
    read_plan_bytes,
    read_plan_file,
)
from readiness.waves import DimensionStats, WaveSummary

PLAN = Plan(
    actions=(
        PlanAction(
            kind="champions",
            start=dt.date(2027, 3, 1),
            divisions=("Sales", "Support"),
            staff_share=0.2,
            note="two évangélistes per floor",
        ),
        PlanAction(kind="training", start=dt.date(2027, 6, 1), end=dt.date(2027, 9, 30)),
    ),
    measured={
        "champions": MeasuredEffect(effect=0.8, low=0.3, high=1.4, note="Sales, Mar-Feb"),
        "training": MeasuredEffect(effect=0.4, low=-0.1, high=0.9, half_life_months=5),
    },
    waves=(
        WaveSummary(
            label="March wave",
            surveyed_on=dt.date(2027, 3, 15),
            respondents=240,
            groups={"All respondents": {"support": DimensionStats(n=240, mean=41.5, sd=12.0)}},
        ),
    ),
)


def problems(data: bytes | str, name: str = "plan.yaml") -> list[str]:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    with pytest.raises(InputError) as caught:
        read_plan_bytes(raw, name)
    return caught.value.problems


# --- round trips --------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_a_plan_round_trips_through_its_file_format(fmt: str) -> None:
    text = plan_text(PLAN, fmt)  # type: ignore[arg-type]
    assert read_plan_bytes(text.encode("utf-8"), f"plan.{fmt}") == PLAN
    if fmt == "json":
        body = json.loads(text)
        assert body["format"] == "readiness-plan"
        assert body["format_version"] == 1
        assert body["actions"][1] == {
            "kind": "training",
            "start": "2027-06-01",
            "end": "2027-09-30",
        }
    else:
        assert text.startswith("format: readiness-plan\nformat_version: 1\n")
        assert "évangélistes" in text  # written as text, not escapes


def test_a_file_on_disk_reads_the_same(tmp_path: Path) -> None:
    path = tmp_path / "plan.yaml"
    path.write_text(plan_text(PLAN), encoding="utf-8")
    assert read_plan_file(path) == PLAN
    with_bom = tmp_path / "bom.json"
    with_bom.write_bytes(b"\xef\xbb\xbf" + plan_text(PLAN, "json").encode("utf-8"))
    assert read_plan_file(with_bom) == PLAN


def test_an_empty_plan_and_the_format_lines_are_optional() -> None:
    assert read_plan_bytes(b"actions: []\n", "p.yaml") == Plan()
    assert read_plan_bytes(b"{}", "p.json").empty
    assert read_plan_bytes(plan_text(Plan()).encode(), "p.yaml") == Plan()


def test_scope_reach_and_words() -> None:
    whole = PlanAction(kind="champions", start=dt.date(2027, 1, 1))
    assert whole.reach == 1.0
    assert whole.scope_text == "the whole organization"
    three = PlanAction(
        kind="champions",
        start=dt.date(2027, 1, 1),
        divisions=(" Sales", "Support ", "Ops", "Sales"),
        staff_share=0.35,
    )
    assert three.divisions == ("Sales", "Support", "Ops")  # trimmed, repeats dropped
    assert three.reach == 0.35
    assert three.scope_text == "Sales, Support and Ops (35% of staff)"
    assert PlanAction(kind="x", start=dt.date(2027, 1, 1), staff_share=1.0).reach == 1.0


# --- bad files, named by file, action and field -------------------------------------------------


def test_divisions_without_staff_share_name_the_action() -> None:
    lines = problems(
        "actions:\n  - kind: champions\n    start: 2027-03-01\n    divisions: [Sales]\n"
    )
    assert len(lines) == 1
    assert lines[0].startswith("plan.yaml: action #1")
    assert "needs staff_share" in lines[0]


def test_the_end_before_the_start_names_the_action() -> None:
    lines = problems(
        "actions:\n  - kind: champions\n    start: 2027-03-01\n"
        "  - kind: training\n    start: 2027-03-01\n    end: 2027-03-01\n"
    )
    assert lines == ["plan.yaml: action #2: the end 2027-03-01 must be after the start 2027-03-01"]


def test_a_bad_field_is_named_by_action_and_field() -> None:
    lines = problems(
        "actions:\n  - kind: champions\n    start: 2027-03-01\n"
        "  - kind: champions\n    start: someday\n    divisions: [A]\n    staff_share: 1.5\n"
    )
    assert any(line.startswith("plan.yaml: action #2, field start:") for line in lines)
    assert any(line.startswith("plan.yaml: action #2, field staff_share:") for line in lines)
    assert all(line.startswith("plan.yaml: ") for line in lines)


def test_the_whole_organization_reaches_all_staff() -> None:
    lines = problems("actions:\n  - kind: champions\n    start: 2027-03-01\n    staff_share: 0.4\n")
    assert "reaches all staff" in lines[0]
    assert lines[0].startswith("plan.yaml: action #1")


def test_an_unknown_kind_names_the_action_and_the_kinds_there_are() -> None:
    lines = problems(
        "actions:\n  - kind: champions\n    start: 2027-03-01\n"
        "  - kind: bake_sale\n    start: 2027-03-01\n"
    )
    assert len(lines) == 1
    assert "action 2: unknown kind 'bake_sale'" in lines[0]
    for kind in load_action_kinds().ids:
        assert kind in lines[0]
    measured = problems("measured: {bake_sale: {effect: 0.5, low: 0, high: 1}}\n")
    assert "measured: unknown kind 'bake_sale'" in measured[0]


def test_a_measured_interval_must_hold_its_effect() -> None:
    lines = problems("measured: {champions: {effect: 2, low: 0, high: 1}}\n")
    assert "plan.yaml: field measured" in lines[0]
    assert "low <= effect <= high" in lines[0]
    with pytest.raises(ValidationError):
        MeasuredEffect(effect=-1.5, low=-2, high=0)


def test_a_plan_holds_at_most_twelve_actions() -> None:
    rows = "".join("  - {kind: champions, start: 2027-01-01}\n" for _ in range(MAX_ACTIONS + 1))
    lines = problems("actions:\n" + rows)
    assert "at most 12" in lines[0]
    ok = "".join("  - {kind: champions, start: 2027-01-01}\n" for _ in range(MAX_ACTIONS))
    assert len(read_plan_bytes(("actions:\n" + ok).encode(), "p.yaml").actions) == MAX_ACTIONS


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "format: readiness-assessment\n",
            "format 'readiness-assessment' is not a 'readiness-plan' file",
        ),
        ("format_version: 2\n", "format_version 2 is not supported (this version reads 1)"),
        ("- kind: champions\n", "a plan is a mapping with 'actions', not list"),
        ("just words\n", "a plan is a mapping with 'actions', not str"),
        ("null\n", "a plan is a mapping with 'actions', not NoneType"),
        ("actions: {kind: champions}\n", "field actions"),
        ("actions: [\n", "not a YAML or JSON plan at line 2"),
        ("surprise: 1\n", "field surprise: Extra inputs are not permitted"),
    ],
)
def test_what_is_no_plan_is_said_naming_the_file(text: str, message: str) -> None:
    lines = problems(text, "my plan.yaml")
    assert all(line.startswith("my plan.yaml") for line in lines)
    assert any(message in line for line in lines), lines


@pytest.mark.parametrize(
    "data",
    [b"", b"\xef\xbb\xbf", b"\xff\xfe\x00\x00", b"\xc3\x28 not utf-8", "{}".encode("utf-16")],
)
def test_empty_and_undecodable_files_name_the_file(data: bytes) -> None:
    lines = problems(data, "p.yaml")
    assert lines
    assert all("p.yaml" in line for line in lines)


def test_a_missing_file_names_the_option(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"--plan .*nope\.yaml: file not found"):
        read_plan_file(tmp_path / "nope.yaml")


# --- hostile YAML -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "!!python/object/apply:os.system ['echo pwned']\n",
        "actions: !!python/name:os.system\n",
        "? [a, b]\n: 1\n",
        "actions: !!binary AAAA\n",
        "actions:\n  - kind: champions\n    start: 2027-03-01 10:00:00\n",
        "actions:\n  - {kind: champions, start: 2027-01-01, divisions: [A], staff_share: .nan}\n",
        "actions:\n  - {kind: champions, start: 2027-01-01, divisions: [A], staff_share: .inf}\n",
        "actions:\n  - {kind: champions, start: 2027-01-01,"
        ' divisions: ["a\\x1bb"], staff_share: 1}\n',
        'actions:\n  - {kind: champions, start: 2027-01-01, divisions: ["'
        + "x" * 201
        + '"], staff_share: 1}\n',
        'actions:\n  - {kind: champions, start: 2027-01-01, note: "' + "x" * 501 + '"}\n',
        'actions:\n  - {kind: "' + "k" * 41 + '", start: 2027-01-01}\n',
        "1: 2\n",
    ],
)
def test_hostile_yaml_is_refused_in_lines_naming_the_file(text: str) -> None:
    lines = problems(text, "evil.yaml")
    assert lines
    assert all(line.startswith("evil.yaml") for line in lines), lines


def test_an_alias_bomb_is_refused_quickly() -> None:
    levels = ["a: &a [1, 2, 3, 4, 5, 6, 7, 8, 9]"]
    for n in range(1, 8):
        previous = chr(ord("a") + n - 1)
        levels.append(
            f"{chr(ord('a') + n)}: &{chr(ord('a') + n)} [{', '.join(['*' + previous] * 9)}]"
        )
    bomb = "\n".join(levels) + "\n"
    begin = time.perf_counter()
    lines = problems(bomb, "bomb.yaml")
    assert time.perf_counter() - begin < 5.0
    assert all(line.startswith("bomb.yaml") for line in lines)


def test_a_merge_key_still_reads_as_the_mapping_it_makes() -> None:
    plan = read_plan_bytes(
        b"actions:\n  - <<: {kind: champions}\n    start: 2027-01-01\n", "merge.yaml"
    )
    assert plan.actions[0].kind == "champions"


# --- kinds --------------------------------------------------------------------------------------


def test_the_shipped_kinds_are_sourced_and_their_fades_are_half_lives() -> None:
    kinds = load_action_kinds()
    assert kinds.source
    assert {"champions", "training", "common_platform"} <= set(kinds.ids)
    for kind in kinds.kinds:
        assert kind.rationale
        if kind.shape == "exponential":
            assert kind.half_life_months is not None
            assert kind.fade_per_year is not None
            # after one half-life the effect is halved
            assert math.exp(kind.fade_per_year * kind.half_life_months / 12) == pytest.approx(0.5)
        else:
            assert kind.fade_per_year is None
    assert kinds.get("common_platform").dimension == "tooling"


def test_a_kind_that_fades_needs_a_half_life_and_one_that_lasts_has_none() -> None:
    base = {"id": "k", "label": "K", "dimension": "support", "change": 5, "rationale": "r"}
    with pytest.raises(ValidationError, match="needs half_life_months"):
        ActionKind.model_validate({**base, "shape": "exponential"})
    with pytest.raises(ValidationError, match="does not fade"):
        ActionKind.model_validate({**base, "shape": "rectangular", "half_life_months": 6})
    with pytest.raises(ValidationError):
        ActionKind.model_validate({**base, "shape": "rectangular", "dimension": "budget"})


def test_kind_ids_are_unique_and_an_unknown_one_lists_the_known() -> None:
    kind = {
        "id": "k",
        "label": "K",
        "dimension": "support",
        "change": 5,
        "shape": "rectangular",
        "rationale": "r",
    }
    with pytest.raises(ValidationError, match="used more than once: k"):
        ActionKinds.model_validate({"source": "s", "kinds": [kind, kind]})
    kinds = ActionKinds.model_validate({"source": "s", "kinds": [kind]})
    with pytest.raises(InputError, match="unknown action kind 'x': the kinds are k"):
        kinds.get("x")


def test_a_bad_kinds_file_is_named(tmp_path: Path) -> None:
    path = tmp_path / "actions.yaml"
    path.write_text("source: s\nkinds:\n  - id: Bad Id\n    label: x\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_action_kinds(path)
    assert all(str(path) in line for line in caught.value.problems)


def test_plan_from_data_checks_kinds_against_the_file() -> None:
    body = {"actions": [{"kind": "training", "start": "2027-01-01"}]}
    assert plan_from_data(body, "x").actions[0].kind == "training"
