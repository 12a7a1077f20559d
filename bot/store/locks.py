"""One turn at a time per conversation, across threads and worker processes, with a bounded wait.

- PostgreSQL: a session-level advisory lock on the conversation's key, held on a connection of its own
  for the turn. If the process dies, PostgreSQL drops the connection and the lock with it.
- SQLite (always one machine): an exclusive `flock` on one of 1,024 stripe files beside the database.
  The kernel releases it when the process dies, so a crash never leaves a conversation locked.
- Anything else (an in-memory database): a lock per conversation in this process.

A waiting turn polls with a short, growing sleep; after `timeout` seconds it gives up with
`ConversationBusy` (which the web layer turns into a retryable 503, never a lost message).
"""

from __future__ import annotations

import hashlib
import os
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Protocol

from sqlalchemy import Engine, text

__all__ = ["ConversationBusy", "ConversationLocks", "locks_for"]

_STRIPES = 1024


class ConversationBusy(TimeoutError):
    """Another turn of the conversation held it for longer than the wait allows."""


class ConversationLocks(Protocol):
    """Hands out the lock of one conversation."""

    def hold(self, conversation_id: str) -> AbstractContextManager[None]:
        """Hold the conversation until the block ends."""
        ...


def _key(conversation_id: str) -> int:
    """A stable signed 64-bit key for a conversation id."""
    digest = hashlib.blake2b(conversation_id.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def _wait(try_once: Callable[[], bool], timeout: float) -> None:
    """Call `try_once` until it succeeds, sleeping a little longer each time, for at most `timeout`."""
    deadline = time.monotonic() + timeout
    pause = 0.001
    while not try_once():
        if time.monotonic() >= deadline:
            raise ConversationBusy("the conversation is busy with another turn")
        time.sleep(pause)
        pause = min(pause * 2, 0.05)


class ThreadLocks:
    """Per-conversation locks inside this process (in-memory databases, tests)."""

    def __init__(self, timeout: float = 30.0) -> None:
        self.timeout = timeout
        self._locks: weakref.WeakValueDictionary[str, threading.Lock] = weakref.WeakValueDictionary()
        self._guard = threading.Lock()

    @contextmanager
    def hold(self, conversation_id: str) -> Iterator[None]:
        """Hold the conversation in this process."""
        with self._guard:
            lock = self._locks.get(conversation_id)
            if lock is None:
                lock = self._locks[conversation_id] = threading.Lock()
        if not lock.acquire(timeout=self.timeout):
            raise ConversationBusy("the conversation is busy with another turn")
        try:
            yield
        finally:
            lock.release()


class FileLocks:
    """Striped `flock` files beside a SQLite database: across processes on one machine.

    Inside one process, turns also take one process-wide lock: SQLite has a single writer, and threads
    that write at once only wait in SQLite's busy handler, which sleeps up to 100 ms between tries.
    Queued on a lock, the next turn starts the moment the previous one ends.
    """

    def __init__(self, folder: Path, timeout: float = 30.0) -> None:
        import fcntl

        self._fcntl = fcntl
        self.folder = folder
        self.timeout = timeout
        self._writer = threading.Lock()
        folder.mkdir(parents=True, exist_ok=True)

    @contextmanager
    def hold(self, conversation_id: str) -> Iterator[None]:
        """Hold this process's turn and the conversation's stripe file."""
        if not self._writer.acquire(timeout=self.timeout):
            raise ConversationBusy("the assistant is busy with other turns")
        try:
            with self._stripe(conversation_id):
                yield
        finally:
            self._writer.release()

    @contextmanager
    def _stripe(self, conversation_id: str) -> Iterator[None]:
        path = self.folder / f"{_key(conversation_id) % _STRIPES:04d}.lock"
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:

            def try_once() -> bool:
                try:
                    self._fcntl.flock(fd, self._fcntl.LOCK_EX | self._fcntl.LOCK_NB)
                except BlockingIOError:
                    return False
                return True

            _wait(try_once, self.timeout)
            try:
                yield
            finally:
                self._fcntl.flock(fd, self._fcntl.LOCK_UN)
        finally:
            os.close(fd)


_TRY_LOCK = text("SELECT pg_try_advisory_lock(:k)")
_UNLOCK = text("SELECT pg_advisory_unlock(:k)")


class AdvisoryLocks:
    """PostgreSQL session-level advisory locks, one connection held per turn."""

    def __init__(self, engine: Engine, timeout: float = 30.0) -> None:
        self.engine = engine
        self.timeout = timeout

    @contextmanager
    def hold(self, conversation_id: str) -> Iterator[None]:
        """Hold the conversation's advisory lock."""
        key = _key(conversation_id)
        # Autocommit: taking and dropping the lock is one round trip each, with no transaction around it.
        with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:

            def try_once() -> bool:
                return bool(connection.execute(_TRY_LOCK, {"k": key}).scalar())

            _wait(try_once, self.timeout)
            try:
                yield
            finally:
                connection.execute(_UNLOCK, {"k": key})


def locks_for(engine: Engine, timeout: float = 30.0) -> ConversationLocks:
    """The right kind of lock for the database behind `engine`."""
    url = engine.url
    if url.get_backend_name() == "postgresql":
        return AdvisoryLocks(engine, timeout)
    database = url.database
    if url.get_backend_name() == "sqlite" and database and database != ":memory:":
        return FileLocks(Path(f"{database}.locks"), timeout)
    return ThreadLocks(timeout)
