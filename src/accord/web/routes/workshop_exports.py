"""A workshop's exports for its facilitator, at any moment: the one-page summary (HTML,
Markdown, and PDF when the ``pdf`` extra is installed) and the actions as CSV and
iCalendar."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates

from accord.errors import NotFoundError
from accord.report import pdf
from accord.report.pdf import INSTALL_HINT
from accord.store.tables import Facilitator
from accord.web.access import Action, workshop_for
from accord.web.app import page
from accord.web.deps import Id, SignedIn, session_csrf, store_of
from accord.web.live import LiveWorkshops
from accord.workshop import exports
from accord.workshop.state import WorkshopState

router = APIRouter()


def _state(request: Request, owner: Facilitator, workshop_id: int) -> WorkshopState:
    with store_of(request).session() as session:
        workshop_for(session, owner, workshop_id, Action.READ)
    live: LiveWorkshops = request.app.state.live
    return live.current(workshop_id)


def _download(body: str | bytes, media_type: str, filename: str) -> Response:
    return Response(
        body,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _summary(state: WorkshopState, workshop_id: int) -> dict[str, Any]:
    """What the summary page and its PDF both show."""
    return {
        "workshop_id": workshop_id,
        "state": state,
        "items": exports.summary_items(state),
        "person": lambda p: exports.person(state, p),
    }


@router.get("/workshops/{workshop_id}/summary", response_class=HTMLResponse)
def summary_page(request: Request, workshop_id: Id, owner: SignedIn) -> Response:
    state = _state(request, owner, workshop_id)
    context = {
        "owner": owner,
        "csrf": session_csrf(request),
        "pdf": pdf.available(),  # no link to a download this server cannot make
        **_summary(state, workshop_id),
    }
    return page(request, "workshop_summary.html", context)


@router.get("/workshops/{workshop_id}/summary.pdf")
def summary_pdf(request: Request, workshop_id: Id, owner: SignedIn) -> Response:
    """The summary page's record printed by the report's PDF path (WeasyPrint)."""
    state = _state(request, owner, workshop_id)
    if not pdf.available():
        raise NotFoundError(
            "this server cannot print PDFs: the pdf extra (WeasyPrint) is not installed; "
            f"install it with {INSTALL_HINT}, or download the summary as Markdown"
        )
    templates: Jinja2Templates = request.app.state.templates
    html = templates.env.get_template("workshop_summary_print.html").render(
        _summary(state, workshop_id)
    )
    return _download(pdf.render_pdf(html), "application/pdf", f"workshop-{workshop_id}.pdf")


@router.get("/workshops/{workshop_id}/summary.md")
def summary_markdown(request: Request, workshop_id: Id, owner: SignedIn) -> Response:
    text = exports.summary_markdown(_state(request, owner, workshop_id))
    return _download(text, "text/markdown; charset=utf-8", f"workshop-{workshop_id}.md")


@router.get("/workshops/{workshop_id}/actions.csv")
def actions_csv(request: Request, workshop_id: Id, owner: SignedIn) -> Response:
    text = exports.actions_csv(_state(request, owner, workshop_id))
    return _download(text, "text/csv; charset=utf-8", f"workshop-{workshop_id}-actions.csv")


@router.get("/workshops/{workshop_id}/actions.ics")
def actions_ics(request: Request, workshop_id: Id, owner: SignedIn) -> Response:
    data = exports.actions_ics(_state(request, owner, workshop_id), workshop_id)
    return _download(data, "text/calendar; charset=utf-8", f"workshop-{workshop_id}-actions.ics")
