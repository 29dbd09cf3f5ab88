"""The located loader: YAML or JSON text -> a validated pydantic model, every error located.

YAML is composed into nodes (not constructed) so every mapping key and value keeps its line
and column; the nodes are then turned into plain Python values by hand, which lets us reject
what PyYAML would accept silently (duplicate keys, aliases, custom tags, NaN, huge numbers).
Pydantic's errors and the model's own cross-reference problems are mapped back to those
positions and raised together as one :class:`~accord.errors.CaseFileError`.

Any pydantic model can be loaded; a model that defines ``reference_problems()`` (see
:class:`accord.model.base.AccordModel`) gets its cross-references checked with locations.
"""

from __future__ import annotations

import itertools
import json
import math
import re
import types
import typing
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from accord.errors import CaseFileError, Location, Problem, did_you_mean
from accord.io.text_file import read_bounded

T = TypeVar("T", bound=BaseModel)

MAX_FILE_BYTES = 5 * 1024 * 1024
# Numbers beyond this are surely typos (or attacks); float64 represents every int up to 2**53.
MAX_ABS_NUMBER = 1e15
# Deeper nesting than this is never a case file; stops stack exhaustion on crafted input.
MAX_DEPTH = 64
_TOO_DEEP = f"nested deeper than {MAX_DEPTH} levels"
MAX_KEYS = 100_000
"""Mapping keys a case or plan file may hold, counted before the file is parsed.  The largest
benchmark case (200 stakeholders x 500 options x 30 criteria) has about 70,000; composing
250,000 keys took 1.9 s of CPU before any check could run.  See docs/limits.md."""
MAX_REPORTED_PROBLEMS = 100
"""Problems listed per file; the rest are counted ("and N more") without being worked out,
so a file with 100,000 unknown keys costs no more than one with 100."""

FieldPath = tuple[str | int, ...]
Position = tuple[int, int]

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_constructor = yaml.SafeLoader("")  # only its scalar constructors are used


def format_field(path: FieldPath) -> str:
    """``("stakeholders", 1, "goals")`` -> ``"stakeholders[1].goals"``."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text


class _Located:
    """Plain data plus where each value (and each mapping key) was in the text."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.values: dict[FieldPath, Position] = {}
        self.keys: dict[FieldPath, Position] = {}
        self.problems: list[Problem] = []
        self.omitted = 0
        # Composing JSON text as YAML (for positions): JSON's NaN and Infinity are plain
        # scalars there, read as text, so they are refused by name instead.
        self.json = False

    @property
    def full(self) -> bool:
        """True once :data:`MAX_REPORTED_PROBLEMS` are listed (later ones are only counted)."""
        return len(self.problems) >= MAX_REPORTED_PROBLEMS

    def problem(self, message: str, at: Position | None, field: FieldPath = ()) -> None:
        if self.full:
            self.omitted += 1
            return
        line, col = at if at is not None else (None, None)
        self.problems.append(
            Problem(message, Location(self.path, line, col, format_field(field) or None))
        )

    def position(self, field: FieldPath, *, key: bool = False) -> Position | None:
        """The closest known position of ``field`` (walking up to its parents)."""
        if key and field in self.keys:
            return self.keys[field]
        for end in range(len(field), -1, -1):
            found = self.values.get(field[:end])
            if found is not None:
                return found
        return None


