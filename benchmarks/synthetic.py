"""Seeded synthetic cases of any size, for benchmarks and scale tests.

Stakeholders fall into two camps with opposed priorities (like the growth vs margin
story), estimates carry ranges, and a few facts, guardrails and scenarios exist, so
every analysis step has work to do.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from accord.model.case import Case


def synthetic_case(stakeholders: int, options: int, criteria: int, *, seed: int = 0) -> Case:
    """A valid case with the given size; the same arguments give the same case."""
    rng = np.random.default_rng(seed)
    crit = [f"c{j}" for j in range(criteria)]
    opts = [f"o{i}" for i in range(options)]
    people = [f"s{k}" for k in range(stakeholders)]
    likely = rng.uniform(10, 100, size=(options, criteria))
    spread = rng.uniform(0.0, 0.3, size=(options, criteria)) * likely
    camp_bias = rng.dirichlet(np.ones(criteria), size=2)
    data: dict[str, Any] = {
        "accord": 1,
        "id": f"synthetic-{stakeholders}x{options}x{criteria}",
        "title": "Synthetic case",
        "question": "Which option?",
        "decision_owner": people[0],
        "escalation": [people[0]],
        "budget": {"amount": float(options * 50_000), "currency": "USD"},
        "stakeholders": [
            {
                "id": p,
                "name": f"Stakeholder {k}",
                "role": "Executive",
                "raci": "accountable" if k == 0 else ("informed" if k == 1 else "consulted"),
            }
            for k, p in enumerate(people)
        ],
        "criteria": [
            {"id": c, "name": f"Criterion {j}", "direction": "maximise" if j % 3 else "minimise"}
            for j, c in enumerate(crit)
        ],
        "options": [
            {
                "id": o,
                "name": f"Option {i}",
                "cost": float(rng.uniform(10_000, 200_000)),
                "estimates": {
                    c: {
                        "low": float(likely[i, j] - spread[i, j]),
                        "likely": float(likely[i, j]),
                        "high": float(likely[i, j] + spread[i, j]),
                    }
                    for j, c in enumerate(crit)
                },
            }
            for i, o in enumerate(opts)
        ],
        "facts": [
            {
                "id": f"f{n}",
                "statement": f"Fact {n}",
                "value": float(likely[n % options, n % criteria]),
                "source": "synthetic",
                "accepted_by": people[: max(1, stakeholders // 2)],
                "informs": [{"option": opts[n % options], "criterion": crit[n % criteria]}],
            }
            for n in range(min(5, options))
        ],
        "guardrails": [
            {"id": "g0", "criterion": crit[0], "max": float(np.percentile(likely[:, 0], 90))}
        ],
        "scenarios": [
            {"id": "base", "name": "Base", "probability": 0.7},
            {
                "id": "down",
                "name": "Downturn",
                "probability": 0.3,
                "adjustments": [{"criterion": crit[1 % criteria], "multiply": 0.8}],
            },
        ],
        "inputs": {
            p: {
                "weights": {
                    "method": "direct",
                    "values": {
                        c: float(w)
                        for c, w in zip(
                            crit, rng.dirichlet(camp_bias[k % 2] * criteria * 2 + 0.1), strict=True
                        )
                    },
                }
            }
            for k, p in enumerate(people)
        },
    }
    return Case.model_validate(data)
