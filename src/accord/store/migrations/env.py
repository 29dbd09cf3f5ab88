"""Alembic environment: runs on the connection ``accord.store.db.upgrade`` passes in.

There is no alembic.ini: ``upgrade(engine)`` builds the config in code and hands over an open
connection through ``config.attributes["connection"]``, so migrations share its transaction.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context

from accord.store.tables import Base


def run_migrations() -> None:
    connection = context.config.attributes.get("connection")
    if not isinstance(connection, sa.Connection):
        raise RuntimeError(
            "accord's migrations run through accord.store.db.upgrade(engine), "
            "which passes the connection in config.attributes['connection']"
        )
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        # SQLite cannot ALTER most things; batch mode rebuilds the table instead.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


# Alembic sets ``context.config`` only while it runs this script; a plain import (pytest's
# doctest collection) must not try to migrate anything.
if hasattr(context, "config"):
    run_migrations()
