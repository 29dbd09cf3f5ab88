"""A stakeholder gives their inputs through a link token: no account, one case, one person.

The token in the URL is the credential: it is looked up by hash, refused once revoked, and
scoped to one stakeholder of one case, so the page never takes a case or stakeholder id from
the form.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from accord.errors import ForbiddenError, InputError, Location, Problem
from accord.io.loader import is_case_number
from accord.model.case import Case
from accord.model.inputs import StakeholderInputs
from accord.store import repository
from accord.store.tables import CaseRecord
from accord.web.app import page
from accord.web.deps import require_csrf, store_of, token_csrf

router = APIRouter()

VOTES = ("agree", "disagree", "pass")


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
) -> Response:
    stakeholder = next(s for s in case.stakeholders if s.id == stakeholder_id)
    current = inputs or case.inputs.get(stakeholder_id) or StakeholderInputs()
    context = {
        "case": case,
        "stakeholder": stakeholder,
        "form": form_values(case, current),
        "scored": [c for c in case.criteria if c.scored_by_stakeholders],
        "votes": VOTES,
        "csrf": token_csrf(request, raw),
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
        await run_in_threadpool(_save, request, case_id, stakeholder_id, inputs)
    except InputError as error:
        return _form_page(request, token, case, stakeholder_id, None, error=error)
    case, _, _ = await run_in_threadpool(_load, request, token)
    return _form_page(request, token, case, stakeholder_id, inputs, saved=True)


def _save(request: Request, case_id: int, stakeholder_id: str, inputs: StakeholderInputs) -> None:
    with store_of(request).session() as session:
        repository.save_inputs(session, case_id, stakeholder_id, inputs)


def _number(fields: dict[str, str], key: str, problems: list[Problem]) -> float | None:
    text = fields.get(key, "").strip()
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        problems.append(Problem(f"'{text}' is not a number", Location(field=key)))
        return None
    if not is_case_number(value):  # the case loader's rule, so a form cannot store more
        problems.append(
            Problem(f"expected a finite number, got {text[:40]!r}", Location(field=key))
        )
        return None
    return value


def inputs_from_form(case: Case, fields: dict[str, str], approvals: list[str]) -> StakeholderInputs:
    """The form's fields as :class:`StakeholderInputs`; blank fields are left out.

    Field names: ``w.<criterion>`` weight, ``rank.<option>`` position (equal numbers tie),
    ``rating.<option>`` 0-10, ``approve`` (repeated) option ids, ``score.<option>.<criterion>``
    for criteria scored by stakeholders, ``vote.<statement>``, ``notes``.
    """
    problems: list[Problem] = []
    data: dict[str, Any] = {}
    weights = {
        c.id: w for c in case.criteria if (w := _number(fields, f"w.{c.id}", problems)) is not None
    }
    if weights:
        data["weights"] = {"method": "direct", "values": weights}
    ranks = {
        o.id: r
        for o in case.options
        if (r := _number(fields, f"rank.{o.id}", problems)) is not None
    }
    if ranks:
        tiers: dict[float, list[str]] = {}
        for option, rank in ranks.items():
            tiers.setdefault(rank, []).append(option)
        data["ranking"] = [t[0] if len(t) == 1 else t for _, t in sorted(tiers.items())]
    ratings = {
        o.id: r
        for o in case.options
        if (r := _number(fields, f"rating.{o.id}", problems)) is not None
    }
    if ratings:
        data["ratings"] = ratings
    known = {o.id for o in case.options}
    data["approvals"] = [a for a in approvals if a in known]
    scores: dict[str, dict[str, float]] = {}
    for choice in case.options:
        for criterion in case.criteria:
            if not criterion.scored_by_stakeholders:
                continue
            value = _number(fields, f"score.{choice.id}.{criterion.id}", problems)
            if value is not None:
                scores.setdefault(choice.id, {})[criterion.id] = value
    if scores:
        data["scores"] = scores
    votes = {
        s.id: fields[f"vote.{s.id}"] for s in case.statements if fields.get(f"vote.{s.id}") in VOTES
    }
    if votes:
        data["statement_votes"] = votes
    if fields.get("notes", "").strip():
        data["notes"] = fields["notes"].strip()
    if problems:
        raise InputError.from_problems(problems)
    try:
        return StakeholderInputs.model_validate(data)
    except ValidationError as error:
        raise InputError.from_problems(
            [
                Problem(e["msg"], Location(field=".".join(str(p) for p in e["loc"])))
                for e in error.errors()
            ]
        ) from None


def form_values(case: Case, inputs: StakeholderInputs) -> dict[str, str]:
    """The form's field values for ``inputs`` (the inverse of :func:`inputs_from_form`)."""
    values: dict[str, str] = {}
    weights = inputs.weights
    if weights is not None and weights.method in ("direct", "points", "swing"):
        for criterion, value in getattr(weights, "values", {}).items():
            values[f"w.{criterion}"] = f"{value:g}"
    for position, entry in enumerate(inputs.ranking, start=1):
        for option in [entry] if isinstance(entry, str) else entry:
            values[f"rank.{option}"] = str(position)
    for option, rating in inputs.ratings.items():
        values[f"rating.{option}"] = f"{rating:g}"
    for option in inputs.approvals:
        values[f"approve.{option}"] = "checked"
    for option, row in inputs.scores.items():
        for criterion, value in row.items():
            values[f"score.{option}.{criterion}"] = f"{value:g}"
    for statement, vote in inputs.statement_votes.items():
        values[f"vote.{statement}"] = str(vote)
    values["notes"] = inputs.notes or ""
    return values
