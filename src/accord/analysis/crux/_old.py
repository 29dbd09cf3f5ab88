"""Cruxes: "what needs to be true" for one option to beat another.

Two reasonable people who look at the same facts and reach different conclusions
either weight the criteria differently or read an uncertain estimate differently.
This module finds, exactly (by solving, never by scanning), the smallest change of
a weight or of an estimate that flips a preference, and says it in one sentence.

Utility model: the weighted sum of normalised estimates,
``U_s(o) = Σ_c w_sc r_oc`` with ``r = normalize(x)`` (Hwang & Yoon 1981, §3.2.1; the
same model as :func:`accord.analysis.mcda.weighted_sum`).  The group is scored with
the mean of the stakeholders' weight vectors, which gives the mean utility.

**Weight thresholds.**  Convention: when the weight of criterion ``c`` becomes ``t``,
the other weights are rescaled proportionally so the vector still sums to 1,
``w_j(t) = w_j (1 - t) / (1 - w_c)``; a stakeholder who put everything on ``c``
(``w_c = 1``) has the rest spread equally.  Then every utility is linear in ``t``,
``U_o(t) = t r_oc + (1 - t) R_o`` with ``R_o`` the utility on the other criteria,
so the interval of ``t`` on which the top choice stays on top, and the option
that takes over at each end, follow in closed form (the "stability interval" of
weighted-sum sensitivity analysis: Triantaphyllou & Sánchez 1997, *Decision
Sciences* 28(1), 151-194; Mareschal 1988, *EJOR* 33(1), 54-64).

**Estimate thresholds.**  Changing option ``o``'s estimate on criterion ``c`` to
``v`` re-normalises column ``c``, so ``o``'s advantage over ``p`` is
``D(v) = σ_c w_c h(v) + Δ`` where ``Δ`` is the advantage on the other criteria,
``σ_c = ±1`` for maximise / minimise and

- min-max: ``h(v) = (v - x_p) / (max(M, v) - min(m, v))`` with ``m, M`` the smallest
  and largest estimate of the *other* options;
- vector: ``h(v) = (v - x_p) / sqrt(S + v²)`` with ``S = Σ_{j≠o} x_j²``.

``h`` is monotone (min-max: piecewise, increasing on each piece; vector: increasing
wherever ``S + x_p v > 0``, which covers all non-negative estimates) and tends to
``±1``, so ``D(v) = 0`` has at most one solution, found in closed form: min-max by
the piece it falls on, vector from ``(v - x_p)² = k² (S + v²)`` taking the root with
``sign(v - x_p) = sign(k)``: ``v = (x_p + k sqrt(x_p² + S (1 - k²))) / (1 - k²)``.
Only the estimates of the two options compared are varied (moving a third option's
estimate changes the pair only through normalisation, which is not a real crux).

**Ranking.**  A crux is more useful the smaller and the more plausible the change:
cruxes are sorted by a plausibility tier, then by relative change
``|threshold - today| / |today|`` (for a weight of 0, by the change over ``1/n``
criteria; for an estimate of 0, over the criterion's spread):

0. inside the estimate's stated range and backed by an accepted fact;
1. inside the stated range;
2. a point estimate, or a weight (a value judgement);
3. outside the stated range, or contradicted by an accepted fact.

**Goal conflict.**  Whether two stakeholders' goals are truly inversely correlated
is measured by the Spearman rank correlation of their utilities across options
(Spearman 1904), overall and on the criteria of each customer segment and time
horizon; per criterion, by whether options that are good on it are the ones each
stakeholder prefers (correlation of the criterion's scores with each utility).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from accord.analysis.agreement import average_ranks
from accord.analysis.mcda import as_matrix, weighted_sum
from accord.analysis.normalization import NormalizationMethod, normalize
from accord.analysis.weights import normalize_weight_rows
from accord.errors import InputError

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]

CruxKind = Literal["estimate", "weight"]
Direction = Literal["at least", "at most"]
NextStep = Literal["gather data", "run an experiment", "add a guardrail"]
Challengers = Literal["rivals", "all"]

#: Plausibility tiers, best first (see the module docstring).
TIER_BACKED, TIER_IN_RANGE, TIER_POINT, TIER_IMPLAUSIBLE = 0, 1, 2, 3

#: Spearman correlation at or below this is a conflict; at or above its negation, agreement.
CONFLICT_THRESHOLD = -0.3

# Pairs are processed in chunks of this many (pair, criterion) cells to bound memory.
_CHUNK_CELLS = 400_000


@dataclass(frozen=True)
class FactLink:
    """A fact from the shared fact base that bears on one estimate (option, criterion).

    ``value`` (optional) is what the fact says the estimate is; with it, the fact backs
    or contradicts a threshold, without it the fact is what would settle the crux.
    ``accepted_by`` / ``disputed_by`` are stakeholder indices.
    """

    fact: str
    option: int
    criterion: int
    value: float | None = None
    accepted_by: tuple[int, ...] = ()
    disputed_by: tuple[int, ...] = ()
    statement: str | None = None


@dataclass(frozen=True)
class Evidence:
    """How one fact bears on a crux: ``backs``, ``contradicts`` or ``informs`` it."""

    fact: str
    stance: Literal["backs", "contradicts", "informs"]
    accepted: bool
    value: float | None


@dataclass(frozen=True)
class WeightInterval:
    """Where one criterion's weight can move before a stakeholder's top choice changes.

    ``stakeholder`` is None for the group.  ``low``/``high`` bound the weight (others
    rescaled proportionally); ``takeover_below``/``takeover_above`` is the option that
    becomes top just outside each end (None where the end is 0 or 1).
    """

    stakeholder: int | None
    criterion: int
    weight: float
    low: float
    high: float
    top: int
    takeover_below: int | None
    takeover_above: int | None


@dataclass(frozen=True)
class Crux:
    """One "what needs to be true": the change that makes ``challenger`` beat ``prefers``.

    ``stakeholder`` is None for the group; ``rivals`` are the stakeholders whose own
    top choice is the challenger.  ``kind == "estimate"``: ``varied_option``'s estimate
    on ``criterion`` must be ``direction`` ``threshold`` (today ``current``, stated
    range ``range_low``-``range_high``).  ``kind == "weight"``: the stakeholder's weight
    on ``criterion`` must be ``direction`` ``threshold``.
    """

    kind: CruxKind
    stakeholder: int | None
    rivals: list[int]
    prefers: int
    challenger: int
    varied_option: int | None
    criterion: int
    direction: Direction
    current: float
    threshold: float
    range_low: float | None
    range_high: float | None
    inside_range: bool | None
    relative_change: float
    tier: int
    evidence: list[Evidence]
    next_step: NextStep
    explanation: str


@dataclass(frozen=True)
class CruxReport:
    """All cruxes of a case, ranked, with the weight stability intervals."""

    top_choices: list[int]
    group_top: int
    cruxes: list[Crux]
    weight_intervals: list[WeightInterval]
    normalization: NormalizationMethod
    considered: int = 0
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ConflictView:
    """Rank correlation of two stakeholders' utilities in one scope.

    ``scope`` is ``all``, ``criterion``, ``segment`` or ``horizon``; ``key`` names the
    criterion index / segment / horizon.  For ``criterion``, ``correlation`` is the
    product of the two pulls' signs times the smaller pull (see :func:`goal_conflict`).
    ``verdict``: ``conflict``, ``agree``, ``mixed`` or ``undefined`` (a constant vector).
    """

    scope: Literal["all", "criterion", "segment", "horizon"]
    key: str
    correlation: float | None
    verdict: Literal["conflict", "agree", "mixed", "undefined"]


@dataclass(frozen=True)
class GoalConflict:
    """Where two stakeholders truly conflict and where they actually agree."""

    first: int
    second: int
    overall: ConflictView
    views: list[ConflictView]
    conflicts_on: list[str]
    agrees_on: list[str]
    explanation: str


# --------------------------------------------------------------------------- weights


def weight_stability(
    normalized: FloatArray, weights: FloatArray, *, include_group: bool = True
) -> list[WeightInterval]:
    """Stability interval of every criterion's weight for every stakeholder's top choice.

    For criterion ``c`` with weight ``t`` (others rescaled proportionally), the top
    option ``a`` stays on top while ``d_o(t) = α_o + β_o t >= 0`` for every ``o``, with
    ``α_o = R_a - R_o`` and ``β_o = (r_ac - r_oc) - α_o``; each ``o`` with ``β_o < 0``
    bounds ``t`` from above at ``-α_o/β_o`` and each with ``β_o > 0`` from below.
    ``weights`` is stakeholders x criteria; the group (mean weights) comes last.

    >>> r = np.array([[1.0, 0.0], [0.0, 1.0]])
    >>> iv = weight_stability(r, np.array([[0.7, 0.3]]), include_group=False)
    >>> [(i.criterion, i.low, i.high, i.top, i.takeover_below) for i in iv]
    [(0, 0.5, 1.0, 0, 1), (1, 0.0, 0.5, 0, None)]
    """
    r = as_matrix(normalized, "normalized")
    w = _weights_with_group(weights, r.shape[1], include_group)
    n_stakeholders = np.asarray(weights).reshape(-1, r.shape[1]).shape[0]
    n_options, n_criteria = r.shape
    out: list[WeightInterval] = []
    for row in range(w.shape[0]):
        u = r @ w[row]
        top = int(np.argmax(u))
        rest = _rest_all(r, w[row], u)  # options x criteria
        alpha = rest[top] - rest
        beta = (r[top] - r) - alpha
        with np.errstate(divide="ignore", invalid="ignore"):
            t = -alpha / beta
        others = np.arange(n_options) != top
        t_up = np.where((beta < 0.0) & others[:, None], t, np.inf)
        t_low = np.where((beta > 0.0) & others[:, None], t, -np.inf)
        high = t_up.min(axis=0) if n_options > 1 else np.full(n_criteria, np.inf)
        low = t_low.max(axis=0) if n_options > 1 else np.full(n_criteria, -np.inf)
        # Several options crossing at once: the one that is best just beyond takes over.
        above = np.where(t_up <= high + 1e-12, beta, np.inf).argmin(axis=0)
        below = np.where(t_low >= low - 1e-12, beta, -np.inf).argmax(axis=0)
        for c in range(n_criteria):
            t0 = float(w[row, c])
            hi_c, lo_c = float(high[c]), float(low[c])
            out.append(
                WeightInterval(
                    stakeholder=None if row >= n_stakeholders else row,
                    criterion=c,
                    weight=t0,
                    low=0.0 if lo_c <= 0.0 else round(min(lo_c, t0), 12),
                    high=1.0 if hi_c >= 1.0 else round(max(hi_c, t0), 12),
                    top=top,
                    takeover_below=None if lo_c <= 0.0 else int(below[c]),
                    takeover_above=None if hi_c >= 1.0 else int(above[c]),
                )
            )
    return out


def _rest_all(r: FloatArray, w: FloatArray, u: FloatArray) -> FloatArray:
    """``R_oc``: utility of option ``o`` on every criterion but ``c``, the rest summing to 1."""
    n_criteria = r.shape[1]
    rest_w = 1.0 - w
    if n_criteria == 1:
        return np.zeros_like(r)
    equal = (r.sum(axis=1, keepdims=True) - r) / (n_criteria - 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        scaled = (u[:, None] - r * w[None, :]) / rest_w[None, :]
    return np.asarray(np.where(rest_w[None, :] > 1e-15, scaled, equal), dtype=np.float64)


def weight_threshold(
    normalized: FloatArray, weights: FloatArray, prefers: int, challenger: int, criterion: int
) -> tuple[float, Direction] | None:
    """Weight of ``criterion`` at which ``challenger`` ties ``prefers`` (others rescaled).

    Returns the threshold and whether the weight must be ``at least`` or ``at most``
    it for the challenger to win, or None when no weight in [0, 1] flips the pair.

    >>> r = np.array([[1.0, 0.0], [0.0, 1.0]])
    >>> weight_threshold(r, np.array([0.7, 0.3]), 0, 1, 1)
    (0.5, 'at least')
    """
    r = as_matrix(normalized, "normalized")
    w = normalize_weight_rows(np.asarray(weights, dtype=np.float64).reshape(1, -1))[0]
    rest = _rest_utilities(r, w, criterion)
    alpha = rest[prefers] - rest[challenger]
    beta = (r[prefers, criterion] - r[challenger, criterion]) - alpha
    if beta == 0.0:
        return None
    t = -alpha / beta
    if not 0.0 <= t <= 1.0:
        return None
    return float(t), ("at least" if beta < 0.0 else "at most")


def _rest_utilities(r: FloatArray, w: FloatArray, c: int) -> FloatArray:
    """Utility of each option on every criterion but ``c``, the rest summing to 1."""
    others = np.delete(np.arange(r.shape[1]), c)
    if others.size == 0:
        return np.zeros(r.shape[0])
    wo = w[others]
    total = wo.sum()
    share = wo / total if total > 0.0 else np.full(others.size, 1.0 / others.size)
    return np.asarray(r[:, others] @ share, dtype=np.float64)


# ------------------------------------------------------------------------- estimates


def estimate_threshold(
    estimates: FloatArray,
    maximise: BoolArray,
    weights: FloatArray,
    prefers: int,
    challenger: int,
    varied: int,
    criterion: int,
    *,
    method: NormalizationMethod = "vector",
) -> tuple[float, Direction] | None:
    """Value of ``varied``'s estimate on ``criterion`` at which ``challenger`` ties ``prefers``.

    ``varied`` is one of the two options.  Solved in closed form (see the module
    docstring); returns the threshold and whether the estimate must be ``at least``
    or ``at most`` it for the challenger to win, or None when no value flips the pair.

    >>> x = np.array([[10.0, 1.0], [5.0, 3.0], [8.0, 2.0]])
    >>> estimate_threshold(x, np.array([True, True]), np.array([0.6, 0.4]), 0, 1, 0, 0,
    ...                    method="minmax")
    (7.0, 'at most')
    """
    x = as_matrix(estimates, "estimates")
    up = np.asarray(maximise, dtype=np.bool_)
    w = normalize_weight_rows(np.asarray(weights, dtype=np.float64).reshape(1, -1))
    if varied not in (prefers, challenger):
        raise ValueError("varied must be one of the two options compared")
    th, di, _ = _estimate_thresholds(
        x,
        up,
        normalize(x, up, method=method),
        w,
        np.array([0]),
        np.array([prefers]),
        np.array([challenger]),
        method,
    )
    side = 0 if varied == challenger else 1
    value = float(th[0, criterion, side])
    if not np.isfinite(value):
        return None
    return value, ("at least" if di[0, criterion, side] else "at most")


def _estimate_thresholds(
    x: FloatArray,
    up: BoolArray,
    r: FloatArray,
    w: FloatArray,
    rows: IntArray,
    prefers: IntArray,
    challengers: IntArray,
    method: NormalizationMethod,
) -> tuple[FloatArray, BoolArray, FloatArray]:
    """Thresholds for pairs (row, prefers, challenger): arrays pairs x criteria x 2.

    Side 0 varies the challenger's estimate, side 1 the preferred option's.  Returns
    thresholds (NaN where none), ``at least`` flags and the rest advantage ``Δ``.
    """
    wc = w[rows]  # pairs x criteria
    sign = np.where(up, 1.0, -1.0)[None, :]
    ra, rb = r[prefers], r[challengers]
    full = np.sum(wc * (rb - ra), axis=1, keepdims=True)  # challenger's advantage
    rest_b = full - wc * (rb - ra)  # challenger over preferred, other criteria only
    thresholds = np.full((rows.size, x.shape[1], 2), np.nan)
    at_least = np.zeros((rows.size, x.shape[1], 2), dtype=np.bool_)
    live = wc > 0.0
    safe_w = np.where(live, wc, 1.0)
    for side, (varied, fixed, rest) in enumerate(
        ((challengers, prefers, rest_b), (prefers, challengers, -rest_b))
    ):
        k = -rest / (safe_w * sign)
        xp = x[fixed]
        if method == "minmax":
            lo, hi = _others_extremes(x)
            v = _solve_minmax(k, xp, lo[varied], hi[varied])
        else:
            s = np.sum(x * x, axis=0)[None, :] - x[varied] ** 2
            v = _solve_vector(k, xp, s)
        v = np.where(live, v, np.nan)
        thresholds[:, :, side] = v
        # Side 0 needs the challenger's advantage >= 0, side 1 the preferred one's <= 0.
        at_least[:, :, side] = (sign > 0.0) if side == 0 else (sign < 0.0)
    return thresholds, at_least, rest_b


def _others_extremes(x: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Per (option, criterion): min and max of the column without that option."""
    n = x.shape[0]
    if n < 2:
        return np.full_like(x, np.nan), np.full_like(x, np.nan)
    order = np.argsort(x, axis=0, kind="stable")
    cols = np.arange(x.shape[1])
    min1, min2 = x[order[0], cols], x[order[1], cols]
    max1, max2 = x[order[-1], cols], x[order[-2], cols]
    rows = np.arange(n)[:, None]
    lo = np.where(rows == order[0][None, :], min2[None, :], min1[None, :])
    hi = np.where(rows == order[-1][None, :], max2[None, :], max1[None, :])
    return lo, hi


