"""The typed contract of an analysis: frozen section objects that every output reads.

``analyze(case) -> Analysis`` (:mod:`accord.analysis.analyze`) fills these; the CLI view,
the reports, the web app and the JSON API read their attributes (never guessed keys), so
``mypy --strict`` catches a misread field.  Conventions, the same in every section:

- options, criteria and stakeholders are named by their case **ids**, never positions;
- a section that states a finding in words keeps the ``sentence`` beside the numbers it
  states (one name for that everywhere: ``sentence``, or ``sentences`` for a list);
- rankings are **tiers** (``list[list[id]]``, best first; options in one tier are tied);
- ``feasible`` means "keeps every guardrail and fits the budget and capacity"; an option
  that does not is listed with its reasons in :attr:`Choice.excluded`, and every list of
  "best" options names the feasible best, with the unrestricted answer beside it only
  when it differs (``*_unrestricted``).

``Analysis.to_dict()`` is derived from these objects, and ``accord schema --kind
analysis`` publishes their JSON Schema (:func:`analysis_schema`).
"""

from __future__ import annotations

from accord.analysis.sections.agreement import (
    Agreement,
    Alignment,
    Dispersion,
    DisputedFact,
    RankCorrelations,
)
from accord.analysis.sections.analysis import Analysis, analysis_schema
from accord.analysis.sections.case import CaseHeader, CriterionInfo, OptionInfo, Person, Provenance
from accord.analysis.sections.choice import (
    BreachRisk,
    Choice,
    Exclusion,
    Pick,
    Recommendation,
    Relaxation,
    Violation,
)
from accord.analysis.sections.cruxes import (
    Acceptability,
    ConflictView,
    Crux,
    Cruxes,
    Evidence,
    GoalConflict,
    SharedPreference,
    WeightInterval,
)
from accord.analysis.sections.ground import Camp, Camps, CommonGround, CriterionRange
from accord.analysis.sections.people import GroupView, Point, ProsCons, StakeholderView
from accord.analysis.sections.portfolio import Deprioritised, Portfolio
from accord.analysis.sections.records import ActionItem, CadenceEntry, DecisionRecord, Review
from accord.analysis.sections.risks import Placement, RiskEntry, RiskRegister, RiskSummary
from accord.analysis.sections.scenarios import ScenarioResult, Scenarios
from accord.analysis.sections.voting import RuleResult, Voting

__all__ = [
    "Acceptability",
    "ActionItem",
    "Agreement",
    "Alignment",
    "Analysis",
    "BreachRisk",
    "CadenceEntry",
    "Camp",
    "Camps",
    "CaseHeader",
    "Choice",
    "CommonGround",
    "ConflictView",
    "CriterionInfo",
    "CriterionRange",
    "Crux",
    "Cruxes",
    "DecisionRecord",
    "Deprioritised",
    "Dispersion",
    "DisputedFact",
    "Evidence",
    "Exclusion",
    "GoalConflict",
    "GroupView",
    "OptionInfo",
    "Person",
    "Pick",
    "Placement",
    "Point",
    "Portfolio",
    "ProsCons",
    "Provenance",
    "RankCorrelations",
    "Recommendation",
    "Relaxation",
    "Review",
    "RiskEntry",
    "RiskRegister",
    "RiskSummary",
    "RuleResult",
    "ScenarioResult",
    "Scenarios",
    "SharedPreference",
    "StakeholderView",
    "Violation",
    "Voting",
    "WeightInterval",
    "analysis_schema",
]
