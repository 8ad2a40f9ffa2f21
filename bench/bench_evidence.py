"""Benchmark: the evidence statistics for a large survey, against R's ``psych::alpha`` on the same
data in the same run.

Data: 20,000 respondents x 25 agreement items (five 5-item scales, one of them reverse-keyed,
2% of answers blank) in 40 divisions, and each division's measured active share. Timed, in one
process (median of ``--repeat`` runs after one warm-up, wall and CPU time):

- all: per scale alpha (raw, standardized, Feldt's interval, item-rest correlations, alpha if
  deleted) and omega total, r_wg(j) per division and ICC(1)/ICC(2); then the relative weights
  of the five scales' division means for the active share, with 2,000 bootstrap resamples;
- reliability: :func:`readiness.evidence.scale_reliability` per scale alone: what
  ``psych::alpha`` reports of alpha (raw and standardized alpha, Feldt's interval, item-rest
  correlations, alpha if deleted) and omega total besides.

The peer: ``psych::alpha`` on the same five scales (the same CSV, pairwise covariances, psych's
keys), timed inside R (median of the same number of runs; R's start and reading the file are
not counted). Target: all <= 2 s. Appends a dated row, with the machine's load, to
``bench/results/evidence.md``. Run: ``.venv/bin/python bench/bench_evidence.py [--repeat N]``.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from results_log import add_results_option, append, commit, load_average, now

from readiness.evidence import relative_weights, scale_agreement, scale_reliability

RESULTS = Path(__file__).resolve().parent / "results" / "evidence.md"
TARGET_SECONDS = 2.0
RESPONDENTS, SCALES, ITEMS, DIVISIONS = 20_000, 5, 5, 40
RESAMPLES = 2000
HEADER = (
    "| date (UTC) | commit | load 1 min | runs | all s (CPU s) | reliability s"
    " | R `psych::alpha` s | all / R | reliability / R | target all <= 2 s |\n"
    "|---|---|---|---|---|---|---|---|---|---|\n"
)

#: R's side: psych::alpha on every scale, timed with proc.time after the data are read.
R_TIMING = r"""
suppressPackageStartupMessages(library(psych))
args <- commandArgs(trailingOnly = TRUE)
data <- read.csv(args[1], na.strings = "")
scales <- as.integer(args[2]); items <- as.integer(args[3]); repeat_n <- as.integer(args[4])
reverse <- strsplit(args[5], " ")[[1]]
run <- function() {
  for (s in seq_len(scales)) {
    columns <- sprintf("s%d_i%d", s, seq_len(items))
    keys <- intersect(reverse, columns)
    a <- suppressWarnings(alpha(data[, columns], keys = if (length(keys)) keys else NULL,
                                warnings = FALSE))
  }
}
run()
times <- vapply(seq_len(repeat_n), function(i) {
  start <- proc.time()[["elapsed"]]; run(); proc.time()[["elapsed"]] - start
}, numeric(1))
cat(median(times), "\n")
"""


def survey(seed: int = 20000) -> tuple[np.ndarray, np.ndarray, list[str], np.ndarray]:
    """Raw answers (respondents x 25, NaN blank), each respondent's division, the reverse-keyed
    item names and each division's active share."""
    rng = np.random.default_rng(seed)
    division = rng.integers(0, DIVISIONS, RESPONDENTS)
    level = rng.normal(0, 0.4, (DIVISIONS, SCALES))
    latent = level[division] + rng.normal(0, 1, (RESPONDENTS, SCALES))
    answers = np.repeat(latent, ITEMS, axis=1) + rng.normal(0, 0.9, (RESPONDENTS, SCALES * ITEMS))
    answers = np.clip(np.rint(3 + answers), 1, 5)
    reverse = [f"s{SCALES}_i{k}" for k in (2, 4)]
    for name in reverse:
        column = item_names().index(name)
        answers[:, column] = 6 - answers[:, column]
    answers[rng.random(answers.shape) < 0.02] = np.nan
    share = 1 / (1 + np.exp(-(0.8 * level[:, 1] + rng.normal(0, 0.3, DIVISIONS))))
    return answers, division, reverse, share


def item_names() -> list[str]:
    return [f"s{s + 1}_i{k + 1}" for s in range(SCALES) for k in range(ITEMS)]


def keyed(answers: np.ndarray, reverse: list[str]) -> np.ndarray:
    out = answers.copy()
    for name in reverse:
        column = item_names().index(name)
        out[:, column] = 6 - out[:, column]
    return out


