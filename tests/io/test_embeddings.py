"""Local model2vec models: vectors, no network, and errors that say what to fix.

Each test writes a tiny word-level model2vec model into ``tmp_path`` (a dozen words, known
vectors), so nothing is ever downloaded.
"""

from __future__ import annotations

import os
import socket
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from accord.errors import InputError
from accord.io.embeddings import embed_texts, load_text_encoder

WORDS = ["quarterly", "business", "reviews", "qbrs", "accounts", "customers", "lease", "office"]


@pytest.fixture
def word_vectors() -> dict[str, list[float]]:
    rng = np.random.default_rng(8)
    return {w: [float(x) for x in rng.normal(size=5).astype(np.float32)] for w in WORDS}


@pytest.fixture
def model_dir(tmp_path: Path, word_vectors: dict[str, list[float]], word_model: Any) -> Path:
    return Path(word_model(tmp_path / "tiny-model", word_vectors))


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail any connection attempt or Hugging Face hub download while the test runs."""
    import huggingface_hub

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(huggingface_hub, "snapshot_download", refuse)


def test_encoder_gives_the_mean_of_the_saved_word_vectors(
    model_dir: Path, word_vectors: dict[str, list[float]], no_network: None
) -> None:
    encode = load_text_encoder(model_dir)
    found = encode(["Quarterly business reviews", "QBRs with our customers", "nothing known"])
    assert found.dtype == np.float64 and found.shape == (3, 5)
    expected = [
        np.mean([word_vectors[w] for w in ("quarterly", "business", "reviews")], axis=0),
        np.mean([word_vectors[w] for w in ("qbrs", "customers")], axis=0),  # "with", "our" unknown
        np.zeros(5),
    ]
    np.testing.assert_allclose(found, np.array(expected), rtol=1e-6, atol=1e-7)
    assert encode([]).shape == (0, 5)


def test_loading_leaves_the_environment_as_it_was(
    model_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    load_text_encoder(model_dir)
    assert "HF_HUB_OFFLINE" not in os.environ
    monkeypatch.setenv("HF_HUB_OFFLINE", "0")
    load_text_encoder(str(model_dir))
    assert os.environ["HF_HUB_OFFLINE"] == "0"


def test_embed_texts_maps_each_distinct_text_to_its_vector(model_dir: Path) -> None:
    vectors = embed_texts(["office lease", "Office lease", "office lease"], model_dir)
    assert list(vectors) == ["office lease", "Office lease"]
    assert vectors["office lease"] == vectors["Office lease"]  # the tokenizer lower-cases
    assert len(vectors["office lease"]) == 5


def test_missing_folder_is_an_input_error_that_names_it(tmp_path: Path, no_network: None) -> None:
    absent = tmp_path / "potion-base-8M"
    with pytest.raises(InputError) as raised:
        load_text_encoder(absent)
    assert raised.value.message == (
        f"embeddings model '{absent}' does not exist (expected a local model2vec model folder; "
        "accord never downloads models)"
    )


def test_hub_style_name_is_never_looked_up_online(no_network: None) -> None:
    with pytest.raises(InputError, match="does not exist"):
        load_text_encoder("minishlab/potion-base-8M")


def test_file_instead_of_folder_is_an_input_error(tmp_path: Path) -> None:
    file = tmp_path / "model.safetensors"
    file.write_bytes(b"")
    with pytest.raises(InputError, match=r"is a file, not a folder \(expected a model2vec"):
        load_text_encoder(file)


def test_folder_without_model_files_lists_what_is_missing(tmp_path: Path) -> None:
    (tmp_path / "config.json").write_text("{}")
    with pytest.raises(InputError) as raised:
        load_text_encoder(tmp_path)
    assert raised.value.message == (
        f"embeddings model '{tmp_path}' is not a model2vec model folder (missing "
        "model.safetensors, tokenizer.json; expected config.json, model.safetensors, "
        "tokenizer.json, as written by model2vec's StaticModel.save_pretrained)"
    )


def test_corrupt_model_file_is_an_input_error(model_dir: Path) -> None:
    (model_dir / "model.safetensors").write_bytes(b"not a safetensors file")
    with pytest.raises(InputError, match=f"embeddings model '{model_dir}' could not be loaded"):
        load_text_encoder(model_dir)


def test_missing_extra_says_how_to_install_it(
    model_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "model2vec", None)  # makes `import model2vec` fail
    with pytest.raises(InputError) as raised:
        load_text_encoder(model_dir)
    assert raised.value.message == (
        "sentence embeddings need the embeddings extra, which is not installed "
        "(install it with: pip install 'accord[embeddings]')"
    )
