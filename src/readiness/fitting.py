"""Fit adoption curves to an organization's own history, with uncertainty bands.

Units: periods are **decimal calendar years** (dates are converted: 2009-07-02 is about 2009.5).
Values, once read, are **shares 0-1** (percent is divided by 100, counts by the population size),
or **counts** when counts are given without a population: then the ceiling ``m`` is the market
potential in counts (the classic Bass fit of yearly sales).

The curve models (logistic, Gompertz, Bass) are classes in :mod:`readiness.fitters`, which say
what each model is; this module reads histories, fits and presents results:

- cumulative values are fitted as ``F(x)``; per-period values (new adopters in the period) as the
  increment ``F(x_i) - F(x_{i-1})`` (the first period as ``F(x_1) - F(x_1 - step)``);
- every fit is computed in scaled units (values divided by the highest cumulative value), so the
  optimizer's tolerances are relative and results do not depend on the unit or the population;
- standard errors come from the Jacobian at the solution, ``cov = s^2 (J'J)^-1`` with
  ``s^2 = SSE / (n - k)`` (as R's ``summary.nls``); intervals are ``value +- 1.96 se``;
- AIC and BIC are R's ``AIC()``/``BIC()`` of an ``nls`` fit on the data's own scale:
  ``n (ln 2 pi + 1 + ln(SSE/n)) + 2 (k + 1)`` (``k`` free parameters, plus the variance);
- bands come from the covariance (the delta method) or from refits of the model to simulated
  histories (all refits at once), both on the logit of the share (:mod:`readiness.fitters.bands`):
  a band stays within the values the model can take and contains its own forecast.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
import numpy.typing as npt
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from readiness.errors import InputError
from readiness.fitters import (
    FIT_MODELS,
    GOOD_FIT_SSE_FRACTION,
    N_REFINED_STARTS,
    BassModel,
    CurveModel,
    Estimate,
    FitModelName,
    curve_model,
    inside,
)
from readiness.fitters.bands import (
    BAND_QUANTILES,
    Z95,
    delta_method_band,
    quantile_band,
    value_gradient,
)
from readiness.textfiles import read_text_file

FloatArray = npt.NDArray[np.float64]
Kind = Literal["per-period", "cumulative"]
Unit = Literal["share", "percent", "count"]

#: How a band is made: ``covariance`` from the parameters' normal approximation (the delta
#: method); ``bootstrap`` refits the model to simulated histories; ``auto`` bootstraps short ones.
BandMethod = Literal["auto", "covariance", "bootstrap"]
BAND_METHODS: tuple[BandMethod, ...] = ("auto", "covariance", "bootstrap")
#: ``auto`` bootstraps histories with fewer points: there a parameter is often poorly identified
#: and its normal approximation puts the band where the data say it cannot be (e.g. a ceiling
#: below the share already observed).
BOOTSTRAP_BELOW_POINTS = 12
#: Two fits whose sums of squares differ by less than this (relative) fit the data identically.
EQUIVALENT_SSE = 1e-9
#: Models within this many AIC units of the best are not ranked: the data do not tell them apart.
INDISTINGUISHABLE_AIC = 2.0

#: Largest value read (a count): squared residuals must stay within floating point.
MAX_COUNT = 1e150
#: Smallest share of a population read: below it shares lose precision in floating point.
MIN_SHARE = 1e-300

#: Periods given as numbers are years (or period numbers) within this distance of year 0.
MAX_PERIOD = 10_000.0
#: Periods given as dates must fall within these calendar years (0001-01-01 is a placeholder).
DATED_YEARS = (1800, 2200)
#: Periods closer than a day (in years) are refused: the forecast steps by the history's spacing.
MIN_PERIOD_STEP = 1.0 / 366.0

__all__ = [
    "BAND_METHODS",
    "BAND_QUANTILES",
    "BOOTSTRAP_BELOW_POINTS",
    "FIT_MODELS",
    "GOOD_FIT_SSE_FRACTION",
    "N_REFINED_STARTS",
    "Band",
    "BandMethod",
    "FitModelName",
    "FitParameter",
    "FitResult",
    "Kind",
    "Observations",
    "RankedModel",
    "Unit",
    "fit_auto",
    "fit_bass",
    "fit_gompertz",
    "fit_logistic",
    "fit_model",
    "read_history_text",
    "read_observations",
]


# --- observations -------------------------------------------------------------------------------


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
    def cumulative_max(self) -> float:
        """Highest cumulative value observed (the sum of increments for per-period data)."""
        return float(self.y.sum() if self.kind == "per-period" else self.y.max())

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


def _decimal_year(stamps: pd.Series) -> FloatArray:
    # From the calendar fields, not by subtracting timestamps: works for any year pandas parses.
    years = stamps.dt.year.to_numpy(dtype=np.float64)
    days = np.where(stamps.dt.is_leap_year.to_numpy(), 366.0, 365.0)
    seconds = (
        stamps.dt.hour.to_numpy(dtype=np.float64) * 3600.0
        + stamps.dt.minute.to_numpy(dtype=np.float64) * 60.0
        + stamps.dt.second.to_numpy(dtype=np.float64)
    )
    offset = stamps.dt.day_of_year.to_numpy(dtype=np.float64) - 1.0 + seconds / 86400.0
    return np.asarray(years + offset / days, dtype=np.float64)


def read_history_text(text: str, name: str) -> pd.DataFrame:
    """The cells of a history CSV's text as strings (only empty cells are missing);
    :class:`InputError` naming ``name`` when it is not a CSV with a header row."""
    try:
        header = next(csv.reader(io.StringIO(text)), [])
    except csv.Error as error:
        raise InputError(f"{name}: not a valid CSV file ({error})") from None
    seen: set[str] = set()
    for column in header:
        key = column.strip().lower()
        if key in seen and key in ("period", "value"):
            raise InputError(
                f"{name}: row 1: column {key!r} appears more than once (case and surrounding"
                " spaces ignored)"
            )
        seen.add(key)
    try:
        return pd.read_csv(
            io.StringIO(text), dtype=str, keep_default_na=False, skipinitialspace=True
        )
    except pd.errors.EmptyDataError:
        raise InputError(f"{name}: the file holds no header row (expected period,value)") from None
    except (pd.errors.ParserError, csv.Error, ValueError) as error:
        detail = " ".join(str(error).split())
        raise InputError(f"{name}: not a valid CSV file ({detail})") from None


def _read_frame(source: str | Path) -> pd.DataFrame:
    path = Path(source)
    return read_history_text(read_text_file(path), str(path))


def read_observations(
    source: str | Path | pd.DataFrame,
    *,
    kind: Kind = "cumulative",
    unit: Unit = "share",
    population: float | None = None,
    name: str | None = None,
) -> Observations:
    """Read and validate a history with columns ``period`` and ``value``.

    ``source`` is a CSV path or a DataFrame (named ``name`` in messages, else "data").
    Periods are years (``2009``, ``2009.5``) or dates (``2009-06-30``); values are shares 0-1,
    percent 0-100 or counts (of users out of ``population``, or of adopters in a market whose
    size the fit estimates when no population is given). Every problem is reported at once
    as an :class:`InputError` naming the source, the row (numbered as in a spreadsheet: the
    header is row 1) and the field.
    """
    if name is None:
        name = "data" if isinstance(source, pd.DataFrame) else str(source)
    frame = source.astype(str) if isinstance(source, pd.DataFrame) else _read_frame(source)
    frame = frame.rename(columns=lambda c: str(c).strip().lower())
    repeated = sorted(
        {c for c in frame.columns[frame.columns.duplicated()] if c in ("period", "value")}
    )
    if repeated:
        raise InputError(
            f"{name}: row 1: column {repeated[0]!r} appears more than once (case and surrounding"
            " spaces ignored)"
        )
    missing = [c for c in ("period", "value") if c not in frame.columns]
    if missing:
        raise InputError(
            f"{name}: missing column(s) {', '.join(missing)}; expected a header row with"
            " period,value"
        )
    if population is not None and not population > 0:
        raise InputError(f"{name}: the population size must be positive (got {population:g})")
    if frame.empty:
        raise InputError(f"{name}: no data rows after the header")

    problems: list[tuple[int, str]] = []
    period_text = frame["period"].astype(str).str.strip()
    value_text = frame["value"].astype(str).str.strip()
    rows = np.arange(2, len(frame) + 2)  # spreadsheet numbering: the header is row 1

    periods = pd.to_numeric(period_text, errors="coerce").to_numpy(dtype=np.float64)
    dated = bool(np.isnan(periods).any())
    if dated:
        # utc=True: one column may mix offsets (+01:00 in winter, +02:00 in summer).
        stamps = pd.to_datetime(
            period_text, errors="coerce", format="ISO8601", utc=True
        ).dt.tz_convert(None)
        bad = stamps.isna().to_numpy()
        problems.extend(
            (r, f"{name}: row {r}, field period: {_cell(t)} is not a year or a date (YYYY-MM-DD)")
            for r, t in zip(rows[bad], period_text[bad], strict=True)
        )
        periods = _decimal_year(stamps)
        outside = ~bad & ~((periods >= DATED_YEARS[0]) & (periods < DATED_YEARS[1] + 1))
        where = f"outside the years {DATED_YEARS[0]}-{DATED_YEARS[1]}"
    else:
        outside = ~(np.abs(periods) <= MAX_PERIOD)
        where = f"not a year or period number between -{MAX_PERIOD:g} and {MAX_PERIOD:g}"
    problems.extend(
        (r, f"{name}: row {r}, field period: {_cell(t)} is {where}")
        for r, t in zip(rows[outside], period_text[outside], strict=True)
    )

    values = pd.to_numeric(value_text, errors="coerce").to_numpy(dtype=np.float64)
    bad_value = ~np.isfinite(values)
    problems.extend(
        (r, f"{name}: row {r}, field value: {_cell(t)} is not a number")
        for r, t in zip(rows[bad_value], value_text[bad_value], strict=True)
    )
    negative = ~bad_value & (values < 0)
    problems.extend(
        (r, f"{name}: row {r}, field value: {v:g} is negative")
        for r, v in zip(rows[negative], values[negative], strict=True)
    )
    upper = {"share": 1.0, "percent": 100.0, "count": population or math.inf}[unit]
    label = {
        "share": "a share must be at most 1",
        "percent": "a percent must be at most 100",
        "count": f"above the population size {population or 0:g}",
    }[unit]
    too_big = ~bad_value & (values > upper)
    problems.extend(
        (r, f"{name}: row {r}, field value: {v:g} is too large ({label})")
        for r, v in zip(rows[too_big], values[too_big], strict=True)
    )
    # Squares of residuals must stay in floating point: counts up to 1e150, shares from 1e-300.
    huge = ~bad_value & ~too_big & (values > MAX_COUNT)
    problems.extend(
        (r, f"{name}: row {r}, field value: {v:g} is too large (at most {MAX_COUNT:g})")
        for r, v in zip(rows[huge], values[huge], strict=True)
    )
    if population is not None:
        with np.errstate(all="ignore"):
            tiny = ~bad_value & (values > 0) & (values / population < MIN_SHARE)
        problems.extend(
            (
                r,
                f"{name}: row {r}, field value: {v:g} is too small a share of the population"
                f" size {population:g} (below {MIN_SHARE:g})",
            )
            for r, v in zip(rows[tiny], values[tiny], strict=True)
        )
    if not problems:
        order = np.argsort(periods, kind="stable")
        sorted_periods = periods[order]
        dup = np.zeros(len(periods), dtype=bool)
        dup[order[1:]] = np.diff(sorted_periods) == 0
        problems.extend(
            (r, f"{name}: row {r}, field period: {t} appears more than once")
            for r, t in zip(rows[dup], period_text[dup], strict=True)
        )
    if not problems:
        problems.extend(_spacing_problems(name, periods, period_text, rows))
    if not problems and kind == "per-period" and math.isfinite(upper):
        limit = {
            "share": "a share of 1",
            "percent": "100 percent",
            "count": f"the population size {population or 0:g}",
        }[unit]
        problems.extend(_overflow_problems(name, periods, values, period_text, rows, upper, limit))
    if problems:
        raise InputError([message for _, message in sorted(problems, key=lambda p: p[0])])

    order = np.argsort(periods, kind="stable")
    scale = {"share": 1.0, "percent": 100.0, "count": float(population or 1.0)}[unit]
    return Observations(
        periods=tuple(float(v) for v in periods[order]),
        values=tuple(float(v) for v in values[order] / scale),
        kind=kind,
        unit=unit,
        population=population,
        source=name,
    )


def _spacing_problems(
    name: str, periods: FloatArray, texts: pd.Series, rows: npt.NDArray[np.int_]
) -> list[tuple[int, str]]:
    """The first period less than a day after the one before: the forecast steps by the
    history's spacing, so minutes apart would mean millions of points per draw."""
    order = np.argsort(periods, kind="stable")
    close = np.flatnonzero(np.diff(periods[order]) < MIN_PERIOD_STEP)
    if not close.size:
        return []
    here, before = order[close[0] + 1], order[close[0]]
    more = f" ({close.size - 1:,} more like it)" if close.size > 1 else ""
    return [
        (
            int(rows[here]),
            f"{name}: row {rows[here]}, field period: {_cell(texts.iloc[here])} is less than a"
            f" day after {_cell(texts.iloc[before])} (row {rows[before]}){more}; periods must"
            " be at least a day apart: add the values up by day, month or year",
        )
    ]


