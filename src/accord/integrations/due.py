"""Date-driven webhook events: actions that went overdue and reviews that came due.

Nothing writes these dates at the moment they pass, so the dispatcher scans the cases of
facilitators subscribed to them (:func:`queue_due_events`, hourly and at start).  Each
event has a dedupe key (case, item and date), so a scan queues it once however often it
runs, on every worker.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Session

from accord.analysis.records import cadence_events, is_overdue, reviews_due
from accord.errors import AccordError
from accord.store import repository
from accord.store import webhooks as outbox
from accord.store.tables import CaseRecord, WebhookSubscription

DATE_EVENTS = ("action.overdue", "review.due")


def queue_due_events(s: Session, today: dt.date) -> int:
    """Queue ``action.overdue`` and ``review.due`` for every subscribed owner's cases."""
    owners: set[int] = set()
    for hook in s.scalars(sa.select(WebhookSubscription)):
        if any(event in hook.events for event in DATE_EVENTS):
            owners.add(hook.owner_id)
    queued = 0
    for record in s.scalars(sa.select(CaseRecord).where(CaseRecord.owner_id.in_(owners))):
        try:
            case = repository.case_with_inputs(s, record)
        except AccordError:  # pragma: no cover - a stored case was valid when stored
            continue
        link = outbox.case_link(record)
        for action in case.actions:
            if is_overdue(action.deadline, action.done, today):
                assert action.deadline is not None
                data = {
                    "case": link,
                    "action": {
                        "id": action.id,
                        "title": action.title,
                        "owner": action.owner,
                        "deadline": action.deadline.isoformat(),
                        "days_overdue": (today - action.deadline).days,
                    },
                }
                key = f"action.overdue:{record.id}:{action.id}:{action.deadline.isoformat()}"
                queued += outbox.emit(s, record.owner_id, "action.overdue", data, dedupe_key=key)
        for review in reviews_due(cadence_events(case), today):
            data = {
                "case": link,
                "review": {
                    "kind": review.kind,
                    "summary": review.summary,
                    "date": review.date.isoformat(),
                },
            }
            key = f"review.due:{record.id}:{review.uid}:{review.date.isoformat()}"
            queued += outbox.emit(s, record.owner_id, "review.due", data, dedupe_key=key)
    return queued
