"""The case model: field checks, whole-case checks and helpers for the analysis layer."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from accord.errors import CaseFileError, NotFoundError
from accord.io.case_file import parse_case
from accord.model import (
    AhpWeights,
    Case,
    Decision,
    Estimate,
    Fact,
    Guardrail,
    PointsWeights,
    RankWeights,
    StakeholderInputs,
)
from accord.model.scenarios import Adjustment
from accord.model.stakeholders import Authority


def minimal(**extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "accord": 1,
        "id": "c",
        "title": "T",
        "question": "Q?",
        "stakeholders": [{"id": "cfo", "name": "P"}, {"id": "cmo", "name": "D"}],
        "criteria": [
            {"id": "margin", "name": "Margin"},
            {"id": "fit", "name": "Fit", "scored_by_stakeholders": True},
        ],
        "options": [
            {"id": "hold", "name": "Hold", "estimates": {"margin": 63}},
            {"id": "push", "name": "Push", "estimates": {"margin": {"low": 55, "likely": 58}}},
        ],
    }
    data.update(extra)
    return data


def test_case_helpers_list_ids_in_file_order() -> None:
    case = Case.model_validate(minimal())
    assert case.stakeholder_ids == ["cfo", "cmo"]
    assert case.option_ids == ["hold", "push"]
    assert case.criterion_ids == ["margin", "fit"]
    assert case.stakeholder("cmo").name == "D"
    assert case.option("push").estimates["margin"].likely == 58
    assert case.criterion("fit").scored_by_stakeholders


def test_case_lookup_unknown_id_suggests() -> None:
    case = Case.model_validate(minimal())
    with pytest.raises(NotFoundError, match=r"no stakeholder 'cfoo' \(did you mean 'cfo'\?\)"):
        case.stakeholder("cfoo")


def test_estimate_number_has_equal_bounds() -> None:
    estimate = Estimate.model_validate(14)
    assert (estimate.low, estimate.likely, estimate.high) == (14, 14, 14)
    assert not estimate.is_range
    assert estimate.model_dump() == 14


def test_estimate_range_defaults_missing_bound_to_likely() -> None:
    estimate = Estimate.model_validate({"low": 55, "likely": 58})
    assert (estimate.low, estimate.likely, estimate.high) == (55, 58, 58)
    assert estimate.model_dump() == {"low": 55, "likely": 58, "high": 58}


@pytest.mark.parametrize("bad", ["high", True, None, [1]])
def test_estimate_rejects_non_numbers(bad: object) -> None:
    with pytest.raises(ValidationError, match="expected a number or a range"):
        Estimate.model_validate(bad)


def test_estimate_rejects_unordered_range() -> None:
    with pytest.raises(ValidationError, match="expected low <= likely <= high"):
        Estimate.model_validate({"low": 3, "likely": 2, "high": 4})


def test_case_built_directly_reports_references_in_one_error() -> None:
    data = minimal(decision_owner="ceo", escalation=["cfo", "boss"])
    with pytest.raises(ValidationError) as error:
        Case.model_validate(data)
    text = str(error.value)
    assert "decision_owner: 'ceo' is not a stakeholder id" in text
    assert "escalation[1]: 'boss' is not a stakeholder id" in text


def problems(data: dict[str, Any]) -> list[str]:
    case = Case.model_validate(data, context={"defer_references": True})
    return [f"{'.'.join(map(str, p.field))}: {p.message}" for p in case.reference_problems()]


def test_reference_problems_none_for_minimal_case() -> None:
    assert problems(minimal()) == []


def test_reference_problems_missing_estimate() -> None:
    data = minimal()
    data["options"][0]["estimates"] = {}
    assert problems(data) == [
        "options.0.estimates: option 'hold' has no estimate for criterion 'margin'"
    ]


def test_reference_problems_estimate_for_stakeholder_scored_criterion() -> None:
    data = minimal()
    data["options"][0]["estimates"]["fit"] = 3
    assert "scored_by_stakeholders" in problems(data)[0]


def test_reference_problems_duplicate_ids() -> None:
    data = minimal()
    data["stakeholders"].append({"id": "cfo", "name": "again"})
    assert problems(data) == ["stakeholders.2.id: duplicate id 'cfo' (also stakeholders[0])"]


def test_reference_problems_inputs_name_both_ends() -> None:
    data = minimal(
        statements=[{"id": "s1", "text": "Margin first"}],
        dots_budget=2,
        inputs={
            "cfoo": {"approvals": ["hold"]},
            "cmo": {
                "weights": {"method": "rank", "order": ["margin", ["fit", "margn"]]},
                "scores": {"hold": {"fit": 3}, "pussh": {"fit": 1}},
                "ranking": ["hold", "hold"],
                "dots": {"hold": 2, "push": 1},
                "statement_votes": {"s1": "agree", "s2": "pass"},
            },
        },
    )
    assert problems(data) == [
        "inputs.cfoo: 'cfoo' is not a stakeholder id (did you mean 'cfo'?)",
        "inputs.cmo.weights.order.1.1: 'margn' is not a criterion id (did you mean 'margin'?)",
        "inputs.cmo.scores.pussh: 'pussh' is not an option id (did you mean 'push'?)",
        "inputs.cmo.ranking.1: 'hold' is ranked twice",
        "inputs.cmo.dots: 3 dots given, over the dots_budget of 2",
        "inputs.cmo.statement_votes.s2: 's2' is not a statement id",
    ]


def test_reference_problems_scenarios_must_sum_to_one() -> None:
    data = minimal(
        scenarios=[
            {"id": "a", "name": "A", "probability": 0.5},
            {"id": "b", "name": "B", "probability": 0.4},
        ]
    )
    assert problems(data) == ["scenarios: scenario probabilities must sum to 1, got 0.9"]
    data["scenarios"][1]["probability"] = 0.5
    assert problems(data) == []
    del data["scenarios"][1]["probability"]
    assert problems(data) == []  # only checked when every scenario gives one


def test_reference_problems_records() -> None:
    data = minimal(
        decisions=[
            {
                "id": "d1",
                "option": ["hold", "hld"],
                "date": "2026-11-20",
                "dissent": [{"by": "cmo", "reason": "slow"}],
                "assumptions": [{"id": "a1", "statement": "ok", "owner": "cf"}],
            }
        ],
        actions=[{"id": "x", "title": "Pilot", "owner": "cmo", "decision": "d2"}],
    )
    assert problems(data) == [
        "decisions.0.option.1: 'hld' is not an option id (did you mean 'hold'?)",
        "decisions.0.assumptions.0.owner: 'cf' is not a stakeholder id (did you mean 'cfo'?)",
        "actions.0.decision: 'd2' is not a decision id",
    ]


def test_decision_option_ids_always_a_list() -> None:
    one = Decision.model_validate({"id": "d", "option": "hold", "date": "2026-01-01"})
    assert one.option_ids == ["hold"]


def test_points_weights_must_sum_to_100() -> None:
    with pytest.raises(ValidationError, match="points must sum to 100, got 90"):
        PointsWeights.model_validate({"method": "points", "values": {"a": 60, "b": 30}})


def test_ahp_ratio_within_saaty_scale() -> None:
    with pytest.raises(ValidationError, match="less than or equal to 9"):
        AhpWeights.model_validate(
            {"method": "ahp", "judgements": [{"more": "a", "less": "b", "ratio": 10}]}
        )


def test_weights_discriminated_by_method() -> None:
    given = StakeholderInputs.model_validate({"weights": {"method": "rank", "order": ["a"]}})
    assert isinstance(given.weights, RankWeights)


def test_fact_cannot_be_accepted_and_disputed_by_same_person() -> None:
    with pytest.raises(ValidationError, match="'cmo' both accepts and disputes"):
        Fact.model_validate(
            {
                "id": "f",
                "statement": "s",
                "source": "x",
                "accepted_by": ["cmo"],
                "disputed_by": ["cmo"],
            }
        )


def test_guardrail_needs_a_bound() -> None:
    with pytest.raises(ValidationError, match="needs 'min' and/or 'max'"):
        Guardrail.model_validate({"id": "g", "criterion": "margin"})


def test_adjustment_needs_exactly_one_change() -> None:
    with pytest.raises(
        ValidationError, match="exactly one of set / add / multiply, got add, multiply"
    ):
        Adjustment.model_validate({"criterion": "m", "add": 1, "multiply": 2})


@pytest.mark.parametrize("bad", [True, "3"])
def test_numbers_reject_booleans_and_text(bad: object) -> None:
    with pytest.raises(ValidationError, match="expected a number"):
        Guardrail.model_validate({"id": "g", "criterion": "m", "min": bad})


def test_horizon_accepts_dates_and_years_as_text() -> None:
    import datetime as dt

    from accord.model import Criterion

    assert (
        Criterion.model_validate({"id": "c", "name": "C", "horizon": dt.date(2027, 1, 1)}).horizon
        == "2027-01-01"
    )
    assert Criterion.model_validate({"id": "c", "name": "C", "horizon": 2027}).horizon == "2027"


AUTHORITY_CASE = """\
accord: 1
id: c
title: T
question: Q?
decision_owner: cfo
stakeholders:
  - id: cfo
    name: P
    authority: {level: 5, decide: true, fund: 100}
  - id: cmo
    name: D
    authority: {level: -1, decide: maybe, fund: -5}
  - id: lead
    name: K
    authority: {level: 2.5, decide: 1, fund: true}
  - id: ops
    name: O
    authority: {levle: 3}
  - id: hr
    name: H
    authority: {level: "3", decide: "true"}
  - id: it
    name: I
    authority: {level: 101}
  - id: x
    name: X
    authority: high
