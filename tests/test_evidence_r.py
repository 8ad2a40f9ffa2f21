"""R as the referee of evidence: scale reliability, agreement and relative weights equal what R
computes on the same data.

``tests/r/evidence.R`` runs ``psych::alpha`` (raw and standardized alpha, Feldt's interval,
``r.drop``, ``alpha.drop``), ``psych::omega(nfactors = 1)``, ``multilevel::rwg.j`` and
``ICC1``/``ICC2`` of a one-way ``aov``, and Johnson's (2000) relative weights written in base R.
Data sets: psych's ``bfi`` (2,800 respondents, five 5-item scales on 6 points with psych's
reverse keys; exported by R in the test), a survey read through the product (the questionnaire's
scales, reverse-keyed items, a bad row, small divisions merged), complete answers, missing
answers with reverse-keyed items, an item without variance, and five respondents. Tolerances:
1e-6 absolute, omega total 1e-3.

Without ``Rscript`` or the R packages psych, multilevel and GPArotation the tests are skipped,
unless R is required (``READINESS_REQUIRE_R=1``, set by CI, or ``CI=true``): then that is a
failure. Each run writes the comparison table to ``out/evidence_r.md`` (one per worker under
pytest-xdist: ``out/evidence_r-gw0.md``, ...).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from r_referee import require_r, run_r, write_table

from readiness.answers import NO_DIVISION
from readiness.evidence import (
    dimension_scales,
    group_codes,
    johnson_weights,
    relative_weights,
    scale_agreement,
    scale_reliability,
)
from readiness.questionnaire import load_questionnaire
from readiness.survey import parse_respondents_csv

pytestmark = pytest.mark.full  # runs R

R_PACKAGES = ("psych", "multilevel", "GPArotation")
TOLERANCE = 1e-6
OMEGA_TOLERANCE = 1e-3
MINIMUM = 5  # the minimum group size the cases are merged with
BFI_SCALES = ("agree", "conscientious", "extraversion", "neuroticism", "openness")
Q = load_questionnaire()


# --- the data sets ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScaleCase:
    """One scale of one data set: what R reads (``file``: the raw answers, ``reverse`` keyed by
    R, ``group`` the merged group of each row) and what readiness computes (``keyed`` answers,
    reversed by readiness; ``divisions`` before merging)."""

    name: str
    file: Path
    items: tuple[str, ...]
    reverse: tuple[str, ...]
    options: int
    keyed: np.ndarray
    divisions: tuple[str, ...]


def likert_answers(
    rng: np.random.Generator,
    respondents: int,
    items: int,
    *,
    options: int = 5,
    groups: Sequence[int] = (),
    reverse: Sequence[int] = (),
    missing: float = 0.0,
) -> tuple[np.ndarray, list[str]]:
    """Answers 1..options from one latent factor (with a group effect), the ``reverse`` columns
    answered as negatively worded items; a share ``missing`` of cells blank. Returns the raw
    answers and each respondent's division."""
    sizes = list(groups) or [respondents]
    divisions = [f"Division {chr(65 + g)}" for g, size in enumerate(sizes) for _ in range(size)]
    effect = np.repeat(rng.normal(0, 0.5, len(sizes)), sizes)
    latent = effect + rng.normal(0, 1, len(divisions))
    loadings = rng.uniform(0.4, 0.9, items)
    centre = (options + 1) / 2
    raw = centre + latent[:, None] * loadings * 1.1 + rng.normal(0, 0.9, (len(divisions), items))
    raw = np.clip(np.rint(raw), 1, options)
    raw[:, list(reverse)] = (options + 1) - raw[:, list(reverse)]
    if missing:
        raw[rng.random(raw.shape) < missing] = np.nan
        raw[np.isnan(raw).all(axis=1), 0] = centre
    return raw, divisions


def write_case_file(
    path: Path, answers: np.ndarray, items: Sequence[str], divisions: Sequence[str]
) -> None:
    """The answers (blank = missing) with each row's merged group (blank: in no group)."""
    _, shown, codes = group_codes(divisions, MINIMUM)
    frame = pd.DataFrame(answers, columns=list(items))
    frame["group"] = [shown[c] if c >= 0 else "" for c in codes]
    frame.to_csv(path, index=False, na_rep="")


