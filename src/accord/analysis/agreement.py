"""How far stakeholders agree: on rankings, on what matters, and on the facts.

Label-free measures over arrays (stakeholders are rows), each with its source:

- :func:`kendall_w` -- Kendall's coefficient of concordance over option rankings, with
  the tie correction and chi-square significance.
- :func:`krippendorff_alpha` -- Krippendorff's alpha, ordinal or interval, with missing
  values.
- :func:`rank_correlations` -- pairwise Kendall tau-b between stakeholders' rankings.
- :func:`weight_dispersion` -- how spread each criterion's weight is across stakeholders.
- :func:`fact_agreement` -- which facts everyone accepts and which are disputed, by whom.
- :func:`alignment_index` -- one 0-100 number blending the three layers of agreement.

The ``explain_*`` helpers take labels and produce the plain sentences reports show.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from accord.analysis import wording
from accord.analysis.distributions import chi_square_survival
from accord.analysis.weights import normalize_weight_rows
from accord.errors import InputError

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]

AlphaLevel = Literal["ordinal", "interval"]

#: Two stakeholders "agree on a criterion" when their normalised weights for it differ
#: by at most this much (5 percentage points of the total weight).
WEIGHT_AGREEMENT_TOLERANCE = 0.05

# Pairwise tau-b is computed in blocks of about this many cells to bound memory.
_BLOCK_CELLS = 4_000_000


# --------------------------------------------------------------------------- rankings


@dataclass(frozen=True)
class KendallW:
    """Kendall's W with its chi-square test (``df = options - 1``)."""

    w: float
    chi_square: float
    df: int
    p_value: float
    raters: int
    objects: int


def average_ranks(values: FloatArray) -> FloatArray:
    """1-based ranks, ties sharing the mean of their positions (scipy's ``rankdata`` default).

    Called hundreds of times per case on short vectors, where scipy's general version
    costs ~0.4 ms a call; this costs a few microseconds.

    >>> average_ranks(np.array([10.0, 30.0, 20.0, 20.0])).tolist()
    [1.0, 4.0, 2.5, 2.5]
    """
    ordered = np.sort(values)
    # Equal values occupy sorted positions start .. end - 1: the mean of the 1-based
    # positions start + 1 .. end.
    starts = np.searchsorted(ordered, values, side="left")
    ends = np.searchsorted(ordered, values, side="right")
    ranks: FloatArray = (starts + ends + 1) / 2.0
    return ranks


def kendall_w(ranks: FloatArray) -> KendallW:
    """Kendall's coefficient of concordance W, corrected for ties.

    ``ranks`` is stakeholders x options, 1 = best; tied options share a rank (any tied
    coding works: ranks are re-expressed as mid-ranks first).  With ``m`` raters, ``n``
    objects, rank sums ``R_i`` and ``S = Σ (R_i - m(n+1)/2)^2``:

    ``W = 12 S / (m^2 (n^3 - n) - m Σ_j T_j)``, ``T_j = Σ_groups (t^3 - t)`` over the
    tie groups of rater ``j`` (Kendall & Babington Smith 1939, "The problem of m
    rankings", Ann. Math. Statist. 10, 275-287; tie correction as in Siegel & Castellan
    1988, *Nonparametric Statistics for the Behavioral Sciences*, 2nd ed., eq. 9.16).
    Significance: ``χ² = m (n - 1) W`` with ``n - 1`` degrees of freedom (eq. 9.17).
    W is 0 when every rater is indifferent among all options (nothing to concord on).

    >>> r = kendall_w(np.array([[1, 2, 3], [1, 2, 3]]))
    >>> r.w, r.chi_square, r.df
    (1.0, 4.0, 2)
    """
    r = np.asarray(ranks, dtype=np.float64)
    if r.ndim != 2:
        raise ValueError(f"ranks must be stakeholders x options, got shape {r.shape}")
    m, n = r.shape
    if m < 2 or n < 2:
        raise InputError(
            f"Kendall's W needs at least 2 stakeholders and 2 options, got {m} and {n}"
        )
    _check_finite(r, "ranks")
    mid = np.stack([average_ranks(row) for row in r])  # ties share the mean position
    sums = mid.sum(axis=0)
    s = float(np.sum((sums - m * (n + 1) / 2.0) ** 2))
    ties = sum(_tie_term(row) for row in mid)
    denominator = m * m * (n**3 - n) - m * ties
    w = 12.0 * s / denominator if denominator > 0 else 0.0
    chi_square = m * (n - 1) * w
    return KendallW(
        w=w,
        chi_square=chi_square,
        df=n - 1,
        p_value=chi_square_survival(chi_square, n - 1),
        raters=m,
        objects=n,
    )


