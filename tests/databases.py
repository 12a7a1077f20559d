"""Fresh databases for tests: SQLite by default, or PostgreSQL when `ASISTENTE_TEST_POSTGRES` names a server.

With `ASISTENTE_TEST_POSTGRES=postgresql+psycopg://postgres@127.0.0.1:5432/test` every test that asks for a
database gets a new PostgreSQL database, copied from a template that was migrated and seeded once per
run, and every database made this way is dropped when the run ends.
"""

from __future__ import annotations

import atexit
import os
import uuid
from functools import cache

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

__all__ = ["POSTGRES", "fresh_database_url", "sqlalchemy_url_for"]

#: The server used instead of SQLite, if any (a URL whose database is used only to create others).
POSTGRES = os.environ.get("ASISTENTE_TEST_POSTGRES", "").strip()
_RUN = uuid.uuid4().hex[:8]
_created: list[str] = []


def _admin_url() -> str:
    return POSTGRES


def _execute(statement: str) -> None:
    engine = create_engine(_admin_url(), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text(statement))
    finally:
        engine.dispose()


def sqlalchemy_url_for(database: str) -> str:
    """The server's URL pointing at another database."""
    return make_url(POSTGRES).set(database=database).render_as_string(hide_password=False)


@cache
def _template() -> str:
    """A database migrated and seeded with the demo registry once per run, to copy from."""
    from bot.store import create_db_engine, migrate, session_factory
    from tramites.registro import sembrar_demo

    name = f"asistente_tpl_{_RUN}"
    _execute(f'CREATE DATABASE "{name}"')
    _created.append(name)
    engine = create_db_engine(sqlalchemy_url_for(name))
    try:
        migrate(engine)
        from bot.registro_factory import hoy_mexico

        sembrar_demo(session_factory(engine), hoy=hoy_mexico())
    finally:
        engine.dispose()
    return name


def fresh_database_url() -> str | None:
    """A new, empty-but-migrated PostgreSQL database for one test, or None to use SQLite."""
    if not POSTGRES:
        return None
    name = f"asistente_t_{_RUN}_{uuid.uuid4().hex[:10]}"
    _execute(f'CREATE DATABASE "{name}" TEMPLATE "{_template()}"')
    _created.append(name)
    return sqlalchemy_url_for(name)


@atexit.register
def _drop_all() -> None:
    """Drop every database this run made (FORCE: a test may have left a connection open)."""
    for name in reversed(_created):
        try:
            _execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        except Exception as error:  # cleanup must try every database
            print(f"could not drop test database {name}: {error}")
