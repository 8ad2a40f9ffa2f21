"""The ``readiness template`` and ``readiness score`` commands: output contracts and bad input."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from scoring_fixtures import BEST, STRUGGLING, csv_cell, questionnaire

from readiness.cli import main
from readiness.data_dictionary import EXAMPLE_DIVISION

ASSESSMENT_KEYS = ["overall", "stage", "dimensions", "weakest", "org_model", "recommendations"]
DIMENSIONS = ["grassroots", "support", "tooling"]


def run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def write_json(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def write_csv(path: Path, rows: list[tuple[str, dict[str, Any]]]) -> Path:
    ids = questionnaire().item_ids
    lines = [",".join(["division", *ids])]
    for division, answers in rows:
        cells = [csv_cell(answers.get(i)) for i in ids]
        lines.append(",".join([division, *("" if c is None else str(c) for c in cells)]))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def assert_bad_input(
    capsys: pytest.CaptureFixture[str], argv: list[str | Path], expected: list[str]
) -> None:
    """Exit code 2, nothing on standard output, exactly these lines on standard error."""
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert out == ""
    assert err.splitlines() == [f"error: {line}" for line in expected]
    assert "Traceback" not in err


def assert_assessment_shape(data: dict[str, Any]) -> None:
    assert list(data)[: len(ASSESSMENT_KEYS)] == ASSESSMENT_KEYS
    assert data["overall"] is None or isinstance(data["overall"], int | float)
    assert data["stage"] is None or set(data["stage"]) == {"level", "name"}
    assert list(data["dimensions"]) == DIMENSIONS
    assert all(v is None or isinstance(v, int | float) for v in data["dimensions"].values())
    assert data["weakest"] is None or data["weakest"] in DIMENSIONS
    assert data["org_model"] is None or isinstance(data["org_model"], str)
    for recommendation in data["recommendations"]:
        assert list(recommendation) == ["id", "title", "reason"]
        assert all(isinstance(v, str) and v for v in recommendation.values())


# --- template ------------------------------------------------------------------------------------


def test_the_json_template_lists_every_item_id_with_a_null_answer(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(capsys, "template")
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert data["answers"] == dict.fromkeys(questionnaire().item_ids)
    assert "organization" in data


def test_the_csv_template_is_the_header_and_an_example_row_that_scores(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "template", "--format", "csv")
    assert code == 0
    header, example = list(csv.reader(io.StringIO(out)))
    assert header == ["division", *questionnaire().item_ids]
    assert example[0] == EXAMPLE_DIVISION
    frame = pd.read_csv(io.StringIO(out), keep_default_na=False)
    assert list(frame.columns) == header
    path = tmp_path / "template.csv"
    path.write_text(out, encoding="utf-8")
    code, out, err = run(capsys, "score", path)
    assert code == 0
    result = json.loads(out)
    # One respondent: scored as the whole organization, never as a division.
    assert result["divisions"] == {}
    assert result["overall"]["respondents"] == 1
    assert result["overall"]["overall"] is not None
    assert err.startswith("note: Fewer than 5 respondents in all: no results by division")


def test_the_data_dictionary_has_one_row_per_item_and_reads_back(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(capsys, "template", "--format", "dictionary")
    assert (code, err) == (0, "")
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == [
        "item id", "label", "question text", "kind", "valid values", "unit", "dimension",
    ]  # fmt: skip
    assert [row[0] for row in rows[1:]] == ["division", *questionnaire().item_ids]
    frame = pd.read_csv(io.StringIO(out), keep_default_na=False, dtype=str)
    assert len(frame) == len(questionnaire().items) + 1
    by_id = frame.set_index("item id")
    share = by_id.loc["gr_active_share"]
    assert (share["kind"], share["valid values"], share["unit"]) == (
        "number", "a number from 0 to 100", "percent",
    )  # fmt: skip
    assert share["dimension"] == "Grassroots activity"
    assert "4 = Agree" in str(by_id.loc["gr_self_start", "valid values"])
    assert "joint = Business and IT together" in str(by_id.loc["su_lead", "valid values"])
    assert "'none' when nothing applies" in str(by_id.loc["to_slates", "valid values"])
    assert by_id.loc["cx_org_model", "dimension"] == "context (not scored)"
    assert by_id.loc["su_lead", "question text"] == questionnaire().item("su_lead").text


def test_a_filled_in_template_scores(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "template")
    assert code == 0
    template = json.loads(out)
    template["organization"] = "Acme"
    template["answers"].update(STRUGGLING)
    code, out, err = run(capsys, "score", write_json(tmp_path / "acme.json", template))
    assert (code, err) == (0, "")
    assert json.loads(out)["overall"] == 43.49


# --- score: one assessment -----------------------------------------------------------------------


def test_scoring_an_assessment_prints_the_contract_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_json(tmp_path / "acme.json", {"organization": "Acme", "answers": STRUGGLING})
    code, out, err = run(capsys, "score", path)
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert list(data) == ASSESSMENT_KEYS
    code, out, _ = run(capsys, "score", path, "--format", "table")
    assert "Lever     support, from the assumed mapping (data/levers.yaml)" in out
    assert_assessment_shape(data)
    assert data["overall"] == 43.49
    assert data["stage"] == {"level": 2, "name": "Experimenting"}
    assert data["dimensions"] == {"grassroots": 62.22, "support": 17.5, "tooling": 50.74}
    assert data["weakest"] == "support"
    assert data["org_model"] == "organic"
    ids = [r["id"] for r in data["recommendations"]]
    assert {
        "local-support-missing",
        "connect-unconnected-projects",
        "it-led",
        "no-evangelists",
    } <= set(ids)
    it_led = next(r for r in data["recommendations"] if r["id"] == "it-led")
    assert it_led == {
        "id": "it-led",
        "title": "Hand the lead to the business",
        "reason": "Who leads the initiative: IT",
    }


def test_an_assessment_with_too_few_answers_has_null_scores(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_json(tmp_path / "a.json", {"organization": "Acme", "answers": {"su_lead": "it"}})
    code, out, _ = run(capsys, "score", path)
    assert code == 0
    data = json.loads(out)
    assert_assessment_shape(data)
    assert data["overall"] is None
    assert data["stage"] is None
    assert data["dimensions"] == dict.fromkeys(DIMENSIONS)
    assert [r["id"] for r in data["recommendations"]] == ["it-led"]


def test_dimension_weights_can_be_given_on_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_json(tmp_path / "a.json", {"organization": "Acme", "answers": STRUGGLING})
    code, out, _ = run(capsys, "score", path, "--weight", "support=0")
    assert code == 0
    # (62.22 + 50.74) / 2
    assert json.loads(out)["overall"] == pytest.approx(56.48, abs=0.01)


def test_the_table_format_shows_overall_stage_dimensions_and_advice(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_json(tmp_path / "a.json", {"organization": "Acme", "answers": STRUGGLING})
    code, out, _ = run(capsys, "score", path, "--format", "table")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "Overall   43.5"
    assert lines[1] == "Stage     2 Experimenting"
    assert "Weakest   support (barrier)" in lines
    assert "  - Hand the lead to the business  [Who leads the initiative: IT]" in lines


# --- score: a respondents table ------------------------------------------------------------------


def test_scoring_a_respondents_csv_prints_overall_and_per_division_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sales = [("Sales", STRUGGLING), ("Sales", BEST)] * 3
    path = write_csv(tmp_path / "survey.csv", [*sales, *[("R&D", BEST)] * 5])
    code, out, err = run(capsys, "score", path)
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert list(data) == ["overall", "divisions", "min_group_size", "groups_note"]
    assert set(data["divisions"]) == {"Sales", "R&D"}
    assert (data["min_group_size"], data["groups_note"]) == (5, None)
    for group in (data["overall"], *data["divisions"].values()):
        assert_assessment_shape(group)
        assert isinstance(group["respondents"], int)
    assert data["overall"]["respondents"] == 11
    assert data["divisions"]["Sales"]["respondents"] == 6
    assert data["divisions"]["R&D"]["respondents"] == 5
    assert data["divisions"]["R&D"]["dimensions"] == dict.fromkeys(DIMENSIONS, 100.0)
    assert data["divisions"]["Sales"]["dimensions"]["support"] == pytest.approx(58.75)


def test_the_table_format_shows_one_line_per_group(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_csv(tmp_path / "survey.csv", [("Sales", STRUGGLING), ("R&D", BEST)] * 5)
    code, out, _ = run(capsys, "score", path, "--format", "table")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == [
        "group",
        "respondents",
        "overall",
        "grassroots",
        "support",
        "tooling",
        "stage",
        "agreement",
    ]
    assert lines[1].startswith("All respondents")
    assert len(lines) == 4


MERGED = [("Operations", BEST)] * 6 + [("Marketing", STRUGGLING)] * 6 + [("Legal", BEST)] * 3


@pytest.mark.parametrize("fmt", ["json", "table", "csv"])
def test_a_division_of_three_is_merged_with_the_next_smallest_in_every_format(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    path = write_csv(tmp_path / "survey.csv", MERGED)
    code, out, err = run(capsys, "score", path, "--format", fmt)
    assert code == 0
    assert "Legal" not in out
    assert "Marketing" not in out
    assert err.startswith(
        "note: 2 divisions (1 with fewer than 5 respondents and the next smallest) merged into "
        "'other divisions'. Divisions with fewer than 5 respondents are merged"
    )
    assert "anonymity" in err
    if fmt == "json":
        sizes = {k: v["respondents"] for k, v in json.loads(out)["divisions"].items()}
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(out)))
        assert rows[0]["group"] == "All respondents"
        assert rows[0]["respondents"] == "15"
        sizes = {row["group"]: int(row["respondents"]) for row in rows[1:]}
    else:
        lines = out.splitlines()[2:]
        sizes = {line[:15].strip(): int(line[15:].split()[0]) for line in lines}
    assert sizes == {"Operations": 6, "other divisions": 9}


def test_the_csv_format_is_one_formula_safe_row_per_group(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_csv(tmp_path / "survey.csv", [("=1+2", BEST), ("R&D", STRUGGLING)] * 5)
    code, out, err = run(capsys, "score", path, "--format", "csv")
    assert (code, err) == (0, "")
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == [
        "group",
        "respondents",
        "overall",
        *DIMENSIONS,
        "stage",
        "agreement",
        "low_agreement",
    ]
    assert [row[:2] for row in rows[1:]] == [
        ["All respondents", "10"],
        ["'=1+2", "5"],
        ["R&D", "5"],
    ]
    assert rows[2][2] == "100.0"
    assert rows[2][-2:] == ["1.0", "False"]


def test_the_csv_format_of_an_assessment_is_bad_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_json(tmp_path / "a.json", {"organization": "A", "answers": {}})
    assert_bad_input(
        capsys,
        ["score", path, "--format", "csv"],
        [f"{path}: --format csv is for a respondents table (.csv)"],
    )


# --- bad input: exit code 2, one line per problem, no traceback -----------------------------------


def test_an_unknown_item_id_is_bad_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_json(tmp_path / "a.json", {"organization": "A", "answers": {"su_leader": "it"}})
    assert_bad_input(capsys, ["score", path], [f"{path}: answers.su_leader: unknown item id"])


def test_an_answer_out_of_range_is_bad_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_json(
        tmp_path / "a.json", {"organization": "A", "answers": {"gr_active_share": 150}}
    )
    assert_bad_input(
        capsys,
        ["score", path],
        [f"{path}: answers.gr_active_share: 150 is out of range (0 to 100)"],
    )


def test_an_answer_of_the_wrong_type_is_bad_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = {"gr_self_start": "agree", "su_lead": "maybe", "to_slates": 3}
    path = write_json(tmp_path / "a.json", {"organization": "A", "answers": answers})
    assert_bad_input(
        capsys,
        ["score", path],
        [
            f"{path}: answers.gr_self_start: expected a number, got 'agree'",
            f"{path}: answers.su_lead: 'maybe' is not one of business, joint, it, nobody",
            f"{path}: answers.to_slates: expected a list of option ids "
            "(search, links, authoring, tags, extensions, signals), got 3",
        ],
    )


def test_a_json_file_without_answers_is_bad_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_json(tmp_path / "a.json", [1, 2])
    assert_bad_input(
        capsys,
        ["score", path],
        [f"{path}: expected a JSON object with 'organization' and 'answers'"],
    )
    path = write_json(tmp_path / "b.json", {"organization": "A", "colour": "red"})
    assert_bad_input(
        capsys,
        ["score", path],
        [
            f"{path}: unknown field 'colour'",
            f"{path}: field answers: expected an object of item id -> answer",
        ],
    )


def test_malformed_json_is_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "a.json"
    path.write_text('{"organization": "A",\n "answers": {,}}\n', encoding="utf-8")
    assert_bad_input(
        capsys,
        ["score", path],
        [
            f"{path}: not valid JSON (line 2, column 14: "
            "Expecting property name enclosed in double quotes)"
        ],
    )


def test_a_json_file_in_the_wrong_encoding_is_bad_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "a.json"
    path.write_bytes('{"organization": "Café"}'.encode("latin-1"))
    assert_bad_input(
        capsys,
        ["score", path],
        [f"{path}: not UTF-8 text (byte 0xe9 at position 21); save the file as UTF-8"],
    )


def test_an_empty_file_is_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for name in ("a.json", "b.csv"):
        path = tmp_path / name
        path.write_text("\n", encoding="utf-8")
        assert_bad_input(capsys, ["score", path], [f"{path}: the file is empty"])


def test_a_missing_file_is_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for name in ("missing.json", "missing.csv"):
        path = tmp_path / name
        assert_bad_input(capsys, ["score", path], [f"{path}: file not found"])


def test_a_file_that_is_neither_json_nor_csv_is_bad_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "answers.txt"
    path.write_text("hello", encoding="utf-8")
    assert_bad_input(
        capsys,
        ["score", path],
        [f"{path}: expected a .json assessment or a .csv respondents table"],
    )


def test_a_minimum_group_size_that_is_not_a_number_is_bad_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_csv(tmp_path / "survey.csv", MERGED)
    monkeypatch.setenv("READINESS_MIN_GROUP_SIZE", "five")
    code, out, err = run(capsys, "score", path)
    assert (code, out) == (2, "")
    assert "READINESS_MIN_GROUP_SIZE: Input should be a valid integer" in err
    assert "Traceback" not in err
    assert "unexpected error" not in err


def test_bad_csv_cells_are_bad_input_naming_file_row_and_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "survey.csv"
    path.write_text("division,gr_self_start,su_lead\nA,3,it\nB,7,maybe\n", encoding="utf-8")
    assert_bad_input(
        capsys,
        ["score", path],
        [
            f"{path}: row 3, field gr_self_start: expected a whole number from 1 to 5, got 7",
            f"{path}: row 3, field su_lead: 'maybe' is not one of business, joint, it, nobody",
        ],
    )


def test_a_malformed_csv_is_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "survey.csv"
    path.write_text("gr_self_start,su_lead\n3,it\n4,it,extra\n", encoding="utf-8")
    assert_bad_input(
        capsys,
        ["score", path],
        [f"{path}: not a well-formed CSV file (row 3 has 3 fields, the header has 2)"],
    )


def test_a_csv_in_the_wrong_encoding_is_bad_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "survey.csv"
    path.write_bytes("division,gr_self_start\nVerkäufer,3\n".encode("latin-1"))
    assert_bad_input(
        capsys,
        ["score", path],
        [f"{path}: not UTF-8 text (byte 0xe4 at position 27); save the file as UTF-8"],
    )


def test_a_bad_weight_option_is_bad_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_json(tmp_path / "a.json", {"organization": "A", "answers": STRUGGLING})
    assert_bad_input(
        capsys,
        ["score", path, "--weight", "support=heavy"],
        ["--weight 'support=heavy': expected DIMENSION=NUMBER"],
    )
    assert_bad_input(
        capsys,
        ["score", path, "--weight", "culture=2"],
        ["dimension weights: unknown dimension culture"],
    )


@pytest.mark.parametrize(
    ("weight", "message"),
    [
        ("support=1e308", "--weight: the weights are too large (their total overflows)"),
        ("support=inf", "--weight 'support=inf': the weight must be a finite number"),
        ("support=nan", "--weight 'support=nan': the weight must be a finite number"),
        ("support=-1e400", "--weight 'support=-1e400': the weight must be a finite number"),
    ],
)
def test_a_weight_that_is_not_finite_or_overflows_the_total_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], weight: str, message: str
) -> None:
    assessment = write_json(tmp_path / "a.json", {"organization": "A", "answers": BEST})
    respondents = write_csv(tmp_path / "r.csv", [("Sales", BEST)])
    for path in (assessment, respondents):
        code, out, err = run(capsys, "score", path, "--weight", weight)
        assert (code, out) == (2, "")
        assert err.startswith(f"error: {message}")
        assert "Infinity" not in err


def test_a_huge_but_finite_weight_still_prints_strict_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_json(tmp_path / "a.json", {"organization": "A", "answers": BEST})
    code, out, _ = run(capsys, "score", path, "--weight", "support=1e300")
    assert code == 0
    data = json.loads(out, parse_constant=lambda name: pytest.fail(f"non-strict JSON: {name}"))
    assert 0 <= data["overall"] <= 100


def test_ignored_columns_are_a_note_on_stderr_and_the_scores_still_print(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_csv(tmp_path / "r.csv", [("NA", BEST), ("Sales", STRUGGLING)] * 5)
    lines = path.read_text(encoding="utf-8").splitlines()
    lines = [f"{'Timestamp' if k == 0 else '2026-11-02'},{line},x" for k, line in enumerate(lines)]
    lines[0] += "colour"
    lines[0] = lines[0].replace(",x", ",")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out, err = run(capsys, "score", path)
    assert code == 0
    assert err == (
        f"note: {path}: Survey tool columns ignored: 'Timestamp'; columns ignored (not a "
        "question of the questionnaire): 'colour'\n"
    )
    assert sorted(json.loads(out)["divisions"]) == ["NA", "Sales"]


def test_a_duplicate_column_is_bad_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "r.csv"
    path.write_text("gr_self_start,gr_self_start \n3,4\n", encoding="utf-8")
    assert_bad_input(
        capsys,
        ["score", path],
        [
            f"{path}: columns 1 ('gr_self_start') and 2 ('gr_self_start') both hold item "
            "gr_self_start; keep one"
        ],
    )


def test_bad_input_in_a_real_process_exits_2_without_a_traceback(tmp_path: Path) -> None:
    path = write_json(tmp_path / "a.json", {"organization": "A", "answers": {"su_lead": "maybe"}})
    result = subprocess.run(
        [sys.executable, "-m", "readiness.cli", "score", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == (
        f"error: {path}: answers.su_lead: 'maybe' is not one of business, joint, it, nobody\n"
    )
