"""The HTML report: every section, user text escaped, and nothing fetched from the network."""

from __future__ import annotations

import re
import struct
from collections.abc import Callable
from html import escape as html_escape
from html.parser import HTMLParser

import altair as alt
import pandas as pd
import pytest

from readiness.assessment import Assessment
from readiness.chart_render import ChartRenderError, chart_png, chart_svg
from readiness.charts import dimension_chart, scenario_color
from readiness.organization import projection_for
from readiness.questionnaire import load_questionnaire
from readiness.report import render_report, render_survey_report, report_for
from readiness.rules import load_rulebook
from readiness.scoring import score_assessment
from readiness.store import Store
from readiness.story import lever_sentence, month_year
from readiness.survey import SurveySummary, parse_respondents_csv, summarize_survey

HOSTILE = "<img src=x onerror=alert(1)>"


def _report(assessment: Assessment) -> str:
    scores = score_assessment(load_questionnaire(), load_rulebook(), assessment.answers)
    return render_report(assessment, scores)


def test_the_report_shows_every_section_for_management(
    make_assessment: Callable[..., Assessment],
) -> None:
    assessment = make_assessment()
    scores = score_assessment(load_questionnaire(), load_rulebook(), assessment.answers)
    html = render_report(assessment, scores)
    for heading in (
        "Overall score and stage",
        "Dimension scores",
        "Biggest lever",
        "Recommendations",
        "Growth projection",
    ):
        assert f"<h2>{heading}</h2>" in html
    assert scores.overall is not None
    assert scores.stage is not None
    assert f"{round(scores.overall, 2):g}</span> of 100" in html
    assert f"Stage {scores.stage.level}" in html
    for dimension in scores.dimensions:
        assert dimension.name in html
    for recommendation in scores.recommendations:
        assert recommendation.title.replace("'", "&#x27;") in html
    assert html.count("<svg") >= 2


def test_user_text_is_escaped_so_it_cannot_run_in_the_report(
    make_assessment: Callable[..., Assessment],
) -> None:
    html = _report(make_assessment(organization=HOSTILE, division="<script>alert(2)</script>"))
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert HOSTILE not in html
    assert "<script" not in html.lower()
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in html


def test_the_report_opens_offline_without_any_network_resource(
    make_assessment: Callable[..., Assessment],
) -> None:
    html = _report(make_assessment())
    assert not re.search(r"https?://", html)
    assert not re.search(r"<(script|link|img|iframe)\b", html, re.IGNORECASE)
    assert "@import" not in html


def test_the_growth_projection_is_the_organizations_and_lists_every_year(
    make_assessment: Callable[..., Assessment],
) -> None:
    assessment = make_assessment(gr_active_share=12.0)
    scores = score_assessment(load_questionnaire(), load_rulebook(), assessment.answers)
    projection = projection_for(scores, assessment.answers, assessment.assessed_on)
    html = render_report(assessment, scores)
    start = month_year(projection.start_year)
    assert f"<tr><td>{start}</td><td class='num'>12%</td></tr>" in html
    assert html.count("<td class='num'>") >= 11
    # the same milestones and lever sentence as Results and Growth (one projection)
    for value in projection.milestone_frame().iloc[0]:
        assert f"<td>{value}</td>" in html
    names = {d.id: d.name for d in scores.dimensions}
    assert lever_sentence(projection, names).replace("'", "&#x27;") in html


def test_a_report_without_an_overall_score_says_why(
    make_assessment: Callable[..., Assessment],
) -> None:
    assessment = make_assessment()
    empty = assessment.model_copy(update={"answers": dict.fromkeys(assessment.answers)})
    html = _report(empty)
    assert "No overall score" in html
    assert "no score (insufficient data)" in html
    assert "no answer to the active-share question" in html


def test_a_stored_assessment_reports_with_its_history(
    store: Store, make_assessment: Callable[..., Assessment]
) -> None:
    for seed, day in enumerate(("2025-06-30", "2026-03-31")):
        store.save_assessment(make_assessment(seed=seed, assessed_on=day), f"s{seed}")
    [latest, _older] = store.list_assessments()
    html = report_for(store.get_assessment(latest.id), history=store.history("Acme Ltd"))
    assert "<h2>History</h2>" in html
    assert "2025-06-30" in html


