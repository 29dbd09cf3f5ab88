"""The facilitator's judgement overrides the computed kind of a pair (issue 16, item 3)."""

from __future__ import annotations

import datetime as dt

import pytest

from accord.analysis.duplicates_judgements import Judgement, Verdict, pair_key
from accord.analysis.text import near_duplicates

IDS = ["a", "b", "c"]
# a/b: each names something the other lacks (computed: possible duplicate, to confirm);
# c: unrelated work that shares no word with either.
TEXTS = [
    "Customer onboarding wizard",
    "Customer onboarding with templates, checklists and videos",
    "Renegotiate the office lease",
]
COSTS = [100.0, 90.0, 40.0]
DAY = dt.date(2026, 11, 3)


def _judged(verdict: Verdict, a: str = "a", b: str = "b") -> dict[frozenset[str], Judgement]:
    return {pair_key(b, a): Judgement(verdict, "maria", DAY)}


def test_without_a_judgement_the_pair_is_a_possible_duplicate() -> None:
    d = near_duplicates(IDS, TEXTS, costs=COSTS)
    assert [(p.a, p.b, p.kind, p.judgement) for p in d.pairs] == [
        ("a", "b", "possible duplicate", None)
    ]
    assert (d.redundant_cost, d.possible_cost) == (0.0, 90.0)


def test_a_confirmed_duplicate_counts_its_copy_as_redundant() -> None:
    d = near_duplicates(IDS, TEXTS, costs=COSTS, judgements=_judged("duplicate"))
    (pair,) = d.pairs
    assert pair.kind == "duplicate"
    assert pair.judgement == Judgement("duplicate", "maria", DAY)
    assert (d.redundant_cost, d.possible_cost) == (90.0, 0.0)
    assert [c.confidence for c in d.clusters] == ["high"]


def test_judged_related_work_is_never_redundant_money() -> None:
    d = near_duplicates(IDS, TEXTS, costs=COSTS, judgements=_judged("related"))
    assert [(p.a, p.b) for p in d.related] == [("a", "b")]
    assert d.clusters == []
    assert (d.redundant_cost, d.possible_cost) == (0.0, 0.0)


def test_a_pair_judged_not_related_is_dismissed_and_listed_apart() -> None:
    d = near_duplicates(IDS, TEXTS, costs=COSTS, judgements=_judged("not_related"))
    assert d.pairs == [] and d.clusters == []
    assert [(p.a, p.b, p.judgement) for p in d.dismissed] == [
        ("a", "b", Judgement("not_related", "maria", DAY))
    ]
    assert (d.redundant_cost, d.possible_cost) == (0.0, 0.0)


def test_a_confirmation_is_kept_even_when_no_signal_found_the_pair() -> None:
    d = near_duplicates(IDS, TEXTS, costs=COSTS, judgements=_judged("duplicate", "a", "c"))
    judged = [p for p in d.pairs if p.judgement is not None]
    assert [(p.a, p.b, p.kind, p.found_by) for p in judged] == [("a", "c", "duplicate", ())]
    # a/c confirmed (40 redundant, a kept); b joins through the possible a/b pair, so the
    # cluster is still to confirm and no money is counted as redundant yet.
    assert [c.members for c in d.clusters] == [["a", "b", "c"]]
    assert d.clusters[0].confidence == "confirm"
    assert d.redundant_cost == 0.0 and d.possible_cost == 130.0


@pytest.mark.parametrize("unknown", ["zz", "c"])
def test_judgements_on_ids_outside_the_list_change_nothing(unknown: str) -> None:
    plain = near_duplicates(IDS[:2], TEXTS[:2], costs=COSTS[:2])
    judged = near_duplicates(
        IDS[:2], TEXTS[:2], costs=COSTS[:2], judgements=_judged("duplicate", "a", unknown)
    )
    assert judged == plain
