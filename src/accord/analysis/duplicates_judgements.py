"""The facilitator's judgements on candidate duplicate pairs, as the analysis reads them (pure).

Similarity proposes pairs; the people who know the work decide.  A judgement overrides the
computed kind of its pair:

* ``duplicate``: the same work, confirmed; its cost counts as redundant money;
* ``related``: related work, not a duplicate (coordinate, never merge, no money);
* ``not_related``: the pair is dismissed; it joins no cluster and is listed apart so the
  report can say who dismissed it.

A judged pair is reported whether or not a similarity signal found it: a confirmation of a
pair that shares neither words nor meaning is still the facilitator's call.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

Verdict = Literal["duplicate", "related", "not_related"]
# Two reference ids (e.g. "option:crm-a"), in either order.
PairKey = frozenset[str]


@dataclass(frozen=True)
class Judgement:
    """Who judged a pair, when, and what they decided."""

    verdict: Verdict
    by: str
    date: dt.date


def pair_key(a: str, b: str) -> PairKey:
    """The key of the unordered pair ``a``, ``b``.

    >>> pair_key("option:b", "option:a") == pair_key("option:a", "option:b")
    True
    """
    return frozenset((a, b))


def judged_pairs(
    ids: Iterable[str], judgements: Mapping[PairKey, Judgement] | None
) -> list[tuple[int, int, Judgement]]:
    """``(i, j, judgement)`` with ``i < j`` for each judged pair whose two ids are in ``ids``.

    Judgements naming an id that is not in ``ids`` are skipped (the case loader reports
    unknown ids; ideas and options are judged in separate lists).

    >>> j = Judgement("duplicate", "maria", dt.date(2026, 11, 3))
    >>> judged_pairs(["x", "y", "z"], {pair_key("z", "x"): j})
    [(0, 2, Judgement(verdict='duplicate', by='maria', date=datetime.date(2026, 11, 3)))]
    """
    if not judgements:
        return []
    index: dict[str, int] = {}
    for i, ref in enumerate(ids):
        index.setdefault(ref, i)
    found: list[tuple[int, int, Judgement]] = []
    for key, judgement in judgements.items():
        members = sorted(index[ref] for ref in key if ref in index)
        if len(key) == 2 and len(members) == 2:
            found.append((members[0], members[1], judgement))
    found.sort(key=lambda t: (t[0], t[1]))
    return found


_VERDICT_WORDS: dict[Verdict, str] = {
    "duplicate": "confirmed as a duplicate",
    "related": "judged related work, not a duplicate",
    "not_related": "judged not related",
}


def judged_phrase(judgement: Judgement, who: str) -> str:
    """Whose judgement it was, for reports: ``who`` is the judge's display name.

    >>> judged_phrase(Judgement("related", "maria", dt.date(2026, 11, 3)), "Maria Chen")
    'judged related work, not a duplicate by Maria Chen on 2026-11-03'
    """
    return f"{_VERDICT_WORDS[judgement.verdict]} by {who} on {judgement.date.isoformat()}"
