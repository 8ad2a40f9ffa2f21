"""Sign-in and roles in a real browser, against a real OpenID Connect provider.

The provider is ``oidc-provider-mock`` on localhost (``oidc_provider.py``); the dashboard runs
with an ``[auth]`` section pointing at it and an access file giving five people their roles:

=========  ===================  ==============================  ==========================
sub        e-mail               matched by                      role
=========  ===================  ==============================  ==========================
vera       vera@north.example   e-mail rule                     viewer of Northwind
ann        ann@north.example    domain rule (north.example)     assessor of Northwind
sam        sam@south.example    group rule (south-assessors)    assessor of Southgate
ada        ada@example.org      e-mail rule                     admin
eve        eve@elsewhere.test   nothing                         no access
=========  ===================  ==============================  ==========================

Assessments are seeded through the store (the journeys are about who sees what, not saving).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from conftest import screenshot
from dashboard_page import click_until, expect, main_text, open_app, wait_idle, widget
from oidc_provider import Provider, provider_with, sign_in, signed_in_dashboard
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from streamlit_server import Server

pytestmark = pytest.mark.browser

SECRET = "a-cookie-secret-for-the-sign-in-tests-0001"
OTHER_SECRET = "another-server-cookie-secret-for-tests-0002"
NORTH, SOUTH = "Northwind", "Southgate"
RULES = f"""
[[rule]]
email = "vera@north.example"
role = "viewer"
organizations = ["{NORTH}"]

[[rule]]
domain = "north.example"
role = "assessor"
organizations = ["{NORTH}"]

[[rule]]
group = "south-assessors"
role = "assessor"
organizations = ["{SOUTH}"]

[[rule]]
email = "ada@example.org"
role = "admin"
"""
PEOPLE = {
    "vera": {"email": "vera@north.example", "name": "Vera Viewer"},
    "ann": {"email": "ann@north.example", "name": "Ann Assessor"},
    "sam": {"email": "sam@south.example", "name": "Sam South", "groups": ["south-assessors"]},
    "ada": {"email": "ada@example.org", "name": "Ada Admin"},
    "eve": {"email": "eve@elsewhere.test", "name": "Eve Elsewhere"},
}


@dataclass(frozen=True)
class Dashboard:
    server: Server
    database_url: str
    provider: Provider
    ids: dict[str, int]  # seeded assessment ids by "organization/division"

    @property
    def url(self) -> str:
        return self.server.url


def _assessment(organization: str, division: str, seed: int) -> Any:
    """A complete assessment whose answers vary with ``seed``, assessed on 31 March 2026."""
    from store_fixtures import sample_assessment

    return sample_assessment(organization, division, seed)


def _seed(database_url: str) -> dict[str, int]:
    """Three saved assessments (two of Northwind, one of Southgate), saved by the operator."""
    from readiness.store import open_store

    ids = {}
    with open_store(database_url) as store:
        for seed, (organization, division) in enumerate(
            [(NORTH, "Sales"), (NORTH, "Service"), (SOUTH, "Plant")]
        ):
            saved = store.save_assessment(_assessment(organization, division, seed), f"seed-{seed}")
            ids[f"{organization}/{division}"] = saved
    return ids


provider = provider_with(PEOPLE)


@pytest.fixture(scope="module")
def dashboard(provider: Provider, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Dashboard]:
    folder = tmp_path_factory.mktemp("signed-in")
    with signed_in_dashboard(folder, provider, RULES, SECRET) as (server, database):
        url = f"sqlite:///{database}"
        yield Dashboard(server, url, provider, _seed(url))


def go(page: Any, url: str, path: str) -> None:
    open_app(page, f"{url}/{path}")


def saved_listing_csv(page: Any) -> str:
    """The Saved page listing's CSV download, as text."""
    with page.expect_download(timeout=20_000) as download:
        widget(page, "saved_listing_csv").get_by_role("button").click()
    return Path(download.value.path()).read_text(encoding="utf-8")


