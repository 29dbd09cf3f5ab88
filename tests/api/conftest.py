"""An app with two facilitators and API tokens of each kind, on a fresh SQLite file."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from tests.web.conftest import EXAMPLES, Web, running_web

from accord.store import Store, tokens
from accord.store.tables import ApiToken, Facilitator

CASE = EXAMPLES / "growth-vs-margin.yaml"


@dataclass
class Api:
    web: Web
    owner_id: int
    other_id: int
    raw: dict[str, str] = field(default_factory=dict)

    @property
    def client(self) -> TestClient:
        return self.web.client

    @property
    def store(self) -> Store:
        return self.web.store

    def token(self, *scopes: str, owner: int | None = None, days: int = 30) -> str:
        with self.store.session() as session:
            _, raw = tokens.create_api_token(
                session, owner or self.owner_id, "test", list(scopes), days
            )
        return raw

    def headers(self, *scopes: str, owner: int | None = None) -> dict[str, str]:
        key = " ".join(scopes) + f"@{owner or self.owner_id}"
        if key not in self.raw:
            self.raw[key] = self.token(*scopes, owner=owner)
        return {"Authorization": f"Bearer {self.raw[key]}"}

    @property
    def full(self) -> dict[str, str]:
        return self.headers("read", "write", "workshop")

    def create_case(self, path: Path = CASE, owner: int | None = None) -> int:
        response = self.client.post(
            "/api/v1/cases",
            content=path.read_bytes(),
            headers={
                **self.headers("read", "write", "workshop", owner=owner),
                "Content-Type": "application/yaml",
            },
        )
        assert response.status_code == 201, response.text
        case_id: int = response.json()["id"]
        return case_id

    def expire(self, raw: str) -> None:
        """Move the token's expiry to now (the first instant it no longer works)."""
        with self.store.session() as session:
            token = session.query(ApiToken).filter_by(token_hash=tokens.token_hash(raw)).one()
            token.expires_at = dt.datetime.now(dt.UTC)


@pytest.fixture
def api(tmp_path: Path) -> Iterator[Api]:
    with running_web(tmp_path) as web:
        with web.store.session() as session:
            ids = {f.email: f.id for f in session.query(Facilitator)}
        yield Api(web, ids[web.email], ids["other@example.org"])
