"""Compromise: exclusions and reasons, Pareto, maximin, Nash, regret, company-first, infeasible."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.analysis.compromise import (
    GuardrailBound,
    breach_probability,
    company_scores,
    compromise,
    pareto_efficient,
)
from accord.analysis.risk import RiskItem

# Growth-vs-margin: discount push (growth), usage pricing (both), hold prices (margin).
LIKELY = np.array([[58.0, 14.0], [63.0, 10.0], [66.0, 5.0]])
LOW = np.array([[55.0, 10.0], [59.0, 8.0], [64.0, 4.0]])
HIGH = np.array([[62.0, 16.0], [66.0, 12.0], [68.0, 6.0]])
UTIL = np.array([[0.9, 0.6, 0.1], [0.2, 0.7, 0.9]])  # CMO, CFO
NAMES = ["Discount push", "Usage pricing", "Hold prices"]
FLOOR = GuardrailBound("margin-floor", criterion=0, min=60.0)


def test_compromise_excludes_guardrail_breakers_with_reason_and_breach_probability() -> None:
    c = compromise(
        UTIL,
        likely=LIKELY,
        low=LOW,
        high=HIGH,
        guardrails=[FLOOR],
        option_labels=NAMES,
        criterion_labels=["gross margin", "ARR growth"],
    )
    assert c.feasible == [1, 2]
    (ex,) = c.excluded
    assert ex.option == 0
    assert ex.violations[0].reason == (
        "gross margin 58 is below the guardrail margin-floor minimum of 60"
    )
    breach = {b.option: b.probability for b in c.breach_risks}
    assert breach[0] > 0.5 and 0.0 < breach[1] < 0.5 and 2 not in breach


def test_compromise_company_first_least_risk_breaks_ties_on_residual_risk() -> None:
    risks = [
        [],
        [RiskItem("churn", "Usage bills surprise customers", 0.5, 4, "Spend caps", 0.2, 3, 1)],
        [RiskItem("stall", "Pipeline stalls", 0.3, 2, "Partner push", 0.1, 2, 0)],
    ]
    company = np.array([0.9, 0.5, 0.5])
    c = compromise(
        UTIL,
        likely=LIKELY,
        guardrails=[FLOOR],
        company=company,
        risks=risks,
        option_labels=NAMES,
    )
    assert c.recommendation is not None
    assert c.recommendation.option == 2  # tied with usage pricing, lower residual risk
    assert c.recommendation.residual_exposure == pytest.approx(0.2)
    assert "Pipeline stalls" in c.recommendation.explanation
    assert "Partner push" in c.recommendation.explanation


def test_compromise_maximin_nash_and_regret_pick_the_middle_option() -> None:
    c = compromise(UTIL, option_labels=NAMES)
    assert c.pareto == [0, 1, 2]
    assert c.maximin is not None and c.maximin.option == 1
    assert c.nash is not None and c.nash.option == 1
    # Nash product over the disagreement point (each one's worst option): (0.6-0.1)(0.7-0.2)
    assert c.nash.value == pytest.approx(0.25)
    assert c.min_regret is not None and c.min_regret.option == 1
    assert c.min_regret.value == pytest.approx(0.3)


def test_compromise_nash_reports_nothing_when_every_option_leaves_someone_at_worst() -> None:
    c = compromise(np.array([[1.0, 0.0], [0.0, 1.0]]))
    assert c.nash is None and any("Nash" in n for n in c.notes)


def test_compromise_infeasible_names_constraints_and_nearest_relaxation() -> None:
    c = compromise(
        UTIL,
        likely=LIKELY,
        guardrails=[GuardrailBound("margin-floor", 0, min=70.0)],
        costs=np.array([1.0, 2.0, 3.0]),
        budget=2.5,
        option_labels=NAMES,
    )
    assert c.feasible == [] and c.recommendation is None
    assert c.relaxation is not None and c.relaxation.option == 1
    assert c.message == (
        "no option keeps every constraint: guardrail margin-floor excludes Discount push, "
        "Usage pricing, Hold prices; the budget excludes Hold prices. Nearest feasible "
        "relaxation: lower margin-floor from 70 to 63 (10.0%) to admit Usage pricing"
    )


def test_compromise_budget_below_every_cost_is_infeasible_with_budget_relaxation() -> None:
    c = compromise(UTIL, costs=np.array([5.0, 4.0, 6.0]), budget=2.0, option_labels=NAMES)
    assert c.relaxation is not None
    assert c.relaxation.explanation == "raise budget from 2 to 4 (100.0%) to admit Usage pricing"


def test_breach_probability_point_estimate_is_zero_or_one() -> None:
    assert breach_probability(5.0, 5.0, 5.0, minimum=4.0, maximum=None) == 0.0
    assert breach_probability(5.0, 5.0, 5.0, minimum=None, maximum=4.0) == 1.0


def test_breach_probability_matches_monte_carlo_pert() -> None:
    from accord.analysis.uncertainty import sample_estimates

    rng = np.random.default_rng(7)
    draws = sample_estimates(
        np.array([[55.0]]), np.array([[58.0]]), np.array([[66.0]]), 200_000, rng
    )
    empirical = float(np.mean(draws < 60.0))
    assert breach_probability(55.0, 58.0, 66.0, minimum=60.0, maximum=None) == pytest.approx(
        empirical, abs=0.005
    )


def test_company_scores_none_without_goal_links() -> None:
    assert company_scores(np.ones((2, 2)), [None, None]) is None


@settings(max_examples=50, deadline=None)
@given(seed=st.integers(0, 10_000), s=st.integers(1, 4), o=st.integers(1, 7))
def test_pareto_efficient_is_exactly_the_undominated_set(seed: int, s: int, o: int) -> None:
    u = np.round(np.random.default_rng(seed).uniform(0, 1, (s, o)), 1)
    front = set(pareto_efficient(u))
    for a in range(o):
        dominated = any(np.all(u[:, b] >= u[:, a]) and np.any(u[:, b] > u[:, a]) for b in range(o))
        assert (a in front) != dominated


def test_a_negligible_budget_gives_a_finite_relaxation() -> None:
    """budget 1e-310 once made the relative change inf (exit 70 from analyze --json)."""
    import math

    u = np.array([[0.9, 0.2], [0.1, 0.8]])
    c = compromise(u, costs=np.array([5.0, 7.0]), budget=1e-310)
    assert c.relaxation is not None
    assert math.isfinite(c.relaxation.largest_relative_change)
    assert all(math.isfinite(v.relative_change) for e in c.excluded for v in e.violations)
