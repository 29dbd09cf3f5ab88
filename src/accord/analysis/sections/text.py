"""Duplicated initiatives and ideas, and the themes of the ideas."""

from __future__ import annotations

from dataclasses import dataclass, field

from accord.analysis.text import Duplicates, Theme


@dataclass(frozen=True)
class DuplicateFindings:
    """Near-duplicate options (with the budget at stake) and ideas, kept apart.

    Members are ``option:<id>`` / ``idea:<id>`` references (ids are unique per list);
    ``texts`` gives each reference's text.
    """

    options: Duplicates | None
    ideas: Duplicates | None
    themes: list[Theme]
    texts: dict[str, str]
    # Themes of the options (initiatives), grouped as the ideas' themes are.
    option_themes: list[Theme] = field(default_factory=list)
