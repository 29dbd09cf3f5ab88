"""What ``analyze`` needs to compare a case's options and ideas by meaning: one definition
for ``accord analyze``, ``accord report`` and the web app's analyses (issue 16)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from accord.io.semantic import Meaning, meaning_unless_off

if TYPE_CHECKING:
    from accord.model.case import Case


def meaning_options(case: Case, meaning: Meaning | None = None) -> dict[str, Any]:
    """``analyze(case, **meaning_options(case))`` keyword arguments: the vectors of the
    case's texts and content words from ``meaning`` (default: the packaged model unless
    ``ACCORD_SEMANTIC=off``), or none when no model is available (words only)."""
    meaning = meaning_unless_off() if meaning is None else meaning
    if meaning.encoder is None:
        return {}
    from accord.analysis.assemble.text import duplicate_texts, duplicate_words

    keys = list(dict.fromkeys(duplicate_texts(case) + duplicate_words(case)))
    return {
        "text_vectors": dict(zip(keys, meaning.encoder(keys).tolist(), strict=True)),
        "embeddings_model": meaning.model,
        "vector_threshold": meaning.threshold,
        "vector_neighbours": meaning.neighbours,
    }
