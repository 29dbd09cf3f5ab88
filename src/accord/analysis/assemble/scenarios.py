"""How the options fare in the case's scenarios, "best" and regret among the feasible."""

from __future__ import annotations

from accord.analysis import scenarios as futures
from accord.analysis.assemble.context import Prepared
from accord.analysis.sections.scenarios import ScenarioResult, Scenarios

# Above this many stakeholder x option cells, scenario results keep the group's
# utilities and drop the per-stakeholder tables (said in the section's notes).
MAX_SCENARIO_CELLS = 20_000


def _specs(p: Prepared) -> list[futures.ScenarioSpec]:
    options, criteria = p.options, p.criteria
    return [
        futures.ScenarioSpec(
            name=sc.name,
            probability=sc.probability,
            adjustments=[
                futures.Adjustment(
                    criterion=criteria.index(a.criterion),
                    operation="set"
                    if a.set is not None
                    else ("add" if a.add is not None else "multiply"),
                    value=float(
                        a.set
                        if a.set is not None
                        else (a.add if a.add is not None else a.multiply or 0.0)
                    ),
                    option=None if a.option is None else options.index(a.option),
                )
                for a in sc.adjustments
            ],
        )
        for sc in p.case.scenarios
    ]


def scenarios_section(p: Prepared, feasible: list[int]) -> Scenarios | None:
    if not p.case.scenarios or not p.weighted or not p.options or not feasible:
        return None
    specs = _specs(p)
    lens = p.arrays.lens[p.weighted]
    a, method, w = p.arrays, p.settings.normalization, p.lenses.weights
    among = futures.evaluate_scenarios(
        a.likely, a.maximise, w, specs, method=method, lens=lens, candidates=feasible
    )
    every = futures.evaluate_scenarios(a.likely, a.maximise, w, specs, method=method, lens=lens)
    ids, voices = p.options, p.voices
    names = a.option_names
    notes: list[str] = []
    keep_tables = len(voices) * len(ids) <= MAX_SCENARIO_CELLS
    if not keep_tables:
        notes.append(
            f"the per-stakeholder utility tables ({len(voices)} stakeholders x {len(ids)} "
            f"options, more than {MAX_SCENARIO_CELLS:,} cells) are left out; the group's "
            "figures and each stakeholder's best options are complete"
        )
    results = [
        ScenarioResult(
            name=o.scenario,
            probability=o.probability,
            group=dict(zip(ids, o.group, strict=True)),
            group_best=[ids[x] for x in o.group_best],
            group_best_unrestricted=[ids[x] for x in u.group_best],
            best={voices[s]: [ids[b]] for s, b in enumerate(o.best)},
            utilities={
                voices[s]: dict(zip(ids, row, strict=True)) for s, row in enumerate(o.utilities)
            }
            if keep_tables
            else {},
        )
        for o, u in zip(among.outcomes, every.outcomes, strict=True)
    ]
    expected_best = [ids[among.expected_group_best]]
    least_regret = [ids[among.minimax_regret_group]]
    most_often = [ids[x] for x in among.most_often_best]
    sentences = [
        f"Expected over the scenarios ({among.probability_note}), the group does best with "
        f"{_names(expected_best, ids, names)}.",
        f"{_names(least_regret, ids, names)} has the least maximum regret "
        f"({among.max_regret_group[among.minimax_regret_group]:.3f}) among the feasible options.",
        f"{_names(most_often, ids, names)} {'is' if len(most_often) == 1 else 'are'} the group's "
        f"best feasible option in the most scenarios "
        f"({max(among.best_count[x] for x in feasible)} of {len(specs)}).",
    ]
    unrestricted = [ids[every.expected_group_best]]
    if unrestricted != expected_best:
        sentences.append(
            f"Without the guardrails and the budget, {_names(unrestricted, ids, names)} "
            "(excluded) would do best in expectation."
        )
    return Scenarios(
        scenarios=results,
        probability_note=among.probability_note,
        expected_group=dict(zip(ids, among.expected_group, strict=True)),
        max_regret_group={ids[x]: among.max_regret_group[x] for x in feasible},
        expected_best=expected_best,
        expected_best_unrestricted=unrestricted,
        least_regret=least_regret,
        least_regret_unrestricted=[ids[every.minimax_regret_group]],
        best_count={ids[x]: among.best_count[x] for x in feasible},
        most_often_best=most_often,
        most_often_best_unrestricted=[ids[x] for x in every.most_often_best],
        stakeholder_expected_best={voices[s]: [ids[b]] for s, b in enumerate(among.expected_best)},
        stakeholder_least_regret={voices[s]: [ids[b]] for s, b in enumerate(among.minimax_regret)},
        sentences=sentences,
        notes=notes,
    )


def _names(chosen: list[str], ids: list[str], names: list[str]) -> str:
    return " and ".join(names[ids.index(c)] for c in chosen)
