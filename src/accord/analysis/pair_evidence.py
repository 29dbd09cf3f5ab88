"""Same work, possibly the same work, or related work: what two initiatives share and lack.

Overall similarity cannot tell "Migrate the help centre to the new CMS" from "Migrate the
marketing site to the new CMS" (the same kind of work on different sites) apart from a true
duplicate: a related pair can score above every paraphrase.  The evidence is in the
difference: the content words each text has and the other lacks.

* **duplicate** (high confidence; its cost counts as redundant): one text's content words
  are all found in the other (the same work, one described in more detail), or both
  signals agree (shared words and, when vectors are given, shared meaning);
* **related**: shared words, but vectors say the texts mean different things while each
  names something the other lacks (a coordination opportunity, never redundant money);
* **possible duplicate**: the rest (each text names something the other lacks and no
  vector can say whether the differences mean the same): the facilitator must confirm.

Words match when equal or when they share their first :data:`PREFIX` characters
("onboard"/"onboarding", "program"/"programme", "self-serve"/"self-service"): truncation
stemming, which for English performs close to Porter's stemmer at 5 characters (Savoy 1999,
"A stemming procedure and stopword list for general French corpora", JASIS, and Can et al.
2008, "Information retrieval on Turkish texts", JASIST, report the 5-character cut).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from accord.analysis.tokens import content_words

PairKind = Literal["duplicate", "possible duplicate", "related"]
PREFIX = 5


@dataclass(frozen=True)
class PairEvidence:
    """The content words two texts share, those only the first or only the second has,
    and the kind of pair that follows."""

    kind: PairKind
    shared: tuple[str, ...]
    only_a: tuple[str, ...]
    only_b: tuple[str, ...]


def same_word(x: str, y: str) -> bool:
    """Equal, or the same first :data:`PREFIX` characters (both at least that long).

    >>> same_word("onboarding", "onboard"), same_word("web", "webinar")
    (True, False)
    """
    return x == y or (len(x) >= PREFIX and len(y) >= PREFIX and x[:PREFIX] == y[:PREFIX])


def compare_texts(
    a: str,
    b: str,
    *,
    found_by_words: bool = True,
    vector_similarity: float | None = None,
    vector_threshold: float = 0.75,
) -> PairEvidence:
    """The evidence for the pair ``a``, ``b`` and its kind (see the module docstring).

    >>> e = compare_texts("Migrate the help centre to the new CMS",
    ...                   "Migrate the marketing site to the new CMS")
    >>> e.kind, e.only_a, e.only_b
    ('possible duplicate', ('help', 'centre'), ('marketing', 'site'))
    """
    return compare_words(
        content_words(a),
        content_words(b),
        found_by_words=found_by_words,
        vector_similarity=vector_similarity,
        vector_threshold=vector_threshold,
    )


def compare_words(
    a: Sequence[str],
    b: Sequence[str],
    *,
    found_by_words: bool = True,
    vector_similarity: float | None = None,
    vector_threshold: float = 0.75,
) -> PairEvidence:
    """:func:`compare_texts` on texts already split into content words (each split once)."""
    words_a = list(dict.fromkeys(a))
    words_b = list(dict.fromkeys(b))
    only_a = tuple(w for w in words_a if not any(same_word(w, v) for v in words_b))
    only_b = tuple(w for w in words_b if not any(same_word(w, v) for v in words_a))
    shared = tuple(w for w in words_a if w not in only_a)
    contained = not only_a or not only_b
    meaning = None if vector_similarity is None else vector_similarity >= vector_threshold
    kind: PairKind
    if meaning is False and found_by_words and not contained:
        kind = "related"
    elif (contained and meaning is not False) or (found_by_words and meaning is True):
        kind = "duplicate"
    else:
        kind = "possible duplicate"
    return PairEvidence(kind, shared, only_a, only_b)
