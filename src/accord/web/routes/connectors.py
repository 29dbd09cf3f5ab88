"""A case's Connectors page: connect it to GitHub Issues, Jira or Linear, test the
connection, see each action's issue, the last sync and its errors; sync now; disconnect.

The token is sent once and stored encrypted; no page shows it back."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from accord.errors import AccordError, InputError
from accord.integrations.trackers import github
from accord.integrations.trackers.sync import SyncSettings, check_connection, issue_done
from accord.io.case_file import parse_case
from accord.store import trackers
from accord.store.tables import CaseRecord, Facilitator, TrackerConnector
from accord.store.webhooks import check_url
from accord.web.access import Action, case_for
from accord.web.app import page
from accord.web.deps import (
    Id,
    SignedIn,
    require_csrf,
    session_csrf,
    settings_of,
    store_of,
)
from accord.web.errors import HTTPError
from accord.web.routes.webhooks import _own_origins

router = APIRouter()

FIELDS = ("kind", "base_url", "repo", "site", "project", "email", "team", "record_target")


def _editable(s: Session, who: Facilitator, case_id: int) -> CaseRecord:
    """The case, if ``who`` may change it: a connector acts on the case's actions with a
    token, so it needs the edit role (as calendar feeds do), not only read access."""
    return case_for(s, who, case_id, Action.EDIT)


def _page(
    request: Request, owner: Facilitator, case_id: int, status_code: int = 200, **extra: Any
) -> Response:
    with store_of(request).session() as s:
        record = _editable(s, owner, case_id)
        connector = trackers.connector_of(s, case_id)
        linked = trackers.links(s, connector.id) if connector else []
        actions = parse_case(record.source_text, path=record.source_name).actions
        s.expunge_all()
    form = extra.pop("form", None)
    if form is None and connector is not None:
        form = {
            "kind": connector.kind,
            "base_url": connector.base_url,
            "record_target": connector.record_target,
            "email": connector.account,
            **connector.target,
        }
        if connector.kind == "jira":
            form["site"] = connector.base_url
    context = {
        "owner": owner,
        "record": record,
        "connector": connector,
        "links": {link.action_id: link for link in linked},
        "actions": actions,
        "kinds": trackers.KINDS,
        "form": form or {"kind": "github"},
        "csrf": session_csrf(request),
        **extra,
    }
    return page(request, "connectors.html", context, status_code=status_code)


def _sync_settings(request: Request) -> SyncSettings:
    settings = settings_of(request)
    return SyncSettings(
        server_key=settings.secret_key,
        public_url=settings.public_url,
        allow_private=settings.webhook_allow_private,
    )


@router.get("/cases/{case_id}/connectors", response_class=HTMLResponse)
def connectors_page(request: Request, case_id: Id, owner: SignedIn) -> Response:
    return _page(request, owner, case_id)


@router.post("/cases/{case_id}/connectors")
async def save_connector(request: Request, case_id: Id, owner: SignedIn) -> Response:
    sent = await request.form()
    require_csrf(session_csrf(request), str(sent.get("csrf", "")))
    values = {name: str(sent.get(name, "")) for name in FIELDS}
    form = trackers.ConnectorForm(**values, token=str(sent.get("token", "")))
    try:
        with store_of(request).session() as s:
            _editable(s, owner, case_id)
            base_url, *_ = trackers.checked_settings(form)
            checked = check_url(
                base_url,
                own_origins=_own_origins(request),
                allow_private=settings_of(request).webhook_allow_private,
            )
            saved = trackers.save_connector(
                s, settings_of(request).secret_key, case_id, form, checked
            )
            # New settings may be what the failed actions needed: try them again.
            trackers.retry_failed(s, saved.id)
    except AccordError as error:
        if error.http_status != 400:
            raise
        # The token is never sent back into the form, even when the rest is.
        return _page(request, owner, case_id, 400, error=error, form=values)
    request.app.state.trackers.wake()
    return RedirectResponse(f"/cases/{case_id}/connectors", status_code=303)


@router.post("/cases/{case_id}/connectors/test")
def test_connector(
    request: Request, case_id: Id, owner: SignedIn, csrf: str = Form("")
) -> Response:
    """Ask the tracker who the token is and whether the target exists; the answer is kept
    on the connector and shown on the page."""
    require_csrf(session_csrf(request), csrf)
    with store_of(request).session() as s:
        _editable(s, owner, case_id)
        trackers.own_connector(s, case_id)
    check_connection(store_of(request), case_id, _sync_settings(request))
    return RedirectResponse(f"/cases/{case_id}/connectors", status_code=303)


@router.post("/cases/{case_id}/connectors/sync")
def sync_connector_now(
    request: Request, case_id: Id, owner: SignedIn, csrf: str = Form("")
) -> Response:
    """Sync soon, and try again the actions whose issue could not be made."""
    require_csrf(session_csrf(request), csrf)
    with store_of(request).session() as s:
        _editable(s, owner, case_id)
        trackers.retry_failed(s, trackers.own_connector(s, case_id).id)
    request.app.state.trackers.wake()
    return RedirectResponse(f"/cases/{case_id}/connectors", status_code=303)


@router.post("/cases/{case_id}/connectors/delete")
def delete_connector(
    request: Request, case_id: Id, owner: SignedIn, csrf: str = Form("")
) -> Response:
    """Disconnect: accord forgets the token and the issue links (the issues stay).  Sent
    again (a reload, or a co-facilitator disconnected it first) it changes nothing."""
    require_csrf(session_csrf(request), csrf)
    with store_of(request).session() as s:
        _editable(s, owner, case_id)
        connector = trackers.connector_of(s, case_id)
        if connector is not None:
            trackers.delete_connector(s, connector)
    return RedirectResponse(f"/cases/{case_id}/connectors", status_code=303)


@router.post("/cases/{case_id}/connectors/github-secret", response_class=HTMLResponse)
def reveal_github_secret(
    request: Request, case_id: Id, owner: SignedIn, csrf: str = Form("")
) -> Response:
    """The secret for the repository's webhook (a POST, so it never sits in a URL or cache)."""
    require_csrf(session_csrf(request), csrf)
    with store_of(request).session() as s:
        _editable(s, owner, case_id)
        connector = trackers.own_connector(s, case_id)
        if connector.kind != "github":
            raise InputError("only a GitHub connector receives GitHub's webhook")
        secret = github.hook_secret(settings_of(request).secret_key, connector.salt)
        hook_id = connector.id
    hook_url = str(request.url_for("github_hook", connector_id=hook_id))
    return _page(request, owner, case_id, hook_secret=secret, hook_url=hook_url)


