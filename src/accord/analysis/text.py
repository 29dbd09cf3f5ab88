"""Near-duplicate initiatives and idea themes from free text (TF-IDF, pure).

Seed 003 cites the CMO Council: misaligned marketing teams waste up to 26% of their
budgets on duplicated efforts.  Two teams rarely describe the same initiative with the
same words, so similarity combines two TF-IDF views (Salton & Buckley 1988, "Term-weighting
approaches in automatic text retrieval"):

* word uni- and bi-grams (English stop words removed) catch shared vocabulary;
* character 3-5-grams within word boundaries catch inflections and spelling variants
  (``onboard`` / ``onboarding``, ``self-serve`` / ``self-service``).

Each view's rows are L2-normalised; the similarity of two texts is the mean of the two
cosines, ``s(a, b) = (cos_word(a, b) + cos_char(a, b)) / 2``, in ``[0, 1]``.  Pairs at or
above :data:`DEFAULT_THRESHOLD` are reported as near-duplicates; the threshold was chosen
on ``tests/data/duplicates/pairs.csv`` (see ``docs/governance.md`` for precision/recall).
IDF is fitted on the texts passed in, so similarities depend on the corpus: pass every
initiative and idea of a case together.

TF-IDF misses paraphrases with no shared words ("quarterly business reviews with top 50
accounts" / "QBRs with our 50 largest customers every quarter").  Callers may pass one
sentence-embedding vector per text (computed outside this pure module, e.g. by
:mod:`accord.io.embeddings`); a pair is then also a near-duplicate when the cosine of its
vectors reaches :data:`DEFAULT_VECTOR_THRESHOLD`, and each pair records which signal found it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from accord.analysis.duplicates_judgements import Judgement, PairKey, judged_pairs
from accord.analysis.duplicates_search import candidate_pairs, nearest_by_meaning
from accord.analysis.hierarchy import average_linkage_labels
from accord.analysis.pair_evidence import PairEvidence, PairKind, compare_words
from accord.analysis.tokens import content_words

# Chosen on the labelled fixture (tests/data/duplicates/pairs.csv) as the value with the
# best F1; docs/governance.md records the precision and recall it gives.
DEFAULT_THRESHOLD = 0.30
# Ideas closer than this (distance 1 - s, average linkage) share a theme: a looser bar than
# duplicates, since a theme only needs a shared subject.
THEME_DISTANCE = 0.85
# Texts linked by meaning in themes: each the other's closest (mutual nearest neighbours;
# Artetxe & Schwenk 2019 use the same test to mine parallel sentences).
THEME_NEIGHBOURS = 1
# Cosine at or above which two sentence embeddings count as the same work.  A choice, NOT
# tuned here (no embedding model is available to accord's tests): 0.75 is the default cut of
# sentence-transformers' community_detection, the clustering it recommends for paraphrase
# mining (Reimers & Gurevych 2019, "Sentence-BERT"); paraphrase cut-offs for sentence
# embeddings are usually quoted between 0.75 and 0.85.  Check it on your own model and texts.
DEFAULT_VECTOR_THRESHOLD = 0.75
# The signals that can find a pair: shared words (TF-IDF) and shared meaning (embeddings).
WORDS = "words"
MEANING = "meaning"

_CHAR_SIZES = (3, 4, 5)
# Pairs listed at most; beyond, Duplicates.pairs_left_out counts them (clusters and money
# still include every pair).  10,000 copies of one text make 50 million pairs.
MAX_PAIRS = 2000
# A text that can be compared holds at least one letter or digit.
_WORDLIKE = re.compile(r"\w")
# Columns per dense block in _cosines: bounds memory at texts x _BLOCK floats.
_BLOCK = 2048


@dataclass(frozen=True)
class DuplicatePair:
    """Two initiatives that read as the same work."""

    a: str
    b: str
    similarity: float
    same_team: bool
    # Which signals reached their threshold: "words" (TF-IDF) and/or "meaning" (vectors).
    found_by: tuple[str, ...] = (WORDS,)
    # Cosine of the two texts' vectors; None when no vectors were given.
    vector_similarity: float | None = None
    # Same work ("duplicate", counted as redundant money), "possible duplicate" (to confirm)
    # or "related" (same kind of work on something else): accord.analysis.pair_evidence.
    kind: PairKind = "duplicate"
    # The evidence: content words both texts have, and those only a (only b) has.
    shared: tuple[str, ...] = ()
    only_a: tuple[str, ...] = ()
    only_b: tuple[str, ...] = ()
    # The facilitator's judgement, when the case records one; it set ``kind``.
    judgement: Judgement | None = None


@dataclass(frozen=True)
class DuplicateCluster:
    """Initiatives that are all near-duplicates of each other (connected by pairs of kind
    "duplicate" or "possible duplicate"; related pairs join no cluster).

    ``confidence`` is "high" when every pair inside is a "duplicate": only then does its
    ``redundant_cost`` count in :attr:`Duplicates.redundant_cost`; "confirm" clusters' costs
    go to :attr:`Duplicates.possible_cost` until the facilitator confirms them.

    ``kept`` is the most expensive copy (ties: the first listed); ``redundant`` are the
    others, and ``redundant_cost`` is what they cost: the budget at stake if the cluster
    is merged into one initiative.  Keeping the most expensive copy makes the figure a
    lower bound.
    """

    members: list[str]
    teams: list[str]
    kept: str
    redundant: list[str]
    redundant_cost: float
    confidence: Literal["high", "confirm"] = "high"


@dataclass(frozen=True)
class Duplicates:
    """Near-duplicate pairs and clusters, and the budget the redundant copies represent."""

    threshold: float
    pairs: list[DuplicatePair]
    clusters: list[DuplicateCluster]
    redundant_cost: float
    total_cost: float
    redundant_share: float
    vector_threshold: float | None = None  # None when no vectors were given
    # What the redundant copies of clusters still to confirm cost (not in redundant_cost).
    possible_cost: float = 0.0
    # Pairs the facilitator judged "not related": in no cluster, listed to say who did.
    dismissed: list[DuplicatePair] = field(default_factory=list)
    # How texts were compared: "words" (lexical only) or "words and meaning" (vectors given).
    method: str = "words"
    # Pairs found but not listed (beyond :data:`MAX_PAIRS`); clusters and money still count them.
    pairs_left_out: int = 0

    @property
    def possible(self) -> list[DuplicatePair]:
        """Possible duplicates: the facilitator must confirm them; no money is counted."""
        return [p for p in self.pairs if p.kind == "possible duplicate"]

    @property
    def related(self) -> list[DuplicatePair]:
        """The same kind of work on different objects: coordinate, do not merge."""
        return [p for p in self.pairs if p.kind == "related"]


@dataclass(frozen=True)
class Theme:
    """A group of ideas about the same thing, named by its top terms."""

    members: list[str]
    top_terms: list[str]


def similarity_matrix(texts: Sequence[str]) -> NDArray[np.float64]:
    """Pairwise similarity ``(cos_word + cos_char) / 2`` of ``texts`` (symmetric, diagonal 1).

    >>> s = similarity_matrix(["Build self-serve onboarding flow",
    ...                        "Self-service onboarding flow for new users",
    ...                        "Renegotiate the office lease"])
    >>> bool(s[0, 1] > 0.3 > s[0, 2])
    True
    """
    if len(texts) == 0:
        return np.zeros((0, 0), dtype=np.float64)
    words = [word_terms(t) for t in texts]
    chars = [char_terms(t) for t in texts]
    by_char = _cosines(tf_idf(chars))
    # Texts made only of stop words leave no word terms anywhere: compare characters only.
    by_word = _cosines(tf_idf(words)) if any(words) else by_char
    sim: NDArray[np.float64] = 0.5 * by_word + 0.5 * by_char
    np.fill_diagonal(sim, 1.0)
    return np.clip(sim, 0.0, 1.0)


def word_terms(text: str) -> list[str]:
    """Content words (:func:`content_words`), then word bi-grams.

    >>> word_terms("Self-serve onboarding for the SMB segment")
    ['self-serve', 'onboarding', 'smb', 'segment', 'self-serve onboarding', 'onboarding smb', \
'smb segment']
    """
    tokens = content_words(text)
    return tokens + [f"{a} {b}" for a, b in zip(tokens, tokens[1:], strict=False)]


def char_terms(text: str) -> list[str]:
    """Character 3-5-grams inside each space-padded word; a word shorter than n counts once.

    >>> char_terms("a cat")
    [' a ', ' ca', 'cat', 'at ', ' cat', 'cat ', ' cat ']
    """
    grams: list[str] = []
    for word in text.lower().split():
        padded = f" {word} "
        for n in _CHAR_SIZES:
            if len(padded) <= n:  # the whole padded word, once, then no longer n-grams
                grams.append(padded)
                break
            grams.extend(padded[i : i + n] for i in range(len(padded) - n + 1))
    return grams


@dataclass(frozen=True)
class TermMatrix:
    """Sparse TF-IDF rows in coordinate form: ``weight[k]`` of ``vocabulary[term[k]]`` in
    text ``text[k]``; each text's row has unit length (or is empty)."""

    texts: int
    vocabulary: list[str]
    text: NDArray[np.intp]
    term: NDArray[np.intp]
    weight: NDArray[np.float64]
    document_frequency: NDArray[np.intp]

    def dense(self, rows: Sequence[int] | None = None) -> NDArray[np.float64]:
        """The texts x terms matrix (or only ``rows``) as a dense array."""
        out = np.zeros((self.texts, len(self.vocabulary)))
        out[self.text, self.term] = self.weight
        return out if rows is None else out[list(rows)]


