"""Fit adoption curves to an organization's own history, with uncertainty bands.

Units: periods are **decimal calendar years** (dates are converted: 2009-07-02 is about 2009.5);
values are **shares 0-1** once read (percent is divided by 100, counts by the population size).

Fitted forms (``x`` a period in years, ``m`` the ceiling, all least squares on the values):

- logistic: ``F(x) = m / (1 + exp(-r (x - x_mid)))``; parameters ``r``, ``x_mid``, ``m``;
- Gompertz: ``F(x) = m exp(-b exp(-c (x - x_1)))``, ``x_1`` the first period; ``b``, ``c``, ``m``;
- Bass: ``F(x) = m B(x - launch; p, q)`` with ``B`` the Bass fraction adopted since launch.
  Per-period data fixes ``launch`` one step before the first period (period 1 is the first period
  of adoption, as in Bass 1969). Cumulative data, unless ``launch`` is given, fits ``f_start``,
  the share at the first period, and places the launch where the curve reaches it (the same
  time shift as the projections); :attr:`FitResult.launch` reports it.

Cumulative values are fitted as ``F(x)``; per-period values (new adopters in the period) as the
increment ``F(x_i) - F(x_{i-1})`` (the first period as ``F(x_1) - F(x_1 - step)``).
Standard errors come from the Jacobian at the solution, ``cov = s^2 (J'J)^-1``; models are
ranked by AIC ``n ln(SSE/n) + 2k`` (``k`` the number of free parameters).
Bands sample the parameters from the normal approximation ``N(theta, cov)`` and evaluate every draw
at once; only quantiles are returned, never the paths.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
import numpy.typing as npt
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field
from scipy.optimize import least_squares

from readiness.errors import InputError
from readiness.projection import bass_cdf, bass_time_at
from readiness.textfiles import read_text_file

FloatArray = npt.NDArray[np.float64]
Kind = Literal["per-period", "cumulative"]
Unit = Literal["share", "percent", "count"]
FitModelName = Literal["logistic", "gompertz", "bass"]
FIT_MODELS: tuple[FitModelName, ...] = ("logistic", "gompertz", "bass")

#: Quantiles returned by :func:`band`: 95% and 80% central intervals.
BAND_QUANTILES = (0.025, 0.10, 0.90, 0.975)
#: How a band is made: ``covariance`` samples the parameters from their normal approximation;
#: ``bootstrap`` refits the model to simulated histories; ``auto`` bootstraps short histories.
BandMethod = Literal["auto", "covariance", "bootstrap"]
BAND_METHODS: tuple[BandMethod, ...] = ("auto", "covariance", "bootstrap")
#: ``auto`` bootstraps histories with fewer points: there a parameter is often poorly identified
#: and its normal approximation puts the band where the data say it cannot be (e.g. a ceiling
#: below the share already observed).
BOOTSTRAP_BELOW_POINTS = 12

#: Periods given as numbers are years (or period numbers) within this distance of year 0.
MAX_PERIOD = 10_000.0
#: Periods given as dates must fall within these calendar years (0001-01-01 is a placeholder).
DATED_YEARS = (1800, 2200)

#: How many of the screened starting points are refined by nonlinear least squares.
N_REFINED_STARTS = 2
#: A first refinement leaving less than this fraction of the variance unexplained is accepted.
GOOD_FIT_SSE_FRACTION = 0.01


# --- observations -------------------------------------------------------------------------------


class Observations(BaseModel):
    """A validated adoption history: periods in decimal years, values as shares 0-1.

    ``kind`` says whether each value is the cumulative adopted share (``cumulative``) or the
    share that adopted during the period (``per-period``). ``unit`` and ``population`` remember
    how the values were given so results can be reported the same way.
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
        """Values as a numpy array (shares 0-1, in this history's kind)."""
        return np.asarray(self.values, dtype=np.float64)

    @property
    def step(self) -> float:
        """Typical spacing of the periods in years (median; 1.0 for a single point)."""
        return float(np.median(np.diff(self.x))) if len(self.periods) > 1 else 1.0

    @property
    def cumulative_max(self) -> float:
        """Highest cumulative share observed (the sum of increments for per-period data)."""
        return float(self.y.sum() if self.kind == "per-period" else self.y.max())

    def in_unit(self, shares: npt.ArrayLike) -> FloatArray:
        """Convert shares 0-1 back to this history's unit (percent 0-100 or counts)."""
        s = np.asarray(shares, dtype=np.float64)
        if self.unit == "percent":
            return s * 100.0
        if self.unit == "count":
            return s * float(self.population or 1.0)
        return s


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
    percent 0-100 or counts of users out of ``population``. Every problem is reported at once
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
    if unit == "count" and population is None:
        raise InputError(f"{name}: values given as counts need a population size")
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
        stamps = pd.to_datetime(period_text, errors="coerce", format="ISO8601")
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
    upper = {"share": 1.0, "percent": 100.0, "count": float(population or 0.0)}[unit]
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
    if not problems:
        order = np.argsort(periods, kind="stable")
        sorted_periods = periods[order]
        dup = np.zeros(len(periods), dtype=bool)
        dup[order[1:]] = np.diff(sorted_periods) == 0
        problems.extend(
            (r, f"{name}: row {r}, field period: {t} appears more than once")
            for r, t in zip(rows[dup], period_text[dup], strict=True)
        )
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


