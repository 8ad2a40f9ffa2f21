"""``readiness waves``: two respondents files compared as a table, JSON and CSV; each wave dated
by its option or its completion-time column; bad input one named line, exit 2."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import numpy as np
import pytest
from survey_fixtures import forms_survey_csv, survey_csv

from readiness.cli import main
from readiness.cli import waves as cli_waves
from readiness.questionnaire import load_questionnaire
from readiness.rules import load_rulebook
from readiness.settings import DEFAULT_MIN_GROUP_SIZE
from readiness.survey import read_respondents_file
from readiness.waves import EVERYONE, compare_waves, wave_summary

Q = load_questionnaire()
SIZES = {"Sales": 30, "Legal": 25, "Audit": 2, "Tax": 3}


def run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def support_survey(sizes: dict[str, int], low: int, high: int, seed: int) -> bytes:
    """A respondents CSV whose Support agreement answers lie from ``low`` to ``high`` (1-5),
    the other agreement answers anywhere."""
    rng = np.random.default_rng(seed)
    likert = [item for item in Q.items if item.kind == "likert"]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["division", *(item.id for item in likert)])
    for name, size in sizes.items():
        for _ in range(size):
            cells = [
                int(rng.integers(low, high + 1))
                if item.dimension == "support" and not item.reverse
                else int(rng.integers(1, 6))
                for item in likert
            ]
            writer.writerow([name, *cells])
    return buffer.getvalue().encode()


@pytest.fixture
def waves(tmp_path: Path) -> tuple[Path, Path]:
    earlier, later = tmp_path / "march.csv", tmp_path / "september.csv"
    earlier.write_bytes(support_survey({"Sales": 30, "Legal": 25}, 1, 3, seed=1))
    later.write_bytes(support_survey({"Sales": 30, "Legal": 25}, 3, 5, seed=2))
    return earlier, later


DATES = ("--earlier-date", "2027-03-15", "--later-date", "2027-09-15")


def test_the_table_starts_with_the_sentence(
    capsys: pytest.CaptureFixture[str], waves: tuple[Path, Path]
) -> None:
    code, out, err = run(capsys, "waves", *waves, *DATES)
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == (
        "Survey waves: March 2027 wave (2027-03-15, 55 respondents) and September 2027 wave "
        "(2027-09-15, 55 respondents)"
    )
    assert lines[2].startswith("Support +")
    assert "in Sales" in lines[2]
    assert "in Legal" in lines[2]
    assert lines[2].endswith("since the March 2027 wave; other changes within noise.")
    assert "Holm" in out
    header = next(line for line in lines if line.startswith("Group"))
    assert header.split() == [
        "Group",
        "Dimension",
        "Before",
        "After",
        "Change",
        "95%",
        "interval",
        "n",
        "Reading",
    ]
    support = [line for line in lines if "  Support  " in line]
    assert len(support) == 3  # everyone, Sales, Legal
    assert all(line.rstrip().endswith("change") for line in support)


def test_the_json_is_the_cores_comparison_with_both_waves(
    capsys: pytest.CaptureFixture[str], waves: tuple[Path, Path]
) -> None:
    code, out, _ = run(capsys, "waves", *waves, *DATES, "--format", "json")
    assert code == 0
    payload = json.loads(out)
    rules = load_rulebook()
    summaries = [
        wave_summary(Q, rules, read_respondents_file(Q, path), label, date)
        for path, label, date in zip(
            waves,
            ("March 2027 wave", "September 2027 wave"),
            (cli_waves.iso_date("2027-03-15"), cli_waves.iso_date("2027-09-15")),
            strict=True,
        )
    ]
    comparison = compare_waves(*summaries)
    assert payload["sentence"] == comparison.sentence
    assert payload["changes"] == json.loads(comparison.model_dump_json())["changes"]
    assert [w["label"] for w in payload["waves"]] == ["March 2027 wave", "September 2027 wave"]
    assert payload["waves"][0]["groups"][EVERYONE]["support"]["n"] == 55
    assert payload["waves"][0]["questionnaire_version"] == Q.version


def test_the_csv_has_one_row_per_group_and_dimension(
    capsys: pytest.CaptureFixture[str], waves: tuple[Path, Path]
) -> None:
    code, out, _ = run(capsys, "waves", *waves, *DATES, "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0]) == list(cli_waves.CSV_COLUMNS)
    assert len(rows) == 9
    assert {r["group"] for r in rows} == {EVERYONE, "Sales", "Legal"}
    support = [r for r in rows if r["dimension"] == "support"]
    assert {r["reading"] for r in support} == {"change"}
    assert all(float(r["low"]) > 0 for r in support)


def test_labels_can_be_given(capsys: pytest.CaptureFixture[str], waves: tuple[Path, Path]) -> None:
    code, out, _ = run(
        capsys, "waves", *waves, *DATES, "--earlier-label", "Baseline", "--later-label", "Pulse"
    )
    assert code == 0
    assert "since the Baseline; other changes within noise." in out


def test_waves_in_one_month_are_labelled_by_day(
    capsys: pytest.CaptureFixture[str], waves: tuple[Path, Path]
) -> None:
    dates = ("--earlier-date", "2027-03-01", "--later-date", "2027-03-29")
    code, out, _ = run(capsys, "waves", *waves, *dates)
    assert code == 0
    assert "since the 1 March 2027 wave" in out


def test_a_survey_tools_export_dates_itself_and_says_how(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    earlier, later = tmp_path / "march.csv", tmp_path / "may.csv"
    earlier.write_bytes(forms_survey_csv({"Sales": 8, "Legal": 6}, seed=3))
    later.write_bytes(
        forms_survey_csv({"Sales": 8, "Legal": 6}, seed=3).replace(b"11/2/26", b"5/3/27")
    )
    code, out, err = run(capsys, "waves", earlier, later)
    assert code == 0, err
    assert "Survey waves: November 2026 wave (2026-11-02, 14 respondents) and May 2027 wave" in out
    assert "No change beyond noise since the November 2026 wave." in out  # the same answers
    assert (
        f"note: {later}: surveyed on 2027-05-03, the median of its 'Completion time' column "
        "(14 responses; dates such as 3/4/27 read as month/day/year); --later-date sets another "
        "date"
    ) in err


def test_small_divisions_are_merged_and_the_merge_is_noted(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    earlier, later = tmp_path / "a.csv", tmp_path / "b.csv"
    earlier.write_bytes(survey_csv(SIZES, seed=1))
    later.write_bytes(survey_csv(SIZES, seed=2))
    code, out, err = run(capsys, "waves", earlier, later, *DATES, "--format", "csv")
    assert code == 0
    groups = {row["group"] for row in csv.DictReader(io.StringIO(out))}
    assert groups == {EVERYONE, "Sales", "Legal"}  # never Audit or Tax, nor other divisions
    assert "merged into 'other divisions'" in err


@pytest.mark.parametrize(
    ("dates", "message"),
    [
        (
            ("--earlier-date", "2027-09-15", "--later-date", "2027-03-15"),
            "error: the earlier wave 'September 2027 wave' (2027-09-15) is dated after the later "
            "one 'March 2027 wave' (2027-03-15): give the earlier wave first",
        ),
        (
            ("--earlier-date", "2027-03-15", "--later-date", "2027-03-15"),
            "are dated 2027-03-15: a wave is compared with a later one, not with itself",
        ),
    ],
)
def test_waves_out_of_order_or_of_one_date_are_refused(
    capsys: pytest.CaptureFixture[str],
    waves: tuple[Path, Path],
    dates: tuple[str, ...],
    message: str,
) -> None:
    code, out, err = run(capsys, "waves", *waves, *dates)
    assert code == 2
    assert out == ""
    assert message in err


def test_a_file_without_a_date_asks_for_its_option(
    capsys: pytest.CaptureFixture[str], waves: tuple[Path, Path]
) -> None:
    code, _, err = run(capsys, "waves", *waves, "--earlier-date", "2027-03-15")
    assert code == 2
    assert err.strip() == (
        f"error: {waves[1]}: when was this wave surveyed? The file has no completion-time "
        "column (such as Microsoft Forms' 'Completion time') to tell; give the date with "
        "--later-date YYYY-MM-DD"
    )


def test_a_completion_column_that_cannot_date_the_wave_names_the_row_and_the_option(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, waves: tuple[Path, Path]
) -> None:
    later = tmp_path / "later.csv"
    later.write_bytes(forms_survey_csv({"Sales": 6}).replace(b"11/2/26 9:04:10", b"soon", 1))
    code, _, err = run(capsys, "waves", waves[0], later, "--earlier-date", "2027-03-15")
    assert code == 2
    assert f"error: {later}: row 2, column 'Completion time': 'soon' is not a date" in err
    assert "give the date the wave was surveyed instead (--later-date DATE)" in err
    # with the date given, the column is not read
    code, _, err = run(capsys, "waves", waves[0], later, *DATES)
    assert code == 0, err


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "missing.csv"),
        (b"", "the file is empty"),
        (b"division,su_lead\nSales,maybe\n", "row 2, field su_lead"),
    ],
)
def test_a_bad_file_is_named(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    waves: tuple[Path, Path],
    content: bytes | None,
    message: str,
) -> None:
    bad = tmp_path / "missing.csv"
    if content is not None:
        bad.write_bytes(content)
    code, out, err = run(capsys, "waves", waves[0], bad, *DATES)
    assert code == 2
    assert out == ""
    assert str(bad) in err
    assert message in err
    assert "Traceback" not in err
    assert "unexpected error" not in err


@pytest.mark.parametrize("label", ["", "x" * 101, "red\x1b[31m"])
def test_a_bad_label_is_one_line(
    capsys: pytest.CaptureFixture[str], waves: tuple[Path, Path], label: str
) -> None:
    code, _, err = run(capsys, "waves", *waves, *DATES, "--later-label", label)
    assert code == 2
    assert "the wave's label is 1 to 100 characters on one line" in err
    assert "--later-label" in err
    assert "\x1b" not in err


def test_a_date_that_is_not_one_is_argparses_error(
    capsys: pytest.CaptureFixture[str], waves: tuple[Path, Path]
) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["waves", *map(str, waves), "--earlier-date", "15/03/2027"])
    assert exit_.value.code == 2
    assert "'15/03/2027' is not a date YYYY-MM-DD" in capsys.readouterr().err


def test_help_states_the_cores_minimum() -> None:
    assert cli_waves.MIN_GROUP_SIZE == DEFAULT_MIN_GROUP_SIZE
