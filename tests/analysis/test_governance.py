"""Governance checks on cases: owner, escalation, RACI, decision record, actions, re-opening."""

from __future__ import annotations

import copy
import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest

from accord.analysis.governance import check_governance, criterion_for_metric, threshold_test
from accord.analysis.jsonable import to_jsonable
from accord.io.case_file import load_case
from accord.model.case import Case

REPO = Path(__file__).resolve().parents[2]
TODAY = dt.date(2027, 1, 20)

BASE: dict[str, Any] = {
    "accord": 1,
    "id": "pricing",
    "title": "Pricing",
    "question": "Which pricing?",
    "decision_owner": "ceo",
    "escalation": ["cfo", "ceo"],
    "stakeholders": [
        {"id": "ceo", "name": "Elena", "raci": "accountable"},
        {"id": "cfo", "name": "Priya", "raci": "consulted"},
        {"id": "cmo", "name": "Dana", "raci": "responsible"},
        {"id": "board", "name": "Board", "raci": "informed"},
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
    assert "owner-not-accountable" in _codes(_case(decision_owner="cfo", escalation=["cfo"]))


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
    for path in sorted((REPO / "examples").glob("*.yaml")):
        result = check_governance(load_case(path), dt.date(2026, 11, 25))
        assert result.ok, (path.name, [f for f in result.findings if f.severity == "error"])


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
