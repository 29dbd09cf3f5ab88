"""The search for cruxes: the smallest, most plausible changes that flip a preference.

Among the **feasible** options only (those that keep every guardrail and fit the budget;
the caller passes them): each stakeholder's first feasible choice is challenged by the
other stakeholders' first choices, the group's and the recommendation (``challengers=
"rivals"``) or by every feasible option (``"all"``); the group's by every feasible
option.  For each (challenger, criterion) the two estimate thresholds and the weight
threshold are solved (:mod:`accord.analysis.crux.thresholds`), ranked by plausibility
tier, then relative change ``|threshold - today| / |today|`` (for a value of 0, over the
criterion's spread; for a weight of 0, over ``1/n``):

0. inside the estimate's stated range and backed by an accepted fact;
1. inside the stated range;
2. a point estimate, a stakeholder's own score, or a weight (a value judgement);
3. outside the stated range, or contradicted by an accepted fact.

**Acceptance.**  For every stakeholder whose first feasible choice is not the
recommendation ``R``: the weight intervals and the values of ``R``'s own estimates on
which ``R`` beats *every* other feasible option for them.  Varying ``R``'s value moves
its advantage over each option monotonically in the same direction, so the threshold is
the furthest of the pairwise ones; a weight gives an interval (the intersection of one
half-line per option), which may end before 0 or 1 (``until``).

**What is never reported.**  A tie is not a flip: pairs tied today, weights whose
threshold is 0 or 1 (the options are equal on that criterion alone), and changes that
would take the varied option across a guardrail (its feasibility would change with the
edit, so the claim would be about another decision) are dropped.  Every kept threshold
is re-checked numerically, just past and just short of it, on the re-normalised column.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from accord.analysis.crux.lenses import TIE, Lenses, Rows, column_after, rows_of, weights_after
from accord.analysis.crux.thresholds import (
    estimate_thresholds,
    linear_advantages,
    others_extremes,
    rest_utilities,
    weight_thresholds,
    winning_intervals,
)
from accord.errors import InputError

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]

Challengers = Literal["rivals", "all"]
NextStep = Literal["gather data", "run an experiment", "add a guardrail"]

#: Plausibility tiers, best first (see the module docstring).
TIER_BACKED, TIER_IN_RANGE, TIER_POINT, TIER_IMPLAUSIBLE = 0, 1, 2, 3

# Pairs are processed in chunks of this many (pair, criterion) cells to bound memory.
_CHUNK_CELLS = 400_000


@dataclass(frozen=True)
class FactLink:
    """A fact that bears on one shared estimate (option, criterion).

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


@dataclass(frozen=True)
class Evidence:
    """How one fact bears on a crux: ``backs``, ``contradicts`` or ``informs`` it."""

    fact: str
    stance: Literal["backs", "contradicts", "informs"]
    accepted: bool
    value: float | None


@dataclass(frozen=True)
class Finding:
    """One crux, in numbers (indices; ``row`` None is the group).

    ``above``: the change is a rise of the value past ``threshold``; ``until`` bounds the
    values for which the claim holds (a weight interval's far end, or a guardrail).
    """

    form: Literal["preference", "acceptance"]
    kind: Literal["estimate", "weight"]
    row: int | None
    prefers: int
    challenger: int
    varied: int | None
    criterion: int
    own_score: bool
    above: bool
    current: float
    threshold: float
    shown: float
    until: float | None
    range_low: float | None
    range_high: float | None
    inside: bool | None
    relative: float
    tier: int
    evidence: tuple[Evidence, ...]
    next_step: NextStep
    rivals: tuple[int, ...]


@dataclass(frozen=True)
class Interval:
    """Where one weight can move before a stakeholder's first feasible choice changes."""

    stakeholder: int
    criterion: int
    weight: float
    low: float
    high: float
    top: int
    takeover_below: int | None
    takeover_above: int | None