def _solve_minmax(k: FloatArray, xp: FloatArray, m: FloatArray, big: FloatArray) -> FloatArray:
    """Solve ``(v - x_p) / (max(M, v) - min(m, v)) = k`` piece by piece (|k| < 1)."""
    ok = np.abs(k) < 1.0
    span = big - m
    with np.errstate(divide="ignore", invalid="ignore"):
        middle = xp + k * span
        upper = (xp - k * m) / (1.0 - k)
        lower = (xp + k * big) / (1.0 + k)
    # h is continuous and monotone, so pieces that both fit (within rounding) agree.
    tol = 1e-9 * np.maximum(1.0, np.maximum(np.abs(m), np.abs(big)))
    v = np.where(
        (span > 0.0) & (middle >= m - tol) & (middle <= big + tol),
        middle,
        np.where(upper >= big - tol, upper, np.where(lower <= m + tol, lower, np.nan)),
    )
    return np.where(ok, v, np.nan)


def _solve_vector(k: FloatArray, xp: FloatArray, s: FloatArray) -> FloatArray:
    """Solve ``(v - x_p) / sqrt(S + v²) = k``: the root with ``sign(v - x_p) = sign(k)``."""
    ok = np.abs(k) < 1.0
    one = np.where(ok, 1.0 - k * k, 1.0)
    disc = np.maximum(xp * xp + s * one, 0.0)
    v = (xp + k * np.sqrt(disc)) / one
    # The formula solves the squared equation; keep roots on the increasing branch only.
    return np.where(ok & (s + xp * v >= 0.0), v, np.nan)