def tf_idf(documents: Sequence[Sequence[str]]) -> TermMatrix:
    """Sublinear, smoothed TF-IDF with L2-normalised rows (Salton & Buckley 1988).

    ``tf = 1 + ln(count)``, ``idf = ln((1 + n) / (1 + df)) + 1`` for ``n`` documents of
    which ``df`` hold the term (the +1s keep a term found everywhere from weighing
    nothing), ``weight = tf * idf / ||row||``.  The vocabulary is sorted, so the result
    does not depend on the order terms are met.

    >>> m = tf_idf([["cat", "cat", "dog"], ["dog"]])
    >>> m.vocabulary, [round(float(w), 4) for w in m.weight]
    (['cat', 'dog'], [0.9219, 0.3874, 1.0])
    """
    n = len(documents)
    counts = [Counter(doc) for doc in documents]
    vocabulary = sorted(set().union(*counts)) if counts else []
    index = {term: i for i, term in enumerate(vocabulary)}
    sizes = [len(c) for c in counts]
    text = np.repeat(np.arange(n, dtype=np.intp), sizes)
    term = np.fromiter((index[t] for c in counts for t in c), dtype=np.intp, count=sum(sizes))
    count = np.fromiter((k for c in counts for k in c.values()), dtype=np.float64, count=len(term))
    df = np.bincount(term, minlength=len(vocabulary))
    idf = np.log((1.0 + n) / (1.0 + df)) + 1.0
    weight = (1.0 + np.log(count)) * idf[term] if len(term) else np.zeros(0)
    norm = np.sqrt(np.bincount(text, weights=weight * weight, minlength=n))
    weight = weight / norm[text] if len(term) else weight
    order = np.lexsort((term, text))
    return TermMatrix(n, vocabulary, text[order], term[order], weight[order], df)


