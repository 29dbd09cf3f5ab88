"""analyze(case): the orchestration maps ids correctly and computes what the maths says.

The small cases here are worked by hand: two criteria (margin to maximise, cost to
minimise), min-max normalisation so utilities are easy to check.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from accord.analysis.analyze import AnalysisSettings, analyze
from accord.analysis.sections import Analysis
from accord.io.case_file import load_case, parse_case

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
TODAY = dt.date(2026, 11, 23)
MINMAX = AnalysisSettings(normalization="minmax", draws=500, today=TODAY)


def run(text: str) -> Analysis:
    return analyze(parse_case(text), settings=MINMAX)


def small_case(cfo_weights: str = "{margin: 0.8, cost: 0.2}", extra: str = "") -> str:
    return f"""
accord: 1
id: pricing
title: Pricing
question: Which plan?
decision_owner: ceo
escalation: [ceo]
stakeholders:
  - {{id: cfo, name: Cleo, role: CFO, raci: consulted}}
  - {{id: cro, name: Max, role: CRO, raci: responsible}}
  - {{id: ceo, name: Ann, role: CEO, raci: accountable}}
  - {{id: board, name: Bo, role: Board, raci: informed}}
criteria:
  - {{id: margin, name: Margin, unit: "%", direction: maximise}}
  - {{id: cost, name: Cost, direction: minimise}}
options:
  - id: hold
    name: Hold prices
    estimates: {{margin: 60, cost: 30}}
  - id: push
    name: Discount push
    estimates: {{margin: 50, cost: 10}}
  - id: mid
    name: Middle way
    estimates: {{margin: {{low: 52, likely: 56, high: 58}}, cost: 20}}
inputs:
  cfo:
    weights: {{method: direct, values: {cfo_weights}}}
  cro:
    weights: {{method: points, values: {{margin: 20, cost: 80}}}}
{extra}
"""


def test_stakeholder_rankings_follow_their_own_weights() -> None:
    result = run(small_case())
    # min-max: margin hold=1, mid=0.6, push=0; cost (minimise) push=1, mid=0.5, hold=0
    # Cleo 0.8/0.2: hold 0.8, mid 0.58, push 0.2.  Max 0.2/0.8: push 0.8, mid 0.52, hold 0.2.
    cfo, cro, ceo = (result.stakeholder(s) for s in ("cfo", "cro", "ceo"))
    assert cfo.utilities == pytest.approx({"hold": 0.8, "mid": 0.58, "push": 0.2})
    assert cfo.ranking == [["hold"], ["mid"], ["push"]]
    assert cro.ranking == [["push"], ["mid"], ["hold"]]
    assert ceo.ranking == [] and ceo.weights == {} and ceo.has_inputs is False


def test_group_ranking_is_mean_of_stakeholder_utilities() -> None:
    result = run(small_case())
    # means: hold 0.5, mid 0.55, push 0.5 -> the compromise wins, hold and push tie
    assert result.group.utilities == pytest.approx({"hold": 0.5, "mid": 0.55, "push": 0.5})
    assert result.group.ranking == [["mid"], ["hold", "push"]]
    assert result.group.stakeholders == 2
    assert result.group.best == result.group.best_unrestricted == ["mid"]


def test_an_excluded_option_is_never_the_best_nor_given_a_probability() -> None:
    guard = "guardrails:\n  - {id: floor, criterion: margin, min: 57}\n"
    result = run(small_case(extra=guard))
    assert result.option("mid").feasible is False and result.option("push").feasible is False
    assert result.group.best == ["hold"]
    assert result.group.best_unrestricted == ["mid"]
    assert set(result.group.p_first) == {"hold"}
    assert result.choice is not None and result.choice.recommendation is not None
    assert result.choice.recommendation.option == "hold"
    assert {p.id: p.top_feasible for p in result.stakeholders if p.utilities} == {
        "cfo": ["hold"],
        "cro": ["hold"],
    }
    for crux in result.cruxes.items:
        assert {crux.prefers, crux.challenger} <= {"hold"}  # nothing feasible to flip to


def test_scaling_direct_weights_changes_no_ranking() -> None:
    base = run(small_case())
    scaled = run(small_case("{margin: 8, cost: 2}"))
    assert [p.ranking for p in base.stakeholders] == [p.ranking for p in scaled.stakeholders]


def test_non_discriminating_criterion_is_named_in_notes() -> None:
    text = small_case().replace("cost: 30}", "cost: 20}").replace("cost: 10}", "cost: 20}")
    result = run(text)
    assert any("'Cost' does not discriminate" in note for note in result.notes)
    assert [c.discriminates for c in result.criteria] == [True, False]


def test_voting_uses_stated_rankings_and_names_derived_ones() -> None:
    extra = "  board:\n    ranking: [mid, [hold, push]]\n"
    voting = run(small_case(extra=extra)).voting
    assert voting is not None
    rules = {r.rule: r.winners for r in voting.rules}
    assert set(rules) >= {"borda", "copeland", "schulze", "irv"}
    # Cleo hold>mid>push, Max push>mid>hold, Bo mid>hold=push: mid beats both head to head
    assert voting.condorcet_winner == "mid"
    assert rules["schulze"] == ["mid"]
    assert voting.derived_from_weights == ["cfo", "cro"]
    assert "derived from weights" in voting.sentence and "Cleo" in voting.sentence


def test_a_tie_is_named_as_a_tie_not_as_a_change_of_winner() -> None:
    # Two opposed voters: every rule ties hold and push (or names them both).
    extra = "  board:\n    ranking: [hold, push, mid]\n  ceo:\n    ranking: [push, hold, mid]\n"
    text = small_case(extra=extra).replace(
        "  cfo:\n    weights", "  cfo:\n    ranking: [hold]\n    weights"
    )
    voting = run(text).voting
    assert voting is not None
    for rule in voting.rules:
        if len(rule.winners) > 1:
            names = " and ".join(
                {"hold": "Hold prices", "push": "Discount push", "mid": "Middle way"}[w]
                for w in rule.winners
            )
            assert f"tie {names}" in voting.sentence or f"ties {names}" in voting.sentence
    assert voting.rule_matters == (len({tuple(r.winners) for r in voting.rules}) > 1)


def test_disputed_fact_lowers_alignment_and_is_listed() -> None:
    facts = """facts:
  - {id: f1, statement: Margin is 60%, source: Finance, accepted_by: [cfo], disputed_by: [cro]}
