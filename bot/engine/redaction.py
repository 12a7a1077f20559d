"""What may be written: a message typed at a sensitive step and secret slot values are replaced."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from bot.engine.domain import Policy
from bot.engine.events import Event, SlotSet, UserUttered

__all__ = ["REDACTED", "Redactor"]

REDACTED = "••••••"


class Redactor:
    """Makes the stored copy of a turn's events."""

    def __init__(self, policy: Policy) -> None:
        self.secret_slots = policy.secret_slots

    def stored(self, events: Iterable[Event], *, sensitive: bool) -> list[Event]:
        """The events as they may be written: secrets replaced, everything else as is."""
        return [self._stored(event, sensitive) for event in events]

    def _stored(self, event: Event, sensitive: bool) -> Event:
        if isinstance(event, UserUttered) and sensitive:
            return replace(event, text=REDACTED, parse=replace(event.parse, text=REDACTED))
        if isinstance(event, SlotSet) and event.name in self.secret_slots and event.value:
            return replace(event, value=REDACTED)
        return event
