"""A report for management: one self-contained HTML file that opens offline, charts included.

The charts are inline SVG drawn here (no JavaScript, no fonts or styles from the network), so
the file shows the same on a laptop without a connection or as an e-mail attachment. Every piece
of user text (organization, division, answers) is escaped with :func:`html.escape`, and the
document's Content-Security-Policy forbids scripts and every fetch, so even a missed escape could
not make a browser load anything.

Sections: overall score (0-100) and stage, dimension scores (0-100) with their weights, the
weakest link, recommendations with the reasons they were given, the growth projection (share
0-1 of the organization's people using the tools, shown as percent, by calendar year) and, when
given, the score history.
"""

from __future__ import annotations

import datetime as dt
import html
import math
from collections.abc import Sequence

import pandas as pd

from readiness.assessment import Assessment
from readiness.organization import (
    FittedHistory,
    OrganizationProjection,
    month_year,
    projection_for,
)
from readiness.projection import evaluate
from readiness.rules import load_rulebook
from readiness.scoring import Scores, index_text
from readiness.store import StoredAssessment

#: Years of the organization's projection drawn and tabulated in the report.
PROJECTION_HORIZON_YEARS = 10.0
CHART_WIDTH = 640
BAR_COLOUR = "#4c78a8"
WEAK_COLOUR = "#e45756"
MUTED = "#595959"  # 7:1 on white (WCAG AA asks 4.5:1 for text)


# --- SVG ----------------------------------------------------------------------------------------


def _text(value: object) -> str:
    return html.escape(str(value), quote=True)


def _score_text(value: float | None) -> str:
    return "no score" if value is None or math.isnan(value) else f"{value:.0f}"


