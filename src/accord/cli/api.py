"""``accord openapi`` (the API's OpenAPI 3.1 document) and ``accord token create|list|revoke``
(a facilitator's API tokens, in the database ACCORD_DATABASE_URL names, default ./accord.db).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

tokens_app = typer.Typer(help="API tokens of a facilitator (for /api/v1).", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.command("openapi")(openapi_command)
    app.add_typer(tokens_app, name="token")


def openapi_document() -> dict[str, Any]:
    """The document the app serves at /api/v1/openapi.json (built without a database)."""
    from accord.store import Store
    from accord.web.api import openapi_document as build
    from accord.web.app import create_app
    from accord.web.settings import Settings

    # An in-memory database that is never opened: the document depends on the routes only.
    store = Store.from_url("sqlite://", migrate=False)
    try:
        app = create_app(Settings(secret_key="openapi" * 8, database_url="sqlite://"), store)
        return build(app)
    finally:
        store.dispose()


def openapi_command(
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file (default: stdout).")
    ] = None,
    as_json: bool = typer.Option(False, "--json", help="Same output (the document is JSON)."),
) -> None:
    """Print (or write) the OpenAPI 3.1 document of the JSON API under /api/v1."""
    import json

    text = json.dumps(openapi_document(), indent=2, ensure_ascii=False) + "\n"
    if output is None:
        typer.echo(text, nl=False)
        return
    from accord.errors import InputError

    try:
        output.write_text(text, encoding="utf-8")
    except OSError as error:
        raise InputError(f"{output}: cannot write the document ({error.strerror})") from None
    typer.echo(f"wrote {output}", err=True)


def _facilitator_id(session: Any, email: str) -> int:
    import sqlalchemy as sa

    from accord.errors import NotFoundError
    from accord.store.tables import Facilitator

    found = session.scalar(
        sa.select(Facilitator.id).where(Facilitator.email == email.strip().lower())
    )
    if found is None:
        raise NotFoundError(
            f"email: there is no facilitator {email!r} (create one with accord facilitator add)"
        )
    facilitator_id: int = found
    return facilitator_id


def _store() -> Any:
    from accord.store import Store
    from accord.web.settings import Settings

    return Store.from_url(Settings.from_environ().database_url, migrate=True)


@tokens_app.command("create")
def create_command(
    email: Annotated[str, typer.Argument(help="The facilitator's sign-in email.")],
    name: Annotated[str, typer.Option("--name", help="What the token is for.")] = "cli",
    scopes: Annotated[
        list[str] | None,
        typer.Option("--scope", help="read, write or workshop (repeat; default: read)."),
    ] = None,
    days: Annotated[int, typer.Option("--days", help="Days until it expires (1..366).")] = 90,
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
) -> None:
    """Create an API token; it is printed this once (only its hash is stored)."""
    from accord.cli.output import emit_json
    from accord.store import tokens
    from accord.web.api.schemas import ApiTokenOut

    store = _store()
    try:
        with store.session() as session:
            owner = _facilitator_id(session, email)
            token, raw = tokens.create_api_token(session, owner, name, scopes or ["read"], days)
            out = ApiTokenOut.of(token)
    finally:
        store.dispose()
    if as_json:
        emit_json({**out.model_dump(mode="json"), "token": raw})
        return
    typer.echo(raw)
    typer.echo(
        f"token {out.id} ({' '.join(out.scopes)}) expires {out.expires_at:%Y-%m-%d}; "
        "it is shown only now: keep it in a secret store",
        err=True,
    )


@tokens_app.command("list")
def list_command(
    email: Annotated[str, typer.Argument(help="The facilitator's sign-in email.")],
    as_json: bool = typer.Option(False, "--json", help="Print the tokens as JSON."),
) -> None:
    """List a facilitator's API tokens (never the tokens themselves)."""
    from accord.cli.output import emit_json
    from accord.store import tokens
    from accord.store.tables import utc_now
    from accord.web.api.schemas import ApiTokenOut

    store = _store()
    try:
        with store.session() as session:
            found = tokens.list_api_tokens(session, _facilitator_id(session, email))
            rows = [ApiTokenOut.of(token) for token in found]
    finally:
        store.dispose()
    if as_json:
        emit_json([row.model_dump(mode="json") for row in rows])
        return
    now = utc_now()
    for row in rows:
        state = "revoked" if row.revoked else ("expired" if row.expires_at <= now else "active")
        typer.echo(
            f"{row.id}\t{state}\t{' '.join(row.scopes)}\texpires {row.expires_at:%Y-%m-%d}\t"
            f"{row.name}"
        )


@tokens_app.command("revoke")
def revoke_command(
    email: Annotated[str, typer.Argument(help="The facilitator's sign-in email.")],
    token_id: Annotated[int, typer.Argument(help="The token's id (accord token list).")],
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
) -> None:
    """Revoke an API token: it stops working at once."""
    from accord.cli.output import emit_json
    from accord.errors import NotFoundError
    from accord.store import tokens

    store = _store()
    try:
        with store.session() as session:
            if not tokens.revoke_api_token(session, _facilitator_id(session, email), token_id):
                raise NotFoundError(f"token_id: {email} has no API token {token_id}")
    finally:
        store.dispose()
    if as_json:
        emit_json({"revoked": token_id})
    else:
        typer.echo(f"token {token_id} revoked")
