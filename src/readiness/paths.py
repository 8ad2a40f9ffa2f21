"""Where things live: the reviewable data files, and the settings that place the store.

The data files (questionnaire, rules, stages, presets, levers, benchmarks) are kept in the
top-level ``data/`` folder of the repository and shipped inside the wheel as the package
``readiness.data`` (see ``package-dir`` in ``pyproject.toml``), so an installed copy reads its own.
``READINESS_DATA_DIR`` replaces the whole folder.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from readiness.settings import env_name, load_settings

#: Any SQLAlchemy URL of the store (wins over the data home).
DATABASE_URL_ENV = env_name("database_url")
#: The directory of the default SQLite store.
DATA_HOME_ENV = env_name("data_home")
#: A directory of data files replacing the ones shipped in the package.
DATA_DIR_ENV = env_name("data_dir")

#: The package the data files are shipped in.
DATA_PACKAGE = "readiness.data"


def data_dir() -> Path:
    """The data directory: ``READINESS_DATA_DIR``, else the files shipped in the package."""
    configured = load_settings().data_dir
    if configured is not None:
        return configured
    # A wheel is installed unpacked (and an editable install maps the package to ``data/``),
    # so the package's resources are files on disk.
    return Path(str(files(DATA_PACKAGE)))


def data_file(name: str) -> Path:
    """Path of one data file, e.g. ``data_file("questionnaire.yaml")``."""
    return data_dir() / name
