"""The opinion map end to end: fidelity to Polis, edge cases, determinism, incremental."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from accord.analysis.opinion import LiveOpinionMap, opinion_map
from accord.io.polis import polis_groups, read_polis
from accord.model.statements import Statement, StatementVotes

SEATTLE = Path(__file__).resolve().parents[2] / "data" / "polis" / "15-per-hour-seattle"
CONVERSATIONS = [
    "15-per-hour-seattle",
    "london.youth.policing",
    "scoop-hivemind.biodiversity",
    "scoop-hivemind.ubi",
    "vtaiwan.uberx",
]


def adjusted_rand(a: list[int], b: list[int]) -> float:
    from sklearn.metrics import adjusted_rand_score

    return float(adjusted_rand_score(a, b))


def ari_vs_polis(folder: Path, groups: dict[str, int]) -> float:
    polis = polis_groups(folder)
    return adjusted_rand([polis[p] for p in polis], [groups.get(p, -1) for p in polis])


def two_camps(n: int = 6) -> StatementVotes:
    statements = [Statement(str(j), f"statement {j}") for j in range(4)]
    ballots: dict[str, dict[str, str | int]] = {}
    for i in range(n):
        ballots[f"p{i}"] = {"0": 1, "1": 1, "2": -1, "3": -1}
        ballots[f"q{i}"] = {"0": -1, "1": -1, "2": 1, "3": 1}
    return StatementVotes.from_mapping(statements, ballots)


def test_opinion_map_seattle_ari_floor() -> None:
    # Polis's own pipeline from scratch (first-distinct k-means starts in the row order
    # of its full recompute): ARI 0.563; red-dwarf 0.459 on the same data.
    result = opinion_map(read_polis(SEATTLE))
    assert ari_vs_polis(SEATTLE, result.participants) >= 0.55


def test_opinion_map_seattle_restarts_find_a_closer_split() -> None:
    # accord's option, not Polis's: the lowest-inertia group start lands nearer Polis's
    # exported split here (0.884) than Polis's own first-distinct start (0.563).
    votes = read_polis(SEATTLE)
    polis_start = ari_vs_polis(SEATTLE, opinion_map(votes).participants)
    restarted = ari_vs_polis(SEATTLE, opinion_map(votes, restarts=10, seed=0).participants)
    assert restarted >= 0.85 and restarted > polis_start


def test_opinion_map_follows_min_votes_rule() -> None:
    votes = read_polis(SEATTLE)
    result = opinion_map(votes)
    # Exactly the participants Polis clustered: those with at least 7 votes.
    assert set(result.participants) == set(polis_groups(SEATTLE))
    assert any("minimum-votes rule" in note for note in result.notes)


def test_opinion_map_is_deterministic() -> None:
    votes = read_polis(SEATTLE)
    first = json.dumps(asdict(opinion_map(votes, restarts=3, seed=7)), sort_keys=True)
    second = json.dumps(asdict(opinion_map(votes, restarts=3, seed=7)), sort_keys=True)
    assert first == second


def test_opinion_map_separates_planted_camps() -> None:
    result = opinion_map(two_camps())
    assert sorted(g.size for g in result.groups) == [6, 6]
    assert result.participants["p0"] != result.participants["q0"]
    assert {d.statement for d in result.divisive} == {"0", "1", "2", "3"}


def test_opinion_map_recovers_planted_groups_where_polis_start_fails(
    benchmark_module: Callable[[str], Any],
) -> None:
    # The benchmark's generator at 3,000 participants: on 2 of the first 20 seeds Polis's
    # first-distinct start stops in a degenerate optimum at k = 3 (one group spans two
    # planted ones, about 4x the sum of squares); the guard must catch each of them.
    planted_votes = benchmark_module("opinion").planted_votes
    guarded = 0
    for seed in range(20):
        votes, planted = planted_votes(3000, 150, 150_000, 3, seed=seed)
        result = opinion_map(votes)
        found = [result.participants.get(str(i), -1) for i in range(len(planted))]
        assert adjusted_rand(planted.tolist(), found) >= 0.9, seed
        guarded += any("degenerate optimum" in note for note in result.notes)
    assert guarded >= 2


def test_opinion_map_identical_votes_gives_one_group() -> None:
    statements = [Statement("a"), Statement("b")]
    ballots = {f"p{i}": {"a": "agree", "b": "agree"} for i in range(10)}
    result = opinion_map(StatementVotes.from_mapping(statements, ballots))
    assert [g.size for g in result.groups] == [10]
    assert any("identical votes" in note for note in result.notes)
    assert [c.statement for c in result.consensus] == ["a", "b"]
    _assert_no_nan(asdict(result))


def test_opinion_map_too_few_participants_gives_one_group() -> None:
    statements = [Statement("a"), Statement("b")]
    ballots: dict[str, dict[str, str | int]] = {"ann": {"a": 1, "b": -1}, "bob": {"a": -1}}
    result = opinion_map(StatementVotes.from_mapping(statements, ballots))
    assert [g.size for g in result.groups] == [2]
    assert any("fewer than 3" in note for note in result.notes)
    _assert_no_nan(asdict(result))


def test_opinion_map_no_votes_is_empty_not_nan() -> None:
    result = opinion_map(StatementVotes.from_mapping([Statement("a")], {}))
    assert result.groups == [] and result.participants == {}
    _assert_no_nan(asdict(result))


def test_opinion_map_moderated_statement_never_reported() -> None:
    votes = read_polis(SEATTLE)
    hidden = {s.id for s in votes.statements if s.moderated_out}
    result = opinion_map(votes)
    shown = {r.statement for g in result.groups for r in g.representative}
    shown |= {c.statement for c in result.consensus} | {d.statement for d in result.divisive}
    assert shown and not (shown & hidden)


def test_live_map_update_keeps_groups_and_adds_participant() -> None:
    live = LiveOpinionMap(two_camps())
    before = dict(live.map.participants)
    after = live.add_votes([("new", "0", "agree"), ("new", "1", "agree"), ("new", "2", -1)])
    assert after.participants["new"] == after.participants["p0"]
    assert all(after.participants[p] == g for p, g in before.items())


def test_live_map_rejects_unknown_statement() -> None:
    from accord.errors import InputError

    live = LiveOpinionMap(two_camps())
    with pytest.raises(InputError, match=r"votes\[0\]: 'zz' is not a statement id"):
        live.add_votes([("new", "zz", "agree")])


@pytest.mark.parametrize("name", CONVERSATIONS)
def test_opinion_map_ari_at_least_red_dwarf(shared_data: Path, name: str) -> None:
    folder = shared_data / "polis" / name
    ours = ari_vs_polis(folder, opinion_map(read_polis(folder)).participants)
    theirs = ari_vs_polis(folder, red_dwarf_groups(folder))
    # London (24 participants): Polis's 18/3/3 split is not a k-means optimum of the map
    # of its final votes and came from an interrupted update history (a participant the
    # greedy rule must have kept has no group); see docs/opinion-map.md and
    # `benchmarks/opinion.py --london`.
    if name == "london.youth.policing":
        pytest.xfail("history-dependent Polis split; accord -0.02 vs red-dwarf 0.12")
    assert ours >= theirs - 1e-9


def red_dwarf_groups(folder: Path) -> dict[str, int]:
    """red-dwarf's groups on the same latest votes, with the same moderation."""
    import warnings

    with warnings.catch_warnings():
        # red-dwarf's pydantic models warn on import; that is the peer's business.
        warnings.simplefilter("ignore")
        from reddwarf.implementations.polis import run_pipeline

    votes = read_polis(folder)
    records = [
        {
            "participant_id": int(votes.participants[p]),
            "statement_id": int(votes.statements[s].id),
            "vote": int(v),
            "modified": int(t),
        }
        for p, s, v, t in zip(
            votes.voter, votes.statement, votes.value, votes.timestamp, strict=True
        )
    ]
    hidden = [int(s.id) for s in votes.statements if s.moderated_out]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = run_pipeline(votes=records, mod_out_statement_ids=hidden, random_state=0)
    labels = result.participants_df["cluster_id"].dropna()
    return {str(p): int(g) for p, g in labels.items()}


