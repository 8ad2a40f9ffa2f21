"""Growth scenarios: the seed question answered in words, sliders bound to the URL, presets,
several curves on one chart, the organization's own projection (the one Results and the report
show), your own history with a fitted band, milestones, and the levers that raise growth most.

Moving a slider reruns only the scenario panel (``st.fragment``); the link reproduces the view.
"""

import streamlit as st

from pages.shared.boundary import guarded, through_router
from pages.shared.display import (
    png_button,
    problems_shown,
    show_chart,
    show_chart_with_png,
    show_spec,
)
from pages.shared.drafts import assessed_on, current
from pages.shared.session import (
    current_answers,
    current_plan_effect,
    current_projection,
    digest_of,
    fitted_history,
    growth_presets,
    lever_mapping,
    questionnaire,
    score,
    store,
    widget_values,
)
from pages.shared.widgets import growth_sliders
from readiness.views.growth import (
    NO_PLAN,
    fit_history,
    growth_view,
    levers_explained,
    levers_view,
    plan_panel,
    sliders_from_preset,
    sliders_from_projection,
    story_answer,
)

through_router()

presets = growth_presets()
names = {d.id: d.name for d in questionnaire().dimensions}
opened = current(store())
answers = current_answers()
scores = score(answers) if any(v is not None for v in answers.values()) else None
fitted = fitted_history()
projection = None if scores is None else current_projection(scores, answers, assessed_on(opened))

st.title("Growth scenarios", anchor=False)
st.info(story_answer(projection, names), icon=":material/lightbulb:")
st.caption(
    "If E2.0 adoption keeps doubling, when does work change, and what raises the growth rate? "
    "Copy the address bar to share exactly this view."
)


@guarded  # a callback runs before app.py, outside its page boundary
def apply_preset() -> None:
    chosen = presets.get(st.session_state.get("growth_preset") or "")
    if chosen is not None:
        st.session_state.update(sliders_from_preset(chosen))


@guarded
def reset_to_organization() -> None:
    if projection is not None:
        st.session_state.update(sliders_from_projection(projection), level="organization")


preset = st.selectbox(
    "Preset",
    list(presets),
    index=None,
    format_func=lambda key: presets[key].label,
    key="growth_preset",
    on_change=apply_preset,
    placeholder="Start from a published scenario",
)
if preset:
    st.caption(f"{presets[preset].level.capitalize()} level. Source: {presets[preset].source}")
if projection is not None:
    # the first visit with answers starts the sliders at the organization, unless the link set them
    seeded = f"{projection.start_share}:{projection.start_year}:{projection.scenario.p}"
    linked = any(key in st.query_params for key in ("start_share", "start_year", "p", "q"))
    if st.session_state.get("growth_seeded") != seeded and not linked:
        st.session_state.update(sliders_from_projection(projection))
    st.session_state["growth_seeded"] = seeded
    st.button(
        "Reset to my organization",
        icon=":material/restart_alt:",
        on_click=reset_to_organization,
        help="Start the scenarios from your organization's share, date and Bass parameters.",
    )


@st.fragment
@guarded  # a slider move reruns only this panel, outside app.py's page boundary
def scenario_panel() -> None:
    level = st.segmented_control(
        "Adoption level",
        ["market", "organization"],
        default="organization" if projection is not None else "market",
        required=True,
        format_func=lambda v: "Market: organizations" if v == "market" else "Your organization",
        key="level",
        bind="query-params",
    )
    organization = level == "organization"
    slider_column, chart_column = st.columns([1, 2.4])
    with slider_column:
        growth_sliders()
    view = growth_view(widget_values(), projection, fitted, organization, names)
    with chart_column:
        for note in view.notes:
            st.warning(note, icon=":material/warning:")
        if view.spec is None:
            return
        show_spec(view.spec, view.description)
        png_button(view.spec, "growth-scenarios.png")
        # a static table: cheaper for the browser to redraw on every slider move than a grid
        st.table(view.milestones, hide_index=True, alt="When each curve reaches each share")
        st.caption(
            "Month and year each curve first reaches the material change (the share at which "
            "work changes in a way people notice), 50% and 80% of the people."
        )
        # below the chart: a text that changes above the chart delays the chart's redraw
        if view.answer:
            st.info(f"With these settings: {view.answer}", icon=":material/lightbulb:")
    if organization:
        chart, caption = levers_view(projection, names)
        if chart is not None:
            show_chart(chart)
        st.caption(caption)
        with st.expander("How readiness moves the curve (an assumption)"):
            st.text("\n\n".join(levers_explained(lever_mapping())))


scenario_panel()

if scores is not None:
    # the plan's effect on the organization's curve: outside the panel, so that a slider move
    # does not recompute it
    plan = plan_panel(current_plan_effect(scores, answers, assessed_on(opened)))
    with st.container(border=True):
        st.subheader("Your plan", anchor=False)
        if plan is None:
            st.write(NO_PLAN)
        else:
            st.info(plan.sentence, icon=":material/event_note:")
            show_chart_with_png(plan.chart, "growth-plan.png")
            st.table(plan.milestones, hide_index=True)
            st.caption(
                "Month and year your organization reaches the material change, 50% and 80%, "
                "without and with the plan."
            )
        st.page_link("pages/plan.py", label="Open the plan", icon=":material/event_note:")

with st.expander("Your own adoption history", icon=":material/upload_file:"):
    # The fit is kept for the session; with answers it becomes the organization's projection on
    # every page (``current_projection``).
    st.caption(
        "A CSV with columns `period` (year or date) and `value` (the cumulative share of your "
        "people using the tools). Drawn with its own legend entry, an 80% band and a milestone "
        "row; with answers it becomes your organization's projection on every page."
    )
    unit = st.segmented_control(
        "Values are", ["percent", "share"], default="percent", required=True, key="history_unit"
    )
    history = st.file_uploader("History CSV", type=["csv"], key="growth_history")
    if history is None:
        st.session_state.pop("growth_fit", None)
    else:
        data = history.getvalue()
        digest = digest_of(data, str(unit))
        if st.session_state.get("growth_fit_digest") != digest:
            with problems_shown("The history could not be fitted"):
                with st.spinner("Fitting the curve and its band..."):
                    new_fit = fit_history(
                        data, history.name, "share" if unit == "share" else "percent"
                    )
                st.session_state.update(growth_fit=new_fit, growth_fit_digest=digest)
                st.rerun()
        if fitted is not None:
            st.success(
                f"Fitted a {fitted.model} curve (R² {fitted.r2:.2f}).",
                icon=":material/check_circle:",
            )
