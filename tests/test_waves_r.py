"""R as the referee of comparing survey waves.

``tests/r/waves.R`` runs R's ``t.test(after, before)`` (Welch, unequal variances) on the
respondent-level scores of each group and dimension, and ``p.adjust(..., "holm")`` over each
pair of waves' comparisons. readiness compares the waves from their summaries alone (n, mean,
sd per group and dimension: what a plan keeps); its change, 95% interval, p-value, degrees of
freedom and Holm-adjusted p-value must equal R's: the interval within 1e-9 points, p-values
within 1e-9 relative.

The respondent-level scores are the product's own (:func:`readiness.scoring.score_respondents`),
grouped here as the merge rule groups them, independently of :mod:`readiness.waves`. Four pairs
of waves: equal sizes; unequal sizes (8 to 50 per division); a tiny division (2 and 3
respondents, with a minimum group size of 2); and Microsoft Forms exports with blank answers
compared by ``readiness waves`` itself (the command's JSON). Without ``Rscript`` the tests are
skipped unless R is required (``READINESS_REQUIRE_R=1`` or ``CI=true``). Each run writes the
comparison table to ``out/waves_r_referee.md``.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from r_referee import readiness_json, relative_difference, require_r, run_r, write_table
from survey_fixtures import forms_survey_csv, survey_csv

from readiness.questionnaire import load_questionnaire
from readiness.rules import load_rulebook
from readiness.scoring import score_respondents
from readiness.survey import read_respondents_file
from readiness.waves import EVERYONE, compare_waves, wave_summary

pytestmark = pytest.mark.full  # runs R

Q = load_questionnaire()
RULES = load_rulebook()
DIMENSIONS = [d.id for d in Q.dimensions]
INTERVAL_TOLERANCE = 1e-9
P_TOLERANCE = 1e-9


@dataclass(frozen=True)
class Pair:
    """Two waves of simulated respondents: division sizes and seeds, and the minimum group."""

    name: str
    earlier: dict[str, int]
    later: dict[str, int]
    seeds: tuple[int, int]
    minimum: int = 5
    blanks: float = 0.0


PAIRS = [
    Pair("equal sizes", {"Sales": 30, "Legal": 30}, {"Sales": 30, "Legal": 30}, (1, 2)),
    Pair(
        "unequal sizes",
        {"Sales": 12, "Legal": 40, "Zürich": 25},
        {"Sales": 50, "Legal": 8, "Zürich": 25},
        (3, 4),
    ),
    Pair("tiny division", {"Sales": 20, "Audit": 2}, {"Sales": 25, "Audit": 3}, (5, 6), minimum=2),
    Pair(
        "forms export, blanks, the command",
        {"Sales": 15, "Support": 9, "IT": 6},
        {"Sales": 7, "Support": 21, "IT": 11},
        (7, 8),
        blanks=0.15,
    ),
]


def files(pair: Pair, where: Path) -> tuple[Path, Path]:
    paths = (where / f"{pair.seeds[0]}-earlier.csv", where / f"{pair.seeds[1]}-later.csv")
    for path, sizes, seed in zip(paths, (pair.earlier, pair.later), pair.seeds, strict=True):
        make = forms_survey_csv if pair.blanks else survey_csv
        path.write_bytes(make(sizes, seed=seed, blanks=pair.blanks))
    return paths


def respondent_scores(path: Path, minimum: int) -> Iterator[tuple[str, str, float]]:
    """(group, dimension, score) of every respondent with a score: everyone, and the group the
    merge rule puts their division in."""
    batch = score_respondents(Q, RULES, read_respondents_file(Q, path), min_group_size=minimum)
    for record in batch.respondents.to_dict("records"):
        group = batch.groups.group_of(str(record["division"]))
        for dimension in DIMENSIONS:
            score = float(record[dimension])
            if math.isnan(score):
                continue
            yield EVERYONE, dimension, score
            if group is not None:
                yield group, dimension, score


def ours(pair: Pair, paths: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """readiness's comparisons of the pair (JSON rows), from the core or from the command."""
    dates = ("2027-03-15", "2027-09-15")
    if pair.blanks:
        monkeypatch.setenv("READINESS_MIN_GROUP_SIZE", str(pair.minimum))
        argv = ["waves", str(paths[0]), str(paths[1]), "--format", "json"]
        argv += ["--earlier-date", dates[0], "--later-date", dates[1]]
        return list(readiness_json(argv)["changes"])
    waves = [
        wave_summary(
            Q,
            RULES,
            read_respondents_file(Q, path),
            label,
            dt.date.fromisoformat(date),
            min_group_size=pair.minimum,
        )
        for path, label, date in zip(paths, ("earlier", "later"), dates, strict=True)
    ]
    comparison = compare_waves(*waves, min_group_size=pair.minimum)
    return [change.model_dump() for change in comparison.changes]


@pytest.fixture(scope="module")
def rows() -> list[str]:
    return []


@pytest.fixture(scope="module", autouse=True)
def _table(rows: list[str]) -> Iterator[None]:
    yield
    write_table(
        "waves_r_referee",
        "Survey waves: readiness (from summaries) against R's t.test on respondents' scores",
        "| pair | group | dimension | n before / after | change | interval, readiness | "
        "interval, R | largest difference | p, readiness / R | Holm, readiness / R |",
        rows,
    )


@pytest.mark.parametrize("pair", PAIRS, ids=[p.name for p in PAIRS])
def test_welch_intervals_and_holm_equal_rs(
    pair: Pair, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rows: list[str]
) -> None:
    require_r()
    paths = files(pair, tmp_path)
    changes = [c for c in ours(pair, paths, monkeypatch) if c["reading"] != "too few to tell"]
    assert len(changes) >= 6
    cases = {(c["group"], c["dimension"]): k for k, c in enumerate(changes)}
    scores = tmp_path / "scores.csv"
    with scores.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["family", "case", "wave", "score"])
        for path, wave in zip(paths, ("before", "after"), strict=True):
            for group, dimension, score in respondent_scores(path, pair.minimum):
                if (group, dimension) in cases:
                    writer.writerow([1, cases[(group, dimension)], wave, repr(score)])
    referee = {r["case"]: r for r in run_r("waves.R", scores)}
    assert set(referee) == set(cases.values())
    for k, change in enumerate(changes):
        r = referee[k]
        gaps = [abs(change[key] - r[key]) for key in ("change", "low", "high")]
        rows.append(
            f"| {pair.name} | {change['group']} | {change['dimension']} | "
            f"{change['n_before']} / {change['n_after']} | {change['change']:+.4f} | "
            f"{change['low']:.10f} to {change['high']:.10f} | {r['low']:.10f} to "
            f"{r['high']:.10f} | {max(gaps):.1e} | {change['p_value']:.6g} / {r['p']:.6g} | "
            f"{change['p_adjusted']:.6g} / {r['holm']:.6g} |"
        )
        where = f"{pair.name}: {change['group']}, {change['dimension']}"
        assert max(gaps) <= INTERVAL_TOLERANCE, where
        assert relative_difference(change["p_value"], r["p"]) <= P_TOLERANCE, where
        assert relative_difference(change["p_adjusted"], r["holm"]) <= P_TOLERANCE, where
    if pair.minimum == 2:  # the tiny division is compared: 2 and 3 respondents
        assert any(c["group"] == "Audit" and c["n_before"] == 2 for c in changes)