"""
    with_fact = run(small_case() + facts)
    (disputed,) = with_fact.agreement.disputed_facts
    assert (disputed.fact, disputed.statement, disputed.disputed_by, disputed.accepted_by) == (
        "f1",
        "Margin is 60%",
        ["cro"],
        ["cfo"],
    )
    plain = run(small_case())
    assert with_fact.agreement.alignment.index is not None
    assert plain.agreement.alignment.index is not None
    assert with_fact.agreement.alignment.index < plain.agreement.alignment.index


def test_alignment_without_any_input_is_not_applicable_not_zero() -> None:
    text = small_case().split("inputs:")[0] + "inputs: {}\n"
    alignment = run(text).agreement.alignment
    assert alignment.index is None and alignment.label == "n/a"
    assert "cannot be measured" in alignment.sentence


def test_cruxes_name_case_ids_and_say_one_sentence() -> None:
    result = run(small_case())
    cruxes = result.cruxes.items
    assert cruxes, "opposed stakeholders must have cruxes"
    option_ids = {"hold", "push", "mid"}
    for crux in cruxes:
        assert crux.prefers in option_ids and crux.challenger in option_ids
        assert crux.criterion in {"margin", "cost"}
        assert crux.stakeholder in {None, "cfo", "cro"}
        assert crux.sentence.endswith(".") and crux.if_otherwise.endswith(".")


def test_every_disagreeing_stakeholder_gets_an_acceptance_crux_or_is_told_why_not() -> None:
    result = run(small_case())
    assert result.choice is not None and result.choice.recommendation is not None
    rec = result.choice.recommendation.option
    disagree = {p.id for p in result.stakeholders if p.top_feasible and p.top_feasible != [rec]}
    assert disagree
    accepting = {c.stakeholder for c in result.cruxes.items if c.form == "acceptance"}
    stuck = {x.stakeholder for x in result.cruxes.no_single_change}
    assert disagree <= accepting | stuck
    for crux in result.cruxes.items:
        if crux.form == "acceptance":
            assert crux.challenger == rec and crux.sentence.startswith(
                result.stakeholder_name(crux.stakeholder or "")
            )


def test_the_headline_cruxes_are_one_per_disagreeing_principal() -> None:
    result = run(small_case())
    heads = [c for c in result.cruxes.items if c.headline]
    assert len({c.stakeholder for c in heads}) == len(heads)
    assert all(result.stakeholder(c.stakeholder or "").raci != "informed" for c in heads)


def test_conflicting_pair_is_told_which_comparisons_they_still_share() -> None:
    result = run(small_case())
    (pair,) = result.cruxes.goal_conflicts
    assert {pair.first, pair.second} == {"cfo", "cro"}
    # Cleo hold>mid>push, Max push>mid>hold: they share no pairwise preference.
    assert pair.shared_preferences == [] and pair.shared_count == 0 and pair.comparisons == 3
    assert "no criterion and no pair of feasible options unites them" in pair.sentence


def test_a_horizon_with_one_criterion_is_not_reported_as_agreement() -> None:
    text = small_case().replace(
        "{id: margin, name: Margin,", "{id: margin, name: Margin, horizon: FY27,"
    )
    result = run(text)
    (pair,) = result.cruxes.goal_conflicts
    assert not [v for v in pair.views if v.scope == "horizon"]
    assert "FY27" not in pair.sentence


def test_stakeholder_cards_carry_pros_cons_and_notes() -> None:
    text = small_case().replace(
        "    weights: {method: points",
        "    notes: Margin first, always.\n    weights: {method: points",
    )
    result = run(text)
    cro = result.stakeholder("cro")
    assert cro.notes == ["Margin first, always."]
    push = next(x for x in cro.pros_cons if x.option == "push")
    assert [p.criterion for p in push.pros] == ["cost"] and push.pros[0].sentence


def test_analysis_is_deterministic_for_a_given_day() -> None:
    case = parse_case(small_case())
    first = json.dumps(analyze(case, settings=MINMAX).to_dict(), sort_keys=True)
    second = json.dumps(analyze(case, settings=MINMAX).to_dict(), sort_keys=True)
    assert first == second


def test_provenance_records_settings_and_case_hash() -> None:
    provenance = run(small_case()).provenance
    assert provenance.normalization == "minmax"
    assert provenance.generated_for == "2026-11-23"
    assert len(provenance.case_sha256) == 64
    assert provenance.draws == 500 and provenance.draws_run == 500


def test_overdue_actions_are_judged_on_the_given_day() -> None:
    extra = """actions:
  - {id: a1, title: Pilot, owner: cro, deadline: 2026-11-01, metric: conversion, done: false}
  - {id: a2, title: Model, owner: cfo, deadline: 2026-12-01, metric: margin, done: false}
