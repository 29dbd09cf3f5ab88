"""Facilitator sign-in, sessions and CSRF."""

from __future__ import annotations

from tests.web.conftest import PASSWORD, Web, csrf_of


def test_pages_need_a_session(web: Web) -> None:
    response = web.client.get("/", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/login"


def test_sign_in_with_wrong_password_is_refused(web: Web) -> None:
    form = web.client.get("/login")
    response = web.client.post(
        "/login",
        data={"email": "fac@example.org", "password": "wrong password", "csrf": csrf_of(form.text)},
    )
    assert response.status_code == 401
    assert "Wrong email or password" in response.text
    assert web.client.get("/", follow_redirects=False).status_code == 303


def test_sign_in_without_csrf_is_refused(web: Web) -> None:
    web.client.get("/login")
    response = web.client.post("/login", data={"email": "fac@example.org", "password": PASSWORD})
    assert response.status_code == 400
    assert "expired or came from another site" in response.text


def test_session_opens_pages_and_sign_out_ends_it(web: Web) -> None:
    web.sign_in()
    page = web.client.get("/")
    assert page.status_code == 200 and "Your cases" in page.text
    response = web.client.post("/logout", data={"csrf": csrf_of(page.text)}, follow_redirects=False)
    assert response.status_code == 303
    assert web.client.get("/", follow_redirects=False).status_code == 303


def test_forged_session_cookie_is_refused(web: Web) -> None:
    web.sign_in()
    cookie = web.client.cookies.get("accord_session")
    assert cookie is not None
    # A value the server never issued (one character changed, or the old signed format).
    for forged in (cookie[:-1] + ("A" if cookie[-1] != "A" else "B"), "1.1700000000.abcdef", ""):
        web.client.cookies.clear()
        web.client.cookies.set("accord_session", forged)
        assert web.client.get("/", follow_redirects=False).status_code == 303, forged
    # The genuine cookie still works: the refusal above is the value, not the jar.
    web.client.cookies.clear()
    web.client.cookies.set("accord_session", cookie)
    assert web.client.get("/", follow_redirects=False).status_code == 200


def test_changing_the_password_ends_existing_sessions(web: Web) -> None:
    from accord.store import repository
    from accord.store.tables import Facilitator

    web.sign_in()
    assert web.client.get("/", follow_redirects=False).status_code == 200
    with web.store.session() as session:
        me = session.query(Facilitator).filter_by(email="fac@example.org").one()
        repository.set_password(session, me, "a brand new password")
    assert web.client.get("/", follow_redirects=False).status_code == 303


def test_responses_carry_security_headers(web: Web) -> None:
    response = web.client.get("/login")
    assert response.headers["referrer-policy"] == "no-referrer"
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"
