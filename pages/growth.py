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
from pages._widgets import growth_sliders
from readiness.charts import adoption_spec, levers_chart
from readiness.dashboard_state import (
    HistoryFit,
    controls_from_sliders,
    fit_history,
    growth_scenarios,
    lever_frame,
    milestone_table,
    sliders_from_preset,
)
from readiness.errors import InputError
from readiness.levers import rank_levers
from readiness.projection import curves_frame

presets = growth_presets()
names = {d.id: d.name for d in questionnaire().dimensions}
answers = current_answers()
scores = score(answers) if any(v is not None for v in answers.values()) else None

st.title("Growth scenarios", anchor=False)
st.caption(
    "If E2.0 adoption keeps doubling, when does work change, and what raises the growth rate? "
    "Copy the address bar to share exactly this view."
)


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
    scenarios, notes = growth_scenarios(controls, readiness if organization else None)
    fit = st.session_state.get("growth_fit") if organization else None
    with chart_column:
        for note in notes:
            st.warning(note, icon=":material/warning:")
        if not scenarios:
            return
        spec, description = adoption_spec(
            curves_frame(scenarios),
            "organization" if organization else "market",
            band=fit.band if isinstance(fit, HistoryFit) else None,
            observed=fit.observed if isinstance(fit, HistoryFit) else None,
            threshold=controls.material_change,
        )
        show_spec(spec, description)
        # a static table: cheaper for the browser to redraw on every slider move than a grid
        st.table(
            milestone_table(scenarios, controls.material_change),
            hide_index=True,
            alt="Year each scenario reaches the material change, 50% and 80%",
        )
    if organization:
        impacts = rank_levers(
            readiness or {},
            start_year=controls.start_year,
            start_share=controls.start_share,
            horizon=3,
        )
        show_chart(levers_chart(lever_frame(impacts, names), "points", "Extra share in 3 years"))
        st.caption(
            "Each bar raises one dimension by 10 points (percentage points of your people "
            "adopting within 3 years). The mapping from scores to Bass parameters is an editable "
            "assumption in data/levers.yaml."
            + ("" if readiness else " No answers yet: every dimension counts as 50.")
        )


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
