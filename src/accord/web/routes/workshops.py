"""Live workshops: the facilitator's console, participants' links, commands, live streams.

Both roles post commands to the same rules (``accord.workshop``) and read the same kind of
stream: Server-Sent Events whose ``id`` is the event-log sequence number, each carrying the
viewer's own rendering of the board.  A reconnecting browser sends ``Last-Event-ID`` and
receives the board only if the log moved on.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import os
import random
from collections.abc import AsyncIterator
from dataclasses import dataclass

import sqlalchemy as sa
from fastapi import APIRouter, Form, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse
from sqlalchemy.exc import DBAPIError

from accord import workshop as rules
from accord.errors import ConflictError, ForbiddenError, NotFoundError
from accord.io.case_file import parse_case
from accord.store import repository
from accord.store.tables import CaseRecord, Facilitator, LinkToken, WorkshopParticipant
from accord.web import live as clock
from accord.web.access import Action, case_for, workshop_for
from accord.web.app import page
from accord.web.boards import BoardRenderer, StreamMemory
from accord.web.commands import command_key, payload_from_form
from accord.web.deps import (
    Id,
    SignedIn,
    require_csrf,
    session_csrf,
    store_of,
    token_csrf,
)
from accord.web.live import REFRESH_SECONDS, LiveWorkshops
from accord.web.outcome import close_workshop
from accord.web.shown_once import ShownOnce
from accord.web.writer import Overloaded
from accord.workshop.outcome import matched_options
from accord.workshop.views import audience_of

router = APIRouter()
log = logging.getLogger("accord.web.workshops")

NEW_LINK = ShownOnce("accord_new_workshop_link")

KEEPALIVE_SECONDS = 15.0
#: How often a stream re-reads the log while Redis is configured but unreachable.
POLL_SECONDS = 1.0
#: How long one stream lasts before the browser is made to reconnect (rebalancing).
STREAM_SECONDS = 600.0
#: At most one board per stream in this interval: a burst of events (a room of people
#: adding ideas at once) becomes a few renders per viewer, each showing the latest state.
MIN_BOARD_INTERVAL = 0.5


@dataclass(frozen=True)
class Seat:
    """Who is looking at a workshop: its id, the rules' actor id, how they post back."""

    workshop_id: int
    actor: str
    base: str  # URL prefix for this viewer's commands and stream
    csrf: str
    token_id: int | None = None  # a participant's link; None for the facilitator


def live_of(request: Request) -> LiveWorkshops:
    live: LiveWorkshops = request.app.state.live
    return live


# --- facilitator -----------------------------------------------------------------------


@router.post("/cases/{case_id}/workshops")
def create_workshop(
    request: Request,
    case_id: Id,
    owner: SignedIn,
    csrf: str = Form(""),
    title: str = Form(""),
) -> Response:
    require_csrf(session_csrf(request), csrf)
    with store_of(request).session() as session:
        case_for(session, owner, case_id, Action.RUN_WORKSHOP)
        workshop_id = repository.create_workshop(session, case_id, title).id
    return RedirectResponse(f"/workshops/{workshop_id}", status_code=303)


def _facilitator_seat(request: Request, owner: Facilitator, workshop_id: int) -> Seat:
    with store_of(request).session() as session:
        workshop_for(session, owner, workshop_id, Action.RUN_WORKSHOP)
    return Seat(workshop_id, rules.FACILITATOR, f"/workshops/{workshop_id}", session_csrf(request))


@router.get("/workshops/{workshop_id}", response_class=HTMLResponse)
def console(request: Request, workshop_id: Id, owner: SignedIn) -> Response:
    seat = _facilitator_seat(request, owner, workshop_id)
    response = _live_page(request, seat, owner=owner, new_link=_new_link(request, workshop_id))
    return NEW_LINK.forget(request, response, path=f"/workshops/{workshop_id}")