# --------------------------------------------------------------------------- cruxes


def find_cruxes(
    estimates: FloatArray,
    maximise: BoolArray,
    weights: FloatArray,
    *,
    low: FloatArray | None = None,
    high: FloatArray | None = None,
    method: NormalizationMethod = "vector",
    facts: Sequence[FactLink] = (),
    guarded: Sequence[bool] | None = None,
    challengers: Challengers = "rivals",
    per_stakeholder: int = 10,
    include_weights: bool = True,
    stakeholder_labels: Sequence[str] | None = None,
    option_labels: Sequence[str] | None = None,
    criterion_labels: Sequence[str] | None = None,
    units: Sequence[str | None] | None = None,
) -> CruxReport:
    """Every stakeholder's and the group's smallest, most plausible preference flips.

    ``estimates`` (likely values), ``low``, ``high`` are options x criteria;
    ``weights`` stakeholders x criteria.  For each stakeholder the challengers are the
    options other stakeholders (or the group) put first (``challengers="rivals"``) or
    every other option (``"all"``); for the group, every other option.  For each
    (challenger, criterion) the two estimate thresholds and the weight threshold are
    solved, ranked by plausibility tier then relative change (module docstring), and
    the best ``per_stakeholder`` of each stakeholder (and of the group) are kept.
    ``guarded[c]`` says a guardrail already bounds criterion ``c`` (changes the next
    step suggested for a weight crux).

    >>> x = np.array([[60.0, 10.0], [52.0, 14.0], [55.0, 11.0]])
    >>> rep = find_cruxes(x, np.array([True, True]), np.array([[0.8, 0.2], [0.3, 0.7]]),
    ...                   low=x - 10, high=x + 10, method="minmax", per_stakeholder=1,
    ...                   stakeholder_labels=["Cleo", "Max"], option_labels=["Hold", "Push", "Mid"],
    ...                   criterion_labels=["Margin", "Growth"], units=["%", None])
    >>> rep.top_choices, rep.group_top
    ([0, 1], 0)
    >>> print(rep.cruxes[1].explanation)  # doctest: +NORMALIZE_WHITESPACE
    Cleo would prefer Push over Hold if Hold's margin were at most 52.8% (today 60%,
    range 50–70) — a pilot or experiment would settle it.
    """
    x = as_matrix(estimates, "estimates")
    n_options, n_criteria = x.shape
    _check_finite(x, "estimates", option_labels, criterion_labels)
    a = x if low is None else as_matrix(low, "low")
    b = x if high is None else as_matrix(high, "high")
    if a.shape != x.shape or b.shape != x.shape:
        raise ValueError(f"low {a.shape} and high {b.shape} must match estimates {x.shape}")
    up = np.asarray(maximise, dtype=np.bool_)
    if up.shape != (n_criteria,):
        raise ValueError(f"maximise needs one flag per criterion ({n_criteria}), got {up.shape}")
    raw_w = np.atleast_2d(np.asarray(weights, dtype=np.float64))
    if raw_w.shape[1] != n_criteria:
        raise ValueError(f"weights need {n_criteria} columns, got {raw_w.shape}")
    n_stakeholders = raw_w.shape[0]
    w = _weights_with_group(raw_w, n_criteria, True, criterion_labels)
    labels = _Labels(stakeholder_labels, option_labels, criterion_labels, units)
    r = normalize(x, up, method=method)
    u = weighted_sum(r, w)
    tops = np.argmax(u, axis=1)
    rows, prefers, chall, rivals = _pairs(tops, n_stakeholders, n_options, challengers)
    informed = _informed_cells(facts, n_options, n_criteria)
    spread = np.ptp(x, axis=0) if n_options else np.ones(n_criteria)
    candidates: list[_Candidate] = []
    considered = 0
    chunk = max(1, _CHUNK_CELLS // max(1, n_criteria))
    for start in range(0, rows.size, chunk):
        sl = slice(start, start + chunk)
        cand, seen = _chunk_candidates(
            x,
            a,
            b,
            up,
            r,
            w,
            rows[sl],
            prefers[sl],
            chall[sl],
            method,
            informed,
            spread,
            per_stakeholder,
            include_weights,
        )
        candidates.extend(cand)
        considered += seen
    cruxes = _rank_and_explain(
        candidates, n_stakeholders, facts, guarded, rivals, labels, per_stakeholder
    )
    intervals = weight_stability(r, raw_w) if include_weights else []
    notes = []
    if n_options < 2:
        notes.append("fewer than two options: nothing can flip")
    return CruxReport(
        top_choices=[int(t) for t in tops[:n_stakeholders]],
        group_top=int(tops[-1]),
        cruxes=cruxes,
        weight_intervals=intervals,
        normalization=method,
        considered=considered,
        notes=notes,
    )


@dataclass(frozen=True)
class _Candidate:
    kind: CruxKind
    row: int
    prefers: int
    challenger: int
    varied: int | None
    criterion: int
    at_least: bool
    current: float
    threshold: float
    low: float | None
    high: float | None
    inside: bool | None
    relative: float
    base_tier: int


def _pairs(
    tops: IntArray, n_stakeholders: int, n_options: int, challengers: Challengers
) -> tuple[IntArray, IntArray, IntArray, dict[int, list[int]]]:
    """(row, preferred, challenger) triples; the group is row ``n_stakeholders``."""
    if challengers not in ("rivals", "all"):
        raise ValueError(f"challengers is {challengers!r} (expected rivals or all)")
    rivals: dict[int, list[int]] = {}
    for s in range(n_stakeholders):
        rivals.setdefault(int(tops[s]), []).append(s)
    rows: list[IntArray] = []
    chall: list[IntArray] = []
    contested = np.unique(tops)
    everyone = np.arange(n_options)
    for row in range(n_stakeholders + 1):
        pool = everyone if (challengers == "all" or row == n_stakeholders) else contested
        pool = pool[pool != tops[row]]
        rows.append(np.full(pool.size, row, dtype=np.int64))
        chall.append(pool.astype(np.int64))
    r = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)
    c = np.concatenate(chall) if chall else np.zeros(0, dtype=np.int64)
    return r, tops[r].astype(np.int64), c, rivals


