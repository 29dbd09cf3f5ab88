"""Webhook subscriptions and the delivery outbox.

Events are written to the outbox by the same transaction as the change they report
(:func:`emit`, called from the repository functions that make those changes), and a
dispatcher (:mod:`accord.integrations.delivery`) drains it: it leases due rows, posts them,
and marks each delivered, or schedules a retry with backoff, or gives up after
:data:`MAX_ATTEMPTS`.  A lease that expires (a worker killed mid-delivery) makes the row
due again, so every event is delivered at least once; receivers deduplicate by delivery id.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import ipaddress
import secrets
import socket
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import sqlalchemy as sa
from sqlalchemy.orm import Session

from accord.errors import InputError, NotFoundError
from accord.integrations.chat import FORMATS
from accord.integrations.events import EVENTS, TEST_EVENT
from accord.store.tables import (
    CaseRecord,
    WebhookDelivery,
    WebhookSubscription,
    Workshop,
    utc_now,
)

MAX_URL = 2000
MAX_SUBSCRIPTIONS = 20
"""Per facilitator: each event fans out to every subscription in one transaction."""
MAX_ATTEMPTS = 12
#: Backoff before attempt n+1 is ``RETRY_BASE * 3**n`` seconds, at most ``RETRY_CAP``:
#: 10 s, 30 s, 90 s, ... 6 h; the twelve attempts span about a day and a half, so a
#: receiver down over a night still gets every event.
RETRY_BASE = 10.0
RETRY_CAP = 6 * 3600.0
LEASE = dt.timedelta(seconds=60)
"""How long a dispatcher owns a row it is posting (longer than the request time-out)."""
ROTATION_GRACE = dt.timedelta(hours=24)
"""How long the previous secret still signs after a rotation."""


def signing_secret(server_key: str, salt: str) -> str:
    """The subscription's secret: HMAC-SHA256 of its salt under the server's key."""
    digest = hmac.new(server_key.encode(), b"webhook|" + salt.encode(), hashlib.sha256)
    return "whsec_" + digest.hexdigest()


def live_secrets(
    server_key: str,
    salt: str,
    previous_salt: str | None,
    previous_until: dt.datetime | None,
    now: dt.datetime | None = None,
) -> list[str]:
    """The secrets that sign now: the current one, and the previous during its grace."""
    out = [signing_secret(server_key, salt)]
    if previous_salt and previous_until is not None and (now or utc_now()) < previous_until:
        out.append(signing_secret(server_key, previous_salt))
    return out


def retry_delay(attempts: int, base: float = RETRY_BASE) -> float:
    """Seconds to wait after ``attempts`` failed attempts.

    >>> [retry_delay(n) for n in (1, 2, 3)], retry_delay(20)
    ([10.0, 30.0, 90.0], 21600.0)
    """
    return float(min(base * 3 ** max(attempts - 1, 0), RETRY_CAP))


def check_url(url: str, *, own_origins: Iterable[str] = (), allow_private: bool = False) -> str:
    """``url`` if accord may post to it, else an :class:`InputError` saying why.

    http(s) only, with a host and no user name or password in it; never the app itself;
    and, unless ``allow_private``, no loopback, private or link-local address (a webhook
    must not become a way to reach the server's own network: SSRF).
    """
    text = url.strip()
    if not text or len(text) > MAX_URL:
        raise InputError(f"url: give the receiver's address (1 to {MAX_URL} characters)")
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https"):
        raise InputError(f"url: {parts.scheme or 'no'} scheme: use an http:// or https:// address")
    if not parts.hostname:
        raise InputError("url: the address has no host name")
    if parts.username or parts.password:
        raise InputError("url: leave user names and passwords out of the address")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise InputError("url: the port is not a number from 1 to 65535") from None
    origin = f"{parts.hostname.lower()}:{port}"
    if origin in {o.lower() for o in own_origins}:
        raise InputError("url: that is this accord server itself; give another receiver")
    if not allow_private:
        for address in _addresses(parts.hostname):
            if not address.is_global:
                raise InputError(
                    f"url: {parts.hostname} is a private, loopback or link-local address "
                    f"({address}); webhooks go to public receivers "
                    "(ACCORD_WEBHOOK_ALLOW_PRIVATE=1 allows others)"
                )
    return text


def _addresses(host: str) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    try:
        return [ipaddress.ip_address(host.strip("[]"))]
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, None)
    except (OSError, UnicodeError):
        # Unknown now: the dispatcher checks again before each delivery.
        return []
    return [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]


def check_events(events: Sequence[str]) -> list[str]:
    unknown = [e for e in events if e not in EVENTS]
    if unknown:
        raise InputError(f"events: {', '.join(unknown)} not known (known: {', '.join(EVENTS)})")
    if not events:
        raise InputError("events: choose at least one event")
    return list(dict.fromkeys(events))


def create_subscription(
    s: Session,
    owner_id: int,
    url: str,
    events: Sequence[str],
    description: str = "",
    format: str = "accord",
) -> WebhookSubscription:
    """A new subscription (``url`` checked by the caller with :func:`check_url`)."""
    if format not in FORMATS:
        raise InputError(f"format: {format!r} is not one of {', '.join(FORMATS)}")
    count = s.scalar(
        sa.select(sa.func.count())
        .select_from(WebhookSubscription)
        .where(WebhookSubscription.owner_id == owner_id)
    )
    if (count or 0) >= MAX_SUBSCRIPTIONS:
        raise InputError(f"you have {MAX_SUBSCRIPTIONS} webhooks already: delete one first")
    hook = WebhookSubscription(
        owner_id=owner_id,
        url=url,
        events=check_events(events),
        description=description.strip()[:200],
        format=format,
        salt=secrets.token_hex(16),
    )
    s.add(hook)
    s.flush()
    return hook


def subscriptions(s: Session, owner_id: int) -> list[WebhookSubscription]:
    return list(
        s.scalars(
            sa.select(WebhookSubscription)
            .where(WebhookSubscription.owner_id == owner_id)
            .order_by(WebhookSubscription.id)
        )
    )


def own_subscription(s: Session, owner_id: int, webhook_id: int) -> WebhookSubscription:
    hook = s.get(WebhookSubscription, webhook_id)
    if hook is None or hook.owner_id != owner_id:
        raise NotFoundError(f"there is no webhook {webhook_id} among your webhooks")
    return hook


def rotate_secret(s: Session, hook: WebhookSubscription) -> WebhookSubscription:
    """A new secret; the old one keeps signing for :data:`ROTATION_GRACE`."""
    hook.previous_salt = hook.salt
    hook.previous_until = utc_now() + ROTATION_GRACE
    hook.salt = secrets.token_hex(16)
    s.flush()
    return hook


def delete_subscription(s: Session, hook: WebhookSubscription) -> None:
    s.execute(sa.delete(WebhookDelivery).where(WebhookDelivery.webhook_id == hook.id))
    s.delete(hook)
    s.flush()


def deliveries(s: Session, webhook_id: int, limit: int = 50) -> list[WebhookDelivery]:
    """The newest deliveries of a subscription (its delivery log)."""
    return list(
        s.scalars(
            sa.select(WebhookDelivery)
            .where(WebhookDelivery.webhook_id == webhook_id)
            .order_by(WebhookDelivery.id.desc())
            .limit(limit)
        )
    )


def emit(
    s: Session,
    owner_id: int,
    event: str,
    data: Mapping[str, Any],
    *,
    dedupe_key: str | None = None,
    only: int | None = None,
) -> int:
    """Queue ``event`` for each of the owner's subscriptions to it; returns how many.

    Called inside the transaction that made the change, so the outbox row commits (or rolls
    back) with it.  With ``dedupe_key``, a subscription that already has that key queued or
    delivered gets nothing new.  ``only`` restricts to one subscription (the test event).
    """
    if event not in EVENTS and event != TEST_EVENT:
        raise ValueError(f"unknown webhook event {event!r}")
    query = sa.select(WebhookSubscription).where(WebhookSubscription.owner_id == owner_id)
    if only is not None:
        query = query.where(WebhookSubscription.id == only)
    queued = 0
    for hook in s.scalars(query):
        if only is None and event not in hook.events:
            continue
        if dedupe_key is not None and s.scalar(
            sa.select(WebhookDelivery.id).where(
                WebhookDelivery.webhook_id == hook.id, WebhookDelivery.dedupe_key == dedupe_key
            )
        ):
            continue
        s.add(
            WebhookDelivery(
                delivery_id=secrets.token_hex(16),
                webhook_id=hook.id,
                event=event,
                dedupe_key=dedupe_key,
                data=dict(data),
                status="pending",
                attempts=0,
                next_attempt_at=utc_now(),
            )
        )
        queued += 1
    if queued:
        s.flush()
    return queued


def case_link(record: CaseRecord) -> dict[str, Any]:
    return {"id": record.id, "title": record.title, "path": f"/cases/{record.id}"}


def emit_for_case(
    s: Session, case_id: int, event: str, data: Mapping[str, Any], **options: Any
) -> int:
    """:func:`emit` to the owner of case ``case_id``, with the case's link in ``data``."""
    record = s.get(CaseRecord, case_id)
    if record is None:
        return 0
    # The case's tracker connector consumes some events too (in this same transaction).
    from accord.store import trackers

    trackers.record_due(s, case_id, event, data)
    return emit(s, record.owner_id, event, {"case": case_link(record), **data}, **options)


def inputs_given(s: Session, case_id: int, stakeholder_id: str) -> None:
    """A stakeholder's inputs were stored: ``inputs.given``, and the analysis changed."""
    emit_for_case(s, case_id, "inputs.given", {"stakeholder": stakeholder_id})
    emit_for_case(
        s, case_id, "analysis.changed", {"because": "inputs", "stakeholder": stakeholder_id}
    )


def case_revised(s: Session, record: CaseRecord, number: int, author: str, summary: str) -> None:
    """A case's text changed (a new revision): its analysis did too."""
    revision = {
        "number": number,
        "author": author,
        "summary": summary,
    }
    emit(
        s,
        record.owner_id,
        "analysis.changed",
        {"case": case_link(record), "because": "revision", "revision": revision},
    )


#: Workshop event kind -> (webhook event, the key its payload goes under in ``data``).
WORKSHOP_EVENTS = {
    "decision_recorded": ("decision.recorded", "decision"),
    "workshop_closed": ("workshop.closed", "closed"),
}


def emit_workshop_event(s: Session, workshop_id: int, kind: str, payload: Mapping[str, Any]) -> int:
    """Queue the webhook event for a stored workshop event, if it maps to one."""
    mapped = WORKSHOP_EVENTS.get(kind)
    if mapped is None:
        return 0
    event, key = mapped
    workshop = s.get(Workshop, workshop_id)
    if workshop is None:
        return 0
    data = {
        "workshop": {
            "id": workshop.id,
            "title": workshop.title,
            "path": f"/workshops/{workshop.id}",
        },
        key: dict(payload),
    }
    return emit_for_case(s, workshop.case_id, event, data)


@dataclass(frozen=True)
class Due:
    """A leased delivery, with what the dispatcher needs to post it."""

    id: int
    delivery_id: str
    event: str
    data: dict[str, Any]
    created_at: dt.datetime
    attempts: int
    url: str
    format: str
    salts: tuple[str, str | None]
    previous_until: dt.datetime | None


def lease_due(s: Session, limit: int, now: dt.datetime | None = None) -> list[Due]:
    """Lease up to ``limit`` due deliveries for this dispatcher (:data:`LEASE` long).

    On PostgreSQL, ``FOR UPDATE SKIP LOCKED`` lets several workers lease side by side
    without waiting on or taking each other's rows; SQLite has one writer at a time.
    """
    moment = now or utc_now()
    rows = list(
        s.scalars(
            sa.select(WebhookDelivery)
            .where(
                WebhookDelivery.status == "pending",
                WebhookDelivery.next_attempt_at <= moment,
                sa.or_(WebhookDelivery.lease_until.is_(None), WebhookDelivery.lease_until < moment),
            )
            .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
    )
    due: list[Due] = []
    for row in rows:
        row.lease_until = moment + LEASE
        hook = s.get(WebhookSubscription, row.webhook_id)
        assert hook is not None  # the foreign key cascades deletes
        due.append(
            Due(
                row.id,
                row.delivery_id,
                row.event,
                dict(row.data),
                row.created_at,
                row.attempts,
                hook.url,
                hook.format,
                (hook.salt, hook.previous_salt),
                hook.previous_until,
            )
        )
    s.flush()
    return due


def record_attempt(
    s: Session,
    row_id: int,
    *,
    status: int | None,
    error: str | None,
    retry_base: float = RETRY_BASE,
    now: dt.datetime | None = None,
) -> WebhookDelivery | None:
    """Store one attempt's outcome: delivered on 2xx, else retried or given up."""
    row = s.get(WebhookDelivery, row_id)
    if row is None or row.status != "pending":
        return row
    moment = now or utc_now()
    row.attempts += 1
    row.last_status = status
    row.last_error = error[:500] if error else None
    row.lease_until = None
    if status is not None and 200 <= status < 300:
        row.status = "delivered"
        row.delivered_at = moment
    elif row.attempts >= MAX_ATTEMPTS:
        row.status = "failed"
    else:
        row.next_attempt_at = moment + dt.timedelta(seconds=retry_delay(row.attempts, retry_base))
    s.flush()
    return row


def redeliver(s: Session, row: WebhookDelivery) -> None:
    """Queue a failed or delivered row again, now (the delivery log's "send again")."""
    row.status = "pending"
    row.next_attempt_at = utc_now()
    row.lease_until = None
    s.flush()
