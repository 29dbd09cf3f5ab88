"""Scenarios: how the options fare in alternative futures.

Each scenario adjusts the likely estimates (``set``, ``add`` or ``multiply``, for one
option or every option of a criterion, applied in the order given), the adjusted
matrix is **re-normalised** (:func:`accord.analysis.normalization.normalize`) and
scored with each stakeholder's weights (weighted sum); the group is the mean of
the stakeholders' utilities, as in :mod:`accord.analysis.mcda`.

- **Expected utility** ``EU_so = Σ_k p_k U_kso`` (von Neumann & Morgenstern 1944).
  Probabilities must sum to 1 (±1e-6) when all are given; when none are given every
  scenario counts equally; when some are missing the rest of the probability mass is
  shared equally among them.
- **Minimax regret** across scenarios: ``ρ_kso = max_o' U_kso' - U_kso``, the option
  with the smallest ``max_k ρ_kso`` (Savage 1951, "The theory of statistical
  decision", *JASA* 46(253), 55-67).
- **Robustness count**: in how many scenarios each option is best (tied options all
  count), and the option best in the most scenarios.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from accord.analysis.mcda import weighted_sum
from accord.analysis.normalization import NormalizationMethod, normalize
from accord.errors import InputError

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]

Operation = Literal["set", "add", "multiply"]

#: Tolerance on the sum of scenario probabilities (the case-file loader uses the same).
PROBABILITY_TOLERANCE = 1e-6
_TIE = 1e-12


@dataclass(frozen=True)
class Adjustment:
    """Change criterion ``criterion``'s estimate of ``option`` (None = every option)."""

    criterion: int
    operation: Operation
    value: float
    option: int | None = None


@dataclass(frozen=True)
class ScenarioSpec:
    """A possible future: a name, an optional probability, its adjustments."""

    name: str
    adjustments: Sequence[Adjustment]
    probability: float | None = None


@dataclass(frozen=True)
class ScenarioOutcome:
    """Utilities in one scenario (stakeholders x options; group last) and who is best."""

    scenario: str
    probability: float
    utilities: list[list[float]]
    group: list[float]
    best: list[int]
    group_best: list[int]


@dataclass(frozen=True)
class ScenarioAnalysis:
    """Per-scenario outcomes, expected utility, minimax regret and robustness."""

    outcomes: list[ScenarioOutcome]
    probabilities: list[float]
    expected: list[list[float]]
    expected_group: list[float]
    expected_best: list[int]
    expected_group_best: int
    max_regret: list[list[float]]
    max_regret_group: list[float]
    minimax_regret: list[int]
    minimax_regret_group: int
    best_count: list[int]
    most_often_best: list[int]
    probability_note: str


def apply_adjustments(
    estimates: FloatArray, adjustments: Sequence[Adjustment], *, scenario: str = "scenario"
) -> FloatArray:
    """A copy of the options x criteria estimates with the adjustments applied in order.

    >>> apply_adjustments(np.array([[10.0, 1.0], [20.0, 2.0]]),
    ...                   [Adjustment(0, "multiply", 0.5), Adjustment(1, "set", 9.0, option=1)])
    array([[ 5.,  1.],
           [10.,  9.]])
    """
    x = np.array(estimates, dtype=np.float64, copy=True)
    for i, adj in enumerate(adjustments):
        where = f"scenario {scenario!r}, adjustment {i + 1}"
        if not 0 <= adj.criterion < x.shape[1]:
            raise InputError(
                f"{where}: criterion index {adj.criterion} (expected below {x.shape[1]})"
            )
        if adj.option is not None and not 0 <= adj.option < x.shape[0]:
            raise InputError(f"{where}: option index {adj.option} (expected below {x.shape[0]})")
        if not np.isfinite(adj.value):
            raise InputError(
                f"{where}: {adj.operation} {float(adj.value)!r} (expected a finite number)"
            )
        rows = slice(None) if adj.option is None else adj.option
        if adj.operation == "set":
            x[rows, adj.criterion] = adj.value
        elif adj.operation == "add":
            x[rows, adj.criterion] += adj.value
        elif adj.operation == "multiply":
            x[rows, adj.criterion] *= adj.value
        else:
            raise InputError(
                f"{where}: operation {adj.operation!r} (expected set, add or multiply)"
            )
    return x


def scenario_probabilities(scenarios: Sequence[ScenarioSpec]) -> tuple[list[float], str]:
    """The probability of each scenario, checked, and how it was obtained.

    >>> scenario_probabilities([ScenarioSpec("a", [], 0.3), ScenarioSpec("b", [])])
    ([0.3, 0.7], 'the 1 scenario(s) without a probability share the remaining 0.7')
    """
    given = [s.probability for s in scenarios]
    for s in scenarios:
        p = s.probability
        if p is not None and not (np.isfinite(p) and 0.0 <= p <= 1.0):
            raise InputError(f"scenario {s.name!r}: probability {float(p)!r} (expected 0 to 1)")
    known = [p for p in given if p is not None]
    total = float(sum(known))
    missing = len(given) - len(known)
    if missing == len(given):
        n = len(given)
        return [1.0 / n] * n, "no probabilities given: every scenario counts equally"
    if missing == 0:
        if abs(total - 1.0) > PROBABILITY_TOLERANCE:
            listing = ", ".join(f"{s.name}={s.probability:g}" for s in scenarios)
            raise InputError(
                f"scenario probabilities sum to {total:g} ({listing}); "
                "expected 1 (±1e-6): the scenarios contradict each other"
            )
        return [float(p) for p in known], "probabilities as given"
    rest = 1.0 - total
    if rest < -PROBABILITY_TOLERANCE:
        raise InputError(
            f"the given scenario probabilities already sum to {total:g} (expected at most 1)"
        )
    share = max(rest, 0.0) / missing
    probs = [float(p) if p is not None else share for p in given]
    return probs, (f"the {missing} scenario(s) without a probability share the remaining {rest:g}")


