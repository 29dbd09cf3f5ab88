"""Compromises everyone can defend, and the "company-first, least-risk" recommendation.

Given each stakeholder's utility of each option (stakeholders x options, e.g. from
:func:`accord.analysis.mcda.weighted_sum`), options that break a guardrail (on the
likely estimates), cost more than the budget or need more than the capacity are
**excluded with the reason**; among the rest (the feasible options):

- **Pareto-efficient**: no other feasible option is at least as good for everyone
  and better for someone.
- **Egalitarian (maximin)**: the option whose worst-off stakeholder is best off
  (Rawls 1971; Sen 1970, *Collective Choice and Social Welfare*).
- **Nash bargaining**: the option maximising ``Π_s (U_so - d_s)`` over options with
  ``U_so >= d_s``, where the disagreement point ``d_s`` is stakeholder ``s``'s worst
  feasible option (Nash 1950, "The bargaining problem", *Econometrica* 18(2),
  155-162).  When every option leaves someone at their disagreement point the
  product is 0 everywhere and no Nash choice is reported.
- **Minimum max-regret**: regret ``ρ_so = max_o' U_so' - U_so``; the option with the
  smallest largest regret (Savage 1951).
- **Company-first, least-risk**: the best option for the shared company goals among
  the feasible options, ties (within 1e-9) broken by the lowest residual risk
  exposure, then by the group utility.  The company score is the mean normalised
  estimate on the criteria linked to a company goal, every such criterion weighted
  equally unless ``goal_weights`` says otherwise (:func:`company_scores`).

**Probability of breaking a guardrail.**  Where an estimate has a range
``low <= likely <= high`` it is read as a Beta-PERT distribution (λ = 4, as in
:mod:`accord.analysis.uncertainty`), and ``P(x < min)`` / ``P(x > max)`` is its
exact CDF (the regularised incomplete beta function), so a feasible option can
still carry a reported chance of breach.

**Infeasible.**  When nothing is feasible the result says which constraints exclude
which options and gives the **nearest feasible relaxation**: for each option the
bound changes that would admit it, relative to the bound (``|needed - bound| /
|bound|``); the option whose largest relative change is smallest wins.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from accord.analysis.distributions import regularized_incomplete_beta
from accord.analysis.risk import OptionRisks, RiskItem, risk_register
from accord.errors import InputError

FloatArray = NDArray[np.float64]

#: Beta-PERT shape (Malcolm et al. 1959), the same as accord.analysis.uncertainty.
PERT_LAMBDA = 4.0
_TIE = 1e-9

ConstraintKind = Literal["guardrail", "budget", "capacity"]


@dataclass(frozen=True)
class GuardrailBound:
    """A guardrail on one criterion (index): ``min`` and/or ``max`` on the estimate."""

    id: str
    criterion: int
    min: float | None = None
    max: float | None = None


@dataclass(frozen=True)
class Violation:
    """One constraint an option breaks, with the bound change that would admit it."""

    constraint: str
    kind: ConstraintKind
    bound: float
    value: float
    relative_change: float
    reason: str


@dataclass(frozen=True)
class BreachRisk:
    """Probability that an option's estimate breaks a guardrail (PERT on its range)."""

    option: int
    guardrail: str
    probability: float


@dataclass(frozen=True)
class Exclusion:
    """An option left out, with every reason."""

    option: int
    violations: list[Violation]


@dataclass(frozen=True)
class Choice:
    """A chosen option, the value of its criterion, and every option tied with it."""

    option: int
    value: float
    tied: list[int]


@dataclass(frozen=True)
class Relaxation:
    """The smallest change of bounds that would admit ``option``."""

    option: int
    changes: list[Violation]
    largest_relative_change: float
    explanation: str


@dataclass(frozen=True)
class Recommendation:
    """The company-first, least-risk recommendation with its risks and mitigations."""

    option: int
    company_score: float
    residual_exposure: float
    risks: OptionRisks | None
    explanation: str


@dataclass(frozen=True)
class Compromise:
    """Everything the compromise step found (options by index)."""

    feasible: list[int]
    excluded: list[Exclusion]
    breach_risks: list[BreachRisk]
    pareto: list[int]
    maximin: Choice | None
    nash: Choice | None
    min_regret: Choice | None
    recommendation: Recommendation | None
    relaxation: Relaxation | None
    message: str
    notes: list[str] = field(default_factory=list)


