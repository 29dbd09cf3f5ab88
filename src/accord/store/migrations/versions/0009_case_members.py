"""Co-facilitators: another facilitator's role (editor or viewer) on a case.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "case_member",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("facilitator_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_case_member"),
        sa.UniqueConstraint("case_id", "facilitator_id", name="uq_case_member_case_id"),
        sa.CheckConstraint("role IN ('editor', 'viewer')", name="ck_case_member_role_is_known"),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["case_record.id"],
            name="fk_case_member_case_id_case_record",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["facilitator_id"],
            ["facilitator.id"],
            name="fk_case_member_facilitator_id_facilitator",
            ondelete="CASCADE",
        ),
    )
    op.create_index("ix_case_member_case_id", "case_member", ["case_id"])
    op.create_index("ix_case_member_facilitator_id", "case_member", ["facilitator_id"])


def downgrade() -> None:
    op.drop_index("ix_case_member_facilitator_id", table_name="case_member")
    op.drop_index("ix_case_member_case_id", table_name="case_member")
    op.drop_table("case_member")
