"""The API's errors: 401 for a missing or dead credential, and the envelope every error
status of ``/api/v1`` is documented with in the OpenAPI document.

The responses themselves come from the app's one error handler (:mod:`accord.web.errors`),
which answers JSON for every ``/api/`` address, so the API has no second error path.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import Response

from accord.errors import AccordError
from accord.web.api.schemas import ErrorEnvelope

#: Sent with every 401 (RFC 6750 section 3): the client learns which scheme to use.
CHALLENGE = {"WWW-Authenticate": 'Bearer realm="accord"'}


class UnauthorizedError(AccordError):
    """No credential, or one that gives no access (unknown, expired, revoked)."""

    http_status = 401
    kind = "unauthorized"


class TooManyRequests(AccordError):
    """The caller sent too many bad tokens or requests; ``retry_after`` in seconds."""

    http_status = 429
    kind = "too_many_requests"

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def _envelope(description: str) -> dict[str, Any]:
    return {"model": ErrorEnvelope, "description": description}


#: Documented on every API operation, so a client (and schemathesis) knows each shape.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: _envelope("Bad input: the problems say where and what is expected."),
    401: _envelope("No credential, or an unknown, expired or revoked token."),
    403: _envelope("The token's scopes do not allow this call, or a cookie write without CSRF."),
    404: _envelope("Nothing of the caller's at this address."),
    405: _envelope("The address does not accept this method."),
    409: _envelope("The request conflicts with the current state."),
    413: _envelope("The body is over the size limit."),
    415: _envelope("The body's media type is not one this call reads."),
    422: _envelope("The body or a query parameter has the wrong shape or type."),
    429: _envelope("Too many requests (see Retry-After)."),
}


def install(app: FastAPI) -> None:
    """Answer the API's own errors with their headers (the challenge, Retry-After)."""
    from accord.web.errors import answer

    def _unauthorized(request: Request, error: Exception) -> Response:
        assert isinstance(error, UnauthorizedError)
        return answer(request, error, CHALLENGE)

    def _too_many(request: Request, error: Exception) -> Response:
        assert isinstance(error, TooManyRequests)
        return answer(request, error, {"Retry-After": str(error.retry_after)})

    app.add_exception_handler(UnauthorizedError, _unauthorized)
    app.add_exception_handler(TooManyRequests, _too_many)
