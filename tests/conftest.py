"""AppTest runs the dashboard as a server does.

Streamlit's AppTest resets ``PagesManager.uses_pages_directory`` before every run, so each run
after the first would start as Streamlit's legacy ``pages/`` app, with the page file alone and
no router (a server does that only until its first ``st.navigation`` call). The page then runs
again through the router (``pages/shared/boundary.py``, :func:`through_router`), which a server
never needs after its first page: that rerun would hide what a button's callback showed before it.
AppTest's reset is pointed at a subclass here, so the flag itself keeps what ``st.navigation``
set, as it does in a server process. tests/test_app_routing.py runs the legacy start on purpose.

The fixtures every test may ask for are loaded here, once: ``store_fixtures`` (a database per
test on SQLite and PostgreSQL, sample assessments) and ``app_harness`` (the dashboard's own
store, ``store_url``). pytest reads ``pytest_plugins`` only in this, the root conftest.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import settings
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import app_test

pytest_plugins = ("store_fixtures", "app_harness")

# CI (.ci/run) draws the same examples on every run, so that a property failing there fails again
# when rerun; elsewhere each run explores new ones.
settings.register_profile("ci", derandomize=True)
# make check's fast lane: a fifth of the examples (tests/property_budget.py for those that set
# their own number)
settings.register_profile("fast", max_examples=20)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


class _ServerLikePagesManager(PagesManager):
    """AppTest's ``uses_pages_directory = None`` lands on this class, not on Streamlit's."""


@pytest.fixture(autouse=True)
def _app_test_keeps_the_router(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(app_test, "PagesManager", _ServerLikePagesManager)