def _mark(node: yaml.Node) -> Position:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _describe(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing (null)"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


_JSON_CONSTANTS = frozenset({"NaN", "Infinity", "-Infinity"})
_EXPONENT_NUMBER = re.compile(r"^[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)[eE][-+]?[0-9]+$")


def is_case_number(real: float) -> bool:
    """Whether a case may hold ``real``: finite and at most :data:`MAX_ABS_NUMBER` in size
    (the rule for every number, from a file or a web form)."""
    return math.isfinite(real) and abs(real) <= MAX_ABS_NUMBER


def _finite(real: float, node: yaml.ScalarNode, field: FieldPath, doc: _Located) -> float | None:
    if not is_case_number(real):
        doc.problem(f"expected a finite number, got {node.value[:40]!r}", _mark(node), field)
        return None
    return real


def _scalar(node: yaml.ScalarNode, field: FieldPath, doc: _Located) -> Any:
    tag = node.tag
    try:
        if tag == "tag:yaml.org,2002:str":
            if doc.json and not node.style and node.value in _JSON_CONSTANTS:
                doc.problem(f"expected a finite number, got {node.value}", _mark(node), field)
                return None
            if not node.style and _EXPONENT_NUMBER.match(node.value):
                # YAML 1.1 reads `1e5` as text; YAML 1.2 and every user read it as a number.
                return _finite(float(node.value), node, field, doc)
            return node.value
        if tag == "tag:yaml.org,2002:null":
            return None
        if tag == "tag:yaml.org,2002:bool":
            return _constructor.construct_yaml_bool(node)
        if tag == "tag:yaml.org,2002:int":
            number = _constructor.construct_yaml_int(node)
            if abs(number) > MAX_ABS_NUMBER:
                doc.problem(f"number too large: {node.value[:40]}", _mark(node), field)
                return None
            return number
        if tag == "tag:yaml.org,2002:float":
            return _finite(_constructor.construct_yaml_float(node), node, field, doc)
        if tag == "tag:yaml.org,2002:timestamp":
            try:
                return _constructor.construct_yaml_timestamp(node)
            except ValueError:
                doc.problem(f"expected a valid date, got {node.value[:40]!r}", _mark(node), field)
                return None
    except (ValueError, OverflowError, TypeError, yaml.YAMLError):
        doc.problem(f"cannot read the value {node.value[:40]!r}", _mark(node), field)
        return None
    doc.problem(f"unsupported YAML tag {tag!r} (write plain values)", _mark(node), field)
    return None


def _to_python(node: yaml.Node, field: FieldPath, doc: _Located, seen: set[int]) -> Any:
    """Turn one composed node into plain data, recording positions and problems."""
    if id(node) in seen:
        # An alias: expanding them is how "billion laughs" bombs work, and case files need none.
        doc.problem(
            "YAML aliases (*name) are not supported: write the value out", _mark(node), field
        )
        return None
    seen.add(id(node))
    doc.values[field] = _mark(node)
    if len(field) > MAX_DEPTH:
        # Name where the nesting starts; 64 levels of "[0]" help nobody find it.
        doc.problem(_TOO_DEEP, _mark(node), field[:2])
        return None
    if isinstance(node, yaml.ScalarNode):
        return _scalar(node, field, doc)
    if isinstance(node, yaml.SequenceNode):
        if node.tag != "tag:yaml.org,2002:seq":
            doc.problem(f"unsupported YAML tag {node.tag!r}", _mark(node), field)
            return None
        return [_to_python(item, (*field, i), doc, seen) for i, item in enumerate(node.value)]
    if isinstance(node, yaml.MappingNode):
        if node.tag != "tag:yaml.org,2002:map":
            doc.problem(f"unsupported YAML tag {node.tag!r}", _mark(node), field)
            return None
        mapping: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.value == "<<":
                doc.problem("YAML merge keys (<<) are not supported", _mark(key_node), field)
                continue
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in _KEY_TAGS:
                doc.problem("mapping keys must be plain names", _mark(key_node), field)
                continue
            # Keys are names in this format: `2027:` or `yes:` mean the text, not int/bool.
            key = key_node.value
            if key in mapping:
                first = doc.keys[(*field, key)]
                doc.problem(
                    f"duplicate key '{key}' (first given on line {first[0]})",
                    _mark(key_node),
                    (*field, key),
                )
                continue
            doc.keys[(*field, key)] = _mark(key_node)
            mapping[key] = _to_python(value_node, (*field, key), doc, seen)
        return mapping
    doc.problem("unsupported YAML node", _mark(node), field)  # pragma: no cover
    return None


_KEY_TAGS = frozenset(
    f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "timestamp")
)


def _decode(data: bytes, doc: _Located) -> str | None:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as bad:
        line = data.count(b"\n", 0, bad.start) + 1
        col = bad.start - (data.rfind(b"\n", 0, bad.start) + 1) + 1
        doc.problem(f"not UTF-8 text: byte 0x{data[bad.start]:02x} cannot be decoded", (line, col))
        return None
    return text.removeprefix("\ufeff")


