"""Setting sign-in up as docs/sign-in.md says, in Chromium against a real OpenID Connect provider.

The traps of a first set-up, each one a page that says what is wrong instead of a silent loop:
the dashboard opened at another address than its ``redirect_uri``; no access file configured;
a deep link opened before signing in (it is where the person lands afterwards); and Microsoft
Entra ID, whose ``email`` claim is not verified unless ``xms_edov`` says so (or the person is
known by their user principal name in the home tenant).

The provider (``oidc-provider-mock``) issues its own ``iss``; the Entra-shaped people carry
Entra's claims (``tid``, ``oid``, ``preferred_username``, ``email`` without
``email_verified``, with and without ``xms_edov``), and the dashboard knows them as Entra's by
their tenant claim.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from conftest import screenshot
from dashboard_page import expect, main_text, open_app, wait_idle
from oidc_provider import Provider, provider_with, sign_in, signed_in_dashboard
from streamlit_server import Server

pytestmark = pytest.mark.browser

SECRET = "a-cookie-secret-for-the-set-up-tests-0003"
NORTH = "Northwind"
HOME_TENANT = "11111111-2222-3333-4444-555555555555"
OTHER_TENANT = "99999999-8888-7777-6666-555555555555"
RULES = f"""
entra_tenant = "{HOME_TENANT}"

[[rule]]
email = "vera@north.example"
role = "viewer"
organizations = ["{NORTH}"]

[[rule]]
domain = "contoso.example"
role = "assessor"
organizations = ["{NORTH}"]
"""


def _entra(tenant: str, oid: str, **claims: Any) -> dict[str, Any]:
    """Claims shaped as Microsoft Entra ID's v2.0 ID token (the issuer is the mock's own)."""
    return {"tid": tenant, "oid": oid, "ver": "2.0", **claims}


PEOPLE = {
    "vera": {"email": "vera@north.example", "name": "Vera Viewer"},
    # Another tenant's user who set her mail attribute to an address of contoso.example.
    "mallory": _entra(
        OTHER_TENANT,
        "0000000a-0000-0000-0000-000000000001",
        name="Mallory",
        preferred_username="mallory@fabrikam.example",
        email="ceo@contoso.example",
    ),
    # Her e-mail's domain verified by its owner (the optional claim xms_edov).
    "carol": _entra(
        OTHER_TENANT,
        "0000000a-0000-0000-0000-000000000002",
        name="Carol Contoso",
        preferred_username="carol@contoso.example",
        email="carol@contoso.example",
        xms_edov=True,
    ),
    # A member of the home tenant: known by her user principal name, no e-mail claim at all.
    "dana": _entra(
        HOME_TENANT,
        "0000000a-0000-0000-0000-000000000003",
        name="Dana Home",
        preferred_username="dana@contoso.example",
    ),
}


provider = provider_with(PEOPLE)


@pytest.fixture(scope="module")
def dashboard(provider: Provider, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with signed_in_dashboard(tmp_path_factory.mktemp("set-up"), provider, RULES, SECRET) as (
        server,
        _,
    ):
        yield server


def test_opened_at_another_address_than_the_redirect_uri_names_the_right_one(
    provider: Provider, page: Any, tmp_path: Path
) -> None:
    """docs/sign-in.md's redirect_uri says localhost; the person opens 127.0.0.1."""
    with signed_in_dashboard(
        tmp_path / "localhost", provider, RULES, SECRET, redirect_host="localhost"
    ) as (server, _):
        port = urlsplit(server.url).port
        right = f"http://localhost:{port}"
        open_app(page, f"{server.url}/growth?level=market")
        expect(page.get_by_text(f"Open this dashboard at {right}")).to_be_visible()
        assert "sign-in from 127.0.0.1 cannot complete" in main_text(page)
        screenshot(page, "sign_in_wrong_address")
        with page.context.expect_page() as opened:
            page.get_by_role("link", name=f"Open {right}").click()
        there = opened.value
        there.wait_for_selector('[data-testid="stApp"]', timeout=30_000)
        wait_idle(there, 30_000)
        assert there.url == f"{right}/growth?level=market"
        # At the right address nothing is said, and sign-in completes.
        assert "Open this dashboard at" not in main_text(there)
        sign_in(there, right, "vera", "growth?level=market")
        expect(there.get_by_text(f"Role: viewer ({NORTH})")).to_be_visible()
        there.close()


