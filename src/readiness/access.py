"""Who may do what: roles, the signed-in user, access rules from a file, and the permission check.

The API
    - :class:`Role` (``viewer`` < ``assessor`` < ``admin``; compare with :meth:`Role.at_least`).
    - :class:`User`: ``id`` (the verified e-mail, else the identity provider's subject), ``name``,
      ``role`` and ``organizations`` (a frozenset of organization names, or None for every
      organization; admins always have None).
    - :data:`OPERATOR`: the local operator, admin of everything. The command line acts as it, and
      so does a dashboard without sign-in.
    - :class:`AccessRules` / :class:`AccessRule`, read by :func:`load_access_rules` from the TOML
      file ``READINESS_ACCESS_FILE`` names; :func:`user_from_claims` turns a signed-in person's
      claims (as ``st.user`` gives them) into a :class:`User`, or None for no access;
      :func:`verified_email` says which e-mail address the rules may match, or why none;
      :func:`access_setup_problem` says why nobody can be given a role (no file, no rules).
    - Sign-in's address: :func:`wrong_sign_in_address` (the page is open at another origin than
      the ``redirect_uri``, so sign-in cannot complete) and :func:`return_target` (the page a
      deep link named before sign-in, only ever one of the app's own pages).
    - :func:`require` raises :class:`PermissionDeniedError` (a
      :class:`~readiness.errors.ReadinessError` with one line, "ann@example.com (viewer) may not
      save assessments of Acme") unless the user may do an :class:`Action` (on an organization).
      :class:`readiness.store.Store` calls it in every operation (see :meth:`Store.acting_as
      <readiness.store.Store.acting_as>`): the store, not the page, is where access is decided.
      (The error is named with the ``Error`` suffix of the project's other exceptions.)
    - In :class:`readiness.store.Store`: ``acting_as(user)`` (a store sharing the engine, checked
      as ``user``), ``import_assessments``, ``record_export(what, ids)`` (for downloads made
      outside the store), ``audit_log(limit, assessment_id)``, ``deleted_assessments()``,
      ``restore_deleted(id)``, ``purge(id)`` and ``purge_expired()``; ``delete_assessment`` keeps
      the assessment, hidden, for :data:`readiness.store.DELETED_KEPT_DAYS` days.

The access file
    ::

        groups_claim = "groups"        # optional: the claim that lists a person's groups
        entra_tenant = "<directory (tenant) id>"  # optional: Microsoft Entra ID's home tenant

        [[rule]]
        email = "ann@example.com"
        role = "admin"

        [[rule]]
        domain = "sales.example.com"
        role = "assessor"
        organizations = ["Acme"]

        [[rule]]
        group = "readiness-viewers"
        role = "viewer"
        organizations = ["Acme", "Globex"]

    Each rule matches by exactly one of ``email`` (the whole address, any case), ``domain`` (the
    part after ``@``, exactly: ``example.com`` does not match ``sales.example.com``) or ``group``
    (one of the values of the groups claim). Only a verified e-mail address matches an ``email`` or
    ``domain`` rule (:func:`verified_email`): one the identity provider marks as not verified
    (``email_verified`` false) does not, and Microsoft Entra ID's ``email`` claim is verified only
    when the optional claim ``xms_edov`` is true; with ``entra_tenant`` set, a member of that
    tenant is known by their user principal name (``preferred_username``). The **first**
    matching rule decides, so put the specific rules before the general ones; a person matching
    no rule has no access. ``organizations`` is required for viewers and assessors: a list of
    organization names (exactly as the assessments name them) or ``"*"`` for every
    organization; admins see every organization and take no list.

Permissions (checked by :class:`readiness.store.Store`; "own": the user's organizations only)

    ==============================  ======  ========  =====
    store operation                 viewer  assessor  admin
    ==============================  ======  ========  =====
    list_assessments                own     own       all
    list_assessments(organization)  own     own       all
    get_assessment                  own     own       all
    versions                        own     own       all
    history                         own     own       all
    organizations                   own     own       all
    divisions                       own     own       all
    find_submission                 own     own       all
    record_export                   own     own       all
    save_submission (new)           no      own       all
    save_submission (edits)         no      own       all
    update_answers                  no      own       all
    restore_version                 no      own       all
    save_draft (new)                no      own       all
    save_draft (edits)              no      own       all
    save_draft (existing)           no      own       all
    load_draft                      no      own       all
    discard_draft                   no      own       all
    delete_assessment               no      no        all
    import_assessments              no      no        all
    discard_drafts_older_than       no      no        all
    deleted_assessments             no      no        all
    restore_deleted                 no      no        all
    purge                           no      no        all
    purge_expired                   no      no        all
    audit_log                       no      no        all
    ==============================  ======  ========  =====

    Another organization's assessment is never listed, and asking for it by id is answered as if
    it did not exist (the id's existence is not revealed); a draft that is not the user's to keep
    loads as None. Editing needs both the assessment's organization and the one it is saved
    under, so nobody moves an assessment out of or into an organization that is not theirs.
    ``tests/test_access_store.py`` runs every cell, on the user's own organization and another
    one, on SQLite and PostgreSQL, and checks that this table is the one it tests.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from pydantic import Field, ValidationError, field_validator, model_validator

from readiness.errors import Frozen, InputError, ReadinessError, describe_validation_error
from readiness.settings import env_name, load_settings

ACCESS_FILE_ENV = env_name("access_file")


class Role(StrEnum):
    """What a person may do: viewers read, assessors also save, admins do everything."""

    viewer = "viewer"
    assessor = "assessor"
    admin = "admin"

    @property
    def rank(self) -> int:
        """0 for viewer, 1 for assessor, 2 for admin."""
        return _RANKS[self]

    def at_least(self, other: Role) -> bool:
        """Whether this role includes everything ``other`` may do."""
        return self.rank >= other.rank


_RANKS = {Role.viewer: 0, Role.assessor: 1, Role.admin: 2}


class Action(StrEnum):
    """What a user asks the store to do; the value is the verb of a refusal message."""

    read = "read"
    export = "export"
    save = "save"
    edit = "edit"
    restore = "restore versions of"
    draft = "keep drafts of"
    delete = "delete"
    restore_deleted = "restore deleted"
    purge = "purge"
    import_ = "import"
    audit = "read the audit log of"
    maintain = "clean up"


#: The least role each action needs (within the user's organizations; admins have all).
REQUIRED_ROLE: dict[Action, Role] = {
    Action.read: Role.viewer,
    Action.export: Role.viewer,
    Action.save: Role.assessor,
    Action.edit: Role.assessor,
    Action.restore: Role.assessor,
    Action.draft: Role.assessor,
    Action.delete: Role.admin,
    Action.restore_deleted: Role.admin,
    Action.purge: Role.admin,
    Action.import_: Role.admin,
    Action.audit: Role.admin,
    Action.maintain: Role.admin,
}


class PermissionDeniedError(ReadinessError):
    """The acting user may not do this; the message names who, their role, what and where."""


@dataclass(frozen=True)
class User:
    """A person (or the local operator) acting on the store.

    ``id`` is the verified e-mail address, else the identity provider's subject; ``organizations``
    is None for every organization (always None for admins).
    """

    id: str
    name: str
    role: Role
    organizations: frozenset[str] | None = None

    def __post_init__(self) -> None:
        if self.role is Role.admin and self.organizations is not None:
            raise ValueError("an admin sees every organization: organizations must be None")

    @property
    def is_admin(self) -> bool:
        return self.role is Role.admin

    def describe(self) -> str:
        """``ann@example.com (viewer)``: who, as refusals and the audit log name them."""
        return f"{self.id} ({self.role})"

    def sees(self, organization: str) -> bool:
        """Whether ``organization`` is one of this user's organizations."""
        return self.organizations is None or organization in self.organizations

    def may(self, action: Action, organization: str | None = None) -> bool:
        """Whether this user may do ``action`` (on ``organization``'s assessments, if given)."""
        if not self.role.at_least(REQUIRED_ROLE[action]):
            return False
        return organization is None or self.sees(organization)