def _cell(text: str) -> str:
    """A cell's text for a message: quoted, control characters escaped, long text shortened."""
    shown = text if len(text) <= 40 else f"{text[:20]}...{text[-8:]} ({len(text)} characters)"
    return repr(shown)


# --- models -------------------------------------------------------------------------------------

Params = Mapping[str, npt.ArrayLike]


@dataclass(frozen=True)
class _Spec:
    """A fitted model's parameter names, bounds and curve, for one history."""

    names: tuple[str, ...]
    lower: FloatArray
    upper: FloatArray
    curve: Callable[[Params, FloatArray], FloatArray]  # cumulative F(x), broadcasting


def _logistic_curve(params: Params, x: FloatArray) -> FloatArray:
    r, mid, m = (np.asarray(params[k], dtype=np.float64) for k in ("r", "x_mid", "m"))
    with np.errstate(over="ignore"):
        return np.asarray(m / (1.0 + np.exp(-r * (x - mid))), dtype=np.float64)


def _gompertz_curve(x_first: float) -> Callable[[Params, FloatArray], FloatArray]:
    def curve(params: Params, x: FloatArray) -> FloatArray:
        b, c, m = (np.asarray(params[k], dtype=np.float64) for k in ("b", "c", "m"))
        with np.errstate(over="ignore"):
            return np.asarray(m * np.exp(-b * np.exp(-c * (x - x_first))), dtype=np.float64)

    return curve


def _bass_curve(params: Params, x: FloatArray) -> FloatArray:
    p, q, m, launch = (np.asarray(params[k], dtype=np.float64) for k in ("p", "q", "m", "launch"))
    return np.asarray(m * bass_cdf(x - launch, p, q), dtype=np.float64)


def _anchored_bass_curve(x_first: float) -> Callable[[Params, FloatArray], FloatArray]:
    # Anchoring at the share in the first period instead of a launch year keeps the parameters
    # identified: when p -> 0 the launch drifts to minus infinity, but the anchored curve
    # smoothly becomes a logistic, so covariance bands stay meaningful.
    def curve(params: Params, x: FloatArray) -> FloatArray:
        values = [params[k] for k in ("p", "q", "m", "f_start")]
        if all(isinstance(v, float) for v in values):
            # Scalar parameters (every least-squares step): plain math for the shift, one
            # numpy pass for the curve; numpy's per-call overhead dominates on short series.
            ps, qs, ms, fs = (float(v) for v in values)  # type: ignore[arg-type]
            frac = min(max(fs / ms, 0.0), 1.0 - 1e-12)
            since = -math.log((1.0 - frac) / (1.0 + frac * qs / ps)) / (ps + qs)
            e = np.exp(-(ps + qs) * np.maximum(x - x_first + since, 0.0))
            return np.asarray(ms * (1.0 - e) / (1.0 + (qs / ps) * e), dtype=np.float64)
        p, q, m, f_start = (np.asarray(v, dtype=np.float64) for v in values)
        since_launch = bass_time_at(np.clip(f_start / m, 0.0, 1.0 - 1e-12), p, q)
        return np.asarray(m * bass_cdf(x - x_first + since_launch, p, q), dtype=np.float64)

    return curve


