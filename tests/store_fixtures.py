"""Fixtures for the store tests: one database per test, on SQLite and on PostgreSQL.

PostgreSQL comes from ``READINESS_TEST_POSTGRES_URL`` (a server where the tests may create
databases) or, when the server binaries are installed (``/usr/lib/postgresql/*/bin/initdb``), from
a throwaway cluster started on 127.0.0.1 for the session. Without either the PostgreSQL cases are
skipped, unless ``READINESS_REQUIRE_POSTGRES=1`` (CI), which makes them fail.

The root ``tests/conftest.py`` loads this as a plugin: every test may ask for its fixtures.
"""

from __future__ import annotations

import datetime as dt
import glob
import os
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy.engine import make_url
from streamlit_server import free_port

from readiness.assessment import Assessment, Profile
from readiness.questionnaire import load_questionnaire
from readiness.store import Store, open_store

POSTGRES_URL_ENV = "READINESS_TEST_POSTGRES_URL"
REQUIRE_POSTGRES_ENV = "READINESS_REQUIRE_POSTGRES"
BACKENDS = ("sqlite", "postgresql")
INITDB_OPTIONS = ("-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")


def _unavailable(reason: str) -> None:
    if os.environ.get(REQUIRE_POSTGRES_ENV) == "1":
        pytest.fail(f"PostgreSQL is required ({REQUIRE_POSTGRES_ENV}=1) but {reason}")
    pytest.skip(f"PostgreSQL not available: {reason}")


def libpq_url(url: str) -> str:
    """A SQLAlchemy PostgreSQL URL as psycopg's connection string (no driver, password kept)."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def postgres_admin_url() -> Iterator[str]:
    """A SQLAlchemy URL of a PostgreSQL database whose user may create databases."""
    configured = os.environ.get(POSTGRES_URL_ENV, "").strip()
    if configured:
        yield configured
        return
    binaries = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not binaries:
        _unavailable(f"{POSTGRES_URL_ENV} is not set and no PostgreSQL server is installed")
    bin_dir = Path(binaries[-1]).parent
    root = Path(tempfile.mkdtemp(prefix="readiness-pg-"))
    prefix: list[str] = []
    if os.geteuid() == 0:  # initdb refuses to run as root
        shutil.chown(root, "postgres", "postgres")
        prefix = ["runuser", "-u", "postgres", "--"]
    data, port = root / "data", free_port()
    options = (
        f"-c listen_addresses=127.0.0.1 -p {port} -c unix_socket_directories={root} "
        "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
    )
    start = ["-t", "30", "-o", options, "start"]
    try:
        subprocess.run(
            [*prefix, str(bin_dir / "initdb"), "-D", str(data), *INITDB_OPTIONS],
            check=True,
            capture_output=True,
        )
        subprocess.run(
            [
                *prefix,
                str(bin_dir / "pg_ctl"),
                "-D",
                str(data),
                "-l",
                str(root / "log"),
                "-w",
                *start,
            ],
            check=True,
            capture_output=True,
        )
    except (subprocess.CalledProcessError, OSError) as error:
        log = root / "log"
        detail = getattr(error, "stderr", b"") or b""
        if log.exists():
            detail += log.read_bytes()
        shutil.rmtree(root, ignore_errors=True)
        _unavailable(f"the throwaway cluster did not start ({error}): {detail.decode()[-800:]}")
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            [*prefix, str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
            check=False,
            capture_output=True,
        )
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def postgres_url(postgres_admin_url: str) -> Iterator[str]:
    """A fresh, empty PostgreSQL schema for one test (its URL sets ``search_path``); dropped after.

    A schema is created in milliseconds where a database takes a few hundred.
    """
    name = f"readiness_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(libpq_url(postgres_admin_url), autocommit=True) as admin:
        admin.execute(f'CREATE SCHEMA "{name}"')
    try:
        url = make_url(postgres_admin_url).update_query_dict({"options": f"-csearch_path={name}"})
        yield url.render_as_string(hide_password=False)
    finally:
        with psycopg.connect(libpq_url(postgres_admin_url), autocommit=True) as admin:
            admin.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'data' / 'readiness.db'}"


@pytest.fixture(
    params=[
        pytest.param("sqlite"),
        pytest.param("postgresql", marks=pytest.mark.postgres),
    ]
)
def database_url(request: pytest.FixtureRequest) -> str:
    """A URL of an empty database, once per backend."""
    fixture = "sqlite_url" if request.param == "sqlite" else "postgres_url"
    url: str = request.getfixturevalue(fixture)
    return url


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    with open_store(database_url) as opened:
        yield opened


def sample_answers(seed: int = 0) -> dict[str, Any]:
    """A complete, valid set of answers that varies with ``seed``."""
    questionnaire = load_questionnaire()
    answers: dict[str, Any] = {}
    for position, item in enumerate(questionnaire.items):
        turn = seed + position
        if item.kind == "likert":
            answers[item.id] = 1 + turn % 5
        elif item.kind == "number":
            assert item.bounds is not None
            answers[item.id] = float(turn % int(min(item.bounds.max, 100)))
        elif item.kind == "choice":
            answers[item.id] = item.options[turn % len(item.options)].id
        else:
            answers[item.id] = [o.id for k, o in enumerate(item.options) if (turn + k) % 2]
    return answers


def sample_assessment(
    organization: str = "Acme Ltd",
    division: str | None = "Sales",
    seed: int = 0,
    assessed_on: dt.date = dt.date(2026, 3, 31),
    **answer_overrides: Any,
) -> Assessment:
    questionnaire = load_questionnaire()
    return Assessment(
        profile=Profile(
            organization=organization, division=division, sector="private", size="250-999"
        ),
        questionnaire_version=questionnaire.version,
        assessed_on=assessed_on,
        answers={**sample_answers(seed), **answer_overrides},
    )


@pytest.fixture
def make_assessment() -> Callable[..., Assessment]:
    """:func:`sample_assessment` as a fixture."""
    return sample_assessment


@pytest.fixture
def make_answers() -> Callable[[int], dict[str, Any]]:
    """:func:`sample_answers` as a fixture."""
    return sample_answers


@pytest.fixture
def unused_port() -> int:
    """A TCP port on 127.0.0.1 with nothing listening."""
    return free_port()
