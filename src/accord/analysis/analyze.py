"""``analyze(case) -> Analysis``: every analysis of one case, in one pass.

This module only orchestrates: it prepares the case's arrays once
(:mod:`accord.analysis.assemble.context`), runs the pure analysis modules through the
section builders of :mod:`accord.analysis.assemble` (the only place indices become ids)
and returns the typed :class:`~accord.analysis.sections.Analysis` every output reads.

Order matters in one place: feasibility (guardrails, budget, capacity) is settled first,
because every "best", every crux and every probability of ranking first is taken among
the feasible options.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from accord.analysis.assemble import case as header
from accord.analysis.assemble import records
from accord.analysis.assemble.agreement import agreement_section
from accord.analysis.assemble.choice import (
    choice_section,
    compromise_result,
    crux_bounds,
    exclusion_changes,
    feasible_indices,
    goal_indices,
)
from accord.analysis.assemble.context import Prepared
from accord.analysis.assemble.cruxes import crux_section, search_cruxes
from accord.analysis.assemble.ground import camps_section, common_ground_section
from accord.analysis.assemble.opinion import opinion_section
from accord.analysis.assemble.people import (
    group_view,
    monte_carlo_draws,
    stakeholder_views,
    start_p_first,
)
from accord.analysis.assemble.portfolio import portfolio_section
from accord.analysis.assemble.risks import risk_register
from accord.analysis.assemble.scenarios import scenarios_section
from accord.analysis.assemble.text import (
    duplicate_texts,
    duplicate_words,
    duplicates_section,
    option_duplicates,
)
from accord.analysis.assemble.voting import voting_section
from accord.analysis.blas import one_blas_thread
from accord.analysis.case_arrays import FloatArray
from accord.analysis.compromise import company_scores
from accord.analysis.governance import check_governance
from accord.analysis.normalization import non_discriminating
from accord.analysis.sections import Analysis
from accord.analysis.sections.analysis import collector_paused
from accord.analysis.settings import AnalysisSettings
from accord.model.case import Case

__all__ = [
    "Analysis",
    "AnalysisSettings",
    "analyze",
    "case_fingerprint",
    "duplicate_texts",
    "duplicate_words",
]


def case_fingerprint(case: Case) -> str:
    """SHA-256 of the case's canonical JSON: the same content gives the same hash."""
    canonical = case.model_dump_json(exclude_none=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def analyze(
    case: Case,
    *,
    settings: AnalysisSettings | None = None,
    text_vectors: Mapping[str, Sequence[float]] | None = None,
    embeddings_model: str | None = None,
    vector_threshold: float | None = None,
    vector_neighbours: int | None = None,
) -> Analysis:
    """Analyse ``case``: scoring, voting, agreement, cruxes, compromise, risk, governance.

    ``text_vectors`` maps each text of :func:`duplicate_texts` to its sentence embedding
    (computed outside the analysis, e.g. by :mod:`accord.io.embeddings`); with it,
    near-duplicate options and ideas are also found by meaning, not only by shared words.
    ``embeddings_model`` names the model that made the vectors, for the provenance;
    ``vector_threshold`` is the cosine at which that model's texts mean the same work
    (default :data:`accord.analysis.text.DEFAULT_VECTOR_THRESHOLD`), and with
    ``vector_neighbours`` k the two texts must also be mutual k-nearest neighbours.
    Vectors for the words of :func:`duplicate_words` may be given too (see
    ``near_duplicates(word_vectors=)``).
    """
    with collector_paused(), one_blas_thread():
        return _analyze(
            case,
            settings or AnalysisSettings(),
            text_vectors,
            embeddings_model,
            (vector_threshold, vector_neighbours),
        )


def _analyze(
    case: Case,
    settings: AnalysisSettings,
    text_vectors: Mapping[str, Sequence[float]] | None,
    embeddings_model: str | None,
    vector_rule: tuple[float | None, int | None] = (None, None),
) -> Analysis:
    p = Prepared.of(case, settings)
    a = p.arrays
    notes = list(a.notes)
    flat = {int(c) for c in np.flatnonzero(non_discriminating(a.likely))} if a.option_ids else set()
    for c in sorted(flat):
        notes.append(
            f"criterion '{a.criterion_names[c]}' does not discriminate between the options "
            "(every option has the same estimate) and was given no influence"
        )
    screened = compromise_result(p)
    feasible = feasible_indices(p, screened)
    choice = choice_section(p, screened)
    recommended = choice.recommendation.option if choice and choice.recommendation else None
    with ThreadPoolExecutor(max_workers=1) as pool:
        drawn = start_p_first(p, feasible, pool)
        option_copies = option_duplicates(case, text_vectors, *vector_rule)
        search = search_cruxes(p, feasible, screened, crux_bounds(p))
        p_first = drawn.result() if drawn is not None else None
    people = stakeholder_views(
        p, feasible, None if recommended is None else p.options.index(recommended), p_first
    )
    portfolio = portfolio_section(p, screened, option_copies)
    funded = None if portfolio is None else [p.options.index(o) for o in portfolio.funded]
    cruxes = crux_section(p, search, feasible, exclusion_changes(p, screened), people, funded)
    entries, next_review = records.cadence(p)
    impact = _company_or_group(p) if p.weighted and p.options else np.zeros(len(p.options))
    return Analysis(
        provenance=header.provenance(
            p, case_fingerprint(case), monte_carlo_draws(settings.draws, p), embeddings_model
        ),
        case=header.header(case),
        options=header.options(case, set(feasible)),
        criteria=header.criteria(p, flat),
        stakeholders=people,
        group=group_view(p, feasible, p_first),
        voting=voting_section(p, people, feasible),
        agreement=agreement_section(p, feasible),
        common_ground=common_ground_section(p, feasible),
        camps=camps_section(p, feasible),
        choice=choice,
        cruxes=cruxes,
        portfolio=portfolio,
        scenarios=scenarios_section(p, feasible),
        risks=risk_register(p, impact) if p.weighted and p.options else None,
        governance=check_governance(case, p.today),
        opinion=opinion_section(case, settings.seed),
        duplicates=duplicates_section(case, option_copies, text_vectors, *vector_rule),
        decisions=records.decisions(p),
        actions=records.actions(p),
        cadence=entries,
        next_review=next_review,
        notes=notes,
    )


def _company_or_group(p: Prepared) -> FloatArray:
    """Impact on the effort / impact matrix: the company score, else the group utility."""
    goal_of = goal_indices(p)
    if any(g is not None for g in goal_of):
        scores = company_scores(p.shared_scores, goal_of)
        if scores is not None:
            return scores
    return np.asarray(p.utilities.mean(axis=0), dtype=np.float64)
