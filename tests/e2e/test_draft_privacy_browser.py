"""Another organization's draft or assessment link reads exactly like one nobody used.

Signed in through a real OpenID Connect provider (``oidc_provider.py``): Sam assesses Southgate,
Ann assesses Northwind. Sam's draft in progress, the draft Sam saved as an assessment, and that
assessment are seeded through the store as Sam; Ann opens their links as a person would (a
shared or guessed address, a cookie left in the browser), types and saves, and must learn nothing
of them and change nothing of them.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from conftest import screenshot
from dashboard_page import expect, main_text, open_app, wait_idle, widget
from oidc_provider import Provider, provider_with, sign_in, signed_in_dashboard
from streamlit_server import Server

from readiness.access import Role, User
from readiness.assessment import Profile
from readiness.questionnaire import load_questionnaire
from readiness.store import open_store

pytestmark = pytest.mark.browser

SECRET = "a-cookie-secret-for-the-draft-privacy-0001"
NORTH, SOUTH = "Northwind", "Southgate"
RULES = f"""
[[rule]]
domain = "north.example"
role = "assessor"
organizations = ["{NORTH}"]

[[rule]]
domain = "south.example"
role = "assessor"
organizations = ["{SOUTH}"]
"""
SAM = User("sam@south.example", "Sam South", Role.assessor, frozenset({SOUTH}))
Q = load_questionnaire()
#: What must never be shown to Ann about Southgate's ids.
LEAKS = re.compile(
    r"another organization|belongs to|saved as assessment|in another tab|Could not|Southgate"
    r"|may not",
    re.IGNORECASE,
)
DRAFT_ADDRESS = re.compile(r"/questionnaire\?draft=([0-9a-f]{32})$")


@dataclass(frozen=True)
class Southgate:
    """Sam's ids: a draft in progress, a draft saved as an assessment, and that assessment."""

    in_progress: str
    saved_draft: str
    assessment: int


@dataclass(frozen=True)
class Dashboard:
    server: Server
    database_url: str
    south: Southgate


def _seed(database_url: str) -> Southgate:
    from store_fixtures import sample_assessment

    in_progress, saved_draft = uuid.uuid4().hex, uuid.uuid4().hex
    with open_store(database_url) as store:
        sam = store.acting_as(SAM)
        sam.save_draft(in_progress, Profile(organization=SOUTH), {"su_sponsor": 4})
        sam.save_draft(saved_draft, Profile(organization=SOUTH), {"su_sponsor": 2})
        saved = sam.save_submission(sample_assessment(SOUTH, "Plant"), saved_draft)
    return Southgate(in_progress, saved_draft, saved.id)


provider = provider_with({"ann": {"email": "ann@north.example", "name": "Ann Assessor"}})


@pytest.fixture(scope="module")
def dashboard(provider: Provider, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Dashboard]:
    folder = tmp_path_factory.mktemp("privacy")
    with signed_in_dashboard(folder, provider, RULES, SECRET) as (server, database):
        url = f"sqlite:///{database}"
        yield Dashboard(server, url, _seed(url))


@pytest.fixture(scope="module")
def ann(browser: Any, dashboard: Dashboard) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    sign_in(page, dashboard.server.url, "ann")
    yield page
    context.close()


def _open(page: Any, dashboard: Dashboard, path: str) -> str:
    """Open ``path``; the page's text, draft ids and assessment numbers made neutral."""
    open_app(page, f"{dashboard.server.url}/{path}")
    page.wait_for_timeout(300)
    wait_idle(page)
    if path.startswith("questionnaire"):  # drawn to the end: its progress line is filled last
        page.get_by_text(re.compile(r"^\d+ of \d+ questions answered$")).wait_for()
    # on a loaded machine the browser may still be laying out widgets: read until it settles
    text, previous = main_text(page), ""
    for _ in range(20):
        if text == previous:
            break
        page.wait_for_timeout(250)
        previous, text = text, main_text(page)
    text = re.sub(r"[0-9a-f]{32}", "<draft>", text)
    return re.sub(r"\b[Aa]ssessment \d+\b", "assessment <n>", text)


