"""Revision 0005 (after 0004): the help desk: accounts, sessions, handoff state, audit, NLU review queue."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | None = None
depends_on: str | None = None


def _when(name: str, nullable: bool = True) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "agent_accounts",
        sa.Column("usuario", sa.String(length=64), primary_key=True),
        sa.Column("rol", sa.String(length=16), nullable=False),
        sa.Column("hash", sa.String(length=256), nullable=False),
        sa.Column("fallidos", sa.Integer(), nullable=False, server_default="0"),
        _when("bloqueada_hasta"),
        _when("creada", nullable=False),
    )
    op.create_table(
        "agent_sessions",
        sa.Column("token_hash", sa.String(length=64), primary_key=True),
        sa.Column("usuario", sa.String(length=64), nullable=False),
        sa.Column("csrf", sa.String(length=64), nullable=False),
        _when("creada", nullable=False),
        _when("vence", nullable=False),
    )
    op.create_index("ix_agent_sessions_usuario", "agent_sessions", ["usuario"])
    op.create_table(
        "agent_handoffs",
        sa.Column("conversation_id", sa.String(length=128), primary_key=True),
        sa.Column("canal", sa.String(length=32), nullable=False),
        sa.Column("estado", sa.String(length=16), nullable=False),
        sa.Column("agente", sa.String(length=64), nullable=True),
        sa.Column("motivo", sa.String(length=32), nullable=True),
        _when("esperando_desde"),
        _when("tomada"),
        _when("ultimo_aviso"),
        _when("recordada"),
        _when("actualizada", nullable=False),
    )
    op.create_index("ix_agent_handoffs_estado", "agent_handoffs", ["estado"])
    op.create_table(
        "agent_audit",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        _when("momento", nullable=False),
        sa.Column("agente", sa.String(length=64), nullable=True),
        sa.Column("accion", sa.String(length=32), nullable=False),
        sa.Column("conversation_id", sa.String(length=128), nullable=True),
        sa.Column("campos", sa.String(length=256), nullable=True),
        sa.Column("motivo", sa.Text(), nullable=True),
    )
    op.create_index("ix_agent_audit_conversation_id", "agent_audit", ["conversation_id"])
    op.create_table(
        "nlu_review",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("clave", sa.String(length=64), nullable=False),
        sa.Column("texto", sa.Text(), nullable=False),
        sa.Column("veces", sa.Integer(), nullable=False, server_default="1"),
        sa.Column("motivos", sa.String(length=64), nullable=False),
        sa.Column("intencion", sa.String(length=64), nullable=True),
        sa.Column("confianza", sa.Float(), nullable=False, server_default="0"),
        _when("primera", nullable=False),
        _when("ultima", nullable=False),
        sa.Column("estado", sa.String(length=16), nullable=False),
        sa.Column("asignada", sa.String(length=64), nullable=True),
        sa.Column("revisor", sa.String(length=64), nullable=True),
        _when("revisada"),
        sa.UniqueConstraint("clave", name="uq_nlu_review_clave"),
    )
    op.create_index("ix_nlu_review_estado", "nlu_review", ["estado"])
    op.create_table(
        "nlu_review_events",
        sa.Column("event_id", sa.Integer(), primary_key=True, autoincrement=False),
    )
    op.create_table(
        "agent_state",
        sa.Column("clave", sa.String(length=64), primary_key=True),
        sa.Column("valor", sa.Integer(), nullable=False),
    )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table("agent_state")
    op.drop_table("nlu_review_events")
    op.drop_index("ix_nlu_review_estado", table_name="nlu_review")
    op.drop_table("nlu_review")
    op.drop_index("ix_agent_audit_conversation_id", table_name="agent_audit")
    op.drop_table("agent_audit")
    op.drop_index("ix_agent_handoffs_estado", table_name="agent_handoffs")
    op.drop_table("agent_handoffs")
    op.drop_index("ix_agent_sessions_usuario", table_name="agent_sessions")
    op.drop_table("agent_sessions")
    op.drop_table("agent_accounts")
