"""Facilitator sign-in (password, or the company's OpenID Connect provider) and sign-out
(here, or on every device at once).

The sign-in form carries a CSRF token bound to a random pre-session cookie, so another
site cannot sign a browser into an account of its choosing (login CSRF); company sign-in
binds its state, nonce and PKCE verifier to a cookie of the same kind (accord.web.oidc).
Either way a sign-in opens a new server-side session and ends the one the browser held.
"""

from __future__ import annotations

import secrets

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from accord.errors import ForbiddenError, InputError, NotFoundError
from accord.store import identities, repository, sessions
from accord.web import oidc, security
from accord.web.app import page
from accord.web.deps import SignedIn, require_csrf, session_csrf, settings_of, store_of
from accord.web.throttle import HashSlots, Limit, SignInThrottle

router = APIRouter()

PRE_SESSION_COOKIE = "accord_pre"
NOTICES = {"done": "Your new password is set, and every other session has ended: sign in."}


def _login_csrf(request: Request, pre: str) -> str:
    return security.csrf_token(settings_of(request).secret_key, "login|" + pre)


def _login_page(request: Request, error: str | None = None, status_code: int = 200) -> Response:
    pre = request.cookies.get(PRE_SESSION_COOKIE) or secrets.token_urlsafe(24)
    settings = settings_of(request)
    context = {
        "csrf": _login_csrf(request, pre),
        "error": error,
        "password_signin": settings.password_signin,
        "provider": settings.oidc.name if settings.oidc else None,
        "can_reset": settings.password_signin,
        "notice": NOTICES.get(request.query_params.get("reset", "")),
    }
    response = page(request, "login.html", context, status_code=status_code)
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
    if not settings.password_signin:
        raise ForbiddenError(_password_off(request))
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
        value = open_signed_in_session(request, session, found.id)
    return signed_in_response(request, value, PRE_SESSION_COOKIE)


def open_signed_in_session(request: Request, session: Session, facilitator_id: int) -> str:
    settings = settings_of(request)
    # A new id on every sign-in (and the one the browser held ended), so an id planted
    # in the browser before sign-in is never signed in (session fixation).
    sessions.end_session(session, request.cookies.get(security.SESSION_COOKIE))
    return sessions.open_session(
        session, facilitator_id, settings.session_idle, settings.session_lifetime
    )


def signed_in_response(request: Request, value: str, pre_cookie: str) -> Response:
    settings = settings_of(request)
    response = RedirectResponse("/", status_code=303)
    response.set_cookie(
        security.SESSION_COOKIE,
        value,
        max_age=settings.session_max_seconds,
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies,
    )
    response.delete_cookie(pre_cookie)
    return response


def _password_off(request: Request) -> str:
    settings = settings_of(request)
    provider = settings.oidc.name if settings.oidc else "your company account"
    return f"password sign-in is turned off here: sign in with {provider}"


# --- company sign-in (OpenID Connect) ---------------------------------------------------


def _provider(request: Request) -> oidc.Provider:
    provider: oidc.Provider | None = getattr(request.app.state, "oidc", None)
    if provider is None:
        raise NotFoundError(
            "company sign-in is not configured here (ACCORD_OIDC_ISSUER is unset): "
            "sign in with your email and password"
        )
    return provider


def _callback_url(request: Request) -> str:
    base = settings_of(request).public_url or str(request.base_url).rstrip("/")
    return base + oidc.CALLBACK_PATH


@router.get("/login/oidc")
def oidc_start(request: Request) -> Response:
    """Send the browser to the provider, with this browser's state, nonce and PKCE challenge."""
    provider = _provider(request)
    cookie = oidc.new_flow_cookie()
    flow = oidc.flow_of(settings_of(request).secret_key, cookie)
    response = RedirectResponse(provider.authorization_url(_callback_url(request), flow), 303)
    response.set_cookie(
        oidc.FLOW_COOKIE,
        cookie,
        max_age=oidc.FLOW_SECONDS,
        # "lax" still sends it on the provider's top-level redirect back to the callback.
        httponly=True,
        samesite="lax",
        secure=settings_of(request).secure_cookies,
        path="/login/oidc",
    )
    return response


@router.get(oidc.CALLBACK_PATH)
def oidc_callback(
    request: Request,
    code: str = "",
    state: str = "",
    error: str = "",
    error_description: str = "",
) -> Response:
    """Finish a company sign-in: check the state, exchange the code, verify the ID token,
    map the role, then link or create the account and open a session."""
    import hmac

    provider = _provider(request)
    settings = settings_of(request)
    if error:
        # Shown whatever the state says: a refusal signs nobody in (and some providers
        # leave the state out of their error answers).
        raise ForbiddenError(
            f"{provider.settings.name} did not sign you in: {error[:100]}"
            + (f" ({error_description[:300]})" if error_description else "")
        )
    flow = oidc.flow_of(settings.secret_key, request.cookies.get(oidc.FLOW_COOKIE))
    if not hmac.compare_digest(flow.state, state[:200]):
        raise InputError(
            "this sign-in answer does not belong to the sign-in this browser started "
            "(its state differs): start again from the sign-in page"
        )
    if not code:
        raise InputError("the provider's answer carries no authorization code: start again")
    person = provider.person(code[:2000], _callback_url(request), flow)
    with store_of(request).session() as session:
        facilitator = identities.sign_in(session, person)
        value = open_signed_in_session(request, session, facilitator.id)
    response = signed_in_response(request, value, PRE_SESSION_COOKIE)
    response.delete_cookie(oidc.FLOW_COOKIE, path="/login/oidc")
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
