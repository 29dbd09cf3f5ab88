"""The participant × statement vote matrix the opinion map works on.

Polis keeps a "rating matrix" with one row per participant who voted and one column
per statement that received at least one vote; cells are the latest vote or missing.
Moderated-out statements have their whole column set to 0 (polismath
``named_matrix/zero-out-columns``), which removes them from the PCA and, because a 0 is
a recorded value, counts them as "seen" by everyone in the projection scaling.
accord keeps the same matrix as coordinate arrays and a ``scipy.sparse`` CSR matrix of
centred votes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from accord.model.statements import StatementVotes

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True, eq=False)
class VoteMatrix:
    """Votes as coordinates: ``rows[k]`` votes ``values[k]`` (+1/-1/0) on ``cols[k]``.

    ``moderated`` flags moderated-out statements; ``has_votes`` flags the statements
    that are columns of Polis's rating matrix (at least one vote, any participant).
    """

    rows: IntArray
    cols: IntArray
    values: FloatArray
    n_participants: int
    n_statements: int
    moderated: npt.NDArray[np.bool_]

    @property
    def has_votes(self) -> npt.NDArray[np.bool_]:
        return np.bincount(self.cols, minlength=self.n_statements) > 0

    @property
    def n_columns(self) -> int:
        """Polis's ``n-cmts``: statements with at least one vote (moderated ones included)."""
        return int(self.has_votes.sum())

    def votes_per_participant(self) -> IntArray:
        """Polis's ``user-vote-counts`` (raw matrix: moderated-out statements count)."""
        return np.bincount(self.rows, minlength=self.n_participants).astype(np.int64)

    def column_means(self) -> FloatArray:
        """Mean vote per statement over the participants who voted on it (0 if none)."""
        live = ~self.moderated[self.cols]
        sums = np.bincount(self.cols[live], self.values[live], minlength=self.n_statements)
        counts = np.bincount(self.cols[live], minlength=self.n_statements)
        return np.divide(sums, counts, out=np.zeros(self.n_statements), where=counts > 0)

    def centred(self, center: FloatArray) -> sp.csr_matrix:
        """Votes minus ``center`` on voted cells of live statements, 0 elsewhere.

        This is Polis's mean-imputed matrix after centring: an imputed cell equals its
        column mean, so it becomes exactly 0 and the matrix stays sparse.
        """
        live = ~self.moderated[self.cols]
        data = self.values[live] - center[self.cols[live]]
        shape = (self.n_participants, self.n_statements)
        return sp.csr_matrix((data, (self.rows[live], self.cols[live])), shape=shape)

    def seen_per_participant(self) -> IntArray:
        """Cells Polis counts as answered in the projection: votes on live statements
        plus every moderated-out column (zeroed for everyone)."""
        live = ~self.moderated[self.cols]
        seen = np.bincount(self.rows[live], minlength=self.n_participants).astype(np.int64)
        return seen + int((self.moderated & self.has_votes).sum())


def vote_matrix(votes: StatementVotes) -> VoteMatrix:
    """Turn :class:`StatementVotes` into a :class:`VoteMatrix` (no copy of the columns)."""
    return VoteMatrix(
        rows=np.frombuffer(votes.voter, dtype=np.int32).astype(np.int64),
        cols=np.frombuffer(votes.statement, dtype=np.int32).astype(np.int64),
        values=np.frombuffer(votes.value, dtype=np.int8).astype(np.float64),
        n_participants=len(votes.participants),
        n_statements=len(votes.statements),
        moderated=np.array([s.moderated_out for s in votes.statements], dtype=bool),
    )