def _overflow_problems(
    name: str,
    periods: FloatArray,
    values: FloatArray,
    texts: pd.Series,
    rows: npt.NDArray[np.int_],
    upper: float,
    limit: str,
) -> list[tuple[int, str]]:
    """Per-period values whose running total first exceeds what can adopt (the population,
    a share of 1, 100 percent): the period where it does."""
    order = np.argsort(periods, kind="stable")
    total = np.cumsum(values[order])
    over = np.flatnonzero(total > upper * (1 + 1e-9))
    if not over.size:
        return []
    here = order[over[0]]
    return [
        (
            int(rows[here]),
            f"{name}: row {rows[here]}, field value: new adopters up to period"
            f" {_cell(texts.iloc[here])} add up to {total[over[0]]:g}, more than {limit}"
            " (per-period values are the adopters new in each period; running totals are"
            " cumulative values)",
        )
    ]


def _cell(text: str) -> str:
    """A cell's text for a message: quoted, control characters escaped, long text shortened."""
    shown = text if len(text) <= 40 else f"{text[:20]}...{text[-8:]} ({len(text)} characters)"
    return repr(shown)


# --- models -------------------------------------------------------------------------------------


def _model_for(
    name: FitModelName, obs: Observations, scale: float, *, anchored: bool = False
) -> CurveModel:
    """The curve model of ``name`` for this history, in units of ``scale``."""
    return curve_model(
        name,
        x_first=float(obs.x[0]),
        x_last=float(obs.x[-1]),
        step=obs.step,
        m_upper=obs.ceiling_limit / scale,
        anchored=anchored,
    )


