"""A secret shown once, on the page a POST redirects to.

A new stakeholder, participant or calendar link, API token or invitation is made by a POST
that redirects (so a reload makes no second one); the page it lands on shows the secret
once.  It travels in a short-lived, HttpOnly, SameSite=Strict cookie scoped to that page
(never in a URL, which would land in logs and history), and the page deletes the cookie as
it shows it.  Only the secret's hash is stored.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request
from fastapi.responses import RedirectResponse, Response

#: Long enough for the redirect to be followed, short enough not to linger.
SECONDS = 300


@dataclass(frozen=True)
class ShownOnce:
    cookie: str

    def redirect(self, request: Request, to: str, secret: str, *, path: str) -> Response:
        """Redirect to ``to`` (a page under ``path``), carrying ``secret`` to it."""
        response = RedirectResponse(to, status_code=303)
        response.set_cookie(
            self.cookie,
            secret,
            max_age=SECONDS,
            path=path,
            httponly=True,
            samesite="strict",
            secure=request.app.state.settings.secure_cookies,
        )
        return response

    def sent(self, request: Request) -> str | None:
        """The secret the redirect carried, if this request has it."""
        return request.cookies.get(self.cookie) or None

    def forget(self, request: Request, response: Response, *, path: str) -> Response:
        """Delete the cookie (when the request had it) from the page that showed it."""
        if self.sent(request) is not None:
            response.delete_cookie(self.cookie, path=path)
        return response
