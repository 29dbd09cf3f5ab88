"""The database tables: facilitators and their sessions, cases, link tokens, inputs and
live workshops.

Every timestamp is a timezone-aware UTC ``datetime`` on both SQLite and PostgreSQL.
Schema changes go through Alembic (``migrations/versions``); keep both in step.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

TOKEN_ROLES = ("stakeholder", "participant", "observer")
#: The roles a co-facilitator holds on a case besides its one owner (accord.web.access).
MEMBER_ROLES = ("editor", "viewer")

# Stable constraint names, so Alembic can alter them later on every backend.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utc_now() -> dt.datetime:
    """The current time, timezone-aware UTC."""
    return dt.datetime.now(dt.UTC)


class UtcDateTime(TypeDecorator[dt.datetime]):
    """A UTC ``datetime`` that comes back timezone-aware (SQLite keeps no offset)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            # A naive time is ambiguous; refusing it keeps every stored time comparable.
            raise ValueError(f"timestamps must be timezone-aware, got naive {value.isoformat()}")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(
        self, value: dt.datetime | None, dialect: Dialect
    ) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Facilitator(Base):
    """An account that owns cases and runs workshops."""

    __tablename__ = "facilitator"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)  # stored lower-cased
    password_hash: Mapped[str] = mapped_column(String(255))
    display_name: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)


