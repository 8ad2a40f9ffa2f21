"""Where the reviewable data files live."""

from __future__ import annotations

import os
from pathlib import Path

DATA_DIR = Path(os.environ.get("READINESS_DATA_DIR", Path(__file__).resolve().parents[2] / "data"))


def data_file(name: str) -> Path:
    """Path of a file in the data directory (``data/`` at the repository root by default)."""
    return DATA_DIR / name
