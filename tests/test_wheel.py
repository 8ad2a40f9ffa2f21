"""The built wheel works on its own: installed in a fresh virtual environment outside the
repository, every command runs from another folder and reads the data files shipped inside it.

The wheel is built with ``pip wheel --no-deps`` and installed with its dependencies from the
package index (or pip's cache). The install takes about 30 s on a 2-core machine.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
import time
import venv
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from store_fixtures import sample_assessment

from readiness.store import open_store

# One worker builds and installs the wheel once for the whole module (make test: --dist loadgroup)
pytestmark = [pytest.mark.full, pytest.mark.xdist_group("wheel")]

ROOT = Path(__file__).resolve().parents[1]
#: What the wheel is built from (see pyproject.toml).
SOURCE_PARTS = ("pyproject.toml", "README.md", "LICENSE", "src", "data")

# Logs every .yaml/.csv file a process opens (a Python audit hook, loaded as sitecustomize from a
# folder outside the repository), so the test sees which data files the installed commands read.
OPEN_LOG_HOOK = """
import os
import sys

_LOG = os.environ.get("WHEEL_TEST_OPEN_LOG")


def _log_open(event, args):
    path = args[0] if event == "open" else None
    if _LOG and isinstance(path, str) and path.endswith((".yaml", ".csv")):
        with open(_LOG, "a", encoding="utf-8") as log:
            log.write(os.path.abspath(path) + "\\n")


sys.addaudithook(_log_open)
"""


@dataclass(frozen=True)
class Installed:
    """A fresh virtual environment with the wheel installed, and a folder to run commands in."""

    wheel: Path
    venv: Path
    workdir: Path
    env: dict[str, str]
    open_log: Path
    install_seconds: float

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(self.venv / "bin" / "readiness"), *args],
            cwd=self.workdir,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    def ok(self, *args: str) -> str:
        done = self.run(*args)
        assert done.returncode == 0, f"readiness {' '.join(args)}: {done.stderr}"
        assert "Traceback" not in done.stderr
        return done.stdout


def clean_env(**extra: str) -> dict[str, str]:
    """The environment without anything pointing at the repository or its virtual environment."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME"}
        and not key.startswith("READINESS_")
    }
    env["PATH"] = os.pathsep.join(
        part for part in env.get("PATH", "").split(os.pathsep) if not part.startswith(str(ROOT))
    )
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return {**env, **extra}


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    base = tmp_path_factory.mktemp("wheel")
    dist, environment, workdir, hook = (base / name for name in ("dist", "venv", "run", "hook"))
    for folder in (workdir, hook):
        folder.mkdir()
    # Built from a copy of what the wheel is made of: setuptools builds in the source tree, and a
    # stale build/ folder in the checkout could hand the wheel files that no longer exist.
    source = base / "source"
    source.mkdir()
    for name in SOURCE_PARTS:
        if (ROOT / name).is_dir():
            skip = shutil.ignore_patterns("__pycache__", "*.egg-info")
            shutil.copytree(ROOT / name, source / name, ignore=skip)
        else:
            shutil.copy2(ROOT / name, source / name)
    build_env = clean_env()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--quiet",
            "-w",
            str(dist),
            str(source),
        ],
        check=True,
        env=build_env,
        timeout=300,
    )
    (wheel,) = dist.glob("readiness-*.whl")

    started = time.perf_counter()
    venv.EnvBuilder(with_pip=True).create(environment)
    subprocess.run(
        [str(environment / "bin" / "python"), "-m", "pip", "install", "--quiet", str(wheel)],
        check=True,
        cwd=workdir,
        env=build_env,
        timeout=600,
    )
    install_seconds = time.perf_counter() - started
    print(f"\nfresh virtual environment + pip install of the wheel: {install_seconds:.1f} s")

    (hook / "sitecustomize.py").write_text(OPEN_LOG_HOOK, encoding="utf-8")
    open_log = base / "opened.log"
    env = clean_env(
        READINESS_DATA_HOME=str(workdir / "home"),
        PYTHONPATH=str(hook),
        WHEEL_TEST_OPEN_LOG=str(open_log),
    )
    return Installed(wheel, environment, workdir, env, open_log, install_seconds)