def _previous_periods(obs: Observations) -> FloatArray:
    x = obs.x
    return np.concatenate([[x[0] - obs.step], x[:-1]])


def _starts(
    model: FitModelName, obs: Observations, m_options: Sequence[float]
) -> list[dict[str, float]]:
    """Starting values for a few candidate ceilings (values of ``obs``, unscaled)."""
    anchored = model == "bass" and obs.kind == "cumulative"
    curve = _model_for(model, obs, 1.0, anchored=anchored)
    f = np.cumsum(obs.y) if obs.kind == "per-period" else obs.y
    return curve.starts(obs.x, f, m_options)


# --- results ------------------------------------------------------------------------------------


class FitParameter(BaseModel):
    """One parameter estimate with its standard error.

    ``stderr`` is ``None`` when the parameter was held fixed, stopped at a bound, or the
    Jacobian was singular.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    value: float
    stderr: float | None
    fixed: bool = False
    at_bound: bool = Field(default=False, description="stopped at a bound; held there for bands")

    @property
    def interval(self) -> tuple[float | None, float | None]:
        """95% Wald interval ``value +- 1.96 se`` (``None`` without a standard error)."""
        if self.stderr is None:
            return None, None
        return self.value - Z95 * self.stderr, self.value + Z95 * self.stderr


class RankedModel(BaseModel):
    """A candidate model's information criteria (lower AIC is better).

    ``equivalent_to`` names the models that fit these data identically (equal sums of squares);
    ``indistinguishable`` is true for a model within 2 AIC of the best, and for the best when
    another (not an equivalent one) is within 2 AIC of it: those are not ranked.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    model: FitModelName
    aic: float
    bic: float
    r2: float
    sse: float = 0.0
    delta_aic: float = 0.0
    equivalent_to: tuple[FitModelName, ...] = ()
    indistinguishable: bool = False


