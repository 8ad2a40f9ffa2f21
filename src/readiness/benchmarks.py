"""Published adoption figures from ``data/benchmarks.csv``, each with its own metric definition.

Every figure is **market level**: a share (percent 0-100) of the organizations, companies,
workers or states a survey counted. They are never the same thing as one organization's own
adoption, and no two sources asked the same question, so the figures are labelled and shown
side by side, never chained into a series or compared like for like.
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import BeforeValidator, Field, ValidationError

if TYPE_CHECKING:
    import pandas as pd

from readiness.errors import Frozen, InputError, describe_validation_error
from readiness.paths import data_file
from readiness.textfiles import read_text_file

COLUMNS = (
    "sector",
    "year",
    "metric",
    "value",
    "approximate",
    "counted",
    "n",
    "source",
    "level",
    "note",
)

#: Shown wherever the figures are: what the benchmarks can and cannot say.
COMPARABILITY_NOTE = (
    "No source measured behind-the-firewall adoption in both sectors with the same question. "
    "Each figure has its own definition and population: read them side by side, not as one "
    "series, and not as a target for your organization's own adoption."
)


def _blank_to_none(value: object) -> object:
    return None if isinstance(value, str) and not value.strip() else value


class Benchmark(Frozen):
    """One published figure. ``value`` is a percent 0-100 of what ``counted`` names."""

    sector: Literal["private", "public"]
    year: int = Field(ge=1990, le=2100)
    metric: str = Field(min_length=1, max_length=120)
    value: float = Field(ge=0, le=100, description="percent 0-100")
    approximate: bool = False
    counted: str = Field(min_length=1, description="what the percent is a share of")
    n: Annotated[int | None, BeforeValidator(_blank_to_none)] = Field(default=None, gt=0)
    source: str = Field(min_length=1)
    level: Literal["market"] = "market"
    note: str = ""

    @property
    def display_value(self) -> str:
        text = f"{self.value:g}%"
        return f"about {text}" if self.approximate else text


def load_benchmarks(path: Path | None = None) -> tuple[Benchmark, ...]:
    """Load and validate the benchmark figures (``data/benchmarks.csv`` by default).

    Raises :class:`InputError` naming the row (spreadsheet numbering, header = row 1) and field
    of every problem.
    """
    return _load(path or data_file("benchmarks.csv"))


@cache
def _load(path: Path) -> tuple[Benchmark, ...]:
    text = read_text_file(path)
    reader = csv.DictReader(text.splitlines())
    header = tuple(reader.fieldnames or ())
    if header != COLUMNS:
        raise InputError(f"{path.name}: expected columns {', '.join(COLUMNS)}")
    rows: list[Benchmark] = []
    problems: list[str] = []
    for number, row in enumerate(reader, start=2):
        try:
            rows.append(Benchmark.model_validate({k: (v or "").strip() for k, v in row.items()}))
        except ValidationError as error:
            problems.extend(describe_validation_error(error, path.name, row=number))
    if problems:
        raise InputError(problems)
    if not rows:
        raise InputError(f"{path.name}: no figures")
    return tuple(rows)


def benchmarks_frame(benchmarks: tuple[Benchmark, ...], sector: str | None = None) -> pd.DataFrame:
    """The figures as a table for display, optionally for one sector, newest first."""
    import pandas as pd  # only where a table is made: the Overview page draws without it

    chosen = [b for b in benchmarks if sector is None or b.sector == sector]
    frame = pd.DataFrame(
        {
            "sector": [b.sector for b in chosen],
            "year": [b.year for b in chosen],
            "metric": [b.metric for b in chosen],
            "value": [b.value for b in chosen],
            "figure": [b.display_value for b in chosen],
            "share of": [b.counted for b in chosen],
            "n": pd.array([b.n for b in chosen], dtype="Int64"),
            "source": [b.source for b in chosen],
            "level": [b.level for b in chosen],
            "note": [b.note for b in chosen],
        }
    )
    return frame.sort_values(["sector", "year", "metric"], ascending=[True, False, True])


#: The sample size of a figure whose source does not publish one, in tables and tooltips.
NOT_REPORTED = "not reported"


def benchmarks_table(frame: pd.DataFrame) -> pd.DataFrame:
    """:func:`benchmarks_frame` as the table beside the benchmark chart: year, definition, figure,
    what it is a share of, the sample (:data:`NOT_REPORTED` where a source gives none), source."""
    shown = frame.assign(n=frame["n"].astype("string").fillna(NOT_REPORTED))
    return shown[["year", "metric", "figure", "share of", "n", "source"]]


#: The one figure pair the source article is about: behind-the-firewall deployment.
HEADLINE_METRIC = "Organizations deploying social tools behind the firewall"


def headline(benchmarks: tuple[Benchmark, ...]) -> tuple[Benchmark, ...]:
    """The AIIM behind-the-firewall figures (about 12.5% in 2008, 25% in 2009), oldest first."""
    return tuple(
        sorted((b for b in benchmarks if b.metric == HEADLINE_METRIC), key=lambda b: b.year)
    )
