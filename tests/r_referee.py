"""R as a referee: find ``Rscript`` and the R packages a test module needs, run a script of
``tests/r/`` and read the JSON it prints, and write the readiness-vs-R comparison table.

Without R or one of its packages the tests skip, naming the Debian packages to install
(``scripts/system-deps.sh`` installs them), unless R is required (``READINESS_REQUIRE_R=1``, set
by ``.ci/run``, or ``CI=true``): there a missing referee is a failure, not a silent pass.
"""

from __future__ import annotations

import contextlib
import functools
import io
import json
import os
import shutil
import subprocess
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = ROOT / "tests" / "r"
OUT = ROOT / "out"
REQUIRE_R_ENV = "READINESS_REQUIRE_R"


def debian_package(package: str) -> str:
    """Debian's name for a CRAN package (``GPArotation``: ``r-cran-gparotation``)."""
    return f"r-cran-{package.lower()}"


@functools.cache
def missing_r(packages: tuple[str, ...]) -> str | None:
    """Why R cannot referee here (Rscript or packages missing, with what to install), or None."""
    rscript = shutil.which("Rscript")
    if rscript is None:
        install = " ".join(["r-base-core", *(debian_package(p) for p in packages)])
        return f"Rscript is missing (apt-get install {install})"
    if not packages:
        return None
    # One R start for all packages: it prints the ones it cannot load.
    names = ", ".join(f'"{p}"' for p in packages)
    probe = subprocess.run(
        [
            rscript,
            "-e",
            f"p <- c({names}); ok <- vapply(p, requireNamespace, logical(1), quietly = TRUE);"
            ' cat(p[!ok], sep = " ")',
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    absent = probe.stdout.split() if probe.returncode == 0 else list(packages)
    if not absent:
        return None
    install = " ".join(debian_package(p) for p in absent)
    return f"R lacks the package(s) {', '.join(absent)} (apt-get install {install})"


def require_r(*packages: str) -> None:
    """Skip without Rscript and ``packages``, except where R is required: there, fail."""
    reason = missing_r(tuple(packages))
    if reason is None:
        return
    if os.environ.get(REQUIRE_R_ENV) == "1" or os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"R is required here ({REQUIRE_R_ENV}=1 or CI=true), but {reason}")
    pytest.skip(reason)


def run_r(script: str, *args: str | Path, timeout: float = 300) -> Any:
    """Run ``tests/r/<script>`` with ``args`` (timeout in seconds); its standard output, JSON."""
    command = ["Rscript", str(SCRIPTS / script), *(str(a) for a in args)]
    try:
        run = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{' '.join(command)} ran longer than {timeout:g} s")
    assert run.returncode == 0, f"{' '.join(command)} exited {run.returncode}: {run.stderr}"
    return json.loads(run.stdout)


def readiness_json(argv: list[str]) -> dict[str, Any]:
    """``readiness ARGV`` run in this process, its JSON output parsed; the test fails with the
    command's own message when it exits with an error."""
    from readiness.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(argv)
    if code != 0:
        pytest.fail(f"readiness {' '.join(argv)} exited {code}: {err.getvalue().strip()}")
    payload: dict[str, Any] = json.loads(out.getvalue())
    return payload


def relative_difference(ours: float, theirs: float) -> float:
    """|ours - theirs| / |theirs|; |ours| where R's value is 0."""
    return abs(ours - theirs) / abs(theirs) if theirs != 0 else abs(ours)


def write_table(name: str, title: str, header: str, rows: Iterable[str]) -> Path | None:
    """The Markdown table rows (``| ... |``) under ``title`` and the ``header`` row in
    ``out/<name>.md``; under pytest-xdist one file per worker (``out/<name>-gw0.md``, ...), as
    each has the rows of the tests it ran. Nothing is written without rows."""
    lines = list(rows)
    if not lines:
        return None
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    path = OUT / (f"{name}-{worker}.md" if worker else f"{name}.md")
    path.parent.mkdir(parents=True, exist_ok=True)
    rule = "|" + "---|" * (header.count("|") - 1)
    path.write_text(f"# {title}\n\n" + "\n".join([header, rule, *lines]) + "\n", encoding="utf-8")
    return path
