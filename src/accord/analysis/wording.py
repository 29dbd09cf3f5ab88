"""The analysis's figures in plain words: the one place the dashboard and the report read.

A coefficient alone ("concordance 0.66", "group utility 0.736") tells a room nothing about
whether it is close.  Each sentence here gives the figure on a 0-100 scale, the band it
falls in and what that means for the people deciding.  The bands are the alignment
index's own (:func:`alignment_label`: 70 and above high, 40 and above partial), so a
component and the index read the same way.

>>> alignment_parts(0.66, None, 1.0, options=5, excluded=0)[0].split(". ")[1]
'Between 40 and 70: they share part of an order and differ on the rest.'
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from typing import Literal

#: A figure on 0-100 at or above this reads as alike (the index's "high" band).
HIGH = 70
#: At or above this, partly alike (the index's "partial" band); below, far apart.
PARTIAL = 40

GROUP_SCORE_MEANING = (
    "Group score 0–100: the average of each stakeholder's weighted score of the option, "
    "where 100 means best of these options on every criterion they weigh."
)
GROUP_TABLE_MEANING = (
    "Closeness to the ideal (TOPSIS): how near the option comes to the best value of every "
    "criterion at once, 100 = that ideal.  First in the draws: how often it comes first "
    "when the estimates vary within their ranges."
)

UTILITY_MEANING = (
    "Utility 0–1: the option's weighted value score under that stakeholder's own weights, "
    "where 1 means best of these options on every criterion they weigh."
)
SCENARIO_MEANING = (
    "Each scenario's figure is the group score on a 0–1 scale (0.74 is a group score of 74 of "
    "100): the average of each stakeholder's weighted score of the option, 1 = best of these "
    "options on every criterion they weigh. Expected: the scenarios averaged by their "
    "probabilities. Max regret: the most the option falls short, in any scenario, of that "
    "scenario's best feasible option, on the same 0–1 scale."
)

Label = Literal["high", "partial", "low", "n/a"]

#: How every output marks an option that breaks a guardrail, the budget or the capacity.
EXCLUDED_MARK = "(excluded)"


def option_label(name: str, feasible: bool) -> str:
    """An option's name as a sentence names it: marked when it is excluded.

    >>> option_label("Full profiling", False), option_label("Contextual", True)
    ('Full profiling (excluded)', 'Contextual')
    """
    return name if feasible else f"{name} {EXCLUDED_MARK}"


def score(share: float) -> int:
    """A 0..1 figure on the 0-100 scale people read (half up: 0.665 -> 67).

    >>> score(0.736), score(0.665), score(1.0)
    (74, 67, 100)
    """
    return int(share * 100 + 0.5)


def alignment_label(index: float | None) -> Label:
    """The band of an alignment index (0-100); ``n/a`` when nothing could be measured."""
    if index is None:
        return "n/a"
    if index >= HIGH:
        return "high"
    if index >= PARTIAL:
        return "partial"
    return "low"


def _band(value: int, high: str, partial: str, low: str) -> str:
    if value >= HIGH:
        return f"{HIGH} or more: {high}"
    if value >= PARTIAL:
        return f"Between {PARTIAL} and {HIGH}: {partial}"
    return f"Below {PARTIAL}: {low}"


def ranked_options(options: int, excluded: int) -> str:
    """The options the rankings component was taken over: every option, excluded or not.

    >>> ranked_options(5, 0), ranked_options(5, 1)
    ('the 5 options', 'all 5 options, the excluded one included')
    >>> ranked_options(6, 2)
    'all 6 options, the 2 excluded ones included'
    """
    if excluded == 0:
        return f"the {options} options"
    ones = "the excluded one" if excluded == 1 else f"the {excluded} excluded ones"
    return f"all {options} options, {ones} included"


def alignment_parts(
    rankings: float | None,
    weights: float | None,
    facts: float | None,
    *,
    options: int,
    excluded: int,
) -> list[str]:
    """The alignment index's components (each 0..1, 1 = full agreement), one sentence each.

    ``rankings`` is Kendall's W over the orders the stakeholders' own weights give
    ``options`` options (``excluded`` of them excluded, counted all the same), ``weights``
    one minus the mean distance between weight vectors, ``facts`` the share of facts
    nobody disputes (see :func:`accord.analysis.agreement.alignment_index`).
    """
    parts = []
    if rankings is not None:
        value = score(rankings)
        band = _band(
            value,
            "they largely rank the options in the same order.",
            "they share part of an order and differ on the rest.",
            "they rank the options in different orders.",
        )
        parts.append(
            f"Rankings of {ranked_options(options, excluded)}: {value} of 100 alike "
            f"(Kendall's W over the order each stakeholder's own weights give them; 100 = "
            f"everyone's weights give the same order, 0 = no common order). {band}"
        )
    if weights is not None:
        value = score(weights)
        band = _band(
            value,
            "they weigh the criteria much the same.",
            "they agree on some criteria and differ on others.",
            "they weigh the criteria very differently; settle what matters first.",
        )
        parts.append(
            f"What matters to them: {value} of 100 alike (100 = everyone weighs the "
            f"criteria the same). {band}"
        )
    if facts is not None:
        then = (
            " Everyone works from the same facts."
            if facts >= 1.0
            else " Settle the disputed facts first: the rest of the argument rests on them."
        )
        parts.append(f"Facts: {disputed_facts(facts, 'of the fact base is')}.{then}")
    return parts or ["Not enough inputs yet to measure agreement."]


def disputed_facts(undisputed: float, of_what: str = "of the facts are") -> str:
    """How much of the fact base someone disputes, from the share nobody disputes
    (``of_what`` follows the percentage: "of the facts are", "of the fact base is").

    Said as the disputed part ("40% of the facts are disputed by someone") rather than
    "60% are disputed by nobody", and never rounded to none or to all when it is neither.

    >>> disputed_facts(1.0), disputed_facts(0.0)
    ('nobody disputes any fact', 'every fact is disputed by someone')
    >>> disputed_facts(0.6)
    '40% of the facts are disputed by someone'
    >>> disputed_facts(0.999)
    'under 1% of the facts are disputed by someone'
    """
    disputed = 1.0 - undisputed
    if disputed <= 0.0:
        return "nobody disputes any fact"
    if disputed >= 1.0:
        return "every fact is disputed by someone"
    if disputed < 0.005:
        share = "under 1%"
    elif disputed >= 0.995:
        share = "over 99%"
    else:
        share = f"{disputed:.0%}"
    return f"{share} {of_what} disputed by someone"


def alignment_sentence(
    index: float,
    rankings: float | None,
    weights: float | None,
    facts: float | None,
    *,
    options: int,
    excluded: int,
) -> str:
    """One sentence: the index, its band, and what it is made of (``options`` and
    ``excluded`` as in :func:`alignment_parts`).

    >>> sentence = alignment_sentence(62.0, 0.5, None, 0.74, options=5, excluded=1)
    >>> sentence.split(": ")[0]
    'Alignment 62 of 100, partial (40 to 69; high from 70)'
    >>> sentence.split(": ")[1].split(" and ")[0]
    'the rankings of all 5 options, the excluded one included, are 50 of 100 alike'
    """
    bits: list[str] = []
    if rankings is not None:
        over = ranked_options(options, excluded) + ("," if excluded else "")
        bits.append(f"the rankings of {over} are {score(rankings)} of 100 alike")
    if weights is not None:
        bits.append(f"what matters to them is {score(weights)} of 100 alike")
    if facts is not None:
        bits.append(disputed_facts(facts))
    if not bits:
        return f"Alignment {score(index / 100)} of 100: not enough inputs to measure agreement."
    label = alignment_label(index)
    band = {
        "high": f"{HIGH} or more",
        "partial": f"{PARTIAL} to {HIGH - 1}; high from {HIGH}",
        "low": f"below {PARTIAL}; partial from {PARTIAL}",
    }[label]
    made_of = bits[0] if len(bits) == 1 else ", ".join(bits[:-1]) + " and " + bits[-1]
    return f"Alignment {score(index / 100)} of 100, {label} ({band}): {made_of}."


def ranking_lead(
    ranking: Sequence[Sequence[str]],
    utilities: dict[str, float],
    feasible: Collection[str],
    name: Callable[[str], str],
) -> str:
    """Who leads the group ranking among the feasible options, and by how much.

    ``ranking`` is the group's tiers (best first), ``utilities`` the group utility (mean
    of the stakeholders' utilities, 0..1) of each option.

    >>> ranking_lead([["a"], ["b"]], {"a": 0.736, "b": 0.663}, {"a", "b"}, str.upper)
    'A leads the group ranking with a group score of 74 of 100, 8 points ahead of B.'
    """
    tiers = [[o for o in tier if o in feasible] for tier in ranking]
    tiers = [tier for tier in tiers if tier]
    if not tiers:
        return "No option is feasible, so the group ranking puts none first."
    top = tiers[0]
    points = score(utilities[top[0]])
    if len(top) > 1:
        names = ", ".join(name(o) for o in top[:-1]) + " and " + name(top[-1])
        return f"{names} tie at the top of the group ranking with a group score of {points} of 100."
    if len(tiers) == 1:
        return f"{name(top[0])} is the only feasible option (group score {points} of 100)."
    second = tiers[1][0]
    gap = points - score(utilities[second])
    ahead = f"{gap} point{'' if gap == 1 else 's'}" if gap >= 1 else "less than a point"
    return (
        f"{name(top[0])} leads the group ranking with a group score of {points} of 100, "
        f"{ahead} ahead of {name(second)}."
    )


__all__ = [
    "EXCLUDED_MARK",
    "GROUP_SCORE_MEANING",
    "GROUP_TABLE_MEANING",
    "HIGH",
    "PARTIAL",
    "SCENARIO_MEANING",
    "UTILITY_MEANING",
    "alignment_label",
    "alignment_parts",
    "alignment_sentence",
    "disputed_facts",
    "option_label",
    "ranked_options",
    "ranking_lead",
    "score",
]
