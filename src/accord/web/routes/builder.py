"""The case builder: a case from a template, every part edited in forms, its history.

Pages: ``/cases/new`` (pick a template), ``/cases/{id}/build/{section}`` (one form per part
of the case), ``/cases/{id}/history`` and ``/cases/{id}/diff`` (revisions), and the YAML
downloads.  A save builds the whole case document, checks it with the CLI's loader and
stores it as one new revision in one transaction; problems re-render the form as typed,
each message next to its field.
"""

from __future__ import annotations

import json
import re
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from accord.errors import InputError, NotFoundError
from accord.io.case_file import parse_case
from accord.io.case_templates import Template, case_templates, get_template
from accord.io.loader import read_data
from accord.model.base import SLUG_PATTERN
from accord.store import repository, revisions
from accord.store.tables import CaseRecord, Facilitator
from accord.web import case_form
from accord.web.access import Action, case_access, case_for
from accord.web.app import page
from accord.web.case_form import SECTION_BY_SLUG, SECTIONS, Context, Located, Section
from accord.web.deps import Id, SignedIn, require_csrf, session_csrf, store_of

router = APIRouter()

# A builder form has a few fields per entry; a 300-option case has thousands of them.
MAX_FORM_FIELDS = 50_000
MAX_SLUG = 100


def _author(owner: Facilitator) -> str:
    return owner.display_name or owner.email


# --- a new case from a template ---------------------------------------------------------


@router.get("/cases/new", response_class=HTMLResponse)
def new_case_form(request: Request, owner: SignedIn) -> Response:
    return _new_page(request, owner, {})


def _new_page(
    request: Request,
    owner: Facilitator,
    typed: dict[str, str],
    errors: dict[str, list[str]] | None = None,
    status_code: int = 200,
) -> Response:
    templates = case_templates()
    context = {
        "owner": owner,
        "csrf": session_csrf(request),
        "templates": templates,
        "typed": {"template": templates[0].name if templates else "", **typed},
        "errors": errors or {},
    }
    return page(request, "builder_new.html", context, status_code=status_code)


@router.post("/cases/new")
def create_case(
    request: Request,
    owner: SignedIn,
    csrf: str = Form(""),
    template: str = Form(""),
    title: str = Form(""),
    case_id: str = Form(""),
) -> Response:
    require_csrf(session_csrf(request), csrf)
    typed = {"template": template, "title": title, "case_id": case_id}
    try:
        chosen = get_template(template)
        if chosen.kind != "case":
            raise InputError(f"template '{template}' is a {chosen.kind} file, not a case")
    except InputError as error:
        return _new_page(request, owner, typed, {"template": [error.message]}, 400)
    slug_given = case_id.strip()
    if slug_given and not re.fullmatch(SLUG_PATTERN, slug_given):
        message = (
            "expected an id (lowercase letters, digits, '-' or '_', starting with a letter or "
            f"digit), got {slug_given[:40]!r}"
        )
        return _new_page(request, owner, typed, {"case_id": [message]}, 400)
    with store_of(request).session() as session:
        taken = {c.case_slug for c in repository.list_cases(session, owner.id)}
        if slug_given and slug_given in taken:
            message = f"you already have a case with id '{slug_given}' (choose another id)"
            return _new_page(request, owner, typed, {"case_id": [message]}, 400)
        text, slug = _from_template(chosen, title.strip(), slug_given, taken)
        record = repository.save_case(
            session,
            owner.id,
            text,
            f"{slug}.yaml",
            author=_author(owner),
            summary=f"created from template '{chosen.name}'",
        )
        new_id = record.id
    return RedirectResponse(f"/cases/{new_id}/build/case", status_code=303)


def _from_template(template: Template, title: str, slug: str, taken: set[str]) -> tuple[str, str]:
    """The template's text with the new title and a case id the owner does not use yet.

    Only the ``id:`` and ``title:`` lines change, so the template's comments (which explain
    each part) stay in the case file.
    """
    text = template.text()
    data = read_data(text, path=template.path.name)
    slug = slug or _slug(title) or str(data["id"])
    base, n = slug, 2
    while slug in taken:
        suffix = f"-{n}"
        slug, n = base[: MAX_SLUG - len(suffix)] + suffix, n + 1
    # A JSON string is a valid YAML double-quoted scalar: any title is written safely.
    text = re.sub(r"(?m)^id:.*$", lambda _: f"id: {slug}", text, count=1)
    if title:
        text = re.sub(r"(?m)^title:.*$", lambda _: f"title: {json.dumps(title)}", text, count=1)
    return text, slug


def _slug(title: str) -> str:
    words = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
    return words[:MAX_SLUG].strip("-")


# --- the section forms ------------------------------------------------------------------


@router.get("/cases/{case_id}/build")
def builder_start(request: Request, case_id: Id, owner: SignedIn) -> Response:
    with store_of(request).session() as session:
        case_for(session, owner, case_id, Action.EDIT)
    return RedirectResponse(f"/cases/{case_id}/build/{SECTIONS[0].slug}", status_code=303)


def _section(slug: str) -> Section:
    found = SECTION_BY_SLUG.get(slug)
    if found is None:
        known = ", ".join(s.slug for s in SECTIONS)
        raise NotFoundError(f"the case builder has no part '{slug[:40]}' (parts: {known})")
    return found


def _current(request: Request, owner: Facilitator, case_id: int) -> tuple[CaseRecord, Any]:
    with store_of(request).session() as session:
        record = case_for(session, owner, case_id, Action.EDIT)
        session.expunge(record)
    return record, parse_case(record.source_text, path=record.source_name)


