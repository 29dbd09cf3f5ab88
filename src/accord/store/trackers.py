"""A case's tracker connector, the issue made for each of its actions, and the decision
record waiting to be published.

The connector is saved by its owner on the Connectors page; :mod:`accord.integrations.
trackers.sync` does the rest off the request path: it reserves a :class:`TrackerLink` per
open action (unique per connector and action, so two workers never both reserve one),
leases it while it talks to the tracker, and records the outcome with the webhook outbox's
backoff (:func:`accord.store.webhooks.retry_delay`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from accord.errors import InputError, NotFoundError
from accord.integrations.trackers import vault
from accord.store.tables import CaseRecord, TrackerConnector, TrackerLink, utc_now
from accord.store.webhooks import MAX_ATTEMPTS, retry_delay

KINDS = {"github": "GitHub Issues", "jira": "Jira Cloud", "linear": "Linear"}
DEFAULT_BASE_URLS = {"github": "https://api.github.com", "linear": "https://api.linear.app"}
LEASE = dt.timedelta(seconds=60)
"""How long a sync run owns a link it is creating (longer than a request's time-out)."""
MAX_TOKEN = 500
_REPO = re.compile(r"^[A-Za-z0-9_.-]{1,100}/[A-Za-z0-9_.-]{1,100}$")
_JIRA_PROJECT = re.compile(r"^[A-Z][A-Z0-9_]{1,9}$")
_JIRA_ISSUE = re.compile(r"^[A-Z][A-Z0-9_]{1,9}-[0-9]{1,9}$")
_LINEAR_TEAM = re.compile(r"^[0-9a-fA-F-]{36}$")
_LINEAR_ISSUE = re.compile(r"^[A-Z][A-Z0-9]{0,9}-[0-9]{1,9}$")
_RECORD_PATH = re.compile(r"^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*\.md$")


@dataclass(frozen=True)
class ConnectorForm:
    """What the Connectors page's form sends (the token may be left empty to keep it)."""

    kind: str
    base_url: str = ""
    repo: str = ""
    site: str = ""
    project: str = ""
    email: str = ""
    team: str = ""
    token: str = ""
    record_target: str = ""


def checked_settings(form: ConnectorForm) -> tuple[str, dict[str, str], str, str]:
    """(base URL, target, account, record target) from the form, or an :class:`InputError`
    naming the field, the value and what is allowed.  The URL's SSRF check is the caller's."""
    if form.kind not in KINDS:
        raise InputError(f"kind: {form.kind!r} is not one of {', '.join(KINDS)}")
    record = form.record_target.strip()
    if form.kind == "github":
        repo = form.repo.strip()
        if not _REPO.match(repo):
            raise InputError(f"repo: {repo!r} is not owner/name (for example acme/roadmap)")
        if record and (not _RECORD_PATH.match(record) or ".." in record.split("/")):
            raise InputError(
                f"record_target: {record!r} is not a repository path to a .md file "
                "(for example docs/decisions/pricing.md)"
            )
        base = form.base_url.strip() or DEFAULT_BASE_URLS["github"]
        return base, {"repo": repo}, "", record
    if form.kind == "jira":
        site, project, email = form.site.strip(), form.project.strip(), form.email.strip()
        if not site:
            raise InputError("site: give your Jira site's address (https://YOUR.atlassian.net)")
        if not _JIRA_PROJECT.match(project):
            raise InputError(
                f"project: {project!r} is not a Jira project key (2 to 10 capitals, e.g. OPS)"
            )
        if "@" not in email or len(email) > 254:
            raise InputError(f"email: {email!r} is not the email address the API token is for")
        if record and not _JIRA_ISSUE.match(record):
            raise InputError(f"record_target: {record!r} is not a Jira issue key (e.g. OPS-12)")
        return site, {"project": project}, email, record
    team = form.team.strip()
    if not _LINEAR_TEAM.match(team):
        raise InputError(f"team: {team!r} is not a Linear team id (a UUID, 36 characters)")
    if record and not _LINEAR_ISSUE.match(record):
        raise InputError(f"record_target: {record!r} is not a Linear issue (e.g. ENG-12)")
    base = form.base_url.strip() or DEFAULT_BASE_URLS["linear"]
    return base, {"team": team}, "", record


def save_connector(
    s: Session, server_key: str, case_id: int, form: ConnectorForm, base_url: str
) -> TrackerConnector:
    """Connect the case (or change its connector); ``base_url`` already SSRF-checked.

    Changing the tracker or its target forgets the issues made in the old one, so every
    open action is created again in the new one."""
    _, target, account, record = checked_settings(form)
    token = form.token.strip()
    if len(token) > MAX_TOKEN:
        raise InputError(f"token: {len(token)} characters is more than {MAX_TOKEN}")
    found = connector_of(s, case_id)
    if found is None:
        if not token:
            raise InputError("token: give the tracker's API token")
        salt = secrets.token_hex(16)
        found = TrackerConnector(
            case_id=case_id,
            kind=form.kind,
            base_url=base_url,
            target=target,
            account=account,
            salt=salt,
            token_cipher=vault.seal(server_key, salt, token),
            record_target=record,
            record_attempts=0,
        )
        s.add(found)
    else:
        moved = (found.kind, found.base_url, found.target) != (form.kind, base_url, target)
        if moved and not token:
            raise InputError("token: give the API token for the new tracker")
        if moved:
            s.execute(sa.delete(TrackerLink).where(TrackerLink.connector_id == found.id))
        found.kind, found.base_url, found.target = form.kind, base_url, target
        found.account, found.record_target = account, record
        if token:
            found.salt = secrets.token_hex(16)
            found.token_cipher = vault.seal(server_key, found.salt, token)
        found.last_error = found.last_error_at = None
    s.flush()
    return found


def connector_of(s: Session, case_id: int) -> TrackerConnector | None:
    return s.scalar(sa.select(TrackerConnector).where(TrackerConnector.case_id == case_id))


def own_connector(s: Session, case_id: int) -> TrackerConnector:
    found = connector_of(s, case_id)
    if found is None:
        raise NotFoundError(f"case {case_id} has no tracker connector: connect one first")
    return found


def token_of(server_key: str, connector: TrackerConnector) -> str:
    return vault.unseal(server_key, connector.salt, connector.token_cipher)


def delete_connector(s: Session, connector: TrackerConnector) -> None:
    s.execute(sa.delete(TrackerLink).where(TrackerLink.connector_id == connector.id))
    s.delete(connector)
    s.flush()


def links(s: Session, connector_id: int) -> list[TrackerLink]:
    return list(
        s.scalars(
            sa.select(TrackerLink)
            .where(TrackerLink.connector_id == connector_id)
            .order_by(TrackerLink.id)
        )
    )


def marker(connector: TrackerConnector, action_id: str) -> str:
    """A label-safe tag naming this case's action in this tracker (the same on every run)."""
    seed = f"{connector.id}|{connector.case_id}|{connector.kind}|{action_id}"
    return "accord-" + hashlib.sha256(seed.encode()).hexdigest()[:16]


def reserve_links(s: Session, connector: TrackerConnector, action_ids: list[str]) -> int:
    """A ``creating`` link for each action that has none yet; how many were added."""
    known = {
        row
        for row in s.scalars(
            sa.select(TrackerLink.action_id).where(TrackerLink.connector_id == connector.id)
        )
    }
    added = 0
    for action_id in action_ids:
        if action_id in known:
            continue
        s.add(
            TrackerLink(
                connector_id=connector.id,
                action_id=action_id,
                marker=marker(connector, action_id),
                state="creating",
                attempts=0,
                next_attempt_at=utc_now(),
            )
        )
        added += 1
    s.flush()
    return added


def lease_creating(
    s: Session, connector_id: int, limit: int, now: dt.datetime | None = None
) -> list[TrackerLink]:
    """Lease the connector's links due to be created (``FOR UPDATE SKIP LOCKED``, as the
    webhook outbox leases, so two workers never post the same action)."""
    moment = now or utc_now()
    rows = list(
        s.scalars(
            sa.select(TrackerLink)
            .where(
                TrackerLink.connector_id == connector_id,
                TrackerLink.state == "creating",
                TrackerLink.next_attempt_at <= moment,
                sa.or_(TrackerLink.lease_until.is_(None), TrackerLink.lease_until < moment),
            )
            .order_by(TrackerLink.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
    )
    leased = []
    for row in rows:
        # A compare-and-set, not a plain write: on SQLite the SELECT above holds no lock, so
        # two workers may both have read the row as free; only one UPDATE matches it.
        taken = s.execute(
            sa.update(TrackerLink)
            .where(
                TrackerLink.id == row.id,
                TrackerLink.state == "creating",
                sa.or_(TrackerLink.lease_until.is_(None), TrackerLink.lease_until < moment),
            )
            .values(lease_until=moment + LEASE)
            .execution_options(synchronize_session=False)
        )
        if taken.rowcount == 1:  # type: ignore[attr-defined]
            s.refresh(row)
            leased.append(row)
    s.flush()
    return leased


def record_created(
    s: Session, link_id: int, key: str, ref: str, url: str, now: dt.datetime | None = None
) -> None:
    row = s.get(TrackerLink, link_id)
    if row is None:
        return
    row.state, row.issue_key, row.issue_ref, row.url = "open", key, ref, url
    row.attempts += 1
    row.lease_until = None
    row.last_error = None
    row.synced_at = now or utc_now()
    s.flush()


def record_failure(
    s: Session,
    link_id: int,
    error: str,
    *,
    retry: bool,
    retry_base: float,
    now: dt.datetime | None = None,
) -> None:
    """An attempt failed: try again with backoff, or give up (bad settings, or too many)."""
    row = s.get(TrackerLink, link_id)
    if row is None:
        return
    moment = now or utc_now()
    row.attempts += 1
    row.lease_until = None
    row.last_error = error[:500]
    if not retry or row.attempts >= MAX_ATTEMPTS:
        row.state = "failed"
    else:
        row.next_attempt_at = moment + dt.timedelta(seconds=retry_delay(row.attempts, retry_base))
    s.flush()


def retry_failed(s: Session, connector_id: int) -> None:
    """ "Sync now": links that gave up are tried again at once."""
    for row in s.scalars(
        sa.select(TrackerLink).where(
            TrackerLink.connector_id == connector_id, TrackerLink.state == "failed"
        )
    ):
        row.state, row.next_attempt_at, row.attempts = "creating", utc_now(), 0
    s.flush()


def record_due(s: Session, case_id: int, event: str, data: Mapping[str, Any]) -> None:
    """An event consumer (called by :func:`accord.store.webhooks.emit_for_case` in the
    transaction of the change): ``decision.recorded`` makes the decision record due."""
    if event != "decision.recorded":
        return
    found = connector_of(s, case_id)
    if found is None or not found.record_target:
        return
    found.record_due = dict(data)
    found.record_attempts = 0
    found.record_next_at = utc_now()
    s.flush()


def case_of(s: Session, connector: TrackerConnector) -> CaseRecord:
    record = s.get(CaseRecord, connector.case_id)
    assert record is not None  # the foreign key cascades deletes
    return record
