"""The shipped proxy configuration and its documentation agree (the browser tests run the file
itself: tests/e2e/test_team_browser.py)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SITE = ROOT / "deploy" / "nginx-site.conf"
PLACEHOLDER = re.compile(r"@[A-Z0-9_]+@")


def _split(text: str) -> tuple[str, str]:
    """The file's comments and its directives."""
    comments, directives = [], []
    for line in text.splitlines():
        code, _, comment = line.partition("#")
        directives.append(code)
        comments.append(comment)
    return "\n".join(comments), "\n".join(directives)


def test_every_placeholder_the_proxy_uses_is_explained_at_the_top() -> None:
    comments, directives = _split(SITE.read_text(encoding="utf-8"))
    used = set(PLACEHOLDER.findall(directives))
    assert used >= {"@SERVER_NAME@", "@CERTIFICATE@", "@CERTIFICATE_KEY@", "@DASHBOARD_1@"}
    assert used - set(PLACEHOLDER.findall(comments)) == set()


def test_the_team_guide_names_the_file_and_what_it_relies_on() -> None:
    guide = (ROOT / "docs" / "team.md").read_text(encoding="utf-8")  # "Running for a team"
    _, directives = _split(SITE.read_text(encoding="utf-8"))
    assert "deploy/nginx-site.conf" in guide
    # what the guide explains is what the file does: (the file's directive, the guide's words)
    for directive, explained in (
        ("hash $readiness_route consistent", "hash $readiness_route consistent"),
        ("proxy_read_timeout 1h", "proxy_read_timeout 1h"),
        ("proxy_set_header Host $http_host", "Host $http_host"),
        ("client_max_body_size 25m", "25 MB"),
        ("proxy_http_version 1.1", "proxy_http_version 1.1"),
        ("proxy_set_header Upgrade $http_upgrade", "Upgrade"),
        ("return 301 https://", "redirected to HTTPS"),
        ("Strict-Transport-Security", "HSTS"),
    ):
        assert directive in directives, directive
        assert explained in guide, explained
    assert "readiness_route" in guide
    assert "READINESS_DATABASE_URL" in guide
    assert "STREAMLIT_SERVER_COOKIE_SECRET" in guide
