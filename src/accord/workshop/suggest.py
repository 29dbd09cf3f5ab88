"""Suggested idea groups for the facilitator: themes found in the revealed ideas (pure).

A suggestion is only a starting point: the console shows each one as a pre-filled grouping
form (its ideas ticked, its label typed in) that the facilitator accepts as it is or edits
first; nothing becomes a group until they send it as an ordinary ``ideas_grouped`` command.
The themes come from :func:`accord.analysis.text.themes` (average-linkage clustering on the
TF-IDF similarity of the ideas' texts), run on the current item's ideas not yet in a group.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from accord.analysis.text import themes
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
    return _suggest(tuple(i.id for i in ideas), tuple(i.text for i in ideas))


@lru_cache(maxsize=256)
def _suggest(ids: tuple[str, ...], texts: tuple[str, ...]) -> tuple[SuggestedGroup, ...]:
    # Cached on the ideas themselves: every board the facilitator receives during group
    # asks again, and the answer changes only when an idea is grouped.
    found = themes(ids, texts)
    return tuple(SuggestedGroup(_label(theme.top_terms), tuple(theme.members)) for theme in found)


def _label(terms: list[str]) -> str:
    # "referral programme" says what "referral" and "programme" say: keep the phrase only.
    kept = [t for t in terms if not any(t != o and t in o.split() for o in terms)]
    label = ", ".join(kept) or "theme"
    label = label[:1].upper() + label[1:]
    return label[:LABEL_MAX]
