"""The database layer: URL choice, engine settings, migrations and the session contract."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.exc import IntegrityError
from tests.store import BACKENDS, add_owner, database_url_for

from accord.store import Store, create_engine_for, database_url, upgrade
from accord.store.db import MIGRATIONS
from accord.store.tables import Base, CaseRecord, Facilitator

# The newest migration, read from the scripts, so a new migration needs no edit here.
HEAD = ScriptDirectory(str(MIGRATIONS)).get_current_head()
TABLES = {
    "facilitator",
    "facilitator_session",
    "case_record",
    "case_member",
    "case_revision",
    "webhook",
    "webhook_delivery",
    "link_token",
    "stakeholder_input",
    "workshop",
    "workshop_participant",
    "workshop_event",
    "api_token",
    "tracker_connector",
    "tracker_link",
    "facilitator_identity",
    "account_link",
}


@pytest.fixture(params=BACKENDS)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[sa.Engine]:
    for url in database_url_for(request, tmp_path):
        made = create_engine_for(url)
        try:
            yield made
        finally:
            made.dispose()


def test_database_url_without_setting_is_sqlite_file() -> None:
    assert database_url({}) == "sqlite:///accord.db"


def test_database_url_from_environment_wins() -> None:
    url = "postgresql+psycopg://u@db/accord"
    assert database_url({"ACCORD_DATABASE_URL": url}) == url


def test_upgrade_creates_every_table_matching_the_models(engine: sa.Engine) -> None:
    upgrade(engine)
    with engine.connect() as connection:
        assert TABLES | {"alembic_version"} == set(sa.inspect(connection).get_table_names())
        # The migration and tables.py must describe the same schema.
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_upgrade_twice_is_a_no_op(engine: sa.Engine) -> None:
    upgrade(engine)
    with engine.begin() as connection:
        connection.execute(
            sa.insert(Facilitator).values(
                email="a@example.org",
                password_hash="x",
                display_name="A",
                created_at=dt.datetime.now(dt.UTC),
            )
        )
    upgrade(engine)
    with engine.connect() as connection:
        version = connection.execute(sa.text("SELECT version_num FROM alembic_version")).all()
        people = connection.execute(sa.select(Facilitator.email)).scalars().all()
    assert version == [(HEAD,)]
    assert people == ["a@example.org"]


def test_upgrade_from_many_workers_at_once_migrates_once(engine: sa.Engine) -> None:
    start = threading.Barrier(4)
    failures: list[BaseException] = []

    def migrate() -> None:
        try:
            start.wait()
            upgrade(engine)
        except BaseException as error:  # reported in the main thread below
            failures.append(error)

    workers = [threading.Thread(target=migrate) for _ in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert failures == []
    with engine.connect() as connection:
        assert connection.execute(sa.text("SELECT version_num FROM alembic_version")).all() == [
            (HEAD,)
        ]


def test_sqlite_connections_use_wal_full_sync_foreign_keys_and_busy_timeout(
    tmp_path: Path,
) -> None:
    engine = create_engine_for(f"sqlite:///{tmp_path / 'a.db'}")
    try:
        # Two connections at once: the pragmas are set on each, not once per engine.
        with engine.connect() as first, engine.connect() as second:
            for connection in (first, second):

                def pragma(name: str, connection: sa.Connection = connection) -> object:
                    return connection.exec_driver_sql(f"PRAGMA {name}").scalar()

                assert pragma("journal_mode") == "wal"
                assert pragma("synchronous") == 2  # FULL
                assert pragma("foreign_keys") == 1
                assert pragma("busy_timeout") == 5000
    finally:
        engine.dispose()


def test_sqlite_foreign_key_to_missing_row_is_refused(tmp_path: Path) -> None:
    store = Store.from_url(f"sqlite:///{tmp_path / 'a.db'}")
    try:
        with pytest.raises(IntegrityError), store.session() as s:
            s.add(
                CaseRecord(
                    owner_id=999, case_slug="x", title="x", source_text="", source_name="x.yaml"
                )
            )
    finally:
        store.dispose()


def test_postgres_engine_checks_connections_before_use() -> None:
    engine = create_engine_for("postgresql+psycopg://nobody@127.0.0.1:1/none")
    assert engine.pool._pre_ping  # a database restart must not break the next request


def test_session_commits_on_success_and_rolls_back_on_error(engine: sa.Engine) -> None:
    upgrade(engine)
    store = Store(engine)
    add_owner(store, "kept@example.org")
    with pytest.raises(RuntimeError), store.session() as s:
        s.add(Facilitator(email="lost@example.org", password_hash="x", display_name="L"))
        s.flush()
        raise RuntimeError("boom")
    with store.session() as s:
        emails = s.scalars(sa.select(Facilitator.email)).all()
    assert emails == ["kept@example.org"]


def test_timestamps_come_back_timezone_aware_utc(engine: sa.Engine) -> None:
    upgrade(engine)
    store = Store(engine)
    moment = dt.datetime(2027, 1, 29, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    with store.session() as s:
        s.add(Facilitator(email="t@example.org", password_hash="x", display_name="T"))
        s.flush()
        found = s.scalars(sa.select(Facilitator)).one()
        found.created_at = moment
    with store.session() as s:
        stored = s.scalars(sa.select(Facilitator.created_at)).one()
    assert stored.utcoffset() == dt.timedelta(0)
    assert stored == moment


def test_naive_timestamp_is_refused(tmp_path: Path) -> None:
    store = Store.from_url(f"sqlite:///{tmp_path / 'a.db'}")
    try:
        with pytest.raises(sa.exc.StatementError, match="timezone-aware"), store.session() as s:
            s.add(
                Facilitator(
                    email="n@example.org",
                    password_hash="x",
                    display_name="N",
                    created_at=dt.datetime(2027, 1, 1),
                )
            )
    finally:
        store.dispose()


def test_in_memory_sqlite_is_one_database_for_every_thread() -> None:
    store = Store.from_url("sqlite://")
    try:
        add_owner(store, "main@example.org")
        seen: list[str] = []

        def read() -> None:
            with store.session() as s:
                seen.extend(s.scalars(sa.select(Facilitator.email)))

        reader = threading.Thread(target=read)
        reader.start()
        reader.join()
        assert seen == ["main@example.org"]
    finally:
        store.dispose()