def evaluate_scenarios(
    estimates: FloatArray,
    maximise: BoolArray,
    weights: FloatArray,
    scenarios: Sequence[ScenarioSpec],
    *,
    method: NormalizationMethod = "vector",
    lens: FloatArray | None = None,
    candidates: Sequence[int] | None = None,
) -> ScenarioAnalysis:
    """Utilities in each scenario, expected utility, minimax regret, robustness.

    ``lens`` (stakeholders x options x criteria) gives each stakeholder's own values
    (their own scores where they score); each scenario adjusts every lens alike.
    ``candidates`` (default: every option) are the options "best", regret and the
    robustness count are taken among, e.g. the feasible ones: the regret of an option in
    a scenario is the best candidate's utility there minus its own.

    >>> x = np.array([[10.0, 5.0], [8.0, 9.0]])
    >>> sa = evaluate_scenarios(x, np.array([True, True]), np.array([[0.6, 0.4]]), [
    ...     ScenarioSpec("boom", [Adjustment(0, "multiply", 2.0, option=0)], 0.5),
    ...     ScenarioSpec("bust", [Adjustment(0, "set", 1.0, option=0)], 0.5)],
    ...     method="minmax")
    >>> [o.best for o in sa.outcomes], sa.minimax_regret, sa.best_count
    ([[0], [1]], [1], [1, 1])
    """
    if not scenarios:
        raise InputError("no scenarios to evaluate (expected at least one)")
    x = np.asarray(estimates, dtype=np.float64)
    if x.ndim != 2 or not np.isfinite(x).all():
        raise InputError("estimates must be a complete options x criteria table of numbers")
    up = np.asarray(maximise, dtype=np.bool_)
    w = np.atleast_2d(np.asarray(weights, dtype=np.float64))
    probs, note = scenario_probabilities(scenarios)
    pool = np.arange(x.shape[0]) if candidates is None else np.array(sorted(candidates), dtype=int)
    if pool.size == 0:
        raise InputError("no candidate options to compare across scenarios (expected one)")
    lenses = None if lens is None else np.asarray(lens, dtype=np.float64)
    per: list[FloatArray] = []  # each (stakeholders + 1) x options
    outcomes: list[ScenarioOutcome] = []
    for spec, p in zip(scenarios, probs, strict=True):
        if lenses is None:
            xs = apply_adjustments(x, spec.adjustments, scenario=spec.name)
            u = weighted_sum(normalize(xs, up, method=method), w)
        else:
            u = np.array(
                [
                    weighted_sum(
                        normalize(
                            apply_adjustments(own, spec.adjustments, scenario=spec.name),
                            up,
                            method=method,
                        ),
                        w[s],
                    )
                    for s, own in enumerate(lenses)
                ]
            ).reshape(w.shape[0], x.shape[0])
        full = np.vstack([u, u.mean(axis=0, keepdims=True)])
        per.append(full)
        outcomes.append(
            ScenarioOutcome(
                scenario=spec.name,
                probability=p,
                utilities=u.tolist(),
                group=full[-1].tolist(),
                best=[_argbest(row, pool) for row in u],
                group_best=_best(full[-1], pool),
            )
        )
    stack = np.stack(per)  # scenarios x (stakeholders + 1) x options
    expected = np.tensordot(np.asarray(probs), stack, axes=1)
    regret = stack[:, :, pool].max(axis=2, keepdims=True) - stack
    worst = regret.max(axis=0)
    count = np.zeros(x.shape[0], dtype=np.int64)
    for k in range(stack.shape[0]):
        count[_best(stack[k, -1], pool)] += 1
    return ScenarioAnalysis(
        outcomes=outcomes,
        probabilities=probs,
        expected=expected[:-1].tolist(),
        expected_group=expected[-1].tolist(),
        expected_best=[_argbest(row, pool) for row in expected[:-1]],
        expected_group_best=_argbest(expected[-1], pool),
        max_regret=worst[:-1].tolist(),
        max_regret_group=worst[-1].tolist(),
        minimax_regret=[_argbest(-row, pool) for row in worst[:-1]],
        minimax_regret_group=_argbest(-worst[-1], pool),
        best_count=count.tolist(),
        most_often_best=_best(count.astype(np.float64), pool),
        probability_note=note,
    )


def _best(u: FloatArray, pool: NDArray[np.int64]) -> list[int]:
    """Every candidate within the tie tolerance of the best candidate."""
    top = u[pool].max()
    return [int(o) for o in pool if u[o] >= top - _TIE]


def _argbest(u: FloatArray, pool: NDArray[np.int64]) -> int:
    return int(pool[int(np.argmax(u[pool]))])
