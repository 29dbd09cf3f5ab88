"""Facilitator sign-in and sign-out (here, or on every device at once).

The sign-in form carries a CSRF token bound to a random pre-session cookie, so another
site cannot sign a browser into an account of its choosing (login CSRF).
"""

from __future__ import annotations

import secrets

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from accord.store import repository, sessions
from accord.web import security
from accord.web.app import page
from accord.web.deps import SignedIn, require_csrf, session_csrf, settings_of, store_of
from accord.web.throttle import HashSlots, Limit, SignInThrottle

router = APIRouter()

PRE_SESSION_COOKIE = "accord_pre"


def _login_csrf(request: Request, pre: str) -> str:
    return security.csrf_token(settings_of(request).secret_key, "login|" + pre)


def _login_page(request: Request, error: str | None = None, status_code: int = 200) -> Response:
    pre = request.cookies.get(PRE_SESSION_COOKIE) or secrets.token_urlsafe(24)
    response = page(
        request,
        "login.html",
        {"csrf": _login_csrf(request, pre), "error": error},
        status_code=status_code,
    )
    response.set_cookie(
        PRE_SESSION_COOKIE,
        pre,
        httponly=True,
        samesite="lax",
        secure=settings_of(request).secure_cookies,
    )
    return response


def _refused(request: Request, message: str, status: int, retry_after: int) -> Response:
    response = _login_page(request, message, status_code=status)
    response.headers["Retry-After"] = str(retry_after)
    return response


@router.get("/login")
def login_form(request: Request) -> Response:
    return _login_page(request)


@router.post("/login")
def login(
    request: Request,
    email: str = Form(...),
    password: str = Form(...),
    csrf: str = Form(""),
) -> Response:
    pre = request.cookies.get(PRE_SESSION_COOKIE, "")
    require_csrf(_login_csrf(request, pre), csrf if pre else None)
    settings = settings_of(request)
    throttle: SignInThrottle = request.app.state.signin_throttle
    account = "account:" + email.strip().lower()[:254]
    keys = {
        account: Limit(settings.signin_account_failures),
        "address:" + (request.client.host if request.client else "unknown"): Limit(
            settings.signin_address_failures
        ),
    }
    wait = throttle.retry_after(keys)
    if wait:
        return _refused(request, f"Too many failed sign-ins: try again in {wait} s.", 429, wait)
    slots: HashSlots = request.app.state.hash_slots
    with slots.take() as free, store_of(request).session() as session:
        if not free:
            return _refused(request, "The server is busy: try again in a moment.", 503, 1)
        found = repository.authenticate(session, email, password)
        if found is None:
            throttle.failed(keys)
            return _login_page(request, "Wrong email or password.", status_code=401)
        throttle.succeeded(account)
        # A new id on every sign-in (and the one the browser held ended), so an id planted
        # in the browser before sign-in is never signed in (session fixation).
        sessions.end_session(session, request.cookies.get(security.SESSION_COOKIE))
        value = sessions.open_session(
            session, found.id, settings.session_idle, settings.session_lifetime
        )
    response = RedirectResponse("/", status_code=303)
    response.set_cookie(
        security.SESSION_COOKIE,
        value,
        max_age=settings.session_max_seconds,
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies,
    )
    response.delete_cookie(PRE_SESSION_COOKIE)
    return response


@router.post("/logout")
def logout(request: Request, csrf: str = Form("")) -> Response:
    require_csrf(session_csrf(request), csrf)
    with store_of(request).session() as session:
        sessions.end_session(session, request.cookies.get(security.SESSION_COOKIE))
    return _signed_out()


@router.post("/logout/everywhere")
def logout_everywhere(request: Request, owner: SignedIn, csrf: str = Form("")) -> Response:
    require_csrf(session_csrf(request), csrf)
    with store_of(request).session() as session:
        sessions.end_all_sessions(session, owner.id)
    return _signed_out()


def _signed_out() -> Response:
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(security.SESSION_COOKIE)
    return response
