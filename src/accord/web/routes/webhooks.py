"""A facilitator's webhooks: subscribe a URL to events, see its delivery log, rotate its
secret, send a test event, send a delivery again."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from accord.errors import AccordError, NotFoundError
from accord.integrations.chat import FORMATS
from accord.integrations.events import EVENTS, TEST_EVENT
from accord.integrations.signing import DEFAULT_TOLERANCE
from accord.store import webhooks as outbox
from accord.store.tables import Facilitator, WebhookDelivery
from accord.web.app import page
from accord.web.deps import Id, SignedIn, require_csrf, session_csrf, settings_of, store_of

router = APIRouter()


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.hostname}:{parts.port or (443 if parts.scheme == 'https' else 80)}"


def _own_origins(request: Request) -> list[str]:
    """host:port of this server as the request reached it and as it is published."""
    public = settings_of(request).public_url
    return [_origin(str(request.base_url)), *([_origin(public)] if public else [])]


def _list_page(
    request: Request, owner: Facilitator, status_code: int = 200, **extra: Any
) -> Response:
    with store_of(request).session() as s:
        hooks = outbox.subscriptions(s, owner.id)
        s.expunge_all()
    context = {
        "owner": owner,
        "csrf": session_csrf(request),
        "hooks": hooks,
        "events": EVENTS,
        "formats": FORMATS,
        "chosen": extra.pop("chosen", list(EVENTS)),
        **extra,
    }
    return page(request, "webhooks.html", context, status_code=status_code)


@router.get("/webhooks", response_class=HTMLResponse)
def webhook_list(request: Request, owner: SignedIn) -> Response:
    return _list_page(request, owner)


@router.post("/webhooks")
async def create_webhook(request: Request, owner: SignedIn) -> Response:
    form = await request.form()
    require_csrf(session_csrf(request), str(form.get("csrf", "")))
    url = str(form.get("url", ""))
    description = str(form.get("description", ""))
    chosen = [str(e) for e in form.getlist("events")]
    kind = str(form.get("format", "accord"))
    try:
        checked = outbox.check_url(
            url,
            own_origins=_own_origins(request),
            allow_private=settings_of(request).webhook_allow_private,
        )
        with store_of(request).session() as s:
            hook = outbox.create_subscription(s, owner.id, checked, chosen, description, kind)
            hook_id = hook.id
    except AccordError as error:
        return _list_page(
            request,
            owner,
            400,
            error=error,
            url=url,
            description=description,
            chosen=chosen,
            format=kind,
        )
    return RedirectResponse(f"/webhooks/{hook_id}", status_code=303)


def _detail(request: Request, owner: Facilitator, webhook_id: int, **extra: Any) -> Response:
    with store_of(request).session() as s:
        hook = outbox.own_subscription(s, owner.id, webhook_id)
        log = outbox.deliveries(s, hook.id)
        s.expunge_all()
    context = {
        "owner": owner,
        "csrf": session_csrf(request),
        "hook": hook,
        "log": log,
        "events": EVENTS,
        "formats": FORMATS,
        "tolerance": DEFAULT_TOLERANCE,
        **extra,
    }
    return page(request, "webhook.html", context)


@router.get("/webhooks/{webhook_id}", response_class=HTMLResponse)
def webhook_detail(request: Request, webhook_id: Id, owner: SignedIn) -> Response:
    return _detail(request, owner, webhook_id)


@router.post("/webhooks/{webhook_id}/secret", response_class=HTMLResponse)
def reveal_secret(
    request: Request, webhook_id: Id, owner: SignedIn, csrf: str = Form("")
) -> Response:
    """Show the signing secret (a POST, so it never sits in a URL, a history or a cache)."""
    require_csrf(session_csrf(request), csrf)
    with store_of(request).session() as s:
        hook = outbox.own_subscription(s, owner.id, webhook_id)
        secret = outbox.signing_secret(settings_of(request).secret_key, hook.salt)
    return _detail(request, owner, webhook_id, secret=secret)


@router.post("/webhooks/{webhook_id}/rotate")
def rotate_webhook_secret(
    request: Request, webhook_id: Id, owner: SignedIn, csrf: str = Form("")
) -> Response:
    require_csrf(session_csrf(request), csrf)
    with store_of(request).session() as s:
        hook = outbox.own_subscription(s, owner.id, webhook_id)
        outbox.rotate_secret(s, hook)
        secret = outbox.signing_secret(settings_of(request).secret_key, hook.salt)
    return _detail(request, owner, webhook_id, secret=secret, rotated=True)


@router.post("/webhooks/{webhook_id}/test")
def send_test_event(
    request: Request, webhook_id: Id, owner: SignedIn, csrf: str = Form("")
) -> Response:
    require_csrf(session_csrf(request), csrf)
    with store_of(request).session() as s:
        hook = outbox.own_subscription(s, owner.id, webhook_id)
        outbox.emit(s, owner.id, TEST_EVENT, {"message": "a test delivery"}, only=hook.id)
    request.app.state.webhooks.wake()
    return RedirectResponse(f"/webhooks/{webhook_id}", status_code=303)


@router.post("/webhooks/{webhook_id}/deliveries/{row_id}/again")
def deliver_again(
    request: Request, webhook_id: Id, row_id: Id, owner: SignedIn, csrf: str = Form("")
) -> Response:
    require_csrf(session_csrf(request), csrf)
    with store_of(request).session() as s:
        hook = outbox.own_subscription(s, owner.id, webhook_id)
        row = s.get(WebhookDelivery, row_id)
        if row is None or row.webhook_id != hook.id:
            raise NotFoundError(f"there is no delivery {row_id} in this webhook's log")
        outbox.redeliver(s, row)
    request.app.state.webhooks.wake()
    return RedirectResponse(f"/webhooks/{webhook_id}", status_code=303)


@router.post("/webhooks/{webhook_id}/delete")
def delete_webhook(
    request: Request, webhook_id: Id, owner: SignedIn, csrf: str = Form("")
) -> Response:
    require_csrf(session_csrf(request), csrf)
    with store_of(request).session() as s:
        outbox.delete_subscription(s, outbox.own_subscription(s, owner.id, webhook_id))
    return RedirectResponse("/webhooks", status_code=303)
