"""The bundled starter files ``accord init`` copies and the web's case builder starts from.

One source for both: ``src/accord/templates/<name>.yaml``.  Most are case files; a template
may be another kind of document (``charter`` is a plan), which :func:`template_kind` tells.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from accord.errors import InputError, did_you_mean
from accord.io.documents import sniff_kind

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"

# The opening comment reads: # accord case file — template "name": what it is for. More ...
_PURPOSE = re.compile(r'template "[^"]+":\s*(.+?)(?:\.\s|\.?$)')


@dataclass(frozen=True)
class Template:
    """A starter file: its name, the kind of document it is and what it is for."""

    name: str
    kind: str
    purpose: str

    @property
    def path(self) -> Path:
        return TEMPLATES_DIR / f"{self.name}.yaml"

    def text(self) -> str:
        return self.path.read_text(encoding="utf-8")


def template_names() -> list[str]:
    """Names of the bundled templates, sorted."""
    return sorted(p.stem for p in TEMPLATES_DIR.glob("*.yaml"))


def get_template(name: str) -> Template:
    """The template called ``name``; an ``InputError`` naming the others when there is none."""
    names = template_names()
    if name not in names:
        raise InputError(
            f"unknown template '{name}'{did_you_mean(name, names)} (available: {', '.join(names)})"
        )
    path = TEMPLATES_DIR / f"{name}.yaml"
    opening: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        opening.append(line.lstrip("# ").strip())
    found = _PURPOSE.search(" ".join(opening))
    purpose = found.group(1).strip() if found else ""
    return Template(name=name, kind=sniff_kind(path), purpose=purpose)


def case_templates() -> list[Template]:
    """The templates that are case files (what the case builder offers)."""
    return [t for t in map(get_template, template_names()) if t.kind == "case"]