def _informed_cells(facts: Sequence[FactLink], n_options: int, n_criteria: int) -> BoolArray:
    mask = np.zeros((n_options, n_criteria), dtype=np.bool_)
    for f in facts:
        if not (0 <= f.option < n_options and 0 <= f.criterion < n_criteria):
            raise InputError(
                f"fact {f.fact!r} informs option {f.option}, criterion {f.criterion} "
                f"(expected indices below {n_options} and {n_criteria})"
            )
        mask[f.option, f.criterion] = True
    return mask


def _chunk_candidates(
    x: FloatArray,
    a: FloatArray,
    b: FloatArray,
    up: BoolArray,
    r: FloatArray,
    w: FloatArray,
    rows: IntArray,
    prefers: IntArray,
    chall: IntArray,
    method: NormalizationMethod,
    informed: BoolArray,
    spread: FloatArray,
    keep: int,
    include_weights: bool,
) -> tuple[list[_Candidate], int]:
    n_pairs, n_criteria = rows.size, x.shape[1]
    th, at_least, _ = _estimate_thresholds(x, up, r, w, rows, prefers, chall, method)
    varied = np.stack([chall, prefers], axis=1)  # pairs x 2
    cur = np.stack([x[chall], x[prefers]], axis=2)  # pairs x criteria x 2
    lo = np.stack([a[chall], a[prefers]], axis=2)
    hi = np.stack([b[chall], b[prefers]], axis=2)
    ranged = hi > lo
    finite = np.isfinite(th)
    inside = ranged & (th >= lo) & (th <= hi)
    tier = np.where(ranged, np.where(inside, TIER_IN_RANGE, TIER_IMPLAUSIBLE), TIER_POINT)
    scale = np.where(cur != 0.0, np.abs(cur), np.where(spread > 0.0, spread, 1.0)[None, :, None])
    rel = np.abs(th - cur) / scale
    # Weight thresholds for the same pairs: pairs x criteria.
    if include_weights:
        wt, w_at_least = _weight_thresholds(r, w, rows, prefers, chall)
        w_cur = w[rows]
        w_scale = np.where(w_cur > 0.0, w_cur, 1.0 / n_criteria)
        w_rel = np.abs(wt - w_cur) / w_scale
        w_ok = np.isfinite(wt)
    out: list[_Candidate] = []
    tiers = tier.reshape(n_pairs, -1)
    rels = rel.reshape(n_pairs, -1)
    ok = finite.reshape(n_pairs, -1)
    if include_weights:
        tiers = np.concatenate([tiers, np.full(wt.shape, TIER_POINT)], axis=1)
        rels = np.concatenate([rels, w_rel], axis=1)
        ok = np.concatenate([ok, w_ok], axis=1)
    considered = int(ok.sum())
    # Estimates some fact informs always stay candidates (the fact may promote or demote
    # them); of the rest, each stakeholder's best `keep` by (tier, relative change).
    facts_here = np.zeros(ok.shape, dtype=np.bool_)
    facts_here[:, : n_criteria * 2] = (
        np.stack([informed[chall], informed[prefers]], axis=2).reshape(n_pairs, -1)
        & ok[:, : n_criteria * 2]
    )
    # First the best `keep` of each pair (argpartition on a key monotone in (tier, rel)),
    # then the best `keep` of each stakeholder among those.
    with np.errstate(invalid="ignore"):
        squash = np.where(ok & ~facts_here, tiers + rels / (1.0 + rels), np.inf)
    take = min(keep, squash.shape[1])
    if take == 0 or n_pairs == 0:
        p_idx = j_idx = np.zeros(0, dtype=np.int64)
    else:
        part = np.argpartition(squash, take - 1, axis=1)[:, :take]
        p_idx = np.repeat(np.arange(n_pairs), take)
        j_idx = part.ravel()
        live = np.isfinite(squash[p_idx, j_idx])
        p_idx, j_idx = p_idx[live], j_idx[live]
    row_of = rows[p_idx]
    order = np.lexsort((rels[p_idx, j_idx], tiers[p_idx, j_idx], row_of))
    sorted_rows = row_of[order]
    starts = np.flatnonzero(np.r_[True, sorted_rows[1:] != sorted_rows[:-1]])
    sizes = np.diff(np.r_[starts, sorted_rows.size])
    within = np.arange(sorted_rows.size) - np.repeat(starts, sizes)
    chosen = order[within < keep]
    fp, fj = np.nonzero(facts_here)
    picked_p = np.concatenate([p_idx[chosen], fp])
    picked_j = np.concatenate([j_idx[chosen], fj])
    for p, j in zip(picked_p.tolist(), picked_j.tolist(), strict=True):
        p, j = int(p), int(j)
        if j < n_criteria * 2:
            c, side = divmod(j, 2)
            ranged_here = bool(ranged[p, c, side])
            out.append(
                _Candidate(
                    kind="estimate",
                    row=int(rows[p]),
                    prefers=int(prefers[p]),
                    challenger=int(chall[p]),
                    varied=int(varied[p, side]),
                    criterion=c,
                    at_least=bool(at_least[p, c, side]),
                    current=float(cur[p, c, side]),
                    threshold=float(th[p, c, side]),
                    low=float(lo[p, c, side]) if ranged_here else None,
                    high=float(hi[p, c, side]) if ranged_here else None,
                    inside=bool(inside[p, c, side]) if ranged_here else None,
                    relative=float(rel[p, c, side]),
                    base_tier=int(tier[p, c, side]),
                )
            )
        else:
            c = j - n_criteria * 2
            out.append(
                _Candidate(
                    kind="weight",
                    row=int(rows[p]),
                    prefers=int(prefers[p]),
                    challenger=int(chall[p]),
                    varied=None,
                    criterion=c,
                    at_least=bool(w_at_least[p, c]),
                    current=float(w_cur[p, c]),
                    threshold=float(wt[p, c]),
                    low=None,
                    high=None,
                    inside=None,
                    relative=float(w_rel[p, c]),
                    base_tier=TIER_POINT,
                )
            )
    return out, considered


