"""Facilitator sessions kept in the database, so signing out (anywhere) ends them at once.

A session id is 256 random bits handed to the browser once as its cookie; the table keeps
only its SHA-256.  A session ends at the first of: sign-out, "sign out everywhere", a
password change, ``idle`` without a request, or ``lifetime`` after sign-in.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

import sqlalchemy as sa
from sqlalchemy.orm import Session

from accord.store.tables import Facilitator, FacilitatorSession, utc_now

# Moving the idle expiry on every request would make every page view a write; a minute's
# slack on a timeout of minutes or hours is invisible to the user.
TOUCH_EVERY = dt.timedelta(seconds=60)
MAX_SESSION_ID = 200


def open_session(
    s: Session, facilitator_id: int, idle: dt.timedelta, lifetime: dt.timedelta
) -> str:
    """A new session for ``facilitator_id``; returns the raw id (the cookie's value)."""
    now = utc_now()
    # Expired rows are nobody's any more: dropping them here keeps the table small.
    s.execute(sa.delete(FacilitatorSession).where(_expired(now)))
    raw = secrets.token_urlsafe(32)
    expires = now + lifetime
    s.add(
        FacilitatorSession(
            id_hash=_hash(raw),
            facilitator_id=facilitator_id,
            created_at=now,
            last_seen_at=now,
            idle_expires_at=min(now + idle, expires),
            expires_at=expires,
        )
    )
    s.flush()
    return raw


def session_facilitator(s: Session, raw: str | None, idle: dt.timedelta) -> Facilitator | None:
    """The facilitator of the live session ``raw``, its idle expiry moved forward; ``None``
    for an unknown, ended or expired session (an expired row is deleted)."""
    if not raw or len(raw) > MAX_SESSION_ID:
        return None
    row = s.scalar(sa.select(FacilitatorSession).where(FacilitatorSession.id_hash == _hash(raw)))
    if row is None:
        return None
    now = utc_now()
    if now >= row.idle_expires_at or now >= row.expires_at:
        s.delete(row)
        s.flush()
        return None
    if now - row.last_seen_at >= TOUCH_EVERY:
        row.last_seen_at = now
        row.idle_expires_at = min(now + idle, row.expires_at)
        s.flush()
    return s.get(Facilitator, row.facilitator_id)


def end_session(s: Session, raw: str | None) -> None:
    """End the session ``raw`` (nothing happens when there is none)."""
    if raw and len(raw) <= MAX_SESSION_ID:
        s.execute(sa.delete(FacilitatorSession).where(FacilitatorSession.id_hash == _hash(raw)))


def end_all_sessions(s: Session, facilitator_id: int) -> None:
    """End every session of ``facilitator_id`` (sign out everywhere, a new password)."""
    s.execute(
        sa.delete(FacilitatorSession).where(FacilitatorSession.facilitator_id == facilitator_id)
    )


def _expired(now: dt.datetime) -> sa.ColumnElement[bool]:
    return sa.or_(FacilitatorSession.idle_expires_at <= now, FacilitatorSession.expires_at <= now)


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()
