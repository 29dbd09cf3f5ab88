"""Translating a workshop's people and decisions into the case's ids."""

from __future__ import annotations

from tests.store import GROWTH

from accord.io.case_file import load_case
from accord.workshop.outcome import match_stakeholder, matched_options

CASE = load_case(GROWTH)


def test_participant_name_matches_a_stakeholder_by_id_full_or_unique_first_name() -> None:
    assert match_stakeholder(CASE, "cfo") == "cfo"
    assert match_stakeholder(CASE, "priya natarajan") == "cfo"
    assert match_stakeholder(CASE, "Grace") == "head-cs"
    assert match_stakeholder(CASE, "Nobody") is None
    assert match_stakeholder(CASE, "  ") is None


def test_decision_text_names_options_by_whole_id_or_name() -> None:
    assert matched_options(CASE, "Go with usage-based pricing") == ["usage-pricing"]
    assert matched_options(CASE, "segment-split and hold-and-hire") == [
        "hold-and-hire",
        "segment-split",
    ]
    assert matched_options(CASE, "usage-based pricingless") == []
