"""API tokens: hashed, scoped, expiring, revocable; cookies write only with CSRF."""

from __future__ import annotations

import datetime as dt

import pytest
from tests.api.conftest import Api
from tests.web.conftest import csrf_of

from accord.errors import InputError
from accord.store import tokens
from accord.store.tables import ApiToken


def test_only_the_hash_of_a_token_is_stored(api: Api) -> None:
    raw = api.token("read")
    with api.store.session() as session:
        rows = session.query(ApiToken).all()
    assert len(rows) == 1
    assert rows[0].token_hash == tokens.token_hash(raw)
    assert raw not in {rows[0].token_hash, rows[0].name, rows[0].scopes}
    assert raw.startswith("accord_") and len(raw) >= 7 + 43  # 256 random bits


def test_token_works_until_the_instant_it_expires(api: Api) -> None:
    raw = api.token("read")
    headers = {"Authorization": f"Bearer {raw}"}
    with api.store.session() as session:
        token = session.query(ApiToken).one()
        token.expires_at = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=1)
    assert api.client.get("/api/v1/cases", headers=headers).status_code == 200
    api.expire(raw)
    response = api.client.get("/api/v1/cases", headers=headers)
    assert response.status_code == 401
    assert "expired" in response.json()["message"]


def test_revoked_token_answers_401_at_once(api: Api) -> None:
    raw = api.token("read")
    headers = {"Authorization": f"Bearer {raw}"}
    assert api.client.get("/api/v1/cases", headers=headers).status_code == 200
    with api.store.session() as session:
        token_id = session.query(ApiToken).one().id
        assert tokens.revoke_api_token(session, api.owner_id, token_id)
    response = api.client.get("/api/v1/cases", headers=headers)
    assert response.status_code == 401
    assert "revoked" in response.json()["message"]


def test_another_facilitator_cannot_revoke_my_token(api: Api) -> None:
    api.token("read")
    with api.store.session() as session:
        token_id = session.query(ApiToken).one().id
        assert not tokens.revoke_api_token(session, api.other_id, token_id)
        assert session.get(ApiToken, token_id).revoked_at is None  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("scopes", "allowed"),
    [(("read",), False), (("workshop",), False), (("write",), True), (("read", "write"), True)],
)
def test_creating_a_case_needs_the_write_scope(
    api: Api, scopes: tuple[str, ...], allowed: bool
) -> None:
    response = api.client.post(
        "/api/v1/cases",
        content=b"{}",
        headers={**api.headers(*scopes), "Content-Type": "application/json"},
    )
    if allowed:
        assert response.status_code == 400  # past the scope check, refused as a case file
    else:
        assert response.status_code == 403
        assert "'write' scope" in response.json()["message"]


def test_reading_needs_the_read_scope(api: Api) -> None:
    assert api.client.get("/api/v1/cases", headers=api.headers("write")).status_code == 403
    assert api.client.get("/api/v1/cases", headers=api.headers("read")).status_code == 200


def test_workshop_commands_need_the_workshop_scope(api: Api) -> None:
    case_id = api.create_case()
    path = f"/api/v1/cases/{case_id}/workshops"
    body = {"title": "Pricing"}
    assert api.client.post(path, json=body, headers=api.headers("write")).status_code == 403
    assert api.client.post(path, json=body, headers=api.headers("workshop")).status_code == 201


def test_unknown_scope_and_bad_expiry_are_refused_before_storing(api: Api) -> None:
    with api.store.session() as session:
        with pytest.raises(InputError, match="'admin' is not a scope"):
            tokens.create_api_token(session, api.owner_id, "x", ["admin"])
        with pytest.raises(InputError, match="days: 0 is out of range"):
            tokens.create_api_token(session, api.owner_id, "x", ["read"], days=0)
        with pytest.raises(InputError, match="name: must not be empty"):
            tokens.create_api_token(session, api.owner_id, " ", ["read"])
        assert session.query(ApiToken).count() == 0


def test_cookie_session_reads_but_writes_only_with_csrf_header(api: Api) -> None:
    api.web.sign_in()
    assert api.client.get("/api/v1/cases").status_code == 200
    body = {"content": b"{}", "headers": {"Content-Type": "application/json"}}
    refused = api.client.post("/api/v1/cases", **body)  # type: ignore[arg-type]
    assert refused.status_code == 403
    assert "X-CSRF-Token" in refused.json()["message"]
    csrf = api.web.csrf("/")
    passed = api.client.post(
        "/api/v1/cases",
        content=b"{}",
        headers={"Content-Type": "application/json", "X-CSRF-Token": csrf},
    )
    assert passed.status_code == 400  # past the CSRF check: an empty case is refused


def test_settings_page_shows_a_new_token_once_and_it_works(api: Api) -> None:
    api.web.sign_in()
    csrf = api.web.csrf("/settings/tokens")
    created = api.client.post(
        "/settings/tokens",
        data={"csrf": csrf, "name": "ci", "scope": ["read"], "days": "7"},
        follow_redirects=False,
    )
    assert created.status_code == 303
    shown = api.client.get("/settings/tokens").text
    raw = shown.split('<code class="secret">')[1].split("</code>")[0]
    assert raw.startswith("accord_")
    assert raw not in api.client.get("/settings/tokens").text  # shown once
    api.client.cookies.clear()
    answer = api.client.get("/api/v1/cases", headers={"Authorization": f"Bearer {raw}"})
    assert answer.status_code == 200


def test_settings_page_revokes_a_token(api: Api) -> None:
    raw = api.token("read")
    api.web.sign_in()
    with api.store.session() as session:
        token_id = session.query(ApiToken).one().id
    page = api.client.get("/settings/tokens").text
    revoked = api.client.post(
        f"/settings/tokens/{token_id}/revoke", data={"csrf": csrf_of(page)}, follow_redirects=False
    )
    assert revoked.status_code == 303
    api.client.cookies.clear()
    answer = api.client.get("/api/v1/cases", headers={"Authorization": f"Bearer {raw}"})
    assert answer.status_code == 401


def test_settings_page_refuses_a_token_without_scopes(api: Api) -> None:
    api.web.sign_in()
    csrf = api.web.csrf("/settings/tokens")
    refused = api.client.post("/settings/tokens", data={"csrf": csrf, "name": "ci"})
    assert refused.status_code == 400
    assert "scopes: give at least one" in refused.text
    with api.store.session() as session:
        assert session.query(ApiToken).count() == 0