def test_everybody_signs_in_first_and_a_stranger_has_no_access(
    dashboard: Dashboard, page: Any
) -> None:
    open_app(page, f"{dashboard.url}/saved")  # a deep link reaches no page before sign-in
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    assert page.get_by_role("link", name="Saved assessments").count() == 0
    assert NORTH not in page.inner_text("body")
    screenshot(page, "sign_in_page")

    sign_in(page, dashboard.url, "eve")
    expect(page.get_by_role("heading", name="You have no access")).to_be_visible()
    expect(page.get_by_text("Signed in as eve@elsewhere.test.")).to_be_visible()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    go(page, dashboard.url, "saved")
    expect(page.get_by_role("heading", name="You have no access")).to_be_visible()
    assert NORTH not in page.inner_text("body")
    assert SOUTH not in page.inner_text("body")


def test_a_viewer_reads_own_results_and_cannot_change_anything(
    dashboard: Dashboard, page: Any
) -> None:
    north, south = dashboard.ids[f"{NORTH}/Sales"], dashboard.ids[f"{SOUTH}/Plant"]
    sign_in(page, dashboard.url, "vera")
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar.get_by_text("Signed in as Vera Viewer (vera@north.example)")).to_be_visible()
    expect(sidebar.get_by_text(f"Role: viewer ({NORTH})")).to_be_visible()

    go(page, dashboard.url, "saved")
    listing = saved_listing_csv(page)
    assert NORTH in listing
    assert SOUTH not in listing
    for action in ("Delete", "Edit this assessment", "Copy into a new assessment", "Import"):
        assert page.get_by_role("button", name=action, exact=True).count() == 0, action
    assert page.get_by_text("Import assessments (JSON)").count() == 0
    screenshot(page, "sign_in_viewer_saved")

    go(page, dashboard.url, f"results?assessment={north}")
    expect(page.get_by_text(f"Assessment {north}, version 1, saved")).to_be_visible()

    # Crafted: another organization's assessment by its id is answered as if it did not exist.
    go(page, dashboard.url, f"results?assessment={south}")
    assert SOUTH not in main_text(page)
    assert f"Assessment {south}, version" not in main_text(page)
    screenshot(page, "sign_in_viewer_crafted_results")

    go(page, dashboard.url, f"questionnaire?assessment={north}")
    assert page.get_by_role("button", name=re.compile(r"^Save")).count() == 0
    assert page.get_by_role("button", name="Edit this assessment").count() == 0

    # Crafted: a draft link of another organization neither shows nor changes that draft.
    draft = south_draft(dashboard)
    go(page, dashboard.url, f"questionnaire?draft={draft}")
    assert SOUTH not in main_text(page)
    assert widget(page, "profile_organization").locator("input").input_value() != SOUTH
    assert page.get_by_role("button", name=re.compile(r"^Save")).count() == 0
    assert draft_organization(dashboard, draft) == SOUTH


def south_draft(dashboard: Dashboard) -> str:
    """A draft of Southgate's assessor, written through the store as that assessor."""
    from readiness.access import Role, User
    from readiness.store import open_store

    sam = User("sam@south.example", "Sam South", Role.assessor, frozenset({SOUTH}))
    draft_id = "south-draft-0001"
    with open_store(dashboard.database_url) as store:
        profile = _assessment(SOUTH, "Plant", 0).profile
        store.acting_as(sam).save_draft(draft_id, profile, {"s1": 4})
    return draft_id


def audit_log(dashboard: Dashboard) -> list[Any]:
    from readiness.store import open_store

    with open_store(dashboard.database_url) as store:
        return store.audit_log(limit=1000)


def draft_organization(dashboard: Dashboard, draft_id: str) -> str | None:
    from readiness.store import open_store

    with open_store(dashboard.database_url) as store:
        draft = store.load_draft(draft_id)
    return draft.profile.organization if draft is not None and draft.profile else None


@pytest.fixture(scope="module")
def people(browser: Any, dashboard: Dashboard) -> Iterator[dict[str, Any]]:
    """Signed-in pages by subject, each in its own browser context, signed in on first use and
    kept for the module (a sign-in is a few seconds)."""

    class SignedIn(dict[str, Any]):
        def __missing__(self, sub: str) -> Any:
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            page = context.new_page()
            sign_in(page, dashboard.url, sub)
            self[sub] = page
            return page

    pages = SignedIn()
    yield pages
    for page in pages.values():
        page.context.close()


