"""Common ground: agreeing criteria, top-half options, accepted facts, goals served."""

from __future__ import annotations

import numpy as np

from accord.analysis.common_ground import common_ground


def test_common_ground_reports_what_everyone_shares() -> None:
    w = np.array([[0.5, 0.3, 0.2], [0.1, 0.35, 0.55]])
    u = np.array([[0.9, 0.6, 0.1, 0.0], [0.1, 0.7, 0.9, 0.0]])
    r = np.array([[1.0, 0.0, 0.2], [0.5, 0.5, 0.6], [0.0, 1.0, 0.9], [0.1, 0.1, 0.1]])
    accepted = np.array([[True, True], [True, False], [True, True]])
    disputed = np.array([[False, False], [False, True], [False, False]])
    cg = common_ground(
        w,
        u,
        normalized=r,
        goal_of_criterion=[0, 0, None],
        accepted=accepted,
        disputed=disputed,
        stakeholder_goals=[[0, 1], [0]],
        option_labels=["Push", "Usage", "Hold", "Wait"],
        criterion_labels=["growth", "margin", "fit"],
        fact_labels=["churn study", "win rates", "NPS survey"],
        goal_labels=["profitable growth", "retention"],
    )
    assert cg.agreed_criteria == [1]
    assert cg.shared_priorities == []  # 0.3 is below the equal share of 1/3
    assert cg.top_half_options == [1]
    assert cg.accepted_facts == [0, 2]
    assert cg.shared_goals == [0]
    assert cg.goal_service[0].options == [0, 1, 2]
    assert cg.statements == [
        "everyone weights margin about the same (0.3–0.35)",
        "everyone ranks Usage in their top half",
        "everyone accepts churn study",
        "everyone accepts NPS survey",
        "everyone's goals serve profitable growth",
        "profitable growth is served by Push, Usage, Hold",
    ]


def test_common_ground_identical_stakeholders_agree_on_everything() -> None:
    cg = common_ground(np.array([[1.0, 2.0], [1.0, 2.0]]), np.array([[0.1, 0.9], [0.1, 0.9]]))
    assert cg.agreed_criteria == [0, 1]
    assert cg.top_half_options == [1]
