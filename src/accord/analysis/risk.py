"""Risks and lenses: the risk register per option, each stakeholder's pros and cons, quadrants.

**Risk register.**  Exposure is likelihood x impact (probability 0..1 times an
impact of 1..5, the probability-impact matrix of ISO 31000 / PMBOK 7th ed. §4.4.6),
before and after mitigation; an unstated residual likelihood or impact keeps the
value before mitigation.  An option's exposure is the sum over its risks (expected
impact, treating risks as independent events).

**Same facts, different lens.**  Every stakeholder sees the same normalised
estimates ``r`` but weights them with their own ``w``; the contribution of
criterion ``c`` to stakeholder ``s``'s view of option ``o`` relative to an average
option is ``w_sc (r_oc - mean_o r_oc)``.  Their *pros* are the criteria with the
largest positive contributions, their *cons* the most negative ones.

**Low-effort / high-impact quadrant.**  Effort on one axis (option effort, or cost
where no effort is given) and impact (the group utility) on the other, split at
their medians: ``quick win`` (effort <= median, impact >= median), ``major project``,
``fill-in`` and ``thankless task`` (the 2x2 impact-effort matrix of lean portfolio
practice; median splits so the quadrants are relative to this case's options).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from accord.analysis.weights import normalize_weight_rows
from accord.errors import InputError

FloatArray = NDArray[np.float64]

Quadrant = Literal["quick win", "major project", "fill-in", "thankless task"]


@dataclass(frozen=True)
class RiskItem:
    """One risk of one option, as the case states it (owner is a stakeholder index)."""

    id: str
    description: str
    likelihood: float
    impact: float
    mitigation: str | None = None
    residual_likelihood: float | None = None
    residual_impact: float | None = None
    owner: int | None = None


@dataclass(frozen=True)
class RiskEntry:
    """A risk in the register with its exposure before and after mitigation."""

    id: str
    description: str
    likelihood: float
    impact: float
    exposure: float
    residual_likelihood: float
    residual_impact: float
    residual_exposure: float
    mitigation: str | None
    owner: int | None


@dataclass(frozen=True)
class OptionRisks:
    """The register of one option, worst residual exposure first."""

    option: int
    risks: list[RiskEntry]
    exposure: float
    residual_exposure: float
    unowned: list[str]


@dataclass(frozen=True)
class LensPoint:
    """One criterion as a pro or con of an option for one stakeholder."""

    criterion: int
    contribution: float
    rank: int
    text: str


@dataclass(frozen=True)
class Lens:
    """Stakeholder ``stakeholder``'s pros and cons of option ``option``."""

    stakeholder: int
    option: int
    pros: list[LensPoint]
    cons: list[LensPoint]


@dataclass(frozen=True)
class QuadrantPlacement:
    """Where an option sits on the effort/impact matrix."""

    option: int
    effort: float
    impact: float
    quadrant: Quadrant


def risk_register(risks: Sequence[Sequence[RiskItem]]) -> list[OptionRisks]:
    """Exposure (likelihood x impact) before and after mitigation, per option.

    ``risks[o]`` lists option ``o``'s risks.

    >>> reg = risk_register([[RiskItem("r1", "Price war", 0.4, 4, "Floor price", 0.2, 3)], []])
    >>> reg[0].exposure, reg[0].residual_exposure, reg[0].unowned, reg[1].exposure
    (1.6, 0.6, ['r1'], 0.0)
    """
    out: list[OptionRisks] = []
    for o, items in enumerate(risks):
        entries: list[RiskEntry] = []
        for item in items:
            _check_risk(o, item)
            rl = item.likelihood if item.residual_likelihood is None else item.residual_likelihood
            ri = item.impact if item.residual_impact is None else item.residual_impact
            entries.append(
                RiskEntry(
                    id=item.id,
                    description=item.description,
                    likelihood=float(item.likelihood),
                    impact=float(item.impact),
                    exposure=_round(item.likelihood * item.impact),
                    residual_likelihood=float(rl),
                    residual_impact=float(ri),
                    residual_exposure=_round(rl * ri),
                    mitigation=item.mitigation,
                    owner=item.owner,
                )
            )
        entries.sort(key=lambda e: (-e.residual_exposure, -e.exposure, e.id))
        out.append(
            OptionRisks(
                option=o,
                risks=entries,
                exposure=_round(sum(e.exposure for e in entries)),
                residual_exposure=_round(sum(e.residual_exposure for e in entries)),
                unowned=[e.id for e in entries if e.owner is None],
            )
        )
    return out


def residual_exposure(risks: Sequence[Sequence[RiskItem]]) -> list[float]:
    """Each option's total residual exposure (the "least risk" tie-breaker).

    >>> residual_exposure([[RiskItem("r", "x", 0.5, 2)], []])
    [1.0, 0.0]
    """
    return [entry.residual_exposure for entry in risk_register(risks)]


def _check_risk(option: int, item: RiskItem) -> None:
    for name, value, lo, hi in (
        ("likelihood", item.likelihood, 0.0, 1.0),
        ("impact", item.impact, 1.0, 5.0),
        ("residual_likelihood", item.residual_likelihood, 0.0, 1.0),
        ("residual_impact", item.residual_impact, 1.0, 5.0),
    ):
        if value is None:
            continue
        if not (np.isfinite(value) and lo <= value <= hi):
            raise InputError(
                f"option {option + 1}, risk {item.id!r}: {name} is {float(value)!r} "
                f"(expected {lo:g} to {hi:g})"
            )


def _round(x: float) -> float:
    return round(float(x), 12)


