"""The names of the curve models readiness fits, in the order ``auto`` tries them."""

from __future__ import annotations

from typing import Literal

FitModelName = Literal["logistic", "gompertz", "bass"]
FIT_MODELS: tuple[FitModelName, ...] = ("logistic", "gompertz", "bass")
