"""Arrival order inside one process: messages of a conversation take their turns in the order they came.

The store's lock keeps turns of a conversation apart across processes, but it does not queue: whichever
waiter polls first wins. Here each message takes a ticket the moment it arrives (on the event loop, before
any thread is involved), and its turn waits until every earlier ticket of the conversation is finished.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

__all__ = ["ArrivalOrder", "OutOfTurn"]


class OutOfTurn(TimeoutError):
    """Earlier messages of the conversation kept it busy for longer than the wait allows."""


@dataclass
class _Queue:
    issued: int = 0
    serving: int = 0
    finished: set[int] = field(default_factory=set)


class ArrivalOrder:
    """Tickets per conversation, served in the order they were taken."""

    def __init__(self, timeout: float = 60.0) -> None:
        self.timeout = timeout
        self._queues: dict[str, _Queue] = {}
        self._changed = threading.Condition()

    def take(self, conversation_id: str) -> int:
        """A ticket for a message that just arrived."""
        with self._changed:
            queue = self._queues.setdefault(conversation_id, _Queue())
            queue.issued += 1
            return queue.issued - 1

    def release(self, conversation_id: str, ticket: int) -> None:
        """Give the ticket up: finished, or abandoned before its turn ran."""
        with self._changed:
            queue = self._queues.get(conversation_id)
            if queue is None or ticket < queue.serving:
                return
            queue.finished.add(ticket)
            while queue.serving in queue.finished:
                queue.finished.discard(queue.serving)
                queue.serving += 1
            if queue.serving == queue.issued:
                del self._queues[conversation_id]
            self._changed.notify_all()

    @contextmanager
    def turn(self, conversation_id: str, ticket: int) -> Iterator[None]:
        """Wait until every earlier ticket is done, run the block, then let the next one in."""
        try:
            with self._changed:
                served = self._changed.wait_for(
                    lambda: self._serving(conversation_id) >= ticket, timeout=self.timeout
                )
            if not served:
                raise OutOfTurn("earlier messages of the conversation are still being handled")
            yield
        finally:
            self.release(conversation_id, ticket)

    def _serving(self, conversation_id: str) -> int:
        queue = self._queues.get(conversation_id)
        return queue.serving if queue is not None else 1 << 62
