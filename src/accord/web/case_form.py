"""The case builder's forms: one section of a case <-> form fields named by field path.

Every input is named by the path the case loader uses in its messages
(``options[2].estimates.margin.low``), so a located problem lands next to its field by name.
The form's state travels as *raw* values (text as typed, a tree of dicts and lists with
``list[str]`` leaves), rendered back unchanged when a save fails.  Saving turns the raw
section into plain data, merges it into the current case and runs the result through the
CLI's loader (:func:`accord.io.case_file.parse_case`): the same checks, the same messages.

The widgets are derived from the pydantic models, so a field added to the model appears in
the builder without a template change.
"""

from __future__ import annotations

import datetime as dt
import re
import types
import typing
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml
from pydantic import BaseModel

from accord.errors import AccordError, Problem
from accord.io.case_file import parse_case
from accord.io.loader import MAX_ABS_NUMBER, format_field, is_case_number, to_plain, to_yaml_text
from accord.model.case import Case
from accord.model.criteria import Criterion
from accord.model.facts import EstimateRef, Fact
from accord.model.guardrails import Guardrail
from accord.model.ideas import CaseStatement, Idea
from accord.model.options import Estimate, ProCon, Risk
from accord.model.records import Action
from accord.model.scenarios import Adjustment
from accord.model.stakeholders import Stakeholder, StakeholderGoal

FieldPath = tuple[str | int, ...]
Raw = Any
"""Form state: ``dict[str, Raw]`` for a model, ``list[Raw]`` for entries, ``list[str]`` leaves."""

ITEM_MARK = "_"
"""Hidden field in every entry, so an entry whose fields are all empty still exists."""


@dataclass(frozen=True)
class Section:
    """One page of the builder: a few top-level keys of the case."""

    slug: str
    title: str
    keys: tuple[str, ...]
    intro: str


SECTIONS: tuple[Section, ...] = (
    Section(
        "case",
        "The decision",
        ("id", "title", "question", "context", "deadline", "decision_owner", "decision_kind"),
        "What is being decided, by when and by whom.",
    ),
    Section(
        "stakeholders",
        "Stakeholders",
        ("stakeholders", "escalation"),
        "Who has a stake: role, RACI, authority, their own goals, drivers and concerns.",
    ),
    Section(
        "goals",
        "Goals and KPIs",
        ("company_goals",),
        "The shared goals every stakeholder serves, each with its KPIs.",
    ),
    Section(
        "facts",
        "Facts",
        ("facts",),
        "The shared fact base: each fact with its source and who accepts or disputes it.",
    ),
    Section("criteria", "Criteria", ("criteria",), "What the options are judged on."),
    Section(
        "options",
        "Options",
        ("options",),
        "The options: an estimate (or a low / likely / high range) per criterion, cost, "
        "effort, risks with mitigations, pros and cons.",
    ),
    Section(
        "guardrails",
        "Guardrails",
        ("guardrails",),
        "Bounds no chosen option may break (counter-metrics).",
    ),
    Section("scenarios", "Scenarios", ("scenarios",), "Possible futures that adjust estimates."),
    Section(
        "budget",
        "Budget",
        ("budget", "capacity", "dots_budget"),
        "Money and capacity available; dots per stakeholder for dot voting.",
    ),
    Section(
        "statements",
        "Statements and ideas",
        ("statements", "ideas"),
        "Statements for the opinion map and ideas from interviews or workshops.",
    ),
    Section(
        "follow-up",
        "Actions and cadence",
        ("actions", "cadence"),
        "The action register and how often the decision is reviewed.",
    ),
)
SECTION_BY_SLUG = {s.slug: s for s in SECTIONS}