@router.post("/workshops/{workshop_id}/links")
def invite(
    request: Request,
    workshop_id: Id,
    owner: SignedIn,
    csrf: str = Form(""),
    label: str = Form(""),
) -> Response:
    require_csrf(session_csrf(request), csrf)
    with store_of(request).session() as session:
        workshop = workshop_for(session, owner, workshop_id, Action.RUN_WORKSHOP)
        _, raw = repository.issue_token(
            session, workshop.case_id, "participant", workshop_id=workshop_id, label=label
        )
    # Shown once, on the next console view (accord.web.shown_once).
    where = f"/workshops/{workshop_id}"
    return NEW_LINK.redirect(request, where, raw, path=where)


def _new_link(request: Request, workshop_id: int) -> str | None:
    """The participant link created just before this view (see :func:`invite`), if any."""
    raw = NEW_LINK.sent(request)
    if not raw:
        return None
    with store_of(request).session() as session:
        token = repository.resolve_token(session, raw)
        if token is None or token.workshop_id != workshop_id:
            return None
    return str(request.url_for("participant_page", token=raw))


@router.post("/workshops/{workshop_id}/links/{token_id}/revoke")
def revoke_participant_link(
    request: Request, workshop_id: Id, token_id: Id, owner: SignedIn, csrf: str = Form("")
) -> Response:
    """Revoke a link of this workshop's case from the console (the console lists the
    workshop's participant links; the case's own are the owner's to revoke here too)."""
    require_csrf(session_csrf(request), csrf)
    with store_of(request).session() as session:
        workshop = workshop_for(session, owner, workshop_id, Action.RUN_WORKSHOP)
        record = case_for(session, owner, workshop.case_id, Action.RUN_WORKSHOP)
        token = session.get(LinkToken, token_id)
        if token is None or token.case_id != workshop.case_id:
            raise NotFoundError(f"there is no link {token_id} among this workshop's links")
        repository.revoke_token(session, record.owner_id, token_id)
        woken = token.workshop_id
    if woken is not None:
        # After the commit: the revoked participant's open stream checks its link, ends now.
        live_of(request).links_revoked(woken)
    return RedirectResponse(f"/workshops/{workshop_id}#links", status_code=303)


@router.get("/workshops/{workshop_id}/close", response_class=HTMLResponse)
def confirm_close(request: Request, workshop_id: Id, owner: SignedIn) -> Response:
    """The step before closing: what is still undecided, and the button that closes."""
    seat = _facilitator_seat(request, owner, workshop_id)
    state = live_of(request).current(workshop_id)
    undecided = [
        {"item": index, "question": item.question, "status": item.status}
        for index, item in enumerate(state.agenda)
        if item.status != "decided"
    ]
    open_parked = [p for p in state.parking_lot.values() if p.outcome is None]
    with store_of(request).session() as session:
        found = workshop_for(session, owner, workshop_id, Action.RUN_WORKSHOP)
        record = session.get(CaseRecord, found.case_id)
        assert record is not None  # a workshop's case is deleted with it
        case = parse_case(record.source_text, path=record.source_name)
    # Each decision is matched to an option of the case by id on this page: preselected
    # when its words name exactly one option, changeable by the facilitator.
    decisions = [
        {
            "item": item,
            "decision": record_.decision,
            "matched": matched_options(case, record_.decision),
        }
        for item, record_ in sorted(state.decisions.items())
    ]
    context = {
        "owner": owner,
        "seat": seat,
        "csrf": seat.csrf,
        "title": state.title,
        "closed": state.closed,
        "undecided": undecided,
        "decided": len(state.decisions),
        "open_parked": len(open_parked),
        "decisions": decisions,
        "options": [(o.id, o.name) for o in case.options],
        "review_after": rules.REVIEW_AFTER_DAYS,
    }
    return page(request, "close.html", context)


@router.post("/workshops/{workshop_id}/commands")
async def facilitator_command(request: Request, workshop_id: Id, owner: SignedIn) -> Response:
    seat = await run_in_threadpool(_facilitator_seat, request, owner, workshop_id)
    return await _command(request, seat)


@router.get("/workshops/{workshop_id}/events")
async def facilitator_stream(request: Request, workshop_id: Id, owner: SignedIn) -> Response:
    seat = await run_in_threadpool(_facilitator_seat, request, owner, workshop_id)
    return _stream_response(request, seat)


# --- participants ------------------------------------------------------------------------


