"""The decision log, the action register, the cadence and the next review, in sections."""

from __future__ import annotations

from accord.analysis import records as dates
from accord.analysis.assemble.context import Prepared
from accord.analysis.sections.records import (
    ActionItem,
    AssumptionRecord,
    CadenceEntry,
    DecisionRecord,
    DissentRecord,
    Review,
)


def decisions(p: Prepared) -> list[DecisionRecord]:
    return [
        DecisionRecord(
            id=d.id,
            options=d.option_ids,
            date=d.date.isoformat(),
            accountable=d.accountable,
            rationale=d.rationale,
            dissent=[DissentRecord(x.by, x.reason) for x in d.dissent],
            review_date=None if d.review_date is None else d.review_date.isoformat(),
            assumptions=[
                AssumptionRecord(
                    id=a.id,
                    statement=a.statement,
                    owner=a.owner,
                    metric=a.metric,
                    threshold=a.threshold,
                    check_date=None if a.check_date is None else a.check_date.isoformat(),
                )
                for a in d.assumptions
            ],
        )
        for d in p.case.decisions
    ]


def actions(p: Prepared) -> list[ActionItem]:
    return [
        ActionItem(
            id=a.id,
            title=a.title,
            owner=a.owner,
            deadline=None if a.deadline is None else a.deadline.isoformat(),
            metric=a.metric,
            done=a.done,
            decision=a.decision,
            overdue=dates.is_overdue(a.deadline, a.done, p.today),
            days_overdue=dates.days_overdue(a.deadline, a.done, p.today),
        )
        for a in p.case.actions
    ]


def cadence(p: Prepared) -> tuple[list[CadenceEntry], Review | None]:
    events = dates.cadence_events(p.case)
    entries = [entry(e) for e in events]
    upcoming = dates.next_review(events, p.today)
    review = None
    if upcoming is not None:
        review = Review(
            date=upcoming.date.isoformat(),
            kind=upcoming.kind,
            sentence=f"{upcoming.summary} on {upcoming.date.isoformat()}",
        )
    return entries, review


def entry(e: dates.Event) -> CadenceEntry:
    return CadenceEntry(
        uid=e.uid,
        kind=e.kind,
        summary=e.summary,
        date=e.date.isoformat(),
        rrule=e.rrule,
        description=e.description,
    )
