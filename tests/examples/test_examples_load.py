"""The example cases in ``examples/`` load, are as rich as the engine needs, and round-trip.

They are the demo data and the fixtures for the expected-findings tests, so a change that
drops a stakeholder, a weights method or a disputed fact from them should fail here first.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pytest

import accord
from accord.model.case import Case

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@dataclass(frozen=True)
class Expected:
    """The minimum shape each example promises (see examples/README.md)."""

    stakeholders: int
    options: int
    criteria: int
    methods: frozenset[str]
    statements: int
    decided: bool
    kind: str = "choose_one"


EXPECTED: dict[str, Expected] = {
    "growth-vs-margin": Expected(
        stakeholders=6,
        options=5,
        criteria=7,
        methods=frozenset({"direct", "points", "rank", "swing", "ahp"}),
        statements=8,
        decided=False,
    ),
    "personalisation-privacy": Expected(
        stakeholders=8,
        options=5,
        criteria=6,
        methods=frozenset({"direct", "points", "rank", "swing", "ahp"}),
        statements=8,
        decided=True,
    ),
    "budget-workshop": Expected(
        stakeholders=8,
        options=12,
        criteria=5,
        methods=frozenset({"direct", "points", "rank", "swing", "ahp"}),
        statements=15,
        decided=False,
        kind="portfolio",
    ),
    "campaign-charter": Expected(
        stakeholders=8,
        options=5,
        criteria=6,
        methods=frozenset({"direct", "points", "rank", "swing", "ahp"}),
        statements=8,
        decided=False,
    ),
}

NAMES = sorted(EXPECTED)


def _load(name: str) -> Case:
    case = accord.load_case(EXAMPLES / f"{name}.yaml")
    assert isinstance(case, Case)
    return case


def _flat(entries: list[str | list[str]]) -> list[str]:
    return [x for e in entries for x in (e if isinstance(e, list) else [e])]


def test_examples_folder_holds_exactly_the_expected_cases() -> None:
    assert sorted(p.stem for p in EXAMPLES.glob("*.yaml")) == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_example_loads_with_expected_size(name: str) -> None:
    case, want = _load(name), EXPECTED[name]
    assert case.id == name
    assert len(case.stakeholders) >= want.stakeholders
    assert len(case.options) >= want.options
    assert len(case.criteria) >= want.criteria
    assert len(case.statements) >= want.statements
    assert case.decision_kind == want.kind
    assert bool(case.decisions) is want.decided


@pytest.mark.parametrize("name", NAMES)
def test_example_uses_the_weights_methods_claimed(name: str) -> None:
    case = _load(name)
    methods = {i.weights.method for i in case.inputs.values() if i.weights is not None}
    assert methods == EXPECTED[name].methods


@pytest.mark.parametrize("name", NAMES)
def test_example_round_trips_through_yaml_and_json(name: str, tmp_path: Path) -> None:
    case = _load(name)
    for suffix in (".yaml", ".json"):
        path = tmp_path / f"{name}{suffix}"
        accord.save_case(case, path)
        assert accord.load_case(path) == case


@pytest.mark.parametrize("name", NAMES)
def test_example_governance_has_one_accountable_owner(name: str) -> None:
    case = _load(name)
    accountable = [s.id for s in case.stakeholders if s.raci == "accountable"]
    assert accountable == [case.decision_owner]
    assert case.escalation, "every example names an escalation path"
    assert case.decision_owner in case.escalation


@pytest.mark.parametrize("name", NAMES)
def test_example_has_disputed_and_shared_facts(name: str) -> None:
    case = _load(name)
    everyone = {s.id for s in case.stakeholders}
    assert any(f.disputed_by for f in case.facts), "the argument lives in a disputed fact"
    assert all(f.source for f in case.facts)
    # at least one fact is accepted by most of the room: common ground starts there
    assert max(len(f.accepted_by) for f in case.facts) >= len(everyone) - 2


@pytest.mark.parametrize("name", NAMES)
def test_example_has_actions_guardrails_and_cadence(name: str) -> None:
    case = _load(name)
    assert len(case.actions) >= 5
    assert len(case.guardrails) >= 2
    assert case.cadence is not None and case.cadence.checkpoints
    assert len(case.scenarios) >= 2


def test_growth_vs_margin_has_segments_ties_and_an_ahp_stakeholder() -> None:
    case = _load("growth-vs-margin")
    segments = {c.segment for c in case.criteria if c.segment}
    assert segments == {"smb", "enterprise"}
    rankings = [i.ranking for i in case.inputs.values() if i.ranking]
    assert any(isinstance(entry, list) for r in rankings for entry in r), "a tie in some ranking"
    ahp = [s for s, i in case.inputs.items() if i.weights and i.weights.method == "ahp"]
    assert ahp == ["cfo"]
    assert 8 <= len(case.statements) <= 12
    assert case.inputs["board-observer"].weights is None  # informed only


def test_personalisation_privacy_decision_records_dissent_and_assumptions() -> None:
    case = _load("personalisation-privacy")
    (decision,) = case.decisions
    assert decision.option == "staged-experiment"
    assert {d.by for d in decision.dissent} == {"cmo", "pm-lead"}
    assert len(decision.assumptions) >= 3
    assert all(a.owner and a.threshold and a.check_date for a in decision.assumptions)
    dpia = next(f for f in case.facts if f.id == "dpia-draft")
    assert dpia.confidence == "low" and dpia.disputed_by


def test_personalisation_privacy_has_done_and_overdue_actions() -> None:
    case = _load("personalisation-privacy")
    today = dt.date(2026, 11, 23)
    assert any(a.done for a in case.actions)
    overdue = {
        a.id for a in case.actions if not a.done and a.deadline is not None and a.deadline < today
    }
    assert overdue == {"act-retention-policy", "act-dpia-consent"}
    assert case.cadence is not None and case.cadence.review_every_days == 30


def test_budget_workshop_cannot_fund_everything() -> None:
    case = _load("budget-workshop")
    assert case.budget is not None and case.capacity is not None
    assert sum(o.cost or 0 for o in case.options) > 1.5 * case.budget.amount
    assert sum(o.effort or 0 for o in case.options) > 1.5 * case.capacity.amount
    assert 20 <= len(case.ideas) <= 30
    assert case.dots_budget is not None
    assert len({o.team for o in case.options}) == 5


def test_budget_workshop_every_stakeholder_votes_on_every_statement() -> None:
    case = _load("budget-workshop")
    statement_ids = {s.id for s in case.statements}
    for stakeholder in case.stakeholders:
        votes = case.inputs[stakeholder.id].statement_votes
        assert set(votes) == statement_ids, stakeholder.id


def test_campaign_charter_scores_the_stakeholder_scored_criterion() -> None:
    case = _load("campaign-charter")
    scored = [c.id for c in case.criteria if c.scored_by_stakeholders]
    assert scored == ["message-fit"]
    option_ids = {o.id for o in case.options}
    for stakeholder, inputs in case.inputs.items():
        if inputs.weights is not None:
            assert set(inputs.scores) == option_ids, stakeholder


@pytest.mark.parametrize("name", NAMES)
def test_example_rankings_name_every_option_once(name: str) -> None:
    case = _load(name)
    option_ids = {o.id for o in case.options}
    for stakeholder, inputs in case.inputs.items():
        if inputs.ranking:
            flat = _flat(inputs.ranking)
            assert sorted(flat) == sorted(option_ids), stakeholder


# Options whose most likely estimate breaks a guardrail (the story each README paragraph tells).
GUARDRAIL_BREAKERS: dict[str, set[str]] = {
    "growth-vs-margin": {"discount-push"},
    "personalisation-privacy": {"full-profiling"},
    "budget-workshop": {"mkt-brand-refresh"},
    "campaign-charter": {"brand-led", "performance-led"},
}


def _likely(value: object) -> float:
    likely = getattr(value, "likely", value)
    assert isinstance(likely, int | float)
    return float(likely)


@pytest.mark.parametrize("name", NAMES)
def test_example_guardrails_break_exactly_the_options_the_story_says(name: str) -> None:
    case = _load(name)
    breakers = set()
    for option in case.options:
        for guardrail in case.guardrails:
            value = _likely(option.estimates[guardrail.criterion])
            below = guardrail.min is not None and value < guardrail.min
            above = guardrail.max is not None and value > guardrail.max
            if below or above:
                breakers.add(option.id)
    assert breakers == GUARDRAIL_BREAKERS[name]
