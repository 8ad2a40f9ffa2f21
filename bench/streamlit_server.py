"""A Streamlit app under ``streamlit run`` on a free port, and the Chromium that drives it.

Shared by the dashboard benchmark and the browser tests (pytest finds this folder through
``pythonpath`` in pyproject.toml). Each server gets its own data folder and SQLite store.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
START_TIMEOUT_S = 60


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True)
class Server:
    url: str
    started: float  # time.perf_counter() just before the process started
    log: Path
    started_wall: float = 0.0  # the same moment as time.time(), to compare with a page's clock
    pid: int = 0


def _wait_until_healthy(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited early:\n{log.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.read().strip() == b"ok":
                    return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"streamlit did not answer within {START_TIMEOUT_S} s")


def stop(process: subprocess.Popen[bytes]) -> None:
    """End a server started for a test or a benchmark: SIGTERM, then SIGKILL after 10 s."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextmanager
def streamlit_server(
    script: Path,
    home: Path,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    *,
    launcher: Sequence[str] | None = None,
    options: Sequence[str] = (),
) -> Iterator[Server]:
    """Run ``streamlit run script`` with its own store in ``home`` until the block ends.

    ``cwd`` (default: the script's folder) decides which ``.streamlit/config.toml`` and
    ``secrets.toml`` apply; ``env`` adds environment variables (settings) for this server;
    ``launcher`` replaces the ``streamlit`` command (``python -c ...`` that runs Streamlit's
    CLI), ``options`` adds command-line options (``--runner.postScriptGC``, ``false``).
    """
    home.mkdir(parents=True, exist_ok=True)
    port = free_port()
    env = {
        **os.environ,
        "READINESS_DATA_HOME": str(home),
        "READINESS_DATABASE_URL": f"sqlite:///{home / 'readiness.db'}",
        **(env or {}),
    }
    log = home / f"streamlit-{port}.log"
    streamlit = shutil.which("streamlit", path=str(Path(sys.executable).parent)) or "streamlit"
    started, started_wall = time.perf_counter(), time.time()
    with log.open("wb") as output:
        process = subprocess.Popen(  # fixed arguments, no shell
            [
                *(launcher or [streamlit]),
                "run",
                str(script),
                "--server.port",
                str(port),
                "--server.address",
                "127.0.0.1",
                "--server.headless",
                "true",
                *options,
            ],
            cwd=cwd or script.parent,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_healthy(url, process, log)
        yield Server(url, started, log, started_wall, process.pid)
    finally:
        stop(process)
