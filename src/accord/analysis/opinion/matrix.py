"""The participant × statement vote matrix the opinion map works on.

Polis keeps a "rating matrix" with one row per participant who voted and one column
per statement that received at least one vote; cells are the latest vote or missing.
Moderated-out statements have their whole column set to 0 (polismath
``named_matrix/zero-out-columns``), which removes them from the PCA and, because a 0 is
a recorded value, counts them as "seen" by everyone in the projection scaling.
accord keeps the same matrix as three coordinate arrays (no dense matrix, no scipy), so
a five-million-vote conversation costs a few tens of megabytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import numpy.typing as npt

from accord.model.statements import StatementVotes

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True, eq=False)
class VoteCounts:
    """Counts a live map keeps up to date vote by vote, so an update does not recount
    every vote: votes and their sum per statement, votes (all, and on statements not
    moderated out) per participant.  The sums are of small integers, exact in float64,
    so they equal a recount."""

    per_statement: IntArray
    sum_per_statement: FloatArray
    per_participant: IntArray
    live_per_participant: IntArray


@dataclass(frozen=True, eq=False)
class VoteMatrix:
    """Votes as coordinates: ``rows[k]`` votes ``values[k]`` (+1/-1/0) on ``cols[k]``.

    ``moderated`` flags moderated-out statements; ``has_votes`` flags the statements
    that are columns of Polis's rating matrix (at least one vote, any participant).
    Derived counts are computed once per matrix (the matrix is immutable).
    """

    rows: IntArray
    cols: IntArray
    values: FloatArray
    n_participants: int
    n_statements: int
    moderated: BoolArray
    counts: VoteCounts | None = None

    @cached_property
    def has_votes(self) -> BoolArray:
        if self.counts is not None:
            kept: BoolArray = self.counts.per_statement > 0
            return kept
        flags: BoolArray = np.bincount(self.cols, minlength=self.n_statements) > 0
        return flags

    @cached_property
    def n_columns(self) -> int:
        """Polis's ``n-cmts``: statements with at least one vote (moderated ones included)."""
        return int(self.has_votes.sum())

    @cached_property
    def _votes_per_participant(self) -> IntArray:
        if self.counts is not None:
            return self.counts.per_participant
        return np.bincount(self.rows, minlength=self.n_participants).astype(np.int64)

    def votes_per_participant(self) -> IntArray:
        """Polis's ``user-vote-counts`` (raw matrix: moderated-out statements count)."""
        return self._votes_per_participant

    @cached_property
    def live(self) -> BoolArray:
        """Which votes are on statements that are not moderated out."""
        flags: BoolArray = ~self.moderated[self.cols]
        return flags

    @cached_property
    def _column_means(self) -> FloatArray:
        if self.counts is not None:
            n = self.counts.per_statement
            return np.divide(
                self.counts.sum_per_statement,
                n,
                out=np.zeros(self.n_statements),
                where=(n > 0) & ~self.moderated,
            )
        live = self.live
        sums = np.bincount(self.cols[live], self.values[live], minlength=self.n_statements)
        counts = np.bincount(self.cols[live], minlength=self.n_statements)
        return np.divide(sums, counts, out=np.zeros(self.n_statements), where=counts > 0)

    def column_means(self) -> FloatArray:
        """Mean vote per statement over the participants who voted on it (0 if none)."""
        return self._column_means

    def centred(self, center: FloatArray) -> tuple[IntArray, IntArray, FloatArray]:
        """Coordinates of the nonzero cells of Polis's mean-imputed, centred matrix.

        Returns ``(rows, cols, v - center[col])`` over votes on live statements: an
        imputed cell equals its column mean, so it becomes exactly 0 after centring and
        the matrix stays sparse.
        """
        if not self.moderated.any():
            return self.rows, self.cols, self.values - center[self.cols]
        live = self.live
        cols = self.cols[live]
        return self.rows[live], cols, self.values[live] - center[cols]

    def recompute_row_order(self, participant_rank: IntArray) -> IntArray:
        """Participants in the row order of Polis's rating matrix after a full recompute.

        Polis reads a conversation's votes ordered by ``(tid, pid, created)``
        (``postgres.clj`` ``conv-poll``, used on every recompute and every math-server
        restart, ``conv_man.clj`` ``load-or-init``) and appends a row for each participant
        when first met, so rows follow each participant's first ``(statement,
        participant_rank)`` pair.  The order decides k-means's first-distinct start.
        Participants without votes come last, in index order.

        >>> import numpy as np
        >>> m = VoteMatrix(np.array([0, 1, 1, 2]), np.array([1, 0, 1, 1]),
        ...                np.ones(4), 3, 2, np.zeros(2, bool))
        >>> m.recompute_row_order(np.array([0, 1, 2])).tolist()
        [1, 0, 2]
        """
        n = self.n_participants
        first = np.full(n, np.iinfo(np.int64).max, dtype=np.int64)
        np.minimum.at(first, self.rows, self.cols * max(n, 1) + participant_rank[self.rows])
        order: IntArray = np.argsort(first, kind="stable")
        return order

    def seen_per_participant(self) -> IntArray:
        """Cells Polis counts as answered in the projection: votes on live statements
        plus every moderated-out column (zeroed for everyone)."""
        if self.counts is not None:
            seen = self.counts.live_per_participant
        else:
            seen = np.bincount(self.rows[self.live], minlength=self.n_participants)
        return seen.astype(np.int64) + int((self.moderated & self.has_votes).sum())


def vote_matrix(votes: StatementVotes) -> VoteMatrix:
    """Turn :class:`StatementVotes` into a :class:`VoteMatrix`."""
    return VoteMatrix(
        rows=np.frombuffer(votes.voter, dtype=np.int32).astype(np.int64),
        cols=np.frombuffer(votes.statement, dtype=np.int32).astype(np.int64),
        values=np.frombuffer(votes.value, dtype=np.int8).astype(np.float64),
        n_participants=len(votes.participants),
        n_statements=len(votes.statements),
        moderated=np.array([s.moderated_out for s in votes.statements], dtype=bool),
    )
