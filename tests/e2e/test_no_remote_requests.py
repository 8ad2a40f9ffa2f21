"""Markdown and HTML in user text never make the browser fetch anything or show a link.

A local TCP listener stands in for a remote host: it records every connection. Payloads that
point at it (a Markdown image, a Markdown link, an HTML image, a bare URL) go into every place a
user's text enters the dashboard: the organization and division fields of the questionnaire,
the cells and the file name of a survey upload, the cells and the file name of a growth history,
an imported JSON file's names and field names. Then Results, Compare and Saved are visited.
Nothing may reach the listener, no request may go to it and no link may point at it.
"""

from __future__ import annotations

import csv
import io
import json
import re
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from conftest import SCREENSHOTS
from dashboard_page import open_app, upload, wait_idle, widget
from streamlit_server import free_port

from readiness.questionnaire import load_questionnaire

pytestmark = pytest.mark.browser
Q = load_questionnaire()


@dataclass
class Listener:
    """A TCP socket on 127.0.0.1 that accepts and records every connection, then drops it."""

    port: int
    connections: list[str] = field(default_factory=list)

    def payloads(self) -> dict[str, str]:
        base = f"http://127.0.0.1:{self.port}"
        return {
            "image": f"![x]({base}/img.png)",
            "link": f"[click]({base}/a)",
            "html": f"<img src={base}/x>",
            "bare": f"{base}/bare",
        }


@pytest.fixture
def listener() -> Iterator[Listener]:
    port = free_port()
    server = socket.socket()
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", port))
    server.listen()
    server.settimeout(0.2)
    recorded = Listener(port)
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                connection, peer = server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with connection:
                connection.settimeout(0.5)
                try:
                    first = connection.recv(200).split(b"\r\n", 1)[0].decode(errors="replace")
                except OSError:
                    first = ""
                recorded.connections.append(f"{peer}: {first}")

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield recorded
    stop.set()
    thread.join(timeout=2)
    server.close()


class Watch:
    """Every request the page makes, and every link or image in the DOM seen at checkpoints."""

    def __init__(self, page: Any, port: int) -> None:
        self.page = page
        self.marker = f":{port}"
        self.requests: list[str] = []
        self.links: list[str] = []
        page.on("request", lambda request: self.requests.append(request.url))

    def checkpoint(self, where: str) -> None:
        wait_idle(self.page)
        self.page.wait_for_timeout(300)  # give an image a moment to start loading
        found = self.page.eval_on_selector_all(
            "a[href], img[src], link[href], iframe[src], source[src]",
            "els => els.map(e => e.outerHTML.slice(0, 200))",
        )
        self.links.extend(f"{where}: {html}" for html in found if self.marker in html)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shot = SCREENSHOTS / f"no_remote_requests_{where.replace(' ', '_')}.png"
        self.page.screenshot(path=str(shot), full_page=True)

    def to_listener(self) -> list[str]:
        return [url for url in self.requests if self.marker in url]


def _answers() -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for item in Q.items:
        if item.kind == "likert":
            answers[item.id] = 4
        elif item.kind == "number":
            answers[item.id] = float(item.bounds.min if item.bounds else 0)
        elif item.kind == "choice":
            answers[item.id] = item.options[0].id
        else:
            answers[item.id] = []
    return answers


