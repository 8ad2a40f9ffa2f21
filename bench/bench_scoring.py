"""Benchmark: validate and score 1,000,000 synthetic respondents x every item.

Reports, in one run:
- the vectorised path (``read_respondents`` + ``score_respondents``: validation, item, dimension
  and overall scores, per-division aggregation with agreement): wall time and peak memory;
- a row-by-row baseline (validate each respondent with a pydantic model, then score it with
  ``score_assessment``), timed on a sample, per row;
- a bare numpy floor: one matrix product over the same numbers.

Targets (2-core machine): <= 1 s and <= 1.5 GB for 1M respondents, >= 50x faster per row than
the row-by-row path, within 10x of the numpy floor.

Usage: python bench/bench_scoring.py [--respondents N] [--sample N]
Writes out/bench/scoring.json.
"""

from __future__ import annotations

import argparse
import gc
import json
import resource
import statistics
import time
import tracemalloc
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, create_model

from readiness.questionnaire import Item, Questionnaire, load_questionnaire
from readiness.rules import load_rulebook
from readiness.scoring import score_assessment, score_respondents
from readiness.survey import read_respondents

OUT = Path("out/bench")
DIVISIONS = np.array(["Sales", "R&D", "Operations", "Finance", "HR", "IT", "Legal", "Support"])


def synthetic_respondents(questionnaire: Questionnaire, n: int, seed: int = 7) -> pd.DataFrame:
    """A respondents table as read from a CSV: numbers numeric, options as text."""
    rng = np.random.default_rng(seed)
    columns: dict[str, Any] = {"division": DIVISIONS[rng.integers(0, len(DIVISIONS), n)]}
    for item in questionnaire.items:
        columns[item.id] = _column(item, n, rng)
    return pd.DataFrame(columns)


def _column(item: Item, n: int, rng: np.random.Generator) -> Any:
    if item.kind == "likert":
        values = rng.integers(1, 6, n).astype(float)
    elif item.kind == "number":
        assert item.bounds is not None
        high = min(item.bounds.max, max(item.zero or 0, item.full or 0) * 2)
        values = np.round(rng.uniform(item.bounds.min, high, n), 1)
    elif item.kind == "choice":
        ids = np.array([o.id for o in item.options], dtype=object)
        return ids[rng.integers(0, len(ids), n)]
    else:
        names = [o.id for o in item.options]
        combos = np.array(
            [";".join(names[: k + 1]) for k in range(len(names))] + ["none"], dtype=object
        )
        return combos[rng.integers(0, len(combos), n)]
    values[rng.random(n) < 0.05] = np.nan  # some unanswered
    return values


def vectorised(questionnaire: Questionnaire, frame: pd.DataFrame) -> float:
    rulebook = load_rulebook()
    start = time.perf_counter()
    table = read_respondents(questionnaire, frame, "bench")
    batch = score_respondents(questionnaire, rulebook, table)
    elapsed = time.perf_counter() - start
    assert len(batch.respondents) == len(frame)
    return elapsed


def peak_memory(questionnaire: Questionnaire, frame: pd.DataFrame) -> float:
    """Peak bytes allocated by the vectorised path (tracemalloc sees numpy and pandas buffers)."""
    gc.collect()
    tracemalloc.start()
    vectorised(questionnaire, frame)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return float(peak)


def answers_model(questionnaire: Questionnaire) -> type[BaseModel]:
    """A pydantic model of one respondent's row, as a row-by-row implementation would write."""
    fields: dict[str, Any] = {"division": (str | None, None)}
    for item in questionnaire.items:
        kind: Any = {"likert": int, "number": float, "choice": str, "checklist": str}[item.kind]
        fields[item.id] = (kind | None, None)
    return create_model(
        "RespondentRow", __config__=ConfigDict(extra="forbid", frozen=True), **fields
    )


def row_by_row(questionnaire: Questionnaire, frame: pd.DataFrame) -> float:
    """Seconds per row: validate each row with pydantic, then score it alone."""
    rulebook = load_rulebook()
    model = answers_model(questionnaire)
    records = frame.to_dict("records")
    start = time.perf_counter()
    for record in records:
        clean = {
            k: (None if isinstance(v, float) and np.isnan(v) else v) for k, v in record.items()
        }
        row = model.model_validate(clean).model_dump()
        row.pop("division")
        answers: dict[str, Any] = {}
        for item in questionnaire.items:
            value = row[item.id]
            if item.kind == "checklist" and isinstance(value, str):
                value = [] if value == "none" else value.split(";")
            elif item.kind == "likert" and value is not None:
                value = int(value)
            answers[item.id] = value
        score_assessment(questionnaire, rulebook, answers)
    return (time.perf_counter() - start) / len(records)


def numpy_floor(questionnaire: Questionnaire, n: int) -> float:
    """One matrix product over a respondents x items matrix of the same size."""
    rng = np.random.default_rng(1)
    matrix = rng.random((n, len(questionnaire.items)))
    weights = rng.random((len(questionnaire.items), len(questionnaire.dimensions)))
    timings = []
    for _ in range(5):
        start = time.perf_counter()
        matrix @ weights
        timings.append(time.perf_counter() - start)
    return min(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--respondents", type=int, default=1_000_000)
    parser.add_argument("--sample", type=int, default=2_000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()

    questionnaire = load_questionnaire()
    frame = synthetic_respondents(questionnaire, args.respondents)
    vectorised(questionnaire, frame.head(1000))  # warm caches (compiled plan, rule book)
    timings = [vectorised(questionnaire, frame) for _ in range(args.repeats)]
    wall = statistics.median(timings)
    peak = peak_memory(questionnaire, frame)
    per_row_baseline = row_by_row(questionnaire, frame.head(args.sample))
    floor = numpy_floor(questionnaire, args.respondents)

    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    per_row = wall / args.respondents
    results = {
        "respondents": args.respondents,
        "items": len(questionnaire.items),
        "wall_seconds_median": wall,
        "wall_seconds_all": timings,
        "peak_memory_mb": peak / 2**20,
        "peak_rss_mb": rss_mb,
        "row_by_row_seconds_per_row": per_row_baseline,
        "row_by_row_sample": args.sample,
        "vectorised_seconds_per_row": per_row,
        "speedup_vs_row_by_row": per_row_baseline / per_row,
        "numpy_floor_seconds": floor,
        "ratio_to_numpy_floor": wall / floor,
    }
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "scoring.json").write_text(json.dumps(results, indent=2))
    rows = [
        ("respondents x items", f"{args.respondents:,} x {len(questionnaire.items)}", ""),
        ("validate + score + aggregate (median)", f"{wall:.3f} s", "target <= 1 s"),
        (
            "peak memory of the scoring (tracemalloc)",
            f"{peak / 2**20:,.0f} MB",
            "target <= 1,536 MB",
        ),
        ("peak RSS of the process (input frame included)", f"{rss_mb:,.0f} MB", ""),
        (
            f"row-by-row pydantic baseline ({args.sample:,} rows)",
            f"{per_row_baseline * 1e6:,.1f} us/row",
            "",
        ),
        ("vectorised", f"{per_row * 1e6:.3f} us/row", ""),
        ("speed-up vs row-by-row", f"{per_row_baseline / per_row:,.0f}x", "target >= 50x"),
        ("numpy floor (one matmul)", f"{floor * 1e3:.1f} ms", ""),
        ("ratio to numpy floor", f"{wall / floor:.1f}x", "target <= 10x"),
    ]
    width = max(len(r[0]) for r in rows)
    for name, value, target in rows:
        print(f"{name:<{width}}  {value:>16}  {target}")


if __name__ == "__main__":
    main()