"""
    result = run(small_case() + extra)
    assert {a.id: (a.overdue, a.days_overdue) for a in result.actions} == {
        "a1": (True, 22),
        "a2": (False, 0),
    }
    assert result.governance.overdue_actions == ["a1"]


def test_next_review_is_the_cadence_series_date_on_or_after_today() -> None:
    extra = "cadence: {review_every_days: 30, start: 2026-10-01}\n"
    review = run(small_case() + extra).next_review
    # 1 Oct + 30 = 31 Oct, + 30 = 30 Nov: the first on or after 23 Nov.
    assert review is not None and (review.date, review.kind) == ("2026-11-30", "review")


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_example_is_json_ready_and_valid_against_the_published_schema(path: Path) -> None:
    import jsonschema

    from accord.analysis.sections import analysis_schema

    result = analyze(load_case(path), settings=AnalysisSettings(draws=200, today=TODAY)).to_dict()
    text = json.dumps(result, allow_nan=False)  # JSON-ready: no numpy, no NaN
    jsonschema.validate(json.loads(text), analysis_schema())


def test_the_schema_refuses_a_misnamed_field() -> None:
    import jsonschema

    from accord.analysis.sections import analysis_schema

    result = run(small_case()).to_dict()
    result["choice"]["recommendation"]["options"] = result["choice"]["recommendation"].pop("option")
    with pytest.raises(jsonschema.ValidationError, match="'option' is a required property"):
        jsonschema.validate(result, analysis_schema())


def test_large_scenario_tables_are_left_out_with_a_note(monkeypatch: pytest.MonkeyPatch) -> None:
    import accord.analysis.assemble.scenarios as builder

    case = load_case(EXAMPLES / "growth-vs-margin.yaml")
    full = analyze(case, settings=AnalysisSettings(today=TODAY)).scenarios
    monkeypatch.setattr(builder, "MAX_SCENARIO_CELLS", 1)
    capped = analyze(case, settings=AnalysisSettings(today=TODAY)).scenarios
    assert full is not None and capped is not None
    assert all(s.utilities for s in full.scenarios)
    assert all(s.utilities == {} for s in capped.scenarios)
    assert [s.group for s in capped.scenarios] == [s.group for s in full.scenarios]
    assert (capped.expected_group, capped.least_regret) == (full.expected_group, full.least_regret)
    assert capped.notes and not full.notes


@pytest.mark.parametrize("enabled", [True, False])
def test_analysis_leaves_the_garbage_collector_as_it_found_it(enabled: bool) -> None:
    import gc

    case = parse_case(small_case())
    was = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        analyze(case, settings=MINMAX).to_dict()
        assert gc.isenabled() is enabled
    finally:
        gc.enable() if was else gc.disable()
