"""MkDocs hooks (mkdocs.yml ``hooks:``): the pages that are written at build time from the
code, never by hand: the home page from README.md, the case-file reference from its JSON
Schema, the analysis-output reference from the typed analysis contract, the CLI reference
from the real ``--help``, and the API reference from the OpenAPI document.  Nothing here
reaches the network; ``mkdocs build --strict`` fails on a broken link in any of them."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the renderers beside this file

import api_reference  # noqa: E402
import cli_reference  # noqa: E402

from accord.analysis.sections.analysis import analysis_schema  # noqa: E402
from accord.cli.api import openapi_document  # noqa: E402
from accord.io import schema_doc  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]

ANALYSIS_INTRO = """\
# Analysis output reference

<!-- Generated at build time from the typed analysis contract; edit the types. -->

Every field of `accord analyze CASE --json` (and of `Analysis.to_dict()`, and of the API's
`GET /api/v1/cases/{case_id}/analysis`), from the JSON Schema that `accord schema --kind
analysis` prints. What the numbers mean, with formulas and sources, is in
[Analysis](../analysis.md).
"""


def readme_as_home() -> str:
    """README.md with its links made site links: ``docs/x.md`` becomes ``x.md``; a link to a
    file outside docs/ (not on the site) keeps its text as a path."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")

    def relink(match: re.Match[str]) -> str:
        label, target = match.group(1), match.group(2)
        if target.startswith(("http://", "https://", "#")):
            return match.group(0)
        if target.startswith("docs/"):
            return f"[{label}]({target.removeprefix('docs/')})"
        return label if label.startswith("`") else f"`{label}`"

    return re.sub(r"\[([^\]]+)\]\(([^)\s]+)\)", relink, text)


def analysis_reference() -> str:
    return schema_doc.render_schema(
        analysis_schema(),
        ANALYSIS_INTRO,
        "Analysis",
        "The top level of the analysis.",
        show_null=True,
    )


# Site path -> what writes the page.
GENERATED: dict[str, Callable[[], str]] = {
    "index.md": readme_as_home,
    "reference/analysis-output.md": analysis_reference,
    "reference/cli.md": cli_reference.render,
    "reference/api.md": lambda: api_reference.render(openapi_document()),
}

# Committed pages that are still rendered from the code at build time (a test keeps the
# committed copy equal to this, for readers of the repository).
RENDERED_OVER: dict[str, Callable[[], str]] = {"case-format.md": schema_doc.render}


def on_files(files: Files, config: MkDocsConfig, **_: Any) -> Files:
    for uri, render in GENERATED.items():
        if files.get_file_from_path(uri) is not None:
            raise ValueError(f"docs/{uri}: remove it; the site generates this page")
        files.append(File.generated(config, uri, content=render()))
    return files


def on_page_read_source(page: Page, config: MkDocsConfig, **_: Any) -> str | None:
    render = RENDERED_OVER.get(page.file.src_uri)
    return render() if render else None
