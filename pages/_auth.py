"""Who is using the dashboard: sign-in through Streamlit's OpenID Connect, the role from the rules.

With an ``[auth]`` section in ``.streamlit/secrets.toml`` everybody signs in first (``st.login``);
the access file (``READINESS_ACCESS_FILE``) turns the identity claims into a role and
organizations, and a person no rule matches sees a "no access" page. Without ``[auth]`` the
dashboard is the local single-user tool: every session acts as the local operator (an admin), and
the sidebar says that anyone who can reach it may use it.

Pages hide what the role may not do (:func:`may`), but the store checks every operation
(``Store.acting_as``): a crafted request is refused there, and :func:`show_refusal` shows it.
What is drawn until someone is let in, and why, is in ``pages/_sign_in.py``.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st
from streamlit.navigation.page import StreamlitPage

from pages._sign_in import (
    bad_rules_page,
    log_once,
    no_access_file_page,
    no_access_page,
    sign_in_page,
    sign_out_button,
)
from readiness.access import (
    OPERATOR,
    AccessRules,
    Action,
    PermissionDeniedError,
    User,
    access_setup_problem,
    load_access_rules,
    user_from_claims,
    verified_email,
)
from readiness.errors import InputError
from readiness.safe_output import literal_block
from readiness.settings import load_settings

#: What the router draws instead of the page the address names (that page is its argument).
Blocked = Callable[[StreamlitPage], None]


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


def _show_who(user: User) -> None:
    with st.sidebar:
        st.text(f"Signed in as {user.name}" + (f" ({user.id})" if user.name != user.id else ""))
        orgs = ", ".join(sorted(user.organizations or ())) or "every organization"
        st.text(f"Role: {user.role} ({orgs})")
        sign_out_button("sign_out")


def _access_file() -> tuple[AccessRules | None, list[str]]:
    """The access rules, or None and the problems that let nobody in (each logged once)."""
    try:
        rules = access_rules()
    except InputError as error:
        problems = list(error.problems)
    else:
        setup = access_setup_problem(load_settings().access_file, rules)
        if setup is None:
            return rules, []
        problems = [setup]
    for problem in problems:
        log_once(problem)
    return None, problems


def gate() -> Blocked | None:
    """Before the pages: what to draw instead of them (the sign-in page, the "no access" page,
    an access file missing or broken), or None when the session has a user (shown in the
    sidebar).

    The router hides its navigation and draws this instead of any page, so no address (a deep
    link, a bookmark) reaches a page before sign-in.
    """
    if not sign_in_configured():
        st.sidebar.caption(
            "No sign-in is configured: anyone who can reach this dashboard can see, change and "
            "delete every assessment. See `docs/sign-in.md` to require it."
        )
        return None
    rules, problems = _access_file()  # checked before sign-in too: the log says it at once
    if not st.user.is_logged_in:
        return sign_in_page
    if rules is None:
        if load_settings().access_file is None:
            return lambda _: no_access_file_page(problems[0])
        return lambda _: bad_rules_page(problems)
    claims = st.user.to_dict()
    user = user_from_claims(claims, rules)
    if user is None:
        reason = verified_email(claims, rules.entra_tenant).reason
        return lambda _: no_access_page(reason)
    _show_who(user)
    return None
