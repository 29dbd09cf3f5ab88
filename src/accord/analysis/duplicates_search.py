"""Which pairs of texts are similar enough to compare, found block by block (pure).

The full ``n x n`` similarity matrix of :func:`accord.analysis.text.similarity_matrix`
costs ``8 n^2`` bytes per view: 0.8 GB per matrix at 10,000 texts.  Here the TF-IDF rows
are sparse (scipy CSR) and the products are taken for a block of rows at a time, keeping
only the pairs ``i < j`` at or above a threshold, so memory is ``block x n`` whatever ``n``.
The similarities are the same numbers as ``similarity_matrix``'s (a test checks it).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray
from scipy import sparse

from accord.analysis.tokens import content_words

if TYPE_CHECKING:
    from accord.analysis.text import TermMatrix

# Rows per block: 512 x 10,000 texts x 8 bytes = 41 MB per view.
BLOCK = 512


@dataclass(frozen=True)
class Candidates:
    """Pairs ``(a[k], b[k])``, ``a[k] < b[k]``, found by words and/or meaning."""

    a: NDArray[np.intp]
    b: NDArray[np.intp]
    similarity: NDArray[np.float64]  # (cos_word + cos_char) / 2
    by_words: NDArray[np.bool_]  # similarity >= threshold
    by_meaning: NDArray[np.bool_]  # cosine >= vector_threshold (and mutual neighbours)
    cosine: NDArray[np.float64] | None  # cosine of the vectors (None: no vectors)


def _rows(m: TermMatrix) -> sparse.csr_matrix:
    return sparse.csr_matrix(
        (m.weight, (m.text, m.term)), shape=(m.texts, len(m.vocabulary)), dtype=np.float64
    )


def candidate_pairs(
    words: TermMatrix | None,
    chars: TermMatrix,
    threshold: float,
    unit_vectors: NDArray[np.float64] | None = None,
    vector_threshold: float = 1.0,
    block: int = BLOCK,
    neighbours: int | None = None,
) -> Candidates:
    """Pairs whose similarity reaches ``threshold`` or whose unit vectors' cosine reaches
    ``vector_threshold``.  ``words`` None: no text has a word term, so characters alone
    make the similarity (as in ``similarity_matrix``).

    With ``neighbours`` k, a pair found by its vectors must also be mutual k-nearest
    neighbours (each among the other's k closest texts): a static model's cosines are
    low for paraphrases and only a little lower for unrelated texts, so an absolute cut
    links whole lists together; the relative test keeps the pairs that stand out from
    each text's own neighbourhood (the k-NN margin of Artetxe & Schwenk 2019, "Margin-based
    parallel corpus mining with multilingual sentence embeddings", ACL).
    """
    n = chars.texts
    kth = None
    if unit_vectors is not None and neighbours is not None and n > 1:
        kth = _kth_best(unit_vectors, min(neighbours, n - 1), block)
    by_char = _rows(chars)
    by_word = by_char if words is None else _rows(words)
    found: list[tuple[NDArray[np.intp], ...]] = []
    sims: list[NDArray[np.float64]] = []
    cosines: list[NDArray[np.float64]] = []
    meant: list[NDArray[np.bool_]] = []
    for start in range(0, n, block):
        stop = min(n, start + block)
        sim = 0.5 * (by_word[start:stop] @ by_word.T).toarray()
        sim += 0.5 * (by_char[start:stop] @ by_char.T).toarray()
        keep = sim >= threshold
        cos = None
        if unit_vectors is not None:
            cos = unit_vectors[start:stop] @ unit_vectors.T
            close = cos >= vector_threshold
            if kth is not None:
                close &= (cos >= kth[start:stop, None]) & (cos >= kth[None, :])
            keep |= close
        rows = np.arange(start, stop)[:, None]
        keep &= np.arange(n)[None, :] > rows  # each unordered pair once
        i, j = np.nonzero(keep)
        found.append((i + start, j))
        sims.append(np.clip(sim[i, j], 0.0, 1.0))
        if cos is not None:
            cosines.append(np.clip(cos[i, j], -1.0, 1.0))
            meant.append(close[i, j])
    a = np.concatenate([f[0] for f in found]) if found else np.zeros(0, dtype=np.intp)
    b = np.concatenate([f[1] for f in found]) if found else np.zeros(0, dtype=np.intp)
    similarity = np.concatenate(sims) if sims else np.zeros(0)
    cosine = None
    if unit_vectors is not None:
        cosine = np.concatenate(cosines) if cosines else np.zeros(0)
    by_meaning = np.concatenate(meant) if meant else np.zeros(len(a), dtype=bool)
    return Candidates(
        a.astype(np.intp),
        b.astype(np.intp),
        similarity,
        similarity >= threshold,
        by_meaning,
        cosine,
    )


def _kth_best(unit: NDArray[np.float64], k: int, block: int) -> NDArray[np.float64]:
    """Each row's k-th highest cosine with another row."""
    n = unit.shape[0]
    out = np.empty(n)
    for start in range(0, n, block):
        stop = min(n, start + block)
        cos = unit[start:stop] @ unit.T
        cos[np.arange(stop - start), np.arange(start, stop)] = -np.inf  # not itself
        out[start:stop] = np.partition(cos, n - k, axis=1)[:, n - k]
    return out


def word_vectors_for(
    texts: Sequence[str], text_vectors: Mapping[str, Sequence[float]] | None
) -> dict[str, NDArray[np.float64]] | None:
    """Unit vectors of the content words of ``texts`` that ``text_vectors`` holds (None
    without vectors or when it holds no word; words without a vector are left out, and
    their swaps count as different)."""
    if text_vectors is None:
        return None
    found: dict[str, NDArray[np.float64]] = {}
    for text in texts:
        for word in content_words(text):
            if word in found or word not in text_vectors:
                continue
            row = np.asarray(text_vectors[word], dtype=np.float64)
            norm = float(np.linalg.norm(row))
            if norm > 0 and np.isfinite(norm):
                found[word] = row / norm
    return found or None  # no word embedded: compare the texts' vectors only
