"""Seeded fuzz of ``readiness usage``: hostile exports and rosters never give a traceback.

Each sample export and the roster are mutated with what tools and people really produce: a
file holding only a BOM, invalid UTF-8, duplicate columns (also once spaces are stripped),
dates like 0001-01-01 and 9999-12-31, integers beyond float range, negative counts, control
characters, very long cells, ragged rows, and random byte edits; and what real exports hold: a
comma ending every row, dates with mixed UTC offsets in one column, report periods of ``inf``,
NaN, 0, negative or huge, counts above 2**63, dates minutes apart. Every case must exit 0 or 2,
never reach the last-resort "unexpected error" line, print strict JSON on success, and on exit 2
print only ``error:`` lines. The exports real tools write (:data:`MUST_READ`) must be read.

Each case runs as JSON and as CSV (``--format csv``: the same outcome, CSV on success), and
histories for ``readiness fit`` are mutated the same way.
"""

from __future__ import annotations

import csv
import io
import json
import math
import random
import re
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


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def _text(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def _column(text: str, rng: random.Random, name: str, value: str) -> str:
    """Three cells of column ``name`` (any three cells when the file has no such column)."""
    rows = _rows(text)
    header = [c.strip().lower() for c in rows[0]]
    if name not in header:
        return _cells(text, rng, value)
    at = header.index(name)
    for k in rng.sample(range(1, len(rows)), 3):
        rows[k][at] = value
    return _text(rows)


DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")


def _dates(text: str, rng: random.Random, stamp: Callable[[str, int], str]) -> str:
    """Every date cell rewritten by ``stamp(day, k)``, k counting the dates."""
    rows = _rows(text)
    k = 0
    for row in rows[1:]:
        for j, cell in enumerate(row):
            if DATE.match(cell):
                row[j] = stamp(cell[:10], k)
                k += 1
    return _text(rows)


def _offsets(day: str, k: int) -> str:
    return f"{day}T{k % 24:02d}:30:00{('+01:00', '+02:00', '-05:00', 'Z')[k % 4]}"


def _minutes(day: str, k: int) -> str:
    """One day, a minute apart: a daily trend whose dates lost their day."""
    return f"2026-01-05T{8 + k // 60 % 16:02d}:{k % 60:02d}:00"


def _trailing_comma(text: str) -> str:
    lines = text.splitlines()
    return "\n".join([lines[0], *(line + "," for line in lines[1:])]) + "\n"


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
    "trailing comma": lambda t, r: _trailing_comma(t).encode(),
    "mixed offsets": lambda t, r: _dates(t, r, _offsets).encode(),
    "minutes apart": lambda t, r: _dates(t, r, _minutes).encode(),
    "period inf": lambda t, r: _column(t, r, "report period", "inf").encode(),
    "period nan": lambda t, r: _column(t, r, "report period", "NaN").encode(),
    "period negative": lambda t, r: _column(t, r, "report period", "-30").encode(),
    "period 0": lambda t, r: _column(t, r, "report period", "0").encode(),
    "period huge": lambda t, r: _column(t, r, "report period", "1e300").encode(),
    "count 2**63": lambda t, r: _cells(t, r, str(2**63 + 1)).encode(),
    "count 2**64": lambda t, r: _cells(t, r, str(2**64 + 1)).encode(),
}
#: Files as real tools write them: read, not refused (the event log is strict CSV: a comma
#: ending its rows is an extra cell, named by row).
MUST_READ = {
    (m, name)
    for m in ("trailing comma", "mixed offsets", "minutes apart")
    for name in [*EXPORTS, "roster.csv"]
    if (m, name) != ("trailing comma", "events.csv")
}


def _cases() -> list[tuple[str, str, str]]:
    cases = [(name, m, "export") for name in EXPORTS for m in MUTATIONS]
    cases += [("roster.csv", m, "roster") for m in MUTATIONS]
    return cases


def _check(code: int, out: str, err: str, output: str, named: str) -> None:
    assert code in (0, 2), err
    assert "unexpected error" not in err
    assert "Traceback" not in err
    if code == 0:
        if output == "json":
            payload = json.loads(out, parse_constant=lambda c: pytest.fail(f"JSON has {c}"))
            assert all(0 <= (r["share"] or 0) <= 1 for r in payload.get("series", []))
        else:
            rows = list(csv.DictReader(io.StringIO(out)))
            assert all(0 <= float(r["share"] or 0) <= 1 for r in rows)
    else:
        lines = [line for line in err.splitlines() if line]
        assert lines
        assert all(line.startswith("error: ") for line in lines), err
        assert any(named in line or "--" in line for line in lines), err


@pytest.mark.parametrize("output", ["json", "csv"])
@pytest.mark.parametrize(("name", "mutation", "role"), _cases())
def test_a_hostile_file_never_gives_a_traceback(
    name: str,
    mutation: str,
    role: str,
    output: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    rng = random.Random(f"{SEED}-{name}-{mutation}")
    text = (DATA / name).read_text()
    bad = tmp_path / name
    bad.write_bytes(MUTATIONS[mutation](text, rng))
    if role == "export":
        argv = ["usage", str(bad), "--headcount", "1000"]
    else:
        argv = ["usage", str(DATA / "events.csv"), "--roster", str(bad)]
    argv += ["--fit"] if output == "json" else ["--format", "csv"]
    code = main(argv)
    out = capsys.readouterr()
    _check(code, out.out, out.err, output, bad.name)
    if (mutation, name) in MUST_READ:
        assert code == 0, out.err


def _history(rng: random.Random) -> str:
    """A cumulative share rising along an S-curve, one row a month through five years."""
    return "period,value\n" + "".join(
        f"{2020 + k // 12}-{k % 12 + 1:02d}-01,{0.8 / (1 + math.exp(-0.15 * (k - 30))):.4f}\n"
        for k in range(60)
    )


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["--kind", "per-period", "--unit", "count", "--population", "60"],
        ["--kind", "per-period"],
    ],
    ids=["cumulative share", "per-period counts", "per-period shares"],
)
@pytest.mark.parametrize("mutation", MUTATIONS)
def test_a_hostile_history_never_gives_a_traceback(
    mutation: str, argv: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rng = random.Random(f"{SEED}-history-{mutation}")
    bad = tmp_path / "history.csv"
    bad.write_bytes(MUTATIONS[mutation](_history(rng), rng))
    code = main(["fit", str(bad), "--band", "covariance", *argv])
    out = capsys.readouterr()
    _check(code, out.out, out.err, "json", bad.name)
    if mutation == "minutes apart":  # refused by row before any per-minute grid
        assert code == 2
        assert "row 3, field period: '2026-01-05T08:01:00' is less than a day after" in out.err
    if argv == ["--kind", "per-period"]:  # 60 shares of up to 0.8: more than everyone adopts
        assert code == 2
    elif mutation == "mixed offsets":
        assert code == 0, out.err
