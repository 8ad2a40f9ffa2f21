"""``readiness usage``: the monthly series as JSON and CSV, ``--fit`` with the JSON of
``readiness fit``, and bad input as one line per problem with exit code 2."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from pathlib import Path

import pytest

from readiness.cli import EXIT_BAD_INPUT, main

DATA = Path(__file__).parent / "data" / "usage"
EVENTS = str(DATA / "events.csv")
ROSTER = str(DATA / "roster.csv")


def run(argv: Sequence[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_json_has_definitions_the_series_and_what_each_file_gave(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(["usage", EVENTS, "--roster", ROSTER], capsys)
    assert code == 0
    payload = json.loads(out)
    assert payload["definitions"][0].startswith("Active: at least one counted action")
    first = payload["series"][0]
    assert set(first) == {"month", "group", "roster", "active", "share", "basis"}
    overall = [r for r in payload["series"] if r["group"] == "all staff"]
    assert [r["month"] for r in overall][:2] == ["2025-01", "2025-02"]
    assert all(0 <= r["share"] <= 1 for r in overall)
    assert payload["files"][0]["format"] == "event_log"
    assert payload["files"][0]["skipped"] == 1
    assert "row 370: field timestamp" in err  # skipped rows are told, the rest imported
    assert {"month": "2025-12", "users": 2} in payload["not_in_roster"]


def test_csv_is_the_series_with_formula_like_names_neutralised(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text((DATA / "roster.csv").read_text().replace(",Sales,", ",=1+2,"))
    code, out, _ = run(["usage", EVENTS, "--roster", str(roster), "--format", "csv"], capsys)
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {r["group"] for r in rows} == {"'=1+2", "Engineering", "other divisions", "all staff"}
    assert all(int(r["roster"]) >= 5 for r in rows)
    december = {r["group"]: r for r in rows if r["month"] == "2025-12"}
    assert december["all staff"]["not_in_roster"] == "2"
    assert december["Engineering"]["not_in_roster"] == ""


def test_fit_adds_per_group_the_json_readiness_fit_prints(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, _ = run(["usage", EVENTS, "--roster", ROSTER, "--fit"], capsys)
    assert code == 0
    payload = json.loads(out)
    fits = payload["fits"]
    assert [f["group"] for f in fits] == ["all staff", "Engineering", "Sales", "other divisions"]
    overall = fits[0]
    assert overall["r2"] > 0.95
    assert overall["forecast"][-1]["period"] > 2030
    # The same history through `readiness fit --model auto` gives the same fit.
    history = tmp_path / "history.csv"
    rows = [r for r in payload["series"] if r["group"] == "all staff"]
    history.write_text(
        "period,value\n"
        + "".join(
            f"{int(r['month'][:4]) + (int(r['month'][5:]) - 0.5) / 12:.6f},{r['share']}\n"
            for r in rows
        )
    )
    code, same, _ = run(["fit", str(history), "--model", "auto"], capsys)
    assert code == 0
    direct = json.loads(same)
    assert set(overall) - {"group"} == set(direct)
    assert overall["model"] == direct["model"]
    assert overall["r2"] == pytest.approx(direct["r2"], rel=1e-4)


def test_a_group_that_cannot_be_fitted_says_why(capsys: pytest.CaptureFixture[str]) -> None:
    month = str(DATA / "yammer-activity-user-detail-2026-01-31.csv")
    code, out, _ = run(["usage", month, "--headcount", "40", "--fit"], capsys)
    assert code == 0
    (only,) = json.loads(out)["fits"]
    assert only["group"] == "all staff"
    assert only["error"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["usage", ROSTER, "--headcount", "10"], "roster.csv: row 1: this looks like a roster"),
        (["usage", EVENTS, "--headcount", "0"], "--headcount must be between 1"),
        (
            ["usage", EVENTS, "--headcount", "3"],
            "2025-03: 4 active users, more than the headcount 3",
        ),
        (["usage", EVENTS, "--roster", ROSTER, "--min-group", "0"], "--min-group must be"),
        (["usage", EVENTS, "--roster", ROSTER, "--actions", "post,browse"], "unknown action"),
        (["usage", "missing.csv", "--headcount", "5"], "missing.csv: file not found"),
        (["usage", EVENTS, "--roster", EVENTS], "missing column(s) division"),
    ],
)
def test_bad_input_is_one_line_per_problem_and_exit_2(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(argv, capsys)
    assert code == EXIT_BAD_INPUT
    assert out == ""
    assert message in err
    assert "Traceback" not in err
    assert all(line.startswith("error: ") for line in err.strip().splitlines() if line)
