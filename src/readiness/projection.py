"""Adoption growth scenarios: capped exponential, logistic, Gompertz and Bass curves.

Units everywhere in this module: time in **years** (fractional for monthly steps), adoption as a
**share 0-1** of the population (never percent). ``F(t)`` is the cumulative adopted share and ``m``
the ceiling (the share that ever adopts).

Each curve is anchored at a start share ``F0`` in a start year ``y0``; ``t = year - y0``:

- capped exponential ("doubling" when ``g = 2``): ``F(t) = min(m, F0 g^t)``;
- logistic: ``F(t) = m / (1 + ((m - F0) / F0) e^(-r t))``;
- Gompertz: ``F(t) = m exp(-b e^(-c t))`` with ``b = -ln(F0 / m)``;
- Bass (1969): ``F(s) = m (1 - e^(-(p+q)s)) / (1 + (q/p) e^(-(p+q)s))`` with ``s = t + t0`` where
  ``t0`` is the time since launch at which the curve reaches ``F0`` (closed-form inverse); the
  curve is the fitted Bass model's (:func:`readiness.fitting.bass_model.bass_fraction`).

Evaluation is vectorised: :func:`evaluate` computes many scenarios over many time points in one
call, grouping scenarios by model and broadcasting parameter columns against the time axis.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, Self

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from readiness.errors import InputError, describe_validation_error
from readiness.fitting.bass_model import bass_fraction, bass_years_to
from readiness.paths import data_file
from readiness.textfiles import read_yaml_mapping

if TYPE_CHECKING:
    import pandas as pd

FloatArray = npt.NDArray[np.float64]
ModelName = Literal["doubling", "logistic", "gompertz", "bass"]
Step = Literal["year", "month"]
MODELS: tuple[ModelName, ...] = ("doubling", "logistic", "gompertz", "bass")

#: Literature means for Bass (Sultan, Farley & Lehmann 1990, 213 applications, yearly data).
LITERATURE_P = 0.03
LITERATURE_Q = 0.38

#: Rogers adopter categories: (name, upper bound of cumulative share of eventual adopters).
ROGERS_CATEGORIES: tuple[tuple[str, float], ...] = (
    ("innovators", 0.025),
    ("early adopters", 0.16),
    ("early majority", 0.50),
    ("late majority", 0.84),
    ("laggards", 1.0),
)

STEP_YEARS: dict[str, float] = {"year": 1.0, "month": 1.0 / 12.0}

Share = Annotated[float, Field(ge=0.0, le=1.0)]


class Scenario(BaseModel):
    """One adoption scenario: a model, its parameters, where it starts and how far it looks.

    Shares are 0-1, years are calendar years (``start_year``) or durations in years
    (``horizon``). Only the parameters of the chosen model may be given:
    ``g`` (doubling), ``r`` (logistic), ``c`` (Gompertz rate), ``p`` and ``q`` (Bass).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    model: ModelName
    name: str = ""
    start_year: float = Field(ge=1900, le=2200, description="calendar year of the start share")
    start_share: Share = Field(description="adopted share 0-1 at start_year")
    ceiling: float = Field(default=1.0, gt=0.0, le=1.0, description="share 0-1 that ever adopts")
    horizon: float = Field(default=10.0, gt=0.0, le=200.0, description="years to project")
    step: Step = "year"
    g: float | None = Field(default=None, ge=1.0, le=100.0, description="growth factor per year")
    r: float | None = Field(default=None, gt=0.0, le=20.0, description="logistic rate per year")
    c: float | None = Field(default=None, gt=0.0, le=20.0, description="Gompertz rate per year")
    p: float | None = Field(default=None, gt=0.0, le=1.0, description="Bass innovation")
    q: float | None = Field(default=None, ge=0.0, le=5.0, description="Bass imitation")

    @model_validator(mode="after")
    def _check_parameters(self) -> Self:
        required: dict[str, tuple[str, ...]] = {
            "doubling": ("g",),
            "logistic": ("r",),
            "gompertz": ("c",),
            "bass": ("p", "q"),
        }
        needed = required[self.model]
        missing = [name for name in needed if getattr(self, name) is None]
        if missing:
            raise ValueError(f"model {self.model} needs parameter(s) {', '.join(missing)}")
        extra = [
            name
            for name in ("g", "r", "c", "p", "q")
            if name not in needed and getattr(self, name) is not None
        ]
        if extra:
            raise ValueError(f"model {self.model} does not use parameter(s) {', '.join(extra)}")
        if self.start_share > self.ceiling:
            raise ValueError(
                f"start share {self.start_share:g} is above the ceiling {self.ceiling:g}"
            )
        if self.model != "bass" and self.start_share <= 0.0:
            raise ValueError(f"model {self.model} cannot grow from a start share of 0")
        return self

    @property
    def label(self) -> str:
        """A short human label: the name if given, else the model and its parameters."""
        if self.name:
            return self.name
        params = ", ".join(f"{k}={v:g}" for k, v in self.parameters.items())
        return f"{self.model} ({params})"

    @property
    def parameters(self) -> dict[str, float]:
        """The growth parameters this model uses, by name."""
        names = {"doubling": ("g",), "logistic": ("r",), "gompertz": ("c",), "bass": ("p", "q")}
        return {n: float(getattr(self, n)) for n in names[self.model]}

    @property
    def end_year(self) -> float:
        """Last calendar year of the projection."""
        return self.start_year + self.horizon

    def years(self) -> FloatArray:
        """This scenario's own time axis: start year to start + horizon, by its step."""
        return time_axis(self.start_year, self.horizon, self.step)


