"""Closing a workshop writes its outcome into its case as a new revision.

Called after the ``workshop_closed`` command is committed: the decisions, actions and
parked issues (translated by :func:`accord.workshop.outcome.case_outcome`) become one
revision authored ``workshop <id>``, checked by the case loader like any other save.
"""

from __future__ import annotations

import sqlalchemy as sa

from accord.io.case_file import parse_case
from accord.io.loader import to_yaml_text, validate_data
from accord.model.case import Case
from accord.store import Store, revisions
from accord.store.revisions import Revision
from accord.store.tables import CaseRecord, LinkToken, Workshop, WorkshopParticipant
from accord.workshop.outcome import Outcome, case_outcome, match_stakeholder
from accord.workshop.state import WorkshopState


def write_outcome(
    store: Store, workshop_id: int, state: WorkshopState
) -> tuple[Outcome, Revision | None]:
    """Add the closed workshop's outcome to its case; the new revision, or ``None`` when
    there was nothing to add."""
    with store.session() as s:
        workshop = s.get(Workshop, workshop_id)
        if workshop is None:
            raise ValueError(f"no workshop {workshop_id}")
        record = s.get(CaseRecord, workshop.case_id)
        assert record is not None  # a workshop's case is deleted with it
        case = parse_case(record.source_text, path=record.source_name)
        people = _people(s, workshop_id, case)
        outcome = case_outcome(case, state, workshop_id, people)
        if not outcome.decisions and not outcome.actions:
            return outcome, None
        updated = validate_data(outcome.data, Case)  # the loader's checks, ids included
        notes = "".join(f"; {n}" for n in outcome.notes)
        saved = revisions.save_revision(
            s,
            record.id,
            to_yaml_text(updated),
            f"workshop {workshop_id}",
            f"{outcome.summary} from '{workshop.title}'{notes}",
        )
    return outcome, saved


def _people(s: sa.orm.Session, workshop_id: int, case: Case) -> dict[str, str | None]:
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
