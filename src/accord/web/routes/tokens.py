"""The facilitator's API tokens page: create (the token is shown once), list, revoke.

A new token is shown on the page the create form redirects to, carried there in a
short-lived cookie scoped to this page (never in a URL), like a new stakeholder link, so
reloading the page creates nothing.
"""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from accord.errors import AccordError, NotFoundError
from accord.store import tokens
from accord.store.tables import Facilitator, utc_now
from accord.web.app import page
from accord.web.deps import Id, SignedIn, require_csrf, session_csrf, store_of
from accord.web.shown_once import ShownOnce

router = APIRouter()

PAGE = "/settings/tokens"
NEW_TOKEN = ShownOnce("accord_new_api_token")


def _page(
    request: Request,
    owner: Facilitator,
    new_token: str | None = None,
    error: AccordError | None = None,
) -> Response:
    with store_of(request).session() as session:
        rows = tokens.list_api_tokens(session, owner.id)
        session.expunge_all()
    context = {
        "owner": owner,
        "tokens": rows,
        "now": utc_now(),
        "scopes": tokens.SCOPES,
        "csrf": session_csrf(request),
        "new_token": new_token,
        "error": error,
        "max_days": tokens.MAX_DAYS,
    }
    return page(request, "api_tokens.html", context, status_code=400 if error else 200)


@router.get(PAGE, response_class=HTMLResponse)
def token_page(request: Request, owner: SignedIn) -> Response:
    raw = NEW_TOKEN.sent(request)
    shown = raw if raw and raw.startswith(tokens.PREFIX) else None
    return NEW_TOKEN.forget(request, _page(request, owner, new_token=shown), path=PAGE)


@router.post(PAGE)
async def create_token(request: Request, owner: SignedIn) -> Response:
    form = await request.form()
    fields = {k: v for k, v in form.multi_items() if isinstance(v, str)}
    require_csrf(session_csrf(request), fields.get("csrf"))
    scopes = [v for v in form.getlist("scope") if isinstance(v, str)]
    days_text = fields.get("days", "").strip() or str(tokens.DEFAULT_DAYS)
    try:
        days = int(days_text) if days_text.isdigit() else -1
        with store_of(request).session() as session:
            _, raw = tokens.create_api_token(
                session, owner.id, fields.get("name", ""), scopes, days
            )
    except AccordError as error:
        return _page(request, owner, error=error)
    return NEW_TOKEN.redirect(request, PAGE, raw, path=PAGE)


@router.post(PAGE + "/{api_token_id}/revoke")
def revoke_token(
    request: Request, api_token_id: Id, owner: SignedIn, csrf: str = Form("")
) -> Response:
    require_csrf(session_csrf(request), csrf)
    with store_of(request).session() as session:
        if not tokens.revoke_api_token(session, owner.id, api_token_id):
            raise NotFoundError(f"there is no API token {api_token_id} among yours")
    return RedirectResponse(PAGE, status_code=303)
