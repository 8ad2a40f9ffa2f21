"""Who is using the dashboard: sign-in through Streamlit's OpenID Connect, the role from the rules,
and what is drawn instead of the app until someone is let in.

With an ``[auth]`` section in ``.streamlit/secrets.toml`` everybody signs in first (``st.login``);
the access file (``READINESS_ACCESS_FILE``) turns the identity claims into a role and
organizations, and a person no rule matches sees a "no access" page. Without ``[auth]`` the
dashboard is the local single-user tool: every session acts as the local operator (an admin), and
the sidebar says that anyone who can reach it may use it.

Pages hide what the role may not do (:func:`may`), but the store checks every operation
(``Store.acting_as``): a crafted request is refused there, and :func:`show_refusal` shows it.

Until someone is let in, :func:`gate` chooses what stands in for the app: the sign-in page, "no
access", an access file that lets nobody in; each says what is wrong, and set-up problems go once
to the server log. The sign-in page names the right address when it is open at another origin
than ``redirect_uri``, and keeps a deep link for after sign-in in a short-lived cookie of the site
(``st.login`` returns to the root; :func:`return_to_kept_page`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Literal
from urllib.parse import quote, urlencode, urlsplit

import streamlit as st
from streamlit.logger import get_logger
from streamlit.navigation.page import StreamlitPage

from readiness.access import (
    OPERATOR,
    AccessRules,
    Action,
    PermissionDeniedError,
    User,
    access_setup_problem,
    load_access_rules,
    return_target,
    user_from_claims,
    verified_email,
    wrong_sign_in_address,
)
from readiness.errors import InputError
from readiness.safe_output import literal_block
from readiness.settings import load_settings

__all__ = [
    "Action",
    "Blocked",
    "access_rules",
    "current_user",
    "gate",
    "log_once",
    "may",
    "return_to_kept_page",
    "show_refusal",
    "sign_in_configured",
]

LOGGER = get_logger("readiness.sign_in")

#: What the router draws instead of the page the address names (that page is its argument).
Blocked = Callable[[StreamlitPage], None]

_RETURN_COOKIE = "readiness_return"
#: Long enough to sign in (with a second factor), short enough not to surprise a later visit.
_RETURN_MAX_AGE_S = 600
_RETURN_MEMORY = st.components.v2.component(
    "readiness_sign_in_return",
    html="<span hidden></span>",
    js=(Path(__file__).parent / "sign_in_return.js").read_text(encoding="utf-8"),
)


# --- who the user is, and what they may do --------------------------------------------------


def sign_in_configured() -> bool:
    """Whether ``[auth]`` is configured (secrets.toml): then everybody signs in first."""
    try:
        return "auth" in st.secrets
    except (FileNotFoundError, OSError):  # no secrets file at all
        return False


@st.cache_resource(show_spinner=False, max_entries=4)
def _rules(path: str | None, modified: float) -> AccessRules:
    """The access rules, read again when the file changes (its modification time)."""
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


# --- the gate: what stands in for the app until someone is let in -----------------------------


@st.cache_resource(show_spinner=False, max_entries=32)
def log_once(problem: str) -> None:
    """``problem`` in the server log, once per server process (every run meets it again)."""
    LOGGER.warning("Sign-in: %s", problem)


def _sign_out_button(key: str) -> None:
    st.button("Sign out", icon=":material/logout:", on_click=st.logout, key=key)


def _show_who(user: User) -> None:
    with st.sidebar:
        st.text(f"Signed in as {user.name}" + (f" ({user.id})" if user.name != user.id else ""))
        orgs = ", ".join(sorted(user.organizations or ())) or "every organization"
        st.text(f"Role: {user.role} ({orgs})")
        _sign_out_button("sign_out")


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
        return _sign_in_page
    if rules is None:
        if load_settings().access_file is None:
            return lambda _: _no_access_file_page(problems[0])
        return lambda _: _bad_rules_page(problems)
    claims = st.user.to_dict()
    user = user_from_claims(claims, rules)
    if user is None:
        reason = verified_email(claims, rules.entra_tenant).reason
        return lambda _: _no_access_page(reason)
    _show_who(user)
    return None


def _redirect_uri() -> str | None:
    """``[auth]``'s ``redirect_uri`` with ``{port}`` filled in, as Streamlit fills it in."""
    try:
        uri = st.secrets["auth"]["redirect_uri"]
    except (KeyError, TypeError, FileNotFoundError, OSError):
        return None
    port = str(st.get_option("server.port"))
    return uri.replace("{port}", port) if isinstance(uri, str) else None


