"""Access rules: the file, how claims become a user, and refusals (the store's checks are in
``test_access_store.py``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from readiness.access import (
    NO_ACCESS,
    NO_ACCESS_FILE,
    OPERATOR,
    Action,
    PermissionDeniedError,
    Role,
    User,
    VerifiedEmail,
    access_setup_problem,
    load_access_rules,
    parse_access_rules,
    require,
    return_target,
    user_from_claims,
    verified_email,
    wrong_sign_in_address,
)
from readiness.errors import InputError, ReadinessError

RULES = """
groups_claim = "roles"

[[rule]]
email = "Ann@Example.com"
role = "admin"

[[rule]]
domain = "sales.example.com"
role = "assessor"
organizations = ["Acme"]

[[rule]]
group = "readiness-viewers"
role = "viewer"
organizations = ["Acme", "Globex"]

[[rule]]
domain = "example.com"
role = "viewer"
organizations = "*"
"""


@pytest.fixture
def rules_file(tmp_path: Path) -> Path:
    path = tmp_path / "access.toml"
    path.write_text(RULES, encoding="utf-8")
    return path


def test_rules_are_read_in_order_with_their_roles_and_organizations(rules_file: Path) -> None:
    rules = load_access_rules(rules_file)
    assert rules.groups_claim == "roles"
    assert [(r.email, r.domain, r.group, r.role) for r in rules.rules] == [
        ("ann@example.com", None, None, Role.admin),
        (None, "sales.example.com", None, Role.assessor),
        (None, None, "readiness-viewers", Role.viewer),
        (None, "example.com", None, Role.viewer),
    ]
    assert [r.scope() for r in rules.rules] == [None, {"Acme"}, {"Acme", "Globex"}, None]


def test_the_settings_name_the_file(rules_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("READINESS_ACCESS_FILE", str(rules_file))
    assert len(load_access_rules().rules) == 4
    monkeypatch.setenv("READINESS_ACCESS_FILE", "  ")  # blank: unset
    assert load_access_rules() is NO_ACCESS


@pytest.mark.parametrize(
    ("claims", "expected"),
    [
        pytest.param(
            {"email": "ANN@example.com", "name": "Ann", "sub": "1"},
            ("ann@example.com", "Ann", Role.admin, None),
            id="e-mail in any case",
        ),
        pytest.param(
            {"email": "bo@sales.example.com", "sub": "2"},
            ("bo@sales.example.com", "bo@sales.example.com", Role.assessor, {"Acme"}),
            id="domain, the first match wins over the later example.com rule",
        ),
        pytest.param(
            {"email": "cy@elsewhere.org", "sub": "3", "roles": ["x", "readiness-viewers"]},
            ("cy@elsewhere.org", "cy@elsewhere.org", Role.viewer, {"Acme", "Globex"}),
            id="group in the configured claim",
        ),
        pytest.param(
            {"email": "cy@elsewhere.org", "sub": "3", "roles": "readiness-viewers"},
            ("cy@elsewhere.org", "cy@elsewhere.org", Role.viewer, {"Acme", "Globex"}),
            id="a groups claim given as one text",
        ),
        pytest.param(
            {"email": "di@example.com", "email_verified": True, "sub": "4"},
            ("di@example.com", "di@example.com", Role.viewer, None),
            id="every organization",
        ),
        pytest.param(
            {"email": "ann@example.com", "email_verified": False, "sub": "5"},
            None,
            id="an unverified e-mail matches no e-mail rule",
        ),
        pytest.param(
            {"email": "bo@sales.example.com", "email_verified": "false", "sub": "6"},
            None,
            id="an unverified e-mail (as text) matches no domain rule",
        ),
        pytest.param(
            {"email": "ann@example.com", "email_verified": False, "sub": "7",
             "roles": ["readiness-viewers"]},
            ("7", "7", Role.viewer, {"Acme", "Globex"}),
            id="unverified: known by its subject, a group still matches",
        ),
        pytest.param(
            {"email": "eve@sub.sales.example.com", "sub": "8"},
            None,
            id="a subdomain is not the domain",
        ),
        pytest.param(
            {"email": "ann@example.com.evil.org", "sub": "9"},
            None,
            id="a look-alike address",
        ),
        pytest.param({"name": "Nobody"}, None, id="no e-mail and no subject"),
        pytest.param(
            {"email": "fay@other.org", "sub": "10", "groups": ["readiness-viewers"]},
            None,
            id="groups in another claim than the configured one",
        ),
    ],
)  # fmt: skip
def test_claims_become_a_user_by_the_first_matching_rule(
    rules_file: Path,
    claims: dict[str, object],
    expected: tuple[str, str, Role, set[str] | None] | None,
) -> None:
    user = user_from_claims(claims, load_access_rules(rules_file))
    if expected is None:
        assert user is None
    else:
        assert user is not None
        assert (user.id, user.name, user.role, user.organizations) == expected


def test_nobody_has_access_without_rules() -> None:
    assert user_from_claims({"email": "ann@example.com", "sub": "1"}, NO_ACCESS) is None


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        pytest.param(
            '[[rule]]\nemail = "a@b.org"\ndomain = "b.org"\nrole = "admin"',
            "access.toml: rule #1: give exactly one of email, domain or group "
            "(this rule gives email, domain)",
            id="two matches",
        ),
        pytest.param(
            '[[rule]]\nrole = "admin"',
            "access.toml: rule #1: give exactly one of email, domain or group",
            id="no match",
        ),
        pytest.param(
            '[[rule]]\nemail = "a@b.org"\nrole = "boss"',
            "access.toml: rule #1, field role: Input should be 'viewer', 'assessor' or 'admin'",
            id="unknown role",
        ),
        pytest.param(
            '[[rule]]\ngroup = "g"\nrole = "viewer"',
            'access.toml: rule #1: a viewer needs organizations: a list of names, or "*" for '
            "every one",
            id="viewer without organizations",
        ),
        pytest.param(
            '[[rule]]\ngroup = "g"\nrole = "assessor"\norganizations = "Acme"',
            'access.toml: rule #1, field organizations: a list of organization names (["Acme"]), '
            'or "*" for every one',
            id="organizations as one text",
        ),
        pytest.param(
            '[[rule]]\ngroup = "g"\nrole = "viewer"\norganizations = []',
            'access.toml: rule #1, field organizations: list at least one organization (or "*" '
            "for every one)",
            id="no organizations",
        ),
        pytest.param(
            '[[rule]]\ngroup = "g"\nrole = "viewer"\norganizations = ["Acme", " "]',
            "access.toml: rule #1, field organizations: an organization name must not be empty",
            id="a blank organization",
        ),
        pytest.param(
            '[[rule]]\nemail = "a@b.org"\nrole = "admin"\norganizations = ["Acme"]',
            'access.toml: rule #1: an admin sees every organization: leave organizations out '
            '(or "*")',
            id="admin of some organizations",
        ),
        pytest.param(
            '[[rule]]\nemail = "not an address"\nrole = "admin"',
            "access.toml: rule #1, field email: 'not an address' is not an e-mail address",
            id="bad e-mail",
        ),
        pytest.param(
            '[[rule]]\ndomain = "localhost"\nrole = "admin"',
            "access.toml: rule #1, field domain: 'localhost' is not an e-mail domain "
            "(e.g. example.com)",
            id="bad domain",
        ),
        pytest.param(
            '[[rule]]\ngroup = "g"\nrole = "admin"\ncolour = "red"',
            "access.toml: rule #1, field colour: Extra inputs are not permitted",
            id="unknown field",
        ),
        pytest.param(
            '[[rules]]\ngroup = "g"\nrole = "admin"',
            "access.toml: field rules: Extra inputs are not permitted",
            id="misspelt table",
        ),
        pytest.param(
            "[[rule]\n",
            "access.toml: not a valid TOML file (Expected ']]' at the end of an array "
            "declaration (at line 1, column 7))",
            id="not TOML",
        ),
    ],
)  # fmt: skip
def test_a_bad_rules_file_is_one_line_naming_the_file_rule_and_field(
    text: str, problem: str
) -> None:
    with pytest.raises(InputError) as error:
        parse_access_rules(text, "access.toml")
    assert error.value.problems == [problem]


def test_the_second_rule_is_named_in_its_problem() -> None:
    text = '[[rule]]\ngroup = "g"\nrole = "admin"\n\n[[rule]]\ngroup = "h"\nrole = "owner"'
    with pytest.raises(InputError) as error:
        parse_access_rules(text, "access.toml")
    assert error.value.problems == [
        "access.toml: rule #2, field role: Input should be 'viewer', 'assessor' or 'admin'"
    ]


def test_a_missing_or_unreadable_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(
        InputError, match=r"nope\.toml: no such access file \(READINESS_ACCESS_FILE\)"
    ):
        load_access_rules(tmp_path / "nope.toml")
    binary = tmp_path / "binary.toml"
    binary.write_bytes(b"\xff\xfe\x00rule")
    with pytest.raises(InputError, match=r"binary\.toml: not a UTF-8 text file"):
        load_access_rules(binary)


def test_require_refuses_with_who_role_what_and_where() -> None:
    viewer = User("vera@example.com", "Vera", Role.viewer, frozenset({"Acme"}))
    require(viewer, Action.read, "Acme")
    require(OPERATOR, Action.purge)
    with pytest.raises(PermissionDeniedError) as refused:
        require(viewer, Action.save, "Acme")
    assert (
        str(refused.value)
        == "vera@example.com (viewer) may not save assessments of Acme (assessors only)"
    )
    with pytest.raises(PermissionDeniedError) as refused:
        require(viewer, Action.read, "Globex")
    assert str(refused.value) == "vera@example.com (viewer) may not read assessments of Globex"
    assert isinstance(refused.value, ReadinessError)


def test_every_action_needs_a_role() -> None:
    assessor = User("ann@example.com", "Ann", Role.assessor, frozenset({"Acme"}))
    may = {action for action in Action if assessor.may(action, "Acme")}
    assert may == {
        Action.read,
        Action.export,
        Action.save,
        Action.edit,
        Action.restore,
        Action.draft,
    }
    assert all(OPERATOR.may(action, "Anything") for action in Action)


# --- Microsoft Entra ID: which e-mail is verified ---------------------------------------------

HOME = "11111111-2222-3333-4444-555555555555"
OTHER = "99999999-8888-7777-6666-555555555555"
ENTRA_RULES = f"""
entra_tenant = "{HOME.upper()}"

