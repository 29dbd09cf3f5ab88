"""Documentation cannot drift: every command and voting rule is documented."""

from __future__ import annotations

import re
from pathlib import Path

import typer.main

from accord.analysis.voting import RULES
from accord.cli import app

DOCS = Path(__file__).resolve().parent.parent / "docs"


def _command_paths() -> list[str]:
    root = typer.main.get_command(app)
    paths: list[str] = []
    for name, command in root.commands.items():  # type: ignore[attr-defined]
        subcommands = getattr(command, "commands", None)
        if subcommands:
            paths.extend(f"{name} {sub}" for sub in subcommands)
        else:
            paths.append(name)
    return paths


def test_every_cli_command_has_a_section_in_cli_docs() -> None:
    text = (DOCS / "cli.md").read_text()
    headings = set(re.findall(r"^## accord (.+)$", text, flags=re.M))
    missing = [path for path in _command_paths() if path not in headings]
    assert not missing, f"commands without a '## accord <name>' section in docs/cli.md: {missing}"


def test_every_voting_rule_is_documented() -> None:
    text = (DOCS / "voting.md").read_text()
    missing = [rule for rule in RULES if f"`{rule}`" not in text and f"## {rule}" not in text]
    assert not missing, f"voting rules missing from docs/voting.md: {missing}"


def test_readme_links_every_user_guide_page() -> None:
    readme = (DOCS.parent / "README.md").read_text()
    pages = sorted(p.name for p in DOCS.glob("*.md"))
    missing = [page for page in pages if f"docs/{page}" not in readme]
    assert not missing, f"docs pages not linked from README.md: {missing}"