def _token(request: Request, raw: str) -> LinkToken:
    with store_of(request).session() as session:
        token = repository.resolve_token(session, raw)
        if token is None or token.workshop_id is None or token.role != "participant":
            raise ForbiddenError(
                "this link is not valid any more: ask the facilitator for a new one"
            )
        session.expunge(token)
    return token


def _participant_seat(request: Request, raw: str) -> Seat | None:
    token = _token(request, raw)
    assert token.workshop_id is not None
    with store_of(request).session() as session:
        joined = (
            session.query(WorkshopParticipant)
            .filter_by(workshop_id=token.workshop_id, token_id=token.id)
            .one_or_none()
        )
    if joined is None:
        return None
    return Seat(token.workshop_id, f"p{joined.id}", f"/w/{raw}", token_csrf(request, raw), token.id)


@router.get("/w/{token}", response_class=HTMLResponse, name="participant_page")
def participant_page(request: Request, token: str) -> Response:
    seat = _participant_seat(request, token)
    if seat is None:
        context = {"csrf": token_csrf(request, token), "action": f"/w/{token}/join"}
        return page(request, "join.html", context)
    return _live_page(request, seat)


@router.post("/w/{token}/join")
def join(request: Request, token: str, csrf: str = Form(""), name: str = Form("")) -> Response:
    require_csrf(token_csrf(request, token), csrf)
    link = _token(request, token)
    assert link.workshop_id is not None
    try:
        live_of(request).join(link.workshop_id, link.id, name)
    except rules.WorkshopRuleError as refused:
        context = {"csrf": token_csrf(request, token), "action": f"/w/{token}/join"}
        return page(request, "join.html", {**context, "error": refused}, refused.http_status)
    return RedirectResponse(f"/w/{token}", status_code=303)


@router.post("/w/{token}/commands")
async def participant_command(request: Request, token: str) -> Response:
    seat = await _cached_seat(request, token)
    if seat is None:
        raise ForbiddenError("join the workshop first (open your invitation link)")
    return await _command(request, seat)


async def _cached_seat(request: Request, raw: str) -> Seat | None:
    """The participant's seat, from the seat cache when this link was seen before: a
    command costs no database read for who is sending it (the writer checks the link)."""
    seats = live_of(request).seats
    found = seats.get(raw)
    if found is not None:
        workshop_id, token_id, actor = found
        return Seat(workshop_id, actor, f"/w/{raw}", token_csrf(request, raw), token_id)
    seat = await run_in_threadpool(_participant_seat, request, raw)
    if seat is not None and seat.token_id is not None:
        seats.put(raw, seat.workshop_id, seat.token_id, seat.actor)
    return seat


@router.get("/w/{token}/events")
async def participant_stream(request: Request, token: str) -> Response:
    seat = await run_in_threadpool(_participant_seat, request, token)
    if seat is None:
        raise ForbiddenError("join the workshop first (open your invitation link)")
    return _stream_response(request, seat)


# --- shared ------------------------------------------------------------------------------


def _live_page(
    request: Request, seat: Seat, owner: Facilitator | None = None, new_link: str | None = None
) -> Response:
    state = end_due_timer(request, seat.workshop_id, live_of(request).current(seat.workshop_id))
    context = {
        "owner": owner,
        "seat": seat,
        "csrf": seat.csrf,
        "board": board_html(request, seat, state),
        "title": state.title,
        "new_link": new_link,
        "last_seq": state.last_seq,
        "links": _workshop_links(request, seat.workshop_id) if owner else [],
    }
    return page(request, "workshop.html", context)


def _workshop_links(request: Request, workshop_id: int) -> list[dict[str, object]]:
    """This workshop's participant links, oldest first: label, who joined with it, revoked."""
    with store_of(request).session() as session:
        rows = session.execute(
            sa.select(LinkToken, WorkshopParticipant.id, WorkshopParticipant.display_name)
            .outerjoin(
                WorkshopParticipant,
                sa.and_(
                    WorkshopParticipant.token_id == LinkToken.id,
                    WorkshopParticipant.workshop_id == workshop_id,
                ),
            )
            .where(LinkToken.workshop_id == workshop_id, LinkToken.role == "participant")
            .order_by(LinkToken.created_at, LinkToken.id)
        ).all()
        return [
            {
                "id": token.id,
                "label": token.label,
                "created_at": token.created_at,
                "revoked": token.revoked_at is not None,
                "participant": f"p{seat}" if seat is not None else None,
                "joined_as": name,
            }
            for token, seat, name in rows
        ]