# Fields naming another part of the case: offered as a choice of that part's ids.
_REFERENCES: dict[tuple[type[BaseModel], str], str] = {
    (Case, "decision_owner"): "stakeholder",
    (StakeholderGoal, "serves"): "goal",
    (Criterion, "goal"): "goal",
    (Fact, "accepted_by"): "stakeholder",
    (Fact, "disputed_by"): "stakeholder",
    (EstimateRef, "option"): "option",
    (EstimateRef, "criterion"): "criterion",
    (Risk, "owner"): "stakeholder",
    (ProCon, "by"): "stakeholder",
    (Guardrail, "criterion"): "criterion",
    (Guardrail, "owner"): "stakeholder",
    (Guardrail, "protects"): "goal",
    (Adjustment, "option"): "option",
    (Adjustment, "criterion"): "criterion",
    (Action, "owner"): "stakeholder",
    (Action, "decision"): "decision",
    (CaseStatement, "author"): "stakeholder",
    (Idea, "by"): "stakeholder",
}
# Lists of free text: one entry per line (their entries may hold commas).
_LINES = {(Stakeholder, "drivers"), (Stakeholder, "concerns")}
_LONG_TEXT = {"context", "question", "description", "rationale"}
_LABELS = {
    "id": "Id",
    "raci": "RACI",
    "kpis": "KPIs",
    "kpi": "KPI",
    "as_of": "As of",
    "dots_budget": "Dots per stakeholder",
    "decision_kind": "Kind of decision",
    "informs": "Estimates it informs",
    "review_every_days": "Review every (days)",
    "residual_likelihood": "Likelihood after mitigation",
    "residual_impact": "Impact after mitigation",
}
_SINGULAR = {
    "stakeholders": "stakeholder",
    "company_goals": "goal",
    "kpis": "KPI",
    "goals": "goal",
    "facts": "fact",
    "informs": "estimate",
    "criteria": "criterion",
    "options": "option",
    "risks": "risk",
    "pros": "pro",
    "cons": "con",
    "guardrails": "guardrail",
    "scenarios": "scenario",
    "adjustments": "adjustment",
    "statements": "statement",
    "ideas": "idea",
    "actions": "action",
    "checkpoints": "checkpoint",
}
_ESTIMATE_PARTS = ("low", "likely", "high")


@dataclass
class Widget:
    """One thing on the form: an input, or a group of them (``children``).

    ``kind`` is text, textarea, number, integer, checkbox, select, date, choices (a set of
    checkboxes), group, items (a list of entries), item, estimates or estimate.
    """

    kind: str
    name: str
    label: str
    hint: str = ""
    value: Any = ""
    choices: list[tuple[str, str]] = field(default_factory=list)
    required: bool = False
    children: list[Widget] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    singular: str = ""
    focus: bool = False

    @property
    def id(self) -> str:
        """An HTML id from the name: ``options[2].cost`` -> ``f-options_2-cost``."""
        text = self.name.replace("[", "_").replace("]", "").replace(".", "-")
        return "f-" + re.sub(r"[^A-Za-z0-9_-]", "", text)

    def walk(self) -> Iterable[Widget]:
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class Located:
    """A problem for the page: its field path, message and the widget it was placed on."""

    field: str
    message: str
    widget_id: str | None = None


# --- types ------------------------------------------------------------------------------


def _unwrap(annotation: Any) -> tuple[Any, bool]:
    """``(base type, optional)`` with ``Annotated`` and ``| None`` removed."""
    optional = False
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            members = [m for m in typing.get_args(annotation) if m is not type(None)]
            optional = optional or len(members) < len(typing.get_args(annotation))
            if len(members) != 1:
                return annotation, optional
            annotation = members[0]
        else:
            return annotation, optional


def _shape(model: type[BaseModel], name: str) -> tuple[str, Any, bool]:
    """``(kind, detail, optional)`` of a model field (detail: sub-model or choices)."""
    info = model.model_fields[name]
    base, optional = _unwrap(info.annotation)
    origin = typing.get_origin(base)
    if (model, name) in _REFERENCES:
        return ("choices" if origin is list else "reference"), _REFERENCES[(model, name)], optional
    if origin is typing.Literal:
        return "select", [str(a) for a in typing.get_args(base)], optional
    if origin is list:
        item, _ = _unwrap(typing.get_args(base)[0])
        if isinstance(item, type) and issubclass(item, BaseModel):
            return "items", item, optional
        return ("lines" if (model, name) in _LINES else "ids"), None, optional
    if origin is dict:
        value, _ = _unwrap(typing.get_args(base)[1])
        return ("estimates" if value is Estimate else "unsupported"), None, optional
    if isinstance(base, type) and issubclass(base, BaseModel):
        return "group", base, optional
    if base is bool:
        return "checkbox", None, optional
    if base is int:
        return "integer", None, optional
    if base is float:
        return "number", None, optional
    if base is dt.date:
        return "date", None, optional
    if base is str:
        return ("textarea" if name in _LONG_TEXT else "text"), None, optional
    return "unsupported", None, optional