def bar_chart_svg(rows: Sequence[tuple[str, float | None, bool]], title: str) -> str:
    """Horizontal bars of scores 0-100: ``(label, score or None, highlighted)`` per bar."""
    label_width, bar_width, row_height = 230, 330, 30
    height = row_height * len(rows) + 30
    parts = [
        f'<svg role="img" width="{CHART_WIDTH}" '
        f'height="{height}" viewBox="0 0 {CHART_WIDTH} {height}" aria-label="{_text(title)}">',
        f"<title>{_text(title)}</title>",
    ]
    for tick in range(0, 101, 25):
        x = label_width + bar_width * tick / 100
        parts.append(
            f'<line x1="{x:.1f}" y1="0" x2="{x:.1f}" y2="{height - 20}" stroke="#dddddd"/>'
            f'<text x="{x:.1f}" y="{height - 5}" font-size="11" text-anchor="middle" '
            f'fill="{MUTED}">{tick}</text>'
        )
    for index, (label, score, highlighted) in enumerate(rows):
        y = index * row_height + 5
        parts.append(
            f'<text x="{label_width - 8}" y="{y + 17}" font-size="13" text-anchor="end">'
            f"{_text(label)}</text>"
        )
        if score is None or math.isnan(score):
            parts.append(
                f'<text x="{label_width + 4}" y="{y + 17}" font-size="12" fill="{MUTED}">'
                "no score (insufficient data)</text>"
            )
            continue
        width = bar_width * min(max(score, 0.0), 100.0) / 100
        colour = WEAK_COLOUR if highlighted else BAR_COLOUR
        parts.append(
            f'<rect x="{label_width}" y="{y + 4}" width="{width:.1f}" height="{row_height - 10}" '
            f'fill="{colour}"/><text x="{label_width + width + 5:.1f}" y="{y + 17}" '
            f'font-size="12">{score:.0f}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def line_chart_svg(
    xs: Sequence[float],
    ys: Sequence[float],
    title: str,
    *,
    y_max: float = 100.0,
    y_unit: str = "",
    x_labels: Sequence[tuple[float, str]] | None = None,
    reference: float | None = None,
) -> str:
    """A line chart of ``ys`` (0 to ``y_max``) against ``xs``; optional dashed reference line."""
    height, left, right, top, bottom = 280, 50, 20, 15, 35
    plot_w, plot_h = CHART_WIDTH - left - right, height - top - bottom
    x0, x1 = (min(xs), max(xs)) if xs else (0.0, 1.0)
    span = (x1 - x0) or 1.0

    def px(x: float) -> float:
        return left + plot_w * (x - x0) / span

    def py(y: float) -> float:
        return top + plot_h * (1 - min(max(y, 0.0), y_max) / y_max)

    parts = [
        f'<svg role="img" width="{CHART_WIDTH}" '
        f'height="{height}" viewBox="0 0 {CHART_WIDTH} {height}" aria-label="{_text(title)}">',
        f"<title>{_text(title)}</title>",
    ]
    for step in range(6):
        value = y_max * step / 5
        y = py(value)
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{CHART_WIDTH - right}" y2="{y:.1f}" '
            f'stroke="#dddddd"/><text x="{left - 6}" y="{y + 4:.1f}" font-size="11" '
            f'text-anchor="end" fill="{MUTED}">{value:.0f}{_text(y_unit)}</text>'
        )
    labels = x_labels if x_labels is not None else [(x, f"{x:.0f}") for x in xs]
    every = max(1, math.ceil(len(labels) / 12))
    for x, label in list(labels)[::every]:
        parts.append(
            f'<text x="{px(x):.1f}" y="{height - 12}" font-size="11" text-anchor="middle" '
            f'fill="{MUTED}">{_text(label)}</text>'
        )
    if reference is not None:
        y = py(reference)
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{CHART_WIDTH - right}" y2="{y:.1f}" '
            f'stroke="{MUTED}" stroke-dasharray="5,4"/>'
        )
    points = " ".join(f"{px(x):.1f},{py(y):.1f}" for x, y in zip(xs, ys, strict=True))
    if len(xs) > 1:
        parts.append(
            f'<polyline points="{points}" fill="none" stroke="{BAR_COLOUR}" stroke-width="2.5"/>'
        )
    parts.extend(
        f'<circle cx="{px(x):.1f}" cy="{py(y):.1f}" r="3" fill="{BAR_COLOUR}"/>'
        for x, y in zip(xs, ys, strict=True)
    )
    parts.append("</svg>")
    return "".join(parts)


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
svg { max-width: 100%; height: auto; }
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
    rows = [(d.name, d.score, d.id == scores.weakest) for d in scores.dimensions]
    total_weight = sum(d.weight for d in scores.dimensions) or 1.0
    table_rows = "".join(
        f"<tr><td>{_text(d.name)}</td><td class='num'>{_score_text(d.score)}</td>"
        f"<td class='num'>{d.weight:g} ({100 * d.weight / total_weight:.0f}%)</td>"
        f"<td class='num'>{d.answered} of {d.items}</td></tr>"
        for d in scores.dimensions
    )
    return (
        "<h2>Dimension scores</h2>"
        + bar_chart_svg(rows, "Dimension scores, 0-100")
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
        f"{_text(projection.lever_sentence(names))}</p>"
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
    """The organization's projection, as every surface shows it (:mod:`readiness.organization`)."""
    scenario = projection.scenario
    years = [projection.start_year + k for k in range(int(PROJECTION_HORIZON_YEARS) + 1)]
    shares = [float(v) for v in evaluate([scenario], years).shares[0]]
    chart = line_chart_svg(
        years,
        [100 * v for v in shares],
        "Projected share of people using the tools, percent by year",
        y_unit="%",
        reference=100 * scenario.ceiling,
    )
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
        f"<p>{_text(projection.answer(names))}</p>"
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


def _months(months: float | None) -> str:
    return "not reached either way" if months is None else f"{months:.0f} months"


def _history(history: pd.DataFrame | None) -> str:
    if history is None or history.empty or "overall" not in history:
        return ""
    frame = history.dropna(subset=["overall"])
    if frame.empty:
        return ""
    dates = [pd.Timestamp(d).date() for d in frame["assessed_on"]]
    xs = [float(d.toordinal()) for d in dates]
    labels = [(x, d.isoformat()) for x, d in zip(xs, dates, strict=True)]
    rows = "".join(
        f"<tr><td>{d.isoformat()}</td><td>{_text(div) if isinstance(div, str) else ''}</td>"
        f"<td class='num'>{value:.0f}</td></tr>"
        for d, div, value in zip(dates, frame["division"], frame["overall"], strict=True)
    )
    return (
        "<h2>History</h2>"
        + line_chart_svg(xs, list(frame["overall"]), "Overall score over time", x_labels=labels)
        + "<table><thead><tr><th>Assessed on</th><th>Division</th>"
        f"<th class='num'>Overall (0-100)</th></tr></thead><tbody>{rows}</tbody></table>"
    )


def render_report(
    assessment: Assessment,
    scores: Scores,
    *,
    history: pd.DataFrame | None = None,
    fitted: FittedHistory | None = None,
    generated_at: dt.datetime | None = None,
    include_projection: bool = True,
) -> str:
    """The report as one HTML document (UTF-8 text).

    The projection is the organization's (:func:`readiness.organization.projection_for`, with
    ``fitted``, an own measured history, when given); ``history`` is a frame as
    :meth:`readiness.store.Store.history` returns (shown when it has scored rows).
    """
    when = generated_at or dt.datetime.now(dt.UTC)
    rulebook = load_rulebook()
    names = {d.id: d.name for d in scores.dimensions}
    projection = projection_for(
        scores, assessment.answers, assessment.assessed_on, fitted=fitted, rulebook=rulebook
    )
    title = f"Enterprise 2.0 readiness: {assessment.profile.organization}"
    body = (
        _header(assessment, when)
        + _overall(scores)
        + _dimensions(scores)
        + (_lever(projection, names) if include_projection else "")
        + _recommendations(scores)
        + (_projection(projection, names) if include_projection else "")
        + _history(history)
    )
    return (
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">'
        f"<title>{_text(title)}</title><style>{_STYLE}</style></head>"
        f"<body>{body}</body></html>\n"
    )


def report_for(
    stored: StoredAssessment,
    history: pd.DataFrame | None = None,
    fitted: FittedHistory | None = None,
) -> str:
    """The report of a stored assessment, with the scores saved with it (and ``fitted``, an own
    measured history, in its projection when given)."""
    return render_report(stored.assessment, stored.scores, history=history, fitted=fitted)
