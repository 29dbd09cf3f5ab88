"""A web app on a fresh SQLite file (and, under the services marker, PostgreSQL)."""

from __future__ import annotations

import dataclasses
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from accord.store import Store, repository
from accord.web.app import create_app
from accord.web.settings import Settings

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
PASSWORD = "correct horse battery"


# Tests compute analyses on the worker thread (one process, so a test can count or block
# them) and wait for them as long as a loaded machine needs, so pages show the analysis;
# tests/web/test_analysis_jobs.py covers the child processes and the "computing…" page.
IN_TEST_ANALYSES: dict[str, Any] = {"analysis_processes": False, "analysis_wait_seconds": 600.0}


@dataclass
class Web:
    client: TestClient
    store: Store
    settings: Settings
    email: str = "fac@example.org"

    def sign_in(self, email: str | None = None, password: str = PASSWORD) -> None:
        email = email or self.email
        form = self.client.get("/login")
        response = self.client.post(
            "/login",
            data={"email": email, "password": password, "csrf": csrf_of(form.text)},
            follow_redirects=False,
        )
        assert response.status_code == 303, response.text

    def csrf(self, path: str = "/") -> str:
        return csrf_of(self.client.get(path).text)


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "no CSRF field on the page"
    return found.group(1)


@contextmanager
def running_web(
    tmp_path: Path, url: str | None = None, tag: str = "", settings: Settings | None = None
) -> Iterator[Web]:
    """:func:`make_web`, with the app started (lifespan) and the database closed after."""
    made = make_web(tmp_path, url, tag, settings)
    try:
        with made.client:
            yield made
    finally:
        made.store.dispose()


def make_web(
    tmp_path: Path, url: str | None = None, tag: str = "", settings: Settings | None = None
) -> Web:
    """An app on ``url`` (default: a SQLite file in ``tmp_path``) with two facilitators;
    ``tag`` makes their emails unique in a database shared by several tests; ``settings``
    gives the other settings (its database URL is replaced)."""
    settings = dataclasses.replace(
        settings or Settings(secret_key="k" * 48, **IN_TEST_ANALYSES),
        database_url=url or f"sqlite:///{tmp_path / 'accord.db'}",
    )
    store = Store.from_url(settings.database_url, migrate=True)
    email = f"fac{tag}@example.org"
    with store.session() as session:
        repository.create_facilitator(session, email, PASSWORD, "Fran Facilitator")
        repository.create_facilitator(session, f"other{tag}@example.org", PASSWORD, "Otto Other")
    client = TestClient(create_app(settings, store), base_url="http://127.0.0.1")
    return Web(client, store, settings, email)


@pytest.fixture
def web(tmp_path: Path) -> Iterator[Web]:
    with running_web(tmp_path) as made:
        yield made


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def served_demo(
    folder: Path,
    password: str,
    *cases: Path,
    options: tuple[str, ...] = (),
    environ: dict[str, str] | None = None,
) -> Iterator[tuple[str, Path]]:
    """``accord serve --demo CASES`` on a free 127.0.0.1 port (default: a SQLite file in
    ``folder``, no Redis; ``environ`` overrides); yields the base URL and the server's log
    file once it listens."""
    port = free_port()
    env = dict(
        os.environ,
        ACCORD_DATABASE_URL=f"sqlite:///{folder / 'accord.db'}",
        ACCORD_DEMO_PASSWORD=password,
    )
    env.pop("ACCORD_REDIS_URL", None)
    # Real servers compute in child processes; pages wait for the examples' analyses even on
    # a loaded machine (the "computing…" page has its own tests).
    env.setdefault("ACCORD_ANALYSIS_WAIT_SECONDS", "120")
    env.update(environ or {})
    log = folder / "server.log"
    command = [sys.executable, "-m", "accord.cli", "serve", "--demo", "--port", str(port), *options]
    with log.open("w") as sink:
        server = subprocess.Popen(
            [*command, *map(str, cases)], cwd=folder, env=env, stdout=sink, stderr=sink
        )
    try:
        deadline = time.monotonic() + 60
        while "Application startup complete" not in log.read_text():
            assert server.poll() is None, log.read_text()
            assert time.monotonic() < deadline, "the server did not start in 60 s"
            time.sleep(0.05)  # waiting for a child process to listen, not for timing
        yield f"http://127.0.0.1:{port}", log
    finally:
        server.terminate()
        server.wait(timeout=10)
