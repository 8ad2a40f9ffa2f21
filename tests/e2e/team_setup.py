"""docs/team.md's team setup on localhost: nginx with TLS in front of two dashboard servers
that share one PostgreSQL database.

nginx runs ``deploy/nginx-site.conf`` itself, its placeholders filled in here, so the tested
setup and the documented one cannot drift apart. The proxy runs as the current user with its own
prefix, pid file, logs and temporary folders; its certificate is self-signed, made here with
openssl. Its access log records, for every request, the route key the browser carried and the
server that answered, so a test can prove which server served a browser and that it stayed there.

Usable outside pytest too (``with team_setup(admin_url, folder) as team: ...``).
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import ssl
import subprocess
import time
import urllib.request
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import psycopg
from psycopg import sql
from sqlalchemy.engine import URL, make_url
from streamlit_server import Server, free_port, stop, streamlit_server

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "deploy" / "nginx-site.conf"
NGINX_CANDIDATES = ("/usr/sbin/nginx", "/usr/bin/nginx")
SERVERS = 2
START_TIMEOUT_S = 30
_PLACEHOLDER = re.compile(r"@[A-Z0-9_]+@")
#: One access-log line per request: route key, the server that answered, status, path.
_LOG_FORMAT = "'$readiness_route|$upstream_addr|$status|$request_uri'"
#: ``$upstream_addr`` lists every server tried: "a, b" (the next one after a failure), "a : b".
_SERVERS_TRIED = re.compile(r"\s*,\s*|\s+:\s+")


def nginx_binary() -> str | None:
    """The nginx executable, or None when nginx is not installed."""
    found = shutil.which("nginx")
    if found:
        return found
    return next((c for c in NGINX_CANDIDATES if Path(c).exists()), None)


@dataclass(frozen=True)
class Team:
    url: str  # https://127.0.0.1:<port>, the proxy
    plain_url: str  # http://127.0.0.1:<port>, the proxy's redirect to HTTPS
    servers: tuple[Server, ...]
    database_url: str  # what every server has as READINESS_DATABASE_URL
    certificate: Path  # the proxy's self-signed certificate (its own CA)
    access_log: Path
    stoppers: dict[str, Callable[[], None]] = field(repr=False)

    def stop(self, upstream: str) -> None:
        """Stop the server the proxy knows as ``upstream`` (as a crash or a restart would)."""
        self.stoppers[upstream]()

    @property
    def upstreams(self) -> tuple[str, ...]:
        """The servers as the proxy names them (``127.0.0.1:<port>``)."""
        return tuple(s.url.removeprefix("http://") for s in self.servers)

    def routes(self) -> dict[str, set[str]]:
        """Every route key seen so far (one per browser) and the servers that answered it."""
        answered: dict[str, set[str]] = defaultdict(set)
        for line in self.access_log.read_text(encoding="utf-8").splitlines():
            route, upstream, _status, _path = line.split("|", 3)
            if upstream != "-":  # answered by the proxy itself (the HTTP redirect)
                answered[route].update(_SERVERS_TRIED.split(upstream.strip()))
        return dict(answered)

    def server_of(self, route: str) -> str:
        """The one server that answered the browser holding ``route``."""
        answered = self.routes().get(route, set())
        assert len(answered) == 1, f"route {route} was answered by {answered or 'no server'}"
        return next(iter(answered))


def _sign(certificate: Path, key: Path) -> None:
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=localhost",
            "-addext",
            "subjectAltName=DNS:localhost,IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(certificate),
        ],
        check=True,
        capture_output=True,
    )
    key.chmod(0o600)


def fill_site(values: dict[str, str]) -> str:
    """``deploy/nginx-site.conf`` with its ``@NAME@`` placeholders replaced; every one must be."""
    text = SITE.read_text(encoding="utf-8")
    for name, value in values.items():
        text = text.replace(f"@{name}@", value)
    left = {m for line in text.splitlines() for m in _PLACEHOLDER.findall(line.split("#")[0])}
    assert not left, f"{SITE.name}: placeholders left unfilled: {sorted(left)}"
    return text


def _nginx_conf(root: Path) -> str:
    """The top-level nginx.conf a Debian system has, reduced to what a private instance needs."""
    # as root, nginx would run its workers as nobody, who cannot enter a private temporary folder
    user = "user root;\n" if os.geteuid() == 0 else ""
    temp = "\n".join(
        f"    {kind}_temp_path {root / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return f"""{user}pid {root / "nginx.pid"};
