"""Portfolios: which SET of initiatives to fund under a budget (and capacity).

Initiative ``i`` costs ``c_i`` (and needs effort ``e_i``); stakeholder ``s`` values
it at ``u_si`` (e.g. their weighted-sum utility).  The utility of a portfolio ``x``
(``x_i = 1`` when funded) to ``s`` is **the sum of its initiatives' utilities**,
``U_s(x) = Σ_i u_si x_i`` (additive value; Kleinmuntz 2007, "Resource allocation
decisions", in *Advances in Decision Analysis*, ch. 20).  With ``normalise=True``
each ``U_s`` is divided by the best portfolio that stakeholder could have alone
under the same budget, so every stakeholder's scale runs to 1.

Objectives, both solved exactly as a mixed-integer linear programme with HiGHS
(``scipy.optimize.milp``; Huangfu & Hall 2018, *Math. Prog. Comp.* 10, 119-142):

- ``maximin``: ``max z`` s.t. ``z <= U_s(x)`` for every ``s`` (the worst-off
  stakeholder is as well off as possible; Rawls 1971), then, among maximin-optimal
  portfolios, the one with the largest total ``Σ_s U_s(x)`` (lexicographic, so the
  answer is Pareto-efficient and deterministic);
- ``total``: ``max Σ_s U_s(x)`` s.t. ``U_s(x) >= floor_s`` for every ``s``.

Both keep ``Σ_i c_i x_i <= budget`` and ``Σ_i e_i x_i <= capacity``, and, for every
group ``g`` of ``exclusive`` initiatives (near-duplicates: the same work proposed by
two teams), ``Σ_{i∈g} x_i <= 1`` -- at most one copy is funded, the others are
reported as merged into it (a set-packing row; Nemhauser & Wolsey 1988, *Integer and
Combinatorial Optimization*).  A time limit
stops HiGHS early; the result then says so and reports the MIP gap.  Infeasible
floors are reported with the stakeholders whose floor exceeds what they could get
alone and the largest common share of the floors that can be met together.

Every initiative left out gets a reason ("what we will not do and why").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from accord.errors import InputError

FloatArray = NDArray[np.float64]

Objective = Literal["maximin", "total"]
Status = Literal["optimal", "time limit", "infeasible"]

#: Relative MIP gap HiGHS must prove before it stops (0 = proven optimal).
MIP_REL_GAP = 1e-9

#: Up to this many initiatives (and while every subset fits in ENUMERATION_CELLS array
#: cells) the programme is solved by trying all 2^n subsets at once with numpy: exact,
#: milliseconds at this size, and it spares importing scipy.optimize (~0.45 s, a third
#: of a cold ``accord report``).  Larger programmes go to HiGHS.  Tests check both paths
#: against each other and against a brute force.
ENUMERATION_MAX = 16
ENUMERATION_CELLS = 4_000_000
# Slack on limits and floors when enumerating: sums of decimal costs are not exact.
_TOLERANCE = 1e-9


@dataclass(frozen=True)
class _Limits:
    """What every programme here must respect: budget, capacity, one per duplicate group."""

    costs: FloatArray
    budget: float
    efforts: FloatArray | None
    capacity: float | None
    groups: Sequence[Sequence[int]]
    time_limit: float

    def rows(self, width: int) -> tuple[list[FloatArray], list[float], list[float]]:
        """The shared constraint rows (padded with zeros to ``width`` variables)."""
        n = self.costs.size
        rows: list[FloatArray] = []
        lo: list[float] = []
        hi: list[float] = []

        def add(row: FloatArray, high: float) -> None:
            rows.append(np.concatenate([row, np.zeros(width - n)]))
            lo.append(-np.inf)
            hi.append(high)

        add(self.costs, self.budget)
        if self.efforts is not None and self.capacity is not None:
            add(self.efforts, self.capacity)
        for group in self.groups:
            add(_indicator(group, n), 1.0)
        return rows, lo, hi


@dataclass(frozen=True)
class Deprioritised:
    """An initiative left out and why (``kind`` is a stable machine-readable reason)."""

    option: int
    kind: Literal[
        "duplicate", "over budget", "over capacity", "no value", "low value", "did not fit"
    ]
    reason: str


@dataclass(frozen=True)
class Portfolio:
    """The chosen set, each stakeholder's utility of it, and what is left out."""

    objective: Objective
    status: Status
    chosen: list[int]
    utilities: list[float]
    worst_off: float
    total: float
    cost: float
    effort: float
    mip_gap: float | None
    deprioritised: list[Deprioritised]
    message: str
    floor_share: float | None = None
    notes: list[str] = field(default_factory=list)