def time_axis(start_year: float, horizon: float, step: Step = "year") -> FloatArray:
    """Calendar years from ``start_year`` to ``start_year + horizon`` inclusive, by ``step``."""
    dt = STEP_YEARS[step]
    n = math.floor(horizon / dt + 1e-9) + 1
    return start_year + dt * np.arange(n, dtype=np.float64)


# --- closed-form curves (numpy broadcasting; t in years since the start) ----------------------


def capped_exponential_share(
    t: npt.ArrayLike, f0: npt.ArrayLike, g: npt.ArrayLike, m: npt.ArrayLike
) -> FloatArray:
    """``min(m, F0 g^t)``: exponential growth by factor ``g`` per year, capped at the ceiling."""
    t_, f0_, g_, m_ = (np.asarray(x, dtype=np.float64) for x in (t, f0, g, m))
    # exp(t ln g), not power(g, t): the same values, much cheaper on large arrays.
    with np.errstate(over="ignore"):
        grown = np.exp(t_ * np.log(g_))
    grown *= f0_
    return np.asarray(np.minimum(m_, grown, out=grown), dtype=np.float64)


def logistic_share(
    t: npt.ArrayLike, f0: npt.ArrayLike, r: npt.ArrayLike, m: npt.ArrayLike
) -> FloatArray:
    """Logistic curve through ``F0`` at ``t = 0`` with rate ``r`` per year and ceiling ``m``."""
    t_, f0_, r_, m_ = (np.asarray(x, dtype=np.float64) for x in (t, f0, r, m))
    with np.errstate(over="ignore", divide="ignore"):
        a = (m_ - f0_) / f0_
        return np.asarray(m_ / (1.0 + a * np.exp(-r_ * t_)), dtype=np.float64)


def gompertz_share(
    t: npt.ArrayLike, f0: npt.ArrayLike, c: npt.ArrayLike, m: npt.ArrayLike
) -> FloatArray:
    """Gompertz curve ``m exp(-b e^(-c t))`` through ``F0`` at ``t = 0`` (``b = -ln(F0/m)``).

    ``t`` in years, ``c`` per year; ``F0``, ``m`` and the result in the same unit (shares 0-1)."""
    t_, f0_, c_, m_ = (np.asarray(x, dtype=np.float64) for x in (t, f0, c, m))
    with np.errstate(over="ignore", divide="ignore"):
        b = -np.log(f0_ / m_)
        return np.asarray(m_ * np.exp(-b * np.exp(-c_ * t_)), dtype=np.float64)