def _kept_return_address() -> str | None:
    """The cookie as this session opened (text only: AppTest's context has no real cookies)."""
    kept = st.context.cookies.get(_RETURN_COOKIE)
    return kept if isinstance(kept, str) and kept else None


def _page_address(page: StreamlitPage) -> str:
    """The address's page and query (``growth?level=market``), relative to the app's root."""
    params = urlencode([(k, v) for k in st.query_params for v in st.query_params.get_all(k)])
    return page.url_path + (f"?{params}" if params else "")


def _keep_return_address(page: StreamlitPage) -> None:
    """Keep the address this sign-in page was opened at for after sign-in; the app's root
    forgets an older one. Written only when it changes (the cookie as this session opened)."""
    wanted = quote(_page_address(page), safe="") if page.url_path or st.query_params else ""
    if wanted != (_kept_return_address() or ""):
        data = {"value": wanted, "maxAge": _RETURN_MAX_AGE_S}
        _RETURN_MEMORY(key="sign_in_return", data=data, height=0)


def _sign_in_page(page: StreamlitPage) -> None:
    st.title("E2.0 readiness", anchor=False)
    redirect_uri = _redirect_uri()
    right = wrong_sign_in_address(st.context.url, redirect_uri) if redirect_uri else None
    if right is not None:
        # the browser's own host name, in plain characters only: it is shown as Markdown
        here = re.sub(r"[^\w.:\[\]-]", "", urlsplit(st.context.url or "").hostname or "") or "?"
        log_once(f"opened at {here}, but redirect_uri is {redirect_uri}: sign-in cannot complete")
        st.warning(
            f"Open this dashboard at {right} (the address its sign-in returns to); sign-in "
            f"from {here} cannot complete.",
            icon=":material/warning:",
            title="Sign-in cannot complete at this address",
        )
        there = f"{right}/{_page_address(page)}"
        st.link_button(f"Open {right}", there, type="primary", icon=":material/open_in_new:")
    st.write("Sign in to see and work on your organization's readiness assessments.")
    kind: Literal["primary", "secondary"] = "primary" if right is None else "secondary"
    st.button("Sign in", type=kind, icon=":material/login:", on_click=st.login)
    _keep_return_address(page)


def _no_access_page(reason: str | None) -> None:
    st.title("You have no access", anchor=False)
    claims = st.user.to_dict()
    who = claims.get("email") or claims.get("preferred_username") or claims.get("sub")
    st.text(f"Signed in as {who or 'this account'}.")
    if reason is not None:  # fixed text (the provider's address is shown above, as text)
        st.error(reason, icon=":material/gpp_bad:", title="Not verified")
    st.write(
        "No access rule gives this account a role in the readiness dashboard. Ask the "
        "dashboard's administrator to add you to the access file, then sign in again."
    )
    _sign_out_button("sign_out_no_access")


def _no_access_file_page(problem: str) -> None:
    st.title("No access file is configured", anchor=False)
    st.error(problem, icon=":material/error:")  # fixed text, no path or user text
    st.markdown(
        "The dashboard's administrator writes an access file (TOML: who, by e-mail, domain or "
        "group, gets which role in which organizations), sets `READINESS_ACCESS_FILE` to its "
        "path and restarts the dashboard: see `docs/sign-in.md`, section **Sign-in**, step 3, "
        "and section **Access and audit**."
    )
    _sign_out_button("sign_out_no_access_file")


def _bad_rules_page(problems: list[str]) -> None:
    st.title("Sign-in is not available", anchor=False)
    st.error(
        literal_block(problems),
        icon=":material/error:",
        title="The access file has problems: nobody can be let in until they are fixed",
    )
    _sign_out_button("sign_out_bad_rules")


def return_to_kept_page(chosen: StreamlitPage, pages: list[StreamlitPage]) -> None:
    """Signed in: open the page (and query) a deep link named before sign-in instead of the root
    ``st.login`` returns to; one of ``pages`` only, once per session, from the bare root only."""
    kept = _kept_return_address()
    if kept is None:
        return
    # Used once, so the browser forgets it; drawn on this session's every run (the session
    # still sees the cookie as it opened), so the run after the switch surely draws it.
    _RETURN_MEMORY(key="sign_in_return_done", data={"value": ""}, height=0)
    if st.session_state.get("sign_in_returned"):
        return
    st.session_state["sign_in_returned"] = True
    target = return_target(kept, [page.url_path for page in pages])
    if target is None or chosen.url_path or st.query_params:
        return
    path, params = target
    st.switch_page(next(page for page in pages if page.url_path == path), query_params=params)
