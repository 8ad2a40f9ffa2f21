"""AppTest runs the dashboard as a server does.

Streamlit's AppTest resets ``PagesManager.uses_pages_directory`` before every run, so each run
after the first would start as Streamlit's legacy ``pages/`` app, with the page file alone and
no router (a server does that only until its first ``st.navigation`` call). The page then runs
again through the router (``pages/_boundary.py``, :func:`through_router`), which a server never
needs after its first page: that rerun would hide what a button's callback showed before it.
AppTest's reset is pointed at a subclass here, so the flag itself keeps what ``st.navigation``
set, as it does in a server process. tests/test_app_routing.py runs the legacy start on purpose.
"""

from __future__ import annotations

import pytest
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import app_test


class _ServerLikePagesManager(PagesManager):
    """AppTest's ``uses_pages_directory = None`` lands on this class, not on Streamlit's."""


@pytest.fixture(autouse=True)
def _app_test_keeps_the_router(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(app_test, "PagesManager", _ServerLikePagesManager)
