"""Who is calling the API: a facilitator's bearer token (within its scopes) or their
signed-in browser session.

A bearer request carries its credential in a header no other site can make a browser send,
so it needs no CSRF token.  A browser session is a cookie, which a browser attaches to
requests other sites trigger: the API accepts it for reads, and for writes only with the
session's CSRF token in ``X-CSRF-Token`` (the same token the pages' forms carry).
What the facilitator may do to a case is then decided as for the pages, by their role on it
(:mod:`accord.web.access`): a token acts with its facilitator's role, within its scopes.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPBearer

from accord.errors import ForbiddenError
from accord.store import tokens
from accord.store.tables import Facilitator
from accord.web.api.errors import TooManyRequests, UnauthorizedError
from accord.web.deps import LoginRequired, session_csrf, signed_in, store_of
from accord.web.security import SESSION_COOKIE
from accord.web.throttle import Limit, SignInThrottle

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CSRF_HEADER = "X-CSRF-Token"
#: Unknown tokens per client address before a lock (doubling), like failed sign-ins;
#: ``app.state.api_bad_token_limit`` overrides it (a load test from one address).
BAD_TOKEN_LIMIT = Limit(failures=20)

# Only so the OpenAPI document declares the scheme; the header is read below, by hand, so
# a malformed one gets a precise message instead of being ignored.
bearer_scheme = HTTPBearer(
    auto_error=False,
    scheme_name="bearer",
    description="An API token (accord token create, or /settings/tokens): "
    "Authorization: Bearer accord_...",
)

REFUSALS = {
    "unknown": "this API token is not valid: check that it was copied whole, or create a new "
    "one (accord token create, or /settings/tokens)",
    "expired": "this API token has expired: create a new one (accord token create, or "
    "/settings/tokens)",
    "revoked": "this API token was revoked: create a new one (accord token create, or "
    "/settings/tokens)",
}


def _throttle(request: Request) -> SignInThrottle:
    throttle: SignInThrottle = request.app.state.api_token_throttle
    return throttle


def _address_key(request: Request) -> dict[str, Limit]:
    limit: Limit = getattr(request.app.state, "api_bad_token_limit", BAD_TOKEN_LIMIT)
    return {"address:" + (request.client.host if request.client else "unknown"): limit}


def _bearer(request: Request, header: str, scope: str) -> Facilitator:
    scheme, _, raw = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not raw.strip():
        raise UnauthorizedError(
            "Authorization: expected 'Bearer <token>' (an accord API token), got "
            f"{scheme[:20]!r} scheme"
        )
    keys = _address_key(request)
    wait = _throttle(request).retry_after(keys)
    if wait:
        raise TooManyRequests(f"too many invalid API tokens: try again in {wait} s", wait)
    with store_of(request).session() as session:
        check = tokens.check_api_token(session, raw.strip())
        if check.facilitator is not None:
            session.expunge(check.facilitator)
    if check.refusal is not None or check.facilitator is None:
        if check.refusal == "unknown":
            _throttle(request).failed(keys)
        raise UnauthorizedError(REFUSALS[check.refusal or "unknown"])
    if scope not in check.scopes:
        held = ", ".join(sorted(check.scopes))
        raise ForbiddenError(
            f"this token's scopes ({held}) do not allow this call: it needs the '{scope}' "
            "scope (create a token with it)"
        )
    return check.facilitator


def _session(request: Request) -> Facilitator:
    try:
        facilitator = signed_in(request)
    except LoginRequired:
        raise UnauthorizedError(
            "your session has ended: sign in again, or send an API token "
            "(Authorization: Bearer <token>)"
        ) from None
    if request.method not in SAFE_METHODS:
        sent = request.headers.get(CSRF_HEADER, "")
        if not sent or not hmac.compare_digest(session_csrf(request), sent):
            raise ForbiddenError(
                f"a write with a browser session needs the page's CSRF token in {CSRF_HEADER} "
                "(or use an API token: Authorization: Bearer <token>)"
            )
    return facilitator


def caller(scope: str) -> Callable[..., Facilitator]:
    """A dependency giving the facilitator behind the request, if ``scope`` is allowed."""
    if scope not in tokens.SCOPES:
        raise ValueError(f"unknown scope {scope!r}")

    def dependency(request: Request, _: Annotated[object, Depends(bearer_scheme)]) -> Facilitator:
        header = request.headers.get("authorization")
        if header is not None:
            return _bearer(request, header, scope)
        if request.cookies.get(SESSION_COOKIE):
            return _session(request)
        raise UnauthorizedError(
            "this call needs an API token (Authorization: Bearer <token>; create one with "
            "accord token create or at /settings/tokens) or a signed-in session"
        )

    dependency.__name__ = f"caller_{scope}"
    return dependency


Reader = Annotated[Facilitator, Depends(caller("read"))]
Writer = Annotated[Facilitator, Depends(caller("write"))]
Convenor = Annotated[Facilitator, Depends(caller("workshop"))]
