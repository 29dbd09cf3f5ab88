"""The database: which one, how to connect, how to migrate, and one session per unit of work."""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

DEFAULT_DATABASE_URL = "sqlite:///accord.db"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
MIGRATION_LOCK = 0x616363_6F7264  # "accord": the PostgreSQL advisory lock key for migrations

# Set on every SQLite connection: WAL lets readers run beside the writer; synchronous=FULL
# makes a commit durable before the app acknowledges it; SQLite leaves foreign keys off
# unless asked; busy_timeout makes a writer wait for the lock instead of failing at once.
SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=FULL",
    "PRAGMA foreign_keys=ON",
    "PRAGMA busy_timeout=5000",
)


def database_url(environ: Mapping[str, str] = os.environ) -> str:
    """``ACCORD_DATABASE_URL``, or the SQLite file ``accord.db`` in the working folder."""
    return environ.get("ACCORD_DATABASE_URL") or DEFAULT_DATABASE_URL


def create_engine_for(url: str) -> sa.Engine:
    """An engine for ``url`` with accord's settings for SQLite or PostgreSQL."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return sa.create_engine(parsed, pool_pre_ping=True)
    options: dict[str, Any] = {"connect_args": {"check_same_thread": False}}
    if parsed.database in (None, "", ":memory:"):
        # One shared connection, or every thread would see its own empty in-memory database.
        options["poolclass"] = StaticPool
    engine = sa.create_engine(parsed, **options)
    sa.event.listen(engine, "connect", _set_sqlite_pragmas)
    return engine


def _set_sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        for pragma in SQLITE_PRAGMAS:
            cursor.execute(pragma)
    finally:
        cursor.close()


def upgrade(engine: sa.Engine) -> None:
    """Bring the schema to the newest Alembic revision (a no-op when it is already there)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        _lock_for_migration(connection)
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def _lock_for_migration(connection: sa.Connection) -> None:
    # Several workers may start at once: the first migrates, the others wait for its commit
    # and then find the schema at head.
    if connection.dialect.name == "postgresql":
        connection.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
    elif connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN IMMEDIATE")


class Store:
    """The database behind the web app: ``with store.session() as s: ...`` is one transaction."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        # Objects stay readable after commit: the web layer renders them after the session ends.
        self._sessions = sessionmaker(bind=engine, expire_on_commit=False)

    @classmethod
    def from_url(cls, url: str, migrate: bool = True) -> Store:
        """A store for ``url``; ``migrate`` runs the Alembic upgrade first."""
        engine = create_engine_for(url)
        if migrate:
            upgrade(engine)
        return cls(engine)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session that commits when the block ends and rolls back if it raises."""
        with self._sessions() as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def dispose(self) -> None:
        """Close every pooled connection (tests and shutdown)."""
        self.engine.dispose()
