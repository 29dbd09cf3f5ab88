"""The case: one decision, its people, facts, options, inputs and records.

Field-level checks live on each part; the checks that need the whole case (ids that must
exist, duplicate ids, dots over budget, missing estimates, scenario probabilities) live in
:meth:`Case.reference_problems` so the loader can place each one on its line.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Literal, TypeVar

from pydantic import Field

from accord.errors import NotFoundError, did_you_mean
from accord.model.base import (
    AccordModel,
    Day,
    ReferenceProblem,
    Slug,
    StrictNumber,
    duplicate_ids,
    unknown_id,
)
from accord.model.criteria import Criterion
from accord.model.facts import Fact
from accord.model.guardrails import Guardrail
from accord.model.ideas import CaseStatement, Idea
from accord.model.inputs import AhpWeights, RankEntry, RankWeights, StakeholderInputs
from accord.model.judgements import PairJudgement
from accord.model.options import Option
from accord.model.records import Action, Cadence, Decision
from accord.model.scenarios import Scenario
from accord.model.stakeholders import CompanyGoal, Stakeholder
from accord.model.weight_checks import weight_problems

FORMAT_VERSION = 1


class Budget(AccordModel):
    """Money available; option costs are in this currency."""

    amount: StrictNumber = Field(ge=0, description="Amount available.")
    currency: str = Field(default="USD", description="Currency code, e.g. USD.")


class Capacity(AccordModel):
    """Capacity available; option effort is in this unit."""

    amount: StrictNumber = Field(ge=0, description="Amount available.")
    unit: str = Field(description="Unit, e.g. engineer-months.")


class Case(AccordModel):
    """One decision: the top level of a case file."""

    accord: Literal[1] = Field(description="Format version of the case file (1).")
    kind: Literal["case"] = Field(default="case", description="Document kind (always 'case').")
    id: Slug = Field(description="Case id.")
    title: str = Field(description="Short title.")
    question: str = Field(description="The question being decided.")
    context: str | None = Field(default=None, description="Background, free text.")
    deadline: Day | None = Field(default=None, description="Decision deadline.")
    decision_owner: Slug | None = Field(default=None, description="Stakeholder id who decides.")
    decision_kind: Literal["choose_one", "portfolio"] = Field(
        default="choose_one",
        description="choose_one, or portfolio: a set of options under budget/capacity.",
    )
    escalation: list[Slug] = Field(
        default_factory=list,
        description=(
            "Escalation path: stakeholder ids in order, each more senior than the one before "
            "(authority.level), last = final authority."
        ),
    )
    budget: Budget | None = Field(default=None, description="Money available.")
    capacity: Capacity | None = Field(default=None, description="Capacity available.")
    company_goals: list[CompanyGoal] = Field(
        default_factory=list, description="Shared goals every stakeholder serves."
    )
    stakeholders: list[Stakeholder] = Field(default_factory=list, description="Who has a stake.")
    facts: list[Fact] = Field(default_factory=list, description="The shared fact base.")
    criteria: list[Criterion] = Field(default_factory=list, description="Criteria.")
    options: list[Option] = Field(default_factory=list, description="Options under decision.")
    guardrails: list[Guardrail] = Field(default_factory=list, description="Counter-metrics.")
    scenarios: list[Scenario] = Field(default_factory=list, description="Possible futures.")
    statements: list[CaseStatement] = Field(
        default_factory=list, description="Statements for the opinion map."
    )
    ideas: list[Idea] = Field(default_factory=list, description="Ideas and initiatives.")
    duplicate_judgements: list[PairJudgement] = Field(
        default_factory=list,
        description="The facilitator's judgements on pairs the analysis may call duplicates.",
    )
    inputs: dict[Slug, StakeholderInputs] = Field(
        default_factory=dict, description="Stakeholder id -> that stakeholder's inputs."
    )
    dots_budget: int | None = Field(default=None, ge=1, description="Dots per stakeholder.")
    decisions: list[Decision] = Field(default_factory=list, description="The decision log.")
    actions: list[Action] = Field(default_factory=list, description="The action register.")
    cadence: Cadence | None = Field(default=None, description="Review cadence.")

    # --- convenient views for the analysis layer ---------------------------------------

    @property
    def stakeholder_ids(self) -> list[str]:
        """Stakeholder ids in file order."""
        return [s.id for s in self.stakeholders]

    @property
    def option_ids(self) -> list[str]:
        """Option ids in file order."""
        return [o.id for o in self.options]

    @property
    def criterion_ids(self) -> list[str]:
        """Criterion ids in file order."""
        return [c.id for c in self.criteria]

    @property
    def statement_ids(self) -> list[str]:
        """Statement ids in file order."""
        return [s.id for s in self.statements]

    @property
    def goal_ids(self) -> list[str]:
        """Company goal ids in file order."""
        return [g.id for g in self.company_goals]

    def stakeholder(self, stakeholder_id: str) -> Stakeholder:
        """The stakeholder with this id (``NotFoundError`` with a suggestion otherwise)."""
        return _find(self.stakeholders, stakeholder_id, "stakeholder")

    def option(self, option_id: str) -> Option:
        """The option with this id."""
        return _find(self.options, option_id, "option")

    def criterion(self, criterion_id: str) -> Criterion:
        """The criterion with this id."""
        return _find(self.criteria, criterion_id, "criterion")

    # --- whole-case checks ---------------------------------------------------------------

    def reference_problems(self) -> list[ReferenceProblem]:
        """Duplicate ids, dangling references and other checks that need the whole case."""
        return _CaseChecker(self).run()


_Item = TypeVar("_Item", Stakeholder, Option, Criterion)


def _find(items: Sequence[_Item], wanted: str, what: str) -> _Item:
    for item in items:
        if item.id == wanted:
            return item
    known = [i.id for i in items]
    raise NotFoundError(f"no {what} '{wanted}'{did_you_mean(wanted, known)}")


class _CaseChecker:
    """Collects whole-case problems, each placed on the field that holds the bad value."""

    def __init__(self, case: Case) -> None:
        self.case = case
        self.problems: list[ReferenceProblem] = []
        self.known: dict[str, list[str]] = {
            "stakeholder": case.stakeholder_ids,
            "option": case.option_ids,
            "criterion": case.criterion_ids,
            "company goal": case.goal_ids,
            "statement": case.statement_ids,
            "decision": [d.id for d in case.decisions],
            "idea": [i.id for i in case.ideas],
        }

    def ref(
        self, field: tuple[str | int, ...], value: str | None, what: str, *, key: bool = False
    ) -> None:
        if value is None:
            return
        known = self.known[what]
        if value not in known:
            article = "an" if what[0] in "aeiou" else "a"
            message = unknown_id(value, f"{article} {what} id", known)
            self.problems.append(ReferenceProblem(field, message, on_key=key))

    def refs(self, field: tuple[str | int, ...], values: Iterable[str], what: str) -> None:
        for i, value in enumerate(values):
            self.ref((*field, i), value, what)

    def run(self) -> list[ReferenceProblem]:
        case = self.case
        for name in (
            "company_goals",
            "stakeholders",
            "facts",
            "criteria",
            "options",
            "guardrails",
            "scenarios",
            "statements",
            "ideas",
            "decisions",
            "actions",
        ):
            self.problems.extend(duplicate_ids(getattr(case, name), name))
        self.ref(("decision_owner",), case.decision_owner, "stakeholder")
        self.refs(("escalation",), case.escalation, "stakeholder")
        self._authority()
        self._goals()
        self._facts()
        self._options()
        self._guardrails()
        self._scenarios()
        self._inputs()
        self._records()
        self._judgements()
        return self.problems

    def _authority(self) -> None:
        # The file names this person as the one who decides; an authority block that says they
        # may not is a contradiction in the file, not a governance judgement.
        owner = self.case.decision_owner
        for i, person in enumerate(self.case.stakeholders):
            if person.id == owner and person.authority is not None and not person.authority.decide:
                self.problems.append(
                    ReferenceProblem(
                        ("stakeholders", i, "authority", "decide"),
                        f"'{owner}' is the decision_owner but may not decide "
                        "(expected decide: true, or another decision_owner)",
                    )
                )

    def _goals(self) -> None:
        for i, goal in enumerate(self.case.company_goals):
            self.problems.extend(
                ReferenceProblem(("company_goals", i, *p.field), p.message)
                for p in duplicate_ids(goal.kpis, "kpis")
            )
        for i, person in enumerate(self.case.stakeholders):
            for j, own in enumerate(person.goals):
                self.ref(("stakeholders", i, "goals", j, "serves"), own.serves, "company goal")
        for i, criterion in enumerate(self.case.criteria):
            self.ref(("criteria", i, "goal"), criterion.goal, "company goal")

    def _facts(self) -> None:
        for i, fact in enumerate(self.case.facts):
            self.refs(("facts", i, "accepted_by"), fact.accepted_by, "stakeholder")
            self.refs(("facts", i, "disputed_by"), fact.disputed_by, "stakeholder")
            for j, target in enumerate(fact.informs):
                self.ref(("facts", i, "informs", j, "option"), target.option, "option")
                self.ref(("facts", i, "informs", j, "criterion"), target.criterion, "criterion")

    def _options(self) -> None:
        shared = [c.id for c in self.case.criteria if not c.scored_by_stakeholders]
        by_stakeholders = {c.id for c in self.case.criteria if c.scored_by_stakeholders}
        for i, option in enumerate(self.case.options):
            where = ("options", i)
            for criterion_id in option.estimates:
                self.ref((*where, "estimates", criterion_id), criterion_id, "criterion", key=True)
                if criterion_id in by_stakeholders:
                    self.problems.append(
                        ReferenceProblem(
                            (*where, "estimates", criterion_id),
                            f"criterion '{criterion_id}' is scored_by_stakeholders: give "
                            f"scores in inputs.<stakeholder>.scores, not an estimate",
                        )
                    )
            missing = [c for c in shared if c not in option.estimates]
            if missing:
                names = ", ".join(f"'{m}'" for m in missing)
                self.problems.append(
                    ReferenceProblem(
                        (*where, "estimates"),
                        f"option '{option.id}' has no estimate for criterion {names}",
                    )
                )
            self.problems.extend(
                ReferenceProblem((*where, *p.field), p.message)
                for p in duplicate_ids(option.risks, "risks")
            )
            for j, risk in enumerate(option.risks):
                self.ref((*where, "risks", j, "owner"), risk.owner, "stakeholder")
            for side in ("pros", "cons"):
                for j, said in enumerate(getattr(option, side)):
                    self.ref((*where, side, j, "by"), said.by, "stakeholder")

    def _guardrails(self) -> None:
        for i, rail in enumerate(self.case.guardrails):
            self.ref(("guardrails", i, "criterion"), rail.criterion, "criterion")
            self.ref(("guardrails", i, "owner"), rail.owner, "stakeholder")
            self.ref(("guardrails", i, "protects"), rail.protects, "company goal")

    def _scenarios(self) -> None:
        scenarios = self.case.scenarios
        for i, scenario in enumerate(scenarios):
            for j, change in enumerate(scenario.adjustments):
                self.ref(("scenarios", i, "adjustments", j, "option"), change.option, "option")
                self.ref(
                    ("scenarios", i, "adjustments", j, "criterion"), change.criterion, "criterion"
                )
        given = [s.probability for s in scenarios if s.probability is not None]
        if scenarios and len(given) == len(scenarios):
            total = math.fsum(given)
            if abs(total - 1.0) > 1e-6:
                self.problems.append(
                    ReferenceProblem(
                        ("scenarios",), f"scenario probabilities must sum to 1, got {total:g}"
                    )
                )

    def _ranked(self, field: tuple[str | int, ...], order: list[RankEntry], what: str) -> None:
        seen: set[str] = set()
        for i, entry in enumerate(order):
            tier = [entry] if isinstance(entry, str) else entry
            for j, value in enumerate(tier):
                at = (*field, i) if isinstance(entry, str) else (*field, i, j)
                self.ref(at, value, what)
                if value in seen:
                    self.problems.append(ReferenceProblem(at, f"'{value}' is ranked twice"))
                seen.add(value)

    def _inputs(self) -> None:
        case = self.case
        statements = set(case.statement_ids)
        for person, given in case.inputs.items():
            where: tuple[str | int, ...] = ("inputs", person)
            self.ref(where, person, "stakeholder", key=True)
            weights = given.weights
            if weights is not None:
                self.problems.extend(
                    ReferenceProblem((*where, "weights", *p.field), p.message)
                    for p in weight_problems(weights, case.criterion_ids)
                )
            if isinstance(weights, RankWeights):
                self._ranked((*where, "weights", "order"), weights.order, "criterion")
            elif isinstance(weights, AhpWeights):
                for j, judgement in enumerate(weights.judgements):
                    at = (*where, "weights", "judgements", j)
                    self.ref((*at, "more"), judgement.more, "criterion")
                    self.ref((*at, "less"), judgement.less, "criterion")
            elif weights is not None:
                for criterion_id in weights.values:
                    self.ref(
                        (*where, "weights", "values", criterion_id),
                        criterion_id,
                        "criterion",
                        key=True,
                    )
            for option_id, row in given.scores.items():
                self.ref((*where, "scores", option_id), option_id, "option", key=True)
                for criterion_id in row:
                    self.ref(
                        (*where, "scores", option_id, criterion_id),
                        criterion_id,
                        "criterion",
                        key=True,
                    )
            self._ranked((*where, "ranking"), given.ranking, "option")
            self.refs((*where, "approvals"), given.approvals, "option")
            for key in ("ratings", "dots"):
                for option_id in getattr(given, key):
                    self.ref((*where, key, option_id), option_id, "option", key=True)
            spent = sum(given.dots.values())
            if case.dots_budget is not None and spent > case.dots_budget:
                self.problems.append(
                    ReferenceProblem(
                        (*where, "dots"),
                        f"{spent} dots given, over the dots_budget of {case.dots_budget}",
                    )
                )
            for statement_id in given.statement_votes:
                if statement_id not in statements:
                    self.ref(
                        (*where, "statement_votes", statement_id),
                        statement_id,
                        "statement",
                        key=True,
                    )

    def _records(self) -> None:
        for i, decision in enumerate(self.case.decisions):
            where: tuple[str | int, ...] = ("decisions", i)
            if isinstance(decision.option, str):
                self.ref((*where, "option"), decision.option, "option")
            else:
                self.refs((*where, "option"), decision.option, "option")
            self.ref((*where, "accountable"), decision.accountable, "stakeholder")
            for j, dissent in enumerate(decision.dissent):
                self.ref((*where, "dissent", j, "by"), dissent.by, "stakeholder")
            self.problems.extend(
                ReferenceProblem((*where, *p.field), p.message)
                for p in duplicate_ids(decision.assumptions, "assumptions")
            )
            for j, assumption in enumerate(decision.assumptions):
                self.ref((*where, "assumptions", j, "owner"), assumption.owner, "stakeholder")
        for i, action in enumerate(self.case.actions):
            self.ref(("actions", i, "owner"), action.owner, "stakeholder")
            self.ref(("actions", i, "decision"), action.decision, "decision")

    def _judgements(self) -> None:
        judged: dict[tuple[str, frozenset[str]], int] = {}
        for i, judgement in enumerate(self.case.duplicate_judgements):
            what = "option" if judgement.of == "options" else "idea"
            self.refs(("duplicate_judgements", i, "pair"), judgement.pair, what)
            key = (judgement.of, frozenset(judgement.pair))
            if key in judged:
                self.problems.append(
                    ReferenceProblem(
                        ("duplicate_judgements", i, "pair"),
                        f"pair {judgement.pair[0]}, {judgement.pair[1]} is already judged in "
                        f"duplicate_judgements[{judged[key]}] (expected one judgement per pair)",
                    )
                )
            else:
                judged[key] = i