"""


def _located(text: str) -> list[str]:
    with pytest.raises(CaseFileError) as error:
        parse_case(text, path="x.yaml")
    return [str(p) for p in error.value.problems]


def test_authority_bad_values_are_located_errors() -> None:
    assert _located(AUTHORITY_CASE) == [
        "x.yaml:12:24: stakeholders[1].authority.level: expected a number >= 0, got -1",
        "x.yaml:12:36: stakeholders[1].authority.decide: expected true or false, got 'maybe'",
        "x.yaml:12:49: stakeholders[1].authority.fund: expected a number >= 0, got -5",
        "x.yaml:15:24: stakeholders[2].authority.level: expected a whole number, got 2.5",
        "x.yaml:15:37: stakeholders[2].authority.decide: expected true or false, got 1",
        "x.yaml:15:46: stakeholders[2].authority.fund: expected a number, got True",
        "x.yaml:18:16: stakeholders[3].authority.level: missing required key 'level'",
        "x.yaml:18:17: stakeholders[3].authority.levle: unknown key 'levle' (did you mean "
        "'level'?)",
        "x.yaml:21:24: stakeholders[4].authority.level: expected a whole number, got '3'",
        "x.yaml:21:37: stakeholders[4].authority.decide: expected true or false, got 'true'",
        "x.yaml:24:24: stakeholders[5].authority.level: expected a number <= 100, got 101",
        "x.yaml:27:16: stakeholders[6].authority: expected a mapping, got 'high'",
    ]


def test_authority_good_values_load() -> None:
    good = AUTHORITY_CASE.split("  - id: cmo")[0]
    authority = parse_case(good).stakeholder("cfo").authority
    assert authority == Authority(level=5, decide=True, fund=100)
    assert Authority(level=0) == Authority(level=0, decide=False, fund=0)  # unwritten = none


def test_decision_owner_who_may_not_decide_is_located_error() -> None:
    owner_cannot = AUTHORITY_CASE.split("  - id: cmo")[0].replace("decide: true", "decide: false")
    assert _located(owner_cannot) == [
        "x.yaml:9:35: stakeholders[0].authority.decide: 'cfo' is the decision_owner but may not "
        "decide (expected decide: true, or another decision_owner)"
    ]
    # Unwritten powers are not granted, so a block without `decide` says the same.
    assert len(_located(owner_cannot.replace(", decide: false", ""))) == 1
    # Anyone else may lack `decide`; and the owner may have no authority block at all.
    parse_case(owner_cannot.replace("decision_owner: cfo", "decision_owner: null"))
    parse_case(owner_cannot.replace("    authority: {level: 5, decide: false, fund: 100}\n", ""))


def test_case_without_authority_still_loads_as_format_1() -> None:
    legacy = AUTHORITY_CASE.split("  - id: cmo")[0].replace(
        "    authority: {level: 5, decide: true, fund: 100}\n", ""
    )
    case = parse_case(legacy)
    assert case.accord == 1 and case.stakeholder("cfo").authority is None
