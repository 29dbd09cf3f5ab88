"""Crux sentences state the number shown, the direction, and what would settle it."""

from __future__ import annotations

import numpy as np

from accord.analysis.crux.explain import Labels, crux_sentence, if_otherwise, number, with_unit
from accord.analysis.crux.lenses import Lenses
from accord.analysis.crux.search import FactLink, find_cruxes

LABELS = Labels(
    stakeholders=["Sam", "Priya"],
    options=["None", "Partial personalisation", "Full personalisation"],
    criteria=["Privacy risk", "Revenue"],
    units=[None, "%"],
)


def privacy() -> Lenses:
    likely = np.array([[0.1, 10.0], [0.55, 14.0], [0.9, 18.0]])
    low = np.array([[0.1, 10.0], [0.3, 12.0], [0.8, 15.0]])
    high = np.array([[0.1, 10.0], [0.7, 16.0], [0.95, 20.0]])
    return Lenses.build(
        likely, np.array([[0.615, 0.385], [0.2, 0.8]]), np.array([False, True]),
        method="minmax", low=low, high=high,
    )  # fmt: skip


def test_estimate_crux_sentence_names_range_and_the_deciding_fact() -> None:
    dpia = FactLink("the DPIA outcome", option=1, criterion=0, accepted_by=(0, 1))
    found = find_cruxes(privacy(), facts=[dpia], challengers="all", per_stakeholder=20)
    f = next(x for x in found.findings if x.row == 0 and x.varied == 1 and x.criterion == 0)
    assert not f.above and f.shown <= f.threshold
    assert crux_sentence(f, LABELS) == (
        f"Sam would prefer Partial personalisation over None if Partial personalisation's "
        f"privacy risk were below {number(f.shown, 15)} (today 0.55, range 0.3–0.7) — "
        "the DPIA outcome decides this."
    )
    assert if_otherwise(f, LABELS).startswith(
        "Partial personalisation is better than None for Sam if Partial personalisation's "
        "privacy risk is below"
    )
    assert if_otherwise(f, LABELS).endswith("; otherwise None.")


def test_numbers_read_as_people_write_them() -> None:
    assert [number(1150), number(52.8), number(-0.0), number(0.00042)] == [
        "1,150",
        "52.8",
        "0",
        "0.00042",
    ]
    assert with_unit("12", "%") == "12%"
    assert with_unit("4", "1-5") == "4 (scale 1-5)"
    assert with_unit("3", "USD m") == "3 USD m"
