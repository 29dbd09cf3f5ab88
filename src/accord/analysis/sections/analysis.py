"""The root of the contract: one :class:`Analysis` of one case."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from accord.analysis import wording
from accord.analysis.governance import Governance
from accord.analysis.opinion.result import OpinionMap
from accord.analysis.sections.agreement import Agreement
from accord.analysis.sections.case import CaseHeader, CriterionInfo, OptionInfo, Provenance
from accord.analysis.sections.choice import Choice
from accord.analysis.sections.cruxes import Cruxes
from accord.analysis.sections.ground import Camps, CommonGround
from accord.analysis.sections.people import GroupView, StakeholderView
from accord.analysis.sections.portfolio import Portfolio
from accord.analysis.sections.records import ActionItem, CadenceEntry, DecisionRecord, Review
from accord.analysis.sections.risks import RiskRegister
from accord.analysis.sections.scenarios import Scenarios
from accord.analysis.sections.text import DuplicateFindings
from accord.analysis.sections.voting import Voting


@dataclass(frozen=True)
class Analysis:
    """Every analysis of one case; every output (CLI, reports, web, API) reads this.

    A section is None when the case gives it nothing to work on (no scenarios, no
    statement votes, a choose-one decision has no portfolio, ...).
    """

    provenance: Provenance
    case: CaseHeader
    options: list[OptionInfo]
    criteria: list[CriterionInfo]
    stakeholders: list[StakeholderView]
    group: GroupView
    voting: Voting | None
    agreement: Agreement
    common_ground: CommonGround | None
    camps: Camps | None
    choice: Choice | None
    cruxes: Cruxes
    portfolio: Portfolio | None
    scenarios: Scenarios | None
    risks: RiskRegister | None
    governance: Governance
    opinion: OpinionMap | None
    duplicates: DuplicateFindings | None
    decisions: list[DecisionRecord]
    actions: list[ActionItem]
    cadence: list[CadenceEntry]
    next_review: Review | None
    notes: list[str]

    def option(self, option_id: str) -> OptionInfo:
        """The option with this id (KeyError names it when there is none)."""
        for option in self.options:
            if option.id == option_id:
                return option
        raise KeyError(f"no option {option_id!r} in analysis of case {self.case.id!r}")

    def option_name(self, option_id: str) -> str:
        return self.option(option_id).name

    def option_label(self, option_id: str) -> str:
        """The option's name as sentences name it: "(excluded)" when it is not feasible."""
        option = self.option(option_id)
        return wording.option_label(option.name, option.feasible)

    def stakeholder(self, stakeholder_id: str) -> StakeholderView:
        """The stakeholder with this id (KeyError names it when there is none)."""
        for person in self.stakeholders:
            if person.id == stakeholder_id:
                return person
        raise KeyError(f"no stakeholder {stakeholder_id!r} in analysis of case {self.case.id!r}")

    def stakeholder_name(self, stakeholder_id: str) -> str:
        return self.stakeholder(stakeholder_id).name

    def criterion(self, criterion_id: str) -> CriterionInfo:
        """The criterion with this id (KeyError names it when there is none)."""
        for criterion in self.criteria:
            if criterion.id == criterion_id:
                return criterion
        raise KeyError(f"no criterion {criterion_id!r} in analysis of case {self.case.id!r}")

    @property
    def latest_decision(self) -> DecisionRecord | None:
        """The decision recorded last (by date, then file order), if any."""
        if not self.decisions:
            return None
        return max(enumerate(self.decisions), key=lambda item: (item[1].date, item[0]))[1]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (deterministic: the same case gives the same dict)."""
        from accord.analysis.jsonable import to_jsonable

        with collector_paused():
            result: dict[str, Any] = to_jsonable(self)
        return result


def analysis_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of ``Analysis.to_dict()``, derived from the types above."""
    from pydantic import TypeAdapter

    schema: dict[str, Any] = TypeAdapter(Analysis).json_schema(mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "accord analysis"
    return schema


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while an analysis is built or converted.

    An analysis allocates hundreds of thousands of small objects (floats, dicts) that
    live until it returns, and builds no reference cycles; each full collection would
    traverse all of them again (about a third of the run time at 200 stakeholders x 500
    options).  Reference counting still frees everything; the collector is restored,
    if it was on, when the block returns or fails.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
