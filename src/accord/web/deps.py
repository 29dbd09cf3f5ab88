"""What routes need from a request: the store, the signed-in facilitator, CSRF checks."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path, Request

from accord.errors import InputError
from accord.store import Store, sessions
from accord.store.tables import Facilitator
from accord.web import security
from accord.web.settings import Settings


class LoginRequired(Exception):
    """No valid facilitator session: the app answers with a redirect to /login."""


def store_of(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def settings_of(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def signed_in(request: Request) -> Facilitator:
    """The facilitator whose live session's cookie came with the request."""
    cookie = request.cookies.get(security.SESSION_COOKIE)
    if not cookie:
        raise LoginRequired
    with store_of(request).session() as session:
        found = sessions.session_facilitator(session, cookie, settings_of(request).session_idle)
        if found is not None:
            session.expunge(found)
    # Raised after the commit, so an expired session's row is deleted, not rolled back.
    if found is None:
        raise LoginRequired
    return found


SignedIn = Annotated[Facilitator, Depends(signed_in)]

# The largest SQLite INTEGER (and PostgreSQL BIGINT): a bigger id in a URL would overflow
# in the driver (a 500), so it is refused before the database as an address naming nothing.
MAX_ID = 2**63 - 1
Id = Annotated[int, Path(ge=1, le=MAX_ID)]


def session_csrf(request: Request) -> str:
    """The CSRF token for the facilitator's session (for forms on their pages)."""
    cookie = request.cookies.get(security.SESSION_COOKIE, "")
    return security.csrf_token(settings_of(request).secret_key, "session|" + cookie)


def token_csrf(request: Request, raw_token: str) -> str:
    """The CSRF token for a participant's link token."""
    return security.csrf_token(settings_of(request).secret_key, "link|" + raw_token)


def require_csrf(expected: str, sent: str | None) -> None:
    import hmac

    if not sent or not hmac.compare_digest(expected, sent):
        raise InputError(
            "this form has expired or came from another site: reload the page and send it again"
        )
