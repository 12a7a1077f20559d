"""Telegram long polling with python-telegram-bot's `Bot.get_updates`, confirming only claimed updates.

Telegram forgets an update once a later `getUpdates` passes an offset beyond it. PTB's `Updater`
fetches the next batch while earlier updates may still be unhandled, so a crash could lose them; this
loop instead hands each update to the intake and moves the offset past it only once the engine stored
it with its claim. The turns themselves run after that, in the background.

Only one worker polls (bot/channels/election.py): the others stand by and try the lock again every
`standby_interval` seconds, so one of them takes over when the poller stops.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial

from telegram import Update
from telegram.error import Conflict, RetryAfter, TelegramError

from bot.channels.election import Election
from bot.channels.intake import Intake, NotClaimed
from bot.channels.telegram import ALLOWED_UPDATES, TelegramChannel, retry_after_seconds, retrying

__all__ = ["Poller", "polling"]

logger = logging.getLogger(__name__)

#: An update whose claim fails this many times is skipped (logged), so one bad update never stalls a bot.
MAX_CLAIM_ATTEMPTS = 3
#: Waits after a failed getUpdates grow up to this many seconds.
MAX_BACKOFF = 30.0


@dataclass
class Poller:
    """The getUpdates loop of one bot, run by the worker that holds the election."""

    channel: TelegramChannel
    intake: Intake
    election: Election
    poll_timeout: float = 10.0
    standby_interval: float = 5.0
    #: The first update not yet claimed; Telegram is told at the next getUpdates.
    offset: int | None = None
    elected: asyncio.Event = field(default_factory=asyncio.Event)
    _failures: dict[int, int] = field(default_factory=dict)

    async def run(self) -> None:
        """Wait to be elected, then poll until cancelled."""
        while not await asyncio.to_thread(self.election.try_acquire):
            await asyncio.sleep(self.standby_interval)
        self.elected.set()
        bot = self.channel.bot
        # A webhook left by an earlier deployment would make every getUpdates fail with 409.
        await retrying(lambda: bot.delete_webhook())
        logger.info("Telegram: polling as @%s", bot.username)
        backoff = 1.0
        while True:
            try:
                updates = await bot.get_updates(
                    offset=self.offset,
                    timeout=timedelta(seconds=self.poll_timeout),
                    allowed_updates=ALLOWED_UPDATES,
                )
            except RetryAfter as error:
                await asyncio.sleep(min(retry_after_seconds(error), MAX_BACKOFF))
                continue
            except Conflict:
                logger.error("Telegram: another process is polling this bot (409); retrying")
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, MAX_BACKOFF)
                continue
            except Exception as error:
                # Network errors, a Bot API outage: keep the bot alive and try again, a bit later each time.
                logger.warning("Telegram: getUpdates failed (%s); retrying", type(error).__name__)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, MAX_BACKOFF)
                continue
            backoff = 1.0
            await self._take(updates)

    async def _take(self, updates: tuple[Update, ...]) -> None:
        """Claim the batch in order; the offset moves past each update only once it is claimed."""
        for update in updates:
            try:
                await self.intake.take(self.channel.key(update), partial(self.channel.process, update))
            except NotClaimed:
                failures = self._failures.get(update.update_id, 0) + 1
                if failures < MAX_CLAIM_ATTEMPTS:
                    self._failures = {update.update_id: failures}
                    logger.warning("Telegram: update not stored (attempt %d); fetching it again", failures)
                    await asyncio.sleep(min(2.0**failures, MAX_BACKOFF))
                    return
                logger.error("Telegram: update skipped after %d failed attempts", failures)
            self._failures = {}
            self.offset = update.update_id + 1

    async def confirm(self) -> None:
        """Tell Telegram the claimed updates are handled, so a restart does not fetch them again."""
        if self.offset is None:
            return
        with suppress(TelegramError):
            await self.channel.bot.get_updates(
                offset=self.offset, timeout=0, limit=1, allowed_updates=ALLOWED_UPDATES
            )


@asynccontextmanager
async def polling(
    channel: TelegramChannel,
    intake: Intake,
    election: Election,
    *,
    poll_timeout: float = 10.0,
    standby_interval: float = 5.0,
) -> AsyncIterator[Poller]:
    """Poll (once elected) inside the running event loop until the block ends, then stop cleanly."""
    poller = Poller(channel, intake, election, poll_timeout=poll_timeout, standby_interval=standby_interval)
    task = asyncio.create_task(poller.run())
    try:
        yield poller
    finally:
        task.cancel()
        with suppress(asyncio.CancelledError):
            await task
        if poller.elected.is_set():
            await poller.confirm()
            logger.info("Telegram: polling stopped")
        await asyncio.to_thread(election.release)
