"""The names of the curve models readiness fits: those ``auto`` tries, in its order, and the
Generalized Bass Model with shocks, fitted only when asked for (its shocks say what to look for)."""

from __future__ import annotations

from typing import Literal

FitModelName = Literal["logistic", "gompertz", "bass", "gbm"]
#: The models ``auto`` ranks by AIC.
FIT_MODELS: tuple[FitModelName, ...] = ("logistic", "gompertz", "bass")
#: Models with shocks: fitted by name, beside the plain Bass fit they extend.
SHOCK_MODELS: tuple[FitModelName, ...] = ("gbm",)

ShockShape = Literal["rectangular", "exponential"]
#: A shock's shape: a campaign with an end, or an effect that fades.
SHOCK_SHAPES: tuple[ShockShape, ...] = ("rectangular", "exponential")
#: The most shocks one fit takes.
MAX_SHOCKS = 3
