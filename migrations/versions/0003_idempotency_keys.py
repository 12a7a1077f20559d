"""idempotency keys

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24 10:00:00.000000

A use case that writes is given the id of the message that asked for it; the hash of that key, in a
unique column, makes a repeated call find the first solicitud, document, account or beneficiary.
The upload custody table (`held_files`, created in 0001) keeps its shape: only its model moved to
`tramites.efirma.custodia`.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

_TABLAS = ('registro_solicitudes', 'registro_beneficiarios', 'registro_cuentas', 'documentos_emitidos')


def upgrade() -> None:
    """Apply this revision."""
    for tabla in _TABLAS:
        with op.batch_alter_table(tabla, schema=None) as batch_op:
            batch_op.add_column(sa.Column('clave', sa.String(length=64), nullable=True))
            batch_op.create_unique_constraint(f'uq_{tabla}_clave', ['clave'])


def downgrade() -> None:
    """Revert this revision."""
    for tabla in reversed(_TABLAS):
        with op.batch_alter_table(tabla, schema=None) as batch_op:
            batch_op.drop_constraint(f'uq_{tabla}_clave', type_='unique')
            batch_op.drop_column('clave')
