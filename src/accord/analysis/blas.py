"""Run an analysis with the BLAS library on one thread.

An analysis multiplies many small matrices (options x criteria, draws x criteria x
stakeholders).  On those, a multi-threaded BLAS (OpenBLAS, as numpy ships it) gains
nothing, and its idle threads spin-wait for work, taking a core from every other process.
Measured with ``benchmarks/analyze.py`` on a 2-core machine at load ~2.9: 15 x 20 x 12 took
0.138 s with OpenBLAS's two threads and 0.050 s with one; 200 x 500 x 30 took 2.89 s and
2.21 s.  :func:`one_blas_thread` limits BLAS to one thread for the duration of a
``with`` block (threadpoolctl: it knows OpenBLAS, MKL and BLIS) and restores it after.
The limit is process-wide, like the BLAS thread pool itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def one_blas_thread() -> Iterator[None]:
    """Limit every loaded BLAS thread pool to one thread inside the block.

    >>> with one_blas_thread():
    ...     pass
    """
    # Imported on first use (~15 ms).  The libraries are looked up on every call (~0.5 ms):
    # numpy and scipy each ship their own OpenBLAS, and scipy's may load after a first call.
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1, user_api="blas"):
        yield
