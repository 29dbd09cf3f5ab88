"""A live map's kept counts and batched silhouettes equal a recount, bit for bit.

A history replay runs tens of thousands of updates, so the live map keeps its vote counts
and sums up to date vote by vote (``matrix.VoteCounts``) and scores every k's clustering in
one pass (``clusters.silhouettes``).  Both must give exactly what recounting gives: a
replay's map must not depend on how it was computed.
"""

from __future__ import annotations

from array import array

import numpy as np
import pytest

from accord.analysis.opinion import clusters as cl
from accord.analysis.opinion.incremental import LiveOpinionMap
from accord.analysis.opinion.matrix import VoteMatrix
from accord.model.statements import Statement, StatementVotes


@pytest.mark.parametrize("seed", range(6))
def test_silhouettes_side_by_side_equal_one_at_a_time(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(8, 101))
    points = rng.normal(size=(n, 2))
    dist = cl.distances(points)
    labelings = [rng.integers(0, k, n) for k in range(2, 6)]
    labelings.append(np.zeros(n, dtype=np.int64))  # one group: silhouette 0
    labelings.append(np.where(np.arange(n) == 0, 3, 1))  # a singleton and a gap in labels
    together = cl.silhouettes(points, labelings, dist)
    one_by_one = [cl.silhouette(points, labels, dist) for labels in labelings]
    assert together == one_by_one
    assert together[-2] == 0.0


@pytest.mark.parametrize("seed", range(4))
def test_live_counts_equal_a_recount_after_revised_votes_and_moderation(seed: int) -> None:
    rng = np.random.default_rng(seed)
    statements = [Statement(str(j), moderated_out=j == 2) for j in range(6)]
    empty = StatementVotes((), (), array("i"), array("i"), array("b"))
    live = LiveOpinionMap(empty)
    known = 0
    for _ in range(25):
        size = int(rng.integers(1, 8))
        batch = [
            (
                f"p{int(rng.integers(0, 30))}",
                str(int(rng.integers(0, min(known + 2, 6)))),
                int(rng.integers(-1, 2)),
            )
            for _ in range(size)
        ]
        needed = max(int(sid) for _, sid, _ in batch) + 1
        new = statements[known:needed] if needed > known else []
        known = max(known, needed)
        live.record_votes(batch, statements=new)
        _, kept, _ = live._last
        recount = VoteMatrix(
            kept.rows.copy(),
            kept.cols.copy(),
            kept.values.copy(),
            kept.n_participants,
            kept.n_statements,
            kept.moderated.copy(),
        )
        assert kept.counts is not None
        assert np.array_equal(kept.has_votes, recount.has_votes)
        assert np.array_equal(kept.votes_per_participant(), recount.votes_per_participant())
        assert np.array_equal(kept.seen_per_participant(), recount.seen_per_participant())
        assert kept.column_means().tobytes() == recount.column_means().tobytes()
