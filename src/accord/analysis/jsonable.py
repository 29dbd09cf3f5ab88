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
from collections.abc import Mapping
from typing import Any

_DIGITS = 12


def to_jsonable(value: Any) -> Any:
    """Recursively convert ``value`` to dicts, lists, str, int, float, bool and None.

    >>> import numpy as np
    >>> to_jsonable({"a": np.float64(0.1) + np.float64(0.2), "b": (1, 2), "c": dt.date(2026, 1, 2)})
    {'a': 0.3, 'b': [1, 2], 'c': '2026-01-02'}
    """
    kind = type(value)
    if kind is float:
        return _round(value)
    if kind is str or kind is int or kind is bool or value is None:
        return value
    if kind is dict:
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if kind is list:
        return [to_jsonable(v) for v in value]
    if isinstance(value, bool | str):
        return value
    if isinstance(value, int) and not isinstance(value, enum.Enum):
        return value
    if isinstance(value, float):
        return _round(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [to_jsonable(v) for v in value]
        return sorted(items, key=repr) if isinstance(value, set | frozenset) else items
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return to_jsonable(value.value)
    model_dump = getattr(value, "model_dump", None)
    if callable(model_dump):  # pydantic models
        return to_jsonable(model_dump(mode="json", exclude_none=False))
    tolist = getattr(value, "tolist", None)
    if callable(tolist):  # numpy scalars and arrays
        return to_jsonable(tolist())
    raise TypeError(f"cannot convert {type(value).__name__} to JSON")


def _round(x: float) -> float:
    if x != x or x in (math.inf, -math.inf):
        # A non-finite number in a result is a bug upstream; JSON cannot carry it.
        raise ValueError(f"non-finite number in analysis result: {x!r}")
    if x == 0.0:
        return 0.0
    # round() to 12 significant digits: cheaper than formatting and parsing a string.
    return float(round(x, _DIGITS - 1 - math.floor(math.log10(abs(x)))))
