"""Tracker connectors (GitHub Issues, Jira, Linear) and the issue made for each action.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "tracker_connector",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("base_url", sa.Text(), nullable=False),
        sa.Column("target", sa.JSON(), nullable=False),
        sa.Column("account", sa.String(254), nullable=False),
        sa.Column("salt", sa.String(64), nullable=False),
        sa.Column("token_cipher", sa.Text(), nullable=False),
        sa.Column("record_target", sa.String(255), nullable=False),
        sa.Column("record_due", sa.JSON(), nullable=True),
        sa.Column("record_attempts", sa.Integer(), nullable=False),
        sa.Column("record_next_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("record_published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_sync_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("last_error_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_check_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_check", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_tracker_connector"),
        sa.UniqueConstraint("case_id", name="uq_tracker_connector_case_id"),
        sa.CheckConstraint(
            "kind IN ('github', 'jira', 'linear')", name="ck_tracker_connector_kind_is_known"
        ),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["case_record.id"],
            name="fk_tracker_connector_case_id_case_record",
            ondelete="CASCADE",
        ),
    )
    op.create_table(
        "tracker_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("connector_id", sa.Integer(), nullable=False),
        sa.Column("action_id", sa.String(100), nullable=False),
        sa.Column("marker", sa.String(64), nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("issue_key", sa.String(100), nullable=True),
        sa.Column("issue_ref", sa.String(300), nullable=True),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("synced_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_tracker_link"),
        sa.UniqueConstraint("connector_id", "action_id", name="uq_tracker_link_connector_id"),
        sa.CheckConstraint(
            "state IN ('creating', 'open', 'done', 'failed')",
            name="ck_tracker_link_state_is_known",
        ),
        sa.ForeignKeyConstraint(
            ["connector_id"],
            ["tracker_connector.id"],
            name="fk_tracker_link_connector_id_tracker_connector",
            ondelete="CASCADE",
        ),
    )
    op.create_index("ix_tracker_link_connector_id", "tracker_link", ["connector_id"])


def downgrade() -> None:
    op.drop_table("tracker_link")
    op.drop_table("tracker_connector")