def test_the_wheel_holds_every_package_and_every_data_file(installed: Installed) -> None:
    names = set(zipfile.ZipFile(installed.wheel).namelist())
    packages = {
        init.parent.relative_to(ROOT / "src").as_posix()
        for init in (ROOT / "src" / "readiness").rglob("__init__.py")
    }
    missing = {package for package in packages if f"{package}/__init__.py" not in names}
    assert missing == set(), "add these to [tool.setuptools] packages in pyproject.toml"
    data_files = {
        path.name for path in (ROOT / "data").iterdir() if path.suffix in {".yaml", ".csv"}
    }
    assert data_files >= {"questionnaire.yaml", "recommendations.yaml", "benchmarks.csv"}
    assert {name for name in data_files if f"readiness/data/{name}" not in names} == set()


def test_the_installed_package_is_the_one_in_the_virtual_environment(
    installed: Installed,
) -> None:
    done = subprocess.run(
        [
            str(installed.venv / "bin" / "python"),
            "-c",
            "import readiness.paths as p; print(p.__file__); print(p.data_file('stages.yaml'))",
        ],
        cwd=installed.workdir,
        env=installed.env,
        capture_output=True,
        text=True,
        check=True,
    )
    module, stages = (Path(line) for line in done.stdout.split())
    assert module.is_relative_to(installed.venv)
    assert stages.is_relative_to(installed.venv)
    assert stages.is_file()


def test_every_command_runs_from_another_folder_on_the_shipped_data(installed: Installed) -> None:
    installed.open_log.unlink(missing_ok=True)

    assessment = json.loads(installed.ok("template"))
    assert "gr_active_share" in assessment["answers"]
    respondents = installed.ok("template", "--format", "csv")
    assert respondents.startswith("division,gr_active_share,")
    (installed.workdir / "respondents.csv").write_text(respondents, encoding="utf-8")

    scores = json.loads(installed.ok("score", "respondents.csv", "--format", "json"))["overall"]
    assert 0 < scores["overall"] < 100
    assert scores["stage"]["name"]
    assert set(scores["dimensions"]) == {"grassroots", "support", "tooling"}

    projected = installed.ok(
        "project", "--model", "logistic", "--start-year", "2026", "--start-share", "0.1",
        "--r", "0.5", "--years", "3", "--format", "csv",
    )  # fmt: skip
    rows = list(csv.DictReader(io.StringIO(projected)))
    assert [row["year"] for row in rows] == ["2026", "2027", "2028", "2029"]
    shares = [float(row["share"]) for row in rows]
    assert shares[0] == pytest.approx(0.1)
    assert shares == sorted(shares)
    assert shares[-1] < 1

    history = "period,value\n1,0.02\n2,0.05\n3,0.11\n4,0.2\n5,0.33\n6,0.45\n7,0.55\n"
    (installed.workdir / "history.csv").write_text(history, encoding="utf-8")
    fit = json.loads(installed.ok("fit", "history.csv", "--model", "logistic", "--format", "json"))
    assert fit["model"] == "logistic"
    assert fit["converged"]
    assert 0.55 < fit["params"]["m"]["value"] < 1

    # A store in the data home, written by the repository's code, read by the installed one.
    home = installed.workdir / "home"
    home.mkdir(exist_ok=True)
    with open_store(f"sqlite:///{home / 'readiness.db'}") as store:
        saved = store.save_assessment(sample_assessment(organization="Wheelwright"), "wheel-1")
    listed = json.loads(installed.ok("assessments", "list", "--format", "json"))
    assert [(entry["id"], entry["organization"]) for entry in listed] == [(saved, "Wheelwright")]

    opened = {
        Path(line) for line in installed.open_log.read_text(encoding="utf-8").split("\n") if line
    }
    (shipped,) = installed.venv.glob("lib/python*/site-packages/readiness/data/questionnaire.yaml")
    assert shipped in opened, "the installed commands did not read the shipped questionnaire"
    data_reads = {path for path in opened if path.parent.name == "data"}
    assert data_reads, "no data file was read"
    assert all(path.is_relative_to(installed.venv) for path in data_reads), data_reads
    assert not {path for path in opened if path.is_relative_to(ROOT)}
