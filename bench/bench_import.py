"""Benchmark: ``readiness assessments import`` of a file of 2,000 assessments.

Reports, in one run, CPU seconds (best of ``--runs``) and each as a ratio to the baseline:
- baseline: read the same file's JSON and validate every assessment with pydantic
  (``parse_import``), storing nothing;
- scoring: ``score_assessment`` of every assessment (what each stored row must carry);
- import: ``Store.import_assessments`` into a fresh SQLite store (one transaction, batched);
- import again: the same file into that store (every assessment already there);
- one by one: each assessment saved in its own transaction (``save_submission`` under its
  import id): the unbatched way, for comparison.

Usage: python bench/bench_import.py [--assessments N] [--runs N]
Writes out/bench/import.json.
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from readiness.export import parse_import
from readiness.questionnaire import Questionnaire, load_questionnaire
from readiness.rules import load_rulebook
from readiness.scoring import score_assessment
from readiness.store import import_submission_id, open_store

OUT = Path("out/bench")


def documents(questionnaire: Questionnaire, count: int, seed: int = 7) -> list[dict[str, Any]]:
    """``count`` distinct assessments as an export file lists them (JSON-ready)."""
    rng = random.Random(seed)
    out = []
    for n in range(count):
        answers: dict[str, Any] = {}
        for item in questionnaire.items:
            if item.kind == "likert":
                answers[item.id] = rng.randint(1, 5)
            elif item.kind == "number":
                assert item.bounds is not None
                answers[item.id] = rng.randint(0, int(min(item.bounds.max, 100)))
            elif item.kind == "choice":
                answers[item.id] = rng.choice(item.options).id
            else:
                answers[item.id] = [o.id for o in item.options if rng.random() < 0.5]
        out.append(
            {
                "organization": f"Organization {n % 300}",
                "division": f"Division {n}",
                "sector": "private",
                "size": "250-999",
                "assessed_on": f"{2010 + n % 15}-{1 + n % 12:02d}-{1 + n % 28:02d}",
                "answers": answers,
            }
        )
    return out


def cpu_seconds(
    work: Callable[[], object], runs: int, prepare: Callable[[], object] = list
) -> float:
    """The least CPU time of ``runs`` runs of ``work`` (``prepare`` runs untimed before each)."""
    best = float("inf")
    for _ in range(runs):
        prepare()
        started = time.process_time()
        work()
        best = min(best, time.process_time() - started)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assessments", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    questionnaire = load_questionnaire()
    rulebook = load_rulebook()
    text = json.dumps(documents(questionnaire, args.assessments))
    assessments = parse_import(questionnaire, text, "bench.json")
    with tempfile.TemporaryDirectory() as directory:
        stores = iter(range(10_000))
        state: dict[str, Any] = {}

        def fresh_store() -> None:
            if "store" in state:
                state["store"].close()
            url = f"sqlite:///{Path(directory) / f'store-{next(stores)}.db'}"
            state["store"] = open_store(url, questionnaire, rulebook)

        timings = {
            "baseline": cpu_seconds(
                lambda: parse_import(questionnaire, text, "bench.json"), args.runs
            ),
            "scoring": cpu_seconds(
                lambda: [score_assessment(questionnaire, rulebook, a.answers) for a in assessments],
                args.runs,
            ),
            "import": cpu_seconds(
                lambda: state["store"].import_assessments(assessments), args.runs, fresh_store
            ),
            "import again": cpu_seconds(
                lambda: state["store"].import_assessments(assessments), args.runs
            ),
            "one by one": cpu_seconds(
                lambda: [
                    state["store"].save_submission(a, import_submission_id(a)) for a in assessments
                ],
                1,
                fresh_store,
            ),
        }
        stored = len(state["store"].list_assessments())
        state["store"].close()
    assert stored == args.assessments, stored
    baseline = timings["baseline"]
    results = {
        "assessments": args.assessments,
        "cpu_seconds": {name: round(value, 3) for name, value in timings.items()},
        "ratio_to_baseline": {name: round(value / baseline, 1) for name, value in timings.items()},
        "import_speedup_over_one_by_one": round(timings["one by one"] / timings["import"], 1),
    }
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "import.json").write_text(json.dumps(results, indent=2))
    print(f"{args.assessments} assessments, CPU seconds (best of {args.runs}), x baseline")
    for name, value in timings.items():
        print(f"{name:<13} {value:8.3f} s  {value / baseline:7.1f}x")
    print(f"import is {results['import_speedup_over_one_by_one']}x faster than one by one")


if __name__ == "__main__":
    main()