def bass_share(
    t: npt.ArrayLike, f0: npt.ArrayLike, p: npt.ArrayLike, q: npt.ArrayLike, m: npt.ArrayLike
) -> FloatArray:
    """Bass curve shifted in time so that it passes through ``F0`` at ``t = 0``.

    ``t`` in years, ``p`` and ``q`` per year; ``F0``, ``m`` and the result in the same unit
    (shares 0-1)."""
    m_ = np.asarray(m, dtype=np.float64)
    t0 = bass_years_to(np.asarray(f0, dtype=np.float64) / m_, p, q)
    return np.asarray(
        m_ * bass_fraction(np.asarray(t, dtype=np.float64) + t0, p, q), dtype=np.float64
    )


# --- vectorised evaluation ------------------------------------------------------------------


@dataclass(frozen=True)
class Curves:
    """Evaluated scenarios: ``shares[i, j]`` is scenario ``i``'s share 0-1 at ``years[j]``."""

    scenarios: tuple[Scenario, ...]
    years: FloatArray
    shares: FloatArray


def _parameter_table(scenarios: Sequence[Scenario]) -> FloatArray:
    """Columns: start year, start share, ceiling, horizon, first and second growth parameter."""
    return np.array(
        [
            (
                s.start_year,
                s.start_share,
                s.ceiling,
                s.horizon,
                s.g or s.r or s.c or s.p or 0.0,
                s.q or 0.0,
            )
            for s in scenarios
        ],
        dtype=np.float64,
    )


def _evaluate_group(model: ModelName, table: FloatArray, t: FloatArray) -> FloatArray:
    f0, m, a, b = (table[:, j : j + 1] for j in (1, 2, 4, 5))
    if model == "doubling":
        return capped_exponential_share(t, f0, a, m)
    if model == "logistic":
        return logistic_share(t, f0, a, m)
    if model == "gompertz":
        return gompertz_share(t, f0, a, m)
    return bass_share(t, f0, a, b, m)


def evaluate(scenarios: Iterable[Scenario], years: npt.ArrayLike | None = None) -> Curves:
    """Evaluate many scenarios over many calendar years in one vectorised call.

    With ``years`` given, every scenario is evaluated at those calendar years (before a
    scenario's start year the curve is extended backwards; Bass is 0 before its launch).
    Without ``years``, the axis runs from the earliest start to the latest end at the finest
    step among the scenarios, and points outside a scenario's own window are NaN.
    Returns shares 0-1 as a 2-D array (scenarios x years), clipped to [0, ceiling].
    """
    scenario_list = tuple(scenarios)
    if not scenario_list:
        raise InputError("no scenarios to evaluate")
    mask_window = years is None
    if years is None:
        step: Step = "month" if any(s.step == "month" for s in scenario_list) else "year"
        start = min(s.start_year for s in scenario_list)
        end = max(s.end_year for s in scenario_list)
        axis = time_axis(start, end - start, step)
    else:
        axis = np.atleast_1d(np.asarray(years, dtype=np.float64))
    table = _parameter_table(scenario_list)
    shares = np.empty((len(scenario_list), axis.size), dtype=np.float64)
    models = np.array([MODELS.index(s.model) for s in scenario_list])
    for code, model in enumerate(MODELS):
        index = np.flatnonzero(models == code)
        if index.size == 0:
            continue
        # A contiguous block is evaluated in place of a slice, avoiding a fancy-index copy.
        block = slice(index[0], index[-1] + 1) if index[-1] - index[0] + 1 == index.size else index
        group = table[block]
        t = axis[None, :] - group[:, 0:1]
        shares[block] = _evaluate_group(model, group, t)
    np.clip(shares, 0.0, table[:, 2:3], out=shares)
    if mask_window:
        tol = 1e-9
        start_col = table[:, 0:1]
        outside = (axis[None, :] < start_col - tol) | (
            axis[None, :] > start_col + table[:, 3:4] + tol
        )
        shares[outside] = np.nan
    return Curves(scenarios=scenario_list, years=axis, shares=shares)