def _cosines(m: TermMatrix) -> NDArray[np.float64]:
    """Row-by-row dot products (cosines, since rows have unit length); diagonal 0.

    A term held by one text adds only to that text's own diagonal, so only terms shared
    by two or more texts enter the product, in dense column blocks (one BLAS call each).
    """
    gram = np.zeros((m.texts, m.texts))
    shared = m.document_frequency[m.term] >= 2
    text, weight = m.text[shared], m.weight[shared]
    kept, column = np.unique(m.term[shared], return_inverse=True)
    for start in range(0, len(kept), _BLOCK):
        inside = (column >= start) & (column < start + _BLOCK)
        block = np.zeros((m.texts, min(_BLOCK, len(kept) - start)))
        block[text[inside], column[inside] - start] = weight[inside]
        gram += block @ block.T
    gram = 0.5 * (gram + gram.T)  # exactly symmetric, whatever the BLAS summation order
    np.fill_diagonal(gram, 0.0)
    return gram


def vector_cosines(vectors: NDArray[np.floating[Any]]) -> NDArray[np.float64]:
    """Pairwise cosines of the rows of ``vectors`` (texts x dimensions), in ``[-1, 1]``.

    A row of zeros (a text the model has no word for) has no direction: its cosine with
    every text, itself included, is 0, so it never makes a pair.

    >>> vector_cosines(np.array([[1.0, 0.0], [3.0, 4.0], [0.0, 0.0]])).round(2).tolist()
    [[1.0, 0.6, 0.0], [0.6, 1.0, 0.0], [0.0, 0.0, 0.0]]
    """
    rows = np.asarray(vectors, dtype=np.float64)
    if rows.ndim != 2:
        raise ValueError(f"vectors must be a 2-D array, one row per text (got shape {rows.shape})")
    if not np.isfinite(rows).all():
        bad = int(np.flatnonzero(~np.isfinite(rows).all(axis=1))[0])
        raise ValueError(f"vectors row {bad} holds NaN or infinity (expected finite numbers)")
    norms = np.linalg.norm(rows, axis=1)
    unit = np.divide(rows, norms[:, None], out=np.zeros_like(rows), where=norms[:, None] > 0)
    gram: NDArray[np.float64] = unit @ unit.T
    gram = 0.5 * (gram + gram.T)  # exactly symmetric, whatever the BLAS summation order
    return np.clip(gram, -1.0, 1.0)


