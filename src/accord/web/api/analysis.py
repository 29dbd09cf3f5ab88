"""``/api/v1/cases/{id}/analysis``, reports, decisions and actions: all read one cached
:class:`Analysis` of the case with its stored inputs (the dashboard's cache), never
compute their own numbers.

The analysis and reports carry a strong ETag (SHA-256 of the body): a client that sends it
back in ``If-None-Match`` gets 304 without the body while the case and inputs are unchanged.
"""

from __future__ import annotations

import hashlib
import json
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response

from accord.analysis.jsonable import to_jsonable
from accord.analysis.sections import Analysis
from accord.analysis.sections.records import ActionItem, DecisionRecord
from accord.store.tables import Facilitator
from accord.web.access import Action, case_for
from accord.web.analysis_cache import revision_key
from accord.web.analysis_jobs import AnalysisBusy, AnalysisJobs, Progress
from accord.web.api.auth import Reader
from accord.web.api.schemas import ErrorEnvelope
from accord.web.deps import Id, settings_of, store_of
from accord.web.routes.cases import POLL_SECONDS, parsed_case

router = APIRouter(tags=["analysis"])

ReportFormat = Literal["html", "md", "pdf"]
REPORT_TYPES: dict[str, str] = {
    "html": "text/html; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
    "pdf": "application/pdf",
}
ANALYSIS_RESPONSES: dict[int | str, dict[str, Any]] = {
    202: {
        "description": "A large case is still being analysed: its progress; ask again "
        "after Retry-After seconds.",
        "content": {"application/json": {"schema": {"type": "object"}}},
    },
    304: {"description": "Unchanged since the ETag sent in If-None-Match."},
    503: {
        "model": ErrorEnvelope,
        "description": "Every analysis worker is busy: ask again after Retry-After seconds.",
    },
}


class Computing(Exception):
    """A large case is still being analysed in the background: answer 202 with progress."""

    def __init__(self, progress: Progress) -> None:
        super().__init__("computing")
        self.progress = progress


def case_analysis(request: Request, owner: Facilitator, case_id: int) -> Analysis:
    """The analysis of the owner's case ``case_id`` with its stored inputs: the dashboard's
    parsed case and background jobs, so both share one analysis per case revision."""
    with store_of(request).session() as session:
        record = case_for(session, owner, case_id, Action.READ)
        case = parsed_case(request, session, record)
    jobs: AnalysisJobs = request.app.state.analysis_jobs
    found = jobs.analysis(revision_key(case), case, settings_of(request).analysis_wait_seconds)
    if isinstance(found, Progress):
        raise Computing(found)
    return found


def computing(request: Request, error: Exception) -> Response:
    """202 with the job's progress; the client asks again after Retry-After."""
    assert isinstance(error, Computing)
    headers = {"Retry-After": str(POLL_SECONDS)}
    return JSONResponse(error.progress.to_dict(), status_code=202, headers=headers)


def busy(request: Request, error: Exception) -> Response:
    from accord.web.errors import answer

    assert isinstance(error, AnalysisBusy)
    return answer(request, error, {"Retry-After": str(error.retry_after)})


def etag_of(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:40] + '"'


def matches(request: Request, etag: str) -> bool:
    """Whether ``If-None-Match`` names ``etag`` (RFC 9110 section 13.1.2: weak comparison)."""
    sent = request.headers.get("if-none-match", "")
    if sent.strip() == "*":
        return True
    return any(tag.strip().removeprefix("W/") == etag for tag in sent.split(","))


def tagged(request: Request, body: bytes, media_type: str) -> Response:
    """``body`` with its ETag, or 304 when the client already has it."""
    etag = etag_of(body)
    # Caches may keep it but must ask again each time (the app's default is no-store).
    headers = {"ETag": etag, "Cache-Control": "private, no-cache"}
    if matches(request, etag):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=media_type, headers=headers)


@router.get(
    "/cases/{case_id}/analysis",
    response_model=Analysis,
    summary="The case's analysis",
    responses=ANALYSIS_RESPONSES,
)
async def analysis(request: Request, case_id: Id, owner: Reader) -> Response:
    """Alignment, cruxes, compromise, governance ... as ``accord analyze --json`` gives them
    (the schema is ``accord schema --kind analysis``)."""
    result = await run_in_threadpool(case_analysis, request, owner, case_id)
    body = json.dumps(result.to_dict(), ensure_ascii=False, separators=(",", ":")).encode()
    return tagged(request, body, "application/json")


@router.get(
    "/cases/{case_id}/report",
    response_class=Response,
    summary="The one-page report (HTML, Markdown or PDF)",
    responses={
        200: {
            "content": {
                media.partition(";")[0]: {"schema": {"type": "string"}}
                for media in REPORT_TYPES.values()
            }
        },
        **ANALYSIS_RESPONSES,
    },
)
async def report(
    request: Request,
    case_id: Id,
    owner: Reader,
    format: Annotated[
        ReportFormat, Query(description="html, md, or pdf (needs accord[pdf])")
    ] = "html",
) -> Response:
    from accord.report import render

    result = await run_in_threadpool(case_analysis, request, owner, case_id)
    rendered = await run_in_threadpool(render, result, format)
    body = rendered.encode("utf-8") if isinstance(rendered, str) else rendered
    return tagged(request, body, REPORT_TYPES[format])


@router.get(
    "/cases/{case_id}/decisions",
    response_model=list[DecisionRecord],
    summary="The case's decision log",
)
def decisions(request: Request, case_id: Id, owner: Reader) -> Response:
    records = to_jsonable(case_analysis(request, owner, case_id).decisions)
    return Response(json.dumps(records, ensure_ascii=False), media_type="application/json")


@router.get(
    "/cases/{case_id}/actions",
    response_model=list[ActionItem],
    summary="The case's action register (with what is overdue)",
)
def actions(request: Request, case_id: Id, owner: Reader) -> Response:
    items = to_jsonable(case_analysis(request, owner, case_id).actions)
    return Response(json.dumps(items, ensure_ascii=False), media_type="application/json")