def _yaml_error(error: yaml.YAMLError, doc: _Located) -> None:
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    what = getattr(error, "problem", None) or str(error).splitlines()[0]
    context = getattr(error, "context", None)
    message = f"invalid YAML: {what}" + (f" ({context})" if context else "")
    doc.problem(message, (mark.line + 1, mark.column + 1) if mark is not None else None)


def _read_yaml(text: str, doc: _Located) -> Any:
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as error:
        _yaml_error(error, doc)
        return None
    except RecursionError:
        doc.problem(_TOO_DEEP, None)
        return None
    if node is None:
        doc.problem("the file is empty (expected a mapping of keys)", (1, 1))
        return None
    try:
        return _to_python(node, (), doc, set())
    except RecursionError:
        doc.problem(_TOO_DEEP, None)
        return None


def _reject_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"duplicate key '{key}'")
        result[key] = value
    return result


def _reject_constant(name: str) -> Any:
    raise ValueError(f"expected a finite number, got {name}")


def _read_json(text: str, doc: _Located) -> Any:
    """Parse JSON with :mod:`json` (the value), and compose it as YAML (the positions).

    :mod:`json` has no positions for what it refuses through a hook (a duplicate key,
    NaN or Infinity) nor for nesting that is legal JSON but deeper than a case allows;
    the YAML composer has them, so those problems are reported at its marks, and every
    other position in the file is kept.
    """
    try:
        value = json.loads(
            text, object_pairs_hook=_reject_duplicates, parse_constant=_reject_constant
        )
        refused: str | None = None
    except json.JSONDecodeError as error:
        doc.problem(f"invalid JSON: {error.msg}", (error.lineno, error.colno))
        return None
    except (ValueError, RecursionError) as error:
        value = None
        refused = f"invalid JSON: {error}" if str(error) else _TOO_DEEP
    # JSON is (nearly) YAML: compose it once more to learn positions.
    located = _Located(doc.path)
    located.json = True
    try:
        located_value = _read_yaml(text, located)
    except Exception:  # noqa: BLE001 - positions are a nicety; the JSON value stands
        located_value, located.problems = None, []
    # Positions are kept when both readers saw the same document, or differ only where the
    # composer refused a value (json's value is then checked below, at that position).
    same = located_value == value or (located_value is not None and bool(located.problems))
    if refused is None:
        # json accepted it; of what the composer refuses, only nesting is not checked below.
        located.problems = [p for p in located.problems if p.message == _TOO_DEEP]
    if located.problems or refused is not None:
        # What json refused (or nested too deep): the composer says where, when it can.
        if located.problems and all(p.location.line is not None for p in located.problems):
            doc.values, doc.keys = located.values, located.keys
            doc.problems.extend(located.problems)
            doc.omitted += located.omitted
            return None
        if refused is not None:
            doc.problem(refused, None)
            return None
    if same:
        doc.values, doc.keys = located.values, located.keys
    return _check_json_numbers(value, (), doc)


def _check_json_numbers(value: Any, field: FieldPath, doc: _Located) -> Any:
    if isinstance(value, dict):
        return {k: _check_json_numbers(v, (*field, k), doc) for k, v in value.items()}
    if isinstance(value, list):
        return [_check_json_numbers(v, (*field, i), doc) for i, v in enumerate(value)]
    if isinstance(value, int | float) and not isinstance(value, bool):
        if not is_case_number(value):
            doc.problem(f"number too large: {str(value)[:40]}", doc.position(field), field)
            return None
    return value


def read_data(text: str | bytes, *, path: str, json_format: bool | None = None) -> Any:
    """Parse YAML or JSON text into plain data; raise a located ``CaseFileError`` on failure.

    Returns the data and keeps nothing else; use :func:`parse_model` to validate it.
    """
    data, doc = _read(text, path=path, json_format=json_format)
    _raise_if(doc)
    return data


