"""Initial schema: facilitators, cases, link tokens, stakeholder inputs, workshops and events.

Revision ID: 0001
Revises:
Create Date: 2025-01-01
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _timestamp(name: str, *, nullable: bool = False) -> sa.Column[dt.datetime]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "facilitator",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("display_name", sa.String(100), nullable=False),
        _timestamp("created_at"),
        sa.PrimaryKeyConstraint("id", name="pk_facilitator"),
        sa.UniqueConstraint("email", name="uq_facilitator_email"),
    )
    op.create_table(
        "case_record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("case_slug", sa.String(100), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("source_text", sa.Text(), nullable=False),
        sa.Column("source_name", sa.String(255), nullable=False),
        _timestamp("created_at"),
        _timestamp("updated_at"),
        sa.PrimaryKeyConstraint("id", name="pk_case_record"),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["facilitator.id"],
            name="fk_case_record_owner_id_facilitator",
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint("owner_id", "case_slug", name="uq_case_record_owner_id"),
    )
    op.create_index("ix_case_record_owner_id", "case_record", ["owner_id"])
    op.create_table(
        "workshop",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        _timestamp("created_at"),
        sa.Column("last_seq", sa.Integer(), server_default="0", nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_workshop"),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["case_record.id"],
            name="fk_workshop_case_id_case_record",
            ondelete="CASCADE",
        ),
    )
    op.create_index("ix_workshop_case_id", "workshop", ["case_id"])
    op.create_table(
        "link_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("workshop_id", sa.Integer(), nullable=True),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("stakeholder_id", sa.String(100), nullable=True),
        sa.Column("label", sa.String(200), nullable=False),
        _timestamp("created_at"),
        _timestamp("revoked_at", nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_link_token"),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["case_record.id"],
            name="fk_link_token_case_id_case_record",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workshop_id"],
            ["workshop.id"],
            name="fk_link_token_workshop_id_workshop",
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint("token_hash", name="uq_link_token_token_hash"),
        sa.CheckConstraint(
            "role IN ('stakeholder', 'participant', 'observer')",
            name="ck_link_token_role_is_known",
        ),
    )
    op.create_index("ix_link_token_case_id", "link_token", ["case_id"])
    op.create_index("ix_link_token_workshop_id", "link_token", ["workshop_id"])
    op.create_table(
        "stakeholder_input",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("stakeholder_id", sa.String(100), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        _timestamp("submitted_at"),
        sa.PrimaryKeyConstraint("id", name="pk_stakeholder_input"),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["case_record.id"],
            name="fk_stakeholder_input_case_id_case_record",
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint("case_id", "stakeholder_id", name="uq_stakeholder_input_case_id"),
    )
    op.create_table(
        "workshop_participant",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.Column("token_id", sa.Integer(), nullable=False),
        sa.Column("display_name", sa.String(100), nullable=False),
        _timestamp("joined_at"),
        sa.PrimaryKeyConstraint("id", name="pk_workshop_participant"),
        sa.ForeignKeyConstraint(
            ["workshop_id"],
            ["workshop.id"],
            name="fk_workshop_participant_workshop_id_workshop",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["token_id"],
            ["link_token.id"],
            name="fk_workshop_participant_token_id_link_token",
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint("workshop_id", "token_id", name="uq_workshop_participant_workshop_id"),
    )
    op.create_index("ix_workshop_participant_token_id", "workshop_participant", ["token_id"])
    op.create_table(
        "workshop_event",
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(50), nullable=False),
        sa.Column("actor", sa.String(200), nullable=True),
        sa.Column("payload", sa.JSON(), nullable=False),
        _timestamp("created_at"),
        sa.PrimaryKeyConstraint("workshop_id", "seq", name="pk_workshop_event"),
        sa.ForeignKeyConstraint(
            ["workshop_id"],
            ["workshop.id"],
            name="fk_workshop_event_workshop_id_workshop",
            ondelete="CASCADE",
        ),
    )


def downgrade() -> None:
    for table in (
        "workshop_event",
        "workshop_participant",
        "stakeholder_input",
        "link_token",
        "workshop",
        "case_record",
        "facilitator",
    ):
        op.drop_table(table)