def _sam_kept(dashboard: Dashboard) -> tuple[Any, Any, int]:
    """Sam's draft in progress, the saved draft's state and the assessment's version."""
    with open_store(dashboard.database_url) as store:
        sam = store.acting_as(SAM)
        draft = sam.load_draft(dashboard.south.in_progress)
        return (
            (draft.profile, draft.answers) if draft else None,
            sam.find_submission(dashboard.south.saved_draft),
            sam.get_assessment(dashboard.south.assessment).version,
        )


def test_southgates_draft_links_open_a_new_draft_of_anns_own(
    dashboard: Dashboard, ann: Any
) -> None:
    before = _sam_kept(dashboard)
    south = dashboard.south
    for draft_id in (south.in_progress, south.saved_draft):
        nobodys = _open(ann, dashboard, f"questionnaire?draft={uuid.uuid4().hex}")
        shown = _open(ann, dashboard, f"questionnaire?draft={draft_id}")
        assert shown == nobodys  # the same page as for an id nobody used
        # Ann answers as a person does: types the organization (no Enter), answers a question
        name = widget(ann, "profile_organization").locator("input")
        name.click()
        ann.keyboard.type(NORTH, delay=20)
        ann.keyboard.press("Tab")
        wait_idle(ann)
        first = next(i for i in Q.items_of(Q.dimensions[0].id) if i.kind == "likert")
        widget(ann, f"q_{first.id}").get_by_role("radio", name="Agree", exact=True).click()
        ann.get_by_text("Draft saved automatically.").wait_for(timeout=20_000)
        wait_idle(ann)
        ann.wait_for_timeout(500)
        wait_idle(ann)
        screenshot(
            ann, f"privacy_draft_link_{'saved' if draft_id == south.saved_draft else 'open'}"
        )
        assert not LEAKS.search(main_text(ann)), main_text(ann)
        assert not re.search(rf"\b[Aa]ssessment {south.assessment}\b", main_text(ann))
        # Ann's answers are a draft of her own, under its own id
        expect(ann).to_have_url(DRAFT_ADDRESS)
        own = DRAFT_ADDRESS.search(ann.url)[1]  # type: ignore[index]
        assert own != draft_id
        with open_store(dashboard.database_url) as store:
            mine = store.acting_as(
                User("ann@north.example", "Ann", Role.assessor, frozenset({NORTH}))
            )
            draft = mine.load_draft(own)
        assert draft is not None
        assert draft.profile is not None
        assert draft.profile.organization == NORTH
        assert _sam_kept(dashboard) == before

    # Saving stores Ann's assessment, and Sam's draft is still there, untouched
    ann.get_by_role("button", name=re.compile(r"^Save assessment")).click()
    success = ann.get_by_test_id("stAlertContentSuccess")
    success.wait_for(timeout=20_000)
    saved = main_text(ann)
    assert SOUTH not in saved
    assert "another organization" not in saved
    assert not re.search(rf"\b[Aa]ssessment {south.assessment}\b", saved), saved
    assert _sam_kept(dashboard) == before


def test_southgates_assessment_link_reads_like_a_missing_one(
    dashboard: Dashboard, ann: Any
) -> None:
    number = dashboard.south.assessment
    for path in ("questionnaire", "results"):
        southgates = _open(ann, dashboard, f"{path}?assessment={number}")
        missing = _open(ann, dashboard, f"{path}?assessment={number + 1000}")
        assert southgates == missing
        assert SOUTH not in southgates
    screenshot(ann, "privacy_assessment_link")


def test_a_cookie_naming_southgates_draft_offers_nothing(dashboard: Dashboard, ann: Any) -> None:
    """A browser that remembers Sam's draft (a shared computer): no offer to resume it."""
    ann.context.add_cookies(
        [
            {
                "name": "readiness_draft",
                "value": dashboard.south.in_progress,
                "url": dashboard.server.url,
            }
        ]
    )
    for path in ("", "questionnaire"):
        _open(ann, dashboard, path)
        assert ann.get_by_role("button", name="Resume the draft").count() == 0
        assert not LEAKS.search(main_text(ann)), main_text(ann)
    screenshot(ann, "privacy_cookie")