def _read(text: str | bytes, *, path: str, json_format: bool | None) -> tuple[Any, _Located]:
    doc = _Located(path)
    size = len(text.encode("utf-8", "surrogatepass")) if isinstance(text, str) else len(text)
    if size > MAX_FILE_BYTES:
        doc.problem(
            f"file too large: {size / 1e6:.1f} MB (at most {MAX_FILE_BYTES // (1024 * 1024)} MB)",
            None,
        )
        return None, doc
    if isinstance(text, bytes):
        decoded = _decode(text, doc)
        if decoded is None:
            return None, doc
        text = decoded
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        doc.problem("not a text file: contains a NUL character", (line, 1))
        return None, doc
    if json_format is None:
        json_format = path.lower().endswith(".json")
    if _too_many_keys(text, doc, json_format=json_format):
        return None, doc
    data = _read_json(text, doc) if json_format else _read_yaml(text, doc)
    if not doc.problems and not isinstance(data, dict):
        doc.problem(
            f"expected a mapping of keys at the top level, got {_describe(data)}",
            doc.position(()),
        )
    return data, doc


# What ends a mapping key: `key: value` / `key:` at a line end in YAML, `"key":` in JSON.
# Text values holding ": " count too; the budget is far above any real file's keys.
_YAML_KEY_END = re.compile(r":(?=[ \t\r\n])|:$", re.M)
_JSON_KEY_END = re.compile(r'"[ \t]*:')


def _too_many_keys(text: str, doc: _Located, *, json_format: bool) -> bool:
    """Refuse a file with more than :data:`MAX_KEYS` keys before composing it, at the first
    key past the budget (a cheap count first; the position is found only when refused)."""
    if json_format:
        count = text.count('":') + text.count('" :')
    else:
        count = text.count(": ") + text.count(":\n") + text.count(":\t") + text.count(":\r")
        count += text.endswith(":")
    if count <= MAX_KEYS:
        return False
    pattern = _JSON_KEY_END if json_format else _YAML_KEY_END
    marks = pattern.finditer(text)
    past = next(itertools.islice(marks, MAX_KEYS, None), None)
    if past is None:  # the quick count over-counted: within the budget after all
        return False
    at = past.start()
    line_start = text.rfind("\n", 0, at) + 1
    head = text[line_start:at]
    key_start = line_start + len(head) - len(re.split(r"[\s{,\[]", head)[-1])
    doc.problem(
        f"more than {MAX_KEYS:,} mapping keys (a case or plan file may hold at most "
        f"{MAX_KEYS:,}; the first key past the limit is here)",
        (text.count("\n", 0, at) + 1, key_start - line_start + 1),
    )
    return True


def _raise_if(doc: _Located) -> None:
    if doc.problems:
        problems = sorted(
            doc.problems,
            key=lambda p: (p.location.line or 0, p.location.column or 0, p.location.field or ""),
        )
        n = len(problems) + doc.omitted
        if doc.omitted:
            problems.append(
                Problem(
                    f"and {doc.omitted} more problems "
                    f"(only the first {MAX_REPORTED_PROBLEMS} are listed)",
                    Location(doc.path),
                )
            )
        raise CaseFileError(
            f"{doc.path}: {n} problem{'s' if n != 1 else ''} found", problems=problems
        )


def parse_model(text: str | bytes, model: type[T], *, path: str = "<string>") -> T:
    """Parse and validate ``text`` as ``model``; raise one located ``CaseFileError`` on failure.

    ``path`` names the source in messages; a name ending in ``.json`` selects JSON.
    """
    data, doc = _read(text, path=path, json_format=None)
    _raise_if(doc)
    return validate_data(data, model, doc)


def validate_data(data: Any, model: type[T], doc: _Located | None = None) -> T:
    """Validate plain data as ``model`` (positions from ``doc`` when the data came from text)."""
    doc = doc if doc is not None else _Located("<data>")
    try:
        result = model.model_validate(data, context={"defer_references": True})
    except ValidationError as error:
        for item in error.errors(include_url=False):
            if doc.full:
                doc.omitted += 1  # counted only: no position or "did you mean" work
                continue
            _pydantic_problem(item, data, model, doc)
        _raise_if(doc)
        raise  # pragma: no cover - every pydantic error became a problem above
    except RecursionError:
        doc.problem(_TOO_DEEP, None)
        _raise_if(doc)
        raise  # pragma: no cover
    check = getattr(result, "reference_problems", None)
    if callable(check):
        for found in check():
            field, message = tuple(found[0]), str(found[1])
            on_key = bool(getattr(found, "on_key", False))
            doc.problem(message, doc.position(field, key=on_key), field)
    _raise_if(doc)
    return result


