"""The documentation is checked against the code (datasette's ``tests/test_docs.py`` idea).

Every command and option of the ``readiness`` parser is in ``docs/command-line.md``, under the
command's own heading; every setting is in ``docs/team.md``'s Configuration table with its
default, and nothing reads the environment elsewhere; every page of ``app.py``'s navigation is in
``docs/dashboard.md``; the README stays a short front door; every relative link in the README and
``docs/`` resolves. A new command, option, setting or page cannot ship undocumented, and a removed
one cannot linger in the docs.
"""

from __future__ import annotations

import argparse
import ast
import re
from pathlib import Path

import pytest

from readiness.cli import build_parser
from readiness.settings import Settings, default_text, env_name

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
DOCS = ROOT / "docs"
COMMAND_LINE = DOCS / "command-line.md"
CONFIGURATION_DOC = DOCS / "team.md"
DASHBOARD_DOC = DOCS / "dashboard.md"
README_MAX_LINES = 150
HEADING = re.compile(r"^(#{1,6}) (.+?)\s*$", flags=re.MULTILINE)
#: Every parser has --help; it is documented once, for all commands.
UNDOCUMENTED_PER_COMMAND = {"-h", "--help"}


# --- the command line ----------------------------------------------------------------------


def commands(
    parser: argparse.ArgumentParser | None = None, path: tuple[str, ...] = ("readiness",)
) -> list[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    """Every parser of the command line with its command words, the top-level one first."""
    parser = parser or build_parser()
    found = [(path, parser)]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found.extend(commands(sub, (*path, name)))
    return found


COMMANDS = commands()


def sections(text: str) -> dict[str, str]:
    """Each heading's own text (up to the next heading of any level), keyed by the heading."""
    headings = list(HEADING.finditer(text))
    ends = [h.start() for h in headings[1:]] + [len(text)]
    return {h.group(2): text[h.end() : end] for h, end in zip(headings, ends, strict=True)}


@pytest.fixture(scope="module")
def command_sections() -> dict[str, str]:
    return sections(COMMAND_LINE.read_text(encoding="utf-8"))


def mentions(text: str, word: str) -> bool:
    """``word`` (an option such as ``--min-group``) appears in ``text`` as a whole word."""
    return re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text) is not None


@pytest.mark.parametrize(("path", "parser"), COMMANDS, ids=[" ".join(path) for path, _ in COMMANDS])
def test_every_command_and_option_is_documented(
    path: tuple[str, ...], parser: argparse.ArgumentParser, command_sections: dict[str, str]
) -> None:
    heading = f"`{' '.join(path)}`"
    assert heading in command_sections, f"docs/command-line.md has no heading {heading}"
    section = command_sections[heading]
    for action in parser._actions:
        for option in set(action.option_strings) - UNDOCUMENTED_PER_COMMAND:
            assert mentions(section, option), f"{heading}: {option} is not documented under it"
        if action.option_strings and action.choices:
            code = " ".join(re.findall(r"`([^`]+)`", section))  # choices are shown as code
            for choice in action.choices:
                assert mentions(code, choice), (
                    f"{heading}: {'/'.join(action.option_strings)} {choice} is not documented"
                )


def test_the_command_line_doc_documents_no_command_that_does_not_exist(
    command_sections: dict[str, str],
) -> None:
    known = {f"`{' '.join(path)}`" for path, _ in COMMANDS}
    documented = {heading for heading in command_sections if heading.startswith("`readiness")}
    assert documented - known == set()


def test_the_command_walk_reaches_every_level() -> None:
    # Guards the walk itself: a parser it could not descend would make the checks above vacuous.
    paths = {" ".join(path) for path, _ in COMMANDS}
    assert {
        "readiness",
        "readiness fit",
        "readiness assessments export",
        "readiness db upgrade",
    } <= paths
    assert len(paths) >= 15


def test_the_option_check_tells_an_option_from_a_longer_one() -> None:
    assert mentions("`--min-group N` and `--fit`", "--fit")
    assert not mentions("`--fit-all`", "--fit")
    assert not mentions("--horizon-years", "--horizon")


# --- settings ------------------------------------------------------------------------------


def configuration_table() -> dict[str, tuple[str, str]]:
    """docs/team.md's Configuration table: variable -> (default cell, meaning cell)."""
    text = CONFIGURATION_DOC.read_text(encoding="utf-8")
    section = sections(text).get("Configuration")
    assert section is not None, f"{CONFIGURATION_DOC.name} has no '## Configuration' section"
    rows: dict[str, tuple[str, str]] = {}
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 3 and re.fullmatch(r"`READINESS_[A-Z_]+`", cells[0]):
            rows[cells[0].strip("`")] = (cells[1], cells[2])
    return rows


@pytest.fixture(scope="module")
def table() -> dict[str, tuple[str, str]]:
    return configuration_table()


@pytest.mark.parametrize("field", sorted(Settings.model_fields))
def test_every_setting_is_documented_with_its_default(
    field: str, table: dict[str, tuple[str, str]]
) -> None:
    variable = env_name(field)
    assert variable in table, f"docs/team.md's Configuration table has no row for {variable}"
    default, meaning = table[variable]
    assert default == default_text(field), f"{variable}: docs/team.md says {default!r}"
    assert meaning, f"{variable}: the docs/team.md row does not say what it means"