def stakeholder_lens(
    normalized: FloatArray,
    weights: FloatArray,
    *,
    points: int = 2,
    options: Sequence[int] | None = None,
    option_labels: Sequence[str] | None = None,
    criterion_labels: Sequence[str] | None = None,
) -> list[Lens]:
    """Each stakeholder's pros and cons of each option, from their own weights.

    ``normalized`` is options x criteria (one lens for everyone) or stakeholders x
    options x criteria (each stakeholder's own lens, e.g. their own scores).
    Contribution ``w_sc (r_oc - mean_o r_oc)``; the ``points`` largest positive are
    pros, the ``points`` most negative cons.  ``rank`` is the option's rank on that
    criterion among all options (1 = best).  ``options`` limits which options get a lens
    (default: all), so large cases can ask only about the options under discussion.

    >>> r = np.array([[1.0, 0.0], [0.0, 1.0]])
    >>> lens = stakeholder_lens(r, np.array([[0.9, 0.1]]), points=1, option_labels=["Hold", "Push"],
    ...                         criterion_labels=["margin", "growth"])
    >>> lens[0].pros[0].text, lens[0].cons[0].text
    ('Hold is best of 2 on margin', 'Hold is worst of 2 on growth')
    """
    w = normalize_weight_rows(np.atleast_2d(np.asarray(weights, dtype=np.float64)))
    r = np.asarray(normalized, dtype=np.float64)
    if r.ndim == 2:  # one lens shared by everyone
        r = np.broadcast_to(r, (w.shape[0], *r.shape))
    n_options, n_criteria = r.shape[1], r.shape[2]
    shared = np.asarray(normalized).ndim == 2
    centred = r - r.mean(axis=1, keepdims=True)
    chosen = list(range(n_options)) if options is None else [int(o) for o in options]
    # Rank of each chosen option on each criterion in each lens, 1 = best (ties share the
    # better): options x chosen comparisons only, and once when everyone shares the lens
    # (a full options x options comparison per lens is 1.5 GB at 200 x 500 x 30).
    lens_r = r[:1] if shared else r
    above = lens_r[:, :, None, :] > lens_r[:, None, chosen, :] + 1e-12
    rank_of = 1 + np.sum(above, axis=1)
    ranks = np.broadcast_to(rank_of, (w.shape[0], *rank_of.shape[1:])).tolist()
    # Every stakeholder's contributions at once (stakeholders x options x criteria);
    # an option is worst on c when no option contributes less (min, not a scan).
    contrib = centred * w[:, None, :]
    floor = contrib.min(axis=1) if n_options else np.zeros((w.shape[0], n_criteria))
    picked = contrib[:, chosen, :]
    order = np.argsort(-picked, axis=2, kind="stable").tolist()
    values = picked.tolist()
    worst = (~(floor[:, None, :] < picked - 1e-12)).tolist()
    names = [option_labels[o] if option_labels else f"option {o + 1}" for o in range(n_options)]
    criteria = [
        criterion_labels[c] if criterion_labels else f"criterion {c + 1}" for c in range(n_criteria)
    ]

    def point(s: int, k: int, c: int) -> LensPoint:
        o = chosen[k]
        rank = int(ranks[s][k][c])
        if rank == 1:
            where = f"best of {n_options}"
        elif worst[s][k][c]:
            where = f"worst of {n_options}"
        else:
            where = f"{_ordinal(rank)} of {n_options}"
        return LensPoint(
            criterion=c,
            contribution=_round(values[s][k][c]),
            rank=rank,
            text=f"{names[o]} is {where} on {criteria[c]}",
        )

    out: list[Lens] = []
    for s in range(w.shape[0]):
        for k, o in enumerate(chosen):
            row, ranked = values[s][k], order[s][k]
            pros = [c for c in ranked if row[c] > 1e-12][:points]
            cons = [c for c in reversed(ranked) if row[c] < -1e-12][:points]
            out.append(
                Lens(
                    stakeholder=s,
                    option=o,
                    pros=[point(s, k, c) for c in pros],
                    cons=[point(s, k, c) for c in cons],
                )
            )
    return out


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def effort_impact(effort: FloatArray, impact: FloatArray) -> list[QuadrantPlacement]:
    """Place each option on the effort/impact 2x2, split at the medians.

    >>> [p.quadrant for p in effort_impact(np.array([1.0, 5.0, 1.0, 5.0]),
    ...                                     np.array([0.9, 0.9, 0.1, 0.1]))]
    ['quick win', 'major project', 'fill-in', 'thankless task']
    """
    e = np.asarray(effort, dtype=np.float64)
    i = np.asarray(impact, dtype=np.float64)
    if e.shape != i.shape or e.ndim != 1:
        raise ValueError(f"effort {e.shape} and impact {i.shape} must be equal 1-D arrays")
    if e.size == 0:
        return []
    if not (np.isfinite(e).all() and np.isfinite(i).all()):
        raise InputError("effort and impact must be finite numbers for every option")
    e_mid, i_mid = float(np.median(e)), float(np.median(i))
    out: list[QuadrantPlacement] = []
    for o in range(e.size):
        low_effort, high_impact = e[o] <= e_mid, i[o] >= i_mid
        quadrant: Quadrant
        if low_effort and high_impact:
            quadrant = "quick win"
        elif high_impact:
            quadrant = "major project"
        elif low_effort:
            quadrant = "fill-in"
        else:
            quadrant = "thankless task"
        out.append(QuadrantPlacement(o, float(e[o]), float(i[o]), quadrant))
    return out