def choose_portfolio(
    utilities: FloatArray,
    costs: FloatArray,
    budget: float,
    *,
    objective: Objective = "maximin",
    floors: FloatArray | None = None,
    efforts: FloatArray | None = None,
    capacity: float | None = None,
    exclusive: Sequence[Sequence[int]] = (),
    normalise: bool = False,
    time_limit: float = 30.0,
    option_labels: Sequence[str] | None = None,
    stakeholder_labels: Sequence[str] | None = None,
) -> Portfolio:
    """The best set of initiatives (columns of ``utilities``) under budget and capacity.

    ``utilities`` is stakeholders x initiatives; ``floors`` one minimum per stakeholder
    (on the normalised scale when ``normalise``).  ``exclusive`` lists groups of
    initiative indices of which at most one may be funded (duplicates to merge).

    >>> u = np.array([[3.0, 0.0, 2.0], [0.0, 3.0, 2.0]])
    >>> p = choose_portfolio(u, np.array([1.0, 1.0, 1.0]), 2.0)
    >>> p.chosen, p.utilities, p.status
    ([0, 1], [3.0, 3.0], 'optimal')
    >>> choose_portfolio(u, np.array([1.0, 1.0, 1.0]), 1.0, objective="total").chosen
    [2]
    >>> names = ["Onboarding emails", "Pipeline dashboard", "Onboarding journeys"]
    >>> p = choose_portfolio(u, np.ones(3), 3.0, exclusive=[[0, 2]], option_labels=names)
    >>> p.chosen, p.deprioritised[0].reason
    ([0, 1], 'Onboarding journeys is a duplicate of Onboarding emails: merged into it')
    """
    u = np.atleast_2d(np.asarray(utilities, dtype=np.float64))
    n_stake, n = u.shape
    c = _per_option(costs, n, "costs")
    e = None if efforts is None else _per_option(efforts, n, "efforts")
    if not np.isfinite(u).all():
        raise InputError("utilities must be finite numbers for every stakeholder and initiative")
    if not np.isfinite(budget) or budget < 0:
        raise InputError(f"budget is {float(budget)!r} (expected a number >= 0)")
    if capacity is not None and (not np.isfinite(capacity) or capacity < 0):
        raise InputError(f"capacity is {float(capacity)!r} (expected a number >= 0)")
    if objective not in ("maximin", "total"):
        raise InputError(f"objective is {objective!r} (expected maximin or total)")
    groups = _exclusive_groups(exclusive, n)
    limits = _Limits(c, float(budget), e, capacity, groups, time_limit)
    names = option_labels or [f"option {i + 1}" for i in range(n)]
    who = stakeholder_labels or [f"stakeholder {s + 1}" for s in range(n_stake)]
    notes: list[str] = []
    if groups:
        notes.append(
            f"at most one initiative of each of the {len(groups)} duplicate groups is funded"
        )
    if normalise:
        best = _best_alone(u, limits)
        scale = np.where(best > 0.0, best, 1.0)
        u = u / scale[:, None]
        notes.append("each stakeholder's utility is divided by the best they could get alone")
    f = None
    if floors is not None:
        f = np.asarray(floors, dtype=np.float64)
        if f.shape != (n_stake,) or not np.isfinite(f).all():
            raise InputError(f"floors need one number per stakeholder ({n_stake}), got {f.shape}")
    value, x, status, gap = _solve(u, limits, objective, f)
    if status == "infeasible":
        assert f is not None  # only floors can make the programme infeasible
        return _infeasible(u, limits, f, objective, who, notes)
    if objective == "maximin" and status == "optimal" and n > 0:
        # Second stage: among maximin-optimal portfolios, the largest total.
        guard = np.full(n_stake, value - 1e-7 * max(1.0, abs(value)))
        if f is not None:
            guard = np.maximum(guard, f)
        _, x2, status2, _ = _solve(u, limits, "total", guard)
        if status2 == "optimal":
            x = x2
    chosen = [int(i) for i in np.flatnonzero(x > 0.5)]
    sel = np.zeros(n, dtype=np.bool_)
    sel[chosen] = True
    per = u[:, sel].sum(axis=1)
    spent = float(c[sel].sum())
    used = float(e[sel].sum()) if e is not None else 0.0
    left_out = _deprioritise(u, limits, sel, spent, used, objective, names)
    headline = f"fund {len(chosen)} of {n} initiatives for {spent:g} of the budget {budget:g}" + (
        f" (worst-off stakeholder: {per.min():.3g})" if n_stake else ""
    )
    if status == "time limit":
        headline += f"; stopped at the time limit with a MIP gap of {gap:.2%}"
    return Portfolio(
        objective=objective,
        status=status,
        chosen=chosen,
        utilities=[round(float(v), 12) for v in per],
        worst_off=round(float(per.min()), 12) if n_stake else 0.0,
        total=round(float(per.sum()), 12),
        cost=spent,
        effort=used,
        mip_gap=gap,
        deprioritised=left_out,
        message=headline,
        notes=notes,
    )


