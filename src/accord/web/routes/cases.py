"""A facilitator's cases: list, upload, dashboard, full report, link tokens."""

from __future__ import annotations

import contextlib
import datetime as dt
import time
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from accord.analysis.sections import Analysis
from accord.errors import AccordError, InputError, NotFoundError
from accord.model.case import Case
from accord.store import members, repository
from accord.store.members import Role
from accord.store.tables import CaseRecord, Facilitator, LinkToken, Workshop
from accord.web import dashboard, errors
from accord.web.access import Action, case_access, case_for
from accord.web.analysis_cache import AnalysisCache, revision_key, source_key
from accord.web.analysis_jobs import AnalysisBusy, AnalysisJobs, Progress, case_size
from accord.web.app import page
from accord.web.deps import (
    Id,
    SignedIn,
    require_csrf,
    session_csrf,
    settings_of,
    store_of,
)
from accord.web.settings import MAX_CASE_BYTES
from accord.web.shown_once import ShownOnce

router = APIRouter()

#: Seconds between the "computing…" page's progress polls (and its Retry-After).
POLL_SECONDS = 2


@dataclass(frozen=True)
class _Loaded:
    """A case as the dashboard needs it, read in one database session."""

    record: CaseRecord
    case: Case
    web_inputs: dict[str, dt.datetime]  # stakeholder id -> when they gave inputs by link
    tokens: list[LinkToken]
    workshops: list[Workshop]
    role: Role  # the viewer's role on the case
    can: dict[str, bool]  # what that role allows (forms are shown by it)


def _load(request: Request, owner: Facilitator, case_id: int) -> _Loaded:
    """The case (for anyone who may read it) with stored inputs, its stakeholder links
    and workshops."""
    with store_of(request).session() as session:
        found = case_access(session, owner, case_id, Action.READ)
        record = found.record
        case = parsed_case(request, session, record)
        web_inputs = repository.input_times(session, case_id)
        tokens = [
            t
            for t in repository.list_tokens(session, record.owner_id, case_id)
            if t.workshop_id is None and t.role == "stakeholder"
        ]
        workshops = session.query(Workshop).filter_by(case_id=case_id).order_by(Workshop.id).all()
        session.expunge_all()
    return _Loaded(record, case, web_inputs, tokens, workshops, found.role, found.can)


def parsed_case(request: Request, session: Session, record: CaseRecord) -> Case:
    """``repository.case_with_inputs``, parsed once per file and inputs (per process)."""
    cache: AnalysisCache[Any, Case] = request.app.state.case_cache
    key = source_key(
        record.source_name, record.source_text, repository.stored_inputs(session, record.id)
    )
    case = cache.peek(key)
    if case is None:
        case = repository.case_with_inputs(session, record)
        cache.put(key, case)
    return case


def _jobs(request: Request) -> AnalysisJobs:
    jobs: AnalysisJobs = request.app.state.analysis_jobs
    return jobs


def _wait(request: Request, wait: bool) -> float:
    return settings_of(request).analysis_wait_seconds if wait else 0.0


def _analysis(request: Request, case: Case, wait: bool = True) -> Analysis | Progress:
    """The case's analysis from the cache, else from a background job: done within the
    wait (a small case), or its progress (a large one, still computing)."""
    return _jobs(request).analysis(revision_key(case), case, _wait(request, wait))


def _report(request: Request, case: Case, wait: bool = True) -> str | Progress:
    """The case's HTML report, rendered by a background job after its analysis."""
    analysis = _analysis(request, case, wait)
    if isinstance(analysis, Progress):
        return analysis
    return _jobs(request).report(
        revision_key(case), analysis, case_size(case), _wait(request, wait)
    )


def _busy(request: Request, error: AnalysisBusy) -> Response:
    return errors.answer(request, error, {"Retry-After": str(error.retry_after)})


def _computing(
    request: Request, owner: Facilitator, record: CaseRecord, progress: Progress, view: str
) -> Response:
    """The "computing…" page (202): it polls the job's progress and reloads when done."""
    context = {
        "owner": owner,
        "csrf": session_csrf(request),
        "record": record,
        "progress": progress,
        "view": view,
        "poll": f"/cases/{record.id}/analysis/progress?view={view}",
        "retry_after": POLL_SECONDS,
    }
    response = page(request, "computing.html", context, status_code=202)
    response.headers["Retry-After"] = str(POLL_SECONDS)
    return response


@router.get("/", response_class=HTMLResponse)
def case_list(request: Request, owner: SignedIn) -> Response:
    with store_of(request).session() as session:
        cases = repository.list_cases(session, owner.id)
        shared = members.shared_cases(session, owner.id)
        analysed = [
            (r.id, r.updated_at, parsed_case(request, session, r))
            for r in [*cases, *(record for record, _ in shared)]
        ]
        session.expunge_all()
    rows = _case_rows(request, analysed)
    context = {
        "owner": owner,
        "cases": cases,
        "rows": rows[: len(cases)],
        # Cases others own that this facilitator is an editor or viewer of, with the role.
        "shared": list(zip(rows[len(cases) :], (role for _, role in shared), strict=True)),
        "csrf": session_csrf(request),
    }
    return page(request, "cases.html", context)


