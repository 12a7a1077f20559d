"""Acknowledge a message only once it is durably claimed; run the rest of its turn in the background.

A webhook answers 200 (or the Telegram poller confirms an offset) only after the engine stored the
message with its claim (`Engine.handle(on_received=...)`): a crash after that point loses nothing, since
the platform's redelivery or the conversation's next message resumes the turn. The turn itself and the
sending of its replies go on after the acknowledgement, on the event loop, one conversation's messages
after the other in arrival order.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from bot.engine import Engine, Incoming, Outgoing

__all__ = ["Intake", "NotClaimed", "OnReceived", "Work", "answer"]

logger = logging.getLogger(__name__)

OnReceived = Callable[[], None]
#: What handling one message means for a channel: given the callback to call once it is claimed.
Work = Callable[[OnReceived], Awaitable[None]]


class NotClaimed(Exception):
    """The message could not be stored: the platform must not be told it was received."""


class _Slot:
    """One conversation's lock and how many messages use it (dropped when none does)."""

    def __init__(self) -> None:
        self.lock = asyncio.Lock()
        self.users = 0


class Intake:
    """Starts each message's work, waits for its claim, and keeps the unfinished work until closed."""

    def __init__(self, claim_timeout: float = 20.0) -> None:
        self.claim_timeout = claim_timeout
        self._tasks: set[asyncio.Task[None]] = set()
        self._slots: dict[str, _Slot] = {}

    async def take(self, key: str, work: Work) -> None:
        """Start `work` for conversation `key`; return once its message is claimed (or the work ended).

        Raises `NotClaimed` when the work failed before the claim or the claim took too long.
        """
        loop = asyncio.get_running_loop()
        claimed = asyncio.Event()
        failure: list[BaseException] = []

        def on_received() -> None:
            # Called from the turn's worker thread.
            loop.call_soon_threadsafe(claimed.set)

        async def run() -> None:
            async with self._serial(key):
                try:
                    await work(on_received)
                except Exception as error:
                    failure.append(error)
                    logger.error("A channel message failed (%s)", type(error).__name__, exc_info=error)

        task = loop.create_task(run())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        waiter = loop.create_task(claimed.wait())
        try:
            await asyncio.wait(
                {task, waiter}, timeout=self.claim_timeout, return_when=asyncio.FIRST_COMPLETED
            )
        finally:
            waiter.cancel()
        if claimed.is_set():
            return
        if task.done() and not failure:
            return
        if failure:
            raise NotClaimed("the message could not be stored") from failure[0]
        raise NotClaimed("the message was not stored in time")

    async def drain(self, timeout: float = 30.0) -> None:
        """Let the running work finish (at most `timeout` seconds), then cancel what is left."""
        pending = set(self._tasks)
        if not pending:
            return
        _done, late = await asyncio.wait(pending, timeout=timeout)
        for task in late:
            task.cancel()
        if late:
            logger.warning("%d channel messages were still running at shutdown", len(late))

    @asynccontextmanager
    async def _serial(self, key: str) -> AsyncIterator[None]:
        """One message of a conversation at a time, so replies go out in the order messages came."""
        slot = self._slots.get(key)
        if slot is None:
            slot = self._slots[key] = _Slot()
        slot.users += 1
        try:
            async with slot.lock:
                yield
        finally:
            slot.users -= 1
            if slot.users == 0:
                del self._slots[key]


async def answer(engine: Engine, incoming: Incoming, on_received: OnReceived) -> list[Outgoing]:
    """The engine's replies to one message; a turn that fails after its claim gets an apology.

    A failure before the claim is raised, so the platform is not acknowledged and delivers it again.
    """
    claimed = False

    def received() -> None:
        nonlocal claimed
        claimed = True
        on_received()

    try:
        return await engine.handle(incoming, on_received=received)
    except Exception as error:
        if not claimed:
            raise
        logger.error("A %s turn failed after its claim", incoming.channel, exc_info=error)
        return [Outgoing(text=engine.text("utter_error"))]
