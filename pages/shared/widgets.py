"""The dashboard's input widgets: one per questionnaire item, chosen by the item's kind, the
profile fields, and the growth sliders bound to the address bar.

Every widget keeps its value for the whole session (``persist_state="session"``), so answers
survive page switches; validation messages are drawn right under the field they belong to.
"""

from __future__ import annotations

import streamlit as st

from readiness.assessment import SIZE_BANDS
from readiness.questionnaire import Item, Questionnaire
from readiness.views.questionnaire import (
    NONE_TICKED,
    NONE_TICKED_LABEL,
    item_help,
    item_key,
    item_label,
    profile_key,
)

NOT_ANSWERED = "Not answered"


def _problem(message: str | None) -> None:
    if message:
        st.error(message, icon=":material/error:")


def item_widget(
    questionnaire: Questionnaire, item: Item, problem: str | None, *, disabled: bool = False
) -> None:
    """Draw the widget fitting ``item.kind``, then its validation message if any.

    Number fields take any number: one out of range is kept and answered with a message naming
    the allowed range (the label states it too), never dropped by the browser.
    """
    key, label, help_text = item_key(item.id), item_label(item), item_help(item)
    if item.kind == "likert":
        labels = questionnaire.likert_labels
        st.segmented_control(
            label,
            disabled=disabled,
            options=list(range(1, len(labels) + 1)),
            format_func=lambda v: labels[int(v) - 1],
            key=key,
            help=help_text,
            persist_state="session",
        )
    elif item.kind == "number":
        st.number_input(
            label,
            disabled=disabled,
            value=None,
            step=1.0,
            format="%g",
            key=key,
            help=help_text,
            placeholder=NOT_ANSWERED,
            persist_state="session",
        )
    elif item.kind == "choice":
        labels_by_id = {o.id: o.label for o in item.options}
        st.radio(
            label,
            disabled=disabled,
            options=list(labels_by_id),
            index=None,
            format_func=lambda v: labels_by_id.get(str(v), str(v)),
            key=key,
            help=help_text,
            persist_state="session",
        )
    else:
        labels_by_id = {NONE_TICKED: NONE_TICKED_LABEL, **{o.id: o.label for o in item.options}}
        st.multiselect(
            label,
            disabled=disabled,
            options=list(labels_by_id),
            format_func=lambda v: labels_by_id.get(str(v), str(v)),
            key=key,
            help=help_text,
            placeholder=NOT_ANSWERED,
            persist_state="session",
        )
    _problem(problem)


def profile_widgets(problems: dict[str, str], *, disabled: bool = False) -> None:
    """Organization, division, sector and size, each with its message."""
    left, right = st.columns(2)
    with left:
        st.text_input(
            "Organization",
            disabled=disabled,
            max_chars=200,
            key=profile_key("organization"),
            placeholder="Required to save",
            persist_state="session",
        )
        _problem(problems.get("organization"))
        st.segmented_control(
            "Sector",
            disabled=disabled,
            options=["private", "public"],
            format_func=str.capitalize,
            key=profile_key("sector"),
            persist_state="session",
        )
        _problem(problems.get("sector"))
    with right:
        st.text_input(
            "Division",
            disabled=disabled,
            max_chars=200,
            key=profile_key("division"),
            placeholder="Whole organization",
            help="Leave empty when you assess the whole organization.",
            persist_state="session",
        )
        _problem(problems.get("division"))
        st.selectbox(
            "Size (staff)",
            disabled=disabled,
            options=list(SIZE_BANDS),
            index=None,
            key=profile_key("size"),
            placeholder="Choose a size band",
            persist_state="session",
        )
        _problem(problems.get("size"))


def growth_sliders() -> None:
    """The growth page's sliders, each bound to a URL query parameter of the same name."""
    from readiness.views.growth import GROWTH_SLIDERS  # loads the curve models: growth only

    for slider in GROWTH_SLIDERS:
        st.slider(
            slider.label,
            slider.low,
            slider.high,
            # a value already set (a preset, the organization) wins over the default
            None if slider.key in st.session_state else slider.default,
            slider.step,
            format=slider.format,
            key=slider.key,
            help=slider.help,
            bind="query-params",
            # A run the browser asked for before it had drawn these sliders (the level switched
            # while the page's first run was still arriving) carries no values for them; with
            # persist_state Streamlit sends the session's values along instead of letting the
            # browser fall back to the element's default (each slider's minimum here).
            persist_state="session",
        )
