"""Governance checks on cases: owner, escalation, RACI, decision record, actions, re-opening."""

from __future__ import annotations

import copy
import datetime as dt
import itertools
import re
from pathlib import Path
from typing import Any

import pytest

from accord.analysis.escalation import money_at_stake
from accord.analysis.governance import check_governance, criterion_for_metric, threshold_test
from accord.analysis.jsonable import to_jsonable
from accord.io.case_file import load_case, parse_case
from accord.model.case import Case
from accord.model.stakeholders import Authority

REPO = Path(__file__).resolve().parents[2]
TODAY = dt.date(2027, 1, 20)
EXAMPLES = sorted((REPO / "examples").glob("*.yaml"))
EXAMPLE_DAY = dt.date(2026, 11, 25)
CEO: dict[str, Any] = {"level": 6, "decide": True, "fund": 2_000_000}
BOARD: dict[str, Any] = {"level": 7, "decide": True, "fund": 10_000_000}

BASE: dict[str, Any] = {
    "accord": 1,
    "id": "pricing",
    "title": "Pricing",
    "question": "Which pricing?",
    "decision_owner": "ceo",
    "escalation": ["cfo", "ceo"],
    "stakeholders": [
        {"id": "ceo", "name": "Elena", "raci": "accountable", "authority": CEO},
        {"id": "cfo", "name": "Priya", "raci": "consulted", "authority": {"level": 5}},
        {"id": "cmo", "name": "Dana", "raci": "responsible", "authority": {"level": 5}},
        {"id": "board", "name": "Board", "raci": "informed", "authority": BOARD},
    ],
    "criteria": [{"id": "gross-margin", "name": "Gross margin", "unit": "%"}],
    "options": [
        {"id": "usage-pricing", "name": "Usage pricing", "estimates": {"gross-margin": 64}},
        {"id": "discount-push", "name": "Discounts", "estimates": {"gross-margin": 55}},
    ],
    "facts": [],
    "decisions": [
        {
            "id": "fy27",
            "option": "usage-pricing",
            "date": "2026-11-20",
            "accountable": "ceo",
            "rationale": "Keeps margin",
            "dissent": [{"by": "cmo", "reason": "Too slow"}],
            "review_date": "2027-02-20",
            "assumptions": [
                {
                    "id": "a1",
                    "statement": "Usage pricing keeps margin >= 60%",
                    "owner": "cfo",
                    "metric": "gross-margin",
                    "threshold": ">= 60",
                    "check_date": "2027-01-15",
                }
            ],
        }
    ],
    "actions": [
        {
            "id": "act-1",
            "title": "Pilot",
            "owner": "cmo",
            "deadline": "2027-02-01",
            "metric": "Pilot conversion",
            "decision": "fy27",
        }
    ],
}


def _case(**changes: Any) -> Case:
    data = copy.deepcopy(BASE)
    data.update(changes)
    return Case.model_validate(data)


def _people(**authority: dict[str, Any] | None) -> list[dict[str, Any]]:
    """BASE's stakeholders with some authority blocks replaced (``None`` removes one)."""
    people = copy.deepcopy(BASE["stakeholders"])
    for person in people:
        if person["id"] in authority:
            person["authority"] = authority[person["id"]]
            if person["authority"] is None:
                del person["authority"]
    return people


def _escalation(case: Case) -> list[tuple[str, str, str]]:
    """(code, field, message) of every escalation finding."""
    return [
        (f.code, f.field, f.message)
        for f in check_governance(case, TODAY).findings
        if f.code.startswith(("escalation-", "no-escalation"))
    ]


def _codes(case: Case, today: dt.date = TODAY) -> set[str]:
    return {f.code for f in check_governance(case, today).findings}


def _fact(value: float, **extra: Any) -> dict[str, Any]:
    fact = {
        "id": "pilot-margin",
        "statement": "Usage pilot gross margin",
        "value": value,
        "source": "Finance pilot readout",
        "accepted_by": ["cfo", "ceo"],
        "informs": [{"option": "usage-pricing", "criterion": "gross-margin"}],
    }
    fact.update(extra)
    return fact


