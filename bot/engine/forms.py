"""The form loop: fill slots from the message, let the form's validator check them, ask the next one.

As in Rasa: after `validate_<form>` ran, the engine asks for the next empty required slot (or the one the
validator named), or submits the form when none is left. Validators only explain what is wrong; asking
is the engine's job, with `utter_reask_*` when the same slot is asked again. After
`attempts_before_help` failed attempts at one value, the step's help and an agent come before the
question. A finished form hands over to `Continuity`, which may resume a trámite left for a detour.
"""

from __future__ import annotations

import logging
from typing import Any

from bot.engine.continuity import Continuity
from bot.engine.dialogue import DialoguePolicy, dialogue_policy
from bot.engine.digressions import Digressions
from bot.engine.dispatch import ActionDispatcher
from bot.engine.domain import Domain
from bot.engine.events import ActionExecuted, ActiveLoop, SlotSet
from bot.engine.turn import Turn

__all__ = ["FormLoop", "ask_responses"]

logger = logging.getLogger(__name__)

#: "Ahora sí, sigamos con…": said when a trámite left for a detour resumes (`utter_retomar_<form>` first).
_RESUME = "utter_retomar"


def ask_responses(form: str, slot: str, *, reask: bool, after_help: bool = False) -> list[str]:
    """The response names that may ask for `slot`, most specific first.

    After a step's help the question comes back short (`utter_sigue_*`: the help already said the rest).
    """
    names = [f"utter_reask_{form}_{slot}", f"utter_reask_{slot}"] if reask else []
    if after_help:
        names = [f"utter_sigue_{form}_{slot}", f"utter_sigue_{slot}"]
    return [*names, f"utter_ask_{form}_{slot}", f"utter_ask_{slot}"]


class FormLoop:
    """Runs the active form for one message."""

    def __init__(self, domain: Domain, dispatcher: ActionDispatcher) -> None:
        self.domain = domain
        self.dispatcher = dispatcher
        self.dialogue: DialoguePolicy = dialogue_policy(domain)
        self.continuity = Continuity(domain, self.dialogue)
        self.digressions = Digressions(domain, self.dialogue, dispatcher.renderer)

    def activate(self, turn: Turn, form: str) -> None:
        """Start `form` and ask its first question (or submit it, if every slot is known)."""
        self.continuity.starting(turn, form)
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
            failed = next_slot == asked_before and not activating
            self.count_attempt(turn, form, next_slot, failed=failed)
            self.ask(turn, form, next_slot, reask=failed)
            return
        self.deactivate(turn)
        for action in self.domain.submit_actions(form):
            self.dispatcher.run(turn, action)
            if state.paused:
                return
        pending = self.continuity.finished(turn, form)
        if pending is not None:
            self.resume(turn, pending)

    def count_attempt(self, turn: Turn, form: str, slot: str, *, failed: bool) -> None:
        """Count failed attempts at one value; every `attempts_before_help` of them, help and an agent."""
        name = self.dialogue.slots.failed_attempts
        attempts = int(turn.state.slots.get(name) or 0) + 1 if failed else 0
        if turn.state.slots.get(name) != (attempts or None):
            turn.add(SlotSet(name=name, value=attempts or None))
        every = self.dialogue.attempts_before_help
        if attempts and every > 0 and attempts % every == 0:
            self.digressions.help(turn, form, slot)
            self.digressions.offer_agent(turn)

    def resume(self, turn: Turn, form: str) -> None:
        """Take up again the trámite a detour interrupted: "Ahora sí…", then its next question."""
        name = next((n for n in (f"{_RESUME}_{form}", _RESUME) if n in self.domain.responses), None)
        if name is not None:
            self.dispatcher.renderer.utter(turn, name)
        self.dispatcher.run(turn, form)

    def ask(self, turn: Turn, form: str, slot: str, *, reask: bool = False, after_help: bool = False) -> None:
        """Ask for `slot`: a custom `action_ask_<form>_<slot>` or `action_ask_<slot>`, else a response."""
        if turn.state.requested_slot != slot:
            turn.add(SlotSet(name="requested_slot", value=slot))
        for custom in (f"action_ask_{form}_{slot}", f"action_ask_{slot}"):
            if self.dispatcher.runner.known(custom):
                self.dispatcher.run(turn, custom)
                return
        names = ask_responses(form, slot, reask=reask, after_help=after_help)
        name = next((n for n in names if n in self.domain.responses), None)
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
