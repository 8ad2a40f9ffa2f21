"""Benchmark figures: loaded from data/benchmarks.csv, validated, labelled and sourced."""

from __future__ import annotations

from pathlib import Path

import pytest

from readiness.benchmarks import (
    COLUMNS,
    benchmarks_frame,
    headline,
    load_benchmarks,
)
from readiness.errors import InputError


def test_the_aiim_figures_are_about_12_5_percent_in_2008_and_25_percent_in_2009() -> None:
    first, second = headline(load_benchmarks())
    assert (first.year, first.value, first.approximate) == (2008, 12.5, True)
    assert (second.year, second.value, second.approximate) == (2009, 25.0, False)
    assert first.display_value == "about 12.5%"
    assert second.n == 789


def test_every_figure_is_market_level_sourced_and_a_percent() -> None:
    figures = load_benchmarks()
    assert len(figures) >= 20
    assert {b.sector for b in figures} == {"private", "public"}
    for figure in figures:
        assert figure.level == "market"
        assert figure.source.strip()
        assert figure.counted.strip()
        assert 0 <= figure.value <= 100


def test_the_frame_filters_by_sector_and_keeps_the_source_of_each_figure() -> None:
    public = benchmarks_frame(load_benchmarks(), "public")
    assert set(public["sector"]) == {"public"}
    assert public["source"].str.len().min() > 0
    assert "States without a social media policy" in set(public["metric"])


def _write(tmp_path: Path, rows: list[str]) -> Path:
    path = tmp_path / "benchmarks.csv"
    path.write_text("\n".join([",".join(COLUMNS), *rows]) + "\n", encoding="utf-8")
    return path


def test_a_bad_row_is_reported_with_its_row_number_and_field(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        [
            "private,2009,Deploying,25,false,organizations,789,AIIM,market,",
            "private,2009,Deploying,125,false,organizations,789,AIIM,market,",
        ],
    )
    with pytest.raises(InputError) as caught:
        load_benchmarks(path)
    assert caught.value.problems == [
        "benchmarks.csv: row 3, field value: Input should be less than or equal to 100"
    ]


def test_a_figure_may_not_claim_to_be_organization_level(tmp_path: Path) -> None:
    path = _write(tmp_path, ["private,2009,Deploying,25,false,staff,,AIIM,organization,"])
    with pytest.raises(InputError, match="row 2, field level"):
        load_benchmarks(path)


def test_a_file_with_other_columns_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "benchmarks.csv"
    path.write_text("sector,year,value\nprivate,2009,25\n", encoding="utf-8")
    with pytest.raises(InputError, match="expected columns sector, year"):
        load_benchmarks(path)
