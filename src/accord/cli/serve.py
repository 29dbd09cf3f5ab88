"""``accord serve [--demo CASE...] [--host] [--port] [--workers N]``: the web app.

Data lives where ``ACCORD_DATABASE_URL`` says (default ``./accord.db``, SQLite in WAL mode);
the schema is migrated on start.  ``--demo`` signs in nobody by itself: it (re)creates the
facilitator ``demo@accord.local`` with a fresh password it prints (or
``ACCORD_DEMO_PASSWORD``) and loads the given case files into that account.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Annotated

import typer

DEMO_EMAIL = "demo@accord.local"


def register(app: typer.Typer) -> None:
    app.command("serve")(serve_command)


MAX_WORKERS = 64
"""Most worker processes: each loads the whole app; beyond this a typo, not a plan."""


def serve_command(
    demo: Annotated[
        bool, typer.Option("--demo", help="Create the demo facilitator and load CASE files.")
    ] = False,
    cases: Annotated[
        list[Path] | None,
        typer.Argument(metavar="[CASE]...", help="Case files to load with --demo."),
    ] = None,
    host: Annotated[str, typer.Option("--host", help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[
        int, typer.Option("--port", min=1, max=65535, help="Port to listen on (1..65535).")
    ] = 8000,
    workers: Annotated[
        int,
        typer.Option(
            "--workers",
            min=1,
            max=MAX_WORKERS,
            help=f"Processes (1..{MAX_WORKERS}); more than 1 needs ACCORD_REDIS_URL.",
        ),
    ] = 1,
) -> None:
    """Run the web app: case dashboards, stakeholder input links, reports."""
    from accord.errors import InputError
    from accord.web.settings import Settings

    if cases and not demo:
        raise InputError("case files are loaded only with --demo (accord serve --demo CASE...)")
    settings = Settings.from_environ()
    if workers > 1 and not settings.redis_url:
        raise InputError(
            f"--workers {workers}: several processes need ACCORD_REDIS_URL, so a change made "
            "in one wakes the live streams served by the others"
        )
    from accord.store import Store

    store = Store.from_url(settings.database_url, migrate=True)
    if demo:
        password = os.environ.get("ACCORD_DEMO_PASSWORD") or secrets.token_urlsafe(12)
        loaded = load_demo(store, password, cases or [])
        typer.echo(f"demo: {loaded} case(s) loaded for {DEMO_EMAIL}")
        typer.echo(f"demo: sign in at http://{host}:{port}/login as {DEMO_EMAIL} / {password}")
    import uvicorn

    if workers > 1:
        # Each worker builds its own app from the environment (the key file now exists).
        store.dispose()
        uvicorn.run(
            "accord.web.app:create_serving_app",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            log_level="info",
        )
        return
    from accord.web.app import create_serving_app

    app = create_serving_app(settings, store)
    uvicorn.run(app, host=host, port=port, log_level="info")


def load_demo(store: object, password: str, cases: list[Path]) -> int:
    """(Re)create the demo facilitator with ``password`` and store ``cases`` for them."""
    from accord.errors import InputError
    from accord.store import Store, repository
    from accord.store.tables import Facilitator

    assert isinstance(store, Store)
    texts = []
    for path in cases:
        try:
            texts.append((path.read_text(encoding="utf-8"), path.name))
        except OSError as error:
            raise InputError(f"{path}: cannot read the case file ({error.strerror})") from None
    with store.session() as session:
        owner = session.query(Facilitator).filter_by(email=DEMO_EMAIL).one_or_none()
        if owner is None:
            owner = repository.create_facilitator(session, DEMO_EMAIL, password, "Demo facilitator")
        else:
            repository.set_password(session, owner, password)
        for text, name in texts:
            repository.save_case(session, owner.id, text, name)
    return len(texts)
