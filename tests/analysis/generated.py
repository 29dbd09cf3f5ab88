"""Generated cases for the claim checks: small, varied, valid case files.

A hypothesis strategy composes a case the way facilitators write them: 2-6 options with
point or ranged estimates on 1-4 criteria (some scored by the stakeholders themselves),
1-5 stakeholders weighting by any of the five methods (some giving no weights), optional
costs and budget, guardrails that exclude some options, facts that inform estimates.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from accord.model.case import Case

VALUES = st.integers(0, 200).map(lambda v: v / 2)


@st.composite
def weights(draw: st.DrawFn, criteria: list[str]) -> dict[str, Any] | None:
    method = draw(st.sampled_from(["direct", "points", "swing", "rank", "ahp", "none"]))
    if method == "none":
        return None
    if method == "direct":
        values = [draw(st.integers(0, 10)) for _ in criteria]
        if sum(values) == 0:
            values[0] = 1
        return {"method": "direct", "values": dict(zip(criteria, values, strict=True))}
    if method == "points":
        cuts = sorted(draw(st.lists(st.integers(0, 100), min_size=len(criteria) - 1,
                                    max_size=len(criteria) - 1)))  # fmt: skip
        bounds = [0, *cuts, 100]
        points = [b - a for a, b in zip(bounds, bounds[1:], strict=False)]
        return {"method": "points", "values": dict(zip(criteria, points, strict=True))}
    if method == "swing":
        swings = [draw(st.integers(0, 100)) for _ in criteria]
        swings[draw(st.integers(0, len(criteria) - 1))] = 100
        return {"method": "swing", "values": dict(zip(criteria, swings, strict=True))}
    if method == "rank":
        return {"method": "rank", "order": draw(st.permutations(criteria))}
    if len(criteria) < 2:
        return {"method": "direct", "values": {criteria[0]: 1}}
    pairs = [(a, b) for i, a in enumerate(criteria) for b in criteria[i + 1 :]]
    judgements = [
        {"more": a, "less": b, "ratio": draw(st.sampled_from([1, 2, 3, 5, 7, 9]))}
        if draw(st.booleans())
        else {"more": b, "less": a, "ratio": draw(st.sampled_from([1, 2, 3, 5, 7, 9]))}
        for a, b in pairs
    ]
    return {"method": "ahp", "judgements": judgements}


@st.composite
def estimate(draw: st.DrawFn) -> Any:
    likely = draw(VALUES)
    if draw(st.booleans()):
        return likely
    low = likely - draw(st.integers(0, 20)) / 2
    high = likely + draw(st.integers(0, 20)) / 2
    return {"low": low, "likely": likely, "high": high}


@st.composite
def cases(draw: st.DrawFn, *, portfolio: bool | None = None) -> Case:
    """One valid case (validated by the model, as the loader does)."""
    n_c = draw(st.integers(1, 4))
    n_o = draw(st.integers(2, 6))
    n_s = draw(st.integers(1, 5))
    criteria = [f"c{k}" for k in range(n_c)]
    options = [f"o{k}" for k in range(n_o)]
    people = [f"s{k}" for k in range(n_s)]
    own = [draw(st.booleans()) and draw(st.booleans()) for _ in criteria]
    kind = (
        ("portfolio" if draw(st.booleans()) and draw(st.booleans()) else "choose_one")
        if portfolio is None
        else ("portfolio" if portfolio else "choose_one")
    )
    costed = kind == "portfolio" or draw(st.booleans())
    data: dict[str, Any] = {
        "accord": 1,
        "id": "generated",
        "title": "Generated case",
        "question": "Which option?",
        "decision_kind": kind,
        "stakeholders": [
            {
                "id": s,
                "name": f"Person {s}",
                "raci": draw(
                    st.sampled_from(["accountable", "responsible", "consulted", "informed", None])
                ),
            }
            for s in people
        ],  # fmt: skip
        "criteria": [
            {
                "id": c,
                "name": f"Criterion {c}",
                "direction": draw(st.sampled_from(["maximise", "minimise"])),
                "scored_by_stakeholders": own[k],
            }
            for k, c in enumerate(criteria)
        ],
        "options": [
            {
                "id": o,
                "name": f"Option {o}",
                "estimates": {c: draw(estimate()) for k, c in enumerate(criteria) if not own[k]},
                **({"cost": draw(st.integers(1, 10)) * 10} if costed else {}),
            }
            for o in options
        ],
        "inputs": {},
    }
    for s in people:
        given: dict[str, Any] = {}
        w = draw(weights(criteria))
        if w is not None:
            given["weights"] = w
        scores = {
            o: {c: draw(VALUES) for k, c in enumerate(criteria) if own[k] and draw(st.booleans())}
            for o in options
        }
        scores = {o: v for o, v in scores.items() if v}
        if scores:
            given["scores"] = scores
        if given:
            data["inputs"][s] = given
    guarded = [c for k, c in enumerate(criteria) if not own[k]]
    for g in range(draw(st.integers(0, 2)) if guarded else 0):
        c = draw(st.sampled_from(guarded))
        bound = draw(VALUES)
        side = draw(st.sampled_from(["min", "max"]))
        data.setdefault("guardrails", []).append({"id": f"g{g}", "criterion": c, side: bound})
    if costed and (kind == "portfolio" or draw(st.booleans())):
        data["budget"] = {"amount": draw(st.integers(1, 30)) * 10, "currency": "EUR"}
    for f in range(draw(st.integers(0, 2)) if guarded else 0):
        where = {
            "option": draw(st.sampled_from(options)),
            "criterion": draw(st.sampled_from(guarded)),
        }
        data.setdefault("facts", []).append(
            {
                "id": f"f{f}",
                "statement": f"Fact {f}",
                "source": "generated",
                "value": draw(VALUES),
                "accepted_by": draw(st.lists(st.sampled_from(people), unique=True)),
                "informs": [where],
            }
        )
    return Case.model_validate(data)
