"""Duplicated initiatives (options, with the budget at stake), duplicated ideas, themes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from accord.analysis.duplicates_judgements import Judgement, PairKey, pair_key
from accord.analysis.duplicates_search import word_vectors_for
from accord.analysis.sections.text import DuplicateFindings
from accord.analysis.text import DEFAULT_VECTOR_THRESHOLD, Duplicates, near_duplicates, themes
from accord.analysis.tokens import content_words
from accord.model.case import Case
from accord.model.options import Option


def option_text(option: Option) -> str:
    """What an option is compared by: its name, then its description."""
    return f"{option.name}. {option.description or ''}".strip()


def duplicate_texts(case: Case) -> list[str]:
    """Every text that near-duplicate detection compares: options, then ideas, each once.

    These are the keys ``analyze(text_vectors=...)`` needs a vector for.
    """
    texts = [option_text(o) for o in case.options] + [i.text for i in case.ideas]
    return list(dict.fromkeys(texts))


def duplicate_words(case: Case) -> list[str]:
    """The content words of :func:`duplicate_texts`, each once: with a vector for each in
    ``analyze(text_vectors=...)``, swapped parts of a pair are compared by meaning."""
    return list(dict.fromkeys(w for t in duplicate_texts(case) for w in content_words(t)))


def judgements_of(case: Case, of: str) -> dict[PairKey, Judgement]:
    """The case's judgements on pairs of options (``of="options"``) or ideas, keyed by the
    pair of references ``option:<id>`` / ``idea:<id>`` that near-duplicate detection uses."""
    prefix = "option" if of == "options" else "idea"
    return {
        pair_key(f"{prefix}:{j.pair[0]}", f"{prefix}:{j.pair[1]}"): Judgement(
            j.verdict, j.by, j.date
        )
        for j in case.duplicate_judgements
        if j.of == of
    }


def vectors_for(
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


def option_duplicates(
    case: Case,
    text_vectors: Mapping[str, Sequence[float]] | None,
    vector_threshold: float | None = None,
    vector_neighbours: int | None = None,
) -> Duplicates | None:
    """Options that are near-duplicates of each other (they compete for the same budget)."""
    if len(case.options) < 2:
        return None
    texts = [option_text(o) for o in case.options]
    return near_duplicates(
        [f"option:{o.id}" for o in case.options],
        texts,
        teams=[o.team for o in case.options],
        costs=[o.cost for o in case.options],
        vectors=vectors_for(texts, text_vectors),
        vector_threshold=vector_threshold or DEFAULT_VECTOR_THRESHOLD,
        judgements=judgements_of(case, "options"),
        word_vectors=word_vectors_for(texts, text_vectors),
        vector_neighbours=vector_neighbours,
    )


def duplicates_section(
    case: Case,
    option_copies: Duplicates | None,
    text_vectors: Mapping[str, Sequence[float]] | None,
    vector_threshold: float | None = None,
    vector_neighbours: int | None = None,
) -> DuplicateFindings | None:
    """Options and ideas are clustered separately: an interview idea that restates an
    initiative is not a second budget line, and mixing them would count money twice."""
    if option_copies is None and len(case.ideas) < 2:
        return None
    rule = (vector_threshold, vector_neighbours)
    idea_ids = [f"idea:{i.id}" for i in case.ideas]
    idea_texts = [i.text for i in case.ideas]
    ideas = None
    found_themes = []
    if len(case.ideas) >= 2:
        ideas = near_duplicates(
            idea_ids,
            idea_texts,
            teams=[i.team for i in case.ideas],
            costs=[i.cost for i in case.ideas],
            vectors=vectors_for(idea_texts, text_vectors),
            vector_threshold=vector_threshold or DEFAULT_VECTOR_THRESHOLD,
            judgements=judgements_of(case, "ideas"),
            word_vectors=word_vectors_for(idea_texts, text_vectors),
            vector_neighbours=vector_neighbours,
        )
        found_themes = themes(idea_ids, idea_texts, **_meaning(idea_texts, text_vectors, *rule))
    texts = {f"option:{o.id}": option_text(o) for o in case.options}
    texts.update(zip(idea_ids, idea_texts, strict=True))
    option_texts = [option_text(o) for o in case.options]
    option_themes = (
        themes(
            [f"option:{o.id}" for o in case.options],
            option_texts,
            **_meaning(option_texts, text_vectors, *rule),
        )
        if len(case.options) >= 2
        else []
    )
    return DuplicateFindings(option_copies, ideas, found_themes, texts, option_themes)


def _meaning(
    texts: Sequence[str],
    text_vectors: Mapping[str, Sequence[float]] | None,
    vector_threshold: float | None,
    vector_neighbours: int | None,
) -> dict[str, Any]:
    """The ``themes`` keyword arguments that add meaning (none without vectors)."""
    if text_vectors is None:
        return {}
    return {
        "vectors": vectors_for(texts, text_vectors),
        "word_vectors": word_vectors_for(texts, text_vectors),
        "vector_threshold": vector_threshold or DEFAULT_VECTOR_THRESHOLD,
        "vector_neighbours": vector_neighbours,
    }
