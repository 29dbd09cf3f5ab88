"""How the web app answers every error: the app's page, or JSON when the client asked for it.

One place turns errors into responses (as :mod:`accord.errors` requires): the project's
:class:`AccordError`, Starlette's HTTP errors (404, 405, 413, ...), request validation (422;
404 when the bad value is in the path, since such an address names nothing) and any
unhandled exception (500).  The 500 handler runs outside every middleware, so it sets the
security headers itself; Starlette re-raises the exception after it, so the server logs it.
"""

from __future__ import annotations

from collections.abc import Sequence

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException

from accord.errors import (
    AccordError,
    ForbiddenError,
    InputError,
    Location,
    NotFoundError,
    Problem,
)
from accord.web.deps import LoginRequired
from accord.web.settings import MAX_CASE_BYTES

MESSAGES = {
    404: "there is no page at this address",
    405: "this address does not accept that kind of request",
    413: f"the request is over the {MAX_CASE_BYTES // 2**20} MB limit (a case file may be at "
    f"most {MAX_CASE_BYTES // 2**20} MB)",
}


class ServerError(AccordError):
    """An unexpected failure; its details go to the log, never to the client."""

    http_status = 500
    kind = "internal"


class HTTPError(AccordError):
    """A Starlette HTTP error (e.g. 405, 413) in the project's error shape."""

    kind = "http_error"

    def __init__(self, status: int, message: str, problems: Sequence[Problem] = ()) -> None:
        super().__init__(message, problems=problems)
        self.status = status


def wants_json(request: Request) -> bool:
    """JSON for JSON routes (``/api/`` and ``*.json``) and for clients that prefer it over
    HTML (Accept header)."""
    if request.url.path.endswith(".json") or request.url.path.startswith("/api/"):
        return True
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


def status_of(error: AccordError) -> int:
    return error.status if isinstance(error, HTTPError) else error.http_status


def answer(request: Request, error: AccordError, headers: dict[str, str] | None = None) -> Response:
    """The app's error page (or JSON) for ``error``."""
    from accord.web.app import page

    status = status_of(error)
    if wants_json(request):
        return JSONResponse(error.to_dict(), status_code=status, headers=headers)
    response = page(request, "error.html", {"error": error}, status_code=status)
    response.headers.update(headers or {})
    return response


def _http_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, HTTPException)
    headers = dict(error.headers or {})
    if error.status_code == 404:
        return answer(request, NotFoundError(MESSAGES[404]), headers)
    if error.status_code == 403:
        return answer(request, ForbiddenError(str(error.detail)), headers)
    message = MESSAGES.get(error.status_code) or str(error.detail)
    return answer(request, HTTPError(error.status_code, message), headers)


def _validation_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, RequestValidationError)
    details = list(error.errors())
    if any(detail.get("loc", ("",))[0] == "path" for detail in details):
        # An id that is not a positive 64-bit integer names nothing in the database.
        return answer(request, NotFoundError(MESSAGES[404]))
    problems = [
        Problem(
            str(detail.get("msg", "invalid")),
            Location(field=".".join(str(part) for part in detail.get("loc", ())[1:]) or None),
        )
        for detail in details
    ]
    if not request.url.path.startswith("/api/"):
        return answer(
            request, HTTPError(422, "the form is missing or has invalid fields", problems)
        )
    if any(detail.get("type") == "json_invalid" for detail in details):
        # Not JSON at all is bad input (400); JSON of the wrong shape is 422 below.
        return answer(request, InputError("the request body is not valid JSON", problems=problems))
    return answer(request, HTTPError(422, "the request has missing or invalid fields", problems))


def _unhandled(request: Request, error: Exception) -> Response:
    from accord.web.app import security_headers

    response = answer(request, ServerError("something went wrong on the server; it was logged"))
    hsts: bool = request.app.state.settings.secure_cookies
    for name, value in security_headers(request.url.path, hsts).items():
        response.headers.setdefault(name, value)
    return response


def install(app: FastAPI) -> None:
    """Register the app's error handlers on ``app``."""

    def _login(request: Request, error: Exception) -> Response:
        return RedirectResponse("/login", status_code=303)

    def _accord_error(request: Request, error: Exception) -> Response:
        assert isinstance(error, AccordError)
        return answer(request, error)

    app.add_exception_handler(LoginRequired, _login)
    app.add_exception_handler(AccordError, _accord_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(Exception, _unhandled)