@dataclass(frozen=True)
class Band:
    """Uncertainty band of a fit at ``periods`` (decimal years), in the history's values
    (shares 0-1, or counts without a population).

    ``low95``/``high95`` bound the central 95% interval and ``low80``/``high80`` the central
    80% interval of the fitted curve under parameter uncertainty; every band contains ``fit``.
    """

    periods: FloatArray
    fit: FloatArray
    low95: FloatArray
    low80: FloatArray
    high80: FloatArray
    high95: FloatArray
    method: Literal["covariance", "bootstrap", "none"] = "covariance"


PARAMETER_LABELS = {"m": "ceiling", "f_start": "first value", "x_mid": "midpoint"}


class FitResult(BaseModel):
    """A fitted adoption curve: parameters, quality, warnings and ranking.

    Parameters are in the history's values (``m`` a share 0-1, or a count without a population),
    rates per year, times in decimal years. ``covariance`` is over the free parameters in
    ``free`` order, with zero rows for parameters at a bound (``None`` when singular). ``sse`` is
    in the history's values; ``aic``/``bic`` are R's, on the data's own unit. ``scale`` is the
    unit the fit was computed in (the highest cumulative value).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    model: FitModelName
    form: str
    observations: Observations
    params: dict[str, FitParameter]
    free: tuple[str, ...]
    covariance: tuple[tuple[float, ...], ...] | None
    n: int
    sse: float
    r2: float
    aic: float
    bic: float
    scale: float = 1.0
    converged: bool = True
    warnings: tuple[str, ...] = ()
    ranking: tuple[RankedModel, ...] = ()
    model_choice: str = ""
    skipped: dict[str, str] = Field(default_factory=dict)

    @property
    def ceiling(self) -> float:
        """Fitted (or fixed) ceiling: share 0-1, or a count without a population."""
        return self.params["m"].value

    @property
    def sse_in_unit(self) -> float:
        """Sum of squared residuals in the data's own unit (percent, counts...); infinite when
        beyond the float range."""
        return _product_squared(math.sqrt(self.sse), self.observations.unit_factor)

    @property
    def launch(self) -> float | None:
        """Bass launch (decimal year): fixed, or implied by the fitted value at the first period."""
        curve = self.curve_model()
        if not isinstance(curve, BassModel):
            return None
        return float(curve.launch_of(self._values()))

    def curve_model(self) -> CurveModel:
        """The fitted curve model (bounds in units of :attr:`scale`)."""
        return _model_for(
            self.model, self.observations, self.scale, anchored="f_start" in self.params
        )

    def _values(self) -> dict[str, float]:
        return {k: v.value for k, v in self.params.items()}

    def _factors(self, curve: CurveModel) -> FloatArray:
        """Per free parameter: the history's values per scaled unit (``scale`` or 1)."""
        return np.array(
            [self.scale if k in curve.value_parameters else 1.0 for k in self.free],
            dtype=np.float64,
        )

    def predict(self, periods: npt.ArrayLike, kind: Kind | None = None) -> FloatArray:
        """Fitted values at ``periods`` (decimal years), in the history's values.

        ``kind`` defaults to the history's kind; ``cumulative`` gives the adopted ``F``.
        For per-period values the period before each point is one step earlier.
        """
        x = np.atleast_1d(np.asarray(periods, dtype=np.float64))
        want = kind or self.observations.kind
        return self.curve_model().observable(self._values(), x, x - self.observations.step, want)

    def forecast_periods(self, horizon: float) -> FloatArray:
        """Observed periods followed by steps up to ``horizon`` years after the last one."""
        obs = self.observations
        step = obs.step
        n_ahead = math.floor(horizon / step + 1e-9)
        ahead = obs.x[-1] + step * np.arange(1, n_ahead + 1)
        return np.concatenate([obs.x, ahead])

    # --- presentation -----------------------------------------------------------------------

    def summary(self) -> pd.DataFrame:
        """One row per parameter: value, standard error, 95% interval, at bound, fixed
        (values in the history's values: ``m`` a share 0-1, or a count)."""
        rows = []
        for name, p in self.params.items():
            low, high = p.interval
            rows.append(
                {
                    "parameter": name,
                    "value": p.value,
                    "standard error": p.stderr,
                    "low 95%": low,
                    "high 95%": high,
                    "at bound": p.at_bound,
                    "fixed": p.fixed,
                }
            )
        return pd.DataFrame(rows)

    def summary_text(self) -> str:
        """The fit as text: model and form, quality, the parameter table, warnings."""
        obs = self.observations
        unit = "count" if obs.in_counts else "share 0-1"
        lines = [
            f"model: {self.model}  ({self.form})",
            f"n = {self.n}, R2 = {self.r2:.4f}, SSE = {self.sse_in_unit:.6g} ({obs.unit}),"
            f" AIC = {self.aic:.2f}, BIC = {self.bic:.2f} (as R's AIC/BIC of nls)",
            f"ceiling m as a {unit}"
            + (f" of a population of {obs.population:g}" if obs.population else ""),
            f"{'parameter':<10} {'value':>12} {'std error':>12} {'low 95%':>12} {'high 95%':>12}",
        ]
        for name, p in self.params.items():
            low, high = p.interval
            if p.fixed:
                note = ["fixed", "", ""]
            elif p.at_bound:
                note = ["at bound", "", ""]
            elif p.stderr is None or low is None or high is None:
                note = ["n/a", "", ""]
            else:
                note = [f"{p.stderr:.4g}", f"{low:.6g}", f"{high:.6g}"]
            lines.append(f"{name:<10} {p.value:>12.6g} {note[0]:>12} {note[1]:>12} {note[2]:>12}")
        lines.append(f"converged: {'yes' if self.converged else 'no'}")
        lines.extend(f"warning: {w}" for w in self.warnings)
        return "\n".join(lines) + "\n"

    # --- bands ------------------------------------------------------------------------------

    def band(self, periods: npt.ArrayLike, *, kind: Kind | None = None) -> Band:
        """80% and 95% bands at ``periods`` from the parameters' covariance: the delta method on
        the logit of the share (the log of counts without a population), so the band stays
        within the values the model can take and contains the fit (see
        :mod:`readiness.fitters.bands`). Without a covariance the band collapses onto the fit.
        """
        x = np.atleast_1d(np.asarray(periods, dtype=np.float64))
        want = kind or self.observations.kind
        fit = self.predict(x, want)
        cov = np.asarray(self.covariance if self.covariance is not None else [], dtype=np.float64)
        if not self.free or cov.size == 0 or not np.any(np.diag(cov) > 0):
            return Band(x, fit, fit, fit, fit, fit, "none")
        previous = x - self.observations.step
        gradient = value_gradient(self.curve_model(), self._values(), self.free, x, previous, want)
        edges = delta_method_band(fit, gradient, cov, self.observations.ceiling_limit)
        return Band(x, fit, *edges, "covariance")

    def _band_of(
        self,
        curve: CurveModel,
        sample: FloatArray,
        x: FloatArray,
        fit: FloatArray,
        want: Kind,
    ) -> Band:
        """The bootstrap band of the curves of ``sample`` (draws x free parameters), all at once:
        their spread on the logit of the share, placed around the fit."""
        params: dict[str, npt.ArrayLike] = dict(self._values())
        for j, k in enumerate(self.free):
            params[k] = sample[:, j : j + 1]
        step = self.observations.step
        paths = curve.observable(params, x[None, :], (x - step)[None, :], want)
        paths = paths[np.all(np.isfinite(paths), axis=1)]
        if paths.shape[0] == 0:
            return Band(x, fit, fit, fit, fit, fit, "none")
        edges = quantile_band(fit, paths, self.observations.ceiling_limit)
        return Band(x, fit, *edges, "bootstrap")

    def bootstrap_band(
        self,
        periods: npt.ArrayLike,
        *,
        draws: int = 200,
        seed: int = 0,
        kind: Kind | None = None,
    ) -> Band:
        """80% and 95% bands from a parametric bootstrap: the model is refitted to ``draws``
        histories simulated as the fitted values plus normal noise with the residuals' spread.

        All refits run at once (a vectorised Levenberg-Marquardt started at the fit), so this
        costs milliseconds, not a least-squares call per draw. It does not assume the parameters
        are normal, which matters for short histories where a parameter is poorly identified.
        Draws whose refit fails are left out; with fewer than half of them usable, or no
        residual spread, the covariance band is returned instead.
        """
        x = np.atleast_1d(np.asarray(periods, dtype=np.float64))
        want = kind or self.observations.kind
        fit = self.predict(x, want)
        dof = self.n - len(self.free)
        if not self.free or dof <= 0 or self.sse <= 0:
            return self.band(x, kind=kind)
        obs = self.observations
        curve = self.curve_model()
        factors = self._factors(curve)
        values = self._values()
        lower, upper = curve.bounds()
        index = [curve.parameters.index(k) for k in self.free]
        scaled = {
            k: v / self.scale if k in curve.value_parameters else v for k, v in values.items()
        }
        estimate = Estimate(
            free=self.free,
            theta=np.array([scaled[k] for k in self.free]),
            lower=lower[index],
            upper=upper[index],
            fixed={k: v for k, v in scaled.items() if k not in self.free},
            sse=self.sse / self.scale**2,
            jac=np.zeros((self.n, len(self.free))),
            at_bound=np.zeros(len(self.free), dtype=bool),
            converged=True,
            message="",
        )
        fitted = self.predict(obs.x)
        rng = np.random.default_rng(seed)
        noise = rng.normal(0.0, math.sqrt(self.sse / dof), size=(draws, self.n))
        targets = (fitted + noise) / self.scale
        refits = curve.refit(estimate, targets, obs.x, _previous_periods(obs), obs.kind)
        usable = refits[np.all(np.isfinite(refits), axis=1)]
        if 2 * usable.shape[0] < draws:
            return self.band(x, kind=kind)
        return self._band_of(curve, usable * factors, x, fit, want)

    def uncertainty(
        self, periods: npt.ArrayLike, method: BandMethod = "auto", kind: Kind | None = None
    ) -> Band:
        """The band by ``method``; ``auto`` bootstraps histories of fewer than
        :data:`BOOTSTRAP_BELOW_POINTS` points and samples the covariance otherwise."""
        if method == "auto":
            method = "bootstrap" if self.n < BOOTSTRAP_BELOW_POINTS else "covariance"
        if method == "bootstrap":
            return self.bootstrap_band(periods, kind=kind)
        return self.band(periods, kind=kind)


