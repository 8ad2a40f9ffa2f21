"""Curves fitted to measured monthly active shares, through :mod:`readiness.fitting`.

A month is dated at its middle, as a decimal year (March 2026 is 2026 + 2.5/12). The overall
series becomes a :class:`~readiness.organization.FittedHistory` marked "measured": with
answers it is the organization's projection on Results, Growth and the report.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pandas as pd

from readiness.errors import InputError
from readiness.fitting import FitResult, fit_auto, read_observations
from readiness.months import month_midpoint
from readiness.organization import FittedHistory
from readiness.usage.measure import MeasuredAdoption

#: Years the fitted curves are carried past the last measured month.
FORECAST_YEARS = 5.0


def history_frame(rows: pd.DataFrame) -> pd.DataFrame:
    """A group's measured months as the ``period,value`` history readiness fits (shares 0-1);
    months without a measured share are left out."""
    known = rows.dropna(subset=["share"])
    return pd.DataFrame(
        {
            "period": [f"{month_midpoint(m):.6f}" for m in known["month"]],
            "value": [f"{float(s):.10f}" for s in known["share"]],
        }
    )


def fit_group(rows: pd.DataFrame, name: str) -> FitResult:
    """The best curve (by AIC, as ``readiness fit --model auto``) through one group's months."""
    return fit_auto(read_observations(checked_history(rows, name), unit="share", name=name))


def checked_history(rows: pd.DataFrame, name: str) -> pd.DataFrame:
    """:func:`history_frame`, or an InputError saying no month is shown (below the minimum
    group size nothing is), rather than a history file's "no data rows"."""
    history = history_frame(rows)
    if history.empty:
        raise InputError(f"{name}: no measured month is shown, so there is nothing to fit")
    return history


def fitted_history(result: FitResult, horizon: float = FORECAST_YEARS) -> FittedHistory:
    """A fit as the organization's fitted history, marked as measured usage, with its 80%
    band ``horizon`` years past the last month (and the fit's warnings)."""
    return FittedHistory.from_fit(result, horizon, origin="measured")


@dataclass(frozen=True)
class GroupFit:
    """One group's fitted history, or why it could not be fitted."""

    group: str
    fitted: FittedHistory | None
    problem: str | None = None


def fit_groups(measured: MeasuredAdoption) -> Iterator[GroupFit]:
    """The whole organization first, then each division shown, largest first."""
    for group in ["all staff", *measured.divisions]:
        rows = measured.series[measured.series["group"] == group]
        try:
            result = fit_group(rows, group)
        except InputError as error:
            yield GroupFit(group, None, "; ".join(error.problems))
            continue
        yield GroupFit(group, fitted_history(result))


def latest_share(measured: MeasuredAdoption) -> tuple[str, float] | None:
    """The last month with a measured overall share and that share (0-1)."""
    overall = measured.overall.dropna(subset=["share"])
    if overall.empty:
        return None
    last = overall.iloc[-1]
    return str(last["month"]), float(np.clip(last["share"], 0.0, 1.0))