def company_scores(
    normalized: FloatArray,
    goal_of_criterion: Sequence[int | None],
    *,
    goal_weights: Sequence[float] | None = None,
) -> FloatArray | None:
    """Score of each option on the shared company goals, or None if no criterion has a goal.

    Criteria linked to a goal are weighted equally; with ``goal_weights`` (one per
    goal index) each goal's weight is split equally among its criteria.

    >>> company_scores(np.array([[1.0, 0.0, 0.2], [0.0, 1.0, 0.4]]), [0, None, 0]).tolist()
    [0.6, 0.2]
    """
    r = np.asarray(normalized, dtype=np.float64)
    linked = [c for c, g in enumerate(goal_of_criterion) if g is not None]
    if not linked:
        return None
    w = np.zeros(r.shape[1])
    if goal_weights is None:
        w[linked] = 1.0
    else:
        for c in linked:
            g = goal_of_criterion[c]
            assert g is not None  # filtered above
            share = sum(1 for k in linked if goal_of_criterion[k] == g)
            w[c] = float(goal_weights[g]) / share
    if w.sum() <= 0.0:
        raise InputError("company goal weights are all zero (expected a positive weight)")
    return np.asarray(r @ (w / w.sum()), dtype=np.float64)


def breach_probability(
    low: float, likely: float, high: float, *, minimum: float | None, maximum: float | None
) -> float:
    """P(estimate < minimum or > maximum) under Beta-PERT(low, likely, high).

    >>> round(breach_probability(50.0, 60.0, 70.0, minimum=60.0, maximum=None), 6)
    0.5
    >>> breach_probability(5.0, 5.0, 5.0, minimum=6.0, maximum=None)
    1.0
    """
    if high <= low:
        below = minimum is not None and likely < minimum
        above = maximum is not None and likely > maximum
        return 1.0 if (below or above) else 0.0
    alpha = 1.0 + PERT_LAMBDA * (likely - low) / (high - low)
    beta = 1.0 + PERT_LAMBDA * (high - likely) / (high - low)

    def cdf(v: float) -> float:
        z = min(max((v - low) / (high - low), 0.0), 1.0)
        return regularized_incomplete_beta(alpha, beta, z)

    p = 0.0
    if minimum is not None:
        p += cdf(minimum)
    if maximum is not None:
        p += 1.0 - cdf(maximum)
    return round(min(max(p, 0.0), 1.0), 12)