def _case_rows(
    request: Request, analysed: list[tuple[int, dt.datetime, Case]]
) -> list[dashboard.CaseRow]:
    """One row per case; a case whose analysis is not ready within the one wait (all cases
    are asked first, so their jobs overlap the wait) says "computing…" instead of numbers."""
    jobs = _jobs(request)
    found: list[Analysis | Progress | None] = []
    for _, _, case in analysed:
        try:
            found.append(jobs.analysis(revision_key(case), case, 0.0))
        except AnalysisBusy:
            found.append(None)  # the worker is full: this list does not add to it
    deadline = time.monotonic() + _wait(request, True)
    for i, (_, _, case) in enumerate(analysed):
        if isinstance(found[i], Progress):
            left = max(0.0, deadline - time.monotonic())
            with contextlib.suppress(AnalysisBusy):
                found[i] = jobs.analysis(revision_key(case), case, left)
    rows = []
    for (case_id, updated_at, case), analysis in zip(analysed, found, strict=True):
        if analysis is None or isinstance(analysis, Progress):
            rows.append(
                dashboard.CaseRow(
                    case_id,
                    case.title,
                    "computing…",
                    False,
                    None,
                    None,
                    "computing…",
                    [],
                    updated_at,
                )
            )
        else:
            rows.append(dashboard.case_row(case_id, updated_at, analysis))
    return rows


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


NEW_LINK = ShownOnce("accord_new_link")


@router.get("/cases/{case_id}", response_class=HTMLResponse)
def case_dashboard(request: Request, case_id: Id, owner: SignedIn) -> Response:
    raw = NEW_LINK.sent(request)
    link = None
    if raw:
        with store_of(request).session() as session:
            token = repository.resolve_token(session, raw)
            if token is not None and token.case_id == case_id and token.stakeholder_id:
                url = str(request.url_for("stakeholder_form", token=raw))
                link = (token.stakeholder_id, url)
    response = _dashboard_page(request, owner, case_id, new_link=link)
    return NEW_LINK.forget(request, response, path=f"/cases/{case_id}")


def _dashboard_page(
    request: Request, owner: Facilitator, case_id: int, new_link: tuple[str, str] | None = None
) -> Response:
    loaded = _load(request, owner, case_id)
    try:
        analysis = _analysis(request, loaded.case)
    except AnalysisBusy as busy:
        return _busy(request, busy)
    if isinstance(analysis, Progress):
        return _computing(request, owner, loaded.record, analysis, "dashboard")
    case = loaded.case
    context = {
        "owner": owner,
        "record": loaded.record,
        "view": dashboard.build(case, analysis, loaded.web_inputs, new_link),
        "tokens": loaded.tokens,
        "workshops": loaded.workshops,
        "stakeholders": case.stakeholders,
        # The links table names whom each link is for, as the stakeholder list does.
        "link_names": {s.id: s.name for s in case.stakeholders},
        "csrf": session_csrf(request),
        "new_link": new_link[1] if new_link else None,
        "role": loaded.role,
        "can": loaded.can,
    }
    return page(request, "case.html", context)


@router.get("/cases/{case_id}/analysis.json")
def case_analysis(request: Request, case_id: Id, owner: SignedIn) -> Response:
    loaded = _load(request, owner, case_id)
    try:
        analysis = _analysis(request, loaded.case)
    except AnalysisBusy as busy:
        return _busy(request, busy)
    if isinstance(analysis, Progress):
        headers = {"Retry-After": str(POLL_SECONDS)}
        return JSONResponse(analysis.to_dict(), status_code=202, headers=headers)
    return JSONResponse(analysis.to_dict())


@router.get("/cases/{case_id}/report", response_class=HTMLResponse)
def case_report(request: Request, case_id: Id, owner: SignedIn) -> Response:
    loaded = _load(request, owner, case_id)
    try:
        report = _report(request, loaded.case)
    except AnalysisBusy as busy:
        return _busy(request, busy)
    if isinstance(report, Progress):
        return _computing(request, owner, loaded.record, report, "report")
    return HTMLResponse(report)


@router.get("/cases/{case_id}/analysis/progress", response_class=HTMLResponse)
def analysis_progress(
    request: Request, case_id: Id, owner: SignedIn, view: str = "dashboard"
) -> Response:
    """What the "computing…" page polls: the job's progress, or a reload once it is done.

    Asking keeps the job alive; when every page that asked is closed, the polls stop and
    the job is cancelled (``Settings.analysis_abandon_seconds``).
    """
    loaded = _load(request, owner, case_id)
    try:
        done = (
            _report(request, loaded.case, wait=False)
            if view == "report"
            else (_analysis(request, loaded.case, wait=False))
        )
    except AnalysisBusy as busy:
        return _busy(request, busy)
    context = {"record": loaded.record, "view": view, "retry_after": POLL_SECONDS}
    if isinstance(done, Progress):
        context |= {"progress": done, "poll": str(request.url)}
        return page(request, "_progress.html", context)
    # Done: htmx reloads the page, which is now served from the cache.
    response = page(request, "_progress.html", {**context, "progress": None})
    response.headers["HX-Refresh"] = "true"
    return response


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
        case_for(session, owner, case_id, Action.EDIT)
        _, raw = repository.issue_token(
            session, case_id, "stakeholder", stakeholder_id=stakeholder_id, label=label
        )
    # Shown once, on the next dashboard view (accord.web.shown_once).
    where = f"/cases/{case_id}"
    return NEW_LINK.redirect(request, where, raw, path=where)


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
        record = case_for(session, owner, case_id, Action.EDIT)
        token = session.get(LinkToken, token_id)
        if token is None or token.case_id != case_id:
            raise NotFoundError(f"there is no link {token_id} among this case's links")
        repository.revoke_token(session, record.owner_id, token_id)
        workshop_id = token.workshop_id
    if workshop_id is not None:
        # Wake the workshop's streams (after the commit): a revoked participant's open
        # stream sees the revoke now instead of at its next keep-alive.
        request.app.state.live.links_revoked(workshop_id)
    return RedirectResponse(f"/cases/{case_id}", status_code=303)
