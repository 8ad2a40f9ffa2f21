"""Seeded fuzz test of the command line: hostile files and option values never give a traceback.

Valid seeds (a filled assessment, an export, a respondents table from ``readiness template``, an
adoption history, working ``project`` options) are mutated with values people and tools really
produce or attackers try: integers beyond float range, JSON integers over 4,300 digits, JSON
nested 1,000 and 100,000 deep, ``NaN``/``Infinity`` tokens, duplicate columns (also once trailing
spaces are stripped), dates like 0001-01-01 or 9999-12-31, a file holding only a BOM, empty files,
invalid UTF-8, control characters, very long strings, huge/negative/NaN option values, plus random
byte-level edits. The random choices come from one fixed seed, so every run tries the same cases.

Every case runs ``readiness.cli.main`` in-process (a handful also as a real subprocess) and must:
exit 0 or 2; print no traceback and never reach the last-resort "unexpected error" line; print
JSON that a strict parser reads (no ``NaN``/``Infinity``) with shares in [0, 1] and scores in
[0, 100]; and on exit 2 print one ``error:`` line per problem, each naming the file (or the
option), and the row or field when the mutation put a bad value in one.

Each class of hostile input that once reached the last resort has seeded cases of its own
(:data:`HOSTILE_CLASSES`: hand-edited stores, usage exports and rosters, fit histories, files
of another kind, out-of-range options); a named pipe given as a file must be refused at once.

``python tests/test_fuzz_cli.py`` prints how many cases each group runs and how many fail.
"""

from __future__ import annotations

import collections
import io
import json
import math
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from readiness.cli import main
from readiness.questionnaire import load_questionnaire
from readiness.safe_output import terminal_safe

SEED = 20261130
ROOT = Path(__file__).resolve().parents[1]
READINESS = Path(sys.executable).with_name("readiness")

# --- cases --------------------------------------------------------------------------------------


@dataclass
class Case:
    """One command line run: ``argv`` may hold ``{file}``, replaced by the written file's path.

    ``names``: on exit 2 every error line must contain one of these (``{file}`` allowed).
    ``where``: on exit 2 some error line must contain one of these (a row or field).
    ``json_kind``: how to check JSON on standard output (``score``, ``project``, ``fit``...).
    """

    label: str
    argv: list[str]
    content: bytes | None = None
    suffix: str = ".json"
    names: tuple[str, ...] = ("{file}",)
    where: tuple[str, ...] = ()
    json_kind: str | None = None
    fit_upper: float = 1.0
    env: dict[str, str] = field(default_factory=dict)
    store: bool = False  # a fresh SQLite store of its own (else the test's store, fresh per test)
    file_name: str | None = None  # the file's name (default: case-N with the suffix)


def _int_beyond_float(rng: random.Random) -> str:
    return rng.choice(["1", "-1", "9"]) + "0" * rng.randint(309, 1200)


def _nested(depth: int, rng: random.Random) -> str:
    if rng.random() < 0.5:
        return "[" * depth + "]" * depth
    return '{"a":' * depth + "1" + "}" * depth


#: Hostile JSON values (the raw text that replaces one value of a valid document).
JSON_VALUES: list[Callable[[random.Random], str]] = [
    _int_beyond_float,
    lambda r: "9" * r.randint(4301, 6000),
    lambda r: "-" + "9" * 4400,
    lambda r: _nested(1000, r),
    lambda r: _nested(100_000, r),
    lambda r: r.choice(["NaN", "Infinity", "-Infinity"]),
    lambda r: r.choice(["1e308", "-1e308", "1e309", "-1e309", "1e-400", "-0.0", "5e-324"]),
    lambda r: r.choice(["true", "false", "null", "0", "-1", "101", "4.5", "3.0000001", "1e2"]),
    lambda r: r.choice(["[]", "{}", '["search", "search"]', "[1, 2]", '[""]', "[null]"]),
    lambda r: json.dumps("x" * r.choice([201, 5000, 200_000])),
    lambda r: json.dumps(r.choice(["\x00", "\x1b[31mred", "a\rb", "\u202eevil", "\t=1+1"])),
    lambda r: '"' + r.choice(["\x00", "\n", "\x1b"]) + '"',  # raw control character
    lambda r: r.choice(['"\\ud800"', '"\\udfff x"', '"\\u0000"']),  # lone surrogates
    lambda r: json.dumps(r.choice(["0001-01-01", "9999-12-31", "2020-02-30", "99999-01-01"])),
    lambda r: json.dumps(r.choice(["", " ", "NA", "=cmd|' /C calc'!A0", "joint ", "JOINT"])),
]

#: Whole-file contents no valid seed produces.
HOSTILE_FILES: list[bytes] = [
    b"",
    b"\xef\xbb\xbf",
    b"\xef\xbb\xbf\xef\xbb\xbf",
    b"   \n\t\n",
    b"\x00\x00\x00",
    b"\xff\xfe\x00\x00",
    b"\xc3\x28 invalid utf-8",
    "caf\u00e9".encode("latin-1"),
    "{}".encode("utf-16"),
    b"null",
    b"[]",
    b"[{}]",
    b"1",
    b'"text"',
    b"{",
    b"[" * 1000 + b"]" * 1000,
    b"[" * 100_000,
]


def _hostile_value(rng: random.Random) -> str:
    return rng.choice(JSON_VALUES)(rng)


def _byte_mutation(data: bytes, rng: random.Random) -> bytes:
    """A random edit: flip, delete, insert or duplicate a few bytes."""
    buf = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        if not buf:
            break
        at = rng.randrange(len(buf))
        how = rng.randrange(4)
        if how == 0:
            buf[at] = rng.randrange(256)
        elif how == 1:
            del buf[at : at + rng.randint(1, 8)]
        elif how == 2:
            buf[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 4)))
        else:
            end = min(len(buf), at + rng.randint(1, 40))
            buf[at:at] = buf[at:end]
    return bytes(buf)


def _with_hostile(document: Any, path: tuple[Any, ...], raw: str) -> bytes:
    """``document`` as JSON with the value at ``path`` replaced by the raw text ``raw``."""
    marker = "\u2603HOSTILE\u2603"
    target = document
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = marker
    plain = json.dumps(document, ensure_ascii=False)
    text = plain.replace(json.dumps(marker, ensure_ascii=False), raw)
    assert text != plain
    return text.encode("utf-8", "surrogatepass")


def _valid_answers() -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for item in load_questionnaire().items:
        if item.kind == "likert":
            answers[item.id] = 4
        elif item.kind == "number":
            answers[item.id] = 20
        elif item.kind == "choice":
            answers[item.id] = item.options[0].id
        else:
            answers[item.id] = [item.options[0].id, item.options[1].id]
    return answers


def _assessment() -> dict[str, Any]:
    return {
        "organization": "Acme",
        "division": "Sales",
        "sector": "private",
        "size": "250-999",
        "assessed_on": "2024-05-01",
        "answers": _valid_answers(),
    }


def _export_document() -> dict[str, Any]:
    return {
        "format": "readiness-assessment",
        "format_version": 1,
        **_assessment(),
        "questionnaire_version": load_questionnaire().version,
        "scores": {"overall": 50.0},
        "stored": {"id": 1, "created_at": "2024-05-01T00:00:00", "updated_at": "x"},
    }


def _json_paths(document: Any) -> list[tuple[Any, ...]]:
    """Paths of the fields (and answers) a hostile value may replace."""
    if isinstance(document, list):
        return [(i, *path) for i, entry in enumerate(document) for path in _json_paths(entry)]
    if not isinstance(document, dict):
        return []
    paths: list[tuple[Any, ...]] = [(key,) for key in document]
    answers = document.get("answers")
    if isinstance(answers, dict):
        paths += [("answers", item) for item in answers]
    paths.append(("unexpected",))
    return paths


def _dotted(path: tuple[Any, ...]) -> str:
    return ".".join(str(p) for p in path)