def test_governance_clean_case_is_ok_with_only_due_assumption() -> None:
    result = check_governance(_case(), TODAY)
    assert result.ok
    assert [f.code for f in result.findings] == ["assumption-due"]
    assert [(d.assumption, d.days_overdue) for d in result.assumptions_due] == [("a1", 5)]


def test_governance_two_accountable_is_error() -> None:
    people = copy.deepcopy(BASE["stakeholders"])
    people[1]["raci"] = "accountable"
    result = check_governance(_case(stakeholders=people), TODAY)
    assert not result.ok
    assert "accountable-count" in {f.code for f in result.findings}


def test_governance_no_owner_and_no_accountable_is_error() -> None:
    people = copy.deepcopy(BASE["stakeholders"])
    people[0]["raci"] = "responsible"
    decisions = copy.deepcopy(BASE["decisions"])
    assert "no-decision-owner" in _codes(
        _case(decision_owner=None, stakeholders=people, decisions=decisions)
    )


def test_governance_owner_implied_by_single_accountable_is_warning() -> None:
    result = check_governance(_case(decision_owner=None), TODAY)
    assert result.ok
    assert "decision-owner-implied" in {f.code for f in result.findings}


def test_governance_owner_differs_from_accountable_is_error() -> None:
    people = _people(cfo={"level": 5, "decide": True, "fund": 2_000_000})
    case = _case(decision_owner="cfo", escalation=["cfo"], stakeholders=people)
    assert "owner-not-accountable" in _codes(case)


@pytest.mark.parametrize(
    ("path", "ok"),
    [
        (["cfo", "ceo"], True),  # ends at the decision owner
        (["ceo", "board"], True),  # the board is above the decision owner
        (["cmo", "cfo"], False),  # ends below the owner: dead end
    ],
)
def test_governance_escalation_must_end_with_authority(path: list[str], ok: bool) -> None:
    assert ("escalation-dead-end" not in _codes(_case(escalation=path))) == ok


LEAD: dict[str, Any] = {"id": "lead", "name": "Kim", "raci": "consulted", "authority": {"level": 2}}
BUDGET: dict[str, Any] = {"amount": 400_000, "currency": "USD"}


def test_governance_escalation_to_team_lead_after_owner_is_dead_end() -> None:
    # Issue 13: listed after the decision owner, the lead used to count as "above" them.
    people = [*_people(), LEAD]
    assert _escalation(_case(stakeholders=people, budget=BUDGET, escalation=["lead", "ceo"])) == []
    down = _case(stakeholders=people, budget=BUDGET, escalation=["ceo", "lead"])
    assert _escalation(down) == [
        (
            "escalation-downward",
            "escalation[1]",
            "The escalation path goes down from 'ceo' (level 6) to 'lead' (level 2): someone "
            "more junior cannot overrule them.",
        ),
        (
            "escalation-dead-end",
            "escalation[1]",
            "The escalation path ends at 'lead', who may not decide, and may fund only 0 USD of "
            "the 400,000 USD the decision can commit, and ranks below the decision owner 'ceo' "
            "(level 2 < 6): nobody on it can settle the decision.",
        ),
    ]
    assert not check_governance(down, TODAY).ok


@pytest.mark.parametrize(("fund", "dead"), [(399_999, True), (400_000, False)])
def test_governance_escalation_dead_end_without_budget_authority(fund: int, dead: bool) -> None:
    case = _case(stakeholders=_people(ceo={**CEO, "fund": fund}), budget=BUDGET)
    expected = (
        "The escalation path ends at 'ceo', who may fund only 399,999 USD of the 400,000 USD the "
        "decision can commit: nobody on it can settle the decision."
    )
    assert _escalation(case) == (
        [("escalation-dead-end", "escalation[1]", expected)] if dead else []
    )


