"""Closing a workshop writes its outcome into its case, in the close's own transaction.

The ``workshop_closed`` event and the case revision holding the decisions, actions and
parked issues (translated by :func:`accord.workshop.outcome.case_outcome`, authored
``workshop <id>``, checked by the case loader like any other save) commit together or
not at all: a revision the loader refuses, or a database fault while writing it, leaves
the workshop open with nothing stored, and the facilitator can fix the case and close
again.  The close takes the same locks as the live writer's batches
(:func:`accord.web.writer.sqlite_write_lock`, then the workshop row), so it is judged
against exactly the events committed before it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from accord import workshop as rules
from accord.errors import ConflictError, InputError, NotFoundError
from accord.io.case_file import parse_case
from accord.io.loader import to_yaml_text, validate_data
from accord.model.case import Case
from accord.store import repository, revisions
from accord.store.revisions import Revision
from accord.store.tables import CaseRecord, LinkToken, Workshop, WorkshopParticipant
from accord.web.live import LiveWorkshops, as_event, utc_now
from accord.web.writer import sqlite_write_lock
from accord.workshop.outcome import Outcome, case_outcome, match_stakeholder
from accord.workshop.state import WorkshopState

CLOSE = "workshop_closed"


def close_workshop(
    live: LiveWorkshops,
    workshop_id: int,
    actor: str,
    key: str | None = None,
    payload: Mapping[str, Any] | None = None,
    chosen: Mapping[int, Sequence[str]] | None = None,
) -> tuple[WorkshopState, Revision | None]:
    """Close the workshop and write its outcome in one transaction; the state after the
    close and the case's new revision (``None`` when the outcome added nothing).

    ``key`` is the form's idempotency key: a close already stored under it (a retry after
    a lost answer) stores nothing new.  ``chosen``: agenda item -> the option ids the
    facilitator picked for its decision on the close page (matched by id, not by words).
    Raises :class:`accord.workshop.WorkshopRuleError` when the rules refuse the close,
    :class:`ConflictError` when the case refuses the outcome; in both cases nothing is
    stored and the workshop stays open.
    """
    store = live.store
    start = live.current(workshop_id)  # a committed prefix of the log, read before locking
    at = utc_now()
    with sqlite_write_lock(store), store.session() as s:
        last_seq = repository.lock_workshop_seq(s, workshop_id)
        state = _caught_up(s, workshop_id, start)
        if state.last_seq != last_seq:
            raise RuntimeError(f"workshop {workshop_id}: log at {state.last_seq}, not {last_seq}")
        if key is not None and repository.stored_command_keys(s, workshop_id, [key]):
            return state, None  # this very close was stored before; answer it again
        checked = rules.check(state, actor, CLOSE, payload or {}, at)
        event = rules.Event(state.last_seq + 1, CLOSE, actor, checked, at)
        row = {
            "seq": event.seq,
            "kind": CLOSE,
            "actor": actor,
            "payload": dict(checked),
            "created_at": at,
            "command_key": key,
        }
        repository.append_events(s, workshop_id, [row])
        state = rules.apply(state, event)
        _, saved = write_outcome(s, workshop_id, state, chosen)
    # After the commit, as for every stored command: streams wake and read the close.
    live.broker.notify(workshop_id)
    return state, saved


def write_outcome(
    s: Session,
    workshop_id: int,
    state: WorkshopState,
    chosen: Mapping[int, Sequence[str]] | None = None,
) -> tuple[Outcome, Revision | None]:
    """Add the closed workshop's outcome to its case in session ``s``; the new revision,
    or ``None`` when there was nothing to add."""
    workshop = s.get(Workshop, workshop_id)
    if workshop is None:
        raise NotFoundError(f"there is no workshop {workshop_id}")
    record = s.get(CaseRecord, workshop.case_id)
    assert record is not None  # a workshop's case is deleted with it
    case = parse_case(record.source_text, path=record.source_name)
    people = _people(s, workshop_id, case)
    _check_chosen(case, state, chosen or {})
    outcome = case_outcome(case, state, workshop_id, people, chosen)
    if not outcome.decisions and not outcome.actions:
        return outcome, None
    notes = "".join(f"; {n}" for n in outcome.notes)
    try:
        updated = validate_data(outcome.data, Case)  # the loader's checks, ids included
        saved = revisions.save_revision(
            s,
            record.id,
            to_yaml_text(updated),
            f"workshop {workshop_id}",
            f"{outcome.summary} from '{workshop.title}'{notes}",
        )
    except InputError as refused:
        raise ConflictError(
            f"the workshop stays open: its outcome does not fit the case ({refused}); "
            "fix the case or the decision, then close again",
            problems=refused.problems,
        ) from refused
    return outcome, saved


def _check_chosen(case: Case, state: WorkshopState, chosen: Mapping[int, Sequence[str]]) -> None:
    """Every picked option is one of the case's, for an item that has a decision."""
    known = case.option_ids
    for item, options in chosen.items():
        if item not in state.decisions:
            raise ConflictError(
                f"option.{item}: agenda item {item + 1} has no decision to match to an option"
            )
        for option in options:
            if option not in known:
                raise ConflictError(
                    f"option.{item}: '{option}' is not an option of the case "
                    f"(expected one of: {', '.join(known)})"
                )


def _caught_up(s: Session, workshop_id: int, state: WorkshopState) -> WorkshopState:
    """``state`` with every event committed after it (read in ``s``, under the lock)."""
    while True:
        rows = repository.events_after(s, workshop_id, state.last_seq)
        if not rows:
            return state
        for row in rows:
            state = rules.apply(state, as_event(row))


def _people(s: Session, workshop_id: int, case: Case) -> dict[str, str | None]:
    """Participant id -> stakeholder id: the one their link names, else a name match."""
    rows = s.execute(
        sa.select(
            WorkshopParticipant.id, WorkshopParticipant.display_name, LinkToken.stakeholder_id
        )
        .join(LinkToken, LinkToken.id == WorkshopParticipant.token_id)
        .where(WorkshopParticipant.workshop_id == workshop_id)
    )
    known = set(case.stakeholder_ids)
    people: dict[str, str | None] = {}
    for row_id, name, linked in rows:
        people[f"p{row_id}"] = linked if linked in known else match_stakeholder(case, name)
    return people


__all__ = ["close_workshop", "write_outcome"]
