"""``XᵀX`` of the centred vote matrix, from scratch or kept up to date vote by vote.

The PCA of the opinion map (:mod:`.pca`) needs the statements × statements scatter
matrix ``S = XᵀX`` of the mean-imputed, centred matrix ``X``.  On a voted cell
``X[i, j] = v_ij - μ_j`` and elsewhere 0, so with ``V`` the raw votes (0 where
missing) and ``M`` the 0/1 "has voted" indicator::

    S = VᵀV - μ ∘ (MᵀV) - (MᵀV)ᵀ ∘ μᵀ + (μ μᵀ) ∘ (MᵀM)

(``∘`` scales rows or columns).  The three integer sums ``VᵀV``, ``MᵀV`` and ``MᵀM``
do not depend on the means, so a live map (:mod:`.incremental`) keeps them and, when a
batch of votes arrives, only subtracts the touched participants' old rows and adds
their new ones; the means change with every vote, which the formula absorbs at
``O(statements²)`` instead of ``O(votes)``.  All sums are of small integers, so they
are exact in float64 and the result equals the from-scratch ``XᵀX`` up to rounding.
"""

from __future__ import annotations

import numpy as np

from accord.analysis.opinion.matrix import BoolArray, FloatArray, IntArray

#: Up to this many participants × statements the matrices are built dense and each
#: product is one BLAS call (32 MB at most); above it a sparse product is used.
DENSE_CELLS = 1 << 22
#: ... and only while the dense product stays cheap (about 0.1 s of BLAS work).
DENSE_FLOPS = 1 << 30
#: A live update computes its deltas densely over the touched statements while that
#: is at most this many multiply-adds (about 2 ms); beyond, over each row's own cells.
LOCAL_DENSE_FLOPS = 1 << 24


def cross_product(
    rows: IntArray,
    cols: IntArray,
    left: FloatArray,
    right: FloatArray,
    n_rows: int,
    n_cols: int,
) -> FloatArray:
    """``LᵀR`` for two matrices with the same nonzero cells ``(rows, cols)``.

    >>> import numpy as np
    >>> r, c = np.array([0, 1, 1]), np.array([0, 0, 1])
    >>> cross_product(r, c, np.array([1.0, -1, 1]), np.array([1.0, -1, 1]), 2, 2).tolist()
    [[2.0, -1.0], [-1.0, 1.0]]
    """
    if n_rows * n_cols <= DENSE_CELLS and n_rows * n_cols * n_cols <= DENSE_FLOPS:
        a = np.zeros((n_rows, n_cols))
        a[rows, cols] = left
        if right is left:
            # numpy recognises aᵀa and calls the symmetric rank-k update (half the work).
            square: FloatArray = a.T @ a
            return square
        b = np.zeros((n_rows, n_cols))
        b[rows, cols] = right
        product: FloatArray = a.T @ b
        return product
    # Large and sparse: scipy's sparse product costs O(sum over participants of their
    # votes squared) and never builds the dense participants × statements matrix.
    import scipy.sparse as sp

    a_sparse = sp.csr_matrix((left, (rows, cols)), shape=(n_rows, n_cols))
    b_sparse = a_sparse if right is left else sp.csr_matrix((right, (rows, cols)), a_sparse.shape)
    sparse_product: FloatArray = (a_sparse.T @ b_sparse).toarray()
    return sparse_product