@pytest.mark.parametrize(("kind", "dead"), [("choose_one", False), ("portfolio", True)])
def test_governance_escalation_funding_judged_on_what_the_decision_commits(
    kind: str, dead: bool
) -> None:
    # Choosing one option commits at most 300k; funding both commits 450k, capped at 400k.
    options = copy.deepcopy(BASE["options"])
    options[0]["cost"], options[1]["cost"] = 300_000, 150_000
    people = _people(ceo={**CEO, "fund": 300_000})
    case = _case(stakeholders=people, budget=BUDGET, options=options, decision_kind=kind)
    assert ("escalation-dead-end" in _codes(case)) == dead


@pytest.mark.parametrize(("decide", "dead"), [(False, True), (True, False)])
def test_governance_escalation_dead_end_when_final_may_not_decide(decide: bool, dead: bool) -> None:
    people = _people(board={**BOARD, "decide": decide})
    found = _escalation(_case(escalation=["ceo", "board"], stakeholders=people))
    expected = (
        "The escalation path ends at 'board', who may not decide: nobody on it can settle the "
        "decision."
    )
    assert found == ([("escalation-dead-end", "escalation[1]", expected)] if dead else [])


@pytest.mark.parametrize(("level", "dead"), [(5, True), (6, False)])
def test_governance_escalation_dead_end_below_the_decision_owner(level: int, dead: bool) -> None:
    people = _people(cfo={"level": level, "decide": True, "fund": 2_000_000}, cmo={"level": 4})
    found = _escalation(_case(escalation=["cmo", "cfo"], stakeholders=people))
    expected = (
        "The escalation path ends at 'cfo', who ranks below the decision owner 'ceo' (level 5 < "
        "6): nobody on it can settle the decision."
    )
    assert found == ([("escalation-dead-end", "escalation[1]", expected)] if dead else [])


def test_governance_escalation_downward_is_seen_past_an_unknown_level() -> None:
    people = _people(cmo=None)
    found = _escalation(_case(escalation=["board", "cmo", "ceo"], stakeholders=people))
    assert [(code, field) for code, field, _ in found] == [
        ("escalation-downward", "escalation[2]"),
        ("escalation-unjudged", "escalation"),
    ]
    assert "from 'board' (level 7) to 'ceo' (level 6)" in found[0][2]
    found = _escalation(_case(escalation=["cmo", "ceo", "board"], stakeholders=people))
    assert [code for code, _, _ in found] == ["escalation-unjudged"]


@pytest.mark.parametrize(("cfo_level", "sideways"), [(5, True), (4, False)])
def test_governance_escalation_sideways_step_is_warning(cfo_level: int, sideways: bool) -> None:
    people = _people(cfo={"level": cfo_level})
    case = _case(escalation=["cfo", "cmo", "ceo"], stakeholders=people)
    expected = (
        "'cmo' (level 5) is no more senior than 'cfo' before them in the escalation path: a peer "
        "cannot overrule a peer."
    )
    assert _escalation(case) == (
        [("escalation-sideways", "escalation[1]", expected)] if sideways else []
    )
    assert check_governance(case, TODAY).ok  # a warning, not an error


def test_governance_escalation_loop_is_error() -> None:
    # Issue 19: [a, b, a, b] passed governance.
    case = _case(escalation=["cfo", "ceo", "cfo", "ceo"])
    assert _escalation(case) == [
        (
            "escalation-loop",
            "escalation[2]",
            "The escalation path loops: it comes back to 'cfo' (escalation[0] and [2]), 'ceo' "
            "(escalation[1] and [3]), so it never reaches a final authority.",
        )
    ]
    assert not check_governance(case, TODAY).ok
    assert _escalation(_case(escalation=["cfo", "ceo"])) == []
    assert [c for c, _, _ in _escalation(_case(escalation=["ceo", "ceo"]))] == ["escalation-loop"]