def _per_option(values: FloatArray, n: int, name: str) -> FloatArray:
    a = np.asarray(values, dtype=np.float64)
    if a.shape != (n,):
        raise InputError(f"{name} need one number per initiative ({n}), got shape {a.shape}")
    bad = ~np.isfinite(a) | (a < 0)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InputError(f"{name}[{i}] is {float(a[i])!r} (expected a number >= 0)")
    return a


def _exclusive_groups(exclusive: Sequence[Sequence[int]], n: int) -> list[list[int]]:
    """Validated groups, each sorted and without repeats; singletons constrain nothing."""
    groups: list[list[int]] = []
    for k, group in enumerate(exclusive):
        members = sorted({int(i) for i in group})
        bad = [i for i in members if not 0 <= i < n]
        if bad:
            raise InputError(
                f"exclusive[{k}] names initiative {bad[0]} (expected an index 0..{n - 1})"
            )
        if len(members) >= 2:
            groups.append(members)
    return groups


def _best_alone(u: FloatArray, limits: _Limits) -> FloatArray:
    """Each stakeholder's best total utility if the portfolio were chosen for them alone."""
    return np.array([_solve(u[s : s + 1], limits, "total", None)[0] for s in range(u.shape[0])])


def _solve(
    u: FloatArray,
    limits: _Limits,
    objective: Objective,
    floors: FloatArray | None,
) -> tuple[float, FloatArray, Status, float | None]:
    """Solve the programme; returns (objective value, x, status, MIP gap)."""
    n_stake, n = u.shape
    if _enumerable(n, n_stake):
        return _solve_by_enumeration(u, limits, objective, floors)
    from scipy.optimize import Bounds, LinearConstraint, milp

    if n == 0:
        return (0.0 if objective == "total" or n_stake == 0 else 0.0), np.zeros(0), "optimal", 0.0
    maximin = objective == "maximin" and n_stake > 0
    width = n + (1 if maximin else 0)
    rows, lo, hi = limits.rows(width)
    if floors is not None:
        for s in range(n_stake):
            rows.append(np.concatenate([u[s], np.zeros(width - n)]))
            lo.append(float(floors[s]))
            hi.append(np.inf)
    if maximin:
        for s in range(n_stake):
            row = np.append(-u[s], 1.0)  # z - U_s(x) <= 0
            rows.append(row)
            lo.append(-np.inf)
            hi.append(0.0)
        cost = np.append(np.zeros(n), -1.0)
        integrality = np.append(np.ones(n), 0)
        bounds = Bounds(np.append(np.zeros(n), -np.inf), np.append(np.ones(n), np.inf))
    else:
        cost = -u.sum(axis=0)
        integrality = np.ones(n)
        bounds = Bounds(np.zeros(n), np.ones(n))
    res = milp(
        cost,
        integrality=integrality,
        bounds=bounds,
        constraints=LinearConstraint(np.array(rows), np.array(lo), np.array(hi)),
        options={"time_limit": float(limits.time_limit), "mip_rel_gap": MIP_REL_GAP},
    )
    if res.status == 2 or res.x is None:
        if res.status in (0, 2):
            return 0.0, np.zeros(n), "infeasible", None
        raise InputError(f"the portfolio solver stopped without a solution: {res.message}")
    x = np.round(res.x[:n])
    gap = getattr(res, "mip_gap", None)
    status: Status = "optimal" if res.status == 0 else "time limit"
    return float(-res.fun), x, status, (None if gap is None else float(gap))