class ScatterSums:
    """``VᵀV``, ``MᵀV`` and ``MᵀM`` of the raw votes, updated as participants change.

    >>> import numpy as np
    >>> sums = ScatterSums.from_votes(np.array([0, 1]), np.array([0, 0]), np.array([1.0, 1]), 2, 1)
    >>> sums.scatter(np.array([1.0]), np.zeros(1, bool)).tolist()
    [[0.0]]
    >>> sums.replace_rows(
    ...     (np.array([1]), np.array([0]), np.array([1.0])),
    ...     (np.array([1]), np.array([0]), np.array([-1.0])),
    ... )
    >>> sums.scatter(np.array([0.0]), np.zeros(1, bool)).tolist()
    [[2.0]]
    """

    def __init__(self, vv: FloatArray, mv: FloatArray, mm: FloatArray) -> None:
        self.vv, self.mv, self.mm = vv, mv, mm

    @classmethod
    def from_votes(
        cls, rows: IntArray, cols: IntArray, values: FloatArray, n_rows: int, n_cols: int
    ) -> ScatterSums:
        ones = np.ones(len(values))
        return cls(
            cross_product(rows, cols, values, values, n_rows, n_cols),
            cross_product(rows, cols, ones, values, n_rows, n_cols),
            cross_product(rows, cols, ones, ones, n_rows, n_cols),
        )

    def grow(self, n_cols: int) -> None:
        """Make room for statements added since (their sums are 0)."""
        extra = n_cols - len(self.vv)
        if extra > 0:
            self.vv, self.mv, self.mm = (np.pad(a, (0, extra)) for a in (self.vv, self.mv, self.mm))

    def replace_rows(
        self,
        old: tuple[IntArray, IntArray, FloatArray],
        new: tuple[IntArray, IntArray, FloatArray],
    ) -> None:
        """Swap the touched participants' old votes ``(rows, cols, values)`` for new ones.

        ``old`` must hold every earlier vote of the participants in ``new`` and
        ``new`` every current vote of them: the sums lose ``Σ old_i old_iᵀ`` and gain
        ``Σ new_i new_iᵀ``, computed only over the statements these participants voted
        on (``O(Σ votes_i²)`` work).
        """
        rows = np.concatenate([old[0], new[0]])
        if len(rows) == 0:
            return
        cols = np.concatenate([old[1], new[1]])
        values = np.concatenate([old[2], new[2]])
        sign = np.concatenate([-np.ones(len(old[0])), np.ones(len(new[0]))])
        # A participant's old and new row are separate segments: products never mix them.
        segment = 2 * rows + (sign > 0)
        segments, row = np.unique(segment, return_inverse=True)
        touched, local = np.unique(cols, return_inverse=True)
        c = len(touched)
        block = np.ix_(touched, touched)
        if len(segments) * c * c <= LOCAL_DENSE_FLOPS:
            # Few statements touched: the touched rows as a small dense matrix A (one
            # row per participant and version), and the deltas as AᵀWA with W = ±1.
            a = np.zeros((len(segments), c))
            a[row, local] = values
            voted = np.zeros_like(a)
            voted[row, local] = 1.0
            w = np.where(segments % 2 == 1, 1.0, -1.0)[:, None]
            self.vv[block] += (w * a).T @ a
            self.mv[block] += (w * voted).T @ a
            self.mm[block] += (w * voted).T @ voted
            return
        # Many statements touched: sum the outer products of each row over its own
        # cells only, as every ordered pair (p, q) of entries within one segment.
        order = np.argsort(segment, kind="stable")
        segment, local, values, sign = segment[order], local[order], values[order], sign[order]
        starts = np.flatnonzero(np.r_[True, segment[1:] != segment[:-1]])
        lengths = np.diff(np.r_[starts, len(segment)])
        per_entry = np.repeat(lengths, lengths)
        first = np.repeat(starts, lengths)
        left = np.repeat(np.arange(len(segment)), per_entry)
        offset = np.arange(len(left)) - np.repeat(np.cumsum(per_entry) - per_entry, per_entry)
        right = first[left] + offset
        key = local[left] * c + local[right]
        weight = sign[left]
        size = c * c
        pairs = values[left] * values[right]
        self.vv[block] += np.bincount(key, weight * pairs, size).reshape(c, c)
        self.mv[block] += np.bincount(key, weight * values[right], size).reshape(c, c)
        self.mm[block] += np.bincount(key, weight, size).reshape(c, c)

    def scatter(self, center: FloatArray, moderated: BoolArray) -> FloatArray:
        """``XᵀX`` for column means ``center``; moderated-out statements are left out."""
        mu = np.where(moderated, 0.0, center)
        s: FloatArray = self.vv - mu[:, None] * self.mv - self.mv.T * mu[None, :]
        s += np.outer(mu, mu) * self.mm
        s[moderated, :] = 0.0
        s[:, moderated] = 0.0
        return s
