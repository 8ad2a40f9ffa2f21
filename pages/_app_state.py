"""What the pages share: core data, this session's answers, the store, charts, tables, problems.
Per-user values live in ``st.session_state`` only; the store is one object per process."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import streamlit as st

from readiness.errors import InputError
from readiness.safe_output import literal_block

# The core is imported where it is used: the first page a person opens (Overview) draws without
# loading pandas, Altair, SciPy or SQLAlchemy, which is most of a cold start's wait.
if TYPE_CHECKING:
    from collections.abc import Callable

    import pandas as pd

    from readiness.assessment import JsonAnswer, Profile
    from readiness.benchmarks import Benchmark
    from readiness.organization import FittedHistory
    from readiness.projection import Preset
    from readiness.questionnaire import Questionnaire
    from readiness.rules import RuleBook
    from readiness.scoring import Scores


def questionnaire() -> Questionnaire:
    from readiness.questionnaire import load_questionnaire

    return load_questionnaire()  # cached by the core (frozen model)


def rulebook() -> RuleBook:
    from readiness.rules import load_rulebook

    return load_rulebook()


def benchmarks() -> tuple[Benchmark, ...]:
    from readiness.benchmarks import load_benchmarks

    return load_benchmarks()


@st.cache_resource(show_spinner=False)
def growth_presets() -> dict[str, Preset]:
    """Growth presets by id, read and calibrated once per process (they are immutable)."""
    from readiness.projection import load_presets

    return {p.id: p for p in load_presets()}


def fitted_history() -> FittedHistory | None:
    """The organization's own measured curve, if any: measured usage (Measured adoption) first,
    else a history fitted on Growth scenarios. Results, Growth and the report project from it."""
    from readiness.organization import FittedHistory

    fitted = st.session_state.get("measured_fit") or st.session_state.get("growth_fit")
    return fitted if isinstance(fitted, FittedHistory) else None


def widget_values() -> dict[str, Any]:
    return {str(k): v for k, v in st.session_state.items()}


def current_answers() -> dict[str, JsonAnswer]:
    """This session's answers, keyed by item id (None when unanswered)."""
    from readiness.views.questionnaire import answers_from_widgets

    return answers_from_widgets(questionnaire(), widget_values())


def current_profile() -> tuple[Profile | None, dict[str, str]]:
    from readiness.views.questionnaire import profile_from_widgets

    return profile_from_widgets(widget_values())


def score(answers: dict[str, JsonAnswer]) -> Scores | None:
    """Scores of ``answers``, or None (with the problems shown) when an answer is invalid."""
    from readiness.scoring import score_assessment

    try:
        return score_assessment(questionnaire(), rulebook(), answers)
    except InputError as error:
        show_problems(error)
        return None


def load_into_widgets(answers: dict[str, Any], profile: Profile | dict[str, Any] | None) -> None:
    """Put saved answers (and profile) into the questionnaire's widgets, before they render."""
    from readiness.views.questionnaire import widgets_from_answers, widgets_from_profile

    st.session_state.update(widgets_from_answers(questionnaire(), answers))
    if profile is not None:
        st.session_state.update(widgets_from_profile(profile))


def show_chart(chart: Any, key: str | None = None) -> None:
    """Draw an Altair chart from ``readiness.charts`` with its description as alt text."""
    from readiness.charts import for_display

    spec_only, text = for_display(chart)
    st.altair_chart(spec_only, alt=text, key=key)


def show_spec(spec: dict[str, Any], text: str) -> None:
    """Draw a Vega-Lite dict (named datasets, stable layout) with ``text`` as alt text."""
    st.vega_lite_chart(spec=spec, alt=text)


def show_problems(error: InputError, title: str = "Please check the input") -> None:
    """An InputError's lines (which quote cells, file and field names) shown literally."""
    st.error(literal_block(error.problems), icon=":material/error:", title=title)


def show_table(
    frame: pd.DataFrame,
    file_name: str,
    *,
    key: str,
    on_download: Callable[[], None] | None = None,
    **options: Any,
) -> None:
    """A table of user text with a formula-safe CSV download (no index). The toolbar's own
    download writes raw cells: ``client.disableDataExport`` (.streamlit/config.toml) hides it.
    ``on_download`` runs when the CSV is made, before it (the audit log records exports)."""
    from readiness.safe_output import frame_to_csv

    def data() -> str:  # written when clicked (on the download thread), not on every rerun
        if on_download is not None:
            on_download()
        return frame_to_csv(frame)

    st.dataframe(frame, key=key, **options)
    st.download_button(
        "CSV",
        data,
        file_name,
        "text/csv",
        key=f"{key}_csv",
        on_click="ignore",
        icon=":material/download:",
    )
