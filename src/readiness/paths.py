"""Where things live: the reviewable data files, and the settings that place the store."""

from __future__ import annotations

import os
from pathlib import Path

#: Any SQLAlchemy URL of the store (wins over the data home).
DATABASE_URL_ENV = "READINESS_DATABASE_URL"
#: The directory of the default SQLite store.
DATA_HOME_ENV = "READINESS_DATA_HOME"

DATA_DIR = Path(os.environ.get("READINESS_DATA_DIR", Path(__file__).resolve().parents[2] / "data"))


def data_file(name: str) -> Path:
    """Path of a file in the data directory (``data/`` at the repository root by default)."""
    return DATA_DIR / name
