"""Every rule on the canonical fixtures: rule x fixture -> expected winners and rankings."""

from __future__ import annotations

import pytest

from accord.analysis.voting import RULE_ORDER, RULES, rule_robustness, vote
from accord.errors import InputError
from accord.model.ballots import Profile

RANKING_RULES = ["plurality", "borda", "copeland", "schulze", "ranked-pairs", "irv", "minimax"]


@pytest.mark.parametrize("rule", RANKING_RULES)
def test_cycle_ties_all_three(rule: str, condorcet_cycle: Profile) -> None:
    outcome = vote(condorcet_cycle, rule)
    assert outcome.winners == ["a", "b", "c"]
    assert outcome.condorcet_winner is None
    assert outcome.majority_cycle is True
    assert outcome.smith_set == ["a", "b", "c"]


@pytest.mark.parametrize("rule", RANKING_RULES)
def test_exact_tie_returns_both(rule: str, exact_tie: Profile) -> None:
    outcome = vote(exact_tie, rule)
    assert outcome.winners == ["a", "b"]
    assert outcome.weak_condorcet_winners == ["a", "b"]
    assert outcome.majority_cycle is False


@pytest.mark.parametrize("rule", RANKING_RULES)
def test_one_voter_gets_their_ranking(rule: str, one_voter: Profile) -> None:
    outcome = vote(one_voter, rule)
    assert outcome.winners == ["c"]
    if rule in ("borda", "copeland", "schulze", "ranked-pairs"):
        assert outcome.ranking == [["c"], ["a"], ["d"], ["b"]]
    else:  # first places only (plurality, IRV's simultaneous elimination) or worst defeat
        assert outcome.ranking is not None and outcome.ranking[0] == ["c"]


@pytest.mark.parametrize(("reading", "expected"), [("below", "a"), ("uncompared", "b")])
def test_truncated_reading_changes_condorcet_winner(
    truncated: Profile, reading: str, expected: str
) -> None:
    for rule in ("copeland", "schulze", "ranked-pairs", "minimax"):
        outcome = vote(truncated, rule, unranked=reading)
        assert outcome.unranked == reading
        assert outcome.condorcet_winner == expected
        assert outcome.winners == [expected]


def test_plurality_misses_condorcet_winner(condorcet_not_plurality: Profile) -> None:
    assert vote(condorcet_not_plurality, "plurality").winners == ["a"]
    assert vote(condorcet_not_plurality, "irv").winners == ["c"]
    assert vote(condorcet_not_plurality, "copeland").winners == ["b"]


def test_plurality_splits_tied_first_place() -> None:
    p = Profile(candidates=("a", "b", "c"), ballots=(((0, 1),), ((2,),)), counts=(3, 2))
    outcome = vote(p, "plurality")
    assert outcome.scores == {"a": 1.5, "b": 1.5, "c": 2.0}
    assert outcome.winners == ["c"]


def test_plurality_thirds_add_up_exactly() -> None:
    # 3 x 1/3 must tie with 1 exactly (no floating-point drift).
    p = Profile(candidates=("a", "b", "c", "d"), ballots=(((0, 1, 2),), ((3,),)), counts=(3, 1))
    assert vote(p, "plurality").winners == ["a", "b", "c", "d"]


def test_irv_eliminates_tied_lowest_together() -> None:
    p = Profile(
        candidates=("a", "b", "c", "d"),
        ballots=(((0,), (1,)), ((1,),), ((2,), (0,)), ((3,), (0,))),
        counts=(2, 2, 1, 1),
    )
    outcome = vote(p, "irv")
    assert outcome.ranking == [["a"], ["b"], ["c", "d"]]


def test_ranked_pairs_reports_tie_breaking(condorcet_cycle: Profile) -> None:
    outcome = vote(condorcet_cycle, "ranked-pairs")
    assert outcome.possible_winners == ["a", "b", "c"]
    assert outcome.tie_broken_by is not None and "ranked_pairs_tb" in outcome.tie_broken_by
    assert outcome.ranking == [["a"], ["b"], ["c"]]


def test_unknown_rule_lists_rules_and_suggests(exact_tie: Profile) -> None:
    with pytest.raises(InputError) as error:
        vote(exact_tie, "shulze")
    assert "did you mean 'schulze'?" in error.value.message
    assert "ranked-pairs" in error.value.message


def test_unknown_reading_is_rejected(exact_tie: Profile) -> None:
    with pytest.raises(InputError, match="expected one of: below, uncompared"):
        vote(exact_tie, "borda", unranked="above")


def test_registry_lists_every_design_rule() -> None:
    assert set(RULES) == set(RULE_ORDER)
    assert RULES["schulze"].condorcet_consistent and not RULES["irv"].monotone


def test_approval_reads_two_level_ballots() -> None:
    p = Profile(candidates=("a", "b", "c"), ballots=(((0, 1), (2,)), ((2,),)), counts=(2, 1))
    outcome = vote(p, "approval")
    assert outcome.winners == ["a", "b"]
    assert outcome.notes == ["approvals read from rankings: each ballot approves its top tier"]


def test_approval_refuses_long_rankings(one_voter: Profile) -> None:
    with pytest.raises(InputError, match="approval needs approvals"):
        vote(one_voter, "approval")


def test_score_and_dots_need_their_inputs(one_voter: Profile) -> None:
    with pytest.raises(InputError, match="score needs ratings"):
        vote(one_voter, "score")
    with pytest.raises(InputError, match="dots needs dot allocations"):
        vote(one_voter, "dots")


def test_score_dots_and_approval_from_named_inputs() -> None:
    p = Profile.from_rankings(
        ["x", "y", "z"],
        {"dana": ["x", "y"]},
        approvals={"dana": ["x"], "sam": ["y", "z"]},
        ratings={"dana": {"x": 8, "y": 3}, "sam": {"y": 9, "z": 1}},
        dots={"dana": {"x": 3}, "sam": {"y": 2, "z": 1}},
        dots_budget=3,
    )
    assert vote(p, "score").winners == ["y"]
    assert vote(p, "dots").winners == ["x"]
    assert vote(p, "approval").winners == ["x", "y", "z"]


def test_rule_robustness_names_disagreement(condorcet_not_plurality: Profile) -> None:
    result = rule_robustness(condorcet_not_plurality, ["plurality", "irv", "copeland", "score"])
    assert not result.agree
    assert result.summary == (
        "the choice of rule matters: plurality elects a; irv elects c; copeland elects b"
    )
    assert "score" in result.skipped


def test_rule_robustness_agreement(one_voter: Profile) -> None:
    result = rule_robustness(one_voter, ["borda", "schulze"])
    assert result.agree
    assert result.summary == "every rule counted (borda, schulze) elects c"


def test_candidate_on_no_ballot_is_reported_last() -> None:
    p = Profile(candidates=("a", "b", "c"), ballots=(((0,), (1,)),), counts=(1,))
    outcome = vote(p, "minimax", unranked="uncompared")
    assert outcome.winners == ["a"]
    assert outcome.ranking == [["a"], ["b"], ["c"]]
    assert outcome.notes == ["not on any ballot, so not counted: c"]
