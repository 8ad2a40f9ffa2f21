"""An adoption history, validated: what every curve model is fitted to."""

from __future__ import annotations

import math
from typing import Literal

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, ConfigDict, Field

FloatArray = npt.NDArray[np.float64]
Kind = Literal["per-period", "cumulative"]
Unit = Literal["share", "percent", "count"]


class Observations(BaseModel):
    """A validated adoption history: periods in decimal years, values as shares 0-1, or as
    counts when counts were given without a population.

    ``kind`` says whether each value is cumulative (``cumulative``) or adopted during the period
    (``per-period``). ``unit`` and ``population`` remember how the values were given so results
    can be reported the same way.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    periods: tuple[float, ...]
    values: tuple[float, ...]
    kind: Kind = "cumulative"
    unit: Unit = "share"
    population: float | None = Field(default=None, gt=0)
    source: str = "observations"

    @property
    def x(self) -> FloatArray:
        """Periods as a numpy array (decimal years)."""
        return np.asarray(self.periods, dtype=np.float64)

    @property
    def y(self) -> FloatArray:
        """Values as a numpy array (shares 0-1, or counts without a population)."""
        return np.asarray(self.values, dtype=np.float64)

    @property
    def step(self) -> float:
        """Typical spacing of the periods in years (median; 1.0 for a single point)."""
        return float(np.median(np.diff(self.x))) if len(self.periods) > 1 else 1.0

    @property
    def previous(self) -> FloatArray:
        """The period before each one (decimal years): a per-period value is adopted since then;
        the first period's is one step earlier."""
        x = self.x
        return np.concatenate([[x[0] - self.step], x[:-1]])

    @property
    def cumulative_max(self) -> float:
        """Highest cumulative value observed (the sum of increments for per-period data)."""
        return float(self.y.sum() if self.kind == "per-period" else self.y.max())

    @property
    def scale(self) -> float:
        """The unit fits are computed in: the highest cumulative value (1 when every value is 0),
        so the ceiling is about 1 whatever the unit or population and an optimizer's tolerances
        are relative."""
        highest = self.cumulative_max
        return highest if highest > 0 else 1.0

    @property
    def in_counts(self) -> bool:
        """True when the values are counts without a population (the ceiling is a count)."""
        return self.unit == "count" and self.population is None

    @property
    def ceiling_limit(self) -> float:
        """Highest possible ceiling: a share of 1, or no limit for counts without a population."""
        return math.inf if self.in_counts else 1.0

    @property
    def unit_factor(self) -> float:
        """How many of the history's own units one value is (100 for percent, the population
        for counts of a population, else 1)."""
        if self.unit == "percent":
            return 100.0
        if self.unit == "count":
            return float(self.population or 1.0)
        return 1.0

    def in_unit(self, values: npt.ArrayLike) -> FloatArray:
        """Convert values (shares 0-1, or counts) back to this history's unit."""
        return np.asarray(values, dtype=np.float64) * self.unit_factor
