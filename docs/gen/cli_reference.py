"""The CLI reference page: the real ``--help`` of accord and of every command and
subcommand, run in-process through Typer's test runner (what a user's terminal shows)."""

from __future__ import annotations

from typing import Any

import typer.main
from typer.testing import CliRunner

from accord.cli import app

WIDTH = 80  # the help text wraps as in an 80-column terminal (and fits the page)


def command_paths() -> list[list[str]]:
    """Every command's words after ``accord``: ``[]`` (the root), ``["token"]``,
    ``["token", "create"]``, ... in the order ``accord --help`` lists them."""
    paths: list[list[str]] = []

    # Duck-typed: Typer's commands are its own vendored Click's, not click.Group's.
    def walk(command: Any, words: list[str]) -> None:
        paths.append(words)
        for name, sub in getattr(command, "commands", {}).items():
            if not sub.hidden:
                walk(sub, [*words, name])

    walk(typer.main.get_command(app), [])
    return paths


def help_text(words: list[str]) -> str:
    """What ``accord WORDS --help`` prints."""
    result = CliRunner().invoke(app, [*words, "--help"], terminal_width=WIDTH, color=False)
    if result.exit_code != 0:
        raise RuntimeError(f"accord {' '.join(words)} --help exited {result.exit_code}")
    output: str = result.output
    return output.rstrip()


def render() -> str:
    """The whole reference page."""
    lines = [
        "# CLI reference",
        "",
        "<!-- Generated at build time from each command's --help; edit the commands. -->",
        "",
        "What `--help` prints for `accord` and each of its commands. The guide, with examples, "
        "is [Command line](../cli.md).",
        "",
    ]
    for words in command_paths():
        lines += [f"## {' '.join(['accord', *words])}", "", "```text", help_text(words), "```", ""]
    return "\n".join(lines).rstrip() + "\n"
