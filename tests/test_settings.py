"""The settings object: READINESS_ prefix, defaults, blank values, the data directory override."""

from __future__ import annotations

from pathlib import Path

import pytest

from readiness.errors import InputError
from readiness.groups import min_group_size
from readiness.paths import DATA_DIR_ENV, data_file
from readiness.settings import Settings, env_name, load_settings

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def bare_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for field in Settings.model_fields:
        monkeypatch.delenv(env_name(field), raising=False)
    return monkeypatch


def test_the_defaults(bare_env: pytest.MonkeyPatch) -> None:
    settings = load_settings()
    assert settings.database_url is None
    assert settings.data_home == Path("~/.local/share/readiness").expanduser()
    assert settings.data_dir is None
    assert settings.min_group_size == 5


def test_each_field_is_read_from_its_prefixed_variable(
    bare_env: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    bare_env.setenv("READINESS_DATABASE_URL", " sqlite:///x.db ")
    bare_env.setenv("READINESS_DATA_HOME", str(tmp_path / "home"))
    bare_env.setenv("READINESS_DATA_DIR", str(tmp_path / "data"))
    bare_env.setenv("READINESS_MIN_GROUP_SIZE", " 8 ")
    bare_env.setenv("DATABASE_URL", "postgresql://not-ours")  # unprefixed: ignored
    settings = load_settings()
    assert settings.min_group_size == 8
    assert settings.database_url == "sqlite:///x.db"
    assert settings.data_home == tmp_path / "home"
    assert settings.data_dir == tmp_path / "data"


@pytest.mark.parametrize("blank", ["", "   "])
def test_a_blank_variable_counts_as_unset(bare_env: pytest.MonkeyPatch, blank: str) -> None:
    for field in Settings.model_fields:
        bare_env.setenv(env_name(field), blank)
    assert load_settings() == Settings.model_construct(
        database_url=None, data_home=Path("~/.local/share/readiness").expanduser(), data_dir=None
    )


def test_data_files_come_from_the_package_unless_a_directory_replaces_them(
    bare_env: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    shipped = data_file("questionnaire.yaml")
    assert shipped.is_file()
    # In this checkout the package readiness.data is the top-level data/ folder.
    assert shipped.parent.resolve() == (ROOT / "data").resolve()
    bare_env.setenv(DATA_DIR_ENV, str(tmp_path))
    assert data_file("questionnaire.yaml") == tmp_path / "questionnaire.yaml"


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("0", "READINESS_MIN_GROUP_SIZE: Input should be greater than or equal to 1"),
        ("five", "READINESS_MIN_GROUP_SIZE: Input should be a valid integer"),
        ("2.5", "READINESS_MIN_GROUP_SIZE: Input should be a valid integer"),
    ],
)
def test_a_minimum_group_size_that_is_not_a_whole_number_from_1_is_one_clear_line(
    bare_env: pytest.MonkeyPatch, value: str, problem: str
) -> None:
    bare_env.setenv("READINESS_MIN_GROUP_SIZE", value)
    bare_env.setenv("READINESS_DATA_HOME", "/srv/readiness")
    # Other settings stay readable: pages that show no groups are not stopped by it.
    assert load_settings().data_home == Path("/srv/readiness")
    with pytest.raises(InputError) as error:
        min_group_size()
    assert len(error.value.problems) == 1
    assert error.value.problems[0].startswith(problem)
