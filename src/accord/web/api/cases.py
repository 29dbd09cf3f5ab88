"""``/api/v1/cases``: a facilitator's cases, their stakeholder links and stored inputs."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response
from pydantic import TypeAdapter

from accord.errors import ConflictError, NotFoundError
from accord.io.case_file import parse_case
from accord.io.loader import parse_model, to_yaml_text
from accord.model.base import unknown_id
from accord.model.inputs import StakeholderInputs
from accord.store import members, repository, revisions
from accord.store.tables import Facilitator, LinkToken
from accord.web.access import Action, case_access, case_for
from accord.web.api.auth import Reader, Writer
from accord.web.api.bodies import body_doc, document
from accord.web.api.schemas import (
    CaseDetail,
    CasePage,
    CaseSummary,
    LinkCreated,
    LinkOut,
    NewStakeholderLink,
    RevisionOut,
)
from accord.web.deps import MAX_ID, Id, store_of

router = APIRouter(tags=["cases"])

CASE_FILE = {"$ref": "#/components/schemas/CaseFile"}
CASE_BODY = body_doc(CASE_FILE)
INPUTS_BODY = body_doc({"$ref": "#/components/schemas/CaseFile_StakeholderInputs"})
MAX_PAGE = 100
_INPUTS = TypeAdapter(dict[str, StakeholderInputs])


@router.get("/cases", response_model=CasePage, summary="List your cases and those shared with you")
def list_cases(
    request: Request,
    owner: Reader,
    after: Annotated[int, Query(ge=0, le=MAX_ID, description="Last id of the page before")] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE, description="Cases per page")] = 20,
) -> CasePage:
    """The cases you own or are an editor or viewer of, by id, ``limit`` at a time (each
    with your ``role``); ``next_after`` continues."""
    with store_of(request).session() as session:
        # One more than asked tells whether another page follows without a count query.
        records = members.page_visible_cases(session, owner.id, after, limit + 1)
        items = [CaseSummary.of(record, role) for record, role in records[:limit]]
    more = len(records) > limit
    return CasePage(items=items, next_after=items[-1].id if more and items else None)


def _detail(request: Request, owner: Facilitator, case_id: int) -> CaseDetail:
    with store_of(request).session() as session:
        found = case_access(session, owner, case_id, Action.READ)
        case = repository.case_with_inputs(session, found.record)
        given = list(repository.stored_inputs(session, case_id))
        summary = CaseSummary.of(found.record, found.role)
    return CaseDetail(
        **summary.model_dump(),
        stakeholders=case.stakeholder_ids,
        options=[option.id for option in case.options],
        inputs_given=given,
    )


@router.post(
    "/cases",
    status_code=201,
    response_model=CaseDetail,
    summary="Create a case from a case file (JSON or YAML)",
    openapi_extra=CASE_BODY,
)
async def create_case(request: Request, owner: Writer) -> Response:
    """The body is a case file; a case with the same id among yours answers 409 (update it
    with PUT instead). Nothing is stored when the file has a problem."""
    body, name = await document(request, "case")
    case_id = await run_in_threadpool(_create, request, owner, body, name)
    detail = await run_in_threadpool(_detail, request, owner, case_id)
    return JSONResponse(
        detail.model_dump(mode="json"),
        status_code=201,
        headers={"Location": f"/api/v1/cases/{case_id}"},
    )


def _create(request: Request, owner: Facilitator, body: bytes, name: str) -> int:
    case = parse_case(body, path=name)
    text = body.decode("utf-8")
    with store_of(request).session() as session:
        existing = repository.case_by_slug(session, owner.id, case.id)
        if existing is not None:
            raise ConflictError(
                f"id: you already have a case '{case.id}' (case {existing.id}): update it with "
                f"PUT /api/v1/cases/{existing.id}"
            )
        return repository.save_case(session, owner.id, text, name).id


@router.get("/cases/{case_id}", response_model=CaseDetail, summary="Read a case")
def read_case(request: Request, case_id: Id, owner: Reader) -> CaseDetail:
    return _detail(request, owner, case_id)


@router.put(
    "/cases/{case_id}",
    response_model=CaseDetail,
    summary="Save a new revision of a case's file (JSON or YAML)",
    openapi_extra=CASE_BODY,
)
async def update_case(request: Request, case_id: Id, owner: Writer) -> CaseDetail:
    """The new file becomes the case's next revision (by you, through the API, with a
    summary of what changed); it must still accept the inputs stored for the case, and may
    change the case's id only to one you do not use yet."""
    # Access first: another facilitator's case is 404 (a viewer's 403) whatever the body holds.
    await run_in_threadpool(_check, request, owner, case_id, Action.EDIT)
    body, name = await document(request, "case")
    await run_in_threadpool(_update, request, owner, case_id, body, name)
    return await run_in_threadpool(_detail, request, owner, case_id)


def _check(request: Request, owner: Facilitator, case_id: int, action: Action) -> None:
    with store_of(request).session() as session:
        case_for(session, owner, case_id, action)


def _update(request: Request, owner: Facilitator, case_id: int, body: bytes, name: str) -> None:
    parse_case(body, path=name)  # a located error for bytes that are not UTF-8 text, too
    with store_of(request).session() as session:
        case_for(session, owner, case_id, Action.EDIT)
        author = f"{owner.display_name} (API)"
        revisions.save_revision(session, case_id, body.decode("utf-8"), author, source_name=name)