# --- fitting ------------------------------------------------------------------------------------


def _product_squared(a: float, b: float) -> float:
    """``(a b)^2``, infinite rather than an error beyond the float range."""
    product = a * b
    return product * product


def _check_history(obs: Observations, n_params: int, model: str, ceiling: float | None) -> None:
    y = obs.y
    if len(y) < n_params + 1:
        raise InputError(
            f"{obs.source}: {model} needs at least {n_params + 1} observations"
            f" ({n_params} parameters + 1); got {len(y)}"
        )
    if np.ptp(y) == 0.0:
        raise InputError(
            f"{obs.source}: the values are constant ({y[0]:g}): there is no growth to fit"
        )
    if obs.kind == "cumulative" and np.polyfit(obs.x, y, 1)[0] <= 0:
        raise InputError(
            f"{obs.source}: the cumulative values do not rise: there is no adoption growth to fit"
        )
    if obs.cumulative_max <= 0:
        raise InputError(f"{obs.source}: every value is 0: there is no adoption to fit")
    what = "cumulative count" if obs.in_counts else "cumulative share"
    if ceiling is not None and ceiling < obs.cumulative_max * (1 - 1e-12):
        raise InputError(
            f"{obs.source}: the ceiling {ceiling:g} is below the observed maximum"
            f" {obs.cumulative_max:g} ({what})"
        )
    if ceiling is not None and not 0 < ceiling <= obs.ceiling_limit:
        raise InputError(f"the ceiling must be a share above 0 and at most 1 (got {ceiling:g})")


