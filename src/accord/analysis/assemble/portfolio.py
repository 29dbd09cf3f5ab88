"""The set of initiatives to fund: maximin MILP over those that keep every guardrail."""

from __future__ import annotations

import numpy as np

from accord.analysis.assemble.context import Prepared
from accord.analysis.compromise import Compromise
from accord.analysis.sections.portfolio import Deprioritised, Portfolio
from accord.analysis.text import Duplicates


def portfolio_section(
    p: Prepared, screened: Compromise | None, option_copies: Duplicates | None
) -> Portfolio | None:
    """Initiatives a guardrail (or the whole budget) excludes never enter the MILP: they are
    listed as de-prioritised with the reason; at most one initiative of each duplicate
    cluster is funded (the others are merged into it)."""
    from accord.analysis.portfolio import choose_portfolio

    case = p.case
    if case.decision_kind != "portfolio" or case.budget is None or screened is None:
        return None
    ids = p.options
    reasons = {e.option: e for e in screened.excluded}
    # Over-budget initiatives stay in the MILP, which names them "over budget" itself.
    allowed = [
        i for i in range(len(ids))
        if i not in reasons or all(v.kind != "guardrail" for v in reasons[i].violations)
    ]  # fmt: skip
    position = {option: k for k, option in enumerate(allowed)}
    exclusive = []
    for cluster in option_copies.clusters if option_copies is not None else []:
        members = [
            position[ids.index(m.removeprefix("option:"))]
            for m in cluster.members
            if ids.index(m.removeprefix("option:")) in position
        ]
        if len(members) > 1:
            exclusive.append(members)
    costs = np.array([o.cost or 0.0 for o in case.options])
    efforts = np.array([o.effort or 0.0 for o in case.options])
    chosen = choose_portfolio(
        p.utilities[:, allowed],
        costs[allowed],
        float(case.budget.amount),
        objective="maximin",
        efforts=efforts[allowed] if case.capacity is not None else None,
        capacity=None if case.capacity is None else float(case.capacity.amount),
        exclusive=exclusive,
        time_limit=5.0,
        option_labels=[p.arrays.option_names[i] for i in allowed],
        stakeholder_labels=p.voice_names,
    )
    table = [ids[i] for i in allowed]
    left_out = [Deprioritised(table[d.option], d.kind, d.reason) for d in chosen.deprioritised]
    left_out += [
        Deprioritised(
            ids[i],
            "guardrail",
            f"{p.arrays.option_names[i]} breaks a guardrail: "
            + "; ".join(v.reason for v in reasons[i].violations if v.kind == "guardrail"),
        )
        for i in sorted(reasons)
        if i not in position
    ]
    return Portfolio(
        objective=chosen.objective,
        status=chosen.status,
        funded=[table[o] for o in chosen.chosen],
        utilities=dict(zip(p.voices, chosen.utilities, strict=True)),
        worst_off=chosen.worst_off,
        total=chosen.total,
        cost=chosen.cost,
        budget=float(case.budget.amount),
        effort=chosen.effort,
        capacity=None if case.capacity is None else float(case.capacity.amount),
        mip_gap=chosen.mip_gap,
        deprioritised=left_out,
        floor_share=chosen.floor_share,
        sentence=chosen.message,
        notes=list(chosen.notes),
    )
