"""Fuzz the case loader: whatever the input, only a located CaseFileError comes out.

Mutations start from the bundled templates and the examples: wrong types, dropped keys,
unknown keys, duplicated ids, huge numbers, NaN, truncated or corrupted text, random bytes
and a 10 MB file.  The CLI must answer exit 2 (or 0), never a traceback.
"""

from __future__ import annotations

import copy
import math
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.cli import main
from accord.errors import CaseFileError
from accord.io.case_file import parse_case
from accord.io.documents import sniff_kind
from accord.io.loader import read_data
from accord.model import Case

REPO = Path(__file__).resolve().parents[2]
SOURCES = [
    p
    for p in sorted((REPO / "src" / "accord" / "templates").glob("*.yaml"))
    + sorted((REPO / "examples").glob("*.yaml"))
    if sniff_kind(p) == "case"
]
TEXTS = [p.read_text(encoding="utf-8") for p in SOURCES]
DATA = [read_data(t, path=str(p)) for t, p in zip(TEXTS, SOURCES, strict=True)]
EXAMPLES_PER_STRATEGY = 300
FUZZ = settings(
    max_examples=EXAMPLES_PER_STRATEGY,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
)
RUNS: dict[str, int] = {}

JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=8), st.integers(), max_size=3),
    st.sampled_from(["high", "", "cfoo", "2027-02-30", "1e999", ".nan", "-.inf"]),
)


def _count(name: str) -> None:
    RUNS[name] = RUNS.get(name, 0) + 1


def _check(text: str | bytes, path: str = "fuzz.yaml") -> None:
    try:
        result = parse_case(text, path=path)
    except CaseFileError as error:
        assert error.problems, "a CaseFileError must list located problems"
        for problem in error.problems:
            assert problem.location.path == path
            assert problem.message
    else:
        assert isinstance(result, Case)


def _containers(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path] if isinstance(node, dict | list) and node else []
    if isinstance(node, dict):
        for key, value in node.items():
            found += _containers(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found += _containers(value, (*path, i))
    return found


def _at(node: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        node = node[part]
    return node


@st.composite
def mutated_documents(draw: st.DrawFn) -> str:
    data = copy.deepcopy(draw(st.sampled_from(DATA)))
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        target = _at(data, draw(st.sampled_from(_containers(data))))
        keys = list(target) if isinstance(target, dict) else list(range(len(target)))
        key = draw(st.sampled_from(keys))
        action = draw(st.sampled_from(["replace", "drop", "unknown", "duplicate", "huge", "nan"]))
        if action == "replace":
            target[key] = draw(JUNK)
        elif action == "drop":
            del target[key]
        elif action == "unknown" and isinstance(target, dict):
            target[str(key) + draw(st.sampled_from(["s", "x", "_"]))] = draw(JUNK)
        elif action == "duplicate" and isinstance(target, list):
            target.append(copy.deepcopy(target[key]))
        elif action == "huge":
            target[key] = draw(st.sampled_from([10**400, -(10**20), 1e308, 2**63]))
        elif action == "nan":
            target[key] = draw(st.sampled_from([math.nan, math.inf, -math.inf]))
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


@FUZZ
@given(mutated_documents())
def test_fuzz_mutated_data_raises_only_case_file_error(text: str) -> None:
    _count("mutated data")
    _check(text)


@FUZZ
@given(st.sampled_from(TEXTS), st.data())
def test_fuzz_truncated_or_corrupted_text(text: str, data: st.DataObject) -> None:
    _count("truncated/corrupted text")
    cut = data.draw(st.integers(min_value=0, max_value=len(text)))
    insert = data.draw(st.text(max_size=8))
    where = data.draw(st.integers(min_value=0, max_value=len(text)))
    mangled = text[:where] + insert + text[where:cut] if where <= cut else text[:cut] + insert
    _check(mangled)


@FUZZ
@given(st.sampled_from(TEXTS), st.data())
def test_fuzz_flipped_bytes(text: str, data: st.DataObject) -> None:
    _count("flipped bytes")
    raw = bytearray(text.encode("utf-8"))
    for _ in range(data.draw(st.integers(min_value=1, max_value=6))):
        i = data.draw(st.integers(min_value=0, max_value=len(raw) - 1))
        raw[i] = data.draw(st.integers(min_value=0, max_value=255))
    _check(bytes(raw))


@FUZZ
@given(st.binary(max_size=400))
def test_fuzz_random_bytes(raw: bytes) -> None:
    _count("random bytes")
    _check(raw)
    _check(raw, path="fuzz.json")


@FUZZ
@given(st.text(alphabet="{}[]:,-#&*!|>'\"\n ab1.", max_size=200))
def test_fuzz_yaml_punctuation_soup(text: str) -> None:
    _count("yaml punctuation")
    _check(text)


def test_ten_megabyte_file_rejected_with_size(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    big = TEXTS[0] + "# " + "x" * (10 * 1024 * 1024) + "\n"
    with pytest.raises(CaseFileError, match="file too large: 10.5 MB"):
        parse_case(big, path="big.yaml")
    path = tmp_path / "big.yaml"
    path.write_text(big, encoding="utf-8")
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert "file too large" in err
    assert "Traceback" not in err


@settings(max_examples=60, deadline=None, database=None)
@given(mutated_documents())
def test_fuzz_cli_never_prints_a_traceback(text: str) -> None:
    _count("cli")
    import contextlib
    import io
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "case.yaml"
        path.write_text(text, encoding="utf-8")
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["validate", str(path)])
    assert code in (0, 2), err.getvalue()
    assert "Traceback" not in out.getvalue() + err.getvalue()
    assert "internal error" not in err.getvalue()


def test_fuzz_examples_were_run() -> None:
    total = sum(RUNS.values())
    print(f"fuzz examples run: {total} {RUNS}")
    if RUNS:  # absent when this test is selected alone
        assert total >= 4 * EXAMPLES_PER_STRATEGY
