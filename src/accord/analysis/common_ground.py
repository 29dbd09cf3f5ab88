"""Common ground: what stakeholders already share, reported before where they differ.

Alignment starts from what is shared (the facilitation advice in the source
documents: "identify a common ground backed by data", "find shared goals"):

- **Agreeing criteria**: criteria whose weights (each vector summed to 1) differ by
  at most ``tolerance`` between any two stakeholders (range ``max_s w_sc - min_s
  w_sc``; default 0.1, i.e. ten points of a 100-point allocation).  Criteria every
  stakeholder weights at or above the equal share ``1/n`` are "shared priorities".
- **Options in everyone's top half**: rank ``<= ceil(n_options / 2)`` for every
  stakeholder (the middle option of an odd count counts as top half).
- **Facts accepted by all**: accepted by every stakeholder, disputed by none.
- **Company goals each option serves**: an option serves a goal when its mean
  normalised score on the goal's criteria is at least the mean over all options
  (it contributes at least as much as the average option).
- **Shared goals**: company goals that every stakeholder's own goals serve.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from accord.analysis.mcda import rank
from accord.analysis.weights import normalize_weight_rows

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]

#: Largest weight range across stakeholders for a criterion to count as agreed.
DEFAULT_TOLERANCE = 0.1


@dataclass(frozen=True)
class CriterionAgreement:
    """A criterion's weights across stakeholders: their range and whether they agree."""

    criterion: int
    low: float
    high: float
    agreed: bool
    shared_priority: bool


@dataclass(frozen=True)
class GoalService:
    """The options that serve one company goal (goal index)."""

    goal: int
    options: list[int]


@dataclass(frozen=True)
class CommonGround:
    """Everything stakeholders share, with plain-language statements."""

    criteria: list[CriterionAgreement]
    agreed_criteria: list[int]
    shared_priorities: list[int]
    top_half_options: list[int]
    accepted_facts: list[int]
    goal_service: list[GoalService]
    shared_goals: list[int]
    statements: list[str]


def common_ground(
    weights: FloatArray,
    utilities: FloatArray,
    *,
    normalized: FloatArray | None = None,
    goal_of_criterion: Sequence[int | None] | None = None,
    accepted: BoolArray | None = None,
    disputed: BoolArray | None = None,
    stakeholder_goals: Sequence[Sequence[int]] | None = None,
    tolerance: float = DEFAULT_TOLERANCE,
    option_labels: Sequence[str] | None = None,
    criterion_labels: Sequence[str] | None = None,
    fact_labels: Sequence[str] | None = None,
    goal_labels: Sequence[str] | None = None,
) -> CommonGround:
    """What every stakeholder shares.

    ``weights`` stakeholders x criteria; ``utilities`` stakeholders x options;
    ``normalized`` options x criteria with ``goal_of_criterion`` (company goal index
    or None per criterion) for goal service; ``accepted``/``disputed`` facts x
    stakeholders; ``stakeholder_goals[s]`` the company goals stakeholder ``s``'s own
    goals serve.

    >>> cg = common_ground(np.array([[0.5, 0.3, 0.2], [0.1, 0.35, 0.55]]),
    ...                    np.array([[0.9, 0.6, 0.1], [0.1, 0.7, 0.9]]),
    ...                    option_labels=["A", "B", "C"], criterion_labels=["x", "y", "z"])
    >>> cg.agreed_criteria, cg.top_half_options
    ([1], [1])
    >>> cg.statements[:2]
    ['everyone weights y about the same (0.3–0.35)', 'everyone ranks B in their top half']
    """
    w = normalize_weight_rows(np.atleast_2d(np.asarray(weights, dtype=np.float64)))
    u = np.atleast_2d(np.asarray(utilities, dtype=np.float64))
    n_stake, n_criteria = w.shape
    n_options = u.shape[1]
    crit = criterion_labels or [f"criterion {c + 1}" for c in range(n_criteria)]
    opt = option_labels or [f"option {o + 1}" for o in range(n_options)]
    lo, hi = w.min(axis=0), w.max(axis=0)
    criteria = [
        CriterionAgreement(
            criterion=c,
            low=round(float(lo[c]), 12),
            high=round(float(hi[c]), 12),
            agreed=bool(hi[c] - lo[c] <= tolerance + 1e-12),
            shared_priority=bool(lo[c] >= 1.0 / n_criteria - 1e-12),
        )
        for c in range(n_criteria)
    ]
    agreed = [a.criterion for a in criteria if a.agreed]
    priorities = [a.criterion for a in criteria if a.shared_priority]
    half = int(np.ceil(n_options / 2))
    ranks = rank(u) if n_options else np.zeros((n_stake, 0), dtype=np.int64)
    top_half = [o for o in range(n_options) if np.all(ranks[:, o] <= half)]
    facts: list[int] = []
    if accepted is not None:
        acc = np.atleast_2d(np.asarray(accepted, dtype=np.bool_))
        dis = (
            np.zeros_like(acc)
            if disputed is None
            else np.atleast_2d(np.asarray(disputed, dtype=np.bool_))
        )
        facts = [int(f) for f in np.flatnonzero(acc.all(axis=1) & ~dis.any(axis=1))]
    service: list[GoalService] = []
    if normalized is not None and goal_of_criterion is not None:
        r = np.asarray(normalized, dtype=np.float64)
        for g in sorted({g for g in goal_of_criterion if g is not None}):
            cols = [c for c, gc in enumerate(goal_of_criterion) if gc == g]
            score = r[:, cols].mean(axis=1)
            serving = [int(o) for o in np.flatnonzero(score >= score.mean() - 1e-12)]
            service.append(GoalService(goal=g, options=serving))
    shared_goals: list[int] = []
    if stakeholder_goals is not None and len(stakeholder_goals) > 0:
        sets = [set(gs) for gs in stakeholder_goals]
        shared_goals = sorted(set.intersection(*sets))
    goal = goal_labels or []
    statements = [
        f"everyone weights {crit[c]} about the same ({_n(lo[c])}–{_n(hi[c])})" for c in agreed
    ]
    statements += [f"everyone ranks {opt[o]} in their top half" for o in top_half]
    statements += [
        f"everyone gives {crit[c]} at least an equal share of weight"
        for c in priorities
        if c not in agreed
    ]
    fl = fact_labels or []
    statements += [f"everyone accepts {fl[f] if fl else f'fact {f + 1}'}" for f in facts]
    statements += [
        f"everyone's goals serve {goal[g] if goal else f'company goal {g + 1}'}"
        for g in shared_goals
    ]
    for gs in service:
        name = goal[gs.goal] if goal else f"company goal {gs.goal + 1}"
        statements.append(f"{name} is served by {', '.join(opt[o] for o in gs.options)}")
    return CommonGround(
        criteria=criteria,
        agreed_criteria=agreed,
        shared_priorities=priorities,
        top_half_options=top_half,
        accepted_facts=facts,
        goal_service=service,
        shared_goals=shared_goals,
        statements=statements,
    )


def _n(v: float) -> str:
    return f"{v:.2g}"
