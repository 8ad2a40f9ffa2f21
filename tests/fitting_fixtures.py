"""Histories the fitting tests share: synthetic curves, published sales, a plateau rollout, and
the command line run in-process."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, settings
from property_budget import examples

from readiness.cli import main
from readiness.fitting import Kind, Observations, read_observations

YEARS = np.arange(2000.0, 2040.0)
Values = Sequence[float] | np.ndarray
KINDS: tuple[Kind, ...] = ("cumulative", "per-period")
PROPERTIES = settings(
    deadline=None, max_examples=examples(40), suppress_health_check=[HealthCheck.too_slow]
)
#: Bass (1969), room air conditioners: US sales in thousands, 1949-1961.
AIR_CONDITIONERS = (96, 195, 238, 380, 1045, 1230, 1267, 1828, 1586, 1673, 1800, 1580, 1500)


#: A fast rollout: shares reach a plateau at 0.6 within two years and stay there 16 more (noise
#: 1.5 points). The growth rate is poorly identified (standard error about half the rate), the
#: ceiling well: sampling the raw parameters put 2.5% of the draws at a negative rate, clipped
#: to the bound, and the 95% band of the plateau at 0.30.
ROLLOUT = (
    0.0, 0.0082, 0.325, 0.5991, 0.5752, 0.5999, 0.5906, 0.6022, 0.5759, 0.6036,
    0.6035, 0.6236, 0.6047, 0.6077, 0.5776, 0.6338, 0.5713, 0.6165, 0.5951, 0.5868,
)  # fmt: skip
ROLLOUT_YEARS = np.arange(2001.0, 2021.0)


def history(values: np.ndarray, kind: str = "cumulative", x: np.ndarray = YEARS) -> Observations:
    frame = pd.DataFrame({"period": x, "value": np.clip(values, 0, 1)})
    return read_observations(frame, kind=kind)  # type: ignore[arg-type]


def logistic(x: np.ndarray, r: float, mid: float, m: float) -> np.ndarray:
    return np.asarray(m / (1 + np.exp(-r * (x - mid))))


def gompertz(x: np.ndarray, b: float, c: float, m: float) -> np.ndarray:
    return np.asarray(m * np.exp(-b * np.exp(-c * (x - x[0]))))


def frame(periods: Values, values: Values) -> pd.DataFrame:
    return pd.DataFrame({"period": list(periods), "value": list(values)})


def sales_history() -> Observations:
    years = range(1949, 1949 + len(AIR_CONDITIONERS))
    return read_observations(frame(years, AIR_CONDITIONERS), kind="per-period", unit="count")


def write(tmp_path: Path, periods: Values, values: Values) -> Path:
    path = tmp_path / "history.csv"
    frame(periods, values).to_csv(path, index=False)
    return path


def run(argv: Sequence[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err
