"""The ``accord`` command line: thin Typer commands over the layers below.

Each command lives in its own module under ``accord.cli`` and exposes
``register(app)``.  Command modules import only Typer at module level and load
heavy libraries inside the command body, so ``accord --help`` stays fast.

Errors are turned into output here and nowhere else: an :class:`AccordError`
prints its located problems (or the JSON error shape under ``--json``) and exits
with the error's code; no traceback is ever shown unless ``ACCORD_DEBUG=1``.
"""

from __future__ import annotations

import os
import sys
from importlib import import_module

import typer

from accord import __version__
from accord.cli.output import print_error
from accord.errors import AccordError

# One line per command module; order is the order in `accord --help`.
COMMAND_MODULES: tuple[str, ...] = (
    "accord.cli.case",
    "accord.cli.analyze",
    "accord.cli.report",
    "accord.cli.vote",
    "accord.cli.plan",
    "accord.cli.decide",
    "accord.cli.actions",
    "accord.cli.cadence",
    "accord.cli.opinion",
    "accord.cli.serve",
    "accord.cli.facilitator",
    "accord.cli.api",
    "accord.cli.db",
)

app = typer.Typer(
    name="accord",
    help="Stakeholder alignment: case files as code, decision analysis, reports, workshops.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"accord {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", help="Show the version and exit.", callback=_version, is_eager=True
    ),
) -> None:
    """Stakeholder alignment: case files as code, decision analysis, reports, workshops."""


for _module in COMMAND_MODULES:
    import_module(_module).register(app)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``accord`` script; returns the process exit code."""
    args = sys.argv[1:] if argv is None else argv
    want_json = "--json" in args
    try:
        # standalone mode: Typer itself renders usage errors (exit 2) and --help.
        app(args=args, prog_name="accord", standalone_mode=True)
    except SystemExit as done:
        return done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    except AccordError as error:
        print_error(error, as_json=want_json)
        return error.exit_code
    except Exception as unexpected:  # a bug: say so plainly, never a traceback
        if os.environ.get("ACCORD_DEBUG"):
            raise
        print(
            f"accord: internal error: {type(unexpected).__name__}: {unexpected}\n"
            "This is a bug in accord; run again with ACCORD_DEBUG=1 for the traceback.",
            file=sys.stderr,
        )
        return 70
    return 0


def run() -> None:  # pragma: no cover - exercised through the console script
    sys.exit(main())
