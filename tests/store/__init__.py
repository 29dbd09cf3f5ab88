"""Shared helpers for the store tests: a fresh database per test on SQLite or PostgreSQL."""

from __future__ import annotations

import secrets
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from accord.store import Store, create_engine_for, upgrade
from accord.store.tables import Base, CaseRecord, Facilitator

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
GROWTH = EXAMPLES / "growth-vs-margin.yaml"
BUDGET = EXAMPLES / "budget-workshop.yaml"

# The PostgreSQL variant needs the test service (skipped without it, failed under
# ACCORD_REQUIRE_SERVICES=1 by the `postgres` fixture).
BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgresql", id="postgresql", marks=pytest.mark.services),
]


def database_url_for(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL of an empty database of the backend in ``request.param``, removed afterwards."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'accord.db'}"
        return
    service = request.getfixturevalue("postgres")
    # A schema per test inside the run's schema database, so tests never share rows.
    schema = f"{service.schema}_{secrets.token_hex(4)}"
    url = service.url.replace(f"search_path%3D{service.schema}", f"search_path%3D{schema}")
    engine = sa.create_engine(service.url)
    with engine.begin() as connection:
        connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield url
    finally:
        with engine.begin() as connection:
            connection.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()


# Migrated once per run and backend; each test then starts from a copy (SQLite) or from
# emptied tables (PostgreSQL), which is much faster than migrating per test.
_migrated: dict[str, str] = {}


def open_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """A migrated store with empty tables on the backend in ``request.param``."""
    if request.param == "sqlite":
        template = _migrated.get("sqlite")
        if template is None:
            folder = request.getfixturevalue("tmp_path_factory").mktemp("store-template")
            template = str(folder / "template.db")
            Store.from_url(f"sqlite:///{template}").dispose()  # closing checkpoints the WAL
            _migrated["sqlite"] = template
        shutil.copyfile(template, tmp_path / "accord.db")
        url = f"sqlite:///{tmp_path / 'accord.db'}"
    else:
        url = request.getfixturevalue("postgres").url
        if url not in _migrated:
            upgrade_engine = create_engine_for(url)
            upgrade(upgrade_engine)
            upgrade_engine.dispose()
            _migrated[url] = url
    store = Store(create_engine_for(url))
    if request.param != "sqlite":
        # DELETE, not TRUNCATE: on a handful of rows it is many times faster.
        with store.engine.begin() as connection:
            for table in reversed(Base.metadata.sorted_tables):
                connection.execute(table.delete())
    try:
        yield store
    finally:
        store.dispose()


def add_owner(store: Store, email: str) -> int:
    """A facilitator row without the cost of hashing a password (for tests about cases)."""
    with store.session() as s:
        owner = Facilitator(email=email, password_hash="not-a-hash", display_name=email)
        s.add(owner)
        s.flush()
        return owner.id


def add_case(store: Store, owner_id: int, path: Path = GROWTH) -> int:
    """Store an example case file for ``owner_id`` and return the record's id."""
    from accord.store import repository

    with store.session() as s:
        record: CaseRecord = repository.save_case(
            s, owner_id, path.read_text(encoding="utf-8"), path.name
        )
        return record.id
