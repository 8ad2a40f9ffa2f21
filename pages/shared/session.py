"""What the pages read: the core data (questionnaire, rules, presets, levers), this session's
answers, profile, scores and projection, and the assessment store acting as this session's user
(``pages/shared/auth.py``), its failures and refusals shown as messages.

Per-user values live in ``st.session_state`` only; the store is one object per process. The core
is imported where it is used: the first page a person opens (Overview) draws without loading
pandas, Altair, SciPy or SQLAlchemy, which is most of a cold start's wait.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import streamlit as st

from pages.shared.auth import current_user, show_refusal
from pages.shared.display import show_problems
from readiness.access import PermissionDeniedError
from readiness.errors import InputError, StoreError
from readiness.safe_output import literal_block
from readiness.settings import load_settings

if TYPE_CHECKING:
    import datetime as dt

    from readiness.assessment import JsonAnswer, Profile
    from readiness.evidence.choice import MappingChoice
    from readiness.levers import LeverMapping
    from readiness.organization import FittedHistory, OrganizationProjection
    from readiness.plan.effect import PlanEffect
    from readiness.plan.model import Plan
    from readiness.projection import Preset
    from readiness.questionnaire import Questionnaire
    from readiness.rules import RuleBook
    from readiness.scoring import Scores
    from readiness.store import Store

T = TypeVar("T")


# --- the core data -----------------------------------------------------------------------------


def questionnaire() -> Questionnaire:
    from readiness.questionnaire import load_questionnaire

    return load_questionnaire()  # cached by the core (frozen model)


def rulebook() -> RuleBook:
    from readiness.rules import load_rulebook

    return load_rulebook()


def lever_mapping() -> LeverMapping:
    """How readiness moves the growth curve (``data/levers.yaml``, read once by the core)."""
    from readiness.levers import load_levers

    return load_levers()


@st.cache_resource(show_spinner=False)
def growth_presets() -> dict[str, Preset]:
    """Growth presets by id, read and calibrated once per process (they are immutable)."""
    from readiness.projection import load_presets

    return {p.id: p for p in load_presets()}


# --- this session's answers, scores and projection ---------------------------------------------


def widget_values() -> dict[str, Any]:
    return {str(k): v for k, v in st.session_state.items()}


def current_answers() -> dict[str, JsonAnswer]:
    """This session's answers, keyed by item id (None when unanswered)."""
    from readiness.views.questionnaire import answers_from_widgets

    return answers_from_widgets(questionnaire(), widget_values())


def current_profile() -> tuple[Profile | None, dict[str, str]]:
    from readiness.views.questionnaire import profile_from_widgets

    return profile_from_widgets(widget_values())


def load_into_widgets(answers: dict[str, Any], profile: Profile | dict[str, Any] | None) -> None:
    """Put saved answers (and profile) into the questionnaire's widgets, before they render."""
    from readiness.views.questionnaire import widgets_from_answers, widgets_from_profile

    st.session_state.update(widgets_from_answers(questionnaire(), answers))
    if profile is not None:
        st.session_state.update(widgets_from_profile(profile))


def score(answers: dict[str, JsonAnswer]) -> Scores | None:
    """Scores of ``answers`` (lever and advice from this session's lever mapping in use), or
    None (with the problems shown) when an answer is invalid."""
    from readiness.evidence.choice import mapping_in_use
    from readiness.scoring import score_assessment

    mapping, _ = mapping_in_use(current_mapping_choice())
    try:
        return score_assessment(questionnaire(), rulebook(), answers, mapping=mapping)
    except InputError as error:
        show_problems(error)
        return None


def fitted_history() -> FittedHistory | None:
    """The organization's own measured curve, if any: measured usage (Measured adoption) first,
    else a history fitted on Growth scenarios. Results, Growth and the report project from it."""
    from readiness.organization import FittedHistory

    fitted = st.session_state.get("measured_fit") or st.session_state.get("growth_fit")
    return fitted if isinstance(fitted, FittedHistory) else None


#: The session's lever mapping choice (:class:`~readiness.evidence.choice.MappingChoice`),
#: loaded with what is shown and changed on the Evidence page.
MAPPING_CHOICE = "mapping_choice"


def current_mapping_choice() -> MappingChoice | None:
    """The lever mapping chosen for what this session shows (None: the assumed mapping)."""
    from readiness.evidence.choice import MappingChoice

    choice = st.session_state.get(MAPPING_CHOICE)
    return choice if isinstance(choice, MappingChoice) else None


#: The session's plan (:class:`~readiness.plan.model.Plan`), loaded with what is shown and
#: changed on the Plan page.
PLAN = "plan"


