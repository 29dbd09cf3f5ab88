"""The case model: field checks, whole-case checks and helpers for the analysis layer."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from accord.errors import NotFoundError
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
