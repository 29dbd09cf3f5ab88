"""Normalisation of one matrix and of a stack of matrices agree."""

from __future__ import annotations

import numpy as np
import pytest

from accord.analysis.normalization import normalize, normalize_stack


@pytest.mark.parametrize("method", ["vector", "minmax"])
def test_normalize_stack_equals_normalize_per_matrix_with_flat_columns(method: str) -> None:
    rng = np.random.default_rng(3)
    x = rng.uniform(1, 9, (6, 5, 4))
    x[:, :, 1] = 2.0  # flat in every draw
    x[2, :, 3] = 7.0  # flat in one draw only
    up = np.array([True, False, True, False])
    got = normalize_stack(x, up, method=method)  # type: ignore[arg-type]
    want = np.stack([normalize(d, up, method=method) for d in x])  # type: ignore[arg-type]
    assert np.allclose(got, want, rtol=0, atol=1e-15)
    assert not got[:, :, 1].any() and not got[2, :, 3].any()
