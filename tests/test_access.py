"""Access rules: the file, how claims become a user, and refusals (the store's checks are in
``test_access_store.py``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from readiness.access import (
    NO_ACCESS,
    OPERATOR,
    Action,
    PermissionDeniedError,
    Role,
    User,
    load_access_rules,
    parse_access_rules,
    require,
    user_from_claims,
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
