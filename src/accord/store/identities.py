"""Company accounts (OpenID Connect) linked to facilitators.

The first sign-in finds the facilitator by the issuer and subject the provider vouches for;
failing that, by an email the provider says it verified (linking an existing password
account), else it creates one.  An unverified email never reaches an existing account:
anyone who can type an address at some provider would otherwise take it over.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from accord.errors import ForbiddenError
from accord.store import repository
from accord.store.tables import Facilitator, FacilitatorIdentity, utc_now

# A password hash no password matches (argon2 rejects it as malformed): an account made by
# company sign-in has no password until a reset gives it one.
NO_PASSWORD = "!company-sign-in"


@dataclass(frozen=True)
class Person:
    """Who the provider's verified ID token says signed in."""

    issuer: str
    subject: str
    email: str | None
    email_verified: bool
    name: str | None


def sign_in(s: Session, person: Person) -> Facilitator:
    """The facilitator for ``person``: linked before, linked now by verified email, or new."""
    now = utc_now()
    link = s.scalar(
        sa.select(FacilitatorIdentity).where(
            FacilitatorIdentity.issuer == person.issuer,
            FacilitatorIdentity.subject == person.subject,
        )
    )
    if link is not None:
        link.last_signin_at = now
        found = s.get(Facilitator, link.facilitator_id)
        if found is not None:
            return found
    email = (person.email or "").strip().lower()
    if not repository.is_email(email):
        raise ForbiddenError(
            "your company account sent no email address: ask its administrator to release "
            "the 'email' claim to accord"
        )
    existing = s.scalar(sa.select(Facilitator).where(Facilitator.email == email))
    if existing is not None and not person.email_verified:
        raise ForbiddenError(
            f"an accord account for {email} exists, and your company account does not say "
            "that this email is verified, so it cannot sign into it: ask the provider's "
            "administrator to verify the email (email_verified), or sign in with your password"
        )
    if existing is None:
        existing = Facilitator(
            email=email,
            password_hash=NO_PASSWORD,
            display_name=(person.name or email).strip()[: repository.MAX_NAME] or email,
        )
        s.add(existing)
        s.flush()
    s.add(
        FacilitatorIdentity(
            facilitator_id=existing.id,
            issuer=person.issuer,
            subject=person.subject,
            created_at=now,
            last_signin_at=now,
        )
    )
    s.flush()
    return existing
