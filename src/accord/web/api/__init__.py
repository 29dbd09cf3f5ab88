"""The JSON API under ``/api/v1``: cases, links, inputs, analysis, reports, workshops.

Every operation takes a facilitator's API token (``Authorization: Bearer``, within its
scopes) or their browser session, and obeys the pages' ownership rules.  Every error is the
one JSON envelope of :mod:`accord.errors`.  The OpenAPI 3.1 document is served at
``/api/v1/openapi.json`` and written by ``accord openapi``.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, FastAPI, Request, routing
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse

from accord import __version__
from accord.errors import Location, Problem
from accord.web.analysis_jobs import AnalysisBusy
from accord.web.api import analysis, cases, errors, workshops
from accord.web.errors import HTTPError
from accord.web.throttle import SignInThrottle

PREFIX = "/api/v1"
DESCRIPTION = (
    "The accord JSON API. Authenticate with an API token (`Authorization: Bearer accord_...`,"
    " created by `accord token create` or at /settings/tokens): scope `read` for every GET,"
    " `write` for cases, links and inputs, `workshop` for workshops and their commands. Every"
    " error answers the same envelope: `{error, message, problems}`."
)


def known_query(request: Request) -> None:
    """Refuse query parameters the operation does not take (422), as bodies refuse unknown
    fields: ``?limt=5`` is a typo to report, not a default to apply silently."""
    route = request.scope.get("route")
    dependant = getattr(route, "dependant", None)
    if dependant is None or not request.query_params:
        return
    known = {param.alias for param in dependant.query_params}
    unknown = sorted(set(request.query_params) - known)
    if unknown:
        allowed = ", ".join(sorted(known)) or "none"
        raise HTTPError(
            422,
            "the request has missing or invalid fields",
            [
                Problem(
                    f"unknown query parameter (expected: {allowed})", Location(field=name[:100])
                )
                for name in unknown[:20]
            ],
        )


router = APIRouter(
    prefix=PREFIX, responses=errors.ERROR_RESPONSES, dependencies=[Depends(known_query)]
)
for _part in (cases.router, analysis.router, workshops.router):
    router.include_router(_part)


@router.get("/openapi.json", include_in_schema=False)
def openapi_json(request: Request) -> JSONResponse:
    """The API's OpenAPI 3.1 document (public: it describes, it gives no access)."""
    app: FastAPI = request.app
    document: dict[str, Any] | None = getattr(app.state, "api_openapi", None)
    if document is None:
        document = openapi_document(app)
        app.state.api_openapi = document
    return JSONResponse(document)


health = APIRouter()


@health.get("/healthz", include_in_schema=False)
def healthz(request: Request) -> JSONResponse:
    """Liveness for load balancers and container health checks: the database answers."""
    import sqlalchemy as sa

    from accord.web.deps import store_of

    with store_of(request).session() as session:
        session.execute(sa.text("SELECT 1"))
    return JSONResponse({"status": "ok", "version": __version__})


def openapi_document(app: FastAPI) -> dict[str, Any]:
    """The OpenAPI 3.1 document of the ``/api/v1`` routes of ``app``."""
    from accord.model.case import Case

    document = get_openapi(
        title="accord API",
        version=__version__,
        openapi_version="3.1.0",
        description=DESCRIPTION,
        routes=api_routes(app),
    )
    # The case-file schema (what `accord schema` prints) under its own prefix, so its
    # model names cannot collide with the API's (both have a DecisionRecord, say).
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    case_schema = Case.model_json_schema(
        mode="validation", ref_template="#/components/schemas/CaseFile_{model}"
    )
    for name, schema in case_schema.pop("$defs", {}).items():
        schemas[f"CaseFile_{name}"] = schema
    schemas["CaseFile"] = case_schema
    return document


def api_routes(app: FastAPI) -> list[Any]:
    """The app's routes under :data:`PREFIX` (FastAPI 0.120+ keeps included routers
    nested; ``iter_route_contexts`` flattens them, older versions list routes flat)."""
    flatten = getattr(routing, "iter_route_contexts", None)
    candidates = list(flatten(app.routes)) if flatten is not None else list(app.routes)
    return [r for r in candidates if (getattr(r, "path", None) or "").startswith(PREFIX)]


def install(app: FastAPI) -> None:
    """Mount the API on ``app`` (after the app's error handlers are installed)."""
    app.state.api_token_throttle = SignInThrottle()
    errors.install(app)
    app.add_exception_handler(analysis.Computing, analysis.computing)
    app.add_exception_handler(AnalysisBusy, analysis.busy)
    app.include_router(router)
    app.include_router(health)
