"""Append one decision to a case file's ``decisions:`` log, touching nothing else.

The decision log is append-only: an entry is never edited, and adding one must not
reformat the facilitator's file.  So the entry is inserted as text at the end of the
``decisions:`` list (found with PyYAML's composer, which reports where each node starts
and ends), and every other byte of the file, comments included, stays as it was.  The
result is re-validated as a :class:`~accord.model.case.Case` before anything is written;
on any problem the file is left unchanged.  The write itself is atomic (a temporary file
renamed over the original).

Supported layouts: a block list (``decisions:`` then ``- id: ...`` items), a flow list
(``decisions: []`` or a JSON array), no ``decisions`` key at all (appended at the end), and
JSON case files.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from accord.errors import CaseFileError, InputError, Location, Problem
from accord.io.case_file import parse_case
from accord.model.case import Case
from accord.model.records import Decision


@dataclass(frozen=True)
class DecisionEntry:
    """What ``accord decide`` records; ``None`` fields are filled from the case."""

    options: list[str]
    rationale: str
    dissent: list[tuple[str, str]] = field(default_factory=list)
    date: dt.date | None = None
    review_date: dt.date | None = None
    accountable: str | None = None
    decision_id: str | None = None


def append_decision(path: Path | str, entry: DecisionEntry, *, today: dt.date) -> Decision:
    """Append ``entry`` to the case file at ``path``; return the decision as recorded.

    ``today`` is the decision date when the entry gives none.  Raises
    :class:`~accord.errors.InputError` (file unchanged) when the case does not load, when
    the entry names an unknown option or stakeholder, or when the result would not load.
    """
    target = Path(path)
    try:
        original = target.read_bytes()
    except FileNotFoundError:
        raise CaseFileError(f"{target}: no such case file") from None
    except OSError as error:
        raise CaseFileError(f"{target}: cannot read: {error.strerror or error}") from None
    case = parse_case(original, path=str(target))
    record = _record(case, entry, today)
    text = original.decode("utf-8-sig")
    bom = "\ufeff" if original.startswith(b"\xef\xbb\xbf") else ""
    updated = bom + insert_decision(text, record, json_format=target.suffix.lower() == ".json")
    try:
        result = parse_case(updated.encode("utf-8"), path=str(target))
    except CaseFileError as error:
        raise InputError(
            f"{target}: decision not recorded (file unchanged): the entry would make the case "
            "invalid",
            problems=[_as_given(p, text, updated) for p in error.problems],
        ) from None
    # The log is append-only: everything but the new entry must read back identically.
    before = case.model_dump(exclude={"decisions"})
    if result.model_dump(exclude={"decisions"}) != before or result.decisions[:-1] != list(
        case.decisions
    ):
        raise InputError(
            f"{target}: decision not recorded (file unchanged): the layout of "
            "'decisions:' could not be extended safely; add the entry by hand"
        )
    _write_atomically(target, updated.encode("utf-8"))
    return result.decisions[-1]


# The command-line option that gave each field of the new entry.
_OPTION_OF = {
    "id": "--id",
    "option": "--option",
    "date": "--date",
    "accountable": "--accountable",
    "rationale": "--rationale",
    "dissent": "--dissent",
    "review_date": "--review-date",
}


def _as_given(problem: Problem, before: str, after: str) -> Problem:
    """A problem found in the file as it would be, placed where the user can find it.

    The user never saw the entry ``accord decide`` wrote: a problem inside it names the
    option that supplied the value; a problem below it gets its line in the file as it is.
    """
    line = problem.location.line
    if line is None:
        return problem
    start = len(os.path.commonprefix([before, after]))
    tail = len(os.path.commonprefix([before[start:][::-1], after[start:][::-1]]))
    first = after.count("\n", 0, start) + 1
    last = after.count("\n", 0, max(start, len(after) - tail - 1)) + 1  # its last character
    added = after.count("\n") - before.count("\n")
    if line < first:
        return problem
    if line > last:
        where = problem.location
        return Problem(
            problem.message, Location(where.path, line - added, where.column, where.field)
        )
    field = problem.location.field or ""
    name = field.split("].", 1)[-1].split("[", 1)[0].split(".", 1)[0] if "]." in field else ""
    return Problem(problem.message, Location(field=_OPTION_OF.get(name, "the new decision")))


def _record(case: Case, entry: DecisionEntry, today: dt.date) -> dict[str, Any]:
    if not entry.options:
        raise InputError("give the chosen option with --option (at least one)")
    if not entry.rationale.strip():
        raise InputError("--rationale is empty (say in a sentence why this option was chosen)")
    accountable = entry.accountable or case.decision_owner
    if accountable is None:
        raise InputError(
            "the case has no decision_owner, so nobody is accountable for this decision "
            "(set decision_owner in the case or pass --accountable STAKEHOLDER)"
        )
    date = entry.date or today
    every = case.cadence.review_every_days if case.cadence is not None else 30
    review = entry.review_date or date + dt.timedelta(days=every)
    if review < date:
        raise InputError(
            f"--review-date {review} is before the decision date {date} "
            "(expected a review on or after the decision)"
        )
    known = {d.id for d in case.decisions}
    ident = entry.decision_id or _new_id(f"{entry.options[0]}-{date.isoformat()}", known)
    if ident in known:
        raise InputError(f"decision id '{ident}' is already in the log (ids are unique)")
    record: dict[str, Any] = {
        "id": ident,
        "option": entry.options[0] if len(entry.options) == 1 else list(entry.options),
        "date": date,
        "accountable": accountable,
        "rationale": entry.rationale.strip(),
        "dissent": [{"by": who.strip(), "reason": why.strip()} for who, why in entry.dissent],
        "review_date": review,
    }
    return record


def _new_id(base: str, taken: set[str]) -> str:
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def parse_dissent(value: str) -> tuple[str, str]:
    """``"cfo:Margin falls below floor"`` -> ``("cfo", "Margin falls below floor")``.

    >>> parse_dissent("cro: Too slow for H1")
    ('cro', 'Too slow for H1')
    """
    who, sep, why = value.partition(":")
    if not sep or not who.strip() or not why.strip():
        raise InputError(
            f"--dissent {value!r} is not 'who:why' (expected a stakeholder id, a colon and "
            "the reason, e.g. --dissent 'cfo:Margin falls below the floor')"
        )
    return who.strip(), why.strip()


# --- text insertion ---------------------------------------------------------------------


def insert_decision(text: str, record: dict[str, Any], *, json_format: bool = False) -> str:
    """``text`` with ``record`` appended to its ``decisions`` list; all other bytes kept."""
    newline = "\r\n" if "\r\n" in text else "\n"
    try:
        root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as error:  # parse_case accepted it, so this is unexpected
        raise InputError(f"cannot locate 'decisions:' in the file: {error}") from None
    if not isinstance(root, yaml.MappingNode):
        raise InputError("the case file's top level is not a mapping")
    value = next((v for k, v in root.value if k.value == "decisions"), None)
    if json_format or root.flow_style:
        return _insert_flow_root(text, root, value, record)
    if value is None:
        return _append_key(text, record, newline)
    if isinstance(value, yaml.SequenceNode) and value.flow_style:
        return _insert_flow_item(text, value, record)
    if isinstance(value, yaml.SequenceNode):
        return _insert_block_item(text, value, record, newline)
    raise InputError("'decisions' is not a list; cannot append to it")


def _jsonable(record: dict[str, Any]) -> dict[str, Any]:
    converted: dict[str, Any] = json.loads(json.dumps(record, default=_iso))
    return converted


def _iso(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(type(value).__name__)


# YAML reads these as line breaks even inside quotes, so text holding them is written
# with escapes (YAML 1.1 §5.4); everything else keeps its readable unicode form.
_YAML_BREAKS = ("\x85", "\u2028", "\u2029")


def _has_yaml_break(record: dict[str, Any]) -> bool:
    return any(ch in json.dumps(record, default=_iso, ensure_ascii=False) for ch in _YAML_BREAKS)


class _IndentedDumper(yaml.SafeDumper):
    """Indents list items under their key (``dissent:`` then ``  - by: ...``), as people do."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _block(record: dict[str, Any], indent: int, newline: str) -> str:
    dumped = yaml.dump(
        record,
        Dumper=_IndentedDumper,
        sort_keys=False,
        allow_unicode=not _has_yaml_break(record),
        default_flow_style=False,
        width=88,
    )
    lines = dumped.rstrip("\n").split("\n")
    pad = " " * indent
    body = [pad + "- " + lines[0]] + [pad + "  " + line for line in lines[1:]]
    return newline.join(body) + newline


