"""Live opinion map: add a batch of votes and update the map warm-started.

Polis recomputes a conversation on every batch of votes starting from the previous
state: the PCA power iteration starts from the previous components, k-means from the
previous base and group clusters recentred on their members (``clean-start-clusters``),
participants once clustered stay clustered, and the
number of groups changes only after the new best k held for 4 updates.
:class:`LiveOpinionMap` keeps that state between calls of :meth:`add_votes`, and the
sums behind the PCA's scatter matrix (:class:`~.scatter.ScatterSums`): a batch changes
only the rows of the participants who voted in it, so the PCA's input costs
``O(their votes² + statements²)`` per update instead of a pass over every vote.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Sequence

import numpy as np

from accord.analysis.opinion.mapping import (
    MapSettings,
    MapState,
    MapUpdate,
    assemble_map,
    update_map,
)
from accord.analysis.opinion.matrix import FloatArray, IntArray, VoteCounts, VoteMatrix
from accord.analysis.opinion.result import OpinionMap
from accord.analysis.opinion.scatter import ScatterSums
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

    def __init__(
        self,
        votes: StatementVotes,
        *,
        seed: int = 0,
        min_votes: int = 7,
        restarts: int = 1,
    ) -> None:
        self._settings = MapSettings(min_votes=min_votes, seed=seed, restarts=restarts)
        self._statements = list(votes.statements)
        self._statement_index = {s.id: j for j, s in enumerate(self._statements)}
        self._participants = list(votes.participants)
        self._participant_index = {p: i for i, p in enumerate(self._participants)}
        rows = np.frombuffer(votes.voter, dtype=np.int32).astype(np.int64)
        cols = np.frombuffer(votes.statement, dtype=np.int32).astype(np.int64)
        values = np.frombuffer(votes.value, dtype=np.int8).astype(np.float64)
        # The votes live in buffers with room to grow (a replay adds a few votes per
        # update to tens of thousands), the first ``_stored`` entries in use.
        self._stored = len(rows)
        self._rows_buf, self._cols_buf, self._values_buf = rows, cols, values
        # cell (participant, statement) -> position in the vote arrays, so a changed vote
        # overwrites in place; and each participant's positions, ascending.
        cells = zip(rows.tolist(), cols.tolist(), strict=True)
        self._cell = dict(zip(cells, range(len(rows)), strict=True))
        self._positions: dict[int, list[int]] = {}
        for at, i in enumerate(rows.tolist()):
            self._positions.setdefault(i, []).append(at)
        self._sums = ScatterSums.from_votes(
            rows, cols, values, len(self._participants), len(self._statements)
        )
        self._moderated = np.array([s.moderated_out for s in self._statements], dtype=bool)
        n_p, n_s = len(self._participants), len(self._statements)
        live = ~self._moderated[cols]
        self._per_statement = np.bincount(cols, minlength=n_s).astype(np.int64)
        self._sum_per_statement: FloatArray = np.asarray(
            np.bincount(cols, values, minlength=n_s), dtype=np.float64
        )
        self._per_participant = np.bincount(rows, minlength=n_p).astype(np.int64)
        self._live_per_participant = np.bincount(rows[live], minlength=n_p).astype(np.int64)
        self._notes = votes.notes
        self._frozen_votes: StatementVotes | None = None
        self._map: OpinionMap | None = None
        self._state = self._recompute(None)

    @property
    def _rows(self) -> IntArray:
        return self._rows_buf[: self._stored]

    @property
    def _cols(self) -> IntArray:
        return self._cols_buf[: self._stored]

    @property
    def _values(self) -> FloatArray:
        return self._values_buf[: self._stored]

    @property
    def state(self) -> MapState:
        return self._state

    @property
    def map(self) -> OpinionMap:
        """The current map, assembled from the last update when first read."""
        if self._map is None:
            votes, matrix, update = self._last
            self._map = assemble_map(votes, matrix, update)
        return self._map

    def add_votes(
        self,
        votes: Iterable[tuple[str, str, str | int]],
        *,
        statements: Sequence[Statement] = (),
    ) -> OpinionMap:
        """Add ``(participant, statement, vote)`` triples (latest vote wins) and update.

        New participants are welcome; new statements must be passed in ``statements``.
        The batch is checked as a whole: on any bad vote nothing is changed.
        """
        self.record_votes(votes, statements=statements)
        return self.map

    def record_votes(
        self,
        votes: Iterable[tuple[str, str, str | int]],
        *,
        statements: Sequence[Statement] = (),
    ) -> None:
        """:meth:`add_votes` without building the map: the update's clustering and
        state only (a history replay reads the map once, after its last update)."""
        for s in statements:
            if s.id in self._statement_index or any(
                t.id == s.id for t in statements[: statements.index(s)]
            ):
                raise InputError(f"statement '{s.id}' already exists")
        index = dict(self._statement_index)
        index.update({s.id: len(self._statements) + k for k, s in enumerate(statements)})
        cells, problems = _parse(votes, index)
        if problems:
            raise InputError.from_problems(problems)
        for s in statements:
            self._statement_index[s.id] = len(self._statements)
            self._statements.append(s)
        if statements:
            n = len(self._statements)
            self._sums.grow(n)
            extra = n - len(self._moderated)
            flags = np.array([s.moderated_out for s in statements], dtype=bool)
            self._moderated = np.concatenate([self._moderated, flags])
            self._per_statement = np.pad(self._per_statement, (0, extra))
            self._sum_per_statement = np.pad(self._sum_per_statement, (0, extra))
            self._frozen_votes = None
        # Later votes on the same cell overwrite earlier ones below (latest vote wins).
        n_before = len(self._participants)
        rows = [self._participant_number(pid) for pid, _, _ in cells]
        if len(self._participants) > n_before:
            extra = len(self._participants) - n_before
            self._per_participant = np.pad(self._per_participant, (0, extra))
            self._live_per_participant = np.pad(self._live_per_participant, (0, extra))
            self._frozen_votes = None
        touched = sorted(set(rows))
        # The touched participants' rows before the batch, for the scatter sums.
        before = np.asarray(
            sorted(at for i in touched for at in self._positions.get(i, ())), dtype=np.int64
        )
        old = (self._rows[before], self._cols[before], self._values[before])
        new_rows: list[int] = []
        new_cols: list[int] = []
        new_values: list[float] = []
        stored = self._stored
        changed: list[tuple[int, float]] = []  # (statement, new - old) of revised votes
        for i, (_, j, code) in zip(rows, cells, strict=True):
            at = self._cell.get((i, j))
            if at is not None and at < stored:
                changed.append((j, code - float(self._values_buf[at])))
                self._values_buf[at] = code
                continue
            if at is not None:
                # A cell first voted on earlier in this same batch.
                new_values[at - stored] = float(code)
                continue
            self._cell[(i, j)] = stored + len(new_rows)
            self._positions.setdefault(i, []).append(stored + len(new_rows))
            new_rows.append(i)
            new_cols.append(j)
            new_values.append(float(code))
        self._append(new_rows, new_cols, new_values)
        self._count(changed, new_rows, new_cols, new_values)
        after = np.concatenate([before, np.arange(stored, self._stored)])
        self._sums.replace_rows(old, (self._rows[after], self._cols[after], self._values[after]))
        self._state = self._recompute(self._state)

    def _append(self, rows: list[int], cols: list[int], values: list[float]) -> None:
        """Append new cells to the vote buffers, doubling them when full."""
        end = self._stored + len(rows)
        if end > len(self._rows_buf):
            size = max(end, 2 * len(self._rows_buf), 1024)
            for name in ("_rows_buf", "_cols_buf", "_values_buf"):
                old = getattr(self, name)
                grown = np.zeros(size, dtype=old.dtype)
                grown[: self._stored] = old[: self._stored]
                setattr(self, name, grown)
        self._rows_buf[self._stored : end] = rows
        self._cols_buf[self._stored : end] = cols
        self._values_buf[self._stored : end] = values
        self._stored = end

    def _count(
        self,
        changed: list[tuple[int, float]],
        rows: list[int],
        cols: list[int],
        values: list[float],
    ) -> None:
        """Keep the per-statement and per-participant counts of :class:`VoteCounts`."""
        for j, delta in changed:
            self._sum_per_statement[j] += delta
        if not rows:
            return
        r, c = np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64)
        np.add.at(self._per_statement, c, 1)
        np.add.at(self._sum_per_statement, c, np.asarray(values))
        np.add.at(self._per_participant, r, 1)
        np.add.at(self._live_per_participant, r[~self._moderated[c]], 1)

    def _participant_number(self, pid: str) -> int:
        i = self._participant_index.get(pid)
        if i is None:
            i = self._participant_index[pid] = len(self._participants)
            self._participants.append(pid)
        return i

    def _recompute(self, state: MapState | None) -> MapState:
        counts = VoteCounts(
            self._per_statement,
            self._sum_per_statement,
            self._per_participant,
            self._live_per_participant,
        )
        matrix = VoteMatrix(
            self._rows,
            self._cols,
            self._values,
            len(self._participants),
            len(self._statements),
            self._moderated,
            counts,
        )
        if self._frozen_votes is None:
            # Only the statements and participants are read from it; rebuilt when either
            # grows, not on every update.
            self._frozen_votes = StatementVotes(
                tuple(self._statements),
                tuple(self._participants),
                array("i"),
                array("i"),
                array("b"),
                notes=self._notes,
            )
        votes = self._frozen_votes
        if state is not None:
            state = _grown(state, len(self._participants), len(self._statements))
        scatter = self._sums.scatter(matrix.column_means(), matrix.moderated)
        update, new_state = update_map(votes, matrix, self._settings, state, scatter)
        self._last: tuple[StatementVotes, VoteMatrix, MapUpdate] = (votes, matrix, update)
        self._map = None
        return new_state


def _parse(
    votes: Iterable[tuple[str, str, str | int]], statement_index: dict[str, int]
) -> tuple[list[tuple[str, int, int]], list[Problem]]:
    """Check a batch: ``(participant, statement number, vote code)`` in batch order."""
    checked: list[tuple[str, int, int]] = []
    problems: list[Problem] = []
    for k, (pid, sid, raw) in enumerate(votes):
        where = Location(field=f"votes[{k}]")
        j = statement_index.get(sid)
        if j is None:
            known = statement_index
            problems.append(
                Problem(f"'{sid}' is not a statement id{did_you_mean(sid, known)}", where)
            )
            continue
        code = VOTE_WORDS.get(str(raw).strip().lower())
        if code is None:
            problems.append(Problem(f"vote {raw!r} is not one of agree, disagree, pass", where))
            continue
        checked.append((pid, j, code))
    return checked, problems


def _grown(state: MapState, n_participants: int, n_statements: int) -> MapState:
    """Pad the carried state for participants and statements that arrived since."""
    axes = state.axes
    if axes.shape[1] < n_statements:
        # Polis pads start vectors with ones for new comments (pca.clj power-iteration).
        axes = np.hstack([axes, np.ones((axes.shape[0], n_statements - axes.shape[1]))])
    inside = np.zeros(n_participants, dtype=bool)
    inside[: len(state.in_conv)] = state.in_conv
    return MapState(axes, inside, state.base_labels, state.group_labels, state.smoother)
