"""``analyze(case) -> Analysis``: every analysis of one case, in one pass.

This module only orchestrates: it turns the case into arrays once
(:mod:`accord.analysis.case_arrays`), calls the pure analysis modules, and maps
indices back to case ids. Every output (CLI, reports, web) reads the resulting
:class:`Analysis`, so no output computes numbers of its own.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
import hashlib
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from accord import __version__
from accord.analysis import agreement as agree
from accord.analysis import mcda
from accord.analysis.blas import one_blas_thread
from accord.analysis.case_arrays import CaseArrays, FloatArray, case_arrays
from accord.analysis.jsonable import to_jsonable, to_plain
from accord.analysis.normalization import normalize
from accord.analysis.settings import AnalysisSettings, analysis_date
from accord.model.case import Case
from accord.model.options import Option

if TYPE_CHECKING:
    from accord.analysis.text import Duplicates

Tiers = list[list[str]]


@dataclass(frozen=True)
class Analysis:
    """The whole analysis of one case; ``to_dict()`` is the shape every output reads."""

    provenance: dict[str, Any]
    case: dict[str, Any]
    stakeholders: list[dict[str, Any]]
    options: list[dict[str, Any]]
    criteria: list[dict[str, Any]]
    group: dict[str, Any]
    voting: dict[str, Any] | None
    agreement: dict[str, Any]
    common_ground: Any = None
    camps: Any = None
    cruxes: list[Any] = field(default_factory=list)
    weight_intervals: list[Any] = field(default_factory=list)
    goal_conflicts: list[Any] = field(default_factory=list)
    recommendation: Any = None
    compromise: Any = None
    excluded: list[dict[str, Any]] = field(default_factory=list)
    portfolio: Any = None
    scenarios: Any = None
    risks: Any = None
    governance: Any = None
    opinion: Any = None
    duplicates: Any = None
    decisions: list[Any] = field(default_factory=list)
    actions: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (deterministic: the same case gives the same dict)."""
        with _collector_paused():
            result: dict[str, Any] = to_jsonable(self)
        return result