def everything(
    answers: np.ndarray, codes: np.ndarray, divisions: list[str], share: np.ndarray
) -> None:
    """Reliability and agreement per scale, then relative weights of the scales' division
    means (``codes``: each respondent's division number) for the active share."""
    means = np.empty((DIVISIONS, SCALES))
    for s in range(SCALES):
        scale = answers[:, s * ITEMS : (s + 1) * ITEMS]
        scale_reliability(scale)
        scale_agreement(scale, divisions, minimum=5)
        score = np.nanmean(scale, axis=1)
        totals = np.bincount(codes, weights=np.nan_to_num(score), minlength=DIVISIONS)
        means[:, s] = totals / np.bincount(codes, weights=np.isfinite(score), minlength=DIVISIONS)
    relative_weights(means, share, resamples=RESAMPLES)


def reliability(answers: np.ndarray) -> None:
    for s in range(SCALES):
        scale_reliability(answers[:, s * ITEMS : (s + 1) * ITEMS])


def median_seconds(work: Callable[[], None], repeat: int) -> tuple[float, float]:
    work()  # warm-up: imports, caches
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        work()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def r_alpha_seconds(answers: np.ndarray, reverse: list[str], repeat: int) -> float | None:
    """Median seconds of psych::alpha on the five scales, or None without R and psych."""
    if shutil.which("Rscript") is None:
        return None
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "survey.csv"
        header = ",".join(item_names())
        rows = "\n".join(
            ",".join("" if np.isnan(v) else str(int(v)) for v in row) for row in answers
        )
        path.write_text(header + "\n" + rows + "\n", encoding="utf-8")
        script = Path(folder) / "alpha.R"
        script.write_text(R_TIMING, encoding="utf-8")
        arguments = [str(path), str(SCALES), str(ITEMS), str(repeat), " ".join(reverse)]
        run = subprocess.run(
            ["Rscript", str(script), *arguments], capture_output=True, text=True, check=False
        )
    if run.returncode != 0:
        print(f"R peer failed: {run.stderr.strip()[-300:]}")
        return None
    return float(run.stdout.split()[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5, help="timed runs of each (default 5)")
    parser.add_argument("--label", default="", help="a note for the results row")
    add_results_option(parser, RESULTS)
    args = parser.parse_args()
    raw, codes, reverse, share = survey()
    answers = keyed(raw, reverse)
    divisions = [f"Division {code:02d}" for code in codes]
    load = load_average()
    ours, ours_cpu = median_seconds(
        lambda: everything(answers, codes, divisions, share), args.repeat
    )
    alpha, _ = median_seconds(lambda: reliability(answers), args.repeat)
    peer = r_alpha_seconds(raw, reverse, args.repeat)
    load = max(load, load_average())
    met = "yes" if ours <= TARGET_SECONDS else "no"
    print(
        f"all (alpha, omega, r_wg, ICC x {SCALES} scales; weights, {RESAMPLES} resamples): "
        f"{ours:.3f} s (CPU {ours_cpu:.3f} s; target <= {TARGET_SECONDS:g} s: {met})"
    )
    print(f"reliability alone x {SCALES} scales: {alpha:.4f} s")
    if peer is None:
        print("R psych::alpha: not measured (Rscript or psych missing)")
    else:
        print(
            f"R psych::alpha x {SCALES} scales: {peer:.3f} s; all / R {ours / peer:.2f}x, "
            f"reliability / R {alpha / peer:.3f}x"
        )
    print(f"load average (1 min, highest seen): {load:.2f} on {os.cpu_count()} cores")
    when = now()
    label = f"{commit()} {args.label}".strip()
    peer_text = "not measured" if peer is None else f"{peer:.3f}"
    ratio = "" if peer is None else f"{ours / peer:.2f}x"
    alpha_ratio = "" if peer is None else f"{alpha / peer:.3f}x"
    row = (
        f"| {when} | {label} | {load:.2f} / {os.cpu_count()} cores | {args.repeat} "
        f"| {ours:.3f} ({ours_cpu:.3f}) | {alpha:.4f} | {peer_text} | {ratio} | {alpha_ratio} "
        f"| {met} |\n"
    )
    append(
        args.results,
        row,
        "# Evidence statistics\n\n"
        "`bench/bench_evidence.py`: 20,000 respondents x 25 items (five 5-item scales, 2% "
        "blank) in 40 divisions. *all*: alpha, Feldt's interval, item-rest correlations, "
        "alpha if deleted and omega total per scale, r_wg(j) per division and ICC(1)/ICC(2), "
        "then relative weights of the five scales over the 40 divisions with 2,000 "
        "bootstrap resamples; *reliability*: alpha's figures and omega per scale alone. The "
        "peer, timed in the same run: R's "
        "`psych::alpha` on the same five scales (inside R, after reading the data). Median "
        f"wall time of the runs (target: all <= {TARGET_SECONDS:g} s). "
        f"Python {platform.python_version()}.\n\n" + HEADER,
    )


if __name__ == "__main__":
    main()
