"""The CI wiring is real: PostgreSQL and Redis answer, and each run is isolated."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.services


def test_postgres_schema_is_private_and_writable(postgres) -> None:
    import sqlalchemy as sa

    engine = sa.create_engine(postgres.url)
    try:
        with engine.begin() as conn:
            assert conn.execute(sa.text("SHOW search_path")).scalar() == postgres.schema
            conn.execute(sa.text("CREATE TABLE probe (id integer primary key)"))
            conn.execute(sa.text("INSERT INTO probe VALUES (1)"))
            # Where the unqualified name resolves (other runs' schemas may hold a "probe" too).
            table_schema = conn.execute(
                sa.text(
                    "SELECT n.nspname FROM pg_class c JOIN pg_namespace n "
                    "ON n.oid = c.relnamespace WHERE c.oid = 'probe'::regclass"
                )
            ).scalar()
        assert table_schema == postgres.schema
    finally:
        engine.dispose()


def test_redis_round_trips_under_run_prefix(redis_service) -> None:
    key = redis_service.prefix + "probe"
    redis_service.client.set(key, "1", ex=60)
    assert redis_service.client.get(key) == b"1"
    received = redis_service.client.pubsub()
    try:
        received.subscribe(redis_service.prefix + "channel")
        assert received.get_message(timeout=2)["type"] == "subscribe"
        redis_service.client.publish(redis_service.prefix + "channel", "wake")
        message = received.get_message(timeout=2)
        assert message is not None and message["data"] == b"wake"
    finally:
        received.close()
