"""Project-wide test fixtures: paths and the PostgreSQL / Redis services.

Service fixtures read ``ACCORD_TEST_DATABASE_URL`` and ``ACCORD_TEST_REDIS_URL``.
Without them a test that needs a service is skipped, unless
``ACCORD_REQUIRE_SERVICES=1`` (set by ``.ci/run``), in which case it fails loudly.
Each run gets its own PostgreSQL schema and Redis key prefix and removes them
afterwards, so concurrent runs never see each other's rows.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"
TEST_DATA = Path(__file__).resolve().parent / "data"
SHARED_DATA = REPO.parent / "shared" / "data"


def _service_missing(what: str) -> None:
    if os.environ.get("ACCORD_REQUIRE_SERVICES") == "1":
        pytest.fail(f"{what} (ACCORD_REQUIRE_SERVICES=1, so this is a failure)")
    pytest.skip(what)


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """``../shared/data``; tests that need it skip cleanly when it is absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"shared data not found at {SHARED_DATA}")
    return SHARED_DATA


@dataclass(frozen=True)
class PostgresSchema:
    url: str  # SQLAlchemy URL whose connections use ``schema`` as search_path
    schema: str


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresSchema]:
    """A fresh PostgreSQL schema for this test run, dropped afterwards."""
    url = os.environ.get("ACCORD_TEST_DATABASE_URL")
    if not url:
        _service_missing("ACCORD_TEST_DATABASE_URL is not set")
        raise AssertionError("unreachable")
    import sqlalchemy as sa

    schema = f"accord_test_{secrets.token_hex(6)}"
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    except sa.exc.OperationalError as error:
        engine.dispose()
        _service_missing(f"PostgreSQL at {url} is not reachable: {error.orig}")
    sep = "&" if "?" in url else "?"
    try:
        yield PostgresSchema(url=f"{url}{sep}options=-csearch_path%3D{schema}", schema=schema)
    finally:
        with engine.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        engine.dispose()


@dataclass(frozen=True)
class RedisNamespace:
    url: str
    prefix: str  # every key a test writes starts with this
    client: Any


@pytest.fixture(scope="session")
def redis_service() -> Iterator[RedisNamespace]:
    """A Redis connection and a key prefix owned by this run, cleaned up afterwards."""
    url = os.environ.get("ACCORD_TEST_REDIS_URL")
    if not url:
        _service_missing("ACCORD_TEST_REDIS_URL is not set")
        raise AssertionError("unreachable")
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.exceptions.ConnectionError as error:
        client.close()
        _service_missing(f"Redis at {url} is not reachable: {error}")
    prefix = f"accord-test:{secrets.token_hex(6)}:"
    try:
        yield RedisNamespace(url=url, prefix=prefix, client=client)
    finally:
        for key in client.scan_iter(match=prefix + "*"):
            client.delete(key)
        client.close()


WordModel = Callable[[Path, dict[str, list[float]]], Path]


@pytest.fixture
def word_model() -> WordModel:
    """Write a tiny model2vec model to a folder: whole lower-cased words with given vectors.

    Built from a word-level tokenizer in the test, so no model is ever downloaded.
    """

    def save(folder: Path, vectors: dict[str, list[float]]) -> Path:
        import numpy as np
        from model2vec import StaticModel
        from tokenizers import Tokenizer
        from tokenizers.models import WordLevel
        from tokenizers.normalizers import Lowercase
        from tokenizers.pre_tokenizers import Whitespace

        vocabulary = {"[UNK]": 0} | {word: i + 1 for i, word in enumerate(vectors)}
        tokenizer = Tokenizer(WordLevel(vocabulary, unk_token="[UNK]"))
        tokenizer.normalizer = Lowercase()
        tokenizer.pre_tokenizer = Whitespace()
        dim = len(next(iter(vectors.values())))
        matrix = np.array([[0.0] * dim, *vectors.values()], dtype=np.float32)
        StaticModel(vectors=matrix, tokenizer=tokenizer).save_pretrained(folder)
        return folder

    return save


@pytest.fixture(scope="session")
def benchmark_module() -> Callable[[str], Any]:
    """A function: benchmark name (``benchmarks/<name>.py``) -> the script loaded as a module.

    The benchmarks are scripts, not a package; their smoke tests load them by path.
    """
    import importlib.util

    def load(name: str) -> Any:
        script = REPO / "benchmarks" / f"{name}.py"
        spec = importlib.util.spec_from_file_location(f"accord_benchmark_{name}", script)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module

    return load