def compromise(
    utilities: FloatArray,
    *,
    likely: FloatArray | None = None,
    low: FloatArray | None = None,
    high: FloatArray | None = None,
    guardrails: Sequence[GuardrailBound] = (),
    costs: FloatArray | None = None,
    budget: float | None = None,
    efforts: FloatArray | None = None,
    capacity: float | None = None,
    company: FloatArray | None = None,
    risks: Sequence[Sequence[RiskItem]] | None = None,
    option_labels: Sequence[str] | None = None,
    criterion_labels: Sequence[str] | None = None,
) -> Compromise:
    """Exclusions, Pareto set, maximin, Nash, min-regret and the company-first choice.

    ``utilities`` is stakeholders x options; ``likely``/``low``/``high`` options x
    criteria (needed for guardrails); ``costs``/``efforts`` one per option;
    ``company`` each option's company score (:func:`company_scores`; without it the
    mean utility stands in, with a note); ``risks[o]`` option ``o``'s risks.

    >>> u = np.array([[0.9, 0.6, 0.2], [0.1, 0.5, 0.8]])
    >>> c = compromise(u, costs=np.array([1.0, 2.0, 9.0]), budget=5.0)
    >>> c.feasible, c.pareto, c.maximin.option, c.excluded[0].violations[0].reason
    ([0, 1], [0, 1], 1, 'costs 9, over the budget of 5')
    """
    u = np.atleast_2d(np.asarray(utilities, dtype=np.float64))
    n_options = u.shape[1]
    if not np.isfinite(u).all():
        raise InputError("utilities must be finite numbers (an estimate or weight is missing)")
    names = option_labels or [f"option {o + 1}" for o in range(n_options)]
    crit = criterion_labels
    violations: list[list[Violation]] = [[] for _ in range(n_options)]
    breaches: list[BreachRisk] = []
    if guardrails:
        if likely is None:
            raise ValueError("guardrails need the likely estimates")
        x = np.asarray(likely, dtype=np.float64)
        lo = x if low is None else np.asarray(low, dtype=np.float64)
        hi = x if high is None else np.asarray(high, dtype=np.float64)
        for g in guardrails:
            if not 0 <= g.criterion < x.shape[1]:
                raise InputError(
                    f"guardrail {g.id!r} bounds criterion {g.criterion} "
                    f"(expected an index below {x.shape[1]})"
                )
            label = crit[g.criterion] if crit else f"criterion {g.criterion + 1}"
            for o in range(n_options):
                v = float(x[o, g.criterion])
                if not np.isfinite(v):
                    raise InputError(
                        f"{names[o]} has no estimate for {label}, which guardrail {g.id!r} "
                        "bounds (expected a number)"
                    )
                if g.min is not None and v < g.min:
                    violations[o].append(
                        _violation(
                            g.id,
                            "guardrail",
                            g.min,
                            v,
                            f"{label} {v:g} is below the guardrail {g.id} minimum of {g.min:g}",
                        )
                    )
                if g.max is not None and v > g.max:
                    violations[o].append(
                        _violation(
                            g.id,
                            "guardrail",
                            g.max,
                            v,
                            f"{label} {v:g} is above the guardrail {g.id} maximum of {g.max:g}",
                        )
                    )
                p = breach_probability(
                    float(lo[o, g.criterion]),
                    v,
                    float(hi[o, g.criterion]),
                    minimum=g.min,
                    maximum=g.max,
                )
                if p > 0.0:
                    breaches.append(BreachRisk(o, g.id, p))
    limits: tuple[tuple[ConstraintKind, FloatArray | None, float | None], ...] = (
        ("budget", costs, budget),
        ("capacity", efforts, capacity),
    )
    for kind, amounts, limit in limits:
        if amounts is None or limit is None:
            continue
        a = np.asarray(amounts, dtype=np.float64)
        if a.shape != (n_options,):
            raise ValueError(f"{kind} amounts need one value per option, got {a.shape}")
        for o in range(n_options):
            if np.isfinite(a[o]) and a[o] > limit:
                word = "costs" if kind == "budget" else "needs"  # amounts as 650,000
                violations[o].append(
                    _violation(
                        kind,
                        kind,
                        float(limit),
                        float(a[o]),
                        f"{word} {a[o]:,.12g}, over the {kind} of {limit:,.12g}",
                    )
                )
    feasible = [o for o in range(n_options) if not violations[o]]
    excluded = [Exclusion(o, violations[o]) for o in range(n_options) if violations[o]]
    notes: list[str] = []
    if not feasible:
        relaxation = _nearest_relaxation(violations, names)
        return Compromise(
            feasible=[],
            excluded=excluded,
            breach_risks=breaches,
            pareto=[],
            maximin=None,
            nash=None,
            min_regret=None,
            recommendation=None,
            relaxation=relaxation,
            message=_infeasible_message(violations, names, relaxation),
            notes=notes,
        )
    f = np.array(feasible)
    uf = u[:, f]
    pareto = [int(f[i]) for i in pareto_efficient(uf)]
    maximin = _choice(f, uf.min(axis=0))
    disagreement = uf.min(axis=1, keepdims=True)
    product = np.prod(uf - disagreement, axis=0)
    nash: Choice | None
    if len(feasible) == 1:
        nash = Choice(feasible[0], 0.0, [feasible[0]])
    elif product.max() <= 0.0:
        nash = None
        notes.append(
            "every feasible option leaves some stakeholder at their worst option, so the "
            "Nash bargaining product is 0 for all and picks nothing"
        )
    else:
        nash = _choice(f, product)
    regret = (uf.max(axis=1, keepdims=True) - uf).max(axis=0)
    min_regret = _choice(f, -regret)
    min_regret = Choice(min_regret.option, -min_regret.value + 0.0, min_regret.tied)
    register = risk_register(risks) if risks is not None else None
    exposure = np.array(
        [register[o].residual_exposure for o in range(n_options)] if register else [0.0] * n_options
    )
    if company is None:
        score = u.mean(axis=0)
        notes.append("no criterion is linked to a company goal: the group utility stands in")
    else:
        score = np.asarray(company, dtype=np.float64)
    group = u.mean(axis=0)
    best = max(float(score[o]) for o in feasible)
    top = [o for o in feasible if score[o] >= best - _TIE]
    top.sort(key=lambda o: (exposure[o], -group[o], o))
    pick = top[0]
    rec = Recommendation(
        option=pick,
        company_score=_round(score[pick]),
        residual_exposure=_round(exposure[pick]),
        risks=register[pick] if register else None,
        explanation=_recommendation_text(
            pick, top, names, excluded, register, by_company=company is not None
        ),
    )
    message = (
        f"{len(feasible)} of {n_options} options keep every constraint; "
        f"company-first, least-risk: {names[pick]}"
    )
    return Compromise(
        feasible=feasible,
        excluded=excluded,
        breach_risks=breaches,
        pareto=pareto,
        maximin=maximin,
        nash=nash,
        min_regret=min_regret,
        recommendation=rec,
        relaxation=None,
        message=message,
        notes=notes,
    )