def _indicator(group: Sequence[int], n: int) -> FloatArray:
    row = np.zeros(n)
    row[list(group)] = 1.0
    return row


def _deprioritise(
    u: FloatArray,
    limits: _Limits,
    sel: NDArray[np.bool_],
    spent: float,
    used: float,
    objective: Objective,
    names: Sequence[str],
) -> list[Deprioritised]:
    c, budget, e, capacity, groups = (
        limits.costs,
        limits.budget,
        limits.efforts,
        limits.capacity,
        limits.groups,
    )
    out: list[Deprioritised] = []
    if u.shape[1] == 0:
        return out
    median = np.median(u, axis=1)
    # The funded copy of each duplicate group: the others are merged into it.
    merged_into = {
        i: kept
        for group in groups
        for kept in [next((j for j in group if sel[j]), None)]
        if kept is not None
        for i in group
        if i != kept
    }
    for i in np.flatnonzero(~sel):
        i = int(i)
        name = names[i]
        if i in merged_into:
            kept_name = names[merged_into[i]]
            out.append(
                Deprioritised(
                    i, "duplicate", f"{name} is a duplicate of {kept_name}: merged into it"
                )
            )
        elif c[i] > budget:
            out.append(
                Deprioritised(
                    i,
                    "over budget",
                    f"{name} costs {c[i]:g}, more than the whole budget of {budget:g}",
                )
            )
        elif e is not None and capacity is not None and e[i] > capacity:
            out.append(
                Deprioritised(
                    i,
                    "over capacity",
                    f"{name} needs {e[i]:g}, more than the whole capacity of {capacity:g}",
                )
            )
        elif np.all(u[:, i] <= 0.0):
            out.append(Deprioritised(i, "no value", f"{name} adds nothing for any stakeholder"))
        elif np.all(u[:, i] < median):
            out.append(
                Deprioritised(
                    i, "low value", f"{name} is below the median initiative for every stakeholder"
                )
            )
        else:
            short = c[i] - (budget - spent)
            better = "the worst-off stakeholder" if objective == "maximin" else "all stakeholders"
            text = f"{name} did not fit: the budget went to initiatives worth more to {better}"
            if short > 0:
                text += f" (it would need {_amount(short)} more budget)"
            elif e is not None and capacity is not None and e[i] > capacity - used:
                text += f" (it would need {_amount(e[i] - (capacity - used))} more capacity)"
            out.append(Deprioritised(i, "did not fit", text))
    return out


def _amount(value: float) -> str:
    """A budget or capacity amount for a sentence: 80,000 or 2.5, never 8e+04.

    >>> _amount(80000.0), _amount(1400000.0), _amount(2.5)
    ('80,000', '1,400,000', '2.5')
    """
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}".rstrip("0")


def _infeasible(
    u: FloatArray,
    limits: _Limits,
    floors: FloatArray,
    objective: Objective,
    who: Sequence[str],
    notes: list[str],
) -> Portfolio:
    n_stake, n = u.shape
    alone = _best_alone(u, limits)
    short = [s for s in range(n_stake) if floors[s] > alone[s] + 1e-9]
    if short:
        parts = [f"{who[s]} (floor {floors[s]:g}, best alone {alone[s]:.3g})" for s in short]
        cause = "no portfolio within the budget reaches the floor of " + ", ".join(parts)
    else:
        cause = "each floor can be met alone but not all of them together"
    share = _floor_share(u, limits, floors)
    relax = (
        f"; the nearest feasible relaxation scales every floor to {share:.1%} of its value"
        if share is not None
        else ""
    )
    return Portfolio(
        objective=objective,
        status="infeasible",
        chosen=[],
        utilities=[0.0] * n_stake,
        worst_off=0.0,
        total=0.0,
        cost=0.0,
        effort=0.0,
        mip_gap=None,
        deprioritised=[],
        message=f"infeasible: {cause}{relax}",
        floor_share=share,
        notes=notes + [f"{n} initiatives considered"],
    )


