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
from pathlib import Path

from sqlalchemy import Engine, create_engine, inspect, text
from sqlalchemy.engine import make_url

__all__ = ["POSTGRES", "database_dump", "fresh_database_url", "sqlalchemy_url_for"]

#: The server used instead of SQLite, if any (a URL whose database is used only to create others).
POSTGRES = os.environ.get("ASISTENTE_TEST_POSTGRES", "").strip()
_RUN = uuid.uuid4().hex[:8]
_created: list[str] = []
_by_key: dict[str, str] = {}


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


def fresh_database_url(key: str | None = None) -> str | None:
    """A new migrated PostgreSQL database for one test, or None to use SQLite.

    The same `key` (a test's data folder) always gets the same database, as the SQLite file in that
    folder would be the same: a test that restarts the assistant finds its data again.
    """
    if not POSTGRES:
        return None
    if key is not None and key in _by_key:
        return _by_key[key]
    name = f"asistente_t_{_RUN}_{uuid.uuid4().hex[:10]}"
    _execute(f'CREATE DATABASE "{name}" TEMPLATE "{_template()}"')
    _created.append(name)
    url = sqlalchemy_url_for(name)
    if key is not None:
        _by_key[key] = url
    return url


@atexit.register
def _drop_all() -> None:
    """Drop every database this run made (FORCE: a test may have left a connection open)."""
    for name in reversed(_created):
        try:
            _execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        except Exception as error:  # cleanup must try every database
            print(f"could not drop test database {name}: {error}")


def database_dump(engine: Engine, data_dir: Path) -> list[tuple[str, bytes]]:
    """Everything the assistant keeps, as (name, bytes): the data folder's files and every table's rows.

    On SQLite the database is a file in the data folder (checkpointed first, so the WAL is read too);
    on PostgreSQL each table's rows are read back, binary columns as their raw bytes.
    """
    engine.dispose()
    files = sorted(p for p in data_dir.rglob("*") if p.is_file())
    dump = [(str(p.relative_to(data_dir)), p.read_bytes()) for p in files]
    if engine.url.get_backend_name() != "postgresql":
        return dump
    with engine.connect() as connection:
        for table in inspect(connection).get_table_names():
            parts: list[bytes] = []
            # Table names come from the database itself, not from input.
            for row in connection.execute(text(f'SELECT * FROM "{table}"')):  # noqa: S608
                for value in row:
                    raw = isinstance(value, bytes | memoryview)
                    parts.append(bytes(value) if raw else str(value).encode())
            dump.append((f"tabla {table}", b"\n".join(parts)))
    engine.dispose()
    return dump