def pareto_efficient(utilities: FloatArray) -> list[int]:
    """Options (columns) no other option Pareto-dominates over the stakeholders (rows).

    >>> pareto_efficient(np.array([[1.0, 0.5, 0.4], [0.0, 0.5, 0.4]]))
    [0, 1]
    """
    u = np.atleast_2d(np.asarray(utilities, dtype=np.float64))
    geq = np.all(u[:, :, None] >= u[:, None, :], axis=0)  # geq[a, b]: a >= b for everyone
    gt = np.any(u[:, :, None] > u[:, None, :], axis=0)
    dominated = np.any(geq & gt, axis=0)
    return [int(o) for o in np.flatnonzero(~dominated)]


def _choice(options: NDArray[np.int64], values: FloatArray) -> Choice:
    best = float(values.max())
    tied = [int(options[i]) for i in np.flatnonzero(values >= best - _TIE)]
    return Choice(tied[0], _round(best), tied)


_NEGLIGIBLE_BOUND = 1e-9


def _violation(
    constraint: str, kind: ConstraintKind, bound: float, value: float, reason: str
) -> Violation:
    # A bound of (nearly) zero has no scale of its own: its change is counted as absolute,
    # or a budget of 1e-310 would need an "infinite" relative change.
    scale = abs(bound) if abs(bound) >= _NEGLIGIBLE_BOUND else 1.0
    return Violation(
        constraint, kind, float(bound), float(value), _round(abs(value - bound) / scale), reason
    )


def _nearest_relaxation(
    violations: list[list[Violation]], names: Sequence[str]
) -> Relaxation | None:
    if not violations:
        return None
    best = min(
        range(len(violations)),
        key=lambda o: (
            max(v.relative_change for v in violations[o]),
            sum(v.relative_change for v in violations[o]),
            o,
        ),
    )
    changes = violations[best]
    parts = []
    for v in changes:
        what = (
            "budget" if v.kind == "budget" else "capacity" if v.kind == "capacity" else v.constraint
        )
        verb = "raise" if v.value > v.bound else "lower"
        parts.append(
            f"{verb} {what} from {v.bound:g} to {v.value:g} ({100 * v.relative_change:.1f}%)"
        )
    largest = max(v.relative_change for v in changes)
    return Relaxation(
        option=best,
        changes=changes,
        largest_relative_change=largest,
        explanation=f"{' and '.join(parts)} to admit {names[best]}",
    )


def _infeasible_message(
    violations: list[list[Violation]], names: Sequence[str], relaxation: Relaxation | None
) -> str:
    if not violations:
        return "there are no options to choose from"
    blocking: dict[str, list[str]] = {}
    for o, vs in enumerate(violations):
        for v in vs:
            key = (
                "the budget"
                if v.kind == "budget"
                else ("the capacity" if v.kind == "capacity" else f"guardrail {v.constraint}")
            )
            blocking.setdefault(key, []).append(names[o])
    parts = [f"{k} excludes {', '.join(dict.fromkeys(v))}" for k, v in blocking.items()]
    text = "no option keeps every constraint: " + "; ".join(parts)
    if relaxation is not None:
        text += f". Nearest feasible relaxation: {relaxation.explanation}"
    return text


def _recommendation_text(
    pick: int,
    top: list[int],
    names: Sequence[str],
    excluded: list[Exclusion],
    register: list[OptionRisks] | None,
    *,
    by_company: bool,
) -> str:
    best = "serves the shared company goals best" if by_company else "has the highest group utility"
    text = f"{names[pick]} {best} among the options that keep every guardrail and fit the budget"
    if len(top) > 1:
        others = ", ".join(names[o] for o in top[1:])
        text += f"; it ties with {others} and carries the lowest residual risk"
    if excluded:
        text += f" ({len(excluded)} excluded)"
    if register and register[pick].risks:
        worst = register[pick].risks[0]
        text += f"; main risk: {worst.description}"
        if worst.mitigation:
            text += f", mitigated by: {worst.mitigation}"
    return text + "."


def _round(x: float | np.float64) -> float:
    return round(float(x), 12)
