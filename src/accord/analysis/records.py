"""The decision record's dates, one rule each: overdue actions, the cadence, the next review.

Pure: a case and the day to judge on in, plain values out.  The analysis, the report,
the calendar file, the CLI and the web app all read these, so the same case never shows
two "next review" dates.

Cadence events (all-day; RFC 5545 §3.6.1: a DATE ``DTSTART`` without ``DTEND`` lasts
one day):

* the review series: every ``cadence.review_every_days`` days from ``cadence.start``
  (30 by default, seed 003's thirty-day review cadence); without a start, from
  ``review_every_days`` after the first decision; with neither, no series;
* the stand-up series: ``weekly`` / ``biweekly`` / ``monthly`` (seed 003's monthly
  cross-functional stand-ups), from the same start;
* each checkpoint, each decision's review date, each assumption's check date and each
  open action's deadline.

UIDs are built from the case id and the item (``<case>.<kind>.<item>@accord``), so
re-importing a calendar updates events instead of duplicating them.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

from accord.model.case import Case
from accord.model.records import Cadence

CadenceKind = Literal[
    "review", "standup", "checkpoint", "decision-review", "assumption-check", "action"
]

_STANDUP_RULES: dict[str, str] = {
    "weekly": "FREQ=WEEKLY",
    "biweekly": "FREQ=WEEKLY;INTERVAL=2",
    "monthly": "FREQ=MONTHLY",
}


def is_overdue(deadline: dt.date | None, done: bool, today: dt.date) -> bool:
    """Past its deadline and not done (an action due today is not yet overdue).

    >>> is_overdue(dt.date(2026, 11, 1), False, dt.date(2026, 11, 2))
    True
    >>> is_overdue(dt.date(2026, 11, 2), False, dt.date(2026, 11, 2))
    False
    """
    return deadline is not None and not done and deadline < today


def days_overdue(deadline: dt.date | None, done: bool, today: dt.date) -> int:
    return (
        (today - deadline).days if deadline is not None and is_overdue(deadline, done, today) else 0
    )


@dataclass(frozen=True)
class Event:
    """One event of the cadence: a one-off date or a recurring series (RFC 5545 RRULE)."""

    uid: str
    kind: CadenceKind
    summary: str
    date: dt.date
    rrule: str | None
    description: str
    every_days: int | None = None  # for the review series


def series_start(case: Case) -> dt.date | None:
    """The first review: ``cadence.start``, else ``review_every_days`` after the first
    decision, else None (no series)."""
    cadence = case.cadence or Cadence()
    if cadence.start is not None:
        return cadence.start
    if case.decisions:
        first = min(d.date for d in case.decisions)
        return first + dt.timedelta(days=cadence.review_every_days)
    return None


def cadence_events(case: Case) -> list[Event]:
    """Every event of the case's cadence: series first, then one-off dates in date order."""
    cadence = case.cadence or Cadence()
    events: list[Event] = []
    start = series_start(case)
    if start is not None:
        every = cadence.review_every_days
        events.append(
            _event(
                case, "review", "series", f"{case.title}: {every}-day review", start,
                f"FREQ=DAILY;INTERVAL={every}",
                f"Review progress on '{case.question}': actions, assumptions due, blockers.",
                every,
            )
        )  # fmt: skip
        if cadence.standup != "none":
            events.append(
                _event(
                    case, "standup", "series",
                    f"{case.title}: {cadence.standup} cross-functional stand-up", start,
                    _STANDUP_RULES[cadence.standup],
                    "Share priorities, flag dependencies, surface emerging conflicts.",
                )
            )  # fmt: skip
    dated: list[Event] = []
    for checkpoint in cadence.checkpoints:
        # Named by date and title, not position, so inserting a checkpoint keeps other UIDs.
        slug = re.sub(r"[^a-z0-9]+", "-", checkpoint.name.casefold())[:60].strip("-")
        dated.append(
            _event(
                case, "checkpoint", f"{checkpoint.date.isoformat()}-{slug or 'checkpoint'}",
                checkpoint.name, checkpoint.date, None,
                f"Alignment checkpoint for '{case.title}'.",
            )
        )  # fmt: skip
    for decision in case.decisions:
        if decision.review_date is not None:
            dated.append(
                _event(
                    case, "decision-review", decision.id,
                    "Review decision: " + ", ".join(_option(case, o) for o in decision.option_ids),
                    decision.review_date, None,
                    f"Decided {decision.date} (accountable: "
                    f"{_name(case, decision.accountable) if decision.accountable else 'unset'}). "
                    f"Rationale: {decision.rationale or 'not recorded'}",
                )
            )  # fmt: skip
        for assumption in decision.assumptions:
            if assumption.check_date is not None:
                test = f"{assumption.metric or ''} {assumption.threshold or ''}".strip()
                dated.append(
                    _event(
                        case, "assumption-check", f"{decision.id}.{assumption.id}",
                        f"Check assumption: {assumption.statement}"
                        + (f" ({_name(case, assumption.owner)})" if assumption.owner else ""),
                        assumption.check_date, None,
                        assumption.statement + (f" Test: {test}." if test else ""),
                    )
                )  # fmt: skip
    for action in case.actions:
        if action.deadline is not None and not action.done:
            dated.append(
                _event(
                    case, "action", action.id, f"Due: {action.title} ({_name(case, action.owner)})",
                    action.deadline, None, f"Success metric: {action.metric or 'not set'}.",
                )
            )  # fmt: skip
    dated.sort(key=lambda e: (e.date, e.kind, e.uid))
    return events + dated


