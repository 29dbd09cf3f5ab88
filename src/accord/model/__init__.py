"""Domain types (pydantic v2). No I/O and no numpy here.

Names are imported lazily: ``accord.model.statements`` and ``accord.model.ballots`` are
plain dataclasses, and importing them must not build every pydantic case model (that
costs ~0.2 s on every ``accord map`` / ``accord vote``).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover - for type checkers only
    from accord.model.base import AccordModel, ReferenceProblem, Slug
    from accord.model.case import FORMAT_VERSION, Budget, Capacity, Case
    from accord.model.criteria import Criterion
    from accord.model.facts import EstimateRef, Fact
    from accord.model.guardrails import Guardrail
    from accord.model.ideas import CaseStatement, Idea
    from accord.model.inputs import (
        AhpJudgement,
        AhpWeights,
        DirectWeights,
        PointsWeights,
        RankWeights,
        StakeholderInputs,
        SwingWeights,
        Weights,
    )
    from accord.model.options import Estimate, Option, ProCon, Risk
    from accord.model.records import Action, Assumption, Cadence, Checkpoint, Decision, Dissent
    from accord.model.scenarios import Adjustment, Scenario
    from accord.model.stakeholders import CompanyGoal, Kpi, Stakeholder, StakeholderGoal

_WHERE: dict[str, str] = {
    "AccordModel": "accord.model.base",
    "ReferenceProblem": "accord.model.base",
    "Slug": "accord.model.base",
    "FORMAT_VERSION": "accord.model.case",
    "Budget": "accord.model.case",
    "Capacity": "accord.model.case",
    "Case": "accord.model.case",
    "Criterion": "accord.model.criteria",
    "EstimateRef": "accord.model.facts",
    "Fact": "accord.model.facts",
    "Guardrail": "accord.model.guardrails",
    "CaseStatement": "accord.model.ideas",
    "Idea": "accord.model.ideas",
    "AhpJudgement": "accord.model.inputs",
    "AhpWeights": "accord.model.inputs",
    "DirectWeights": "accord.model.inputs",
    "PointsWeights": "accord.model.inputs",
    "RankWeights": "accord.model.inputs",
    "StakeholderInputs": "accord.model.inputs",
    "SwingWeights": "accord.model.inputs",
    "Weights": "accord.model.inputs",
    "Estimate": "accord.model.options",
    "Option": "accord.model.options",
    "ProCon": "accord.model.options",
    "Risk": "accord.model.options",
    "Action": "accord.model.records",
    "Assumption": "accord.model.records",
    "Cadence": "accord.model.records",
    "Checkpoint": "accord.model.records",
    "Decision": "accord.model.records",
    "Dissent": "accord.model.records",
    "Adjustment": "accord.model.scenarios",
    "Scenario": "accord.model.scenarios",
    "CompanyGoal": "accord.model.stakeholders",
    "Kpi": "accord.model.stakeholders",
    "Stakeholder": "accord.model.stakeholders",
    "StakeholderGoal": "accord.model.stakeholders",
}

__all__ = [
    "AccordModel",
    "Action",
    "Adjustment",
    "AhpJudgement",
    "AhpWeights",
    "Assumption",
    "Budget",
    "Cadence",
    "Capacity",
    "Case",
    "CaseStatement",
    "Checkpoint",
    "CompanyGoal",
    "Criterion",
    "Decision",
    "DirectWeights",
    "Dissent",
    "Estimate",
    "EstimateRef",
    "FORMAT_VERSION",
    "Fact",
    "Guardrail",
    "Idea",
    "Kpi",
    "Option",
    "PointsWeights",
    "ProCon",
    "RankWeights",
    "ReferenceProblem",
    "Risk",
    "Scenario",
    "Slug",
    "Stakeholder",
    "StakeholderGoal",
    "StakeholderInputs",
    "SwingWeights",
    "Weights",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'accord.model' has no attribute {name!r}")
    return getattr(import_module(module), name)
