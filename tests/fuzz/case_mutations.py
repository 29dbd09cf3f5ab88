"""Structural mutations of the example cases: edits a facilitator could make by hand.

Byte-level mutation (:mod:`tests.fuzz.harness`) mostly yields files that do not parse;
these edits keep the YAML well-formed and change the meaning instead (remove criteria and
everything that names them, zero a stakeholder's weights, repeat or reverse an AHP
judgement, compare a criterion with itself, switch weighting methods, empty a list,
extreme numbers), which is where ``accord validate`` and ``accord analyze`` could disagree.
"""

from __future__ import annotations

import copy
from typing import Any

import yaml
from hypothesis import strategies as st

from .harness import REPO

EXAMPLES: dict[str, Any] = {
    p.name: yaml.safe_load(p.read_text(encoding="utf-8"))
    for p in sorted((REPO / "examples").glob("*.yaml"))
}
EXTREMES: list[Any] = [0, -1, 1e-300, 1e15, 9, 1 / 9, 100, 0.5, 2**31, "x", None, []]

Case = dict[str, Any]


def _criteria(case: Case) -> list[str]:
    return [c["id"] for c in case.get("criteria", []) if isinstance(c, dict) and "id" in c]


def _weights(case: Case) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for given in (case.get("inputs") or {}).values():
        if isinstance(given, dict) and isinstance(given.get("weights"), dict):
            found.append(given["weights"])
    return found


def _forget_criterion(case: Case, criterion: str) -> None:
    """Remove ``criterion`` and every reference to it, so only the weighting changes."""
    case["criteria"] = [c for c in case.get("criteria", []) if c.get("id") != criterion]
    for option in case.get("options", []):
        option.get("estimates", {}).pop(criterion, None)
    for rail in list(case.get("guardrails", [])):
        if rail.get("criterion") == criterion:
            case["guardrails"].remove(rail)
    for fact in case.get("facts", []):
        fact["informs"] = [t for t in fact.get("informs", []) if t.get("criterion") != criterion]
    for scenario in case.get("scenarios", []):
        scenario["adjustments"] = [
            a for a in scenario.get("adjustments", []) if a.get("criterion") != criterion
        ]
    for given in (case.get("inputs") or {}).values():
        for row in given.get("scores", {}).values():
            row.pop(criterion, None)
        weights = given.get("weights")
        if not isinstance(weights, dict):
            continue
        if isinstance(weights.get("values"), dict):
            weights["values"].pop(criterion, None)
        if isinstance(weights.get("judgements"), list):
            weights["judgements"] = [
                j for j in weights["judgements"] if criterion not in (j.get("more"), j.get("less"))
            ]
        if isinstance(weights.get("order"), list):
            order = []
            for entry in weights["order"]:
                if isinstance(entry, list):
                    entry = [c for c in entry if c != criterion]
                    if entry:
                        order.append(entry)
                elif entry != criterion:
                    order.append(entry)
            weights["order"] = order


def _forget_option(case: Case, option: str) -> None:
    """Remove ``option`` and every reference to it."""
    case["options"] = [o for o in case.get("options", []) if o.get("id") != option]
    for fact in case.get("facts", []):
        fact["informs"] = [t for t in fact.get("informs", []) if t.get("option") != option]
    for scenario in case.get("scenarios", []):
        scenario["adjustments"] = [
            a for a in scenario.get("adjustments", []) if a.get("option") != option
        ]
    case["decisions"] = [d for d in case.get("decisions", []) if option not in _chosen(d)]
    known = {d.get("id") for d in case["decisions"]}
    case["actions"] = [
        a for a in case.get("actions", []) if a.get("decision") is None or a["decision"] in known
    ]
    for given in (case.get("inputs") or {}).values():
        for key in ("scores", "ratings", "dots"):
            if isinstance(given.get(key), dict):
                given[key].pop(option, None)
        if isinstance(given.get("approvals"), list):
            given["approvals"] = [o for o in given["approvals"] if o != option]
        if isinstance(given.get("ranking"), list):
            ranking = []
            for entry in given["ranking"]:
                if isinstance(entry, list):
                    entry = [o for o in entry if o != option]
                    if entry:
                        ranking.append(entry)
                elif entry != option:
                    ranking.append(entry)
            given["ranking"] = ranking


def _chosen(decision: dict[str, Any]) -> list[Any]:
    chosen = decision.get("option")
    return chosen if isinstance(chosen, list) else [chosen]


def _scale_number(node: Any, draw: st.DrawFn, factor: float) -> None:
    """Multiply one number somewhere in ``node`` by ``factor`` (its type kept)."""
    for _ in range(12):
        if isinstance(node, dict) and node:
            key = draw(st.sampled_from(sorted(node, key=str)))
            child = node[key]
            if isinstance(child, int | float) and not isinstance(child, bool):
                node[key] = type(child)(child * factor) if factor == int(factor) else child * factor
                return
            node = child
        elif isinstance(node, list) and node:
            node = node[draw(st.integers(0, len(node) - 1))]
        else:
            return


