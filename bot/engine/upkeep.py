"""Upkeep at the start of every turn: expired uploads and old rate-limit counts are forgotten.

Held e.firma files must vanish after their 10 minutes even if nobody uploads again, so turns (of any
conversation) delete the expired ones: one indexed DELETE, usually of nothing, at most once per
`held_every` seconds (a second by default: late by a second at most, and not a statement on every one of
hundreds of turns a second). Rate-limit counts only need to go once they are older than every window, so
they are purged at most once per `every` seconds.
A failure here is logged and never stops the turn: the next turn tries again.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.engine.ports import AttachmentSink, RateLimit

__all__ = ["Upkeep"]

logger = logging.getLogger(__name__)


@dataclass
class Upkeep:
    """Purges what expired, from the turn's thread."""

    attachments: AttachmentSink | None
    rate_limit: RateLimit | None
    every: float = 60.0
    held_every: float = 1.0
    clock: Callable[[], float] = time.monotonic
    _last: dict[str, float] = field(default_factory=dict, init=False)
    _guard: threading.Lock = field(default_factory=threading.Lock, init=False)

    def run(self) -> None:
        """Forget expired held files; now and then, old rate-limit counts."""
        if self.attachments is not None and self._due("held", self.held_every):
            try:
                self.attachments.purge_expired()
            except Exception:
                logger.exception("Could not purge the expired held files")
        if self.rate_limit is None or not self._due("counts", self.every):
            return
        try:
            self.rate_limit.purge()
        except Exception:
            logger.exception("Could not purge the old rate-limit counts")

    def _due(self, what: str, every: float) -> bool:
        """Whether the purge of `what` is due (one thread of this process takes it)."""
        now = self.clock()
        with self._guard:
            last = self._last.get(what)
            if last is not None and now - last < every:
                return False
            self._last[what] = now
            return True
