"""The growth page's own-history upload: a ``period,value`` CSV fitted with a curve and band.

The fit is kept for the session; with answers it becomes the organization's projection on
every page (:func:`readiness.organization.projection_for`).
"""

from __future__ import annotations

import hashlib

import streamlit as st

from pages._app_state import show_problems
from readiness.errors import InputError
from readiness.organization import FittedHistory
from readiness.views.growth import fit_history


def history_upload(fitted: FittedHistory | None) -> None:
    """The expander with the uploader; ``fitted`` is the session's current fit, if any."""
    with st.expander("Your own adoption history", icon=":material/upload_file:"):
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
            if fitted is not None:
                st.success(
                    f"Fitted a {fitted.model} curve (R² {fitted.r2:.2f}).",
                    icon=":material/check_circle:",
                )
