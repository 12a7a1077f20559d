"""Revision 0006 (after 0005): rate-limit events kept in the database (`tramites.limites`)."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "limites_eventos",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("regla", sa.String(length=40), nullable=False),
        sa.Column("clave", sa.String(length=64), nullable=False),
        sa.Column("valor", sa.String(length=64), nullable=False, server_default=""),
        sa.Column("instante", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_limites_eventos_regla_clave_instante", "limites_eventos", ["regla", "clave", "instante"])


def downgrade() -> None:
    """Revert this revision."""
    op.drop_index("ix_limites_eventos_regla_clave_instante", table_name="limites_eventos")
    op.drop_table("limites_eventos")
