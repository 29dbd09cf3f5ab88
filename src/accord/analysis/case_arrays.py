"""From a validated :class:`~accord.model.Case` to the arrays the analysis works on.

This is the one place where case ids become array indices. Everything downstream
is index-based; ``CaseArrays`` keeps the ids and names to turn results back into
sentences.

Conventions (documented in docs/analysis.md):

- A weight the stakeholder did not give (a criterion missing from ``values``) is 0;
  in the ``rank`` method unlisted criteria form one last tier.
- A criterion ``scored_by_stakeholders`` has no shared estimate: each stakeholder's
  own scores are their lens, and the shared value is the median of all scores
  given for that option (a criterion nobody scored carries no information).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from accord.analysis import weights as weighting
from accord.model.case import Case
from accord.model.inputs import (
    AhpWeights,
    DirectWeights,
    PointsWeights,
    RankWeights,
    SwingWeights,
)

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]


@dataclass
class CaseArrays:
    """Index-aligned arrays of one case (options O, criteria C, stakeholders S)."""

    option_ids: list[str]
    option_names: list[str]
    criterion_ids: list[str]
    criterion_names: list[str]
    stakeholder_ids: list[str]
    stakeholder_names: list[str]
    maximise: BoolArray  # C
    low: FloatArray  # O x C shared estimates
    likely: FloatArray
    high: FloatArray
    lens: FloatArray  # S x O x C: each stakeholder's view (their own scores where they scored)
    weights: FloatArray  # S x C, rows sum to 1 where has_weights
    has_weights: BoolArray  # S
    weight_methods: list[str | None]
    weight_notes: list[list[str]]
    notes: list[str] = field(default_factory=list)

    @property
    def weighted(self) -> list[int]:
        """Indices of the stakeholders who gave weights."""
        return [int(s) for s in np.flatnonzero(self.has_weights)]


def case_arrays(case: Case) -> CaseArrays:
    """Build the arrays for ``case`` (see the module docstring for the conventions)."""
    options = case.option_ids
    criteria = case.criterion_ids
    people = case.stakeholder_ids
    n_o, n_c, n_s = len(options), len(criteria), len(people)
    low = np.zeros((n_o, n_c))
    likely = np.zeros((n_o, n_c))
    high = np.zeros((n_o, n_c))
    lens = np.zeros((n_s, n_o, n_c))
    notes: list[str] = []
    for o, option in enumerate(case.options):
        for c, criterion in enumerate(case.criteria):
            estimate = option.estimates.get(criterion.id)
            if estimate is not None:
                low[o, c], likely[o, c], high[o, c] = estimate.low, estimate.likely, estimate.high
    for c, criterion in enumerate(case.criteria):
        if not criterion.scored_by_stakeholders:
            lens[:, :, c] = likely[:, c]
            continue
        for o, option_id in enumerate(options):
            scores_given = [
                case.inputs[p].scores[option_id][criterion.id]
                for p in people
                if p in case.inputs and criterion.id in case.inputs[p].scores.get(option_id, {})
            ]
            shared = float(np.median(scores_given)) if scores_given else 0.0
            low[o, c] = likely[o, c] = high[o, c] = shared
            for s, person in enumerate(people):
                own = case.inputs.get(person)
                score = own.scores.get(option_id, {}).get(criterion.id) if own else None
                lens[s, o, c] = shared if score is None else float(score)
        if not any(
            criterion.id in case.inputs[p].scores.get(o_id, {})
            for p in people
            if p in case.inputs
            for o_id in options
        ):
            notes.append(
                f"criterion '{criterion.name}' is scored by stakeholders but nobody scored it, "
                "so it has no influence"
            )

    weights = np.zeros((n_s, n_c))
    has = np.zeros(n_s, dtype=np.bool_)
    methods: list[str | None] = [None] * n_s
    weight_notes: list[list[str]] = [[] for _ in range(n_s)]
    labels = [c.name for c in case.criteria]
    index = {c: i for i, c in enumerate(criteria)}
    for s, person in enumerate(people):
        own = case.inputs.get(person)
        if own is None or own.weights is None:
            continue
        stated = own.weights
        methods[s] = stated.method
        if isinstance(stated, DirectWeights | PointsWeights | SwingWeights):
            vector = [float(stated.values.get(c, 0.0)) for c in criteria]
            make = {
                "direct": weighting.direct_weights,
                "points": weighting.point_weights,
                "swing": weighting.swing_weights,
            }[stated.method]
            weights[s] = make(vector, labels=labels)
        elif isinstance(stated, RankWeights):
            tiers = [
                [index[entry]] if isinstance(entry, str) else [index[c] for c in entry]
                for entry in stated.order
            ]
            weights[s] = weighting.rank_order_centroid(tiers, n_c, labels=labels)
        elif isinstance(stated, AhpWeights):
            judgements = [(index[j.more], index[j.less], float(j.ratio)) for j in stated.judgements]
            result = weighting.ahp_weights(n_c, judgements, labels=labels)
            weights[s] = np.asarray(result.weights)
            note = f"AHP consistency ratio {result.cr:.3f}"
            if not result.is_consistent and result.worst_triad is not None:
                triad = " / ".join(labels[c] for c in result.worst_triad.criteria)
                note += f" (> 0.1: judgements are inconsistent; the worst triad is {triad})"
            weight_notes[s].append(note)
        has[s] = True
    return CaseArrays(
        option_ids=options,
        option_names=[o.name for o in case.options],
        criterion_ids=criteria,
        criterion_names=labels,
        stakeholder_ids=people,
        stakeholder_names=[p.name for p in case.stakeholders],
        maximise=np.array([c.direction == "maximise" for c in case.criteria], dtype=np.bool_),
        low=low,
        likely=likely,
        high=high,
        lens=lens,
        weights=weights,
        has_weights=has,
        weight_methods=methods,
        weight_notes=weight_notes,
        notes=notes,
    )
