"""Keeping a case and its tracker in step, off the request path.

One round per connector (:func:`sync_connector`): every open action gets its issue (created
once: the link row is reserved and leased first, and a retry after an unknown outcome looks
the issue up by its marker before creating), open issues are polled for their done state
(every ``poll_seconds``), a done issue marks its action done in the case as a new revision
authored by the issue (``github:acme/roadmap#12``), and a due decision record is published.
Failures are stored on the link or the connector and retried with the webhook outbox's
backoff; nothing here runs inside a request, so a tracker that is down never fails a page.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from dataclasses import dataclass

import httpx
import sqlalchemy as sa
from sqlalchemy.orm import Session

from accord.errors import AccordError
from accord.integrations.chat import headline
from accord.integrations.runner import LoopRunner
from accord.integrations.trackers.base import IssueDraft, Tracker, TrackerError
from accord.integrations.trackers.github import GitHub
from accord.integrations.trackers.jira import Jira
from accord.integrations.trackers.linear import Linear
from accord.io.case_file import parse_case
from accord.io.loader import to_plain, to_yaml_text, validate_data
from accord.model.case import Case
from accord.store import Store, repository, revisions
from accord.store import trackers as store
from accord.store.tables import CaseRecord, TrackerConnector, TrackerLink, utc_now
from accord.store.webhooks import MAX_ATTEMPTS, RETRY_BASE, check_url, retry_delay

log = logging.getLogger(__name__)

#: How far back a retry looks for the issue an unanswered attempt made (clock skew).
FIND_SLACK = dt.timedelta(minutes=10)


@dataclass(frozen=True)
class SyncSettings:
    server_key: str
    public_url: str | None = None
    allow_private: bool = False
    retry_base: float = RETRY_BASE
    #: Seconds between two polls of a connector's open issues for their done state.
    poll_seconds: float = 300.0
    #: Seconds between two rounds (issues to create, records to publish).
    tick_seconds: float = 15.0
    batch: int = 50


@dataclass
class SyncOutcome:
    created: int = 0
    found_again: int = 0
    marked_done: int = 0
    published: bool = False
    errors: int = 0


def tracker_for(
    connector: TrackerConnector, token: str, transport: httpx.BaseTransport | None = None
) -> Tracker:
    target = connector.target
    if connector.kind == "github":
        return GitHub(connector.base_url, str(target["repo"]), token, transport)
    if connector.kind == "jira":
        return Jira(connector.base_url, str(target["project"]), connector.account, token, transport)
    return Linear(connector.base_url, str(target["team"]), token, transport)


def _open_tracker(
    s: Session,
    connector: TrackerConnector,
    settings: SyncSettings,
    transport: httpx.BaseTransport | None,
) -> Tracker:
    # Checked at every use, as webhook URLs are: the name may resolve elsewhere by now.
    check_url(connector.base_url, allow_private=settings.allow_private)
    return tracker_for(connector, store.token_of(settings.server_key, connector), transport)


def check_connection(
    store_: Store,
    case_id: int,
    settings: SyncSettings,
    transport: httpx.BaseTransport | None = None,
) -> str:
    """The test-connection button: a sentence saying what the tracker answered (stored on
    the connector for the page)."""
    with store_.session() as s:
        connector = store.own_connector(s, case_id)
        try:
            said = _open_tracker(s, connector, settings, transport).check()
            ok = True
        except (TrackerError, AccordError) as error:
            said, ok = str(error), False
        connector.last_check_at = utc_now()
        connector.last_check = ("ok: " if ok else "failed: ") + said[:490]
        return connector.last_check


def sync_all(
    store_: Store,
    settings: SyncSettings,
    *,
    transport: httpx.BaseTransport | None = None,
    poll: bool = True,
) -> SyncOutcome:
    """One round over every connector."""
    total = SyncOutcome()
    with store_.session() as s:
        ids = list(s.scalars(sa.select(TrackerConnector.id).order_by(TrackerConnector.id)))
    for connector_id in ids:
        try:
            one = sync_connector(store_, connector_id, settings, transport=transport, poll=poll)
        except Exception:  # one connector's bad day must not stop the others
            log.exception("tracker sync of connector %s failed", connector_id)
            continue
        total.created += one.created
        total.found_again += one.found_again
        total.marked_done += one.marked_done
        total.published |= one.published
        total.errors += one.errors
    return total


def sync_connector(
    store_: Store,
    connector_id: int,
    settings: SyncSettings,
    *,
    transport: httpx.BaseTransport | None = None,
    poll: bool = True,
) -> SyncOutcome:
    outcome = SyncOutcome()
    with store_.session() as s:
        connector = s.get(TrackerConnector, connector_id)
        if connector is None:
            return outcome
        record = store.case_of(s, connector)
        try:
            tracker = _open_tracker(s, connector, settings, transport)
        except AccordError as refused:
            _connector_error(connector, str(refused))
            outcome.errors += 1
            return outcome
        case = parse_case(record.source_text, path=record.source_name)
        store.reserve_links(s, connector, [a.id for a in case.actions if not a.done])
        leased = [
            (row.id, row.action_id, row.marker, row.attempts, row.created_at)
            for row in store.lease_creating(s, connector_id, settings.batch)
        ]
        case_link = _case_url(record, settings.public_url)
    # The tracker is called outside any transaction: the lease keeps the rows ours.
    actions = {a.id: a for a in case.actions}
    for link_id, action_id, marker, attempts, reserved_at in leased:
        action = actions.get(action_id)
        if action is None:  # removed from the case since: nothing to create
            with store_.session() as s:
                store.record_failure(
                    s,
                    link_id,
                    f"action {action_id} is no longer in the case",
                    retry=False,
                    retry_base=settings.retry_base,
                )
            continue
        draft = IssueDraft(
            action_id=action.id,
            title=action.title,
            owner=action.owner,
            deadline=action.deadline,
            metric=action.metric,
            decision=action.decision,
            case_title=case.title,
            case_url=case_link,
            marker=marker,
        )
        try:
            # A retry may follow an attempt whose answer was lost after the tracker made
            # the issue: look for it first, so the action never gets a second one.
            issue = tracker.find(draft, reserved_at - FIND_SLACK) if attempts else None
            if issue is not None:
                outcome.found_again += 1
            else:
                issue = tracker.create(draft)
                outcome.created += 1
        except TrackerError as error:
            outcome.errors += 1
            with store_.session() as s:
                store.record_failure(
                    s, link_id, str(error), retry=error.retry, retry_base=settings.retry_base
                )
            continue
        with store_.session() as s:
            store.record_created(s, link_id, issue.key, issue.ref, issue.url)
    if poll:
        outcome.marked_done += _poll_done(store_, connector_id, tracker, outcome)
    outcome.published = _publish_due(store_, connector_id, tracker, settings, outcome)
    with store_.session() as s:
        connector = s.get(TrackerConnector, connector_id)
        if connector is not None:
            connector.last_sync_at = utc_now()
            if not outcome.errors:
                connector.last_error = connector.last_error_at = None
            elif connector.last_error is None:
                _connector_error(connector, _latest_link_error(s, connector_id))
    return outcome


def _case_url(record: CaseRecord, public_url: str | None) -> str | None:
    return f"{public_url.rstrip('/')}/cases/{record.id}" if public_url else None


def _connector_error(connector: TrackerConnector, message: str) -> None:
    connector.last_error = message[:500]
    connector.last_error_at = utc_now()


def _latest_link_error(s: Session, connector_id: int) -> str:
    found = s.scalar(
        sa.select(TrackerLink.last_error)
        .where(TrackerLink.connector_id == connector_id, TrackerLink.last_error.is_not(None))
        .order_by(TrackerLink.id.desc())
        .limit(1)
    )
    return found or "a tracker request failed"


def _poll_done(store_: Store, connector_id: int, tracker: Tracker, outcome: SyncOutcome) -> int:
    with store_.session() as s:
        open_links = [
            (row.id, row.action_id, row.issue_key, row.issue_ref)
            for row in s.scalars(
                sa.select(TrackerLink).where(
                    TrackerLink.connector_id == connector_id, TrackerLink.state == "open"
                )
            )
        ]
    marked = 0
    for link_id, action_id, key, ref in open_links:
        assert key is not None and ref is not None  # an open link has its issue
        try:
            done = tracker.is_done(key)
        except TrackerError as error:
            outcome.errors += 1
            with store_.session() as s:
                row = s.get(TrackerLink, link_id)
                if row is not None:
                    row.last_error = str(error)[:500]
            continue
        with store_.session() as s:
            row = s.get(TrackerLink, link_id)
            if row is None:
                continue
            row.synced_at, row.last_error = utc_now(), None
            if done:
                connector = s.get(TrackerConnector, connector_id)
                assert connector is not None
                if mark_action_done(s, store.case_of(s, connector), action_id, ref):
                    marked += 1
                row.state, row.done_at = "done", utc_now()
    return marked


def mark_action_done(s: Session, record: CaseRecord, action_id: str, ref: str) -> bool:
    """Action ``action_id`` done in the case, as a new revision authored ``ref``; ``False``
    when it was already done or is no longer in the case."""
    case = parse_case(record.source_text, path=record.source_name)
    data = to_plain(case)
    for action in data.get("actions") or []:
        if action.get("id") == action_id:
            if action.get("done"):
                return False
            action["done"] = True
            break
    else:
        return False
    updated = validate_data(data, Case)  # the loader's checks, as every save has
    revisions.save_revision(
        s, record.id, to_yaml_text(updated), ref, f"action '{action_id}' done in {ref}"
    )
    return True


def decision_record_markdown(case: Case, due: dict[str, object] | None) -> str:
    """The case's decision record as the report renders it, with the decision just
    recorded in a workshop first (it joins the case's record when the workshop closes)."""
    from accord.analysis.analyze import analyze
    from accord.report import view
    from accord.report.markdown import inline, render_decision_record

    preface: list[str] = []
    if due:
        preface = ["## Latest decision", "", inline(headline("decision.recorded", due))]
        decision = due.get("decision")
        if isinstance(decision, dict) and decision.get("rationale"):
            preface += ["", f"Rationale: {inline(decision['rationale'])}"]
        preface.append("")
    return render_decision_record(view.build(analyze(case)), preface)


def _publish_due(
    store_: Store,
    connector_id: int,
    tracker: Tracker,
    settings: SyncSettings,
    outcome: SyncOutcome,
) -> bool:
    with store_.session() as s:
        connector = s.get(TrackerConnector, connector_id)
        if connector is None or connector.record_due is None or not connector.record_target:
            return False
        if connector.record_next_at is not None and connector.record_next_at > utc_now():
            return False
        due, target = dict(connector.record_due), connector.record_target
        record = store.case_of(s, connector)
        # With the stored inputs, as the case's report is rendered in the app.
        case = repository.case_with_inputs(s, record)
        title, case_id = record.title, record.id
    try:
        markdown = decision_record_markdown(case, due)
        where = tracker.publish(target, markdown, f"accord: decision record of {title}")
    except TrackerError as error:
        outcome.errors += 1
        with store_.session() as s:
            connector = s.get(TrackerConnector, connector_id)
            if connector is not None:
                connector.record_attempts += 1
                _connector_error(connector, f"decision record: {error}")
                if not error.retry or connector.record_attempts >= MAX_ATTEMPTS:
                    connector.record_due = None
                else:
                    delay = retry_delay(connector.record_attempts, settings.retry_base)
                    connector.record_next_at = utc_now() + dt.timedelta(seconds=delay)
        return False
    with store_.session() as s:
        connector = s.get(TrackerConnector, connector_id)
        if connector is not None:
            # A decision recorded meanwhile made it due again: keep that one.
            if connector.record_due == due:
                connector.record_due = None
            connector.record_attempts = 0
            connector.record_published_at = utc_now()
    log.info("decision record of case %s published to %s", case_id, where)
    return True


class TrackerRunner(LoopRunner):
    """Runs :func:`sync_all` every ``tick_seconds`` (open issues polled every
    ``poll_seconds``); :meth:`wake` runs a round soon (a connector saved, "sync now")."""

    task_name = "accord-trackers"

    def __init__(
        self,
        store_: Store,
        settings: SyncSettings,
        *,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        super().__init__()
        self.store = store_
        self.settings = settings
        self._transport = transport

    async def _run(self, wake: asyncio.Event) -> None:
        loop = asyncio.get_running_loop()
        next_poll = 0.0
        while True:
            poll = loop.time() >= next_poll
            if poll:
                next_poll = loop.time() + self.settings.poll_seconds
            try:
                await asyncio.to_thread(
                    sync_all, self.store, self.settings, transport=self._transport, poll=poll
                )
            except Exception:  # a database hiccup must not end the runner
                log.exception("tracker sync: one round failed; retrying")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(wake.wait(), self.settings.tick_seconds)
            if wake.is_set():
                next_poll = 0.0  # woken: poll the done states now too
            wake.clear()


def issue_done(s: Session, connector: TrackerConnector, issue_key: str) -> bool:
    """The tracker said (by its webhook) that issue ``issue_key`` is done: mark its action
    done as the poll would; ``False`` when no open link has that issue."""
    row = s.scalar(
        sa.select(TrackerLink).where(
            TrackerLink.connector_id == connector.id,
            TrackerLink.issue_key == issue_key,
            TrackerLink.state == "open",
        )
    )
    if row is None or row.issue_ref is None:
        return False
    marked = mark_action_done(s, store.case_of(s, connector), row.action_id, row.issue_ref)
    row.state, row.done_at, row.synced_at = "done", utc_now(), utc_now()
    return marked
