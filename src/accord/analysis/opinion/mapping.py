"""One update of the opinion map: matrix -> PCA -> base clusters -> groups -> statements.

This is Polis's ``small-conv-update`` graph (polismath ``math/conversation.clj``) with
the state it carries between updates made explicit in :class:`MapState`, so the same
function serves a fresh map (no state) and a warm-started incremental update.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from accord.analysis.opinion import clusters as cl
from accord.analysis.opinion import repness as rp
from accord.analysis.opinion.matrix import FloatArray, IntArray, VoteMatrix
from accord.analysis.opinion.pca import (
    Components,
    fit_components,
    project_participants,
    project_statements,
)
from accord.analysis.opinion.result import (
    ConsensusStatement,
    DivisiveStatement,
    OpinionGroup,
    OpinionMap,
    RepresentativeStatement,
)
from accord.model.statements import StatementVotes

BoolArray = npt.NDArray[np.bool_]

#: Polis ``in-conv``: a participant is clustered after voting on min(7, n-cmts) statements.
MIN_VOTES = 7
#: Polis ``greedy-n``: with fewer clustered participants, the most active are added up to 15.
GREEDY_N = 15


@dataclass(frozen=True, eq=False)
class MapState:
    """What Polis carries from one update to the next.

    ``base_labels``: each participant's base cluster (-1: not clustered);
    ``group_labels[k]``: each base cluster's group in the clustering with k groups.
    """

    axes: FloatArray
    in_conv: BoolArray
    base_labels: IntArray
    group_labels: dict[int, IntArray]
    smoother: cl.KSmoother


@dataclass(frozen=True)
class MapSettings:
    min_votes: int = MIN_VOTES
    base_k: int = cl.BASE_K
    max_k: int = cl.MAX_K
    seed: int = 0
    restarts: int = cl.RESTARTS


def clustered_participants(
    matrix: VoteMatrix, min_votes: int, previous: BoolArray | None = None
) -> tuple[BoolArray, int]:
    """Polis ``in-conv``: enough votes, once in always in, greedy top-up to 15.

    Returns the boolean mask and how many were added by the greedy rule.
    """
    counts = matrix.votes_per_participant()
    need = min(min_votes, matrix.n_columns)
    inside = counts >= max(need, 1)
    if previous is not None:
        inside[: len(previous)] |= previous
    added = 0
    if inside.sum() < GREEDY_N:
        # Most active first; ties keep participant (arrival) order, as a stable sort does.
        order = np.argsort(-counts, kind="stable")
        for i in order:
            if inside.sum() >= GREEDY_N or counts[i] == 0:
                break
            if not inside[i]:
                inside[i] = True
                added += 1
    return inside, added


def participant_ranks(names: Sequence[str]) -> IntArray:
    """Each participant's rank in Polis's ``pid`` order.

    Polis participant ids are integers; when every name is one (a Polis export) they
    are ranked numerically, otherwise by input order.

    >>> participant_ranks(["10", "9", "11"]).tolist(), participant_ranks(["b", "a"]).tolist()
    ([1, 0, 2], [0, 1])
    """
    n = len(names)
    if not all(name.isdecimal() for name in names):
        return np.arange(n, dtype=np.int64)
    ranks = np.empty(n, dtype=np.int64)
    ranks[np.argsort([int(name) for name in names], kind="stable")] = np.arange(n)
    return ranks


@dataclass(frozen=True, eq=False)
class MapUpdate:
    """The clustering core of one update: what the map is assembled from.

    A history replay runs thousands of updates and reads only the last one's map, so the
    statements' statistics and the per-participant tables are built from this on demand
    (:func:`assemble_map`) rather than on every update.
    """

    coords: FloatArray
    group_of: IntArray
    centres: FloatArray
    components: Components
    silhouettes: dict[int, float]
    notes: list[str]
    parameters: dict[str, float | int]


def build_map(
    votes: StatementVotes,
    matrix: VoteMatrix,
    settings: MapSettings,
    state: MapState | None = None,
    scatter: FloatArray | None = None,
) -> tuple[OpinionMap, MapState]:
    """Compute the map; ``state`` (from a previous update) warm-starts every stage.

    ``scatter`` is the centred matrix's ``XᵀX`` when the caller keeps it up to date.
    """
    update, new_state = update_map(votes, matrix, settings, state, scatter)
    return assemble_map(votes, matrix, update), new_state


def update_map(
    votes: StatementVotes,
    matrix: VoteMatrix,
    settings: MapSettings,
    state: MapState | None = None,
    scatter: FloatArray | None = None,
) -> tuple[MapUpdate, MapState]:
    """One update's clustering (PCA, base clusters, groups) and the state it carries."""
    notes = list(votes.notes)
    inside, greedy = clustered_participants(
        matrix, settings.min_votes, state.in_conv if state is not None else None
    )
    components = fit_components(matrix, state.axes if state is not None else None, scatter)
    coords = project_participants(matrix, components)
    members = np.flatnonzero(inside)
    if state is None:
        # A fresh map is Polis's full recompute: its rows (hence the first-distinct
        # k-means starts) follow the (statement, participant) order it reads votes in.
        rows = matrix.recompute_row_order(participant_ranks(votes.participants))
        members = rows[inside[rows]]
    points = coords[members]
    group_of = np.full(matrix.n_participants, -1, dtype=np.int64)
    silhouettes: dict[int, float] = {}
    smoother = state.smoother if state is not None else cl.KSmoother()
    n_base = 0
    group_labels: dict[int, IntArray] = dict(state.group_labels) if state else {}
    base_of = np.full(matrix.n_participants, -1, dtype=np.int64)
    n_distinct = len(cl.distinct_first(points))
    if len(members) < 3 or n_distinct < 2:
        # Silhouette needs 2 <= k <= n - 1 (Rousseeuw 1987): no choice of groups exists.
        group_of[members] = 0
        group_centres_chosen = (
            points.mean(axis=0, keepdims=True) if len(points) else np.zeros((1, 2))
        )
        if members.size == 0:
            notes.append("no participant has enough votes to be placed: no opinion groups")
        else:
            why = "identical votes" if len(members) >= 3 else "fewer than 3 clustered participants"
            notes.append(f"too few distinct participants to form opinion groups ({why}): one group")
    else:
        previous_base = None
        if state is not None:
            previous_base = np.full(matrix.n_participants, -1, dtype=np.int64)
            previous_base[: len(state.base_labels)] = state.base_labels
            previous_base = previous_base[members]
        base, continues = cl.base_clusters(
            points, k=settings.base_k, previous=previous_base, n_distinct=n_distinct
        )
        n_base = len(base.centres)
        base_of[members] = base.labels
        sizes = np.bincount(base.labels, minlength=n_base).astype(np.float64)
        # Each base cluster keeps the group of the previous base cluster it continues.
        carried = {
            k: np.where(continues >= 0, labels[np.maximum(continues, 0)], -1)
            for k, labels in group_labels.items()
            if len(labels)
        }
        choice = cl.group_clusters(
            base.centres,
            sizes,
            max_k=settings.max_k,
            previous=carried,
            smoother=smoother,
            seed=settings.seed,
            restarts=settings.restarts,
        )
        smoother = choice.smoother
        silhouettes = choice.silhouettes
        for k, ratio in choice.replaced.items():
            notes.append(
                f"with {k} groups, k-means from Polis's start stopped in a degenerate "
                f"optimum ({ratio:.1f}x the within-group sum of squares of a seeded "
                "k-means++ start, which is used instead)"
            )
        group_labels = {k: c.labels for k, c in choice.clusterings.items()}
        chosen = choice.chosen
        group_of[members] = chosen.labels[base.labels]
        group_centres_chosen = chosen.centres
    if greedy:
        notes.append(
            f"{greedy} participants with fewer than {settings.min_votes} votes were clustered "
            f"so that at least {GREEDY_N} are (Polis's greedy rule)"
        )
    left_out = int(((~inside) & (matrix.votes_per_participant() > 0)).sum())
    if left_out:
        need = min(settings.min_votes, matrix.n_columns)
        notes.append(
            f"{left_out} participants voted on fewer than {need} statements: "
            "placed on the map but not assigned to a group (Polis's minimum-votes rule)"
        )
    parameters: dict[str, float | int] = {
        "seed": settings.seed,
        "restarts": settings.restarts,
        "min_votes": settings.min_votes,
        "base_k": settings.base_k,
        "max_k": settings.max_k,
        "group_k_buffer": cl.GROUP_K_BUFFER,
        "greedy_n": GREEDY_N,
        "z_90": rp.Z_90,
        "n_base_clusters": n_base,
        "n_clustered": int(len(members)),
    }
    update = MapUpdate(
        coords, group_of, group_centres_chosen, components, silhouettes, notes, parameters
    )
    new_state = MapState(components.axes, inside, base_of, group_labels, smoother)
    return update, new_state


