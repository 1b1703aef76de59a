"""Fixtures of the marketplace tests: real app servers (gunicorn) in processes of their own, and a
visitor that talks to them over HTTP with its cookies, as a browser does."""

from __future__ import annotations

import http.cookiejar
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings

START_SECONDS = 90  # a fresh process imports Django and Wagtail; a loaded CI machine is slow


@dataclass
class AppServer:
    """One gunicorn process serving Dichtbij on a loopback port."""

    name: str
    url: str
    process: subprocess.Popen
    log: Path

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


@dataclass
class Response:
    status: int
    url: str
    text: str


class Visitor:
    """A browser's cookies and forms over plain HTTP. Cookies ignore ports, so one visitor holds one
    session for every server on 127.0.0.1, as one browser would behind a load balancer."""

    def __init__(self) -> None:
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def get(self, server: AppServer, path: str) -> Response:
        return self._open(urllib.request.Request(server.url + path))

    def post(self, server: AppServer, path: str, data: dict[str, str] | None = None) -> Response:
        """Post a form with the CSRF token from the visitor's cookie, as the page's form would."""
        fields = {"csrfmiddlewaretoken": self.cookie("csrftoken"), **(data or {})}
        body = urllib.parse.urlencode(fields).encode()
        request = urllib.request.Request(
            server.url + path, data=body, headers={"Referer": server.url + path}
        )
        return self._open(request)

    def log_in(self, server: AppServer, email: str, password: str) -> Response:
        self.get(server, "/accounts/login/")  # the CSRF cookie
        return self.post(server, "/accounts/login/", {"login": email, "password": password})

    def cookie(self, name: str) -> str:
        return next((c.value for c in self.cookies if c.name == name), "")

    def _open(self, request: urllib.request.Request) -> Response:
        try:
            with self.opener.open(request, timeout=30) as answer:
                return Response(answer.status, answer.url, answer.read().decode())
        except urllib.error.HTTPError as error:
            return Response(error.code, error.url, error.read().decode(errors="replace"))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_environment(**overrides: str) -> dict[str, str]:
    """The environment of an app server: development settings (no collectstatic needed), this
    run's keys, mail kept in memory, and no Elasticsearch (these tests are not about search)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"ELASTICSEARCH_URL", "DATABASE_URL", "CACHE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="marketplace.settings",
        DEBUG="true",
        SECRET_KEY=settings.SECRET_KEY,
        VAULT_KEY=settings.VAULT_KEY,
        EMAIL_URL="locmem:",
        LOG_LEVEL="WARNING",
    )
    env.update(overrides)
    return env


@pytest.fixture
def app_servers(tmp_path) -> Iterator[Callable[..., AppServer]]:
    """``start(name, env)`` starts a gunicorn process (one sync worker, so every request of a
    server reuses its one database connection) and waits until it answers; all stop at the end."""
    started: list[AppServer] = []

    def start(name: str, env: dict[str, str]) -> AppServer:
        port = free_port()
        log = tmp_path / f"gunicorn-{name}.log"
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "marketplace.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
                "--timeout",
                "60",
                "--access-logfile",
                "-",
            ],
            cwd=settings.BASE_DIR,
            env={**env, "DICHTBIJ_VAR_DIR": str(tmp_path / f"var-{name}")},
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
        )
        server = AppServer(name, f"http://127.0.0.1:{port}", process, log)
        started.append(server)
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            if process.poll() is not None:
                status = process.returncode
                pytest.fail(f"app server {name} exited ({status}):\n{server.log_tail()}")
            try:
                with urllib.request.urlopen(server.url + "/accounts/login/", timeout=5):
                    return server
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.2)
        pytest.fail(f"app server {name} did not answer in {START_SECONDS} s:\n{server.log_tail()}")

    yield start
    for server in started:
        server.process.terminate()
    for server in started:
        try:
            server.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait()


def sqlite_file_copy(connection, path: Path) -> str:
    """Copy the test database (SQLite in memory) into a file other processes can open."""
    import sqlite3

    connection.ensure_connection()
    with sqlite3.connect(path) as target:
        connection.connection.backup(target)
    target.close()
    return f"sqlite:///{path}"


def database_url(connection, tmp_path: Path) -> str:
    """A URL of the test database for another process: the PostgreSQL test database itself, or a
    file copy of SQLite's in-memory one (writes there then stay between the servers)."""
    if connection.vendor == "sqlite":
        return sqlite_file_copy(connection, tmp_path / "shared.sqlite3")
    params = connection.settings_dict
    user = urllib.parse.quote(params["USER"] or "", safe="")
    password = urllib.parse.quote(params["PASSWORD"] or "", safe="")
    host, port = params["HOST"] or "127.0.0.1", params["PORT"] or "5432"
    return f"postgres://{user}:{password}@{host}:{port}/{params['NAME']}"