def _tie_term(row: FloatArray) -> float:
    _, counts = np.unique(row, return_counts=True)
    return float(np.sum(counts.astype(np.float64) ** 3 - counts))


def pairwise_order_products(rows: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Sums over option pairs ``i < j`` of products of pairwise-order signs, for all rows.

    With ``a_ij = sign(x_ai - x_aj)``: ``dot[a, b] = Σ a_ij b_ij``, ``untied[a] = Σ |a_ij|``
    and ``both[a, b] = Σ |a_ij| |b_ij|`` (pairs ordered by both rows).  Kendall's tau
    and the Kendall distance need only these counts (Kendall 1945).  Rows without
    ties have signs ±1, so ``dot = P - 2 * hamming(a > 0, b > 0)``, counted exactly on
    packed bits; rows with ties take a product of sign matrices.  Both work in blocks
    of option pairs, so memory stays O(rows^2 + rows * block).

    >>> dot, both, untied = pairwise_order_products(np.array([[1.0, 2.0, 3.0], [3.0, 2.0, 2.0]]))
    >>> dot.tolist(), both.tolist(), untied.tolist()
    ([[3.0, -2.0], [-2.0, 2.0]], [[3.0, 2.0], [2.0, 2.0]], [3.0, 2.0])
    >>> pairwise_order_products(np.array([[1.0, 2.0, 3.0], [3.0, 1.0, 2.0]]))[0].tolist()
    [[3.0, -1.0], [-1.0, 3.0]]
    """
    x = np.asarray(rows, dtype=np.float64)
    m, n = x.shape
    pairs = n * (n - 1) // 2
    if m * n * n <= _BLOCK_CELLS:
        # Small: every ordered pair in one product, each unordered pair counted twice
        # (the halved counts are exact integers).
        signs = np.sign(x[:, :, None] - x[:, None, :]).reshape(m, -1)
        magnitude = np.abs(signs)
        return (
            (signs @ signs.T) / 2.0,
            (magnitude @ magnitude.T) / 2.0,
            magnitude.sum(axis=1) / 2.0,
        )
    # A row orders every pair unless two of its values are equal.
    has_ties = bool((np.diff(np.sort(x, axis=1), axis=1) == 0.0).any()) if n > 1 else False
    if not has_ties:
        dot = pairs - 2.0 * _order_hamming(x)
        return dot, np.full((m, m), float(pairs)), np.full(m, float(pairs))
    dot = np.zeros((m, m))
    both = np.zeros((m, m))
    untied = np.zeros(m)
    for signs in _pair_blocks(x, _BLOCK_CELLS // max(1, m), lambda a, b: np.sign(a - b)):
        dot += signs @ signs.T
        magnitude = np.abs(signs)
        untied += magnitude.sum(axis=1)
        both += magnitude @ magnitude.T
    return dot, both, untied


# Bits of pairwise order held at once by _order_hamming (4 MB of booleans per 32M).
_BLOCK_BITS = 32_000_000


def _order_hamming(x: FloatArray) -> FloatArray:
    """For all row pairs, the number of option pairs ``i < j`` where exactly one row
    has ``x_i > x_j``: popcounts of XORed packed bits, exact and without BLAS."""
    m = x.shape[0]
    distance = np.zeros((m, m), dtype=np.int64)
    for above in _pair_blocks(x, _BLOCK_BITS // max(1, m), np.greater):
        packed = np.packbits(above, axis=1)
        words = np.pad(packed, ((0, 0), (0, -packed.shape[1] % 8))).view(np.uint64)
        for a in range(m):
            distance[a, a:] += np.bitwise_count(words[a] ^ words[a:]).sum(axis=1, dtype=np.int64)
    upper = np.triu(distance)
    return np.asarray(upper + np.triu(upper, 1).T, dtype=np.float64)


def _pair_blocks(x: FloatArray, size: int, compare: Any) -> Iterator[NDArray[Any]]:
    """``compare(x[:, i], x[:, j])`` for option pairs ``i < j`` in row-major pair order,
    as rows x pairs arrays of about ``size`` pairs each."""
    n = x.shape[1]
    parts: list[NDArray[Any]] = []
    held = 0
    for i in range(n - 1):
        parts.append(compare(x[:, i : i + 1], x[:, i + 1 :]))
        held += n - 1 - i
        if held >= size:
            yield np.concatenate(parts, axis=1)
            parts, held = [], 0
    if parts:
        yield np.concatenate(parts, axis=1)


def rank_correlations(scores: FloatArray) -> FloatArray:
    """Kendall tau-b between every pair of stakeholders' scores (rows); 1 on the diagonal.

    ``τ_b = (C - D) / sqrt((P - T_s)(P - T_t))`` over option pairs, with ``C``/``D`` the
    concordant/discordant pairs, ``P`` all pairs and ``T`` the pairs tied in one ranking
    (Kendall 1945, "The treatment of ties in ranking problems", Biometrika 33, 239-251;
    the same statistic as ``scipy.stats.kendalltau``).  Computed for all pairs at once
    as a product of pairwise-sign matrices.  A stakeholder indifferent among all options
    has correlation 0 with everyone else.  Pass utilities (higher is better) or ranks
    (1 is best) consistently for all rows.

    >>> rank_correlations(np.array([[3.0, 2.0, 1.0], [3.0, 1.0, 2.0], [1.0, 2.0, 3.0]])).round(3)
    array([[ 1.   ,  0.333, -1.   ],
           [ 0.333,  1.   , -0.333],
           [-1.   , -0.333,  1.   ]])
    """
    x = np.asarray(scores, dtype=np.float64)
    if x.ndim != 2:
        raise ValueError(f"scores must be stakeholders x options, got shape {x.shape}")
    _check_finite(x, "scores")
    products, _, untied = pairwise_order_products(x)
    scale = np.sqrt(np.outer(untied, untied))
    tau = np.divide(products, scale, out=np.zeros_like(products), where=scale > 0)
    np.fill_diagonal(tau, 1.0)
    return np.asarray(tau, dtype=np.float64)


# --------------------------------------------------------------------------- reliability


def krippendorff_alpha(data: FloatArray, *, level: AlphaLevel = "ordinal") -> float | None:
    """Krippendorff's alpha for raters x units data; NaN marks a missing value.

    ``α = 1 - D_o / D_e = 1 - Σ o_ck δ²_ck / Σ e_ck δ²_ck``, with the coincidence
    matrix ``o_ck = Σ_u (pairs of values c, k in unit u) / (m_u - 1)`` over units with
    ``m_u >= 2`` values, ``n_c = Σ_k o_ck``, ``e_ck = n_c (n_k - [c = k]) / (n - 1)``;
    ``δ²_ck = (c - k)²`` (interval) or ``(Σ_{g=c..k} n_g - (n_c + n_k)/2)²`` (ordinal)
    (Krippendorff 2011, "Computing Krippendorff's alpha-reliability", Annenberg School
    for Communication, Departmental Papers 43, §§ B-E).  Equals the ``krippendorff``
    package to rounding.  Returns None where alpha is undefined: fewer than two
    different values among units rated at least twice (no variation to judge agreement
    against; the ``krippendorff`` package returns NaN there).

    >>> data = np.array([[1, 2, 3, 3, 2, 1, 4, 1, 2, np.nan, np.nan, np.nan],
    ...                  [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, np.nan, 3],
    ...                  [np.nan, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, np.nan],
    ...                  [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, np.nan]])
    >>> round(krippendorff_alpha(data, level="ordinal"), 3)  # Krippendorff (2011), p. 8
    0.815
    """
    x = np.asarray(data, dtype=np.float64)
    if x.ndim != 2:
        raise ValueError(f"data must be raters x units, got shape {x.shape}")
    if np.isinf(x).any():
        raise InputError("reliability data contains an infinite value (expected numbers or NaN)")
    present = ~np.isnan(x)
    pairable = present.sum(axis=0) >= 2
    values = np.unique(x[:, pairable][present[:, pairable]])
    if values.size < 2:
        return None
    units = x[:, pairable]
    counts = np.stack([(units == v).sum(axis=0) for v in values], axis=1).astype(np.float64)
    m_u = counts.sum(axis=1)
    scaled = counts / (m_u - 1.0)[:, None]
    o = counts.T @ scaled - np.diag(scaled.sum(axis=0))
    n_c = o.sum(axis=0)
    e = (np.outer(n_c, n_c) - np.diag(n_c)) / (n_c.sum() - 1.0)
    if level == "interval":
        delta = (values[:, None] - values[None, :]) ** 2
    elif level == "ordinal":
        cum = np.concatenate([[0.0], np.cumsum(n_c)])
        lo = np.minimum.outer(np.arange(values.size), np.arange(values.size))
        hi = np.maximum.outer(np.arange(values.size), np.arange(values.size))
        between = cum[hi + 1] - cum[lo]
        delta = (between - (n_c[lo] + n_c[hi]) / 2.0) ** 2
    else:
        raise ValueError(f"unknown level {level!r} (expected ordinal or interval)")
    expected = float(np.sum(e * delta))
    return 1.0 - float(np.sum(o * delta)) / expected if expected > 0 else None


# --------------------------------------------------------------------------- weights


@dataclass(frozen=True)
class CriterionDispersion:
    """How far apart stakeholders' (normalised) weights for one criterion are."""

    criterion: int
    mean: float
    std: float
    range: float
    lowest: int  # stakeholder index with the smallest weight
    highest: int  # stakeholder index with the largest weight
    low: float  # that smallest weight
    high: float  # that largest weight


@dataclass(frozen=True)
class WeightDispersion:
    """Per-criterion dispersion; ``most_disputed`` has the largest range (first on a tie)."""

    criteria: list[CriterionDispersion]
    most_disputed: int


def weight_dispersion(weights: FloatArray) -> WeightDispersion:
    """Spread of each criterion's weight across stakeholders (rows summed to 1 first).

    ``std`` is the population standard deviation; ``range = max - min``, reached by the
    furthest-apart pair ``(lowest, highest)``.

    >>> d = weight_dispersion(np.array([[0.1, 0.9], [0.5, 0.5]]))
    >>> d.most_disputed, round(d.criteria[0].range, 6), d.criteria[0].lowest
    (0, 0.4, 0)
    """
    w = normalize_weight_rows(np.asarray(weights, dtype=np.float64))
    if w.ndim != 2:
        raise ValueError(f"weights must be stakeholders x criteria, got shape {w.shape}")
    lowest = w.argmin(axis=0)
    highest = w.argmax(axis=0)
    spread = w.max(axis=0) - w.min(axis=0)
    rows = [
        CriterionDispersion(
            criterion=c,
            mean=float(w[:, c].mean()),
            std=float(w[:, c].std()),
            range=float(spread[c]),
            lowest=int(lowest[c]),
            highest=int(highest[c]),
            low=float(w[lowest[c], c]),
            high=float(w[highest[c], c]),
        )
        for c in range(w.shape[1])
    ]
    # Ranges equal up to rounding are a tie; the first such criterion is named.
    widest = int(np.flatnonzero(spread >= spread.max() - 1e-12)[0])
    return WeightDispersion(criteria=rows, most_disputed=widest)


def weight_distances(weights: FloatArray) -> FloatArray:
    """Pairwise total-variation distance between weight vectors: ``½ Σ_c |w_sc - w_tc|``.

    0 means identical priorities, 1 means the two care about disjoint criteria.

    >>> weight_distances(np.array([[1.0, 0.0], [0.0, 1.0], [0.5, 0.5]])).tolist()
    [[0.0, 1.0, 0.5], [1.0, 0.0, 0.5], [0.5, 0.5, 0.0]]
    """
    w = normalize_weight_rows(np.asarray(weights, dtype=np.float64))
    return np.asarray(0.5 * np.abs(w[:, None, :] - w[None, :, :]).sum(axis=2), dtype=np.float64)


@dataclass(frozen=True)
class PairAgreement:
    """Two stakeholders' weights compared criterion by criterion."""

    first: int
    second: int
    agreed: int  # criteria whose weights differ by at most ``tolerance``
    criteria: int
    tolerance: float
    widest: int  # criterion with the largest difference
    first_weight: float
    second_weight: float


def pair_agreement(
    weights: FloatArray,
    first: int,
    second: int,
    *,
    tolerance: float = WEIGHT_AGREEMENT_TOLERANCE,
) -> PairAgreement:
    """On how many criteria two stakeholders agree, and where they differ most.

    They *agree on a criterion* when ``|w_first,c - w_second,c| <= tolerance`` with both
    weight vectors summed to 1 (default 0.05: five points out of a 100-point budget).

    >>> p = pair_agreement(np.array([[0.1, 0.45, 0.45], [0.45, 0.1, 0.45]]), 0, 1)
    >>> p.agreed, p.widest, p.first_weight, p.second_weight
    (1, 0, 0.1, 0.45)
    """
    w = normalize_weight_rows(np.asarray(weights, dtype=np.float64))
    gap = np.abs(w[first] - w[second])
    widest = int(np.argmax(gap))
    return PairAgreement(
        first=first,
        second=second,
        agreed=int(np.sum(gap <= tolerance + 1e-12)),
        criteria=int(w.shape[1]),
        tolerance=tolerance,
        widest=widest,
        first_weight=float(w[first, widest]),
        second_weight=float(w[second, widest]),
    )


# --------------------------------------------------------------------------- facts


@dataclass(frozen=True)
class FactAgreement:
    """The shared fact base: who accepts and who disputes each fact (indices)."""

    accepted_by_all: list[int]
    disputed: dict[int, list[int]]  # fact -> stakeholders who dispute it
    open: list[int]  # neither disputed nor accepted by everyone yet
    undisputed_share: float  # facts nobody disputes / all facts (1.0 with no facts)


def fact_agreement(accepted: BoolArray, disputed: BoolArray) -> FactAgreement:
    """Classify facts (rows) by stakeholders' (columns) acceptance and dispute.

    >>> acc = np.array([[True, True], [True, False], [False, False]])
    >>> dis = np.array([[False, False], [False, True], [False, False]])
    >>> f = fact_agreement(acc, dis)
    >>> f.accepted_by_all, f.disputed, f.open, round(f.undisputed_share, 3)
    ([0], {1: [1]}, [2], 0.667)
    """
    a = np.asarray(accepted, dtype=np.bool_)
    d = np.asarray(disputed, dtype=np.bool_)
    if a.shape != d.shape or a.ndim != 2:
        raise ValueError(f"accepted {a.shape} and disputed {d.shape} must be facts x stakeholders")
    both = a & d
    if both.any():
        fact, who = (int(i) for i in np.argwhere(both)[0])
        raise InputError(
            f"stakeholder {who} both accepts and disputes fact {fact} (expected one or the other)"
        )
    is_disputed = d.any(axis=1)
    everyone = a.all(axis=1) & (a.shape[1] > 0)
    n_facts = a.shape[0]
    return FactAgreement(
        accepted_by_all=[int(f) for f in np.flatnonzero(everyone)],
        disputed={int(f): [int(s) for s in np.flatnonzero(d[f])] for f in np.flatnonzero(d.any(1))},
        open=[int(f) for f in np.flatnonzero(~everyone & ~is_disputed)],
        undisputed_share=float(np.mean(~is_disputed)) if n_facts else 1.0,
    )


# --------------------------------------------------------------------------- index


@dataclass(frozen=True)
class AlignmentIndex:
    """The alignment index (0-100) and the components it was built from (each 0-1).

    A component is None when it cannot be computed (fewer than two stakeholders with
    rankings or weights, no facts); the index averages the components present.
    """

    index: float
    rankings: float | None  # Kendall's W over the stakeholders' option rankings
    weights: float | None  # 1 - mean pairwise total-variation distance of weights
    facts: float | None  # share of facts nobody disputes
    components: list[str]


def alignment_index(
    ranks: FloatArray | None,
    weights: FloatArray | None,
    fact_status: FactAgreement | None,
) -> AlignmentIndex:
    """Alignment index = 100 × mean of the available components, each on 0..1.

    ``A = 100 · mean(W, 1 - D̄, F)`` where

    - ``W`` is Kendall's W (tie-corrected) over the stakeholders' option rankings --
      agreement on *conclusions*;
    - ``D̄`` is the mean over stakeholder pairs of the total-variation distance
      ``½ Σ_c |w_sc - w_tc|`` between normalised weight vectors -- agreement on *what
      matters*;
    - ``F`` is the share of facts that nobody disputes -- agreement on *what is true*.

    These are the three layers a facilitator works through (facts, then values, then
    choices); each is 1 at full agreement and near 0 at none, so an unweighted mean
    treats no layer as more important and a 100 needs agreement on all three.
    Components that cannot be computed are left out (and named as missing).  Note that
    W has a chance level of about ``1/m`` for ``m`` independent random rankings.

    >>> a = alignment_index(np.array([[1, 2], [1, 2]]), np.array([[1.0, 0.0], [0.0, 1.0]]), None)
    >>> a.index, a.components
    (50.0, ['rankings', 'weights'])
    """
    rank_part: float | None = None
    weight_part: float | None = None
    fact_part: float | None = None
    if ranks is not None:
        r = np.asarray(ranks, dtype=np.float64)
        if r.ndim == 2 and r.shape[0] >= 2 and r.shape[1] >= 2:
            rank_part = kendall_w(r).w
    if weights is not None:
        w = np.asarray(weights, dtype=np.float64)
        if w.ndim == 2 and w.shape[0] >= 2:
            dist = weight_distances(w)
            upper = dist[np.triu_indices(w.shape[0], 1)]
            weight_part = float(1.0 - upper.mean())
    has_facts = fact_status is not None and (
        fact_status.accepted_by_all or fact_status.disputed or fact_status.open
    )
    if fact_status is not None and has_facts:
        fact_part = fact_status.undisputed_share
    parts = {"rankings": rank_part, "weights": weight_part, "facts": fact_part}
    present = {k: v for k, v in parts.items() if v is not None}
    index = 100.0 * sum(present.values()) / len(present) if present else 0.0
    return AlignmentIndex(
        index=index,
        rankings=rank_part,
        weights=weight_part,
        facts=fact_part,
        components=list(present),
    )


# --------------------------------------------------------------------------- sentences


def explain_pair(
    agreement: PairAgreement, stakeholder_names: Sequence[str], criterion_names: Sequence[str]
) -> str:
    """One sentence comparing two stakeholders' weights.

    >>> p = PairAgreement(0, 1, 7, 9, 0.05, 2, 0.1, 0.45)
    >>> explain_pair(p, ["Dana", "Sam"], ["cost", "speed", "privacy"])
    'Dana and Sam agree on 7 of 9 criteria; they disagree most on privacy weight: 0.10 vs 0.45.'
    """
    a = stakeholder_names[agreement.first]
    b = stakeholder_names[agreement.second]
    head = f"{a} and {b} agree on {agreement.agreed} of {agreement.criteria} criteria"
    if agreement.agreed == agreement.criteria:
        return head + f" (weights within {agreement.tolerance:.2f} of each other)."
    return (
        f"{head}; they disagree most on {criterion_names[agreement.widest]} weight: "
        f"{agreement.first_weight:.2f} vs {agreement.second_weight:.2f}."
    )


def explain_dispersion(
    dispersion: WeightDispersion,
    stakeholder_names: Sequence[str],
    criterion_names: Sequence[str],
) -> str:
    """One sentence naming the criterion whose weight stakeholders disagree about most.

    >>> d = weight_dispersion(np.array([[0.1, 0.9], [0.5, 0.5]]))
    >>> explain_dispersion(d, ["Dana", "Sam"], ["privacy risk", "growth"])
    'Stakeholders disagree most about privacy risk: Dana gives it 0.10, Sam 0.50.'
    """
    c = dispersion.criteria[dispersion.most_disputed]
    if c.range == 0.0:
        return "All stakeholders weight every criterion the same."
    return (
        f"Stakeholders disagree most about {criterion_names[c.criterion]}: "
        f"{stakeholder_names[c.lowest]} gives it {c.low:.2f}, "
        f"{stakeholder_names[c.highest]} {c.high:.2f}."
    )


def explain_alignment(alignment: AlignmentIndex, *, options: int, excluded: int) -> str:
    """One sentence stating the index, its band and what it is made of, in plain words
    (:func:`accord.analysis.wording.alignment_sentence`, which the dashboard reads too);
    the rankings were taken over ``options`` options, ``excluded`` of them excluded.

    >>> index = AlignmentIndex(62.0, 0.5, None, 0.74, ["rankings", "facts"])
    >>> explain_alignment(index, options=4, excluded=0)[:43]
    'Alignment 62 of 100, partial (40 to 69; hig'
    """
    return wording.alignment_sentence(
        alignment.index,
        alignment.rankings,
        alignment.weights,
        alignment.facts,
        options=options,
        excluded=excluded,
    )


def _check_finite(x: FloatArray, name: str) -> None:
    if not np.isfinite(x).all():
        at = tuple(int(i) for i in np.argwhere(~np.isfinite(x))[0])
        raise InputError(f"{name} at {at} is {float(x[at])!r} (expected a finite number)")