def _spec(model: FitModelName, obs: Observations, anchored: bool = False) -> _Spec:
    x = obs.x
    span = float(x[-1] - x[0]) + obs.step
    if model == "logistic":
        return _Spec(
            ("r", "x_mid", "m"),
            np.array([1e-3, x[0] - 10 * span - 50.0, 1e-6]),
            np.array([20.0, x[-1] + 10 * span + 50.0, 1.0]),
            _logistic_curve,
        )
    if model == "gompertz":
        return _Spec(
            ("b", "c", "m"),
            np.array([1e-6, 1e-3, 1e-6]),
            np.array([1e4, 20.0, 1.0]),
            _gompertz_curve(float(x[0])),
        )
    if anchored:
        return _Spec(
            ("p", "q", "m", "f_start"),
            np.array([1e-6, 0.0, 1e-6, 1e-9]),
            np.array([1.0, 5.0, 1.0, 1.0]),
            _anchored_bass_curve(float(x[0])),
        )
    return _Spec(
        ("p", "q", "m", "launch"),
        np.array([1e-6, 0.0, 1e-6, x[0] - 10 * span - 30.0]),
        np.array([1.0, 5.0, 1.0, float(x[0]) - 1e-6]),
        _bass_curve,
    )


def _previous_periods(obs: Observations) -> FloatArray:
    x = obs.x
    return np.concatenate([[x[0] - obs.step], x[:-1]])


def _observable(
    spec: _Spec, params: Params, x: FloatArray, previous: FloatArray, kind: Kind
) -> FloatArray:
    """The model's prediction of the observed values: cumulative or per-period increments."""
    current = spec.curve(params, x)
    if kind == "cumulative":
        return current
    return np.asarray(current - spec.curve(params, previous), dtype=np.float64)


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