@router.get("/cases/{case_id}/build/{section}", response_class=HTMLResponse)
def builder_section(
    request: Request,
    case_id: Id,
    section: str,
    owner: SignedIn,
    saved: Annotated[int | None, Query(ge=1)] = None,
) -> Response:
    part = _section(section)
    record, case = _current(request, owner, case_id)
    raw = case_form.raw_from_case(case, part.keys)
    notice = f"Saved as revision {saved}." if saved else None
    return _builder_page(request, owner, record, case, part, raw, notice=notice)


@router.post("/cases/{case_id}/build/{section}")
async def builder_post(request: Request, case_id: Id, section: str, owner: SignedIn) -> Response:
    part = _section(section)
    form = await request.form(max_fields=MAX_FORM_FIELDS)
    fields = [(k, v) for k, v in form.multi_items() if isinstance(v, str)]
    sent = dict(fields)
    require_csrf(session_csrf(request), sent.get("csrf"))
    return await run_in_threadpool(
        _builder_submit, request, owner, case_id, part, fields, sent.get("action", "save")
    )


def _builder_submit(
    request: Request,
    owner: Facilitator,
    case_id: int,
    part: Section,
    fields: list[tuple[str, str]],
    action: str,
) -> Response:
    record, case = _current(request, owner, case_id)
    raw = case_form.raw_from_form(fields, part.keys)
    if action != "save":
        # Add or remove an entry: the form comes back with the change, nothing is stored.
        focus = case_form.change_entries(raw, action)
        notice = "Not saved yet: press Save to keep your changes."
        return _builder_page(
            request, owner, record, case, part, raw, notice=notice, focus=focus, notice_unsaved=True
        )
    built = case_form.build_case(case, part, raw)
    problems = built.problems
    if built.text is not None:
        try:
            with store_of(request).session() as session:
                case_for(session, owner, case_id, Action.EDIT)
                saved = revisions.save_revision(
                    session, case_id, built.text, _author(owner), source_name=record.source_name
                )
        except InputError as error:
            problems = case_form.located(error.problems) or [Located("", error.message)]
        else:
            url = f"/cases/{case_id}/build/{part.slug}?saved={saved.number}"
            return RedirectResponse(url, status_code=303)
    return _builder_page(request, owner, record, case, part, raw, problems=problems, status=400)


def _builder_page(
    request: Request,
    owner: Facilitator,
    record: CaseRecord,
    case: Any,
    part: Section,
    raw: dict[str, Any],
    *,
    problems: list[Located] | None = None,
    notice: str | None = None,
    focus: tuple[str | int, ...] | None = None,
    status: int = 200,
    notice_unsaved: bool = False,
) -> Response:
    widgets = case_form.section_widgets(part, raw, Context.of(case), focus)
    problems = problems or []
    case_form.place(problems, widgets)
    context = {
        "owner": owner,
        "csrf": session_csrf(request),
        "record": record,
        "sections": SECTIONS,
        "part": part,
        "widgets": widgets,
        "problems": problems,
        "notice": notice,
        # The page shows typed values that are not stored (after add, remove or a problem).
        "unsaved": bool(problems) or focus is not None or status != 200 or notice_unsaved,
    }
    return page(request, "builder.html", context, status_code=status)


# --- downloads, history and diff --------------------------------------------------------


@router.get("/cases/{case_id}/case.yaml")
def download_case(request: Request, case_id: Id, owner: SignedIn) -> Response:
    with store_of(request).session() as session:
        record = case_for(session, owner, case_id, Action.READ)
        text, slug = record.source_text, record.case_slug
    return _yaml(text, f"{slug}.yaml")


@router.get("/cases/{case_id}/revisions/{number}.yaml")
def download_revision(request: Request, case_id: Id, number: Id, owner: SignedIn) -> Response:
    with store_of(request).session() as session:
        record = case_for(session, owner, case_id, Action.READ)
        found = revisions.get_revision(session, case_id, number)
        slug = record.case_slug
    if found is None:
        raise NotFoundError(f"case {case_id} has no revision {number}")
    return _yaml(found.source_text, f"{slug}-r{number}.yaml")


def _yaml(text: str, filename: str) -> Response:
    return Response(
        text,
        media_type="application/yaml; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.get("/cases/{case_id}/history", response_class=HTMLResponse)
def history(request: Request, case_id: Id, owner: SignedIn) -> Response:
    with store_of(request).session() as session:
        access = case_access(session, owner, case_id, Action.READ)
        record = access.record
        found = revisions.list_revisions(session, case_id)
        session.expunge(record)
    context = {
        "owner": owner,
        "csrf": session_csrf(request),
        "record": record,
        "can": access.can,
        "sections": SECTIONS,
        "revisions": found,
    }
    return page(request, "builder_history.html", context)


@router.get("/cases/{case_id}/diff", response_class=HTMLResponse)
def revision_diff(
    request: Request,
    case_id: Id,
    owner: SignedIn,
    old: Annotated[int | None, Query(ge=1, le=2**31)] = None,
    new: Annotated[int | None, Query(ge=1, le=2**31)] = None,
) -> Response:
    """Revision ``old`` against ``new``; by default the current one against the one before."""
    with store_of(request).session() as session:
        access = case_access(session, owner, case_id, Action.READ)
        record = access.record
        newer = new or record.revision
        found = revisions.diff(session, case_id, old or max(1, newer - 1), newer)
        session.expunge(record)
    context = {
        "owner": owner,
        "csrf": session_csrf(request),
        "record": record,
        "can": access.can,
        "sections": SECTIONS,
        "diff": found,
    }
    return page(request, "builder_diff.html", context)


__all__ = ["router"]