def near_duplicates(
    ids: Sequence[str],
    texts: Sequence[str],
    *,
    teams: Sequence[str | None] | None = None,
    costs: Sequence[float | None] | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    vectors: NDArray[np.floating[Any]] | None = None,
    vector_threshold: float = DEFAULT_VECTOR_THRESHOLD,
    judgements: Mapping[PairKey, Judgement] | None = None,
    word_vectors: Mapping[str, NDArray[np.float64]] | None = None,
    vector_neighbours: int | None = None,
) -> Duplicates:
    """Pairs of texts with similarity >= ``threshold``, their clusters and redundant budget.

    With ``vectors`` (one row per text, any dimension, e.g. sentence embeddings), a pair is
    also reported when the cosine of its vectors is >= ``vector_threshold``; each pair's
    ``found_by`` says which signal(s) found it (``"words"``, ``"meaning"``).  Without
    vectors the result is TF-IDF's alone.  Pairs are sorted by TF-IDF similarity.

    ``judgements`` (keyed by :func:`~accord.analysis.duplicates_judgements.pair_key` of two
    ``ids``) override the computed kind: "duplicate" confirms, "related" marks related work,
    "not_related" moves the pair to :attr:`Duplicates.dismissed`.

    ``word_vectors`` (unit vectors of content words, same model as ``vectors``) tell a
    swapped part that means the same ("annual" / "yearly") from one that names something
    else ("Leipzig" / "Rotterdam"): :mod:`accord.analysis.pair_evidence`.
    ``vector_neighbours`` k: a pair counts as found by meaning only when its meaning score
    (cosine and soft word overlap, :func:`~accord.analysis.duplicates_search.meaning_scores`)
    reaches ``vector_threshold`` and one text is among the other's k best
    (:func:`~accord.analysis.duplicates_search.candidate_pairs`); a possible duplicate found
    by meaning alone joins no cluster until it is confirmed.

    Clusters are the connected components of the pair graph; in each, every copy but the
    most expensive is redundant, and ``redundant_share = redundant_cost / total_cost``
    (0 when no costs are known).

    >>> d = near_duplicates(["a", "b", "c"],
    ...     ["Launch a customer referral programme", "Customer referral program launch",
    ...      "Migrate billing to a new provider"], costs=[50_000, 30_000, 90_000])
    >>> [(p.a, p.b) for p in d.pairs], d.redundant_cost, round(d.redundant_share, 3)
    ([('a', 'b')], 30000.0, 0.176)
    >>> d = near_duplicates(["q", "r"], ["Quarterly business reviews with top accounts",
    ...     "QBRs with our largest customers"], vectors=np.array([[0.9, 0.1], [0.8, 0.2]]))
    >>> [(p.a, p.b, p.found_by) for p in d.pairs]
    [('q', 'r', ('meaning',))]
    """
    if len(ids) != len(texts):
        raise ValueError(f"got {len(ids)} ids but {len(texts)} texts (expected one text per id)")
    if not 0.0 <= threshold <= 1.0:
        raise ValueError(f"threshold {threshold} is outside 0..1")
    if not 0.0 <= vector_threshold <= 1.0:
        raise ValueError(f"vector_threshold {vector_threshold} is outside 0..1")
    team_of = list(teams) if teams is not None else [None] * len(ids)
    cost_of = [float(c) if c is not None else 0.0 for c in (costs or [None] * len(ids))]
    unit = None
    if vectors is not None:
        shape = np.shape(vectors)
        if len(shape) == 2 and shape[0] != len(texts):
            raise ValueError(
                f"got {len(texts)} texts but {shape[0]} vectors (expected one row per text)"
            )
        unit = _unit_rows(vectors)
    # Planning lists repeat lines: compare each distinct text (and vector) once.  A text
    # with no letter or digit (empty, punctuation) says nothing and pairs with nothing.
    group_of: dict[tuple[str, bytes], int] = {}
    members: list[list[int]] = []
    for i, text in enumerate(texts):
        if not _WORDLIKE.search(text):
            continue
        key = (text, b"" if unit is None else unit[i].tobytes())
        if key not in group_of:
            group_of[key] = len(members)
            members.append([])
        members[group_of[key]].append(i)
    first = [m[0] for m in members]
    distinct = [texts[i] for i in first]
    words = [tuple(content_words(t)) for t in distinct]
    word_rows = [word_terms(t) for t in distinct]
    found = candidate_pairs(
        tf_idf(word_rows) if any(word_rows) else None,
        tf_idf([char_terms(t) for t in distinct]),
        threshold,
        None if unit is None else unit[first],
        vector_threshold,
        neighbours=vector_neighbours,
        word_rows=None if word_vectors is None else [_word_rows(w, word_vectors) for w in words],
    )
    directed = None if unit is None else np.linalg.norm(unit[first], axis=1) > 0
    verdicts = {(i, j): judgement for i, j, judgement in judged_pairs(ids, judgements)}
    parent = list(range(len(ids)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    unconfirmed: list[int] = []  # one member of each possible-duplicate edge
    apart: list[tuple[int, int]] = []  # pairs said not to be the same work
    # Each similar couple of distinct texts, as (similarity, u, v, signals, cosine, evidence).
    edges: list[tuple[float, int, int, tuple[str, ...], float | None, PairEvidence]] = []
    for k in range(len(found.a)):
        u, v = int(found.a[k]), int(found.b[k])
        by_words = bool(found.by_words[k])
        cos = None if found.cosine is None else float(found.cosine[k])
        meaning = bool(found.by_meaning[k])
        usable = directed is not None and bool(directed[u] and directed[v])
        evidence = compare_words(
            words[u],
            words[v],
            found_by_words=by_words,
            vector_similarity=cos if usable else None,
            vector_threshold=vector_threshold,
            word_vectors=word_vectors,
            meaning=meaning if usable else None,
        )
        signals = ((WORDS,) if by_words else ()) + ((MEANING,) if meaning else ())
        edges.append((float(found.similarity[k]), u, v, signals, cos, evidence))
    # Copies of one text are the same work: one cluster (a judgement on two identical
    # texts is reported but does not split them).
    for group in members:
        for i in group[1:]:
            parent[root(i)] = root(group[0])
    judged_couples: dict[tuple[int, int], int] = {}
    for i, j in verdicts:
        gi, gj = _group(group_of, texts, unit, i), _group(group_of, texts, unit, j)
        if gi is not None and gj is not None:
            couple = (min(gi, gj), max(gi, gj))
            judged_couples[couple] = judged_couples.get(couple, 0) + 1
    for _, u, v, signals, _, evidence in edges:
        # The computed kind joins the two texts unless every couple of their copies is judged.
        unjudged = len(members[u]) * len(members[v]) > judged_couples.get((u, v), 0)
        if vector_neighbours is not None and WORDS not in signals and evidence.kind != "duplicate":
            # A static model's suggestion (meaning alone, neighbour test): listed to confirm,
            # but it chains no cluster; within one domain such links join whole lists.
            unjudged = False
        if unjudged and evidence.kind == "related":
            apart.append((members[u][0], members[v][0]))
        if unjudged and evidence.kind != "related":  # related work is never merged
            parent[root(members[v][0])] = root(members[u][0])
            if evidence.kind == "possible duplicate":
                unconfirmed.append(members[u][0])

    def pair(
        i: int,
        j: int,
        similarity: float,
        signals: tuple[str, ...],
        cos: float | None,
        evidence: PairEvidence,
    ) -> DuplicatePair:
        i, j = min(i, j), max(i, j)
        judgement = verdicts.get((i, j))
        kind = evidence.kind
        if judgement is not None and judgement.verdict != "not_related":
            kind = judgement.verdict
        same = team_of[i] is not None and team_of[i] == team_of[j]
        return DuplicatePair(
            ids[i],
            ids[j],
            similarity,
            same,
            signals,
            cos,
            kind,
            evidence.shared,
            evidence.only_a,
            evidence.only_b,
            judgement,
        )

    # List the most similar pairs first, at most MAX_PAIRS; the rest are counted.
    same_text_of = {
        u: (1.0, u, u, (WORDS,), None if unit is None else 1.0, compare_words(words[u], words[u]))
        for u, group in enumerate(members)
        if len(group) > 1
    }
    same_text = list(same_text_of.values())
    listed: list[DuplicatePair] = []
    total = 0
    for similarity, u, v, signals, cos, evidence in sorted(
        same_text + edges, key=lambda e: (-e[0], e[1], e[2])
    ):
        total += _couples(members[u], members[v], u == v)
        for i, j in _first_couples(members[u], members[v], u == v, MAX_PAIRS - len(listed)):
            listed.append(pair(i, j, similarity, signals, cos, evidence))
    # Judged pairs are always listed, even when no signal found them or MAX_PAIRS is reached.
    listed_keys = {(p.a, p.b) for p in listed}
    edge_of = {(e[1], e[2]): e for e in edges}
    for (i, j), judgement in verdicts.items():
        if judgement.verdict == "duplicate":  # a confirmed pair joins its cluster
            parent[root(j)] = root(i)
        else:
            apart.append((i, j))
        if (ids[i], ids[j]) in listed_keys:
            continue
        gi, gj = _group(group_of, texts, unit, i), _group(group_of, texts, unit, j)
        if gi is not None and gi == gj:
            _, _, _, signals, cos, evidence = same_text_of[gi]
            listed.append(pair(i, j, 1.0, signals, cos, evidence))
            continue
        edge = None if gi is None or gj is None else edge_of.get((min(gi, gj), max(gi, gj)))
        if edge is None:
            total += 1  # a couple no signal found: not counted above
            plain = compare_words(content_words(texts[i]), content_words(texts[j]))
            listed.append(pair(i, j, 0.0, (), None, plain))
        else:
            listed.append(pair(i, j, edge[0], edge[3], edge[4], edge[5]))
    pairs = [p for p in listed if p.judgement is None or p.judgement.verdict != "not_related"]
    dismissed = [p for p in listed if p.judgement and p.judgement.verdict == "not_related"]
    pairs.sort(key=lambda p: (-p.similarity, p.a, p.b))
    to_confirm = {root(i) for i in unconfirmed}
    # Two members said not to be the same work, joined through others: the cluster is in
    # doubt, so its money waits for the facilitator.
    to_confirm |= {root(i) for i, j in apart if root(i) == root(j)}
    groups: dict[int, list[int]] = {}
    for i in range(len(ids)):
        groups.setdefault(root(i), []).append(i)
    clusters: list[DuplicateCluster] = []
    for inside in groups.values():
        if len(inside) < 2:
            continue
        high = root(inside[0]) not in to_confirm
        kept = max(inside, key=lambda m: (cost_of[m], -m))
        redundant = [m for m in inside if m != kept]
        clusters.append(
            DuplicateCluster(
                members=[ids[m] for m in inside],
                teams=sorted({t for m in inside if (t := team_of[m]) is not None}),
                kept=ids[kept],
                redundant=[ids[m] for m in redundant],
                redundant_cost=sum(cost_of[m] for m in redundant),
                confidence="high" if high else "confirm",
            )
        )
    clusters.sort(key=lambda c: (-c.redundant_cost, c.members))
    redundant_cost = sum(c.redundant_cost for c in clusters if c.confidence == "high")
    possible_cost = sum(c.redundant_cost for c in clusters if c.confidence == "confirm")
    total_cost = sum(cost_of)
    return Duplicates(
        threshold=threshold,
        pairs=pairs,
        clusters=clusters,
        redundant_cost=redundant_cost,
        total_cost=total_cost,
        redundant_share=redundant_cost / total_cost if total_cost > 0 else 0.0,
        vector_threshold=None if unit is None else vector_threshold,
        possible_cost=possible_cost,
        dismissed=dismissed,
        method="words" if unit is None else "words and meaning",
        pairs_left_out=max(0, total - len(listed)),
    )


def _unit_rows(vectors: NDArray[np.floating[Any]]) -> NDArray[np.float64]:
    """``vectors`` with rows of unit length (a zero row stays zero); precise errors."""
    rows = np.asarray(vectors, dtype=np.float64)
    if rows.ndim != 2:
        raise ValueError(f"vectors must be a 2-D array, one row per text (got shape {rows.shape})")
    if not np.isfinite(rows).all():
        bad = int(np.flatnonzero(~np.isfinite(rows).all(axis=1))[0])
        raise ValueError(f"vectors row {bad} holds NaN or infinity (expected finite numbers)")
    norms = np.linalg.norm(rows, axis=1)
    unit: NDArray[np.float64] = np.divide(
        rows, norms[:, None], out=np.zeros_like(rows), where=norms[:, None] > 0
    )
    return unit


def _word_rows(
    words: Sequence[str], word_vectors: Mapping[str, NDArray[np.float64]]
) -> NDArray[np.float64]:
    """The unit vectors of ``words`` that ``word_vectors`` holds, each word once."""
    kept = [word_vectors[w] for w in dict.fromkeys(words) if w in word_vectors]
    dim = next(iter(word_vectors.values())).shape[0] if word_vectors else 0
    return np.array(kept, dtype=np.float64).reshape(len(kept), dim)


def _group(
    group_of: Mapping[tuple[str, bytes], int],
    texts: Sequence[str],
    unit: NDArray[np.float64] | None,
    i: int,
) -> int | None:
    """The distinct-text group of text ``i`` (None: a text with no word)."""
    return group_of.get((texts[i], b"" if unit is None else unit[i].tobytes()))


def _couples(a: Sequence[int], b: Sequence[int], same: bool) -> int:
    """How many pairs the copies make: within one group, or across two."""
    return len(a) * (len(a) - 1) // 2 if same else len(a) * len(b)


def _first_couples(
    a: Sequence[int], b: Sequence[int], same: bool, room: int
) -> list[tuple[int, int]]:
    """The first ``room`` pairs of copies, in file order."""
    out: list[tuple[int, int]] = []
    for x, i in enumerate(a):
        for j in a[x + 1 :] if same else b:
            if len(out) >= room:
                return out
            out.append((min(i, j), max(i, j)))
    return out


def themes(
    ids: Sequence[str],
    texts: Sequence[str],
    *,
    max_distance: float = THEME_DISTANCE,
    top_n: int = 3,
    vectors: NDArray[np.floating[Any]] | None = None,
    word_vectors: Mapping[str, NDArray[np.float64]] | None = None,
    vector_threshold: float = DEFAULT_VECTOR_THRESHOLD,
    vector_neighbours: int | None = None,
) -> list[Theme]:
    """Group ideas into themes by average-linkage clustering on ``1 - s(a, b)``.

    Average linkage (UPGMA; Sokal & Michener 1958) cut at ``max_distance``; deterministic,
    no seed.  Themes of one idea are left out.  A theme's top terms are the words and
    bi-grams with the highest mean TF-IDF weight over its ideas.

    With ``vectors`` (and ``word_vectors``: the same model and score as
    :func:`near_duplicates`; ``vector_neighbours`` only says the model needs the
    neighbour rule), two texts that are each other's closest by meaning score (mutual
    nearest neighbours, :data:`THEME_NEIGHBOURS`) and reach ``vector_threshold`` are as
    similar as that score when it is higher than ``s``: ideas that share meaning but no
    word join a theme.  Not the duplicates' top-5: in one list of ideas on one subject most
    pairs score above the cut, and their links joined 10 of 12 ideas into one theme.

    >>> [t.members for t in themes(["1", "2", "3"], ["Referral programme for customers",
    ...     "Customer referral programme rewards", "Cut cloud hosting costs"])]
    [['1', '2']]
    """
    if len(ids) != len(texts):
        raise ValueError(f"got {len(ids)} ids but {len(texts)} texts (expected one text per id)")
    if len(ids) < 2:
        return []
    similarity = similarity_matrix(texts)
    if vectors is not None and vector_neighbours is not None:
        unit = _unit_rows(vectors)
        rows = None
        if word_vectors is not None:
            rows = [_word_rows(content_words(t), word_vectors) for t in texts]
        keys, score = nearest_by_meaning(
            unit, rows, vector_threshold, THEME_NEIGHBOURS, mutual=True
        )
        a, b = keys // len(texts), keys % len(texts)
        # Rounding can lift a score of two near-copies a hair above 1.
        linked = np.clip(np.maximum(similarity[a, b], score), 0.0, 1.0)
        similarity[a, b] = similarity[b, a] = linked
    distance = 1.0 - similarity
    np.fill_diagonal(distance, 0.0)
    labels = average_linkage_labels(distance, max_distance)
    terms = tf_idf([word_terms(t) for t in texts])
    weights, vocabulary = terms.dense(), terms.vocabulary
    by_label: dict[int, list[int]] = {}
    for i, label in enumerate(labels):
        by_label.setdefault(int(label), []).append(i)
    found: list[Theme] = []
    for label in sorted(by_label):
        members = by_label[label]
        if len(members) < 2:
            continue
        mean = weights[members].mean(axis=0) if weights.shape[1] else np.zeros(0)
        # Only terms the theme's ideas use can be top terms: sorting those alone, not the
        # whole vocabulary, takes themes of 1,500 ideas from 3.7 s to 0.43 s (2 cores, load 2).
        # Ties broken by the term itself so the output is stable across platforms.
        used = np.flatnonzero(mean > 0).tolist()
        order = sorted(used, key=lambda k: (-round(float(mean[k]), 12), vocabulary[k]))
        top = [vocabulary[k] for k in order[:top_n]]
        found.append(Theme(members=[ids[i] for i in members], top_terms=top))
    found.sort(key=lambda t: (-len(t.members), t.members))
    return found
