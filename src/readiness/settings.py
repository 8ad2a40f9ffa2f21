"""The configuration: every ``READINESS_*`` environment variable, read in one place.

Each field is the lower-case variable name without the ``READINESS_`` prefix
(``READINESS_DATABASE_URL`` is :attr:`Settings.database_url`). Empty or blank values count as
unset. The Configuration table of ``docs/team.md`` lists every field with its default
(``tests/test_docs.py`` checks it).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import Field, PrivateAttr, ValidationError, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from readiness.errors import InputError, describe_validation_error

ENV_PREFIX = "READINESS_"
#: Where the default SQLite store lives (before ``~`` is expanded).
DEFAULT_DATA_HOME = Path("~/.local/share/readiness")
#: The practice of employee-survey tools: no group smaller than this is shown on its own.
DEFAULT_MIN_GROUP_SIZE = 5
#: Settings whose bad value is reported where they are used, not by every reader: a mistyped
#: minimum group size must not stop the pages that show no groups.
CHECKED_WHERE_USED = frozenset({"min_group_size"})


class Settings(BaseSettings):
    """The ``READINESS_*`` environment variables, with their defaults."""

    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, frozen=True, extra="ignore")
    #: Problems of CHECKED_WHERE_USED variables (their fields then hold the default).
    _problems: tuple[str, ...] = PrivateAttr(default=())

    database_url: str | None = Field(
        default=None,
        description="Any SQLAlchemy URL of the store; wins over data_home.",
        json_schema_extra={"default_text": "SQLite file `$READINESS_DATA_HOME/readiness.db`"},
    )
    data_home: Path = Field(
        default=DEFAULT_DATA_HOME,
        description="The directory of the default SQLite store (readiness.db).",
    )
    data_dir: Path | None = Field(
        default=None,
        description="A directory of data files replacing the ones shipped in the package.",
        json_schema_extra={"default_text": "the files shipped in the package (`data/`)"},
    )
    access_file: Path | None = Field(
        default=None,
        description="The TOML file of access rules (role and organizations of who signs in).",
        json_schema_extra={"default_text": "none: with sign-in, nobody has access"},
    )
    min_group_size: int = Field(
        default=DEFAULT_MIN_GROUP_SIZE,
        ge=1,
        le=1000,
        description="The smallest group of respondents or people shown on its own; smaller "
        "divisions are merged into 'other divisions' on every surface.",
    )

    @field_validator("database_url", "data_dir", "access_file", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        # A variable set to "" or spaces (a common shell slip) means "use the default".
        if isinstance(value, str):
            return value.strip() or None
        return value

    @field_validator("data_home", "min_group_size", mode="before")
    @classmethod
    def _blank_is_default(cls, value: object, info: ValidationInfo) -> object:
        if isinstance(value, str) and not value.strip():
            return cls.model_fields[str(info.field_name)].default
        return value.strip() if isinstance(value, str) else value

    @field_validator("data_home", "data_dir", "access_file", mode="after")
    @classmethod
    def _expand_user(cls, value: Path | None) -> Path | None:
        return value.expanduser() if value is not None else None


def env_name(field: str) -> str:
    """The environment variable of a settings field (``data_home`` -> ``READINESS_DATA_HOME``)."""
    return f"{ENV_PREFIX}{field.upper()}"


def default_text(field: str) -> str:
    """A field's default as docs/team.md states it: the value in backticks, or what unset means."""
    info = Settings.model_fields[field]
    if info.default is not None:
        return f"`{info.default}`"
    extra = info.json_schema_extra
    text = extra.get("default_text") if isinstance(extra, dict) else None
    if not isinstance(text, str):
        raise ValueError(f"setting {field} has no default and no default_text for unset")
    return text


def load_settings() -> Settings:
    """The settings as the environment gives them now (read on every call: cheap, never stale).

    A variable that is not a valid value is an :class:`InputError` naming the variable; for the
    CHECKED_WHERE_USED ones, only where they are used (:func:`checked`)."""
    try:
        return Settings()
    except ValidationError as error:
        names = {field: env_name(field) for field in Settings.model_fields}
        problems = describe_validation_error(error, "", field_names=names)
        fields = {str(detail["loc"][0]) for detail in error.errors() if detail["loc"]}
        if not fields or not fields <= CHECKED_WHERE_USED:
            raise InputError(problems) from None
    defaults: dict[str, Any] = {field: Settings.model_fields[field].default for field in fields}
    settings = Settings(**defaults)
    settings._problems = tuple(problems)
    return settings


def checked(settings: Settings, field: str) -> None:
    """Raise the :class:`InputError` of ``field``'s variable, when its value was not valid."""
    problems = [line for line in settings._problems if line.startswith(f"{env_name(field)}:")]
    if problems:
        raise InputError(problems)