def _weight_thresholds(
    r: FloatArray, w: FloatArray, rows: IntArray, prefers: IntArray, chall: IntArray
) -> tuple[FloatArray, BoolArray]:
    """Weight of each criterion at which the challenger ties (pairs x criteria)."""
    wc = w[rows]
    ra, rb = r[prefers], r[chall]
    diff = ra - rb  # preferred minus challenger, per criterion
    full = np.sum(wc * diff, axis=1, keepdims=True)
    n_criteria = r.shape[1]
    rest_w = 1.0 - wc
    if n_criteria > 1:
        equal = (np.sum(diff, axis=1, keepdims=True) - diff) / (n_criteria - 1)
    else:
        equal = np.zeros_like(diff)
    with np.errstate(divide="ignore", invalid="ignore"):
        alpha = np.where(rest_w > 1e-15, (full - wc * diff) / rest_w, equal)
        beta = diff - alpha
        t = -alpha / beta
    ok = (beta != 0.0) & (t >= 0.0) & (t <= 1.0)
    return np.where(ok, t, np.nan), beta < 0.0


def _rank_and_explain(
    candidates: list[_Candidate],
    n_stakeholders: int,
    facts: Sequence[FactLink],
    guarded: Sequence[bool] | None,
    rivals: dict[int, list[int]],
    labels: _Labels,
    keep: int,
) -> list[Crux]:
    by_cell: dict[tuple[int, int], list[FactLink]] = {}
    for f in facts:
        by_cell.setdefault((f.option, f.criterion), []).append(f)
    everyone = set(range(n_stakeholders))
    scored: list[tuple[tuple[int, float, int, int, int, int], Crux]] = []
    for c in candidates:
        group = c.row >= n_stakeholders
        evidence: list[Evidence] = []
        if c.kind == "estimate" and c.varied is not None:
            for f in by_cell.get((c.varied, c.criterion), []):
                accepted = (
                    everyone <= set(f.accepted_by) if group else c.row in f.accepted_by
                ) and not (set(f.disputed_by) & (everyone if group else {c.row}))
                stance: Literal["backs", "contradicts", "informs"] = "informs"
                if f.value is not None:
                    flips = f.value >= c.threshold if c.at_least else f.value <= c.threshold
                    stance = "backs" if flips else "contradicts"
                evidence.append(Evidence(f.fact, stance, accepted, f.value))
        tier = c.base_tier
        if any(e.accepted and e.stance == "contradicts" for e in evidence):
            tier = TIER_IMPLAUSIBLE
        elif any(e.accepted and e.stance == "backs" for e in evidence) and tier != 3:
            tier = TIER_BACKED
        step = _next_step(c, evidence, guarded)
        crux = Crux(
            kind=c.kind,
            stakeholder=None if group else c.row,
            rivals=sorted(rivals.get(c.challenger, [])),
            prefers=c.prefers,
            challenger=c.challenger,
            varied_option=c.varied,
            criterion=c.criterion,
            direction="at least" if c.at_least else "at most",
            current=c.current,
            threshold=c.threshold,
            range_low=c.low,
            range_high=c.high,
            inside_range=c.inside,
            relative_change=c.relative,
            tier=tier,
            evidence=evidence,
            next_step=step,
            explanation=labels.sentence(c, group, evidence, step),
        )
        kind_order = 0 if c.kind == "estimate" else 1
        key = (tier, round(c.relative, 12), c.row, c.challenger, c.criterion, kind_order)
        scored.append((key, crux))
    scored.sort(key=lambda item: item[0])
    kept: list[Crux] = []
    count: dict[int, int] = {}
    for _, crux in scored:
        row = n_stakeholders if crux.stakeholder is None else crux.stakeholder
        if count.get(row, 0) < keep:
            count[row] = count.get(row, 0) + 1
            kept.append(crux)
    return kept


