"""Session cookie name and CSRF tokens (HMAC-SHA256, standard library only).

Sessions themselves live in the database (:mod:`accord.store.sessions`): the cookie holds
only a random id.  A CSRF token is an HMAC of the credential the request carries (the
session cookie, or a participant's link token), so a page from another site cannot forge
one; forms send it back in a hidden field.
"""

from __future__ import annotations

import hashlib
import hmac

SESSION_COOKIE = "accord_session"


def _sign(secret: str, message: str) -> str:
    return hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()


def csrf_token(secret: str, credential: str) -> str:
    return _sign(secret, f"csrf|{credential}")
