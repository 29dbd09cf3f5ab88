"""The review cadence of a case as iCalendar (RFC 5545), byte-identical for the same case.

Events (all-day; RFC 5545 §3.6.1: a DATE ``DTSTART`` without ``DTEND`` lasts one day):

* the review series: every ``cadence.review_every_days`` days from ``cadence.start``
  (``RRULE:FREQ=DAILY;INTERVAL=30`` by default; seed 003's thirty-day review cadence);
* the stand-up series: ``weekly`` / ``biweekly`` / ``monthly`` (seed 003's monthly
  cross-functional stand-ups);
* each checkpoint (e.g. the alignment check before budget approval);
* each decision's review date, each assumption's check date and each open action's deadline.

When ``cadence.start`` is absent the series start ``review_every_days`` after the first
decision; with neither, there are no series.  UIDs are built from the case id and the item
(``<case>.<kind>.<item>@accord``) and DTSTAMP is the case's latest recorded date, so the
same case always gives the same bytes and re-importing updates events instead of
duplicating them.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from accord import __version__
from accord.model.case import Case
from accord.model.records import Cadence

_STANDUP_RULES: dict[str, dict[str, object]] = {
    "weekly": {"freq": "weekly"},
    "biweekly": {"freq": "weekly", "interval": 2},
    "monthly": {"freq": "monthly"},
}


@dataclass(frozen=True)
class CalendarEntry:
    """One event of the cadence: a one-off date or a recurring series."""

    uid: str
    kind: str  # review | standup | checkpoint | decision-review | assumption-check | action
    summary: str
    date: str
    rrule: str | None
    description: str


def cadence_entries(case: Case) -> list[CalendarEntry]:
    """Every calendar entry of ``case``: series first, then one-off dates in date order."""
    cadence = case.cadence or Cadence()
    entries: list[CalendarEntry] = []
    start = _series_start(case, cadence)
    if start is not None:
        every = cadence.review_every_days
        entries.append(
            _entry(
                case,
                "review",
                "series",
                f"{case.title}: {every}-day review",
                start,
                f"FREQ=DAILY;INTERVAL={every}",
                f"Review progress on '{case.question}': actions, assumptions due, blockers.",
            )
        )
        if cadence.standup != "none":
            rule = _STANDUP_RULES[cadence.standup]
            text = ";".join(f"{k.upper()}={str(v).upper()}" for k, v in rule.items())
            entries.append(
                _entry(
                    case,
                    "standup",
                    "series",
                    f"{case.title}: {cadence.standup} cross-functional stand-up",
                    start,
                    text,
                    "Share priorities, flag dependencies, surface emerging conflicts.",
                )
            )
    dated: list[CalendarEntry] = []
    for checkpoint in cadence.checkpoints:
        # Named by date and title, not position, so inserting a checkpoint keeps other UIDs.
        slug = re.sub(r"[^a-z0-9]+", "-", checkpoint.name.casefold())[:60].strip("-")
        dated.append(
            _entry(
                case,
                "checkpoint",
                f"{checkpoint.date.isoformat()}-{slug or 'checkpoint'}",
                checkpoint.name,
                checkpoint.date,
                None,
                f"Alignment checkpoint for '{case.title}'.",
            )
        )
    for decision in case.decisions:
        if decision.review_date is not None:
            dated.append(
                _entry(
                    case,
                    "decision-review",
                    decision.id,
                    f"Review decision '{decision.id}' ({', '.join(decision.option_ids)})",
                    decision.review_date,
                    None,
                    f"Decided {decision.date} (accountable: {decision.accountable or 'unset'}). "
                    f"Rationale: {decision.rationale or 'not recorded'}",
                )
            )
        for assumption in decision.assumptions:
            if assumption.check_date is not None:
                test = f"{assumption.metric or ''} {assumption.threshold or ''}".strip()
                dated.append(
                    _entry(
                        case,
                        "assumption-check",
                        f"{decision.id}.{assumption.id}",
                        f"Check assumption '{assumption.id}' of '{decision.id}'"
                        + (f" ({assumption.owner})" if assumption.owner else ""),
                        assumption.check_date,
                        None,
                        assumption.statement + (f" Test: {test}." if test else ""),
                    )
                )
    for action in case.actions:
        if action.deadline is not None and not action.done:
            dated.append(
                _entry(
                    case,
                    "action",
                    action.id,
                    f"Due: {action.title} ({action.owner})",
                    action.deadline,
                    None,
                    f"Success metric: {action.metric or 'not set'}.",
                )
            )
    dated.sort(key=lambda e: (e.date, e.kind, e.uid))
    return entries + dated


def to_ics(case: Case) -> bytes:
    """The case's cadence as an iCalendar document (CRLF line endings, RFC 5545)."""
    import icalendar

    calendar = icalendar.Calendar()
    calendar.add("prodid", f"-//accord//accord {__version__}//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"{case.title} — cadence")
    stamp = dt.datetime.combine(case_stamp(case), dt.time(0, 0), tzinfo=dt.UTC)
    for entry in cadence_entries(case):
        event = icalendar.Event()
        event.add("uid", entry.uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", dt.date.fromisoformat(entry.date))
        event.add("summary", entry.summary)
        event.add("description", entry.description)
        event.add("categories", [entry.kind])
        if entry.rrule is not None:
            event.add("rrule", icalendar.vRecur.from_ical(entry.rrule))
        calendar.add_component(event)
    data: bytes = calendar.to_ical()
    return data


def case_stamp(case: Case) -> dt.date:
    """The latest date recorded in the case (decisions, cadence start), else its deadline.

    Used as DTSTAMP so the output never depends on the wall clock; 2000-01-01 when the case
    records no date at all.
    """
    dates = [d.date for d in case.decisions]
    if case.cadence is not None and case.cadence.start is not None:
        dates.append(case.cadence.start)
    if not dates and case.deadline is not None:
        dates.append(case.deadline)
    return max(dates) if dates else dt.date(2000, 1, 1)


def _series_start(case: Case, cadence: Cadence) -> dt.date | None:
    if cadence.start is not None:
        return cadence.start
    if case.decisions:
        first = min(d.date for d in case.decisions)
        return first + dt.timedelta(days=cadence.review_every_days)
    return None


def _entry(
    case: Case,
    kind: str,
    item: str,
    summary: str,
    date: dt.date,
    rrule: str | None,
    description: str,
) -> CalendarEntry:
    return CalendarEntry(
        uid=f"{case.id}.{kind}.{item}@accord",
        kind=kind,
        summary=summary,
        date=date.isoformat(),
        rrule=rrule,
        description=description,
    )
