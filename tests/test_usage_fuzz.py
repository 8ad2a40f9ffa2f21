"""Seeded fuzz of ``readiness usage``: hostile exports and rosters never give a traceback.

Each sample export and the roster are mutated with what tools and people really produce: a
file holding only a BOM, invalid UTF-8, duplicate columns (also once spaces are stripped),
dates like 0001-01-01 and 9999-12-31, integers beyond float range, negative counts, control
characters, very long cells, ragged rows, and random byte edits. Every case must exit 0 or 2,
never reach the last-resort "unexpected error" line, print strict JSON on success, and on exit 2
print only ``error:`` lines.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from pathlib import Path

import pytest

from readiness.cli import main

SEED = 20261130
DATA = Path(__file__).parent / "data" / "usage"
EXPORTS = [
    "events.csv",
    "yammer-activity-user-detail-2026-01-31.csv",
    "teams-user-activity-user-detail.csv",
    "yammer-activity-user-counts.csv",
    "slack-members.csv",
]


def _cells(text: str, rng: random.Random, value: str) -> str:
    lines = text.splitlines()
    for _ in range(3):
        k = rng.randrange(1, len(lines))
        cells = lines[k].split(",")
        cells[rng.randrange(len(cells))] = value
        lines[k] = ",".join(cells)
    return "\n".join(lines) + "\n"


MUTATIONS: dict[str, Callable[[str, random.Random], bytes]] = {
    "bom only": lambda t, r: b"\xef\xbb\xbf",
    "empty": lambda t, r: b"",
    "invalid utf-8": lambda t, r: t.encode()[:200] + b"\xff\xfe" + t.encode()[200:],
    "duplicate column": lambda t, r: (
        t.split("\n", 1)[0] + "," + t.split(",", 1)[0] + " \n" + t.split("\n", 1)[1]
    ).encode(),
    "date 0001": lambda t, r: _cells(t, r, "0001-01-01").encode(),
    "date 9999": lambda t, r: _cells(t, r, "9999-12-31").encode(),
    "huge integer": lambda t, r: _cells(t, r, "9" * 400).encode(),
    "negative": lambda t, r: _cells(t, r, "-5").encode(),
    "nan": lambda t, r: _cells(t, r, "NaN").encode(),
    "control chars": lambda t, r: _cells(t, r, "a\x1b[31m\rb").encode(),
    "long cell": lambda t, r: _cells(t, r, "x" * 100_000).encode(),
    "ragged": lambda t, r: (t + "a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,q,r,s,t,u,v,w,x,y,z\n").encode(),
    "quote": lambda t, r: _cells(t, r, '"unterminated').encode(),
    "header only": lambda t, r: (t.split("\n", 1)[0] + "\n").encode(),
    "byte edits": lambda t, r: bytes(
        (b ^ r.randrange(1, 256)) if r.random() < 0.01 else b for b in t.encode()
    ),
}


def _cases() -> list[tuple[str, str, str]]:
    cases = [(name, m, "export") for name in EXPORTS for m in MUTATIONS]
    cases += [("roster.csv", m, "roster") for m in MUTATIONS]
    return cases


@pytest.mark.parametrize(("name", "mutation", "role"), _cases())
def test_a_hostile_file_never_gives_a_traceback(
    name: str,
    mutation: str,
    role: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    rng = random.Random(f"{SEED}-{name}-{mutation}")
    text = (DATA / name).read_text()
    bad = tmp_path / name
    bad.write_bytes(MUTATIONS[mutation](text, rng))
    if role == "export":
        argv = ["usage", str(bad), "--headcount", "1000", "--fit"]
    else:
        argv = ["usage", str(DATA / "events.csv"), "--roster", str(bad), "--fit"]
    code = main(argv)
    out = capsys.readouterr()
    assert code in (0, 2), out.err
    assert "unexpected error" not in out.err
    assert "Traceback" not in out.err
    if code == 0:
        payload = json.loads(out.out, parse_constant=lambda c: pytest.fail(f"JSON has {c}"))
        assert all(0 <= (r["share"] or 0) <= 1 for r in payload["series"])
    else:
        lines = [line for line in out.err.splitlines() if line]
        assert lines
        assert all(line.startswith("error: ") for line in lines), out.err
        assert any(bad.name in line or "--" in line for line in lines), out.err
