"""``accord db upgrade``: bring the database (ACCORD_DATABASE_URL, default ./accord.db) to
the newest schema, e.g. once when a container starts, before the web workers."""

from __future__ import annotations

import typer

database = typer.Typer(help="The web app's database.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(database, name="db")


@database.command("upgrade")
def upgrade_command(
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
) -> None:
    """Apply every pending migration (safe to run again, and from several hosts at once)."""
    import sqlalchemy as sa

    from accord.cli.output import emit_json
    from accord.store import create_engine_for, upgrade
    from accord.web.settings import Settings

    url = Settings.from_environ().database_url
    engine = create_engine_for(url)
    try:
        upgrade(engine)
        with engine.connect() as connection:
            revision = connection.execute(sa.text("SELECT version_num FROM alembic_version"))
            head = revision.scalar_one()
    except sa.exc.OperationalError as error:
        from accord.errors import InputError

        raise InputError(f"ACCORD_DATABASE_URL: cannot reach the database ({error.orig})") from None
    finally:
        engine.dispose()
    shown = engine.url.render_as_string(hide_password=True)
    if as_json:
        emit_json({"database": shown, "revision": head})
    else:
        typer.echo(f"{shown}: at revision {head}")
