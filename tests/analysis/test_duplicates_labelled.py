"""The labelled duplicate / related / unrelated pairs (tests/data/duplicates/labelled.csv) and
accord's accuracy on their held-out half, read through benchmarks/duplicates.py (issue 16).

Floors sit a little under the figures measured when the constants were fixed (on the
development half only); docs/duplicates.md records the figures themselves.
"""

from __future__ import annotations

import importlib.util
from collections import Counter
from typing import Any

import pytest


@pytest.fixture(scope="module")
def bench(benchmark_module: Any) -> Any:
    return benchmark_module("duplicates")


def test_the_labelled_set_is_big_varied_and_split(bench: Any) -> None:
    dev, heldout = bench.labelled("dev"), bench.labelled("heldout")
    rows = dev + heldout
    assert len(rows) >= 150
    assert (
        {r["label"] for r in dev}
        == {r["label"] for r in heldout}
        == {
            "duplicate",
            "related",
            "unrelated",
        }
    )
    languages = Counter(r["lang"] for r in rows)
    assert {"en", "de", "fr", "es"} <= set(languages)
    assert len({r["domain"] for r in rows}) >= 15
    # No text of the held-out half appears in the development half.
    seen = {t for r in dev for t in (r["text_a"], r["text_b"])}
    assert not any(t in seen for r in heldout for t in (r["text_a"], r["text_b"]))


def test_lexical_never_counts_related_work_as_redundant_where_the_old_rule_did(
    bench: Any,
) -> None:
    rows = bench.labelled("heldout")
    old = bench.scores(rows, bench.tfidf_outcomes(rows))
    lexical = bench.scores(rows, bench.outcomes(rows, None, None))
    assert old["related_counted_as_redundant"] >= 20
    assert lexical["related_counted_as_redundant"] == 0
    assert lexical["precision"] > old["precision"]


@pytest.mark.skipif(
    importlib.util.find_spec("wordllama") is None, reason="accord[semantic] not installed"
)
@pytest.mark.parametrize("split", ["dev", "heldout"])
def test_with_the_semantic_extra_precision_and_recall_reach_the_issues_target(
    bench: Any, split: str
) -> None:
    from accord.io.semantic import packaged_meaning

    meaning = packaged_meaning()
    assert meaning.encoder is not None, meaning.note
    rows = bench.labelled(split)
    got = bench.scores(
        rows, bench.outcomes(rows, meaning.encoder, meaning.threshold, meaning.neighbours)
    )
    # Measured when the swapped-part rule required the shared words in order (chosen on
    # dev; held-out read once): dev 0.968 / 0.938, held-out 0.946 / 0.921 (35 of 38).
    # Before it: dev 0.964 / 0.844, held-out 0.944 / 0.895.
    assert got["precision"] >= 0.9 and got["recall"] >= 0.9
    assert got["related_counted_as_redundant"] == 0
    lexical = bench.scores(rows, bench.outcomes(rows, None, None))
    assert got["recall"] > 5 * lexical["recall"]
