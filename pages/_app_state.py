"""What the pages share: core data, this session's answers, the store, charts, tables, problems.
Per-user values live in ``st.session_state`` only; the store is one object per process."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pandas as pd
import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from readiness.assessment import JsonAnswer, Profile
from readiness.benchmarks import Benchmark, load_benchmarks
from readiness.charts import for_display
from readiness.errors import InputError, StoreError
from readiness.projection import Preset, load_presets
from readiness.questionnaire import Questionnaire, load_questionnaire
from readiness.rules import RuleBook, load_rulebook
from readiness.safe_output import frame_to_csv, literal_block
from readiness.scoring import Scores, score_assessment
from readiness.store import DATABASE_URL_ENV, Store, open_store
from readiness.views.questionnaire import (
    answers_from_widgets,
    profile_from_widgets,
    widgets_from_answers,
    widgets_from_profile,
)


def _route_through_app() -> None:
    """Make every page run through ``app.py``'s ``st.navigation`` router: until the first
    ``st.navigation`` call in the process, Streamlit runs a ``pages/`` folder as its legacy
    multipage app, and a deep link on a fresh server would run the page file alone."""
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


_route_through_app()


def questionnaire() -> Questionnaire:
    return load_questionnaire()  # cached by the core (frozen model)


def rulebook() -> RuleBook:
    return load_rulebook()


def benchmarks() -> tuple[Benchmark, ...]:
    return load_benchmarks()


@st.cache_resource(show_spinner=False)
def growth_presets() -> dict[str, Preset]:
    """Growth presets by id, read and calibrated once per process (they are immutable)."""
    return {p.id: p for p in load_presets()}


def widget_values() -> dict[str, Any]:
    return {str(k): v for k, v in st.session_state.items()}


def current_answers() -> dict[str, JsonAnswer]:
    """This session's answers, keyed by item id (None when unanswered)."""
    return answers_from_widgets(questionnaire(), widget_values())


def current_profile() -> tuple[Profile | None, dict[str, str]]:
    return profile_from_widgets(widget_values())


def score(answers: dict[str, JsonAnswer]) -> Scores | None:
    """Scores of ``answers``, or None (with the problems shown) when an answer is invalid."""
    try:
        return score_assessment(questionnaire(), rulebook(), answers)
    except InputError as error:
        show_problems(error)
        return None


def load_into_widgets(answers: dict[str, Any], profile: Profile | dict[str, Any] | None) -> None:
    """Put saved answers (and profile) into the questionnaire's widgets, before they render."""
    st.session_state.update(widgets_from_answers(questionnaire(), answers))
    if profile is not None:
        st.session_state.update(widgets_from_profile(profile))


def show_chart(chart: Any, key: str | None = None) -> None:
    """Draw an Altair chart from ``readiness.charts`` with its description as alt text."""
    spec_only, text = for_display(chart)
    st.altair_chart(spec_only, alt=text, key=key)


def show_spec(spec: dict[str, Any], text: str) -> None:
    """Draw a Vega-Lite dict (named datasets, stable layout) with ``text`` as alt text."""
    st.vega_lite_chart(spec=spec, alt=text)


def show_problems(error: InputError, title: str = "Please check the input") -> None:
    """An InputError's lines (which quote cells, file and field names) shown literally."""
    st.error(literal_block(error.problems), icon=":material/error:", title=title)


def show_table(frame: pd.DataFrame, file_name: str, *, key: str, **options: Any) -> None:
    """A table of user text with a formula-safe CSV download (no index). The toolbar's own
    download writes raw cells: ``client.disableDataExport`` (.streamlit/config.toml) hides it."""
    st.dataframe(frame, key=key, **options)
    st.download_button(
        "CSV",
        lambda: frame_to_csv(frame),  # written when clicked, not on every rerun
        file_name,
        "text/csv",
        key=f"{key}_csv",
        on_click="ignore",
        icon=":material/download:",
    )


# --- the store: one per process -------------------------------------------------------------


@st.cache_resource(show_spinner=False)
def _open_store(url: str | None) -> Store:
    return open_store(url)


def store() -> Store | None:
    """The assessment store (opened once per process), or None with a clear message."""
    try:
        return _open_store(os.environ.get(DATABASE_URL_ENV) or None)
    except StoreError as error:
        message = literal_block([str(error)])
        st.error(message, icon=":material/database:", title="The assessment store is unavailable")
        return None


@contextmanager
def store_errors(action: str) -> Iterator[None]:
    """Show a failed store operation as a clear error instead of a traceback."""
    try:
        yield
    except InputError as error:
        show_problems(error, title=f"Could not {action}")
    except StoreError as error:
        message = literal_block([str(error)])
        st.error(message, icon=":material/database:", title=f"Could not {action}")