def _assert_no_nan(value: object) -> None:
    if isinstance(value, float):
        assert math.isfinite(value)
    elif isinstance(value, dict):
        for v in value.values():
            _assert_no_nan(v)
    elif isinstance(value, list | tuple):
        for v in value:
            _assert_no_nan(v)
    elif isinstance(value, np.generic):
        raise AssertionError(f"numpy scalar leaked into the result: {value!r}")


def test_live_map_bad_batch_changes_nothing() -> None:
    from accord.errors import InputError

    live = LiveOpinionMap(two_camps())
    before = asdict(live.map)
    with pytest.raises(InputError, match=r"votes\[1\]: vote 'maybe' is not one of"):
        live.add_votes([("newcomer", "0", "agree"), ("p0", "1", "maybe")])
    assert asdict(live.map) == before
    after = live.add_votes([("p0", "1", "agree")])
    assert "newcomer" not in after.coordinates


def test_live_map_later_vote_in_a_batch_wins() -> None:
    live = LiveOpinionMap(two_camps())
    votes = [("new", s, "agree") for s in "0123"] + [("new", s, "disagree") for s in "23"]
    result = live.add_votes(votes)
    assert result.participants["new"] == result.participants["p0"]


def test_live_map_accepts_new_statements() -> None:
    live = LiveOpinionMap(two_camps())
    result = live.add_votes(
        [("p0", "4", "agree"), ("q0", "4", "disagree")], statements=[Statement("4", "new")]
    )
    assert "4" in result.statement_coordinates


