"""Suggested idea groups for the facilitator: themes found in the revealed ideas.

A suggestion is only a starting point: the console shows each one as a pre-filled grouping
form (its ideas ticked, its label typed in) that the facilitator accepts as it is or edits
first; nothing becomes a group until they send it as an ordinary ``ideas_grouped`` command.
The themes come from :func:`accord.analysis.text.themes` on the current item's ideas not yet
in a group, compared as ``accord analyze`` compares texts: by words, and by meaning with the
``accord[semantic]`` model when it is installed (:mod:`accord.io.case_meaning`'s model and
rule; loaded once per process, off with ``ACCORD_SEMANTIC=off``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from accord.analysis.duplicates_search import word_vectors_for
from accord.analysis.text import themes
from accord.analysis.tokens import content_words
from accord.io.semantic import Meaning, meaning_unless_off
from accord.workshop.state import WorkshopState

LABEL_MAX = 120  # the grouping rule's limit on a label


@dataclass(frozen=True)
class SuggestedGroup:
    """Ideas that read as one theme, and a label made from the theme's top terms."""

    label: str
    ideas: tuple[str, ...]


def suggested_groups(state: WorkshopState) -> tuple[SuggestedGroup, ...]:
    """Themes among the current item's ungrouped ideas, largest first; () outside group."""
    item = state.current_item
    if item is None or state.phase != "group":
        return ()
    ideas = [idea for idea in state.item_ideas(item) if state.group_of(idea.id) is None]
    meaning = meaning_unless_off()
    return _suggest(tuple(i.id for i in ideas), tuple(i.text for i in ideas), meaning)


@lru_cache(maxsize=256)
def _suggest(
    ids: tuple[str, ...], texts: tuple[str, ...], meaning: Meaning
) -> tuple[SuggestedGroup, ...]:
    # Cached on the ideas themselves (and the model): every board the facilitator receives
    # during group asks again, and the answer changes only when an idea is grouped.
    found = themes(ids, texts, **_by_meaning(texts, meaning))
    return tuple(SuggestedGroup(_label(theme.top_terms), tuple(theme.members)) for theme in found)


def _by_meaning(texts: tuple[str, ...], meaning: Meaning) -> dict[str, Any]:
    if meaning.encoder is None or len(texts) < 2:
        return {}
    keys = list(dict.fromkeys([*texts, *(w for t in texts for w in content_words(t))]))
    table = dict(zip(keys, meaning.encoder(keys), strict=True))
    return {
        "vectors": np.array([table[t] for t in texts]),
        "word_vectors": word_vectors_for(texts, table),
        "vector_threshold": meaning.threshold,
        "vector_neighbours": meaning.neighbours,
    }


def _label(terms: list[str]) -> str:
    # "referral programme" says what "referral" and "programme" say: keep the phrase only.
    kept = [t for t in terms if not any(t != o and t in o.split() for o in terms)]
    label = ", ".join(kept) or "theme"
    label = label[:1].upper() + label[1:]
    return label[:LABEL_MAX]
