"""Which worker polls Telegram: the one that holds the poller's lock.

The Bot API allows one `getUpdates` caller per token and answers a second with 409 Conflict, while
`asistente serve --workers N` runs the app's lifespan in every worker. Each worker therefore tries a
lock, without waiting: the one that gets it polls, the others stand by and try again now and then, so a
worker that dies (the kernel or PostgreSQL drops its lock) is replaced by another.

- SQLite (one machine): `flock` on a file in the data folder.
- PostgreSQL (workers may sit on several machines): a session-level advisory lock held on a connection
  of its own for as long as the worker polls.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Protocol

from sqlalchemy import Connection, text
from sqlalchemy import Engine as DbEngine

__all__ = ["AdvisoryElection", "Election", "FileElection", "election_for"]


class Election(Protocol):
    """A lock taken without waiting and held until released."""

    def try_acquire(self) -> bool:
        """Take the lock if nobody holds it; True when this process now holds it."""
        ...

    def release(self) -> None:
        """Give the lock up (nothing happens when it is not held)."""
        ...


class FileElection:
    """An exclusive `flock` on one file: across the processes of one machine."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    def try_acquire(self) -> bool:
        """Take the file's lock if no other process (or open file) holds it."""
        import fcntl

        if self._fd is not None:
            return True
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        self._fd = fd
        return True

    def release(self) -> None:
        """Close the file, which drops the lock."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


class AdvisoryElection:
    """A PostgreSQL advisory lock on a connection kept open while it is held."""

    def __init__(self, db: DbEngine, key: int) -> None:
        self.db = db
        self.key = key
        self._connection: Connection | None = None

    def try_acquire(self) -> bool:
        """Take the advisory lock if no other session holds it."""
        if self._connection is not None:
            return True
        connection = self.db.connect()
        got = bool(connection.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": self.key}).scalar())
        connection.commit()
        if not got:
            connection.close()
            return False
        self._connection = connection
        return True

    def release(self) -> None:
        """Unlock, and close the connection (closing alone would also drop it)."""
        connection, self._connection = self._connection, None
        if connection is None:
            return
        try:
            connection.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": self.key})
            connection.commit()
        finally:
            connection.close()


def election_for(db: DbEngine, data_dir: Path, token: str) -> Election:
    """The poller's lock for this bot token: advisory on PostgreSQL, a file in the data folder otherwise."""
    # Keyed by the token, so two bots sharing a database never block each other; the token is hashed.
    digest = hashlib.sha256(b"telegram-poller:" + token.encode("utf-8")).digest()
    if db.url.get_backend_name() == "postgresql":
        return AdvisoryElection(db, int.from_bytes(digest[:8], "big", signed=True))
    return FileElection(data_dir / f"telegram-poller-{digest.hex()[:16]}.lock")
