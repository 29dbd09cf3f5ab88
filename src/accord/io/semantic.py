"""Meaning out of the box: the model the ``accord[semantic]`` extra installs (wordllama).

`wordllama <https://github.com/dleemiller/WordLlama>`_ (MIT) ships its 256-dimension
``l2_supercat`` static token embeddings (16 MB of safetensors, with their tokenizer) inside
the PyPI package.  accord reads those two files itself, with ``tokenizers`` and
``safetensors`` (wordllama's own dependencies), and never imports wordllama: its import
pulls pydantic, requests and the hub client (1.8 s of the 3 s a load cost), and its loader
asks the Hugging Face hub for a file it already ships.  Nothing is downloaded.

A text's vector is the mean of its tokens' embeddings, as ``WordLlama.embed`` computes it
(average pooling, then unit length); a text with no token gets a row of zeros.

docs/duplicates.md compares it with all-MiniLM-L6-v2 (sentence-transformers on a CPU torch)
on the held-out labelled pairs: the scores are close, the install is 16 MB against ~1 GB.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from accord.io.embeddings import TextEncoder

# What the provenance and the output call it.
PACKAGED_MODEL = "wordllama l2_supercat 256-d (accord[semantic])"
# Meaning score ((cosine + soft word overlap) / 2, accord.analysis.duplicates_search) at or
# above which two texts may be the same work, when one is among the other's
# PACKAGED_NEIGHBOURS best-scoring texts.  Both are the best F1 with precision >= 0.9 on the
# development half of tests/data/duplicates/labelled.csv (grid: score 0.10..0.45, k in 2, 3,
# 5, mutual or either side); the held-out half was read once, afterwards.  A static model's
# cosines run lower than a sentence transformer's, hence far below model2vec's 0.75.
PACKAGED_THRESHOLD = 0.20
PACKAGED_NEIGHBOURS = 5
_CONFIG, _DIM = "l2_supercat", 256
_WEIGHTS = f"weights/{_CONFIG}_{_DIM}.safetensors"
_TOKENIZER = f"tokenizers/{_CONFIG}_tokenizer_config.json"
_INSTALL = "pip install 'accord[semantic]'"


@dataclass(frozen=True)
class Meaning:
    """An encoder, its name, and the score at which its vectors mean the same work; or,
    when none could be loaded, why (``encoder`` None)."""

    model: str | None
    threshold: float | None
    encoder: TextEncoder | None
    note: str
    neighbours: int | None = None


def packaged_folder() -> Path | None:
    """Where the extra installed wordllama's files (None: the extra is not installed)."""
    spec = importlib.util.find_spec("wordllama")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def packaged_meaning() -> Meaning:
    """The packaged model when the extra is installed; otherwise the lexical fallback, with
    the reason in ``note`` (never an exception: the core install compares words only).
    Loaded once per process and folder."""
    folder = packaged_folder()
    if folder is None:
        return Meaning(None, None, None, f"lexical only: install {_INSTALL} to compare meaning")
    return _packaged_in(folder)


@lru_cache(maxsize=4)
def _packaged_in(folder: Path) -> Meaning:
    try:
        encoder = load_static_model(folder / _WEIGHTS, folder / _TOKENIZER)
    except ModelFolderError as error:
        return Meaning(
            None,
            None,
            None,
            f"lexical only: the packaged wordllama model in {folder} could not be loaded "
            f"({error}); reinstall it with {_INSTALL}",
        )
    return Meaning(
        PACKAGED_MODEL,
        PACKAGED_THRESHOLD,
        encoder,
        f"meaning: {PACKAGED_MODEL}",
        PACKAGED_NEIGHBOURS,
    )


def meaning_unless_off() -> Meaning:
    """The ``accord[semantic]`` model unless ``ACCORD_SEMANTIC=off`` asks for words only.
    The CLI, the web app's analyses and live workshops' suggested groups all go through
    here, so they compare texts the same way."""
    if os.environ.get("ACCORD_SEMANTIC", "").strip().lower() in ("off", "0", "no", "false"):
        return Meaning(None, None, None, "lexical only: ACCORD_SEMANTIC=off")
    return packaged_meaning()


class ModelFolderError(Exception):
    """The model's files are missing or unreadable (the message says which and why)."""


def load_static_model(weights: Path, tokenizer: Path) -> TextEncoder:
    """``texts -> unit vectors`` from a static embedding table and its tokenizer file."""
    from safetensors import SafetensorError
    from safetensors.numpy import load_file
    from tokenizers import Tokenizer

    for path in (weights, tokenizer):
        if not path.is_file():
            raise ModelFolderError(f"{path} is missing")
    try:
        tables = load_file(str(weights))
    except (SafetensorError, OSError, ValueError) as error:
        raise ModelFolderError(f"{weights} is not a safetensors file: {error}") from None
    table = tables.get("embedding.weight")
    if table is None or table.ndim != 2:
        raise ModelFolderError(f"{weights} holds no 2-D 'embedding.weight' table")
    # Kept as stored (float16, 16 MB): only the rows of the texts' tokens are widened, which
    # saves converting 8 million weights at every load.
    embedding = table
    if not np.isfinite(embedding).all():
        raise ModelFolderError(f"{weights} holds NaN or infinite weights")
    try:
        splitter = Tokenizer.from_file(str(tokenizer))
    # tokenizers raises a bare Exception for a file it cannot parse.
    except Exception as error:
        raise ModelFolderError(f"{tokenizer} is not a tokenizer file: {error}") from None
    splitter.no_padding()
    splitter.no_truncation()
    size, dim = embedding.shape

    def encode(texts: Sequence[str]) -> NDArray[np.float64]:
        out = np.zeros((len(texts), dim))
        if len(texts) == 0:
            return out
        encoded = splitter.encode_batch(list(texts), add_special_tokens=False)
        lengths = np.fromiter((len(e.ids) for e in encoded), dtype=np.intp, count=len(encoded))
        ids = np.fromiter((i for e in encoded for i in e.ids), dtype=np.intp)
        if len(ids) == 0:
            return out
        np.clip(ids, 0, size - 1, out=ids)
        # Average pooling as one reduceat over all texts' tokens (texts without a token
        # keep their zero row).
        has = lengths > 0
        starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))[has]
        tokens = embedding[ids].astype(np.float32)
        sums = np.add.reduceat(tokens, starts, axis=0).astype(np.float64)
        norms = np.linalg.norm(sums, axis=1, keepdims=True)
        out[has] = np.divide(sums, norms, out=np.zeros_like(sums), where=norms > 0)
        return out

    return encode