def evaluate_one(scenario: Scenario) -> tuple[FloatArray, FloatArray]:
    """One scenario on its own time axis: ``(years, shares 0-1)``."""
    curves = evaluate([scenario], scenario.years())
    return curves.years, curves.shares[0]


def curves_frame(scenarios: Iterable[Scenario]) -> pd.DataFrame:
    """Long frame for charts: columns ``scenario`` (label), ``model``, ``year``, ``share`` (0-1).

    Each scenario appears on its own time axis (start year to start + horizon).
    """
    import pandas as pd  # a frame for charts; projecting needs none

    scenario_list = tuple(scenarios)
    if not scenario_list:
        return pd.DataFrame({"scenario": [], "model": [], "year": [], "share": []})
    curves = evaluate(scenario_list)
    labels = np.array([s.label for s in scenario_list], dtype=object)
    models = np.array([s.model for s in scenario_list], dtype=object)
    rows, cols = np.nonzero(~np.isnan(curves.shares))
    return pd.DataFrame(
        {
            "scenario": labels[rows],
            "model": models[rows],
            "year": curves.years[cols],
            "share": curves.shares[rows, cols],
        }
    )


# --- calibration ------------------------------------------------------------------------------


def _check_two_points(
    earlier_year: float, earlier_share: float, start_year: float, start_share: float, m: float
) -> float:
    dt = start_year - earlier_year
    if dt <= 0:
        raise InputError(
            f"the calibration year {earlier_year:g} must be before the start year {start_year:g}"
        )
    if not 0.0 < earlier_share < start_share:
        raise InputError(
            f"the calibration share {earlier_share:g} must be above 0 and below the start share"
            f" {start_share:g}: a growth rate needs growth"
        )
    if start_share >= m:
        raise InputError(
            f"the start share {start_share:g} must be below the ceiling {m:g} to solve a growth"
            " rate"
        )
    return dt


def calibrate_growth(
    model: ModelName,
    earlier_year: float,
    earlier_share: float,
    start_year: float,
    start_share: float,
    *,
    ceiling: float = 1.0,
    p: float = LITERATURE_P,
) -> dict[str, float]:
    """Solve the growth parameter from two observations (shares 0-1 at calendar years).

    Returns ``{"g": ...}`` for doubling, ``{"r": ...}`` logistic, ``{"c": ...}`` Gompertz and
    ``{"p": p, "q": ...}`` for Bass (``p`` held fixed, ``q`` solved with a root finder).
    Example: 12.5% in 2008 and 25% in 2009 give g = 2, r = ln(7/3) ~ 0.847, q ~ 0.677.
    """
    m = ceiling
    f0, f1 = earlier_share, start_share
    dt = _check_two_points(earlier_year, f0, start_year, f1, m)
    if model == "doubling":
        return {"g": (f1 / f0) ** (1.0 / dt)}
    if model == "logistic":
        return {"r": math.log(f1 * (m - f0) / (f0 * (m - f1))) / dt}
    if model == "gompertz":
        return {"c": math.log(math.log(f0 / m) / math.log(f1 / m)) / dt}

    from scipy.optimize import brentq  # only Bass needs a root finder: scipy is slow to import

    def gap(q: float) -> float:
        times = bass_years_to(np.array([f1 / m, f0 / m]), p, q)
        return float(times[0] - times[1]) - dt

    q_hi = 5.0
    if gap(0.0) < 0.0:
        raise InputError(
            f"with p = {p:g} Bass grows faster than the observations even without imitation:"
            " lower p"
        )
    if gap(q_hi) > 0.0:
        raise InputError(
            f"with p = {p:g} no imitation q up to {q_hi:g} grows this fast: raise p or use logistic"
        )
    return {"p": p, "q": float(brentq(gap, 0.0, q_hi, xtol=1e-12))}


