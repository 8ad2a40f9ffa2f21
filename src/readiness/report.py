"""A report for management: one self-contained HTML file that opens offline, charts included.

The charts are the dashboard's own (:mod:`readiness.charts`), rendered to inline SVG by
:mod:`readiness.chart_render` (no JavaScript, no fonts, images or styles from the network), so
the file shows the same on a laptop without a connection or as an e-mail attachment. Every piece
of user text (organization, division, answers) is escaped with :func:`html.escape`, and the
document's Content-Security-Policy forbids scripts and every fetch, so even a missed escape could
not make a browser load anything.

Sections: overall score (0-100) and stage, dimension scores (0-100) with their weights, the
weakest link, recommendations with the reasons they were given, the growth projection (share
0-1 of the organization's people using the tools, shown as percent, by calendar year), with a
plan its projected effect (:mod:`readiness.plan.effect`: the actions, the sentence, the
milestones with and without it) and, when given, the score history.

A survey's report (:func:`render_survey_report`) has everyone's scores and the results by group
of divisions as the survey page shows them: small divisions merged (:mod:`readiness.groups`),
and the scales' quality and agreement in the words of :mod:`readiness.evidence.survey_evidence`.
"""

from __future__ import annotations

import datetime as dt
import html
import math

import altair as alt
import pandas as pd

from readiness.assessment import Assessment
from readiness.chart_render import chart_svg
from readiness.charts import (
    adoption_chart,
    dimension_chart,
    division_chart,
    item_rest_charts,
    trend_chart,
)
from readiness.evidence.survey_evidence import TABLE_COLUMNS, SurveyEvidence
from readiness.organization import (
    FittedHistory,
    OrganizationProjection,
    projection_for,
)
from readiness.plan.charts import plan_chart
from readiness.plan.effect import PLAN_SHARE, PlanEffect, plan_effect_for
from readiness.plan.model import Plan
from readiness.projection import curves_frame, evaluate
from readiness.rules import load_rulebook
from readiness.scoring import Scores, index_text
from readiness.store import StoredAssessment
from readiness.story import (
    lever_sentence,
    mapping_sentence,
    month_year,
    organization_answer,
    shock_change_text,
)
from readiness.survey import SurveySummary, division_frame

#: Years of the organization's projection drawn and tabulated in the report.
PROJECTION_HORIZON_YEARS = 10.0
#: Width of a chart's plot area in pixels (the page is 46rem wide; SVG scales down to fit).
CHART_WIDTH = 520


# --- charts -------------------------------------------------------------------------------------


def _text(value: object) -> str:
    return html.escape(str(value), quote=True)


def _score_text(value: float | None) -> str:
    return "no score" if value is None or math.isnan(value) else f"{value:.0f}"


def _missing(value: float | None) -> bool:
    return value is None or math.isnan(value)


# --- the page -----------------------------------------------------------------------------------

_STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2rem auto;
       max-width: 46rem; color: #222; line-height: 1.45; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin-bottom: 0.2rem; }
