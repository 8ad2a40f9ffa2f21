"""The assessment store for the pages: opened once per process, acting as this session's user
(``pages/_auth.py``), failures and refusals shown as messages.

SQLAlchemy is imported on first use, not when a page module loads (see ``pages/_app_state.py``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import streamlit as st

from pages._app_state import show_problems
from pages._auth import current_user, show_refusal
from pages._boundary import guarded
from readiness.access import PermissionDeniedError
from readiness.errors import InputError, StoreError
from readiness.safe_output import literal_block
from readiness.settings import load_settings

if TYPE_CHECKING:
    from readiness.store import Store


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


@guarded  # a download button's callback runs before the page, outside its boundary
def record_export(active_store: Store, what: str, *assessment_ids: int) -> None:
    """Download button callback: the audit log records who downloaded which assessments as what
    ("JSON", "CSV", "HTML report", "list CSV", "comparison CSV")."""
    with store_errors(f"record the {what} download"):
        active_store.record_export(what, assessment_ids)
