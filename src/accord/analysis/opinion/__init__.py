"""The opinion map: Polis's method for statement votes, as a pure function.

``opinion_map(votes)`` groups participants by how they vote on statements and finds
what each group stands for, what everyone shares and what divides them.  The steps
and every constant follow Polis (compdemocracy/polis, ``math/src/polismath/math``);
see ``docs/opinion-map.md``.  :class:`~accord.analysis.opinion.incremental.LiveOpinionMap`
updates a map warm-started when new votes arrive.
"""

from __future__ import annotations

from accord.analysis.opinion.clusters import BASE_K, MAX_K, RESTARTS
from accord.analysis.opinion.incremental import LiveOpinionMap
from accord.analysis.opinion.mapping import MIN_VOTES, MapSettings, build_map
from accord.analysis.opinion.matrix import vote_matrix
from accord.analysis.opinion.result import (
    ConsensusStatement,
    DivisiveStatement,
    OpinionGroup,
    OpinionMap,
    RepresentativeStatement,
)
from accord.analysis.settings import MAX_SEED
from accord.errors import InputError
from accord.model.statements import StatementVotes

__all__ = [
    "MAX_BASE_K",
    "MAX_MAX_K",
    "MAX_MIN_VOTES",
    "MAX_RESTARTS",
    "ConsensusStatement",
    "DivisiveStatement",
    "LiveOpinionMap",
    "OpinionGroup",
    "OpinionMap",
    "RepresentativeStatement",
    "opinion_map",
]


MAX_RESTARTS = 100
"""Most group-level k-means starts: each start costs a full k-means per k (2..max_k)."""
MAX_BASE_K = 1000
"""Most base clusters (Polis uses 100); the base k-means is O(participants x base_k)."""
MAX_MAX_K = 20
"""Most opinion groups tried (Polis uses 5); silhouette is computed for each k."""
MAX_MIN_VOTES = 1_000_000
"""Largest ``min_votes``: beyond any statement count accord reads."""


def opinion_map(
    votes: StatementVotes,
    *,
    seed: int = 0,
    min_votes: int = MIN_VOTES,
    base_k: int = BASE_K,
    max_k: int = MAX_K,
    restarts: int = RESTARTS,
) -> OpinionMap:
    """Map participants into opinion groups from their agree / disagree / pass votes.

    Polis's pipeline: mean-imputed PCA to 2-D with sparsity-aware scaling, about
    ``base_k`` base clusters by k-means over participants with at least
    ``min(min_votes, n_statements)`` votes, then 2..``max_k`` groups by weighted k-means
    over base-cluster centres with k chosen by silhouette; per group the representative
    statements by Polis repness (pseudo-counts, z-tests at one-sided 90 %), consensus and
    divisive statements.  Every step is deterministic (Polis starts k-means from the first
    distinct points).  ``restarts > 1`` adds seeded k-means++ starts at the group level
    (accord's option; ``seed`` drives them) and keeps the lowest weighted inertia.

    >>> from accord.model.statements import Statement
    >>> s = [Statement(str(j)) for j in range(4)]
    >>> ballots = {f"p{i}": {"0": 1, "1": 1, "2": -1, "3": -1} for i in range(6)}
    >>> ballots |= {f"q{i}": {"0": -1, "1": -1, "2": 1, "3": 1} for i in range(6)}
    >>> m = opinion_map(StatementVotes.from_mapping(s, ballots))
    >>> sorted(g.size for g in m.groups), m.participants["p0"] != m.participants["q0"]
    ([6, 6], True)
    """
    for name, value, low, high in (
        ("seed", seed, 0, MAX_SEED),
        ("min_votes", min_votes, 1, MAX_MIN_VOTES),
        ("base_k", base_k, 2, MAX_BASE_K),
        ("max_k", max_k, 2, MAX_MAX_K),
        ("restarts", restarts, 1, MAX_RESTARTS),
    ):
        if not low <= value <= high:
            raise InputError(f"{name}: {value} is out of range (expected {low}..{high})")
    settings = MapSettings(
        min_votes=min_votes, base_k=base_k, max_k=max_k, seed=seed, restarts=restarts
    )
    result, _ = build_map(votes, vote_matrix(votes), settings)
    return result
