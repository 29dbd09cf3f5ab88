"""The risk register, each stakeholder's pros and cons, and the effort / impact matrix."""

from __future__ import annotations

import numpy as np

from accord.analysis import risk as hazard
from accord.analysis.assemble.context import Prepared
from accord.analysis.sections.risks import Placement, RiskEntry, RiskRegister, RiskSummary


def risk_items(p: Prepared) -> list[list[hazard.RiskItem]]:
    """Each option's risks as the pure risk module reads them (owners by index)."""
    people = p.case.stakeholder_ids
    return [
        [
            hazard.RiskItem(
                id=r.id,
                description=r.description,
                likelihood=r.likelihood,
                impact=float(r.impact),
                mitigation=r.mitigation,
                residual_likelihood=r.residual_likelihood,
                residual_impact=None if r.residual_impact is None else float(r.residual_impact),
                owner=None if r.owner is None else people.index(r.owner),
            )
            for r in option.risks
        ]
        for option in p.case.options
    ]


def entries_of(p: Prepared, register: hazard.OptionRisks) -> list[RiskEntry]:
    """One option's register in ids (worst residual exposure first, as the module orders)."""
    people = p.case.stakeholder_ids
    option = p.case.options[register.option]
    stated = {r.id: r for r in option.risks}
    return [
        RiskEntry(
            option=option.id,
            id=e.id,
            description=e.description,
            likelihood=e.likelihood,
            impact=e.impact,
            exposure=e.exposure,
            residual_likelihood=e.residual_likelihood,
            residual_impact=e.residual_impact,
            residual_exposure=e.residual_exposure,
            assessed_after_mitigation=stated[e.id].residual_likelihood is not None
            or stated[e.id].residual_impact is not None,
            mitigation=e.mitigation,
            owner=None if e.owner is None else people[e.owner],
        )
        for e in register.risks
    ]


def risk_register(p: Prepared, impact: np.ndarray) -> RiskRegister:
    """Every option's risks, totals, and (with efforts) the effort / impact quadrant."""
    register = hazard.risk_register(risk_items(p))
    ids = p.options
    quadrant: list[Placement] = []
    if any(o.effort is not None for o in p.case.options):
        efforts = np.array([o.effort or 0.0 for o in p.case.options])
        quadrant = [
            Placement(ids[q.option], q.effort, q.impact, q.quadrant)
            for q in hazard.effort_impact(efforts, impact)
        ]
    return RiskRegister(
        entries=[entry for option in register for entry in entries_of(p, option)],
        by_option=[
            RiskSummary(ids[r.option], r.exposure, r.residual_exposure, list(r.unowned))
            for r in register
        ],
        quadrant=quadrant,
    )
