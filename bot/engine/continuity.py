"""What carries from one trámite to the next: a pending request, the last trámite, whose data it is.

- A detour ("no sé mi NSS" → the NSS trámite) leaves the first trámite pending; when the detour's
  trámite finishes, the first one resumes ("Ahora sí, tu constancia de vigencia…").
- The form that last finished is remembered, so a follow-up ("ahora la de mi esposa") can refer to it.
- Starting a different trámite clears the identity confirmation, so the form asks whose trámite it is
  before reusing a CURP from earlier in the session. A detour, a resumed trámite, the same trámite again
  (another beneficiary, a retry) or a switch in the middle of one go on with the same person.
- A finished trámite forgets its own answers; identity slots (`keep_slots`) and the slots that outlive
  a session stay.
"""

from __future__ import annotations

from bot.engine.dialogue import DialoguePolicy
from bot.engine.domain import Domain
from bot.engine.events import SlotSet
from bot.engine.turn import Turn

__all__ = ["Continuity"]

class Continuity:
    """Keeps the conversation's thread across forms, in slots named by the policy."""

    def __init__(self, domain: Domain, dialogue: DialoguePolicy) -> None:
        self.domain = domain
        self.slots = dialogue.slots

    def _set(self, turn: Turn, slot: str, value: object) -> None:
        if turn.state.slots.get(slot) != value:
            turn.add(SlotSet(name=slot, value=value))

    def starting(self, turn: Turn, form: str) -> None:
        """A form is about to start: a resumed, detour, repeated or new trámite."""
        slots = turn.state.slots
        pending = slots.get(self.slots.pending)
        if pending == form:
            self._set(turn, self.slots.pending, None)
        continues = bool(pending) or form == slots.get(self.slots.last_started)
        self._set(turn, self.slots.identity_confirmed, slots.get(self.slots.identity) if continues else None)
        self._set(turn, self.slots.last_started, form)
        self._set(turn, self.slots.failed_attempts, None)

    def remember(self, turn: Turn, form: str) -> None:
        """`form` is left for a detour and resumes after it."""
        self._set(turn, self.slots.pending, form)

    def switching(self, turn: Turn, to_form: str) -> None:
        """The person asked for `to_form` in the middle of a trámite: the same person goes on."""
        self._set(turn, self.slots.pending, None)
        self._set(turn, self.slots.last_started, to_form)

    def forget(self, turn: Turn) -> None:
        """The person left: nothing resumes."""
        self._set(turn, self.slots.pending, None)
        self._set(turn, self.slots.failed_attempts, None)

    def finished(self, turn: Turn, form: str) -> str | None:
        """`form` was submitted: forget its answers; the form to resume now, if one was pending."""
        state = turn.state
        self._set(turn, self.slots.last_form, form)
        self._set(turn, self.slots.failed_attempts, None)
        still_asked = set(self.domain.forms.get(state.active_loop or "", []))
        rules = self.domain.policy
        keep = rules.keep_slots | rules.session_carry_over_slots | still_asked
        for slot in self.domain.forms.get(form, []):
            if slot not in keep:
                self._set(turn, slot, None)
        pending = state.slots.get(self.slots.pending)
        if not pending or pending == form or state.active_loop or state.paused:
            return None
        return str(pending)