def load_model(path: Path | str, model: type[T], *, kind: str = "case") -> T:
    """Read the file at ``path`` and validate it as ``model`` (a located error otherwise)."""
    where = str(path)
    # Bounded read: the reported size of /dev/zero or a pipe is 0, so never trust it.
    data = read_bounded(path, kind, limit=MAX_FILE_BYTES)
    return parse_model(data, model, path=where)


# --- pydantic errors -> located problems --------------------------------------------------


def _walk_data(data: Any, loc: tuple[Any, ...], *, missing: bool = False) -> FieldPath:
    """Keep the parts of a pydantic ``loc`` that exist in the data (drops union tags)."""
    field: list[str | int] = []
    current = data
    for i, part in enumerate(loc):
        if isinstance(current, dict) and isinstance(part, str) and part in current:
            field.append(part)
            current = current[part]
        elif isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current):
            field.append(part)
            current = current[part]
        elif missing and isinstance(part, str) and i == len(loc) - 1:
            field.append(part)  # a missing key: name it
        # else: a union member tag such as 'direct' or 'function-after[...]'
    return tuple(field)


def _model_fields_at(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str] | None:
    """The field names of the model found at ``loc`` (for "did you mean" on unknown keys)."""
    current: Any = model
    for part in loc:
        current = _step(current, part)
        if current is None:
            return None
    candidates = list(_models_in(current))
    if not candidates:
        return None
    names: list[str] = []
    for candidate in candidates:
        names.extend(n for n in candidate.model_fields if n not in names)
    return names


