"""The conversation state (Rasa tracker) rebuilt from the stored event log."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["TrackerState"]


@dataclass
class TrackerState:
    """Slots, active form and latest message, derived from events, never kept in memory."""

    sender_id: str
    slots: dict[str, Any]
    events: list[dict[str, Any]] = field(default_factory=list)
    active_loop: str | None = None
    latest_message: dict[str, Any] = field(default_factory=dict)
    latest_action_name: str | None = None
    paused: bool = False
    fallbacks: int = 0

    @classmethod
    def from_events(
        cls, sender_id: str, initial_slots: dict[str, Any], events: list[dict[str, Any]]
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

    def apply(self, event: dict[str, Any]) -> None:
        """Apply one Rasa event dict to the state and keep it in the event list."""
        self.events.append(event)
        kind = event.get("event")
        if kind == "slot":
            self.slots[str(event["name"])] = event.get("value")
        elif kind == "active_loop":
            self.active_loop = event.get("name")
            if self.active_loop is None:
                self.slots["requested_slot"] = None
        elif kind == "user":
            self.latest_message = dict(event.get("parse_data") or {})
            self.latest_message.setdefault("text", event.get("text"))
            self.latest_message["metadata"] = event.get("metadata") or {}
            self.latest_message["message_id"] = event.get("message_id")
        elif kind == "action":
            self.latest_action_name = event.get("name")
            if event.get("name") == "action_default_fallback":
                self.fallbacks += 1
            elif event.get("name") not in (None, "action_listen"):
                self.fallbacks = 0
        elif kind == "pause":
            self.paused = True
        elif kind == "resume":
            self.paused = False
        elif kind == "reset_slots":
            for name in list(self.slots):
                self.slots[name] = None

    def to_rasa(self, latest_input_channel: str | None = None) -> dict[str, Any]:
        """The tracker JSON the Rasa action-server protocol sends."""
        return {
            "sender_id": self.sender_id,
            "slots": dict(self.slots),
            "latest_message": self.latest_message,
            "events": list(self.events),
            "paused": self.paused,
            "followup_action": None,
            "active_loop": {"name": self.active_loop} if self.active_loop else {},
            "latest_action_name": self.latest_action_name,
            "latest_input_channel": latest_input_channel,
        }
