"""Every page runs through app.py's router, also on a freshly started server.

Until the first ``st.navigation`` call in a process, Streamlit runs a ``pages/`` folder as its
legacy multipage app: a deep link runs the page file alone. Each page asks on every run whether
the router ran it (``pages/shared/boundary.py``, ``through_router``) and, if not, runs again through
it. These tests start runs the legacy way on purpose, including the race of several sessions
starting at once on a new server: one session's first run turns the legacy handling off while
another session's run is already under way the legacy way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from streamlit.runtime.pages_manager import PagesManager
from streamlit.runtime.scriptrunner import script_runner
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]
NOTICE = "No sign-in is configured"  # drawn by the router's gate (pages/shared/auth.py)


@pytest.fixture
def fresh_server() -> Iterator[None]:
    """The process as a new server has it: no ``st.navigation`` call yet."""
    before = PagesManager.uses_pages_directory
    PagesManager.uses_pages_directory = None
    yield
    PagesManager.uses_pages_directory = before


def _deep_link(page: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.switch_page(page)
    return at.run()


def _drawn_by_the_router(at: AppTest) -> bool:
    return any(NOTICE in c.value for c in at.sidebar.caption)


@pytest.mark.usefixtures("fresh_server")
@pytest.mark.parametrize(
    ("page", "title"),
    [("pages/growth.py", "Growth scenarios"), ("pages/saved.py", "Saved assessments")],
)
def test_a_deep_link_on_a_fresh_server_runs_through_the_router(page: str, title: str) -> None:
    at = _deep_link(page)
    assert not at.exception
    assert at.title[0].value == title
    assert _drawn_by_the_router(at)
    assert PagesManager.uses_pages_directory is False


@pytest.mark.usefixtures("fresh_server")
def test_a_run_started_the_legacy_way_is_routed_after_another_session_turned_that_off(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import pages.shared.session  # noqa: F401  (glue another session has imported already)

    legacy_runs: list[str] = []
    legacy: Callable[[str], None] = script_runner._mpa_v1

    def another_session_turns_it_off_meanwhile(main_script_path: str) -> None:
        legacy_runs.append(main_script_path)
        PagesManager.uses_pages_directory = False  # another session's first run, just now
        legacy(main_script_path)

    monkeypatch.setattr(script_runner, "_mpa_v1", another_session_turns_it_off_meanwhile)
    PagesManager.uses_pages_directory = True  # this run chose the legacy path
    at = _deep_link("pages/growth.py")
    assert legacy_runs, "the run did not start the legacy way"
    assert not at.exception
    assert at.title[0].value == "Growth scenarios"
    assert _drawn_by_the_router(at)  # the page did not run alone