def label_of(name: str) -> str:
    """``decision_owner`` -> ``Decision owner``."""
    return _LABELS.get(name) or name.replace("_", " ").capitalize()


# --- raw form state ---------------------------------------------------------------------

_SEGMENT = re.compile(r"([A-Za-z0-9_-]+)((?:\[\d{1,6}\])*)")
_INDEX = re.compile(r"\[(\d+)\]")


def parse_name(name: str) -> FieldPath | None:
    """``options[2].cost`` -> ``("options", 2, "cost")``; ``None`` for a name that is not a
    field path."""
    path: list[str | int] = []
    for segment in name.split("."):
        found = _SEGMENT.fullmatch(segment)
        if found is None:
            return None
        path.append(found.group(1))
        path.extend(int(i) for i in _INDEX.findall(found.group(2)))
    return tuple(path)


def raw_from_form(items: Iterable[tuple[str, str]], keys: Sequence[str]) -> dict[str, Raw]:
    """The posted fields of a section (those under ``keys``) as raw state, entries in order."""
    tree: dict[Any, Any] = {}
    for name, value in items:
        path = parse_name(name)
        if not path or path[0] not in keys:
            continue
        node = tree
        for part in path[:-1]:
            child = node.get(part)
            if not isinstance(child, dict):
                child = node[part] = {}
            node = child
        leaf = node.setdefault(path[-1], [])
        if isinstance(leaf, list):
            leaf.append(value.replace("\r\n", "\n"))
    normal = _listify(tree)
    return normal if isinstance(normal, dict) else {}


def _listify(node: Any) -> Any:
    """Dicts keyed by entry numbers become lists in number order (renumbered 0, 1, ...)."""
    if not isinstance(node, dict):
        return node
    if node and all(isinstance(k, int) for k in node):
        return [_listify(node[k]) for k in sorted(node)]
    return {k: _listify(v) for k, v in node.items() if isinstance(k, str)}


def raw_from_case(case: Case, keys: Sequence[str]) -> dict[str, Raw]:
    """The section ``keys`` of a stored case as raw form state."""
    plain = to_plain(case)
    return {k: _raw_value(Case, k, plain[k]) for k in keys if k in plain}


def _raw_model(model: type[BaseModel], plain: Mapping[str, Any]) -> dict[str, Raw]:
    raw: dict[str, Raw] = {ITEM_MARK: ["1"]}
    for name, value in plain.items():
        if name in model.model_fields:
            raw[name] = _raw_value(model, name, value)
    return raw


def _raw_value(model: type[BaseModel], name: str, value: Any) -> Raw:
    kind, detail, _ = _shape(model, name)
    if kind == "items":
        return [_raw_model(detail, v) for v in value]
    if kind == "group":
        return _raw_model(detail, value)
    if kind == "estimates":
        return {k: _raw_estimate(v) for k, v in value.items()}
    if kind == "choices":
        return [str(v) for v in value]
    if kind == "lines":
        return ["\n".join(str(v) for v in value)]
    if kind == "ids":
        return [", ".join(str(v) for v in value)]
    if kind == "checkbox":
        return ["on"] if value else []
    return [_text(value)]


