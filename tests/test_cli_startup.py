"""The command line starts light, and its output options are defined once.

``--help`` of ``readiness`` and of every sub-command (found in the parser itself, so a new one is
covered without a change here) runs in a fresh interpreter and must load none of the heavy
libraries; the figures ``--help`` shows of the core's facts must equal their owners'; every
``--format`` comes from :func:`readiness.cli.output.add_format`.
"""

from __future__ import annotations

import argparse
import io
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import get_args

import pytest

from readiness.cli import build_parser, main
from readiness.cli.output import EXTRA_FORMATS, FORMATS, FormatOption, json_text, write_json
from readiness.errors import InputError

#: Libraries that take tenths of a second each to import: a handler loads them when it runs.
HEAVY = (
    "pandas",
    "numpy",
    "scipy",
    "altair",
    "vl_convert",
    "sqlalchemy",
    "duckdb",
    "pydantic",
    "pydantic_settings",
    "alembic",
)
LOADED_AFTER = """
import json, sys
from readiness.cli import main
for argv in json.loads(sys.argv[1]):
    try:
        main(argv)
    except SystemExit:
        pass
print(json.dumps(sorted(sys.modules)), file=sys.stderr)
"""


def subcommands(
    parser: argparse.ArgumentParser, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    """Every command path of ``parser`` (``()``, ``("db",)``, ``("db", "current")``, ...)."""
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                yield from subcommands(child, (*path, name))


COMMANDS = [path for path, _ in subcommands(build_parser())]


def loaded_after(*argvs: list[str]) -> set[str]:
    """Top-level names of the modules loaded in a fresh interpreter after running ``argvs``."""
    done = subprocess.run(
        [sys.executable, "-c", LOADED_AFTER, json.dumps(argvs)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return {name.split(".")[0] for name in json.loads(done.stderr.splitlines()[-1])}


def test_the_parser_is_walked_into_nested_commands() -> None:
    assert ("db", "current") in COMMANDS
    assert ("assessments", "list") in COMMANDS
    assert {"fit", "usage", "score", "template", "project"} <= {p[0] for p in COMMANDS if p}


@pytest.mark.parametrize("path", COMMANDS, ids=lambda path: " ".join(path) or "readiness")
def test_help_imports_nothing_heavy(path: tuple[str, ...]) -> None:
    assert loaded_after([*path, "--help"]).isdisjoint(HEAVY)


def test_a_mistyped_command_or_option_imports_nothing_heavy() -> None:
    argvs = [["--version"], ["fitt"], ["fit", "--band", "nope", "h.csv"], ["db"], []]
    assert loaded_after(*argvs).isdisjoint(HEAVY)


def test_a_fit_loads_what_fitting_needs_and_no_pandas_chart_or_database_library(
    tmp_path: Path,
) -> None:
    """A handler that runs loads its libraries (so the check above can fail), and a fit only
    those it needs: the history is read with the csv module, not pandas."""
    history = tmp_path / "history.csv"
    history.write_text("period,value\n2004,0.02\n2005,0.05\n2006,0.11\n2007,0.21\n2008,0.33\n")
    loaded = loaded_after(["fit", str(history)])
    assert {"numpy", "scipy"} <= loaded
    assert loaded.isdisjoint({"pandas", "altair", "vl_convert", "sqlalchemy", "duckdb", "alembic"})
    assert "pydantic_settings" not in loaded


def test_help_figures_equal_their_owners() -> None:
    from readiness import fitting, projection, settings, store, usage
    from readiness.cli import assessments as cli_assessments
    from readiness.cli import project as cli_project
    from readiness.cli import usage as cli_usage
    from readiness.usage import forecast, formats

    shown = {
        "models": cli_project.MODELS,
        "Bass p": cli_project.LITERATURE_P,
        "Bass q": cli_project.LITERATURE_Q,
        "fit models": cli_project.FIT_MODELS,
        "kinds": cli_project.KINDS,
        "units": cli_project.UNITS,
        "bands": cli_project.BAND_METHODS,
        "bootstrap below": cli_project.BOOTSTRAP_BELOW_POINTS,
        "actions": cli_usage.ACTIONS,
        "default actions": cli_usage.DEFAULT_ACTIONS,
        "minimum group": cli_usage.MIN_GROUP_SIZE,
        "forecast years": cli_usage.FORECAST_YEARS,
        "usage exports": cli_usage.EXPORT_FORMATS,
        "days kept": cli_assessments.DELETED_KEPT_DAYS,
    }
    assert shown == {
        "models": projection.MODELS,
        "Bass p": projection.LITERATURE_P,
        "Bass q": projection.LITERATURE_Q,
        "fit models": (*fitting.FIT_MODELS, "auto"),
        "kinds": get_args(fitting.Kind),
        "units": get_args(fitting.Unit),
        "bands": fitting.BAND_METHODS,
        "bootstrap below": fitting.BOOTSTRAP_BELOW_POINTS,
        "actions": usage.ACTIONS,
        "default actions": tuple(a for a in usage.ACTIONS if a in usage.DEFAULT_ACTIONS),
        "minimum group": settings.DEFAULT_MIN_GROUP_SIZE,
        "forecast years": forecast.FORECAST_YEARS,
        "usage exports": tuple(f.title for f in formats.FORMATS),
        "days kept": store.DELETED_KEPT_DAYS,
    }
    assert usage.MIN_GROUP_SIZE == settings.DEFAULT_MIN_GROUP_SIZE


def format_options() -> dict[str, argparse.Action]:
    """Each command's ``--format`` option, by command."""
    found = {}
    for path, parser in subcommands(build_parser()):
        for action in parser._actions:
            if "--format" in action.option_strings:
                found[" ".join(path)] = action
    return found


def test_every_format_option_comes_from_the_one_helper() -> None:
    options = format_options()
    assert {"template", "score", "project", "fit", "usage", "assessments list"} <= set(options)
    for command, action in options.items():
        assert isinstance(action, FormatOption), command
        choices = list(action.choices or ())
        standard = [c for c in choices if c in FORMATS]
        assert standard == [f for f in FORMATS if f in standard], command  # one order
        assert set(choices) - set(FORMATS) <= set(EXTRA_FORMATS), command
        assert action.default in choices, command


def test_the_formats_each_command_offers() -> None:
    offered = {command: tuple(a.choices or ()) for command, a in format_options().items()}
    assert offered == {
        "template": ("json", "csv", "dictionary"),
        "score": FORMATS,
        "project": FORMATS,
        "fit": FORMATS,
        "assessments list": FORMATS,
        "assessments export": ("json", "csv"),
        "assessments deleted": FORMATS,
        "assessments audit": FORMATS,
        "usage": FORMATS,
        "evidence": FORMATS,
        "plan check": FORMATS,
        "plan kinds": FORMATS,
        "waves": FORMATS,
    }


def test_one_json_style() -> None:
    text = json_text({"name": "Zürich", "share": 0.5, "none": None})
    assert text == '{\n  "name": "Zürich",\n  "share": 0.5,\n  "none": null\n}\n'


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_json_on_a_terminal_escapes_every_non_ascii_character() -> None:
    out = Terminal()
    write_json(["Zürich\u202e\x9b31m"], out)
    assert out.getvalue() == '[\n  "Z\\u00fcrich\\u202e\\u009b31m"\n]\n'
    assert json.loads(out.getvalue()) == ["Zürich\u202e\x9b31m"]


def test_a_number_that_is_not_finite_is_one_message() -> None:
    with pytest.raises(InputError, match="not finite; check it"):
        write_json({"x": float("nan")}, io.StringIO(), not_finite="not finite; check it")


@pytest.mark.parametrize(
    "argv",
    [
        ["template"],
        ["project", "--model", "doubling", "--start-year", "2020", "--start-share", "0.1",
         "--years", "2"],
    ],
    ids=["template", "project"],
)  # fmt: skip
def test_commands_print_json_in_the_one_style(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert out == json_text(json.loads(out))


def test_a_format_no_command_prints_is_argparses_one_error_naming_the_choices(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["usage", "events.csv", "--headcount", "10", "--format", "yaml"])
    assert stop.value.code == 2
    [line] = [line for line in capsys.readouterr().err.splitlines() if "error:" in line]
    assert line.endswith("argument --format: invalid choice: 'yaml' (choose from 'table', "
                         "'json', 'csv')")  # fmt: skip
