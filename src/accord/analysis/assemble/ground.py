"""Common ground everyone shares, and the camps stakeholders fall into."""

from __future__ import annotations

from collections.abc import Collection

import numpy as np

from accord.analysis.assemble.context import Prepared
from accord.analysis.camps import find_camps
from accord.analysis.common_ground import common_ground
from accord.analysis.sections.ground import Camp, Camps, CommonGround, CriterionRange, GoalService


def common_ground_section(p: Prepared, feasible: Collection[int]) -> CommonGround | None:
    if not p.weighted or not p.options:
        return None
    case, a = p.case, p.arrays
    voices = p.voices
    goals = case.goal_ids
    goal_of = [goals.index(c.goal) if c.goal in goals else None for c in case.criteria]
    accepted = np.array(
        [[s in f.accepted_by for s in voices] for f in case.facts], dtype=np.bool_
    ).reshape(len(case.facts), len(voices))
    disputed = np.array(
        [[s in f.disputed_by for s in voices] for f in case.facts], dtype=np.bool_
    ).reshape(len(case.facts), len(voices))
    own_goals = [
        sorted({goals.index(g.serves) for g in case.stakeholder(s).goals if g.serves in goals})
        for s in voices
    ]
    ground = common_ground(
        p.lenses.weights,
        p.utilities,
        normalized=p.shared_scores,
        goal_of_criterion=goal_of,
        accepted=accepted,
        disputed=disputed,
        stakeholder_goals=own_goals,
        fact_labels=[f.statement for f in case.facts],
        goal_labels=[g.statement for g in case.company_goals],
        option_labels=p.option_labels(feasible),
        criterion_labels=a.criterion_names,
    )
    ids, criteria = p.options, p.criteria
    return CommonGround(
        criteria=[
            CriterionRange(criteria[c.criterion], c.low, c.high, c.agreed, c.shared_priority)
            for c in ground.criteria
        ],
        agreed_criteria=[criteria[c] for c in ground.agreed_criteria],
        shared_priorities=[criteria[c] for c in ground.shared_priorities],
        top_half_options=[ids[o] for o in ground.top_half_options],
        accepted_facts=[case.facts[f].id for f in ground.accepted_facts],
        goal_service=[
            GoalService(goals[g.goal], [ids[o] for o in g.options]) for g in ground.goal_service
        ],
        shared_goals=[goals[g] for g in ground.shared_goals],
        sentences=list(ground.statements),
    )


def camps_section(p: Prepared, feasible: Collection[int]) -> Camps | None:
    if len(p.weighted) < 2 or not p.options:
        return None
    a = p.arrays
    found = find_camps(
        p.lenses.weights,
        p.utilities,
        stakeholder_labels=p.voice_names,
        option_labels=p.option_labels(feasible),
        criterion_labels=a.criterion_names,
    )
    ids, criteria, voices = p.options, p.criteria, p.voices
    return Camps(
        camps=[
            Camp(
                members=[voices[m] for m in camp.members],
                mean_weights=dict(zip(criteria, camp.mean_weights, strict=True)),
                top=[ids[o] for o in camp.top],
                spread=camp.spread,
            )
            for camp in found.camps
        ],
        shared_top_half=[ids[o] for o in found.shared_top_half],
        shared_criteria=[criteria[c] for c in found.shared_criteria],
        cut=found.cut,
        sentences=list(found.statements),
    )
