"""Webhook signatures: HMAC-SHA256 over the timestamp and the exact body bytes.

Every delivery carries ``Accord-Signature: t=<unix seconds>,v1=<hex>`` where ``<hex>`` is
``HMAC-SHA256(secret, f"{t}.".encode() + body)`` (RFC 2104 with SHA-256, FIPS 180-4).
Signing the timestamp with the body lets a receiver refuse a replayed delivery: it checks
the signature, then that ``t`` is within a few minutes of its own clock, and keeps the
``Accord-Delivery`` ids it has processed to drop a retry it already handled.  While a
secret is being rotated, the header carries one ``v1=`` per live secret, so a receiver
that has either one accepts the delivery.

>>> header = sign(["s3cret"], b'{"event": "test"}', timestamp=1700000000)
>>> header
't=1700000000,v1=...'
>>> verify("s3cret", header, b'{"event": "test"}', now=1700000100)
True
>>> verify("s3cret", header, b'{"event": "test"}', now=1700009999)
False
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Sequence

SIGNATURE_HEADER = "Accord-Signature"
DELIVERY_HEADER = "Accord-Delivery"
EVENT_HEADER = "Accord-Event"
#: How far a receiver should let ``t`` differ from its clock (seconds): replays older than
#: this are refused.  Five minutes, the window Stripe and Slack document for theirs.
DEFAULT_TOLERANCE = 300


def _digest(secret: str, timestamp: int, body: bytes) -> str:
    return hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


def sign(secrets: Sequence[str], body: bytes, *, timestamp: int | None = None) -> str:
    """The ``Accord-Signature`` header for ``body`` signed with each of ``secrets``."""
    if not secrets:
        raise ValueError("at least one secret is needed to sign")
    t = int(time.time()) if timestamp is None else timestamp
    return ",".join([f"t={t}", *(f"v1={_digest(s, t, body)}" for s in secrets)])


def verify(
    secret: str,
    header: str,
    body: bytes,
    *,
    now: float | None = None,
    tolerance: int = DEFAULT_TOLERANCE,
) -> bool:
    """Whether ``header`` is a valid signature of ``body`` with ``secret``, made within
    ``tolerance`` seconds of ``now`` (the receiver's clock)."""
    timestamp: int | None = None
    signatures: list[str] = []
    for part in header.split(","):
        key, _, value = part.strip().partition("=")
        if key == "t" and value.isdigit() and len(value) <= 12:
            timestamp = int(value)
        elif key == "v1":
            signatures.append(value)
    if timestamp is None or not signatures:
        return False
    clock = time.time() if now is None else now
    if abs(clock - timestamp) > tolerance:
        return False
    expected = _digest(secret, timestamp, body)
    return any(hmac.compare_digest(expected, s) for s in signatures)