class _Tags(HTMLParser):
    """Every tag, attribute value and piece of text of a document."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.attributes: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.attributes.extend(value or "" for _, value in attrs)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


MARKDOWN_AND_HTML = [
    "![x](http://127.0.0.1:9/img.png)",
    "[click](http://127.0.0.1:9/a)",
    "<img src=http://127.0.0.1:9/x>",
    "http://127.0.0.1:9/bare",
    '"><svg onload=alert(1)><a href="http://127.0.0.1:9/q">',
]


@pytest.mark.parametrize("name", MARKDOWN_AND_HTML)
def test_hostile_names_reach_the_report_only_as_text(
    store: Store, make_assessment: Callable[..., Assessment], name: str
) -> None:
    for seed, day in enumerate(("2025-06-30", "2026-03-31")):
        assessment = make_assessment(organization=name, division=name, seed=seed, assessed_on=day)
        store.save_assessment(assessment, f"s{seed}")
    latest = store.list_assessments()[0]
    document = report_for(store.get_assessment(latest.id), history=store.history(name, name))
    parsed = _Tags()
    parsed.feed(document)

    allowed = {"html", "head", "meta", "title", "style", "body", "h1", "h2", "h3", "p", "span"}
    allowed |= {"strong", "br", "ol", "ul", "li", "table", "thead", "tbody", "tr", "th", "td"}
    allowed |= {"svg", "title", "g", "path", "line", "text", "rect"}  # the charts' drawing
    assert parsed.tags <= allowed
    assert not any("127.0.0.1" in value for value in parsed.attributes)
    assert sum(name in text for text in parsed.text) >= 3  # header, title, history table
    assert "default-src 'none'" in document


def test_the_report_forbids_every_fetch_and_script_by_its_content_security_policy(
    make_assessment: Callable[..., Assessment],
) -> None:
    policy = re.search(
        r'http-equiv="Content-Security-Policy" content="([^"]+)"', _report(make_assessment())
    )
    assert policy is not None
    directives = dict(d.strip().split(" ", 1) for d in policy.group(1).split(";"))
    assert directives["default-src"] == "'none'"
    assert not {"script-src", "img-src", "connect-src"} & set(directives)


def _svgs(document: str) -> list[str]:
    return re.findall(r"<svg\b.*?</svg>", document, re.DOTALL)


def test_the_reports_charts_are_the_dashboards_drawn_offline(
    store: Store, make_assessment: Callable[..., Assessment]
) -> None:
    for seed, day in enumerate(("2025-06-30", "2026-03-31")):
        store.save_assessment(make_assessment(seed=seed, assessed_on=day), f"s{seed}")
    latest = store.get_assessment(store.list_assessments()[0].id)
    dimensions, growth, history = _svgs(report_for(latest, history=store.history("Acme Ltd")))
    scores = latest.scores
    # the dimension chart of Results: every dimension, the weakest in red, the stage bands
    for dimension in scores.dimensions:
        assert f">{dimension.name}</text>" in dimensions
    assert 'fill="#c0392b"' in dimensions
    for stage in load_rulebook().stages:
        assert f"{stage.level} {stage.name}" in dimensions
    # Growth's organization chart: the organization's curve in its colour, the material change
    assert f'stroke="{scenario_color("From your readiness")}"' in growth
    assert "Organization level" in growth
    assert 'stroke-dasharray="6,4"' in growth
    # the trend chart: overall and each dimension
    assert ">Overall</text>" in history
    assert ">Trend over repeated assessments</text>" in history
    for drawing in (dimensions, growth, history):
        assert drawing.startswith('<svg role="img" width="')
        assert "xmlns" not in drawing
        assert "aria-label=" in drawing  # one accessible name: the chart's description


def test_a_chart_that_would_fetch_something_is_refused() -> None:
    linked = (
        alt.Chart(pd.DataFrame({"x": [1]}))
        .mark_point()
        .encode(x="x:Q", href=alt.value("http://127.0.0.1:9/x"))
    )
    with pytest.raises(ChartRenderError, match="outside itself"):
        chart_svg(linked)


def test_a_chart_renders_as_png_for_download(make_assessment: Callable[..., Assessment]) -> None:
    scores = score_assessment(load_questionnaire(), load_rulebook(), make_assessment().answers)
    image = chart_png(dimension_chart(scores, load_rulebook().stages))
    assert image.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = struct.unpack(">II", image[16:24])
    assert width > 600  # scale 2
    assert height > 300


# --- a survey's report --------------------------------------------------------------------------

SURVEY_ITEMS = [i.id for i in load_questionnaire().items if i.kind == "likert" and i.dimension]


def _survey(rows: list[tuple[str, int]], name: str = "survey.csv") -> SurveySummary:
    lines = ["division," + ",".join(SURVEY_ITEMS)]
    lines += [
        f'"{division}",' + ",".join([str(level)] * len(SURVEY_ITEMS)) for division, level in rows
    ]
    questionnaire = load_questionnaire()
    table = parse_respondents_csv(questionnaire, "\n".join(lines) + "\n", name)
    return summarize_survey(questionnaire, load_rulebook(), table, name, 5)


def test_a_survey_report_has_everyones_scores_and_the_merged_groups_with_the_reason() -> None:
    rows = [("Operations", 4)] * 6 + [("Marketing", 5)] * 6 + [("Legal", 1)] * 3
    html = render_survey_report(_survey(rows))
    assert "15 respondents scored" in html
    assert "<h2>Overall score and stage</h2>" in html
    assert "<tr><td>Operations</td><td class='num'>6</td>" in html
    assert "<tr><td>other divisions</td><td class='num'>9</td>" in html
    assert "Legal" not in html
    assert "Marketing" not in html
    assert "fewer than 5 respondents are merged into &#x27;other divisions&#x27;" in html
    assert "anonymity" in html
    assert html.count("<svg") == 2  # dimensions, and overall by group
    assert not re.search(r"<(script|link|img|iframe)\b", html, re.IGNORECASE)


def test_a_survey_under_the_minimum_reports_only_the_whole_organization_and_says_why() -> None:
    html = render_survey_report(_survey([("Sales", 4), ("Sales", 5), ("IT", 2)]))
    assert "3 respondents scored" in html
    assert "Fewer than 5 respondents in all: no results by division" in html
    for name in ("Sales", "IT"):
        assert f"<td>{name}</td>" not in html


def test_user_text_in_a_survey_report_is_escaped() -> None:
    rows = [(HOSTILE, 4)] * 5 + [("<script>x</script>", 2)] * 5
    html = render_survey_report(_survey(rows, name="<b>survey</b>.csv"))
    assert HOSTILE not in html
    assert "<script" not in html.lower()
    assert "&lt;b&gt;survey&lt;/b&gt;.csv" in html


def test_a_survey_report_says_what_the_scales_and_division_means_are_worth() -> None:
    from survey_fixtures import survey_csv

    from readiness.evidence.survey_evidence import TABLE_COLUMNS, survey_evidence

    questionnaire = load_questionnaire()
    data = survey_csv({"Sales": 40, "IT": 30, "Operations": 20, "Legal": 3}, noise=["to_reach"])
    table = parse_respondents_csv(questionnaire, data.decode(), "survey.csv")
    summary = summarize_survey(questionnaire, load_rulebook(), table, "survey.csv", 5)
    evidence = survey_evidence(questionnaire, table, "survey.csv", 5)
    html = render_survey_report(summary, evidence=evidence)
    section = html[html.index("<h2>Scale quality and agreement</h2>") :]
    for sentence in [*evidence.quality_sentences, *evidence.comparison_sentences]:
        assert f"<li>{html_escape(sentence)}</li>" in section
    assert "pairwise, as R&#x27;s psych::alpha" in section
    for column in TABLE_COLUMNS:
        assert f">{html_escape(column)}</th>" in section
    assert "<td>other divisions</td>" in section
    assert "Legal" not in html
    assert "Operations" not in html
    charts = _svgs(section)
    assert len(charts) == 3  # one item-rest chart per dimension
    assert "Reachable where we work" in charts[2]
    assert "Tooling: item-rest correlations" in charts[2]
    assert not re.search(r"<(script|link|img|iframe)\b", html, re.IGNORECASE)
    assert "Scale quality" not in render_survey_report(summary)  # none without the evidence


def test_the_report_uses_and_names_the_mapping_the_assessment_keeps(
    make_assessment: Callable[..., Assessment],
) -> None:
    from mapping_fixtures import calibrated_choice, scored_answers

    from readiness.evidence.choice import mapping_in_use
    from readiness.story import mapping_sentence

    base = make_assessment().model_copy(update={"answers": scored_answers()})
    levers = []
    for use in ("assumed", "calibrated"):
        assessment = base.model_copy(update={"mapping_choice": calibrated_choice(use)})
        mapping, _ = mapping_in_use(assessment.mapping_choice)
        scores = score_assessment(
            load_questionnaire(), load_rulebook(), assessment.answers, mapping=mapping
        )
        html = render_report(assessment, scores)
        projection = projection_for(
            scores,
            assessment.answers,
            assessment.assessed_on,
            mapping_choice=assessment.mapping_choice,
        )
        assert html_escape(mapping_sentence(projection)) in html
        lever = {d.id: d.name for d in scores.dimensions}[projection.steps[0].dimension]
        assert f"<h2>Biggest lever</h2><p><strong>{lever}</strong>" in html
        levers.append(lever)
    assert levers[0] != levers[1]