def _next_step(c: _Candidate, evidence: list[Evidence], guarded: Sequence[bool] | None) -> NextStep:
    if c.kind == "weight":
        # A weight debate is settled by a bound both sides accept (a counter-metric).
        already = guarded is not None and guarded[c.criterion]
        return "gather data" if already else "add a guardrail"
    if evidence or not c.inside:
        return "gather data"
    return "run an experiment"


class _Labels:
    def __init__(
        self,
        stakeholders: Sequence[str] | None,
        options: Sequence[str] | None,
        criteria: Sequence[str] | None,
        units: Sequence[str | None] | None,
    ) -> None:
        self.stakeholders = stakeholders
        self.options = options
        self.criteria = criteria
        self.units = units

    def stakeholder(self, i: int) -> str:
        return self.stakeholders[i] if self.stakeholders else f"stakeholder {i + 1}"

    def option(self, i: int) -> str:
        return self.options[i] if self.options else f"option {i + 1}"

    def criterion(self, i: int) -> str:
        name = self.criteria[i] if self.criteria else f"criterion {i + 1}"
        # "Gross margin" reads as "gross margin" mid-sentence; "ARR" stays "ARR".
        if len(name) > 1 and name[0].isupper() and name[1].islower():
            name = name[0].lower() + name[1:]
        return name

    def value(self, v: float, c: int, digits: int = 3) -> str:
        unit = self.units[c] if self.units else None
        text = _number(v, digits)
        if not unit:
            return text
        return f"{text}{unit}" if unit == "%" else f"{text} {unit}"

    def sentence(self, c: _Candidate, group: bool, evidence: list[Evidence], step: NextStep) -> str:
        who = "The group" if group else self.stakeholder(c.row)
        direction = "at least" if c.at_least else "at most"
        head = f"{who} would prefer {self.option(c.challenger)} over {self.option(c.prefers)} if "
        crit = self.criterion(c.criterion)
        # Near-ties: show enough digits that the threshold and today's value differ.
        digits = _digits_to_tell_apart(c.threshold, c.current)
        if c.kind == "weight":
            whose = "the mean" if group else "their"
            return (
                f"{head}{whose} weight on {crit} were {direction} "
                f"{_number(c.threshold, digits)} (today {_number(c.current, digits)}, other "
                "weights scaled to match) — "
                + (
                    "a guardrail on it would settle the trade-off."
                    if step == "add a guardrail"
                    else "the existing guardrail on it is the place to settle this."
                )
            )
        varied = _possessive(self.option(c.varied if c.varied is not None else c.challenger))
        today = f"today {self.value(c.current, c.criterion, digits)}"
        if c.low is not None and c.high is not None:
            today += f", range {_number(c.low)}–{_number(c.high)}"
        text = (
            f"{head}{varied} {crit} were {direction} "
            f"{self.value(c.threshold, c.criterion, digits)} ({today})"
        )
        phrases = [
            ("informs", "{} decides this"),
            ("backs", "{} supports this"),
            ("contradicts", "but {} says otherwise"),
        ]
        if any(e.accepted and e.stance == "contradicts" for e in evidence):
            phrases.reverse()  # an accepted contradiction is the headline
        for stance, phrase in phrases:
            found = sorted(
                (e for e in evidence if e.stance == stance), key=lambda e: not e.accepted
            )
            if found:
                e = found[0]
                doubt = ""
                if not e.accepted:
                    doubt = (
                        " (not accepted by everyone)" if group else f" ({who} does not accept it)"
                    )
                return f"{text} — {phrase.format(e.fact)}{doubt}."
        if c.low is not None and not c.inside:
            return f"{text} — outside the stated range, so unlikely without new evidence."
        if c.inside:
            return f"{text} — a pilot or experiment would settle it."
        return f"{text} — no range was given; data would show how likely that is."


