"""One-time links that make a facilitator account (an invitation) or set a new password
(a reset), for when people sign in with passwords.

A raw link token is 256 random bits handed out once (in the printed or mailed URL); only its
SHA-256 is stored, as for API tokens (:mod:`accord.store.tokens` says why a fast hash is
enough).  A link works once, before ``expires_at``: using it and spending it are one
conditional UPDATE, so two requests racing with the same link cannot both succeed.  Issuing a
new link for the same address or account ends the earlier unused ones.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Literal

import sqlalchemy as sa
from sqlalchemy.orm import Session

from accord.errors import InputError, NotFoundError
from accord.store import repository
from accord.store.tables import AccountLink, Facilitator, utc_now

Kind = Literal["invitation", "reset"]
MAX_RAW = 200
NOUN = {"invitation": "invitation", "reset": "password reset link"}


def invite(
    s: Session, email: str, invited_by: int | None, lifetime: dt.timedelta
) -> tuple[AccountLink, str]:
    """An invitation for ``email`` to create an account; returns the row and the raw token."""
    address = email.strip().lower()
    if not repository.is_email(address):
        raise InputError(f"email: {email!r} is not an email address (expected name@domain)")
    if s.scalar(sa.select(Facilitator.id).where(Facilitator.email == address)) is not None:
        raise InputError(f"email: an account for {address} already exists (they can sign in)")
    _end_unused(s, "invitation", AccountLink.email == address)
    return _issue(s, "invitation", address, invited_by, lifetime)


def request_reset(s: Session, email: str, lifetime: dt.timedelta) -> tuple[AccountLink, str] | None:
    """A reset link for the account of ``email``; ``None`` when there is no such account."""
    address = email.strip().lower()
    found = s.scalar(sa.select(Facilitator).where(Facilitator.email == address))
    if found is None:
        return None
    _end_unused(s, "reset", AccountLink.facilitator_id == found.id)
    return _issue(s, "reset", address, found.id, lifetime)


def live_link(s: Session, kind: Kind, raw: str) -> AccountLink:
    """The unused, unexpired link ``raw`` of ``kind``, or the error that says what it is."""
    return _live(_row(s, kind, raw), kind)


def accept_invitation(s: Session, raw: str, password: str, display_name: str) -> Facilitator:
    """Spend the invitation ``raw`` and create its account with ``password``."""
    link = _spend(s, "invitation", raw)
    return repository.create_facilitator(s, link.email, password, display_name or link.email)


def reset_password(s: Session, raw: str, password: str) -> Facilitator:
    """Spend the reset link ``raw`` and give its account ``password``; every session of the
    account ends (whoever had the old password may be signed in)."""
    link = _spend(s, "reset", raw)
    found = s.get(Facilitator, link.facilitator_id) if link.facilitator_id else None
    if found is None:
        raise NotFoundError("this password reset link is for an account that no longer exists")
    repository.set_password(s, found, password)
    return found


def _issue(
    s: Session, kind: Kind, email: str, facilitator_id: int | None, lifetime: dt.timedelta
) -> tuple[AccountLink, str]:
    raw = secrets.token_urlsafe(32)
    now = utc_now()
    # Spent and expired links are nobody's any more: dropping them keeps the table small.
    s.execute(
        sa.delete(AccountLink).where(
            sa.or_(AccountLink.expires_at <= now, AccountLink.used_at.is_not(None))
        )
    )
    row = AccountLink(
        token_hash=_hash(raw),
        kind=kind,
        email=email,
        facilitator_id=facilitator_id,
        created_at=now,
        expires_at=now + lifetime,
    )
    s.add(row)
    s.flush()
    return row, raw


def _spend(s: Session, kind: Kind, raw: str) -> AccountLink:
    row = _live(_row(s, kind, raw), kind)
    now = utc_now()
    spent = s.execute(
        sa.update(AccountLink)
        .where(AccountLink.id == row.id, AccountLink.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if spent.rowcount != 1:  # type: ignore[attr-defined]
        raise InputError(f"this {NOUN[kind]} was used already: ask for a new one")
    s.refresh(row)
    return row


def _row(s: Session, kind: Kind, raw: str) -> AccountLink | None:
    if not raw or len(raw) > MAX_RAW:
        return None
    return s.scalar(
        sa.select(AccountLink).where(AccountLink.token_hash == _hash(raw), AccountLink.kind == kind)
    )


def _live(row: AccountLink | None, kind: Kind) -> AccountLink:
    noun = NOUN[kind]
    if row is None:
        raise NotFoundError(f"this {noun} is not valid (check that the whole link was copied)")
    if row.used_at is not None:
        raise InputError(f"this {noun} was used already: ask for a new one")
    if row.expires_at <= utc_now():
        raise InputError(
            f"this {noun} expired at {row.expires_at:%Y-%m-%d %H:%M} UTC: ask for a new one"
        )
    return row


def _end_unused(s: Session, kind: Kind, whose: sa.ColumnElement[bool]) -> None:
    s.execute(
        sa.delete(AccountLink).where(AccountLink.kind == kind, AccountLink.used_at.is_(None), whose)
    )


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()