def _inside(theta: Sequence[float], lower: FloatArray, upper: FloatArray) -> FloatArray:
    """``theta`` moved just inside the bounds, where the solver may start."""
    return inside(theta, lower, upper)


def _bound_warnings(
    model: FitModelName, names: Sequence[str], values: Sequence[float]
) -> list[str]:
    sentences = []
    for name, value in zip(names, values, strict=True):
        if name == "m":
            sentences.append("the ceiling is at its bound: this history does not identify it")
            continue
        label = PARAMETER_LABELS.get(name)
        what = f"{name} ({label})" if label else name
        sentences.append(
            f"the {model} parameter {what} is at its bound ({value:.6g}): this history does not"
            " identify it"
        )
    return sentences


def _fit(
    model: FitModelName,
    obs: Observations,
    *,
    ceiling: float | None = None,
    launch: float | None = None,
) -> FitResult:
    anchored = model == "bass" and obs.kind == "cumulative" and launch is None
    # Every fit runs in units of the highest cumulative value: the ceiling is about 1 whatever
    # the unit or population, so the optimizer's tolerances are relative.
    scale = obs.cumulative_max if obs.cumulative_max > 0 else 1.0
    curve = _model_for(model, obs, scale, anchored=anchored)
    fixed: dict[str, float] = {}
    if ceiling is not None:
        fixed["m"] = ceiling / scale
    if model == "bass" and not anchored:
        fixed["launch"] = float(obs.x[0] - obs.step) if launch is None else launch
    free = tuple(k for k in curve.parameters if k not in fixed)
    _check_history(obs, len(free), model, ceiling)
    if "launch" in fixed and fixed["launch"] >= obs.x[0]:
        raise InputError(f"the Bass launch {fixed['launch']:g} must be before the first period")

    x, y = obs.x, obs.y / scale
    m_options = (
        [fixed["m"]]
        if "m" in fixed
        else sorted({min(curve.m_upper, f) for f in (1.02, 1.2, 1.6, 3.0)})
    )
    estimate = curve.fit(x, y, _previous_periods(obs), obs.kind, fixed, m_options)
    if estimate is None:
        raise InputError(f"{obs.source}: the {model} fit did not converge")

    n, k = len(y), len(free)
    sse_scaled = estimate.sse
    sst_scaled = float(np.sum((y - y.mean()) ** 2))
    r2 = 1.0 - sse_scaled / sst_scaled if sst_scaled > 0 else 0.0
    at_bound = estimate.at_bound
    if not r2 > 0:
        raise InputError(
            f"{obs.source}: the {model} fit explains none of the variation (R2 = {r2:.3g}):"
            " no curve to report"
        )
    if k and at_bound.all():
        raise InputError(
            f"{obs.source}: every parameter of the {model} fit is at a bound: this history does"
            " not identify the curve"
        )
    factors = np.array([scale if n_ in curve.value_parameters else 1.0 for n_ in free])
    theta = estimate.theta * factors
    # A parameter stopped at a bound is held there for the standard errors and bands: the normal
    # approximation around a boundary value would put half its draws outside the model's domain.
    live = np.flatnonzero(~at_bound)
    dof = n - k
    cov = np.zeros((k, k))
    usable = dof > 0
    if usable:
        try:
            jac = estimate.jac[:, live]
            inverse = np.linalg.inv(jac.T @ jac) * (sse_scaled / dof)
            cov[np.ix_(live, live)] = inverse * np.outer(factors[live], factors[live])
            usable = bool(np.all(np.isfinite(cov)) and np.all(np.diag(cov) >= 0))
        except np.linalg.LinAlgError:
            usable = False
    params: dict[str, FitParameter] = {
        name: FitParameter(
            value=v * scale if name in curve.value_parameters else v, stderr=None, fixed=True
        )
        for name, v in fixed.items()
    }
    for j, name in enumerate(free):
        se = float(math.sqrt(cov[j, j])) if usable and not at_bound[j] else None
        params[name] = FitParameter(value=float(theta[j]), stderr=se, at_bound=bool(at_bound[j]))
    warnings = _bound_warnings(
        model, [free[j] for j in np.flatnonzero(at_bound)], theta[at_bound].tolist()
    )
    if not estimate.converged:
        warnings.append(
            f"the {model} fit did not converge ({estimate.message.rstrip('.')}): treat its"
            " numbers with caution"
        )
    if not usable and k:
        warnings.append("the standard errors could not be computed (singular Jacobian)")
    # In logarithms: the square of a population near the float limit overflows.
    sse = _product_squared(math.sqrt(sse_scaled), scale)
    log_sse_unit = 2 * (
        math.log(max(math.sqrt(sse_scaled), 1e-300)) + math.log(scale) + math.log(obs.unit_factor)
    )
    # R's logLik.nls: -n/2 (ln 2 pi + 1 - ln n + ln SSE); AIC counts the variance as a parameter.
    log_likelihood = -0.5 * n * (math.log(2 * math.pi) + 1 + log_sse_unit - math.log(n))
    return FitResult(
        model=model,
        form=_form(curve, obs.kind, anchored),
        observations=obs,
        params={name: params[name] for name in curve.parameters},
        free=free,
        covariance=tuple(tuple(float(v) for v in row) for row in cov) if usable else None,
        n=n,
        sse=sse,
        r2=r2,
        aic=-2 * log_likelihood + 2 * (k + 1),
        bic=-2 * log_likelihood + math.log(n) * (k + 1),
        scale=scale,
        converged=estimate.converged,
        warnings=tuple(warnings),
    )


