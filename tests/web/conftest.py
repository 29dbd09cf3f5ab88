"""A web app on a fresh SQLite file (and, under the services marker, PostgreSQL)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from accord.store import Store, repository
from accord.web.app import create_app
from accord.web.settings import Settings

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
PASSWORD = "correct horse battery"


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


def make_web(tmp_path: Path, url: str | None = None, tag: str = "") -> Web:
    """An app on ``url`` (default: a SQLite file in ``tmp_path``) with two facilitators;
    ``tag`` makes their emails unique in a database shared by several tests."""
    settings = Settings(
        database_url=url or f"sqlite:///{tmp_path / 'accord.db'}",
        secret_key="k" * 48,
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
    made = make_web(tmp_path)
    try:
        with made.client:
            yield made
    finally:
        made.store.dispose()