def _json_cases(
    label: str,
    rng: random.Random,
    count: int,
    argv: list[str],
    make: Callable[[], Any],
    json_kind: str | None,
    store: bool = False,
    per_path: int = len(JSON_VALUES),
) -> Iterator[Case]:
    """Hostile values in every field, hostile whole files, and random byte edits."""
    opts: dict[str, Any] = {"json_kind": json_kind}
    for content in HOSTILE_FILES:  # each into a store of its own when ``store``
        yield Case(f"{label}: whole file {content[:12]!r}", argv, content, **opts, store=store)
    for raw in (
        '{"organization": "a", "organization": "b", "answers": {}}',
        '{"organization": "a", "answers": {"gr_self_start": 4, "gr_self_start": 9}}',
        '{"organization": "a", "answers": {"gr_self_start": 4}}\n{"x": 1}',
    ):
        yield Case(f"{label}: {raw[:40]}", argv, raw.encode(), **opts)
    for path in _json_paths(make()):
        for hostile in rng.sample(JSON_VALUES, per_path):
            raw = hostile(rng)
            content = _with_hostile(make(), path, raw)
            yield Case(f"{label}: {_dotted(path)} = {raw[:30]!r}", argv, content, **opts)
    valid = json.dumps(make(), indent=1).encode()
    for n in range(count):
        content = _byte_mutation(valid, rng)
        yield Case(f"{label}: byte edit {n}", argv, content, **opts)
    for n in range(count // 4):
        document = make()
        for _ in range(rng.randint(2, 4)):
            path = rng.choice(_json_paths(document))
            document = json.loads(_with_hostile(document, path, json.dumps(f"#{n}")))
        path = rng.choice(_json_paths(document))
        content = _with_hostile(document, path, _hostile_value(rng))
        yield Case(f"{label}: {_dotted(path)} mixed {n}", argv, content, **opts)


def score_json_cases(rng: random.Random, count: int = 150) -> list[Case]:
    cases = list(_json_cases("score json", rng, count, ["score", "{file}"], _assessment, "score"))
    cases += list(
        _json_cases(
            "score list", rng, count // 5, ["score", "{file}"], lambda: [_assessment()], "score"
        )
    )
    valid = json.dumps(_assessment()).encode()
    for weight in (
        "support=1e308",
        "support=1e309",
        "support=nan",
        "support=inf",
        "support=-inf",
        "support=-1",
        "support=0",
        "support=5e-324",
        "support=" + "9" * 400,
        "unknown=1",
        "=1",
        "support",
        "support=",
        "support=1,tooling=2",
    ):
        cases.append(
            Case(
                f"score --weight {weight[:30]}",
                ["score", "{file}", "--weight", weight],
                valid,
                names=("--weight", "weight"),
                json_kind="score",
            )
        )
    cases.append(
        Case(
            "score every weight 0",
            ["score", "{file}", *(f"--weight={d}=0" for d in ("grassroots", "support", "tooling"))],
            valid,
            names=("--weight", "weight"),
            json_kind="score",
        )
    )
    return cases


def _respondents_csv() -> str:
    items = load_questionnaire().items
    answers = _valid_answers()
    header = ["division", *(item.id for item in items)]

    def cell(value: Any) -> str:
        return ";".join(value) if isinstance(value, list) else str(value)

    lines = [",".join(header)]
    for division in ("Sales", "Sales", "NA", "Ops"):
        lines.append(",".join([division, *(cell(answers[item.id]) for item in items)]))
    return "\n".join(lines) + "\n"


#: Hostile CSV cells, each with whether it is wrong wherever it stands (then the message must
#: name its row); the others may be valid (a period of 0, a division named NA).
CELL_VALUES: list[tuple[Callable[[random.Random], str], bool]] = [
    (_int_beyond_float, True),
    (lambda r: "9" * r.randint(4301, 6000), True),
    (lambda r: r.choice(["nan", "NaN", "inf", "-inf", "Infinity", "1e309", "-1e309"]), True),
    (lambda r: r.choice(["1e308", "-1e308", "0x10", "1_000", "\u0661\u0662", "1,5"]), False),
    (lambda r: r.choice(["-1", "0", "101", "4.5", "1e-400", "-0", "99999", "-5000"]), False),
    (lambda r: r.choice(["0001-01-01", "9999-12-31", "0000-00-00", "2020-02-30"]), False),
    (lambda r: r.choice(["1677-09-21", "2262-04-12", "2009-06-30T25:00", "+2009"]), False),
    (lambda r: r.choice(["", " ", "NA", "None", "null", "\x00", "\x1b[31m", "=1+1"]), False),
    (lambda r: '"' + r.choice(["a,b", "a\nb", 'a""b', "\r"]) + '"', False),
    (lambda r: "x" * r.choice([300, 100_000]), True),
    (lambda r: '"unbalanced', False),
]


def _csv_rows(text: str) -> list[list[str]]:
    return [line.split(",") for line in text.splitlines()]


def _csv_text(rows: list[list[str]]) -> bytes:
    return ("\n".join(",".join(row) for row in rows) + "\n").encode("utf-8", "surrogatepass")


def _csv_cases(
    label: str,
    rng: random.Random,
    count: int,
    seed_text: str,
    argv: list[str],
    json_kind: str | None,
    fit_upper: float = 1.0,
    names: tuple[str, ...] = ("{file}",),
) -> Iterator[Case]:
    opts: dict[str, Any] = {"suffix": ".csv", "json_kind": json_kind, "fit_upper": fit_upper}
    opts["names"] = names
    for content in HOSTILE_FILES:
        yield Case(f"{label}: whole file {content[:12]!r}", argv, content, **opts)
    rows = _csv_rows(seed_text)
    header = rows[0]
    for make_header in (
        lambda h: [*h, h[-1]],
        lambda h: [*h, h[-1] + " "],
        lambda h: [h[0] + " ", *h],
        lambda h: [c.upper() + "  " for c in h],
        lambda h: [*h, ""],
        lambda h: [*h, "timestamp"],
        lambda h: h[:1],
        lambda h: ["\ufeff" + h[0], *h[1:]],
        lambda h: [f'"{c}"' for c in h],
        lambda h: [h[0], "x" * 100_000, *h[1:]],
    ):
        new_header = make_header(list(header))
        content = _csv_text([new_header, *rows[1:]])
        yield Case(f"{label}: header {','.join(new_header)[:50]!r}", argv, content, **opts)
    yield Case(f"{label}: header only", argv, _csv_text(rows[:1]), **opts)
    yield Case(f"{label}: CR line ends", argv, _csv_text(rows).replace(b"\n", b"\r"), **opts)
    yield Case(f"{label}: extra field", argv, _csv_text([*rows, [*rows[1], "7"]]), **opts)
    yield Case(f"{label}: NUL byte", argv, _csv_text(rows).replace(b",", b"\x00,", 1), **opts)
    for row in range(1, len(rows)):
        for column in range(len(header)):
            for hostile, invalid in rng.sample(CELL_VALUES, 3):
                raw = hostile(rng)
                mutated = [list(r) for r in rows]
                mutated[row][column] = raw
                where = (f"row {row + 1}",)
                yield Case(
                    f"{label}: row {row + 1} {header[column]} = {raw[:30]!r}",
                    argv,
                    _csv_text(mutated),
                    **opts,
                    where=where if invalid else (),
                )
    valid = _csv_text(rows)
    for n in range(count):
        yield Case(f"{label}: byte edit {n}", argv, _byte_mutation(valid, rng), **opts)


def score_csv_cases(rng: random.Random, count: int = 60) -> list[Case]:
    # Mutations that leave a cell valid (e.g. "NA" as a division) are fine here: ``where`` is
    # only asserted when the run fails.
    cases = []
    for case in _csv_cases(
        "score csv", rng, count, _respondents_csv(), ["score", "{file}"], "score"
    ):
        case.where = ()  # respondents problems are reported as a table of rows
        cases.append(case)
    return cases


def evidence_cases(rng: random.Random, count: int = 40) -> list[Case]:
    """``readiness evidence``: the respondents seed mutated like ``score``'s, and surveys large
    enough for every statistic: byte edits, answers without variance, an item nobody answered,
    answers at random in many small divisions."""
    from survey_fixtures import survey_csv

    argv = ["evidence", "--survey", "{file}", "--format", "json"]
    cases = []
    for case in _csv_cases("evidence", rng, count, _respondents_csv(), argv, "evidence"):
        case.where = ()  # respondents problems are reported as a table of rows
        cases.append(case)
    opts: dict[str, Any] = {"suffix": ".csv", "json_kind": "evidence"}
    survey = survey_csv({"Sales": 15, "IT": 12, "NA": 6, "Legal": 2}, seed=rng.randrange(1000))
    for n in range(count):
        cases.append(
            Case(f"evidence survey: byte edit {n}", argv, _byte_mutation(survey, rng), **opts)
        )
    rows = _csv_rows(survey.decode())
    header = rows[0]
    alike = [
        [row[0], *("4" if cell.isdigit() and len(cell) == 1 else cell for cell in row[1:])]
        for row in rows[1:]
    ]
    cases.append(Case("evidence survey: no variance", argv, _csv_text([header, *alike]), **opts))
    blank = header.index("su_sponsor")
    unanswered = [[*row[:blank], "", *row[blank + 1 :]] for row in rows[1:]]
    cases.append(
        Case(
            "evidence survey: an item nobody answered",
            argv,
            _csv_text([header, *unanswered]),
            **opts,
        )
    )
    likert = [k for k, name in enumerate(header) if name in _LIKERT]
    scattered = [
        [
            f"D{rng.randrange(30)}",
            *(str(rng.randint(1, 5)) if k in likert else cell for k, cell in enumerate(row[1:], 1)),
        ]
        for row in rows[1:] * 10
    ]
    cases.append(
        Case(
            "evidence survey: at random in 30 divisions",
            argv,
            _csv_text([header, *scattered]),
            **opts,
        )
    )
    for fmt in ("table", "csv"):
        cases.append(
            Case(f"evidence survey: --format {fmt}", [*argv[:3], "--format", fmt], survey, **opts)
        )
    cases.extend(division_map_cases(rng))
    return cases


def division_map_cases(rng: random.Random, count: int = 3) -> list[Case]:
    """``readiness evidence --usage``: the division-name map (CSV and JSON) mutated, with the
    sample survey and usage of ten divisions (each run calibrates, so only a few)."""
    data = Path(__file__).parent / "data" / "evidence"
    argv = [
        "evidence",
        *("--survey", str(data / "survey.csv")),
        *("--usage", str(data / "events.csv")),
        *("--roster", str(data / "roster.csv")),
        *("--map", "{file}", "--format", "json"),
    ]
    # a name that is not there is named by its side, not by the file
    names = ("{file}", "survey division", "measured division")
    seeds = {
        ".csv": b"survey division,measured division\nSales,Sales & Marketing\n",
        ".json": b'{"pairs": [{"survey": "Sales", "measured": "Sales & Marketing"}]}',
    }
    cases = []
    for suffix, seed in seeds.items():
        cases.append(Case(f"division map{suffix}: as written", argv, seed, suffix, names))
        cases.extend(
            Case(
                f"division map{suffix}: byte edit {n}",
                argv,
                _byte_mutation(seed, rng),
                suffix,
                names,
            )
            for n in range(count)
        )
    return cases


_LIKERT = {item.id for item in load_questionnaire().items if item.kind == "likert"}


HISTORY = """period,value
2001,0.010
2002,0.018
2003,0.032
2004,0.055
2005,0.090
2006,0.140
2007,0.205
2008,0.280
2009,0.355
2010,0.420
2011,0.470
2012,0.505
2013,0.530
"""

DATED_HISTORY = """period,value
2009-01-31,2
2009-06-30,5
2010-01-31,11
2010-06-30,20
2011-01-31,31
2011-06-30,40
"""

FIT_OPTIONS: list[tuple[str, list[str]]] = [
    (
        opt,
        [opt, value],
    )
    for opt in ("--horizon", "--ceiling")
    for value in ("1e308", "-1e308", "nan", "inf", "-inf", "0", "-1", "1e-308", "9" * 400, "x")
] + [
    ("--population", ["--unit", "count", "--population", value])
    for value in ("1e308", "nan", "inf", "0", "-5", "5e-324", "1e-300", "9" * 400)
]

#: ``--model gbm`` with its shocks: shapes and starts people type, and hostile ones.
GBM_OPTIONS: list[list[str]] = (
    [
        ["--model", "gbm", "--shock", shock]
        for shock in (
            "exponential",
            "rectangular",
            "exponential,rectangular",
            "rectangular, rectangular,exponential",
            ",".join(["exponential"] * 4),
            "",
            ",",
            "step",
            "x" * 300,
            "\x1b[31mred",
            "nan",
        )
    ]
    + [
        ["--model", "gbm", "--shock", "exponential,rectangular", "--shock-start", start]
        for start in (
            "2005",
            "2005,",
            ",2009.5",
            "2001,2013",
            "2004-07-01,2008-01-01",
            "2014",
            "1e308",
            "-1e308",
            "nan",
            "inf",
            "9" * 400,
            "0001-01-01",
            "9999-12-31",
            "2020-02-30",
            ",,,",
            "\x00",
        )
    ]
    + [
        [*model, option, "exponential"]
        for model in ([], ["--model", "bass"])
        for option in ("--shock", "--shock-start")
    ]
)


def fit_cases(rng: random.Random, count: int = 80) -> list[Case]:
    argv = ["fit", "{file}", "--band", "covariance"]
    cases = list(_csv_cases("fit", rng, count, HISTORY, argv, "fit"))
    cases += _csv_cases(
        "fit dated %",
        rng,
        count // 4,
        DATED_HISTORY,
        ["fit", "{file}", "--unit", "percent", "--model", "logistic"],
        "fit",
        fit_upper=100.0,
    )
    valid = HISTORY.encode()
    for option, extra in FIT_OPTIONS:
        upper = 1.0
        if option == "--population":
            try:
                upper = float(extra[-1])
            except ValueError:
                upper = math.inf
        cases.append(
            Case(
                f"fit {' '.join(extra)[:40]}",
                [*argv, *extra],
                valid,
                suffix=".csv",
                names=(option, "{file}"),
                json_kind="fit",
                fit_upper=upper,
            )
        )
    for n in range(count // 2):  # random combinations of valid options on a valid history
        extra = [
            *("--model", rng.choice(["logistic", "gompertz", "bass", "auto"])),
            *("--kind", rng.choice(["cumulative", "per-period"])),
            *("--horizon", rng.choice(["0", "1", "5", "200"])),
            *rng.choice([[], ["--ceiling", "0.9"], ["--ceiling", "1"], ["--ceiling", "0.53"]]),
            *rng.choice([[], ["--format", "table"]]),
        ]
        cases.append(
            Case(
                f"fit options {n}: {' '.join(extra)}",
                [*argv, *extra],
                valid,
                ".csv",
                json_kind="fit",
            )
        )
    for extra in GBM_OPTIONS:  # the shock model's options, valid or not, on a valid history
        cases.append(
            Case(
                f"fit {' '.join(extra)[:50]}",
                [*argv, *extra],
                valid,
                suffix=".csv",
                names=("--shock", "{file}"),
                json_kind="fit",
            )
        )
    for model in ("logistic", "gompertz", "bass", "auto"):
        for kind in ("cumulative", "per-period"):
            cases.append(
                Case(
                    f"fit {model} {kind} bootstrap",
                    ["fit", "{file}", "--model", model, "--kind", kind, "--band", "bootstrap"],
                    b"period,value\n2001,0.01\n2002,0.03\n2003,0.08\n2004,0.15\n2005,0.2\n",
                    suffix=".csv",
                    json_kind="fit",
                )
            )
    return cases


PROJECT_BASE: dict[str, list[str]] = {
    "doubling": ["--g", "2"],
    "logistic": ["--r", "0.8"],
    "gompertz": ["--r", "0.5"],
    "bass": ["--p", "0.03", "--q", "0.38"],
}
OPTION_VALUES = (
    "1e308",
    "-1e308",
    "1e309",
    "nan",
    "-nan",
    "inf",
    "-inf",
    "0",
    "-0",
    "-1",
    "1e-308",
    "5e-324",
    "0.5",
    "2",
    "100",
    "1" + "0" * 400,
    "",
    "abc",
)


def project_cases(rng: random.Random, count: int = 300) -> list[Case]:
    cases = []
    options = ["--start-year", "--start-share", "--years", "--ceiling", "--g", "--r", "--p", "--q"]
    for model, params in PROJECT_BASE.items():
        for option in options:
            for value in OPTION_VALUES:
                argv = _project_argv(model, params, {option: value})
                cases.append(Case(f"project {model} {option} {value[:20]}", argv, None, **_opt()))
        for value in (
            "1e308=0.5",
            "-1e308=0.1",
            "nan=0.1",
            "2008=nan",
            "2008=0",
            "2008=1",
            "2009=0.1",
            "2008=0.3",
            "2008=1e-300",
            "1=0.1",
            "2008",
            "=",
            "2008=0.1=2",
            "9" * 400 + "=0.1",
        ):
            argv = _project_argv(model, {}, {"--calibrate-from": value})
            cases.append(Case(f"project {model} --calibrate-from {value[:20]}", argv, **_opt()))
    for n in range(count):
        model = rng.choice(list(PROJECT_BASE))
        changes = {rng.choice(options): rng.choice(OPTION_VALUES) for _ in range(rng.randint(1, 3))}
        if rng.random() < 0.2:
            changes["--step"] = "month"
        if rng.random() < 0.3:
            changes["--format"] = rng.choice(["csv", "table"])
        argv = _project_argv(model, PROJECT_BASE[model], changes)
        cases.append(Case(f"project random {n}: {model} {changes}", argv, **_opt()))
    return cases


def _opt() -> dict[str, Any]:
    return {"names": ("--", "share", "year", "ceiling"), "json_kind": "project"}


def _project_argv(
    model: str, params: list[str] | dict[str, str], changes: dict[str, str]
) -> list[str]:
    base = {"--start-year": "2009", "--start-share": "0.25", "--years": "10"}
    if isinstance(params, list):
        base.update(zip(params[::2], params[1::2], strict=True))
    base.update(changes)
    argv = ["project", "--model", model]
    for option, value in base.items():
        argv.append(f"{option}={value}")
    return argv


def import_cases(rng: random.Random, count: int = 60) -> list[Case]:
    argv = ["assessments", "import", "{file}"]
    cases = []
    seeds = (_export_document, _assessment, lambda: [_export_document(), _assessment()])
    for number, make in enumerate(seeds):
        cases += _json_cases(
            "import", rng, count // 3, argv, make, None, store=number == 0, per_path=5
        )
    # then the ids of what was imported (or not) into the same store
    for action in (["export"], ["export", "--format", "csv"], ["report"], ["delete", "--yes"]):
        for value in ("1", "2", "0", "-1", "99999", "9" * 24, "9" * 5000, "1e3", "nan", ""):
            cases.append(
                Case(
                    f"assessments {' '.join(action)} {value[:20]}",
                    ["assessments", *action, "--", value],
                    names=("assessment", "id"),
                )
            )
    return cases


def file_name_cases() -> list[Case]:
    """Hostile file names (control characters, a newline, 250 characters) for every command."""
    cases = []
    content = {".json": json.dumps(_assessment()).encode(), ".csv": HISTORY.encode()}
    for stem in ("new\nline", "esc\x1b[31mred", "cr\rreturn", "tab\tbell\x07", "x" * 245, "\u202e"):
        for argv, suffix in (
            (["score", "{file}"], ".json"),
            (["fit", "{file}", "--band", "covariance"], ".csv"),
            (["assessments", "import", "{file}"], ".json"),
        ):
            for broken in (False, True):
                cases.append(
                    Case(
                        f"file name {stem[:20]!r} {argv[0]} {'broken' if broken else 'valid'}",
                        argv,
                        b"{" if broken else content[suffix],
                        suffix,
                        file_name=stem + suffix,
                    )
                )
    return cases


def store_cases(tmp: Path) -> list[Case]:
    """The database itself hostile: a malformed URL, a foreign or corrupt SQLite file."""
    foreign = tmp / "foreign.db"
    with sqlite3.connect(foreign) as con:
        con.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    bad_schema = tmp / "bad-schema.db"
    with sqlite3.connect(bad_schema) as con:
        con.execute("CREATE TABLE t (x)")
        con.execute("PRAGMA writable_schema = ON")
        con.execute(
            "UPDATE sqlite_master SET sql = CAST(X'435245415445205441424c45207428ff29' AS TEXT)"
        )
    garbage = tmp / "garbage.db"
    garbage.write_bytes(b"SQLite format 3\x00" + bytes(range(256)) * 8)
    valid = json.dumps(_assessment()).encode()
    urls = {
        "malformed port": "postgresql://user@localhost:port/db",
        "port out of range": "postgresql://user@localhost:99999999/db",
        "unknown dialect": "nosuchdb://x/y",
        "not a url": "::::",
        "foreign sqlite": f"sqlite:///{foreign}",
        "non-UTF-8 schema": f"sqlite:///{bad_schema}",
        "garbage sqlite": f"sqlite:///{garbage}",
        "directory": f"sqlite:///{tmp}",
    }
    cases = []
    for label, url in urls.items():
        for action in (["import", "{file}"], ["list"], ["export", "1"]):
            cases.append(
                Case(
                    f"store {label}: {action[0]}",
                    ["assessments", "--database", url, *action],
                    valid,
                    names=(url, "database", "store", str(tmp)),
                )
            )
    return cases


# --- hostile classes: one seeded case or a few per class of input that once ended badly ---------

USAGE = ROOT / "tests" / "data" / "usage"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"


def _usage_file(name: str) -> bytes:
    return (USAGE / name).read_bytes()


def _events(rng: random.Random, users: int, months: int, offsets: tuple[str, ...]) -> bytes:
    """A generic usage export: ``users`` people posting in each of ``months`` months of 2025,
    each timestamp with one of ``offsets`` (``Z``, ``+02:00``, ``""`` for none)."""
    lines = ["user,timestamp,action"]
    for month in range(1, months + 1):
        for user in range(users):
            offset = rng.choice(offsets)
            lines.append(
                f"p{user:02d}@example.com,2025-{month:02d}-1{user % 9}T09:30:00{offset},post"
            )
    return ("\n".join(lines) + "\n").encode()


def _yammer_detail(rng: random.Random, column: str, value: str) -> bytes:
    """The Viva Engage user detail export with ``value`` in ``column`` of a random row."""
    rows = _usage_file("yammer-activity-user-detail-2026-01-31.csv").decode().splitlines()
    header = rows[0].split(",")
    at = rng.randrange(1, len(rows))
    cells = rows[at].split(",")
    cells[header.index(column)] = value
    rows[at] = ",".join(cells)
    return ("\n".join(rows) + "\n").encode()


def _cr_only(data: bytes) -> bytes:
    return data.replace(b"\r\n", b"\n").replace(b"\n", b"\r")


def _hostile_store(tmp: Path, name: str, statements: list[str], seeded: bool = True) -> str:
    """A SQLite store holding one imported assessment (or nothing), then ``statements``."""
    path = tmp / f"{name}.db"
    if seeded:
        source = tmp / f"{name}.json"
        source.write_text(json.dumps([_assessment(), {**_assessment(), "division": "Ops"}]))
        outcome = run_in_process(
            ["assessments", "--database", f"sqlite:///{path}", "import", str(source)], {}
        )
        assert outcome.code == 0, outcome.err
    with sqlite3.connect(path) as connection:
        for statement in statements:
            connection.execute(statement)
    connection.close()
    return f"sqlite:///{path}"


#: Hand edits of a store: each row ``(name, statements, seeded)``.
STORE_EDITS: list[tuple[str, list[str], bool]] = [
    (
        "text schema_version",
        [
            "CREATE TABLE schema_version (version INTEGER)",
            "INSERT INTO schema_version VALUES ('abc')",
        ],
        False,
    ),
    (
        "NULL Alembic version",
        [
            "DROP TABLE alembic_version",
            "CREATE TABLE alembic_version (version_num VARCHAR(32))",
            "INSERT INTO alembic_version VALUES (NULL)",
        ],
        True,
    ),
    ("answers not JSON", ["UPDATE assessments SET answers_json = '{oops' WHERE id = 1"], True),
    ("answers a list", ["UPDATE assessments SET answers_json = '[1, 2]' WHERE id = 1"], True),
    ("scores not an object", ["UPDATE assessments SET scores_json = '7' WHERE id = 1"], True),
    ("NULL version", ["UPDATE assessments SET version = NULL WHERE id = 1"], True),
    ("text version", ["UPDATE assessments SET version = 'abc' WHERE id = 1"], True),
    ("text overall", ["UPDATE assessments SET overall = 'high' WHERE id = 1"], True),
    ("created not a date", ["UPDATE assessments SET created_at = 'yesterday' WHERE id = 1"], True),
    ("assessed_on not a date", ["UPDATE assessments SET assessed_on = 'soon' WHERE id = 1"], True),
    ("unknown role", ["UPDATE audit_log SET role = 'wizard' WHERE id = 1"], True),
    ("audit time not a date", ["UPDATE audit_log SET at = 'never' WHERE id = 1"], True),
    ("text audit id", ["UPDATE audit_log SET assessment_id = 'x' WHERE id = 1"], True),
]


def store_edit_cases(tmp: Path, rng: random.Random) -> list[Case]:
    cases: list[Case] = []
    for name, statements, seeded in STORE_EDITS:
        url = _hostile_store(tmp, f"edited-{len(cases)}", statements, seeded)
        path = url.removeprefix("sqlite:///")
        for argv in (
            ["db", "--database", url, "current"],
            ["assessments", "--database", url, "list"],
            ["assessments", "--database", url, "list", "--format", "json"],
            ["assessments", "--database", url, "audit"],
            ["assessments", "--database", url, "export", "1"],
        ):
            cases.append(Case(f"store {name}: {' '.join(argv[3:])}", argv, names=(path,)))
    return cases


def usage_cases(tmp: Path, rng: random.Random) -> list[Case]:
    """Usage exports and rosters: trailing commas, mixed offsets, tiny headcounts, odd counts."""
    headcount = ["--headcount", "100"]
    usage_names = ("{file}", "--headcount", "--roster", "--min-group")
    opts: dict[str, Any] = {"suffix": ".csv", "names": usage_names}
    roster = tmp / "roster.csv"
    roster.write_bytes(_usage_file("roster.csv"))
    cases = [
        Case(
            "usage: Viva Engage export with a trailing comma on every row",
            ["usage", "{file}", *headcount],
            _usage_file("yammer-activity-user-detail-trailing-comma.csv"),
            **opts,
        ),
        Case(
            "usage: mixed UTC offsets in an export",
            ["usage", "{file}", *headcount],
            _events(rng, 12, 4, ("Z", "+02:00", "-05:00", "")),
            **opts,
        ),
        Case(
            "usage: mixed UTC offsets in a roster",
            ["usage", str(USAGE / "events.csv"), "--roster", "{file}"],
            _usage_file("roster-mixed-offsets.csv"),
            **opts,
        ),
        Case(
            "usage: report period inf",
            ["usage", "{file}", *headcount],
            _yammer_detail(rng, "Report Period", "inf"),
            **opts,
        ),
        Case(
            "usage: activity count above 2^63",
            ["usage", "{file}", *headcount],
            _yammer_detail(rng, "Posted Count", str(2**63 + rng.randrange(10**6))),
            **opts,
        ),
    ]
    for count in (1, 4):  # below the minimum group size (5)
        cases.append(
            Case(
                f"usage --format csv --headcount {count}",
                ["usage", "{file}", "--format", "csv", "--headcount", str(count)],
                _events(rng, count, 3, ("Z",)),
                **opts,
            )
        )
    for name in (  # CR-only line endings in every usage reader's input
        "events.csv",
        "slack-members.csv",
        "teams-user-activity-user-detail.csv",
        "yammer-activity-user-counts.csv",
        "yammer-activity-user-detail-2026-01-31.csv",
    ):
        argv = ["usage", "{file}", *headcount]
        cases.append(
            Case(f"usage: CR line ends in {name}", argv, _cr_only(_usage_file(name)), **opts)
        )
    cases.append(
        Case(
            "usage: CR line ends in a roster",
            ["usage", str(USAGE / "events.csv"), "--roster", "{file}"],
            _cr_only(_usage_file("roster.csv")),
            **opts,
        )
    )
    for argv in (
        ["usage", "{file}", *headcount],
        ["usage", str(USAGE / "events.csv"), "--roster", "{file}"],
    ):
        cases.append(Case(f"usage: a PNG as {argv[1]}", argv, PNG, where=("PNG",), **opts))
    return cases


def fit_class_cases(tmp: Path, rng: random.Random) -> list[Case]:
    """Histories that once gave bands outside the range or ran into the last resort."""
    big_bang = "period,value\n" + "".join(
        f"{2020 + n},{value}\n" for n, value in enumerate((900, 20, 10, 5, 3, 2))
    )
    start = rng.randrange(0, 50)
    minutes = "period,value\n" + "".join(
        f"2026-01-01T10:{start + n:02d},{0.01 * (n + 1) ** 2:.4f}\n" for n in range(8)
    )
    per_period = ["--kind", "per-period", "--unit", "count", "--population", "1000"]
    return [
        Case(
            "fit: a per-period big bang rollout, default options",
            ["fit", "{file}", *per_period],
            big_bang.encode(),
            suffix=".csv",
            json_kind="fit",
            fit_upper=1000.0,
        ),
        Case(
            "fit: periods one minute apart",
            ["fit", "{file}"],
            minutes.encode(),
            suffix=".csv",
            json_kind="fit",
        ),
        Case("fit: a PNG as the history", ["fit", "{file}"], PNG, suffix=".csv", where=("PNG",)),
        Case(
            "score: a PNG as respondents", ["score", "{file}"], PNG, suffix=".csv", where=("PNG",)
        ),
        Case("import: a PNG as the file", ["assessments", "import", "{file}"], PNG, where=("PNG",)),
    ]


def option_class_cases(tmp: Path, rng: random.Random) -> list[Case]:
    """Option values beyond what a 64-bit integer or a file name can be."""
    digits = "".join(rng.choice("123456789") for _ in range(400))
    return [
        Case("project --from a 400-digit id", ["project", "--from", digits], names=("--from",)),
        Case(
            "audit --limit 2^63",
            ["assessments", "audit", "--limit", str(2**63)],
            names=("--limit",),
        ),
        Case("audit --limit -1", ["assessments", "audit", "--limit", "-1"], names=("--limit",)),
        Case(
            "audit --limit 400 digits",
            ["assessments", "audit", "--limit", digits],
            names=("--limit",),
        ),
        Case(
            "audit --assessment 2^63",
            ["assessments", "audit", "--assessment", str(2**63)],
            names=("--assessment",),
        ),
    ]


#: Each class of hostile input, with the seeded cases that try it.
HOSTILE_CLASSES: dict[str, Callable[[Path, random.Random], list[Case]]] = {
    "store edits": store_edit_cases,
    "usage": usage_cases,
    "fit and files": fit_class_cases,
    "options": option_class_cases,
}


def class_cases(name: str, tmp: Path) -> list[Case]:
    return HOSTILE_CLASSES[name](tmp, random.Random(f"{SEED}-{name}"))


# --- running and checking -----------------------------------------------------------------------


@dataclass
class Outcome:
    code: int
    out: str
    err: str
    native: str = ""  # written to file descriptors 1 and 2 below Python (e.g. by LAPACK)


def run_in_process(argv: list[str], env: dict[str, str]) -> Outcome:
    # Encoded like a real process's streams: stdout strict UTF-8, stderr with backslash escapes.
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="strict", write_through=True)
    err = io.TextIOWrapper(
        io.BytesIO(), encoding="utf-8", errors="backslashreplace", write_through=True
    )
    saved = {key: os.environ.get(key) for key in env}
    os.environ.update(env)
    try:
        with _native_output() as native, redirect_stdout(out), redirect_stderr(err):
            try:
                code = main(argv)
            except SystemExit as stop:  # argparse rejecting an option value
                code = stop.code if isinstance(stop.code, int) else 1
            except Exception:
                traceback.print_exc()
                code = 1
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return Outcome(code, _text(out), _text(err), "".join(native))


@contextmanager
def _native_output() -> Iterator[list[str]]:
    """File descriptors 1 and 2 sent to a temporary file for the block; what was written there
    is in the yielded list when the block ends."""
    sys.stdout.flush()
    sys.stderr.flush()
    written: list[str] = []
    with tempfile.TemporaryFile() as capture:
        saved = [os.dup(1), os.dup(2)]
        os.dup2(capture.fileno(), 1)
        os.dup2(capture.fileno(), 2)
        try:
            yield written
        finally:
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            for fd in saved:
                os.close(fd)
            capture.seek(0)
            written.append(capture.read().decode(errors="replace"))


def _text(stream: io.TextIOWrapper) -> str:
    stream.flush()
    raw = stream.buffer
    assert isinstance(raw, io.BytesIO)
    return raw.getvalue().decode("utf-8")


def _reject_constant(name: str) -> Any:
    raise ValueError(f"not valid JSON: {name}")


def _numbers(value: Any, key: str = "") -> Iterator[tuple[str, float]]:
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _numbers(v, str(k))
    elif isinstance(value, list):
        for v in value:
            yield from _numbers(v, key)
    elif isinstance(value, int | float) and not isinstance(value, bool):
        yield key, float(value)


def _json_problems(case: Case, text: str) -> list[str]:
    try:
        data = json.loads(text, parse_constant=_reject_constant)
    except ValueError as error:
        return [f"stdout is not strict JSON ({str(error)[:80]})"]
    problems = []
    scores = ("overall", "grassroots", "support", "tooling")
    for key, number in _numbers(data):
        if not math.isfinite(number):
            problems.append(f"{key} = {number}")
        elif key == "share" and not 0 <= number <= 1:
            problems.append(f"share {number} outside [0, 1]")
        elif case.json_kind == "score" and key in scores and not 0 <= number <= 100:
            problems.append(f"score {key} = {number} outside [0, 100]")
        elif case.json_kind == "evidence" and key == "rwg_j" and not 0 <= number <= 1:
            problems.append(f"r_wg(j) {number} outside [0, 1]")
    # The forecast's band (not the parameters' intervals, also named low/high) is in the unit.
    forecast = data.get("forecast", []) if case.json_kind == "fit" else []
    for key, number in _numbers(forecast):
        if key in ("low", "high") and not (-1e-9 <= number <= case.fit_upper * (1 + 1e-9)):
            problems.append(f"forecast {key} = {number} outside [0, {case.fit_upper:g}]")
    return problems


def _prints_json(argv: list[str]) -> bool:
    """Whether the command prints JSON: without ``--format`` (the default of the commands
    checked for it) or with ``--format json`` (``--format=json``)."""
    chosen = [a.removeprefix("--format=") for a in argv if a.startswith("--format=")]
    if "--format" in argv:
        position = argv.index("--format") + 1
        chosen.append(argv[position] if position < len(argv) else "")
    return not chosen or chosen[-1] == "json"


def check(case: Case, outcome: Outcome, file: str) -> list[str]:
    """What is wrong with ``outcome`` (empty when the case is handled well)."""
    both = outcome.out + outcome.err
    problems = []
    if outcome.code not in (0, 2):
        problems.append(f"exit code {outcome.code}")
    if "Traceback" in both:
        problems.append("traceback")
    if "unexpected error" in outcome.err:
        problems.append("reached the last-resort handler")
    if "Warning" in outcome.err:
        problems.append(f"a warning on stderr: {outcome.err[:200]!r}")
    if outcome.native.strip():
        problems.append(f"native output: {outcome.native[:200]!r}")
    if problems:
        return problems
    printed_json = case.json_kind and _prints_json(case.argv)
    if outcome.code == 0 and printed_json and outcome.out.strip():
        problems += _json_problems(case, outcome.out)
    if outcome.code == 2:
        lines = outcome.err.rstrip("\n").split("\n")
        if outcome.err.startswith("usage:"):  # argparse: usage, then one error line
            lines = [line for line in lines if ": error: " in line]
            if len(lines) != 1:
                problems.append(f"argparse output without one error line: {outcome.err[-200:]!r}")
        else:
            # notes (e.g. columns ignored) may come first; every other line is one problem
            lines = [line for line in lines if not line.startswith("note: ")]
            if not lines or not all(line.startswith("error: ") for line in lines):
                problems.append(f"not one 'error:' line per problem: {outcome.err[:300]!r}")
        shown = terminal_safe(file, single_line=True)  # as the message escapes it
        names = [n.replace("{file}", shown) for n in case.names]
        unnamed = [line for line in lines if not any(n in line for n in names)]
        if unnamed:
            problems.append(f"error line names neither {case.names}: {unnamed[0][:200]!r}")
        if case.where and not any(w in line for w in case.where for line in lines):
            problems.append(f"no line names {case.where}: {outcome.err[:200]!r}")
    return problems


@dataclass
class Failure:
    case: Case
    problems: list[str]
    outcome: Outcome

    def summary(self) -> str:
        last = [line for line in self.outcome.err.splitlines() if line.strip()][-1:]
        return f"{self.case.label[:90]}: {'; '.join(self.problems)[:200]} | {last}"


def run_cases(
    cases: list[Case], tmp: Path, codes: collections.Counter[int] | None = None
) -> list[Failure]:
    failures = []
    for number, case in enumerate(cases):
        file = ""
        argv = list(case.argv)
        env = dict(case.env)
        if case.content is not None:
            path = tmp / (case.file_name or f"case-{number}{case.suffix}")
            path.write_bytes(case.content)
            file = str(path)
            argv = [a.replace("{file}", file) for a in argv]
        if case.store:
            env["READINESS_DATABASE_URL"] = f"sqlite:///{tmp / f'store-{number}.db'}"
        outcome = run_in_process(argv, env)
        if codes is not None:
            codes[outcome.code] += 1
        problems = check(case, outcome, file)
        if problems:
            failures.append(Failure(case, problems, outcome))
    return failures


def _report(failures: list[Failure], total: int) -> str:
    lines = [f"{len(failures)} of {total} cases fail:"]
    lines += [failure.summary() for failure in failures[:40]]
    return "\n".join(lines)


def _seed_dir() -> Path:
    """A folder of valid files the plan cases name beside the mutated one (made once)."""
    folder = Path(tempfile.gettempdir()) / f"readiness-fuzz-seeds-{os.getpid()}"
    folder.mkdir(exist_ok=True)
    return folder


def _plan_document() -> dict[str, Any]:
    return {
        "format": "readiness-plan",
        "format_version": 1,
        "actions": [
            {"kind": "champions", "start": "2024-09-01", "divisions": ["Sales"],
             "staff_share": 0.2, "note": "one per team"},
            {"kind": "training", "start": "2024-10-01", "end": "2025-01-31"},
        ],
        "measured": {"champions": {"effect": 0.8, "low": 0.3, "high": 1.4}},
    }  # fmt: skip


def _plan_paths(document: Any) -> list[tuple[Any, ...]]:
    """Every field of a plan: its keys, each action's fields, the measured effect's."""
    paths: list[tuple[Any, ...]] = [(key,) for key in document]
    for i, action in enumerate(document.get("actions", [])):
        paths += [("actions", i, key) for key in action]
    for kind, effect in document.get("measured", {}).items():
        paths += [("measured", kind, key) for key in effect]
    return paths


def plan_cases(rng: random.Random, count: int = 40) -> list[Case]:
    """``readiness project --plan``, an assessment file that keeps a plan, and ``readiness
    waves``: hostile values in every field of the plan, whole hostile files, byte edits, and
    respondents tables mutated like ``score``'s as either wave."""
    from survey_fixtures import survey_csv

    seeds = _seed_dir()
    assessment = seeds / "assessment.json"
    assessment.write_text(json.dumps(_assessment()))
    cases: list[Case] = []
    argv = ["project", "--from", str(assessment), "--plan", "{file}", "--format", "json"]
    opts: dict[str, Any] = {"json_kind": "project", "names": ("{file}",)}
    for content in HOSTILE_FILES:
        cases.append(Case(f"plan: whole file {content[:12]!r}", argv, content, **opts))
    for path in _plan_paths(_plan_document()):
        for hostile in rng.sample(JSON_VALUES, 6):
            raw = hostile(rng)
            content = _with_hostile(_plan_document(), path, raw)
            cases.append(Case(f"plan: {_dotted(path)} = {raw[:30]!r}", argv, content, **opts))
    valid = json.dumps(_plan_document(), indent=1).encode()
    for n in range(count):
        cases.append(Case(f"plan: byte edit {n}", argv, _byte_mutation(valid, rng), **opts))
    for fmt in ("table", "csv"):
        cases.append(Case(f"plan: --format {fmt}", [*argv[:-1], fmt], valid, **opts))
    kept = {"format": "readiness-assessment", "format_version": 3, **_assessment()}
    kept["plan"] = {k: v for k, v in _plan_document().items() if not k.startswith("format")}
    for path in [("plan",), *(("plan", *p) for p in _plan_paths(kept["plan"]))]:
        raw = rng.choice(JSON_VALUES)(rng)
        content = _with_hostile(json.loads(json.dumps(kept)), path, raw)
        cases.append(
            Case(f"assessment plan: {_dotted(path)} = {raw[:30]!r}", ["project", "--from",
                 "{file}", "--format", "json"], content, **opts)
        )  # fmt: skip
    survey = survey_csv({"Sales": 12, "IT": 9, "Legal": 3}, seed=rng.randrange(1000))
    earlier = seeds / "earlier.csv"
    earlier.write_bytes(survey)
    dated = ["--earlier-date", "2024-03-01", "--later-date", "2024-09-01"]
    wave_argv = ["waves", str(earlier), "{file}", *dated, "--format", "json"]
    for case in _csv_cases("waves later", rng, count // 2, _respondents_csv(), wave_argv, None):
        case.where = ()  # respondents problems are reported as a table of rows
        cases.append(case)
    wave_argv = ["waves", "{file}", str(earlier), *dated, "--format", "table"]
    for n in range(count // 2):
        content = _byte_mutation(survey, rng)
        cases.append(Case(f"waves earlier: byte edit {n}", wave_argv, content, suffix=".csv"))
    # plan check fits a shock model per action: a few cases of each kind
    history = seeds / "history.csv"
    months = [f"2024-{m:02d}" for m in range(1, 13)] + [f"2025-{m:02d}" for m in range(1, 13)]
    shares = [0.02 * 1.12**k * (1.3 if k >= 8 else 1.0) for k in range(len(months))]
    history_text = "period,value\n" + "".join(
        f"{m},{min(v, 0.95):.4f}\n" for m, v in zip(months, shares, strict=True)
    )
    history.write_text(history_text)
    plan_file = seeds / "plan.json"
    plan_file.write_bytes(valid)
    check_argv = ["plan", "check", "--plan", "{file}", "--history", str(history)]
    for content in HOSTILE_FILES[:4]:
        cases.append(Case(f"plan check: plan {content[:12]!r}", check_argv, content, **opts))
    for n in range(count // 8):
        content = _byte_mutation(valid, rng)
        cases.append(Case(f"plan check: plan byte edit {n}", check_argv, content, **opts))
    check_argv = ["plan", "check", "--plan", str(plan_file), "--history", "{file}"]
    for content in HOSTILE_FILES[:4]:
        cases.append(Case(f"plan check: history {content[:12]!r}", check_argv, content))
    for n in range(count // 8):
        content = _byte_mutation(history_text.encode(), rng)
        for fmt in ("json", "csv"):
            cases.append(
                Case(f"plan check: history byte edit {n} {fmt}", [*check_argv, "--format", fmt],
                     content, suffix=".csv")
            )  # fmt: skip
    for option in ("--earlier-date", "--later-date", "--earlier-label"):
        for value in ("2024-02-30", "0000-01-01", "9999-12-31", "", "x" * 5000, "\x1b[2J"):
            wave_argv = ["waves", str(earlier), "{file}", *dated, option, value]
            cases.append(
                Case(f"waves {option} {value[:20]!r}", wave_argv, survey, suffix=".csv",
                     names=("--", "date", "label", "wave"))
            )  # fmt: skip
    return cases


GROUPS: dict[str, Callable[[random.Random], list[Case]]] = {
    "score json": score_json_cases,
    "score csv": score_csv_cases,
    "evidence": evidence_cases,
    "fit": fit_cases,
    "project": project_cases,
    "import": import_cases,
    "plan": plan_cases,
}


def group_cases(name: str) -> list[Case]:
    """The cases of one group, the same on every run (seeded by the group's name)."""
    return GROUPS[name](random.Random(f"{SEED}-{name}"))


@pytest.fixture(autouse=True)
def _isolated_store(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("READINESS_DATA_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("READINESS_DATABASE_URL", f"sqlite:///{tmp_path / 'default.db'}")


@pytest.mark.parametrize("group", list(GROUPS))
@pytest.mark.full  # runs the command line as processes
def test_no_case_crashes_and_every_error_is_one_named_line(group: str, tmp_path: Path) -> None:
    cases = group_cases(group)
    assert len(cases) >= 100
    failures = run_cases(cases, tmp_path)
    assert not failures, _report(failures, len(cases))


def test_hostile_file_names_give_one_line_per_problem(tmp_path: Path) -> None:
    cases = file_name_cases()
    failures = run_cases(cases, tmp_path)
    assert not failures, _report(failures, len(cases))


def test_a_hostile_database_is_one_named_line(tmp_path: Path) -> None:
    cases = store_cases(tmp_path)
    failures = run_cases(cases, tmp_path)
    assert not failures, _report(failures, len(cases))


@pytest.mark.parametrize("name", list(HOSTILE_CLASSES))
def test_every_hostile_class_is_one_named_line_or_works(name: str, tmp_path: Path) -> None:
    cases = class_cases(name, tmp_path)
    failures = run_cases(cases, tmp_path)
    assert not failures, _report(failures, len(cases))


def test_the_checks_catch_the_last_resort_line_not_only_tracebacks() -> None:
    case = Case("any", ["score", "{file}"])
    last_resort = Outcome(
        2,
        "",
        "error: unexpected error (reference 0badf00d, ValueError); please report it with the "
        "command that caused it\n",
    )
    assert "reached the last-resort handler" in check(case, last_resort, "x.json")
    named = Outcome(2, "", "error: x.json: row 3, field value: not a number\n")
    assert check(case, named, "x.json") == []


#: Commands given a named pipe where a file belongs: each must refuse it at once, not wait for a
#: writer. They run in one process (one start-up) whose alarm interrupts a blocked open().
PIPE_COMMANDS = [
    ["score", "{file}"],
    ["fit", "{file}"],
    ["assessments", "import", "{file}"],
    ["project", "--from", "{file}"],
    ["usage", "{file}", "--headcount", "100"],
    ["usage", str(USAGE / "events.csv"), "--roster", "{file}"],
]
PIPE_SECONDS = 10
PIPE_RUNNER = f"""
import contextlib, io, json, signal, sys
from readiness.cli import main

class Blocked(BaseException):  # past the command line's last resort
    pass

def alarm(*_):
    raise Blocked

signal.signal(signal.SIGALRM, alarm)
results = []
for argv in json.loads(sys.argv[1]):
    out, err = io.StringIO(), io.StringIO()
    signal.alarm({PIPE_SECONDS})
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(argv)
            except SystemExit as stop:
                code = stop.code if isinstance(stop.code, int) else 1
    except Blocked:
        code = None
    signal.alarm(0)
    results.append([code, out.getvalue(), err.getvalue()])
print(json.dumps(results))
"""


def test_a_named_pipe_as_a_file_is_refused_without_blocking(tmp_path: Path) -> None:
    pipe = tmp_path / "pipe.csv"
    os.mkfifo(pipe)
    env = {
        **os.environ,
        "READINESS_DATA_HOME": str(tmp_path),
        "READINESS_DATABASE_URL": f"sqlite:///{tmp_path / 'store.db'}",
    }
    argvs = [[a.replace("{file}", str(pipe)) for a in argv] for argv in PIPE_COMMANDS]
    done = subprocess.run(
        [sys.executable, "-c", PIPE_RUNNER, json.dumps(argvs)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60 + PIPE_SECONDS * len(argvs),
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    problems = []
    for argv, (code, out, err) in zip(PIPE_COMMANDS, json.loads(done.stdout), strict=True):
        label = " ".join(argv)
        if code is None:
            problems.append(f"{label}: still waiting on the pipe after {PIPE_SECONDS} s")
            continue
        found = check(Case(label, argv), Outcome(code, out, err), str(pipe))
        found += [] if code == 2 else [f"exit {code}"]
        problems += [f"{label}: {p} | {err.strip()[-200:]}" for p in found]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("1" + "0" * 400, "field answers.gr_projects: 100000000000...0000 (401 chars) is beyond"),
        ("9" * 5000, "field answers.gr_projects: 999999999999...9999 (5000 chars) is beyond"),
        ("1e309", "field answers.gr_projects: 1e309 is beyond the range of numbers"),
        ("-Infinity", "field answers.gr_projects: -Infinity is not a number in JSON"),
        ("[" * 40 + "]" * 40, "field answers.gr_projects: nested more than 32 levels"),
        ("[" * 100_000 + "]" * 100_000, "nested more than 32 levels"),
        ('"\\udc00"', "field answers.gr_projects: text holds an unpaired UTF-16 surrogate"),
    ],
)
@pytest.mark.parametrize("command", [["score"], ["assessments", "import"]])
def test_hostile_json_values_are_named_by_their_field(
    value: str, message: str, command: list[str], tmp_path: Path
) -> None:
    path = tmp_path / "a.json"
    text = json.dumps({"organization": "a", "answers": {"gr_projects": "X"}})
    path.write_text(text.replace('"X"', value), encoding="utf-8")
    outcome = run_in_process([*command, str(path)], {})
    assert outcome.code == 2
    assert outcome.out == ""
    assert outcome.err.startswith(f"error: {path}: {message}"), outcome.err
    assert outcome.err.count("\n") == 1


SUBPROCESS_CASES = [
    ("deep JSON", ["score", "{file}"], b"[" * 100_000 + b"]" * 100_000, ".json", 2),
    (
        "huge JSON integer",
        ["score", "{file}"],
        b'{"answers": {"gr_projects": ' + b"9" * 5000 + b"}}",
        ".json",
        2,
    ),
    ("BOM-only history", ["fit", "{file}"], b"\xef\xbb\xbf", ".csv", 2),
    (
        "0001-01-01 in a history",
        ["fit", "{file}"],
        HISTORY.replace("2001,", "0001-01-01,").encode(),
        ".csv",
        2,
    ),
    (
        "--years 1e308",
        [
            "project",
            "--model",
            "doubling",
            "--start-year",
            "2009",
            "--start-share",
            "0.2",
            "--years",
            "1e308",
        ],
        None,
        "",
        2,
    ),
    ("invalid UTF-8 import", ["assessments", "import", "{file}"], b"{\xff}", ".json", 2),
    (
        "valid project",
        [
            "project",
            "--model",
            "logistic",
            "--r",
            "0.5",
            "--start-year",
            "2009",
            "--start-share",
            "0.2",
            "--years",
            "3",
        ],
        None,
        "",
        0,
    ),
]


@pytest.mark.parametrize(
    ("label", "argv", "content", "suffix", "expected"),
    SUBPROCESS_CASES,
    ids=[c[0] for c in SUBPROCESS_CASES],
)
@pytest.mark.full  # runs the command line as processes
def test_the_installed_command_exits_cleanly(
    label: str, argv: list[str], content: bytes | None, suffix: str, expected: int, tmp_path: Path
) -> None:
    file = tmp_path / f"input{suffix}"
    if content is not None:
        file.write_bytes(content)
    env = {
        **os.environ,
        "READINESS_DATA_HOME": str(tmp_path),
        "READINESS_DATABASE_URL": f"sqlite:///{tmp_path / 'store.db'}",
    }
    done = subprocess.run(
        [str(READINESS), *(a.replace("{file}", str(file)) for a in argv)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    case = Case(label, argv, content, suffix, names=("{file}", "--years"), json_kind="project")
    problems = check(case, Outcome(done.returncode, done.stdout, done.stderr), str(file))
    assert not problems, (problems, done.stderr[-2000:])
    assert done.returncode == expected, done.stderr


def _is_crash(failure: Failure) -> bool:
    return any(
        p in ("traceback", "reached the last-resort handler") or p.startswith("exit code")
        for p in failure.problems
    )


if __name__ == "__main__":  # counts per group: python tests/test_fuzz_cli.py
    os.environ["READINESS_DATA_HOME"] = tempfile.mkdtemp()
    total_cases = total_failures = 0
    for name in [*GROUPS, "store", "file names", *HOSTILE_CLASSES]:
        started = time.perf_counter()
        with tempfile.TemporaryDirectory() as directory:
            os.environ["READINESS_DATABASE_URL"] = f"sqlite:///{directory}/default.db"
            if name == "store":
                cases = store_cases(Path(directory))
            elif name == "file names":
                cases = file_name_cases()
            elif name in HOSTILE_CLASSES:
                cases = class_cases(name, Path(directory))
            else:
                cases = group_cases(name)
            codes: collections.Counter[int] = collections.Counter()
            failures = run_cases(cases, Path(directory), codes)
        crashes = sum(1 for failure in failures if _is_crash(failure))
        total_cases += len(cases)
        total_failures += len(failures)
        seconds = time.perf_counter() - started
        print(
            f"{name:<12} {len(cases):>5} cases  {crashes:>4} crash  "
            f"{len(failures) - crashes:>4} other failures  {seconds:6.1f} s  exit codes "
            f"{dict(sorted(codes.items()))}"
        )
        for failure in failures[: int(os.environ.get("FUZZ_SHOW", "0"))]:
            print("   ", failure.summary())
    print(f"total        {total_cases:>5} cases  {total_failures:>4} failing")