#: The local operator: admin of every organization (the command line, a dashboard without sign-in).
OPERATOR = User(id="operator", name="local operator", role=Role.admin, organizations=None)


def require(user: User, action: Action, organization: str | None = None) -> None:
    """Raise :class:`PermissionDeniedError` unless ``user`` may do ``action`` (on
    ``organization``'s assessments, when given)."""
    if user.may(action, organization):
        return
    where = f"assessments of {organization}" if organization is not None else "assessments"
    needed = REQUIRED_ROLE[action]
    reason = "" if organization is not None and user.role.at_least(needed) else f" ({needed}s only)"
    raise PermissionDeniedError(f"{user.describe()} may not {action.value} {where}{reason}")


# --- access rules -----------------------------------------------------------------------------


#: ``organizations = "*"`` in the access file: every organization.
EVERY_ORGANIZATION = "*"


class AccessRule(Frozen):
    """One ``[[rule]]`` of the access file: whom it matches, and the role it gives."""

    email: str | None = None
    domain: str | None = None
    group: str | None = None
    role: Role
    #: Organization names, ``("*",)`` for every organization (written ``"*"`` in the file).
    organizations: tuple[str, ...] | None = None

    @field_validator("email", "domain", "group")
    @classmethod
    def _not_blank(cls, value: str | None) -> str | None:
        if value is not None and not value.strip():
            raise ValueError("must not be empty")
        return value.strip() if value is not None else None

    @field_validator("email")
    @classmethod
    def _an_address(cls, value: str | None) -> str | None:
        if value is not None and (value.count("@") != 1 or value.startswith("@")):
            raise ValueError(f"{value!r} is not an e-mail address")
        return value.lower() if value is not None else None

    @field_validator("domain")
    @classmethod
    def _a_domain(cls, value: str | None) -> str | None:
        if value is None:
            return None
        domain = value.removeprefix("@").lower()
        if not domain or "@" in domain or "." not in domain:
            raise ValueError(f"{value!r} is not an e-mail domain (e.g. example.com)")
        return domain

    @field_validator("organizations", mode="before")
    @classmethod
    def _a_list_or_star(cls, value: object) -> object:
        if value == "*":
            return (EVERY_ORGANIZATION,)
        if isinstance(value, str):
            raise ValueError(f'a list of organization names (["{value}"]), or "*" for every one')
        if value is not None and not isinstance(value, list | tuple):
            raise ValueError('a list of organization names, or "*" for every one')
        return value

    @field_validator("organizations")
    @classmethod
    def _named(cls, value: tuple[str, ...] | None) -> tuple[str, ...] | None:
        if value is not None:
            if not value:
                raise ValueError('list at least one organization (or "*" for every one)')
            if any(not name.strip() for name in value):
                raise ValueError("an organization name must not be empty")
        return value

    @model_validator(mode="after")
    def _one_match_and_a_scope(self) -> AccessRule:
        given = [key for key in ("email", "domain", "group") if getattr(self, key) is not None]
        if len(given) != 1:
            raise ValueError(
                "give exactly one of email, domain or group"
                + (f" (this rule gives {', '.join(given)})" if given else "")
            )
        if self.role is Role.admin and self.organizations not in (None, (EVERY_ORGANIZATION,)):
            raise ValueError('an admin sees every organization: leave organizations out (or "*")')
        if self.role is not Role.admin and self.organizations is None:
            raise ValueError(
                f'a {self.role} needs organizations: a list of names, or "*" for every one'
            )
        return self

    def scope(self) -> frozenset[str] | None:
        """The organizations this rule gives (None for every one)."""
        if self.role is Role.admin or self.organizations in (None, (EVERY_ORGANIZATION,)):
            return None
        return frozenset(self.organizations)

    def matches(self, email: str | None, groups: Iterable[str]) -> bool:
        """Whether this rule matches a person with the verified ``email`` and ``groups``."""
        if self.email is not None:
            return email is not None and email.lower() == self.email
        if self.domain is not None:
            return email is not None and email.lower().rpartition("@")[2] == self.domain
        return self.group in set(groups)


