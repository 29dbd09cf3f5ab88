"""Live opinion map: add a batch of votes and update the map warm-started.

Polis recomputes a conversation on every batch of votes starting from the previous
state: the PCA power iteration starts from the previous components, k-means from the
previous base and group centres, participants once clustered stay clustered, and the
number of groups changes only after the new best k held for 4 updates.
:class:`LiveOpinionMap` keeps that state between calls of :meth:`add_votes`.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Sequence

import numpy as np

from accord.analysis.opinion.mapping import MapSettings, MapState, build_map
from accord.analysis.opinion.matrix import VoteMatrix
from accord.analysis.opinion.result import OpinionMap
from accord.errors import InputError, Location, Problem, did_you_mean
from accord.model.statements import VOTE_WORDS, Statement, StatementVotes


class LiveOpinionMap:
    """An opinion map that is updated, not recomputed, when votes arrive.

    >>> from accord.model.statements import Statement
    >>> s = [Statement(str(j)) for j in range(4)]
    >>> ballots = {f"p{i}": {"0": 1, "1": 1, "2": -1, "3": -1} for i in range(6)}
    >>> ballots |= {f"q{i}": {"0": -1, "1": -1, "2": 1, "3": 1} for i in range(6)}
    >>> live = LiveOpinionMap(StatementVotes.from_mapping(s, ballots))
    >>> m = live.add_votes([("new", "0", "agree"), ("new", "1", 1), ("new", "2", -1)])
    >>> m.parameters["n_clustered"], "new" in m.coordinates
    (13, True)
    """

    def __init__(self, votes: StatementVotes, *, seed: int = 0, min_votes: int = 7) -> None:
        self._settings = MapSettings(min_votes=min_votes, seed=seed)
        self._statements = list(votes.statements)
        self._statement_index = {s.id: j for j, s in enumerate(self._statements)}
        self._participants = list(votes.participants)
        self._participant_index = {p: i for i, p in enumerate(self._participants)}
        n = max(len(self._statements), 1)
        rows = np.frombuffer(votes.voter, dtype=np.int32).astype(np.int64)
        cols = np.frombuffer(votes.statement, dtype=np.int32).astype(np.int64)
        values = np.frombuffer(votes.value, dtype=np.int8).astype(np.float64)
        # cell key -> position in the vote arrays, so a changed vote overwrites in place.
        self._rows, self._cols, self._values = rows, cols, values
        self._cell = dict(zip((rows * n + cols).tolist(), range(len(rows)), strict=True))
        self._notes = votes.notes
        self.map, self._state = self._recompute(None)

    @property
    def state(self) -> MapState:
        return self._state

    def add_votes(
        self,
        votes: Iterable[tuple[str, str, str | int]],
        *,
        statements: Sequence[Statement] = (),
    ) -> OpinionMap:
        """Add ``(participant, statement, vote)`` triples (latest vote wins) and update.

        New participants are welcome; new statements must be passed in ``statements``.
        """
        for s in statements:
            if s.id in self._statement_index:
                raise InputError(f"statement '{s.id}' already exists")
            self._statement_index[s.id] = len(self._statements)
            self._statements.append(s)
        n = len(self._statements)
        if statements:
            # Cell keys depend on the statement count: rebuild them.
            keys = (self._rows * n + self._cols).tolist()
            self._cell = dict(zip(keys, range(len(keys)), strict=True))
        new_rows: list[int] = []
        new_cols: list[int] = []
        new_values: list[float] = []
        problems: list[Problem] = []
        for k, (pid, sid, raw) in enumerate(votes):
            where = Location(field=f"votes[{k}]")
            j = self._statement_index.get(sid)
            if j is None:
                known = self._statement_index
                problems.append(
                    Problem(f"'{sid}' is not a statement id{did_you_mean(sid, known)}", where)
                )
                continue
            code = VOTE_WORDS.get(str(raw).strip().lower())
            if code is None:
                problems.append(Problem(f"vote {raw!r} is not one of agree, disagree, pass", where))
                continue
            i = self._participant_index.get(pid)
            if i is None:
                i = self._participant_index[pid] = len(self._participants)
                self._participants.append(pid)
            at = self._cell.get(i * n + j)
            if at is not None:
                self._values[at] = code
                continue
            self._cell[i * n + j] = len(self._rows) + len(new_rows)
            new_rows.append(i)
            new_cols.append(j)
            new_values.append(float(code))
        if problems:
            raise InputError.from_problems(problems)
        self._rows = np.concatenate([self._rows, np.asarray(new_rows, dtype=np.int64)])
        self._cols = np.concatenate([self._cols, np.asarray(new_cols, dtype=np.int64)])
        self._values = np.concatenate([self._values, np.asarray(new_values)])
        self.map, self._state = self._recompute(self._state)
        return self.map

    def _recompute(self, state: MapState | None) -> tuple[OpinionMap, MapState]:
        matrix = VoteMatrix(
            self._rows,
            self._cols,
            self._values,
            len(self._participants),
            len(self._statements),
            np.array([s.moderated_out for s in self._statements], dtype=bool),
        )
        votes = StatementVotes(
            tuple(self._statements),
            tuple(self._participants),
            array("i"),
            array("i"),
            array("b"),
            notes=self._notes,
        )
        if state is not None:
            state = _grown(state, len(self._participants), len(self._statements))
        return build_map(votes, matrix, self._settings, state)


def _grown(state: MapState, n_participants: int, n_statements: int) -> MapState:
    """Pad the carried state for participants and statements that arrived since."""
    axes = state.axes
    if axes.shape[1] < n_statements:
        # Polis pads start vectors with ones for new comments (pca.clj power-iteration).
        axes = np.hstack([axes, np.ones((axes.shape[0], n_statements - axes.shape[1]))])
    inside = np.zeros(n_participants, dtype=bool)
    inside[: len(state.in_conv)] = state.in_conv
    return MapState(axes, inside, state.base_centres, state.group_centres, state.smoother)