def case_fingerprint(case: Case) -> str:
    """SHA-256 of the case's canonical JSON: the same content gives the same hash."""
    canonical = case.model_dump_json(exclude_none=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for one analysis.

    An analysis allocates hundreds of thousands of small objects (floats, dicts) that
    live until it returns, and builds no reference cycles; each full collection would
    traverse all of them again (about a third of the run time at 200 stakeholders x 500
    options).  Reference counting still frees everything; the collector is restored,
    if it was on, when the analysis returns or fails.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def analyze(
    case: Case,
    *,
    settings: AnalysisSettings | None = None,
    text_vectors: Mapping[str, Sequence[float]] | None = None,
    embeddings_model: str | None = None,
) -> Analysis:
    """Analyse ``case``: scoring, voting, agreement, cruxes, compromise, risk, governance.

    ``text_vectors`` maps each text of :func:`duplicate_texts` to its sentence embedding
    (computed outside the analysis, e.g. by :mod:`accord.io.embeddings`); with it,
    near-duplicate options and ideas are also found by meaning, not only by shared words.
    ``embeddings_model`` names the model that made the vectors, for the provenance.
    """
    with _collector_paused(), one_blas_thread():
        return _analyze(case, settings or AnalysisSettings(), text_vectors, embeddings_model)


def duplicate_texts(case: Case) -> list[str]:
    """Every text that near-duplicate detection compares: options, then ideas, each once.

    These are the keys ``analyze(text_vectors=...)`` needs a vector for.
    """
    texts = [_option_text(o) for o in case.options] + [i.text for i in case.ideas]
    return list(dict.fromkeys(texts))


def _option_text(option: Option) -> str:
    """What an option is compared by: its name, then its description."""
    return f"{option.name}. {option.description or ''}".strip()


def _text_vectors(
    texts: Sequence[str], text_vectors: Mapping[str, Sequence[float]] | None
) -> NDArray[np.float64] | None:
    """One row per text from ``text_vectors`` (None without it); precise errors on gaps."""
    if text_vectors is None:
        return None
    missing = [t for t in texts if t not in text_vectors]
    if missing:
        raise ValueError(
            f"text_vectors has no vector for {len(missing)} text(s), first {missing[0]!r} "
            "(expected one vector for every text of duplicate_texts(case))"
        )
    sizes = sorted({len(text_vectors[t]) for t in texts})
    if len(sizes) > 1:
        raise ValueError(
            f"text_vectors mixes vector lengths {sizes} (expected one length, one model)"
        )
    return np.array([text_vectors[t] for t in texts], dtype=np.float64).reshape(
        len(texts), sizes[0] if sizes else 0
    )


def _analyze(
    case: Case,
    settings: AnalysisSettings,
    text_vectors: Mapping[str, Sequence[float]] | None,
    embeddings_model: str | None,
) -> Analysis:
    arrays = case_arrays(case)
    today = analysis_date(settings)
    notes = list(arrays.notes)
    normalized_lens = (
        np.stack(
            [
                normalize(arrays.lens[s], arrays.maximise, method=settings.normalization)
                for s in range(len(arrays.stakeholder_ids))
            ]
        )
        if arrays.stakeholder_ids
        else np.zeros((0, *arrays.likely.shape))
    )
    shared = normalize(arrays.likely, arrays.maximise, method=settings.normalization)
    flat = _non_discriminating(arrays)
    for c in flat:
        notes.append(
            f"criterion '{arrays.criterion_names[c]}' does not discriminate between the options "
            "(every option has the same estimate) and was given no influence"
        )
    utilities = _stakeholder_utilities(arrays, normalized_lens)
    with ThreadPoolExecutor(max_workers=1) as pool:
        drawn = _start_monte_carlo(arrays, settings, pool)
        people = _stakeholder_views(case, arrays, utilities)
        group = _group_view(arrays, utilities, settings)
        voting = _voting(case, arrays, people)
        agreement = _agreement(case, arrays, utilities)
        cruxes, intervals, conflicts = _cruxes(case, arrays, shared, settings)
        governance = _governance(case, today)
        option_copies = _option_duplicates(case, text_vectors)
        alignment = _alignment_sections(case, arrays, utilities, shared, settings, option_copies)
        notes.extend(alignment["notes"])
        duplicates = _duplicates(case, option_copies, text_vectors)
        opinion = _opinion(case, settings)
        _fill_p_first(arrays, group, people, drawn)
    return Analysis(
        provenance={
            "accord_version": __version__,
            "case_id": case.id,
            "case_sha256": case_fingerprint(case),
            "seed": settings.seed,
            "normalization": settings.normalization,
            "topsis_normalization": settings.topsis_normalization,
            "draws": settings.draws,
            "distribution": settings.distribution,
            "generated_for": today.isoformat(),
            "embeddings_model": embeddings_model,
        },
        case=_case_header(case),
        stakeholders=people,
        options=[
            {
                "id": o.id,
                "name": o.name,
                "description": o.description,
                "team": o.team,
                "cost": o.cost,
                "effort": o.effort,
            }
            for o in case.options
        ],
        criteria=[
            {
                "id": c.id,
                "name": c.name,
                "unit": c.unit,
                "direction": c.direction,
                "goal": c.goal,
                "segment": c.segment,
                "horizon": None if c.horizon is None else str(c.horizon),
                "discriminates": i not in flat,
            }
            for i, c in enumerate(case.criteria)
        ],
        group=group,
        voting=voting,
        agreement=agreement,
        cruxes=cruxes,
        weight_intervals=intervals,
        goal_conflicts=conflicts,
        governance=governance,
        common_ground=alignment["common_ground"],
        camps=alignment["camps"],
        recommendation=alignment["recommendation"],
        compromise=alignment["compromise"],
        excluded=alignment["excluded"],
        portfolio=alignment["portfolio"],
        scenarios=alignment["scenarios"],
        risks=alignment["risks"],
        duplicates=duplicates,
        opinion=opinion,
        decisions=[d.model_dump(mode="json") for d in case.decisions],
        actions=[
            {
                **a.model_dump(mode="json"),
                "overdue": (not a.done) and a.deadline is not None and a.deadline < today,
            }
            for a in case.actions
        ],
        notes=notes,
    )


# --- sections -------------------------------------------------------------------------------


def _case_header(case: Case) -> dict[str, Any]:
    owner = None
    if case.decision_owner is not None:
        person = case.stakeholder(case.decision_owner)
        owner = {"id": person.id, "name": person.name, "role": person.role}
    return {
        "id": case.id,
        "title": case.title,
        "question": case.question,
        "context": case.context,
        "deadline": case.deadline,
        "decision_kind": case.decision_kind,
        "budget": case.budget,
        "capacity": case.capacity,
        "decision_owner": owner,
        "escalation": list(case.escalation),
        "cadence": case.cadence,
    }


def _non_discriminating(arrays: CaseArrays) -> list[int]:
    from accord.analysis.normalization import non_discriminating

    if not arrays.option_ids:
        return []
    return [int(c) for c in np.flatnonzero(non_discriminating(arrays.likely))]


def _stakeholder_utilities(arrays: CaseArrays, normalized_lens: FloatArray) -> FloatArray:
    """S x O utilities, each stakeholder's weights on their own lens (NaN row: no weights)."""
    n_s, n_o = len(arrays.stakeholder_ids), len(arrays.option_ids)
    out = np.full((n_s, n_o), np.nan)
    for s in arrays.weighted:
        out[s] = mcda.weighted_sum(normalized_lens[s], arrays.weights[s])
    return out


def _tiers(values: FloatArray, ids: list[str]) -> Tiers:
    """Options in tiers, best first; equal utilities (within mcda's tolerance) share a tier."""
    return _tiers_from_ranks(mcda.rank(values), ids)


def _tiers_from_ranks(ranks: NDArray[np.int64], ids: list[str]) -> Tiers:
    """Options grouped by rank, best first, in case order within a tier."""
    order = np.argsort(ranks, kind="stable")
    ordered = [ids[i] for i in order.tolist()]
    cuts = [0, *(np.flatnonzero(np.diff(ranks[order])) + 1).tolist(), len(ordered)]
    return [ordered[a:b] for a, b in zip(cuts, cuts[1:], strict=False) if b > a]


def _stated_ranking(case: Case, person: str) -> Tiers | None:
    own = case.inputs.get(person)
    if own is None or not own.ranking:
        return None
    return [[entry] if isinstance(entry, str) else list(entry) for entry in own.ranking]


def _stakeholder_views(
    case: Case, arrays: CaseArrays, utilities: FloatArray
) -> list[dict[str, Any]]:
    views = []
    ranks = mcda.rank(np.nan_to_num(utilities))  # one call for every row; NaN rows unused
    for s, person in enumerate(case.stakeholders):
        has = bool(arrays.has_weights[s])
        ranking = _tiers_from_ranks(ranks[s], arrays.option_ids) if has else []
        views.append(
            {
                "id": person.id,
                "name": person.name,
                "role": person.role,
                "raci": person.raci,
                "influence": person.influence,
                "interest": person.interest,
                "weight_method": arrays.weight_methods[s],
                "weights": dict(zip(arrays.criterion_ids, arrays.weights[s].tolist(), strict=True))
                if has
                else {},
                "weight_notes": arrays.weight_notes[s],
                "utilities": dict(zip(arrays.option_ids, utilities[s].tolist(), strict=True))
                if has
                else {},
                "ranking": ranking,
                "stated_ranking": _stated_ranking(case, person.id),
                "top": ranking[0] if ranking else [],
                "p_first": {},
            }
        )
    return views


def _group_view(
    arrays: CaseArrays,
    utilities: FloatArray,
    settings: AnalysisSettings,
) -> dict[str, Any]:
    ids = arrays.option_ids
    weighted = arrays.weighted
    if not weighted or not ids:
        return {"utilities": {}, "ranking": [], "topsis": {}, "p_first": {}, "stakeholders": 0}
    group_u = mcda.group_utilities(utilities[weighted])
    group_w = mcda.group_weights(arrays.weights[weighted])
    closeness = mcda.topsis(
        arrays.likely, group_w, arrays.maximise, normalization=settings.topsis_normalization
    )
    return {
        "utilities": dict(zip(ids, group_u.tolist(), strict=True)),
        "ranking": _tiers(group_u, ids),
        "topsis": dict(zip(ids, closeness.tolist(), strict=True)),
        "p_first": {},
        "stakeholders": len(weighted),
        "draws": monte_carlo_draws(settings.draws, arrays),
    }


def _start_monte_carlo(
    arrays: CaseArrays, settings: AnalysisSettings, pool: ThreadPoolExecutor
) -> Future[FloatArray] | None:
    """Start the probability-of-ranking-first draws on ``pool`` (None: nothing to draw).

    They run in a second thread while the rest of the analysis proceeds: numpy releases
    the GIL inside its sampling and array loops, so on two cores most of the draws' time
    is hidden behind the (mostly pure-Python) cruxes, camps and risk sections.  The draws
    are seeded and touch no shared state, so the result is the same as drawing inline.
    """
    draws = monte_carlo_draws(settings.draws, arrays)
    if draws <= 0 or not arrays.weighted or not arrays.option_ids:
        return None
    from accord.analysis.uncertainty import rank_first_probability

    return pool.submit(
        rank_first_probability,
        arrays.low,
        arrays.likely,
        arrays.high,
        arrays.maximise,
        arrays.weights[arrays.weighted],
        draws=draws,
        seed=settings.seed,
        distribution=settings.distribution,
        method=settings.normalization,
    )


def _fill_p_first(
    arrays: CaseArrays,
    group: dict[str, Any],
    people: list[dict[str, Any]],
    drawn: Future[FloatArray] | None,
) -> None:
    """Each stakeholder's and the group's probability of ranking first, once drawn."""
    if drawn is None:
        return
    table = drawn.result()
    ids = arrays.option_ids
    for row, s in enumerate(arrays.weighted):
        people[s]["p_first"] = dict(zip(ids, table[row].tolist(), strict=True))
    group["p_first"] = dict(zip(ids, table[-1].tolist(), strict=True))


# Cells (draws x options x criteria x stakeholders) one analysis may sample: about a
# second of CPU on a 2-core machine. Larger cases get fewer draws, never fewer than 200.
MONTE_CARLO_CELLS = 60_000_000
MIN_DRAWS = 200


def monte_carlo_draws(requested: int, arrays: CaseArrays) -> int:
    """Draws actually run: ``requested``, capped so big cases stay interactive.

    >>> import numpy as np
    >>> arrays = type("A", (), {"low": np.zeros((500, 30)), "high": np.ones((500, 30)),
    ...                         "weighted": list(range(200))})()
    >>> monte_carlo_draws(10_000, arrays)
    200
    """
    if requested <= 0 or not np.any(arrays.high > arrays.low):
        return 0 if requested <= 0 else 1
    n_o, n_c = arrays.low.shape
    cells = max(1, n_o * n_c * max(1, len(arrays.weighted)))
    return int(min(requested, max(MIN_DRAWS, MONTE_CARLO_CELLS // cells)))


def _voting(case: Case, arrays: CaseArrays, people: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Every rule over the stakeholders' rankings (stated, else derived from their weights)."""
    from accord.analysis.voting import rule_robustness, vote
    from accord.model.ballots import Profile

    rankings: dict[str, Tiers] = {}
    derived: list[str] = []
    for view in people:
        stated = view["stated_ranking"]
        if stated:
            rankings[view["id"]] = stated
        elif view["ranking"]:
            rankings[view["id"]] = view["ranking"]
            derived.append(view["name"])
    if len(rankings) < 1 or not arrays.option_ids:
        return None
    inputs = case.inputs
    profile = Profile.from_rankings(
        dict(zip(arrays.option_ids, arrays.option_names, strict=True)),
        rankings,
        approvals={p: list(i.approvals) for p, i in inputs.items() if i.approvals} or None,
        ratings={p: dict(i.ratings) for p, i in inputs.items() if i.ratings} or None,
        dots={p: dict(i.dots) for p, i in inputs.items() if i.dots} or None,
        dots_budget=case.dots_budget,
        title=case.title,
    )
    robustness = rule_robustness(profile)
    rules: dict[str, Any] = {}
    for rule, outcome in robustness.outcomes.items():
        rules[rule] = {
            "winners": outcome.winners,
            "ranking": outcome.ranking,
            "tie_broken_by": outcome.tie_broken_by,
            "notes": outcome.notes,
        }
    first = next(iter(robustness.outcomes.values()), None) or vote(profile, "copeland")
    names = dict(zip(arrays.option_ids, arrays.option_names, strict=True))
    summary = robustness.summary
    for option_id, name in names.items():
        summary = _replace_word(summary, option_id, name)
    if derived:
        summary += f". Rankings derived from weights (no stated ranking): {', '.join(derived)}"
    return {
        "rules": rules,
        "skipped": robustness.skipped,
        "condorcet_winner": first.condorcet_winner,
        "majority_cycle": first.majority_cycle,
        "rule_matters": not robustness.agree,
        "summary": summary[0].upper() + summary[1:],
        "unranked": robustness.unranked,
    }


def _replace_word(text: str, word: str, replacement: str) -> str:
    import re

    return re.sub(rf"(?<![\w-]){re.escape(word)}(?![\w-])", replacement, text)


def _agreement(case: Case, arrays: CaseArrays, utilities: FloatArray) -> dict[str, Any]:
    weighted = arrays.weighted
    names = arrays.stakeholder_names
    criteria = arrays.criterion_names
    ranks = (
        mcda.rank(utilities[weighted]).astype(np.float64)
        if weighted and arrays.option_ids
        else None
    )
    people = case.stakeholder_ids
    accepted = np.array(
        [[p in f.accepted_by for p in people] for f in case.facts], dtype=np.bool_
    ).reshape(len(case.facts), len(people))
    disputed = np.array(
        [[p in f.disputed_by for p in people] for f in case.facts], dtype=np.bool_
    ).reshape(len(case.facts), len(people))
    facts = agree.fact_agreement(accepted, disputed) if case.facts else None
    w = arrays.weights[weighted] if weighted else None
    index = agree.alignment_index(ranks, w, facts)
    sentences = [agree.explain_alignment(index)]
    out: dict[str, Any] = {
        "alignment_index": index.index,
        "components": index,
        "sentences": sentences,
        "kendall_w": None,
        "kendall_p": None,
        "krippendorff_alpha": None,
        "pairwise": {"stakeholders": [people[s] for s in weighted], "tau": []},
        "weight_dispersion": [],
        "facts": {
            "accepted_by_all": [case.facts[i].id for i in facts.accepted_by_all] if facts else [],
            "disputed": [
                {"fact": f.id, "statement": f.statement, "by": list(f.disputed_by)}
                for f in case.facts
                if f.disputed_by
            ],
        },
    }
    if ranks is not None and len(weighted) >= 2 and ranks.shape[1] >= 2:
        kw = agree.kendall_w(ranks)
        out["kendall_w"], out["kendall_p"] = kw.w, kw.p_value
        out["krippendorff_alpha"] = agree.krippendorff_alpha(ranks, level="ordinal")
        out["pairwise"]["tau"] = agree.rank_correlations(utilities[weighted]).tolist()
    if w is not None and len(weighted) >= 2:
        sub_names = [names[s] for s in weighted]
        dispersion = agree.weight_dispersion(w)
        voices = [people[s] for s in weighted]
        out["weight_dispersion"] = [
            {
                **_relabel(to_plain(d), {"lowest": voices, "highest": voices}),
                "criterion": arrays.criterion_ids[d.criterion],
                "name": criteria[d.criterion],
            }
            for d in sorted(dispersion.criteria, key=lambda d: -d.std)
        ]
        sentences.append(agree.explain_dispersion(dispersion, sub_names, criteria))
        distances = agree.weight_distances(w)
        i, j = np.unravel_index(int(np.argmax(distances)), distances.shape)
        if i != j:
            pair = agree.pair_agreement(w, int(min(i, j)), int(max(i, j)))
            sentences.append(agree.explain_pair(pair, sub_names, criteria))
    return out


# Goal conflicts are explained for the pairs furthest apart, not all S(S-1)/2 of them:
# a facilitator reads a handful, and 200 stakeholders would give 19,900.
MAX_CONFLICT_PAIRS = 10


def _pairs_to_explain(weights: FloatArray, tops: list[int]) -> list[tuple[int, int]]:
    """Pairs whose first choices differ, most distant weights first, at most the cap."""
    from accord.analysis.agreement import weight_distances

    distances = weight_distances(weights)
    pairs = [
        (float(distances[a, b]), a, b)
        for a in range(len(tops))
        for b in range(a + 1, len(tops))
        if tops[a] != tops[b]
    ]
    pairs.sort(key=lambda item: (-item[0], item[1], item[2]))
    return [(a, b) for _, a, b in pairs[:MAX_CONFLICT_PAIRS]]


def _cruxes(
    case: Case, arrays: CaseArrays, shared: FloatArray, settings: AnalysisSettings
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """What needs to be true: ranked cruxes, weight stability intervals, goal conflicts."""
    from accord.analysis.crux import FactLink, find_cruxes, goal_conflicts

    weighted = arrays.weighted
    if not weighted or len(arrays.option_ids) < 2:
        return [], [], []
    people = case.stakeholder_ids
    sub = {s: k for k, s in enumerate(weighted)}  # stakeholder index -> row in the subset
    option_at = {o: i for i, o in enumerate(arrays.option_ids)}
    criterion_at = {c: i for i, c in enumerate(arrays.criterion_ids)}
    links = [
        FactLink(
            fact=f.id,
            option=option_at[ref.option],
            criterion=criterion_at[ref.criterion],
            value=f.value,
            accepted_by=tuple(
                sub[people.index(p)] for p in f.accepted_by if people.index(p) in sub
            ),
            disputed_by=tuple(
                sub[people.index(p)] for p in f.disputed_by if people.index(p) in sub
            ),
            statement=f.statement,
        )
        for f in case.facts
        for ref in f.informs
    ]
    guarded = [any(g.criterion == c for g in case.guardrails) for c in arrays.criterion_ids]
    report = find_cruxes(
        arrays.likely,
        arrays.maximise,
        arrays.weights[weighted],
        low=arrays.low,
        high=arrays.high,
        method=settings.normalization,
        facts=links,
        guarded=guarded,
        stakeholder_labels=[arrays.stakeholder_names[s] for s in weighted],
        option_labels=arrays.option_names,
        criterion_labels=arrays.criterion_names,
        units=[c.unit for c in case.criteria],
    )

    def who(k: int | None) -> str | None:
        return None if k is None else people[weighted[k]]

    def option(i: int | None) -> str | None:
        return None if i is None else arrays.option_ids[i]

    # Sections hold each result's fields shallowly: nested results are converted once, by
    # Analysis.to_dict(), not twice.
    cruxes = [
        {
            **vars(c),
            "stakeholder": who(c.stakeholder),
            "rivals": [who(r) for r in c.rivals],
            "prefers": option(c.prefers),
            "challenger": option(c.challenger),
            "varied_option": option(c.varied_option),
            "criterion": arrays.criterion_ids[c.criterion],
            "sentence": c.explanation,
        }
        for c in report.cruxes
    ]
    intervals = [
        {
            **vars(w),
            "stakeholder": who(w.stakeholder),
            "criterion": arrays.criterion_ids[w.criterion],
            "top": option(w.top),
            "takeover_below": option(w.takeover_below),
            "takeover_above": option(w.takeover_above),
        }
        for w in report.weight_intervals
    ]
    pairs = _pairs_to_explain(arrays.weights[weighted], report.top_choices)
    found = goal_conflicts(
        shared,
        arrays.weights[weighted],
        pairs,
        segments=[c.segment for c in case.criteria],
        horizons=[None if c.horizon is None else str(c.horizon) for c in case.criteria],
        stakeholder_labels=[arrays.stakeholder_names[s] for s in weighted],
        criterion_labels=arrays.criterion_names,
    )
    conflicts = [
        {
            **vars(conflict),
            "first": who(a),
            "second": who(b),
            "sentence": conflict.explanation,
        }
        for (a, b), conflict in zip(pairs, found, strict=True)
    ]
    return cruxes, intervals, conflicts


def _governance(case: Case, today: dt.date) -> dict[str, Any]:
    from accord.analysis.governance import check_governance

    result: dict[str, Any] = to_plain(check_governance(case, today))
    return result


def _option_duplicates(
    case: Case, text_vectors: Mapping[str, Sequence[float]] | None = None
) -> Duplicates | None:
    """Options that are near-duplicates of each other (they compete for the same budget)."""
    from accord.analysis.text import near_duplicates

    if len(case.options) < 2:
        return None
    texts = [_option_text(o) for o in case.options]
    return near_duplicates(
        [f"option:{o.id}" for o in case.options],
        texts,
        teams=[o.team for o in case.options],
        costs=[o.cost for o in case.options],
        vectors=_text_vectors(texts, text_vectors),
    )


def _duplicates(
    case: Case,
    option_copies: Duplicates | None,
    text_vectors: Mapping[str, Sequence[float]] | None = None,
) -> dict[str, Any] | None:
    """Duplicated initiatives (options, with the budget at stake) and duplicated ideas.

    Options and ideas are clustered separately: an interview idea that restates an
    initiative is not a second budget line, and mixing them would count money twice.
    Ids are prefixed ``option:`` and ``idea:`` because ids are unique only per list.
    """
    from accord.analysis.text import near_duplicates, themes

    if option_copies is None and len(case.ideas) < 2:
        return None
    idea_ids = [f"idea:{i.id}" for i in case.ideas]
    idea_texts = [i.text for i in case.ideas]
    result: dict[str, Any] = (
        to_plain(option_copies)
        if option_copies is not None
        else {
            "pairs": [],
            "clusters": [],
            "redundant_cost": 0.0,
            "total_cost": 0.0,
            "redundant_share": 0.0,
        }
    )
    if len(case.ideas) >= 2:
        result["ideas"] = to_plain(
            near_duplicates(
                idea_ids,
                idea_texts,
                teams=[i.team for i in case.ideas],
                costs=[i.cost for i in case.ideas],
                vectors=_text_vectors(idea_texts, text_vectors),
            )
        )
        result["themes"] = to_plain(themes(idea_ids, idea_texts))
    else:
        result["ideas"] = None
        result["themes"] = []
    texts = {f"option:{o.id}": _option_text(o) for o in case.options}
    texts.update(zip(idea_ids, idea_texts, strict=True))
    result["texts"] = texts
    return result


def _opinion(case: Case, settings: AnalysisSettings) -> dict[str, Any] | None:
    """The Polis-style opinion map of the stakeholders' statement votes, if any."""
    from accord.analysis.opinion import opinion_map
    from accord.model.statements import Statement, StatementVotes

    votes = {p: dict(i.statement_votes) for p, i in case.inputs.items() if i.statement_votes}
    if not case.statements or not votes:
        return None
    statements = [Statement(s.id, s.text) for s in case.statements]
    table = StatementVotes.from_mapping(statements, votes)
    result: dict[str, Any] = to_plain(opinion_map(table, seed=settings.seed))
    return result


def _relabel(data: Any, tables: dict[str, list[str]]) -> Any:
    """Replace index values under the named keys with case ids, recursively.

    The analysis modules are index-based; this turns ``{"option": 2}`` into
    ``{"option": "usage-pricing"}`` for the keys a section names, leaving every other
    value (utilities, sentences) as it is.
    """

    def named(table: list[str], value: Any) -> Any:
        if isinstance(value, int) and not isinstance(value, bool):
            return table[value]
        if isinstance(value, list) and all(
            isinstance(v, int) and not isinstance(v, bool) for v in value
        ):
            return [table[v] for v in value]
        return _relabel(value, tables)

    if isinstance(data, dict):
        return {
            k: named(tables[k], v) if k in tables else _relabel(v, tables) for k, v in data.items()
        }
    if isinstance(data, list):
        # Only dicts name indices; lists of numbers (utility matrix rows) pass as they are.
        if set(map(type, data)).isdisjoint((dict, list)):
            return data
        return [_relabel(v, tables) for v in data]
    return data


def _alignment_sections(
    case: Case,
    arrays: CaseArrays,
    utilities: FloatArray,
    shared: FloatArray,
    settings: AnalysisSettings,
    option_copies: Duplicates | None,
) -> dict[str, Any]:
    """Common ground, camps, compromise and recommendation, portfolio, scenarios, risks."""
    from accord.analysis.camps import find_camps
    from accord.analysis.common_ground import common_ground
    from accord.analysis.compromise import GuardrailBound, company_scores, compromise
    from accord.analysis.risk import RiskItem, effort_impact, risk_register, stakeholder_lens

    out: dict[str, Any] = dict.fromkeys(
        (
            "common_ground",
            "camps",
            "recommendation",
            "compromise",
            "portfolio",
            "scenarios",
            "risks",
        ),
    )
    out["excluded"] = []
    out["notes"] = []
    weighted = arrays.weighted
    if not weighted or not arrays.option_ids:
        return out
    people = case.stakeholder_ids
    voices = [people[s] for s in weighted]
    names = [arrays.stakeholder_names[s] for s in weighted]
    w = arrays.weights[weighted]
    u = utilities[weighted]
    goals = case.goal_ids
    goal_of = [goals.index(c.goal) if c.goal in goals else None for c in case.criteria]
    options, criteria = arrays.option_ids, arrays.criterion_ids
    option_labels, criterion_labels = arrays.option_names, arrays.criterion_names
    accepted = np.array(
        [[p in f.accepted_by for p in voices] for f in case.facts], dtype=np.bool_
    ).reshape(len(case.facts), len(voices))
    disputed = np.array(
        [[p in f.disputed_by for p in voices] for f in case.facts], dtype=np.bool_
    ).reshape(len(case.facts), len(voices))
    own_goals = [
        sorted({goals.index(g.serves) for g in case.stakeholder(p).goals if g.serves in goals})
        for p in voices
    ]
    ground = common_ground(
        w,
        u,
        normalized=shared,
        goal_of_criterion=goal_of,
        accepted=accepted,
        disputed=disputed,
        stakeholder_goals=own_goals,
        fact_labels=[f.statement for f in case.facts],
        goal_labels=[g.statement for g in case.company_goals],
        option_labels=option_labels,
        criterion_labels=criterion_labels,
    )
    out["common_ground"] = _relabel(
        to_plain(ground),
        {
            "criterion": criteria,
            "agreed_criteria": criteria,
            "shared_priorities": criteria,
            "top_half_options": options,
            "options": options,
            "accepted_facts": [f.id for f in case.facts],
            "goal": goals,
            "shared_goals": goals,
        },
    )
    out["common_ground"]["sentences"] = list(ground.statements)
    if len(weighted) >= 2:
        camps = find_camps(
            w,
            u,
            stakeholder_labels=names,
            option_labels=option_labels,
            criterion_labels=criterion_labels,
        )
        out["camps"] = _relabel(
            to_plain(camps),
            {
                "members": voices,
                "top": options,
                "shared_top_half": options,
                "shared_criteria": criteria,
            },
        )
        out["camps"]["sentences"] = list(camps.statements)

    risks = [
        [
            RiskItem(
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
        for option in case.options
    ]
    costs = np.array([o.cost or 0.0 for o in case.options])
    efforts = np.array([o.effort or 0.0 for o in case.options])
    company = company_scores(shared, goal_of) if any(g is not None for g in goal_of) else None
    bounds = [
        GuardrailBound(id=g.id, criterion=criteria.index(g.criterion), min=g.min, max=g.max)
        for g in case.guardrails
    ]
    result = compromise(
        u,
        likely=arrays.likely,
        low=arrays.low,
        high=arrays.high,
        guardrails=bounds,
        costs=costs if any(o.cost is not None for o in case.options) else None,
        budget=None
        if case.budget is None or case.decision_kind == "portfolio"
        else float(case.budget.amount),
        efforts=efforts if any(o.effort is not None for o in case.options) else None,
        capacity=None
        if case.capacity is None or case.decision_kind == "portfolio"
        else float(case.capacity.amount),
        company=company,
        risks=risks,
        option_labels=option_labels,
        criterion_labels=criterion_labels,
    )
    option_keys = {"option": options, "feasible": options, "pareto": options}
    compromise_dict = _relabel(to_plain(result), option_keys)
    out["recommendation"] = _relabel(compromise_dict.pop("recommendation"), {"owner": people})
    out["compromise"] = compromise_dict
    out["excluded"] = [
        {"option": options[e.option], "reasons": [v.reason for v in e.violations]}
        for e in result.excluded
    ]
    if case.decision_kind == "portfolio":
        out["portfolio"] = _portfolio(case, arrays, u, costs, efforts, names, result, option_copies)

    register = risk_register(risks)
    impact = company if company is not None else u.mean(axis=0)
    out["risks"] = {
        "register": [
            {
                **vars(entry),
                "option": options[i],
                "owner": None if entry.owner is None else people[entry.owner],
            }
            for i, option_risks in enumerate(register)
            for entry in option_risks.risks
        ],
        "by_option": _relabel(
            to_plain(register), {"option": options, "owner": people, "unowned": []}
        ),
        "lenses": [
            {
                **vars(lens),
                "stakeholder": voices[lens.stakeholder],
                "option": options[lens.option],
            }
            for lens in stakeholder_lens(
                shared,
                w,
                options=_options_under_discussion(u, result),
                option_labels=option_labels,
                criterion_labels=criterion_labels,
            )
        ],
        "quadrant": _relabel(to_plain(effort_impact(efforts, impact)), {"option": options})
        if any(o.effort is not None for o in case.options)
        else [],
    }
    if case.scenarios:
        out["scenarios"] = _scenarios(case, arrays, w, settings, voices, out["notes"])
    return out


# Every stakeholder gets a pros-and-cons lens on every option up to this many options;
# beyond it, on the options under discussion (group top five and the recommendation).
MAX_LENS_OPTIONS = 12


def _options_under_discussion(u: FloatArray, result: Any) -> list[int] | None:
    n_options = u.shape[1]
    if n_options <= MAX_LENS_OPTIONS:
        return None
    top = [int(o) for o in np.argsort(-u.mean(axis=0), kind="stable")[:5]]
    if result.recommendation is not None and result.recommendation.option not in top:
        top.append(int(result.recommendation.option))
    return top


def _portfolio(
    case: Case,
    arrays: CaseArrays,
    u: FloatArray,
    costs: FloatArray,
    efforts: FloatArray,
    names: list[str],
    screened: Any,
    option_copies: Duplicates | None,
) -> dict[str, Any] | None:
    """The set of initiatives to fund: maximin MILP over those that keep every guardrail.

    Initiatives a guardrail excludes never enter the MILP (they are listed as
    de-prioritised with the guardrail's reason), and at most one initiative of each
    duplicate cluster is funded: the others are merged into it.
    """
    from accord.analysis.portfolio import choose_portfolio

    if case.budget is None:
        return None
    ids = arrays.option_ids
    reasons = {e.option: [v.reason for v in e.violations] for e in screened.excluded}
    allowed = [i for i in range(len(ids)) if i not in reasons]
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
    chosen = choose_portfolio(
        u[:, allowed],
        costs[allowed],
        float(case.budget.amount),
        objective="maximin",
        efforts=efforts[allowed] if case.capacity is not None else None,
        capacity=None if case.capacity is None else float(case.capacity.amount),
        exclusive=exclusive,
        time_limit=5.0,
        option_labels=[arrays.option_names[i] for i in allowed],
        stakeholder_labels=names,
    )
    table = [ids[i] for i in allowed]
    result: dict[str, Any] = _relabel(to_plain(chosen), {"chosen": table, "option": table})
    result["deprioritised"] = list(result["deprioritised"]) + [
        {"option": ids[i], "kind": "guardrail", "reason": "; ".join(reasons[i])}
        for i in sorted(reasons)
    ]
    return result


# Above this many stakeholder x option cells, scenario results keep the group's
# utilities and drop the per-stakeholder tables (noted in the result's notes).
MAX_SCENARIO_CELLS = 20_000


def _scenarios(
    case: Case,
    arrays: CaseArrays,
    w: FloatArray,
    settings: AnalysisSettings,
    voices: list[str],
    notes: list[str],
) -> dict[str, Any]:
    from accord.analysis import scenarios as futures

    options, criteria = arrays.option_ids, arrays.criterion_ids
    specs = [
        futures.ScenarioSpec(
            name=sc.name,
            probability=sc.probability,
            adjustments=[
                futures.Adjustment(
                    criterion=criteria.index(a.criterion),
                    operation="set"
                    if a.set is not None
                    else ("add" if a.add is not None else "multiply"),
                    value=float(
                        a.set
                        if a.set is not None
                        else (a.add if a.add is not None else a.multiply or 0.0)
                    ),
                    option=None if a.option is None else options.index(a.option),
                )
                for a in sc.adjustments
            ],
        )
        for sc in case.scenarios
    ]
    evaluated = futures.evaluate_scenarios(
        arrays.likely, arrays.maximise, w, specs, method=settings.normalization
    )
    cells = len(voices) * len(options)
    if cells > MAX_SCENARIO_CELLS:
        # Nobody reads a stakeholders x options table per scenario at this size (every
        # output shows the group's); the group figures and best options stay complete.
        evaluated = dataclasses.replace(
            evaluated,
            outcomes=[dataclasses.replace(o, utilities=[]) for o in evaluated.outcomes],
            expected=[],
            max_regret=[],
        )
        notes.append(
            f"scenarios: the per-stakeholder utility tables ({len(voices)} stakeholders x "
            f"{len(options)} options, more than {MAX_SCENARIO_CELLS:,} cells) are left out "
            "(utilities, expected, max_regret are empty); group utilities, expected group "
            "utility, regret, each stakeholder's best options and minimax regret are complete"
        )
    result: dict[str, Any] = _relabel(
        to_plain(evaluated),
        {
            "best": options,
            "group_best": options,
            "expected_best": options,
            "expected_group_best": options,
            "minimax_regret": options,
            "minimax_regret_group": options,
            "most_often_best": options,
        },
    )
    result["stakeholders"] = voices
    return result
