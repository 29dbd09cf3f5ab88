"""A case's cadence as a calendar people subscribe to: reviews, checkpoints, assumption
checks and open actions' due dates, at a tokenised URL a calendar app polls.

The feed URL carries an observer link token (read-only, one case): anyone holding it reads
the case's dates and titles, nothing else, so the owner can revoke it and make another.
The feed is rebuilt from the current revision on every fetch (RFC 5545; the same UIDs each
time, so calendar apps update events rather than duplicate them).
"""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from accord.errors import NotFoundError
from accord.report.calendar import to_ics
from accord.store import repository
from accord.store.tables import CaseRecord, LinkToken
from accord.web.access import Action, case_for
from accord.web.app import page
from accord.web.deps import Id, SignedIn, require_csrf, session_csrf, store_of
from accord.web.shown_once import ShownOnce

router = APIRouter()

FEED_ROLE = "observer"
FEED_LABEL = "calendar feed"
NEW_FEED = ShownOnce("accord_new_feed")


def _feeds(tokens: list[LinkToken]) -> list[LinkToken]:
    return [t for t in tokens if t.role == FEED_ROLE and t.workshop_id is None]


@router.get("/cases/{case_id}/calendar", response_class=HTMLResponse)
def calendar_page(request: Request, case_id: Id, owner: SignedIn) -> Response:
    raw = NEW_FEED.sent(request)
    with store_of(request).session() as s:
        record = case_for(s, owner, case_id, Action.EDIT)
        feeds = _feeds(repository.list_tokens(s, record.owner_id, case_id))
        new_url = None
        if raw:
            token = repository.resolve_token(s, raw)
            if token is not None and token.case_id == case_id and token.role == FEED_ROLE:
                new_url = str(request.url_for("calendar_feed", token=raw))
        s.expunge_all()
    context = {
        "owner": owner,
        "record": record,
        "feeds": feeds,
        "new_url": new_url,
        "csrf": session_csrf(request),
    }
    response = page(request, "calendar.html", context)
    return NEW_FEED.forget(request, response, path=f"/cases/{case_id}/calendar")


@router.post("/cases/{case_id}/calendar")
def create_feed(request: Request, case_id: Id, owner: SignedIn, csrf: str = Form("")) -> Response:
    """A new feed URL, shown once on the page it redirects to (a reload makes no other)."""
    require_csrf(session_csrf(request), csrf)
    with store_of(request).session() as s:
        case_for(s, owner, case_id, Action.EDIT)
        _, raw = repository.issue_token(s, case_id, FEED_ROLE, label=FEED_LABEL)
    where = f"/cases/{case_id}/calendar"
    return NEW_FEED.redirect(request, where, raw, path=where)


@router.post("/cases/{case_id}/calendar/{feed_id}/revoke")
def revoke_feed(
    request: Request, case_id: Id, feed_id: Id, owner: SignedIn, csrf: str = Form("")
) -> Response:
    require_csrf(session_csrf(request), csrf)
    with store_of(request).session() as s:
        record = case_for(s, owner, case_id, Action.EDIT)
        token = s.get(LinkToken, feed_id)
        if token is None or token.case_id != case_id or token.role != FEED_ROLE:
            raise NotFoundError(f"there is no calendar feed {feed_id} for this case")
        repository.revoke_token(s, record.owner_id, feed_id)
    return RedirectResponse(f"/cases/{case_id}/calendar", status_code=303)


@router.get("/cal/{token}.ics", name="calendar_feed")
def calendar_feed(request: Request, token: str) -> Response:
    """The feed itself: 404 for any token that is not a live feed (calendar apps show that
    as "not found", and it says nothing about which tokens exist)."""
    with store_of(request).session() as s:
        found = repository.resolve_token(s, token)
        if found is None or found.role != FEED_ROLE or found.workshop_id is not None:
            raise NotFoundError("there is no calendar here (the link may have been revoked)")
        record = s.get(CaseRecord, found.case_id)
        if record is None:
            raise NotFoundError("this calendar's case was deleted")
        case = repository.case_with_inputs(s, record)
    return Response(
        to_ics(case),
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": f'inline; filename="{case.id}.ics"'},
    )
