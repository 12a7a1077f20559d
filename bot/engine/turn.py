"""One turn: the events and messages produced while handling one incoming message."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from bot.engine.events import BotUttered, Event
from bot.engine.messages import Button, Document, Outgoing
from bot.engine.tracker import TrackerState

__all__ = ["Turn"]


@dataclass
class Turn:
    """The state being changed and what this message has produced so far."""

    state: TrackerState
    channel: str
    #: The message is typed at a sensitive step: it is stored redacted and never parsed.
    sensitive: bool = False
    new_events: list[Event] = field(default_factory=list)
    outgoing: list[Outgoing] = field(default_factory=list)

    def add(self, event: Event) -> None:
        """Apply an event to the state and keep it for storage."""
        self.state.apply(event)
        self.new_events.append(event)

    def say(
        self,
        text: str,
        buttons: Iterable[Button] = (),
        document: Document | None = None,
        *,
        response: str | None = None,
    ) -> None:
        """Send one message: a bot event and an outgoing message."""
        buttons = tuple(buttons)
        self.add(BotUttered(text=text, buttons=buttons, document=document, response=response))
        self.outgoing.append(Outgoing(text=text, buttons=buttons, document=document))

    @property
    def paused(self) -> bool:
        """Whether the conversation went to an agent during this turn."""
        return self.state.paused