def _append_key(text: str, record: dict[str, Any], newline: str) -> str:
    lead = "" if text.endswith("\n") or not text else newline
    return text + lead + "decisions:" + newline + _block(record, 2, newline)


def _insert_flow_item(text: str, sequence: yaml.SequenceNode, record: dict[str, Any]) -> str:
    close = text.rindex("]", 0, sequence.end_mark.index)
    item = json.dumps(_jsonable(record), ensure_ascii=_has_yaml_break(record))
    separator = ", " if sequence.value else ""
    return text[:close] + separator + item + text[close:]


def _insert_flow_root(
    text: str, root: yaml.MappingNode, value: yaml.Node | None, record: dict[str, Any]
) -> str:
    if isinstance(value, yaml.SequenceNode) and value.flow_style:
        return _insert_flow_item(text, value, record)
    if value is not None:
        raise InputError("'decisions' is not a list; cannot append to it")
    close = text.rindex("}", 0, root.end_mark.index)
    item = json.dumps(_jsonable(record), ensure_ascii=_has_yaml_break(record))
    separator = ", " if root.value else ""
    # Keep the closing brace on its own line when the file is pretty-printed JSON.
    before = text[:close].rstrip()
    gap = text[len(before) : close]
    return before + separator + f'"decisions": [{item}]' + gap + text[close:]


