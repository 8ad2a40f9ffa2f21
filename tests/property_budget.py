"""How many examples a property test draws: as written in CI and ``make test``, a fifth (at
least 10) in the fast lane (``make check`` sets ``HYPOTHESIS_PROFILE=fast``), where the inner
loop wants an answer in seconds and the full run explores the rest."""

from __future__ import annotations

import os

FAST = os.environ.get("HYPOTHESIS_PROFILE") == "fast"


def examples(written: int) -> int:
    """``written`` examples, or a fifth of them (at least 10) in the fast lane."""
    return max(10, written // 5) if FAST else written
