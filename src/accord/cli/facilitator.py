"""``accord facilitator add EMAIL``: create a facilitator account for the web app;
``invite EMAIL`` and ``reset EMAIL``: print a one-time link that lets someone choose their
password (a new account, or a new password for an existing one).

The password is asked for twice on a terminal, or read from the first line of standard
input otherwise (``printf '%s\\n' "$PASSWORD" | accord facilitator add ...``), so it never
appears in the process list or the shell history.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from accord.store import Store
    from accord.web.settings import Settings

facilitators = typer.Typer(help="Facilitator accounts of the web app.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(facilitators, name="facilitator")


@facilitators.command("add")
def add_command(
    email: Annotated[str, typer.Argument(help="Sign-in email.")],
    name: Annotated[str, typer.Option("--name", help="Name shown in the app.")] = "",
) -> None:
    """Create a facilitator (the database is ACCORD_DATABASE_URL, default ./accord.db)."""
    from accord.errors import InputError
    from accord.store import Store, repository
    from accord.web.settings import Settings

    if sys.stdin.isatty():
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    else:
        password = sys.stdin.readline().rstrip("\n")
        if not password:
            raise InputError("no password on standard input (one line, at least 8 characters)")
    store = Store.from_url(Settings.from_environ().database_url, migrate=True)
    try:
        with store.session() as session:
            made = repository.create_facilitator(session, email, password, name or email)
            typer.echo(f"facilitator {made.email} created")
    finally:
        store.dispose()


UrlOption = Annotated[
    str,
    typer.Option(
        "--url",
        help="The address people reach the app at (default: ACCORD_PUBLIC_URL, else "
        "http://127.0.0.1:8000).",
    ),
]


@facilitators.command("invite")
def invite_command(
    email: Annotated[str, typer.Argument(help="Their email.")], url: UrlOption = ""
) -> None:
    """Print a one-time invitation link: whoever opens it chooses a password and has a new
    facilitator account (it expires after ACCORD_INVITATION_HOURS, default 72)."""
    from accord.store import account_links

    settings, store = _open()
    try:
        with store.session() as session:
            _, raw = account_links.invite(session, email, None, settings.invitation_lifetime)
    finally:
        store.dispose()
    typer.echo(f"{_base(settings, url)}/invite/{raw}")
    typer.echo(
        f"(works once, for {settings.invitation_hours} hours; send it to {email.strip().lower()})",
        err=True,
    )


@facilitators.command("reset")
def reset_command(
    email: Annotated[str, typer.Argument(help="The account's email.")], url: UrlOption = ""
) -> None:
    """Print a one-time password reset link for the account EMAIL; setting a new password
    through it ends every session of the account (it expires after ACCORD_RESET_MINUTES,
    default 60)."""
    from accord.errors import NotFoundError
    from accord.store import account_links

    settings, store = _open()
    try:
        with store.session() as session:
            made = account_links.request_reset(session, email, settings.reset_lifetime)
    finally:
        store.dispose()
    if made is None:
        raise NotFoundError(
            f"email: there is no facilitator {email.strip().lower()!r} "
            "(accord facilitator add creates one)"
        )
    typer.echo(f"{_base(settings, url)}/reset/{made[1]}")
    typer.echo(f"(works once, for {settings.reset_minutes} minutes)", err=True)


def _open() -> tuple[Settings, Store]:
    from accord.store import Store
    from accord.web.settings import Settings

    settings = Settings.from_environ()
    return settings, Store.from_url(settings.database_url, migrate=True)


def _base(settings: Settings, url: str) -> str:
    from accord.errors import InputError

    base = (url or settings.public_url or "http://127.0.0.1:8000").strip().rstrip("/")
    if not base.startswith(("http://", "https://")):
        raise InputError(f"--url: {url!r} must start with http:// or https://")
    return base