def _possessive(name: str) -> str:
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def _digits_to_tell_apart(a: float, b: float) -> int:
    for digits in range(3, 8):
        if _number(a, digits) != _number(b, digits):
            return digits
    return 3


def _number(v: float, digits: int = 3) -> str:
    if abs(v) >= 1000 and digits <= 4:
        return f"{v:,.0f}"
    text = f"{v:.{digits}g}"
    return "0" if text == "-0" else text


# ----------------------------------------------------------------------- goal conflict


def spearman(x: FloatArray, y: FloatArray) -> float | None:
    """Spearman rank correlation (average ranks for ties); None if either is constant.

    >>> spearman(np.array([1.0, 2.0, 3.0]), np.array([3.0, 1.0, 2.0]))
    -0.5
    """
    xa = np.asarray(x, dtype=np.float64)
    ya = np.asarray(y, dtype=np.float64)
    if xa.size < 2 or np.ptp(xa) == 0.0 or np.ptp(ya) == 0.0:
        return None
    rx = average_ranks(xa) - (xa.size + 1) / 2.0
    ry = average_ranks(ya) - (ya.size + 1) / 2.0
    value = float(np.sum(rx * ry) / np.sqrt(np.sum(rx * rx) * np.sum(ry * ry)))
    return round(value, 12)


def _verdict(rho: float | None) -> Literal["conflict", "agree", "mixed", "undefined"]:
    if rho is None:
        return "undefined"
    if rho <= CONFLICT_THRESHOLD:
        return "conflict"
    if rho >= -CONFLICT_THRESHOLD:
        return "agree"
    return "mixed"


def goal_conflict(
    normalized: FloatArray,
    weights: FloatArray,
    first: int,
    second: int,
    *,
    segments: Sequence[str | None] | None = None,
    horizons: Sequence[str | None] | None = None,
    stakeholder_labels: Sequence[str] | None = None,
    criterion_labels: Sequence[str] | None = None,
) -> GoalConflict:
    """Are two stakeholders' goals truly inversely correlated? Where do they agree?

    Overall: Spearman ρ of their utilities across options (ρ <= -0.3 conflict, >= 0.3
    agree, else mixed).  Per segment / horizon: the same on the criteria tagged with it
    (each weight vector restricted to those criteria and rescaled).  Per criterion:
    each stakeholder's *pull* is ρ(criterion scores, their utilities); pulls of opposite
    sign mean the criterion divides them, the same sign that it unites them; the view's
    correlation is ``sign(p1 p2) min(|p1|, |p2|)``.

    >>> r = np.array([[1.0, 0.0, 0.9], [0.0, 1.0, 0.8], [0.5, 0.5, 0.1], [0.6, 0.4, 0.2]])
    >>> gc = goal_conflict(r, np.array([[0.6, 0.0, 0.4], [0.0, 0.6, 0.4]]), 0, 1)
    >>> gc.overall.verdict, gc.agrees_on
    ('conflict', ['criterion 3'])
    """
    (conflict,) = goal_conflicts(
        normalized,
        weights,
        [(first, second)],
        segments=segments,
        horizons=horizons,
        stakeholder_labels=stakeholder_labels,
        criterion_labels=criterion_labels,
    )
    return conflict


