"""``accord facilitator add EMAIL``: create a facilitator account for the web app.

The password is asked for twice on a terminal, or read from the first line of standard
input otherwise (``printf '%s\\n' "$PASSWORD" | accord facilitator add ...``), so it never
appears in the process list or the shell history.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

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
