"""Risk register, stakeholder lenses (same facts, different lens), effort/impact quadrant."""

from __future__ import annotations

import numpy as np
import pytest

from accord.analysis.risk import RiskItem, effort_impact, risk_register, stakeholder_lens
from accord.errors import InputError


def test_risk_register_exposure_before_and_after_mitigation_sorted_worst_first() -> None:
    reg = risk_register(
        [
            [
                RiskItem("a", "Small", 0.1, 2, owner=0),
                RiskItem("b", "Big", 0.5, 4, "Cap it", residual_likelihood=0.3),
            ]
        ]
    )
    entry = reg[0]
    assert [r.id for r in entry.risks] == ["b", "a"]
    assert entry.risks[0].residual_impact == 4.0  # unstated residual impact keeps the impact
    assert entry.exposure == pytest.approx(2.2)
    assert entry.residual_exposure == pytest.approx(1.4)
    assert entry.unowned == ["b"]


def test_risk_register_out_of_range_impact_is_a_clear_error() -> None:
    with pytest.raises(InputError, match=r"option 1, risk 'x': impact is 7.0 \(expected 1 to 5\)"):
        risk_register([[RiskItem("x", "bad", 0.5, 7)]])


def test_stakeholder_lens_same_facts_different_lens() -> None:
    r = np.array([[1.0, 0.0, 0.5], [0.0, 1.0, 0.5]])
    w = np.array([[0.7, 0.1, 0.2], [0.1, 0.7, 0.2]])
    lens = stakeholder_lens(r, w, criterion_labels=["growth", "margin", "fit"])
    cmo_push = next(x for x in lens if x.stakeholder == 0 and x.option == 0)
    cfo_push = next(x for x in lens if x.stakeholder == 1 and x.option == 0)
    assert [p.criterion for p in cmo_push.pros] == [0]
    assert [p.criterion for p in cmo_push.cons] == [1]
    # The CFO sees the same option: the same pro and con, but the con weighs more for them.
    assert cfo_push.cons[0].contribution < cmo_push.cons[0].contribution
    assert cmo_push.pros[0].contribution > cfo_push.pros[0].contribution


def test_effort_impact_quadrants_split_at_medians() -> None:
    q = effort_impact(np.array([1.0, 2.0, 8.0, 9.0, 5.0]), np.array([0.9, 0.1, 0.8, 0.2, 0.5]))
    assert [p.quadrant for p in q] == [
        "quick win",
        "fill-in",
        "major project",
        "thankless task",
        "quick win",
    ]