def _timers_tried(request: Request) -> set[tuple[int, dt.datetime]]:
    tried: set[tuple[int, dt.datetime]] | None = getattr(request.app.state, "timers_tried", None)
    if tried is None or len(tried) > 10_000:  # one entry per timer: cleared now and then
        tried = request.app.state.timers_tried = set()
    return tried


def end_due_timer(
    request: Request, workshop_id: int, state: rules.WorkshopState
) -> rules.WorkshopState:
    """Store ``timer_expired`` when the running timer's deadline passed; the state after.

    The deadline lives in the event log, so a timer that ran out while the server was down
    ends at the first page, command or stream after the restart.  Each process tries once
    per deadline (every open stream notices the same moment); the rules, judged under the
    workshop's lock, let only the first try across processes through.
    """
    if not rules.timer_due(state, clock.utc_now()) or state.timer is None:
        return state
    key = (workshop_id, state.timer.ends_at)
    tried = _timers_tried(request)
    if key in tried:
        return state
    tried.add(key)
    live = live_of(request)
    try:
        return live.command(workshop_id, rules.SERVER, "timer_expired", {})
    except rules.WorkshopRuleError:  # another process (or a stop, an extension) came first
        return live.current(workshop_id)
    except Exception:
        tried.discard(key)  # a failed write: the next look tries again
        raise


def _until_deadline(state: rules.WorkshopState) -> float:
    """Seconds a quiet stream may wait before it has to look at the timer again."""
    if state.timer is None:
        return KEEPALIVE_SECONDS
    left = (state.timer.ends_at - clock.utc_now()).total_seconds()
    return min(KEEPALIVE_SECONDS, max(0.05, left))


def board_html(request: Request, seat: Seat, state: rules.WorkshopState) -> str:
    """The viewer's board: what :func:`accord.workshop.view_for` lets them see."""
    return boards_of(request).html(seat.workshop_id, seat, state)


def boards_of(request: Request) -> BoardRenderer:
    boards: BoardRenderer = request.app.state.boards
    return boards


async def _command(request: Request, seat: Seat) -> Response:
    form = await request.form()
    fields = {k: v for k, v in form.multi_items() if isinstance(v, str)}
    lists = {"ideas": [v for v in form.getlist("ideas") if isinstance(v, str)]}
    require_csrf(seat.csrf, fields.get("csrf"))
    live = live_of(request)
    try:
        state = await live.state(seat.workshop_id)
        # A command that arrives after the deadline is judged in the phase the timer moved
        # to (checked here first: most commands find no timer due and need no thread).
        if rules.timer_due(state, clock.utc_now()):
            state = await run_in_threadpool(end_due_timer, request, seat.workshop_id, state)
        key = command_key(fields)
        kind, payload = payload_from_form(state, fields, lists)
        if kind == "workshop_closed":
            # The loop closed: the close and the case revision with its decisions, actions
            # and parked issues commit in one transaction (accord.web.outcome).
            chosen = _chosen_options(fields)
            await run_in_threadpool(
                close_workshop, live, seat.workshop_id, seat.actor, key, None, chosen
            )
        else:
            await live.submit(seat.workshop_id, seat.actor, kind, payload, key, seat.token_id)
    except (rules.WorkshopRuleError, ConflictError) as refused:
        return Response(str(refused), status_code=409, media_type="text/plain")
    except Overloaded as busy:
        return _try_again(str(busy), busy.retry_after)
    except DBAPIError as error:
        # The database went away mid-batch: nothing of it was stored or acknowledged, so a
        # retry with the same key is safe; the pool reconnects on the next checkout.
        log.warning("workshop %s: command not stored: %s", seat.workshop_id, error.orig)
        return _try_again("the database is not answering: send it again in a moment", 2)
    if request.headers.get("hx-request"):
        return Response(status_code=204)
    return RedirectResponse(seat.base, 303)