[[rule]]
domain = "contoso.example"
role = "assessor"
organizations = ["Acme"]

[[rule]]
group = "readiness-viewers"
role = "viewer"
organizations = ["Acme"]
"""


def entra(tenant: str, **claims: object) -> dict[str, object]:
    """Claims as Microsoft Entra ID's v2.0 ID token has them: no email_verified."""
    return {
        "iss": f"https://login.microsoftonline.com/{tenant}/v2.0",
        "tid": tenant,
        "oid": "00000000-0000-0000-0000-0000000000aa",
        "sub": "pairwise-subject",
        "ver": "2.0",
        **claims,
    }


@pytest.mark.parametrize(
    ("claims", "expected"),
    [
        pytest.param(
            entra(OTHER, email="ceo@contoso.example", preferred_username="m@fabrikam.example"),
            None,
            id="another tenant's unverified e-mail matches no domain rule",
        ),
        pytest.param(
            entra(OTHER, email="ceo@contoso.example", xms_edov=False),
            None,
            id="xms_edov false",
        ),
        pytest.param(
            entra(OTHER, email="ceo@contoso.example", email_verified=True),
            None,
            id="an Entra token's email_verified is not Entra's word",
        ),
        pytest.param(
            entra(OTHER, email="Carol@Contoso.example", xms_edov=True),
            "carol@contoso.example",
            id="xms_edov true",
        ),
        pytest.param(
            entra(OTHER, email="carol@contoso.example", xms_edov="1"),
            "carol@contoso.example",
            id="xms_edov as text",
        ),
        pytest.param(
            entra(HOME, preferred_username="Dana@contoso.example"),
            "dana@contoso.example",
            id="a home tenant member by user principal name",
        ),
        pytest.param(
            entra(HOME, preferred_username="dana@contoso.example", email="boss@contoso.example"),
            "dana@contoso.example",
            id="the principal name, not the unverified e-mail",
        ),
        pytest.param(
            {**entra(HOME, preferred_username="guest@contoso.example"), "idp": "live.com"},
            None,
            id="a guest in the home tenant is not known by principal name",
        ),
        pytest.param(
            {**entra(HOME, preferred_username="x@contoso.example"), "iss": entra(OTHER)["iss"]},
            None,
            id="a Microsoft issuer of another tenant than tid",
        ),
        pytest.param(
            {"iss": f"https://sts.windows.net/{OTHER}/", "sub": "s", "email": "a@contoso.example"},
            None,
            id="the v1.0 issuer is Entra's too",
        ),
    ],
)  # fmt: skip
def test_entra_users_match_email_rules_on_a_verified_claim_only(
    claims: dict[str, object], expected: str | None
) -> None:
    rules = parse_access_rules(ENTRA_RULES, "access.toml")
    user = user_from_claims(claims, rules)
    if expected is None:
        assert user is None
    else:
        assert user is not None
        assert (user.id, user.role) == (expected, Role.assessor)