_TENANT_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


class AccessRules(Frozen):
    """The access file: its rules in order (the first match decides), the groups claim, and
    Microsoft Entra ID's home tenant (whose members are known by their user principal name)."""

    rule: tuple[AccessRule, ...] = ()
    groups_claim: str = Field(default="groups", min_length=1)
    entra_tenant: str | None = None

    @field_validator("entra_tenant")
    @classmethod
    def _a_tenant_id(cls, value: str | None) -> str | None:
        if value is None:
            return None
        tenant = value.strip().lower()
        if not _TENANT_ID.fullmatch(tenant):
            raise ValueError(
                f"{value!r} is not a tenant id: the Directory (tenant) ID of the app registration, "
                "e.g. 72f988bf-86f1-41af-91ab-2d7cd011db47"
            )
        return tenant

    @property
    def rules(self) -> tuple[AccessRule, ...]:
        return self.rule


#: No rules: every signed-in person is refused.
NO_ACCESS = AccessRules()


def parse_access_rules(text: str, source: str) -> AccessRules:
    """The rules of an access file's ``text``; :class:`InputError` lines name ``source``, the rule
    (``rule #2``) and the field."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise InputError(f"{source}: not a valid TOML file ({error})") from None
    try:
        return AccessRules.model_validate(data)
    except ValidationError as error:
        raise InputError(describe_validation_error(error, source, data)) from None


def load_access_rules(path: Path | None = None) -> AccessRules:
    """The access rules of ``path`` (default: ``READINESS_ACCESS_FILE``; unset: no rules, so a
    signed-in person has no access). Raises :class:`InputError` naming the file and field."""
    if path is None:
        path = load_settings().access_file
        if path is None:
            return NO_ACCESS
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{path}: no such access file ({ACCESS_FILE_ENV})") from None
    except IsADirectoryError:
        raise InputError(f"{path}: a folder, not an access file ({ACCESS_FILE_ENV})") from None
    except UnicodeDecodeError:
        raise InputError(f"{path}: not a UTF-8 text file ({ACCESS_FILE_ENV})") from None
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise InputError(f"{path}: cannot be read: {reason} ({ACCESS_FILE_ENV})") from None
    return parse_access_rules(text, str(path))


#: Said (on the page and once in the server log) when sign-in is on and no access file is set.
NO_ACCESS_FILE = (
    f"{ACCESS_FILE_ENV} is not set: no access file is configured, so nobody who signs in can "
    "be given a role"
)


def access_setup_problem(path: Path | None, rules: AccessRules) -> str | None:
    """Why nobody who signs in can be given a role (no access file configured, or one without
    rules), or None when the rules can admit somebody. ``path``: ``READINESS_ACCESS_FILE``."""
    if path is None:
        return NO_ACCESS_FILE
    if not rules.rules:
        return f"{path}: no [[rule]] in the access file, so nobody who signs in can be given a role"
    return None


# --- which e-mail address is verified ----------------------------------------------------------

#: Hosts of Microsoft Entra ID's token issuers: ``https://login.microsoftonline.com/{tid}/v2.0``,
#: the v1.0 ``https://sts.windows.net/{tid}/`` and the national clouds'.
ENTRA_ISSUER_HOSTS = frozenset(
    {
        "login.microsoftonline.com",
        "sts.windows.net",
        "login.microsoftonline.us",
        "login.partner.microsoftonline.cn",
        "login.chinacloudapi.cn",
    }
)


@dataclass(frozen=True)
class VerifiedEmail:
    """The e-mail address ``email`` and ``domain`` rules may match (``address``, lower case;
    None: none matches), what the claims offered (``claimed``) and, when an offered address is
    not used, why (``reason``, one sentence for the person refused, without the address: that
    is the provider's text, shown apart as text)."""

    address: str | None
    claimed: str | None = None
    reason: str | None = None


def _address(value: object) -> str | None:
    if not isinstance(value, str) or value.count("@") != 1:
        return None
    address = value.strip().lower()
    return address if not address.startswith("@") and not address.endswith("@") else None


def _says(value: object, meaning: bool) -> bool:
    """Whether a claim's value says ``meaning``: providers send booleans, 0/1 or text."""
    if isinstance(value, bool):
        return value is meaning
    if isinstance(value, int):
        return value == int(meaning)
    if isinstance(value, str):
        return value.strip().lower() in (("true", "1") if meaning else ("false", "0"))
    return False


def _issuer_host(claims: Mapping[str, Any]) -> str | None:
    issuer = claims.get("iss")
    return urlsplit(issuer).hostname if isinstance(issuer, str) else None


def is_entra(claims: Mapping[str, Any]) -> bool:
    """Whether the claims come from Microsoft Entra ID: its issuer, or its tenant claim ``tid``
    (treating a token as Entra's only makes its e-mail harder to trust, never easier)."""
    return _issuer_host(claims) in ENTRA_ISSUER_HOSTS or isinstance(claims.get("tid"), str)


def _home_tenant_member(claims: Mapping[str, Any], tenant: str) -> bool:
    """Whether the person signed in to ``tenant`` as one of its own accounts (not a guest)."""
    tid = claims.get("tid")
    if not isinstance(tid, str) or tid.strip().lower() != tenant:
        return False
    issuer = claims.get("iss")
    if _issuer_host(claims) in ENTRA_ISSUER_HOSTS and tenant not in str(issuer).lower():
        return False  # a Microsoft issuer of another tenant than the tid claim says
    idp = claims.get("idp")  # present and not the issuer: a guest, homed elsewhere
    return idp is None or idp == issuer


def verified_email(claims: Mapping[str, Any], entra_tenant: str | None = None) -> VerifiedEmail:
    """The e-mail address access rules may match, from a signed-in person's claims.

    - Microsoft Entra ID (:func:`is_entra`) sends no ``email_verified``, and its ``email`` is
      any address the account's mail attribute holds (in another tenant, whatever its users or
      admins type). It counts only when the optional claim ``xms_edov`` (the e-mail domain's
      owner verified it) is true. A member of the home tenant ``entra_tenant`` is known by the
      user principal name (``preferred_username``, v1.0: ``upn``), whose domain that tenant has
      verified. Otherwise the address is not verified.
    - Other providers: ``email_verified`` false means not verified; a provider that sends no
      ``email_verified`` is trusted for its ``email``.
    """
    claimed = _address(claims.get("email"))
    if is_entra(claims):
        if claimed is not None and _says(claims.get("xms_edov"), True):
            return VerifiedEmail(claimed, claimed)
        principal = _address(claims.get("preferred_username") or claims.get("upn"))
        member = entra_tenant is not None and _home_tenant_member(claims, entra_tenant)
        if member and principal is not None:
            return VerifiedEmail(principal, claimed or principal)
        if claimed is None:
            return VerifiedEmail(None)
        home = (
            "the account is not a member of the home tenant (entra_tenant in the access file)"
            if entra_tenant is not None
            else "no home tenant is set (entra_tenant in the access file)"
        )
        return VerifiedEmail(
            None,
            claimed,
            "Microsoft Entra ID does not vouch for this e-mail address: the sign-in carries no "
            f"xms_edov claim set to true and {home}, so e-mail and domain rules do not match it "
            "(it is not verified).",
        )
    if claimed is not None and _says(claims.get("email_verified"), False):
        return VerifiedEmail(
            None,
            claimed,
            "The identity provider marks this e-mail address as not verified (email_verified "
            "is false), so e-mail and domain rules do not match it.",
        )
    return VerifiedEmail(claimed, claimed)


def _groups(claims: Mapping[str, Any], claim: str) -> list[str]:
    value = claims.get(claim)
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple):
        return [group for group in value if isinstance(group, str)]
    return []


