"""A workshop's record for people outside the room: a one-page summary (Markdown), its actions
as CSV and as iCalendar (RFC 5545).  Pure functions of the folded state, usable at any moment
(a workshop still running exports what it has so far); the same state gives the same bytes.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

from accord import __version__
from accord.workshop.state import FACILITATOR, WorkshopState

ACTION_COLUMNS = ("id", "what", "owner", "due", "metric", "done", "item")


@dataclass(frozen=True)
class SummaryItem:
    """One agenda item as the summary tells it."""

    number: int
    question: str
    status: str
    decision: str | None
    owner: str | None
    rationale: str | None
    dissent: tuple[tuple[str, str], ...]
    deprioritised: tuple[str, ...]


def person(state: WorkshopState, participant: str) -> str:
    """A participant's display name ("the facilitator" for the facilitator)."""
    if participant == FACILITATOR:
        return "the facilitator"
    return state.participants.get(participant, participant)


def summary_items(state: WorkshopState) -> list[SummaryItem]:
    """The agenda with each item's decision, owner, rationale and dissent by name."""
    items = []
    for index, item in enumerate(state.agenda):
        record = state.decisions.get(index)
        items.append(
            SummaryItem(
                number=index + 1,
                question=item.question,
                status=item.status,
                decision=record.decision if record else None,
                owner=person(state, record.owner) if record else None,
                rationale=record.rationale if record else None,
                dissent=tuple((person(state, d.participant), d.reason) for d in record.dissent)
                if record
                else (),
                deprioritised=record.deprioritised if record else (),
            )
        )
    return items


def summary_markdown(state: WorkshopState) -> str:
    """The workshop on one page: agenda and decisions, actions, parking lot."""
    lines = [f"# {state.title}", ""]
    if state.closed_at is not None:
        closed = f"Closed {state.closed_at:%Y-%m-%d %H:%M} UTC"
        review = f"; review on {state.review_date.isoformat()}" if state.review_date else ""
        lines += [closed + review + ".", ""]
    else:
        lines += ["Still running: this is the record so far.", ""]
    names = ", ".join(sorted(state.participants.values())) or "nobody yet"
    lines += [f"Participants: {names}.", "", "## Decisions", ""]
    for item in summary_items(state):
        lines.append(f"### {item.number}. {item.question}")
        lines.append("")
        if item.decision is None:
            lines += [f"Not decided ({item.status}).", ""]
            continue
        lines.append(f"**Decided:** {item.decision} (owner: {item.owner}).")
        lines.append("")
        if item.rationale:
            lines += [f"Why: {item.rationale}", ""]
        for who, reason in item.dissent:
            lines.append(f"- Dissent, {who}: “{reason}”")
        for what in item.deprioritised:
            lines.append(f"- Not doing now: {what}")
        if item.dissent or item.deprioritised:
            lines.append("")
    lines += ["## Actions", ""]
    if state.actions:
        lines += ["| What | Owner | Due | Done when | Done |", "|---|---|---|---|---|"]
        for a in state.actions.values():
            done = "yes" if a.done else "no"
            row = [a.what, person(state, a.owner), a.due.isoformat(), a.metric, done]
            lines.append("| " + " | ".join(_cell(c) for c in row) + " |")
    else:
        lines.append("None.")
    lines += ["", "## Parking lot", ""]
    if state.parking_lot:
        for issue in state.parking_lot.values():
            outcome = f" — {issue.outcome}" if issue.outcome else ""
            lines.append(f"- {issue.text} (follow-up: {person(state, issue.owner)}){outcome}")
    else:
        lines.append("Empty.")
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def actions_csv(state: WorkshopState) -> str:
    """The action register as CSV (RFC 4180), one row per action, owners by name."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(ACTION_COLUMNS)
    for a in state.actions.values():
        item = "" if a.item is None else str(a.item + 1)
        writer.writerow(
            [a.id, a.what, person(state, a.owner), a.due.isoformat(), a.metric, a.done, item]
        )
    return out.getvalue()


def actions_ics(state: WorkshopState, workshop_id: int) -> bytes:
    """Each action as an all-day event on its due date (RFC 5545 §3.6.1), stable UIDs."""
    import icalendar

    calendar = icalendar.Calendar()
    calendar.add("prodid", f"-//accord//accord {__version__}//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"{state.title} — actions")
    # The latest time the state records, never the wall clock: the same state, the same bytes.
    times = [r.recorded_at for r in state.decisions.values()]
    if state.closed_at is not None:
        times.append(state.closed_at)
    stamp = max(times) if times else dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    for a in state.actions.values():
        event = icalendar.Event()
        event.add("uid", f"workshop-{workshop_id}.action.{a.id}@accord")
        event.add("dtstamp", stamp)
        event.add("dtstart", a.due)
        event.add("summary", f"{a.what} ({person(state, a.owner)})")
        event.add("description", f"Done when: {a.metric}" + (" (done)" if a.done else ""))
        event.add("categories", ["action"])
        calendar.add_component(event)
    data: bytes = calendar.to_ical()
    return data


__all__ = [
    "ACTION_COLUMNS",
    "SummaryItem",
    "actions_csv",
    "actions_ics",
    "person",
    "summary_items",
    "summary_markdown",
]
