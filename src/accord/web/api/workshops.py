"""``/api/v1`` workshops: create one on a case, read its state as the facilitator sees it,
invite participants, send commands.

Commands go through the same :class:`accord.web.live.LiveWorkshops` as the console's forms
(one lock, the workshop rules, the event log, the idempotency key), as the facilitator; the
state is :func:`accord.workshop.view_for` the facilitator, so what the console hides (other
people's ideas during silent brainstorming, authors of anonymous ideas) the API hides too.
"""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response

from accord import workshop as rules
from accord.store import repository
from accord.store.tables import Facilitator, Workshop
from accord.web.access import Action, case_for, workshop_for
from accord.web.api.auth import Convenor, Reader
from accord.web.api.schemas import (
    Command,
    LinkCreated,
    LinkOut,
    NewParticipantLink,
    NewWorkshop,
    WorkshopOut,
    WorkshopStateOut,
)
from accord.web.deps import Id, store_of
from accord.web.live import LiveWorkshops
from accord.web.outcome import close_workshop

router = APIRouter(tags=["workshops"])


def _live(request: Request) -> LiveWorkshops:
    live: LiveWorkshops = request.app.state.live
    return live


def _state_out(workshop: Workshop, state: rules.WorkshopState) -> WorkshopStateOut:
    view = rules.view_for(state, rules.FACILITATOR, dt.datetime.now(dt.UTC))
    return WorkshopStateOut(**WorkshopOut.of(workshop, state.last_seq).model_dump(), view=view)


def _run(request: Request, owner: Facilitator, workshop_id: int) -> Workshop:
    """The workshop, for those whose role lets them run it: its state is the facilitator's
    view (what participants cannot see yet, too), so viewers of the case do not get it."""
    with store_of(request).session() as session:
        workshop = workshop_for(session, owner, workshop_id, Action.RUN_WORKSHOP)
        session.expunge(workshop)
    return workshop


@router.get(
    "/cases/{case_id}/workshops", response_model=list[WorkshopOut], summary="List workshops"
)
def list_workshops(request: Request, case_id: Id, owner: Reader) -> list[WorkshopOut]:
    with store_of(request).session() as session:
        case_for(session, owner, case_id, Action.READ)
        rows = session.query(Workshop).filter_by(case_id=case_id).order_by(Workshop.id).all()
        return [WorkshopOut.of(row) for row in rows]


@router.post(
    "/cases/{case_id}/workshops",
    status_code=201,
    response_model=WorkshopOut,
    summary="Create a workshop on a case",
)
def create_workshop(request: Request, case_id: Id, owner: Convenor, body: NewWorkshop) -> Response:
    with store_of(request).session() as session:
        case_for(session, owner, case_id, Action.RUN_WORKSHOP)
        out = WorkshopOut.of(repository.create_workshop(session, case_id, body.title))
    return JSONResponse(
        out.model_dump(mode="json"),
        status_code=201,
        headers={"Location": f"/api/v1/workshops/{out.id}"},
    )


@router.get(
    "/workshops/{workshop_id}",
    response_model=WorkshopStateOut,
    summary="A workshop's state, as the facilitator may see it",
)
def read_workshop(request: Request, workshop_id: Id, owner: Reader) -> WorkshopStateOut:
    workshop = _run(request, owner, workshop_id)
    return _state_out(workshop, _live(request).current(workshop_id))


@router.post(
    "/workshops/{workshop_id}/commands",
    response_model=WorkshopStateOut,
    summary="Send a command to a workshop (as its facilitator)",
)
async def command(
    request: Request, workshop_id: Id, owner: Convenor, body: Command
) -> WorkshopStateOut:
    """The rules refuse a command the workshop's state does not allow (409); with the
    same ``command_key`` a retried command is stored once."""
    workshop = await run_in_threadpool(_run, request, owner, workshop_id)
    if body.kind == "workshop_closed":  # with its outcome, in one transaction
        closed, _ = await run_in_threadpool(
            close_workshop,
            _live(request),
            workshop_id,
            rules.FACILITATOR,
            body.command_key,
            body.payload,
        )
        return _state_out(workshop, closed)
    state = await run_in_threadpool(
        _live(request).command,
        workshop_id,
        rules.FACILITATOR,
        body.kind,
        body.payload,
        body.command_key,
    )
    return _state_out(workshop, state)


@router.post(
    "/workshops/{workshop_id}/links",
    status_code=201,
    response_model=LinkCreated,
    summary="Invite a participant (a link shown once)",
)
def invite(
    request: Request, workshop_id: Id, owner: Convenor, body: NewParticipantLink
) -> Response:
    with store_of(request).session() as session:
        workshop = workshop_for(session, owner, workshop_id, Action.RUN_WORKSHOP)
        token, raw = repository.issue_token(
            session, workshop.case_id, "participant", workshop_id=workshop_id, label=body.label
        )
        out = LinkOut.of(token)
    url = str(request.url_for("participant_page", token=raw))
    created = LinkCreated(**out.model_dump(), url=url)
    return JSONResponse(created.model_dump(mode="json"), status_code=201)
