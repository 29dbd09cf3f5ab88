"""Goal conflicts: measured on each stakeholder's own utilities, with shared preferences."""

from __future__ import annotations

import numpy as np

from accord.analysis.crux.conflict import goal_conflicts, spearman


def test_inverse_stakeholders_conflict_but_share_a_criterion() -> None:
    r = np.array([[1.0, 0.0, 0.9], [0.0, 1.0, 0.8], [0.5, 0.5, 0.1], [0.6, 0.4, 0.2]])
    w = np.array([[0.6, 0.0, 0.4], [0.0, 0.6, 0.4]])
    (c,) = goal_conflicts(
        np.stack([r, r]), w, [(0, 1)], segments=["smb", "enterprise", None],
        horizons=["FY27", "FY27", "FY27"],
    )  # fmt: skip
    assert c.overall.verdict == "conflict"
    by_key = {(v.scope, v.key): v.verdict for v in c.views}
    assert by_key[("criterion", "2")] == "agree"
    assert by_key[("criterion", "0")] == "conflict" and by_key[("criterion", "1")] == "conflict"
    # Each segment has one criterion: nothing to compare, so it is not reported.
    assert ("segment", "smb") not in by_key
    assert by_key[("horizon", "FY27")] == "conflict"


def test_a_scope_that_cannot_differ_is_not_reported() -> None:
    r = np.array([[1.0, 0.2], [0.0, 0.9], [0.5, 0.4]])
    w = np.array([[0.7, 0.3], [0.7, 0.3]])
    (c,) = goal_conflicts(np.stack([r, r]), w, [(0, 1)], horizons=["FY27", "FY27"])
    assert not [v for v in c.views if v.scope == "horizon"]  # same lens, same weights


def test_opposed_stakeholders_are_told_the_pairs_they_still_share() -> None:
    # rho = -0.8 over five options, yet both put C above B.
    u1 = np.array([5.0, 1.0, 2.0, 3.0, 4.0])
    u2 = np.array([1.0, 3.0, 4.0, 2.0, 0.0])
    r = np.stack([u1, u2])[:, :, None] / 5
    (c,) = goal_conflicts(r, np.array([[1.0], [1.0]]), [(0, 1)])
    assert c.overall.correlation is not None and c.overall.correlation < -0.3
    assert (2, 1) in c.shared and c.shared_count >= 1 and c.comparisons == 10


def test_spearman_constant_vector_is_undefined_not_a_warning() -> None:
    assert spearman(np.array([1.0, 1.0]), np.array([1.0, 2.0])) is None
    assert spearman(np.array([1.0, 2.0, 3.0]), np.array([2.0, 4.0, 9.0])) == 1.0
