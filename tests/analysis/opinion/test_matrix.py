"""The vote matrix: Polis's row order after a full recompute."""

from __future__ import annotations

import csv
from array import array
from pathlib import Path

import numpy as np

from accord.analysis.opinion import opinion_map
from accord.analysis.opinion.mapping import participant_ranks
from accord.analysis.opinion.matrix import vote_matrix
from accord.io.polis import read_polis
from accord.model.statements import StatementVotes

SEATTLE = Path(__file__).resolve().parents[2] / "data" / "polis" / "15-per-hour-seattle"


def test_recompute_row_order_matches_polis_export_rows() -> None:
    # Polis builds participants-votes.csv from the votes in the same (tid, pid, created)
    # order its math reads them in on a recompute, so the export's rows are the oracle.
    votes = read_polis(SEATTLE)
    order = vote_matrix(votes).recompute_row_order(participant_ranks(votes.participants))
    with open(SEATTLE / "participants-votes.csv", newline="") as f:
        exported = [row[0] for row in csv.reader(f)][1:]
    assert [votes.participants[i] for i in order] == exported
    # The order of first votes in time, which accord used before, is a different one.
    assert list(votes.participants) != exported


def test_fresh_map_does_not_depend_on_input_participant_order() -> None:
    votes = read_polis(SEATTLE)
    rng = np.random.default_rng(3)
    shuffled = rng.permutation(len(votes.participants))
    renumber = np.empty_like(shuffled)
    renumber[shuffled] = np.arange(len(shuffled))
    voter = renumber[np.frombuffer(votes.voter, dtype=np.int32)].astype(np.int32)
    permuted = StatementVotes(
        votes.statements,
        tuple(votes.participants[i] for i in shuffled),
        array("i", voter.tobytes()),
        votes.statement,
        votes.value,
        votes.timestamp,
    )
    assert opinion_map(permuted).participants == opinion_map(votes).participants


def test_participant_ranks_fall_back_to_input_order_for_names() -> None:
    assert participant_ranks(["2", "10", "1"]).tolist() == [1, 2, 0]
    assert participant_ranks(["2", "ann", "1"]).tolist() == [0, 1, 2]
