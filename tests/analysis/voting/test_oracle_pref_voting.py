"""Oracle: accord's winners equal pref-voting's on real PrefLib data, under both readings.

pref-voting's default PrefLib load is the ``uncompared`` reading; after
``use_extended_strict_preference()`` it is the ``below`` reading.  Plurality is compared with
``tops_scores(score_type="split")`` (pref-voting's ``plurality`` refuses tied first places),
approval with ``tops_scores(score_type="approval")`` on two-level files.  Where pref-voting's
exhaustive ranked pairs would run for minutes (``ranked_pairs_with_test`` returns None), the
tie-broken order is compared with ``ranked_pairs_tb``.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pytest

from accord.analysis.voting import vote
from accord.io.preflib import read_preflib

pv_readers = pytest.importorskip("pref_voting.io.readers")
from pref_voting.c1_methods import copeland  # noqa: E402
from pref_voting.iterative_methods import instant_runoff  # noqa: E402
from pref_voting.margin_based_methods import (  # noqa: E402
    beat_path,
    minimax,
    ranked_pairs_tb,
    ranked_pairs_with_test,
)
from pref_voting.scoring_methods import borda  # noqa: E402

TEST_DATA = Path(__file__).resolve().parents[2] / "data" / "preflib"
SAMPLE = sorted(p.name for p in TEST_DATA.glob("*.[st]o[ci]"))
SHARED = [
    "00001-00000002.soi",
    "00002-00000006.toc",
    "00005-00000002.toi",
    "00007-00000005.soi",
    "00009-00000002.soc",
    "00033-00000002.toc",
    "00052-00000029.soc",
]
READINGS = ["uncompared", "below"]


@cache
def oracle(path: str, reading: str) -> dict[str, Any]:
    profile = pv_readers.preflib_to_profile(path)
    if reading == "below":
        profile.use_extended_strict_preference()
    split = profile.tops_scores(score_type="split")
    best = max(split.values())
    expected: dict[str, Any] = {
        "plurality": [c for c, v in split.items() if abs(v - best) < 1e-9],
        "borda": borda(profile),
        "copeland": copeland(profile),
        "minimax": minimax(profile),
        "schulze": beat_path(profile),
        "irv": instant_runoff(profile),
        "ranked-pairs": ranked_pairs_with_test(profile),
        "ranked-pairs-tb": ranked_pairs_tb(profile),
    }
    if all(len(r.ranks) <= 2 for r in profile.rankings_counts[0]):
        approvals = profile.tops_scores(score_type="approval")
        top = max(approvals.values())
        expected["approval"] = [c for c, v in approvals.items() if v == top]
    return expected


def check_file(path: Path, reading: str) -> None:
    expected = oracle(str(path), reading)
    profile = read_preflib(path)
    for rule, winners in expected.items():
        if rule == "ranked-pairs-tb":
            continue
        if rule == "ranked-pairs" and winners is None:
            outcome = vote(profile, rule, unranked=reading)
            assert outcome.ranking is not None
            assert [int(outcome.ranking[0][0])] == expected["ranked-pairs-tb"], (path, reading)
            continue
        outcome = vote(profile, rule, unranked=reading)
        assert [int(c) for c in outcome.winners] == sorted(winners), (path.name, reading, rule)


@pytest.mark.parametrize("reading", READINGS)
@pytest.mark.parametrize("name", SAMPLE)
def test_sample_winners_match_pref_voting(name: str, reading: str) -> None:
    check_file(TEST_DATA / name, reading)


@pytest.mark.parametrize("reading", READINGS)
@pytest.mark.parametrize("name", SHARED)
def test_shared_winners_match_pref_voting(shared_data: Path, name: str, reading: str) -> None:
    path = shared_data / "preflib" / name
    if not path.exists():
        pytest.skip(f"{name} not in the shared data")
    check_file(path, reading)


def test_ranked_pairs_tie_broken_order_matches_ranked_pairs_tb(shared_data: Path) -> None:
    for path in sorted((shared_data / "preflib").glob("*.[st]o[ci]")):
        for reading in READINGS:
            outcome = vote(read_preflib(path), "ranked-pairs", unranked=reading)
            assert outcome.ranking is not None
            assert [int(outcome.ranking[0][0])] == oracle(str(path), reading)["ranked-pairs-tb"]


def test_known_anchors_burlington_and_dublin(shared_data: Path) -> None:
    burlington = read_preflib(shared_data / "preflib" / "00005-00000002.toi")
    assert vote(burlington, "irv").winners == ["1"]
    assert vote(burlington, "irv").condorcet_winner == "2"
    dublin = read_preflib(shared_data / "preflib" / "00001-00000002.soi")
    assert vote(dublin, "schulze").condorcet_winner == "5"
