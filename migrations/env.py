"""Alembic environment: runs on the connection handed over by `bot.store.migrate`."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

import tramites.documentos.folios
import tramites.efirma.custodia
import tramites.limites
import tramites.registro.sql
from bot.store.models import StoreBase
from tramites.db import TramitesBase

config = context.config
# The imports above register the domain tables on TramitesBase.
_ = (tramites.documentos.folios, tramites.efirma.custodia, tramites.limites, tramites.registro.sql)
target_metadata = [StoreBase.metadata, TramitesBase.metadata]


def _run(connection: object) -> None:
    context.configure(
        connection=connection,  # type: ignore[arg-type]
        target_metadata=target_metadata,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    url = config.get_main_option("sqlalchemy.url") or "sqlite:///alembic-dev.db"
    with create_engine(url).connect() as conn:
        _run(conn)
        conn.commit()
