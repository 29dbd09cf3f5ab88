"""Signed facilitator sessions and CSRF tokens (HMAC-SHA256, standard library only).

A session cookie is ``<facilitator id>.<issued unix time>.<signature>``.  The signature
also covers a digest of the facilitator's password hash, so changing a password ends every
session signed before it.  A CSRF token is an HMAC of the credential the request carries
(the session cookie, or a participant's link token), so a page from another site cannot
forge one; forms send it back in a hidden field.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from dataclasses import dataclass

SESSION_COOKIE = "accord_session"
SESSION_MAX_AGE = 14 * 24 * 3600


@dataclass(frozen=True)
class SessionClaim:
    facilitator_id: int
    issued: int


def _sign(secret: str, message: str) -> str:
    return hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()


def _password_digest(password_hash: str) -> str:
    return hashlib.sha256(password_hash.encode()).hexdigest()[:16]


def session_value(secret: str, facilitator_id: int, password_hash: str, now: float) -> str:
    body = f"{facilitator_id}.{int(now)}"
    return f"{body}.{_sign(secret, f'session|{body}|{_password_digest(password_hash)}')}"


def read_session(value: str | None, now: float) -> SessionClaim | None:
    """The unverified claim in a cookie (its signature is checked by :func:`session_valid`)."""
    if not value:
        return None
    parts = value.split(".")
    if len(parts) != 3 or not parts[0].isdigit() or not parts[1].isdigit():
        return None
    issued = int(parts[1])
    if not 0 <= now - issued <= SESSION_MAX_AGE:
        return None
    return SessionClaim(int(parts[0]), issued)


def session_valid(secret: str, value: str, password_hash: str) -> bool:
    body, _, signature = value.rpartition(".")
    expected = _sign(secret, f"session|{body}|{_password_digest(password_hash)}")
    return hmac.compare_digest(signature, expected)


def csrf_token(secret: str, credential: str) -> str:
    return _sign(secret, f"csrf|{credential}")


def now() -> float:
    return time.time()
