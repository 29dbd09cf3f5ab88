"""Date-driven webhook events: overdue actions and due reviews, queued once per date."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import sqlalchemy as sa

from accord.integrations.due import queue_due_events
from accord.io.case_file import parse_case
from accord.store import Store, repository
from accord.store import webhooks as outbox
from accord.store.tables import WebhookDelivery

CASE = Path(__file__).resolve().parents[2] / "examples" / "budget-workshop.yaml"


def _events(store: Store) -> list[tuple[str, str]]:
    with store.session() as s:
        rows = s.scalars(sa.select(WebhookDelivery).order_by(WebhookDelivery.id))
        return [(r.event, r.dedupe_key or "") for r in rows]


def test_overdue_actions_are_queued_once_each_and_done_ones_never(tmp_path: Path) -> None:
    store = Store.from_url(f"sqlite:///{tmp_path / 'due.db'}", migrate=True)
    case = parse_case(CASE.read_text(), path=CASE.name)
    with store.session() as s:
        owner = repository.create_facilitator(s, "due@example.org", "pw-long-enough", "D").id
        outbox.create_subscription(s, owner, "https://hooks.example.com/a", ["action.overdue"])
        repository.save_case(s, owner, CASE.read_text(), CASE.name)
    day = dt.date(2026, 12, 12)
    expected = sorted(
        a.id for a in case.actions if a.deadline is not None and a.deadline < day and not a.done
    )
    assert expected  # the example has actions due before that day, and one already done
    assert any(a.done and a.deadline is not None and a.deadline < day for a in case.actions)
    for _ in range(2):  # a second scan (another worker, the next hour) queues nothing new
        with store.session() as s:
            queue_due_events(s, day)
    queued = _events(store)
    assert [e for e, _ in queued] == ["action.overdue"] * len(expected)
    assert sorted(key.split(":")[2] for _, key in queued) == expected
    # The day after, nothing new is overdue in this example until the next deadline passes.
    with store.session() as s:
        queue_due_events(s, day + dt.timedelta(days=1))
    assert len(_events(store)) == len(expected)
    store.dispose()


def test_reviews_are_queued_in_their_week_and_only_for_subscribers(tmp_path: Path) -> None:
    store = Store.from_url(f"sqlite:///{tmp_path / 'due.db'}", migrate=True)
    case = parse_case(CASE.read_text(), path=CASE.name)
    from accord.analysis.records import cadence_events, next_review

    review = next_review(cadence_events(case), dt.date(2026, 12, 3))
    assert review is not None
    with store.session() as s:
        owner = repository.create_facilitator(s, "due@example.org", "pw-long-enough", "D").id
        repository.save_case(s, owner, CASE.read_text(), CASE.name)
    with store.session() as s:
        assert queue_due_events(s, review.date) == 0  # nobody subscribed
        outbox.create_subscription(s, owner, "https://hooks.example.com/a", ["review.due"])
    with store.session() as s:
        assert queue_due_events(s, review.date - dt.timedelta(days=1)) == 0  # not yet
    with store.session() as s:
        assert queue_due_events(s, review.date) >= 1
    with store.session() as s:
        assert queue_due_events(s, review.date + dt.timedelta(days=3)) == 0  # queued already
    assert all(e == "review.due" for e, _ in _events(store))
    assert any(review.date.isoformat() in key for _, key in _events(store))
    store.dispose()
