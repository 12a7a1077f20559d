"""The form loop: fill slots from the message, let the form's validator check them, ask the next one.

As in Rasa: after `validate_<form>` ran, the engine asks for the next empty required slot (or the one the
validator named), or submits the form when none is left. Validators only explain what is wrong; asking
is the engine's job, with `utter_reask_*` when the same slot is asked again.
"""

from __future__ import annotations

import logging
from typing import Any

from bot.engine.dispatch import ActionDispatcher
from bot.engine.domain import Domain
from bot.engine.events import ActionExecuted, ActiveLoop, SlotSet
from bot.engine.turn import Turn

__all__ = ["FormLoop", "ask_responses"]

logger = logging.getLogger(__name__)


def ask_responses(form: str, slot: str, *, reask: bool) -> list[str]:
    """The response names that may ask for `slot`, most specific first."""
    names = [f"utter_reask_{form}_{slot}", f"utter_reask_{slot}"] if reask else []
    return [*names, f"utter_ask_{form}_{slot}", f"utter_ask_{slot}"]


class FormLoop:
    """Runs the active form for one message."""

    def __init__(self, domain: Domain, dispatcher: ActionDispatcher) -> None:
        self.domain = domain
        self.dispatcher = dispatcher

    def activate(self, turn: Turn, form: str) -> None:
        """Start `form` and ask its first question (or submit it, if every slot is known)."""
        turn.add(ActionExecuted(name=form))
        turn.add(ActiveLoop(name=form))
        self.run(turn, form, activating=True)

    def deactivate(self, turn: Turn) -> None:
        """End the active form without submitting it."""
        turn.add(ActiveLoop(name=None))
        turn.add(SlotSet(name="requested_slot", value=None))

    def run(self, turn: Turn, form: str, *, activating: bool = False) -> None:
        """Fill, validate, then ask the next slot or submit."""
        state = turn.state
        asked_before = state.requested_slot
        for slot, value in self.candidates(turn, form).items():
            turn.add(SlotSet(name=slot, value=value))
        has_next, next_slot = False, None
        validator = f"validate_{form}"
        if self.dispatcher.runner.known(validator):
            result = self.dispatcher.call(turn, validator)
            turn.add(ActionExecuted(name=validator))
            has_next, next_slot = self.dispatcher.apply(turn, result).requested
        if state.paused or state.active_loop != form:
            return
        if not has_next:
            next_slot = next((s for s in self.domain.forms.get(form, []) if state.slots.get(s) is None), None)
        if next_slot is not None:
            self.ask(turn, form, next_slot, reask=next_slot == asked_before and not activating)
            return
        self.deactivate(turn)
        for action in self.domain.submit_actions(form):
            self.dispatcher.run(turn, action)
            if state.paused:
                return

    def ask(self, turn: Turn, form: str, slot: str, *, reask: bool = False) -> None:
        """Ask for `slot`: a custom `action_ask_<slot>`, else the most specific ask response."""
        if turn.state.requested_slot != slot:
            turn.add(SlotSet(name="requested_slot", value=slot))
        custom = f"action_ask_{slot}"
        if self.dispatcher.runner.known(custom):
            self.dispatcher.run(turn, custom)
            return
        name = next((n for n in ask_responses(form, slot, reask=reask) if n in self.domain.responses), None)
        if name is None:
            logger.error("No response asks for %s in %s", slot, form)
            name = "utter_error"
        self.dispatcher.renderer.utter(turn, name)

    def candidates(self, turn: Turn, form: str) -> dict[str, Any]:
        """Slot values this message offers, by the domain's mappings, first mapping wins."""
        state = turn.state
        latest = state.latest_message
        text = latest.text if latest is not None else ""
        parse = state.parse
        found: dict[str, Any] = {}
        # As in Rasa: an entity the requested slot takes (a relative's CURP) fills no other slot
        # (the titular's CURP) in the same message.
        reserved = {
            m.entity
            for m in self.domain.mappings.get(state.requested_slot or "", [])
            if m.type == "from_entity" and m.applies(form, state.requested_slot)
        }
        for slot, mappings in self.domain.mappings.items():
            for mapping in mappings:
                if not mapping.applies(form, state.requested_slot):
                    continue
                value: Any = None
                if mapping.type == "from_entity":
                    if mapping.entity in reserved and slot != state.requested_slot:
                        continue
                    value = parse.entity(mapping.entity or "")
                elif mapping.type == "from_text":
                    if not text or (mapping.not_intent and parse.intent in mapping.not_intent):
                        continue
                    value = text
                elif mapping.type == "from_intent":
                    if parse.intent not in mapping.intent:
                        continue
                    value = mapping.value
                if value is not None:
                    found[slot] = value
                    break
        return found
