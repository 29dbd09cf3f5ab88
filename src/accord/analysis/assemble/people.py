"""Each stakeholder's view, the group's, and the probability of ranking first."""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor

import numpy as np
from numpy.typing import NDArray

from accord.analysis import mcda
from accord.analysis.assemble.context import Prepared
from accord.analysis.case_arrays import FloatArray
from accord.analysis.risk import LensPoint, stakeholder_lens
from accord.analysis.sections.people import GroupView, Point, ProsCons, StakeholderView
from accord.model.inputs import StakeholderInputs

Tiers = list[list[str]]

# Cells (draws x options x criteria x stakeholders) one analysis may sample: about a
# second of CPU on a 2-core machine. Larger cases get fewer draws, never fewer than 200.
MONTE_CARLO_CELLS = 60_000_000
MIN_DRAWS = 200

# Every stakeholder gets a pros-and-cons lens on every option up to this many options;
# beyond it, on the options under discussion (group top five and the recommendation).
MAX_LENS_OPTIONS = 12


def tiers(values: FloatArray, ids: Sequence[str]) -> Tiers:
    """Options in tiers, best first; equal utilities (within mcda's tolerance) share a tier."""
    return tiers_from_ranks(mcda.rank(values), ids)


def tiers_from_ranks(ranks: NDArray[np.int64], ids: Sequence[str]) -> Tiers:
    """Options grouped by rank, best first, in case order within a tier."""
    order = np.argsort(ranks, kind="stable")
    ordered = [ids[i] for i in order.tolist()]
    cuts = [0, *(np.flatnonzero(np.diff(ranks[order])) + 1).tolist(), len(ordered)]
    return [ordered[a:b] for a, b in zip(cuts, cuts[1:], strict=False) if b > a]


def best_among(values: FloatArray, pool: Sequence[int], ids: Sequence[str]) -> list[str]:
    """Every option of ``pool`` tied (within mcda's tolerance) for the best value."""
    if not pool:
        return []
    top = max(float(values[o]) for o in pool)
    return [ids[o] for o in pool if float(values[o]) >= top - mcda.RANK_TOLERANCE]


