"""Running for a team: nginx with TLS, two dashboard servers, one PostgreSQL database.

The setup is docs/team.md ("Running for a team"), started by ``team_setup.py`` from
``deploy/nginx-site.conf`` itself. People are browsers in headless Chromium that reach the
dashboard only through the proxy; the proxy's access log says which server answered each of
their requests. Without nginx the tests are skipped, unless ``READINESS_REQUIRE_NGINX=1`` (CI).
"""

from __future__ import annotations

import json
import os
import re
import ssl
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import SCREENSHOTS, require_browser
from dashboard_page import expect, open_app, upload, wait_idle, widget
from team_setup import Team, nginx_binary, team_setup

from readiness.questionnaire import load_questionnaire
from readiness.store import open_store

pytestmark = [pytest.mark.browser, pytest.mark.postgres]
Q = load_questionnaire()
ROUTE_COOKIE = "readiness_route"
SAVED = re.compile(r"Saved as assessment (\d+) on ")


def require_nginx() -> None:
    if nginx_binary() is not None:
        return
    if os.environ.get("READINESS_REQUIRE_NGINX") == "1":
        pytest.fail("nginx is required here (READINESS_REQUIRE_NGINX=1) but is not installed")
    pytest.skip("nginx is not installed (apt-get install nginx)")


@pytest.fixture(scope="module")
def team(postgres_admin_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Team]:
    require_browser()
    require_nginx()
    started = time.perf_counter()
    with team_setup(postgres_admin_url, tmp_path_factory.mktemp("team")) as running:
        print(f"\nteam setup started in {time.perf_counter() - started:.1f} s")
        yield running


class Person:
    """One browser (its own cookies) on the team's dashboard, and the server it stays on."""

    def __init__(self, browser: Any, team: Team) -> None:
        self.context = browser.new_context(
            accept_downloads=True,
            ignore_https_errors=True,  # the proxy's certificate is self-signed
            viewport={"width": 1400, "height": 1000},
        )
        # A first request through the proxy gives this browser its route cookie.
        assert self.context.request.get(f"{team.url}/_stcore/health").ok
        self.route = next(c["value"] for c in self.context.cookies() if c["name"] == ROUTE_COOKIE)
        self.server = team.server_of(self.route)
        self.page = self.context.new_page()

    def close(self, name: str) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.locator("h1").first.scroll_into_view_if_needed()  # the page's top, its messages
        self.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
        self.context.close()


def people_on_both_servers(browser: Any, team: Team) -> tuple[Person, Person]:
    """Two people whom the proxy sends to different servers (a new browser lands on either)."""
    first = Person(browser, team)
    for _ in range(30):
        second = Person(browser, team)
        if second.server != first.server:
            return first, second
        second.context.close()
    raise AssertionError(f"30 new browsers all went to {first.server}: the proxy does not spread")


def start_drafts(team: Team, drafts: dict[Person, str]) -> None:
    """Each person starts a new assessment with a name and one answer, all at the same time."""
    first = next(i for i in Q.items_of(Q.dimensions[0].id) if i.kind == "likert")
    for person in drafts:
        new = person.page.get_by_role("button", name="Start a new assessment")
        if new.count():
            new.click()
        else:
            person.page.goto(f"{team.url}/questionnaire")
    for person, organization in drafts.items():
        wait_idle(person.page, 60_000)  # a server's first page imports the app: up to seconds
        name = widget(person.page, "profile_organization").locator("input")
        name.fill(organization)
        name.press("Enter")
    for person in drafts:
        wait_idle(person.page)
        choice = widget(person.page, f"q_{first.id}").get_by_role("radio", name="Agree", exact=True)
        choice.click()
    for person in drafts:
        person.page.get_by_text("Draft saved automatically.").wait_for(timeout=20_000)
        wait_idle(person.page)


def click_save(person: Person) -> None:
    person.page.get_by_role("button", name="Save assessment").click()


def saved_number(person: Person) -> int:
    """Wait for the save's success message; the assessment number it gives."""
    success = person.page.get_by_test_id("stAlertContentSuccess").filter(has_text=SAVED)
    success.wait_for(timeout=20_000)
    wait_idle(person.page)
    found = SAVED.search(success.inner_text())
    assert found is not None
    return int(found[1])


def stays_on_one_server(team: Team, person: Person) -> None:
    """Every request of this browser (pages, websocket, uploads) went to its one server."""
    assert team.routes()[person.route] == {person.server}


def test_the_proxy_serves_tls_and_redirects_plain_http(team: Team) -> None:
    verified = ssl.create_default_context(cafile=str(team.certificate))
    with urllib.request.urlopen(f"{team.url}/_stcore/health", context=verified) as response:
        assert response.read() == b"ok"
        assert "max-age=" in (response.headers["Strict-Transport-Security"] or "")

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: Any, **kwargs: Any) -> None:
            return None

    with pytest.raises(urllib.error.HTTPError) as moved:
        urllib.request.build_opener(NoRedirect).open(f"{team.plain_url}/saved?x=1")
    assert moved.value.code == 301
    assert moved.value.headers["Location"] == f"{team.url}/saved?x=1"


