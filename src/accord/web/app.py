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
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from accord import __version__
from accord.store import Store
from accord.web.collector import tune_for_serving
from accord.web.settings import MAX_REQUEST_BYTES, Settings

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
# Sent only when cookies are marked Secure, i.e. the app is served over HTTPS (RFC 6797).
HSTS_VALUE = "max-age=31536000; includeSubDomains"


def security_headers(path: str, hsts: bool) -> dict[str, str]:
    """The headers every response to ``path`` carries (static files may be cached)."""
    headers = {
        name: value
        for name, value in SECURITY_HEADERS.items()
        if not (name == "Cache-Control" and path.startswith("/static/"))
    }
    if hsts:
        headers["Strict-Transport-Security"] = HSTS_VALUE
    return headers


class SecurityHeaders:
    """Pure ASGI middleware: it adds headers to the response start and passes every body
    chunk through untouched, so event streams are not buffered or wrapped in a task."""

    def __init__(self, app: ASGIApp, hsts: bool) -> None:
        self.app = app
        self.hsts = hsts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = security_headers(scope.get("path", ""), self.hsts)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in extra.items():
                    if name not in headers:
                        headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyLimit:
    """Pure ASGI middleware: a body over ``limit`` bytes is refused with 413 as soon as its
    Content-Length says so or the bytes received so far pass it, never after reading it all.

    The refusal is raised from ``receive``, inside the route, so the app's error handler
    answers it with the error page (Starlette's own limiter answers plain text instead).
    """

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = MutableHeaders(scope=scope).get("content-length", "")
        too_big = declared.isdigit() and int(declared) > self.limit
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            if too_big:
                raise HTTPException(413)
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise HTTPException(413)
            return message

        await self.app(scope, limited_receive, send)


def create_app(settings: Settings | None = None, store: Store | None = None) -> FastAPI:
    """The app for ``settings`` (default: from the environment); migrates the database."""
    from accord.integrations.delivery import Dispatcher, DispatchSettings
    from accord.integrations.trackers.sync import SyncSettings, TrackerRunner
    from accord.web import errors, oidc
    from accord.web.analysis_cache import DEFAULT_SIZE, AnalysisCache, analyze_case
    from accord.web.analysis_jobs import AnalysisJobs
    from accord.web.boards import BoardRenderer
    from accord.web.live import LiveWorkshops
    from accord.web.realtime import Broker
    from accord.web.routes import (
        account_links,
        auth,
        builder,
        calendar,
        cases,
        connectors,
        inputs,
        people,
        tokens,
        webhooks,
        workshop_exports,
        workshops,
    )
    from accord.web.throttle import HashSlots, SignInThrottle

    settings = settings or Settings.from_environ()
    if len(settings.secret_key) < 32:
        raise ValueError("the secret key must be at least 32 characters (ACCORD_SECRET_KEY)")
    store = store or Store.from_url(settings.database_url, migrate=True)
    broker = Broker(settings.redis_url)
    dispatcher = Dispatcher(
        store,
        DispatchSettings(
            server_key=settings.secret_key,
            public_url=settings.public_url,
            allow_private=settings.webhook_allow_private,
            poll_seconds=settings.webhook_poll_seconds,
            retry_base=settings.webhook_retry_base,
        ),
    )

    trackers = TrackerRunner(
        store,
        SyncSettings(
            server_key=settings.secret_key,
            public_url=settings.public_url,
            allow_private=settings.webhook_allow_private,
            retry_base=settings.webhook_retry_base,
            poll_seconds=settings.tracker_poll_seconds,
            tick_seconds=settings.tracker_tick_seconds,
        ),
    )

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await broker.start()
        app.state.analysis_jobs.start()
        await dispatcher.start()
        await trackers.start()
        try:
            yield
        finally:
            await trackers.stop()
            await dispatcher.stop()
            app.state.analysis_jobs.stop()
            await broker.stop()

    app = FastAPI(
        title="accord",
        version=__version__,
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
        # A pasted case is one text field, so a field may take the whole body limit.
        form_limits={"max_part_size": MAX_REQUEST_BYTES},
    )
    app.state.settings = settings
    app.state.store = store
    app.state.live = LiveWorkshops(store, broker)
    app.state.webhooks = dispatcher
    app.state.trackers = trackers
    app.state.signin_throttle = SignInThrottle()
    # Company sign-in (accord.web.oidc); its discovery document is fetched when first used.
    app.state.oidc = oidc.Provider(settings.oidc) if settings.oidc else None
    app.state.analysis_cache = AnalysisCache(DEFAULT_SIZE, analyze_case)
    app.state.case_cache = AnalysisCache[Any, Any](DEFAULT_SIZE)  # parsed cases, see cases.py
    app.state.analysis_jobs = AnalysisJobs(
        app.state.analysis_cache,
        workers=settings.analysis_workers,
        queue=settings.analysis_queue,
        abandon_seconds=settings.analysis_abandon_seconds,
        max_seconds=settings.analysis_max_seconds,
        processes=settings.analysis_processes,
    )
    app.state.hash_slots = HashSlots(settings.max_concurrent_hashes)
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.globals["version"] = __version__
    app.state.templates = templates
    app.state.boards = BoardRenderer(templates.env)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.add_middleware(BodyLimit, limit=MAX_REQUEST_BYTES)
    app.add_middleware(SecurityHeaders, hsts=settings.secure_cookies)
    errors.install(app)

    # The builder's /cases/new comes before /cases/{case_id}, which would claim it.
    routers = (auth.router, builder.router, cases.router, inputs.router, workshops.router)
    for router in (
        *routers,
        workshop_exports.router,
        tokens.router,
        webhooks.router,
        calendar.router,
        connectors.router,
        account_links.router,
        people.router,
    ):
        app.include_router(router)
    from accord.web import api

    api.install(app)
    return app


def create_serving_app(settings: Settings | None = None, store: Store | None = None) -> FastAPI:
    """:func:`create_app` for ``accord serve`` (and, without arguments, uvicorn's factory for
    each of ``--workers N``), its garbage collector set for serving (:mod:`.collector`)."""
    app = create_app(settings, store)
    tune_for_serving()
    return app


def page(
    request: Request, name: str, context: dict[str, Any], status_code: int = 200
) -> HTMLResponse:
    """Render template ``name`` with ``context``."""
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(request, name, context, status_code=status_code)
