"""The questionnaire's widgets: one per item, chosen by the item's kind, and the profile fields.

Every widget keeps its value for the whole session (``persist_state="session"``), so answers
survive page switches; validation messages are drawn right under the field they belong to.
"""

from __future__ import annotations

import streamlit as st

from readiness.assessment import SIZE_BANDS
from readiness.dashboard_state import (
    GROWTH_DEFAULTS,
    NONE_TICKED,
    NONE_TICKED_LABEL,
    item_key,
    profile_key,
)
from readiness.questionnaire import Item, Questionnaire

NOT_ANSWERED = "Not answered"


def _help(item: Item) -> str:
    return f"{item.help}\n\nSource: {item.source}" if item.source else item.help


def _problem(message: str | None) -> None:
    if message:
        st.error(message, icon=":material/error:")


def item_widget(questionnaire: Questionnaire, item: Item, problem: str | None) -> None:
    """Draw the widget fitting ``item.kind``, then its validation message if any."""
    key = item_key(item.id)
    help_text = _help(item)
    if item.kind == "likert":
        labels = questionnaire.likert_labels
        st.segmented_control(
            item.text,
            options=list(range(1, len(labels) + 1)),
            format_func=lambda v: labels[int(v) - 1],
            key=key,
            help=help_text,
            persist_state="session",
        )
    elif item.kind == "number":
        assert item.bounds is not None
        unit = "%" if item.unit == "percent" else (item.unit or "")
        st.number_input(
            f"{item.text} ({unit})" if unit else item.text,
            min_value=item.bounds.min,
            max_value=item.bounds.max,
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
            item.text,
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
            item.text,
            options=list(labels_by_id),
            format_func=lambda v: labels_by_id.get(str(v), str(v)),
            key=key,
            help=help_text,
            placeholder=NOT_ANSWERED,
            persist_state="session",
        )
    _problem(problem)


def profile_widgets(problems: dict[str, str]) -> None:
    """Organization, division, sector and size, each with its message."""
    left, right = st.columns(2)
    with left:
        st.text_input(
            "Organization",
            max_chars=200,
            key=profile_key("organization"),
            placeholder="Required to save",
            persist_state="session",
        )
        _problem(problems.get("organization"))
        st.segmented_control(
            "Sector",
            options=["private", "public"],
            format_func=str.capitalize,
            key=profile_key("sector"),
            persist_state="session",
        )
        _problem(problems.get("sector"))
    with right:
        st.text_input(
            "Division",
            max_chars=200,
            key=profile_key("division"),
            placeholder="Whole organization",
            help="Leave empty when you assess the whole organization.",
            persist_state="session",
        )
        _problem(problems.get("division"))
        st.selectbox(
            "Size (staff)",
            options=list(SIZE_BANDS),
            index=None,
            key=profile_key("size"),
            placeholder="Choose a size band",
            persist_state="session",
        )
        _problem(problems.get("size"))


def growth_sliders() -> None:
    """The growth page's sliders, each bound to a URL query parameter of the same name."""
    d = GROWTH_DEFAULTS
    st.slider(
        "Start share (%)", 1, 99, int(d["start_share"]), key="start_share", bind="query-params"
    )
    st.slider("Start year", 1995, 2035, int(d["start_year"]), key="start_year", bind="query-params")
    st.slider(
        "Growth factor per year",
        1.05,
        4.0,
        float(d["g"]),
        0.05,
        key="g",
        help="This year's share over last year's: 2 is doubling (AIIM: 25% after 12.5%).",
        bind="query-params",
    )
    st.slider(
        "Bass p (innovation)",
        0.001,
        0.1,
        float(d["p"]),
        0.0005,
        format="%.4f",
        key="p",
        help="External influence per year; the literature mean is 0.03, often below 0.01.",
        bind="query-params",
    )
    st.slider(
        "Bass q (imitation)",
        0.0,
        1.0,
        float(d["q"]),
        0.01,
        key="q",
        help="Word of mouth per year; the literature mean is 0.38, usually 0.3-0.5.",
        bind="query-params",
    )
    st.slider("Ceiling (%)", 5, 100, int(d["ceiling"]), key="ceiling", bind="query-params")
    st.slider("Horizon (years)", 1, 30, int(d["horizon"]), key="horizon", bind="query-params")
    st.slider(
        "Material change at (%)",
        5,
        100,
        int(d["material"]),
        key="material",
        help="The share at which work changes in a way people notice.",
        bind="query-params",
    )
