"""Representative, consensus and divisive statements (Polis repness).

Per group g and statement j, over the clustered participants (polismath
``math/repness.clj``, ``math/stats.clj``):

* counts ``na`` (agree), ``nd`` (disagree), ``ns`` (seen: agree + disagree + pass);
* probabilities with a pseudo-count of 1 each side: ``pa = (na + 1) / (ns + 2)``;
* one-proportion test ``pat = 2·sqrt(ns + 1)·((na + 1) / (ns + 1) - 1/2)``;
* representativeness ``ra = pa / ((na_rest + 1) / (ns_rest + 2))`` against all other
  groups, and the two-proportion z-test ``rat`` on ``(na + 1, ns + 1)`` versus
  ``(na_rest + 1, ns_rest + 1)`` with a pooled proportion (0 when the pool is 1);
* the same with disagree (``pd``, ``pdt``, ``rd``, ``rdt``).

A statement represents a group when both z-values exceed 1.2816 (one-sided 90 %,
``z-sig-90?``) for agree or for disagree; the direction is agree when ``rat > rdt``;
groups rank them by ``repness · repness_test · p · p_test``, put the best "agree"
statement first, keep 5, agrees before disagrees (``select-rep-comments``).
Consensus follows ``select-consensus-comments`` over every voter: ``p > 0.5`` and a
significant one-proportion z, top 5 per direction by ``p · z``.

*Divisive* statements are accord's addition (Polis's math engine has none): statements
one group significantly agrees with while another significantly disagrees, ranked by
the spread of net agreement ``pa - pd`` between groups.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from accord.analysis.opinion.matrix import FloatArray, IntArray, VoteMatrix

#: One-sided 90 % normal quantile (Polis ``z-sig-90?``).
Z_90 = 1.2816
#: Statements kept per group and per consensus direction (Polis ``take 5``).
PICK = 5


@dataclass(frozen=True, eq=False)
class GroupCounts:
    """Per group (rows) × statement (columns) agree / disagree / seen counts."""

    agree: FloatArray
    disagree: FloatArray
    seen: FloatArray


def group_counts(matrix: VoteMatrix, group_of: IntArray, n_groups: int) -> GroupCounts:
    """Count votes per group; ``group_of[i]`` is -1 for unclustered participants."""
    g = group_of[matrix.rows]
    inside = g >= 0
    # One pass: key = (group, statement, vote + 1), vote + 1 being 0 / 1 / 2 for
    # disagree / pass / agree.
    key = (g[inside] * matrix.n_statements + matrix.cols[inside]) * 3
    key += (matrix.values[inside] + 1.0).astype(np.int64)
    counts = np.bincount(key, minlength=3 * n_groups * matrix.n_statements)
    by_vote = counts.reshape(n_groups, matrix.n_statements, 3).astype(np.float64)
    return GroupCounts(agree=by_vote[:, :, 2], disagree=by_vote[:, :, 0], seen=by_vote.sum(axis=2))


def prop_test(successes: FloatArray, trials: FloatArray) -> FloatArray:
    """Polis one-proportion z: ``2·sqrt(n+1)·((s+1)/(n+1) - 0.5)``.

    >>> import numpy as np
    >>> prop_test(np.array([9.0]), np.array([10.0])).round(3).tolist()
    [2.714]
    """
    s, n = successes + 1.0, trials + 1.0
    return 2.0 * np.sqrt(n) * (s / n - 0.5)


def two_prop_test(
    succ_in: FloatArray, succ_out: FloatArray, pop_in: FloatArray, pop_out: FloatArray
) -> FloatArray:
    """Polis two-proportion z with pseudo-counts (0 when the pooled proportion is 1).

    >>> import numpy as np
    >>> two_prop_test(*(np.array([v]) for v in (8.0, 2.0, 10.0, 10.0))).round(3).tolist()
    [2.569]
    """
    s1, s2, n1, n2 = succ_in + 1.0, succ_out + 1.0, pop_in + 1.0, pop_out + 1.0
    p1, p2 = s1 / n1, s2 / n2
    pooled = (s1 + s2) / (n1 + n2)
    spread = pooled * (1.0 - pooled) * (1.0 / n1 + 1.0 / n2)
    safe = spread > 0
    z: FloatArray = np.divide(
        p1 - p2, np.sqrt(np.where(safe, spread, 1.0)), out=np.zeros_like(p1), where=safe
    )
    return z


@dataclass(frozen=True, eq=False)
class RepnessStats:
    """All of Polis's per group × statement statistics."""

    na: FloatArray
    nd: FloatArray
    ns: FloatArray
    pa: FloatArray
    pd: FloatArray
    pat: FloatArray
    pdt: FloatArray
    ra: FloatArray
    rd: FloatArray
    rat: FloatArray
    rdt: FloatArray


def repness_stats(counts: GroupCounts) -> RepnessStats:
    na, nd, ns = counts.agree, counts.disagree, counts.seen
    rest_na, rest_nd, rest_ns = na.sum(0) - na, nd.sum(0) - nd, ns.sum(0) - ns
    pa, pd = (na + 1) / (ns + 2), (nd + 1) / (ns + 2)
    return RepnessStats(
        na=na,
        nd=nd,
        ns=ns,
        pa=pa,
        pd=pd,
        pat=prop_test(na, ns),
        pdt=prop_test(nd, ns),
        ra=pa / ((rest_na + 1) / (rest_ns + 2)),
        rd=pd / ((rest_nd + 1) / (rest_ns + 2)),
        rat=two_prop_test(na, rest_na, ns, rest_ns),
        rdt=two_prop_test(nd, rest_nd, ns, rest_ns),
    )


