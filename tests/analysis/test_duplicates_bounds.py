"""Bad and big input for near-duplicate detection: empty texts, one text, 10,000 copies of one
text (the listed pairs are bounded and the rest counted), blocks that split the texts."""

from __future__ import annotations

import numpy as np
import pytest

from accord.analysis import duplicates_search
from accord.analysis.text import MAX_PAIRS, near_duplicates, similarity_matrix


def test_texts_without_a_word_pair_with_nothing() -> None:
    d = near_duplicates(["a", "b", "c", "d"], ["", "   ", "!!!", "Renegotiate the lease"])
    assert d.pairs == [] and d.clusters == [] and d.pairs_left_out == 0


def test_one_initiative_gives_no_pair() -> None:
    d = near_duplicates(["a"], ["Launch a referral programme"], costs=[10.0])
    assert (d.pairs, d.clusters, d.redundant_cost) == ([], [], 0.0)


def test_ten_thousand_copies_list_a_bounded_number_of_pairs_and_count_the_rest() -> None:
    n = 10_000
    d = near_duplicates(
        [f"i{k}" for k in range(n)], ["Migrate the help centre to the new CMS"] * n, costs=[1.0] * n
    )
    assert len(d.pairs) == MAX_PAIRS
    assert d.pairs_left_out == n * (n - 1) // 2 - MAX_PAIRS
    (cluster,) = d.clusters
    assert len(cluster.members) == n and cluster.confidence == "high"
    assert d.redundant_cost == n - 1
    assert {p.kind for p in d.pairs} == {"duplicate"}


def test_copies_of_one_text_are_compared_once(monkeypatch: pytest.MonkeyPatch) -> None:
    sizes: list[int] = []
    real = duplicates_search.candidate_pairs

    def counting(*args: object, **kwargs: object) -> duplicates_search.Candidates:
        result = real(*args, **kwargs)  # type: ignore[arg-type]
        sizes.append(args[1].texts)  # type: ignore[attr-defined]
        return result

    monkeypatch.setattr("accord.analysis.text.candidate_pairs", counting)
    near_duplicates([f"i{k}" for k in range(500)], ["Same text", "Other words"] * 250)
    assert sizes == [2]


def test_pairs_found_block_by_block_are_the_dense_matrix_pairs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    texts = [
        "Self-serve onboarding flow",
        "Self-service onboarding flow for new users",
        "Customer referral programme",
        "Customer referral program launch",
        "Renegotiate the office lease",
        "Office lease renegotiation",
        "Migrate billing",
    ]
    ids = [f"t{k}" for k in range(len(texts))]
    whole = {(p.a, p.b): p.similarity for p in near_duplicates(ids, texts).pairs}
    monkeypatch.setattr(duplicates_search, "BLOCK", 2)
    real = duplicates_search.candidate_pairs
    monkeypatch.setattr(
        "accord.analysis.text.candidate_pairs",
        lambda *a, **k: real(*a, **{**k, "block": 2}),
    )
    blocked = {(p.a, p.b): p.similarity for p in near_duplicates(ids, texts).pairs}
    assert blocked.keys() == whole.keys() and len(whole) >= 3
    sim = similarity_matrix(texts)
    for (a, b), value in blocked.items():
        assert value == pytest.approx(sim[int(a[1:]), int(b[1:])], abs=1e-12)
    assert not np.isnan(list(blocked.values())).any()


# The same bad input through the meaning path (vectors, the packaged model's top-k rule).
MEANING = {"vector_threshold": 0.2, "vector_neighbours": 5}


def test_with_vectors_texts_without_a_word_or_a_vector_pair_with_nothing() -> None:
    texts = ["", "   ", "!!!", "Renegotiate the lease", "Cut hosting costs"]
    vectors = np.array([[0.0, 0.0], [0.0, 0.0], [0.0, 0.0], [1.0, 0.0], [0.9, 0.1]])
    d = near_duplicates([f"t{k}" for k in range(5)], texts, vectors=vectors, **MEANING)
    assert {(p.a, p.b) for p in d.pairs} == {("t3", "t4")}
    assert all(np.isfinite(p.similarity) for p in d.pairs)


def test_with_vectors_one_initiative_gives_no_pair() -> None:
    d = near_duplicates(["a"], ["Launch a referral programme"], vectors=np.ones((1, 4)), **MEANING)
    assert (d.pairs, d.clusters) == ([], [])


def test_with_vectors_ten_thousand_copies_are_one_cluster_with_bounded_pairs() -> None:
    n = 10_000
    d = near_duplicates(
        [f"i{k}" for k in range(n)],
        ["Migrate the help centre to the new CMS"] * n,
        costs=[1.0] * n,
        vectors=np.ones((n, 8)),
        word_vectors={"migrate": np.ones(8) / np.sqrt(8)},
        **MEANING,
    )
    assert len(d.pairs) == MAX_PAIRS and d.pairs_left_out == n * (n - 1) // 2 - MAX_PAIRS
    (cluster,) = d.clusters
    assert len(cluster.members) == n and d.redundant_cost == n - 1
