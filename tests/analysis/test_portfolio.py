"""Portfolios: both solvers (subset enumeration, HiGHS MILP) equal a brute force; reasons for
what is left out; bad floors.  Every test runs once per solver."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.analysis import portfolio
from accord.analysis.portfolio import choose_portfolio
from accord.errors import InputError


@pytest.fixture(autouse=True, params=["enumeration", "highs"])
def solver(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run each test with small programmes enumerated (the default) and sent to HiGHS."""
    if request.param == "highs":
        monkeypatch.setattr(portfolio, "ENUMERATION_MAX", -1)
    return str(request.param)


def brute_force(
    u: np.ndarray,
    c: np.ndarray,
    budget: float,
    objective: str,
    floors: np.ndarray | None = None,
    e: np.ndarray | None = None,
    capacity: float | None = None,
    exclusive: list[list[int]] | None = None,
) -> float | None:
    """Best objective value over all 2^n subsets (None if no subset is feasible)."""
    n = u.shape[1]
    subsets = np.array(list(itertools.product([0, 1], repeat=n)), dtype=np.float64)
    ok = subsets @ c <= budget + 1e-9
    if e is not None and capacity is not None:
        ok &= subsets @ e <= capacity + 1e-9
    for group in exclusive or []:
        ok &= subsets[:, group].sum(axis=1) <= 1
    per = subsets @ u.T  # subsets x stakeholders
    if floors is not None:
        ok &= np.all(per >= floors - 1e-9, axis=1)
    if not ok.any():
        return None
    value = per.min(axis=1) if objective == "maximin" else per.sum(axis=1)
    return float(value[ok].max())


# The solver fixture only patches a constant, so sharing it across examples is safe.
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    seed=st.integers(0, 100_000),
    n=st.integers(1, 15),
    stakeholders=st.integers(1, 4),
    objective=st.sampled_from(["maximin", "total"]),
    with_capacity=st.booleans(),
    with_duplicates=st.booleans(),
)
def test_portfolio_equals_brute_force_on_random_instances(
    seed: int, n: int, stakeholders: int, objective: str, with_capacity: bool, with_duplicates: bool
) -> None:
    rng = np.random.default_rng(seed)
    u = np.round(rng.uniform(0.0, 1.0, (stakeholders, n)), 3)
    c = np.round(rng.uniform(1.0, 10.0, n), 1)
    budget = float(np.round(c.sum() * rng.uniform(0.1, 0.7), 1))
    e = np.round(rng.uniform(1.0, 5.0, n), 1) if with_capacity else None
    cap = float(e.sum() * 0.4) if e is not None else None
    floors = None
    if objective == "total":
        floors = np.round(rng.uniform(0.0, 1.0, stakeholders), 2)
    # Random disjoint duplicate groups of 2-3 initiatives (some initiatives in none).
    exclusive: list[list[int]] = []
    if with_duplicates:
        order = [int(i) for i in rng.permutation(n)]
        while len(order) >= 2 and rng.uniform() < 0.7:
            size = min(len(order), int(rng.integers(2, 4)))
            exclusive.append(order[:size])
            order = order[size:]
    expected = brute_force(u, c, budget, objective, floors, e, cap, exclusive)
    p = choose_portfolio(
        u,
        c,
        budget,
        objective=objective,  # type: ignore[arg-type]
        floors=floors,
        efforts=e,
        capacity=cap,
        exclusive=exclusive,
    )
    if expected is None:
        assert p.status == "infeasible" and p.chosen == []
        return
    assert p.status == "optimal"
    value = p.worst_off if objective == "maximin" else p.total
    assert value == pytest.approx(expected, abs=1e-6)
    assert p.cost <= budget + 1e-9
    assert set(p.chosen).isdisjoint(d.option for d in p.deprioritised)
    assert sorted(p.chosen + [d.option for d in p.deprioritised]) == list(range(n))
    for group in exclusive:
        funded = [i for i in group if i in p.chosen]
        assert len(funded) <= 1
        merged = {d.option for d in p.deprioritised if d.kind == "duplicate"} & set(group)
        assert merged == (set(group) - set(funded) if funded else set())


def test_portfolio_maximin_prefers_the_larger_total_among_ties() -> None:
    # Both {0} and {0, 2} give the worst-off 0; the second stage adds 2 for free.
    u = np.array([[1.0, 0.0, 1.0], [0.0, 0.0, 0.0]])
    p = choose_portfolio(u, np.array([1.0, 1.0, 1.0]), 2.0)
    assert p.worst_off == 0.0
    assert p.total == 2.0 and p.chosen == [0, 2]


