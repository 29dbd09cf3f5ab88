"""Duplicate vs possible duplicate vs related: the words two initiatives share and lack."""

from __future__ import annotations

import numpy as np

from accord.analysis.pair_evidence import compare_texts
from accord.analysis.text import near_duplicates


def test_evidence_lists_shared_and_differing_content_words() -> None:
    e = compare_texts(
        "Migrate the help centre to the new CMS", "Migrate the marketing site to the new CMS"
    )
    assert set(e.shared) >= {"migrate", "cms"}
    assert e.only_a == ("help", "centre")
    assert e.only_b == ("marketing", "site")


def test_inflections_and_spelling_variants_count_as_shared() -> None:
    e = compare_texts("Self-serve onboarding programme", "Self-service onboard program")
    assert e.only_a == () and e.only_b == ()


def test_one_text_inside_the_other_is_a_duplicate_with_high_confidence() -> None:
    e = compare_texts("Customer referral programme", "Launch the customer referral program in Q3")
    assert e.kind == "duplicate"
    assert e.only_a == ()


def test_both_sides_naming_something_else_is_not_a_confident_duplicate() -> None:
    e = compare_texts(
        "Migrate the help centre to the new CMS", "Migrate the marketing site to the new CMS"
    )
    assert e.kind == "possible duplicate"


def test_meaning_that_disagrees_makes_a_lexical_match_related() -> None:
    # Shared words, but the texts' vectors say different things: related work.
    e = compare_texts(
        "Migrate the help centre to the new CMS",
        "Migrate the marketing site to the new CMS",
        vector_similarity=0.40,
        vector_threshold=0.75,
    )
    assert e.kind == "related"


def test_money_is_counted_only_for_confident_duplicates() -> None:
    d = near_duplicates(
        ["a", "b", "c", "d"],
        [
            "Migrate the help centre to the new CMS",
            "Migrate the marketing site to the new CMS",
            "Launch a customer referral programme",
            "Customer referral program launch",
        ],
        costs=[100.0, 90.0, 50.0, 30.0],
    )
    kinds = {(p.a, p.b): p.kind for p in d.pairs}
    assert kinds[("a", "b")] == "possible duplicate"
    assert kinds[("c", "d")] == "duplicate"
    assert d.redundant_cost == 30.0  # only the confident duplicate's copy
    assert d.possible_cost == 90.0  # the CMS pair: to confirm, not counted
    confidence = {tuple(c.members): c.confidence for c in d.clusters}
    assert confidence == {("a", "b"): "confirm", ("c", "d"): "high"}
    assert [(p.a, p.b) for p in d.possible] == [("a", "b")]


def test_pairs_carry_their_evidence() -> None:
    d = near_duplicates(
        ["a", "b"],
        ["Migrate the help centre to the new CMS", "Migrate the marketing site to the new CMS"],
        vectors=np.array([[1.0, 0.0], [0.0, 1.0]]),
    )
    (pair,) = d.pairs
    assert pair.only_a == ("help", "centre") and pair.only_b == ("marketing", "site")
    assert pair.kind == "related"
