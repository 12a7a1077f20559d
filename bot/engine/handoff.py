"""Human handoff inside a turn: the queue notice when the bot pauses, and what a paused conversation answers.

The queue itself (who waits, which agent has whom, office hours, reminders) lives outside the engine,
behind the `HandoffDesk` port; bot/agents implements it on the database. The engine runs its side as
built-in actions, as Rasa runs `action_listen` itself instead of asking the action server:

- `action_handoff` (actions/agente.py) says the handoff line, pauses the conversation and asks for
  `action_en_cola` next: the desk puts the conversation in the queue and the person is told their
  place and wait, or, out of office hours, when to expect an answer.
- While the conversation is paused, the person's message is stored (the turn did that) and the policy
  calls `while_paused`: "volver al asistente" or "cancelar" leaves the queue (`action_salir_de_cola`);
  anything else runs `action_en_espera`, where the desk decides whether a short "you are still in the
  queue" is due (never more than one every few minutes) or, with an agent on it, the bot keeps quiet.

Without a desk attached (`Engine.attach_handoff`) these actions are unknown and only the pause happens.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from bot.engine.dispatch import ActionDispatcher
from bot.engine.domain import Policy
from bot.engine.events import ActiveLoop, ConversationResumed, Event, SlotSet, UserUttered
from bot.engine.runner import ActionCall, ActionMessage, ActionResult, ActionRunner
from bot.engine.tracker import TrackerState
from bot.engine.turn import Turn

__all__ = [
    "LEAVE_ACTION",
    "QUEUE_ACTION",
    "WAITING_ACTION",
    "HandoffActions",
    "HandoffDesk",
    "Notice",
    "back_to_the_bot",
    "while_paused",
]

#: Puts the conversation in the agents' queue and tells the person what to expect.
QUEUE_ACTION = "action_en_cola"
#: A message came while the conversation waits for (or is with) an agent.
WAITING_ACTION = "action_en_espera"
#: The person went back to the bot.
LEAVE_ACTION = "action_salir_de_cola"


@dataclass(frozen=True)
class Notice:
    """What the desk wants the person told: a domain response and its variables."""

    response: str
    variables: Mapping[str, Any] = field(default_factory=dict)


class HandoffDesk(Protocol):
    """The agents' queue, as the engine needs it during a turn (blocking calls, from the turn's thread)."""

    def enqueue(self, conversation_id: str, channel: str) -> Notice:
        """Put the conversation in the queue (or keep its place); what to tell the person."""
        ...

    def waiting(self, conversation_id: str, channel: str) -> Notice | None:
        """A message came while paused: a notice to answer it with, or None to stay quiet."""
        ...

    def leave(self, conversation_id: str) -> None:
        """The person went back to the bot: out of the queue, or away from the agent."""
        ...


class HandoffActions:
    """An `ActionRunner` that runs the handoff actions with the desk and passes every other action on."""

    def __init__(self, inner: ActionRunner, desk: HandoffDesk) -> None:
        self.inner = inner
        self.desk = desk

    def known(self, name: str) -> bool:
        """The handoff actions, and whatever the wrapped runner knows."""
        return name in (QUEUE_ACTION, WAITING_ACTION, LEAVE_ACTION) or self.inner.known(name)

    def run(self, call: ActionCall) -> ActionResult:
        """Run a handoff action here; any other action in the wrapped runner."""
        channel = str(call.tracker.get("latest_input_channel") or "")
        notice: Notice | None = None
        if call.name == QUEUE_ACTION:
            notice = self.desk.enqueue(call.sender_id, channel)
        elif call.name == WAITING_ACTION:
            notice = self.desk.waiting(call.sender_id, channel)
        elif call.name == LEAVE_ACTION:
            self.desk.leave(call.sender_id)
        else:
            return self.inner.run(call)
        if notice is None:
            return ActionResult(events=[], messages=[])
        return ActionResult(events=[], messages=[ActionMessage(notice.response, variables=notice.variables)])


def back_to_the_bot(state: TrackerState) -> list[Event]:
    """The events that give the conversation back to the bot: resumed, with no trámite half asked.

    A form left open during the handoff would take the next message ("hola") as the answer to a
    question asked long ago; the person starts afresh instead, keeping what they already gave.
    """
    events: list[Event] = [ConversationResumed()]
    if state.active_loop:
        events += [ActiveLoop(name=None), SlotSet(name="requested_slot", value=None)]
    return events


def while_paused(turn: Turn, message: UserUttered, rules: Policy, dispatcher: ActionDispatcher) -> None:
    """A message in a handed-off conversation: back to the bot on request, else the desk decides."""
    text = message.text
    if rules.is_resume(text) or rules.is_cancel(text):
        for event in back_to_the_bot(turn.state):
            turn.add(event)
        if dispatcher.runner.known(LEAVE_ACTION):
            dispatcher.run(turn, LEAVE_ACTION)
        dispatcher.run(turn, "utter_regreso_asistente")
        return
    # The message is already in the log, where the agent reads it.
    if dispatcher.runner.known(WAITING_ACTION):
        dispatcher.run(turn, WAITING_ACTION)
