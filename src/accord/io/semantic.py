"""Meaning out of the box: the model the ``accord[semantic]`` extra installs (wordllama).

`wordllama <https://github.com/dleemiller/WordLlama>`_ (MIT) ships its 256-dimension
``l2_supercat`` static token embeddings (16 MB of safetensors, with their tokenizer) inside
the PyPI package, and needs numpy, tokenizers and safetensors but no torch.  accord loads
those packaged files and nothing else: wordllama's own loader would ask the Hugging Face hub
for a file it already ships (it looks in the wrong folder), so the files are named directly
and downloads are disabled.

docs/duplicates.md compares it with all-MiniLM-L6-v2 (sentence-transformers on a CPU torch)
on the held-out labelled pairs: the scores are close, the install is 16 MB against ~1 GB.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from accord.io.embeddings import TextEncoder

# What the provenance and the output call it.
PACKAGED_MODEL = "wordllama l2_supercat 256-d (accord[semantic])"
# Cosine of two texts' wordllama vectors at or above which they may be the same work, when
# they are also mutual PACKAGED_NEIGHBOURS-nearest neighbours.  The cosine is the best F1
# with precision >= 0.9 on the development half of tests/data/duplicates/labelled.csv at
# that k; k is capped at 2 by lists the labelled set does not hold: with k = 3 or more,
# alternatives within one domain (examples/*.yaml: 26 workshop ideas, 5 launch options)
# all became mutual neighbours.  The held-out half was not used.  A static model's cosines
# run lower than a sentence transformer's, hence far below model2vec's 0.75.
PACKAGED_THRESHOLD = 0.25
PACKAGED_NEIGHBOURS = 2
_CONFIG, _DIM = "l2_supercat", 256
_INSTALL = "pip install 'accord[semantic]'"


@dataclass(frozen=True)
class Meaning:
    """An encoder, its name, and the cosine at which its vectors mean the same work; or,
    when none could be loaded, why (``encoder`` None)."""

    model: str | None
    threshold: float | None
    encoder: TextEncoder | None
    note: str
    neighbours: int | None = None


def packaged_meaning() -> Meaning:
    """The packaged model when the extra is installed; otherwise the lexical fallback, with
    the reason in ``note`` (never an exception: the core install compares words only)."""
    try:
        import wordllama
        from wordllama import WordLlama
    except ImportError:
        return Meaning(None, None, None, f"lexical only: install {_INSTALL} to compare meaning")
    folder = Path(wordllama.__file__).parent
    logging.getLogger("wordllama").setLevel(logging.ERROR)
    try:
        model = WordLlama.load(config=_CONFIG, dim=_DIM, cache_dir=folder, disable_download=True)
    # wordllama, safetensors and tokenizers raise their own, unrelated error types.
    except Exception as error:
        return Meaning(
            None,
            None,
            None,
            f"lexical only: the packaged wordllama model in {folder} could not be loaded "
            f"({error}); reinstall it with {_INSTALL}",
        )

    def encode(texts: Sequence[str]) -> np.typing.NDArray[np.float64]:
        if len(texts) == 0:
            return np.zeros((0, _DIM))
        rows = model.embed(list(texts), norm=True)
        return np.asarray(rows, dtype=np.float64).reshape(len(texts), _DIM)

    return Meaning(
        PACKAGED_MODEL,
        PACKAGED_THRESHOLD,
        encode,
        f"meaning: {PACKAGED_MODEL}",
        PACKAGED_NEIGHBOURS,
    )
