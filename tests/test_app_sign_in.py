"""Sign-in gate and roles on the pages (AppTest): who sees which page and which buttons.

``AppTest.secrets`` stands for ``.streamlit/secrets.toml`` and ``AppTest.user`` for the identity
the provider gave (``st.user``); the browser journeys against a real provider are in
``tests/e2e/test_sign_in.py``.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import pytest
from app_harness import APP, TIMEOUT
from streamlit.testing.v1 import AppTest

from readiness.assessment import Assessment, Profile
from readiness.questionnaire import load_questionnaire
from readiness.store import open_store

AUTH = {
    "auth": {
        "redirect_uri": "http://localhost:8501/oauth2callback",
        "cookie_secret": "a-cookie-secret-for-the-app-tests",
        "client_id": "readiness",
        "client_secret": "secret",
        "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
    }
}
RULES = """
[[rule]]
email = "vera@north.example"
role = "viewer"
organizations = ["Northwind"]

[[rule]]
email = "ann@north.example"
role = "assessor"
organizations = ["Northwind"]

[[rule]]
email = "ada@example.org"
role = "admin"
"""


@pytest.fixture
def store_url(store_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    """The dashboard's store and the access file ``RULES``, with Northwind's and Southgate's
    assessments saved by the operator."""
    (tmp_path / "access.toml").write_text(RULES)
    monkeypatch.setenv("READINESS_ACCESS_FILE", str(tmp_path / "access.toml"))
    q = load_questionnaire()
    answers = {item.id: 4 for item in q.items if item.kind == "likert"}
    with open_store(store_url) as store:
        for n, organization in enumerate(["Northwind", "Southgate"]):
            assessment = Assessment(
                profile=Profile(organization=organization, division="Sales"),
                questionnaire_version=q.version,
                assessed_on=dt.date(2026, 3, 31),
                answers=answers,
            )
            store.save_assessment(assessment, f"seed-{n}")
    return store_url


def run_as(user: dict[str, Any] | None, page: str | None = None) -> AppTest:
    """The app with sign-in configured, signed in with ``user``'s claims (None: signed out)."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.secrets = AUTH
    at.user = {"is_logged_in": False} if user is None else {"is_logged_in": True, **user}
    at.run()
    assert not at.exception, at.exception
    if page is not None:
        at.switch_page(page).run()
        assert not at.exception, at.exception
    return at


def texts(at: AppTest) -> str:
    parts = [e.value for e in (*at.text, *at.markdown, *at.caption, *at.title, *at.error)]
    return "\n".join(str(part) for part in parts)


def buttons(at: AppTest) -> set[str]:
    return {b.label for b in at.button}


def expanders(at: AppTest) -> set[str]:
    return {e.label for e in at.expander}


def test_without_sign_in_the_dashboard_says_it_is_open_to_anyone(store_url: str) -> None:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    assert not at.exception, at.exception
    notice = " ".join(c.value for c in at.sidebar.caption)
    assert "No sign-in is configured" in notice
    assert "anyone who can reach this dashboard" in notice
    at.switch_page("pages/saved.py").run()
    assert {"Edit this assessment", "Delete"} <= buttons(at)  # the local operator is an admin


def test_signed_out_the_app_is_the_sign_in_page_and_pages_show_no_data(store_url: str) -> None:
    at = run_as(None)
    assert buttons(at) == {"Sign in"}
    assert not at.get("page_link")
    # AppTest runs a page chosen by switch_page as a script of its own (Streamlit's legacy
    # pages/ folder), around the router: the store still refuses a session without a user.
    # The router's own gate on a deep link is checked in the browser (tests/e2e/test_sign_in.py).
    for page in ("pages/saved.py", "pages/results.py", "pages/compare.py"):
        at = run_as(None, page)
        assert "Northwind" not in texts(at), page
        assert not at.dataframe, page
        assert "Edit this assessment" not in buttons(at)


def test_no_matching_rule_means_no_access(store_url: str) -> None:
    at = run_as({"email": "eve@elsewhere.test", "name": "Eve"})
    assert [t.value for t in at.title] == ["You have no access"]
    assert buttons(at) == {"Sign out"}
    assert not at.get("page_link")
    at.switch_page("pages/saved.py").run()  # the store refuses a person with no role
    assert "Northwind" not in texts(at)
    assert not at.dataframe


