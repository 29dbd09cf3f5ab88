"""How aligned the stakeholders are: the alignment index, rank agreement, weight spread."""

from __future__ import annotations

from collections.abc import Collection

import numpy as np

from accord.analysis import agreement as agree
from accord.analysis import mcda, wording
from accord.analysis.assemble.context import Prepared
from accord.analysis.sections.agreement import (
    Agreement,
    Alignment,
    Dispersion,
    DisputedFact,
    RankCorrelations,
)


def agreement_section(p: Prepared, feasible: Collection[int]) -> Agreement:
    """``feasible``: the options that keep every constraint; the rankings component counts
    the others too, and its sentences say so."""
    case, a = p.case, p.arrays
    n_options = len(a.option_ids)
    n_excluded = n_options - len(feasible)
    weighted, voices = p.weighted, p.voices
    ranks = mcda.rank(p.utilities).astype(np.float64) if weighted and a.option_ids else None
    people = case.stakeholder_ids
    accepted = np.array(
        [[s in f.accepted_by for s in people] for f in case.facts], dtype=np.bool_
    ).reshape(len(case.facts), len(people))
    disputed = np.array(
        [[s in f.disputed_by for s in people] for f in case.facts], dtype=np.bool_
    ).reshape(len(case.facts), len(people))
    facts = agree.fact_agreement(accepted, disputed) if case.facts else None
    w = p.lenses.weights if weighted else None
    index = agree.alignment_index(ranks, w, facts)
    measured = bool(index.components)
    value = float(index.index) if measured else None
    label = wording.alignment_label(value)
    sentence = (
        agree.explain_alignment(index, options=n_options, excluded=n_excluded)
        if measured
        else "Alignment cannot be measured yet: no stakeholder has given weights or "
        "rankings, and no fact has been accepted or disputed."
    )
    sentences = [sentence]
    kendall_w = kendall_p = alpha = None
    tau: list[list[float]] = []
    if ranks is not None and len(weighted) >= 2 and ranks.shape[1] >= 2:
        kw = agree.kendall_w(ranks)
        kendall_w, kendall_p = kw.w, kw.p_value
        alpha = agree.krippendorff_alpha(ranks, level="ordinal")
        tau = agree.rank_correlations(p.utilities).tolist()
    dispersion: list[Dispersion] = []
    if w is not None and len(weighted) >= 2:
        spread = agree.weight_dispersion(w)
        dispersion = [
            Dispersion(
                criterion=a.criterion_ids[d.criterion],
                mean=d.mean,
                std=d.std,
                range=d.range,
                lowest=voices[d.lowest],
                highest=voices[d.highest],
                low=d.low,
                high=d.high,
            )
            for d in sorted(spread.criteria, key=lambda d: -d.std)
        ]
        sentences.append(agree.explain_dispersion(spread, p.voice_names, a.criterion_names))
        distances = agree.weight_distances(w)
        i, j = np.unravel_index(int(np.argmax(distances)), distances.shape)
        if i != j:
            pair = agree.pair_agreement(w, int(min(i, j)), int(max(i, j)))
            sentences.append(agree.explain_pair(pair, p.voice_names, a.criterion_names))
    return Agreement(
        alignment=Alignment(
            index=value,
            label=label,
            rankings=index.rankings,
            weights=index.weights,
            facts=index.facts,
            components=list(index.components),
            sentence=sentence,
            ranked_options=n_options,
            ranked_excluded=n_excluded,
            parts=wording.alignment_parts(
                index.rankings, index.weights, index.facts, options=n_options, excluded=n_excluded
            ),
        ),
        kendall_w=kendall_w,
        kendall_p=kendall_p,
        krippendorff_alpha=alpha,
        correlations=RankCorrelations(stakeholders=voices, tau=tau),
        dispersion=dispersion,
        facts_accepted_by_all=[case.facts[i].id for i in facts.accepted_by_all] if facts else [],
        disputed_facts=[
            DisputedFact(
                fact=f.id,
                statement=f.statement,
                disputed_by=list(f.disputed_by),
                accepted_by=list(f.accepted_by),
            )
            for f in case.facts
            if f.disputed_by
        ],
        sentences=sentences,
    )
