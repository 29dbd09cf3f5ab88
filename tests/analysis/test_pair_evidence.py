"""Duplicate vs possible duplicate vs related: the words two initiatives share and lack."""

from __future__ import annotations

import numpy as np

from accord.analysis.pair_evidence import compare_texts, in_order
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


def test_the_same_sentence_with_a_part_swapped_is_related_work() -> None:
    # Issue 16: the same kind of work on different sites, a coordination opportunity.
    e = compare_texts(
        "Migrate the help centre to the new CMS", "Migrate the marketing site to the new CMS"
    )
    assert e.kind == "related"


def test_a_swap_longer_than_what_is_shared_is_only_a_possible_duplicate() -> None:
    # One more differing word than shared ones: no longer "the same sentence, one part
    # swapped", and without meaning nothing says whether the differences matter.
    e = compare_texts(
        "Customer onboarding wizard", "Customer onboarding with templates, checklists, videos"
    )
    assert (e.shared, e.only_a) == (("customer", "onboarding"), ("wizard",))
    assert e.kind == "possible duplicate"
    swapped = compare_texts("Customer onboarding wizard", "Customer onboarding templates")
    assert swapped.kind == "related"


def test_a_rewording_that_moves_the_shared_words_is_not_a_swapped_part() -> None:
    # Issue 16 (recall): the same work reworded keeps few words and moves them; only a
    # sentence template with one slot filled differently is related work.
    reworded = compare_texts(
        "Automate supplier invoice matching", "Three-way match automation for AP invoices"
    )
    assert reworded.only_a == ("supplier",) and reworded.only_b == ("three-way", "ap")
    assert reworded.kind == "possible duplicate"
    template = compare_texts("Automate supplier invoice matching", "Automate AP invoice matching")
    assert template.kind == "related"


def test_a_word_matching_two_of_the_others_is_not_one_template() -> None:
    assert in_order(["lecture", "recordings"], ["lectures", "record"])
    assert not in_order(["lecture", "recordings"], ["record", "lectures"])
    assert not in_order(["referral"], ["refer-a-friend", "referred"])


def test_swapped_parts_that_mean_the_same_are_not_related() -> None:
    words = {
        "annual": np.array([1.0, 0.0]),
        "yearly": np.array([0.96, 0.28]),
        "leipzig": np.array([0.0, 1.0]),
    }
    same = compare_texts(
        "Annual engagement survey",
        "Yearly engagement survey",
        vector_similarity=0.9,
        word_vectors=words,
    )
    assert same.kind == "duplicate"
    other = compare_texts(
        "Annual engagement survey",
        "Leipzig engagement survey",
        vector_similarity=0.9,
        word_vectors=words,
    )
    assert other.kind == "related"


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
            "Customer onboarding wizard",
            "Customer onboarding with templates, checklists and videos",
            "Launch a customer referral programme",
            "Customer referral program launch",
        ],
        costs=[100.0, 90.0, 50.0, 30.0],
    )
    kinds = {(p.a, p.b): p.kind for p in d.pairs}
    assert kinds[("a", "b")] == "possible duplicate"
    assert kinds[("c", "d")] == "duplicate"
    assert d.redundant_cost == 30.0  # only the confident duplicate's copy
    assert d.possible_cost == 90.0  # the onboarding pair: to confirm, not counted
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