def keyed(answers: np.ndarray, items: Sequence[str], reverse: Sequence[str], options: int) -> Any:
    columns = [items.index(name) for name in reverse]
    out = answers.copy()
    out[:, columns] = (options + 1) - out[:, columns]
    return out


def synthetic_case(
    folder: Path,
    name: str,
    answers: np.ndarray,
    divisions: Sequence[str],
    reverse: Sequence[int] = (),
    options: int = 5,
) -> ScaleCase:
    items = [f"{name}_{k + 1}" for k in range(answers.shape[1])]
    reversed_items = tuple(items[k] for k in reverse)
    path = folder / f"{name}.csv"
    write_case_file(path, answers, items, divisions)
    return ScaleCase(
        name,
        path,
        tuple(items),
        reversed_items,
        options,
        keyed(answers, items, reversed_items, options),
        tuple(divisions),
    )


def bfi_cases(folder: Path) -> list[ScaleCase]:
    """psych's bfi, exported by R with psych's keys; education (blank for 223) as division."""
    files = run_r("evidence.R", "bfi", folder)
    data = pd.read_csv(folder / files["data"])
    keys = pd.read_csv(folder / files["keys"])
    divisions = [
        NO_DIVISION if np.isnan(level) else f"education {int(level)}" for level in data["education"]
    ]
    cases = []
    for scale in BFI_SCALES:
        rows = keys[keys["scale"] == scale]
        items = tuple(rows["item"])
        reverse = tuple(rows.loc[rows["key"] < 0, "item"])
        answers = data[list(items)].to_numpy(dtype=float)
        path = folder / f"bfi_{scale}.csv"
        write_case_file(path, answers, items, divisions)
        cases.append(
            ScaleCase(
                f"bfi-{scale}",
                path,
                items,
                reverse,
                6,
                keyed(answers, list(items), reverse, 6),
                tuple(divisions),
            )
        )
    return cases


def survey_text(rng: np.random.Generator) -> str:
    """A survey file as a survey tool exports it: likert columns by item id, agreement as
    numbers and a few as labels, a division column with small divisions, one bad row."""
    likert = [item for item in Q.items if item.kind == "likert" and item.scored]
    sizes = [40, 30, 25, 4, 3, 2, 1]
    raw, divisions = likert_answers(
        rng,
        sum(sizes),
        len(likert),
        groups=sizes,
        reverse=[k for k, item in enumerate(likert) if item.reverse],
        missing=0.05,
    )
    labels = Q.likert_labels
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["Start time", "division", *(item.id for item in likert)])
    for row, (answers, division) in enumerate(zip(raw, divisions, strict=True)):
        cells = ["" if np.isnan(a) else str(int(a)) for a in answers]
        if row % 17 == 0 and cells[0]:
            cells[0] = labels[int(cells[0]) - 1]  # "Agree" as a survey tool writes it
        writer.writerow([f"2026-01-{1 + row % 28:02d}", division, *cells])
    writer.writerow(["2026-02-01", "Division A", "7", *[""] * (len(likert) - 1)])  # a bad row
    return buffer.getvalue()


def questionnaire_cases(folder: Path, rng: np.random.Generator) -> list[ScaleCase]:
    """The product's own scales: a survey file read as an upload is read, each dimension's
    scale built from the questionnaire. R gets the raw answers and keys them itself."""
    table = parse_respondents_csv(Q, survey_text(rng), "survey.csv")
    assert table.bad_rows.sum() == 1
    cases = []
    for dimension, scale in dimension_scales(Q, table).items():
        raw = np.where(scale.reversed, 6 - scale.answers, scale.answers)
        path = folder / f"survey_{dimension}.csv"
        write_case_file(path, raw, scale.item_ids, list(scale.divisions))
        reverse = tuple(i for i, flag in zip(scale.item_ids, scale.reversed, strict=True) if flag)
        cases.append(
            ScaleCase(
                f"survey-{dimension}",
                path,
                scale.item_ids,
                reverse,
                5,
                scale.answers,
                tuple(str(d) for d in scale.divisions),
            )
        )
    return cases