def user_from_claims(claims: Mapping[str, Any], rules: AccessRules) -> User | None:
    """The user a signed-in person is, from their identity claims (``email`` as
    :func:`verified_email` trusts it, ``name``, ``sub`` and the groups claim, as ``st.user``
    gives them); None when no rule matches (no access) or the claims name nobody."""
    email = verified_email(claims, rules.entra_tenant).address
    subject = claims.get("sub")
    user_id = email or (subject if isinstance(subject, str) and subject else None)
    if user_id is None:
        return None
    groups = _groups(claims, rules.groups_claim)
    for rule in rules.rules:
        if rule.matches(email, groups):
            name = claims.get("name")
            return User(
                id=user_id,
                name=name if isinstance(name, str) and name.strip() else user_id,
                role=rule.role,
                organizations=rule.scope(),
            )
    return None


# --- sign-in's address ----------------------------------------------------------------------------

_DEFAULT_PORTS = {"http": 80, "https": 443}


def _origin(url: str) -> tuple[str, str, int] | None:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        return None
    return scheme, parts.hostname.lower(), port or _DEFAULT_PORTS[scheme]


def wrong_sign_in_address(page_url: str | None, redirect_uri: str) -> str | None:
    """The origin to open the dashboard at (``http://localhost:8501``) when the page is open at
    another one than ``redirect_uri``'s, else None (same origin, or either unknown).

    The provider returns to ``redirect_uri``; the sign-in's state is kept in a cookie of the
    host the person pressed Sign in at, so from another host (127.0.0.1 for localhost) the
    return finds no state and the person is silently signed out again.
    """
    here, there = _origin(page_url or ""), _origin(redirect_uri)
    if here is None or there is None or here == there:
        return None
    scheme, host, port = there
    shown = f"[{host}]" if ":" in host else host
    return f"{scheme}://{shown}" + ("" if port == _DEFAULT_PORTS[scheme] else f":{port}")


#: The longest page address kept through sign-in (a growth view's link is about 200 characters).
RETURN_TARGET_MAX_CHARS = 2000


def return_target(
    value: str | None, page_paths: Iterable[str]
) -> tuple[str, dict[str, str]] | None:
    """The page and query parameters a kept address names (``growth?level=market``, as kept
    percent-encoded in a cookie), or None unless it names one of ``page_paths`` (the app's own
    pages' url paths, ``""`` for the default page) by exactly that path: never another origin,
    scheme or folder (no open redirect)."""
    if not value or len(value) > RETURN_TARGET_MAX_CHARS:
        return None
    path, _, query = unquote(value).partition("?")
    if path not in set(page_paths):
        return None
    try:
        params = parse_qsl(query, keep_blank_values=True, strict_parsing=bool(query))
    except ValueError:
        return None
    if not path and not params:
        return None  # the default page without parameters is where sign-in lands anyway
    return path, dict(params)
