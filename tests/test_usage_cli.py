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


# --- unusual files that real tools write ----------------------------------------------------


def test_a_comma_ending_every_row_and_a_roster_with_mixed_offsets_read_as_plain_files(
    capsys: pytest.CaptureFixture[str],
) -> None:
    plain = [str(DATA / "yammer-activity-user-detail-2026-01-31.csv"), EVENTS, "--roster", ROSTER]
    unusual = [
        str(DATA / "yammer-activity-user-detail-trailing-comma.csv"),
        EVENTS,
        "--roster",
        str(DATA / "roster-mixed-offsets.csv"),
    ]
    code, expected, _ = run(["usage", *plain, "--format", "csv"], capsys)
    assert code == 0
    code, out, err = run(["usage", *unusual, "--format", "csv"], capsys)
    assert (code, out) == (0, expected)
    assert "error" not in err


@pytest.mark.parametrize("output", ["json", "csv"])
def test_a_headcount_below_the_minimum_group_shows_nothing_in_either_format(
    output: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    events = tmp_path / "events.csv"
    events.write_text("user,timestamp,action\na,2026-01-03,post\nb,2026-02-04,post\n")
    code, out, err = run(
        ["usage", str(events), "--headcount", "3", "--format", output, "--fit"], capsys
    )
    assert code == 0
    if output == "json":
        payload = json.loads(out)
        assert payload["series"] == []
        assert payload["notes"] == ["fewer than 5 people: nothing is shown"]
        assert payload["fits"] == [
            {
                "group": "all staff",
                "error": "all staff: no measured month is shown, so there is nothing to fit",
            }
        ]
    else:
        assert out.splitlines() == ["month,group,roster,active,share,basis,not_in_roster"]
        assert err == "note: fewer than 5 people: nothing is shown\n"


def write_history(path: Path, rows: Sequence[tuple[str, float]]) -> Path:
    path.write_text("period,value\n" + "".join(f"{p},{v}\n" for p, v in rows))
    return path


def test_fit_refuses_per_period_adopters_adding_up_to_more_than_the_population(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    counts = [4, 6, 9, 14, 21, 28, 28, 21, 14, 9]  # 154 in all: 1.5 times the population
    history = write_history(
        tmp_path / "sales.csv", [(str(2015 + k), c) for k, c in enumerate(counts)]
    )
    argv = ["fit", str(history), "--kind", "per-period", "--unit", "count", "--population", "100"]
    code, out, err = run(argv, capsys)
    assert code == EXIT_BAD_INPUT
    assert out == ""
    assert err.startswith(
        f"error: {history}: row 8, field value: new adopters up to period '2021' add up to 110,"
        " more than the population size 100"
    )
    assert len(err.splitlines()) == 1
    code, out, _ = run([*argv[:-1], "200"], capsys)
    assert code == 0
    assert json.loads(out)["params"]["m"]["value"] < 1


def test_fit_refuses_periods_minutes_apart_instead_of_a_grid_per_minute(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    minutes = [(f"2026-01-03T10:{k:02d}:00", round(0.04 * k, 2)) for k in range(1, 21)]
    history = write_history(tmp_path / "trend.csv", minutes)
    code, out, err = run(["fit", str(history)], capsys)
    assert code == EXIT_BAD_INPUT
    assert err == (
        f"error: {history}: row 3, field period: '2026-01-03T10:02:00' is less than a day after"
        " '2026-01-03T10:01:00' (row 2) (18 more like it); periods must be at least a day"
        " apart: add the values up by day, month or year\n"
    )
    days = [(f"2026-01-{k:02d}", round(0.03 * k, 2)) for k in range(1, 21)]
    code, out, _ = run(["fit", str(write_history(tmp_path / "days.csv", days))], capsys)
    assert code == 0
    assert json.loads(out)["forecast"][-1]["period"] > 2030


def test_table_is_the_csv_series_for_a_person(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text((DATA / "roster.csv").read_text().replace(",Sales,", ",Sales\x1b[2J,"))
    argv = ["usage", EVENTS, "--roster", str(roster)]
    code, out, _ = run([*argv, "--format", "csv"], capsys)
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    code, out, err = run([*argv, "--format", "table"], capsys)
    assert code == 0
    assert "merged into 'other divisions'" in err
    header, *lines = out.splitlines()
    assert header.split() == list(rows[0])
    assert "\x1b" not in out
    assert {line.split("  ")[1].strip() for line in lines} == {
        "Sales\\x1b[2J",
        "Engineering",
        "other divisions",
        "all staff",
    }
    december = next(r for r in rows if (r["month"], r["group"]) == ("2025-12", "all staff"))
    share = f"{100 * float(december['share']):.1f}%"
    assert any(
        line.split()[:1] == ["2025-12"] and line.split()[-3:] == [share, "users", "2"]
        for line in lines
    )