def _floor_share(u: FloatArray, limits: _Limits, floors: FloatArray) -> float | None:
    """Largest δ in [0, 1] such that every floor scaled by δ can be met together."""
    n_stake, n = u.shape
    if _enumerable(n, n_stake):
        return _floor_share_by_enumeration(u, limits, floors)
    from scipy.optimize import Bounds, LinearConstraint, milp

    rows, lo, hi = limits.rows(n + 1)
    for s in range(n_stake):
        rows.append(np.append(u[s], -floors[s]))  # U_s(x) - δ f_s >= 0
        lo.append(0.0)
        hi.append(np.inf)
    res = milp(
        np.append(np.zeros(n), -1.0),
        integrality=np.append(np.ones(n), 0),
        bounds=Bounds(np.zeros(n + 1), np.ones(n + 1)),
        constraints=LinearConstraint(np.array(rows), np.array(lo), np.array(hi)),
        options={"time_limit": float(limits.time_limit)},
    )
    if res.x is None:
        return None
    return round(float(res.x[-1]), 9)


# ------------------------------------------------------------ small programmes: enumeration


def _enumerable(n: int, n_stakeholders: int) -> bool:
    """Few enough initiatives to try every subset (see :data:`ENUMERATION_CELLS`)."""
    return n <= ENUMERATION_MAX and 2**n * (n + n_stakeholders + 1) <= ENUMERATION_CELLS


def _feasible_subsets(
    u: FloatArray, limits: _Limits
) -> tuple[FloatArray, FloatArray, NDArray[np.bool_]]:
    """Every subset (rows, in binary order: bit i = initiative i), its utilities per
    stakeholder, and whether it keeps the budget, capacity and duplicate limits."""
    n = u.shape[1]
    x = ((np.arange(2**n)[:, None] >> np.arange(n)) & 1).astype(np.float64)
    rows, _, hi = limits.rows(n)
    ok = np.ones(x.shape[0], dtype=np.bool_)
    for row, high in zip(rows, hi, strict=True):
        ok &= x @ row <= high + _TOLERANCE * max(1.0, abs(high))
    return x, x @ u.T, ok


def _solve_by_enumeration(
    u: FloatArray, limits: _Limits, objective: Objective, floors: FloatArray | None
) -> tuple[float, FloatArray, Status, float | None]:
    """:func:`_solve` by trying every subset: exact, and on a tie the subset with the
    lowest binary number wins (so the result never depends on a solver's path)."""
    x, value, ok = _feasible_subsets(u, limits)
    if floors is not None:
        ok &= (value >= floors - _TOLERANCE * np.maximum(1.0, np.abs(floors))).all(axis=1)
    if not ok.any():
        return 0.0, np.zeros(u.shape[1]), "infeasible", None
    if objective == "maximin" and u.shape[0] > 0:
        score = value.min(axis=1)
    else:
        score = value.sum(axis=1)
    best = int(np.argmax(np.where(ok, score, -np.inf)))
    return float(score[best]), x[best], "optimal", 0.0


def _floor_share_by_enumeration(u: FloatArray, limits: _Limits, floors: FloatArray) -> float | None:
    """:func:`_floor_share` by trying every subset.

    For a subset with utilities ``U``, ``U_s >= δ f_s`` bounds δ above by ``U_s / f_s``
    where ``f_s > 0``, below by it where ``f_s < 0``, and needs ``U_s >= 0`` where
    ``f_s = 0``; the subset's best δ is the smallest upper bound (and 1), if that is at
    least every lower bound (and 0).
    """
    _, value, ok = _feasible_subsets(u, limits)
    positive, negative = floors > 0.0, floors < 0.0
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = value / np.where(floors == 0.0, 1.0, floors)
    upper = np.min(np.where(positive, ratio, np.inf), axis=1, initial=np.inf)
    lower = np.max(np.where(negative, ratio, -np.inf), axis=1, initial=-np.inf)
    best = np.minimum(upper, 1.0)
    ok &= best >= np.maximum(lower, 0.0) - _TOLERANCE
    ok &= (value[:, floors == 0.0] >= -_TOLERANCE).all(axis=1)
    if not ok.any():
        return None
    return round(float(np.max(np.where(ok, best, -np.inf))), 9)