def _csv(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _go(page: Any, page_name: str) -> None:
    """Switch pages by the navigation, in the same session (a new address is a new session)."""
    page.get_by_role("link", name=page_name, exact=True).first.click()
    wait_idle(page)
    page.get_by_role("heading", name=page_name).first.wait_for(timeout=20_000)
    wait_idle(page)


def _questionnaire(page: Any, app_url: str, organization: str, division: str) -> None:
    open_app(page, f"{app_url}/questionnaire")
    for key, value in (("profile_organization", organization), ("profile_division", division)):
        box = widget(page, key).locator("input")
        box.fill(value)
        box.press("Enter")
        wait_idle(page)
    for dimension in Q.dimensions:
        page.get_by_role("tab", name=dimension.name).click()
        wait_idle(page)
        first = next(i for i in Q.items_of(dimension.id) if i.kind == "likert")
        widget(page, f"q_{first.id}").get_by_role("radio", name="Agree", exact=True).click()
        wait_idle(page)
    save = page.get_by_role("button", name=re.compile(r"^Save assessment"))
    save.click()
    wait_idle(page)
    save.wait_for(state="detached", timeout=20_000)  # the saved assessment is shown instead


def _survey(page: Any, payloads: dict[str, str]) -> None:
    likert = [i.id for i in Q.items if i.kind == "likert" and i.dimension]
    header = ["division", *likert]
    rows = [header]
    # five respondents per division (the minimum group size), so every name is shown on its own
    for n, text in enumerate(payloads.values()):
        rows += [[text] + [str(1 + (n + m + k) % 5) for k in range(len(likert))] for m in range(5)]
    rows.append([payloads["image"], payloads["bare"], *(["4"] * (len(likert) - 1))])
    rows.append([payloads["link"], "3", payloads["html"], *(["2"] * (len(likert) - 2))])
    _go(page, "Survey upload")
    upload(page, "survey_file", f"{payloads['image']} {payloads['bare']}.csv", b"", "text/csv")
    # shown, not folded away in the collapsed status box of the reading
    page.get_by_test_id("stAlertContentError").first.wait_for(state="visible", timeout=30_000)
    upload(page, "survey_file", f"{payloads['link']}.csv", _csv(rows), "text/csv")
    page.get_by_text(re.compile(r"2 of \d+ rows have problems")).wait_for(timeout=30_000)


def _growth(page: Any, payloads: dict[str, str]) -> None:
    _go(page, "Growth scenarios")
    page.get_by_text("Your own adoption history").click()
    wait_idle(page)
    rows = [["period", "value"], ["2020", "5"], [payloads["image"], "10"]]
    rows += [["2022", payloads["link"]], [payloads["bare"], payloads["html"]]]
    upload(page, "growth_history", f"{payloads['html']}.csv", _csv(rows), "text/csv")
    page.get_by_test_id("stAlertContentError").first.wait_for(state="attached", timeout=30_000)


def _import(page: Any, payloads: dict[str, str]) -> None:
    _go(page, "Saved assessments")
    page.get_by_text("Import assessments (JSON)").click()
    wait_idle(page)
    good = [
        {
            "organization": f"{payloads['image']} {payloads['bare']}",
            "division": f"{payloads['link']} {payloads['html']}",
            "assessed_on": "2026-01-15",
            "answers": _answers(),
        },
        {
            "organization": f"{payloads['html']} {payloads['link']}",
            "division": payloads["bare"],
            "assessed_on": "2026-02-15",
            "answers": _answers(),
        },
    ]
    upload(page, "saved_import", "good.json", json.dumps(good).encode(), "application/json")
    page.get_by_role("button", name="Import", exact=True).click()
    imported = page.get_by_text(re.compile(r"Imported 2 assessments"))
    imported.wait_for(timeout=20_000)
    bad = {"organization": "Acme", "answers": _answers(), **dict.fromkeys(payloads.values(), 1)}
    name = f"{payloads['image']}.json"
    upload(page, "saved_import", name, json.dumps(bad).encode(), "application/json")
    imported.wait_for(state="detached", timeout=20_000)  # the page has run with the new file
    page.get_by_role("button", name="Import", exact=True).click()
    page.get_by_test_id("stAlertContentError").first.wait_for(state="attached", timeout=30_000)


def test_markdown_in_user_text_fetches_nothing_and_links_nowhere(
    page: Any, app_url: str, listener: Listener
) -> None:
    payloads = listener.payloads()
    watch = Watch(page, listener.port)

    organization = f"{payloads['image']} {payloads['bare']}"
    _questionnaire(page, app_url, organization, f"{payloads['link']} {payloads['html']}")
    watch.checkpoint("questionnaire")
    page.get_by_role("link", name="See results").first.click()
    wait_idle(page)
    page.get_by_text(re.compile(re.escape(organization))).first.wait_for(timeout=20_000)
    watch.checkpoint("results of the saved assessment")
    _survey(page, payloads)
    watch.checkpoint("survey")
    _go(page, "Compare")  # the survey's divisions are offered, and chosen, first
    page.get_by_text(re.compile(r"^Survey: ")).first.wait_for(timeout=20_000)
    watch.checkpoint("compare with the survey")
    _growth(page, payloads)
    watch.checkpoint("growth")
    _import(page, payloads)
    watch.checkpoint("saved import")
    for name in ("Results", "Compare", "Saved assessments"):
        _go(page, name)
        watch.checkpoint(name.lower())

    assert watch.to_listener() == []
    assert watch.links == []
    assert listener.connections == []


def test_the_table_toolbar_offers_no_raw_csv_download(page: Any, app_url: str) -> None:
    open_app(page, f"{app_url}/survey")
    likert = [i.id for i in Q.items if i.kind == "likert" and i.dimension]
    formula = ['=HYPERLINK("http://x")', *(["4"] * len(likert))]
    rows = [["division", *likert], *[formula] * 5]  # a group of the minimum size is shown
    upload(page, "survey_file", "survey.csv", _csv(rows), "text/csv")
    table = page.get_by_test_id("stDataFrame").first
    table.wait_for(timeout=30_000)
    table.hover()
    page.wait_for_timeout(300)
    assert page.get_by_role("button", name="Download as CSV").count() == 0

    own = widget(page, "survey_divisions_csv").get_by_role("button", name="CSV")
    with page.expect_download() as download:
        own.click()
    path = download.value.path()
    with open(path, encoding="utf-8", newline="") as written:
        rows = list(csv.reader(written))
    assert rows[0][0] == "Division"
    assert rows[1][0] == '\'=HYPERLINK("http://x")'
