"""Rules on the pairwise margin matrix: Copeland, minimax and Schulze."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from accord.analysis.voting.profile_arrays import ProfileArrays, Reading
from accord.analysis.voting.registry import RuleResult, ranked_by_score, rule
from accord.model.ballots import Profile


@rule(
    "copeland",
    title="Copeland",
    reads_unranked=True,
    condorcet_consistent=True,
    monotone=True,
    source="Copeland (1951); scores (1, 0, -1) as in pref-voting's copeland().",
)
def copeland(profile: Profile, arrays: ProfileArrays, reading: Reading) -> RuleResult:
    """score(c) = #{d : M(c, d) > 0} - #{d : M(d, c) > 0}; the highest scores win.

    >>> p = Profile.from_rankings(["a", "b", "c"], {"x": ["a", "b", "c"], "y": ["b", "a", "c"]})
    >>> from accord.analysis.voting.profile_arrays import profile_arrays
    >>> copeland(p, profile_arrays(p), "below").winners
    [0, 1]
    """
    margin = arrays.margin(reading)
    score = (margin > 0).sum(axis=1) - (margin < 0).sum(axis=1)
    winners, ranking = ranked_by_score(score, arrays.cands, absent=arrays.absent)
    scores = {int(arrays.cands[k]): float(score[k]) for k in range(arrays.m)}
    return RuleResult(winners, ranking, scores=scores)


@rule(
    "minimax",
    title="Minimax (Simpson-Kramer), margins",
    reads_unranked=True,
    condorcet_consistent=True,
    monotone=True,
    source="Simpson (1969), Kramer (1977); margins variant as in pref-voting's minimax().",
)
def minimax(profile: Profile, arrays: ProfileArrays, reading: Reading) -> RuleResult:
    """Elect the candidates whose worst defeat is smallest.

    loss(c) = max(0, max_d M(d, c)); the candidates with the smallest loss win, and the
    ranking orders candidates by loss.

    >>> p = Profile.from_rankings(["a", "b", "c"], {"x": ["a", "b", "c"], "y": ["b", "c", "a"],
    ...     "z": ["c", "a", "b"], "w": ["a", "c", "b"], "v": ["a", "b", "c"]})
    >>> from accord.analysis.voting.profile_arrays import profile_arrays
    >>> minimax(p, profile_arrays(p), "below").winners
    [0]
    """
    margin = arrays.margin(reading)
    loss = np.maximum(margin.max(axis=0, initial=0), 0)
    winners, ranking = ranked_by_score(
        loss, arrays.cands, higher_is_better=False, absent=arrays.absent
    )
    scores = {int(arrays.cands[k]): float(loss[k]) for k in range(arrays.m)}
    return RuleResult(winners, ranking, scores=scores)


def widest_paths(margin: NDArray[np.int64]) -> NDArray[np.int64]:
    """Strongest beat-path strengths by Floyd-Warshall on the positive margins.

    P(a, b) = max over majority paths a = x1 -> ... -> xn = b of min_i M(x_i, x_i+1), and 0
    when there is no such path (margins of majority edges are >= 1).  Schulze (2011),
    "A new monotonic, clone-independent, reversal symmetric, and Condorcet-consistent
    single-winner election method", Soc. Choice Welf. 36, section 2.3.

    >>> widest_paths(np.array([[0, 3, -5], [-3, 0, 7], [5, -7, 0]])).tolist()
    [[0, 3, 3], [5, 0, 7], [5, 3, 0]]
    """
    largest = int(np.abs(margin).max(initial=0))
    # The narrowest integer type that holds the margins halves or quarters memory traffic.
    dtype = np.int16 if largest < 2**15 else np.int32 if largest < 2**31 else np.int64
    paths = np.where(margin > 0, margin, 0).astype(dtype)
    through = np.empty_like(paths)
    for k in range(paths.shape[0]):
        np.minimum(paths[:, k : k + 1], paths[k : k + 1, :], out=through)
        np.maximum(paths, through, out=paths)
    np.fill_diagonal(paths, 0)
    return paths.astype(np.int64)


@rule(
    "schulze",
    title="Schulze (beat path), margins",
    reads_unranked=True,
    condorcet_consistent=True,
    monotone=True,
    source="Schulze, Soc. Choice Welf. 36 (2011) 267-303; as pref-voting's beat_path().",
)
def schulze(profile: Profile, arrays: ProfileArrays, reading: Reading) -> RuleResult:
    """a defeats b when P(a, b) > P(b, a) (strongest paths); the undefeated win.

    The ranking peels the undefeated repeatedly: winners, then the undefeated among the rest.

    >>> p = Profile.from_rankings(["a", "b", "c"], {"x": ["a", "b", "c"], "y": ["b", "c", "a"],
    ...     "z": ["c", "a", "b"], "w": ["a", "c", "b"], "v": ["a", "b", "c"]})
    >>> from accord.analysis.voting.profile_arrays import profile_arrays
    >>> schulze(p, profile_arrays(p), "below").ranking
    [[0], [1], [2]]
    """
    paths = arrays.derived("widest_paths", reading, widest_paths)
    defeats = paths > paths.T
    remaining = np.ones(arrays.m, dtype=bool)
    ranking: list[list[int]] = []
    while remaining.any():
        beaten = (defeats & remaining[:, None]).any(axis=0)
        tier = np.flatnonzero(remaining & ~beaten)
        ranking.append(sorted(int(arrays.cands[k]) for k in tier))
        remaining[tier] = False
    if arrays.absent:
        ranking.append(sorted(arrays.absent))
    winners = ranking[0] if ranking else []
    return RuleResult(winners, ranking)