def test_an_unverified_entra_user_is_told_why() -> None:
    rules = parse_access_rules(ENTRA_RULES, "access.toml")
    email = verified_email(entra(OTHER, email="ceo@contoso.example"), rules.entra_tenant)
    assert email.address is None
    assert email.claimed == "ceo@contoso.example"
    assert email.reason is not None
    assert email.reason.startswith("Microsoft Entra ID does not vouch for this e-mail address")
    assert "xms_edov" in email.reason
    assert "not a member of the home tenant" in email.reason
    unset = verified_email(entra(HOME, preferred_username="dana@contoso.example", email="d@x.org"))
    assert unset.address is None
    assert unset.reason is not None
    assert "no home tenant is set (entra_tenant" in unset.reason


def test_an_unverified_entra_user_is_still_matched_by_group() -> None:
    rules = parse_access_rules(ENTRA_RULES, "access.toml")
    claims = entra(OTHER, email="ceo@contoso.example", groups=["readiness-viewers"])
    user = user_from_claims(claims, rules)
    assert user is not None
    assert (user.id, user.role) == ("pairwise-subject", Role.viewer)


def test_other_providers_e_mail_is_verified_unless_they_say_not() -> None:
    assert verified_email({"email": "A@b.org"}).address == "a@b.org"
    assert verified_email({"email": "a@b.org", "email_verified": "true"}).address == "a@b.org"
    refused = verified_email({"email": "a@b.org", "email_verified": 0})
    assert refused.address is None
    assert refused.reason is not None
    assert "email_verified is false" in refused.reason
    assert verified_email({"sub": "1"}) == VerifiedEmail(None)