def test_without_an_access_file_the_page_and_the_log_say_so(
    provider: Provider, page: Any, tmp_path: Path
) -> None:
    with signed_in_dashboard(tmp_path / "no-file", provider, None, SECRET) as (server, _):
        sign_in(page, server.url, "vera")
        expect(page.get_by_role("heading", name="No access file is configured")).to_be_visible()
        text = main_text(page)
        assert "READINESS_ACCESS_FILE" in text
        assert "Sign-in" in text  # where the README says how to write one
        assert "ask the dashboard's administrator" not in text
        screenshot(page, "sign_in_no_access_file")
        page.reload()
        wait_idle(page, 30_000)
        expect(page.get_by_role("heading", name="No access file is configured")).to_be_visible()
        log = server.log.read_text(errors="replace")
        assert log.count("READINESS_ACCESS_FILE is not set") == 1, log


def test_a_deep_link_opened_before_sign_in_is_where_sign_in_returns(
    dashboard: Server, page: Any
) -> None:
    sign_in(page, dashboard.url, "vera", "growth?level=market&start_share=40")
    # The growth page keeps in the address what differs from its defaults (market is one).
    page.wait_for_url(re.compile(r"/growth\?(.+&)?start_share=40(&|$)"), timeout=20_000)
    wait_idle(page, 30_000)
    expect(page.get_by_role("heading", name="Growth scenarios")).to_be_visible()
    expect(page.get_by_text("Market level: share of organizations deploying E2.0")).to_be_visible()
    start_share = page.get_by_role("slider", name="Start share (%)")
    expect(start_share).to_match_aria_snapshot('- slider: "40"')
    expect(page.get_by_text(f"Role: viewer ({NORTH})")).to_be_visible()
    screenshot(page, "sign_in_deep_link_kept")
    # Kept once: opening the dashboard's own address afterwards is the Overview.
    open_app(page, dashboard.url)
    assert urlsplit(page.url).path == "/"
    assert "start_share" not in page.url
    expect(page.get_by_role("heading", name="Growth scenarios")).to_have_count(0)


def test_a_crafted_return_address_never_leaves_the_dashboard(
    dashboard: Server, browser: Any
) -> None:
    """A return cookie set by someone else (another page of the site, a crafted link) names at
    most one of the app's pages: sign-in still ends on the dashboard's own Overview."""
    for crafted in ("//evil.example/growth", "https:%2F%2Fevil.example%2F", "%2F%2Fevil.example"):
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        open_app(page, dashboard.url)
        context.add_cookies([{"name": "readiness_return", "value": crafted, "url": dashboard.url}])
        page.get_by_role("button", name="Sign in", exact=True).click()
        page.wait_for_url(re.compile(r"/oauth2/authorize"), timeout=20_000)
        page.locator("input[name=sub]").fill("vera")
        page.get_by_role("button", name="Authorize").click()
        page.wait_for_url(re.compile(re.escape(dashboard.url)), timeout=20_000)
        wait_idle(page, 30_000)
        expect(page.get_by_text(f"Role: viewer ({NORTH})")).to_be_visible()
        assert urlsplit(page.url).netloc == urlsplit(dashboard.url).netloc, crafted
        assert urlsplit(page.url).path == "/", crafted
        context.close()


def test_entra_users_are_matched_on_a_verified_claim_only(dashboard: Server, browser: Any) -> None:
    def signed_in(sub: str) -> Any:
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        sign_in(page, dashboard.url, sub)
        return page

    mallory = signed_in("mallory")
    expect(mallory.get_by_role("heading", name="You have no access")).to_be_visible()
    text = main_text(mallory)
    assert "ceo@contoso.example" in text
    assert "not verified" in text
    assert "xms_edov" in text
    assert "Role:" not in mallory.inner_text("body")
    screenshot(mallory, "sign_in_entra_unverified")
    mallory.context.close()

    for sub, name in (("carol", "Carol Contoso"), ("dana", "Dana Home")):
        admitted = signed_in(sub)
        sidebar = admitted.get_by_test_id("stSidebar")
        expect(sidebar.get_by_text(f"Role: assessor ({NORTH})")).to_be_visible()
        expect(sidebar.get_by_text(f"Signed in as {name} ({sub}@contoso.example)")).to_be_visible()
        screenshot(admitted, f"sign_in_entra_{sub}")
        admitted.context.close()