LEGACY = """\
accord: 1
id: legacy
title: A case written before authority existed
question: Which pricing?
decision_owner: ceo
escalation: [cmo, cfo]
stakeholders:
  - {id: ceo, name: Elena, raci: accountable}
  - {id: cfo, name: Priya, raci: consulted}
  - {id: cmo, name: Dana, raci: informed}
"""


def test_governance_case_without_authority_loads_and_warns_escalation_unjudged() -> None:
    case = parse_case(LEGACY, path="legacy.yaml")
    result = check_governance(case, TODAY)
    assert result.ok  # list order is no longer evidence either way: a warning, not an error
    assert _escalation(case) == [
        (
            "escalation-unjudged",
            "escalation",
            "No stakeholder has an authority block (level, decide, fund), so accord cannot tell "
            "whether the escalation path goes up and ends with someone who may decide and fund; "
            "the order of the list is not evidence of either.",
        )
    ]
    some = parse_case(
        LEGACY.replace(
            "raci: accountable}", "raci: accountable, authority: {level: 6, decide: true}}"
        )
    )
    assert _escalation(some) == [
        (
            "escalation-unjudged",
            "escalation",
            "The escalation path cannot be fully judged: no authority (level, decide, fund) is "
            "given for 'cmo', 'cfo', and list order is not taken as seniority.",
        )
    ]
    every = some.model_copy(
        update={
            "stakeholders": [
                s.model_copy(update={"authority": s.authority or Authority(level=4, decide=True)})
                for s in some.stakeholders
            ]
        }
    )
    assert [c for c, _, _ in _escalation(every)] == ["escalation-sideways", "escalation-dead-end"]


@pytest.mark.parametrize(
    "path", [["cfo", "ceo"], ["ceo", "board"], ["cmo", "cfo"], ["board", "cmo"]]
)
def test_governance_escalation_does_not_depend_on_stakeholder_order(path: list[str]) -> None:
    first = _escalation(_case(escalation=path))
    for order in itertools.permutations(BASE["stakeholders"]):
        assert _escalation(_case(escalation=path, stakeholders=list(order))) == first


def test_money_at_stake_budget_costs_and_unknowns() -> None:
    options = copy.deepcopy(BASE["options"])
    assert money_at_stake(_case()) is None  # no budget, no costs: nothing to fund
    assert money_at_stake(_case(budget=BUDGET)) == 400_000
    options[0]["cost"] = 250_000
    assert money_at_stake(_case(budget=BUDGET, options=options)) == 400_000  # one cost unknown
    assert money_at_stake(_case(options=options)) == 250_000  # at least the known cost
    options[1]["cost"] = 500_000
    assert money_at_stake(_case(budget=BUDGET, options=options)) == 400_000  # capped
    assert money_at_stake(_case(options=options, decision_kind="portfolio")) == 750_000


def test_governance_missing_escalation_and_raci_lists_are_warnings() -> None:
    people = [{"id": "ceo", "name": "Elena", "raci": "accountable"}, {"id": "cfo", "name": "P"}]
    case = _case(stakeholders=people, escalation=[], decisions=[], actions=[])
    result = check_governance(case, TODAY)
    assert result.ok
    assert {f.code for f in result.findings} == {
        "no-escalation-path",
        "no-consulted",
        "no-informed",
        "raci-missing",
    }


def test_governance_decision_record_gaps() -> None:
    decision = {"id": "d2", "option": "usage-pricing", "date": "2026-12-01"}
    case = _case(decisions=[decision], actions=[])
    assert _codes(case) == {
        "decision-no-accountable",
        "decision-dissent-unrecorded",
        "decision-no-rationale",
        "decision-no-review-date",
    }


def test_governance_empty_dissent_list_counts_as_recorded() -> None:
    decisions = copy.deepcopy(BASE["decisions"])
    decisions[0]["dissent"] = []
    assert "decision-dissent-unrecorded" not in _codes(_case(decisions=decisions))


def test_governance_review_due_and_wrong_accountable() -> None:
    decisions = copy.deepcopy(BASE["decisions"])
    decisions[0]["accountable"] = "cfo"
    codes = _codes(_case(decisions=decisions), dt.date(2027, 3, 1))
    assert {"decision-accountable-mismatch", "decision-review-due"} <= codes


