"""analyze(case): the orchestration maps ids correctly and computes what the maths says.

The small cases here are worked by hand: two criteria (margin to maximise, cost to
minimise), min-max normalisation so utilities are easy to check.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from accord.analysis.analyze import AnalysisSettings, analyze
from accord.io.case_file import load_case, parse_case

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
TODAY = dt.date(2026, 11, 23)
MINMAX = AnalysisSettings(normalization="minmax", draws=500, today=TODAY)


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
    result = analyze(parse_case(small_case()), settings=MINMAX).to_dict()
    people = {p["id"]: p for p in result["stakeholders"]}
    # min-max: margin hold=1, mid=0.6, push=0; cost (minimise) push=1, mid=0.5, hold=0
    # Cleo 0.8/0.2: hold 0.8, mid 0.58, push 0.2.  Max 0.2/0.8: push 0.8, mid 0.52, hold 0.2.
    assert people["cfo"]["utilities"] == pytest.approx({"hold": 0.8, "mid": 0.58, "push": 0.2})
    assert people["cfo"]["ranking"] == [["hold"], ["mid"], ["push"]]
    assert people["cro"]["ranking"] == [["push"], ["mid"], ["hold"]]
    assert people["ceo"]["ranking"] == [] and people["ceo"]["weights"] == {}


def test_group_ranking_is_mean_of_stakeholder_utilities() -> None:
    result = analyze(parse_case(small_case()), settings=MINMAX).to_dict()
    # means: hold 0.5, mid 0.55, push 0.5 -> the compromise wins, hold and push tie
    assert result["group"]["utilities"] == pytest.approx({"hold": 0.5, "mid": 0.55, "push": 0.5})
    assert result["group"]["ranking"] == [["mid"], ["hold", "push"]]
    assert result["group"]["stakeholders"] == 2


def test_scaling_direct_weights_changes_no_ranking() -> None:
    base = analyze(parse_case(small_case()), settings=MINMAX).to_dict()
    scaled = analyze(parse_case(small_case("{margin: 8, cost: 2}")), settings=MINMAX).to_dict()
    assert [p["ranking"] for p in base["stakeholders"]] == [
        p["ranking"] for p in scaled["stakeholders"]
    ]


def test_non_discriminating_criterion_is_named_in_notes() -> None:
    text = small_case().replace("cost: 30}", "cost: 20}").replace("cost: 10}", "cost: 20}")
    result = analyze(parse_case(text), settings=MINMAX).to_dict()
    assert any("'Cost' does not discriminate" in note for note in result["notes"])
    assert [c["discriminates"] for c in result["criteria"]] == [True, False]


def test_voting_uses_stated_rankings_and_names_derived_ones() -> None:
    extra = "  board:\n    ranking: [mid, [hold, push]]\n"
    result = analyze(parse_case(small_case(extra=extra)), settings=MINMAX).to_dict()
    voting = result["voting"]
    assert set(voting["rules"]) >= {"borda", "copeland", "schulze", "irv"}
    # Cleo hold>mid>push, Max push>mid>hold, Bo mid>hold=push: mid beats both head to head
    assert voting["condorcet_winner"] == "mid"
    assert voting["rules"]["schulze"]["winners"] == ["mid"]
    assert "derived from weights" in voting["summary"] and "Cleo" in voting["summary"]


def test_disputed_fact_lowers_alignment_and_is_listed() -> None:
    facts = """facts:
  - {id: f1, statement: Margin is 60%, source: Finance, accepted_by: [cfo], disputed_by: [cro]}
"""
    with_fact = analyze(parse_case(small_case() + facts), settings=MINMAX).to_dict()
    assert with_fact["agreement"]["facts"]["disputed"] == [
        {"fact": "f1", "statement": "Margin is 60%", "by": ["cro"]}
    ]
    plain = analyze(parse_case(small_case()), settings=MINMAX).to_dict()
    assert with_fact["agreement"]["alignment_index"] < plain["agreement"]["alignment_index"]


def test_cruxes_name_case_ids_and_flip_at_threshold() -> None:
    result = analyze(parse_case(small_case()), settings=MINMAX).to_dict()
    cruxes = result["cruxes"]
    assert cruxes, "opposed stakeholders must have cruxes"
    option_ids = {"hold", "push", "mid"}
    for crux in cruxes:
        assert crux["prefers"] in option_ids and crux["challenger"] in option_ids
        assert crux["criterion"] in {"margin", "cost"}
        assert crux["stakeholder"] in {None, "cfo", "cro"}
        assert crux["sentence"].endswith(".")


def test_analysis_is_deterministic_for_a_given_day() -> None:
    case = parse_case(small_case())
    first = json.dumps(analyze(case, settings=MINMAX).to_dict(), sort_keys=True)
    second = json.dumps(analyze(case, settings=MINMAX).to_dict(), sort_keys=True)
    assert first == second


def test_provenance_records_settings_and_case_hash() -> None:
    result = analyze(parse_case(small_case()), settings=MINMAX).to_dict()
    provenance = result["provenance"]
    assert provenance["normalization"] == "minmax"
    assert provenance["generated_for"] == "2026-11-23"
    assert len(provenance["case_sha256"]) == 64


def test_overdue_actions_are_judged_on_the_given_day() -> None:
    extra = """actions:
  - {id: a1, title: Pilot, owner: cro, deadline: 2026-11-01, metric: conversion, done: false}
  - {id: a2, title: Model, owner: cfo, deadline: 2026-12-01, metric: margin, done: false}
"""
    result = analyze(parse_case(small_case() + extra), settings=MINMAX).to_dict()
    assert {a["id"]: a["overdue"] for a in result["actions"]} == {"a1": True, "a2": False}


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_example_analyses_to_the_pinned_shape(path: Path) -> None:
    result: dict[str, Any] = analyze(
        load_case(path), settings=AnalysisSettings(draws=200, today=TODAY)
    ).to_dict()
    for key in (
        "provenance",
        "case",
        "stakeholders",
        "options",
        "criteria",
        "group",
        "agreement",
        "cruxes",
        "governance",
        "actions",
        "notes",
    ):
        assert key in result
    assert 0.0 <= result["agreement"]["alignment_index"] <= 100.0
    json.dumps(result)  # JSON-ready: no numpy, no NaN


def test_large_scenario_tables_are_summarised_with_a_note(monkeypatch: pytest.MonkeyPatch) -> None:
    import accord.analysis.analyze as orchestration

    case = load_case(EXAMPLES / "growth-vs-margin.yaml")
    full = analyze(case, settings=AnalysisSettings(today=TODAY)).to_dict()
    monkeypatch.setattr(orchestration, "MAX_SCENARIO_CELLS", 1)
    capped = analyze(case, settings=AnalysisSettings(today=TODAY)).to_dict()
    assert full["scenarios"]["expected"] and not capped["scenarios"]["expected"]
    assert capped["scenarios"]["max_regret"] == []
    assert all(o["utilities"] == [] for o in capped["scenarios"]["outcomes"])
    for key in ("expected_group", "max_regret_group", "minimax_regret", "best_count"):
        assert capped["scenarios"][key] == full["scenarios"][key]
    assert [o["group"] for o in capped["scenarios"]["outcomes"]] == [
        o["group"] for o in full["scenarios"]["outcomes"]
    ]
    assert any(n.startswith("scenarios: the per-stakeholder") for n in capped["notes"])
    assert not any(n.startswith("scenarios:") for n in full["notes"])


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
