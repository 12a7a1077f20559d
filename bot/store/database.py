"""Engine creation (SQLite in WAL mode by default) and Alembic migrations."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

__all__ = ["checkpoint", "create_db_engine", "migrate", "session_factory"]

MIGRATIONS_DIR = Path(__file__).resolve().parents[2] / "migrations"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """WAL lets readers (agent console, bench) run while a turn writes."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    # Deleted rows (held e.firma keys, erased people) are overwritten, not left in free pages.
    cursor.execute("PRAGMA secure_delete=ON")
    # Several workers write to one file: a writer waits for another instead of failing at once.
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def create_db_engine(url: str) -> Engine:
    """An engine for `url`; SQLite files get WAL mode and a busy timeout."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    # A turn holds one connection for its conversation lock and uses others for its work. No ping before
    # each checkout (a round trip every time); connections are renewed every 10 minutes instead.
    return create_engine(url, pool_size=20, max_overflow=20, pool_recycle=600)


def checkpoint(engine: Engine) -> None:
    """On SQLite, move the write-ahead log into the database file and empty it (after wiping secrets)."""
    if engine.url.get_backend_name() == "sqlite":
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """A session factory; one session per turn or request."""
    return sessionmaker(engine, expire_on_commit=False)


def migrate(engine: Engine) -> None:
    """Bring the database schema to the newest Alembic revision."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
