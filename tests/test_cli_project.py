"""The ``readiness project`` and ``readiness fit`` commands: output contract and bad input."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from readiness.cli import EXIT_BAD_INPUT, main


def run(argv: Sequence[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Run the real ``readiness`` entry point; returns (exit code, stdout, stderr)."""
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


DOUBLING = ["project", "--model", "doubling", "--start-year", "2009", "--start-share", "0.25"]


def test_project_prints_a_json_list_of_years_and_shares(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run([*DOUBLING, "--years", "4"], capsys)
    assert code == 0
    assert json.loads(out) == [
        {"year": 2009, "share": 0.25},
        {"year": 2010, "share": 0.5},
        {"year": 2011, "share": 1.0},
        {"year": 2012, "share": 1.0},
        {"year": 2013, "share": 1.0},
    ]


@pytest.mark.parametrize(
    ("model", "extra", "expected"),
    [
        ("logistic", [], [25.0, 43.8, 64.5, 80.9, 90.8]),
        ("gompertz", [], [25.0, 39.7, 54.0, 66.3, 76.0]),
        ("bass", ["--p", "0.03"], [25.0, 41.8, 60.0, 75.6, 86.3]),
    ],
)
def test_project_calibrated_from_2008_reproduces_the_domain_table(
    capsys: pytest.CaptureFixture[str], model: str, extra: list[str], expected: list[float]
) -> None:
    argv = ["project", "--model", model, "--start-year", "2009", "--start-share", "0.25"]
    code, out, _ = run([*argv, *extra, "--calibrate-from", "2008=0.125", "--years", "4"], capsys)
    assert code == 0
    shares = [row["share"] * 100 for row in json.loads(out)]
    np.testing.assert_allclose(shares, expected, atol=0.1)


def test_project_bass_defaults_to_the_literature_mean(
    capsys: pytest.CaptureFixture[str],
) -> None:
    argv = ["project", "--model", "bass", "--start-year", "2009", "--start-share", "0.25"]
    _, out, _ = run([*argv, "--years", "4", "--format", "csv"], capsys)
    lines = out.splitlines()
    assert lines[0] == "year,share"
    assert lines[1] == "2009,0.25"
    assert float(lines[2].split(",")[1]) == pytest.approx(0.350, abs=0.001)


def test_project_monthly_table_is_readable(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run([*DOUBLING, "--years", "1", "--step", "month", "--format", "table"], capsys)
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "doubling (g=2), from 25.0% in 2009"
    assert len(lines) == 2 + 13
    assert lines[-1].split() == ["2010.000", "50.0%"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["--start-share", "25"],
            "error: --start-share must be a share between 0 and 1 (got 25; 25% is 0.25)",
        ),
        (["--ceiling", "0.2"], "error: --start-share 0.25 is above the ceiling 0.2"),
        (["--r", "0.5"], "error: --r does not apply to --model doubling"),
        (["--g", "0.5"], "error: --g: Input should be greater than or equal to 1"),
        (["--years", "0"], "error: --years must be above 0 and at most 200 (got 0)"),
        (
            ["--calibrate-from", "2008"],
            "error: --calibrate-from must look like YEAR=SHARE, e.g. 2008=0.125 (got '2008')",
        ),
        (
            ["--calibrate-from", "2008=0.125", "--g", "2"],
            "error: give either --g or --calibrate-from, not both: --calibrate-from solves --g",
        ),
        (
            ["--calibrate-from", "2010=0.125"],
            "error: --calibrate-from: the calibration year 2010 must be before the start year 2009",
        ),
        (["--g", "nan"], "error: --g must be a finite number (got nan)"),
    ],
)
def test_project_bad_input_exits_2_with_a_clear_message(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    base = [*DOUBLING, "--years", "3"]
    code, out, err = run([*base, *argv], capsys)
    assert code == EXIT_BAD_INPUT
    assert out == ""
    assert err.splitlines() == [message]


def test_project_logistic_needs_a_rate(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["project", "--model", "logistic", "--start-year", "2009", "--start-share", "0.25"]
    code, _, err = run([*argv, "--years", "3"], capsys)
    assert code == EXIT_BAD_INPUT
    assert err == "error: --model logistic needs --r RATE or --calibrate-from YEAR=SHARE\n"


def write_history(tmp_path: Path, rows: list[tuple[object, object]]) -> Path:
    path = tmp_path / "history.csv"
    path.write_text("period,value\n" + "".join(f"{p},{v}\n" for p, v in rows))
    return path


@pytest.fixture
def history_file(tmp_path: Path) -> Path:
    years = np.arange(2000, 2016)
    rng = np.random.default_rng(5)
    values = 80 / (1 + np.exp(-0.6 * (years - 2008))) + rng.normal(0, 0.5, years.size)
    return write_history(tmp_path, [(y, round(v, 3)) for y, v in zip(years, values, strict=True)])


def test_fit_prints_the_json_contract(
    capsys: pytest.CaptureFixture[str], history_file: Path
) -> None:
    code, out, _ = run(
        ["fit", str(history_file), "--model", "logistic", "--unit", "percent", "--horizon", "3"],
        capsys,
    )
    assert code == 0
    payload = json.loads(out)
    assert payload["model"] == "logistic"
    assert set(payload["params"]) == {"r", "x_mid", "m"}
    assert payload["params"]["r"]["value"] == pytest.approx(0.6, rel=0.1)
    assert payload["params"]["m"]["value"] == pytest.approx(0.8, rel=0.05)
    assert payload["params"]["r"]["stderr"] > 0
    assert payload["r2"] > 0.99
    assert isinstance(payload["aic"], float)
    assert "ranking" not in payload
    assert payload["band"] == "covariance"  # 16 points: the normal approximation is enough
    forecast = payload["forecast"]
    assert [row["period"] for row in forecast] == list(range(2000, 2019))
    assert all(row["low"] <= row["value"] <= row["high"] for row in forecast)
    assert 70 < forecast[-1]["value"] < 85  # percent in, percent out


def test_fit_auto_adds_the_ranking_by_aic(
    capsys: pytest.CaptureFixture[str], history_file: Path
) -> None:
    code, out, _ = run(["fit", str(history_file), "--model", "auto", "--unit", "percent"], capsys)
    assert code == 0
    payload = json.loads(out)
    ranking = payload["ranking"]
    assert {r["model"] for r in ranking} == {"logistic", "gompertz", "bass"}
    assert [r["aic"] for r in ranking] == sorted(r["aic"] for r in ranking)
    assert payload["model"] == ranking[0]["model"]


def test_fit_band_can_be_a_refit_bootstrap(
    capsys: pytest.CaptureFixture[str], history_file: Path
) -> None:
    options = ["--model", "logistic", "--unit", "percent", "--band", "bootstrap"]
    code, out, _ = run(["fit", str(history_file), *options, "--format", "table"], capsys)
    assert code == 0
    assert "band: bootstrap" in out
    with pytest.raises(SystemExit) as exit_info:
        run(["fit", str(history_file), "--band", "jackknife"], capsys)
    assert exit_info.value.code == EXIT_BAD_INPUT
    assert "argument --band: invalid choice: 'jackknife'" in capsys.readouterr().err


def test_fit_table_shows_parameters_and_forecast(
    capsys: pytest.CaptureFixture[str], history_file: Path
) -> None:
    code, out, _ = run(
        ["fit", str(history_file), "--unit", "percent", "--ceiling", "0.85", "--format", "table"],
        capsys,
    )
    assert code == 0
    assert "ranking by AIC:" in out
    assert any(line.split()[:3] == ["m", "0.85", "fixed"] for line in out.splitlines())


def test_fit_counts_with_a_population(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    years = np.arange(2000, 2012)
    counts = np.round(500 / (1 + np.exp(-0.8 * (years - 2005))))
    path = write_history(tmp_path, list(zip(years, counts, strict=True)))
    code, out, _ = run(
        ["fit", str(path), "--model", "gompertz", "--unit", "count", "--population", "1000"],
        capsys,
    )
    assert code == 0
    payload = json.loads(out)
    assert payload["forecast"][-1]["value"] > 400  # counts in, counts out


@pytest.mark.parametrize(
    ("rows", "extra", "message"),
    [
        ([(2008, 0.1), (2009, "x")], [], "{path}: row 3, field value: 'x' is not a number"),
        (
            [(2008, 0.1), (2009, 0.2), (2010, 0.3)],
            ["--model", "logistic"],
            "{path}: logistic needs at least 4 observations (3 parameters + 1); got 3",
        ),
        (
            [(2008, 0.2), (2009, 0.2), (2010, 0.2), (2011, 0.2), (2012, 0.2)],
            ["--model", "logistic"],
            "{path}: the values are constant (0.2): there is no growth to fit",
        ),
        (
            [(2008, 0.1), (2009, 0.2), (2010, 0.4), (2011, 0.5), (2012, 0.6)],
            ["--model", "logistic", "--ceiling", "0.5"],
            "{path}: the ceiling 0.5 is below the observed maximum 0.6 (cumulative share)",
        ),
        (
            [(2008, 1), (2009, 2), (2010, 3), (2011, 4)],
            ["--unit", "count", "--ceiling", "-3"],
            "--ceiling must be a positive count (got -3)",
        ),
        ([(2008, 1)], ["--population", "10"], "--population only applies with --unit count"),
    ],
)
def test_fit_bad_input_exits_2_with_a_clear_message(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    rows: list[tuple[object, object]],
    extra: list[str],
    message: str,
) -> None:
    path = write_history(tmp_path, rows)
    code, out, err = run(["fit", str(path), *extra], capsys)
    assert code == EXIT_BAD_INPUT
    assert out == ""
    assert err.splitlines() == [f"error: {message.format(path=path)}"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "{path}: the file is empty"),
        (
            b"\xff\xfeperiod,value\n",
            "{path}: not UTF-8 text (byte 0xff at position 0); save the file as UTF-8",
        ),
        (
            b"when,how_many\n2008,1\n",
            "{path}: missing column(s) period, value; expected a header row with period,value",
        ),
    ],
)
def test_fit_unreadable_files_exit_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "history.csv"
    path.write_bytes(content)
    code, _, err = run(["fit", str(path)], capsys)
    assert code == EXIT_BAD_INPUT
    assert err == f"error: {message.format(path=path)}\n"


def test_fit_missing_file_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "absent.csv"
    code, _, err = run(["fit", str(path)], capsys)
    assert code == EXIT_BAD_INPUT
    assert err == f"error: {path}: file not found\n"


def test_the_real_readiness_entry_point_runs_project_and_reports_bad_input(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main([*DOUBLING, "--years", "1"]) == 0
    assert json.loads(capsys.readouterr().out)[-1] == {"year": 2010, "share": 0.5}
    assert main([*DOUBLING, "--years", "1", "--ceiling", "0.1"]) == EXIT_BAD_INPUT
    assert capsys.readouterr().err == "error: --start-share 0.25 is above the ceiling 0.1\n"


def test_project_from_an_assessment_is_the_organizations_one_projection(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import datetime as dt

    from readiness.organization import projection_for
    from readiness.questionnaire import load_questionnaire
    from readiness.rules import load_rulebook
    from readiness.scoring import score_assessment
    from readiness.store import open_store

    answers = {"gr_active_share": 12, "su_sponsor": 1, "gr_self_start": 4, "to_easy_to_use": 4}
    path = tmp_path / "a.json"
    path.write_text(
        json.dumps({"organization": "Acme", "assessed_on": "2026-11-30", "answers": answers}),
        encoding="utf-8",
    )
    assert main(["project", "--from", str(path)]) == 0
    printed = json.loads(capsys.readouterr().out)
    scores = score_assessment(load_questionnaire(), load_rulebook(), answers)
    expected = projection_for(scores, answers, dt.date(2026, 11, 30))
    assert printed == json.loads(json.dumps(expected.as_json()))
    assert printed["start_share"] == 0.12
    assert printed["levers"][0]["dimension"] == expected.steps[0].dimension

    # the same assessment saved, by id: the same projection
    url = f"sqlite:///{tmp_path / 'store.db'}"
    with open_store(url) as store:
        from readiness.assessment import read_assessment_file

        saved = store.save_assessment(read_assessment_file(load_questionnaire(), path), "s1")
    assert main(["project", "--from", str(saved), "--database", url]) == 0
    assert json.loads(capsys.readouterr().out) == printed

    assert main(["project", "--from", str(path), "--format", "table"]) == 0
    table = capsys.readouterr().out
    assert table.startswith("From 12% in Nov 2026, your organization reaches 50% by about ")
    assert main(["project", "--from", str(saved + 1), "--database", url]) == 2
    assert f"no assessment with id {saved + 1}" in capsys.readouterr().err


def test_project_without_from_names_the_missing_options(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["project", "--model", "bass"]) == 2
    assert "--start-year, --start-share, --years needed" in capsys.readouterr().err


def test_project_from_a_name_too_long_is_one_line_naming_the_option(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(["project", "--from", "1" * 400, "--format", "table"], capsys)
    assert (code, out) == (EXIT_BAD_INPUT, "")
    [line] = err.splitlines()
    assert line.startswith("error: --from 1111")
    assert line.endswith("(400 characters): file name too long for this system")


@pytest.mark.parametrize("kind", ["named pipe", "directory"])
def test_project_from_what_is_not_a_file_is_refused_at_once(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, kind: str
) -> None:
    import os

    path = tmp_path / "a.json"
    os.mkfifo(path) if kind == "named pipe" else path.mkdir()
    code, _, err = run(["project", "--from", str(path)], capsys)  # a pipe would block for ever
    assert code == EXIT_BAD_INPUT
    assert err == f"error: --from {path}: is a {kind}, not a file\n"


def test_project_from_neither_a_file_nor_an_id_names_the_option(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "absent.json"
    assert (
        run(["project", "--from", str(path)], capsys)[2]
        == f"error: --from {path}: file not found\n"
    )


def test_a_database_name_too_long_is_one_line_not_an_unexpected_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / ('1' * 400)}.db"
    code, _, err = run(["project", "--from", "5", "--database", url], capsys)
    assert code == EXIT_BAD_INPUT
    [line] = err.splitlines()
    assert line.startswith("error: ")
    assert line.endswith("characters): file name too long for this system")
    assert "unexpected" not in line


def test_fit_csv_is_the_json_forecast_with_its_bands(
    capsys: pytest.CaptureFixture[str], history_file: Path
) -> None:
    import csv
    import io

    argv = ["fit", str(history_file), "--model", "logistic", "--unit", "percent", "--horizon", "2"]
    code, out, _ = run(argv, capsys)
    assert code == 0
    forecast = json.loads(out)["forecast"]
    code, out, _ = run([*argv, "--format", "csv"], capsys)
    assert code == 0
    header, *rows = list(csv.reader(io.StringIO(out)))
    assert header == ["period", "value", "low", "high", "low80", "high80"]
    assert [[float(cell) for cell in row] for row in rows] == [
        [row[column] for column in header] for row in forecast
    ]


def test_project_from_a_file_uses_the_mapping_it_keeps_and_mapping_overrides_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A file saved with a calibrated choice projects with that mapping on the command line, as
    on the dashboard; ``--mapping`` picks the other; ``score`` names the same lever."""
    from mapping_fixtures import calibrated_choice, scored_answers

    answers = scored_answers()
    document = {
        "format_version": 2,
        "organization": "Acme",
        "assessed_on": "2026-11-30",
        "answers": answers,
        "mapping_choice": calibrated_choice().as_json(),
    }
    path = tmp_path / "calibrated.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    plain = tmp_path / "plain.json"
    plain.write_text(json.dumps({**document, "mapping_choice": None}), encoding="utf-8")

    code, out, _ = run(["project", "--from", str(path)], capsys)
    calibrated = json.loads(out)
    assert code == 0
    assert calibrated["mapping"].startswith("the mapping calibrated on your 12 divisions")
    code, out, _ = run(["project", "--from", str(path), "--mapping", "assumed"], capsys)
    assumed = json.loads(out)
    assert assumed["mapping"] == "the assumed mapping (data/levers.yaml)"
    code, out, _ = run(["project", "--from", str(plain)], capsys)
    assert json.loads(out) == assumed
    assert calibrated["levers"][0]["dimension"] != assumed["levers"][0]["dimension"]

    code, out, _ = run(["score", str(path), "--format", "table"], capsys)
    top = calibrated["levers"][0]["dimension"]
    assert f"Lever     {top}, from {calibrated['mapping']}" in out
    code, out, _ = run(["project", "--from", str(path), "--format", "table"], capsys)
    assert "Levers from the mapping calibrated on your 12 divisions" in out

    code, _, err = run(["project", "--from", str(plain), "--mapping", "calibrated"], capsys)
    assert code == EXIT_BAD_INPUT
    assert "keeps no calibrated mapping" in err
    code, _, err = run(["project", "--mapping", "assumed"], capsys)
    assert code == EXIT_BAD_INPUT
    assert "--mapping needs --from" in err


def test_an_exported_assessment_keeps_its_mapping_for_project_and_score(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Saved with the calibrated mapping, exported as JSON: ``project --from`` the file and
    ``--from`` the id give the same projection with that mapping, and ``score`` its lever."""
    from mapping_fixtures import calibrated_choice, scored_answers

    from readiness.assessment import Assessment, Profile
    from readiness.export import export_json
    from readiness.store import open_store

    url = f"sqlite:///{tmp_path / 'store.db'}"
    with open_store(url) as store:
        assessment = Assessment(
            profile=Profile(organization="Acme"),
            questionnaire_version=store.questionnaire.version,
            answers=scored_answers(),
            mapping_choice=calibrated_choice(),
        )
        saved = store.save_assessment(assessment, "calibrated")
        exported = export_json(store.get_assessment(saved))
    path = tmp_path / "export.json"
    path.write_text(exported, encoding="utf-8")

    code, by_file, _ = run(["project", "--from", str(path)], capsys)
    assert code == 0
    code, by_id, _ = run(["project", "--from", str(saved), "--database", url], capsys)
    assert code == 0
    assert json.loads(by_file) == json.loads(by_id)
    projection = json.loads(by_file)
    assert projection["mapping"].startswith("the mapping calibrated on your 12 divisions")
    code, scored, _ = run(["score", str(path), "--format", "table"], capsys)
    assert (
        f"Lever     {projection['levers'][0]['dimension']}, from {projection['mapping']}" in scored
    )