def _chosen_options(fields: dict[str, str]) -> dict[int, list[str]]:
    """The close page's ``option.<item>`` fields: the option id picked per decided item
    (blank: match the decision by its words)."""
    chosen: dict[int, list[str]] = {}
    for name, value in fields.items():
        if not name.startswith("option.") or not value.strip():
            continue
        item = name.removeprefix("option.")
        if not item.isdigit():
            raise rules.WorkshopRuleError(f"{name}: '{item}' is not an agenda item number")
        chosen[int(item)] = [value.strip()]
    return chosen


def _try_again(message: str, seconds: int) -> Response:
    headers = {"Retry-After": str(seconds)}
    return Response(message, status_code=503, media_type="text/plain", headers=headers)


def _stream_response(request: Request, seat: Seat) -> Response:
    # X-Accord-Worker names the process serving the stream (operators, and the multi-worker
    # test that proves a change made in one process wakes streams in another).
    headers = {
        "Cache-Control": "no-store",
        "X-Accel-Buffering": "no",
        "X-Accord-Worker": str(os.getpid()),
    }
    return StreamingResponse(
        _stream(request, seat), media_type="text/event-stream", headers=headers
    )


async def _stream(request: Request, seat: Seat) -> AsyncIterator[str | bytes]:
    live = live_of(request)
    boards = boards_of(request)
    audience = audience_of(seat.actor)
    memory = StreamMemory()
    loop = asyncio.get_running_loop()
    sent = request.headers.get("last-event-id", "")
    last = int(sent) if sent.isdigit() else -1
    yield "retry: 2000\n\n"
    # Streams end after a while (the browser reconnects at once with Last-Event-ID), so
    # after a worker restarts its share of streams spreads over the workers again.
    ends = loop.time() + STREAM_SECONDS * random.uniform(0.75, 1.0)
    # After a wait that timed out nothing announced a change, so the caches may be up to
    # REFRESH_SECONDS old: then read what is at most POLL_SECONDS old (shared by streams).
    max_age = REFRESH_SECONDS
    # No request.is_disconnected() poll per loop: a gone client makes the next write fail,
    # which ends this generator (Starlette cancels it, or the send raises).
    while loop.time() < ends:
        generation = live.broker.generation(seat.workshop_id)
        state = await live.state(seat.workshop_id, max_age=max_age)
        # The link is checked again on every wake-up, not only when the stream opened: a
        # revoked participant must not see what others add afterwards.  One read of the
        # workshop's revoked links per wake-up serves every stream in this process.
        if seat.token_id is not None and seat.token_id in await live.revoked(
            seat.workshop_id, max_age=max_age
        ):
            return
        max_age = REFRESH_SECONDS
        if state.last_seq != last:
            # Only what changed for this viewer (boards.py); the id alone when nothing
            # they see did, so Last-Event-ID still says how far the browser is.
            shared = await boards.shared(seat.workshop_id, state, audience)
            changes = await boards.update(shared, seat, state, memory)
            if changes:
                yield b"id: %d\nevent: board\n%s\n" % (state.last_seq, changes)
            else:
                yield b"id: %d\n\n" % state.last_seq
            last = state.last_seq
            # At most one board per interval: a burst of events becomes a few renders.
            await asyncio.sleep(MIN_BOARD_INTERVAL)
            continue
        # The stream is also the timer's watch: it wakes at the deadline and ends the
        # phase (the new event then wakes every stream with the next board).
        due = rules.timer_due(state, clock.utc_now())
        if due:
            await run_in_threadpool(end_due_timer, request, seat.workshop_id, state)
        wait = KEEPALIVE_SECONDS if due else _until_deadline(state)
        # Without a live Redis subscription other workers' changes are not announced:
        # poll the log every POLL_SECONDS instead of waiting for the keep-alive.
        if live.broker.degraded:
            wait = min(wait, POLL_SECONDS)
        if not await live.broker.wait(seat.workshop_id, wait, since=generation):
            max_age = POLL_SECONDS
            if wait < KEEPALIVE_SECONDS:
                continue  # woke for the deadline or to poll, not for a keep-alive
            yield ": keep-alive\n\n"
