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
from accord.errors import InputError
from accord.model.statements import StatementVotes

__all__ = [
    "ConsensusStatement",
    "DivisiveStatement",
    "LiveOpinionMap",
    "OpinionGroup",
    "OpinionMap",
    "RepresentativeStatement",
    "opinion_map",
]


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
    for name, value, low in (
        ("min_votes", min_votes, 1),
        ("base_k", base_k, 2),
        ("max_k", max_k, 2),
        ("restarts", restarts, 1),
    ):
        if value < low:
            raise InputError(f"{name}: {value} is too small (expected an integer >= {low})")
    settings = MapSettings(
        min_votes=min_votes, base_k=base_k, max_k=max_k, seed=seed, restarts=restarts
    )
    result, _ = build_map(votes, vote_matrix(votes), settings)
    return result