def calibrated_scenario(
    model: ModelName,
    earlier_year: float,
    earlier_share: float,
    start_year: float,
    start_share: float,
    *,
    ceiling: float = 1.0,
    p: float = LITERATURE_P,
    horizon: float = 10.0,
    step: Step = "year",
    name: str = "",
) -> Scenario:
    """A :class:`Scenario` starting at ``start_share`` whose growth rate fits the earlier point."""
    params = calibrate_growth(
        model, earlier_year, earlier_share, start_year, start_share, ceiling=ceiling, p=p
    )
    return Scenario(
        model=model,
        name=name,
        start_year=start_year,
        start_share=start_share,
        ceiling=ceiling,
        horizon=horizon,
        step=step,
        **params,
    )


# --- milestones -------------------------------------------------------------------------------


class Milestones(BaseModel):
    """When a scenario crosses given shares, within its horizon.

    ``crossings`` maps a threshold share 0-1 to the calendar year it is first reached, ``None``
    when not reached within the horizon (or never: S-curves approach the ceiling without
    reaching it). Thresholds at or below the start share map to the start year and are listed in
    ``already_reached``.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    scenario: str
    crossings: dict[float, float | None]
    already_reached: list[float]
    peak_year: float | None = Field(
        description="year of the fastest growth (Bass t*, logistic m/2, Gompertz m/e)"
    )
    rogers_at_start: str
    rogers_at_end: str
    rogers_entered: dict[str, float] = Field(
        description="Rogers categories entered within the horizon and the year each began"
    )


def _years_to_reach(scenario: Scenario, x: float) -> float | None:
    """Years after the start at which the curve reaches share ``x`` (None if never)."""
    s, m, f0 = scenario, scenario.ceiling, scenario.start_share
    if x <= f0:
        return 0.0
    if x > m or (x == m and s.model != "doubling"):
        return None
    if s.model == "doubling":
        g = float(s.g or 1.0)
        return None if g <= 1.0 else math.log(x / f0) / math.log(g)
    if s.model == "logistic":
        a = (m - f0) / f0
        return -math.log((m / x - 1.0) / a) / float(s.r or 0.0)
    if s.model == "gompertz":
        b = -math.log(f0 / m)
        return -math.log(-math.log(x / m) / b) / float(s.c or 0.0)
    p, q = float(s.p or 0.0), float(s.q or 0.0)
    times = bass_years_to(np.array([x / m, f0 / m]), p, q)
    return float(times[0] - times[1])


def peak_years_since_start(scenario: Scenario) -> float | None:
    """Years from the start to the fastest growth (negative if already past); None for doubling.

    Bass: ``t* = ln(q/p)/(p+q)`` after launch (only when q > p; otherwise the rate peaks at
    launch). Logistic: at ``m/2``. Gompertz: at ``m/e``.
    """
    s, m, f0 = scenario, scenario.ceiling, scenario.start_share
    if s.model == "doubling":
        return None
    if s.model == "logistic":
        return math.log((m - f0) / f0) / float(s.r or 1.0)
    if s.model == "gompertz":
        return math.log(-math.log(f0 / m)) / float(s.c or 1.0)
    p, q = float(s.p or 0.0), float(s.q or 0.0)
    t_star = bass_peak_time(p, q)
    return t_star - float(bass_years_to(f0 / m, p, q))


def bass_peak_time(p: float, q: float) -> float:
    """Bass peak of the adoption rate in years since launch: ``ln(q/p)/(p+q)`` (0 if q <= p)."""
    return math.log(q / p) / (p + q) if q > p else 0.0


def rogers_category(fraction_of_ceiling: float) -> str:
    """Rogers adopter category at a cumulative fraction 0-1 of the eventual adopters."""
    for name, upper in ROGERS_CATEGORIES:
        if fraction_of_ceiling < upper:
            return name
    return ROGERS_CATEGORIES[-1][0]


def milestones(
    scenarios: Iterable[Scenario],
    thresholds: Sequence[float] = (0.5, 0.8),
    material_change: float | None = None,
) -> list[Milestones]:
    """Crossing years of ``thresholds`` (shares 0-1) and of ``material_change`` per scenario.

    Crossing years are exact (closed-form inverses of each curve), in calendar years.
    """
    levels = sorted({*thresholds, *([material_change] if material_change is not None else [])})
    for level in levels:
        if not 0.0 < level <= 1.0:
            raise InputError(f"threshold {level:g} must be a share above 0 and at most 1")
    out: list[Milestones] = []
    for s in scenarios:
        crossings: dict[float, float | None] = {}
        for level in levels:
            dt = _years_to_reach(s, level)
            crossings[level] = None if dt is None or dt > s.horizon + 1e-9 else s.start_year + dt
        entered: dict[str, float] = {}
        lower = 0.0
        for name, upper in ROGERS_CATEGORIES:
            if lower > 0.0:
                dt = _years_to_reach(s, lower * s.ceiling)
                if dt is not None and 0.0 < dt <= s.horizon + 1e-9:
                    entered[name] = s.start_year + dt
            lower = upper
        end_share = float(evaluate([s], [s.end_year]).shares[0, 0])
        peak = peak_years_since_start(s)
        out.append(
            Milestones(
                scenario=s.label,
                crossings=crossings,
                already_reached=[lv for lv in levels if lv <= s.start_share],
                peak_year=None if peak is None else s.start_year + peak,
                rogers_at_start=rogers_category(s.start_share / s.ceiling),
                rogers_at_end=rogers_category(end_share / s.ceiling),
                rogers_entered=entered,
            )
        )
    return out


# --- Bass: innovators versus imitators ----------------------------------------------------------


class AdopterSplit(BaseModel):
    """Bass adopters split by what moved them, as shares 0-1 of the population.

    ``innovators`` adopted from external influence (p), ``imitators`` by word of mouth (q).
    Cumulative from launch to ``year``.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    year: float
    innovators: float
    imitators: float

    @property
    def innovator_fraction(self) -> float:
        """Innovators as a fraction 0-1 of all adopters so far."""
        total = self.innovators + self.imitators
        return self.innovators / total if total > 0 else 0.0


