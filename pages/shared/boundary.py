"""The dashboard's page boundary: an unexpected error becomes a short message with a reference.

The full traceback goes to the server log under the same reference, so a person can report what
they saw and the operator can find it; the browser never sees a traceback or a server path.
Streamlit's ``st.rerun``, ``st.stop`` and ``st.switch_page`` work by raising exceptions derived
from ``BaseException`` (``RerunException``, ``StopException``): catching ``Exception`` only lets
them through untouched, as it does ``KeyboardInterrupt`` and ``SystemExit``.
"""

from __future__ import annotations

import functools
import secrets
from collections.abc import Callable
from contextvars import ContextVar
from pathlib import Path
from typing import ParamSpec

import streamlit as st
from streamlit.logger import get_logger
from streamlit.navigation.page import StreamlitPage
from streamlit.runtime.pages_manager import PagesManager
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

LOGGER = get_logger("readiness.dashboard")
P = ParamSpec("P")
ROUTER = Path(__file__).resolve().parents[2] / "app.py"
#: True while app.py's router runs a page (:func:`run_page`), for that run only.
_ROUTED: ContextVar[bool] = ContextVar("readiness_routed", default=False)


def report_unexpected_error(where: str) -> str:
    """Log the exception being handled with a new reference; show the short message.

    Returns the reference (8 hex characters). Call only from an ``except`` block.
    """
    reference = secrets.token_hex(4)
    LOGGER.exception("Unexpected error in %s (reference %s)", where, reference)
    st.error(
        f"Something went wrong and this part of the page could not be shown (reference "
        f"{reference}). Your saved assessments are not affected. Reload the page or open another "
        "one; if it happens again, report the reference.",
        icon=":material/error:",
    )
    return reference


def run_page(page: StreamlitPage) -> None:
    """Run the page ``st.navigation`` chose; an unexpected error ends it with the message."""
    routed = _ROUTED.set(True)
    try:
        page.run()
    except Exception:  # Streamlit's control flow derives from BaseException and passes
        report_unexpected_error(f"page {page.url_path or 'overview'!r}")
    finally:
        _ROUTED.reset(routed)


def through_router() -> None:
    """First thing every page does: a run that did not come through app.py's router reruns there.

    Streamlit runs a deep link's page file alone (no page config, sign-in gate or error
    boundary) until ``st.navigation`` has run in this process. Checked on every run: sessions
    starting together each need their own rerun.
    """
    context = get_script_run_ctx()
    if _ROUTED.get() or context is None:
        return
    if Path(context.main_script_path).resolve() == ROUTER:
        PagesManager.uses_pages_directory = False  # private: no legacy page runs from now on
        st.rerun()


def guarded(function: Callable[P, None]) -> Callable[P, None]:
    """``function`` with the same boundary, for what runs outside :func:`run_page`: fragment and
    dialog reruns, and widget callbacks (which run before the script). Put it under
    ``@st.fragment`` or ``@st.dialog``."""

    @functools.wraps(function)
    def run(*args: P.args, **kwargs: P.kwargs) -> None:
        try:
            function(*args, **kwargs)
        except Exception:
            report_unexpected_error(repr(function.__qualname__))

    return run