def test_an_unverified_email_is_not_matched(store_url: str) -> None:
    at = run_as({"email": "ada@example.org", "email_verified": False, "name": "Ada"})
    assert [t.value for t in at.title] == ["You have no access"]


def test_a_broken_access_file_names_the_file_and_lets_nobody_in(
    store_url: str, tmp_path: Path
) -> None:
    (tmp_path / "access.toml").write_text('[[rule]]\nemail = "ada@example.org"\nrole = "boss"\n')
    at = run_as({"email": "ada@example.org", "name": "Ada"})
    message = " ".join(e.value for e in at.error)
    assert "access.toml" in message
    assert "role" in message
    assert buttons(at) == {"Sign out"}


def test_a_viewer_sees_own_organization_without_change_buttons(store_url: str) -> None:
    at = run_as({"email": "vera@north.example", "name": "Vera"})
    sidebar = " ".join(t.value for t in at.sidebar.text)
    assert "Signed in as Vera (vera@north.example)" in sidebar
    assert "Role: viewer (Northwind)" in sidebar
    assert "Sign out" in buttons(at)
    at.switch_page("pages/saved.py").run()
    assert list(at.dataframe[0].value["organization"]) == ["Northwind"]
    assert buttons(at) & {"Edit this assessment", "Copy into a new assessment", "Delete"} == set()
    assert "Open" in buttons(at)
    assert not at.get("file_uploader")
    at.switch_page("pages/questionnaire.py").run()
    assert not any(label.startswith("Save") for label in buttons(at))


def test_an_assessor_edits_but_does_not_delete_or_import(store_url: str) -> None:
    at = run_as({"email": "ann@north.example", "name": "Ann"}, "pages/saved.py")
    assert list(at.dataframe[0].value["organization"]) == ["Northwind"]
    assert {"Edit this assessment", "Copy into a new assessment"} <= buttons(at)
    assert "Delete" not in buttons(at)
    assert not at.get("file_uploader")
    assert not {"Audit log", "Deleted assessments (0)"} & expanders(at)


def test_an_admin_sees_every_organization_and_may_delete(store_url: str) -> None:
    at = run_as({"email": "ada@example.org", "name": "Ada"}, "pages/saved.py")
    assert sorted(at.dataframe[0].value["organization"]) == ["Northwind", "Southgate"]
    assert {"Edit this assessment", "Delete"} <= buttons(at)
    assert at.get("file_uploader")
    assert {"Audit log", "Deleted assessments (0)"} <= expanders(at)
    log = next(frame.value for frame in at.dataframe if "who" in frame.value.columns)
    assert list(log["who"]) == ["operator", "operator"]  # the two seeded saves
    assert list(log["action"]) == ["save", "save"]


def test_a_crafted_delete_by_a_viewer_is_refused_by_the_store(store_url: str) -> None:
    """The page shows a viewer no Delete button; a session made to ask anyway (the dialog's
    state set by hand) is refused by the store, with a one-line message."""
    with open_store(store_url) as store:
        north = next(s.id for s in store.list_assessments() if s.organization == "Northwind")
    at = run_as({"email": "vera@north.example", "name": "Vera"}, "pages/saved.py")
    at.session_state["to_delete"] = north
    at.run()
    at.button(key="delete_confirmed").click().run()
    assert not at.exception, at.exception
    message = " ".join(e.value for e in at.error)
    assert "vera@north.example (viewer) may not delete assessments" in message
    with open_store(store_url) as store:
        assert north in {s.id for s in store.list_assessments()}
        assert not store.deleted_assessments()