def test_the_home_tenant_must_be_a_tenant_id() -> None:
    assert parse_access_rules(ENTRA_RULES, "access.toml").entra_tenant == HOME
    with pytest.raises(InputError) as error:
        parse_access_rules('entra_tenant = "contoso.example"', "access.toml")
    assert error.value.problems[0].startswith(
        "access.toml: field entra_tenant: 'contoso.example' is not a tenant id"
    )


# --- setting up: the access file and sign-in's address ----------------------------------------


def test_no_access_file_or_no_rules_is_a_set_up_problem(rules_file: Path) -> None:
    assert access_setup_problem(None, NO_ACCESS) == NO_ACCESS_FILE
    assert "READINESS_ACCESS_FILE is not set" in NO_ACCESS_FILE
    empty = parse_access_rules("# nothing yet\n", "access.toml")
    assert access_setup_problem(Path("access.toml"), empty) == (
        "access.toml: no [[rule]] in the access file, so nobody who signs in can be given a role"
    )
    assert access_setup_problem(rules_file, load_access_rules(rules_file)) is None


def test_a_folder_is_named_as_not_an_access_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r": a folder, not an access file \(READINESS_ACCESS_FILE"):
        load_access_rules(tmp_path)


@pytest.mark.parametrize(
    ("page", "redirect", "expected"),
    [
        ("http://127.0.0.1:8501/growth", "http://localhost:8501/oauth2callback",
         "http://localhost:8501"),
        ("http://localhost:8501/", "http://localhost:8501/oauth2callback", None),
        ("http://LOCALHOST:8501/saved", "http://localhost:8501/oauth2callback", None),
        ("https://readiness.example.org/", "https://readiness.example.org:443/oauth2callback",
         None),
        ("http://readiness.example.org/", "https://readiness.example.org/oauth2callback",
         "https://readiness.example.org"),
        ("http://localhost:8502/", "http://localhost:8501/oauth2callback",
         "http://localhost:8501"),
        ("http://[::1]:8501/", "http://localhost:8501/oauth2callback", "http://localhost:8501"),
        ("http://localhost:8501/", "http://[::1]:8501/oauth2callback", "http://[::1]:8501"),
        (None, "http://localhost:8501/oauth2callback", None),
        ("http://localhost:8501/", "not a url", None),
    ],
)  # fmt: skip
def test_the_page_open_at_another_origin_than_the_redirect_uri_is_named(
    page: str | None, redirect: str, expected: str | None
) -> None:
    assert wrong_sign_in_address(page, redirect) == expected


PAGES = ["", "questionnaire", "results", "growth", "saved"]


@pytest.mark.parametrize(
    ("kept", "expected"),
    [
        ("growth%3Flevel%3Dmarket", ("growth", {"level": "market"})),
        ("growth?level=market&start=2027", ("growth", {"level": "market", "start": "2027"})),
        ("questionnaire%3Fassessment%3D2", ("questionnaire", {"assessment": "2"})),
        ("saved", ("saved", {})),
        ("%3Fdraft%3Dabc", ("", {"draft": "abc"})),
        ("", None),
        (None, None),
        ("//evil.example/growth", None),
        ("https://evil.example/", None),
        ("%2F%2Fevil.example", None),
        ("/growth", None),
        ("growth/../saved", None),
        ("growth%2F..%2F..%2Fetc", None),
        ("javascript:alert(1)", None),
        ("growth?" + "a=1&" * 600, None),  # longer than any address of the app
        ("growth?=x&&", None),
    ],
)
def test_a_kept_address_names_only_one_of_the_apps_own_pages(
    kept: str | None, expected: tuple[str, dict[str, str]] | None
) -> None:
    assert return_target(kept, PAGES) == expected
