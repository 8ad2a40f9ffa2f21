"""The minimum group size (readiness.groups): the merge rule, and that no surface showing results
by group shows a group under the minimum or lets a small division be worked out by subtraction.

The invariant, for divisions of sizes ``S`` (every one at least 1) and a minimum ``m``, checked on
every output that lists groups with their sizes:

1. every group listed has at least ``m`` respondents (or people);
2. no division with fewer than ``m`` is listed under its own name;
3. the divisions not listed under their own name ("hidden") are none, or at least two, and
   "other divisions" is listed with exactly their total: so the whole organization minus the
   groups listed is never one division alone (no single small division by subtraction);
4. when nothing is listed by group, that is because everyone together is under ``m`` or every
   division would have to be merged (then "other divisions" would be the whole organization).

The organization-wide result is shown on everyone in every case. So a survey of one division
under the minimum shows that division's result as the organization's: unavoidable, and the only
case where one small division's figures are shown.
"""

from __future__ import annotations

import contextlib
import csv
import io
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from property_budget import examples

from readiness.charts import division_chart
from readiness.cli import main
from readiness.groups import OTHER_DIVISIONS, merge_small_groups, rule_text
from readiness.questionnaire import load_questionnaire
from readiness.report import render_survey_report
from readiness.rules import load_rulebook
from readiness.survey import SurveySummary, parse_respondents_csv, summarize_survey
from readiness.usage import ALL_STAFF, measure_files, read_roster
from readiness.views.compare import survey_candidates
from readiness.views.survey import division_frame, division_table

Q = load_questionnaire()
RULES = load_rulebook()
LIKERT = [i.id for i in Q.items if i.kind == "likert" and i.dimension][:6]
#: No name is a part of another, so a name found in a text is that division.
NAMES = ["Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot", "Golf", "Hotel"]
#: Each example renders a report and runs the command line three times: about 2 s.
PROPERTY = settings(
    max_examples=examples(20),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)

sizes_and_minimum = st.tuples(
    st.lists(st.integers(1, 12), min_size=1, max_size=6).map(
        lambda sizes: dict(zip(NAMES, sizes, strict=False))
    ),
    st.integers(1, 10),
)


def check_groups(sizes: Mapping[str, int], minimum: int, shown: Mapping[str, int]) -> None:
    """The invariant of the module docstring, for one output's groups and sizes."""
    total = sum(sizes.values())
    named = {name: n for name, n in shown.items() if name != OTHER_DIVISIONS}
    assert all(n >= minimum for n in shown.values()), shown  # 1
    assert all(sizes[name] >= minimum for name in named), shown  # 2
    assert all(named[name] == sizes[name] for name in named), shown
    hidden = [name for name in sizes if name not in named]
    if shown:
        if hidden:  # 3
            assert len(hidden) >= 2, (sizes, shown)
            assert shown.get(OTHER_DIVISIONS) == sum(sizes[name] for name in hidden)
        else:
            assert OTHER_DIVISIONS not in shown
    else:  # 4
        small = [name for name, n in sizes.items() if n < minimum]
        assert total < minimum or small, (sizes, shown)


# --- the rule -----------------------------------------------------------------------------------


def test_a_lone_small_division_is_merged_with_the_next_smallest() -> None:
    merge = merge_small_groups({"Operations": 6, "Marketing": 6, "Legal": 3}, 5)
    assert merge.groups == ("Operations", OTHER_DIVISIONS)
    assert merge.merged == ("Legal", "Marketing")  # ties broken by name
    assert merge.note() == (
        "2 divisions (1 with fewer than 5 respondents and the next smallest) merged into "
        "'other divisions'."
    )


def test_merged_divisions_still_under_the_minimum_take_in_the_next_smallest() -> None:
    merge = merge_small_groups({"A": 20, "B": 7, "C": 1, "D": 2}, 5)
    assert merge.merged == ("B", "C", "D")
    assert merge.groups == ("A", OTHER_DIVISIONS)


def test_several_small_divisions_reaching_the_minimum_together_are_merged_alone() -> None:
    merge = merge_small_groups({"A": 20, "B": 7, "C": 3, "D": 2}, 5)
    assert merge.merged == ("C", "D")
    assert (
        merge.note()
        == "2 divisions (2 with fewer than 5 respondents) merged into 'other divisions'."
    )


