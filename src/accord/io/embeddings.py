"""Sentence embeddings from a model already on disk (the optional ``accord[embeddings]`` extra).

TF-IDF (:mod:`accord.analysis.text`) misses duplicates that share no words; a sentence
embedding model catches some of them.  accord ships no model and never downloads one: the
user points ``--embeddings`` at a local `model2vec <https://github.com/MinishLab/model2vec>`_
folder (static embeddings, numpy only, no torch).  The vectors are computed here, outside
the pure analysis, and passed to ``analyze(text_vectors=...)``.

No network: model2vec treats a path that exists as a local folder and only asks the
Hugging Face hub about names that do not exist, so the folder is checked first; the hub
client is also put in offline mode while the model loads, as a second guard.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from accord.errors import InputError

TextEncoder = Callable[[Sequence[str]], NDArray[np.float64]]

# The files of a model2vec folder (what StaticModel.save_pretrained writes).
MODEL_FILES = ("config.json", "model.safetensors", "tokenizer.json")
# Sentence-transformers' layouts of a static embedding model, which model2vec also reads.
_OTHER_LAYOUTS = (
    ("config_sentence_transformers.json", "model.safetensors", "tokenizer.json"),
    (
        "config_sentence_transformers.json",
        "0_StaticEmbedding/model.safetensors",
        "0_StaticEmbedding/tokenizer.json",
    ),
)
_INSTALL = "pip install 'accord[embeddings]'"


def load_text_encoder(path: str | os.PathLike[str]) -> TextEncoder:
    """Load the model2vec model in the local folder ``path``; return ``texts -> vectors``.

    The encoder returns one float64 row per text (a text with no known word gives a row of
    zeros).  Raises :class:`InputError` when the extra is not installed, the folder does not
    exist, or it holds no model.
    """
    with _hub_offline():
        try:
            from model2vec import StaticModel
        except ImportError as error:
            raise InputError(
                "sentence embeddings need the embeddings extra, which is not installed "
                f"(install it with: {_INSTALL})"
            ) from error
    folder = Path(path)
    if not folder.exists():
        raise InputError(
            f"embeddings model '{folder}' does not exist (expected a local model2vec model "
            "folder; accord never downloads models)"
        )
    if not folder.is_dir():
        raise InputError(
            f"embeddings model '{folder}' is a file, not a folder (expected a model2vec "
            f"model folder holding {', '.join(MODEL_FILES)})"
        )
    layouts = (MODEL_FILES, *_OTHER_LAYOUTS)
    if not any(all((folder / name).is_file() for name in layout) for layout in layouts):
        missing = [name for name in MODEL_FILES if not (folder / name).is_file()]
        raise InputError(
            f"embeddings model '{folder}' is not a model2vec model folder (missing "
            f"{', '.join(missing)}; expected {', '.join(MODEL_FILES)}, as written by "
            "model2vec's StaticModel.save_pretrained)"
        )
    with _hub_offline():
        try:
            model = StaticModel.from_pretrained(folder)
        # model2vec, safetensors and tokenizers raise their own, unrelated error types.
        except Exception as error:
            raise InputError(
                f"embeddings model '{folder}' could not be loaded ({error})"
            ) from error

    def encode(texts: Sequence[str]) -> NDArray[np.float64]:
        if len(texts) == 0:
            return np.zeros((0, model.dim))
        # One process: a case has hundreds of texts, not the tens of thousands where
        # model2vec's worker pool pays off.
        rows = model.encode(list(texts), show_progress_bar=False, use_multiprocessing=False)
        return np.asarray(rows, dtype=np.float64).reshape(len(texts), model.dim)

    return encode


def embed_texts(texts: Sequence[str], path: str | os.PathLike[str]) -> dict[str, list[float]]:
    """``{text: vector}`` for ``texts`` with the local model at ``path`` (see above)."""
    encode = load_text_encoder(path)
    unique = list(dict.fromkeys(texts))
    return dict(zip(unique, encode(unique).tolist(), strict=True))


@contextmanager
def _hub_offline() -> Iterator[None]:
    """Set ``HF_HUB_OFFLINE=1`` while the model loads, then restore the environment.

    The hub client reads the variable when it is first imported, which is inside this block
    unless something else imported it earlier; the folder check in load_text_encoder is
    the main guard.
    """
    before = os.environ.get("HF_HUB_OFFLINE")
    os.environ["HF_HUB_OFFLINE"] = "1"
    try:
        yield
    finally:
        if before is None:
            del os.environ["HF_HUB_OFFLINE"]
        else:
            os.environ["HF_HUB_OFFLINE"] = before
