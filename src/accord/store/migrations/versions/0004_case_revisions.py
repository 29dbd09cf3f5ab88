"""Case revisions: every save of a case keeps its text, author, time and a change summary.

``case_record.revision`` is the number of the current revision.  Cases stored before this
revision get revision 1 (their current text), authored by their owner's email.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "case_revision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("source_text", sa.Text(), nullable=False),
        sa.Column("source_name", sa.String(255), nullable=False),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_case_revision"),
        sa.UniqueConstraint("case_id", "number", name="uq_case_revision_case_id"),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["case_record.id"],
            name="fk_case_revision_case_id_case_record",
            ondelete="CASCADE",
        ),
    )
    op.add_column(
        "case_record",
        sa.Column("revision", sa.Integer(), nullable=False, server_default="0"),
    )
    # Existing cases: their current text becomes revision 1, so history is never empty.
    op.execute(
        "INSERT INTO case_revision "
        "(case_id, number, source_text, source_name, author, summary, created_at) "
        "SELECT c.id, 1, c.source_text, c.source_name, f.email, "
        "'stored before revisions were kept', c.updated_at "
        "FROM case_record c JOIN facilitator f ON f.id = c.owner_id"
    )
    op.execute("UPDATE case_record SET revision = 1")


def downgrade() -> None:
    # SQLite drops a column only by rebuilding the table: batch mode does that.
    with op.batch_alter_table("case_record") as batch:
        batch.drop_column("revision")
    op.drop_table("case_revision")
