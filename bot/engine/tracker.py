"""The conversation state (Rasa's tracker), derived from typed events and never kept between turns."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from bot.engine.events import (
    ActionExecuted,
    ActiveLoop,
    AllSlotsReset,
    BotUttered,
    ConversationPaused,
    ConversationResumed,
    Event,
    ParseData,
    SessionStarted,
    SlotSet,
    UserUttered,
    event_from_dict,
)
from bot.engine.messages import Button

__all__ = ["FALLBACK_ACTION", "TrackerState"]

FALLBACK_ACTION = "action_default_fallback"
#: How many distinct offered payloads a conversation remembers (old keyboards stay tappable).
_OFFERED_KEPT = 100


@dataclass
class TrackerState:
    """Slots, active form, latest message and the events of the current session that matter now.

    A turn starts from a snapshot (`from_snapshot`) plus the events stored after it, so its cost does not
    grow with the conversation. `events` then holds the session as the actions need it: a
    `session_started`, the slots as they stand, the active form, and every event since.
    """

    sender_id: str
    slots: dict[str, Any]
    events: list[Event] = field(default_factory=list)
    active_loop: str | None = None
    latest_message: UserUttered | None = None
    latest_action_name: str | None = None
    paused: bool = False
    fallbacks: int = 0
    #: Events ever applied in this conversation (a stable seed for choosing a response variant).
    applied: int = 0
    #: When the current session started and when the person last wrote (seconds since the epoch).
    session_started_at: float | None = None
    last_user_at: float | None = None
    #: The buttons the bot sent since the person last wrote: a typed number chooses among them.
    last_buttons: list[Button] = field(default_factory=list)
    #: Payloads the bot offered in this conversation (the latest ones): only these may carry slot values.
    offered_payloads: list[str] = field(default_factory=list)

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
        self.applied += 1
        if isinstance(event, SessionStarted):
            self.session_started_at = event.timestamp
        if isinstance(event, SlotSet):
            self.slots[event.name] = event.value
        elif isinstance(event, ActiveLoop):
            self.active_loop = event.name
            if event.name is None:
                self.slots["requested_slot"] = None
        elif isinstance(event, UserUttered):
            self.latest_message = event
            self.last_user_at = event.timestamp
            self.last_buttons = []
        elif isinstance(event, BotUttered):
            self._offer(event.buttons)
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

    def _offer(self, buttons: tuple[Button, ...]) -> None:
        self.last_buttons += buttons
        for button in buttons:
            if button.payload in self.offered_payloads:
                self.offered_payloads.remove(button.payload)
            self.offered_payloads.append(button.payload)
        del self.offered_payloads[:-_OFFERED_KEPT]

    def snapshot(self) -> dict[str, Any]:
        """The state as JSON, to start the next turn from."""
        return {
            "slots": dict(self.slots),
            "active_loop": self.active_loop,
            "latest_message": self.latest_message.to_dict() if self.latest_message is not None else None,
            "latest_action_name": self.latest_action_name,
            "paused": self.paused,
            "fallbacks": self.fallbacks,
            "applied": self.applied,
            "session_started_at": self.session_started_at,
            "last_user_at": self.last_user_at,
            "last_buttons": [[b.title, b.payload] for b in self.last_buttons],
            "offered_payloads": list(self.offered_payloads),
        }

    @classmethod
    def from_snapshot(
        cls, sender_id: str, initial_slots: dict[str, Any], snapshot: dict[str, Any] | None
    ) -> TrackerState:
        """The state a snapshot describes (a fresh one for None), with the session's summary as events."""
        if snapshot is None:
            return cls(sender_id=sender_id, slots=dict(initial_slots))
        latest = snapshot.get("latest_message")
        latest_event = event_from_dict(latest) if latest else None
        state = cls(
            sender_id=sender_id,
            slots={**initial_slots, **snapshot.get("slots", {})},
            active_loop=snapshot.get("active_loop"),
            latest_message=latest_event if isinstance(latest_event, UserUttered) else None,
            latest_action_name=snapshot.get("latest_action_name"),
            paused=bool(snapshot.get("paused")),
            fallbacks=int(snapshot.get("fallbacks") or 0),
            applied=int(snapshot.get("applied") or 0),
            session_started_at=snapshot.get("session_started_at"),
            last_user_at=snapshot.get("last_user_at"),
            last_buttons=[
                Button(str(title), str(payload)) for title, payload in snapshot.get("last_buttons", [])
            ],
            offered_payloads=[str(p) for p in snapshot.get("offered_payloads", [])],
        )
        stamp = state.session_started_at or 0.0
        state.events = [SessionStarted(timestamp=stamp)]
        state.events += [
            SlotSet(name=name, value=value, timestamp=stamp)
            for name, value in state.slots.items()
            if value is not None and value != initial_slots.get(name)
        ]
        if state.active_loop:
            state.events.append(ActiveLoop(name=state.active_loop, timestamp=stamp))
        return state

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
