"""Who is using the dashboard: sign-in through Streamlit's OpenID Connect, the role from the rules.

With an ``[auth]`` section in ``.streamlit/secrets.toml`` everybody signs in first (``st.login``);
the access file (``READINESS_ACCESS_FILE``) turns the identity claims into a role and
organizations, and a person no rule matches sees a "no access" page. Without ``[auth]`` the
dashboard is the local single-user tool: every session acts as the local operator (an admin), and
the sidebar says that anyone who can reach it may use it.

Pages hide what the role may not do (:func:`may`), but the store checks every operation
(``Store.acting_as``): a crafted request is refused there, and :func:`show_refusal` shows it.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from readiness.access import (
    OPERATOR,
    AccessRules,
    Action,
    PermissionDeniedError,
    User,
    load_access_rules,
    user_from_claims,
)
from readiness.errors import InputError
from readiness.safe_output import literal_block
from readiness.settings import load_settings


def sign_in_configured() -> bool:
    """Whether ``[auth]`` is configured (secrets.toml): then everybody signs in first."""
    try:
        return "auth" in st.secrets
    except (FileNotFoundError, OSError):  # no secrets file at all
        return False


@st.cache_resource(show_spinner=False, max_entries=4)
def _rules(path: str | None, modified: float) -> AccessRules:
    """The access rules, read again when the file changes (its modification time)."""
    from pathlib import Path

    return load_access_rules(Path(path) if path else None)


def access_rules() -> AccessRules:
    """The rules of ``READINESS_ACCESS_FILE`` (no file set: nobody has access)."""
    path = load_settings().access_file
    try:
        modified = path.stat().st_mtime if path is not None else 0.0
    except OSError:
        modified = -1.0  # missing: load_access_rules says so, naming the file
    return _rules(str(path) if path is not None else None, modified)


def current_user() -> User | None:
    """The user this session acts as: the operator without sign-in, else the signed-in person
    with the role the rules give them. None when nobody is signed in or no rule matches."""
    if not sign_in_configured():
        return OPERATOR
    if not st.user.is_logged_in:
        return None
    try:
        return user_from_claims(st.user.to_dict(), access_rules())
    except InputError:
        return None  # the gate shows the access file's problems


def may(action: Action, organization: str | None = None) -> bool:
    """Whether this session's user may do ``action``: pages show only what they may do."""
    user = current_user()
    return user is not None and user.may(action, organization)


def show_refusal(error: PermissionDeniedError, action: str) -> None:
    """A refusal of the store as a clear one-line message (never a traceback)."""
    st.error(literal_block([str(error)]), icon=":material/block:", title=f"Could not {action}")


def _sign_out_button(key: str) -> None:
    st.button("Sign out", icon=":material/logout:", on_click=st.logout, key=key)


def _sign_in_page() -> None:
    st.title("E2.0 readiness", anchor=False)
    st.write("Sign in to see and work on your organization's readiness assessments.")
    st.button("Sign in", type="primary", icon=":material/login:", on_click=st.login)


def _no_access_page() -> None:
    st.title("You have no access", anchor=False)
    claims = st.user.to_dict()
    who = claims.get("email") or claims.get("sub") or "this account"
    st.text(f"Signed in as {who}.")
    st.write(
        "No access rule gives this account a role in the readiness dashboard. Ask the "
        "dashboard's administrator to add you to the access file, then sign in again."
    )
    _sign_out_button("sign_out_no_access")


def _show_who(user: User) -> None:
    with st.sidebar:
        st.text(f"Signed in as {user.name}" + (f" ({user.id})" if user.name != user.id else ""))
        orgs = ", ".join(sorted(user.organizations or ())) or "every organization"
        st.text(f"Role: {user.role} ({orgs})")
        _sign_out_button("sign_out")


def _bad_rules_page(error: InputError) -> None:
    st.title("Sign-in is not available", anchor=False)
    st.error(
        literal_block(error.problems),
        icon=":material/error:",
        title="The access file has problems: nobody can be let in until they are fixed",
    )
    _sign_out_button("sign_out_bad_rules")


def gate() -> Callable[[], None] | None:
    """Before the pages: what to draw instead of them (the sign-in page, the "no access" page,
    a broken access file), or None when the session has a user (shown in the sidebar).

    The router hides its navigation and draws this instead of any page, so no address (a deep
    link, a bookmark) reaches a page before sign-in.
    """
    if not sign_in_configured():
        st.sidebar.caption(
            "No sign-in is configured: anyone who can reach this dashboard can see, change and "
            "delete every assessment. See the README, section Sign-in, to require it."
        )
        return None
    if not st.user.is_logged_in:
        return _sign_in_page
    try:
        rules = access_rules()
    except InputError as error:
        problem = error  # the name "error" is unbound after the except block
        return lambda: _bad_rules_page(problem)
    user = user_from_claims(st.user.to_dict(), rules)
    if user is None:
        return _no_access_page
    _show_who(user)
    return None
