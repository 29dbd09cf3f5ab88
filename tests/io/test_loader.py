"""The located loader: plain data from YAML/JSON, pydantic errors mapped to lines."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import BaseModel, ConfigDict

from accord.errors import CaseFileError
from accord.io.loader import (
    MAX_FILE_BYTES,
    dump_model,
    format_field,
    load_model,
    parse_model,
    read_data,
    to_json_text,
    to_yaml_text,
)


class Point(BaseModel):
    model_config = ConfigDict(extra="forbid")
    x: float
    label: str = ""


class Shape(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    points: list[Point] = []


def problems(error: pytest.ExceptionInfo[CaseFileError]) -> list[str]:
    return [str(p) for p in error.value.problems]


def test_format_field_mixes_keys_and_indices() -> None:
    assert format_field(("stakeholders", 1, "goals", 0, "target")) == (
        "stakeholders[1].goals[0].target"
    )


def test_parse_model_valid_yaml_returns_model() -> None:
    shape = parse_model("name: tri\npoints:\n  - {x: 1}\n  - {x: 2.5}\n", Shape, path="s.yaml")
    assert shape == Shape(name="tri", points=[Point(x=1), Point(x=2.5)])


def test_parse_model_wrong_type_is_located() -> None:
    with pytest.raises(CaseFileError) as error:
        parse_model("name: tri\npoints:\n  - {x: 1}\n  - {x: high}\n", Shape, path="s.yaml")
    assert problems(error) == ["s.yaml:4:9: points[1].x: expected a number, got 'high'"]


def test_parse_model_unknown_key_suggests_and_points_at_key() -> None:
    with pytest.raises(CaseFileError) as error:
        parse_model("name: tri\npionts: []\n", Shape, path="s.yaml")
    assert problems(error) == ["s.yaml:2:1: pionts: unknown key 'pionts' (did you mean 'points'?)"]


def test_parse_model_all_problems_sorted_by_line() -> None:
    text = "points:\n  - {x: a}\n  - {x: 1, y: 2}\n"
    with pytest.raises(CaseFileError) as error:
        parse_model(text, Shape, path="s.yaml")
    assert problems(error) == [
        "s.yaml:1:1: name: missing required key 'name'",
        "s.yaml:2:9: points[0].x: expected a number, got 'a'",
        "s.yaml:3:12: points[1].y: unknown key 'y'",
    ]
    assert error.value.message == "s.yaml: 3 problems found"


def test_parse_model_duplicate_key_rejected() -> None:
    with pytest.raises(CaseFileError) as error:
        parse_model("name: a\nname: b\n", Shape, path="s.yaml")
    assert problems(error) == ["s.yaml:2:1: name: duplicate key 'name' (first given on line 1)"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("name: a\npoints: [{x: .inf}]\n", "s.yaml:2:14: points[0].x: expected a finite number"),
        ("name: a\npoints: [{x: 1e999}]\n", "s.yaml:2:14: points[0].x: expected a finite number"),
        ("name: a\npoints: [{x: 1.0e+999}]\n", "s.yaml:2:14: points[0].x: expected a finite"),
        ("name: a\npoints: [{x: 99999999999999999999}]\n", "number too large"),
        ("name: a\npoints: [{x: !!python/int 1}]\n", "unsupported YAML tag"),
        ("name: &a b\nlabel: *a\n", "YAML aliases (*name) are not supported"),
        ("name: a\n<<: {label: b}\n", "merge keys"),
        ("name: [unclosed\n", "invalid YAML"),
        ("- just\n- a list\n", "expected a mapping of keys at the top level, got a list"),
        ("", "the file is empty"),
        ("name: a\x00\n", "contains a NUL character"),
        ("name: a\n---\nname: b\n", "invalid YAML"),
        ("[1]: a\n", "mapping keys must be plain names"),
    ],
)
def test_parse_model_hostile_yaml_gives_located_error(text: str, expected: str) -> None:
    with pytest.raises(CaseFileError) as error:
        parse_model(text, Shape, path="s.yaml")
    assert any(expected in line for line in problems(error)), problems(error)


def test_parse_model_billion_laughs_is_rejected_quickly() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 9)]
    with pytest.raises(CaseFileError) as error:
        parse_model("\n".join(lines) + "\n", Shape, path="bomb.yaml")
    assert "YAML aliases" in str(error.value)


def test_parse_model_deep_nesting_is_rejected() -> None:
    with pytest.raises(CaseFileError) as error:
        parse_model("name: " + "[" * 5000 + "]" * 5000 + "\n", Shape, path="deep.yaml")
    assert "nested deeper" in str(error.value) or "invalid YAML" in str(error.value)


def test_parse_model_bytes_not_utf8_is_located() -> None:
    with pytest.raises(CaseFileError) as error:
        parse_model(b"name: ok\nlabel: caf\xe9\n", Shape, path="s.yaml")
    assert problems(error) == ["s.yaml:2:11: not UTF-8 text: byte 0xe9 cannot be decoded"]


def test_parse_model_utf8_bom_is_accepted() -> None:
    assert parse_model("\ufeffname: a\n".encode(), Shape, path="s.yaml").name == "a"


def test_parse_model_too_large_says_so() -> None:
    text = "name: a\nlabel: " + "x" * (MAX_FILE_BYTES + 1) + "\n"
    with pytest.raises(CaseFileError) as error:
        parse_model(text, Shape, path="big.yaml")
    assert "file too large" in str(error.value)
    assert "at most 5 MB" in str(error.value)


def test_parse_model_json_by_extension_is_located() -> None:
    text = '{\n  "name": "a",\n  "points": [{"x": "high"}]\n}\n'
    with pytest.raises(CaseFileError) as error:
        parse_model(text, Shape, path="s.json")
    assert problems(error) == ["s.json:3:20: points[0].x: expected a number, got 'high'"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"name": "a", "name": "b"}', "duplicate key 'name'"),
        ('{"name": "a", "points": [{"x": NaN}]}', "expected a finite number, got NaN"),
        ('{"name": "a",}', "s.json:1:14: invalid JSON"),
        ("[1, 2]", "expected a mapping of keys at the top level"),
        ('{"name": "a", "points": [{"x": 1e400}]}', "number too large"),
    ],
)
def test_parse_model_bad_json_gives_located_error(text: str, expected: str) -> None:
    with pytest.raises(CaseFileError) as error:
        parse_model(text, Shape, path="s.json")
    assert any(expected in line for line in problems(error)), problems(error)


def test_read_data_reads_exponent_as_number() -> None:
    assert read_data("x: 1e5\ny: '1e5'\n", path="d.yaml") == {"x": 100000.0, "y": "1e5"}


def test_read_data_keeps_keys_as_text() -> None:
    assert read_data("2027: a\nyes: b\n", path="d.yaml") == {"2027": "a", "yes": "b"}


def test_load_model_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CaseFileError, match="no such plan file"):
        load_model(tmp_path / "x.yaml", Shape, kind="plan")


def test_load_model_directory(tmp_path: Path) -> None:
    with pytest.raises(CaseFileError, match="is a directory"):
        load_model(tmp_path, Shape)


def test_load_model_oversized_file_checked_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    with path.open("wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 10)
    with pytest.raises(CaseFileError, match="a case file may be at most 5 MB"):
        load_model(path, Shape)


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_dump_model_round_trips(tmp_path: Path, suffix: str) -> None:
    shape = Shape(name="multi\nline", points=[Point(x=1), Point(x=0.25, label="q")])
    path = tmp_path / f"shape{suffix}"
    dump_model(shape, path)
    assert load_model(path, Shape) == shape


def test_to_yaml_text_is_block_style_in_field_order() -> None:
    text = to_yaml_text(Shape(name="tri", points=[Point(x=1.0)]))
    assert text == "name: tri\npoints:\n- x: 1\n"


def test_to_json_text_keeps_field_order() -> None:
    assert to_json_text(Shape(name="tri")) == '{\n  "name": "tri"\n}\n'
