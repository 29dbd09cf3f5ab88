"""API tokens: a facilitator's bearer credentials for ``/api/v1``, with scopes and expiry.

A raw token is ``accord_`` plus 256 random bits (``secrets.token_urlsafe(32)``), handed out
once; only its SHA-256 is stored.  A fast hash is enough because the input is not a
password: nobody can guess or dictionary-attack 256 random bits, so a slow hash (argon2)
would only cost CPU on every API request, and an indexed equality lookup on the digest
finds the row without comparing secrets in Python.  A leaked table gives no working token.

A token ends at the first of: revocation, or ``expires_at`` (every token expires).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import Literal

import sqlalchemy as sa
from sqlalchemy.orm import Session

from accord.errors import InputError
from accord.store.tables import ApiToken, Facilitator, utc_now

#: What a token may do: ``read`` every GET; ``write`` cases, links and inputs;
#: ``workshop`` create workshops, invite participants and send commands.
SCOPES = ("read", "write", "workshop")
PREFIX = "accord_"
MAX_NAME = 100
DEFAULT_DAYS = 90
MAX_DAYS = 366
# Moving last_used_at on every request would make every API read a write.
TOUCH_EVERY = dt.timedelta(seconds=60)
MAX_RAW = 200

Refusal = Literal["unknown", "expired", "revoked"]


@dataclass(frozen=True)
class TokenCheck:
    """The outcome of presenting a raw token: its row and owner, or why it was refused."""

    token: ApiToken | None
    facilitator: Facilitator | None
    refusal: Refusal | None

    @property
    def scopes(self) -> frozenset[str]:
        return frozenset(self.token.scopes.split()) if self.token is not None else frozenset()


def normal_scopes(scopes: list[str] | tuple[str, ...]) -> str:
    """The scopes as stored (known names, no repeats, in :data:`SCOPES` order)."""
    wanted = [scope.strip().lower() for scope in scopes if scope.strip()]
    unknown = [scope for scope in wanted if scope not in SCOPES]
    if unknown:
        raise InputError(
            f"scopes: {unknown[0]!r} is not a scope (expected one or more of {', '.join(SCOPES)})"
        )
    if not wanted:
        raise InputError(f"scopes: give at least one of {', '.join(SCOPES)}")
    return " ".join(scope for scope in SCOPES if scope in wanted)


def create_api_token(
    s: Session,
    facilitator_id: int,
    name: str,
    scopes: list[str] | tuple[str, ...],
    days: int = DEFAULT_DAYS,
) -> tuple[ApiToken, str]:
    """A new token for ``facilitator_id`` valid for ``days``; returns the row and the raw
    token (shown once, never stored)."""
    label = name.strip()
    if not label:
        raise InputError("name: must not be empty (say what the token is for)")
    if len(label) > MAX_NAME:
        raise InputError(f"name: too long ({len(label)} characters, at most {MAX_NAME})")
    if not 1 <= days <= MAX_DAYS:
        raise InputError(f"days: {days} is out of range (expected 1 to {MAX_DAYS})")
    stored_scopes = normal_scopes(scopes)
    if s.get(Facilitator, facilitator_id) is None:
        raise InputError(f"facilitator: there is no facilitator {facilitator_id}")
    raw = PREFIX + secrets.token_urlsafe(32)
    now = utc_now()
    token = ApiToken(
        token_hash=token_hash(raw),
        facilitator_id=facilitator_id,
        name=label,
        scopes=stored_scopes,
        created_at=now,
        expires_at=now + dt.timedelta(days=days),
    )
    s.add(token)
    s.flush()
    return token, raw


def check_api_token(s: Session, raw: str) -> TokenCheck:
    """The token and facilitator for ``raw``, or the reason it gives no access."""
    if not raw.startswith(PREFIX) or len(raw) > MAX_RAW:
        return TokenCheck(None, None, "unknown")
    token = s.scalar(sa.select(ApiToken).where(ApiToken.token_hash == token_hash(raw)))
    if token is None:
        return TokenCheck(None, None, "unknown")
    if token.revoked_at is not None:
        return TokenCheck(token, None, "revoked")
    now = utc_now()
    if now >= token.expires_at:
        return TokenCheck(token, None, "expired")
    if token.last_used_at is None or now - token.last_used_at >= TOUCH_EVERY:
        token.last_used_at = now
        s.flush()
    return TokenCheck(token, s.get(Facilitator, token.facilitator_id), None)


def list_api_tokens(s: Session, facilitator_id: int) -> list[ApiToken]:
    """Every token of ``facilitator_id`` (revoked and expired too), newest first."""
    query = (
        sa.select(ApiToken)
        .where(ApiToken.facilitator_id == facilitator_id)
        .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
    )
    return list(s.scalars(query))


def revoke_api_token(s: Session, facilitator_id: int, token_id: int) -> bool:
    """Revoke one of the facilitator's tokens; ``False`` when they have no such token."""
    token = s.get(ApiToken, token_id)
    if token is None or token.facilitator_id != facilitator_id:
        return False
    if token.revoked_at is None:
        token.revoked_at = utc_now()
        s.flush()
    return True


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()
