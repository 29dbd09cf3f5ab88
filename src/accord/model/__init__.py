"""Domain types (pydantic v2). No I/O and no numpy here."""

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

__all__ = [
    "FORMAT_VERSION",
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
