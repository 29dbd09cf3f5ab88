"""Documentation cannot drift: every command and voting rule is documented, and the site
(mkdocs.yml) builds strictly with references generated from the code."""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer.main
import yaml

from accord.analysis.sections.analysis import analysis_schema
from accord.analysis.voting import RULES
from accord.cli import app
from accord.cli.api import openapi_document
from accord.io import schema_doc

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


# The documentation site (mkdocs.yml): built here with --strict, so `make test` fails on a
# broken link or anchor, a nav entry without its page, or a generated page that cannot be
# rendered; `make docs` builds the same site into site/.

ROOT = DOCS.parent
# Pages written at build time by docs/gen/hooks.py (never committed).
GENERATED = {"index.md", "reference/analysis-output.md", "reference/cli.md", "reference/api.md"}


def _nav_pages(entries: object) -> list[str]:
    if isinstance(entries, str):
        return [entries]
    if isinstance(entries, list):
        return [page for entry in entries for page in _nav_pages(entry)]
    if isinstance(entries, dict):
        return [page for value in entries.values() for page in _nav_pages(value)]
    return []


def _site_config() -> dict[str, Any]:
    config: dict[str, Any] = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    return config


def _mkdocs_build(config: Path, site: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config), "-d", str(site)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        timeout=600,
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("site")
    built = _mkdocs_build(ROOT / "mkdocs.yml", folder)
    assert built.returncode == 0, f"mkdocs build --strict failed:\n{built.stdout}{built.stderr}"
    return folder


def test_every_docs_page_is_in_the_site_nav() -> None:
    nav = set(_nav_pages(_site_config()["nav"]))
    pages = {
        path.relative_to(DOCS).as_posix()
        for path in DOCS.rglob("*.md")
        if path.relative_to(DOCS).parts[0] != "gen"
    }
    missing = sorted(pages - nav)
    assert not missing, (
        f"docs pages missing from the nav in mkdocs.yml: {missing}; add each under 'Guide' "
        "(connector pages under a 'Connectors' entry after 'Webhooks')"
    )
    absent = sorted(nav - pages - GENERATED)
    assert not absent, f"mkdocs.yml nav names pages that do not exist in docs/: {absent}"


@pytest.mark.slow
def test_site_builds_strict_with_the_generated_references(site: Path) -> None:
    cli = (site / "reference" / "cli.html").read_text(encoding="utf-8")
    missing = [path for path in _command_paths() if f">accord {path}<" not in cli]
    assert not missing, f"commands without a section in the CLI reference: {missing}"
    assert "Usage: accord token create [OPTIONS]" in cli  # the real --help, not a summary

    document = openapi_document()
    api = html.unescape((site / "reference" / "api.html").read_text(encoding="utf-8"))
    operations = [f"{m.upper()} {p}" for p, item in document["paths"].items() for m in item]
    missing = [operation for operation in operations if f">{operation}<" not in api]
    assert not missing, f"operations missing from the API reference: {missing}"
    missing = [name for name in document["components"]["schemas"] if f">{name}<" not in api]
    assert not missing, f"schemas missing from the API reference: {missing}"

    analysis = (site / "reference" / "analysis-output.html").read_text(encoding="utf-8")
    schema = analysis_schema()
    names = [*schema["properties"], *schema["$defs"]]
    missing = [name for name in names if f">{name}<" not in analysis]
    assert not missing, f"analysis fields or types missing from its reference: {missing}"

    home = (site / "index.html").read_text(encoding="utf-8")
    assert 'href="case-format.html"' in home  # README's docs/ links, as site links


# A page may link out (<a href="https://...">), but nothing the browser loads by itself
# (script, style sheet, font, image, preconnect) may come from the network.
_FETCHED = re.compile(
    r"<(?:script|img|iframe|source)\b[^>]*\bsrc=[\"']?(?:https?:)?//"
    r"|<link\b[^>]*\bhref=[\"']?(?:https?:)?//"
    r"|url\([\"']?(?:https?:)?//"
    r"|@import\s+[\"']?(?:url\()?[\"']?(?:https?:)?//",
    re.I,
)


@pytest.mark.slow
def test_site_loads_nothing_from_the_network(site: Path) -> None:
    fetching = sorted(
        f"{path.relative_to(site)}: {found.group(0)}"
        for path in site.rglob("*")
        if path.suffix in {".html", ".css", ".js"}
        for found in _FETCHED.finditer(path.read_text(encoding="utf-8", errors="replace"))
    )
    assert not fetching, f"the site fetches from the network: {fetching[:10]}"


@pytest.mark.slow
@pytest.mark.parametrize(
    ("page", "nav", "complaint"),
    [
        ("See [the guide](guide.md).\n", ["page.md"], "guide.md"),
        ("# Page\n\nSee [a section](#no-such-section).\n", ["page.md"], "no-such-section"),
        ("# Page\n", ["page.md", "missing.md"], "missing.md"),
    ],
    ids=["broken-link", "broken-anchor", "nav-without-page"],
)
def test_strict_build_fails_on(tmp_path: Path, page: str, nav: list[str], complaint: str) -> None:
    """The site's own settings (theme, validation) refuse each mistake; without this a
    relaxed validation level would let them through as INFO lines."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "page.md").write_text(page, encoding="utf-8")
    config = {k: v for k, v in _site_config().items() if k not in {"hooks", "exclude_docs"}}
    config.update(docs_dir=str(tmp_path / "docs"), nav=nav)
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    built = _mkdocs_build(tmp_path / "mkdocs.yml", tmp_path / "site")
    assert built.returncode != 0, built.stderr
    assert complaint in built.stderr, built.stderr


def test_output_references_say_when_a_value_may_be_null() -> None:
    voting = {"anyOf": [{"$ref": "#/$defs/Voting"}, {"type": "null"}]}
    assert schema_doc.field_type(voting, show_null=True) == "[Voting](#voting) or null"
    # A case file's optional field is left out, never written as null: no "or null" there.
    assert schema_doc.field_type(voting) == "[Voting](#voting)"
    page = schema_doc.render_schema(analysis_schema(), "# Analysis\n", "Analysis", "", True)
    assert "| `voting` | [Voting](#voting) or null | yes |" in page