def test_the_docs_document_no_setting_that_does_not_exist(
    table: dict[str, tuple[str, str]],
) -> None:
    known = {env_name(field) for field in Settings.model_fields}
    assert set(table) - known == set()


def test_the_configuration_table_is_parsed() -> None:
    # Guards the parser itself: a table it cannot read would make the checks above vacuous.
    assert len(configuration_table()) == len(Settings.model_fields) >= 3


def test_every_readiness_variable_the_docs_name_is_a_setting() -> None:
    known = {env_name(field) for field in Settings.model_fields}
    # the test suite's own switches (READINESS_REQUIRE_BROWSER, ...) are not settings
    tests_only = re.compile(r"READINESS_(REQUIRE|TEST)_\w+")
    named = {
        name
        for path in [README, *DOCS.rglob("*.md")]
        for name in re.findall(r"\bREADINESS_[A-Z][A-Z_]*[A-Z]\b", path.read_text(encoding="utf-8"))
        if not tests_only.fullmatch(name)
    }
    assert named - known == set()


SOURCES = [
    *sorted((ROOT / "src" / "readiness").rglob("*.py")),
    *sorted((ROOT / "pages").rglob("*.py")),
    ROOT / "app.py",
]


@pytest.mark.parametrize("path", SOURCES, ids=lambda path: str(path.relative_to(ROOT)))
def test_the_environment_is_read_only_through_the_settings(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    assert not re.search(r"\bos\.environ\b|\bgetenv\(", source), (
        f"{path.relative_to(ROOT)} reads the environment: add a field to Settings instead"
    )


def test_every_readiness_variable_named_in_the_code_is_a_setting() -> None:
    known = {env_name(field) for field in Settings.model_fields}
    named = {
        name
        for path in SOURCES
        for name in re.findall(r"\bREADINESS_[A-Z][A-Z_]*[A-Z]\b", path.read_text(encoding="utf-8"))
    }
    assert named - known == set()


# --- pages ---------------------------------------------------------------------------------


def page_titles() -> list[str]:
    """The ``title=`` of every ``st.Page(...)`` in app.py's navigation, read from its source."""
    tree = ast.parse((ROOT / "app.py").read_text(encoding="utf-8"))
    titles = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "Page"
        ):
            for keyword in node.keywords:
                if keyword.arg == "title" and isinstance(keyword.value, ast.Constant):
                    titles.append(str(keyword.value.value))
    return titles


PAGE_TITLES = page_titles()


def test_every_page_file_has_its_title_read() -> None:
    # Guards the reader: one title per page script, so no page escapes the check below.
    scripts = [p for p in (ROOT / "pages").glob("*.py") if not p.name.startswith("_")]
    assert len(PAGE_TITLES) == len(scripts) >= 8


@pytest.mark.parametrize("title", PAGE_TITLES)
def test_every_page_is_documented(title: str) -> None:
    headings = sections(DASHBOARD_DOC.read_text(encoding="utf-8"))
    assert title in headings, f"docs/dashboard.md has no '## {title}' section"
    assert len(headings[title].split()) >= 20, f"docs/dashboard.md says too little of {title}"


# --- the README and links ------------------------------------------------------------------


def test_the_readme_is_a_front_door() -> None:
    text = README.read_text(encoding="utf-8")
    lines = text.count("\n")
    assert lines <= README_MAX_LINES, f"README.md has {lines} lines (at most {README_MAX_LINES})"
    for command in ("make run", "make test", "make check"):
        assert command in text
    assert "](docs/images/growth.png)" in text


def test_the_readme_picture_is_small() -> None:
    picture = DOCS / "images" / "growth.png"
    assert picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert picture.stat().st_size <= 200_000


def github_anchor(heading: str) -> str:
    """The anchor GitHub gives a Markdown heading (``## `readiness fit` `` -> readiness-fit)."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


MARKDOWN = [README, *sorted(DOCS.rglob("*.md")), *sorted((ROOT / "bench" / "results").glob("*.md"))]
LINK = re.compile(r"\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")


def relative_links(path: Path) -> list[str]:
    """The link targets of ``path`` that are neither web addresses nor e-mail addresses."""
    text = re.sub(r"```.*?```", "", path.read_text(encoding="utf-8"), flags=re.DOTALL)
    return [
        target
        for target in LINK.findall(text)
        if not re.match(r"[a-z]+:", target) and not target.startswith("<")
    ]


@pytest.mark.parametrize("path", MARKDOWN, ids=lambda path: str(path.relative_to(ROOT)))
def test_every_relative_link_resolves(path: Path) -> None:
    for target in relative_links(path):
        file_part, _, anchor = target.partition("#")
        linked = (path.parent / file_part).resolve() if file_part else path
        assert linked.exists(), f"{path.relative_to(ROOT)} links to {target}: no such file"
        if anchor and linked.suffix == ".md":
            anchors = {
                github_anchor(h.group(2))
                for h in HEADING.finditer(linked.read_text(encoding="utf-8"))
            }
            assert anchor in anchors, f"{path.relative_to(ROOT)} links to {target}: no heading"


def test_the_link_check_sees_links_and_anchors() -> None:
    # Guards the checker: the README's links into docs/ are found, and anchors are made as
    # GitHub makes them.
    assert "docs/command-line.md" in relative_links(README)
    assert github_anchor("`readiness assessments export`") == "readiness-assessments-export"
    assert github_anchor("Load: people on one server") == "load-people-on-one-server"