def current_plan() -> Plan | None:
    """The plan kept with what is shown (None: no plan yet)."""
    from readiness.plan.model import Plan

    plan = st.session_state.get(PLAN)
    return plan if isinstance(plan, Plan) else None


def digest_of(*parts: bytes | str) -> str:
    """A SHA-256 of ``parts`` (uploaded files, their names, settings as text): a rerun with the
    same uploads and settings reuses what this session computed from them, instead of reading
    and fitting them again."""
    whole = hashlib.sha256()
    for part in parts:
        whole.update(hashlib.sha256(part.encode() if isinstance(part, str) else part).digest())
    return whole.hexdigest()


def current_projection(
    scores: Scores, answers: dict[str, JsonAnswer], assessed_on: dt.date
) -> OrganizationProjection:
    """The organization's projection from these answers, this session's fitted history and its
    lever mapping choice: the one Results, Growth scenarios and the report show."""
    from readiness.organization import projection_for

    return projection_for(
        scores,
        answers,
        assessed_on,
        fitted=fitted_history(),
        rulebook=rulebook(),
        mapping_choice=current_mapping_choice(),
    )


def current_plan_effect(
    scores: Scores, answers: dict[str, JsonAnswer], assessed_on: dt.date
) -> PlanEffect | None:
    """The projected effect of the plan kept with what is shown, on the projection
    :func:`current_projection` gives (the same answers, fitted history and lever mapping): the
    one the Plan page, Growth scenarios, Results and the report show. None without a plan or
    with a plan of no actions."""
    plan = current_plan()
    if plan is None or plan.empty:
        return None
    from readiness.plan.effect import plan_effect_for

    return plan_effect_for(
        scores,
        answers,
        assessed_on,
        plan,
        fitted=fitted_history(),
        rulebook=rulebook(),
        mapping_choice=current_mapping_choice(),
    )


# --- the assessment store ----------------------------------------------------------------------


@st.cache_resource(show_spinner=False)
def _open_store(url: str | None) -> Store:
    from readiness.store import open_store

    return open_store(url)


def store() -> Store | None:
    """The assessment store (opened once per process) acting as this session's user: every
    operation is checked there. None with a clear message when it cannot be opened (or nobody
    is signed in, which the router does not let reach a page)."""
    user = current_user()
    if user is None:
        st.error("Sign in to use the assessment store.", icon=":material/login:")
        return None
    try:
        return _open_store(load_settings().database_url).acting_as(user)
    except StoreError as error:
        message = literal_block([str(error)])
        st.error(message, icon=":material/database:", title="The assessment store is unavailable")
        return None


@contextmanager
def store_errors(action: str) -> Iterator[None]:
    """Show a failed store operation as a clear error instead of a traceback."""
    try:
        yield
    except PermissionDeniedError as error:
        show_refusal(error, action)
    except InputError as error:
        show_problems(error, title=f"Could not {action}")
    except StoreError as error:
        message = literal_block([str(error)])
        st.error(message, icon=":material/database:", title=f"Could not {action}")


def export_recorder(
    active_store: Store | None, what: str, assessment_ids: Iterable[int]
) -> Callable[[], None] | None:
    """A table's ``on_download``: the audit log records who exported which assessments as
    ``what``; None without a store or assessments (nothing to record)."""
    ids = list(assessment_ids)
    if active_store is None or not ids:
        return None
    return lambda: active_store.record_export(what, ids)


def recorded(
    active_store: Store, what: str, assessment_ids: Iterable[int], make: Callable[[], T]
) -> Callable[[], T]:
    """A download button's ``data``: made when the button is clicked (on Streamlit's download
    thread, no rerun), after the audit log records who exported which assessments as what
    ("JSON", "CSV", "HTML report", "list CSV", "comparison CSV"). No audit row, no file."""
    ids = list(assessment_ids)

    def data() -> T:
        active_store.record_export(what, ids)
        return make()

    return data


_MIME = {".json": "application/json", ".csv": "text/csv", ".html": "text/html"}


def export_button(
    active_store: Store,
    assessment_ids: Iterable[int],
    label: str,
    make: Callable[[], str],
    file_name: str,
    *,
    what: str | None = None,
) -> None:
    """A download of assessments whose file is made when clicked, recorded in the audit log as
    an export of ``what`` (the label unless given)."""
    data = recorded(active_store, what or label, assessment_ids, make)
    mime = _MIME[Path(file_name).suffix]
    icon = ":material/description:" if mime == "text/html" else ":material/download:"
    st.download_button(label, data, file_name, mime, icon=icon, on_click="ignore")
