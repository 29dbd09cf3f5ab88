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

from accord import __version__
from accord.analysis.records import Event, cadence_events
from accord.model.case import Case


def cadence_entries(case: Case) -> list[Event]:
    """Every calendar entry of ``case``: series first, then one-off dates in date order.

    The events are the analysis's (:func:`accord.analysis.records.cadence_events`), so the
    calendar, the report's "next review" and the CLI can never disagree on a date.
    """
    return cadence_events(case)


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
        event.add("dtstart", entry.date)
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
