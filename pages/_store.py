"""The assessment store for the pages: opened once per process, acting as this session's user
(``pages/_auth.py``), failures and refusals shown as messages.

SQLAlchemy is imported on first use, not when a page module loads (see ``pages/_app_state.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import streamlit as st

from pages._app_state import show_problems
from pages._auth import current_user, show_refusal
from readiness.access import PermissionDeniedError
from readiness.errors import InputError, StoreError
from readiness.safe_output import literal_block
from readiness.settings import load_settings

if TYPE_CHECKING:
    from readiness.store import Store

T = TypeVar("T")


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