def _insert_block_item(
    text: str, sequence: yaml.SequenceNode, record: dict[str, Any], newline: str
) -> str:
    if not sequence.value:  # a block sequence always has an item; defensive
        raise InputError("'decisions' is an empty block list; cannot append to it")
    dash = _dash_column(text, sequence.value[0])
    last = _last_leaf(sequence.value[-1])
    end = last.end_mark.index
    # A block scalar's end mark is already at the start of the following line.
    at = end if last.end_mark.column == 0 else _line_end(text, end) + len(newline)
    if at > len(text):
        return text + newline + _block(record, dash, newline)
    # A block scalar also swallows the blank lines after it; keep them after the new entry.
    # (With keep-chomping `|+` they are content: the re-validation then refuses the change.)
    while text[max(0, at - 2 * len(newline)) : at] == newline * 2:
        at -= len(newline)
    return text[:at] + _block(record, dash, newline) + text[at:]


def _dash_column(text: str, item: yaml.Node) -> int:
    line_start = text.rfind("\n", 0, item.start_mark.index) + 1
    head = text[line_start : item.start_mark.index]
    position = head.rfind("-")
    if position < 0:
        raise InputError("cannot find the '-' of the first decision; add the entry by hand")
    return position


def _last_leaf(node: yaml.Node) -> yaml.Node:
    while isinstance(node, yaml.MappingNode | yaml.SequenceNode) and not node.flow_style:
        if not node.value:
            break
        tail = node.value[-1]
        node = tail[1] if isinstance(tail, tuple) else tail
    return node


def _line_end(text: str, index: int) -> int:
    found = text.find("\n", index)
    if found < 0:
        return len(text)
    return found - 1 if found > 0 and text[found - 1] == "\r" else found


def _write_atomically(target: Path, data: bytes) -> None:
    mode = target.stat().st_mode & 0o777
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


__all__ = ["DecisionEntry", "append_decision", "insert_decision", "parse_dissent"]