def test_portfolio_explains_what_we_will_not_do() -> None:
    u = np.array([[0.9, 0.8, 0.0, 0.1, 0.7], [0.8, 0.9, 0.0, 0.1, 0.7]])
    cost = np.array([2.0, 2.0, 1.0, 1.0, 50.0])
    p = choose_portfolio(u, cost, 4.0, option_labels=["A", "B", "C", "D", "E"])
    assert p.chosen == [0, 1]
    kinds = {d.option: d.kind for d in p.deprioritised}
    assert kinds == {2: "no value", 3: "low value", 4: "over budget"}
    reasons = {d.option: d.reason for d in p.deprioritised}
    assert reasons[4] == "E costs 50, more than the whole budget of 4"


def test_portfolio_budget_below_every_cost_funds_nothing_and_says_why() -> None:
    p = choose_portfolio(np.array([[1.0, 2.0]]), np.array([5.0, 6.0]), 1.0)
    assert p.chosen == [] and p.status == "optimal"
    assert [d.kind for d in p.deprioritised] == ["over budget", "over budget"]


def test_portfolio_infeasible_floors_name_the_stakeholder_and_the_relaxation() -> None:
    u = np.array([[1.0, 0.0], [0.0, 1.0]])
    p = choose_portfolio(
        u,
        np.array([1.0, 1.0]),
        1.0,
        objective="total",
        floors=np.array([1.0, 1.0]),
        stakeholder_labels=["CMO", "CFO"],
    )
    assert p.status == "infeasible"
    assert "each floor can be met alone but not all of them together" in p.message
    assert p.floor_share == 0.0
    p = choose_portfolio(
        u, np.array([1.0, 1.0]), 1.0, objective="total", floors=np.array([2.0, 0.0])
    )
    assert "stakeholder 1 (floor 2, best alone 1)" in p.message
    assert p.floor_share == pytest.approx(0.5)


def test_portfolio_normalised_scales_each_stakeholder_to_their_best() -> None:
    u = np.array([[10.0, 0.0], [0.0, 1.0]])
    p = choose_portfolio(u, np.array([1.0, 1.0]), 2.0, normalise=True)
    assert p.utilities == [1.0, 1.0]


def test_portfolio_bad_input_is_a_clear_error() -> None:
    with pytest.raises(InputError, match=r"costs\[1\] is -1.0 \(expected a number >= 0\)"):
        choose_portfolio(np.array([[1.0, 1.0]]), np.array([1.0, -1.0]), 1.0)
    with pytest.raises(InputError, match="budget is nan"):
        choose_portfolio(np.array([[1.0]]), np.array([1.0]), float("nan"))


def test_portfolio_exclusive_funds_one_copy_of_a_duplicate_and_merges_the_other() -> None:
    # Without the group both dashboards are funded; with it, the cheaper copy is merged.
    u = np.array([[0.9, 0.8, 0.5], [0.7, 0.6, 0.5]])
    cost = np.array([3.0, 2.0, 2.0])
    labels = ["Revenue dashboard", "Pipeline dashboard", "Health score"]
    assert choose_portfolio(u, cost, 7.0).chosen == [0, 1, 2]
    p = choose_portfolio(u, cost, 7.0, exclusive=[[0, 1]], option_labels=labels)
    assert p.chosen == [0, 2]
    assert [(d.option, d.kind, d.reason) for d in p.deprioritised] == [
        (1, "duplicate", "Pipeline dashboard is a duplicate of Revenue dashboard: merged into it")
    ]
    assert p.notes == ["at most one initiative of each of the 1 duplicate groups is funded"]


def test_portfolio_exclusive_group_with_nothing_funded_keeps_the_ordinary_reasons() -> None:
    p = choose_portfolio(np.array([[1.0, 1.0]]), np.array([5.0, 6.0]), 1.0, exclusive=[[0, 1]])
    assert [d.kind for d in p.deprioritised] == ["over budget", "over budget"]


def test_portfolio_exclusive_bad_index_is_a_clear_error() -> None:
    with pytest.raises(
        InputError, match=r"exclusive\[0\] names initiative 5 \(expected an index 0..1\)"
    ):
        choose_portfolio(np.array([[1.0, 1.0]]), np.array([1.0, 1.0]), 1.0, exclusive=[[0, 5]])