def _form(curve: CurveModel, kind: Kind, anchored: bool = False) -> str:
    formula = curve.formula
    if anchored:
        formula += ", launch placed so that F(x_first) = f_start"
    how = (
        "per-period values fitted as m[F(x) - F(x - 1 step)] relative to the previous period"
        if kind == "per-period"
        else "cumulative values fitted as F(x)"
    )
    return f"{formula}; {how}; least squares on the values as given"


def fit_logistic(obs: Observations, *, ceiling: float | None = None) -> FitResult:
    """Fit a logistic curve (``r`` per year, midpoint ``x_mid`` in years, ceiling ``m``)."""
    return _fit("logistic", obs, ceiling=ceiling)


def fit_gompertz(obs: Observations, *, ceiling: float | None = None) -> FitResult:
    """Fit a Gompertz curve (``b``, rate ``c`` per year, ceiling ``m``)."""
    return _fit("gompertz", obs, ceiling=ceiling)


def fit_bass(
    obs: Observations, *, ceiling: float | None = None, launch: float | None = None
) -> FitResult:
    """Fit a Bass curve (``p``, ``q`` per year, ceiling ``m``, ``launch`` year).

    Per-period data fixes the launch one step before the first period; cumulative data fits
    the first value ``f_start`` (which places the launch) unless ``launch`` (decimal year) is
    given. ``m`` is a share 0-1, or the market potential in counts without a population.
    """
    return _fit("bass", obs, ceiling=ceiling, launch=launch)