def test_governance_action_without_deadline_or_metric_and_overdue() -> None:
    actions = [
        {"id": "a", "title": "No deadline", "owner": "cmo", "metric": "m"},
        {"id": "b", "title": "No metric", "owner": "cmo", "deadline": "2027-01-01"},
        {
            "id": "c",
            "title": "Done late",
            "owner": "cmo",
            "deadline": "2027-01-01",
            "metric": "m",
            "done": True,
        },
    ]
    result = check_governance(_case(actions=actions), TODAY)
    codes = [f.code for f in result.findings]
    assert {"action-no-deadline", "action-no-metric", "action-overdue"} <= set(codes)
    assert result.overdue_actions == ["b"]
    assert not result.ok


def test_governance_accepted_contradicting_fact_reopens_decision() -> None:
    result = check_governance(_case(facts=[_fact(55)]), TODAY)
    assert not result.ok
    assert [(r.decision, r.assumption, r.fact, r.value) for r in result.reopen] == [
        ("fy27", "a1", "pilot-margin", 55.0)
    ]
    finding = next(f for f in result.findings if f.code == "decision-reopen")
    assert "Re-open decision 'fy27'" in finding.message


def test_governance_fact_meeting_threshold_does_not_reopen() -> None:
    assert check_governance(_case(facts=[_fact(61)]), TODAY).reopen == []


def test_governance_disputed_fact_warns_instead_of_reopening() -> None:
    fact = _fact(55, accepted_by=["cfo"], disputed_by=["cmo"])
    result = check_governance(_case(facts=[fact]), TODAY)
    assert result.reopen == []
    assert "assumption-contested" in {f.code for f in result.findings}


def test_governance_fact_about_another_option_does_not_reopen() -> None:
    fact = _fact(40, informs=[{"option": "discount-push", "criterion": "gross-margin"}])
    assert check_governance(_case(facts=[fact]), TODAY).reopen == []


def test_governance_metric_matched_by_criterion_name() -> None:
    decisions = copy.deepcopy(BASE["decisions"])
    decisions[0]["assumptions"][0]["metric"] = "gross MARGIN"
    result = check_governance(_case(decisions=decisions, facts=[_fact(50)]), TODAY)
    assert len(result.reopen) == 1
    assert criterion_for_metric(_case(), "Gross margin") == "gross-margin"
    assert criterion_for_metric(_case(), "churn") is None


def test_governance_untestable_and_unreadable_assumptions_warn() -> None:
    decisions = copy.deepcopy(BASE["decisions"])
    decisions[0]["assumptions"] = [
        {
            "id": "a1",
            "statement": "s",
            "owner": "cfo",
            "metric": "gross-margin",
            "threshold": "at least sixty",
            "check_date": "2027-05-01",
        },
        {"id": "a2", "statement": "s"},
    ]
    codes = _codes(_case(decisions=decisions))
    assert {"assumption-threshold-unreadable", "assumption-untestable"} <= codes


@pytest.mark.parametrize(
    ("threshold", "value", "holds"),
    [
        (">= 60", 60.0, True),
        (">=60", 59.9, False),
        ("> 60", 60.0, False),
        ("<= 5", 5.0, True),
        ("< 5", 5.0, False),
        ("== 3", 3.0, True),
        ("= 3", 4.0, False),
        ("!= 3", 4.0, True),
        ("55..65", 65.0, True),
        ("55 .. 65", 54.0, False),
        (">= 72%", 71.0, False),
        ("<= -1.5e1", -20.0, True),
    ],
)
def test_threshold_test_reads_comparisons_and_ranges(
    threshold: str, value: float, holds: bool
) -> None:
    test = threshold_test(threshold)
    assert test is not None
    assert test(value) is holds


