"""Meaning for duplicates (issue 16): the packaged encoder against wordllama's own, the soft
word overlap, and the bounded top-k search by meaning."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

from accord.analysis.duplicates_search import meaning_scores
from accord.analysis.text import near_duplicates

needs_semantic = pytest.mark.skipif(
    importlib.util.find_spec("wordllama") is None, reason="accord[semantic] not installed"
)
TEXTS = [
    "Chatbot that answers order-status questions on the website",
    "Zwei-Faktor-Authentifizierung für alle Mitarbeitenden",
    "A/B",
    "",
]


@needs_semantic
def test_the_packaged_encoder_gives_wordllamas_own_vectors() -> None:
    import logging

    from wordllama import WordLlama

    from accord.io.semantic import packaged_folder, packaged_meaning

    meaning = packaged_meaning()
    assert meaning.encoder is not None, meaning.note
    folder = packaged_folder()
    assert isinstance(folder, Path)
    logging.getLogger("wordllama").setLevel(logging.ERROR)
    peer = WordLlama.load(config="l2_supercat", dim=256, cache_dir=folder, disable_download=True)
    ours = meaning.encoder(TEXTS[:3])
    theirs = np.asarray(peer.embed(TEXTS[:3], norm=True), dtype=np.float64)
    assert np.allclose(ours, theirs, atol=1e-5)
    # wordllama divides an empty text's zero vector by zero (NaN); accord keeps zeros.
    assert not meaning.encoder([""]).any()


def test_matching_words_lift_a_paraphrase_that_averaging_blurs() -> None:
    # Two texts whose averages point apart, but every word of one has a close word in the
    # other: the soft overlap (BERTScore F1) is high, the cosine alone is not.
    mfa, two_factor = np.array([1.0, 0.0, 0.0]), np.array([0.96, 0.28, 0.0])
    staff, company = np.array([0.0, 0.0, 1.0]), np.array([0.0, 0.28, 0.96])
    unit = np.array([[0.6, 0.0, 0.8], [0.0, 1.0, 0.0]])
    words = [np.array([mfa, staff]), np.array([two_factor, company])]
    pair = np.array([0]), np.array([1])
    cosine_only = meaning_scores(unit, None, *pair)
    with_words = meaning_scores(unit, words, *pair)
    assert cosine_only[0] == pytest.approx(0.0)
    assert with_words[0] == pytest.approx((0.0 + 0.96) / 2)


def test_a_text_without_word_vectors_scores_by_its_cosine() -> None:
    unit = np.array([[1.0, 0.0], [0.8, 0.6]])
    words = [np.zeros((0, 2)), np.array([[0.8, 0.6]])]
    assert meaning_scores(unit, words, np.array([0]), np.array([1]))[0] == pytest.approx(0.8)


def test_the_search_by_meaning_suggests_at_most_k_partners_per_text() -> None:
    # 60 distinct texts whose vectors are all close: an absolute cut pairs all 1,770
    # couples; the top-k search lists each text with at most its k best (plus the pairs
    # in which it is another text's best).
    rng = np.random.default_rng(7)
    n, k = 60, 3
    vectors = 1.0 + 0.01 * rng.standard_normal((n, 8))
    texts = [f"Initiative number {i}: {'x' * (i % 7)}zq{i}" for i in range(n)]
    found = near_duplicates(
        [f"t{i}" for i in range(n)],
        texts,
        threshold=1.0,
        vectors=vectors,
        vector_threshold=0.5,
        vector_neighbours=k,
    )
    by_meaning = [p for p in found.pairs if "meaning" in p.found_by]
    assert 0 < len(by_meaning) <= n * k
    absolute = near_duplicates(
        [f"t{i}" for i in range(n)], texts, threshold=1.0, vectors=vectors, vector_threshold=0.5
    )
    assert len(absolute.pairs) == n * (n - 1) // 2


def test_themes_join_mutual_nearest_texts_by_meaning_and_not_others() -> None:
    from accord.analysis.text import themes

    ids = ["mfa", "2fa", "lease", "cloud"]
    texts = [
        "MFA for every employee account",
        "Enforce two-factor authentication company-wide",
        "Renegotiate the office lease",
        "Cut cloud hosting costs",
    ]
    # mfa and 2fa point the same way; lease is closest to cloud but cloud to mfa: only the
    # mutual nearest pair is linked.
    vectors = np.array([[1.0, 0.1, 0.0], [0.95, 0.2, 0.0], [0.0, 0.6, 0.8], [0.5, 0.3, 0.4]])
    assert themes(ids, texts) == []
    found = themes(ids, texts, vectors=vectors, vector_threshold=0.2, vector_neighbours=5)
    assert [t.members for t in found] == [["mfa", "2fa"]]
