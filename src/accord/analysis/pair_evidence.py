"""Same work, possibly the same work, or related work: what two initiatives share and lack.

Overall similarity cannot tell "Migrate the help centre to the new CMS" from "Migrate the
marketing site to the new CMS" (the same kind of work on different sites) apart from a true
duplicate: a related pair can score above every paraphrase.  The evidence is in the
difference: the content words each text has and the other lacks.

* **duplicate** (high confidence; its cost counts as redundant): one text's content words
  are all found in the other (the same work, one described in more detail), or both
  signals agree (shared words and, when vectors are given, shared meaning);
* **related**: the same sentence with a part swapped ("... help centre ..." / "... marketing
  site ..."): the shared words come in the same order in both texts (:func:`in_order`: the
  differing words fill the same slot of one template) and each text's own words are no
  more than the words both share, unless word vectors say the swapped parts mean the same
  (:func:`alignment` at least :data:`ALIGNMENT`: "annual" / "yearly"); or shared words,
  but vectors say the texts mean different things while each names something the other
  lacks (a coordination opportunity, never redundant money);
* **possible duplicate**: the rest (each text names something the other lacks and no
  vector can say whether the differences mean the same): the facilitator must confirm.

Words match when equal or when they share their first :data:`PREFIX` characters
("onboard"/"onboarding", "program"/"programme", "self-serve"/"self-service"): truncation
stemming, which for English performs close to Porter's stemmer at 5 characters (Savoy 1999,
"A stemming procedure and stopword list for general French corpora", JASIS, and Can et al.
2008, "Information retrieval on Turkish texts", JASIST, report the 5-character cut).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from accord.analysis.tokens import content_words

PairKind = Literal["duplicate", "possible duplicate", "related"]
PREFIX = 5
# Mean best-match cosine of the differing words below which they name different things.
# Chosen on the development half of tests/data/duplicates/labelled.csv with the packaged
# wordllama model: F1 is flat from 0.30 to 0.40 and this is the middle (the held-out half
# was not used); benchmarks/duplicates.py prints the resulting precision and recall.
ALIGNMENT = 0.35
# At most this many words on each side make a swapped part: a site, team, region or object
# is named in one or two words ("help centre", "Bayern"); longer differences are rewording.
# 2 was the best of 1, 2, 3 and unbounded on the development pairs (lexical and semantic);
# with the in-order test 2, 3 and unbounded tie there and 1 is worse, so 2 was kept.
SWAP = 2


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
    word_vectors: Mapping[str, NDArray[np.float64]] | None = None,
) -> PairEvidence:
    """The evidence for the pair ``a``, ``b`` and its kind (see the module docstring).

    >>> e = compare_texts("Migrate the help centre to the new CMS",
    ...                   "Migrate the marketing site to the new CMS")
    >>> e.kind, e.only_a, e.only_b
    ('related', ('help', 'centre'), ('marketing', 'site'))
    """
    return compare_words(
        content_words(a),
        content_words(b),
        found_by_words=found_by_words,
        vector_similarity=vector_similarity,
        vector_threshold=vector_threshold,
        word_vectors=word_vectors,
    )


def compare_words(
    a: Sequence[str],
    b: Sequence[str],
    *,
    found_by_words: bool = True,
    vector_similarity: float | None = None,
    vector_threshold: float = 0.75,
    word_vectors: Mapping[str, NDArray[np.float64]] | None = None,
    meaning: bool | None = None,
) -> PairEvidence:
    """:func:`compare_texts` on texts already split into content words (each split once).

    ``meaning`` overrides ``vector_similarity >= vector_threshold`` when the caller applied
    a stricter test (mutual nearest neighbours).

    ``word_vectors`` (unit rows, keyed by content word) tell whether swapped parts mean the
    same; without them a swapped part counts as different only when vectors were given.
    """
    words_a = list(dict.fromkeys(a))
    words_b = list(dict.fromkeys(b))
    # same_word as set look-ups: equal words, or the same PREFIX among long-enough words.
    exact_a, stems_a = set(words_a), {w[:PREFIX] for w in words_a if len(w) >= PREFIX}
    exact_b, stems_b = set(words_b), {w[:PREFIX] for w in words_b if len(w) >= PREFIX}
    only_a = tuple(
        w for w in words_a if w not in exact_b and not (len(w) >= PREFIX and w[:PREFIX] in stems_b)
    )
    only_b = tuple(
        w for w in words_b if w not in exact_a and not (len(w) >= PREFIX and w[:PREFIX] in stems_a)
    )
    shared = tuple(w for w in words_a if w not in only_a)
    contained = not only_a or not only_b
    swapped = (
        not contained
        and max(len(only_a), len(only_b)) <= min(len(shared), SWAP)
        and in_order(shared, [w for w in words_b if w not in only_b])
    )
    if meaning is None and vector_similarity is not None:
        meaning = vector_similarity >= vector_threshold
    if vector_similarity is None:
        meaning = None
    kind: PairKind
    if swapped and _differ(only_a, only_b, word_vectors):
        kind = "related"
    elif meaning is False and found_by_words and not contained:
        kind = "related"
    elif (contained and meaning is not False) or (
        found_by_words and meaning is True and not _differ(only_a, only_b, word_vectors, True)
    ):
        kind = "duplicate"
    else:
        kind = "possible duplicate"
    return PairEvidence(kind, shared, only_a, only_b)


def in_order(a: Sequence[str], b: Sequence[str]) -> bool:
    """Whether the words ``a`` and ``b`` (each matching a word of the other, see
    :func:`same_word`) come in the same order: their longest common subsequence holds them
    all.  A part swapped in one sentence template keeps the rest in place ("Migrate the
    **help centre** to the new CMS"); a rewording moves it ("Automate supplier invoice
    matching" / "Three-way match automation for AP invoices").

    >>> in_order(["migrate", "cms"], ["migrate", "cms"]), in_order(["lecture", "recordings"],
    ...     ["record", "lectures"])
    (True, False)
    """
    # One word matching two of the other's ("referral": "refer-a-friend", "referred") is not
    # one template either.
    if len(a) != len(b):
        return False
    # Longest common subsequence by dynamic programming, on the PREFIX keys same_word
    # compares (Wagner & Fischer 1974, "The string-to-string correction problem", JACM).
    left = [w[:PREFIX] if len(w) >= PREFIX else w for w in a]
    right = [w[:PREFIX] if len(w) >= PREFIX else w for w in b]
    previous = [0] * (len(right) + 1)
    for x in left:
        current = [0]
        for j, y in enumerate(right):
            current.append(previous[j] + 1 if x == y else max(previous[j + 1], current[j]))
        previous = current
    return previous[-1] == len(a)


def alignment(
    a: Sequence[str], b: Sequence[str], word_vectors: Mapping[str, NDArray[np.float64]]
) -> float | None:
    """Mean best-match cosine between the words ``a`` and ``b`` (unit vectors), both ways.

    Each word is matched to its closest word on the other side and the two directions'
    means are averaged (the greedy matching of BERTScore; Zhang et al. 2020, "BERTScore:
    evaluating text generation with BERT", ICLR).  None when a word has no vector.

    >>> v = {"annual": np.array([1.0, 0.0]), "yearly": np.array([0.96, 0.28]),
    ...      "rotterdam": np.array([0.0, 1.0])}
    >>> round(alignment(["annual"], ["yearly"], v), 2), alignment(["annual"], ["rotterdam"], v)
    (0.96, 0.0)
    """
    if not a or not b or any(w not in word_vectors for w in (*a, *b)):
        return None
    left = np.array([word_vectors[w] for w in a])
    right = np.array([word_vectors[w] for w in b])
    cosine = left @ right.T
    return float((cosine.max(axis=1).mean() + cosine.max(axis=0).mean()) / 2)


def _differ(
    a: Sequence[str],
    b: Sequence[str],
    word_vectors: Mapping[str, NDArray[np.float64]] | None,
    unknown: bool = True,
) -> bool:
    """Whether the parts ``a`` and ``b`` name different things (``unknown`` without word
    vectors; a word without a vector counts as different)."""
    if word_vectors is None:
        return unknown
    score = alignment(a, b, word_vectors)
    return score is None or score < ALIGNMENT
