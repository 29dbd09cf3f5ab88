"""The fast paths for many candidates against slow, obviously correct references.

Pairwise support (rank-vector comparison vs within-ballot pairs vs the definition), the
ranked-pairs lock (dynamic topological order vs a full closure per pair), the Smith set and
majority cycles (prefix test and peeling vs Warshall closure), strongest paths (narrow integer
Floyd-Warshall vs a plain triple loop), on seeded medium-sized random profiles.
"""

from __future__ import annotations

import numpy as np
import pytest

from accord.analysis.voting import condorcet as condorcet_module
from accord.analysis.voting import rule_robustness, vote
from accord.analysis.voting.condorcet import has_majority_cycle, smith_set_indices
from accord.analysis.voting.majority import widest_paths
from accord.analysis.voting.profile_arrays import _support, profile_arrays
from accord.analysis.voting.ranked_pairs import locked_order
from accord.model.ballots import Profile

Margin = np.ndarray


def random_profile(
    seed: int, candidates: int, ballots: int, *, complete: bool = False, tie_rate: float = 0.2
) -> Profile:
    """Ballots biased towards a common order (so margins repeat and cycles are rare but
    present), truncated and with ties unless ``complete``."""
    rng = np.random.default_rng(seed)
    rows = []
    for _ in range(ballots):
        noise = rng.normal(size=candidates) * 3 + np.arange(candidates) / candidates * 4
        order = [int(c) for c in np.argsort(noise)]
        length = candidates if complete else int(rng.integers(0, candidates + 1))
        tiers: list[list[int]] = []
        for c in order[:length]:
            if tiers and not complete and rng.random() < tie_rate:
                tiers[-1].append(c)
            else:
                tiers.append([c])
        rows.append(tuple(tuple(t) for t in tiers))
    counts = tuple(int(k) for k in rng.integers(1, 4, size=ballots))
    ids = tuple(f"c{k}" for k in range(candidates))
    return Profile(candidates=ids, ballots=tuple(rows), counts=counts)


def reference_support(profile: Profile, reading: str) -> Margin:
    m = profile.num_candidates
    support = np.zeros((m, m), dtype=np.int64)
    for ballot, count in zip(profile.ballots, profile.counts, strict=True):
        rank = np.full(m, len(ballot), dtype=np.int64)
        for t, tier in enumerate(ballot):
            rank[list(tier)] = t
        ranked = rank < len(ballot)
        above = rank[:, None] < rank[None, :]
        if reading == "uncompared":
            above &= ranked[None, :]
        support += count * above
    return support


def reference_locked_order(margin: Margin) -> list[int]:
    """Lock pairs one by one, keeping the full reflexive closure (cubic, but plainly right)."""
    m = margin.shape[0]
    pairs = [(a, b) for a in range(m) for b in range(m) if a != b and margin[a, b] >= 0]
    pairs.sort(key=lambda e: (-int(margin[e]), e[0], e[1]))
    reach = np.eye(m, dtype=bool)
    for a, b in pairs:
        if not reach[b, a]:
            reach |= np.outer(reach[:, a], reach[b, :])
    return sorted(range(m), key=lambda c: (-int(reach[c].sum()), c))


def warshall(relation: np.ndarray) -> np.ndarray:
    reach = relation.copy()
    for k in range(reach.shape[0]):
        reach |= reach[:, k : k + 1] & reach[k : k + 1, :]
    return reach


def reference_widest_paths(margin: Margin) -> Margin:
    m = margin.shape[0]
    paths = [[max(int(margin[a, b]), 0) for b in range(m)] for a in range(m)]
    for k in range(m):
        for a in range(m):
            for b in range(m):
                paths[a][b] = max(paths[a][b], min(paths[a][k], paths[k][b]))
    result = np.array(paths, dtype=np.int64)
    np.fill_diagonal(result, 0)
    return result


@pytest.mark.parametrize("reading", ["below", "uncompared"])
@pytest.mark.parametrize(("seed", "complete"), [(1, False), (2, True), (3, False)])
def test_support_methods_match_definition_on_medium_profile(
    seed: int, complete: bool, reading: str
) -> None:
    profile = random_profile(seed, 60, 45, complete=complete)
    arrays = profile_arrays(profile)
    expected = reference_support(profile, reading)
    np.fill_diagonal(expected, 0)
    for method in ("ranks", "pairs"):
        assert (_support(arrays, reading, method) == expected).all(), method  # type: ignore[arg-type]
    assert (arrays.support(reading) == expected).all()  # type: ignore[arg-type]


@pytest.mark.parametrize("reading", ["below", "uncompared"])
@pytest.mark.parametrize("seed", [4, 5, 6])
def test_locked_order_matches_closure_reference_on_medium_profile(seed: int, reading: str) -> None:
    arrays = profile_arrays(random_profile(seed, 70, 25, tie_rate=0.4))
    margin = arrays.margin(reading)  # type: ignore[arg-type]
    assert locked_order(margin) == reference_locked_order(margin)


def test_smith_set_and_cycles_match_warshall_on_random_margins() -> None:
    rng = np.random.default_rng(7)
    for trial in range(60):
        m = int(rng.integers(2, 90))
        upper = np.triu(rng.integers(-2, 3, size=(m, m)) * int(rng.integers(1, 4)), 1)
        if trial % 3 == 0:  # a strong common order: few or no cycles
            upper = np.triu(np.sign(upper + (np.arange(m)[None, :] - np.arange(m)[:, None])), 1)
        margin = upper - upper.T
        closure = warshall(margin >= 0)
        assert smith_set_indices(margin) == [int(c) for c in np.flatnonzero(closure.all(axis=1))]
        expected_cycle = bool(np.diagonal(warshall(margin > 0)).any())
        assert has_majority_cycle(margin) == expected_cycle


def test_cycle_peeling_matches_squaring(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(8)
    margins = []
    for _ in range(40):
        m = int(rng.integers(2, 30))
        upper = np.triu(rng.integers(-1, 2, size=(m, m)), 1)
        margins.append(upper - upper.T)
    squared = [has_majority_cycle(margin) for margin in margins]
    monkeypatch.setattr(condorcet_module, "_SQUARING_MAX", 0)
    assert [has_majority_cycle(margin) for margin in margins] == squared


def test_widest_paths_match_triple_loop_on_medium_profile() -> None:
    arrays = profile_arrays(random_profile(9, 35, 30))
    margin = arrays.margin("below")
    assert (widest_paths(margin) == reference_widest_paths(margin)).all()


def test_rule_robustness_on_many_complete_ballots_matches_references() -> None:
    # The analyze() shape (stakeholders ranking every option), scaled down to stay quick.
    profile = random_profile(10, 150, 60, complete=True)
    robustness = rule_robustness(profile)
    assert set(robustness.outcomes) >= {"borda", "schulze", "ranked-pairs", "irv"}
    arrays = profile_arrays(profile)
    margin = arrays.margin("below")
    expected_order = [profile.candidates[c] for c in reference_locked_order(margin)]
    ranked_pairs = vote(profile, "ranked-pairs")
    assert ranked_pairs.ranking == [[c] for c in expected_order]
    reference_margin = reference_support(profile, "below")
    reference_margin = reference_margin - reference_margin.T
    assert (margin == reference_margin).all()
    smith = [profile.candidates[c] for c in np.flatnonzero(warshall(margin >= 0).all(axis=1))]
    assert ranked_pairs.smith_set == smith