def test_no_small_division_means_nothing_merged_and_nothing_to_say() -> None:
    merge = merge_small_groups({"A": 5, "B": 9}, 5)
    assert (merge.groups, merge.merged, merge.note()) == (("A", "B"), (), None)


def test_everyone_under_the_minimum_shows_no_group_and_says_why() -> None:
    merge = merge_small_groups({"A": 2, "B": 2}, 5)
    assert merge.whole_only
    assert merge.groups == ()
    assert merge.note() == (
        "Fewer than 5 respondents in all: no results by division (for anonymity), only the "
        "whole organization's."
    )


def test_when_every_division_would_be_merged_no_group_is_shown() -> None:
    merge = merge_small_groups({"A": 10, "B": 3}, 5)
    assert merge.groups == ()
    assert merge.group_of("A") is None
    assert (merge.note() or "").startswith("1 of 2 divisions has fewer than 5 respondents")


def test_a_division_called_other_divisions_is_told_apart_from_the_merged_group() -> None:
    merge = merge_small_groups({"Other divisions": 8, "A": 2, "B": 3, "C": 9}, 5)
    assert merge.groups == ("Other divisions (division)", "C", OTHER_DIVISIONS)


def test_the_rule_in_words_says_why() -> None:
    text = rule_text(7, "people")
    assert "fewer than 7 people" in text
    assert "anonymity" in text
    assert "subtracting" in text


@given(case=sizes_and_minimum)
@settings(max_examples=examples(400), deadline=None)
def test_the_merge_never_shows_a_small_group_nor_one_recoverable_by_subtraction(
    case: tuple[dict[str, int], int],
) -> None:
    sizes, minimum = case
    merge = merge_small_groups(sizes, minimum)
    shown = {merge.labels[name]: sizes[name] for name in merge.shown}
    if merge.merged:
        shown[OTHER_DIVISIONS] = sum(sizes[name] for name in merge.merged)
    check_groups(sizes, minimum, shown)
    # Nothing merged that need not be: without small divisions every one is shown.
    if all(n >= minimum for n in sizes.values()):
        assert merge.groups == tuple(sizes)


# --- every surface ------------------------------------------------------------------------------


def survey_csv(sizes: Mapping[str, int]) -> str:
    """Respondents answering the same six questions; answers vary within each division."""
    lines = ["division," + ",".join(LIKERT)]
    for k, (name, size) in enumerate(sizes.items()):
        lines += [f"{name}," + ",".join([str(1 + (k + j) % 5)] * len(LIKERT)) for j in range(size)]
    return "\n".join(lines) + "\n"


def survey(sizes: Mapping[str, int], minimum: int) -> SurveySummary:
    table = parse_respondents_csv(Q, survey_csv(sizes), "survey.csv")
    return summarize_survey(Q, RULES, table, "survey.csv", minimum)


def cli_score(path: Path, fmt: str) -> str:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        assert main(["score", str(path), "--format", fmt]) == 0, err.getvalue()
    return out.getvalue()


def cli_groups(path: Path) -> dict[str, dict[str, int]]:
    """The groups and sizes of ``readiness score`` in each format (everyone left out)."""
    data = __import__("json").loads(cli_score(path, "json"))
    rows = list(csv.DictReader(io.StringIO(cli_score(path, "csv"))))
    table = cli_score(path, "table").splitlines()
    width = table[0].index("respondents")
    return {
        "json": {k: v["respondents"] for k, v in data["divisions"].items()},
        "csv": {r["group"]: int(r["respondents"]) for r in rows[1:]},
        "table": {line[:width].strip(): int(line[width:].split()[0]) for line in table[2:]},
    }


def report_groups(html: str) -> dict[str, int]:
    """The groups of the report's section by division (its table: name, then respondents)."""
    section = html.split("<h2>By division</h2>", 1)[1].split("<h2>", 1)[0]
    rows = re.findall(r"<tr><td>([^<]*)</td><td class='num'>(\d+)</td>", section)
    return {name: int(n) for name, n in rows}


