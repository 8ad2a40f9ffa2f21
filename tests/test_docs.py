"""The README documents every setting with its default, and nothing reads the environment elsewhere.

datasette's ``tests/test_docs.py`` idea: the documentation is checked against the code, so a new
setting cannot ship undocumented and a removed one cannot linger in the README.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from readiness.settings import Settings, default_text, env_name

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"


def configuration_table() -> dict[str, tuple[str, str]]:
    """The README's Configuration table: variable -> (default cell, meaning cell)."""
    text = README.read_text(encoding="utf-8")
    match = re.search(r"^## Configuration\n(.*?)(?=^## )", text, flags=re.MULTILINE | re.DOTALL)
    assert match, "README.md has no '## Configuration' section"
    rows: dict[str, tuple[str, str]] = {}
    for line in match.group(1).splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 3 and re.fullmatch(r"`READINESS_[A-Z_]+`", cells[0]):
            rows[cells[0].strip("`")] = (cells[1], cells[2])
    return rows


@pytest.fixture(scope="module")
def table() -> dict[str, tuple[str, str]]:
    return configuration_table()


@pytest.mark.parametrize("field", sorted(Settings.model_fields))
def test_every_setting_is_in_the_readme_with_its_default(
    field: str, table: dict[str, tuple[str, str]]
) -> None:
    variable = env_name(field)
    assert variable in table, f"README.md's Configuration table has no row for {variable}"
    default, meaning = table[variable]
    assert default == default_text(field), f"{variable}: README says {default!r}"
    assert meaning, f"{variable}: the README row does not say what it means"


def test_the_readme_documents_no_setting_that_does_not_exist(
    table: dict[str, tuple[str, str]],
) -> None:
    known = {env_name(field) for field in Settings.model_fields}
    assert set(table) - known == set()


def test_the_configuration_table_is_parsed() -> None:
    # Guards the parser itself: a table it cannot read would make the checks above vacuous.
    assert len(configuration_table()) == len(Settings.model_fields) >= 3


SOURCES = [
    *sorted((ROOT / "src" / "readiness").rglob("*.py")),
    *sorted((ROOT / "pages").glob("*.py")),
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
