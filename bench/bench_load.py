"""Load benchmark: many people moving a growth slider at once, over Streamlit's own websocket.

No browser: each simulated person is one websocket session on ``/_stcore/stream`` speaking the
frontend's protocol (protobuf ``BackMsg`` in, ``ForwardMsg`` out). A person opens Growth
scenarios, waits for the page to finish, then, again and again, looks for 1-3 s (seeded) and
moves the growth-factor slider to a seeded random new value (a ``rerun_script`` with the new
widget state, as the frontend sends it), and waits for the fragment run to finish
(``script_finished``). People join spread over ``--join`` seconds and move from the moment their
page is drawn; the measurement window opens once everybody is there and lasts ``--duration``.

Reported per number of people: slider-to-finished-run latency p50/p95 (client clock) and server
CPU milliseconds per move, read from ``/proc/<pid>/stat`` at the window's ends (robust to other
load on the machine; latencies are not, hence the ratio p95(N)/p95(1) of the SAME run), with the
server's idle CPU (measured before each level) and this client's own CPU per move beside it.
Servers started here run with the repository's config, which watches no files
(``server.fileWatcherType none``): where other work writes files in the repository, watching
them would add CPU of its own to what is measured.

Garbage-collection variants (each on its own server, same app, same sessions):
  default      Streamlit's ``gc.collect(2)`` after every script run (``runner.postScriptGC``)
  no-post-gc   ``--runner.postScriptGC false``: Python's generational collector only
  freeze       once the page's imports have settled, ``gc.collect()`` then ``gc.freeze()`` (in
               the server, in the background); ``runner.postScriptGC`` on, skipping that heap
  freeze+no-post-gc  both
  config       the app and ``.streamlit/config.toml`` as they are (what ``make run`` serves)

Against servers you started yourself (for example two servers behind a proxy), pass their base
URLs with ``--url`` (sessions are spread round-robin over them) and their process ids with
``--server-pid`` for the CPU figure.

Usage: python bench/bench_load.py [--sessions 1 10 25 50] [--duration 30] [--join 10]
       [--variants default,no-post-gc,freeze] [--url URL ...] [--server-pid PID ...]
Writes out/bench/load.json and prints a table.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import ssl
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import numpy as np
import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState, WidgetStates
from streamlit_server import Server, streamlit_server
from websockets.typing import Subprotocol

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "out" / "bench"
PAGE = "growth"
SLIDER_LABEL = "Growth factor per year"
SLIDER_KEY = "g"
G_VALUES = [round(1.05 + 0.05 * i, 2) for i in range(60)]  # the slider's steps, 1.05-4.0
FINISHED_OK = (ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY)
MOVE_TIMEOUT_S = 120.0
START_TIMEOUT_S = 90.0
SETTLE_S = 1.0
IDLE_S = 2.0
CLK_TCK = os.sysconf("SC_CLK_TCK")
#: ``--insecure``: a proxy on localhost with a self-signed certificate (wss:// unverified).
TLS_UNVERIFIED = ssl.create_default_context()
TLS_UNVERIFIED.check_hostname = False
TLS_UNVERIFIED.verify_mode = ssl.CERT_NONE

#: Each variant: options for ``streamlit run`` and whether the imported heap is frozen.
VARIANTS: dict[str, tuple[list[str], bool]] = {
    "default": (["--runner.postScriptGC", "true"], False),
    "no-post-gc": (["--runner.postScriptGC", "false"], False),
    "freeze": (["--runner.postScriptGC", "true"], True),
    "freeze+no-post-gc": (["--runner.postScriptGC", "false"], True),
    "config": ([], False),
}


# --- the server ------------------------------------------------------------------------------


def cpu_seconds(pids: Sequence[int]) -> float:
    """User + system CPU seconds used so far by the processes ``pids`` (from /proc)."""
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
    return total / CLK_TCK


def rss_mb(pid: int) -> float:
    """Resident memory of ``pid`` in MB (VmRSS from /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


#: The "freeze" variants: once the set of imported modules has not changed for a second (the
#: page's imports are done), one full collection, then ``gc.freeze()``, in the background.
FREEZER = """
import gc, sys, threading, time

def freeze_after_imports():
    last, frozen_at = len(sys.modules), 0
    while True:
        time.sleep(1.0)
        count = len(sys.modules)
        if count == last and count != frozen_at:
            gc.collect()
            gc.freeze()
            frozen_at = count
        last = count

threading.Thread(target=freeze_after_imports, daemon=True).start()
"""


def _launcher(variant: str) -> list[str]:
    """``streamlit`` in this Python, with the variant's freezing of the imported heap."""
    if not VARIANTS[variant][1]:
        return [sys.executable, "-m", "streamlit"]
    code = FREEZER + "from streamlit.web.cli import main\nsys.argv[0] = 'streamlit'\nmain()\n"
    return [sys.executable, "-c", code]


@contextmanager
def dashboard_server(variant: str, home: Path) -> Iterator[Server]:
    """The dashboard (``app.py``, the repository's config) on a free port with its own store."""
    with streamlit_server(
        ROOT / "app.py", home, cwd=ROOT, launcher=_launcher(variant), options=VARIANTS[variant][0]
    ) as server:
        yield server


# --- one person --------------------------------------------------------------------------------


@dataclass
class Move:
    sent: float  # time.perf_counter()
    latency_ms: float


@dataclass
class Person:
    """One websocket session on the growth page, moving the growth slider like a person."""

    base_url: str
    rng: random.Random
    moves: list[Move] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    slider_id: str = ""
    fragment_id: str = ""
    page_script_hash: str = ""
    query_string: str = ""
    value: float = 2.0
    verify_tls: bool = True

    @property
    def stream_url(self) -> str:
        parts = urlsplit(self.base_url)
        scheme = "wss" if parts.scheme == "https" else "ws"
        return f"{scheme}://{parts.netloc}{parts.path.rstrip('/')}/_stcore/stream"

    def _rerun(self, widgets: list[WidgetState], fragment_id: str = "") -> bytes:
        state = ClientState(
            query_string=self.query_string,
            widget_states=WidgetStates(widgets=widgets),
            page_script_hash=self.page_script_hash,
            page_name="" if self.page_script_hash else PAGE,
            fragment_id=fragment_id,
        )
        state.context_info.timezone = "UTC"
        state.context_info.locale = "en-US"
        state.context_info.url = f"{self.base_url.rstrip('/')}/{PAGE}"
        data: bytes = BackMsg(rerun_script=state).SerializeToString()
        return data

    def _read(self, data: bytes | str) -> int | None:
        """Take what the page sends; the script_finished status when this is that message."""
        msg = ForwardMsg()
        msg.ParseFromString(data if isinstance(data, bytes) else data.encode())
        kind = msg.WhichOneof("type")
        if kind == "script_finished":
            return int(msg.script_finished)
        if kind == "new_session":
            self.page_script_hash = msg.new_session.page_script_hash
        elif kind == "page_info_changed":
            self.query_string = msg.page_info_changed.query_string
        elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            element = msg.delta.new_element
            which = element.WhichOneof("type")
            if which == "slider" and element.slider.label == SLIDER_LABEL:
                self.slider_id = element.slider.id
                self.fragment_id = msg.delta.fragment_id
                if element.slider.value:
                    self.value = round(element.slider.value[0], 2)
            elif which == "exception":
                self.errors.append(f"exception: {element.exception.message}")
            elif which == "alert" and element.alert.format == 1:  # ERROR
                self.errors.append(f"error: {element.alert.body}")
        return None

    async def _until_finished(self, ws: Any, accept: Sequence[int]) -> int:
        while True:
            status = self._read(await ws.recv())
            if status is not None and status in accept:
                return status
            if status == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                raise RuntimeError("the page script did not compile")

    def _query_with(self, value: float) -> str:
        pairs = [(k, v) for k, v in parse_qsl(self.query_string) if k != SLIDER_KEY]
        return urlencode([*pairs, (SLIDER_KEY, f"{value:g}")])

    async def run(
        self, join_at: float, loaded: asyncio.Event | None, window: Window, warmup: bool = False
    ) -> None:
        await asyncio.sleep(max(0.0, join_at - time.perf_counter()))
        async with websockets.connect(
            self.stream_url,
            subprotocols=[Subprotocol("streamlit")],
            max_size=None,
            open_timeout=60,
            ssl=TLS_UNVERIFIED
            if self.stream_url.startswith("wss:") and not self.verify_tls
            else None,
        ) as ws:
            await ws.send(self._rerun([]))
            # a fresh server reruns once through the router: wait for a run that drew the slider
            while not self.slider_id:
                await asyncio.wait_for(
                    self._until_finished(ws, (ForwardMsg.FINISHED_SUCCESSFULLY,)),
                    START_TIMEOUT_S,
                )
            if loaded is not None:
                window.joined(loaded)
            # moves start as soon as the page is there (not all at once when the window opens)
            count = 0
            while not warmup or count < 3:
                await asyncio.sleep(0.2 if warmup else self.rng.uniform(1.0, 3.0))
                if time.perf_counter() >= window.end:
                    break
                self.value = self.rng.choice([v for v in G_VALUES if v != self.value])
                self.query_string = self._query_with(self.value)
                state = WidgetState(id=self.slider_id)
                state.double_array_value.data.append(self.value)
                sent = time.perf_counter()
                await ws.send(self._rerun([state], self.fragment_id))
                await asyncio.wait_for(self._until_finished(ws, FINISHED_OK), MOVE_TIMEOUT_S)
                if sent >= window.start:
                    self.moves.append(Move(sent, (time.perf_counter() - sent) * 1000))
                count += 1


@dataclass
class Window:
    """The measurement window: opens when every session has drawn its page."""

    sessions: int
    duration: float
    start: float = float("inf")
    end: float = float("inf")
    _joined: int = 0

    def joined(self, loaded: asyncio.Event) -> None:
        self._joined += 1
        if self._joined == self.sessions:
            loaded.set()

    def open(self) -> None:
        self.start = time.perf_counter()
        self.end = self.start + self.duration


# --- one load level ----------------------------------------------------------------------------


def percentile(values: Sequence[float], q: float) -> float:
    return float(np.percentile(np.asarray(values), q)) if values else float("nan")


async def _load_level(
    urls: Sequence[str],
    pids: Sequence[int],
    sessions: int,
    join: float,
    duration: float,
    seed: int,
    verify_tls: bool = True,
) -> dict[str, Any]:
    rng = random.Random(seed * 1000 + sessions)
    # what the server burns with nobody connected (file watching is off, so next to nothing)
    idle_before = cpu_seconds(pids) if pids else float("nan")
    await asyncio.sleep(IDLE_S)
    idle_per_s = (cpu_seconds(pids) - idle_before) / IDLE_S if pids else float("nan")
    now = time.perf_counter()
    people = [
        Person(urls[i % len(urls)], random.Random(rng.random()), verify_tls=verify_tls)
        for i in range(sessions)
    ]
    join_times = sorted(now + rng.uniform(0, join) for _ in range(sessions))
    window = Window(sessions, duration)
    loaded = asyncio.Event()
    tasks = [
        asyncio.create_task(p.run(t, loaded, window))
        for p, t in zip(people, join_times, strict=True)
    ]

    async def opener() -> None:
        await loaded.wait()
        # a second for the server to finish the last page loads (people already move)
        await asyncio.sleep(max(SETTLE_S, now + join - time.perf_counter()))
        window.open()

    opening = asyncio.create_task(opener())
    while not opening.done():
        done, _ = await asyncio.wait([*tasks, opening], return_when=asyncio.FIRST_COMPLETED)
        failed = [t.exception() for t in done if t is not opening and t.exception() is not None]
        if failed:
            for task in tasks:
                task.cancel()
            opening.cancel()
            raise failed[0]  # type: ignore[misc]
    # the window has opened; CPU from its start to the last session's last move
    cpu_before = cpu_seconds(pids) if pids else float("nan")
    client_before = time.process_time()
    await asyncio.gather(*tasks)
    cpu_after = cpu_seconds(pids) if pids else float("nan")
    client_s = time.process_time() - client_before
    elapsed = time.perf_counter() - window.start
    latencies = [m.latency_ms for p in people for m in p.moves]
    errors = [e for p in people for e in p.errors]
    moves = len(latencies)
    return {
        "sessions": sessions,
        "moves": moves,
        "p50_ms": percentile(latencies, 50),
        "p95_ms": percentile(latencies, 95),
        "max_ms": max(latencies, default=float("nan")),
        "server_cpu_s": cpu_after - cpu_before,
        "cpu_ms_per_move": (cpu_after - cpu_before) * 1000 / moves if moves else float("nan"),
        "idle_cpu_ms_per_s": idle_per_s * 1000,
        "cpu_ms_per_move_net": (
            (cpu_after - cpu_before - idle_per_s * elapsed) * 1000 / moves
            if moves
            else float("nan")
        ),
        "client_cpu_ms_per_move": client_s * 1000 / moves if moves else float("nan"),
        "errors": errors[:5],
        "error_count": len(errors),
    }


def load_level(
    urls: Sequence[str],
    pids: Sequence[int],
    sessions: int,
    join: float,
    duration: float,
    seed: int = 1,
    verify_tls: bool = True,
) -> dict[str, Any]:
    """Run ``sessions`` people against ``urls`` for one measurement window; the figures."""
    return asyncio.run(_load_level(urls, pids, sessions, join, duration, seed, verify_tls))


def warm_up(url: str, verify_tls: bool = True) -> None:
    """One person loads the page and moves three times: imports and caches are warm after."""

    async def once() -> None:
        window = Window(1, 60.0)
        window.open()
        person = Person(url, random.Random(0), verify_tls=verify_tls)
        await person.run(time.perf_counter(), None, window, warmup=True)
        if person.errors:
            raise RuntimeError(f"the growth page shows errors: {person.errors[:3]}")

    asyncio.run(once())


def measure(
    urls: Sequence[str],
    pids: Sequence[int],
    levels: Sequence[int],
    join: float,
    duration: float,
    seed: int,
    verify_tls: bool = True,
) -> dict[str, Any]:
    """Every load level in turn against the same servers, with the ratio to one session."""
    for url in urls:
        warm_up(url, verify_tls)
    time.sleep(3)  # the "freeze" variants freeze the imported heap once imports settle
    rows = [
        load_level(urls, pids, n, join if n > 1 else 0.0, duration, seed, verify_tls)
        for n in levels
    ]
    by_n = {row["sessions"]: row for row in rows}
    if 1 in by_n:
        for row in rows:
            row["p50_ratio_to_1"] = row["p50_ms"] / by_n[1]["p50_ms"]
            row["p95_ratio_to_1"] = row["p95_ms"] / by_n[1]["p95_ms"]
    return {"levels": rows}


# --- main ------------------------------------------------------------------------------------


def print_table(results: dict[str, Any]) -> None:
    print(
        f"{'setup':<22} {'N':>3} {'moves':>6} {'p50 ms':>8} {'p95 ms':>8} {'p95/p95(1)':>10} "
        f"{'CPU ms/move':>11} {'net':>6} {'idle ms/s':>9} {'client ms':>9} {'errors':>6}"
    )
    for name, run in results["runs"].items():
        for row in run["levels"]:
            ratio = row.get("p95_ratio_to_1", float("nan"))
            print(
                f"{name:<22} {row['sessions']:>3} {row['moves']:>6} {row['p50_ms']:>8.0f} "
                f"{row['p95_ms']:>8.0f} {ratio:>10.2f} {row['cpu_ms_per_move']:>11.1f} "
                f"{row['cpu_ms_per_move_net']:>6.1f} {row['idle_cpu_ms_per_s']:>9.1f} "
                f"{row['client_cpu_ms_per_move']:>9.1f} "
                f"{row['error_count']:>6}"
            )


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, nargs="+", default=[1, 10, 25, 50])
    parser.add_argument("--duration", type=float, default=30.0, help="seconds measured per level")
    parser.add_argument("--join", type=float, default=10.0, help="seconds over which people join")
    parser.add_argument("--variants", default="default,no-post-gc,freeze")
    parser.add_argument("--url", nargs="+", help="base URLs of running servers (no server started)")
    parser.add_argument("--server-pid", type=int, nargs="*", default=[], help="for CPU per move")
    parser.add_argument("--label", default="servers", help="name of the --url setup in the table")
    parser.add_argument(
        "--insecure", action="store_true", help="do not verify TLS (self-signed localhost proxy)"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=OUT / "load.json")
    args = parser.parse_args(argv)
    results: dict[str, Any] = {
        "machine": {"cpus": os.cpu_count(), "load_before": os.getloadavg()},
        "settings": {"join_s": args.join, "duration_s": args.duration, "seed": args.seed},
        "runs": {},
    }
    if args.url:
        run = measure(
            args.url,
            args.server_pid,
            args.sessions,
            args.join,
            args.duration,
            args.seed,
            verify_tls=not args.insecure,
        )
        results["runs"][args.label] = {"urls": args.url, **run}
    else:
        for variant in args.variants.split(","):
            if variant not in VARIANTS:
                parser.error(f"--variants: unknown variant {variant!r} (one of {list(VARIANTS)})")
            with (
                tempfile.TemporaryDirectory() as tmp,
                dashboard_server(variant, Path(tmp)) as srv,
            ):
                urls, pids = [srv.url], [srv.pid]
                run = measure(urls, pids, args.sessions, args.join, args.duration, args.seed)
                run["rss_mb_after"] = rss_mb(srv.pid)
            results["runs"][variant] = run
            print_table({"runs": {variant: run}})
    results["machine"]["load_after"] = os.getloadavg()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2), encoding="utf-8")
    print()
    print_table(results)
    return results


if __name__ == "__main__":
    main()
