"""``XᵀX`` of the centred vote matrix: from scratch, sparse, and kept up to date."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.analysis.opinion import scatter as sc
from accord.analysis.opinion.matrix import FloatArray, IntArray, VoteMatrix
from accord.analysis.opinion.pca import scatter_matrix
from accord.analysis.opinion.scatter import ScatterSums, cross_product


def random_votes(
    rng: np.random.Generator, n: int, m: int, density: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    cells = np.flatnonzero(rng.random(n * m) < density)
    values = rng.choice([-1.0, 0.0, 1.0], size=len(cells))
    return cells // m, cells % m, values


def matrix_of(
    rows: np.ndarray, cols: np.ndarray, values: np.ndarray, n: int, moderated: np.ndarray
) -> VoteMatrix:
    return VoteMatrix(
        rows.astype(np.int64), cols.astype(np.int64), values, n, len(moderated), moderated
    )


def test_cross_product_sparse_path_matches_dense(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(3)
    rows, cols, values = random_votes(rng, 40, 12, 0.3)
    dense = cross_product(rows, cols, values, values, 40, 12)
    ones = np.ones(len(values))
    dense_mixed = cross_product(rows, cols, ones, values, 40, 12)
    monkeypatch.setattr(sc, "DENSE_CELLS", 0)
    np.testing.assert_allclose(cross_product(rows, cols, values, values, 40, 12), dense)
    np.testing.assert_allclose(cross_product(rows, cols, ones, values, 40, 12), dense_mixed)


Rows = tuple[IntArray, IntArray, FloatArray]


def apply_batch(
    state: dict[tuple[int, int], float], batch: list[tuple[int, int, float]]
) -> tuple[Rows, Rows]:
    """Apply ``batch`` to ``state``; the touched rows before and after, as ScatterSums wants."""
    touched = {i for i, _, _ in batch}

    def rows_of(cells: dict[tuple[int, int], float]) -> Rows:
        picked = [(i, j, v) for (i, j), v in cells.items() if i in touched]
        if not picked:
            return (np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0))
        i, j, v = zip(*picked, strict=True)
        return (np.array(i, np.int64), np.array(j, np.int64), np.array(v, float))

    before = rows_of(state)
    for i, j, v in batch:
        state[(i, j)] = v
    return before, rows_of(state)


def check_live_sums(seed: int, n: int, m: int, batches: int) -> None:
    rng = np.random.default_rng(seed)
    rows, cols, values = random_votes(rng, n, m, 0.4)
    moderated = rng.random(m) < 0.2
    state = {(int(i), int(j)): float(v) for i, j, v in zip(rows, cols, values, strict=True)}
    sums = ScatterSums.from_votes(rows, cols, values, n, m)
    for _ in range(batches):
        batch = [
            (int(rng.integers(0, n)), int(rng.integers(0, m)), float(rng.choice([-1, 0, 1])))
            for _ in range(int(rng.integers(1, 12)))
        ]
        before, after = apply_batch(state, batch)
        sums.replace_rows(before, after)
        keys = sorted(state)
        r = np.array([k[0] for k in keys], np.int64)
        c = np.array([k[1] for k in keys], np.int64)
        v = np.array([state[k] for k in keys])
        matrix = matrix_of(r, c, v, n, moderated)
        fresh = scatter_matrix(matrix, matrix.column_means())
        live = sums.scatter(matrix.column_means(), moderated)
        np.testing.assert_allclose(live, fresh, atol=1e-9)


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 2**31), st.integers(2, 15), st.integers(1, 9))
def test_scatter_sums_follow_votes_like_a_fresh_scatter(seed: int, n: int, m: int) -> None:
    check_live_sums(seed, n, m, batches=4)


@pytest.mark.parametrize("seed", range(6))
def test_scatter_sums_pair_path_matches_fresh_scatter(
    monkeypatch: pytest.MonkeyPatch, seed: int
) -> None:
    # Force the per-row outer products used when a batch touches many statements.
    monkeypatch.setattr(sc, "LOCAL_DENSE_FLOPS", 0)
    check_live_sums(seed, 12, 7, batches=5)


def test_scatter_sums_grow_for_new_statements() -> None:
    sums = ScatterSums.from_votes(np.array([0]), np.array([0]), np.array([1.0]), 2, 1)
    sums.grow(3)
    new = (np.array([1, 1]), np.array([0, 2]), np.array([-1.0, 1.0]))
    sums.replace_rows((np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0)), new)
    matrix = matrix_of(
        np.array([0, 1, 1]), np.array([0, 0, 2]), np.array([1.0, -1, 1]), 2, np.zeros(3, bool)
    )
    fresh = scatter_matrix(matrix, matrix.column_means())
    np.testing.assert_allclose(sums.scatter(matrix.column_means(), matrix.moderated), fresh)
