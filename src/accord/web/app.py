"""The FastAPI app: ``create_app(settings)`` wires the store, templates and routers.

Every page is rendered on the server (Jinja2, autoescaped); htmx is vendored under
``/static``.  Routes are plain ``def`` functions, which FastAPI runs in its thread pool, and
each opens its own store session, so a write is committed before the response says so.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint

from accord import __version__
from accord.errors import AccordError
from accord.store import Store
from accord.web.deps import LoginRequired
from accord.web.settings import Settings

HERE = Path(__file__).resolve().parent

# Link tokens travel in URLs: "no-referrer" keeps them out of other sites' logs.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
        "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
    ),
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}


class SecurityHeaders(BaseHTTPMiddleware):
    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            if name == "Cache-Control" and request.url.path.startswith("/static/"):
                continue
            response.headers.setdefault(name, value)
        return response


def create_app(settings: Settings | None = None, store: Store | None = None) -> FastAPI:
    """The app for ``settings`` (default: from the environment); migrates the database."""
    from accord.web.live import LiveWorkshops
    from accord.web.realtime import Broker
    from accord.web.routes import auth, cases, inputs, workshops

    settings = settings or Settings.from_environ()
    if len(settings.secret_key) < 32:
        raise ValueError("the secret key must be at least 32 characters (ACCORD_SECRET_KEY)")
    store = store or Store.from_url(settings.database_url, migrate=True)
    broker = Broker(settings.redis_url)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await broker.start()
        try:
            yield
        finally:
            await broker.stop()

    app = FastAPI(
        title="accord", version=__version__, docs_url=None, redoc_url=None, lifespan=lifespan
    )
    app.state.settings = settings
    app.state.store = store
    app.state.live = LiveWorkshops(store, broker)
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.globals["version"] = __version__
    app.state.templates = templates
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.add_middleware(SecurityHeaders)

    @app.exception_handler(LoginRequired)
    def _login(request: Request, error: LoginRequired) -> Response:
        return RedirectResponse("/login", status_code=303)

    @app.exception_handler(AccordError)
    def _accord_error(request: Request, error: AccordError) -> Response:
        return page(request, "error.html", {"error": error}, status_code=error.http_status)

    for router in (auth.router, cases.router, inputs.router, workshops.router):
        app.include_router(router)
    return app


def page(
    request: Request, name: str, context: dict[str, Any], status_code: int = 200
) -> HTMLResponse:
    """Render template ``name`` with ``context``."""
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(request, name, context, status_code=status_code)
