"""to_jsonable: plain values out, and the vectorised rounding is bit-identical to round()."""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.analysis.jsonable import _round, _round_many, round_floats, to_jsonable

FINITE = st.floats(allow_nan=False, allow_infinity=False)


@settings(max_examples=60, deadline=None)
@given(st.lists(FINITE, min_size=1, max_size=80))
def test_round_many_is_bit_identical_to_round_for_any_floats(values: list[float]) -> None:
    expected = [_round(v) for v in values]
    got = _round_many(values)
    assert [repr(v) for v in got] == [repr(v) for v in expected]


def test_round_many_is_bit_identical_on_a_million_typical_values() -> None:
    rng = np.random.default_rng(7)
    values = np.concatenate(
        [
            rng.uniform(0, 1, 200_000),
            rng.normal(0, 1e4, 200_000),
            10 ** rng.uniform(-14, 14, 200_000),
            np.round(rng.uniform(-1, 1, 200_000), 4),
            10.0 ** rng.integers(-10, 12, 1_000),
        ]
    ).tolist()
    assert _round_many(values) == [_round(v) for v in values]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(-1e3, 1e3), min_size=1, max_size=60), st.integers(0, 15))
def test_round_floats_is_bit_identical_to_round(values: list[float], decimals: int) -> None:
    got = round_floats(np.array(values), decimals)
    assert [repr(v) for v in got] == [repr(round(v, decimals)) for v in values]


def test_round_many_rejects_a_non_finite_number() -> None:
    try:
        _round_many([1.0] * 40 + [math.nan])
    except ValueError as error:
        assert "non-finite" in str(error)
    else:
        raise AssertionError("NaN passed")


class Level(enum.IntEnum):
    LOW = 1


@dataclass(frozen=True)
class Point:
    x: float
    tags: tuple[str, ...]


def test_to_jsonable_fast_paths_keep_types_and_convert_the_rest() -> None:
    ids = [f"o{i}" for i in range(100)]
    floats = {i: 1 / 3 for i in ids}
    data = {
        "ids": ids,
        "floats": floats,
        "levels": [Level.LOW] * 40,
        "points": [Point(0.1 + 0.2, ("a",))],
        "mixed": [1, "a", None, True, 2.5],
    }
    out = to_jsonable(data)
    assert out["ids"] == ids and out["ids"] is not ids
    assert out["floats"] == dict.fromkeys(ids, 0.333333333333)
    assert out["levels"] == [1] * 40 and all(type(v) is int for v in out["levels"])
    assert out["points"] == [{"x": 0.3, "tags": ["a"]}]
    assert out["mixed"] == [1, "a", None, True, 2.5]
