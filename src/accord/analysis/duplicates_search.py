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
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray
from scipy import sparse

from accord.analysis.tokens import content_words

if TYPE_CHECKING:
    from accord.analysis.text import TermMatrix

# Rows per block: 512 x 10,000 texts x 8 bytes = 41 MB per view.
BLOCK = 512
# Nearest texts by cosine that the meaning score is computed for, per text: the k (<= 5)
# best by score are among them in practice (20 instead of 10 changed 5 of 1,908 pairs found
# by meaning among the benchmark's 1,000 initiatives), at n x 10 pairs scored whatever n.
SHORTLIST = 10


@dataclass(frozen=True)
class Candidates:
    """Pairs ``(a[k], b[k])``, ``a[k] < b[k]``, found by words and/or meaning."""

    a: NDArray[np.intp]
    b: NDArray[np.intp]
    similarity: NDArray[np.float64]  # (cos_word + cos_char) / 2
    by_words: NDArray[np.bool_]  # similarity >= threshold
    by_meaning: NDArray[np.bool_]  # found by the vectors (see candidate_pairs)
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
    word_rows: Sequence[NDArray[np.float64]] | None = None,
) -> Candidates:
    """Pairs whose similarity reaches ``threshold`` or that their vectors find.  ``words``
    None: no text has a word term, so characters alone make the similarity (as in
    ``similarity_matrix``).

    Without ``neighbours``, vectors find a pair when its cosine reaches
    ``vector_threshold`` (a sentence-embedding model's absolute cut).  With ``neighbours``
    k (a static model: its cosines are low for paraphrases and only a little lower for
    unrelated lines of one domain, so an absolute cut links whole lists), each text's
    :data:`SHORTLIST` nearest texts by cosine are scored by :func:`meaning_scores`, and a
    pair is found when that score reaches ``vector_threshold`` and one text is among the
    other's k best-scoring texts: a top-k search, ``n x SHORTLIST`` pairs scored instead of
    ``n^2``, which also bounds how many suggestions one text can make.  ``word_rows`` are
    the unit vectors of each text's content words (see :func:`meaning_scores`).
    """
    n = chars.texts
    by_char = _rows(chars)
    by_word = by_char if words is None else _rows(words)
    found: list[NDArray[np.int64]] = []
    for start in range(0, n, block):
        stop = min(n, start + block)
        sim = 0.5 * (by_word[start:stop] @ by_word.T).toarray()
        sim += 0.5 * (by_char[start:stop] @ by_char.T).toarray()
        keep = sim >= threshold
        if unit_vectors is not None and neighbours is None:
            keep |= unit_vectors[start:stop] @ unit_vectors.T >= vector_threshold
        keep &= np.arange(n)[None, :] > np.arange(start, stop)[:, None]  # i < j, once
        i, j = np.nonzero(keep)
        found.append((i + start) * n + j)
    meant = np.zeros(0, dtype=np.int64)
    if unit_vectors is not None and neighbours is not None and n > 1:
        meant, _ = nearest_by_meaning(unit_vectors, word_rows, vector_threshold, neighbours, block)
        found.append(meant)
    keys = np.unique(np.concatenate(found)) if found else np.zeros(0, dtype=np.int64)
    a, b = (keys // max(n, 1)).astype(np.intp), (keys % max(n, 1)).astype(np.intp)
    similarity = np.clip(0.5 * (_row_dots(by_word, a, b) + _row_dots(by_char, a, b)), 0.0, 1.0)
    cosine = None
    if unit_vectors is None:
        by_meaning = np.zeros(len(a), dtype=bool)
    else:
        cosine = np.clip(np.einsum("ij,ij->i", unit_vectors[a], unit_vectors[b]), -1.0, 1.0)
        by_meaning = np.isin(keys, meant) if neighbours is not None else cosine >= vector_threshold
    return Candidates(a, b, similarity, similarity >= threshold, by_meaning, cosine)


def _row_dots(rows: sparse.csr_matrix, a: NDArray[np.intp], b: NDArray[np.intp]) -> NDArray[Any]:
    """The dot product of row ``a[k]`` with row ``b[k]``, for each k."""
    if len(a) == 0:
        return np.zeros(0)
    return np.asarray(rows[a].multiply(rows[b]).sum(axis=1)).ravel()


def nearest_by_meaning(
    unit: NDArray[np.float64],
    word_rows: Sequence[NDArray[np.float64]] | None,
    threshold: float,
    k: int,
    block: int = BLOCK,
    mutual: bool = False,
) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    """Keys ``i * n + j`` (``i < j``) of the pairs found by meaning (see candidate_pairs),
    and their meaning scores; ``mutual``: each text must be among the other's k best."""
    n = unit.shape[0]
    if n < 2:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    short = min(SHORTLIST, n - 1)
    pairs: list[NDArray[np.int64]] = []
    for start in range(0, n, block):
        stop = min(n, start + block)
        cos = unit[start:stop] @ unit.T
        cos[np.arange(stop - start), np.arange(start, stop)] = -np.inf  # not itself
        nearest = np.argpartition(-cos, short - 1, axis=1)[:, :short]
        rows = np.repeat(np.arange(start, stop), short)
        cols = nearest.ravel()
        pairs.append(np.minimum(rows, cols) * n + np.maximum(rows, cols))
    keys = np.unique(np.concatenate(pairs))
    a, b = keys // n, keys % n
    score = meaning_scores(unit, word_rows, a, b)
    # Each text's k best-scoring partners: rank every (text, partner) entry by score.
    ends = np.concatenate([a, b])
    entry_score = np.concatenate([score, score])
    order = np.lexsort((-entry_score, ends))
    first = np.searchsorted(ends[order], ends[order], side="left")
    rank = np.empty(len(order), dtype=np.intp)
    rank[order] = np.arange(len(order)) - first
    left, right = rank[: len(keys)] < k, rank[len(keys) :] < k
    kept = ((left & right) if mutual else (left | right)) & (score >= threshold)
    return keys[kept], score[kept]


def meaning_scores(
    unit: NDArray[np.float64],
    word_rows: Sequence[NDArray[np.float64]] | None,
    a: NDArray[np.int64],
    b: NDArray[np.int64],
    chunk: int = 1024,
) -> NDArray[np.float64]:
    """``(cos(a, b) + overlap(a, b)) / 2`` for each pair: the texts' cosine and the soft
    overlap of their content words.

    The overlap is BERTScore's F1 on static word vectors (Zhang et al. 2020, "BERTScore:
    evaluating text generation with BERT", ICLR): each word of one text is matched to its
    most similar word of the other (cosine), ``R`` and ``P`` are the mean best matches of
    each side and ``F = 2RP / (R + P)``.  Averaging token vectors blurs a short text into
    its most frequent words; matching word to word keeps "two-factor" next to "MFA" even
    when the rest of the two lines differ.  A pair in which a text has no word vector
    scores by its cosine alone.
    """
    cosine = np.einsum("ij,ij->i", unit[a], unit[b])
    if word_rows is None or len(a) == 0:
        return np.asarray(cosine, dtype=np.float64)
    width = max((len(r) for r in word_rows), default=0)
    if width == 0:
        return np.asarray(cosine, dtype=np.float64)
    dim = unit.shape[1]
    sizes = np.array([len(r) for r in word_rows])
    present = np.arange(width)[None, :] < sizes[:, None]
    padded = np.zeros((len(word_rows), width, dim), dtype=np.float32)
    padded[present] = np.concatenate([r for r in word_rows if len(r)]).astype(np.float32)
    overlap = np.full(len(a), np.nan)
    for start in range(0, len(a), chunk):
        i, j = a[start : start + chunk], b[start : start + chunk]
        match = np.matmul(padded[i], padded[j].transpose(0, 2, 1))
        both = present[i][:, :, None] & present[j][:, None, :]
        match = np.where(both, match, -np.inf)
        with np.errstate(invalid="ignore", divide="ignore"):
            recall = _mean_where(match.max(axis=2), present[i])
            precision = _mean_where(match.max(axis=1), present[j])
            f1 = 2 * recall * precision / (recall + precision)
        overlap[start : start + chunk] = f1
    known = np.isfinite(overlap)
    return np.where(known, (cosine + np.where(known, overlap, 0.0)) / 2, cosine)


def _mean_where(values: NDArray[Any], mask: NDArray[np.bool_]) -> NDArray[np.float64]:
    """Row means of ``values`` over ``mask`` (NaN for an empty row)."""
    total = np.where(mask, values, 0.0).sum(axis=1)
    count = mask.sum(axis=1)
    return np.where(count > 0, total / np.maximum(count, 1), np.nan)


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