def fit_model(
    model: FitModelName | Literal["auto"], obs: Observations, *, ceiling: float | None = None
) -> FitResult:
    """Fit one named model, or ``auto``: all that the data allow, best AIC first.

    ``ceiling``, when given, is held fixed: a share 0-1, or a count without a population."""
    if model == "auto":
        return fit_auto(obs, ceiling=ceiling)
    return _fit(model, obs, ceiling=ceiling)


def _same_sse(a: float, b: float) -> bool:
    return abs(a - b) <= EQUIVALENT_SSE * max(abs(a), abs(b), 1e-300)


def _choice_sentence(ranking: Sequence[RankedModel], kind: str) -> str:
    """The model choice in words: equivalent families, then what the AIC can and cannot tell."""
    names = {"logistic": "logistic", "gompertz": "Gompertz", "bass": "Bass"}
    parts: list[str] = []
    seen: set[str] = set()
    for r in ranking:
        if r.equivalent_to and r.model not in seen:
            group = (r.model, *r.equivalent_to)
            seen.update(group)
            family = " and ".join(names[m] for m in group)
            parts.append(f"{family} fit these {kind} data identically (the same family)")
    best = ranking[0]
    close = [
        r.model
        for r in ranking[1:]
        if r.delta_aic < INDISTINGUISHABLE_AIC and r.model not in best.equivalent_to
    ]
    if close:
        shown = " and ".join(names[m] for m in close)
        parts.append(
            f"{shown} {'is' if len(close) == 1 else 'are'} within {INDISTINGUISHABLE_AIC:g} AIC"
            f" of {names[best.model]}: the data do not tell them apart"
        )
    else:
        lead = " (and its equivalent)" if best.equivalent_to else ""
        parts.append(f"{names[best.model]}{lead} fits best by AIC")
    return "; ".join(parts)


def fit_auto(
    obs: Observations,
    *,
    ceiling: float | None = None,
    models: Sequence[FitModelName] = FIT_MODELS,
) -> FitResult:
    """Fit each model and return the one with the lowest AIC, with the full ``ranking``.

    Models that fit the data identically (equal sums of squares within 1e-9 relative) are
    reported as equivalent; models within 2 AIC of the best as indistinguishable
    (``model_choice`` says it in words). Models the data cannot support (e.g. too few points for
    Bass's parameters) are listed in ``skipped`` with the reason; if none can be fitted the
    first reason is raised.
    """
    fits: list[FitResult] = []
    skipped: dict[str, str] = {}
    for model in models:
        try:
            fits.append(_fit(model, obs, ceiling=ceiling))
        except InputError as error:
            skipped[model] = "; ".join(error.problems)
    if not fits:
        raise InputError(list(dict.fromkeys(skipped.values())))

    def equivalent_fits(f: FitResult) -> list[FitResult]:
        return [
            g
            for g in fits
            if g is not f and len(g.free) == len(f.free) and _same_sse(f.sse_in_unit, g.sse_in_unit)
        ]

    # Equivalent models share one AIC (they differ by rounding only) and keep the models'
    # order among themselves, so the choice between them does not depend on the last digit.
    order = {m: i for i, m in enumerate(models)}
    shared_aic = {f.model: min([f.aic, *(g.aic for g in equivalent_fits(f))]) for f in fits}
    fits.sort(key=lambda f: (shared_aic[f.model], order[f.model]))
    best_aic = fits[0].aic
    ranking = []
    for f in fits:
        equivalent = tuple(g.model for g in equivalent_fits(f))
        # Within 2 AIC of the best (the best itself: when another model is within 2 of it).
        close = any(
            g is not f
            and g.model not in equivalent
            and (g is fits[0] or f is fits[0])
            and abs(g.aic - f.aic) < INDISTINGUISHABLE_AIC
            for g in fits
        )
        ranking.append(
            RankedModel(
                model=f.model,
                aic=f.aic,
                bic=f.bic,
                r2=f.r2,
                sse=f.sse_in_unit,
                delta_aic=f.aic - best_aic,
                equivalent_to=equivalent,
                indistinguishable=close,
            )
        )
    choice = _choice_sentence(ranking, obs.kind)
    return fits[0].model_copy(
        update={"ranking": tuple(ranking), "skipped": skipped, "model_choice": choice}
    )
