"""Tracker tokens stored encrypted: Fernet (AES-128-CBC with HMAC-SHA256,
https://github.com/fernet/spec) under a key derived from the server's secret key and the
connector's salt, as webhook secrets are derived (:func:`accord.store.webhooks.signing_secret`).

The database alone gives no token; changing ``ACCORD_SECRET_KEY`` makes stored tokens
unreadable (the connector then asks for its token again).  Needs the ``trackers`` extra
(``pip install 'accord[trackers]'``, which brings ``cryptography``).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import TYPE_CHECKING

from accord.errors import InputError

if TYPE_CHECKING:
    from cryptography.fernet import Fernet


def _fernet(server_key: str, salt: str) -> Fernet:
    try:
        from cryptography.fernet import Fernet
    except ImportError:  # pragma: no cover - the extra is installed in tests
        raise InputError(
            "tracker connectors need the trackers extra: pip install 'accord[trackers]'"
        ) from None
    digest = hmac.new(server_key.encode(), b"tracker-token|" + salt.encode(), hashlib.sha256)
    return Fernet(base64.urlsafe_b64encode(digest.digest()))


def seal(server_key: str, salt: str, token: str) -> str:
    """``token`` encrypted for the connector with ``salt``."""
    sealed: bytes = _fernet(server_key, salt).encrypt(token.encode())
    return sealed.decode("ascii")


def unseal(server_key: str, salt: str, cipher: str) -> str:
    """The token back; an :class:`InputError` when the server's key changed since."""
    from cryptography.fernet import InvalidToken

    try:
        opened: bytes = _fernet(server_key, salt).decrypt(cipher.encode("ascii"))
    except InvalidToken:
        raise InputError(
            "the stored tracker token cannot be read (the server's secret key changed?): "
            "give the token again on the Connectors page"
        ) from None
    return opened.decode()
