"""Error pages, security headers on every status, HSTS and ids checked before the database."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from tests.web.conftest import Web, make_web

from accord.web.app import create_app
from accord.web.settings import Settings

HEADERS = (
    "Content-Security-Policy",
    "Referrer-Policy",
    "X-Content-Type-Options",
    "X-Frame-Options",
    "Cache-Control",
)
HSTS = "max-age=31536000; includeSubDomains"


def _with_failing_route(app: FastAPI) -> FastAPI:
    @app.get("/__boom")
    def boom() -> None:
        raise RuntimeError("an unexpected failure")

    return app


def _client(tmp_path: Path, secure: bool = False) -> TestClient:
    tmp_path.mkdir(parents=True, exist_ok=True)
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'accord.db'}",
        secret_key="k" * 48,
        secure_cookies=secure,
    )
    app = _with_failing_route(create_app(settings))
    return TestClient(app, base_url="http://127.0.0.1", raise_server_exceptions=False)


def _statuses(client: TestClient) -> dict[int, httpx.Response]:
    return {
        404: client.get("/no/such/page"),
        405: client.put("/login"),
        422: client.post("/login", data={}),
        500: client.get("/__boom"),
    }


def test_every_error_status_answers_the_app_page_with_all_headers(tmp_path: Path) -> None:
    with _client(tmp_path) as client:
        for status, response in _statuses(client).items():
            assert response.status_code == status
            assert response.headers["content-type"].startswith("text/html"), status
            assert "That did not work" in response.text, status
            for name in HEADERS:
                assert name in response.headers, (status, name)
            assert "Strict-Transport-Security" not in response.headers


def test_error_page_has_no_javascript_link(tmp_path: Path) -> None:
    with _client(tmp_path) as client:
        response = client.get("/no/such/page")
    assert "javascript:" not in response.text
    assert 'href="/"' in response.text


def test_errors_answer_json_when_the_client_asks_for_it(tmp_path: Path) -> None:
    with _client(tmp_path) as client:
        response = client.get("/no/such/page", headers={"Accept": "application/json"})
        assert response.status_code == 404
        assert response.json()["error"] == "not_found"
        assert "Content-Security-Policy" in response.headers
        failed = client.get("/__boom", headers={"Accept": "application/json"})
        assert failed.status_code == 500 and failed.json()["error"] == "internal"
        assert "X-Frame-Options" in failed.headers


def test_json_routes_answer_json_errors(web: Web) -> None:
    web.sign_in()
    response = web.client.get("/cases/999/analysis.json")
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"


def test_hsts_only_with_secure_cookies(tmp_path: Path) -> None:
    with _client(tmp_path / "plain") as client:
        assert "Strict-Transport-Security" not in client.get("/login").headers
    with _client(tmp_path / "secure", secure=True) as client:
        for response in [client.get("/login"), *_statuses(client).values()]:
            assert response.headers["Strict-Transport-Security"] == HSTS


@pytest.mark.parametrize(
    "path",
    [
        "/cases/9223372036854775808",
        "/cases/99999999999999999999999",
        "/cases/-1",
        "/cases/0",
        "/cases/abc",
        "/cases/9223372036854775808/report",
        "/cases/9223372036854775808/analysis.json",
        "/workshops/9223372036854775808",
        "/workshops/-5",
        "/workshops/1e3",
    ],
)
def test_ids_outside_the_integer_range_answer_404(tmp_path: Path, path: str) -> None:
    made = make_web(tmp_path)
    made.client = TestClient(made.client.app, raise_server_exceptions=False)
    with made.client:
        made.sign_in()
        response = made.client.get(path)
        assert response.status_code == 404, response.text
        assert "X-Frame-Options" in response.headers
        csrf = made.csrf()
        posted = made.client.post("/cases/9223372036854775808/tokens/1/revoke", data={"csrf": csrf})
        assert posted.status_code == 404, posted.text
        posted = made.client.post("/cases/1/tokens/9223372036854775808/revoke", data={"csrf": csrf})
        assert posted.status_code == 404, posted.text
    made.store.dispose()
