"""Polis's PCA with missing votes, and its sparsity-aware projection.

Method (polismath ``math/pca.clj`` and ``conversation.clj``):

1. Impute every missing vote with its statement's mean vote, then centre the columns.
   The centred matrix is zero on imputed cells, so it is the sparse matrix
   ``X[i, j] = v_ij - mean_j`` on voted cells (see :mod:`.matrix`).
2. The first two principal components are the top eigenvectors of ``XᵀX``.  Polis
   finds them by power iteration (100 iterations, Gram-Schmidt deflation); accord
   solves the symmetric eigenproblem exactly, or, warm-started from the previous
   components, runs the same power (subspace) iteration.
3. A participant is projected using only the statements they voted on, then pushed
   out from the centre by ``sqrt(n_columns / max(n_seen, 1))`` so that people who
   voted little are not all piled at the origin (``sparsity-aware-project-ptpt``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from accord.analysis.opinion.matrix import FloatArray, VoteMatrix
from accord.analysis.opinion.scatter import cross_product

#: Polis ``:n-comps`` default.
N_COMPONENTS = 2
#: Polis ``:pca-iters`` default: power-iteration steps per component.
PCA_ITERS = 100
#: Up to this many statements numpy's full symmetric eigensolver is fast enough;
#: above it scipy's subset solver (only the top 2 eigenpairs) is loaded.
FULL_EIGH_STATEMENTS = 600


@dataclass(frozen=True, eq=False)
class Components:
    """Statement means (``center``) and principal axes (``axes``, shape 2 × statements)."""

    center: FloatArray
    axes: FloatArray
    variance: FloatArray


def fit_components(
    matrix: VoteMatrix,
    start: FloatArray | None = None,
    scatter: FloatArray | None = None,
) -> Components:
    """Principal components of the mean-imputed vote matrix.

    With ``start`` (previous axes) the power iteration is warm-started from it, as
    Polis does between updates; otherwise the eigenproblem is solved exactly.
    ``scatter`` is ``XᵀX`` of the centred matrix when the caller keeps it up to date
    (live updates); otherwise it is computed here.

    >>> import numpy as np
    >>> from accord.analysis.opinion.matrix import VoteMatrix
    >>> m = VoteMatrix(np.array([0, 0, 1, 1]), np.array([0, 1, 0, 1]),
    ...                np.array([1.0, 1.0, -1.0, -1.0]), 2, 2, np.zeros(2, bool))
    >>> c = fit_components(m)
    >>> np.round(np.abs(c.axes[0]), 3).tolist(), c.center.tolist()
    ([0.707, 0.707], [0.0, 0.0])
    """
    center = matrix.column_means()
    m = matrix.n_statements
    k = min(N_COMPONENTS, m)
    if scatter is None:
        scatter = scatter_matrix(matrix, center)
    axes = np.zeros((N_COMPONENTS, m))
    variance = np.zeros(N_COMPONENTS)
    if k == 0 or not np.any(scatter):
        return Components(center, axes, variance)
    if start is not None and start.shape == (N_COMPONENTS, m) and np.any(start):
        found, values = _power_iteration(scatter, start[:k])
    else:
        found, values = _top_eigenpairs(scatter, k)
    for c in range(k):
        axis = found[c]
        # An eigenvector's sign is arbitrary: fix it so the largest loading is positive,
        # which makes maps reproducible across runs and machines.
        if axis[np.argmax(np.abs(axis))] < 0:
            axis = -axis
        axes[c] = axis
        variance[c] = max(float(values[c]), 0.0) / max(matrix.n_participants - 1, 1)
    if start is not None and start.shape == axes.shape:
        # Keep the orientation of the previous map so an update does not mirror the picture.
        for c in range(k):
            if float(axes[c] @ start[c]) < 0:
                axes[c] = -axes[c]
    return Components(center, axes, variance)


def scatter_matrix(matrix: VoteMatrix, center: FloatArray) -> FloatArray:
    """``XᵀX`` of the centred matrix ``X`` (participants × statements), dense result.

    >>> import numpy as np
    >>> from accord.analysis.opinion.matrix import VoteMatrix
    >>> m = VoteMatrix(np.array([0, 1]), np.array([0, 0]), np.array([1.0, -1.0]), 2, 1,
    ...                np.zeros(1, bool))
    >>> scatter_matrix(m, np.zeros(1)).tolist()
    [[2.0]]
    """
    rows, cols, data = matrix.centred(center)
    return cross_product(rows, cols, data, data, matrix.n_participants, matrix.n_statements)


def _top_eigenpairs(scatter: FloatArray, k: int) -> tuple[FloatArray, FloatArray]:
    """The ``k`` largest eigenpairs of a symmetric matrix, largest first (rows)."""
    m = len(scatter)
    if m <= FULL_EIGH_STATEMENTS:
        values, vectors = np.linalg.eigh(scatter)
        values, vectors = values[m - k :], vectors[:, m - k :]
    else:
        import scipy.linalg

        values, vectors = scipy.linalg.eigh(scatter, subset_by_index=[m - k, m - 1])
    return vectors[:, ::-1].T, values[::-1]


def _power_iteration(scatter: FloatArray, start: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Polis's power iteration with deflation, started from ``start`` rows."""
    found = np.zeros_like(start)
    values = np.zeros(len(start))
    for c, vector in enumerate(start):
        v = _orthogonal_to(vector, found[:c])
        v = v / (math.sqrt(v @ v) or 1.0)
        value = 0.0
        for _ in range(PCA_ITERS):
            # Deflation as in Polis (factor-matrix): stay orthogonal to earlier components.
            product = scatter @ v
            if c:
                product = _orthogonal_to(product, found[:c])
            # math.sqrt(x @ x) is np.linalg.norm(x) for a real vector, without its dispatch.
            norm = math.sqrt(product @ product)
            if norm == 0.0:
                break
            v = product / norm
            converged = abs(norm - value) <= 1e-12 * norm
            value = norm
            if converged:
                break
        found[c], values[c] = v, value
    return found, values


def _orthogonal_to(vector: FloatArray, basis: FloatArray) -> FloatArray:
    for b in basis:
        vector = vector - float(b @ vector) * b
    return vector


def project_participants(matrix: VoteMatrix, components: Components) -> FloatArray:
    """Sparsity-aware projection of every participant (rows × 2).

    ``p_i = sqrt(n_columns / max(n_seen_i, 1)) · Σ_j voted (v_ij - mean_j) · axis_j``
    (polismath ``sparsity-aware-project-ptpt``).
    """
    rows, cols, data = matrix.centred(components.center)
    n = matrix.n_participants
    raw = np.stack(
        [np.bincount(rows, data * axis[cols], minlength=n) for axis in components.axes], axis=1
    )
    seen = matrix.seen_per_participant()
    scale = np.sqrt(matrix.n_columns / np.maximum(seen, 1))
    projected: FloatArray = raw * scale[:, None]
    return projected


def project_statements(matrix: VoteMatrix, components: Components) -> FloatArray:
    """Where a participant who agreed with only statement j would sit (Polis
    ``pca-project-cmnts``): ``sqrt(n_columns) · (1 - mean_j) · axis_j``."""
    scale = np.sqrt(matrix.n_columns) * (1.0 - components.center)
    projected: FloatArray = (components.axes * scale).T
    return projected
