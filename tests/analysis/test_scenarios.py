"""Scenarios: adjustments, re-normalisation, expected utility, minimax regret, bad probabilities."""

from __future__ import annotations

import numpy as np
import pytest

from accord.analysis.mcda import weighted_sum
from accord.analysis.normalization import normalize
from accord.analysis.scenarios import (
    Adjustment,
    ScenarioSpec,
    apply_adjustments,
    evaluate_scenarios,
    scenario_probabilities,
)
from accord.errors import InputError

X = np.array([[14.0, 58.0], [10.0, 63.0], [5.0, 66.0]])  # ARR growth, margin
UP = np.array([True, True])
W = np.array([[0.8, 0.2], [0.2, 0.8]])


def test_scenarios_renormalise_each_adjusted_matrix() -> None:
    downturn = ScenarioSpec(
        "downturn", [Adjustment(0, "multiply", 0.5, option=0), Adjustment(0, "add", -1.0)], 0.3
    )
    base = ScenarioSpec("base", [], 0.7)
    sa = evaluate_scenarios(X, UP, W, [downturn, base], method="minmax")
    adjusted = np.array([[6.0, 58.0], [9.0, 63.0], [4.0, 66.0]])
    expected = weighted_sum(normalize(adjusted, UP, method="minmax"), W)
    np.testing.assert_allclose(sa.outcomes[0].utilities, expected)
    eu = 0.3 * expected + 0.7 * weighted_sum(normalize(X, UP, method="minmax"), W)
    np.testing.assert_allclose(sa.expected, eu)
    np.testing.assert_allclose(sa.expected_group, eu.mean(axis=0))


def test_scenarios_minimax_regret_and_most_often_best() -> None:
    boom = ScenarioSpec("boom", [Adjustment(0, "multiply", 2.0, option=0)])
    bust = ScenarioSpec("bust", [Adjustment(0, "set", 1.0, option=0)])
    flat = ScenarioSpec("flat", [])
    sa = evaluate_scenarios(X, UP, W, [boom, bust, flat], method="minmax")
    assert sa.probabilities == pytest.approx([1 / 3] * 3)
    assert "equally" in sa.probability_note
    regret = np.array(sa.max_regret)
    assert sa.minimax_regret == [int(np.argmin(row)) for row in regret]
    assert sum(sa.best_count) >= 3
    assert sa.most_often_best == [o for o, n in enumerate(sa.best_count) if n == max(sa.best_count)]


def test_scenario_probabilities_not_summing_to_one_is_a_clear_error() -> None:
    with pytest.raises(InputError) as err:
        scenario_probabilities([ScenarioSpec("a", [], 0.5), ScenarioSpec("b", [], 0.6)])
    assert str(err.value) == (
        "scenario probabilities sum to 1.1 (a=0.5, b=0.6); expected 1 (±1e-6): "
        "the scenarios contradict each other"
    )


def test_scenario_probabilities_partial_mass_over_one_is_an_error() -> None:
    with pytest.raises(InputError, match="already sum to 1.2"):
        scenario_probabilities(
            [ScenarioSpec("a", [], 1.2 / 2), ScenarioSpec("b", [], 0.6), ScenarioSpec("c", [])]
        )


def test_apply_adjustments_bad_index_names_the_scenario() -> None:
    with pytest.raises(InputError, match="scenario 'x', adjustment 1: criterion index 5"):
        apply_adjustments(X, [Adjustment(5, "set", 1.0)], scenario="x")


def test_evaluate_scenarios_missing_estimate_is_an_error() -> None:
    x = X.copy()
    x[0, 0] = np.nan
    with pytest.raises(InputError, match="complete options x criteria table"):
        evaluate_scenarios(x, UP, W, [ScenarioSpec("a", [])])
