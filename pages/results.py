"""Results: index and stage, dimension chart with stage bands, weakest link, organization model,
recommendations with the answers that triggered them, benchmark context and the trend."""

import streamlit as st

from pages.shared.boundary import through_router
from pages.shared.display import show_chart, show_chart_with_png
from pages.shared.drafts import assessed_on, current, offer_saved_assessments
from pages.shared.session import (
    current_answers,
    current_plan_effect,
    current_profile,
    current_projection,
    questionnaire,
    rulebook,
    score,
    store,
    store_errors,
)
from readiness.views.results import (
    COMPARABILITY_NOTE,
    active_share_text,
    dimension_chart,
    index_text,
    lever_sentence,
    market_figures,
    organization_answer,
    plan_outlook,
    saved_line,
    score_trend,
    survey_reliability_text,
)

through_router()

active_store = store()
opened = current(active_store)
q, rules = questionnaire(), rulebook()
answers = current_answers()
profile, _ = current_profile()

st.title("Results", anchor=False)
if profile is not None:
    st.text(" / ".join(filter(None, [profile.organization, profile.division])))  # never Markdown
if opened is not None and opened.stored is not None and opened.viewing:
    st.caption(f"{saved_line(opened.stored)}.")
scores = score(answers) if any(v is not None for v in answers.values()) else None
if scores is None:
    st.info("Answer the questionnaire to see your results.", icon=":material/info:")
    st.page_link(
        "pages/questionnaire.py", label="Open the questionnaire", icon=":material/edit_note:"
    )
    offer_saved_assessments(active_store)
    st.stop()

names = {d.id: d.name for d in scores.dimensions}
projection = current_projection(scores, answers, assessed_on(opened))
top = projection.steps[0] if projection.steps else None
with st.container(horizontal=True):
    st.metric(
        "Readiness index",
        f"{index_text(scores.overall)} / 100",
        help="Weighted mean of the dimension scores; needs every dimension to have a score.",
        border=True,
    )
    st.metric(
        "Stage",
        f"{scores.stage.level} {scores.stage.name}" if scores.stage else "n/a",
        help=scores.stage.description if scores.stage else "Answer more questions.",
        border=True,
    )
    st.metric(
        "Biggest lever",
        names.get(top.dimension, "n/a") if top else "n/a",
        help="The dimension whose 10-point rise brings the material change earliest "
        "(the same model as Growth scenarios).",
        border=True,
    )
    for d in scores.dimensions:
        st.metric(
            d.name,
            "n/a" if d.score is None else f"{d.score:.0f}",
            help=f"{d.answered} of {d.items} items answered; a score needs at least half.",
            border=True,
        )
if projection.barrier is not None:
    st.warning(
        f"{names.get(projection.barrier, '')} is below {rules.barrier_below:g} and holds growth "
        f"back most. {lever_sentence(projection, names)}",
        icon=":material/warning:",
    )
with st.container(border=True):
    st.header("Growth outlook", anchor=False)
    st.write(organization_answer(projection, names))
    st.table(projection.milestone_frame(), hide_index=True)
    # the plan's effect on this projection: the sentence the Plan page and the report show
    plan_text, plan_caption = plan_outlook(
        current_plan_effect(scores, answers, assessed_on(opened))
    )
    st.write(plan_text)
    if plan_caption:
        st.caption(plan_caption)
    st.page_link("pages/plan.py", label="Open the plan", icon=":material/event_note:")
    st.page_link(
        "pages/growth.py",
        label="Explore it on Growth scenarios",
        icon=":material/trending_up:",
        query_params={"level": "organization"},
    )

show_chart_with_png(dimension_chart(scores, rules.stages), "readiness-dimensions.png")
st.caption(f"Stage bands: {rules.stage_source}")
if survey_reliability := survey_reliability_text(st.session_state.get("survey_evidence")):
    with st.container(border=True):
        st.header("Survey divisions", anchor=False)
        st.markdown(survey_reliability)

model = rules.org_model(scores.org_model)
with st.container(border=True):
    st.header("Organization model", anchor=False)
    if model is None:
        st.write(scores.org_model_reason or "Not enough answers to tell how efforts are organized.")
    else:
        st.markdown(f"**{model.name}**: {model.description}")
        st.caption(f"Why: {scores.org_model_reason}. Source: {rules.org_model_source}")

st.header("Recommendations", anchor=False)
if not scores.recommendations:
    st.write("No rule fired for these answers.")
for rec in scores.recommendations:
    with st.container(border=True):
        st.markdown(f"**{rec.title}**")
        st.write(rec.advice)
        st.caption(
            f"Triggered by: {rec.reason}" + (f" · Source: {rec.source}" if rec.source else "")
        )

st.header("Benchmark context", anchor=False)
st.info(COMPARABILITY_NOTE, icon=":material/info:")
market, own = st.columns([3, 2])
with market, st.container(border=True):
    st.markdown("**Market level: published figures**")
    chart, table = market_figures(profile.sector if profile else None)
    show_chart(chart)
    st.dataframe(
        table,
        hide_index=True,
        alt="Published market-level figures with year, definition, sample and source",
    )
with own, st.container(border=True):
    st.markdown("**Your organization**")
    st.metric(
        "Staff active monthly (your answer)",
        active_share_text(q, answers),
        help="Organization level: share of your own staff; not comparable to market shares.",
    )
    st.metric("Readiness index", f"{index_text(scores.overall)} / 100")

if active_store is not None and profile is not None:
    with store_errors("load the trend"):
        trend = score_trend(active_store.history(profile.organization, profile.division), names)
        if trend is not None:
            st.header("Trend", anchor=False)
            show_chart(trend)