h2 { font-size: 1.2rem; margin-top: 2rem; border-bottom: 1px solid #ddd; }
.muted { color: #666; }
.big { font-size: 2.4rem; font-weight: 600; }
table { border-collapse: collapse; width: 100%; font-size: 0.92rem; }
th, td { text-align: left; padding: 0.25rem 0.5rem; border-bottom: 1px solid #eee; }
td.num, th.num { text-align: right; }
.recommendation { margin-bottom: 1rem; }
table.figures { font-size: 0.8rem; }
table.figures th, table.figures td { padding: 0.2rem 0.3rem; }
svg { max-width: 100%; height: auto; overflow: visible; }
@media print { h2 { break-after: avoid; } svg { break-inside: avoid; } }
"""


#: Inline styles and inline SVG only: no script, no image, font, frame or connection anywhere.
CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; form-action 'none'"


def _pct(share: float) -> str:
    return f"{100 * share:.0f}%"


def _header(assessment: Assessment, generated_at: dt.datetime) -> str:
    profile = assessment.profile
    who = _text(profile.organization)
    if profile.division:
        who += f" &middot; {_text(profile.division)}"
    details = [f"assessed on {assessment.assessed_on.isoformat()}"]
    if profile.sector:
        details.append(f"{_text(profile.sector)} sector")
    if profile.size:
        details.append(f"{_text(profile.size)} employees")
    details.append(f"questionnaire {_text(assessment.questionnaire_version)}")
    return (
        f"<h1>Enterprise 2.0 readiness: {who}</h1>"
        f'<p class="muted">{", ".join(details)}; report generated '
        f"{generated_at.strftime('%Y-%m-%d %H:%M')} UTC</p>"
    )


def _overall(scores: Scores) -> str:
    stage = scores.stage
    if scores.overall is None:
        overall = (
            "<p>No overall score: at least one dimension has too few answers "
            "(fewer than half of its questions).</p>"
        )
    else:
        overall = f'<p><span class="big">{index_text(scores.overall)}</span> of 100</p>'
    stage_text = (
        f"<p><strong>Stage {stage.level}: {_text(stage.name)}</strong>"
        f"{'. ' + _text(stage.description) if stage.description else ''}</p>"
        if stage
        else "<p>No stage without an overall score.</p>"
    )
    model = ""
    if scores.org_model is None and scores.org_model_reason:
        model = f"<p>Organization model: {_text(scores.org_model_reason)}</p>"
    if scores.org_model:
        reason = f" ({_text(scores.org_model_reason)})" if scores.org_model_reason else ""
        known = load_rulebook().org_model(scores.org_model)
        name = known.name if known else scores.org_model
        model = f"<p>Organization model: <strong>{_text(name)}</strong>{reason}</p>"
    return f"<h2>Overall score and stage</h2>{overall}{stage_text}{model}"


def _dimensions(scores: Scores) -> str:
    chart = dimension_chart(scores, load_rulebook().stages).properties(width=CHART_WIDTH)
    unscored = "".join(
        f"<li>{_text(d.name)}: no score (insufficient data)</li>"
        for d in scores.dimensions
        if _missing(d.score)
    )
    total_weight = sum(d.weight for d in scores.dimensions) or 1.0
    table_rows = "".join(
        f"<tr><td>{_text(d.name)}</td><td class='num'>{_score_text(d.score)}</td>"
        f"<td class='num'>{d.weight:g} ({100 * d.weight / total_weight:.0f}%)</td>"
        f"<td class='num'>{d.answered} of {d.items}</td></tr>"
        for d in scores.dimensions
    )
    return (
        "<h2>Dimension scores</h2>"
        + chart_svg(chart)
        + (f"<ul class='muted'>{unscored}</ul>" if unscored else "")
        + "<table><thead><tr><th>Dimension</th><th class='num'>Score (0-100)</th>"
        "<th class='num'>Weight (share of overall)</th><th class='num'>Questions answered</th>"
        f"</tr></thead><tbody>{table_rows}</tbody></table>"
    )


def _lever(projection: OrganizationProjection, names: dict[str, str]) -> str:
    """The biggest lever and, when it scores below the threshold, the barrier: the same model
    as the projection, so the report says what Results and Growth say."""
    if not projection.steps:
        return "<h2>Biggest lever</h2><p>No dimension has a score yet.</p>"
    top = projection.steps[0]
    barrier = (
        " It is low enough to hold back adoption as a whole: address it first."
        if projection.barrier is not None
        else ""
    )
    return (
        f"<h2>Biggest lever</h2><p><strong>{_text(names.get(top.dimension, top.dimension))}"
        f"</strong> scores {_score_text(top.score)} of 100.{barrier} "
        f"{_text(lever_sentence(projection, names))}</p>"
        f"<p class='mapping'>{_text(mapping_sentence(projection))}</p>"
    )


def _recommendations(scores: Scores) -> str:
    if not scores.recommendations:
        return "<h2>Recommendations</h2><p>No recommendation applies to these answers.</p>"
    items = "".join(
        f"<li class='recommendation'><strong>{_text(r.title)}</strong><br>{_text(r.advice)}"
        f"<br><span class='muted'>Why: {_text(r.reason)}"
        f"{'; source: ' + _text(r.source) if r.source else ''}</span></li>"
        for r in scores.recommendations
    )
    return f"<h2>Recommendations</h2><ol>{items}</ol>"


def _projection(projection: OrganizationProjection, names: dict[str, str]) -> str:
    """The organization's projection, as every surface shows and words it
    (:mod:`readiness.organization`, :mod:`readiness.story`)."""
    scenario = projection.scenario
    years = [projection.start_year + k for k in range(int(PROJECTION_HORIZON_YEARS) + 1)]
    shares = [float(v) for v in evaluate([scenario], years).shares[0]]
    chart = chart_svg(_projection_chart(projection))
    rows = "".join(
        f"<tr><td>{_text(month_year(year))}</td><td class='num'>{_pct(share)}</td></tr>"
        for year, share in zip(years, shares, strict=True)
    )
    frame = projection.milestone_frame()
    milestone_head = "".join(f"<th>{_text(c)}</th>" for c in frame.columns)
    milestone_rows = "".join(
        "<tr>" + "".join(f"<td>{_text(v)}</td>" for v in row) + "</tr>"
        for row in frame.itertuples(index=False)
    )
    levers = "".join(
        f"<tr><td>{_text(names.get(step.dimension, step.dimension))}</td>"
        f"<td class='num'>{step.score:.0f} to {step.raised_score:.0f}</td>"
        f"<td class='num'>{_months(step.months_earlier)}</td></tr>"
        for step in projection.steps
    )
    notes = "".join(f"<li>{_text(note)}</li>" for note in projection.notes)
    return (
        "<h2>Growth projection</h2>"
        f"<p>{_text(organization_answer(projection, names))}</p>"
        "<p>Share of the organization's people actively using the tools: a Bass curve with "
        f"p = {scenario.p or 0:.3f}, q = {scenario.q or 0:.2f} per year and a ceiling of "
        f"{_pct(scenario.ceiling)} (dashed). An assumption to discuss, not a forecast.</p>"
        + chart
        + (f"<ul class='muted'>{notes}</ul>" if notes else "")
        + f"<h3>Milestones</h3><table><thead><tr>{milestone_head}</tr></thead>"
        f"<tbody>{milestone_rows}</tbody></table>"
        + "<h3>What moves it most</h3><table><thead><tr><th>Dimension</th>"
        "<th class='num'>Raised (points)</th><th class='num'>Material change earlier by</th>"
        f"</tr></thead><tbody>{levers}</tbody></table>"
        + "<table><thead><tr><th>Year</th><th class='num'>Projected share</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>"
    )


def _projection_chart(projection: OrganizationProjection) -> alt.LayerChart:
    """The dashboard's adoption chart at the organization level: the organization's curve in the
    colour of Growth's "from your readiness" (and a fitted own history, as Growth draws it), over
    the report's horizon, with the material change as a dashed line."""
    end = projection.start_year + PROJECTION_HORIZON_YEARS
    curves = curves_frame([projection.scenario])
    fitted = projection.fitted
    if fitted is not None:
        own = pd.DataFrame(
            {"scenario": fitted.label, "year": fitted.curve["year"], "share": fitted.curve["fit"]}
        )
        curves = pd.concat([curves, own], ignore_index=True)
    chart = adoption_chart(
        curves[curves["year"] <= end + 1e-9],
        "organization",
        band=fitted.curve if fitted is not None else None,
        observed=fitted.observed if fitted is not None else None,
        threshold=projection.material_change,
    )
    return chart.properties(width=CHART_WIDTH - 80)


def _months(months: float | None) -> str:
    return "not reached either way" if months is None else f"{months:.0f} months"


def _plan(effect: PlanEffect) -> str:
    """The plan's projected effect, as every surface words it: the sentence, the chart, the
    actions (what each changes, assumed or measured, and what it alone brings) and the
    milestones with and without the plan."""
    alone = dict(effect.contributions)
    reached = effect.rows[0].reached[PLAN_SHARE] is not None
    actions = "".join(
        f"<tr><td>{_text(shock.kind.label)}</td><td>{shock.action.start.isoformat()}</td>"
        f"<td>{shock.action.end.isoformat() if shock.action.end else 'no end'}</td>"
        f"<td>{_text(shock.action.scope_text)}</td>"
        f"<td>{_text(shock_change_text(shock, effect.plan.measured.get(shock.kind.id)))}</td>"
        f"<td class='num'>{_text(_months_alone(alone.get(shock.label), reached))}</td></tr>"
        for shock in effect.shocks
    )
    frame = effect.milestone_frame()
    milestone_head = "".join(f"<th>{_text(c)}</th>" for c in frame.columns)
    milestone_rows = "".join(
        "<tr>" + "".join(f"<td>{_text(v)}</td>" for v in row) + "</tr>"
        for row in frame.itertuples(index=False)
    )
    notes = "".join(f"<li>{_text(note)}</li>" for note in effect.notes)
    return (
        "<h2>Plan</h2>"
        f"<p class='plan-sentence'>{_text(effect.sentence)}</p>"
        "<p>The organization's projection with the plan's dated actions: each raises its"
        " kind's dimension for the people in scope (data/actions.yaml), the lever mapping in use"
        " turns that into faster growth, unless a measured effect replaces the assumption."
        " An assumption to discuss, not a forecast.</p>"
        + chart_svg(plan_chart(effect).properties(width=CHART_WIDTH - 80))
        + (f"<ul class='muted'>{notes}</ul>" if notes else "")
        + "<table><thead><tr><th>Action</th><th>Start</th><th>End</th><th>Scope</th>"
        "<th>Change (assumed or measured)</th>"
        f"<th class='num'>{PLAN_SHARE:.0%} earlier, alone</th></tr></thead>"
        f"<tbody>{actions}</tbody></table>"
        + f"<h3>Milestones with and without the plan</h3><table><thead><tr>{milestone_head}"
        f"</tr></thead><tbody>{milestone_rows}</tbody></table>"
    )


def _months_alone(months: float | None, reached_without: bool) -> str:
    if months is not None:
        return f"{months:.0f} months"
    return "not reached alone" if reached_without else "not reached without the plan"


def _history(history: pd.DataFrame | None, names: dict[str, str]) -> str:
    if history is None or history.empty or "overall" not in history:
        return ""
    frame = history.dropna(subset=["overall"])
    if frame.empty:
        return ""
    dates = [pd.Timestamp(d).date() for d in frame["assessed_on"]]
    chart = trend_chart(frame, names).properties(width=CHART_WIDTH - 120)
    rows = "".join(
        f"<tr><td>{d.isoformat()}</td><td>{_text(div) if isinstance(div, str) else ''}</td>"
        f"<td class='num'>{value:.0f}</td></tr>"
        for d, div, value in zip(dates, frame["division"], frame["overall"], strict=True)
    )
    return (
        "<h2>History</h2>"
        + chart_svg(chart)
        + "<table><thead><tr><th>Assessed on</th><th>Division</th>"
        f"<th class='num'>Overall (0-100)</th></tr></thead><tbody>{rows}</tbody></table>"
    )


def _page(title: str, body: str) -> str:
    return (
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">'
        f"<title>{_text(title)}</title><style>{_STYLE}</style></head>"
        f"<body>{body}</body></html>\n"
    )


def render_report(
    assessment: Assessment,
    scores: Scores,
    *,
    history: pd.DataFrame | None = None,
    fitted: FittedHistory | None = None,
    generated_at: dt.datetime | None = None,
    include_projection: bool = True,
    plan: Plan | None = None,
) -> str:
    """The report as one HTML document (UTF-8 text).

    The projection is the organization's (:func:`readiness.organization.projection_for`, with
    ``fitted``, an own measured history, when given, and the lever mapping the assessment
    keeps); ``history`` is a frame as
    :meth:`readiness.store.Store.history` returns (shown when it has scored rows). ``plan`` is
    the plan whose projected effect the "Plan" section shows, by default the one the assessment
    keeps; without a plan of actions there is no such section.
    """
    when = generated_at or dt.datetime.now(dt.UTC)
    rulebook = load_rulebook()
    names = {d.id: d.name for d in scores.dimensions}
    projection = projection_for(
        scores,
        assessment.answers,
        assessment.assessed_on,
        fitted=fitted,
        rulebook=rulebook,
        mapping_choice=assessment.mapping_choice,
    )
    kept = plan if plan is not None else assessment.plan
    effect = (
        plan_effect_for(
            scores,
            assessment.answers,
            assessment.assessed_on,
            kept,
            fitted=fitted,
            rulebook=rulebook,
            mapping_choice=assessment.mapping_choice,
        )
        if include_projection and kept is not None and not kept.empty
        else None
    )
    title = f"Enterprise 2.0 readiness: {assessment.profile.organization}"
    body = (
        _header(assessment, when)
        + _overall(scores)
        + _dimensions(scores)
        + (_lever(projection, names) if include_projection else "")
        + _recommendations(scores)
        + (_projection(projection, names) if include_projection else "")
        + (_plan(effect) if effect is not None else "")
        + _history(history, names)
    )
    return _page(title, body)


def _survey_groups(summary: SurveySummary) -> str:
    """Results by group, merged as on the survey page, with the rule in words."""
    why = summary.group_text
    frame = division_frame(summary.divisions)
    if frame.empty:
        return f"<h2>By division</h2><p>{_text(why)}</p>"
    chart = chart_svg(division_chart(frame).properties(width=CHART_WIDTH - 160))
    ordered = sorted(summary.divisions.values(), key=lambda g: -g.respondents)
    rows = "".join(
        f"<tr><td>{_text(g.name)}</td><td class='num'>{g.respondents}</td>"
        f"<td class='num'>{_score_text(g.scores.overall)}</td>"
        f"<td>{_text(g.scores.stage.name) if g.scores.stage else 'n/a'}</td>"
        f"<td class='num'>{'n/a' if g.agreement is None else f'{g.agreement:.2f}'}"
        f"{' (low)' if g.low_agreement else ''}</td></tr>"
        for g in ordered
    )
    return (
        f"<h2>By division</h2><p>{_text(why)}</p>"
        + chart
        + "<table><thead><tr><th>Division</th><th class='num'>Respondents</th>"
        "<th class='num'>Overall (0-100)</th><th>Stage</th><th class='num'>Agreement (r_wg)</th>"
        f"</tr></thead><tbody>{rows}</tbody></table>"
    )


#: Columns of the scale quality table that hold figures (aligned right).
_FIGURE_COLUMNS = frozenset(TABLE_COLUMNS[2:-1])


def _cell(value: object) -> str:
    return "n/a" if value is None else _text(f"{value:.2f}" if isinstance(value, float) else value)


def _scale_quality(evidence: SurveyEvidence) -> str:
    """The scales' quality and agreement: the sentences every surface shows, the table (groups
    merged as on the survey page) and each scale's item-rest chart."""
    quality = "".join(f"<li>{_text(line)}</li>" for line in evidence.quality_sentences)
    comparison = "".join(f"<li>{_text(line)}</li>" for line in evidence.comparison_sentences)
    head = "".join(
        f"<th class='num'>{_text(c)}</th>" if c in _FIGURE_COLUMNS else f"<th>{_text(c)}</th>"
        for c in TABLE_COLUMNS
    )
    rows = "".join(
        "<tr>"
        + "".join(
            f"<td class='num'>{_cell(row[c])}</td>"
            if c in _FIGURE_COLUMNS
            else f"<td>{_cell(row[c])}</td>"
            for c in TABLE_COLUMNS
        )
        + "</tr>"
        for row in evidence.table_rows()
    )
    charts = "".join(
        chart_svg(chart.properties(width=CHART_WIDTH - 200))
        for chart in item_rest_charts(pd.DataFrame(evidence.item_rows()))
    )
    table = (
        f"<table class='figures'><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
        if any(d.reliability is not None for d in evidence.dimensions)
        else ""
    )
    return (
        "<h2>Scale quality and agreement</h2>"
        f"<p>Do the items of each scale agree?</p><ul>{quality}</ul>"
        f"<p>Are division means reliable enough to compare?</p><ul>{comparison}</ul>"
        f"<p class='muted'>{_text(evidence.method_text)}</p>" + table + charts
    )


def render_survey_report(
    summary: SurveySummary,
    *,
    evidence: SurveyEvidence | None = None,
    generated_at: dt.datetime | None = None,
) -> str:
    """A survey's report as one HTML document (UTF-8 text): everyone's overall score, stage and
    dimension scores (0-100), then the results by group with small divisions merged, and, with
    ``evidence``, the scales' quality and agreement."""
    if summary.overall is None:
        raise ValueError("a survey without a scored respondent has no report")
    when = generated_at or dt.datetime.now(dt.UTC)
    overall = summary.overall
    scored = summary.rows - summary.bad_rows
    agreement = "" if overall.agreement is None else f"; agreement (r_wg) {overall.agreement:.2f}"
    body = (
        f"<h1>Enterprise 2.0 readiness survey: {_text(summary.name)}</h1>"
        f'<p class="muted">{scored:,} respondents scored ({summary.rows:,} rows){agreement}; '
        f"report generated {when.strftime('%Y-%m-%d %H:%M')} UTC</p>"
        + _overall(overall.scores)
        + _dimensions(overall.scores)
        + _survey_groups(summary)
        + (_scale_quality(evidence) if evidence is not None else "")
        + _recommendations(overall.scores)
    )
    return _page(f"Enterprise 2.0 readiness survey: {summary.name}", body)


def report_for(
    stored: StoredAssessment,
    history: pd.DataFrame | None = None,
    fitted: FittedHistory | None = None,
    plan: Plan | None = None,
) -> str:
    """The report of a stored assessment, with the scores saved with it (and ``fitted``, an own
    measured history, in its projection when given; ``plan``, a plan not yet kept with it, in
    place of the one it keeps)."""
    return render_report(
        stored.assessment, stored.scores, history=history, fitted=fitted, plan=plan
    )
