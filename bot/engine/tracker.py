"""The conversation state (Rasa's tracker), derived from typed events and never kept between turns."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from bot.engine.events import (
    ActionExecuted,
    ActiveLoop,
    AllSlotsReset,
    ConversationPaused,
    ConversationResumed,
    Event,
    ParseData,
    SlotSet,
    UserUttered,
)

__all__ = ["FALLBACK_ACTION", "TrackerState"]

FALLBACK_ACTION = "action_default_fallback"


@dataclass
class TrackerState:
    """Slots, active form, latest message and the events they come from."""

    sender_id: str
    slots: dict[str, Any]
    events: list[Event] = field(default_factory=list)
    active_loop: str | None = None
    latest_message: UserUttered | None = None
    latest_action_name: str | None = None
    paused: bool = False
    fallbacks: int = 0

    @classmethod
    def from_events(
        cls, sender_id: str, initial_slots: dict[str, Any], events: Iterable[Event]
    ) -> TrackerState:
        """Replay `events` over the initial slots."""
        state = cls(sender_id=sender_id, slots=dict(initial_slots))
        for event in events:
            state.apply(event)
        return state

    @property
    def requested_slot(self) -> str | None:
        """The slot the active form is waiting for."""
        value = self.slots.get("requested_slot")
        return value if isinstance(value, str) else None

    @property
    def parse(self) -> ParseData:
        """What the NLU understood of the latest message (empty before the first one)."""
        return self.latest_message.parse if self.latest_message is not None else ParseData()

    def apply(self, event: Event) -> None:
        """Apply one event to the state and keep it in the event list."""
        self.events.append(event)
        if isinstance(event, SlotSet):
            self.slots[event.name] = event.value
        elif isinstance(event, ActiveLoop):
            self.active_loop = event.name
            if event.name is None:
                self.slots["requested_slot"] = None
        elif isinstance(event, UserUttered):
            self.latest_message = event
        elif isinstance(event, ActionExecuted):
            self.latest_action_name = event.name
            if event.name == FALLBACK_ACTION:
                self.fallbacks += 1
            elif event.name != "action_listen":
                self.fallbacks = 0
        elif isinstance(event, ConversationPaused):
            self.paused = True
        elif isinstance(event, ConversationResumed):
            self.paused = False
        elif isinstance(event, AllSlotsReset):
            for name in list(self.slots):
                self.slots[name] = None

    def to_rasa(self, latest_input_channel: str | None = None) -> dict[str, Any]:
        """The tracker JSON of the Rasa action-server protocol."""
        latest: dict[str, Any] = {}
        if self.latest_message is not None:
            latest = self.latest_message.parse.to_rasa()
            latest["text"] = self.latest_message.text
            latest["metadata"] = dict(self.latest_message.metadata)
            latest["message_id"] = self.latest_message.message_id
        return {
            "sender_id": self.sender_id,
            "slots": dict(self.slots),
            "latest_message": latest,
            "events": [e.to_dict() for e in self.events],
            "paused": self.paused,
            "followup_action": None,
            "active_loop": {"name": self.active_loop} if self.active_loop else {},
            "latest_action_name": self.latest_action_name,
            "latest_input_channel": latest_input_channel,
        }