def test_assessors_of_two_organizations_never_see_each_other(
    dashboard: Dashboard, people: dict[str, Any]
) -> None:
    ann, sam = people["ann"], people["sam"]
    for page, own, other in ((ann, NORTH, SOUTH), (sam, SOUTH, NORTH)):
        go(page, dashboard.url, "saved")
        listing = saved_listing_csv(page)
        assert own in listing, own
        assert other not in listing, own
        assert other not in main_text(page)
        expect(page.get_by_role("button", name="Edit this assessment")).to_be_visible()
        assert page.get_by_role("button", name="Delete", exact=True).count() == 0
        assert page.get_by_text("Import assessments (JSON)").count() == 0
        for download in ("JSON", "CSV"):  # the chosen assessment's own exports
            with page.expect_download(timeout=20_000) as file:
                page.get_by_role("button", name=download, exact=True).last.click()
            text = Path(file.value.path()).read_text(encoding="utf-8")
            assert own in text, (own, download)
            assert other not in text, (own, download)
        screenshot(page, f"sign_in_assessor_saved_{own.lower()}")
        for path in ("compare", "results", "growth"):
            go(page, dashboard.url, path)
            assert other not in main_text(page), (own, path)
        other_id = next(i for key, i in dashboard.ids.items() if key.startswith(other))
        go(page, dashboard.url, f"results?assessment={other_id}")
        assert other not in main_text(page)
        assert f"Assessment {other_id}, version" not in main_text(page)
    # Northwind has two assessments to compare, with nothing of Southgate's among them.
    go(ann, dashboard.url, "compare")
    with ann.expect_download(timeout=20_000) as file:
        widget(ann, "compare_differences_csv").get_by_role("button").click()
    compared = Path(file.value.path()).read_text(encoding="utf-8")
    assert "Northwind / Sales" in compared
    assert "Northwind / Service" in compared
    assert SOUTH not in compared
    screenshot(ann, "sign_in_assessor_compare")
    exports = {  # the audit log knows who downloaded which assessments in which list
        (entry.detail, entry.assessment_id)
        for entry in audit_log(dashboard)
        if entry.actor == "ann@north.example" and entry.action == "export"
    }
    northwind = {i for key, i in dashboard.ids.items() if key.startswith(NORTH)}
    assert {("list CSV", i) for i in northwind} <= exports
    assert {("comparison CSV", i) for i in northwind} <= exports

    # Crafted: Northwind's assessor on Southgate's draft link changes nothing of it.
    draft = south_draft(dashboard)
    go(ann, dashboard.url, f"questionnaire?draft={draft}")
    assert SOUTH not in main_text(ann)
    assert draft_organization(dashboard, draft) == SOUTH