@pytest.mark.parametrize("text", ["", "sixty", ">> 3", "60..", "about 60"])
def test_threshold_test_unreadable_gives_none(text: str) -> None:
    assert threshold_test(text) is None


def test_governance_result_is_json_ready_and_deterministic() -> None:
    case = _case(facts=[_fact(55)])
    first = to_jsonable(check_governance(case, TODAY))
    assert first == to_jsonable(check_governance(case, TODAY))
    assert first["ok"] is False and first["today"] == "2027-01-20"


def test_governance_on_example_case_has_no_errors() -> None:
    for path in EXAMPLES:
        result = check_governance(load_case(path), EXAMPLE_DAY)
        assert result.ok, (path.name, [f for f in result.findings if f.severity == "error"])


def _without_authority(text: str) -> str:
    """The case file as it was before authority existed (block and flow styles)."""
    text = re.sub(r"^\s+authority: \{[^}]*\}\n", "", text, flags=re.M)
    return re.sub(r", authority: \{[^}]*\}", "", text)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_governance_examples_are_fully_judged(path: Path) -> None:
    codes = [f.code for f in check_governance(load_case(path), EXAMPLE_DAY).findings]
    assert not [c for c in codes if c.startswith("escalation-")]


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_governance_examples_before_authority_load_and_only_warn(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    old = parse_case(_without_authority(text), path=path.name)
    assert all(s.authority is None for s in old.stakeholders)
    now = check_governance(load_case(path), EXAMPLE_DAY)
    before = check_governance(old, EXAMPLE_DAY)
    assert before.ok == now.ok
    added = [f.code for f in before.findings if f not in now.findings]
    assert added == ["escalation-unjudged"]


def test_governance_budget_workshop_story_flips_on_authority() -> None:
    text = (REPO / "examples" / "budget-workshop.yaml").read_text(encoding="utf-8")
    ceo = "authority: {level: 6, decide: true, fund: 1600000}"
    assert ceo in text
    assert check_governance(parse_case(text), EXAMPLE_DAY).ok
    poorer = parse_case(text.replace(ceo, ceo.replace("1600000", "1000000")))
    assert [f.code for f in check_governance(poorer, EXAMPLE_DAY).findings] == [
        "escalation-dead-end"
    ]
    # Asking the CEO before the CMO now reads as what it is: a step down to the CMO.
    reordered = parse_case(text.replace("[facilitator, cmo, ceo]", "[facilitator, ceo, cmo]"))
    assert [(f.code, f.field) for f in check_governance(reordered, EXAMPLE_DAY).findings] == [
        ("escalation-downward", "escalation[2]")
    ]


def _finding_codes(source: str) -> set[str]:
    """Literal finding codes in a checks module (templated codes are expanded by hand)."""
    literal = re.findall(r'_(?:error|warning|missing)\(\s*"([a-z][a-z-]+)"', source)
    literal += re.findall(r'Finding\(\s*"(?:error|warning)",\s*"([a-z][a-z-]+)"', source)
    # (section, code, message) tables of required sections
    literal += re.findall(r'\(\s*"[a-z_]+",\s*"([a-z]+-[a-z-]+)",', source)
    return set(literal)


def test_every_finding_code_is_documented() -> None:
    docs = (REPO / "docs" / "governance.md").read_text(encoding="utf-8")
    sources = [
        REPO / "src" / "accord" / "analysis" / "plan_check.py",
        REPO / "src" / "accord" / "analysis" / "governance.py",
        REPO / "src" / "accord" / "analysis" / "escalation.py",
    ]
    codes = set().union(*(_finding_codes(p.read_text(encoding="utf-8")) for p in sources))
    templated = {
        "over-capacity",
        "over-budget",
        "over-capacity-no-deprioritisation",
        "over-budget-no-deprioritisation",
        "effort-missing",
        "cost-missing",
        "no-consulted",
        "no-informed",
        "action-no-deadline",
        "action-no-metric",
    }
    assert len(codes) > 30
    missing = sorted(c for c in codes | templated if f"`{c}`" not in docs)
    assert missing == []