@st.composite
def _edit(draw: st.DrawFn, case: Case) -> str:
    """Apply one edit to ``case`` in place; return its name (for failure messages)."""
    criteria = _criteria(case)
    weights = _weights(case)
    kind = draw(
        st.sampled_from(
            [
                "forget-criterion",
                "forget-all-criteria",
                "forget-option",
                "forget-all-but-one-option",
                "scale-number",
                "zero-weights",
                "repeat-judgement",
                "reverse-judgement",
                "self-judgement",
                "drop-judgements",
                "switch-method",
                "empty-list",
                "extreme-number",
                "drop-key",
            ]
        )
    )
    if kind == "forget-criterion" and criteria:
        _forget_criterion(case, draw(st.sampled_from(criteria)))
    elif kind == "forget-all-criteria":
        for criterion in criteria:
            _forget_criterion(case, criterion)
    elif kind == "forget-option" and case.get("options"):
        _forget_option(case, draw(st.sampled_from([o["id"] for o in case["options"]])))
    elif kind == "forget-all-but-one-option" and case.get("options"):
        for option in case["options"][1:]:
            _forget_option(case, option["id"])
    elif kind == "scale-number":
        _scale_number(case, draw, draw(st.sampled_from([0, 1e-6, 1e6, -1, 1e12])))
    elif kind == "zero-weights" and weights:
        chosen = draw(st.sampled_from(weights))
        if isinstance(chosen.get("values"), dict):
            chosen["values"] = {c: 0 for c in chosen["values"]}
    elif kind in ("repeat-judgement", "reverse-judgement", "self-judgement", "drop-judgements"):
        sets = [w for w in weights if isinstance(w.get("judgements"), list) and w["judgements"]]
        if sets:
            judgements = draw(st.sampled_from(sets))["judgements"]
            k = draw(st.integers(0, len(judgements) - 1))
            one = dict(judgements[k])
            if kind == "repeat-judgement":
                judgements.append(one)
            elif kind == "reverse-judgement":
                judgements.append({**one, "more": one["less"], "less": one["more"]})
            elif kind == "self-judgement":
                judgements[k] = {**one, "less": one["more"]}
            else:
                del judgements[k : k + draw(st.integers(1, len(judgements)))]
    elif kind == "switch-method" and weights and criteria:
        chosen = draw(st.sampled_from(weights))
        method = draw(st.sampled_from(["direct", "points", "swing", "rank", "ahp"]))
        chosen.clear()
        chosen["method"] = method
        if method == "rank":
            chosen["order"] = draw(st.lists(st.sampled_from(criteria), max_size=3, unique=True))
        elif method == "ahp":
            pairs = st.tuples(st.sampled_from(criteria), st.sampled_from(criteria))
            chosen["judgements"] = [
                {"more": a, "less": b, "ratio": draw(st.sampled_from([1, 3, 9, 0.5]))}
                for a, b in draw(st.lists(pairs, max_size=4))
            ]
        else:
            chosen["values"] = {
                c: draw(st.sampled_from([0, 10, 50, 100]))
                for c in criteria[: draw(st.integers(0, 4))]
            }
    elif kind == "empty-list":
        lists = [k for k, v in case.items() if isinstance(v, list)]
        if lists:
            case[draw(st.sampled_from(lists))] = []
    elif kind == "extreme-number":
        _set_somewhere(case, draw, draw(st.sampled_from(EXTREMES)), numbers_only=True)
    elif kind == "drop-key":
        _set_somewhere(case, draw, None, drop=True)
    return kind


def _set_somewhere(
    node: Any, draw: st.DrawFn, value: Any, *, numbers_only: bool = False, drop: bool = False
) -> None:
    """Walk down from ``node`` at random and replace (or drop) one value."""
    for _ in range(12):
        if isinstance(node, dict) and node:
            key = draw(st.sampled_from(sorted(node, key=str)))
            child = node[key]
            leaf = not isinstance(child, dict | list) or not child
            if leaf or draw(st.booleans()):
                if drop:
                    del node[key]
                    return
                if not numbers_only or (
                    isinstance(child, int | float) and not isinstance(child, bool)
                ):
                    node[key] = copy.deepcopy(value)
                    return
            node = child
        elif isinstance(node, list) and node:
            node = node[draw(st.integers(0, len(node) - 1))]
        else:
            return


@st.composite
def mutated_case(draw: st.DrawFn) -> tuple[str, str]:
    """``(description, YAML text)`` of an example case after one to three edits."""
    name = draw(st.sampled_from(sorted(EXAMPLES)))
    case = copy.deepcopy(EXAMPLES[name])
    edits = [draw(_edit(case)) for _ in range(draw(st.integers(1, 3)))]
    text = yaml.safe_dump(case, sort_keys=False, allow_unicode=True)
    return f"{name}: {', '.join(edits)}", text