class FacilitatorSession(Base):
    """A signed-in browser: deleting the row ends the session at once.

    Only the SHA-256 of the session id (the cookie's value) is kept, so a database leak
    gives no working sessions.  ``idle_expires_at`` moves forward while the session is used;
    ``expires_at`` never does.
    """

    __tablename__ = "facilitator_session"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    id_hash: Mapped[str] = mapped_column(String(64), unique=True)
    facilitator_id: Mapped[int] = mapped_column(
        ForeignKey("facilitator.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)
    last_seen_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)
    idle_expires_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class CaseRecord(Base):
    """A case file as uploaded by its owner; the text is the source of truth."""

    __tablename__ = "case_record"
    __table_args__ = (UniqueConstraint("owner_id", "case_slug"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int] = mapped_column(
        ForeignKey("facilitator.id", ondelete="CASCADE"), index=True
    )
    case_slug: Mapped[str] = mapped_column(String(100))
    title: Mapped[str] = mapped_column(Text)
    source_text: Mapped[str] = mapped_column(Text)
    source_name: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)
    #: The number of the current revision (``source_text`` is its text); 0 before the first.
    revision: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class CaseRevision(Base):
    """One saved version of a case's text: who saved it, when and what changed.

    ``number`` runs 1, 2, 3 ... per case; the highest is the case record's current text.
    """

    __tablename__ = "case_revision"
    __table_args__ = (UniqueConstraint("case_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_record.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    source_text: Mapped[str] = mapped_column(Text)
    source_name: Mapped[str] = mapped_column(String(255))
    author: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)


class CaseMember(Base):
    """Another facilitator's role on a case (editor or viewer); the owner is the case's
    ``owner_id`` and never has a row here."""

    __tablename__ = "case_member"
    __table_args__ = (
        UniqueConstraint("case_id", "facilitator_id"),
        CheckConstraint("role IN ('editor', 'viewer')", name="role_is_known"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(
        ForeignKey("case_record.id", ondelete="CASCADE"), index=True
    )
    facilitator_id: Mapped[int] = mapped_column(
        ForeignKey("facilitator.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(20))
    added_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)


class Workshop(Base):
    """A live workshop on one case; ``last_seq`` numbers its event log."""

    __tablename__ = "workshop"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(
        ForeignKey("case_record.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)
    last_seq: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class LinkToken(Base):
    """An unguessable link for one case (and maybe one workshop) and role.

    Only the SHA-256 of the raw token is kept, so a database leak gives no working links.
    """

    __tablename__ = "link_token"
    __table_args__ = (
        CheckConstraint("role IN ('stakeholder', 'participant', 'observer')", name="role_is_known"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    case_id: Mapped[int] = mapped_column(
        ForeignKey("case_record.id", ondelete="CASCADE"), index=True
    )
    workshop_id: Mapped[int | None] = mapped_column(
        ForeignKey("workshop.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(20))
    stakeholder_id: Mapped[str | None] = mapped_column(String(100))
    label: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)


class StakeholderInputRecord(Base):
    """One stakeholder's latest inputs to a case (``StakeholderInputs`` as JSON)."""

    __tablename__ = "stakeholder_input"
    __table_args__ = (UniqueConstraint("case_id", "stakeholder_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_record.id", ondelete="CASCADE"))
    stakeholder_id: Mapped[str] = mapped_column(String(100))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    submitted_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)


class WorkshopParticipant(Base):
    """Someone who joined a workshop through a link token (one row per token)."""

    __tablename__ = "workshop_participant"
    __table_args__ = (UniqueConstraint("workshop_id", "token_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"))
    token_id: Mapped[int] = mapped_column(
        ForeignKey("link_token.id", ondelete="CASCADE"), index=True
    )
    display_name: Mapped[str] = mapped_column(String(100))
    joined_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)


class WorkshopEvent(Base):
    """One change to a live workshop; ``seq`` runs 1, 2, 3 ... per workshop without gaps."""

    __tablename__ = "workshop_event"
    __table_args__ = (
        Index("uq_workshop_event_command_key", "workshop_id", "command_key", unique=True),
    )

    workshop_id: Mapped[int] = mapped_column(
        ForeignKey("workshop.id", ondelete="CASCADE"), primary_key=True
    )
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(50))
    actor: Mapped[str | None] = mapped_column(String(200))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)
    #: The submitting form's idempotency key: a retry with it is answered, not stored again.
    command_key: Mapped[str | None] = mapped_column(String(64))


class ApiToken(Base):
    """A facilitator's API token: ``Authorization: Bearer <token>`` acts as them, within
    ``scopes`` (space-separated: read, write, workshop), until it expires or is revoked.

    Only the SHA-256 of the raw token is kept (see :mod:`accord.store.tokens` for why a
    fast hash is enough here).
    """

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    facilitator_id: Mapped[int] = mapped_column(
        ForeignKey("facilitator.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(100))
    scopes: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)
    expires_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    last_used_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)


class WebhookSubscription(Base):
    """A facilitator's URL that receives signed deliveries of the events it names.

    The signing secret is never stored: it is derived from the server's secret key and
    ``salt`` (:func:`accord.store.webhooks.signing_secret`), so a database leak alone gives
    no secret.  Rotating draws a new salt and keeps the previous one until
    ``previous_until``, so both secrets sign while receivers switch.
    """

    __tablename__ = "webhook"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int] = mapped_column(
        ForeignKey("facilitator.id", ondelete="CASCADE"), index=True
    )
    url: Mapped[str] = mapped_column(Text)
    events: Mapped[list[str]] = mapped_column(JSON)
    description: Mapped[str] = mapped_column(String(200), default="")
    #: ``accord`` (the signed JSON of docs/webhooks.md) or a chat tool's incoming-webhook
    #: format (``slack``, ``mattermost``, ``teams``: accord.integrations.chat).
    format: Mapped[str] = mapped_column(String(20), default="accord", server_default="accord")
    salt: Mapped[str] = mapped_column(String(64))
    previous_salt: Mapped[str | None] = mapped_column(String(64))
    previous_until: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)


class WebhookDelivery(Base):
    """One event for one subscription, in the outbox until delivered or given up.

    Written in the same transaction as the change it reports (the transactional outbox),
    so an event is never lost or sent for a change that rolled back.  ``delivery_id`` stays
    the same across retries: receivers deduplicate by it.  ``dedupe_key`` keeps a periodic
    event (an action overdue) from being queued twice for the same subscription.
    """

    __tablename__ = "webhook_delivery"
    __table_args__ = (
        UniqueConstraint("webhook_id", "dedupe_key"),
        Index("ix_webhook_delivery_due", "status", "next_attempt_at"),
        CheckConstraint("status IN ('pending', 'delivered', 'failed')", name="status_is_known"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    delivery_id: Mapped[str] = mapped_column(String(32), unique=True)
    webhook_id: Mapped[int] = mapped_column(
        ForeignKey("webhook.id", ondelete="CASCADE"), index=True
    )
    event: Mapped[str] = mapped_column(String(50))
    dedupe_key: Mapped[str | None] = mapped_column(String(200))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)
    status: Mapped[str] = mapped_column(String(20), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)
    lease_until: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    last_status: Mapped[int | None] = mapped_column(Integer)
    last_error: Mapped[str | None] = mapped_column(Text)
    delivered_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)


class TrackerConnector(Base):
    """A case's link to an issue tracker (GitHub Issues, Jira Cloud or Linear).

    ``target`` holds the tracker's own names (repository; project key; team id), ``account``
    the Jira sign-in email.  The API token is stored encrypted (``token_cipher``, Fernet)
    under a key derived from the server's secret key and ``salt``
    (:mod:`accord.integrations.trackers.vault`), so a database leak alone gives no token.
    """

    __tablename__ = "tracker_connector"
    __table_args__ = (
        CheckConstraint("kind IN ('github', 'jira', 'linear')", name="kind_is_known"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(
        ForeignKey("case_record.id", ondelete="CASCADE"), unique=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    base_url: Mapped[str] = mapped_column(Text)
    target: Mapped[dict[str, Any]] = mapped_column(JSON)
    account: Mapped[str] = mapped_column(String(254), default="")
    salt: Mapped[str] = mapped_column(String(64))
    token_cipher: Mapped[str] = mapped_column(Text)
    #: Where the decision record goes: a repository file path (GitHub) or the key of an
    #: issue to comment on (Jira, Linear); empty: not published.
    record_target: Mapped[str] = mapped_column(String(255), default="")
    #: The ``decision.recorded`` data waiting to be published (``None``: nothing due).
    record_due: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    record_attempts: Mapped[int] = mapped_column(Integer, default=0)
    record_next_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    record_published_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)
    last_sync_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    last_error_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    last_check_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    last_check: Mapped[str | None] = mapped_column(Text)


class TrackerLink(Base):
    """One action of a case and the issue made for it in the connector's tracker.

    The row is written before the issue is created (``state`` ``creating``), so a retry
    after an answer that never arrived looks the issue up by ``marker`` instead of making a
    second one; ``issue_ref`` (``github:owner/repo#12``, ``jira:OPS-3``, ``linear:ENG-7``)
    authors the revision that marks the action done.
    """

    __tablename__ = "tracker_link"
    __table_args__ = (
        UniqueConstraint("connector_id", "action_id"),
        CheckConstraint("state IN ('creating', 'open', 'done', 'failed')", name="state_is_known"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    connector_id: Mapped[int] = mapped_column(
        ForeignKey("tracker_connector.id", ondelete="CASCADE"), index=True
    )
    action_id: Mapped[str] = mapped_column(String(100))
    marker: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(20), default="creating")
    issue_key: Mapped[str | None] = mapped_column(String(100))
    issue_ref: Mapped[str | None] = mapped_column(String(300))
    url: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)
    lease_until: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)
    synced_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    done_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)


class FacilitatorIdentity(Base):
    """A company account (an OpenID Connect issuer and the subject it names) linked to a
    facilitator: the pair, never the email, is what signs them in again."""

    __tablename__ = "facilitator_identity"
    __table_args__ = (UniqueConstraint("issuer", "subject"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    facilitator_id: Mapped[int] = mapped_column(
        ForeignKey("facilitator.id", ondelete="CASCADE"), index=True
    )
    issuer: Mapped[str] = mapped_column(String(500))
    subject: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)
    last_signin_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)


class AccountLink(Base):
    """A one-time link that makes an account (``invitation``, for ``email``) or sets a new
    password (``reset``, for ``facilitator_id``); only the SHA-256 of its token is kept."""

    __tablename__ = "account_link"
    __table_args__ = (CheckConstraint("kind IN ('invitation', 'reset')", name="kind_is_known"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    email: Mapped[str] = mapped_column(String(254))
    #: The account a reset is for; who sent an invitation (none from the CLI).
    facilitator_id: Mapped[int | None] = mapped_column(
        ForeignKey("facilitator.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utc_now)
    expires_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    used_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)


__all__ = [
    "AccountLink",
    "MEMBER_ROLES",
    "TOKEN_ROLES",
    "ApiToken",
    "Base",
    "CaseMember",
    "CaseRecord",
    "CaseRevision",
    "Facilitator",
    "FacilitatorIdentity",
    "LinkToken",
    "StakeholderInputRecord",
    "TrackerConnector",
    "TrackerLink",
    "UtcDateTime",
    "WebhookDelivery",
    "WebhookSubscription",
    "Workshop",
    "WorkshopEvent",
    "WorkshopParticipant",
    "utc_now",
]
