"""Revision 0004 (after 0003): sessions, snapshots, resumable claims, delivery reports, erasure log."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("conversations") as batch:
        batch.add_column(sa.Column("last_seq", sa.Integer(), nullable=False, server_default="-1"))
    op.execute(
        "UPDATE conversations SET last_seq = COALESCE("
        "(SELECT MAX(seq) FROM events WHERE events.conversation_id = conversations.id), -1)"
    )
    with op.batch_alter_table("processed_messages") as batch:
        batch.add_column(sa.Column("user_seq", sa.Integer(), nullable=True))
        # Claims made before this revision belong to finished turns.
        batch.add_column(sa.Column("done", sa.Boolean(), nullable=False, server_default=sa.true()))
        batch.create_index("ix_processed_messages_conversation_id", ["conversation_id"])
    op.create_table(
        "conversation_snapshots",
        sa.Column("conversation_id", sa.String(length=128), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("state", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["conversation_id"], ["conversations.id"]),
        sa.PrimaryKeyConstraint("conversation_id"),
    )
    op.create_table(
        "deliveries",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("conversation_id", sa.String(length=128), nullable=False),
        sa.Column("external_id", sa.String(length=256), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("detail", sa.String(length=256), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_deliveries_conversation_id", "deliveries", ["conversation_id"])
    op.create_table(
        "erasures",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=128), nullable=False),
        sa.Column("subject", sa.String(length=64), nullable=False),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table("erasures")
    op.drop_index("ix_deliveries_conversation_id", table_name="deliveries")
    op.drop_table("deliveries")
    op.drop_table("conversation_snapshots")
    with op.batch_alter_table("processed_messages") as batch:
        batch.drop_index("ix_processed_messages_conversation_id")
        batch.drop_column("done")
        batch.drop_column("user_seq")
    with op.batch_alter_table("conversations") as batch:
        batch.drop_column("last_seq")