class RankedModel(BaseModel):
    """A candidate model's information criteria (lower AIC is better)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    model: FitModelName
    aic: float
    bic: float
    r2: float


@dataclass(frozen=True)
class Band:
    """Uncertainty band of a fit at ``periods`` (decimal years); all values are shares 0-1.

    ``low95``/``high95`` bound the central 95% interval and ``low80``/``high80`` the central
    80% interval of the fitted curve under parameter uncertainty.
    """

    periods: FloatArray
    fit: FloatArray
    low95: FloatArray
    low80: FloatArray
    high80: FloatArray
    high95: FloatArray
    method: Literal["covariance", "bootstrap", "none"] = "covariance"


class FitResult(BaseModel):
    """A fitted adoption curve: parameters (shares 0-1, rates per year), quality and ranking.

    ``form`` documents exactly what was fitted. ``covariance`` is over the free parameters in
    ``free`` order, with zero rows for parameters at a bound (``None`` when singular).
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
    ranking: tuple[RankedModel, ...] = ()
    skipped: dict[str, str] = Field(default_factory=dict)

    @property
    def ceiling(self) -> float:
        """Fitted (or fixed) ceiling, share 0-1."""
        return self.params["m"].value

    @property
    def launch(self) -> float | None:
        """Bass launch (decimal year): fixed, or implied by the fitted share in the first period."""
        if self.model != "bass":
            return None
        if "launch" in self.params:
            return self.params["launch"].value
        v = self._values()
        since = bass_time_at(min(v["f_start"] / v["m"], 1.0 - 1e-12), v["p"], v["q"])
        return float(self.observations.x[0] - since)

    def _spec(self) -> _Spec:
        return _spec(self.model, self.observations, anchored="f_start" in self.params)

    def _values(self) -> dict[str, float]:
        return {k: v.value for k, v in self.params.items()}

    def predict(self, periods: npt.ArrayLike, kind: Kind | None = None) -> FloatArray:
        """Fitted values at ``periods`` (decimal years), shares 0-1.

        ``kind`` defaults to the history's kind; ``cumulative`` gives the adopted share ``F``.
        For per-period values the period before each point is one step earlier.
        """
        x = np.atleast_1d(np.asarray(periods, dtype=np.float64))
        spec = self._spec()
        want = kind or self.observations.kind
        return _observable(spec, self._values(), x, x - self.observations.step, want)

    def forecast_periods(self, horizon: float) -> FloatArray:
        """Observed periods followed by steps up to ``horizon`` years after the last one."""
        obs = self.observations
        step = obs.step
        n_ahead = math.floor(horizon / step + 1e-9)
        ahead = obs.x[-1] + step * np.arange(1, n_ahead + 1)
        return np.concatenate([obs.x, ahead])

    def band(
        self,
        periods: npt.ArrayLike,
        *,
        draws: int = 1000,
        seed: int = 0,
        kind: Kind | None = None,
    ) -> Band:
        """80% and 95% bands at ``periods`` by sampling parameters from ``N(theta, cov)``.

        All draws are evaluated at once (draws x periods); draws are clipped to the parameter
        bounds. Without a covariance the band collapses onto the fit.
        """
        x = np.atleast_1d(np.asarray(periods, dtype=np.float64))
        want = kind or self.observations.kind
        fit = self.predict(x, want)
        if self.covariance is None or not self.free:
            return Band(x, fit, fit, fit, fit, fit, "none")
        spec = self._spec()
        values = self._values()
        index = [spec.names.index(k) for k in self.free]
        theta = np.array([values[k] for k in self.free])
        cov = np.asarray(self.covariance, dtype=np.float64)
        live = np.flatnonzero(np.diag(cov) > 0)
        if live.size == 0:
            return Band(x, fit, fit, fit, fit, fit, "none")
        rng = np.random.default_rng(seed)
        sample = np.tile(theta, (draws, 1))
        sample[:, live] = rng.multivariate_normal(
            theta[live], cov[np.ix_(live, live)], size=draws, method="cholesky"
        )
        sample = np.clip(sample, spec.lower[index], spec.upper[index])
        return self._band_of(sample, x, fit, want, "covariance")

    def _band_of(
        self,
        sample: FloatArray,
        x: FloatArray,
        fit: FloatArray,
        want: Kind,
        method: Literal["covariance", "bootstrap"],
    ) -> Band:
        """Quantiles over the curves of ``sample`` (draws x free parameters), all at once."""
        spec = self._spec()
        params: dict[str, npt.ArrayLike] = dict(self._values())
        for j, k in enumerate(self.free):
            params[k] = sample[:, j : j + 1]
        paths = _observable(spec, params, x[None, :], (x - self.observations.step)[None, :], want)
        q = np.quantile(paths, BAND_QUANTILES, axis=0)
        return Band(x, fit, q[0], q[1], q[2], q[3], method)

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

        Slower than :meth:`band` (one least-squares fit per draw, started at the fit), but it
        does not assume the parameters are normal, which matters for short histories where a
        parameter is poorly identified. Draws whose refit fails are left out; with fewer than
        half of them usable, or no residual spread, the covariance band is returned instead.
        """
        x = np.atleast_1d(np.asarray(periods, dtype=np.float64))
        want = kind or self.observations.kind
        fit = self.predict(x, want)
        dof = self.n - len(self.free)
        if not self.free or dof <= 0 or self.sse <= 0:
            return self.band(x, seed=seed, kind=kind)
        obs = self.observations
        spec = self._spec()
        values = self._values()
        index = [spec.names.index(k) for k in self.free]
        lower, upper = spec.lower[index], spec.upper[index]
        start = _inside([values[k] for k in self.free], lower, upper)
        fitted = self.predict(obs.x)
        previous = _previous_periods(obs)
        rng = np.random.default_rng(seed)
        noise = rng.normal(0.0, math.sqrt(self.sse / dof), size=(draws, self.n))
        refits: list[FloatArray] = []
        for simulated in fitted + noise:

            def residuals(theta: FloatArray, target: FloatArray = simulated) -> FloatArray:
                params = dict(values)
                params.update(zip(self.free, theta.tolist(), strict=True))
                return _observable(spec, params, obs.x, previous, obs.kind) - target

            with np.errstate(all="ignore"):
                try:
                    result = least_squares(
                        residuals, start, bounds=(lower, upper), method="trf", x_scale="jac"
                    )
                except ValueError:
                    continue
            if result.success and np.all(np.isfinite(result.x)):
                refits.append(np.asarray(result.x, dtype=np.float64))
        if 2 * len(refits) < draws:
            return self.band(x, seed=seed, kind=kind)
        return self._band_of(np.stack(refits), x, fit, want, "bootstrap")

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
    if ceiling is not None and ceiling < obs.cumulative_max - 1e-12:
        raise InputError(
            f"{obs.source}: the ceiling {ceiling:g} is below the observed maximum"
            f" {obs.cumulative_max:g} (cumulative share)"
        )
    if ceiling is not None and not 0 < ceiling <= 1:
        raise InputError(f"the ceiling must be a share above 0 and at most 1 (got {ceiling:g})")


def _inside(theta: Sequence[float], lower: FloatArray, upper: FloatArray) -> FloatArray:
    """``theta`` moved just inside the bounds, where the solver may start."""
    clipped = np.clip(np.asarray(theta, dtype=np.float64), lower, upper)
    clipped = np.where(clipped >= upper, upper - 1e-9 * np.maximum(1, np.abs(upper)), clipped)
    return np.where(clipped <= lower, lower + 1e-9 * np.maximum(1, np.abs(lower)), clipped)


def _cumulative_guess(obs: Observations) -> FloatArray:
    return np.cumsum(obs.y) if obs.kind == "per-period" else obs.y


def _starts(
    model: FitModelName, obs: Observations, m_options: Sequence[float]
) -> list[dict[str, float]]:
    """Linearised starting values for a few candidate ceilings."""
    x, f = obs.x, _cumulative_guess(obs)
    starts: list[dict[str, float]] = []
    for m in m_options:
        frac = np.clip(f / m, 1e-4, 1 - 1e-4)
        if model == "logistic":
            slope, icpt = np.polyfit(x, np.log(frac / (1 - frac)), 1)
            r = float(np.clip(slope, 0.05, 10.0))
            starts.append(
                {"r": r, "x_mid": float(-icpt / slope) if slope > 0 else float(x[-1]), "m": m}
            )
        elif model == "gompertz":
            slope, icpt = np.polyfit(x - x[0], np.log(-np.log(frac)), 1)
            starts.append(
                {
                    "b": float(np.clip(np.exp(icpt), 1e-3, 1e3)),
                    "c": float(np.clip(-slope, 0.02, 10.0)),
                    "m": m,
                }
            )
        else:
            for p, q in ((0.01, 0.4), (0.03, 0.38), (0.003, 0.6)):
                starts.append(
                    {
                        "p": p,
                        "q": q,
                        "m": m,
                        "launch": float(x[0] - obs.step),
                        "f_start": float(max(f[0], 1e-6)),
                    }
                )
    return starts


def _fit(
    model: FitModelName,
    obs: Observations,
    *,
    ceiling: float | None = None,
    launch: float | None = None,
) -> FitResult:
    anchored = model == "bass" and obs.kind == "cumulative" and launch is None
    spec = _spec(model, obs, anchored)
    fixed: dict[str, float] = {}
    if ceiling is not None:
        fixed["m"] = ceiling
    if model == "bass" and obs.kind == "per-period":
        fixed["launch"] = float(obs.x[0] - obs.step) if launch is None else launch
    elif model == "bass" and launch is not None:
        fixed["launch"] = launch
    highest = obs.cumulative_max
    free = tuple(k for k in spec.names if k not in fixed)
    _check_history(obs, len(free), model, ceiling)
    if model == "bass" and "launch" in fixed and fixed["launch"] >= obs.x[0]:
        raise InputError(f"the Bass launch {fixed['launch']:g} must be before the first period")

    idx = [spec.names.index(k) for k in free]
    lb, ub = spec.lower[idx].copy(), spec.upper[idx].copy()
    x, y = obs.x, obs.y
    previous = _previous_periods(obs)

    def residuals(theta: FloatArray) -> FloatArray:
        params = dict(fixed)
        params.update(zip(free, theta.tolist(), strict=True))
        return _observable(spec, params, x, previous, obs.kind) - y

    m_options = (
        [fixed["m"]]
        if "m" in fixed
        else sorted({min(1.0, highest * f) for f in (1.02, 1.2, 1.6, 3.0)})
    )
    candidates = []
    for start in _starts(model, obs, m_options):
        theta0 = _inside([start[k] if k not in fixed else fixed[k] for k in free], lb, ub)
        with np.errstate(all="ignore"):
            cost = float(np.sum(residuals(theta0) ** 2))
        candidates.append((cost if np.isfinite(cost) else math.inf, theta0))
    # Screening the linearised starts by their cost keeps the fit fast: only the best few
    # are refined by the (much more expensive) nonlinear least squares.
    candidates.sort(key=lambda c: c[0])
    best = None
    sst = float(np.sum((y - y.mean()) ** 2))
    for _, theta0 in candidates[:N_REFINED_STARTS]:
        try:
            res = least_squares(residuals, theta0, bounds=(lb, ub), method="trf", x_scale="jac")
        except ValueError:
            continue
        if np.isfinite(res.cost) and (best is None or res.cost < best.cost):
            best = res
        # A converged fit that explains nearly all the variation needs no second opinion.
        if best is not None and best.success and 2 * best.cost < GOOD_FIT_SSE_FRACTION * sst:
            break
    if best is None:
        raise InputError(f"{obs.source}: the {model} fit did not converge")

    n, k = len(y), len(free)
    sse = float(np.sum(best.fun**2))
    dof = n - k
    # A parameter stopped at a bound is held there for the standard errors and bands: the normal
    # approximation around a boundary value would put half its draws outside the model's domain.
    at_bound = np.asarray(best.active_mask) != 0
    live = np.flatnonzero(~at_bound)
    cov = np.zeros((k, k))
    try:
        jac = np.asarray(best.jac)[:, live]
        cov[np.ix_(live, live)] = np.linalg.inv(jac.T @ jac) * (sse / dof)
        usable = bool(np.all(np.isfinite(cov)) and np.all(np.diag(cov) >= 0))
    except np.linalg.LinAlgError:
        usable = False
    params: dict[str, FitParameter] = {
        name: FitParameter(value=v, stderr=None, fixed=True) for name, v in fixed.items()
    }
    for j, name in enumerate(free):
        se = float(math.sqrt(cov[j, j])) if usable and not at_bound[j] else None
        params[name] = FitParameter(value=float(best.x[j]), stderr=se, at_bound=bool(at_bound[j]))
    ordered = {name: params[name] for name in spec.names}
    log_term = n * math.log(max(sse, 1e-300) / n)
    return FitResult(
        model=model,
        form=_form(model, obs.kind, anchored),
        observations=obs,
        params=ordered,
        free=free,
        covariance=tuple(tuple(float(v) for v in row) for row in cov) if usable else None,
        n=n,
        sse=sse,
        r2=1.0 - sse / sst if sst > 0 else 0.0,
        aic=log_term + 2 * k,
        bic=log_term + k * math.log(n),
    )


def _form(model: FitModelName, kind: Kind, anchored: bool = False) -> str:
    curve = {
        "logistic": "F(x) = m / (1 + exp(-r (x - x_mid)))",
        "gompertz": "F(x) = m exp(-b exp(-c (x - x_first)))",
        "bass": "F(x) = m (1 - e^(-(p+q)s)) / (1 + (q/p) e^(-(p+q)s)), s = x - launch",
    }[model]
    if anchored:
        curve += ", launch placed so that F(x_first) = f_start"
    how = (
        "per-period values fitted as m[F(x) - F(x - 1 step)] relative to the previous period"
        if kind == "per-period"
        else "cumulative values fitted as F(x)"
    )
    return f"{curve}; {how}; least squares on shares 0-1"


def fit_logistic(obs: Observations, *, ceiling: float | None = None) -> FitResult:
    """Fit a logistic curve (``r`` per year, midpoint ``x_mid`` in years, ceiling ``m`` 0-1)."""
    return _fit("logistic", obs, ceiling=ceiling)


def fit_gompertz(obs: Observations, *, ceiling: float | None = None) -> FitResult:
    """Fit a Gompertz curve (``b``, rate ``c`` per year, ceiling ``m`` 0-1)."""
    return _fit("gompertz", obs, ceiling=ceiling)


def fit_bass(
    obs: Observations, *, ceiling: float | None = None, launch: float | None = None
) -> FitResult:
    """Fit a Bass curve (``p``, ``q`` per year, ceiling ``m`` 0-1, ``launch`` year).

    Per-period data fixes the launch one step before the first period; cumulative data fits
    it unless ``launch`` (decimal year) is given.
    """
    return _fit("bass", obs, ceiling=ceiling, launch=launch)


def fit_model(
    model: FitModelName | Literal["auto"], obs: Observations, *, ceiling: float | None = None
) -> FitResult:
    """Fit one named model, or ``auto``: all that the data allow, best AIC first."""
    if model == "auto":
        return fit_auto(obs, ceiling=ceiling)
    return _fit(model, obs, ceiling=ceiling)


def fit_auto(
    obs: Observations,
    *,
    ceiling: float | None = None,
    models: Sequence[FitModelName] = FIT_MODELS,
) -> FitResult:
    """Fit each model and return the one with the lowest AIC, with the full ``ranking``.

    Models the data cannot support (e.g. too few points for Bass's parameters) are listed in
    ``skipped`` with the reason; if none can be fitted the first reason is raised.
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
    fits.sort(key=lambda f: f.aic)
    ranking = tuple(RankedModel(model=f.model, aic=f.aic, bic=f.bic, r2=f.r2) for f in fits)
    return fits[0].model_copy(update={"ranking": ranking, "skipped": skipped})
