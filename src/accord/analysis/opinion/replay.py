"""History replay: rebuild the map as Polis built it, one poll of votes at a time.

Polis's groups are the product of its update history, not of one recompute over the final
votes: the number of groups changes only after a new k won several updates in a row, a
participant once clustered stays clustered, and k-means starts from the previous update's
clusters.  :class:`~.incremental.LiveOpinionMap` carries exactly that state between updates
(constants and their Polis sources are in that module and in :mod:`.clusters`); this module
feeds it the export's votes in time order, in the batches Polis's poller would have read.

Cadence: polismath's vote poller reads new votes every ``polling-interval`` milliseconds
(``math/src/polismath/components/config.clj``, ``:poller {:votes {:polling-interval 1000}}``)
and ``conv_man.clj`` (``take-all!`` in the conversation's message loop) folds every queued
batch into one ``conv-update``.  A replay batch is therefore the votes of one
:data:`POLL_INTERVAL_MS` window, counted from the first vote.  An update that took Polis
longer than the interval would have merged further windows; the export does not say how
long updates took, so that merging cannot be rebuilt (a documented limit).
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass, replace
from typing import Literal

import numpy as np

from accord.analysis.opinion.clusters import RESTARTS
from accord.analysis.opinion.incremental import LiveOpinionMap
from accord.analysis.opinion.mapping import MIN_VOTES, participant_ranks
from accord.analysis.opinion.result import OpinionMap
from accord.model.statements import StatementVotes

#: polismath ``components/config.clj``: ``:poller {:votes {:polling-interval 1000}}`` (ms).
POLL_INTERVAL_MS = 1000

Mode = Literal["replayed", "fresh"]


@dataclass(frozen=True)
class ReplayedMap:
    """The map, which mode produced it and why (said in the output)."""

    map: OpinionMap
    mode: Mode
    reason: str
    updates: int


def replay_map(
    votes: StatementVotes,
    *,
    seed: int = 0,
    min_votes: int = MIN_VOTES,
    restarts: int = RESTARTS,
    interval_ms: int = POLL_INTERVAL_MS,
) -> ReplayedMap:
    """Replay ``votes`` in time order at Polis's poll cadence; fresh map without timestamps.

    Votes out of file order are sorted by time (stable: equal timestamps keep file order,
    as Polis's poller reads rows with equal ``created`` in insertion order).  The export
    keeps each participant's latest vote per statement, so a vote later changed enters
    the replay once, at the time of its latest value.

    >>> from accord.model.statements import Statement
    >>> s = [Statement("0"), Statement("1")]
    >>> r = replay_map(StatementVotes.from_mapping(s, {"a": {"0": 1}, "b": {"1": -1}}))
    >>> r.mode, r.reason
    ('fresh', 'the votes have no timestamps')
    """
    from accord.analysis.opinion import opinion_map

    if interval_ms < 1:
        raise ValueError("interval_ms must be at least 1")
    stamps = np.frombuffer(votes.timestamp, dtype=np.int64) if votes.timestamp else None
    missing = 0 if stamps is None else int((stamps <= 0).sum())
    if stamps is None or votes.n_votes == 0 or missing == votes.n_votes:
        fresh = opinion_map(votes, seed=seed, min_votes=min_votes, restarts=restarts)
        return ReplayedMap(fresh, "fresh", "the votes have no timestamps", 0)
    if missing:
        fresh = opinion_map(votes, seed=seed, min_votes=min_votes, restarts=restarts)
        reason = f"{missing} of {votes.n_votes} votes have no timestamp, so their order is unknown"
        return ReplayedMap(fresh, "fresh", reason, 0)

    order = np.argsort(stamps, kind="stable")
    notes: list[str] = []
    out_of_order = int((np.diff(stamps) < 0).sum())
    if out_of_order:
        notes.append(f"{out_of_order} votes were out of time order in the file: replayed by time")
    duplicates = votes.n_votes - int(np.unique(stamps).size)
    if duplicates:
        notes.append(f"{duplicates} votes share a timestamp with another: replayed in file order")
    moderated = sum(s.moderated_out for s in votes.statements)
    if moderated:
        # The export says a statement was moderated out, not when: the replay leaves it out
        # of every update, where Polis counted it until the moderation.
        notes.append(
            f"{moderated} statements moderated out: left out of every replayed update "
            "(the export does not say when they were moderated)"
        )
    window = (stamps[order] - stamps[order[0]]) // interval_ms
    batches = np.split(order, np.flatnonzero(np.diff(window)) + 1)

    voter = np.frombuffer(votes.voter, dtype=np.int32)
    column = np.frombuffer(votes.statement, dtype=np.int32)
    value = np.frombuffer(votes.value, dtype=np.int8)
    rank = participant_ranks(votes.participants)
    ids = [s.id for s in votes.statements]
    # A statement joins the matrix with its first vote, as a column of Polis's named rating
    # matrix does, so the columns (and with them k-means's first-distinct starts and the PCA
    # start vectors) are in Polis's order, not the export's.
    empty = StatementVotes((), (), array("i"), array("i"), array("b"))
    live = LiveOpinionMap(empty, seed=seed, min_votes=min_votes, restarts=restarts)
    seen = np.zeros(len(ids), dtype=bool)
    for batch in batches:
        # Polis reads a poll's votes ordered by (tid, pid, created) (postgres.clj conv-poll):
        # that order decides which new participant and statement are numbered first.
        polled = batch[np.lexsort((stamps[batch], rank[voter[batch]], column[batch]))]
        new = [int(j) for j in dict.fromkeys(column[polled].tolist()) if not seen[j]]
        seen[new] = True
        live.record_votes(
            (
                (votes.participants[voter[k]], ids[column[k]], int(value[k]))
                for k in polled.tolist()
            ),
            statements=[votes.statements[j] for j in new],
        )
    result = live.map
    replayed = replace(result, notes=[*result.notes, *notes])
    reason = f"the votes are timestamped: {len(batches)} updates of {interval_ms} ms polls"
    return ReplayedMap(replayed, "replayed", reason, len(batches))