@router.post("/hooks/github/{connector_id}", name="github_hook", status_code=204)
async def github_hook(request: Request, connector_id: Id) -> Response:
    """GitHub's ``issues`` webhook: a closed issue marks its action done at once (the poll
    would later).  Unsigned, wrongly signed or unknown: 401, the same for each, so the
    answer says nothing about which connectors exist."""
    body = await request.body()
    header = request.headers.get(github.HOOK_SIGNATURE_HEADER, "")
    event = request.headers.get(github.HOOK_EVENT_HEADER, "")
    key = settings_of(request).secret_key
    with store_of(request).session() as s:
        connector = s.get(TrackerConnector, connector_id)
        secret = github.hook_secret(key, connector.salt) if connector else None
        if connector is None or connector.kind != "github" or secret is None:
            raise _unsigned()
        if not github.hook_signed(secret, header, body):
            raise _unsigned()
        try:
            payload = json.loads(body)
        except ValueError:
            raise InputError("the webhook's body is not JSON") from None
        number = github.closed_issue(event, payload, str(connector.target.get("repo", "")))
        if number is not None:
            issue_done(s, connector, str(number))
    return Response(status_code=204)


def _unsigned() -> HTTPError:
    return HTTPError(
        401, "the X-Hub-Signature-256 signature does not match this connector's webhook secret"
    )
