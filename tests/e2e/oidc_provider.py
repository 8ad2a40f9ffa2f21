"""An OpenID Connect provider for the sign-in tests, and a dashboard configured to use it.

The provider is ``oidc-provider-mock`` (a real OIDC server made for tests) under
``python -m oidc_provider_mock`` on a free port. Its users are registered with their claims
(e-mail, name, groups) through its ``PUT /users/<sub>`` endpoint; in the browser a person signs in
by typing the user's subject on its authorize page. Without the package the sign-in tests are
skipped, unless ``READINESS_REQUIRE_BROWSER=1`` (CI) makes that a failure.

A dashboard for these tests runs in its own working folder: Streamlit reads
``.streamlit/secrets.toml`` (the ``[auth]`` section) and ``config.toml`` from the folder it is
started in, so the developer's own files are never read or written.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from streamlit_server import Server, free_port, stop, streamlit_server

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT_S = 30
CLIENT_ID = "readiness-dashboard"
CLIENT_SECRET = "test-client-secret"  # the provider accepts any client (no registration)


def require_provider() -> None:
    """Skip without oidc-provider-mock and Authlib, except where required (CI): a failure."""
    missing = [
        name
        for name in ("oidc_provider_mock", "authlib")
        if not _importable(name)  # the provider, and Streamlit's OIDC client
    ]
    if not missing:
        return
    reason = f"the package(s) {', '.join(missing)} are missing (pip install -e '.[dev]')"
    if os.environ.get("READINESS_REQUIRE_BROWSER") == "1":
        pytest.fail(f"sign-in tests are required here, but {reason}")
    pytest.skip(reason)


def _importable(name: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(name) is not None


@dataclass(frozen=True)
class Provider:
    url: str

    @property
    def metadata_url(self) -> str:
        return f"{self.url}/.well-known/openid-configuration"

    def add_user(self, sub: str, **claims: Any) -> None:
        """Register ``sub`` with ``claims`` (email, name, groups, ...) for the next sign-in."""
        request = urllib.request.Request(
            f"{self.url}/users/{sub}",
            data=json.dumps(claims).encode(),
            headers={"Content-Type": "application/json"},
            method="PUT",
        )
        with urllib.request.urlopen(request, timeout=5) as response:
            assert response.status == 204, response.status


@contextmanager
def oidc_provider(log_dir: Path) -> Iterator[Provider]:
    """``python -m oidc_provider_mock`` on a free port on 127.0.0.1 until the block ends."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = log_dir / f"oidc-provider-{port}.log"
    with log.open("wb") as output:
        process = subprocess.Popen(  # fixed arguments, no shell
            [sys.executable, "-m", "oidc_provider_mock", "--port", str(port)],
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"the OIDC provider exited:\n{log.read_text(errors='replace')}")
            try:
                with urllib.request.urlopen(f"{url}/.well-known/openid-configuration", timeout=2):
                    break
            except OSError as error:
                if time.monotonic() > deadline:
                    message = f"the OIDC provider did not answer within {START_TIMEOUT_S} s"
                    raise RuntimeError(message) from error
                time.sleep(0.1)
        yield Provider(url)
    finally:
        stop(process)


def provider_with(people: Mapping[str, Mapping[str, Any]]) -> Any:
    """A module-scoped ``provider`` fixture: :func:`oidc_provider` with ``people`` (subject to
    claims) registered. A test module assigns it: ``provider = provider_with(PEOPLE)``.

    It asks for the ``browser`` fixture first, so that without Chromium the provider is never
    started (the browser's skip, or its failure where a browser is required, comes first).
    """

    @pytest.fixture(scope="module", name="provider")
    def provider(browser: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Provider]:
        require_provider()
        with oidc_provider(tmp_path_factory.mktemp("oidc")) as running:
            for sub, claims in people.items():
                running.add_user(sub, **claims)
            yield running

    return provider


def auth_secrets(provider: Provider, cookie_secret: str, redirect_host: str = "127.0.0.1") -> str:
    """The ``[auth]`` section of ``.streamlit/secrets.toml`` for ``provider``.

    ``{port}`` in ``redirect_uri`` is filled in by Streamlit with the server's own port. The
    server listens on 127.0.0.1: ``redirect_host="localhost"`` is docs/sign-in.md's address.
    """
    return (
        "[auth]\n"
        f'redirect_uri = "http://{redirect_host}:{{port}}/oauth2callback"\n'
        f'cookie_secret = "{cookie_secret}"\n'
        f'client_id = "{CLIENT_ID}"\n'
        f'client_secret = "{CLIENT_SECRET}"\n'
        f'server_metadata_url = "{provider.metadata_url}"\n'
    )


@contextmanager
def signed_in_dashboard(
    folder: Path,
    provider: Provider,
    rules: str | None,
    cookie_secret: str,
    *,
    redirect_host: str = "127.0.0.1",
) -> Iterator[tuple[Server, Path]]:
    """The dashboard with sign-in through ``provider`` and the access rules ``rules`` (TOML;
    None: ``READINESS_ACCESS_FILE`` unset).

    Runs in ``folder`` (its ``.streamlit`` holds the project's config.toml and a secrets.toml
    written here). Yields the server and the SQLite URL's file of its store.
    """
    settings = folder / ".streamlit"
    settings.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / ".streamlit" / "config.toml", settings / "config.toml")
    (settings / "secrets.toml").write_text(auth_secrets(provider, cookie_secret, redirect_host))
    home = folder / "home"
    # Blank counts as unset (and a developer's own variable is not inherited).
    env: Mapping[str, str] = {"READINESS_ACCESS_FILE": ""}
    if rules is not None:
        access = folder / "access.toml"
        access.write_text(rules)
        env = {"READINESS_ACCESS_FILE": str(access)}
    with streamlit_server(ROOT / "app.py", home, cwd=folder, env=env) as server:
        yield server, home / "readiness.db"


def sign_in(page: Any, url: str, sub: str, path: str = "") -> None:
    """Open the dashboard at ``path``, press Sign in, give ``sub`` on the provider's page and
    come back (to ``url``'s origin, whatever page the dashboard then opens)."""
    from dashboard_page import open_app, wait_idle

    open_app(page, f"{url}/{path}")
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_url(re.compile(r"/oauth2/authorize"), timeout=20_000)
    page.locator("input[name=sub]").fill(sub)
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(re.compile(re.escape(url)), timeout=20_000)
    page.wait_for_selector('[data-testid="stApp"]', timeout=30_000)
    wait_idle(page, 30_000)
