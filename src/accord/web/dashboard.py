"""What a case's dashboard shows, read from the one ``Analysis`` every output reads."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from accord.model.case import Case


@dataclass(frozen=True)
class InputStatus:
    stakeholder_id: str
    name: str
    role: str
    raci: str | None
    given: bool
    from_web: bool


@dataclass(frozen=True)
class Dashboard:
    title: str
    question: str
    alignment: float | None
    sentences: list[str]
    recommended: str | None
    ranking: list[tuple[str, float]]
    excluded: list[tuple[str, str]]
    cruxes: list[tuple[str, str]]
    governance_ok: bool
    findings: list[str]
    inputs: list[InputStatus]


def build(case: Case, analysis: Mapping[str, Any], web_inputs: set[str]) -> Dashboard:
    names = {o["id"]: o["name"] for o in analysis["options"]}
    utilities = analysis["group"].get("utilities", {})
    ranking = [
        (names[option], float(utilities.get(option, 0.0)))
        for tier in analysis["group"].get("ranking", [])
        for option in tier
    ]
    recommendation = analysis.get("recommendation") or {}
    excluded = [
        (names.get(item["option"], item["option"]), item["violations"][0]["reason"])
        for item in (analysis.get("compromise") or {}).get("excluded", [])
        if item.get("violations")
    ]
    agreement = analysis.get("agreement") or {}
    governance = analysis.get("governance") or {"ok": True, "findings": []}
    return Dashboard(
        title=case.title,
        question=case.question,
        alignment=agreement.get("alignment_index"),
        sentences=list(agreement.get("sentences", [])),
        recommended=names.get(recommendation.get("option", ""), None),
        ranking=ranking,
        excluded=excluded,
        cruxes=[(c["explanation"], c.get("next_step", "")) for c in analysis["cruxes"][:3]],
        governance_ok=bool(governance.get("ok", True)),
        findings=[str(f.get("message", f)) for f in governance.get("findings", [])],
        inputs=[
            InputStatus(
                s.id,
                s.name,
                s.role or "",
                s.raci,
                s.id in case.inputs,
                s.id in web_inputs,
            )
            for s in case.stakeholders
        ],
    )
