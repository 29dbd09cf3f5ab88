"""A facilitator's cases: list, upload, dashboard, full report, link tokens."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from accord.analysis.sections import Analysis
from accord.errors import AccordError, InputError, NotFoundError
from accord.model.case import Case
from accord.store import repository
from accord.store.tables import Facilitator, LinkToken, Workshop
from accord.web import dashboard
from accord.web.analysis_cache import AnalysisCache, revision_key
from accord.web.app import page
from accord.web.deps import (
    Id,
    SignedIn,
    own_case,
    require_csrf,
    session_csrf,
    settings_of,
    store_of,
)
from accord.web.settings import MAX_CASE_BYTES

router = APIRouter()


def _analysis(request: Request, owner: Facilitator, case_id: int) -> tuple[Any, Any, Any]:
    """The case record, the case with stored inputs, and its (cached) analysis."""
    with store_of(request).session() as session:
        record = own_case(session, owner, case_id)
        case = repository.case_with_inputs(session, record)
        web_inputs = repository.input_times(session, case_id)
        tokens = [
            t for t in repository.list_tokens(session, owner.id, case_id) if t.workshop_id is None
        ]
        workshops = session.query(Workshop).filter_by(case_id=case_id).order_by(Workshop.id).all()
        session.expunge_all()
    cache: AnalysisCache[Case, Analysis] = request.app.state.analysis_cache
    return record, (case, web_inputs, tokens, workshops), cache.get(revision_key(case), case)


@router.get("/", response_class=HTMLResponse)
def case_list(request: Request, owner: SignedIn) -> Response:
    with store_of(request).session() as session:
        cases = repository.list_cases(session, owner.id)
        analysed = [(r.id, r.updated_at, repository.case_with_inputs(session, r)) for r in cases]
        session.expunge_all()
    cache: AnalysisCache[Case, Analysis] = request.app.state.analysis_cache
    rows = [dashboard.case_row(i, at, cache.get(revision_key(c), c)) for i, at, c in analysed]
    return page(
        request,
        "cases.html",
        {"owner": owner, "cases": cases, "rows": rows, "csrf": session_csrf(request)},
    )


@router.post("/cases")
def upload_case(
    request: Request,
    owner: SignedIn,
    csrf: str = Form(""),
    source: str = Form(""),
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    require_csrf(session_csrf(request), csrf)
    name = "pasted case"
    if file is not None and file.filename:
        data = file.file.read(MAX_CASE_BYTES + 1)
        if len(data) > MAX_CASE_BYTES:
            raise InputError(f"{file.filename}: the file is over 5 MB; a case file is text")
        try:
            source = data.decode("utf-8")
        except UnicodeDecodeError:
            raise InputError(f"{file.filename}: the file is not UTF-8 text") from None
        name = file.filename
    if not source.strip():
        raise InputError("choose a case file (YAML or JSON) or paste one")
    try:
        with store_of(request).session() as session:
            record = repository.save_case(session, owner.id, source, name)
            case_id = record.id
    except AccordError as error:
        with store_of(request).session() as session:
            cases = repository.list_cases(session, owner.id)
            session.expunge_all()
        context = {
            "owner": owner,
            "cases": cases,
            "csrf": session_csrf(request),
            "error": error,
            "source": source,
        }
        return page(request, "cases.html", context, status_code=400)
    return RedirectResponse(f"/cases/{case_id}", status_code=303)


NEW_LINK_COOKIE = "accord_new_link"
NEW_LINK_SECONDS = 300


@router.get("/cases/{case_id}", response_class=HTMLResponse)
def case_dashboard(request: Request, case_id: Id, owner: SignedIn) -> Response:
    raw = request.cookies.get(NEW_LINK_COOKIE)
    link = None
    if raw:
        with store_of(request).session() as session:
            token = repository.resolve_token(session, raw)
            if token is not None and token.case_id == case_id and token.stakeholder_id:
                url = str(request.url_for("stakeholder_form", token=raw))
                link = (token.stakeholder_id, url)
    response = _dashboard_page(request, owner, case_id, new_link=link)
    if raw:
        response.delete_cookie(NEW_LINK_COOKIE, path=f"/cases/{case_id}")
    return response


def _dashboard_page(
    request: Request, owner: Facilitator, case_id: int, new_link: tuple[str, str] | None = None
) -> Response:
    record, (case, web_inputs, tokens, workshops), analysis = _analysis(request, owner, case_id)
    context = {
        "owner": owner,
        "record": record,
        "view": dashboard.build(case, analysis, web_inputs, new_link),
        "tokens": tokens,
        "workshops": workshops,
        "stakeholders": case.stakeholders,
        # The links table names whom each link is for, as the stakeholder list does.
        "link_names": {s.id: s.name for s in case.stakeholders},
        "csrf": session_csrf(request),
        "new_link": new_link[1] if new_link else None,
    }
    return page(request, "case.html", context)


@router.get("/cases/{case_id}/analysis.json")
def case_analysis(request: Request, case_id: Id, owner: SignedIn) -> Response:
    return JSONResponse(_analysis(request, owner, case_id)[2].to_dict())


@router.get("/cases/{case_id}/report", response_class=HTMLResponse)
def case_report(request: Request, case_id: Id, owner: SignedIn) -> Response:
    from accord.report import render

    html = render(_analysis(request, owner, case_id)[2], "html")
    return HTMLResponse(str(html))


@router.post("/cases/{case_id}/tokens")
def issue_link(
    request: Request,
    case_id: Id,
    owner: SignedIn,
    csrf: str = Form(""),
    stakeholder_id: str = Form(""),
    label: str = Form(""),
) -> Response:
    require_csrf(session_csrf(request), csrf)
    with store_of(request).session() as session:
        own_case(session, owner, case_id)
        _, raw = repository.issue_token(
            session, case_id, "stakeholder", stakeholder_id=stakeholder_id, label=label
        )
    # Redirect after POST, so a reload creates no second link. The raw token is shown once,
    # on the next dashboard view: it travels in a short-lived cookie scoped to this case's
    # pages (never in a URL, which would land in logs and history); only its hash is stored.
    response = RedirectResponse(f"/cases/{case_id}", status_code=303)
    response.set_cookie(
        NEW_LINK_COOKIE,
        raw,
        max_age=NEW_LINK_SECONDS,
        path=f"/cases/{case_id}",
        httponly=True,
        samesite="strict",
        secure=settings_of(request).secure_cookies,
    )
    return response


@router.post("/cases/{case_id}/tokens/{token_id}/revoke")
def revoke_link(
    request: Request,
    case_id: Id,
    token_id: Id,
    owner: SignedIn,
    csrf: str = Form(""),
) -> Response:
    require_csrf(session_csrf(request), csrf)
    with store_of(request).session() as session:
        if not repository.revoke_token(session, owner.id, token_id):
            raise NotFoundError(f"there is no link {token_id} among your cases' links")
        token = session.get(LinkToken, token_id)
        workshop_id = token.workshop_id if token is not None else None
    if workshop_id is not None:
        # Wake the workshop's streams (after the commit): a revoked participant's open
        # stream sees the revoke now instead of at its next keep-alive.
        request.app.state.live.broker.notify(workshop_id)
    return RedirectResponse(f"/cases/{case_id}", status_code=303)