error_log {root / "error.log"} notice;
worker_processes 1;
events {{ worker_connections 512; }}
http {{
{temp}
    log_format routes {_LOG_FORMAT};
    access_log {root / "access.log"} routes;
    include {root / "readiness.conf"};
}}
"""


@contextmanager
def _database(admin_url: str) -> Iterator[str]:
    """A new database with its own login role, as a team would create one; dropped after.

    On a server where the tests' user may not create roles (``READINESS_TEST_POSTGRES_URL``),
    the database belongs to that user instead.
    """
    name = f"readiness_team_{uuid.uuid4().hex[:10]}"
    password = secrets.token_urlsafe(18)
    admin = make_url(admin_url).set(drivername="postgresql").render_as_string(hide_password=False)
    url: URL = make_url(admin_url).set(database=name)
    with psycopg.connect(admin, autocommit=True) as connection:
        try:
            connection.execute(
                sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(
                    sql.Identifier(name), sql.Literal(password)
                )
            )
            owned = sql.SQL(" OWNER {}").format(sql.Identifier(name))
            url = url.set(username=name, password=password)
        except psycopg.errors.InsufficientPrivilege:
            owned = sql.SQL("")  # the tests' user owns it
        connection.execute(sql.SQL("CREATE DATABASE {}{}").format(sql.Identifier(name), owned))
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
            if url.username == name:
                connection.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(name)))


@contextmanager
def _dashboards(
    folder: Path, env: dict[str, str]
) -> Iterator[list[tuple[Server, Callable[[], None]]]]:
    """Two dashboard servers with the same settings, started at the same time; each with the
    function that stops it early (it is stopped at the end anyway)."""
    managers = [
        streamlit_server(ROOT / "app.py", folder / f"dashboard-{n}", env=env)
        for n in range(1, SERVERS + 1)
    ]
    with ExitStack() as stack, ThreadPoolExecutor(SERVERS) as pool:
        futures = [pool.submit(m.__enter__) for m in managers]
        started, failure = [], None
        for manager, future in zip(managers, futures, strict=True):
            try:
                started.append(future.result())
                stack.push(manager.__exit__)
            except Exception as error:  # the other server is still stopped by the stack
                failure = error
        if failure is not None:
            raise failure
        yield [
            (server, partial(manager.__exit__, None, None, None))
            for server, manager in zip(started, managers, strict=True)
        ]


def _wait_for_proxy(
    url: str, certificate: Path, process: subprocess.Popen[bytes], log: Path
) -> None:
    context = ssl.create_default_context(cafile=str(certificate))  # verified: our own CA
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"nginx exited early:\n{log.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", context=context, timeout=2) as r:
                if r.read().strip() == b"ok":
                    return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nginx did not answer within {START_TIMEOUT_S} s")


@contextmanager
def team_setup(postgres_admin_url: str, folder: Path) -> Iterator[Team]:
    """PostgreSQL database, two dashboard servers on it, nginx with TLS in front; until the end."""
    nginx = nginx_binary()
    if nginx is None:
        raise RuntimeError("nginx is not installed (apt-get install nginx)")
    proxy = folder / "nginx"
    proxy.mkdir(parents=True)
    certificate, key = proxy / "certificate.pem", proxy / "key.pem"
    _sign(certificate, key)
    with _database(postgres_admin_url) as database_url:
        # Secrets reach the servers through their environment, never through a file in the
        # repository: the database password, and the cookie secret that every server shares.
        env = {
            "READINESS_DATABASE_URL": database_url,
            "STREAMLIT_SERVER_COOKIE_SECRET": secrets.token_hex(32),
        }
        with _dashboards(folder, env) as dashboards:
            servers = tuple(server for server, _ in dashboards)
            stoppers = {s.url.removeprefix("http://"): stop for s, stop in dashboards}
            https_port, http_port = free_port(), free_port()
            upstreams = [s.url.removeprefix("http://") for s in servers]
            site = fill_site(
                {
                    "SERVER_NAME": "localhost 127.0.0.1",
                    "LISTEN_ADDRESS": "127.0.0.1",
                    "HTTP_PORT": str(http_port),
                    "HTTPS_PORT": str(https_port),
                    "CERTIFICATE": str(certificate),
                    "CERTIFICATE_KEY": str(key),
                    **{f"DASHBOARD_{n}": u for n, u in enumerate(upstreams, start=1)},
                }
            )
            (proxy / "readiness.conf").write_text(site, encoding="utf-8")
            (proxy / "nginx.conf").write_text(_nginx_conf(proxy), encoding="utf-8")
            command = [nginx, "-p", str(proxy), "-c", str(proxy / "nginx.conf")]
            command += ["-e", str(proxy / "error.log")]
            checked = subprocess.run([*command, "-t"], check=False, capture_output=True, text=True)
            if checked.returncode != 0:
                raise RuntimeError(f"nginx rejected the configuration:\n{checked.stderr}")
            process = subprocess.Popen(  # fixed arguments, no shell
                [*command, "-g", "daemon off;"],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.STDOUT,
            )
            url = f"https://127.0.0.1:{https_port}"
            try:
                _wait_for_proxy(url, certificate, process, proxy / "error.log")
                plain_url = f"http://127.0.0.1:{http_port}"
                log = proxy / "access.log"
                yield Team(url, plain_url, servers, database_url, certificate, log, stoppers)
            finally:
                stop(process)  # SIGTERM: nginx's fast shutdown
