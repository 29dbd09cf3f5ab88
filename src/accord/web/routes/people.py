"""A case's people: who has access and with which role; its owner adds, re-roles and
removes co-facilitators and may hand the case over.

Everyone with access sees the list; only the owner changes it (:mod:`accord.web.access`).
Every change redirects back to the page, so a reload sends nothing twice.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from accord.errors import AccordError, ConflictError, InputError
from accord.store import members
from accord.store.tables import Facilitator
from accord.web.access import Action, case_access, case_for
from accord.web.app import page
from accord.web.deps import MAX_ID, Id, SignedIn, require_csrf, session_csrf, store_of
from accord.web.errors import status_of

router = APIRouter()


def _page(
    request: Request,
    who: Facilitator,
    case_id: int,
    *,
    error: AccordError | None = None,
    typed: dict[str, str] | None = None,
) -> Response:
    with store_of(request).session() as s:
        found = case_access(s, who, case_id, Action.READ)
        listed = members.people(s, found.record)
        s.expunge(found.record)
    context = {
        "owner": who,
        "csrf": session_csrf(request),
        "record": found.record,
        "role": found.role,
        "can": found.can,
        "people": listed,
        "roles": members.MEMBER_ROLE_CHOICES,
        "error": error,
        "typed": typed or {},
    }
    return page(request, "people.html", context, status_code=status_of(error) if error else 200)


def _back(case_id: int) -> Response:
    return RedirectResponse(f"/cases/{case_id}/people", status_code=303)


@router.get("/cases/{case_id}/people", response_class=HTMLResponse)
def people_page(request: Request, case_id: Id, who: SignedIn) -> Response:
    return _page(request, who, case_id)


@router.post("/cases/{case_id}/people")
def add_person(
    request: Request,
    case_id: Id,
    who: SignedIn,
    csrf: str = Form(""),
    email: str = Form(""),
    role: str = Form(""),
) -> Response:
    require_csrf(session_csrf(request), csrf)
    try:
        with store_of(request).session() as s:
            record = case_for(s, who, case_id, Action.MANAGE_PEOPLE)
            members.add_member(s, record, email, members.member_role(role))
    except (InputError, ConflictError) as error:
        # Typed values stay in the form, next to what to fix; nothing was stored.
        return _page(request, who, case_id, error=error, typed={"email": email, "role": role})
    return _back(case_id)


@router.post("/cases/{case_id}/people/{member_id}/role")
def change_role(
    request: Request,
    case_id: Id,
    member_id: Id,
    who: SignedIn,
    csrf: str = Form(""),
    role: str = Form(""),
) -> Response:
    require_csrf(session_csrf(request), csrf)
    try:
        with store_of(request).session() as s:
            record = case_for(s, who, case_id, Action.MANAGE_PEOPLE)
            members.set_role(s, record, member_id, members.member_role(role))
    except InputError as error:
        return _page(request, who, case_id, error=error)
    return _back(case_id)


@router.post("/cases/{case_id}/people/{member_id}/remove")
def remove_person(
    request: Request, case_id: Id, member_id: Id, who: SignedIn, csrf: str = Form("")
) -> Response:
    """Their access ends at once: every request checks the role anew."""
    require_csrf(session_csrf(request), csrf)
    with store_of(request).session() as s:
        record = case_for(s, who, case_id, Action.MANAGE_PEOPLE)
        members.remove_member(s, record, member_id)
    return _back(case_id)


@router.post("/cases/{case_id}/people/transfer")
def transfer(
    request: Request,
    case_id: Id,
    who: SignedIn,
    csrf: str = Form(""),
    member_id: Annotated[int, Form(ge=1, le=MAX_ID)] = 0,
    confirm: str = Form(""),
) -> Response:
    """Make a member the owner; the confirmation is the case's id, typed."""
    require_csrf(session_csrf(request), csrf)
    try:
        with store_of(request).session() as s:
            record = case_for(s, who, case_id, Action.TRANSFER)
            if confirm.strip() != record.case_slug:
                raise InputError(
                    f"confirm: type the case's id '{record.case_slug}' to hand it over "
                    f"(got {confirm.strip()[:40]!r}); nothing changed"
                )
            members.transfer_ownership(s, record, member_id)
    except (InputError, ConflictError) as error:
        return _page(request, who, case_id, error=error)
    return _back(case_id)


__all__ = ["router"]
