"""Average ranks (used by Spearman's rho) equal scipy's rankdata, ties included."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st


def test_average_ranks_equal_scipy_rankdata_with_ties() -> None:
    from scipy.stats import rankdata

    from accord.analysis.agreement import average_ranks

    rng = np.random.default_rng(7)
    for _ in range(200):
        values = rng.integers(0, 6, size=int(rng.integers(1, 30))).astype(np.float64)
        assert np.array_equal(average_ranks(values), rankdata(values))


@settings(max_examples=50, deadline=None)
@given(st.lists(st.integers(0, 6), min_size=1, max_size=40))
def test_average_ranks_match_scipy_rankdata(values: list[int]) -> None:
    from scipy.stats import rankdata

    from accord.analysis.agreement import average_ranks

    x = np.array(values, dtype=np.float64)
    assert np.array_equal(average_ranks(x), rankdata(x))
