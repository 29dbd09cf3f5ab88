"""Whether stated weights can become criterion weights: each fact decided in one place.

Two callers need the same answers.  The case checker (:mod:`accord.model.case`) places
each problem on the line of ``inputs.<stakeholder>.weights`` that causes it, so
``accord validate`` refuses what ``accord analyze`` could not weigh.  The index-based
weight functions of :mod:`accord.analysis.weights` raise the same messages for callers
that build arrays by hand.  Pure Python (the model layer imports no numpy and nothing
from :mod:`accord.analysis`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from accord.model.inputs import AhpWeights, RankWeights, SwingWeights, Weights

#: Most criteria one AHP judgement set may weigh: the random index RI(n) that the
#: consistency ratio divides by is tabulated up to n = 100 (Donegan & Dodd 1991).
MAX_AHP_CRITERIA = 100

Pair = tuple[int, int]
FieldPath = tuple[str | int, ...]


@dataclass(frozen=True)
class WeightProblem:
    """One reason stated weights cannot be used; ``field`` is inside the weights block."""

    field: FieldPath
    message: str


def criterion_name(i: int, labels: Sequence[str] | None) -> str:
    """``'Growth'`` when labels are given, else ``criterion 3``."""
    if labels is not None and 0 <= i < len(labels):
        return repr(labels[i])
    return f"criterion {i}"


def no_criteria_message(method: str) -> str:
    """Why any weighting of zero criteria is refused (the analysis needs at least one)."""
    return (
        f"{method} weights need at least one criterion, got n=0 "
        "(expected criteria in the case, or no weights)"
    )


def ahp_size_message(n: int) -> str | None:
    """A problem when ``n`` criteria are more than AHP consistency is defined for here."""
    if n <= MAX_AHP_CRITERIA:
        return None
    return (
        f"AHP consistency is defined here for up to {MAX_AHP_CRITERIA} criteria, got {n} "
        "(expected another weighting method for this many criteria)"
    )


def judgement_problems(
    pairs: Sequence[Pair | None], labels: Sequence[str] | None = None
) -> list[tuple[int, str]]:
    """``(judgement index, message)`` for each self comparison and each repeated pair.

    ``pairs[k]`` is ``(more, less)`` as criterion indices, or None for a judgement that
    names an unknown criterion (reported where the id is checked).  ``a`` over ``b`` and
    ``b`` over ``a`` are the same pair: the reciprocal matrix has one entry for both.
    """
    problems: list[tuple[int, str]] = []
    first: dict[Pair, int] = {}
    for k, pair in enumerate(pairs):
        if pair is None:
            continue
        more, less = pair
        if more == less:
            problems.append(
                (
                    k,
                    f"{criterion_name(more, labels)} is compared with itself "
                    "(expected two different criteria)",
                )
            )
            continue
        key = (min(more, less), max(more, less))
        if key in first:
            problems.append(
                (
                    k,
                    f"{criterion_name(more, labels)} and {criterion_name(less, labels)} "
                    f"are compared more than once (first in judgements[{first[key]}]; "
                    "expected one judgement per pair)",
                )
            )
        else:
            first[key] = k
    return problems


def first_unlinked(n: int, pairs: Sequence[Pair | None]) -> int | None:
    """The lowest criterion no chain of judgements links to criterion 0 (None: all linked).

    Without such a chain the relative weight of the two groups is undetermined, so no
    completion of the missing judgements exists (Bozóki, Fülöp & Rónyai 2010, Thm 2).
    """
    if n <= 1:
        return None
    neighbours: list[list[int]] = [[] for _ in range(n)]
    for pair in pairs:
        if pair is None:
            continue
        more, less = pair
        if 0 <= more < n and 0 <= less < n:
            neighbours[more].append(less)
            neighbours[less].append(more)
    reached = [False] * n
    reached[0] = True
    frontier = [0]
    while frontier:
        for j in neighbours[frontier.pop()]:
            if not reached[j]:
                reached[j] = True
                frontier.append(j)
    return next((i for i in range(n) if not reached[i]), None)


def unlinked_message(cut: int, labels: Sequence[str] | None) -> str:
    return (
        f"the AHP judgements never link {criterion_name(cut, labels)} to "
        f"{criterion_name(0, labels)} (expected every criterion compared, directly or "
        "through others)"
    )


def weight_problems(weights: Weights, criterion_ids: Sequence[str]) -> list[WeightProblem]:
    """Everything that stops ``weights`` from weighing the case's criteria.

    Unknown criterion ids and ranks given twice are the case checker's own reference
    checks; this adds what only the weighting itself reveals.
    """
    n = len(criterion_ids)
    if n == 0:
        method = "AHP" if weights.method == "ahp" else weights.method
        return [WeightProblem((), no_criteria_message(method))]
    if isinstance(weights, AhpWeights):
        return _ahp_problems(weights, criterion_ids)
    if isinstance(weights, RankWeights):
        return []  # rank-order centroid weighs any n >= 1, unlisted criteria last
    return _value_problems(weights.values, criterion_ids, swing=isinstance(weights, SwingWeights))


def _ahp_problems(weights: AhpWeights, criterion_ids: Sequence[str]) -> list[WeightProblem]:
    n = len(criterion_ids)
    too_many = ahp_size_message(n)
    if too_many is not None:
        return [WeightProblem(("judgements",), too_many)]
    index = {c: i for i, c in enumerate(criterion_ids)}
    pairs: list[Pair | None] = []
    for j in weights.judgements:
        more, less = index.get(j.more), index.get(j.less)
        pairs.append(None if more is None or less is None else (more, less))
    found = [
        WeightProblem(("judgements", k), message)
        for k, message in judgement_problems(pairs, criterion_ids)
    ]
    # An unknown id already fails the case; linking is judged on a clean set only.
    if not found and all(p is not None for p in pairs):
        cut = first_unlinked(n, pairs)
        if cut is not None:
            found.append(WeightProblem(("judgements",), unlinked_message(cut, criterion_ids)))
    return found


def _value_problems(
    values: Mapping[str, float], criterion_ids: Sequence[str], *, swing: bool
) -> list[WeightProblem]:
    ids = set(criterion_ids)
    if any(c not in ids for c in values):
        return []  # an unknown id already fails the case, with a suggestion
    if any(v > 0 for v in values.values()):
        return []
    what = "swing" if swing else "weight"
    return [
        WeightProblem(
            ("values",),
            f"no criterion of the case has a {what} above 0 (expected at least one positive "
            f"{what} for one of: {', '.join(criterion_ids[:10])}"
            f"{', ...' if len(criterion_ids) > 10 else ''})",
        )
    ]


__all__ = [
    "MAX_AHP_CRITERIA",
    "WeightProblem",
    "ahp_size_message",
    "criterion_name",
    "first_unlinked",
    "judgement_problems",
    "no_criteria_message",
    "unlinked_message",
    "weight_problems",
]
