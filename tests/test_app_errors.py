"""The dashboard's page boundary (AppTest): an unexpected error is a short message with a
reference that is also in the server log with the traceback; Streamlit's own control flow
(``st.stop``, ``st.switch_page``) passes through; hostile history files get their own message."""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Iterator
from typing import Any

import pytest
import streamlit as st
from app_harness import ROOT, open_page
from streamlit.testing.v1 import AppTest

GROWTH = "pages/growth.py"
REFERENCE = re.compile(r"reference ([0-9a-f]{8})")
SECRET = f"{ROOT}/secret/server-side.csv"


pytestmark = pytest.mark.usefixtures("store_url")


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def server_log() -> Iterator[_Records]:
    """What the page boundary logs on the server."""
    handler = _Records()
    logger = logging.getLogger("readiness.dashboard")
    logger.addHandler(handler)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)


def _boom(*_: Any, **__: Any) -> Any:
    raise RuntimeError(f"cannot read {SECRET}")


def _app() -> AppTest:
    # A fresh AppTest per run: each test's error starts from the Overview's first run.
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)


def _nodes(node: Any) -> Iterator[Any]:
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _nodes(child)


def _everything_shown(at: AppTest) -> str:
    """Everything sent to the browser for the page (each element's message), as text."""
    shown = "\n".join(str(getattr(node, "proto", "")) for node in _nodes(at._tree))
    assert "(reference " in shown  # it sees the text of messages
    return shown


def _assert_reported(at: AppTest, log: _Records) -> str:
    assert not at.exception, "Streamlit's own error display was used"
    messages = [e.value for e in at.error if REFERENCE.search(e.value)]
    assert len(messages) == 1, [e.value for e in at.error]
    reference = REFERENCE.search(messages[0]).group(1)  # type: ignore[union-attr]
    shown = _everything_shown(at)
    for leak in ("Traceback", "RuntimeError", str(ROOT), "secret", "line ", "exec_code"):
        assert leak not in shown, leak
    logged = [r for r in log.records if reference in r.getMessage()]
    assert len(logged) == 1
    assert logged[0].exc_info is not None
    assert SECRET in str(logged[0].exc_info[1])  # the full story stays on the server
    return reference


def test_an_error_in_a_page_is_a_short_message_with_a_logged_reference(
    monkeypatch: pytest.MonkeyPatch, server_log: _Records
) -> None:
    monkeypatch.setattr("readiness.views.overview.headline", _boom)
    at = _app().run()
    _assert_reported(at, server_log)
    assert at.title[0].value == "Enterprise 2.0 readiness"  # what ran before the error stays


def test_each_error_gets_its_own_reference(
    monkeypatch: pytest.MonkeyPatch, server_log: _Records
) -> None:
    monkeypatch.setattr("readiness.views.overview.headline", _boom)
    first = _assert_reported(_app().run(), server_log)
    second = _assert_reported(_app().run(), server_log)
    assert first != second


def test_an_error_in_the_growth_panel_fragment_is_caught_too(
    monkeypatch: pytest.MonkeyPatch, server_log: _Records
) -> None:
    at = open_page(GROWTH)
    monkeypatch.setattr("readiness.views.growth.growth_view", _boom)
    at.run()
    _assert_reported(at, server_log)
    assert at.title[0].value == "Growth scenarios"
    assert at.file_uploader(key="growth_history") is not None  # the rest of the page is there


def test_an_error_in_a_button_callback_is_caught_too(
    monkeypatch: pytest.MonkeyPatch, server_log: _Records
) -> None:
    at = open_page("pages/questionnaire.py")
    at.text_input(key="profile_organization").set_value("Acme").run()
    # callbacks run before app.py; the drafts module with the buttons is loaded by now
    monkeypatch.setattr(sys.modules["pages.shared.drafts"], "submit", _boom)
    save = next(b for b in at.button if b.label.startswith("Save"))
    save.click().run()
    _assert_reported(at, server_log)
    assert not at.success  # nothing claims to be saved


def test_st_stop_inside_a_page_passes_the_boundary_untouched(
    monkeypatch: pytest.MonkeyPatch, server_log: _Records
) -> None:
    def stop(*_: Any) -> Any:
        st.stop()

    monkeypatch.setattr("readiness.views.overview.headline", stop)
    at = _app().run()
    assert not at.exception
    assert not at.error
    assert not server_log.records
    assert at.title[0].value == "Enterprise 2.0 readiness"
    assert not at.metric  # stopped where st.stop was called


def test_st_switch_page_inside_a_page_passes_the_boundary_untouched(
    monkeypatch: pytest.MonkeyPatch, server_log: _Records
) -> None:
    def switch(*_: Any) -> Any:
        st.switch_page("pages/growth.py")

    monkeypatch.setattr("readiness.views.overview.headline", switch)
    at = _app().run()
    assert not at.exception
    assert not at.error
    assert not server_log.records
    assert at.title[0].value == "Growth scenarios"


HISTORY = "period,value\n2005,2\n2006,4\n2007,8\n2008,14\n2009,22\n2010,32\n"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "history.csv: the file is empty"),
        (b"\xef\xbb\xbf", "history.csv: the file holds no header row (expected period,value)"),
        (b"\xff\xfeperiod,value\n", "history.csv: not UTF-8 text (byte 0xff at position 0)"),
        (b"period,value\n", "history.csv: no data rows after the header"),
        (
            HISTORY.replace("period,value", "period,value,Value ").encode(),
            "history.csv: row 1: column 'value' appears more than once",
        ),
        (
            HISTORY.replace("2007,", "0001-01-01,").encode(),
            "history.csv: row 4, field period: '0001-01-01' is outside the years 1800-2200",
        ),
        (
            HISTORY.replace("2007,", "9999-12-31,").encode(),
            "history.csv: row 4, field period: '9999-12-31' is outside the years 1800-2200",
        ),
        (
            HISTORY.replace("2008,", "1" + "0" * 400 + ",").encode(),
            "history.csv: row 5, field period: '10000000000000000000...00000000 (401 characters)'",
        ),
        (
            HISTORY.replace(",8\n", "," + "9" * 5000 + "\n").encode(),
            "history.csv: row 4, field value: '99999999999999999999...99999999 (5000 characters)'"
            " is not a number",
        ),
        (HISTORY.replace(",8\n", ",NaN\n").encode(), "history.csv: row 4, field value: 'NaN'"),
        (HISTORY.replace("2009,", "inf,").encode(), "history.csv: row 6, field period: 'inf'"),
        (
            HISTORY.replace(",8\n", ",1e309\n").encode(),
            "history.csv: row 4, field value: '1e309' is not a number",
        ),
        (b'period,value\n"2005,2\n', "history.csv: "),
    ],
    ids=[
        "empty",
        "bom only",
        "utf-16",
        "header only",
        "duplicate column",
        "0001-01-01",
        "9999-12-31",
        "integer beyond float",
        "5000 digits",
        "NaN",
        "inf period",
        "1e309",
        "unbalanced quote",
    ],
)
def test_hostile_history_files_get_their_own_message_on_the_growth_page(
    content: bytes, message: str, server_log: _Records
) -> None:
    at = open_page(GROWTH)
    at.file_uploader(key="growth_history").upload("history.csv", content).run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert len(errors) == 1
    assert message in errors[0], errors[0]
    assert not REFERENCE.search(errors[0])  # a message of its own, not the last resort
    assert not server_log.records