CASE_NAMES = [
    *(f"bfi-{scale}" for scale in BFI_SCALES),
    *(f"survey-{d.id}" for d in Q.dimensions),
    "complete",
    "missing",
    "constant",
    "tiny",
]


@pytest.fixture(scope="session")
def scale_cases(tmp_path_factory: pytest.TempPathFactory) -> dict[str, ScaleCase]:
    require_r(*R_PACKAGES)
    folder = tmp_path_factory.mktemp("evidence_r")
    rng = np.random.default_rng(19)
    cases = bfi_cases(folder) + questionnaire_cases(folder, rng)
    sizes = [120, 90, 80, 60, 30, 12, 4, 3, 1]
    answers, divisions = likert_answers(rng, sum(sizes), 6, groups=sizes)
    cases.append(synthetic_case(folder, "complete", answers, divisions))
    sizes = [70, 60, 50, 40, 20, 6, 2]
    answers, divisions = likert_answers(
        rng, sum(sizes), 8, groups=sizes, reverse=[2, 5], missing=0.12
    )
    cases.append(synthetic_case(folder, "missing", answers, divisions, reverse=[2, 5]))
    answers, divisions = likert_answers(rng, 60, 5, groups=[30, 20, 10])
    answers[:, 3] = 3.0  # nobody answers differently: psych deletes the item
    cases.append(synthetic_case(folder, "constant", answers, divisions))
    tiny = np.array(
        [[1, 2, 2, 1], [2, 2, 3, 3], [3, 4, 3, 2], [4, 4, 5, 4], [5, 3, 4, 5]], dtype=float
    )
    cases.append(synthetic_case(folder, "tiny", tiny, ["Solo"] * 5))
    assert [case.name for case in cases] == CASE_NAMES
    return {case.name: case for case in cases}


@pytest.fixture(scope="session")
def r_scales(
    scale_cases: dict[str, ScaleCase], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, dict[str, Any]]:
    """R's results for every scale case, by name: one ``Rscript`` run for all of them."""
    folder = tmp_path_factory.mktemp("evidence_r_scales")
    table = folder / "cases.csv"
    with table.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["name", "file", "items", "reverse", "group", "options"])
        for case in scale_cases.values():
            writer.writerow(
                [
                    case.name,
                    str(case.file),
                    " ".join(case.items),
                    " ".join(case.reverse),
                    "group",
                    case.options,
                ]
            )
    return {entry["name"]: entry for entry in run_r("evidence.R", "scales", table)}


@pytest.fixture(scope="session")
def comparison_table() -> Iterator[list[str]]:
    """Rows of the readiness-vs-R table, written to out/evidence_r.md at the end."""
    rows: list[str] = []
    yield rows
    write_table(
        "evidence_r",
        "readiness vs R (psych, multilevel, Johnson's relative weights in base R)",
        "| data set | statistic | readiness | R | largest difference | tolerance |",
        rows,
    )


def compare(
    rows: list[str],
    case: str,
    statistic: str,
    ours: Sequence[float | None] | float | None,
    theirs: Sequence[float | None] | float | None,
    tolerance: float = TOLERANCE,
) -> str | None:
    """One row of the table; a problem line when readiness and R differ (None counts as NaN:
    both must be missing together)."""
    mine = np.atleast_1d(np.array(ours, dtype=float))
    referee = np.atleast_1d(np.array(theirs, dtype=float))
    if mine.shape != referee.shape:
        return f"{case} {statistic}: {len(mine)} values, R {len(referee)}"
    both = np.isfinite(mine) & np.isfinite(referee)
    same_missing = bool(np.all(np.isfinite(mine) == np.isfinite(referee)))
    difference = float(np.max(np.abs(mine - referee)[both])) if both.any() else 0.0

    def shown(values: np.ndarray) -> str:
        cells = [
            "NA" if not np.isfinite(v) else f"{v:.0f}" if v == int(v) and v > 1 else f"{v:.6f}"
            for v in values[:6]
        ]
        return ", ".join(cells) + (", ..." if len(values) > 6 else "")

    rows.append(
        f"| {case} | {statistic} | {shown(mine)} | {shown(referee)} | {difference:.1e} |"
        f" {tolerance:g} |"
    )
    if not same_missing or difference > tolerance:
        return f"{case} {statistic}: readiness {mine.tolist()}, R {referee.tolist()}"
    return None