def next_review(events: list[Event], today: dt.date) -> Event | None:
    """The first review still ahead on ``today`` (on the day counts): the next date of the
    review series, a checkpoint, a decision review or an assumption check.

    The series' next date is ``start + k * every`` for the smallest ``k >= 0`` on or after
    ``today``.
    """
    ahead: list[tuple[dt.date, int, Event]] = []
    for order, event in enumerate(events):
        if event.kind == "review" and event.every_days:
            day = event.date
            if day < today:
                steps = -(-(today - day).days // event.every_days)
                day = day + dt.timedelta(days=steps * event.every_days)
            ahead.append((day, order, _on(event, day)))
        elif event.kind in ("checkpoint", "decision-review", "assumption-check"):
            if event.date >= today:
                ahead.append((event.date, order, event))
    return min(ahead, key=lambda item: (item[0], item[1]))[2] if ahead else None


def reviews_due(events: list[Event], today: dt.date, within_days: int = 7) -> list[Event]:
    """Reviews whose date arrived in the last ``within_days`` days (today included), each
    on that date: the series' latest date, checkpoints, decision reviews, assumption checks.

    The window lets a notifier that was down on the day still say so, without announcing
    every review of a case's past when it first sees the case.

    >>> e = Event("c.review.series@accord", "review", "r", dt.date(2026, 1, 1), None, "", 30)
    >>> [x.date.isoformat() for x in reviews_due([e], dt.date(2026, 3, 3))]
    ['2026-03-02']
    >>> reviews_due([e], dt.date(2026, 3, 10))
    []
    """
    earliest = today - dt.timedelta(days=within_days - 1)
    due: list[Event] = []
    for event in events:
        day: dt.date | None = None
        if event.kind == "review" and event.every_days:
            if event.date <= today:
                steps = (today - event.date).days // event.every_days
                day = event.date + dt.timedelta(days=steps * event.every_days)
        elif event.kind in ("checkpoint", "decision-review", "assumption-check"):
            day = event.date if event.date <= today else None
        if day is not None and day >= earliest:
            due.append(_on(event, day))
    return due


def _on(event: Event, day: dt.date) -> Event:
    return Event(event.uid, event.kind, event.summary, day, None, event.description)


def _name(case: Case, stakeholder: str) -> str:
    """A stakeholder's name for a sentence (the id when the case does not name them)."""
    return next((p.name for p in case.stakeholders if p.id == stakeholder), stakeholder)


def _option(case: Case, option: str) -> str:
    return next((o.name for o in case.options if o.id == option), option)


def _event(
    case: Case,
    kind: CadenceKind,
    item: str,
    summary: str,
    date: dt.date,
    rrule: str | None,
    description: str,
    every_days: int | None = None,
) -> Event:
    return Event(
        f"{case.id}.{kind}.{item}@accord", kind, summary, date, rrule, description, every_days
    )
