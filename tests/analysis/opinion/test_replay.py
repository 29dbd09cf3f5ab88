"""History replay: time order, Polis's poll batches, and the fresh fallback said."""

from __future__ import annotations

import math
from array import array

import numpy as np
import pytest

from accord.analysis.opinion import incremental, mapping, opinion_map
from accord.analysis.opinion.mapping import MapUpdate
from accord.analysis.opinion.matrix import VoteMatrix
from accord.analysis.opinion.replay import POLL_INTERVAL_MS, replay_map
from accord.analysis.opinion.result import OpinionMap
from accord.model.statements import Statement, StatementVotes


def two_camps(stamps: list[int] | None, *, shuffle: int | None = None) -> StatementVotes:
    """12 participants in two camps on 8 statements, 96 votes, optionally timestamped."""
    statements = tuple(Statement(str(j)) for j in range(8))
    cells = [(i, j, 1 if (i < 6) == (j < 4) else -1) for i in range(12) for j in range(8)]
    order = list(range(len(cells)))
    if shuffle is not None:
        order = np.random.default_rng(shuffle).permutation(len(cells)).tolist()
    return StatementVotes(
        statements,
        tuple(str(i) for i in range(12)),
        array("i", [cells[k][0] for k in order]),
        array("i", [cells[k][1] for k in order]),
        array("b", [cells[k][2] for k in order]),
        array("q", [] if stamps is None else [stamps[k] for k in order]),
    )


def spaced(n: int, step_ms: int = 5_000, start: int = 1_400_000_000_000) -> list[int]:
    return [start + step_ms * k for k in range(n)]


def test_without_timestamps_the_fresh_map_is_used_and_said() -> None:
    votes = two_camps(None)
    result = replay_map(votes)
    assert (result.mode, result.updates) == ("fresh", 0)
    assert result.reason == "the votes have no timestamps"
    assert result.map.participants == opinion_map(votes).participants


def test_partly_timestamped_votes_fall_back_and_say_how_many() -> None:
    stamps = spaced(96)
    stamps[3] = 0
    result = replay_map(two_camps(stamps))
    assert result.mode == "fresh"
    assert result.reason.startswith("1 of 96 votes have no timestamp")


def test_one_update_per_poll_window() -> None:
    # Votes 5 s apart: each is its own poll; 400 ms apart: 2-3 per 1 s poll.
    assert replay_map(two_camps(spaced(96))).updates == 96
    dense = replay_map(two_camps(spaced(96, step_ms=400)))
    assert dense.updates == math.ceil(96 * 400 / POLL_INTERVAL_MS)
    assert dense.mode == "replayed" and "updates of 1000 ms polls" in dense.reason


def test_file_order_does_not_matter_and_is_said() -> None:
    stamps = spaced(96)
    ordered = replay_map(two_camps(stamps))
    shuffled = replay_map(two_camps(stamps, shuffle=1))
    assert shuffled.map.participants == ordered.map.participants
    assert sorted(g.size for g in shuffled.map.groups) == [6, 6]
    assert any("out of time order" in n for n in shuffled.map.notes)
    assert not any("out of time order" in n for n in ordered.map.notes)


def test_duplicate_timestamps_are_said_and_give_numbers() -> None:
    stamps = [1_400_000_000_000 + 1000 * (k // 3) for k in range(96)]
    result = replay_map(two_camps(stamps))
    assert any("32 votes share" in n or "share a timestamp" in n for n in result.map.notes)
    coords = [x for xy in result.map.coordinates.values() for x in xy]
    assert coords and all(math.isfinite(x) for x in coords)


def test_moderated_statements_are_said() -> None:
    votes = two_camps(spaced(96))
    moderated = (Statement("0", moderated_out=True), *votes.statements[1:])
    votes = StatementVotes(
        moderated, votes.participants, votes.voter, votes.statement, votes.value, votes.timestamp
    )
    result = replay_map(votes)
    assert result.mode == "replayed"
    assert any("1 statements moderated out" in n for n in result.map.notes)


def test_early_voters_stay_grouped_as_in_polis() -> None:
    # Polis's in-conv threshold is min(7, n-cmts), n-cmts being the statements voted on so
    # far (matrix.py n_columns); once in, always in (incremental.py).  Twenty participants
    # who voted on the only two statements voted on then stay grouped with two votes each
    # (the greedy top-up alone would keep 15); a fresh map over the final votes drops them.
    statements = tuple(Statement(str(j)) for j in range(8))
    cells = [(16 + e, j, 1 if e % 2 else -1) for e in range(20) for j in range(2)]
    cells += [(i, j, 1 if (i < 8) == (j < 4) else -1) for i in range(16) for j in range(8)]
    votes = StatementVotes(
        statements,
        tuple(str(i) for i in range(36)),
        array("i", [c[0] for c in cells]),
        array("i", [c[1] for c in cells]),
        array("b", [c[2] for c in cells]),
        array("q", spaced(len(cells))),
    )
    early = {str(16 + e) for e in range(20)}
    assert not early & set(opinion_map(votes).participants)
    replayed = replay_map(votes)
    assert early <= set(replayed.map.participants)
    assert len(replayed.map.participants) == 36


def test_replay_builds_the_map_once_and_it_equals_a_map_built_every_update(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The replay records every update's clustering but assembles the map (statement
    # statistics, participant tables) only when read: the result must be the one a live
    # map that assembled after every batch would show.
    votes = two_camps(spaced(96, step_ms=700), shuffle=3)
    calls = 0
    real = mapping.assemble_map

    def counting(votes: StatementVotes, matrix: VoteMatrix, update: MapUpdate) -> OpinionMap:
        nonlocal calls
        calls += 1
        return real(votes, matrix, update)

    monkeypatch.setattr(incremental, "assemble_map", counting)
    result = replay_map(votes)
    assert result.updates > 1 and calls == 1

    live = incremental.LiveOpinionMap(StatementVotes((), (), array("i"), array("i"), array("b")))
    stamps = np.frombuffer(votes.timestamp, dtype=np.int64)
    ids = [s.id for s in votes.statements]
    order = np.argsort(stamps, kind="stable")
    seen: set[int] = set()
    window = (stamps[order] - stamps[order[0]]) // POLL_INTERVAL_MS
    for batch in np.split(order, np.flatnonzero(np.diff(window)) + 1):
        polled = batch[
            np.lexsort(
                (stamps[batch], np.asarray(votes.voter)[batch], np.asarray(votes.statement)[batch])
            )
        ]
        new = [
            j for j in dict.fromkeys(np.asarray(votes.statement)[polled].tolist()) if j not in seen
        ]
        seen.update(new)
        every = live.add_votes(
            [
                (votes.participants[votes.voter[k]], ids[votes.statement[k]], votes.value[k])
                for k in polled.tolist()
            ],
            statements=[votes.statements[j] for j in new],
        )
    assert every.participants == result.map.participants
    assert every.coordinates == result.map.coordinates
    assert [c.statement for c in every.consensus] == [c.statement for c in result.map.consensus]


def test_replay_honours_restarts() -> None:
    votes = two_camps(spaced(96))
    assert replay_map(votes).map.parameters["restarts"] == 1
    assert replay_map(votes, restarts=4).map.parameters["restarts"] == 4
    fresh = replay_map(two_camps(None), restarts=4)
    assert fresh.mode == "fresh" and fresh.map.parameters["restarts"] == 4