def _raw_estimate(value: Any) -> dict[str, list[str]]:
    if isinstance(value, Mapping):
        return {part: [_text(value[part])] for part in _ESTIMATE_PARTS if part in value}
    return {"likely": [_text(value)]}


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "on" if value else ""
    if isinstance(value, float):
        # repr round-trips every float; whole numbers read better without '.0'.
        return str(int(value)) if value.is_integer() and abs(value) < 2**53 else repr(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return "" if value is None else str(value)


def _last(raw: Raw) -> str:
    return raw[-1] if isinstance(raw, list) and raw and isinstance(raw[-1], str) else ""


def change_entries(raw: dict[str, Raw], action: str) -> FieldPath | None:
    """Apply ``add:<path>`` (a blank entry at the end of a list) or ``remove:<path>[i]`` to
    the raw state; returns the new entry's path, or ``None``."""
    verb, _, target = action.partition(":")
    path = parse_name(target)
    if not path or verb not in ("add", "remove"):
        return None
    if verb == "add":
        node: Any = raw
        for part in path[:-1]:
            node = _child(node, part)
            if node is None:
                return None
        if not isinstance(node, dict):
            return None
        entries = node.setdefault(path[-1], [])
        if not isinstance(entries, list) or any(not isinstance(e, dict) for e in entries):
            return None
        entries.append({ITEM_MARK: ["1"]})
        return (*path, len(entries) - 1)
    parent: Any = raw
    for part in path[:-1]:
        parent = _child(parent, part)
    index = path[-1]
    if isinstance(parent, list) and isinstance(index, int) and 0 <= index < len(parent):
        parent.pop(index)
    return None


def _child(node: Any, part: str | int) -> Any:
    if isinstance(node, dict) and isinstance(part, str):
        return node.get(part)
    if isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
        return node[part]
    return None


# --- widgets ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Context:
    """What choices the form offers: the ids (and names) of the case's parts."""

    ids: Mapping[str, list[tuple[str, str]]]
    criteria: Sequence[Criterion]

    @classmethod
    def of(cls, case: Case) -> Context:
        def named(items: Iterable[Any], attr: str = "name") -> list[tuple[str, str]]:
            return [(i.id, f"{getattr(i, attr) or i.id} ({i.id})") for i in items]

        return cls(
            ids={
                "stakeholder": named(case.stakeholders),
                "goal": [(g.id, g.id) for g in case.company_goals],
                "option": named(case.options),
                "criterion": named(case.criteria),
                "decision": [(d.id, d.id) for d in case.decisions],
            },
            criteria=case.criteria,
        )


def section_widgets(
    section: Section, raw: Mapping[str, Raw], context: Context, focus: FieldPath | None = None
) -> list[Widget]:
    """The widgets of ``section`` showing ``raw``; ``focus`` marks a new entry to focus."""
    widgets = [_widget(Case, key, raw.get(key), (key,), context) for key in section.keys]
    if focus is not None:
        wanted = format_field(focus)
        for widget in (w for top in widgets for w in top.walk()):
            if widget.name == wanted:
                first = next((c for c in widget.walk() if c.kind not in _CONTAINERS), None)
                if first is not None:
                    first.focus = True
                break
    return widgets


_CONTAINERS = {"group", "items", "item", "estimates", "estimate", "choices"}


def _widget(
    model: type[BaseModel], name: str, raw: Raw, path: FieldPath, context: Context
) -> Widget:
    info = model.model_fields[name]
    kind, detail, _ = _shape(model, name)
    hint = info.description or ""

    def make(shown: str, **extra: Any) -> Widget:
        return Widget(
            shown,
            name=format_field(path),
            label=label_of(name),
            hint=hint,
            required=info.is_required(),
            **extra,
        )

    if kind == "items":
        entries = raw if isinstance(raw, list) else []
        singular = _SINGULAR.get(name, name)
        children = [
            _item(detail, entry, (*path, i), singular, i, context)
            for i, entry in enumerate(entries)
            if isinstance(entry, dict)
        ]
        return make("items", children=children, singular=singular)
    if kind == "group":
        members = raw if isinstance(raw, dict) else {}
        children = [
            _widget(detail, n, members.get(n), (*path, n), context) for n in detail.model_fields
        ]
        return make("group", children=children, value=ITEM_MARK in members)
    if kind == "estimates":
        return make("estimates", children=_estimates(raw, path, context))
    if kind in ("reference", "choices"):
        offered = dict(context.ids.get(detail, []))
        values = raw if kind == "choices" and isinstance(raw, list) else [_last(raw)]
        # Chosen ids first, in their saved order (a saved list keeps its order); an unknown
        # id is kept too, so the loader reports it.
        choices = [(v, offered.get(v, v)) for v in values if v]
        choices += [(v, text) for v, text in offered.items() if v not in values]
        if kind == "reference":
            return make("select", value=_last(raw), choices=[("", "—"), *choices])
        return make("choices", value=values, choices=choices)
    if kind == "select":
        choices = [(c, c.replace("_", " ")) for c in detail]
        if info.is_required() or info.default is None:
            choices = [("", "—"), *choices]
        value = _last(raw) or ("" if info.default is None else str(info.default))
        return make("select", value=value, choices=choices)
    if kind == "checkbox":
        return make("checkbox", value=_last(raw) == "on")
    if kind in ("lines", "ids"):
        how = "one per line" if kind == "lines" else "ids separated by commas"
        hint = f"{hint} ({how})".strip()
        return make("textarea" if kind == "lines" else "text", value=_last(raw))
    value = _last(raw)
    if kind == "text" and "\n" in value:
        kind = "textarea"  # a line break would be lost in a one-line input
    return make(kind, value=value)


def _item(
    model: type[BaseModel],
    entry: Mapping[str, Raw],
    path: FieldPath,
    singular: str,
    index: int,
    context: Context,
) -> Widget:
    title = next((_last(entry.get(k)) for k in ("name", "title", "id") if _last(entry.get(k))), "")
    label = f"{singular.capitalize()} {index + 1}" + (f": {title}" if title else "")
    children = [_widget(model, n, entry.get(n), (*path, n), context) for n in model.model_fields]
    name = format_field(path)
    return Widget("item", name=name, label=label, children=children, singular=singular)


def _estimates(raw: Raw, path: FieldPath, context: Context) -> list[Widget]:
    values = raw if isinstance(raw, dict) else {}
    rows: list[tuple[str, str]] = [
        (c.id, c.name + (f" ({c.unit})" if c.unit else ""))
        for c in context.criteria
        if not c.scored_by_stakeholders
    ]
    rows += [(k, k) for k in values if k not in {r for r, _ in rows}]
    widgets = []
    for criterion, label in rows:
        given = values.get(criterion)
        parts = given if isinstance(given, dict) else {}
        base = (*path, criterion)
        children = [
            Widget(
                "number",
                name=format_field((*base, part)),
                label=part.capitalize(),
                value=_last(parts.get(part)),
                required=part == "likely",
            )
            for part in _ESTIMATE_PARTS
        ]
        widgets.append(Widget("estimate", name=format_field(base), label=label, children=children))
    return widgets


# --- raw -> plain data ------------------------------------------------------------------


class _Missing:
    """Nothing typed: the key is left out of the case."""


MISSING = _Missing()


def section_data(
    section: Section, raw: Mapping[str, Raw]
) -> tuple[dict[str, Any], list[tuple[FieldPath, str]]]:
    """The section's plain values (missing keys left out) and the fields that do not read
    as their type (a number that is not one, beyond the loader's limits ...)."""
    problems: list[tuple[FieldPath, str]] = []
    data: dict[str, Any] = {}
    for key in section.keys:
        value = _plain(Case, key, raw.get(key), (key,), problems)
        if not isinstance(value, _Missing):
            data[key] = value
    return data, problems


def _plain_model(
    model: type[BaseModel],
    raw: Raw,
    path: FieldPath,
    problems: list[tuple[FieldPath, str]],
) -> dict[str, Any]:
    values = raw if isinstance(raw, dict) else {}
    result: dict[str, Any] = {}
    for name in model.model_fields:
        value = _plain(model, name, values.get(name), (*path, name), problems)
        if not isinstance(value, _Missing):
            result[name] = value
    return result


def _plain(
    model: type[BaseModel],
    name: str,
    raw: Raw,
    path: FieldPath,
    problems: list[tuple[FieldPath, str]],
) -> Any:
    kind, detail, _ = _shape(model, name)
    if kind == "items":
        entries = raw if isinstance(raw, list) else []
        result = [_plain_model(detail, e, (*path, i), problems) for i, e in enumerate(entries)]
        return result if result else MISSING
    if kind == "group":
        group = _plain_model(detail, raw, path, problems)
        # A menu always sends its (default) choice, so a new group of defaults only was left
        # empty; a stored group (marked) stays while anything in it is filled in.
        stored = isinstance(raw, dict) and ITEM_MARK in raw
        given = [k for k, v in group.items() if v != detail.model_fields[k].default]
        return group if given or (stored and group) else MISSING
    if kind == "estimates":
        estimates = _plain_estimates(raw, path, problems)
        return estimates if estimates else MISSING
    if kind == "choices":
        chosen = [v for v in (raw if isinstance(raw, list) else []) if v]
        return chosen if chosen else MISSING
    if kind == "checkbox":
        return True if _last(raw) == "on" else MISSING
    text = _last(raw)
    if kind == "lines":
        lines = [line.strip() for line in text.split("\n") if line.strip()]
        return lines if lines else MISSING
    if kind == "ids":
        ids = [part for part in re.split(r"[,\s]+", text) if part]
        return ids if ids else MISSING
    if kind == "textarea" or "\n" in text:
        return text if text.strip() else MISSING
    text = text.strip()
    if not text:
        return MISSING
    if kind == "number":
        return _number(text, path, problems)
    if kind == "integer":
        return _integer(text, path, problems)
    return text


def _plain_estimates(
    raw: Raw, path: FieldPath, problems: list[tuple[FieldPath, str]]
) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for criterion, parts in (raw if isinstance(raw, dict) else {}).items():
        if not isinstance(parts, dict):
            continue
        given: dict[str, Any] = {}
        for part in _ESTIMATE_PARTS:
            text = _last(parts.get(part)).strip()
            if text:
                number = _number(text, (*path, criterion, part), problems)
                if not isinstance(number, _Missing):
                    given[part] = number
        if not given:
            continue
        likely = given.get("likely")
        exact = likely is not None and all(given.get(p, likely) == likely for p in ("low", "high"))
        # An exact estimate is written as a plain number, as a case file would hold it.
        result[criterion] = likely if exact else given
    return result


def _number(text: str, path: FieldPath, problems: list[tuple[FieldPath, str]]) -> Any:
    try:
        value = float(text)
    except ValueError:
        problems.append((path, f"expected a number, got {text[:40]!r}"))
        return MISSING
    if not is_case_number(value):  # the loader's rule for every number in a case
        problems.append(
            (path, f"expected a finite number of at most {MAX_ABS_NUMBER:g}, got {text[:40]!r}")
        )
        return MISSING
    return int(value) if value.is_integer() else value


def _integer(text: str, path: FieldPath, problems: list[tuple[FieldPath, str]]) -> Any:
    value = _number(text, path, problems)
    if isinstance(value, float):
        problems.append((path, f"expected a whole number, got {text[:40]!r}"))
        return MISSING
    return value


# --- save -------------------------------------------------------------------------------


@dataclass
class Built:
    """The result of building a case from a section's form."""

    case: Case | None
    text: str | None
    problems: list[Located]


def build_case(current: Case, section: Section, raw: Mapping[str, Raw]) -> Built:
    """The current case with ``section`` replaced by the form's values, checked by the case
    loader; on problems, ``case`` and ``text`` are ``None``."""
    values, typed = section_data(section, raw)
    base = to_plain(current)
    merged: dict[str, Any] = {}
    for key in Case.model_fields:
        if key in section.keys:
            if key in values:
                merged[key] = values[key]
        elif key in base:
            merged[key] = base[key]
    problems = [Located(format_field(p), m) for p, m in typed]
    text = yaml.safe_dump(merged, sort_keys=False, allow_unicode=True, width=1000)
    try:
        case = parse_case(text, path="builder")
    except AccordError as error:
        already = {p.field for p in problems}
        problems += [
            Located(p.location.field or "", p.message)
            for p in error.problems
            if p.location.field not in already
        ]
        return Built(None, None, problems)
    if problems:
        return Built(None, None, problems)
    return Built(case, to_yaml_text(case), [])


def located(problems: Iterable[Problem]) -> list[Located]:
    """Problems of an ``AccordError`` (e.g. from saving) as page problems."""
    return [Located(p.location.field or "", p.message) for p in problems]


def place(problems: Sequence[Located], widgets: Sequence[Widget]) -> None:
    """Put each problem on the widget of its field, or of the nearest enclosing field."""
    by_name = {w.name: w for top in widgets for w in top.walk()}
    for problem in problems:
        path = parse_name(problem.field) if problem.field else None
        while path:
            widget = by_name.get(format_field(path))
            if widget is not None:
                widget.errors.append(problem.message)
                problem.widget_id = widget.id
                break
            path = path[:-1]


__all__ = [
    "ITEM_MARK",
    "SECTIONS",
    "SECTION_BY_SLUG",
    "Built",
    "Context",
    "Located",
    "Section",
    "Widget",
    "build_case",
    "change_entries",
    "label_of",
    "located",
    "parse_name",
    "place",
    "raw_from_case",
    "raw_from_form",
    "section_data",
    "section_widgets",
]