# --- the tests ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", CASE_NAMES)
def test_reliability_agrees_with_psych(
    name: str,
    scale_cases: dict[str, ScaleCase],
    r_scales: dict[str, dict[str, Any]],
    comparison_table: list[str],
) -> None:
    case, referee = scale_cases[name], r_scales[name]
    ours = scale_reliability(case.keyed, case.items)
    assert [item.item for item in ours.items] == referee["items"]
    problems = [
        compare(comparison_table, name, "alpha", ours.alpha, referee["alpha"]),
        compare(
            comparison_table, name, "std. alpha", ours.standardized_alpha, referee["std_alpha"]
        ),
        compare(
            comparison_table, name, "Feldt 95%", [ours.alpha_low, ours.alpha_high], referee["feldt"]
        ),
        compare(
            comparison_table,
            name,
            "item-rest r",
            [i.item_rest for i in ours.items],
            referee["r_drop"],
        ),
        compare(
            comparison_table,
            name,
            "alpha if deleted",
            [i.alpha_if_deleted for i in ours.items],
            referee["alpha_drop"],
        ),
        compare(
            comparison_table,
            name,
            "omega total",
            ours.omega_total,
            referee["omega_total"],
            OMEGA_TOLERANCE,
        ),
    ]
    assert not [p for p in problems if p], problems


@pytest.mark.parametrize("name", CASE_NAMES)
def test_agreement_agrees_with_multilevel(
    name: str,
    scale_cases: dict[str, ScaleCase],
    r_scales: dict[str, dict[str, Any]],
    comparison_table: list[str],
) -> None:
    case, referee = scale_cases[name], r_scales[name]
    ours = scale_agreement(case.keyed, case.divisions, options=case.options, minimum=MINIMUM)
    by_name = {group.name: group for group in ours.groups}
    assert sorted(by_name) == sorted(referee["groups"])
    assert all(group.respondents >= MINIMUM for group in ours.groups)
    problems = [
        compare(
            comparison_table,
            name,
            "r_wg(j)",
            [by_name[g].rwg_j for g in referee["groups"]],
            referee["rwg_j"],
        ),
        compare(
            comparison_table,
            name,
            "r_wg(j) respondents",
            [by_name[g].complete for g in referee["groups"]],
            referee["group_sizes"],
        ),
        compare(comparison_table, name, "ICC(1)", ours.icc1, referee["icc1"]),
        compare(comparison_table, name, "ICC(2)", ours.icc2, referee["icc2"]),
    ]
    assert not [p for p in problems if p], problems


def test_small_divisions_reach_r_merged_never_alone(scale_cases: dict[str, ScaleCase]) -> None:
    """Divisions under the minimum are in "other divisions" (with the next smallest when one
    would be there alone); one division of five respondents is shown as itself, with no ICC."""
    complete = scale_cases["complete"]
    merged = scale_agreement(complete.keyed, complete.divisions, minimum=MINIMUM)
    assert merged.groups[-1].name == "other divisions"
    assert merged.groups[-1].respondents == 4 + 3 + 1
    assert all(g.respondents >= MINIMUM for g in merged.groups)
    missing = scale_cases["missing"]
    joined = scale_agreement(missing.keyed, missing.divisions, minimum=MINIMUM)
    assert joined.groups[-1].respondents == 2 + 6  # a division of 2 is joined by the next
    tiny = scale_agreement(
        scale_cases["tiny"].keyed, scale_cases["tiny"].divisions, minimum=MINIMUM
    )
    assert [g.name for g in tiny.groups] == ["Solo"]
    assert tiny.icc1 is None
    assert tiny.icc2 is None


# --- relative weights ---------------------------------------------------------------------------

WEIGHT_CASES = ["bfi-age", "divisions-20", "divisions-40", "correlated-12", "divisions-8"]


