"""Group decision rules over ballots: ``vote(profile, rule)`` and rule robustness.

Rules (names as in DESIGN.md): plurality, borda, copeland, schulze, ranked-pairs, irv,
minimax, approval, score, dots.  Every result names the reading of truncated ballots it used,
lists all tied winners, and says when anything was decided by a tie-breaking order.
"""

from __future__ import annotations

from collections.abc import Iterable

from accord.analysis.voting import irv as _irv  # noqa: F401  (registers the rule)
from accord.analysis.voting import majority as _majority  # noqa: F401
from accord.analysis.voting import ranked_pairs as _ranked_pairs  # noqa: F401
from accord.analysis.voting import scoring as _scoring  # noqa: F401
from accord.analysis.voting.condorcet import (
    condorcet_winner_index,
    has_majority_cycle,
    smith_set_indices,
    weak_condorcet_indices,
)
from accord.analysis.voting.outcome import Outcome, RuleRobustness
from accord.analysis.voting.profile_arrays import (
    READINGS,
    ProfileArrays,
    Reading,
    check_reading,
    profile_arrays,
)
from accord.analysis.voting.registry import RULES, RuleInfo
from accord.errors import AccordError, InputError, did_you_mean
from accord.model.ballots import Profile

__all__ = [
    "READINGS",
    "RULES",
    "Outcome",
    "Profile",
    "RuleInfo",
    "RuleRobustness",
    "check_rule",
    "condorcet_winner",
    "rule_robustness",
    "vote",
]

# The order rules are listed in (DESIGN.md).
RULE_ORDER = (
    "plurality",
    "borda",
    "copeland",
    "schulze",
    "ranked-pairs",
    "irv",
    "minimax",
    "approval",
    "score",
    "dots",
)


def check_rule(name: str) -> RuleInfo:
    """The registered rule called ``name``; an unknown name lists the rules."""
    info = RULES.get(name)
    if info is None:
        raise InputError(
            f"rule: '{name}' is not a voting rule{did_you_mean(name, RULE_ORDER)} "
            f"(expected one of: {', '.join(RULE_ORDER)})"
        )
    return info


def vote(profile: Profile, rule: str, *, unranked: str = "below") -> Outcome:
    """Count ``profile`` under ``rule`` and report winners, ranking and Condorcet facts.

    ``unranked`` is the reading of truncated ballots: ``"below"`` (default; a ranked candidate
    beats every unranked one) or ``"uncompared"`` (a pair counts only when both are ranked).

    >>> p = Profile.from_rankings(["a", "b", "c"], {"x": ["a", "b", "c"], "y": ["b", "c", "a"],
    ...     "z": ["c", "a", "b"]})
    >>> outcome = vote(p, "schulze")
    >>> outcome.winners, outcome.condorcet_winner, outcome.majority_cycle
    (['a', 'b', 'c'], None, True)
    >>> vote(p, "plurality").ranking
    [['a', 'b', 'c']]
    """
    info = check_rule(rule)
    reading = check_reading(unranked)
    return _count(profile, info, reading, profile_arrays(profile))


def _count(profile: Profile, info: RuleInfo, reading: Reading, arrays: ProfileArrays) -> Outcome:
    result = info.function(profile, arrays, reading)
    ids = profile.candidates

    def named(indices: Iterable[int]) -> list[str]:
        return [ids[c] for c in sorted(indices)]

    cw = arrays.derived("condorcet_winner", reading, condorcet_winner_index)
    cands = arrays.cands
    notes = list(result.notes)
    if arrays.absent and info.needs == "rankings":
        notes.append("not on any ballot, so not counted: " + ", ".join(named(arrays.absent)))
    winners = result.winners or list(range(profile.num_candidates))
    return Outcome(
        rule=info.name,
        unranked=reading,
        winners=named(winners),
        ranking=None if result.ranking is None else [named(t) for t in result.ranking],
        condorcet_winner=None if cw is None else ids[int(cands[cw])],
        weak_condorcet_winners=named(
            int(cands[k]) for k in arrays.derived("weak", reading, weak_condorcet_indices)
        ),
        majority_cycle=arrays.derived("cycle", reading, has_majority_cycle),
        smith_set=named(int(cands[k]) for k in arrays.derived("smith", reading, smith_set_indices)),
        tie_broken_by=result.tie_broken_by,
        possible_winners=None
        if result.possible_winners is None
        else named(result.possible_winners),
        scores=None
        if result.scores is None
        else {ids[c]: value for c, value in sorted(result.scores.items())},
        notes=notes,
    )


def condorcet_winner(profile: Profile, *, unranked: str = "below") -> str | None:
    """The candidate a majority prefers to each other candidate, or ``None``.

    >>> p = Profile.from_rankings(["a", "b"], {"x": ["b", "a"], "y": ["b"]})
    >>> condorcet_winner(p)
    'b'
    """
    arrays = profile_arrays(profile)
    cw = condorcet_winner_index(arrays.margin(check_reading(unranked)))
    return None if cw is None else profile.candidates[int(arrays.cands[cw])]


def rule_robustness(
    profile: Profile, rules: Iterable[str] | None = None, *, unranked: str = "below"
) -> RuleRobustness:
    """Count ``profile`` under several rules and say whether the choice of rule matters.

    Rules that need inputs the profile lacks (ratings for score, ...) are skipped with the
    reason.  The summary names each distinct winner set and the rules electing it.

    >>> p = Profile.from_rankings(["a", "b", "c"], {"1": ["a", "b", "c"], "2": ["a", "b", "c"],
    ...     "3": ["b", "c", "a"], "4": ["b", "c", "a"], "5": ["c", "b", "a"]})
    >>> rule_robustness(p, ["plurality", "irv", "copeland"]).summary
    'the choice of rule matters: plurality elects a, b (tie); irv, copeland elect b'
    """
    reading = check_reading(unranked)
    names = list(rules) if rules is not None else list(RULE_ORDER)
    infos = [check_rule(name) for name in names]
    arrays = profile_arrays(profile)
    winners: dict[str, list[str]] = {}
    outcomes: dict[str, Outcome] = {}
    skipped: dict[str, str] = {}
    for info in infos:
        try:
            outcome = _count(profile, info, reading, arrays)
        except AccordError as error:
            skipped[info.name] = error.message
            continue
        winners[info.name] = outcome.winners
        outcomes[info.name] = outcome
    groups: dict[tuple[str, ...], list[str]] = {}
    for name, elected in winners.items():
        groups.setdefault(tuple(elected), []).append(name)
    agree = len(groups) <= 1
    return RuleRobustness(
        unranked=reading,
        winners=winners,
        skipped=skipped,
        agree=agree,
        summary=_summary(groups, profile),
        outcomes=outcomes,
    )


def _summary(groups: dict[tuple[str, ...], list[str]], profile: Profile) -> str:
    if not groups:
        return "no rule could be counted on these ballots"

    def who(elected: tuple[str, ...]) -> str:
        labels = ", ".join(elected)
        return labels + (" (tie)" if len(elected) > 1 else "")

    if len(groups) == 1:
        ((elected, names),) = groups.items()
        return f"every rule counted ({', '.join(names)}) elects {who(elected)}"
    parts = [
        f"{', '.join(names)} elect{'s' if len(names) == 1 else ''} {who(elected)}"
        for elected, names in groups.items()
    ]
    return "the choice of rule matters: " + "; ".join(parts)