@dataclass(frozen=True)
class Pick:
    """One representative statement of a group (plain values)."""

    statement: int
    direction: str
    repness: float
    repness_test: float
    p: float
    p_test: float
    n_success: int
    n_trials: int
    best_agree: bool = False

    @property
    def metric(self) -> float:
        return self.repness * self.repness_test * self.p * self.p_test


def _finalize(s: RepnessStats, g: int, j: int, best_agree: bool = False) -> Pick:
    agree = bool(s.rat[g, j] > s.rdt[g, j])
    return Pick(
        statement=j,
        direction="agree" if agree else "disagree",
        repness=float(s.ra[g, j] if agree else s.rd[g, j]),
        repness_test=float(s.rat[g, j] if agree else s.rdt[g, j]),
        p=float(s.pa[g, j] if agree else s.pd[g, j]),
        p_test=float(s.pat[g, j] if agree else s.pdt[g, j]),
        n_success=int(s.na[g, j] if agree else s.nd[g, j]),
        n_trials=int(s.ns[g, j]),
        best_agree=best_agree,
    )


def representative(s: RepnessStats, g: int, candidates: IntArray) -> list[Pick]:
    """Polis ``select-rep-comments`` for group ``g`` over ``candidates`` (statement order)."""
    sufficient: list[Pick] = []
    best: Pick | None = None
    best_agree: int | None = None
    passes = ((s.rat[g] > Z_90) & (s.pat[g] > Z_90)) | ((s.rdt[g] > Z_90) & (s.pdt[g] > Z_90))
    for j in candidates:
        j = int(j)
        if passes[j]:
            sufficient.append(_finalize(s, g, j))
        if not sufficient and (best is None or max(s.rat[g, j], s.rdt[g, j]) > best.repness_test):
            best = _finalize(s, g, j)
        if _beats_best_agree(s, g, j, best_agree):
            best_agree = j
    # Polis finalizes the best-agree statement in whichever direction tests stronger.
    head = [_finalize(s, g, best_agree, best_agree=True)] if best_agree is not None else []
    if not sufficient:
        return head or ([best] if best is not None else [])
    ranked = sorted((p for p in sufficient if p.statement != best_agree), key=lambda p: -p.metric)
    chosen = (head + ranked)[:PICK]
    return [p for p in chosen if p.direction == "agree"] + [
        p for p in chosen if p.direction != "agree"
    ]


def _beats_best_agree(s: RepnessStats, g: int, j: int, current: int | None) -> bool:
    """Polis ``beats-best-agr?``."""
    if s.na[g, j] == 0 and s.nd[g, j] == 0:
        return False
    score = s.ra[g, j] * s.rat[g, j] * s.pa[g, j] * s.pat[g, j]
    if current is not None and s.ra[g, current] > 1.0:
        c = current
        return bool(score > s.ra[g, c] * s.rat[g, c] * s.pa[g, c] * s.pat[g, c])
    if current is not None:
        return bool(s.pa[g, j] * s.pat[g, j] > s.pa[g, current] * s.pat[g, current])
    return bool(s.pat[g, j] > Z_90 or (s.ra[g, j] > 1.0 and s.pa[g, j] > 0.5))


@dataclass(frozen=True)
class ConsensusPick:
    statement: int
    direction: str
    p: float
    p_test: float
    n_success: int
    n_trials: int


def consensus(matrix: VoteMatrix, candidates: IntArray) -> list[ConsensusPick]:
    """Polis ``select-consensus-comments`` over every voter (top 5 agree, top 5 disagree)."""
    everyone = np.zeros(matrix.n_participants, dtype=np.int64)
    c = group_counts(matrix, everyone, 1)
    picks: list[ConsensusPick] = []
    for direction, n in (("agree", c.agree[0]), ("disagree", c.disagree[0])):
        ns = c.seen[0]
        p, z = (n + 1) / (ns + 2), prop_test(n, ns)
        keep = [int(j) for j in candidates if p[j] > 0.5 and z[j] > Z_90]
        keep.sort(key=lambda j: -p[j] * z[j])
        picks += [
            ConsensusPick(j, direction, float(p[j]), float(z[j]), int(n[j]), int(ns[j]))
            for j in keep[:PICK]
        ]
    return picks


def group_aware_consensus(s: RepnessStats) -> FloatArray:
    """Polis ``group-aware-consensus``: product over groups of ``(A + 1) / (S + 2)``."""
    product: FloatArray = np.prod(s.pa, axis=0)
    return product


@dataclass(frozen=True)
class DivisivePick:
    statement: int
    spread: float
    net_agreement: list[float]


def divisive(s: RepnessStats, candidates: IntArray) -> list[DivisivePick]:
    """Statements some group significantly agrees with and another significantly rejects."""
    if s.pa.shape[0] < 2:
        return []
    agreed = (s.pa > 0.5) & (s.pat > Z_90)
    rejected = (s.pd > 0.5) & (s.pdt > Z_90)
    net = s.pa - s.pd
    spread = net.max(axis=0) - net.min(axis=0)
    split = [int(j) for j in candidates if agreed[:, j].any() and rejected[:, j].any()]
    split.sort(key=lambda j: -spread[j])
    return [DivisivePick(j, float(spread[j]), [float(v) for v in net[:, j]]) for j in split[:PICK]]
