"""Server-side facilitator sessions: revocable, rotated, with idle and absolute timeouts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import sqlalchemy as sa
from tests.web.conftest import Web, csrf_of, running_web

from accord.store.tables import FacilitatorSession
from accord.web.settings import Settings

PAGES = ("/", "/cases/1", "/cases/1/report", "/cases/1/analysis.json", "/workshops/1")


def _cookie(web: Web) -> str:
    value = web.client.cookies.get("accord_session")
    assert value is not None
    return value


def _use(web: Web, cookie: str) -> None:
    web.client.cookies.clear()
    web.client.cookies.set("accord_session", cookie)


def _rows(web: Web) -> int:
    with web.store.session() as session:
        return session.scalar(sa.select(sa.func.count()).select_from(FacilitatorSession)) or 0


def test_sign_out_deletes_the_session_so_the_old_cookie_is_refused_everywhere(web: Web) -> None:
    web.sign_in()
    cookie = _cookie(web)
    page = web.client.get("/")
    assert page.status_code == 200
    assert _rows(web) == 1
    web.client.post("/logout", data={"csrf": csrf_of(page.text)})
    assert _rows(web) == 0
    _use(web, cookie)
    for path in PAGES:
        response = web.client.get(path, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"] == "/login", path
    created = web.client.post("/cases", data={"csrf": csrf_of(page.text)}, follow_redirects=False)
    assert created.status_code == 303 and created.headers["location"] == "/login"


def test_sign_in_rotates_the_session_id(web: Web) -> None:
    web.sign_in()
    first = _cookie(web)
    web.sign_in()
    second = _cookie(web)
    assert first != second
    _use(web, first)
    assert web.client.get("/", follow_redirects=False).status_code == 303
    _use(web, second)
    assert web.client.get("/", follow_redirects=False).status_code == 200


def test_sign_out_everywhere_ends_every_session_of_the_account(web: Web) -> None:
    web.sign_in()
    laptop = _cookie(web)
    web.client.cookies.clear()
    web.sign_in()
    phone = _cookie(web)
    web.client.cookies.clear()
    web.sign_in(email="other@example.org")
    someone_else = _cookie(web)
    _use(web, phone)
    page = web.client.get("/")
    assert "Sign out everywhere" in page.text
    response = web.client.post(
        "/logout/everywhere", data={"csrf": csrf_of(page.text)}, follow_redirects=False
    )
    assert response.status_code == 303
    for cookie in (laptop, phone):
        _use(web, cookie)
        assert web.client.get("/", follow_redirects=False).status_code == 303
    _use(web, someone_else)
    assert web.client.get("/", follow_redirects=False).status_code == 200


def test_sessions_table_keeps_only_a_hash_of_the_session_id(web: Web) -> None:
    web.sign_in()
    cookie = _cookie(web)
    with web.store.session() as session:
        row = session.scalars(sa.select(FacilitatorSession)).one()
        assert cookie not in row.id_hash and len(row.id_hash) == 64
        assert row.created_at <= row.last_seen_at <= row.idle_expires_at <= row.expires_at


def _shift(web: Web, **times: dt.timedelta) -> None:
    with web.store.session() as session:
        row = session.scalars(sa.select(FacilitatorSession)).one()
        for name, delta in times.items():
            setattr(row, name, getattr(row, name) - delta)


def test_idle_session_expires(tmp_path: Path) -> None:
    settings = Settings(secret_key="k" * 48, session_idle_seconds=600)
    with running_web(tmp_path, settings=settings) as web:
        web.sign_in()
        assert web.client.get("/", follow_redirects=False).status_code == 200
        _shift(
            web, last_seen_at=dt.timedelta(seconds=601), idle_expires_at=dt.timedelta(seconds=601)
        )
        assert web.client.get("/", follow_redirects=False).status_code == 303
        assert _rows(web) == 0


def test_use_extends_the_idle_expiry_but_not_the_absolute_one(tmp_path: Path) -> None:
    settings = Settings(secret_key="k" * 48, session_idle_seconds=600, session_max_seconds=3600)
    with running_web(tmp_path, settings=settings) as web:
        web.sign_in()
        # Seen 9 minutes ago: still valid, and this request moves the idle expiry forward.
        _shift(
            web, last_seen_at=dt.timedelta(seconds=540), idle_expires_at=dt.timedelta(seconds=540)
        )
        assert web.client.get("/", follow_redirects=False).status_code == 200
        with web.store.session() as session:
            row = session.scalars(sa.select(FacilitatorSession)).one()
            assert row.idle_expires_at > dt.datetime.now(dt.UTC) + dt.timedelta(seconds=500)
        # Past the absolute expiry, activity does not help.
        _shift(web, created_at=dt.timedelta(seconds=3601), expires_at=dt.timedelta(seconds=3601))
        assert web.client.get("/", follow_redirects=False).status_code == 303
