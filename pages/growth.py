"""Growth scenarios: sliders bound to the URL, presets, several curves on one chart, your own
history with a fitted band, milestones, and the levers that raise growth most.

Moving a slider reruns only the scenario panel (``st.fragment``); the link reproduces the view.
"""

import hashlib

import streamlit as st

from pages._app_state import (
    current_answers,
    growth_presets,
    questionnaire,
    score,
    show_chart,
    show_problems,
    show_spec,
    widget_values,
)
from pages._boundary import guarded
from pages._widgets import growth_sliders
from readiness.dashboard_state import (
    HistoryFit,
    controls_from_sliders,
    fit_history,
    sliders_from_preset,
)
from readiness.errors import InputError
from readiness.growth_panel import growth_view, levers_view

presets = growth_presets()
names = {d.id: d.name for d in questionnaire().dimensions}
answers = current_answers()
scores = score(answers) if any(v is not None for v in answers.values()) else None

st.title("Growth scenarios", anchor=False)
st.caption(
    "If E2.0 adoption keeps doubling, when does work change, and what raises the growth rate? "
    "Copy the address bar to share exactly this view."
)


@guarded  # a callback runs before app.py, outside its page boundary
def apply_preset() -> None:
    chosen = presets.get(st.session_state.get("growth_preset") or "")
    if chosen is not None:
        st.session_state.update(sliders_from_preset(chosen))


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


@st.fragment
@guarded  # a slider move reruns only this panel, outside app.py's page boundary
def scenario_panel(readiness: dict[str, float | None] | None) -> None:
    level = st.segmented_control(
        "Adoption level",
        ["market", "organization"],
        default="market",
        required=True,
        format_func=lambda v: "Market: organizations" if v == "market" else "Your organization",
        key="level",
        bind="query-params",
    )
    organization = level == "organization"
    slider_column, chart_column = st.columns([1, 2.4])
    with slider_column:
        growth_sliders()
    controls = controls_from_sliders(widget_values())
    fit = st.session_state.get("growth_fit")
    view = growth_view(
        controls, readiness, fit if isinstance(fit, HistoryFit) else None, organization
    )
    with chart_column:
        for note in view.notes:
            st.warning(note, icon=":material/warning:")
        if view.spec is None:
            return
        show_spec(view.spec, view.description)
        # a static table: cheaper for the browser to redraw on every slider move than a grid
        st.table(
            view.milestones,
            hide_index=True,
            alt="Year each scenario reaches the material change, 50% and 80%",
        )
    if organization:
        chart, caption = levers_view(readiness, controls, names)
        show_chart(chart)
        st.caption(caption)


scenario_panel(scores.dimension_scores() if scores else None)

with st.expander("Your own adoption history", icon=":material/upload_file:"):
    st.caption(
        "A CSV with columns `period` (year or date) and `value` (the cumulative share of your "
        "people using the tools). Shown at the organization level with an 80% band; a short "
        "history gets a refit bootstrap band, which takes a second or two."
    )
    unit = st.segmented_control(
        "Values are", ["percent", "share"], default="percent", required=True, key="history_unit"
    )
    history = st.file_uploader("History CSV", type=["csv"], key="growth_history")
    if history is None:
        st.session_state.pop("growth_fit", None)
    else:
        data = history.getvalue()
        digest = hashlib.sha256(data + str(unit).encode()).hexdigest()
        if st.session_state.get("growth_fit_digest") != digest:
            try:
                with st.spinner("Fitting the curve and its band..."):
                    fitted = fit_history(
                        data, history.name, "share" if unit == "share" else "percent"
                    )
            except InputError as error:
                show_problems(error, title="The history could not be fitted")
            else:
                st.session_state.update(growth_fit=fitted, growth_fit_digest=digest)
                st.rerun()
        fit = st.session_state.get("growth_fit")
        if isinstance(fit, HistoryFit):
            st.success(
                f"Fitted a {fit.model} curve (R² {fit.r2:.2f}). It is drawn at the level "
                "*Your organization* (your own people, not the market).",
                icon=":material/check_circle:",
            )