def assemble_map(votes: StatementVotes, matrix: VoteMatrix, update: MapUpdate) -> OpinionMap:
    """The map of one update: groups with their representative statements, consensus,
    divisive statements and the participants' positions."""
    coords, group_of, centres = update.coords, update.group_of, update.centres
    components, silhouettes = update.components, update.silhouettes
    n_groups = int(group_of.max()) + 1 if (group_of >= 0).any() else 0
    live = matrix.has_votes & ~matrix.moderated
    candidates = np.flatnonzero(live)
    ids = [s.id for s in votes.statements]
    texts = [s.text for s in votes.statements]
    groups: list[OpinionGroup] = []
    stats = None
    if n_groups:
        counts = rp.group_counts(matrix, group_of, n_groups)
        stats = rp.repness_stats(counts)
        sizes = np.bincount(group_of[group_of >= 0], minlength=n_groups)
        for g in range(n_groups):
            picks = rp.representative(stats, g, candidates) if n_groups > 1 else []
            groups.append(
                OpinionGroup(
                    id=g,
                    size=int(sizes[g]),
                    centre=[float(v) for v in centres[g]] if g < len(centres) else [0.0, 0.0],
                    representative=[
                        RepresentativeStatement(
                            ids[p.statement],
                            texts[p.statement],
                            p.direction,
                            p.repness,
                            p.repness_test,
                            p.p,
                            p.p_test,
                            p.n_success,
                            p.n_trials,
                            p.best_agree,
                        )
                        for p in picks
                    ],
                )
            )
    split = rp.divisive(stats, candidates) if stats is not None else []
    # A statement one group significantly agrees with and another rejects is not common
    # ground, however the whole room leans: consensus and divisive never share a statement.
    divided = {d.statement for d in split}
    consensus: list[ConsensusStatement] = []
    for c in rp.consensus(matrix, candidates):
        if c.statement in divided:
            continue
        if stats is not None:
            lean = stats.pa[:, c.statement] if c.direction == "agree" else stats.pd[:, c.statement]
            aware = float(np.prod(lean))
            every = bool((lean > 0.5).all())
        else:
            aware, every = c.p, True
        consensus.append(
            ConsensusStatement(
                ids[c.statement],
                texts[c.statement],
                c.direction,
                c.p,
                c.p_test,
                c.n_success,
                c.n_trials,
                aware,
                every,
            )
        )
    divisive = [
        DivisiveStatement(
            ids[d.statement],
            texts[d.statement],
            d.spread,
            {str(g): v for g, v in enumerate(d.net_agreement)},
        )
        for d in split
    ]
    voted = np.flatnonzero(matrix.votes_per_participant() > 0).tolist()
    grouped = np.flatnonzero(group_of >= 0).tolist()
    statement_xy = project_statements(matrix, components)
    names = votes.participants
    # tolist() turns numpy scalars into Python ones in C: the per-participant dicts
    # are the largest part of the result, and live updates rebuild them every time.
    return OpinionMap(
        groups=groups,
        participants=dict(
            zip([names[i] for i in grouped], group_of[grouped].tolist(), strict=True)
        ),
        coordinates=dict(zip([names[i] for i in voted], coords[voted].tolist(), strict=True)),
        statement_coordinates={
            ids[j]: xy
            for j, xy in zip(candidates.tolist(), statement_xy[candidates].tolist(), strict=True)
        },
        consensus=consensus,
        divisive=divisive,
        silhouettes={str(k): float(v) for k, v in silhouettes.items()},
        parameters={**update.parameters, "k": len(groups)},
        notes=list(update.notes),
    )
