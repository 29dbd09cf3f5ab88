"""Workshop events carry the submitting form's idempotency key, unique per workshop.

A client that retries a command after a time-out sends the same key; the server answers
from the stored event instead of storing the command twice.  NULL for joins and for
events written before this revision (NULLs never collide in a unique index).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("workshop_event", sa.Column("command_key", sa.String(64), nullable=True))
    # An index rather than a constraint: SQLite cannot add constraints to a table.
    op.create_index(
        "uq_workshop_event_command_key",
        "workshop_event",
        ["workshop_id", "command_key"],
        unique=True,
    )


def downgrade() -> None:
    op.drop_index("uq_workshop_event_command_key", table_name="workshop_event")
    op.drop_column("workshop_event", "command_key")