def test_an_edited_access_file_applies_at_the_next_run(store_url: str, tmp_path: Path) -> None:
    vera = {"email": "vera@north.example", "name": "Vera"}
    at = run_as(vera)
    assert "Role: viewer (Northwind)" in " ".join(t.value for t in at.sidebar.text)
    rules = tmp_path / "access.toml"
    rules.write_text(RULES.replace('role = "viewer"', 'role = "assessor"'))
    stat = rules.stat()
    os.utime(rules, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    at = run_as(vera)  # the same server process: the rules were cached by the file's mtime
    assert "Role: assessor (Northwind)" in " ".join(t.value for t in at.sidebar.text)


@pytest.fixture
def warnings_logged(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What the sign-in gate logs, from a fresh server process's point of view."""
    monkeypatch.syspath_prepend(str(Path(APP).parent))  # as streamlit run puts it, for pages/
    from pages.shared import auth

    auth.log_once.clear()
    logged: list[str] = []
    monkeypatch.setattr(auth.LOGGER, "warning", lambda *args: logged.append(args[0] % args[1:]))
    return logged


def test_without_an_access_file_the_page_and_the_log_say_so(
    store_url: str, monkeypatch: pytest.MonkeyPatch, warnings_logged: list[str]
) -> None:
    monkeypatch.delenv("READINESS_ACCESS_FILE")
    at = run_as(None)  # before anyone signs in, the log says it
    assert buttons(at) == {"Sign in"}
    assert "No access file" not in texts(at)
    at = run_as({"email": "ada@example.org", "name": "Ada"})
    assert [t.value for t in at.title] == ["No access file is configured"]
    assert "READINESS_ACCESS_FILE is not set" in texts(at)
    assert "section **Sign-in**, step 3" in texts(at)
    assert "ask the dashboard's administrator" not in texts(at).lower()
    assert buttons(at) == {"Sign out"}
    assert len(warnings_logged) == 1
    assert "READINESS_ACCESS_FILE is not set" in warnings_logged[0]


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (None, "no such access file (READINESS_ACCESS_FILE)"),
        ("# the rules will follow\n", "no [[rule]] in the access file"),
        ('entra_tenant = "contoso"\n', "field entra_tenant: 'contoso' is not a tenant id"),
    ],
    ids=["missing", "no rules", "bad tenant id"],
)
def test_an_access_file_that_lets_nobody_in_is_named_on_the_page_and_in_the_log(
    store_url: str,
    tmp_path: Path,
    warnings_logged: list[str],
    content: str | None,
    problem: str,
) -> None:
    rules = tmp_path / "access.toml"
    if content is None:
        rules.unlink()
    else:
        rules.write_text(content)
    for _ in range(2):
        at = run_as({"email": "ada@example.org", "name": "Ada"})
        assert [t.value for t in at.title] == ["Sign-in is not available"]
        message = " ".join(e.value for e in at.error)
        assert str(rules) in message
        assert problem in message
    assert len(warnings_logged) == 1
    assert problem in warnings_logged[0]


ENTRA_TENANT = "11111111-2222-3333-4444-555555555555"


def entra_claims(**claims: Any) -> dict[str, Any]:
    """Microsoft Entra ID's claims: its issuer, tenant and object id, no email_verified."""
    tenant = "99999999-8888-7777-6666-555555555555"
    return {
        "iss": f"https://login.microsoftonline.com/{tenant}/v2.0",
        "tid": tenant,
        "oid": "0000000a-0000-0000-0000-000000000001",
        "sub": "pairwise",
        **claims,
    }


def test_an_entra_user_with_an_unverified_email_is_refused_with_the_reason(
    store_url: str,
) -> None:
    at = run_as(entra_claims(name="Ada?", email="ada@example.org"))
    assert [t.value for t in at.title] == ["You have no access"]
    message = " ".join(e.value for e in at.error)
    assert "Signed in as ada@example.org." in texts(at)
    assert "does not vouch for this e-mail address" in message
    assert "xms_edov" in message
    at = run_as(entra_claims(name="Ada", email="ada@example.org", xms_edov=True))
    assert "Role: admin (every organization)" in " ".join(t.value for t in at.sidebar.text)


def test_a_home_tenant_member_is_known_by_the_user_principal_name(
    store_url: str, tmp_path: Path
) -> None:
    (tmp_path / "access.toml").write_text(f'entra_tenant = "{ENTRA_TENANT}"\n{RULES}')
    member = {"tid": ENTRA_TENANT, "iss": f"https://login.microsoftonline.com/{ENTRA_TENANT}/v2.0"}
    at = run_as(entra_claims(name="Ann", preferred_username="ann@north.example", **member))
    assert "Signed in as Ann (ann@north.example)" in " ".join(t.value for t in at.sidebar.text)