def test_live_map_in_batches_finds_the_groups_of_a_fresh_map() -> None:
    # A clear split: warm-started updates must land where a fresh map of all votes does.
    rng = np.random.default_rng(5)
    n, m = 300, 20
    camp = rng.integers(0, 3, n)
    lean = rng.choice([-1, 1], size=(3, m))
    cells = [(i, j) for i in range(n) for j in range(m) if rng.random() < 0.6]
    rng.shuffle(cells)
    statements = [Statement(str(j)) for j in range(m)]

    def vote(i: int, j: int) -> int:
        return int(lean[camp[i], j] if rng.random() < 0.85 else -lean[camp[i], j])

    triples = [(f"p{i}", str(j), vote(i, j)) for i, j in cells]
    head, tail = triples[: len(triples) // 2], triples[len(triples) // 2 :]
    ballots: dict[str, dict[str, str | int]] = {}
    for pid, sid, v in head:
        ballots.setdefault(pid, {})[sid] = v
    live = LiveOpinionMap(StatementVotes.from_mapping(statements, ballots))
    for lo in range(0, len(tail), 100):
        result = live.add_votes(tail[lo : lo + 100])
    everyone: dict[str, dict[str, str | int]] = {}
    for pid, sid, v in triples:
        everyone.setdefault(pid, {})[sid] = v
    fresh = opinion_map(StatementVotes.from_mapping(statements, everyone))
    assert set(result.participants) == set(fresh.participants)
    common = sorted(fresh.participants)
    agreement = adjusted_rand(
        [fresh.participants[p] for p in common], [result.participants[p] for p in common]
    )
    assert agreement >= 0.95


def test_opinion_map_same_axes_through_scipy_eigensolver(monkeypatch: pytest.MonkeyPatch) -> None:
    from accord.analysis.opinion import pca

    votes = read_polis(SEATTLE)
    small = opinion_map(votes)
    monkeypatch.setattr(pca, "FULL_EIGH_STATEMENTS", 0)
    large = opinion_map(votes)
    assert large.participants == small.participants
    for pid, xy in small.coordinates.items():
        assert large.coordinates[pid] == pytest.approx(xy, abs=1e-9)


def test_opinion_map_loads_no_scipy_or_sklearn_for_a_small_conversation() -> None:
    # Process start dominates `accord map` on real conversations: keep heavy imports off it.
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from accord import read_polis, opinion_map\n"
        f"opinion_map(read_polis({str(SEATTLE)!r}))\n"
        "print(sorted(m for m in ('scipy', 'sklearn') if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == "[]"