def audit_rows(page: Any) -> list[dict[str, str]]:
    """The audit log on Saved assessments (admins), read from its CSV download."""
    wait_idle(page)
    log = page.get_by_test_id("stExpander").filter(has_text="Audit log")
    if log.locator("details").get_attribute("open") is None:  # a click on an open one closes it
        log.locator("summary").click()
    widget(page, "saved_audit_csv").wait_for(timeout=20_000)
    # A click that lands while a script run redraws the button starts no download (seen on a
    # loaded machine): one more click then. Extra clicks only add export rows, which callers skip.
    for attempt in range(2):
        try:
            with page.expect_download(timeout=20_000) as download:
                widget(page, "saved_audit_csv").get_by_role("button").click()
            break
        except PlaywrightTimeoutError:
            if attempt:
                raise
            wait_idle(page)
    text = Path(download.value.path()).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def test_an_admin_deletes_and_restores_and_the_audit_log_shows_it(
    dashboard: Dashboard, people: dict[str, Any]
) -> None:
    south = dashboard.ids[f"{SOUTH}/Plant"]
    ada, sam = people["ada"], people["sam"]
    go(sam, dashboard.url, "saved")
    with sam.expect_download(timeout=20_000):
        sam.get_by_role("button", name="JSON", exact=True).click()
    wait_idle(sam)

    go(ada, dashboard.url, "saved")
    listing = saved_listing_csv(ada)
    assert NORTH in listing
    assert SOUTH in listing  # an admin sees every organization
    screenshot(ada, "sign_in_admin_saved")
    # Southgate's is the newest, the one chosen first
    chosen = ada.get_by_role("combobox", name="Assessment", exact=True)
    expect(chosen).to_have_value(f"#{south} {SOUTH} / Plant, 2026-03-31")
    widget(ada, "delete_requested").get_by_role("button").click()
    widget(ada, "delete_confirmed").get_by_role("button").click()
    wait_idle(ada)
    assert SOUTH not in saved_listing_csv(ada)

    sam.reload()
    wait_idle(sam)
    expect(sam.get_by_text("No saved assessments yet.")).to_be_visible()
    go(sam, dashboard.url, f"results?assessment={south}")
    assert f"Assessment {south}, version" not in main_text(sam)

    rows = audit_rows(ada)  # as the page showed it when it last ran
    changes = [r for r in rows if r["action"] != "export"]
    assert {
        "who": "ada@example.org",
        "action": "delete",
        "assessment": str(south),
        "organization": SOUTH,
    }.items() <= changes[0].items()
    assert any(
        r["who"] == "sam@south.example" and r["action"] == "export" and r["detail"] == "JSON"
        for r in rows
    )
    screenshot(ada, "sign_in_admin_audit_log")
    listed = [e for e in audit_log(dashboard) if e.detail == "list CSV"]
    assert {e.actor for e in listed} >= {"ada@example.org"}  # her listing downloads, recorded

    wait_idle(ada)
    deleted = ada.get_by_test_id("stExpander").filter(has_text="Deleted assessments (1)")
    deleted.locator("summary").click()
    wait_idle(ada)
    click_until(
        ada,
        deleted.get_by_role("button", name="Restore"),
        ada.get_by_text(f"Assessment {south} restored."),
    )
    assert SOUTH in saved_listing_csv(ada)
    assert next(r for r in audit_rows(ada) if r["action"] != "export")["action"] == (
        "restore deleted"
    )
    screenshot(ada, "sign_in_admin_restored")

    go(sam, dashboard.url, "saved")
    assert SOUTH in saved_listing_csv(sam)


def test_sign_out_ends_the_session(dashboard: Dashboard, page: Any) -> None:
    sign_in(page, dashboard.url, "ann")
    expect(page.get_by_text("Role: assessor (Northwind)")).to_be_visible()
    page.get_by_test_id("stSidebar").get_by_role("button", name="Sign out").click()
    # The provider's end-session page (its metadata names one), then back to the dashboard.
    page.wait_for_url(re.compile(r"/oauth2/end_session"), timeout=20_000)
    page.get_by_role("button", name="End session").click()
    page.wait_for_url(re.compile(re.escape(dashboard.url)), timeout=20_000)
    open_app(page, f"{dashboard.url}/saved")
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    assert NORTH not in page.inner_text("body")
    assert "_streamlit_user" not in {cookie["name"] for cookie in page.context.cookies()}
    page.reload()
    wait_idle(page)
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()


def test_a_cookie_signed_with_another_servers_secret_is_refused(
    dashboard: Dashboard, browser: Any, people: dict[str, Any], tmp_path: Path
) -> None:
    ann = people["ann"]
    cookie = next(c for c in ann.context.cookies() if c["name"] == "_streamlit_user")
    folder = tmp_path / "other-secret"
    with signed_in_dashboard(folder, dashboard.provider, RULES, OTHER_SECRET) as (other, _):
        for url, accepted in ((dashboard.url, True), (other.url, False)):
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            context.add_cookies([{"name": cookie["name"], "value": cookie["value"], "url": url}])
            page = context.new_page()
            open_app(page, f"{url}/saved")
            if accepted:  # the copied cookie is a session on the server that signed it ...
                expect(page.get_by_text("Role: assessor (Northwind)")).to_be_visible()
            else:  # ... and none on a server with another secret
                expect(page.get_by_role("button", name="Sign in")).to_be_visible()
                assert NORTH not in page.inner_text("body")
                screenshot(page, "sign_in_foreign_cookie")
            context.close()
