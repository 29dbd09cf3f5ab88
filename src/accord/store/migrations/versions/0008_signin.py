"""Company sign-in identities and one-time invitation / password-reset links.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "facilitator_identity",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("facilitator_id", sa.Integer(), nullable=False),
        sa.Column("issuer", sa.String(500), nullable=False),
        sa.Column("subject", sa.String(255), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_signin_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_facilitator_identity"),
        sa.UniqueConstraint("issuer", "subject", name="uq_facilitator_identity_issuer"),
        sa.ForeignKeyConstraint(
            ["facilitator_id"],
            ["facilitator.id"],
            name="fk_facilitator_identity_facilitator_id_facilitator",
            ondelete="CASCADE",
        ),
    )
    op.create_index(
        "ix_facilitator_identity_facilitator_id", "facilitator_identity", ["facilitator_id"]
    )
    op.create_table(
        "account_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("facilitator_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_account_link"),
        sa.UniqueConstraint("token_hash", name="uq_account_link_token_hash"),
        sa.CheckConstraint("kind IN ('invitation', 'reset')", name="ck_account_link_kind_is_known"),
        sa.ForeignKeyConstraint(
            ["facilitator_id"],
            ["facilitator.id"],
            name="fk_account_link_facilitator_id_facilitator",
            ondelete="CASCADE",
        ),
    )
    op.create_index("ix_account_link_facilitator_id", "account_link", ["facilitator_id"])


def downgrade() -> None:
    op.drop_table("account_link")
    op.drop_table("facilitator_identity")
