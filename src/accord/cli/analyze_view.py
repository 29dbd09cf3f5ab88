"""Rich rendering of ``Analysis.to_dict()`` for ``accord analyze``.

Each section is a function ``(result, console) -> None``; ``SECTIONS`` fixes the
order. Sections read only the pinned dict shape, so the CLI never computes numbers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.console import Console
from rich.panel import Panel
from rich.table import Table

Result = dict[str, Any]


def _names(result: Result, key: str) -> dict[str, str]:
    return {item["id"]: item.get("name") or item["id"] for item in result.get(key, [])}


def _sentence_of(item: Any) -> str:
    if isinstance(item, str):
        return item
    if isinstance(item, dict):
        for key in ("sentence", "explanation", "summary", "message", "text"):
            if isinstance(item.get(key), str):
                return str(item[key])
    return str(item)


def header(result: Result, console: Console) -> None:
    case = result["case"]
    owner = case.get("decision_owner")
    who = f"{owner['name']} ({owner['role']})" if owner else "nobody named — see governance"
    index = result["agreement"]["alignment_index"]
    console.print(
        Panel(
            f"[bold]{case['question']}[/bold]\n"
            f"Decision owner: {who}\n"
            f"Alignment index: [bold]{index:.0f}[/bold] / 100",
            title=case["title"],
        )
    )
    for note in result.get("notes", []):
        console.print(f"[dim]note:[/dim] {note}")


def common_ground(result: Result, console: Console) -> None:
    ground = result.get("common_ground")
    if not ground:
        return
    console.rule("Common ground")
    lines = ground.get("sentences") if isinstance(ground, dict) else None
    for line in lines or []:
        console.print(f"• {line}")
    if not lines:
        console.print(ground)


def _positions(ranking: list[list[str]] | None) -> dict[str, int]:
    """Competition rank of each option in a tiered ranking (ties share the better rank)."""
    out: dict[str, int] = {}
    position = 1
    for tier in ranking or []:
        for option in tier:
            out[option] = position
        position += len(tier)
    return out


def stakeholders(result: Result, console: Console) -> None:
    options = [o["id"] for o in result["options"]]
    table = Table(
        title="Rank of each option: under the stakeholder's own weights / in their stated ranking",
        caption="1 = first; * marks their top choice; - = not given",
    )
    table.add_column("Stakeholder")
    table.add_column("Weights")
    for option in options:
        table.add_column(option, justify="center")
    for person in result["stakeholders"]:
        own = _positions(person["ranking"])
        stated = _positions(person.get("stated_ranking"))
        cells = []
        for option in options:
            mark = "*" if option in person["top"] else ""
            cells.append(f"{own.get(option, '-')}{mark} / {stated.get(option, '-')}")
        table.add_row(person["name"], person["weight_method"] or "-", *cells)
    console.print(table)


def group(result: Result, console: Console) -> None:
    options = _names(result, "options")
    g = result["group"]
    table = Table(title="Group view")
    table.add_column("Option")
    table.add_column("Mean utility", justify="right")
    table.add_column("TOPSIS", justify="right")
    table.add_column("P(best)", justify="right")
    order = [o for tier in g["ranking"] for o in tier]
    for option in order:
        p = g.get("p_first", {}).get(option)
        table.add_row(
            options.get(option, option),
            f"{g['utilities'][option]:.3f}",
            f"{g['topsis'][option]:.3f}" if option in g.get("topsis", {}) else "—",
            f"{p:.0%}" if p is not None else "—",
        )
    console.print(table)
    voting = result.get("voting")
    if voting:
        rules = Table(title="Group decision rules over the stakeholders' rankings")
        rules.add_column("Rule")
        rules.add_column("Winner(s)")
        for rule, outcome in voting["rules"].items():
            rules.add_row(rule, ", ".join(options.get(o, o) for o in outcome["winners"]))
        console.print(rules)
        console.print(voting["summary"])


def disagreements(result: Result, console: Console) -> None:
    agreement = result["agreement"]
    console.rule("Where they differ")
    for line in agreement.get("sentences", []):
        console.print(f"• {line}")
    disputed = agreement.get("facts", {}).get("disputed", [])
    for fact in disputed:
        console.print(f"• Disputed fact: {fact['statement']} (by {', '.join(fact['by'])})")


def _diverse(items: list[dict[str, Any]], per_stakeholder: int, limit: int) -> list[Any]:
    """The group's cruxes first, then at most ``per_stakeholder`` for each person."""
    seen: dict[Any, int] = {}
    picked = []
    for item in sorted(items, key=lambda c: c.get("stakeholder") is not None):
        who = item.get("stakeholder")
        if seen.get(who, 0) >= per_stakeholder:
            continue
        seen[who] = seen.get(who, 0) + 1
        picked.append(item)
        if len(picked) == limit:
            break
    return picked


def cruxes(result: Result, console: Console) -> None:
    items = result.get("cruxes") or []
    if not items:
        return
    console.rule("What needs to be true (top cruxes)")
    for number, crux in enumerate(_diverse(items, 2, 10), start=1):
        console.print(f"{number}. {_sentence_of(crux)}")
    conflicts = sorted(
        result.get("goal_conflicts") or [],
        key=lambda g: g["overall"]["correlation"] if g["overall"]["correlation"] is not None else 0,
    )
    if conflicts:
        console.rule("Are their goals really opposed?")
    for conflict in conflicts[:5]:
        console.print(f"• {_sentence_of(conflict)}")


def recommendation(result: Result, console: Console) -> None:
    console.rule("Recommendation and compromises")
    rec = result.get("recommendation")
    if rec:
        console.print(_sentence_of(rec))
    compromise = result.get("compromise")
    if isinstance(compromise, dict):
        for line in compromise.get("sentences", []):
            console.print(f"• {line}")
    for item in result.get("excluded") or []:
        console.print(f"[red]excluded[/red] {item['option']}: {'; '.join(item['reasons'])}")
    portfolio = result.get("portfolio")
    if portfolio:
        console.print(_sentence_of(portfolio))


def scenarios(result: Result, console: Console) -> None:
    block = result.get("scenarios")
    if not block:
        return
    console.rule("Scenarios")
    for line in block.get("sentences", []) if isinstance(block, dict) else []:
        console.print(f"• {line}")


def risks(result: Result, console: Console) -> None:
    block = result.get("risks")
    if not block:
        return
    console.rule("Risks")
    register = block.get("register", []) if isinstance(block, dict) else []
    table = Table()
    for column in ("Option", "Risk", "Exposure", "After mitigation", "Owner"):
        table.add_column(column)
    for row in register:
        table.add_row(
            str(row.get("option", "")),
            str(row.get("description", row.get("risk", ""))),
            f"{row.get('exposure', 0):.2f}",
            f"{row.get('residual_exposure', 0):.2f}",
            str(row.get("owner") or "—"),
        )
    if register:
        console.print(table)


def governance(result: Result, console: Console) -> None:
    block = result["governance"]
    console.rule("Governance")
    if not block["findings"]:
        console.print("All governance checks pass.")
    for finding in block["findings"]:
        colour = "red" if finding["severity"] == "error" else "yellow"
        console.print(f"[{colour}]{finding['severity']}[/{colour}] {finding['message']}")


SECTIONS: tuple[Callable[[Result, Console], None], ...] = (
    header,
    common_ground,
    stakeholders,
    group,
    disagreements,
    cruxes,
    recommendation,
    scenarios,
    risks,
    governance,
)