def bass_innovator_share(f: npt.ArrayLike, p: float, q: float, m: float) -> FloatArray:
    """Cumulative innovators (share 0-1) once Bass reaches ``F``: ``m (p/q) ln(1 + qF/(mp))``.

    From ``dF/dt = (p + qF/m)(m - F)``: the innovator part of each new adopter is
    ``p / (p + qF/m)``; integrating over ``F`` gives the closed form (``F`` itself when q = 0).
    """
    f_ = np.asarray(f, dtype=np.float64)
    if q <= 0.0:
        return f_
    return np.asarray(m * (p / q) * np.log1p(q * f_ / (m * p)), dtype=np.float64)


def adopter_split(scenario: Scenario, year: float | None = None) -> AdopterSplit:
    """Innovators and imitators of a Bass scenario, cumulative from launch to ``year``.

    ``year`` defaults to the end of the horizon. Raises :class:`InputError` for other models.
    """
    if scenario.model != "bass":
        raise InputError(
            f"the innovator/imitator split needs a Bass scenario, not {scenario.model}"
        )
    when = scenario.end_year if year is None else year
    share = float(evaluate([scenario], [when]).shares[0, 0])
    innovators = float(
        bass_innovator_share(
            share, float(scenario.p or 0), float(scenario.q or 0), scenario.ceiling
        )
    )
    return AdopterSplit(year=when, innovators=innovators, imitators=max(share - innovators, 0.0))


# --- presets ------------------------------------------------------------------------------------