def test_saved_through_one_server_is_found_through_the_other(browser: Any, team: Team) -> None:
    started = time.perf_counter()
    writer, reader = people_on_both_servers(browser, team)
    assert {writer.server, reader.server} == set(team.upstreams)
    reader.page.goto(f"{team.url}/saved")  # while the writer's server starts its first page

    start_drafts(team, {writer: "Northwind Traders"})
    click_save(writer)
    number = saved_number(writer)

    open_app(reader.page, f"{team.url}/saved")
    grid = reader.page.get_by_test_id("stDataFrame").first
    expect(grid).to_contain_text("Northwind Traders")
    opening = reader.page.get_by_test_id("stHorizontalBlock").get_by_role("button", name="Open")
    opening.click()  # the one under the list (the selectbox's arrow is named "Open" too)
    reader.page.wait_for_url(re.compile(rf"/questionnaire\?assessment={number}$"))
    wait_idle(reader.page)
    organization = widget(reader.page, "profile_organization").locator("input")
    expect(organization).to_have_value("Northwind Traders")
    # Results' chart as a PNG: rendered on the reader's server when clicked, fetched from it
    reader.page.get_by_role("link", name="See results").click()
    reader.page.get_by_role("heading", name="Results").wait_for()
    wait_idle(reader.page)
    with reader.page.expect_download() as download:
        widget(reader.page, "png_readiness-dimensions").get_by_role("button").click()
    image = Path(download.value.path()).read_bytes()
    assert image.startswith(b"\x89PNG\r\n\x1a\n")
    assert download.value.suggested_filename == "readiness-dimensions.png"

    writer.close("team_writer_server_a")
    reader.close("team_reader_server_b")
    stays_on_one_server(team, writer)
    stays_on_one_server(team, reader)
    print(f"saved on one server, found on the other: {time.perf_counter() - started:.1f} s")


def test_concurrent_saves_through_both_servers_lose_nothing(browser: Any, team: Team) -> None:
    started = time.perf_counter()
    first, second = people_on_both_servers(browser, team)
    numbers: dict[str, int] = {}
    for n in range(1, 4):
        drafts = {first: f"Team A {n}", second: f"Team B {n}"}
        start_drafts(team, drafts)
        for person in drafts:  # both saves leave before either has finished
            click_save(person)
        for person, name in drafts.items():
            numbers[name] = saved_number(person)
    assert len(set(numbers.values())) == len(numbers), numbers

    with open_store(team.database_url) as store:
        stored = {s.organization: s.id for s in store.list_assessments()}
    assert {name: stored.get(name) for name in numbers} == numbers

    # an upload (an import) goes to the server of the session that shows the uploader
    open_app(second.page, f"{team.url}/saved")
    second.page.get_by_text("Import assessments (JSON)").click()
    wait_idle(second.page)
    likert = {item.id: 4 for item in Q.items if item.kind == "likert"}
    imported = {"organization": "Team B imported", "assessed_on": "2026-11-30", "answers": likert}
    upload(
        second.page,
        "saved_import",
        "team.json",
        json.dumps([imported]).encode(),
        "application/json",
    )
    second.page.get_by_role("button", name="Import", exact=True).click()
    second.page.get_by_text(re.compile(r"Imported 1 assessment")).wait_for(timeout=20_000)
    uploads = [
        line
        for line in team.access_log.read_text(encoding="utf-8").splitlines()
        if line.startswith(f"{second.route}|") and "/_stcore/upload_file" in line
    ]
    assert uploads
    assert all(line.split("|")[1] == second.server for line in uploads), uploads

    open_app(first.page, f"{team.url}/saved")
    grid = first.page.get_by_test_id("stDataFrame").first
    for name in [*numbers, "Team B imported"]:
        expect(grid).to_contain_text(name)
    first.close("team_concurrent_saves_listed")
    second.close("team_concurrent_saves_second")
    stays_on_one_server(team, first)
    stays_on_one_server(team, second)
    print(f"{len(numbers)} concurrent saves: {time.perf_counter() - started:.1f} s")


def test_no_server_logged_an_error(team: Team) -> None:
    """After the journeys above, neither server's log holds a traceback."""
    for server in team.servers:
        log = Path(server.log).read_text(errors="replace")
        assert "Traceback" not in log, log[-2000:]


def test_when_a_server_stops_a_reload_carries_on_through_the_other(
    browser: Any, team: Team
) -> None:
    """Last in this module: it stops a server. The person's page, reloaded, opens on the other
    server with the draft autosaved before (it is in the database), and the save is kept.

    Without the reload, the page's own reconnection reached the other server through the proxy
    (a new session was made there) but the page stayed silent: hence the reload."""
    started = time.perf_counter()
    person = Person(browser, team)
    start_drafts(team, {person: "Contoso"})  # autosaved as a draft, on the first server
    stopped = person.server
    (other,) = set(team.upstreams) - {stopped}
    team.stop(stopped)

    person.page.reload()
    wait_idle(person.page, 30_000)
    organization = widget(person.page, "profile_organization").locator("input")
    expect(organization).to_have_value("Contoso")  # the draft, read from PostgreSQL
    click_save(person)
    number = saved_number(person)
    with open_store(team.database_url) as store:
        assert store.get_assessment(number).assessment.profile.organization == "Contoso"
    person.close("team_after_a_server_stopped")
    assert team.routes()[person.route] == {stopped, other}
    print(f"carried on through the other server: {time.perf_counter() - started:.1f} s")
