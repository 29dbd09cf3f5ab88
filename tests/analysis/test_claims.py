"""Every claim accord makes, checked by editing the case and analysing again.

A crux says "X would prefer A over B if the value were above t": edited just past t the
analysis must show it, just short of t it must not, and at the number the sentence
shows as well.  Checked on every crux of every example and on generated cases
(hypothesis), plus exclusions, acceptability, portfolio budgets and reasons, common
ground and the Condorcet winner (brute force).
"""

from __future__ import annotations

import dataclasses
import itertools
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from tests.analysis.claims import crux_problems, outcome_of, quick, reanalysed
from tests.analysis.generated import cases

from accord.analysis.sections import Analysis
from accord.errors import InputError
from accord.io.case_file import load_case
from accord.model.case import Case

EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "examples").glob("*.yaml"))


@pytest.fixture(scope="module", params=[p.stem for p in EXAMPLES])
def example(request: pytest.FixtureRequest) -> tuple[Case, Analysis]:
    case = load_case(Path(__file__).resolve().parents[2] / "examples" / f"{request.param}.yaml")
    return case, quick(case)


def test_every_example_crux_holds(example: tuple[Case, Analysis]) -> None:
    case, analysis = example
    assert analysis.cruxes.items
    wrong = {
        crux.sentence: problems
        for crux in analysis.cruxes.items
        if (problems := crux_problems(case, analysis, crux))
    }
    assert not wrong, f"{len(wrong)} of {len(analysis.cruxes.items)} cruxes false: {wrong}"


def test_cruxes_compare_only_feasible_options(example: tuple[Case, Analysis]) -> None:
    _, analysis = example
    for crux in analysis.cruxes.items:
        assert analysis.option(crux.prefers).feasible and analysis.option(crux.challenger).feasible
        assert crux.threshold != crux.current
        if crux.kind == "weight":
            assert 0.0 < crux.threshold < 1.0  # a tie at a bound is never a flip


def test_exclusions_are_true(example: tuple[Case, Analysis]) -> None:
    """Each excluded option breaks what its sentence says; each feasible one breaks nothing."""
    case, analysis = example
    assert analysis.choice is not None
    for exclusion in analysis.choice.excluded:
        for violation in exclusion.violations:
            if violation.kind == "guardrail":
                guard = next(g for g in case.guardrails if g.id == violation.constraint)
                if guard.max is not None and violation.value > guard.max:
                    continue
                assert guard.min is not None and violation.value < guard.min
            elif violation.kind == "budget":
                assert violation.value > violation.bound
    feasible = {o.id for o in analysis.options if o.feasible}
    assert feasible == set(analysis.choice.feasible)
    assert not feasible & {e.option for e in analysis.choice.excluded}


def test_acceptability_makes_the_option_feasible(example: tuple[Case, Analysis]) -> None:
    """Meeting every bound an acceptability line names makes the excluded option feasible."""
    case, analysis = example
    for line in analysis.cruxes.acceptability:
        data = case.model_dump(mode="json")
        option = next(o for o in data["options"] if o["id"] == line.option)
        for change in line.changes:
            nudge = 1e-9 * max(1.0, abs(change.bound))
            value = change.bound - nudge if change.direction == "at most" else change.bound + nudge
            if change.kind == "guardrail" and change.criterion is not None:
                option["estimates"][change.criterion] = value
            elif change.kind == "budget":
                option["cost"] = value
        edited = reanalysed(Case.model_validate(data))
        assert line.option in edited.feasible, line.sentence


def test_common_ground_is_shared_by_everyone(example: tuple[Case, Analysis]) -> None:
    _, analysis = example
    ground = analysis.common_ground
    assert ground is not None
    for option in ground.top_half_options:
        for person in analysis.stakeholders:
            if not person.utilities:
                continue
            ranked = sorted(person.utilities.values(), reverse=True)
            half = ranked[(len(ranked) - 1) // 2]
            assert person.utilities[option] >= half - 1e-12, (option, person.id)


def test_condorcet_winner_by_brute_force(example: tuple[Case, Analysis]) -> None:
    _, analysis = example
    voting = analysis.voting
    assert voting is not None
    rankings = [
        {o: place for place, tier in enumerate(p.ranking) for o in tier}
        for p in analysis.stakeholders
        if p.ranking and p.id not in voting.derived_from_weights
    ] + [
        {o: place for place, tier in enumerate(p.ranking) for o in tier}
        for p in analysis.stakeholders
        if p.ranking and p.id in voting.derived_from_weights
    ]
    if any(p.stated_ranking for p in analysis.stakeholders):
        rankings = [
            {o: place for place, tier in enumerate(p.stated_ranking or p.ranking) for o in tier}
            for p in analysis.stakeholders
            if p.stated_ranking or p.id in voting.derived_from_weights
        ]
    options = [o.id for o in analysis.options]
    unranked = len(options)  # a ranking that leaves an option out puts it below the rest

    def beats(a: str, b: str) -> bool:
        wins = sum(r.get(a, unranked) < r.get(b, unranked) for r in rankings)
        losses = sum(r.get(b, unranked) < r.get(a, unranked) for r in rankings)
        return wins > losses

    winners = [a for a in options if all(beats(a, b) for b in options if b != a)]
    assert voting.condorcet_winner == (winners[0] if winners else None)


def test_portfolio_respects_the_budget_and_every_reason_is_true() -> None:
    case = load_case(next(p for p in EXAMPLES if p.stem == "budget-workshop"))
    analysis = quick(case)
    portfolio = analysis.portfolio
    assert portfolio is not None
    costs = {o.id: o.cost or 0.0 for o in case.options}
    assert sum(costs[o] for o in portfolio.funded) == pytest.approx(portfolio.cost)
    assert portfolio.cost <= portfolio.budget
    funded = set(portfolio.funded)
    for item in portfolio.deprioritised:
        assert item.option not in funded
        if item.kind == "guardrail":
            assert not analysis.option(item.option).feasible
        elif item.kind == "did not fit":
            # Adding it to the funded set would break the budget.
            assert portfolio.cost + costs[item.option] > portfolio.budget


def test_verifier_catches_a_wrong_threshold(example: tuple[Case, Analysis]) -> None:
    """The check is not vacuous: a threshold moved by 10 % of its distance is caught."""
    case, analysis = example
    crux = analysis.cruxes.items[0]
    wrong = crux.threshold + 0.1 * (crux.current - crux.threshold)
    moved = dataclasses.replace(crux, threshold=wrong, shown=wrong)
    assert crux_problems(case, analysis, moved)


def test_fast_path_agrees_with_a_whole_analysis(example: tuple[Case, Analysis]) -> None:
    case, analysis = example
    assert reanalysed(case) == outcome_of(analysis)
    crux = analysis.cruxes.items[0]
    assert crux_problems(case, analysis, crux, full=True) == []


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=cases())
def test_generated_cruxes_hold(case: Case) -> None:
    try:
        analysis = quick(case)
    except InputError:
        assume(False)  # analyze refuses the case with a located error
        raise
    for crux in itertools.islice(analysis.cruxes.items, 12):
        assert not crux_problems(case, analysis, crux), crux.sentence
