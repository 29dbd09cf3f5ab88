"""A stakeholder's form fields <-> :class:`StakeholderInputs`, for every elicitation method.

Field names (all optional; a blank field says nothing):

- ``weights.method``: ``direct`` (default), ``points``, ``rank`` or ``ahp``; only the chosen
  method's fields are read.
- ``w.<criterion>`` direct weight; ``points.<criterion>`` share of 100 points;
  ``crank.<criterion>`` position of the criterion (1 = most important, equal numbers tie);
  ``ahp.<a>.<b>`` how many times ``a`` matters more than ``b`` on Saaty's scale
  (``1/3`` means ``b`` matters three times more).
- ``rank.<option>`` position (equal numbers tie), ``rating.<option>`` 0-10, ``approve``
  (repeated) option ids, ``score.<option>.<criterion>`` for criteria scored by
  stakeholders, ``vote.<statement>``, ``notes``.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from pydantic import ValidationError

from accord.errors import AccordError, InputError, Location, Problem
from accord.io.loader import is_case_number
from accord.model.case import Case
from accord.model.inputs import AhpWeights, RankEntry, RankWeights, StakeholderInputs

VOTES = ("agree", "disagree", "pass")
METHODS = ("direct", "points", "rank", "ahp")
# Saaty's 1-9 scale with its intermediate values (Saaty 1980, table 1.1), from "a far more"
# through "equal" to "b far more".
SAATY = (*(str(n) for n in range(9, 1, -1)), "1", *(f"1/{n}" for n in range(2, 10)))
SAATY_WORDS = {
    "9": "extremely more",
    "8": "very strongly to extremely more",
    "7": "very strongly more",
    "6": "strongly to very strongly more",
    "5": "strongly more",
    "4": "moderately to strongly more",
    "3": "moderately more",
    "2": "slightly more",
    "1": "equally",
}

Fields = Mapping[str, str]


def number(fields: Fields, key: str, problems: list[Problem]) -> float | None:
    """The number in ``fields[key]`` (None when blank); a bad one adds a located problem."""
    text = fields.get(key, "").strip()
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        problems.append(Problem(f"'{text[:40]}' is not a number", Location(field=key)))
        return None
    if not is_case_number(value):  # the case loader's rule, so a form cannot store more
        problems.append(
            Problem(f"expected a finite number, got {text[:40]!r}", Location(field=key))
        )
        return None
    return value


def _ratio(fields: Fields, key: str, problems: list[Problem]) -> float | None:
    text = fields.get(key, "").strip()
    if not text:
        return None
    try:
        value = float(Fraction(text))
    except (ValueError, ZeroDivisionError):
        problems.append(Problem(f"'{text[:40]}' is not a ratio like 3 or 1/3", Location(field=key)))
        return None
    if not 1 / 9 - 1e-9 <= value <= 9 + 1e-9:
        problems.append(Problem(f"{text} is outside 1/9..9 (Saaty's scale)", Location(field=key)))
        return None
    return value


def tiers(positions: Mapping[str, float]) -> list[RankEntry]:
    """Ids by position, best first; equal positions are a tie (an inner list)."""
    grouped: dict[float, list[str]] = {}
    for key, position in positions.items():
        grouped.setdefault(position, []).append(key)
    return [t[0] if len(t) == 1 else t for _, t in sorted(grouped.items())]


def criterion_pairs(case: Case) -> list[tuple[str, str]]:
    """Every pair of criteria once, in case order: the AHP judgements a form asks for."""
    return list(itertools.combinations([c.id for c in case.criteria], 2))


def ahp_judgements(case: Case, fields: Fields, problems: list[Problem]) -> list[dict[str, Any]]:
    """The ``ahp.<a>.<b>`` fields as AHP judgements (``more`` at least as important)."""
    judgements = []
    for a, b in criterion_pairs(case):
        ratio = _ratio(fields, f"ahp.{a}.{b}", problems)
        if ratio is None:
            continue
        if ratio >= 1:
            judgements.append({"more": a, "less": b, "ratio": ratio})
        else:
            judgements.append({"more": b, "less": a, "ratio": 1 / ratio})
    return judgements


def _weights(case: Case, fields: Fields, problems: list[Problem]) -> dict[str, Any] | None:
    method = fields.get("weights.method", "direct") or "direct"
    if method not in METHODS:
        problems.append(
            Problem(
                f"unknown method {method[:40]!r} (expected one of {', '.join(METHODS)})",
                Location(field="weights.method"),
            )
        )
        return None
    if method == "ahp":
        judgements = ahp_judgements(case, fields, problems)
        return {"method": "ahp", "judgements": judgements} if judgements else None
    prefix = {"direct": "w", "points": "points", "rank": "crank"}[method]
    values = {
        c.id: v
        for c in case.criteria
        if (v := number(fields, f"{prefix}.{c.id}", problems)) is not None
    }
    if not values:
        return None
    if method == "rank":
        return {"method": "rank", "order": tiers(values)}
    return {"method": method, "values": values}


def _per_option(
    case: Case, fields: Fields, prefix: str, problems: list[Problem]
) -> dict[str, float]:
    return {
        o.id: v
        for o in case.options
        if (v := number(fields, f"{prefix}.{o.id}", problems)) is not None
    }


def inputs_from_form(case: Case, fields: Fields, approvals: Iterable[str]) -> StakeholderInputs:
    """The form's fields as :class:`StakeholderInputs`; blank fields are left out.

    Raises :class:`InputError` naming each bad field, and when the form says nothing at all
    (an empty submission must not count as inputs given).
    """
    problems: list[Problem] = []
    data: dict[str, Any] = {}
    weights = _weights(case, fields, problems)
    if weights is not None:
        data["weights"] = weights
    ranks = _per_option(case, fields, "rank", problems)
    if ranks:
        data["ranking"] = tiers(ranks)
    ratings = _per_option(case, fields, "rating", problems)
    if ratings:
        data["ratings"] = ratings
    known = {o.id for o in case.options}
    chosen = [a for a in approvals if a in known]
    if chosen:
        data["approvals"] = chosen
    scores: dict[str, dict[str, float]] = {}
    for choice in case.options:
        for criterion in case.criteria:
            if not criterion.scored_by_stakeholders:
                continue
            value = number(fields, f"score.{choice.id}.{criterion.id}", problems)
            if value is not None:
                scores.setdefault(choice.id, {})[criterion.id] = value
    if scores:
        data["scores"] = scores
    votes = {
        s.id: fields[f"vote.{s.id}"] for s in case.statements if fields.get(f"vote.{s.id}") in VOTES
    }
    if votes:
        data["statement_votes"] = votes
    if fields.get("notes", "").strip():
        data["notes"] = fields["notes"].strip()
    if problems:
        raise InputError.from_problems(problems)
    if weights is not None and weights["method"] == "ahp":
        # The analysis needs every criterion linked; say so now rather than on the dashboard.
        checked = consistency(case, fields)
        if checked is not None and checked.problem is not None:
            raise InputError.from_problems(
                [Problem(checked.problem, Location(field="weights.judgements"))]
            )
    if not data:
        raise InputError(
            "nothing to save: the form is empty (expected at least one weight, ranking, "
            "rating, approval, score, statement vote or note)"
        )
    try:
        return StakeholderInputs.model_validate(data)
    except ValidationError as error:
        raise InputError.from_problems(
            [
                Problem(e["msg"], Location(field=".".join(str(p) for p in e["loc"])))
                for e in error.errors()
            ]
        ) from None


def _positions(order: list[RankEntry], put: Callable[[str, int], None]) -> None:
    for position, entry in enumerate(order, start=1):
        for key in [entry] if isinstance(entry, str) else entry:
            put(key, position)


def _ratio_text(ratio: float) -> str:
    """A ratio as the form writes it (``3``, ``1/3``, or ``1.5`` off the scale's steps)."""
    if ratio >= 1:
        return f"{ratio:g}"
    inverse = 1 / ratio
    if abs(inverse - round(inverse)) < 1e-9:
        return f"1/{round(inverse):d}"
    return f"{ratio:g}"


def form_values(case: Case, inputs: StakeholderInputs) -> dict[str, str]:
    """The form's field values for ``inputs`` (the inverse of :func:`inputs_from_form`)."""
    values: dict[str, str] = {}
    weights = inputs.weights
    if weights is not None:
        values["weights.method"] = weights.method if weights.method in METHODS else "direct"
        if isinstance(weights, RankWeights):
            _positions(weights.order, lambda c, p: values.__setitem__(f"crank.{c}", str(p)))
        elif isinstance(weights, AhpWeights):
            pairs = set(criterion_pairs(case))
            for j in weights.judgements:
                if (j.more, j.less) in pairs:
                    values[f"ahp.{j.more}.{j.less}"] = _ratio_text(j.ratio)
                else:
                    values[f"ahp.{j.less}.{j.more}"] = _ratio_text(1 / j.ratio)
        else:
            prefix = "points" if weights.method == "points" else "w"
            for criterion, value in weights.values.items():
                values[f"{prefix}.{criterion}"] = f"{value:g}"
    _positions(inputs.ranking, lambda o, p: values.__setitem__(f"rank.{o}", str(p)))
    for option, rating in inputs.ratings.items():
        values[f"rating.{option}"] = f"{rating:g}"
    for option in inputs.approvals:
        values[f"approve.{option}"] = "checked"
    for option, row in inputs.scores.items():
        for criterion, value in row.items():
            values[f"score.{option}.{criterion}"] = f"{value:g}"
    for statement, vote in inputs.statement_votes.items():
        values[f"vote.{statement}"] = str(vote)
    values["notes"] = inputs.notes or ""
    return values


def ordered(ids: list[str], values: Fields, prefix: str) -> list[str]:
    """``ids`` by their position fields (``<prefix>.<id>``), unranked ones last in case order."""

    def key(item: tuple[int, str]) -> tuple[float, int]:
        text = values.get(f"{prefix}.{item[1]}", "")
        try:
            return (float(text), item[0])
        except ValueError:
            return (float("inf"), item[0])

    return [i for _, i in sorted(enumerate(ids), key=key)]


@dataclass(frozen=True)
class Consistency:
    """How consistent the pairwise judgements typed so far are, by the engine's own AHP."""

    cr: float | None  # None when the judgements cannot be solved yet (see ``problem``)
    threshold: float
    consistent: bool
    weights: list[tuple[str, float]]  # criterion name, weight; largest first
    worst: str | None  # the least consistent triad, "A / B / C"
    completed: int  # pairs left blank that the engine fills in
    problem: str | None


def consistency(case: Case, fields: Fields) -> Consistency | None:
    """The consistency ratio of the ``ahp.*`` fields, computed by
    :func:`accord.analysis.weights.ahp_weights` (Saaty 1980), so the ratio a stakeholder sees
    while typing is the one the analysis reports.  None when no pair is judged yet."""
    # Imported here: the analysis modules (numpy) load only when first needed.
    from accord.analysis.weights import CONSISTENCY_THRESHOLD, ahp_weights

    problems: list[Problem] = []
    judgements = ahp_judgements(case, fields, problems)
    if not judgements:
        return None
    index = {c.id: i for i, c in enumerate(case.criteria)}
    names = [c.name for c in case.criteria]
    triples = [(index[j["more"]], index[j["less"]], float(j["ratio"])) for j in judgements]
    try:
        result = ahp_weights(len(names), triples, labels=names)
    except AccordError as error:
        return Consistency(None, CONSISTENCY_THRESHOLD, False, [], None, 0, str(error))
    worst = result.worst_triad
    return Consistency(
        cr=result.cr,
        threshold=CONSISTENCY_THRESHOLD,
        consistent=result.is_consistent,
        weights=sorted(zip(names, result.weights, strict=True), key=lambda p: -p[1]),
        worst=" / ".join(names[c] for c in worst.criteria) if worst is not None else None,
        completed=len(result.completed),
        problem=None,
    )