@router.get(
    "/cases/{case_id}/revisions",
    response_model=list[RevisionOut],
    summary="The case's revisions, newest first",
)
def list_revisions(request: Request, case_id: Id, owner: Reader) -> list[RevisionOut]:
    with store_of(request).session() as session:
        case_for(session, owner, case_id, Action.READ)
        return [RevisionOut.of(r) for r in revisions.list_revisions(session, case_id)]


@router.get(
    "/cases/{case_id}/case.yaml",
    response_class=Response,
    summary="Export the case as YAML, with the inputs stored in the app",
    responses={
        200: {
            "content": {"application/yaml": {"schema": {"$ref": "#/components/schemas/CaseFile"}}}
        }
    },
)
def export_case(request: Request, case_id: Id, owner: Reader) -> Response:
    """A case file that ``POST /api/v1/cases`` (or ``accord analyze``) reads back."""
    with store_of(request).session() as session:
        record = case_for(session, owner, case_id, Action.READ)
        case = repository.case_with_inputs(session, record)
        slug = record.case_slug
    return Response(
        to_yaml_text(case),
        media_type="application/yaml",
        headers={"Content-Disposition": f'attachment; filename="{slug}.yaml"'},
    )


# --- stakeholder links -------------------------------------------------------------------


@router.get("/cases/{case_id}/links", response_model=list[LinkOut], summary="List links")
def list_links(request: Request, case_id: Id, owner: Reader) -> list[LinkOut]:
    """Every link of the case (stakeholder and workshop links, revoked ones too)."""
    with store_of(request).session() as session:
        record = case_for(session, owner, case_id, Action.READ)
        found = repository.list_tokens(session, record.owner_id, case_id)
        return [LinkOut.of(token) for token in found]


@router.post(
    "/cases/{case_id}/links",
    status_code=201,
    response_model=LinkCreated,
    summary="Create a stakeholder's input link",
)
def create_link(
    request: Request, case_id: Id, owner: Writer, body: NewStakeholderLink
) -> LinkCreated:
    """The link's URL is in this answer only: the app keeps only its hash."""
    with store_of(request).session() as session:
        case_for(session, owner, case_id, Action.EDIT)
        token, raw = repository.issue_token(
            session, case_id, "stakeholder", stakeholder_id=body.stakeholder_id, label=body.label
        )
        out = LinkOut.of(token)
    url = str(request.url_for("stakeholder_form", token=raw))
    return LinkCreated(**out.model_dump(), url=url)


@router.delete("/cases/{case_id}/links/{link_id}", response_model=LinkOut, summary="Revoke a link")
def revoke_link(request: Request, case_id: Id, link_id: Id, owner: Writer) -> LinkOut:
    """The link stops working at once; a workshop link's open streams end."""
    with store_of(request).session() as session:
        record = case_for(session, owner, case_id, Action.EDIT)
        token = session.get(LinkToken, link_id)
        if token is None or token.case_id != case_id:
            raise NotFoundError(f"there is no link {link_id} in case {case_id}")
        repository.revoke_token(session, record.owner_id, link_id)
        out = LinkOut.of(token)
    if out.workshop_id is not None:
        request.app.state.live.links_revoked(out.workshop_id)
    return out


# --- stakeholder inputs ------------------------------------------------------------------


@router.get(
    "/cases/{case_id}/inputs",
    response_model=dict[str, StakeholderInputs],
    summary="Inputs stored in the app, by stakeholder",
)
def list_inputs(request: Request, case_id: Id, owner: Reader) -> Response:
    with store_of(request).session() as session:
        case_for(session, owner, case_id, Action.READ)
        stored = repository.stored_inputs(session, case_id)
    return Response(_INPUTS.dump_json(stored, exclude_defaults=True), media_type="application/json")


@router.put(
    "/cases/{case_id}/inputs/{stakeholder_id}",
    response_model=StakeholderInputs,
    summary="Store a stakeholder's inputs (replacing earlier ones)",
    openapi_extra=INPUTS_BODY,
)
async def put_inputs(request: Request, case_id: Id, stakeholder_id: str, owner: Writer) -> Response:
    """Checked against the case (ids, ranges) before anything is stored."""
    await run_in_threadpool(_check, request, owner, case_id, Action.EDIT)
    body, name = await document(request, "inputs")
    inputs = parse_model(body, StakeholderInputs, path=name)
    await run_in_threadpool(_save_inputs, request, owner, case_id, stakeholder_id, inputs)
    return Response(inputs.model_dump_json(exclude_defaults=True), media_type="application/json")


def _save_inputs(
    request: Request,
    owner: Facilitator,
    case_id: int,
    stakeholder_id: str,
    inputs: StakeholderInputs,
) -> None:
    with store_of(request).session() as session:
        record = case_for(session, owner, case_id, Action.EDIT)
        known = parse_case(record.source_text, path=record.source_name).stakeholder_ids
        if stakeholder_id not in known:
            raise NotFoundError(
                f"stakeholder_id: {unknown_id(stakeholder_id, 'a stakeholder id', known)} "
                f"in case '{record.case_slug}'"
            )
        repository.save_inputs(session, case_id, stakeholder_id, inputs)