@PROPERTY
@given(case=sizes_and_minimum)
def test_no_survey_surface_shows_a_small_group(
    case: tuple[dict[str, int], int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sizes, minimum = case
    summary = survey(sizes, minimum)
    assert summary.overall is not None
    assert summary.overall.respondents == sum(sizes.values())  # everyone, always
    outputs: dict[str, dict[str, int]] = {
        "summary": {name: g.respondents for name, g in summary.divisions.items()}
    }
    frame = division_frame(summary.divisions)
    if not frame.empty:
        outputs["frame"] = dict(zip(frame["division"], frame["respondents"], strict=True))
        table = division_table(summary.divisions)
        outputs["table"] = dict(zip(table["Division"], table["Respondents"], strict=True))
        chart = division_chart(frame).to_dict()
        values = next(iter(chart["datasets"].values()))
        outputs["chart"] = {v["division"]: v["respondents"] for v in values}
    outputs["compare"] = {
        re.sub(r"^Survey: (.*) \(\d+ respondents\)$", r"\1", label): int(
            re.sub(r".*\((\d+) respondents\)$", r"\1", label)
        )
        for label in survey_candidates(summary)
    }
    html = render_survey_report(summary)
    outputs["report"] = report_groups(html)
    path = tmp_path / "survey.csv"
    path.write_text(survey_csv(sizes), encoding="utf-8")
    monkeypatch.setenv("READINESS_MIN_GROUP_SIZE", str(minimum))
    outputs.update(cli_groups(path))
    for where, shown in outputs.items():
        try:
            check_groups(sizes, minimum, shown)
        except AssertionError as error:
            raise AssertionError(f"{where}: {shown} from {sizes}, minimum {minimum}") from error
    first = outputs["summary"]
    assert all(shown == first for shown in outputs.values()), outputs  # all say the same
    for name, size in sizes.items():  # a small division's name is nowhere in the report
        if size < minimum:
            assert name not in html


def usage_files(sizes: Mapping[str, int]) -> tuple[bytes, bytes]:
    """A roster with ``sizes`` people per division and a log where everyone posts in two months."""
    people = [(f"{name.lower()}{k}", name) for name, size in sizes.items() for k in range(size)]
    roster = "user,division\n" + "".join(f"{user},{division}\n" for user, division in people)
    log = "user,timestamp,action\n" + "".join(
        f"{user},2025-{month:02d}-10 12:00:00,post\n" for user, _ in people for month in (1, 2)
    )
    return roster.encode(), log.encode()


@PROPERTY
@given(case=sizes_and_minimum)
def test_measured_adoption_shows_no_small_group(case: tuple[dict[str, int], int]) -> None:
    sizes, minimum = case
    roster, log = usage_files(sizes)
    measured = measure_files(
        [(log, "log.csv")], roster=read_roster(roster, "roster.csv"), min_group=minimum
    )
    series: pd.DataFrame = measured.series
    for _, month in series.groupby("month"):
        shown = {
            str(g): int(n)
            for g, n in zip(month["group"], month["roster"], strict=True)
            if g != ALL_STAFF
        }
        check_groups(sizes, minimum, shown)
        everyone: Any = month.loc[month["group"] == ALL_STAFF, "roster"]
        assert list(everyone) == [sum(sizes.values())]
    if sum(sizes.values()) < minimum:
        assert series.empty


def test_readiness_usage_takes_its_minimum_from_the_setting_and_may_only_raise_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    roster, log = usage_files({"Alpha": 6, "Bravo": 6, "Charlie": 3})
    (tmp_path / "roster.csv").write_bytes(roster)
    (tmp_path / "log.csv").write_bytes(log)
    argv = ["usage", str(tmp_path / "log.csv"), "--roster", str(tmp_path / "roster.csv")]

    def groups(*extra: str) -> set[str]:
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            assert main([*argv, "--format", "csv", *extra]) == 0
        return {row["group"] for row in csv.DictReader(io.StringIO(out.getvalue()))}

    assert groups() == {ALL_STAFF, "Bravo", OTHER_DIVISIONS}  # Charlie with Alpha (by name)
    assert groups("--min-group", "7") == {ALL_STAFF}
    monkeypatch.setenv("READINESS_MIN_GROUP_SIZE", "3")
    assert groups() == {ALL_STAFF, "Alpha", "Bravo", "Charlie"}
    monkeypatch.setenv("READINESS_MIN_GROUP_SIZE", "6")
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        assert main([*argv, "--min-group", "4"]) == 2
    assert "--min-group must be between 6 (READINESS_MIN_GROUP_SIZE) and 1000 (got 4)" in (
        err.getvalue()
    )