def synthetic_units(
    rng: np.random.Generator, units: int, k: int, correlation: float, driver: Sequence[float]
) -> pd.DataFrame:
    """Units with ``k`` correlated predictors and an outcome driven by ``driver`` weights."""
    shared = rng.normal(size=(units, 1))
    x = np.sqrt(correlation) * shared + np.sqrt(1 - correlation) * rng.normal(size=(units, k))
    y = x @ np.asarray(driver) + rng.normal(size=units)
    frame = pd.DataFrame(x, columns=[f"x{j + 1}" for j in range(k)])
    frame["y"] = y
    return frame


@pytest.fixture(scope="session")
def weight_cases(
    scale_cases: dict[str, ScaleCase], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, tuple[Path, list[str], str]]:
    """Each case's file, predictors and outcome. bfi: the five keyed scale means (the mean of
    the items answered) for age, over 2,800 respondents."""
    folder = tmp_path_factory.mktemp("evidence_r_weights")
    rng = np.random.default_rng(2000)
    bfi = pd.DataFrame(
        {scale: np.nanmean(scale_cases[f"bfi-{scale}"].keyed, axis=1) for scale in BFI_SCALES}
    )
    bfi["age"] = pd.read_csv(scale_cases["bfi-agree"].file.parent / "bfi.csv")["age"]
    frames = {
        "bfi-age": (bfi, list(BFI_SCALES), "age"),
        "divisions-20": (
            synthetic_units(rng, 20, 3, 0.3, [0.0, 0.8, 0.1]),
            ["x1", "x2", "x3"],
            "y",
        ),
        "divisions-40": (
            synthetic_units(rng, 40, 5, 0.4, [0.5, 0.2, 0.0, 0.3, 0.1]),
            ["x1", "x2", "x3", "x4", "x5"],
            "y",
        ),
        "correlated-12": (
            synthetic_units(rng, 12, 3, 0.9, [0.3, 0.3, 0.3]),
            ["x1", "x2", "x3"],
            "y",
        ),
        "divisions-8": (synthetic_units(rng, 8, 3, 0.2, [1.0, 0.0, 0.0]), ["x1", "x2", "x3"], "y"),
    }
    cases = {}
    for name, (frame, predictors, outcome) in frames.items():
        path = folder / f"{name}.csv"
        frame.to_csv(path, index=False, na_rep="")
        cases[name] = (path, predictors, outcome)
    assert list(cases) == WEIGHT_CASES
    return cases


@pytest.fixture(scope="session")
def r_weights(
    weight_cases: dict[str, tuple[Path, list[str], str]],
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[str, dict[str, Any]]:
    folder = tmp_path_factory.mktemp("evidence_r_weights_out")
    table = folder / "cases.csv"
    with table.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["name", "file", "predictors", "outcome"])
        for name, (path, predictors, outcome) in weight_cases.items():
            writer.writerow([name, str(path), " ".join(predictors), outcome])
    return {entry["name"]: entry for entry in run_r("evidence.R", "weights", table)}


@pytest.mark.parametrize("name", WEIGHT_CASES)
def test_relative_weights_agree_with_johnson_in_base_r(
    name: str,
    weight_cases: dict[str, tuple[Path, list[str], str]],
    r_weights: dict[str, dict[str, Any]],
    comparison_table: list[str],
) -> None:
    """Raw weights equal R's Johnson (2000) and sum to lm's R^2."""
    path, predictors, outcome = weight_cases[name]
    frame = pd.read_csv(path)
    referee = r_weights[name]
    ours = relative_weights(
        frame[predictors].to_numpy(dtype=float), frame[outcome].to_numpy(dtype=float), predictors
    )
    assert ours.units == referee["n"]
    batch = johnson_weights(
        frame[predictors].dropna().to_numpy(dtype=float)[None],
        frame.loc[frame[predictors].notna().all(axis=1), outcome].to_numpy(dtype=float)[None],
    )[0]
    problems = [
        compare(
            comparison_table, name, "raw weights", [w.raw for w in ours.weights], referee["raw"]
        ),
        compare(comparison_table, name, "raw weights (batched)", batch, referee["raw"]),
        compare(comparison_table, name, "R^2 (lm)", ours.r_squared, referee["r2"]),
    ]
    assert not [p for p in problems if p], problems