def monte_carlo_draws(requested: int, p: Prepared) -> int:
    """Draws actually run: ``requested``, capped so big cases stay interactive."""
    a = p.arrays
    if requested <= 0 or not np.any(a.high > a.low):
        return 0 if requested <= 0 else 1
    n_o, n_c = a.low.shape
    cells = max(1, n_o * n_c * max(1, len(p.weighted)))
    return int(min(requested, max(MIN_DRAWS, MONTE_CARLO_CELLS // cells)))


def start_p_first(
    p: Prepared, feasible: list[int], pool: ThreadPoolExecutor
) -> Future[FloatArray] | None:
    """Start the probability-of-ranking-first draws (among the feasible options) on ``pool``.

    They run in a second thread while the rest of the analysis proceeds: numpy releases
    the GIL inside its sampling and array loops, so on two cores most of the draws' time
    is hidden behind the (mostly pure-Python) sections.  Criteria stakeholders score
    themselves carry no range: their part of each utility is a fixed offset.
    """
    draws = monte_carlo_draws(p.settings.draws, p)
    if draws <= 0 or not p.weighted or not feasible:
        return None
    from accord.analysis.uncertainty import rank_first_probability

    a, lenses = p.arrays, p.lenses
    own = p.own
    offsets = None
    weights = lenses.weights
    if own.any():
        offsets = np.einsum("soc,sc->so", lenses.scores[:, :, own], weights[:, own])
        weights = np.where(own[None, :], 0.0, weights)
    return pool.submit(
        rank_first_probability,
        a.low,
        a.likely,
        a.high,
        a.maximise,
        weights,
        draws=draws,
        seed=p.settings.seed,
        distribution=p.settings.distribution,
        method=p.settings.normalization,
        offsets=offsets,
        candidates=feasible,
    )


def _options_under_discussion(p: Prepared, recommended: int | None) -> list[int] | None:
    n_options = len(p.options)
    if n_options <= MAX_LENS_OPTIONS:
        return None
    top = [int(o) for o in np.argsort(-p.utilities.mean(axis=0), kind="stable")[:5]]
    if recommended is not None and recommended not in top:
        top.append(recommended)
    return top


def stakeholder_views(
    p: Prepared, feasible: list[int], recommended: int | None, p_first: FloatArray | None
) -> list[StakeholderView]:
    """Every stakeholder of the case, in case order (those without weights have no ranking)."""
    a, ids = p.arrays, p.options
    row_of = {s: k for k, s in enumerate(p.weighted)}
    u = p.utilities
    # No options (or nobody weighted): an empty rank row per weighted stakeholder.
    ranks = mcda.rank(u) if u.size else np.zeros((len(p.weighted), len(ids)), dtype=np.int64)
    lenses = (
        stakeholder_lens(
            p.lenses.scores,
            p.lenses.weights,
            options=_options_under_discussion(p, recommended),
            option_labels=p.option_labels(feasible),
            criterion_labels=a.criterion_names,
        )
        if p.weighted and ids
        else []
    )
    cards: dict[int, list[ProsCons]] = {}

    def points(found: list[LensPoint]) -> list[Point]:
        return [Point(a.criterion_ids[x.criterion], x.contribution, x.text) for x in found]

    for lens in lenses:
        cards.setdefault(lens.stakeholder, []).append(
            ProsCons(option=ids[lens.option], pros=points(lens.pros), cons=points(lens.cons))
        )
    views: list[StakeholderView] = []
    for s, person in enumerate(p.case.stakeholders):
        given = p.case.inputs.get(person.id)
        k = row_of.get(s)
        ranking = tiers_from_ranks(ranks[k], ids) if k is not None else []
        views.append(
            StakeholderView(
                id=person.id,
                name=person.name,
                role=person.role,
                raci=person.raci,
                influence=person.influence,
                interest=person.interest,
                has_inputs=given is not None and _gave_something(given),
                weight_method=a.weight_methods[s],
                weights=dict(zip(a.criterion_ids, a.weights[s].tolist(), strict=True))
                if k is not None
                else {},
                weight_notes=list(a.weight_notes[s]),
                utilities=dict(zip(ids, u[k].tolist(), strict=True)) if k is not None else {},
                ranking=ranking,
                stated_ranking=_stated(p, person.id),
                top=ranking[0] if ranking else [],
                top_feasible=best_among(u[k], feasible, ids) if k is not None else [],
                p_first={ids[o]: float(p_first[k, o]) for o in feasible}
                if k is not None and p_first is not None
                else {},
                pros_cons=cards.get(k, []) if k is not None else [],
                notes=[given.notes.strip()] if given is not None and given.notes else [],
            )
        )
    return views


def _gave_something(given: StakeholderInputs) -> bool:
    return bool(
        given.weights is not None
        or given.scores
        or given.ranking
        or given.approvals
        or given.ratings
        or given.dots
        or given.statement_votes
        or (given.notes and given.notes.strip())
    )


def _stated(p: Prepared, person: str) -> Tiers | None:
    own = p.case.inputs.get(person)
    if own is None or not own.ranking:
        return None
    return [[entry] if isinstance(entry, str) else list(entry) for entry in own.ranking]


def group_view(p: Prepared, feasible: list[int], p_first: FloatArray | None) -> GroupView:
    ids = p.options
    if not p.weighted or not ids:
        return GroupView(0, {}, [], [], [], {}, {})
    group_u = mcda.group_utilities(p.utilities)
    group_w = mcda.group_weights(p.lenses.weights)
    closeness = mcda.topsis(
        p.arrays.likely,
        group_w,
        p.arrays.maximise,
        normalization=p.settings.topsis_normalization,
    )
    return GroupView(
        stakeholders=len(p.weighted),
        utilities=dict(zip(ids, group_u.tolist(), strict=True)),
        ranking=tiers(group_u, ids),
        best=best_among(group_u, feasible, ids),
        best_unrestricted=best_among(group_u, list(range(len(ids))), ids),
        topsis=dict(zip(ids, closeness.tolist(), strict=True)),
        p_first={ids[o]: float(p_first[-1, o]) for o in feasible} if p_first is not None else {},
    )