@dataclass(frozen=True)
class Search:
    """Every crux of a case among the feasible options, ranked, with the weight intervals."""

    tops: list[int | None]  # each stakeholder's first feasible choice
    group_top: int | None
    findings: list[Finding]
    acceptance: list[Finding]
    unreachable: list[int]  # stakeholders no single change brings to the recommendation
    intervals: list[Interval]
    recommendation: int | None = None  # the feasible recommendation acceptance aims at
    considered: int = 0
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Bounds:
    """Per criterion: the tightest guardrail minimum and maximum (±inf without one)."""

    low: FloatArray
    high: FloatArray

    @classmethod
    def none(cls, criteria: int) -> Bounds:
        return cls(np.full(criteria, -np.inf), np.full(criteria, np.inf))

    def guarded(self, c: int) -> bool:
        return bool(np.isfinite(self.low[c]) or np.isfinite(self.high[c]))


def find_cruxes(
    lenses: Lenses,
    *,
    feasible: Sequence[int] | None = None,
    recommendation: int | None = None,
    facts: Sequence[FactLink] = (),
    bounds: Bounds | None = None,
    challengers: Challengers = "rivals",
    per_stakeholder: int = 10,
    acceptance_per_stakeholder: int = 3,
    include_group: bool = True,
) -> Search:
    """Every stakeholder's and the group's smallest, most plausible preference flips.

    >>> x = np.array([[60.0, 10.0], [52.0, 14.0], [55.0, 11.0]])
    >>> lenses = Lenses.build(x, np.array([[0.8, 0.2], [0.3, 0.7]]), np.array([True, True]),
    ...                       method="minmax", low=x - 10, high=x + 10)
    >>> found = find_cruxes(lenses, per_stakeholder=1, include_group=False)
    >>> found.tops
    [0, 1]
    >>> f = found.findings[0]
    >>> (f.row, f.challenger, f.prefers, f.varied, f.criterion, f.above)
    (0, 1, 0, 0, 0, False)
    >>> round(f.threshold, 6), f.shown  # the claim "below 52.7" holds; "below 52.8" would not
    (52.75, 52.7)
    """
    n_options, n_criteria = lenses.options, lenses.criteria
    _check_finite(lenses.values, "estimates")
    rows = rows_of(lenses)
    limits = bounds or Bounds.none(n_criteria)
    pool = np.array(sorted(set(range(n_options) if feasible is None else feasible)), dtype=np.int64)
    s_count = lenses.stakeholders
    tops = [_first(rows.utilities[s], pool) for s in range(s_count)]
    group_top = _first(rows.utilities[rows.group], pool) if s_count else None
    if pool.size < 2 or s_count == 0:
        note = "fewer than two feasible options: nothing can flip" if s_count else ""
        return Search(tops, group_top, [], [], [], [], notes=[note] if note else [])
    rec = recommendation if recommendation is not None and recommendation in pool else None
    rivals: dict[int, list[int]] = {}
    for s, top in enumerate(tops):
        if top is not None:
            rivals.setdefault(top, []).append(s)
    row, prefers, chall = _pairs(rows, tops, group_top, pool, rec, challengers, include_group)
    informed = _informed_cells(facts, n_options, n_criteria)
    extremes = others_extremes(rows.values) if lenses.method == "minmax" else None
    values = lenses.values.reshape(-1, n_criteria)
    spreads = np.ptp(values, axis=0) if values.size else np.ones(n_criteria)
    spreads = np.where(spreads > 0.0, spreads, 1.0)
    context = _Context(lenses, rows, limits, informed, facts, rivals, extremes, spreads)
    candidates: list[_Candidate] = []
    considered = 0
    chunk = max(1, _CHUNK_CELLS // max(1, n_criteria))
    for start in range(0, row.size, chunk):
        sl = slice(start, start + chunk)
        found, seen = _chunk(context, row[sl], prefers[sl], chall[sl], per_stakeholder, extremes)
        candidates.extend(found)
        considered += seen
    findings = _rank(context, candidates, per_stakeholder)
    acceptance, unreachable = _acceptance(context, tops, pool, rec, acceptance_per_stakeholder)
    intervals = weight_intervals(rows, pool)
    return Search(tops, group_top, findings, acceptance, unreachable, intervals, rec, considered)


def _first(utilities: FloatArray, pool: IntArray) -> int | None:
    if pool.size == 0:
        return None
    return int(pool[int(np.argmax(utilities[pool]))])


def _check_finite(values: FloatArray, name: str) -> None:
    bad = ~np.isfinite(values)
    if bad.any():
        s, o, c = (int(i) for i in np.argwhere(bad)[0])
        raise InputError(
            f"{name}: option {o + 1} has no usable value for criterion {c + 1} in lens "
            f"{s + 1} ({float(values[s, o, c])!r}; expected a number)"
        )


def _pairs(
    rows: Rows,
    tops: list[int | None],
    group_top: int | None,
    pool: IntArray,
    rec: int | None,
    challengers: Challengers,
    include_group: bool,
) -> tuple[IntArray, IntArray, IntArray]:
    """(row, preferred, challenger) triples with a strict preference today."""
    if challengers not in ("rivals", "all"):
        raise ValueError(f"challengers is {challengers!r} (expected rivals or all)")
    contested = {t for t in tops if t is not None}
    if group_top is not None:
        contested.add(group_top)
    if rec is not None:
        contested.add(rec)
    out_r: list[int] = []
    out_p: list[int] = []
    out_c: list[int] = []
    heads: list[tuple[int, int | None]] = list(enumerate(tops))
    if include_group:
        heads.append((rows.group, group_top))
    for r, top in heads:
        if top is None:
            continue
        field_ = pool if (challengers == "all" or r == rows.group) else sorted(contested)
        u = rows.utilities[r]
        for c in field_:
            c = int(c)
            if c != top and u[top] - u[c] > TIE:
                out_r.append(r)
                out_p.append(top)
                out_c.append(c)
    as_array = np.array
    return (
        as_array(out_r, dtype=np.int64),
        as_array(out_p, dtype=np.int64),
        as_array(out_c, dtype=np.int64),
    )


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


@dataclass(frozen=True)
class _Context:
    lenses: Lenses
    rows: Rows
    bounds: Bounds
    informed: BoolArray
    facts: Sequence[FactLink]
    rivals: dict[int, list[int]]
    # Min / max of each column without each option (min-max normalisation): computed once,
    # read by every pairwise and acceptance threshold (an argsort over R x O x C).
    extremes: tuple[FloatArray, FloatArray] | None  # None under vector normalisation
    spreads: FloatArray  # per criterion: the range of its values, 1 where they are all equal

    def group(self, r: int) -> bool:
        return r == self.rows.group

    def spread(self, c: int) -> float:
        return float(self.spreads[c])


@dataclass(frozen=True)
class _Candidate:
    kind: Literal["estimate", "weight"]
    row: int
    prefers: int
    challenger: int
    varied: int | None
    criterion: int
    above: bool
    current: float
    threshold: float
    relative: float


def _chunk(
    ctx: _Context,
    row: IntArray,
    prefers: IntArray,
    chall: IntArray,
    keep: int,
    extremes: tuple[FloatArray, FloatArray] | None,
) -> tuple[list[_Candidate], int]:
    """The best ``keep`` candidates of each row in this chunk of pairs (and every cell a
    fact informs, which a fact may promote), with how many thresholds were solved."""
    rows, lenses = ctx.rows, ctx.lenses
    n_pairs, n_criteria = row.size, lenses.criteria
    th, above = estimate_thresholds(
        rows, lenses.maximise, lenses.method, row, prefers, chall, extremes
    )
    varied = np.stack([chall, prefers], axis=1)  # pairs x 2
    cur = np.stack([rows.values[row, chall], rows.values[row, prefers]], axis=2)
    # A change may not carry the varied option across a guardrail (nor an own score on a
    # guarded criterion, which moves the shared median the guardrail reads).
    high_b, low_b = ctx.bounds.high[None, :, None], ctx.bounds.low[None, :, None]
    keeps = np.where(above, th < high_b, th > low_b)
    guarded_own = lenses.own & (np.isfinite(ctx.bounds.low) | np.isfinite(ctx.bounds.high))
    keeps &= ~guarded_own[None, :, None]
    ok_e = np.isfinite(th) & keeps
    spread = np.array([ctx.spread(c) for c in range(n_criteria)])
    scale = np.where(cur != 0.0, np.abs(cur), spread[None, :, None])
    rel_e = np.abs(th - cur) / scale
    tier_e = _base_tiers(ctx, varied, th)
    wt, w_above = weight_thresholds(rows, row, prefers, chall)
    is_group = (row == rows.group)[:, None]
    wt = np.where(is_group, np.nan, wt)  # the group has no weights of its own to change
    w_cur = rows.weights[row]
    w_rel = np.abs(wt - w_cur) / np.where(w_cur > 0.0, w_cur, 1.0 / n_criteria)
    tiers = np.concatenate([tier_e.reshape(n_pairs, -1), np.full(wt.shape, TIER_POINT)], axis=1)
    rels = np.concatenate([rel_e.reshape(n_pairs, -1), w_rel], axis=1)
    ok = np.concatenate([ok_e.reshape(n_pairs, -1), np.isfinite(wt)], axis=1)
    considered = int(ok.sum())
    facts_here = np.zeros(ok.shape, dtype=np.bool_)
    shared_cells = ~lenses.own[None, :, None]
    facts_here[:, : n_criteria * 2] = (
        np.stack([ctx.informed[chall], ctx.informed[prefers]], axis=2) & shared_cells
    ).reshape(n_pairs, -1) & ok[:, : n_criteria * 2]
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
    row_of = row[p_idx]
    order = np.lexsort((rels[p_idx, j_idx], tiers[p_idx, j_idx], row_of))
    sorted_rows = row_of[order]
    starts = np.flatnonzero(np.r_[True, sorted_rows[1:] != sorted_rows[:-1]])
    sizes = np.diff(np.r_[starts, sorted_rows.size])
    within = np.arange(sorted_rows.size) - np.repeat(starts, sizes)
    chosen = order[within < keep]
    fp, fj = np.nonzero(facts_here)
    out: list[_Candidate] = []
    for p, j in zip(
        np.concatenate([p_idx[chosen], fp]).tolist(),
        np.concatenate([j_idx[chosen], fj]).tolist(),
        strict=True,
    ):
        if j < n_criteria * 2:
            c, side = divmod(j, 2)
            out.append(
                _Candidate(
                    "estimate", int(row[p]), int(prefers[p]), int(chall[p]),
                    int(varied[p, side]), c, bool(above[p, c, side]),
                    float(cur[p, c, side]), float(th[p, c, side]), float(rel_e[p, c, side]),
                )
            )  # fmt: skip
        else:
            c = j - n_criteria * 2
            out.append(
                _Candidate(
                    "weight", int(row[p]), int(prefers[p]), int(chall[p]), None, c,
                    bool(w_above[p, c]), float(w_cur[p, c]), float(wt[p, c]),
                    float(w_rel[p, c]),
                )
            )  # fmt: skip
    return out, considered


def _base_tiers(ctx: _Context, varied: IntArray, th: FloatArray) -> NDArray[np.int64]:
    """Tier of each estimate threshold before facts: inside / outside the stated range."""
    lenses = ctx.lenses
    lo = np.stack([lenses.low[varied[:, 0]], lenses.low[varied[:, 1]]], axis=2)
    hi = np.stack([lenses.high[varied[:, 0]], lenses.high[varied[:, 1]]], axis=2)
    ranged = (hi > lo) & ~lenses.own[None, :, None]
    inside = ranged & (th >= lo) & (th <= hi)
    return np.where(ranged, np.where(inside, TIER_IN_RANGE, TIER_IMPLAUSIBLE), TIER_POINT)


def _rank(ctx: _Context, candidates: list[_Candidate], keep: int) -> list[Finding]:
    """Evidence, tiers, then each row's best ``keep`` that pass the numeric check, best
    first (the check runs in rank order and stops once a row has ``keep``)."""
    scored: list[tuple[tuple[int, float, int, int, int, int], _Candidate, Finding]] = []
    for c in candidates:
        finding = _finding(ctx, "preference", c)
        if finding is None:
            continue
        kind_order = 0 if c.kind == "estimate" else 1
        key = (finding.tier, round(c.relative, 12), c.row, c.challenger, c.criterion, kind_order)
        scored.append((key, c, finding))
    scored.sort(key=lambda item: item[0])
    kept: list[Finding] = []
    count: dict[int, int] = {}
    for _, c, finding in scored:
        if count.get(c.row, 0) >= keep:
            continue
        if not _flips(ctx, c.row, c.kind, c.varied, c.criterion, c.threshold, c.above,
                      _advantage(c.challenger, c.prefers)):  # fmt: skip
            continue
        count[c.row] = count.get(c.row, 0) + 1
        kept.append(finding)
    return kept


def _advantage(challenger: int, prefers: int) -> Callable[[FloatArray], float]:
    def margin(utilities: FloatArray) -> float:
        return float(utilities[challenger] - utilities[prefers])

    return margin


def _finding(
    ctx: _Context, form: Literal["preference", "acceptance"], c: _Candidate
) -> Finding | None:
    """A checked candidate as a finding: evidence, tier, the number a sentence may show."""
    lenses = ctx.lenses
    group = ctx.group(c.row)
    own = c.kind == "estimate" and bool(lenses.own[c.criterion])
    evidence: list[Evidence] = []
    low = high = None
    inside: bool | None = None
    tier = TIER_POINT
    until: float | None = None
    if c.kind == "estimate" and c.varied is not None:
        if not own:
            lo, hi = (
                float(lenses.low[c.varied, c.criterion]),
                float(lenses.high[c.varied, c.criterion]),
            )
            if hi > lo:
                low, high = lo, hi
                inside = lo <= c.threshold <= hi
                tier = TIER_IN_RANGE if inside else TIER_IMPLAUSIBLE
            evidence = _evidence(ctx, c, group)
        bound = ctx.bounds.high[c.criterion] if c.above else ctx.bounds.low[c.criterion]
        until = float(bound) if np.isfinite(bound) else None
    if any(e.accepted and e.stance == "contradicts" for e in evidence):
        tier = TIER_IMPLAUSIBLE
    elif any(e.accepted and e.stance == "backs" for e in evidence) and tier != TIER_IMPLAUSIBLE:
        tier = TIER_BACKED
    shown = _shown(c.threshold, c.current, c.above, until)
    if shown is None:
        return None
    return Finding(
        form=form,
        kind=c.kind,
        row=None if group else c.row,
        prefers=c.prefers,
        challenger=c.challenger,
        varied=c.varied,
        criterion=c.criterion,
        own_score=own,
        above=c.above,
        current=c.current,
        threshold=c.threshold,
        shown=shown,
        until=until,
        range_low=low,
        range_high=high,
        inside=inside,
        relative=c.relative,
        tier=tier,
        evidence=tuple(evidence),
        next_step=_next_step(c.kind, evidence, inside, ctx.bounds.guarded(c.criterion)),
        rivals=tuple(sorted(ctx.rivals.get(c.challenger, []))),
    )


def _evidence(ctx: _Context, c: _Candidate, group: bool) -> list[Evidence]:
    everyone = set(range(ctx.rows.stakeholders))
    out: list[Evidence] = []
    for f in ctx.facts:
        if (f.option, f.criterion) != (c.varied, c.criterion):
            continue
        who = everyone if group else {c.row}
        accepted = who <= set(f.accepted_by) and not (set(f.disputed_by) & who)
        stance: Literal["backs", "contradicts", "informs"] = "informs"
        if f.value is not None:
            flips = f.value > c.threshold if c.above else f.value < c.threshold
            stance = "backs" if flips else "contradicts"
        out.append(Evidence(f.fact, stance, accepted, f.value))
    return out


def _next_step(kind: str, evidence: list[Evidence], inside: bool | None, guarded: bool) -> NextStep:
    if kind == "weight":
        # A weight debate is settled by a bound both sides accept (a counter-metric).
        return "gather data" if guarded else "add a guardrail"
    if evidence or not inside:
        return "gather data"
    return "run an experiment"


def _step(value: float, *others: float) -> float:
    """A change small against the values involved, large against rounding."""
    return 1e-9 * max(1.0, abs(value), *(abs(o) for o in others))


def _flips(
    ctx: _Context,
    r: int,
    kind: str,
    varied: int | None,
    criterion: int,
    threshold: float,
    above: bool,
    margin: Callable[[FloatArray], float],
) -> bool:
    """Numeric check: ``margin(utilities)`` is > 0 just past ``threshold``, < 0 just short."""
    rows, lenses = ctx.rows, ctx.lenses
    step = _step(threshold) if kind == "weight" else _step(threshold, ctx.spread(criterion))
    past = threshold + step if above else threshold - step
    short = threshold - step if above else threshold + step

    def utilities(value: float) -> FloatArray:
        if kind == "weight":
            w = weights_after(rows.weights[r], criterion, value)
            return np.asarray(rows.scores[r] @ w, dtype=np.float64)
        assert varied is not None
        up = bool(lenses.maximise[criterion])
        return column_after(rows, r, varied, criterion, value, up, lenses.method)

    if kind == "weight" and not (0.0 <= past <= 1.0 and 0.0 <= short <= 1.0):
        return False
    return margin(utilities(past)) > 0.0 and margin(utilities(short)) < 0.0


def _shown(threshold: float, current: float, above: bool, until: float | None) -> float | None:
    """The threshold rounded away from today, so the claim holds at the number shown.

    Three significant digits, more when needed to tell it from today's value or from the
    far end ``until``; None when no rounding keeps it on the right side of ``until``.
    """
    for digits in range(3, 16):
        shown = _round_outward(threshold, digits, up=above)
        if above and shown < threshold or not above and shown > threshold:
            continue
        if _text(shown) == _text(current, digits):
            continue
        if until is not None and (shown >= until if above else shown <= until):
            continue
        return shown
    return None


def _round_outward(value: float, digits: int, *, up: bool) -> float:
    """``value`` to ``digits`` significant digits, rounded up (or down)."""
    if value == 0.0 or not math.isfinite(value):
        return value
    exponent = math.floor(math.log10(abs(value))) - digits + 1
    quantum = 10.0**exponent
    scaled = value / quantum
    rounded = math.ceil(scaled - 1e-9) if up else math.floor(scaled + 1e-9)
    return float(f"{rounded * quantum:.{digits}g}")


def _text(value: float, digits: int = 15) -> str:
    return f"{value:.{digits}g}"


def _acceptance(
    ctx: _Context, tops: list[int | None], pool: IntArray, rec: int | None, keep: int
) -> tuple[list[Finding], list[int]]:
    """For each stakeholder whose first feasible choice is not ``rec``: what makes it first."""
    if rec is None:
        return [], []
    rows = ctx.rows
    found: list[Finding] = []
    unreachable: list[int] = []
    others = np.array([o for o in pool.tolist() if o != rec], dtype=np.int64)
    for s, top in enumerate(tops):
        if top is None or top == rec:
            continue
        u = rows.utilities[s]
        if float(u[rec] - u[others].max()) > TIE:
            continue  # rec is strictly first already (top was a tie broken by position)
        mine: list[tuple[tuple[int, float, int], Finding]] = []
        for cand in _acceptance_candidates(ctx, s, top, rec, others):
            finding = _finding(ctx, "acceptance", cand)
            if finding is None:
                continue
            mine.append(((finding.tier, round(cand.relative, 12), cand.criterion), finding))
        mine.sort(key=lambda item: item[0])
        if not mine:
            unreachable.append(s)
        found.extend(f for _, f in mine[:keep])
    return found, unreachable


def _acceptance_candidates(
    ctx: _Context, s: int, top: int, rec: int, others: IntArray
) -> list[_Candidate]:
    rows, lenses = ctx.rows, ctx.lenses
    u, w = rows.utilities[s], rows.weights[s]

    def margin(values: FloatArray) -> float:
        return float(values[rec] - values[others].max())

    out: list[_Candidate] = []
    # Weights: the interval where rec beats every other feasible option.
    alpha, beta = linear_advantages(rows.scores[s], w, u, rec)
    lows, highs = winning_intervals(alpha[others], beta[others])
    for c in np.flatnonzero(~np.isnan(lows)).tolist():
        lo, hi = float(lows[c]), float(highs[c])
        t0 = float(w[c])
        if lo < t0 < hi:
            continue
        above = t0 <= lo
        threshold = lo if above else hi
        if (above and threshold >= 1.0) or (not above and threshold <= 0.0):
            continue
        cand = _Candidate(
            "weight", s, top, rec, None, c, above, t0, threshold,
            abs(threshold - t0) / (t0 if t0 > 0.0 else 1.0 / lenses.criteria),
        )  # fmt: skip
        if not _flips(ctx, s, "weight", None, c, threshold, above, margin):
            continue
        out.append(cand)
    # Estimates: rec's own value, past the furthest of the pairwise thresholds.
    pair_rows = np.full(others.size, s, dtype=np.int64)
    th, _ = estimate_thresholds(
        rows,
        lenses.maximise,
        lenses.method,
        pair_rows,
        others,
        np.full_like(others, rec),
        ctx.extremes,
    )
    pairwise = th[:, :, 0]  # others x criteria
    solved = np.isfinite(pairwise)
    # An option rec does not beat today and no value of rec's estimate overtakes.
    blocked = (~solved & ((u[rec] - u[others]) <= TIE)[:, None]).any(axis=0)
    furthest_up = np.where(solved, pairwise, -np.inf).max(axis=0, initial=-np.inf)
    furthest_down = np.where(solved, pairwise, np.inf).min(axis=0, initial=np.inf)
    for c in range(lenses.criteria):
        if w[c] <= 0.0 or not rows.editable[s, c]:
            continue
        if lenses.own[c] and ctx.bounds.guarded(c):
            continue
        if blocked[c] or not solved[:, c].any():
            continue
        above = bool(lenses.maximise[c])
        current = float(rows.values[s, rec, c])
        threshold = float(furthest_up[c] if above else furthest_down[c])
        if (above and threshold <= current) or (not above and threshold >= current):
            continue
        bound = ctx.bounds.high[c] if above else ctx.bounds.low[c]
        if (above and threshold >= bound) or (not above and threshold <= bound):
            continue
        if not _flips(ctx, s, "estimate", rec, c, threshold, above, margin):
            continue
        scale = abs(current) if current != 0.0 else ctx.spread(c)
        out.append(
            _Candidate(
                "estimate", s, top, rec, rec, c, above, current, threshold,
                abs(threshold - current) / scale,
            )
        )  # fmt: skip
    return out


def weight_intervals(rows: Rows, pool: IntArray) -> list[Interval]:
    """Stability interval of every weight for every stakeholder's first feasible choice.

    For criterion ``c`` with weight ``t`` (others rescaled), the top option ``a`` stays on
    top while ``α_o + β_o t >= 0`` for every feasible ``o``
    (:func:`accord.analysis.crux.thresholds.linear_advantages`).
    """
    out: list[Interval] = []
    if pool.size == 0:
        return out
    for s in range(rows.stakeholders):
        r, w, u = rows.scores[s], rows.weights[s], rows.utilities[s]
        top = int(pool[int(np.argmax(u[pool]))])
        rest = rest_utilities(r, w, u)
        alpha = rest[top] - rest
        beta = (r[top] - r) - alpha
        with np.errstate(divide="ignore", invalid="ignore"):
            t = -alpha / beta
        others = np.isin(np.arange(r.shape[0]), pool) & (np.arange(r.shape[0]) != top)
        t_up = np.where((beta < 0.0) & others[:, None], t, np.inf)
        t_low = np.where((beta > 0.0) & others[:, None], t, -np.inf)
        high = t_up.min(axis=0)
        low = t_low.max(axis=0)
        # Several options crossing at once: the one that is best just beyond takes over.
        above = np.where(t_up <= high + 1e-12, beta, np.inf).argmin(axis=0)
        below = np.where(t_low >= low - 1e-12, beta, -np.inf).argmax(axis=0)
        for c in range(r.shape[1]):
            t0 = float(w[c])
            hi_c, lo_c = float(high[c]), float(low[c])
            out.append(
                Interval(
                    stakeholder=s,
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
