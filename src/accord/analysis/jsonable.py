"""Turn analysis results into plain JSON-ready values, deterministically.

Results are frozen dataclasses holding plain values, but numpy scalars, dates,
enums, tuples and pydantic models slip in at the edges; this is the one place that
normalises them, so every output (CLI ``--json``, reports, web) sees the same data.
Floats are rounded to 12 significant digits so that byte-identical reports do not
depend on the last bits of floating-point summation order.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import math
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
from numpy.typing import NDArray

_DIGITS = 12

# Lists and dicts of at least this many floats are rounded with numpy (see
# _round_many); below it the per-value path is cheaper than building an array.
_VECTOR_MIN = 32
# Values that convert to themselves (exact types: bool and int subclasses such as
# IntEnum take the general path).
_PLAIN = frozenset({str, int, bool, type(None)})
_FLOAT = {float}
_LIST = {list}
# Field names of each dataclass seen: dataclasses.fields() is slow on hot paths.
_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def to_jsonable(value: Any) -> Any:
    """Recursively convert ``value`` to dicts, lists, str, int, float, bool and None.

    >>> import numpy as np
    >>> to_jsonable({"a": np.float64(0.1) + np.float64(0.2), "b": (1, 2), "c": dt.date(2026, 1, 2)})
    {'a': 0.3, 'b': [1, 2], 'c': '2026-01-02'}
    """
    return _to_jsonable(value)


def to_plain(value: Any) -> Any:
    """:func:`to_jsonable` without rounding floats, for results that will pass through
    :func:`to_jsonable` again (the analysis's sections, rounded once by ``to_dict``).

    >>> to_plain({"a": np.float64(0.1) + np.float64(0.2)})
    {'a': 0.30000000000000004}
    """
    return _to_plain(value)


def _converter(
    round_one: Callable[[float], float], round_many: Callable[[list[float]], list[float]]
) -> Callable[[Any], Any]:
    """The recursive conversion, with ``round_one`` / ``round_many`` applied to floats."""

    def convert(value: Any) -> Any:
        kind = type(value)
        if kind is float:
            return round_one(value)
        if kind is str or kind is int or kind is bool or value is None:
            return value
        if kind is dict:
            kinds = set(map(type, value.values()))
            if kinds <= _PLAIN:
                return {str(k): v for k, v in value.items()}
            if kinds == _FLOAT and len(value) >= _VECTOR_MIN:
                return dict(zip(map(str, value), round_many(list(value.values())), strict=True))
            return {str(k): convert(v) for k, v in value.items()}
        if kind is list:
            # Long lists of one plain type (utility rows, id lists) skip the per-item calls.
            kinds = set(map(type, value))
            if kinds <= _PLAIN:
                return list(value)
            if kinds == _FLOAT and len(value) >= _VECTOR_MIN:
                return round_many(value)
            if kinds == _LIST:  # e.g. rankings: tiers of ids, each converted without a call
                return [list(v) if set(map(type, v)) <= _PLAIN else convert(v) for v in value]
            return [convert(v) for v in value]
        if isinstance(value, bool | str):
            return value
        if isinstance(value, int) and not isinstance(value, enum.Enum):
            return value
        if isinstance(value, float):
            return round_one(value)
        names = _FIELD_NAMES.get(kind)
        if names is None and dataclasses.is_dataclass(value) and not isinstance(value, type):
            names = _FIELD_NAMES[kind] = tuple(f.name for f in dataclasses.fields(value))
        if names is not None:
            return {name: convert(getattr(value, name)) for name in names}
        if isinstance(value, Mapping):
            return {str(k): convert(v) for k, v in value.items()}
        if isinstance(value, list | tuple | set | frozenset):
            items = [convert(v) for v in value]
            return sorted(items, key=repr) if isinstance(value, set | frozenset) else items
        if isinstance(value, dt.date | dt.datetime):
            return value.isoformat()
        if isinstance(value, enum.Enum):
            return convert(value.value)
        model_dump = getattr(value, "model_dump", None)
        if callable(model_dump):  # pydantic models
            return convert(model_dump(mode="json", exclude_none=False))
        tolist = getattr(value, "tolist", None)
        if callable(tolist):  # numpy scalars and arrays
            return convert(tolist())
        raise TypeError(f"cannot convert {type(value).__name__} to JSON")

    return convert


def _round(x: float) -> float:
    if x != x or x in (math.inf, -math.inf):
        # A non-finite number in a result is a bug upstream; JSON cannot carry it.
        raise ValueError(f"non-finite number in analysis result: {x!r}")
    if x == 0.0:
        return 0.0
    # round() to 12 significant digits: cheaper than formatting and parsing a string.
    return float(round(x, _DIGITS - 1 - math.floor(math.log10(abs(x)))))


def _round_many(values: list[float]) -> list[float]:
    """``[_round(v) for v in values]``, bit for bit, with numpy (see :func:`round_floats`).

    >>> values = [0.1 + 0.2, 1 / 3, -2 / 3, 123456.7890123456, 1e-30, 0.0, -0.0, 5e14] * 4
    >>> _round_many(values) == [_round(v) for v in values]
    True
    """
    x: NDArray[np.float64] = np.asarray(values, dtype=np.float64)
    if not np.isfinite(x).all():
        bad = float(x[~np.isfinite(x)][0])
        raise ValueError(f"non-finite number in analysis result: {bad!r}")
    magnitude = np.abs(x)
    nonzero = magnitude > 0.0
    with np.errstate(divide="ignore"):
        log = np.log10(np.where(nonzero, magnitude, 1.0))
    exponent = np.floor(log)
    # Next to a power of ten, numpy's and math's log10 may floor differently: such
    # values take the per-value path, as do zeros (always +0.0).
    near_power = (log - exponent < 1e-9) | (exponent + 1.0 - log < 1e-9)
    decimals = np.where(nonzero & ~near_power, _DIGITS - 1 - exponent, -1.0)
    rounded, exact = _round_vector(x, decimals)
    out: list[float] = np.where(nonzero, rounded, 0.0).tolist()
    for i in np.flatnonzero(nonzero & ~exact).tolist():
        out[i] = _round(values[i])
    return out


def round_floats(values: NDArray[np.float64], decimals: int) -> list[float]:
    """``[round(float(v), decimals) for v in values.ravel()]``, bit for bit, vectorised.

    >>> x = np.array([1 / 3, 2 / 3, 0.5, -0.125, 1.0, 0.0, 123.456789012345678])
    >>> round_floats(x, 12) == [round(float(v), 12) for v in x]
    True
    """
    x = np.asarray(values, dtype=np.float64).ravel()
    rounded, exact = _round_vector(x, np.full(x.shape, float(decimals)))
    out: list[float] = rounded.tolist()
    for i in np.flatnonzero(~exact).tolist():
        out[i] = round(float(x[i]), decimals)
    return out


def _round_vector(
    x: NDArray[np.float64], decimals: NDArray[np.float64]
) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    """``round(x, d)`` elementwise where it can be done exactly with numpy, and where.

    ``round(x, d)`` is the double nearest to ``k / 10**d`` with ``k`` the exact
    ``x * 10**d`` rounded half to even.  For ``0 <= d <= 22`` the power of ten is exact;
    while ``|x * 10**d| <= 1e12`` the product's own rounding error is below 1.2e-4, so
    ``rint`` finds ``k`` unless the product lies within 1e-3 of a half-integer, and
    ``k / 10.0**d`` (both exact) is correctly rounded.  The rest is marked not exact.
    """
    usable = (decimals >= 0.0) & (decimals <= 22.0)
    scale = 10.0 ** np.where(usable, decimals, 0.0)
    product = x * scale
    exact = usable & (np.abs(product) <= 1e12) & np.isfinite(product)
    exact &= np.abs(product - np.floor(product) - 0.5) > 1e-3
    return np.where(exact, np.rint(product) / scale, x), exact


_to_jsonable = _converter(_round, _round_many)
_to_plain = _converter(float, list)
