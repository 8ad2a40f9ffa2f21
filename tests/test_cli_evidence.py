"""``readiness evidence``: a survey's scale quality and agreement as a table, JSON and CSV, in the
dashboard's words; small divisions merged in every format; bad input one named line, exit 2."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from survey_fixtures import survey_csv

from readiness.cli import evidence as cli_evidence
from readiness.cli import main
from readiness.evidence.survey_evidence import (
    MIN_SCALE_RESPONDENTS,
    MISSING_ANSWERS,
    SurveyEvidence,
    survey_evidence,
)
from readiness.questionnaire import load_questionnaire
from readiness.settings import DEFAULT_MIN_GROUP_SIZE
from readiness.survey import read_respondents_file

SIZES = {"Sales": 40, "IT": 30, "Operations": 20, "Legal": 3}
NOISE = ["to_reach", "to_rigid_structure"]


def run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def survey(tmp_path: Path) -> Path:
    path = tmp_path / "survey.csv"
    path.write_bytes(survey_csv(SIZES, noise=NOISE))
    return path


def _evidence(path: Path) -> SurveyEvidence:
    q = load_questionnaire()
    return survey_evidence(q, read_respondents_file(q, path), str(path))


def test_the_table_says_it_in_the_dashboard_s_words(
    capsys: pytest.CaptureFixture[str], survey: Path
) -> None:
    code, out, err = run(capsys, "evidence", "--survey", survey)
    assert code == 0
    evidence = _evidence(survey)
    for sentence in [*evidence.quality_sentences, *evidence.comparison_sentences]:
        assert f"\n{sentence}\n" in out
    assert "its items disagree" in out  # Tooling, two items answered at random
    assert MISSING_ANSWERS in out
    assert "Alpha 95% interval" in out
    assert "lowers alpha most" in out
    for name in ("Legal", "Operations"):  # merged, never alone
        assert name not in out
    assert "other divisions" in out
    assert err.startswith("note: Divisions with fewer than 5 respondents are merged")


def test_the_json_is_the_evidence_strict_and_rounded(
    capsys: pytest.CaptureFixture[str], survey: Path
) -> None:
    code, out, _ = run(capsys, "evidence", "--survey", survey, "--format", "json")
    assert code == 0
    data = json.loads(out, parse_constant=lambda name: pytest.fail(f"{name} in JSON"))
    assert data == json.loads(json.dumps(_evidence(survey).to_json()))
    assert data["missing_answers"] == MISSING_ANSWERS
    assert [d["dimension"] for d in data["dimensions"]] == ["grassroots", "support", "tooling"]
    tooling = data["dimensions"][2]
    assert tooling["quality"].startswith("Tooling: alpha ")
    assert [g["group"] for g in tooling["groups"]] == ["Sales", "IT", "other divisions"]
    assert all(0 <= g["rwg_j"] <= 1 for g in tooling["groups"])
    assert all(len(str(v).split(".")[-1]) <= 4 for v in (tooling["alpha"], tooling["icc2"]))


def test_the_csv_reads_back_one_row_per_dimension_and_group_then_per_item(
    capsys: pytest.CaptureFixture[str], survey: Path
) -> None:
    code, out, _ = run(capsys, "evidence", "--survey", survey, "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    scales = [r for r in rows if not r["item"]]
    items = [r for r in rows if r["item"]]
    assert [(r["dimension"], r["group"]) for r in scales[:4]] == [
        ("Grassroots activity", "All respondents"),
        ("Grassroots activity", "Sales"),
        ("Grassroots activity", "IT"),
        ("Grassroots activity", "other divisions"),
    ]
    assert len(scales) == 12
    assert len(items) == 6 + 5 + 5
    evidence = _evidence(survey)
    everyone = evidence.dimensions[0].reliability
    assert everyone is not None
    assert everyone.alpha is not None
    assert float(scales[0]["alpha"]) == pytest.approx(everyone.alpha, abs=1e-4)
    assert int(scales[1]["respondents"]) == 40
    reach = next(r for r in items if r["item"] == "Reachable where we work")
    assert reach["reading"] in ("lowers alpha", "lowers alpha most")
    assert "Legal" not in out


def test_a_survey_too_small_for_figures_says_so_in_every_format(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "small.csv"
    path.write_bytes(survey_csv({"Sales": 3, "IT": 3}))
    code, out, err = run(capsys, "evidence", "--survey", path)
    assert code == 0
    assert out.count("too few respondents to tell whether its items agree") == 3
    assert f"alpha needs at least {MIN_SCALE_RESPONDENTS}" in out
    assert "Sales" not in out
    assert "only the whole organization" in err
    code, out, _ = run(capsys, "evidence", "--survey", path, "--format", "json")
    assert code == 0
    assert all(d["alpha"] is None for d in json.loads(out)["dimensions"])


def test_a_row_with_a_problem_is_one_named_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    lines = survey_csv({"Sales": 10}).decode().splitlines()
    header = lines[0].split(",")
    broken = lines[3].split(",")
    broken[header.index("su_sponsor")] = "9"
    path = tmp_path / "broken.csv"
    path.write_text("\n".join([*lines[:3], ",".join(broken), *lines[4:]]) + "\n")
    code, out, err = run(capsys, "evidence", "--survey", path)
    assert code == 2
    assert out == ""
    (line,) = err.splitlines()
    assert line.startswith("error: ")
    assert "row 4" in line
    assert "su_sponsor" in line


@pytest.mark.parametrize(
    ("content", "expected"),
    [(b"", "the file is empty"), (b"a,b\n1,2\n", "no column is a question")],
)
def test_a_file_that_is_no_survey_is_one_named_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, content: bytes, expected: str
) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes(content)
    code, out, err = run(capsys, "evidence", "--survey", path)
    assert code == 2
    assert out == ""
    (line,) = err.splitlines()
    assert str(path) in line
    assert expected in line


def test_without_a_survey_argparse_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["evidence"])
    assert stopped.value.code == 2
    assert "--survey" in capsys.readouterr().err


def test_the_figures_help_shows_are_their_owners() -> None:
    assert cli_evidence.MIN_GROUP_SIZE == DEFAULT_MIN_GROUP_SIZE
    assert cli_evidence.MIN_SCALE_RESPONDENTS == MIN_SCALE_RESPONDENTS


# --- with --usage: drivers and the levers tested -------------------------------------------------

EVIDENCE = Path(__file__).parent / "data" / "evidence"


def _usage_argv(*extra: str | Path) -> list[str | Path]:
    return [
        "evidence",
        "--survey",
        EVIDENCE / "survey.csv",
        "--usage",
        EVIDENCE / "events.csv",
        "--roster",
        EVIDENCE / "roster.csv",
        *extra,
    ]


def test_usage_adds_drivers_and_the_calibrated_mapping_with_one_name_mapped(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    names = tmp_path / "map.csv"
    names.write_text("survey division,measured division\nSales,Sales & Marketing\n")
    code, out, _ = run(capsys, *_usage_argv("--map", names, "--format", "json"))
    assert code == 0
    data = json.loads(out)
    assert data["divisions"]["paired"]["Sales"] == "Sales & Marketing"
    assert data["divisions"]["unpaired_survey"] == []
    assert {d["outcome"] for d in data["drivers"]} == {
        "Latest monthly active share",
        "Growth of the fitted curve",
    }
    assert data["calibration"]["verdict"] == "offer"
    assert data["calibration"]["mapping"]["effects"]
    assert data["levers"]["assumed"]["ranking"][0] != data["levers"]["calibrated"]["ranking"][0]

    code, out, _ = run(capsys, *_usage_argv("--map", names))
    assert code == 0
    assert "Strong enough to offer" in out
    assert "Drivers of measured adoption" in out

    code, out, _ = run(capsys, *_usage_argv("--format", "csv"))
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["part", "what", "dimension", "value", "low", "high", "verdict"]
    assert {r[0] for r in rows[1:]} == {"driver", "calibrated number"}


def test_usage_options_are_refused_without_what_they_need(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run(
        capsys, "evidence", "--survey", EVIDENCE / "survey.csv", "--usage", EVIDENCE / "events.csv"
    )
    assert code == 2
    assert "--usage needs --roster FILE" in err
    code, _, err = run(
        capsys, "evidence", "--survey", EVIDENCE / "survey.csv", "--roster", EVIDENCE / "roster.csv"
    )
    assert code == 2
    assert "--roster and --map are for --usage" in err
    bad = tmp_path / "map.json"
    bad.write_text('{"pairs": [{"survey": "Salse", "measured": "Sales & Marketing"}]}')
    code, _, err = run(capsys, *_usage_argv("--map", bad))
    assert code == 2
    assert "survey division 'Salse' is not among the survey divisions shown" in err