class CalibrationPoint(BaseModel):
    """An earlier observation (calendar year, share 0-1) used to solve the growth parameter."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    year: float
    share: Share


class Preset(BaseModel):
    """A named scenario from ``data/presets.yaml``, with its source."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(min_length=1)
    label: str = Field(min_length=1)
    level: Literal["market", "organization"]
    source: str = Field(min_length=1)
    note: str = ""
    model: ModelName
    start_year: float
    start_share: Share
    ceiling: float = 1.0
    horizon: float = 10.0
    step: Step = "year"
    g: float | None = None
    r: float | None = None
    c: float | None = None
    p: float | None = None
    q: float | None = None
    calibrate_from: CalibrationPoint | None = None

    def scenario(self) -> Scenario:
        """The preset as a :class:`Scenario` (solving the growth rate if ``calibrate_from``)."""
        if self.calibrate_from is not None:
            return calibrated_scenario(
                self.model,
                self.calibrate_from.year,
                self.calibrate_from.share,
                self.start_year,
                self.start_share,
                ceiling=self.ceiling,
                p=self.p if self.p is not None else LITERATURE_P,
                horizon=self.horizon,
                step=self.step,
                name=self.label,
            )
        params = {k: v for k in ("g", "r", "c", "p", "q") if (v := getattr(self, k)) is not None}
        return Scenario(
            model=self.model,
            name=self.label,
            start_year=self.start_year,
            start_share=self.start_share,
            ceiling=self.ceiling,
            horizon=self.horizon,
            step=self.step,
            **params,
        )


def load_presets(path: Path | None = None) -> list[Preset]:
    """Presets from ``data/presets.yaml`` (or ``path``), validated; each builds a scenario."""
    return list(_load_presets(path or data_file("presets.yaml")))


@cache
def _load_presets(source: Path) -> tuple[Preset, ...]:
    data = read_yaml_mapping(source)
    entries = data.get("presets")
    if not isinstance(entries, list) or not entries:
        raise InputError(f"{source}: expected a non-empty list under 'presets'")
    presets: list[Preset] = []
    problems: list[str] = []
    for i, entry in enumerate(entries, start=1):
        where = f"{source}, preset {entry.get('id', i) if isinstance(entry, dict) else i}"
        try:
            preset = Preset.model_validate(entry)
            preset.scenario()
        except ValidationError as error:
            problems.extend(describe_validation_error(error, where, entry))
            continue
        except InputError as error:
            problems.extend(f"{where}: {p}" for p in error.problems)
            continue
        presets.append(preset)
    ids = [p.id for p in presets]
    problems.extend(
        f"{source}: preset id {dup!r} is used more than once"
        for dup in sorted({i for i in ids if ids.count(i) > 1})
    )
    if problems:
        raise InputError(problems)
    return tuple(presets)


def comparison_scenarios(
    *,
    start_share: float,
    start_year: float,
    growth_factor: float,
    p: float,
    q: float,
    ceiling: float,
    horizon: float,
) -> tuple[list[Scenario], list[str]]:
    """The scenarios the growth page compares, monthly, and notes on what could not be drawn.

    Doubling (capped exponential, ``growth_factor`` per year) and logistic both pass through
    last year's share (``start_share / growth_factor``) and this year's; Bass uses ``p`` and
    ``q``. Shares 0-1, years calendar years, ``horizon`` in years.
    """
    if start_share >= ceiling:
        return [], [f"The start share ({start_share:.0%}) must be below the ceiling."]
    notes: list[str] = []
    common: dict[str, Any] = {
        "start_year": float(start_year),
        "start_share": start_share,
        "ceiling": ceiling,
        "horizon": float(horizon),
        "step": "month",
    }
    scenarios = [
        Scenario(
            model="doubling", name=f"Exponential x{growth_factor:g}/year", g=growth_factor, **common
        )
    ]
    earlier = start_share / growth_factor
    try:
        r = calibrate_growth(
            "logistic", start_year - 1, earlier, start_year, start_share, ceiling=ceiling
        )["r"]
        scenarios.append(Scenario(model="logistic", name=f"Logistic (r={r:.2f})", r=r, **common))
    except InputError as error:
        notes.extend(f"Logistic: {problem}" for problem in error.problems)
    scenarios.append(Scenario(model="bass", name=f"Bass (p={p:g}, q={q:g})", p=p, q=q, **common))
    return scenarios, notes
