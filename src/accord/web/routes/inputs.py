"""A stakeholder gives their inputs through a link token: no account, one case, one person.

The token in the URL is the credential: it is looked up by hash, refused once revoked, and
scoped to one stakeholder of one case, so the page never takes a case or stakeholder id from
the form.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response

from accord.errors import ForbiddenError, InputError
from accord.model.case import Case
from accord.model.inputs import StakeholderInputs
from accord.store import repository
from accord.store.tables import CaseRecord
from accord.web.app import page
from accord.web.deps import require_csrf, store_of, token_csrf
from accord.web.input_form import (
    METHODS,
    SAATY,
    SAATY_WORDS,
    VOTES,
    consistency,
    criterion_pairs,
    form_values,
    inputs_from_form,
    ordered,
)

router = APIRouter()


def _load(request: Request, raw: str) -> tuple[Case, str, int]:
    with store_of(request).session() as session:
        token = repository.resolve_token(session, raw)
        if token is None or token.role != "stakeholder" or token.stakeholder_id is None:
            raise ForbiddenError(
                "this link is not valid any more: ask the facilitator for a new one"
            )
        record = session.get(CaseRecord, token.case_id)
        if record is None:
            raise ForbiddenError("this link's case was deleted")
        case = repository.case_with_inputs(session, record)
        return case, token.stakeholder_id, record.id


def _form_page(
    request: Request,
    raw: str,
    case: Case,
    stakeholder_id: str,
    inputs: StakeholderInputs | None,
    *,
    error: InputError | None = None,
    saved: bool = False,
    fields: dict[str, str] | None = None,
) -> Response:
    stakeholder = next(s for s in case.stakeholders if s.id == stakeholder_id)
    current = inputs or case.inputs.get(stakeholder_id) or StakeholderInputs()
    form = fields if fields is not None else form_values(case, current)
    criteria = {c.id: c for c in case.criteria}
    options = {o.id: o for o in case.options}
    context = {
        "case": case,
        "stakeholder": stakeholder,
        "form": form,
        "scored": [c for c in case.criteria if c.scored_by_stakeholders],
        "votes": VOTES,
        "methods": METHODS,
        "method": form.get("weights.method") or "direct",
        "pairs": [(criteria[a], criteria[b]) for a, b in criterion_pairs(case)],
        "saaty": SAATY,
        "saaty_words": SAATY_WORDS,
        "ranked_options": [options[o] for o in ordered(list(options), form, "rank")],
        "ranked_criteria": [criteria[c] for c in ordered(list(criteria), form, "crank")],
        "consistency": consistency(case, form),
        "csrf": token_csrf(request, raw),
        "token": raw,
        "error": error,
        "saved": saved,
    }
    return page(request, "inputs.html", context, status_code=400 if error else 200)


@router.get("/i/{token}", response_class=HTMLResponse, name="stakeholder_form")
def stakeholder_form(request: Request, token: str) -> Response:
    case, stakeholder_id, _ = _load(request, token)
    return _form_page(request, token, case, stakeholder_id, None)


@router.post("/i/{token}", response_class=HTMLResponse)
async def submit_inputs(request: Request, token: str) -> Response:
    form = await request.form()
    fields = {k: v for k, v in form.multi_items() if isinstance(v, str)}
    approvals = [v for v in form.getlist("approve") if isinstance(v, str)]
    require_csrf(token_csrf(request, token), fields.get("csrf"))
    case, stakeholder_id, case_id = await run_in_threadpool(_load, request, token)
    try:
        inputs = inputs_from_form(case, fields, approvals)
        previous = case.inputs.get(stakeholder_id)
        if previous is not None and previous.dots and not inputs.dots:
            # The form does not ask for dots; keep the ones the case file gave.
            inputs = inputs.model_copy(update={"dots": previous.dots})
        await run_in_threadpool(_save, request, case_id, stakeholder_id, inputs)
    except InputError as error:
        # What they typed stays in the form, next to the message that says what to fix.
        kept = {**fields, **{f"approve.{a}": "checked" for a in approvals}}
        return _form_page(request, token, case, stakeholder_id, None, error=error, fields=kept)
    case, _, _ = await run_in_threadpool(_load, request, token)
    return _form_page(request, token, case, stakeholder_id, inputs, saved=True)


def _save(request: Request, case_id: int, stakeholder_id: str, inputs: StakeholderInputs) -> None:
    with store_of(request).session() as session:
        repository.save_inputs(session, case_id, stakeholder_id, inputs)


@router.post("/i/{token}/consistency", response_class=HTMLResponse, name="consistency")
async def live_consistency(request: Request, token: str) -> Response:
    """The consistency ratio of the pairwise judgements typed so far (htmx, as they type)."""
    form = await request.form()
    fields = {k: v for k, v in form.multi_items() if isinstance(v, str)}
    require_csrf(token_csrf(request, token), fields.get("csrf"))
    case, _, _ = await run_in_threadpool(_load, request, token)
    return page(request, "_consistency.html", {"consistency": consistency(case, fields)})