def goal_conflicts(
    normalized: FloatArray,
    weights: FloatArray,
    pairs: Sequence[tuple[int, int]],
    *,
    segments: Sequence[str | None] | None = None,
    horizons: Sequence[str | None] | None = None,
    stakeholder_labels: Sequence[str] | None = None,
    criterion_labels: Sequence[str] | None = None,
) -> list[GoalConflict]:
    """:func:`goal_conflict` for several pairs of stakeholders, ranking each criterion once."""
    r = as_matrix(normalized, "normalized")
    w = normalize_weight_rows(np.atleast_2d(np.asarray(weights, dtype=np.float64)))
    names = _Labels(stakeholder_labels, None, criterion_labels, None)
    column_ranks = _column_ranks(r)
    return [
        _goal_conflict(r, w, first, second, column_ranks, names, segments, horizons)
        for first, second in pairs
    ]


def _goal_conflict(
    r: FloatArray,
    w: FloatArray,
    first: int,
    second: int,
    column_ranks: list[FloatArray | None],
    names: _Labels,
    segments: Sequence[str | None] | None,
    horizons: Sequence[str | None] | None,
) -> GoalConflict:
    u1, u2 = r @ w[first], r @ w[second]
    overall_rho = spearman(u1, u2)
    overall = ConflictView("all", "all criteria", overall_rho, _verdict(overall_rho))
    views: list[ConflictView] = []
    pulls1, pulls2 = _pulls(column_ranks, u1), _pulls(column_ranks, u2)
    for c in range(r.shape[1]):
        p1, p2 = pulls1[c], pulls2[c]
        rho = None if p1 is None or p2 is None else float(np.sign(p1 * p2) * min(abs(p1), abs(p2)))
        views.append(ConflictView("criterion", names.criterion(c), rho, _verdict(rho)))
    for scope, tags in (("segment", segments), ("horizon", horizons)):
        if tags is None:
            continue
        for tag in sorted({t for t in tags if t}):
            cols = np.array([t == tag for t in tags], dtype=np.bool_)
            w1, w2 = w[first] * cols, w[second] * cols
            if w1.sum() == 0.0 or w2.sum() == 0.0:
                views.append(ConflictView(scope, tag, None, "undefined"))  # type: ignore[arg-type]
                continue
            rho = spearman(r @ (w1 / w1.sum()), r @ (w2 / w2.sum()))
            views.append(ConflictView(scope, tag, rho, _verdict(rho)))  # type: ignore[arg-type]
    conflicts = [_scoped(v) for v in views if v.verdict == "conflict"]
    agrees = [_scoped(v) for v in views if v.verdict == "agree"]
    a, b = names.stakeholder(first), names.stakeholder(second)
    if overall.verdict == "conflict":
        head = f"{a} and {b} rank the options in opposite ways (ρ = {_number(overall_rho or 0)})"
    elif overall.verdict == "agree":
        head = f"{a} and {b} broadly agree on the options (ρ = {_number(overall_rho or 0)})"
    else:
        head = f"{a} and {b} are neither aligned nor opposed overall"
    tail = f"; they agree on {', '.join(agrees)}" if agrees else "; they agree on no dimension"
    if conflicts:
        tail += f" and pull apart on {', '.join(conflicts)}"
    return GoalConflict(
        first=first,
        second=second,
        overall=overall,
        views=views,
        conflicts_on=conflicts,
        agrees_on=agrees,
        explanation=head + tail + ".",
    )


def _column_ranks(r: FloatArray) -> list[FloatArray | None]:
    """Centred average ranks of every criterion column of ``r`` (None: constant)."""
    n = r.shape[0]
    if n < 2:
        return [None] * r.shape[1]
    return [
        None if np.ptp(r[:, c]) == 0.0 else average_ranks(r[:, c]) - (n + 1) / 2.0
        for c in range(r.shape[1])
    ]


def _pulls(column_ranks: list[FloatArray | None], u: FloatArray) -> list[float | None]:
    """Spearman ρ of every criterion column (centred ranks) with ``u`` (None: constant)."""
    n = u.shape[0]
    if n < 2 or np.ptp(u) == 0.0:
        return [None] * len(column_ranks)
    ru = average_ranks(u) - (n + 1) / 2.0
    out: list[float | None] = []
    for rc in column_ranks:
        if rc is None:
            out.append(None)
            continue
        value = float(rc @ ru / np.sqrt((rc @ rc) * (ru @ ru)))
        out.append(round(value, 12))
    return out


def _scoped(view: ConflictView) -> str:
    if view.scope == "segment":
        return f"the {view.key} segment"
    if view.scope == "horizon":
        return f"the {view.key} horizon"
    return view.key


# -------------------------------------------------------------------------- helpers


def _check_finite(
    x: FloatArray,
    name: str,
    options: Sequence[str] | None,
    criteria: Sequence[str] | None,
) -> None:
    bad = ~np.isfinite(x)
    if bad.any():
        o, c = (int(i) for i in np.argwhere(bad)[0])
        opt = options[o] if options else f"option {o + 1}"
        crit = criteria[c] if criteria else f"criterion {c + 1}"
        raise InputError(
            f"{name}: {opt} has no usable estimate for {crit} "
            f"({float(x[o, c])!r}; expected a number)"
        )


def _weights_with_group(
    weights: FloatArray,
    n_criteria: int,
    include_group: bool,
    labels: Sequence[str] | None = None,
) -> FloatArray:
    w = np.atleast_2d(np.asarray(weights, dtype=np.float64))
    if w.shape[1] != n_criteria:
        raise ValueError(f"weights need {n_criteria} columns, got {w.shape}")
    w = normalize_weight_rows(w, labels=labels)
    if include_group:
        w = np.vstack([w, w.mean(axis=0, keepdims=True)])
    return w
