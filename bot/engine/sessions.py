"""Sessions: after an idle time the conversation starts afresh, keeping only the slots the domain names."""

from __future__ import annotations

from bot.engine.domain import Domain
from bot.engine.events import ActiveLoop, AllSlotsReset, Event, SessionStarted, SlotSet
from bot.engine.tracker import TrackerState

__all__ = ["Sessions"]


class Sessions:
    """Decides when a session ends and what the next one starts with (Rasa's session_config)."""

    def __init__(self, domain: Domain) -> None:
        self.initial = domain.initial_slots()
        self.expiration_seconds = domain.policy.session_expiration_minutes * 60
        self.carry_over = domain.policy.session_carry_over_slots

    def new_session_events(self, state: TrackerState, now: float) -> list[Event]:
        """The events that open a new session at `now`, or none while the current one lasts."""
        first = state.session_started_at is None and state.last_user_at is None
        idle = state.last_user_at is not None and 0 < self.expiration_seconds < now - state.last_user_at
        if not (first or idle):
            return []
        events: list[Event] = [SessionStarted(timestamp=now)]
        if first:
            return events
        if state.active_loop:
            events.append(ActiveLoop(name=None, timestamp=now))
        events.append(AllSlotsReset(timestamp=now))
        events += [
            SlotSet(name=name, value=value, timestamp=now)
            for name, value in state.slots.items()
            if value is not None and (name in self.carry_over or self.initial.get(name) == value)
        ]
        return events