def _models_in(annotation: Any) -> Iterator[type[BaseModel]]:
    annotation = _unwrap(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
    elif typing.get_origin(annotation) in (typing.Union, types.UnionType):
        for member in typing.get_args(annotation):
            yield from _models_in(member)


def _unwrap(annotation: Any) -> Any:
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    return annotation


def _step(annotation: Any, part: Any) -> Any:
    annotation = _unwrap(annotation)
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        members = [m for m in typing.get_args(annotation) if m is not type(None)]
        for member in members:  # a union tag in the loc names the member
            member_u = _unwrap(member)
            tag = getattr(member_u, "model_config", {}).get("title") or getattr(
                member_u, "__name__", None
            )
            if part == tag or _literal_tag(member_u) == part:
                return member_u
        stepped = [s for s in (_step(m, part) for m in members) if s is not None]
        return stepped[0] if len(stepped) == 1 else (stepped[0] if stepped else None)
    if origin in (list, tuple) and isinstance(part, int):
        return typing.get_args(annotation)[0]
    if origin in (dict, Mapping) and isinstance(part, str):
        return typing.get_args(annotation)[1]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        info = annotation.model_fields.get(part) if isinstance(part, str) else None
        return info.annotation if info is not None else None
    return None


def _literal_tag(model: Any) -> Any:
    if not (isinstance(model, type) and issubclass(model, BaseModel)):
        return None
    info = model.model_fields.get("method") or model.model_fields.get("kind")
    if info is None:
        return None
    args = typing.get_args(_unwrap(info.annotation))
    return args[0] if len(args) == 1 else None


_NUMBER_TYPES = {"float_type", "float_parsing", "int_type", "int_parsing", "finite_number"}
_EXPECT = {
    "string_type": "text",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "list_type": "a list",
    "tuple_type": "a list",
    "dict_type": "a mapping",
    "model_type": "a mapping",
    "model_attributes_type": "a mapping",
    "date_type": "a date YYYY-MM-DD",
    "date_parsing": "a date YYYY-MM-DD",
    "date_from_datetime_parsing": "a date YYYY-MM-DD",
    "date_from_datetime_inexact": "a date YYYY-MM-DD without a time",
    "int_from_float": "a whole number",
}
_BOUNDS = {
    "greater_than": ">",
    "greater_than_equal": ">=",
    "less_than": "<",
    "less_than_equal": "<=",
}


def _pydantic_problem(
    item: Mapping[str, Any], data: Any, model: type[BaseModel], doc: _Located
) -> None:
    loc = tuple(item["loc"])
    kind = str(item["type"])
    value = item.get("input")
    ctx = item.get("ctx") or {}
    field = _walk_data(data, loc, missing=kind == "missing")
    at = doc.position(field)
    if kind == "missing":
        name = field[-1] if field else loc[-1]
        doc.problem(f"missing required key '{name}'", doc.position(field[:-1]), field)
        return
    if kind == "extra_forbidden":
        name = str(field[-1]) if field else str(loc[-1])
        allowed = _model_fields_at(model, loc[:-1]) or []
        doc.problem(
            f"unknown key '{name}'{did_you_mean(name, allowed)}",
            doc.position(field, key=True),
            field,
        )
        return
    if kind in _NUMBER_TYPES:
        whole = kind.startswith("int")
        expected = "a whole number" if whole else "a number"
        message = f"expected {expected}, got {_describe(value)}"
    elif kind in _EXPECT:
        message = f"expected {_EXPECT[kind]}, got {_describe(value)}"
    elif kind == "literal_error":
        expected = str(ctx.get("expected", ""))
        options = [o.strip(" '") for o in expected.replace(" or ", ",").split(",")]
        hint = did_you_mean(str(value), options) if isinstance(value, str) else ""
        message = f"expected {expected}, got {_describe(value)}{hint}"
    elif kind == "string_pattern_mismatch":
        message = (
            f"expected an id (lowercase letters, digits, '-' or '_', starting with a letter "
            f"or digit), got {_describe(value)}"
        )
    elif kind in _BOUNDS:
        bound = next(iter(ctx.values()), "?")
        bound = f"{bound:g}" if isinstance(bound, int | float) else bound
        message = f"expected a number {_BOUNDS[kind]} {bound}, got {_describe(value)}"
    elif kind == "union_tag_invalid":
        tags = str(ctx.get("expected_tags", ""))
        got = str(ctx.get("tag", value))
        options = [t.strip(" '") for t in tags.split(",")]
        message = f"expected {ctx.get('discriminator', 'a kind')} one of {tags}, got '{got}'"
        message += did_you_mean(got, options)
    elif kind == "union_tag_not_found":
        name = str(ctx.get("discriminator", "kind")).strip("'")
        doc.problem(f"missing required key {name!r}", at, field)
        return
    elif kind in ("value_error", "assertion_error"):
        error = ctx.get("error")
        message = str(error) if error is not None else str(item["msg"])
    elif kind in ("too_short", "too_long"):
        message = str(item["msg"]).replace("List", "list")
    else:
        message = str(item["msg"])
    doc.problem(message, at, field)


# --- writing --------------------------------------------------------------------------------


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    """Block-style YAML; multi-line text as literal blocks; whole floats without '.0'."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _represent_float(dumper: yaml.SafeDumper, value: float) -> yaml.Node:
    if value.is_integer() and abs(value) < 2**53:
        return dumper.represent_int(int(value))
    return dumper.represent_float(value)


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(float, _represent_float)


def to_plain(model: BaseModel) -> Any:
    """The model as plain data: defaults and unset optional values left out."""
    return model.model_dump(mode="python", exclude_unset=True, exclude_none=True)


def to_yaml_text(model: BaseModel) -> str:
    """The model as block-style YAML, keys in the model's field order."""
    text: str = yaml.dump(
        to_plain(model),
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=100,
    )
    return text


def to_json_text(model: BaseModel) -> str:
    """The model as indented JSON, keys in the model's field order."""
    data = model.model_dump(mode="json", exclude_unset=True, exclude_none=True)
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def dump_model(model: BaseModel, path: Path | str) -> None:
    """Write ``model`` to ``path`` as JSON (``.json``) or YAML (anything else)."""
    target = Path(path)
    text = to_json_text(model) if target.suffix.lower() == ".json" else to_yaml_text(model)
    target.write_text(text, encoding="utf-8")
