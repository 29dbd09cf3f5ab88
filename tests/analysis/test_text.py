"""Near-duplicate initiatives (TF-IDF) and idea themes, with precision/recall floors."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import accord.analysis.text as text_module
import accord.analysis.tokens as tokens_module
from accord.analysis.jsonable import to_jsonable
from accord.analysis.stop_words import ENGLISH_STOP_WORDS
from accord.analysis.text import (
    DEFAULT_THRESHOLD,
    DEFAULT_VECTOR_THRESHOLD,
    TermMatrix,
    char_terms,
    near_duplicates,
    similarity_matrix,
    tf_idf,
    themes,
    vector_cosines,
    word_terms,
)

PAIRS = Path(__file__).resolve().parents[1] / "data" / "duplicates" / "pairs.csv"


def _labelled() -> list[tuple[str, str, bool]]:
    with PAIRS.open(newline="", encoding="utf-8") as handle:
        return [
            (r["text_a"], r["text_b"], r["is_duplicate"] == "1") for r in csv.DictReader(handle)
        ]


def _confusion(threshold: float) -> tuple[int, int, int, int]:
    rows = _labelled()
    texts = sorted({t for a, b, _ in rows for t in (a, b)})
    index = {t: i for i, t in enumerate(texts)}
    sim = similarity_matrix(texts)
    tp = fp = fn = tn = 0
    for a, b, duplicate in rows:
        predicted = sim[index[a], index[b]] >= threshold
        tp += predicted and duplicate
        fp += predicted and not duplicate
        fn += not predicted and duplicate
        tn += not predicted and not duplicate
    return tp, fp, fn, tn


def test_labelled_fixture_has_40_plus_pairs_with_both_labels() -> None:
    rows = _labelled()
    assert len(rows) >= 40
    assert 15 <= sum(d for _, _, d in rows) <= len(rows) - 15


def test_near_duplicates_precision_and_recall_floors_on_labelled_pairs() -> None:
    tp, fp, fn, _ = _confusion(DEFAULT_THRESHOLD)
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    # Measured 0.885 / 0.920 (23 of 25 duplicates, 3 false alarms); floors leave a little room.
    assert precision >= 0.85
    assert recall >= 0.88


def test_near_duplicates_pairs_clusters_and_redundant_budget() -> None:
    ids = ["m1", "cs1", "m2", "p1", "s1"]
    texts = [
        "Build a self-serve onboarding flow for new trial users",
        "Self-serve onboarding flow for trial users",
        "Self-service onboarding flow for new trial users with templates",
        "Migrate billing to a new payment provider",
        "Renegotiate the office lease",
    ]
    result = near_duplicates(
        ids,
        texts,
        teams=["marketing", "customer-success", "marketing", "finance", None],
        costs=[120_000, 80_000, 50_000, 300_000, None],
    )
    assert {(p.a, p.b) for p in result.pairs} == {("m1", "cs1"), ("m1", "m2"), ("cs1", "m2")}
    same_team = {(p.a, p.b): p.same_team for p in result.pairs}
    assert same_team[("m1", "m2")] and not same_team[("m1", "cs1")]
    (cluster,) = result.clusters
    assert cluster.members == ["m1", "cs1", "m2"]
    assert cluster.kept == "m1" and cluster.redundant == ["cs1", "m2"]
    assert cluster.teams == ["customer-success", "marketing"]
    # m1 ("build") and m2 ("templates") each name something the other lacks: the cluster
    # is to confirm, so its copies' cost is possible, not yet redundant (issue 16).
    assert cluster.confidence == "confirm"
    assert result.redundant_cost == 0 and result.possible_cost == 130_000
    assert result.total_cost == 550_000
    assert result.redundant_share == 0.0
    assert [p.similarity for p in result.pairs] == sorted(
        (p.similarity for p in result.pairs), reverse=True
    )


def test_near_duplicates_result_matches_pinned_report_shape() -> None:
    result = to_jsonable(near_duplicates(["a", "b"], ["Referral programme", "Referral program"]))
    assert set(result) == {
        "threshold",
        "pairs",
        "clusters",
        "redundant_cost",
        "total_cost",
        "redundant_share",
        "vector_threshold",
        "possible_cost",
        "dismissed",
        "method",
        "pairs_left_out",
    }
    assert set(result["pairs"][0]) == {
        "a",
        "b",
        "similarity",
        "same_team",
        "found_by",
        "vector_similarity",
        "kind",
        "shared",
        "only_a",
        "only_b",
        "judgement",
    }
    assert set(result["clusters"][0]) == {
        "members",
        "teams",
        "kept",
        "redundant",
        "redundant_cost",
        "confidence",
    }
    assert result["redundant_share"] == 0.0  # no costs known


def test_near_duplicates_empty_and_single_input() -> None:
    assert near_duplicates([], []).pairs == []
    assert near_duplicates(["a"], ["One idea"]).clusters == []


def test_near_duplicates_stop_words_only_text_does_not_crash() -> None:
    result = near_duplicates(["a", "b", "c"], ["the and of", "", "it is"])
    assert result.threshold == DEFAULT_THRESHOLD


@pytest.mark.parametrize(
    ("ids", "texts", "threshold", "message"),
    [
        (["a"], ["x", "y"], 0.3, "got 1 ids but 2 texts"),
        (["a"], ["x"], 1.5, "threshold 1.5 is outside 0..1"),
    ],
)
def test_near_duplicates_bad_arguments_raise(
    ids: list[str], texts: list[str], threshold: float, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        near_duplicates(ids, texts, threshold=threshold)


# --- the embeddings signal (vectors computed elsewhere, passed in) ----------------------

_QBR = "Hold quarterly business reviews with top 50 accounts"
_QBR_PARAPHRASE = "QBRs with our 50 largest customers every quarter"  # pairs.csv, row 46
_REFERRAL = "Launch a customer referral programme"
_REFERRAL_COPY = "Customer referral program launch"
_LEASE = "Renegotiate the office lease"


def test_paraphrase_without_shared_words_is_found_only_by_meaning() -> None:
    ids, texts = ["q1", "q2", "l"], [_QBR, _QBR_PARAPHRASE, _LEASE]
    # Hand-made "embeddings": the two QBR texts point the same way, the lease elsewhere.
    vectors = np.array([[0.9, 0.1, 0.0], [0.8, 0.2, 0.1], [0.0, 0.1, 1.0]])
    words_only = near_duplicates(ids, texts, costs=[40_000, 25_000, 5_000])
    assert words_only.pairs == [] and words_only.redundant_cost == 0.0
    result = near_duplicates(ids, texts, costs=[40_000, 25_000, 5_000], vectors=vectors)
    (pair,) = result.pairs
    assert (pair.a, pair.b, pair.found_by) == ("q1", "q2", ("meaning",))
    assert pair.similarity == pytest.approx(similarity_matrix(texts)[0, 1])
    assert pair.similarity < DEFAULT_THRESHOLD
    expected = float(
        vectors[0] @ vectors[1] / np.linalg.norm(vectors[0]) / np.linalg.norm(vectors[1])
    )
    assert pair.vector_similarity == pytest.approx(expected, abs=1e-15)
    assert result.vector_threshold == DEFAULT_VECTOR_THRESHOLD
    # One signal alone, and each text names something the other lacks: a possible
    # duplicate for the facilitator to confirm, so no money is counted as redundant yet.
    assert pair.kind == "possible duplicate"
    (cluster,) = result.clusters
    assert cluster.kept == "q1" and cluster.redundant == ["q2"]
    assert cluster.confidence == "confirm"
    assert result.redundant_cost == 0.0 and result.possible_cost == 25_000


def test_found_by_names_every_signal_that_reached_its_threshold() -> None:
    ids = ["r1", "r2", "q1", "q2"]
    texts = [_REFERRAL, _REFERRAL_COPY, _QBR, _QBR_PARAPHRASE]
    vectors = np.array([[1.0, 0.0], [1.0, 0.05], [0.0, 1.0], [-0.3, 1.0]])
    result = near_duplicates(ids, texts, vectors=vectors, vector_threshold=0.99)
    found = {(p.a, p.b): p.found_by for p in result.pairs}
    assert found == {("r1", "r2"): ("words", "meaning")}
    looser = near_duplicates(ids, texts, vectors=vectors, vector_threshold=0.9)
    assert {(p.a, p.b): p.found_by for p in looser.pairs} == {
        ("r1", "r2"): ("words", "meaning"),
        ("q1", "q2"): ("meaning",),
    }
    # Words alone still count when the vectors disagree; the cosine is reported anyway.
    orthogonal = np.array([[1.0, 0, 0], [0, 1.0, 0], [0, 0, 1.0], [0, 0, -1.0]])
    apart = near_duplicates(ids, texts, vectors=orthogonal)
    (pair,) = apart.pairs
    assert (pair.a, pair.b, pair.found_by, pair.vector_similarity) == ("r1", "r2", ("words",), 0.0)


def test_without_vectors_pairs_are_exactly_the_tf_idf_pairs() -> None:
    rows = _labelled()
    texts = sorted({t for a, b, _ in rows for t in (a, b)})
    ids = [f"t{i}" for i in range(len(texts))]
    sim = similarity_matrix(texts)
    expected = {
        (ids[i], ids[j], float(sim[i, j]))
        for i in range(len(texts))
        for j in range(i + 1, len(texts))
        if sim[i, j] >= DEFAULT_THRESHOLD
    }
    plain = near_duplicates(ids, texts)
    # Blocked sparse products give the dense matrix's numbers up to rounding.
    got = {(p.a, p.b): p.similarity for p in plain.pairs}
    assert set(got) == {(a, b) for a, b, _ in expected}
    assert all(got[(a, b)] == pytest.approx(s, abs=1e-12) for a, b, s in expected)
    assert {p.found_by for p in plain.pairs} == {("words",)}
    assert {p.vector_similarity for p in plain.pairs} == {None}
    assert plain.vector_threshold is None
    # Vectors that never agree (a zero row has no direction) add nothing and change nothing.
    silent = near_duplicates(ids, texts, vectors=np.zeros((len(texts), 4)))
    assert [(p.a, p.b, p.similarity, p.same_team) for p in silent.pairs] == [
        (p.a, p.b, p.similarity, p.same_team) for p in plain.pairs
    ]
    assert silent.clusters == plain.clusters


@settings(max_examples=40, deadline=None)
@given(
    st.integers(1, 6).flatmap(
        lambda n: st.lists(
            st.lists(st.integers(-1000, 1000).map(lambda k: k / 8), min_size=3, max_size=3),
            min_size=n,
            max_size=n,
        )
    )
)
def test_vector_cosines_equal_scikit_learn(rows: list[list[float]]) -> None:
    # Coordinates on a 1/8 grid: scikit-learn squares norms, so values near 1e-64 underflow
    # there (it then reports 0 where the cosine is 1); zero rows are still generated.
    from sklearn.metrics.pairwise import cosine_similarity

    vectors = np.array(rows)
    np.testing.assert_allclose(vector_cosines(vectors), cosine_similarity(vectors), atol=1e-12)


@pytest.mark.parametrize(
    ("vectors", "vector_threshold", "message"),
    [
        (np.ones((3, 2)), 0.75, r"got 2 texts but 3 vectors \(expected one row per text\)"),
        (np.ones(2), 0.75, r"vectors must be a 2-D array, one row per text \(got shape \(2,\)\)"),
        (np.array([[1.0, 0.0], [np.nan, 1.0]]), 0.75, "vectors row 1 holds NaN or infinity"),
        (np.array([[1.0, np.inf], [0.0, 1.0]]), 0.75, "vectors row 0 holds NaN or infinity"),
        (np.ones((2, 2)), 1.2, "vector_threshold 1.2 is outside 0..1"),
    ],
)
def test_near_duplicates_bad_vectors_raise(
    vectors: np.ndarray, vector_threshold: float, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        near_duplicates(["a", "b"], ["x", "y"], vectors=vectors, vector_threshold=vector_threshold)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.text(alphabet="abcde fgh-", min_size=0, max_size=30), min_size=1, max_size=6))
def test_similarity_matrix_symmetric_bounded_unit_diagonal(texts: list[str]) -> None:
    sim = similarity_matrix(texts)
    assert sim.shape == (len(texts), len(texts))
    assert (sim == sim.T).all()
    assert ((sim >= 0) & (sim <= 1)).all()
    assert (sim.diagonal() == 1).all()


def test_themes_group_ideas_and_name_top_terms() -> None:
    ids = ["i1", "i2", "i3", "i4", "i5"]
    texts = [
        "Customer referral programme with account credits",
        "Referral rewards for customers who bring a friend",
        "Customer referral programme for partners",
        "Cut cloud hosting costs with reserved instances",
        "Hire a second designer",
    ]
    found = themes(ids, texts)
    assert [t.members for t in found] == [["i1", "i2", "i3"]]
    assert "referral" in found[0].top_terms


def test_themes_are_deterministic_and_skip_singletons() -> None:
    ids = ["a", "b"]
    texts = ["Podcast with operations leaders", "Renegotiate the office lease"]
    assert themes(ids, texts) == []
    assert themes(["a"], ["one"]) == []


# --- TF-IDF against scikit-learn (dev dependency, oracle only) -------------------------

_ORACLE_TEXTS = st.lists(
    st.text(alphabet="abcdeé fgh-THE and of\t\n", min_size=0, max_size=40), min_size=1, max_size=8
)


def _read_as_english(text: str) -> bool:
    from accord.analysis.stop_words import guess_language

    return guess_language(tokens_module._WORD.findall(text.lower())) in ("en", None)


def _sklearn_views(texts: list[str]) -> tuple[object, object]:
    from sklearn.feature_extraction.text import TfidfVectorizer

    word = TfidfVectorizer(
        analyzer="word",
        ngram_range=(1, 2),
        stop_words=sorted(ENGLISH_STOP_WORDS),
        sublinear_tf=True,
        token_pattern=tokens_module._WORD.pattern,
    )
    char = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True)
    return word, char


def _as_dict(matrix: TermMatrix) -> dict[tuple[int, str], float]:
    return {
        (int(i), matrix.vocabulary[int(t)]): float(w)
        for i, t, w in zip(matrix.text, matrix.term, matrix.weight, strict=True)
    }


def _sklearn_dict(vectorizer: Any, texts: list[str]) -> dict[tuple[int, str], float]:
    try:
        x = vectorizer.fit_transform(texts).tocoo()
    except ValueError:  # scikit-learn refuses an empty vocabulary; ours is simply empty
        return {}
    names = vectorizer.get_feature_names_out()
    return {(int(i), str(names[j])): float(w) for i, j, w in zip(x.row, x.col, x.data, strict=True)}


@settings(max_examples=60, deadline=None)
@given(_ORACLE_TEXTS)
def test_tf_idf_equals_scikit_learn_word_and_char_views(texts: list[str]) -> None:
    # The oracle drops English stop words: keep texts read as English (or as no language,
    # where neither side drops anything).
    assume(all(_read_as_english(t) for t in texts))
    word, char = _sklearn_views(texts)
    ours_word = _as_dict(tf_idf([word_terms(t) for t in texts]))
    ours_char = _as_dict(tf_idf([char_terms(t) for t in texts]))
    for ours, theirs in (
        (ours_word, _sklearn_dict(word, texts)),
        (ours_char, _sklearn_dict(char, texts)),
    ):
        assert ours.keys() == theirs.keys()
        for key, value in ours.items():
            assert value == pytest.approx(theirs[key], abs=1e-12)


def test_similarity_matrix_equals_scikit_learn_cosines_on_labelled_texts() -> None:
    texts = sorted({t for a, b, _ in _labelled() for t in (a, b)})
    word, char = _sklearn_views(texts)
    by_word = (lambda x: (x @ x.T).toarray())(word.fit_transform(texts))  # type: ignore[attr-defined]
    by_char = (lambda x: (x @ x.T).toarray())(char.fit_transform(texts))  # type: ignore[attr-defined]
    expected = np.clip(0.5 * by_word + 0.5 * by_char, 0.0, 1.0)
    np.fill_diagonal(expected, 1.0)
    np.testing.assert_allclose(similarity_matrix(texts), expected, atol=1e-12)


def test_cosines_span_several_column_blocks() -> None:
    # More shared terms than one dense block holds: the blocked product must still be exact.
    texts = [
        " ".join(f"w{i}x{j}" for j in range(0, 3000, 1 + k)) for i, k in ((0, 0), (0, 1), (1, 0))
    ]
    terms = tf_idf([word_terms(t) for t in texts])
    assert len(terms.vocabulary) > 2048
    dense = terms.dense()
    np.testing.assert_allclose(
        similarity_matrix(texts)[0, 1],
        0.5 * float(dense[0] @ dense[1])
        + 0.5 * float((lambda c: c[0] @ c[1])(tf_idf([char_terms(t) for t in texts]).dense())),
        atol=1e-12,
    )


# Tokens that carry meaning in planning lists: issue 16 (A/B became "b", and so on).
@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("Run A/B tests on the checkout", "a/b"),
        ("Order-status chatbot", "order-status"),
        ("CI/CD pipeline for the mobile app", "ci/cd"),
        ("R&D tax credit claim", "r&d"),
        ("Cut churn by 2.5 points", "2.5"),
        ("Reach 10,000 SMB customers", "10,000"),
        ("GDPR audit of the CRM", "gdpr"),
    ],
)
def test_content_words_keep_slashed_hyphenated_acronyms_and_numbers(text: str, kept: str) -> None:
    assert kept in text_module.content_words(text)


@pytest.mark.parametrize(
    ("language", "text", "stop", "content"),
    [
        ("en", "Migrate the help centre to the new CMS", {"the", "to"}, {"migrate", "help"}),
        ("de", "Das Hilfecenter auf das neue CMS migrieren", {"das", "auf"}, {"hilfecenter"}),
        ("fr", "Migrer le centre d'aide sur le nouveau CMS", {"le", "sur"}, {"centre", "aide"}),
        ("es", "Migrar el centro de ayuda al nuevo CMS", {"el", "de", "al"}, {"centro", "ayuda"}),
    ],
)
def test_stop_words_are_dropped_per_language(
    language: str, text: str, stop: set[str], content: set[str]
) -> None:
    from accord.analysis.stop_words import guess_language

    words = text_module.content_words(text)
    assert guess_language(text.lower().replace("'", " ").split()) == language
    assert not stop & set(words)
    assert content <= set(words)


def test_a_text_in_an_unsupported_language_keeps_every_word() -> None:
    # Finnish is not supported: no list covers it, so nothing is dropped (the fallback).
    assert text_module.content_words("Siirretään tukisivusto uuteen CMS") == [
        "siirretään",
        "tukisivusto",
        "uuteen",
        "cms",
    ]


def test_two_ab_testing_tools_now_share_the_ab_term() -> None:
    a = set(word_terms("Build an A/B testing tool for landing pages"))
    b = set(word_terms("In-house A/B experiment platform"))
    assert "a/b" in a & b
